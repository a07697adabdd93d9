"""What the write will do that the database has a say in, decided before it runs (reads only).

Which file ids the new contacts and events keep, which referral links hold (no loops, no
strangers), which of a Warm Leads CSV's events are stored already, and whether a whole
backup is restored into an empty file.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.core.columns import BACKUP_TABLES, SETTINGS
from lib.io.importing.model import Problem
from lib.io.importing.plan import ImportPlan, skipped_problems
from lib.io.staged import Staged
from lib.store.db import Database

# A file id above this is not kept (it would push the id sequence towards its limit).
MAX_KEPT_ID = 100_000_000
# The restored tables whose rows have ids of their own (a whole backup into an empty file).
RESTORED_WITH_IDS: tuple[str, ...] = ("import_batch", "merge", "suggestion")


def keep_ids(wanted: list[int | None], taken: Collection[int]) -> list[int | None]:
    """The file's ids that new rows keep: free, not too large, each once (None: a fresh id)."""
    kept: list[int | None] = []
    used: set[int] = set()
    for i in wanted:
        keep = i is not None and i <= MAX_KEPT_ID and i not in taken and i not in used
        kept.append(i if keep else None)
        if keep:
            used.add(i)  # type: ignore[arg-type]
    return kept


def _taken(db: Database, table: str, wanted: list[int | None]) -> set[int]:
    """Which of the file's ids `table` already uses; `table` is one of our table names."""
    proposed = [i for i in wanted if i is not None and i <= MAX_KEPT_ID]
    if not proposed:
        return set()
    staged = Staged(db, pa.table({"id": pa.array(proposed, pa.int64())}))
    found = staged.fetchall(
        f"SELECT t.id FROM {table} t WHERE t.id IN (SELECT id::INTEGER FROM {staged.name})"
    )
    return {int(r[0]) for r in found}


def is_empty(db: Database) -> bool:
    """No row in any table of the user's data but settings: a backup may be restored here."""
    counts = " + ".join(
        f"(SELECT count(*) FROM {t.name})" for t in BACKUP_TABLES if t is not SETTINGS
    )
    return int(db.scalar(f"SELECT {counts}")) == 0


def decide_writes(
    db: Database, plan: ImportPlan, chosen: Collection[int] | None, fills: dict[int, list[str]]
) -> None:
    """Everything the write needs that the database has a say in: ids, links, events."""
    parsed = plan.parsed
    new_rows = plan.rows.loc[plan.rows["action"] == "new", "row"].tolist()
    if chosen is not None:
        wanted = set(chosen)
        plan.not_chosen = sum(1 for row in new_rows if row not in wanted)
        new_rows = [row for row in new_rows if row in wanted]
    plan.new_rows = new_rows
    by_row = {c.row: c for c in parsed.contacts}
    file_ids = [by_row[row].file_id for row in new_rows]
    plan.restore = parsed.whole_backup and is_empty(db)
    plan.kept_ids = keep_ids(file_ids, () if plan.restore else _taken(db, "contacts", file_ids))
    if plan.restore:  # every id is free in an empty file
        plan.restored_ids = {
            record: keep_ids([int(r["id"]) for r in parsed.backup.get(record, [])], ())  # type: ignore[arg-type]
            for record in RESTORED_WITH_IDS
        }
    parse_problems = set(parsed.problems)
    plan.duplicates = [p for p in skipped_problems(plan) if p not in parse_problems]
    nodes = _file_nodes(plan)
    plan.links = _referral_links(db, plan, nodes)
    plan.gains = {
        row
        for row, contact_id in plan.matches.items()
        if row not in plan.repeats
        and (fills.get(row) or (contact_id not in plan.has_referrer and contact_id in plan.links))
    }
    if parsed.events:
        plan.events = _events_to_add(db, plan, nodes)


def _file_nodes(plan: ImportPlan) -> dict[int, int]:
    """File contact id → node (a stored contact's id, or minus a new row's number), for every
    row written that had a file id (an in-file duplicate is the row it repeats)."""
    by_row: dict[int, int] = {**plan.matches, **{row: -row for row in plan.new_rows}}
    for row, earlier in plan.first_row.items():
        if earlier in by_row:
            by_row[row] = by_row[earlier]
    return {
        c.file_id: by_row[c.row]
        for c in plan.parsed.contacts
        if c.file_id is not None and c.row in by_row
    }


def _referral_links(db: Database, plan: ImportPlan, nodes: dict[int, int]) -> dict[int, int]:
    """Child node → referrer node for the rows that name one; loops and strangers dropped
    (each said in `plan.warnings`)."""
    by_row = {c.row: c for c in plan.parsed.contacts}
    node_of_row = {**{row: -row for row in plan.new_rows}, **plan.matches}
    link_rows = [
        *plan.new_rows,
        *(r for r, i in plan.matches.items() if i not in plan.has_referrer),
    ]
    proposed: dict[int, tuple[int, int]] = {}
    for row in link_rows:
        referrer = by_row[row].file_referred_by
        if referrer is None:
            continue
        if referrer not in nodes:
            plan.warnings.append(
                Problem(
                    row,
                    f"referred_by {referrer} is not imported from this file; link left out",
                    plan.parsed.unit,
                )
            )
            continue
        proposed[node_of_row[row]] = (nodes[referrer], row)
    if not proposed:
        return {}
    parents = dict(
        db.execute("SELECT id, referred_by FROM contacts WHERE referred_by IS NOT NULL").fetchall()
    )
    links: dict[int, int] = {}
    # In file order: a link joins the tree unless walking up from its referrer meets the child.
    for child, (parent, row) in sorted(proposed.items(), key=lambda item: item[1][1]):
        node, steps = parent, 0
        while node is not None and node != child and steps <= len(parents):
            node, steps = parents.get(node), steps + 1
        if node == child:
            reason = "referred_by would make a referral loop; link left out"
            plan.warnings.append(Problem(row, reason, plan.parsed.unit))
        else:
            parents[child] = links[child] = parent
    return links


def _events_to_add(db: Database, plan: ImportPlan, nodes: dict[int, int]) -> pa.Table:
    """A Warm Leads CSV's events whose contact is written and which are not stored yet, with
    `contact_id` a node and `kept_id` the file's id when free; counts the rest as known."""
    events = plan.parsed.events.table()
    owners = pd.Series(nodes, dtype="int64").reindex(events["file_contact_id"].to_numpy())
    found = owners.notna().to_numpy()
    events = events.filter(pa.array(found))
    contact_ids = pa.array(owners.to_numpy()[found].astype("int64"))
    events = events.add_column(2, "contact_id", contact_ids).drop_columns(["file_contact_id"])
    stored = stored_event_rows(db, events, set(plan.matches.values()))
    plan.events_known = len(stored)
    plan.events_new = len(plan.parsed.events) - len(stored)
    if stored:
        rows = pa.array(stored, pa.int64())
        events = events.filter(pc.invert(pc.is_in(events["row"], value_set=rows)))
    file_ids = events["file_id"].to_pylist()
    kept = keep_ids(file_ids, () if plan.restore else _taken(db, "events", file_ids))
    return events.append_column("kept_id", pa.array(kept, pa.int64()))


SAME_EVENT_SQL = """
    e.contact_id = f.contact_id AND e.kind = f.kind AND e.occurred_on = f.occurred_on::DATE
    AND e.channel IS NOT DISTINCT FROM f.channel AND e.notes IS NOT DISTINCT FROM f.notes
    AND e.outcome IS NOT DISTINCT FROM f.outcome
    AND e.call_back_on IS NOT DISTINCT FROM f.call_back_on::DATE
"""


def stored_event_rows(db: Database, events: pa.Table, known: Collection[int]) -> list[int]:
    """The file rows among `events` that are stored already.

    Only the events of `known` contacts (matched, so stored before this import) are looked
    up: a contact the import adds has no events yet, and a round trip into an empty file
    then looks up nothing.
    """
    if not known:
        return []
    ids = pa.array(sorted(known), pa.int64())
    events = events.filter(pc.is_in(events["contact_id"], value_set=ids))
    if not events.num_rows:
        return []
    staged = Staged(db, events)
    found = staged.fetchall(
        f"SELECT row FROM {staged.name} f WHERE EXISTS "
        f"(SELECT 1 FROM events e WHERE {SAME_EVENT_SQL})"
    )
    return [int(row) for (row,) in found]
