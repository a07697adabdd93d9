"""Meeting the database: who in the file is new and who is already known (reads only).

A person in the file is the same as a contact already stored when (in this order) their
LinkedIn URLs, their emails, or their names and companies match — and, for a Warm Leads
CSV, first when the contact with the file's id has the same name. A known contact only
gets its blank fields filled. Matching runs in DuckDB over the whole file at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.core.columns import BACKUP_TABLES, CONTACT_IMPORT_FILLS, CONTACTS, SETTINGS
from lib.core.keys import email_key_sql, name_key_sql, url_key_sql
from lib.io.importing.model import Candidate, ParsedImport, Problem
from lib.io.importing.text import FORMAT_LABELS
from lib.io.staged import SeenRows, Staged
from lib.store.db import Database

# Fields an import may fill on a contact that already exists, when blank there: text, then
# the others (lib.core.columns marks them `importable`).
TEXT_FILLS: tuple[str, ...] = CONTACTS.names(importable=True, sql_type="VARCHAR")
OTHER_FILLS: tuple[str, ...] = tuple(c for c in CONTACT_IMPORT_FILLS if c not in TEXT_FILLS)
PLAN_COLUMNS: tuple[str, ...] = (
    "row",
    "action",
    "contact_id",
    "matched_on",
    "fills",
    "full_name",
    "company",
    "title",
    "email",
    "linkedin_url",
    "connected_on",
    "reason",
)


@dataclass
class ImportPlan:
    """What importing a parsed file would do now: one row per row of the file."""

    parsed: ParsedImport
    rows: pd.DataFrame
    events_new: int = 0
    events_known: int = 0
    # Internal: the contacts to write, keyed by file row.
    matches: dict[int, int] = field(default_factory=dict, repr=False)
    fields: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)
    first_row: dict[int, int] = field(default_factory=dict, repr=False)
    # Matched contacts that already have a referrer (an import never replaces it).
    has_referrer: set[int] = field(default_factory=set, repr=False)
    # Rows that are the same person as a row an earlier batch of this file wrote: they fill
    # that contact's blanks and are counted as duplicates (see write.import_in_batches).
    repeats: set[int] = field(default_factory=set, repr=False)
    # What the write does, all decided here (lib.io.importing.write only writes):
    # the new rows chosen, each with the file's id when it is free (else None: a fresh id),
    new_rows: list[int] = field(default_factory=list, repr=False)
    kept_ids: list[int | None] = field(default_factory=list, repr=False)
    not_chosen: int = 0
    # referral links, child → referrer, between nodes: a stored contact is its id, a new
    # row of the file is minus its row number (rows count from 1, ids too),
    links: dict[int, int] = field(default_factory=dict, repr=False)
    # the matched rows whose contact gains a blank filled or a referrer (not repeats),
    gains: set[int] = field(default_factory=set, repr=False)
    # the in-file duplicates and the dropped links, for the summary,
    duplicates: list[Problem] = field(default_factory=list, repr=False)
    warnings: list[Problem] = field(default_factory=list, repr=False)
    # a Warm Leads CSV's events to add (`node`: whose), with their kept ids,
    events: pa.Table | None = field(default=None, repr=False)
    # and whether it restores a whole backup into an empty file (then the ids its restored
    # import batches and merges keep, by record word).
    restore: bool = False
    restored_ids: dict[str, list[int | None]] = field(default_factory=dict, repr=False)

    def count(self, action: str) -> int:
        """How many rows of the file get this action."""
        return int((self.rows["action"] == action).sum())

    @property
    def label(self) -> str:
        """The file's kind in the user's words."""
        return FORMAT_LABELS[self.parsed.format]


def is_blank(value: Any) -> bool:
    """None, NA, NaN or whitespace: a field with nothing in it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and not value.strip()


def _match_rows(db: Database, contacts: list[Candidate]) -> pd.DataFrame:
    """For each candidate: its matching keys and the existing contact each key finds."""
    incoming = pd.DataFrame(
        {
            "row": [c.row for c in contacts],
            "file_id": pd.array([c.file_id for c in contacts], dtype="Int64"),
            "full_name": [c.fields["full_name"] for c in contacts],
            "company": [c.fields.get("company") for c in contacts],
            "email": [c.fields.get("email") for c in contacts],
            "linkedin_url": [c.fields.get("linkedin_url") for c in contacts],
        }
    )
    incoming = incoming.astype(
        {"full_name": "object", "company": "object", "email": "object", "linkedin_url": "object"}
    )

    def keys(prefix: str) -> str:
        return (
            f"lower(trim({prefix}full_name)) AS k_plain, "
            f"{url_key_sql(prefix + 'linkedin_url')} AS k_url, "
            f"{email_key_sql(prefix + 'email')} AS k_email, "
            f"{name_key_sql(prefix + 'full_name', prefix + 'company')} AS k_name"
        )

    staged = Staged(db, incoming)
    return staged.df(
        f"""
            WITH inc AS MATERIALIZED (SELECT row, file_id, {keys("")} FROM {staged.name}),
            ex AS (SELECT id, {keys("")} FROM contacts),
            -- Joined from the file's side: only the stored contacts that match are grouped,
            -- so a batch of a large import never holds every stored key at once.
            by_url AS (
                SELECT inc.row, min(ex.id) AS id FROM inc JOIN ex ON ex.k_url = inc.k_url
                GROUP BY 1
            ),
            by_email AS (
                SELECT inc.row, min(ex.id) AS id FROM inc JOIN ex ON ex.k_email = inc.k_email
                GROUP BY 1
            ),
            -- Namesakes: a different LinkedIn URL or e-mail tells two people apart.
            by_name AS (
                SELECT inc.row, min(ex.id) AS id FROM inc JOIN ex ON ex.k_name = inc.k_name
                WHERE coalesce(ex.k_url = inc.k_url, true)
                  AND coalesce(ex.k_email = inc.k_email, true)
                GROUP BY 1
            ),
            same_id AS (
                SELECT inc.row, ex.id FROM inc
                JOIN ex ON ex.id = inc.file_id AND ex.k_plain = inc.k_plain
            )
            SELECT inc.row, inc.k_url, inc.k_email, inc.k_name,
                   same_id.id AS id_match, by_url.id AS url_match,
                   by_email.id AS email_match, by_name.id AS name_match
            FROM inc
            LEFT JOIN same_id USING (row)
            LEFT JOIN by_url USING (row)
            LEFT JOIN by_email USING (row)
            LEFT JOIN by_name USING (row)
            ORDER BY inc.row
            """
    )


def _existing(db: Database, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    # Our own column names: what an import may fill, and the referrer it may set.
    columns = ", ".join(("id", *CONTACT_IMPORT_FILLS, "referred_by"))
    frame = db.df(
        f"SELECT {columns} FROM contacts WHERE id IN (SELECT unnest(?::INTEGER[]))", [ids]
    )
    return {int(r["id"]): r for r in frame.to_dict("records")}


def plan_import(
    db: Database,
    parsed: ParsedImport,
    seen: SeenRows | None = None,
    *,
    chosen: Collection[int] | None = None,
) -> ImportPlan:
    """Match every person in the file against the database and decide what to write
    (reads only).

    `chosen` limits which new rows become targets (None: all of them). `seen` names the
    contacts earlier batches of the same file wrote: a row that matches one is a duplicate
    of that row, not an update.
    """
    native = parsed.format == "csv"
    contacts = parsed.contacts
    matched = _match_rows(db, contacts) if contacts else pd.DataFrame()
    earlier_rows: dict[int, int] = {}
    if seen is not None and contacts:
        found = matched[["id_match", "url_match", "email_match", "name_match"]].stack()
        earlier_rows = seen.lookup({int(i) for i in found.dropna()})
    plan = ImportPlan(parsed, pd.DataFrame(columns=list(PLAN_COLUMNS)))
    actions: dict[int, str] = {}
    matched_on: dict[int, str | None] = {}
    duplicate_of: dict[int, int] = {}
    first_by_key: dict[str, int] = {}
    claimed: dict[int, int] = {}
    keys: dict[int, tuple[Any, Any]] = {}  # row → (URL key, e-mail key)
    for candidate, match in zip(contacts, matched.itertuples(index=False), strict=True):
        row = candidate.row
        plan.fields[row] = candidate.fields  # copied only when a duplicate fills it
        how, contact_id = None, None
        for label, found in (
            ("id", match.id_match),
            ("LinkedIn URL", match.url_match),
            ("email", match.email_match),
            ("name and company", match.name_match),
        ):
            if not pd.isna(found):
                how, contact_id = label, int(found)
                break
        file_keys = []
        if not native:  # a Warm Leads CSV tells its people apart by id
            file_keys = [k for k in (match.k_url, match.k_email) if isinstance(k, str)]
            file_keys.append("name:" + match.k_name)
        keys[row] = (match.k_url, match.k_email)
        earlier = claimed.get(contact_id) if contact_id is not None else None
        if earlier is not None and how == "name and company" and _apart(keys[earlier], keys[row]):
            earlier, contact_id = None, None  # a namesake of the row that claimed it
        if earlier is None and earlier_rows and contact_id in earlier_rows:
            actions[row] = "duplicate"
            duplicate_of[row] = earlier_rows[contact_id]
            claimed[contact_id] = row
            plan.matches[row] = contact_id
            plan.repeats.add(row)
            continue
        if earlier is None:
            found = (first_by_key[k] for k in file_keys if k in first_by_key)
            earlier = next((r for r in found if not _apart(keys[r], keys[row])), None)
        if earlier is not None:
            actions[row] = "duplicate"
            duplicate_of[row] = earlier
            target = plan.fields[earlier] = dict(plan.fields[earlier])
            for name, value in candidate.fields.items():
                if is_blank(target.get(name)) and not is_blank(value):
                    target[name] = value
            continue
        for key in file_keys:
            first_by_key.setdefault(key, row)
        if contact_id is None:
            actions[row] = "new"
        else:
            claimed[contact_id] = row
            plan.matches[row] = contact_id
            matched_on[row] = how
    existing = _existing(db, sorted(claimed))
    plan.has_referrer = {i for i, r in existing.items() if not is_blank(r.get("referred_by"))}
    fills: dict[int, list[str]] = {}
    for row, contact_id in plan.matches.items():
        stored, incoming = existing[contact_id], plan.fields[row]
        fills[row] = [
            name
            for name in (*TEXT_FILLS, *OTHER_FILLS)
            if is_blank(stored.get(name)) and not is_blank(incoming.get(name))
        ]
        if row not in plan.repeats:
            actions[row] = "update" if fills[row] else "unchanged"
    for row, earlier in duplicate_of.items():
        if row not in plan.repeats:
            plan.first_row[row] = earlier

    records = []
    for candidate in contacts:
        row, values = candidate.row, plan.fields.get(candidate.row, candidate.fields)
        action = actions[row]
        reason = None
        if action == "duplicate":
            reason = f"same person as {parsed.unit} {duplicate_of[row]}"
        records.append(
            {
                "row": row,
                "action": action,
                "contact_id": plan.matches.get(row),
                "matched_on": matched_on.get(row),
                "fills": ", ".join(fills.get(row, [])) or None,
                "full_name": values.get("full_name"),
                "company": values.get("company"),
                "title": values.get("title"),
                "email": values.get("email"),
                "linkedin_url": values.get("linkedin_url"),
                "connected_on": values.get("connected_on"),
                "reason": reason,
            }
        )
    for problem in parsed.problems:
        records.append({"row": problem.where, "action": "skip", "reason": problem.reason})
    frame = pd.DataFrame.from_records(records, columns=list(PLAN_COLUMNS))
    frame["contact_id"] = frame["contact_id"].astype("Int64")
    for name in PLAN_COLUMNS[3:]:
        column = frame[name].astype(object)
        frame[name] = column.where(column.notna(), None)  # None, never NaN, for blanks
    plan.rows = frame.sort_values("row", kind="stable").reset_index(drop=True)
    _decide_writes(db, plan, chosen, fills)
    return plan


def _apart(first: tuple[Any, Any], second: tuple[Any, Any]) -> bool:
    """Two rows are told apart by a LinkedIn URL or an e-mail both have and that differ."""
    pairs = zip(first, second, strict=True)
    return any(isinstance(a, str) and isinstance(b, str) and a != b for a, b in pairs)


def skipped_problems(plan: ImportPlan) -> list[Problem]:
    """Bad rows and in-file duplicates, in file order, as the summary lists them."""
    unit = plan.parsed.unit
    duplicates = plan.rows[plan.rows["action"] == "duplicate"]
    problems = list(plan.parsed.problems) + [
        Problem(int(r.row), str(r.reason), unit) for r in duplicates.itertuples()
    ]
    return sorted(problems, key=lambda p: p.where)


def choose_targets(
    rows: pd.DataFrame,
    *,
    companies: Collection[str] = (),
    position_words: Collection[str] = (),
) -> pd.Series:
    """Which new people to add: all, or those at the companies / with any of the words.

    Companies compare without case; a position word matches anywhere in the title
    without case ("head of" matches "Head of Operations"). Both filters must hold.
    """
    chosen = rows["action"] == "new"
    if companies:
        wanted = {c.strip().lower() for c in companies}
        chosen &= rows["company"].fillna("").str.strip().str.lower().isin(wanted)
    words = [w.strip().lower() for w in position_words if w.strip()]
    if words:
        titles = rows["title"].fillna("").str.lower()
        hit = pd.Series(False, index=rows.index)
        for word in words:
            hit |= titles.str.contains(word, regex=False)
        chosen &= hit
    return chosen


# A file id above this is not kept (it would push the id sequence towards its limit).
MAX_KEPT_ID = 100_000_000
# The restored tables whose rows have ids of their own (a whole backup into an empty file).
RESTORED_WITH_IDS: tuple[str, ...] = ("import_batch", "merge")


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


def _decide_writes(
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
