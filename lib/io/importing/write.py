"""Writing an import: new people, blanks filled, referral links and events, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lib.core.validation import CONTACT_FIELDS
from lib.io.importing.model import ImportRejected, ParsedImport, Problem
from lib.io.importing.plan import (
    OTHER_FILLS,
    SAME_EVENT_SQL,
    TEXT_FILLS,
    ImportPlan,
    count_of,
    event_frame,
    file_id_map,
    plan_import,
    registered,
    skipped_problems,
)
from lib.store.db import Database

Progress = Callable[[str], None]
# A file id above this is not kept (it would push the id sequence towards its limit).
MAX_KEPT_ID = 100_000_000

_CONTACT_TYPES: dict[str, str] = {
    "id": "INTEGER",
    "referred_by": "INTEGER",
    "may_use_name": "BOOLEAN",
    "archived": "BOOLEAN",
    "identified_on": "DATE",
    "connected_on": "DATE",
}


@dataclass
class ImportResult:
    """What an import wrote."""

    format: str
    unit: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    not_chosen: int = 0
    events_added: int = 0
    events_known: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)
    dry_run: bool = False
    batch_id: int | None = None  # the import's batch (undo it with `undo-import ID`)

    def summary(self) -> str:
        """One line like "12 new, 3 updated, 1 skipped (row 7: no name)"."""
        parts = [f"{self.new:,} new", f"{self.updated:,} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged:,} already up to date")
        if self.not_chosen:
            parts.append(f"{self.not_chosen:,} not chosen")
        shown = "; ".join(str(p) for p in self.skipped[:3])
        more = f"; and {len(self.skipped) - 3:,} more" if len(self.skipped) > 3 else ""
        parts.append(f"{len(self.skipped):,} skipped" + (f" ({shown}{more})" if shown else ""))
        if self.format == "csv":
            parts.append(f"{self.events_added:,} events added")
        return ", ".join(parts)


def _take_ids(db: Database, sequence: str, table: str, wanted: list[int | None]) -> list[int]:
    """Ids for new rows: the file's id when it is free, else the next from the sequence."""
    proposed = [i for i in wanted if i is not None and i <= MAX_KEPT_ID]
    taken: set[int] = set()
    if proposed:
        taken = {
            int(r[0])
            for r in db.execute(
                # `table` is one of our two table names.
                f"SELECT id FROM {table} WHERE id IN (SELECT unnest(?::INTEGER[]))",
                [proposed],
            ).fetchall()
        }
    kept: list[int | None] = []
    used: set[int] = set()
    for i in wanted:
        keep = i is not None and i <= MAX_KEPT_ID and i not in taken and i not in used
        kept.append(i if keep else None)
        if keep:
            used.add(i)
    if used:
        start, last = db.execute(
            "SELECT start_value, last_value FROM duckdb_sequences() WHERE sequence_name = ?",
            [sequence],
        ).fetchall()[0]
        next_value = start if last is None else last + 1
        if max(used) >= next_value:
            db.execute("SELECT setval(?, ?)", [sequence, max(used)])
    missing = sum(1 for i in kept if i is None)
    fresh = iter(
        int(r[0])
        for r in db.execute("SELECT nextval(?) FROM range(?)", [sequence, missing]).fetchall()
    )
    return [i if i is not None else next(fresh) for i in kept]


def _referral_links(
    db: Database,
    plan: ImportPlan,
    rows: list[int],
    mapped: dict[int, int],
    ids: dict[int, int],
    warn: Callable[[int, str], None],
) -> dict[int, int]:
    """Contact id → referrer id for the rows that name one; loops and strangers dropped."""
    by_row = {c.row: c for c in plan.parsed.contacts}
    proposed: dict[int, tuple[int, int]] = {}
    for row in rows:
        referrer = by_row[row].file_referred_by
        if referrer is None:
            continue
        if referrer not in mapped:
            warn(row, f"referred_by {referrer} is not imported from this file; link left out")
            continue
        proposed[ids[row]] = (mapped[referrer], row)
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
            warn(row, "referred_by would make a referral loop; link left out")
        else:
            parents[child] = links[child] = parent
    return links


def apply_import(
    db: Database,
    parsed: ParsedImport,
    *,
    chosen: Collection[int] | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    file_name: str | None = None,
) -> ImportResult:
    """Write the file in one transaction: new people (those `chosen`, by row), blanks filled.

    `chosen` limits which new rows become targets (None: all of them). With `strict`, any
    skipped row or dropped value rejects the whole file; with `dry_run` nothing is kept.
    The import is recorded as a batch named `file_name`, marking what it added and filled.
    """
    say = progress or (lambda _message: None)
    result = ImportResult(parsed.format, parsed.unit, warnings=list(parsed.warnings))

    def warn(row: int, reason: str) -> None:
        result.warnings.append(Problem(row, reason, parsed.unit))

    if strict:
        _reject_if_any(list(parsed.problems) + list(parsed.warnings))
    with db.transaction():
        people = len(parsed.contacts)
        say(f"matching {people:,} {'person' if people == 1 else 'people'} against your network")
        plan = plan_import(db, parsed)
        batch = start_batch(db, file_name or "(unnamed file)", parsed.format)
        result.batch_id = batch
        new_rows = plan.rows.loc[plan.rows["action"] == "new", "row"].tolist()
        if chosen is not None:
            wanted = set(chosen)
            result.not_chosen = sum(1 for row in new_rows if row not in wanted)
            new_rows = [row for row in new_rows if row in wanted]
        result.skipped = skipped_problems(plan)
        result.unchanged = plan.count("unchanged")
        by_row = {c.row: c for c in parsed.contacts}
        say(f"writing {len(new_rows):,} new contacts")
        id_list = _take_ids(
            db, "contacts_id_seq", "contacts", [by_row[row].file_id for row in new_rows]
        )
        ids = dict(zip(new_rows, id_list, strict=True))
        mapped = file_id_map(plan, ids)
        link_rows = [*new_rows, *(r for r, i in plan.matches.items() if i not in plan.has_referrer)]
        all_ids = {**ids, **plan.matches}
        links = _referral_links(db, plan, link_rows, mapped, all_ids, warn)
        _insert_contacts(db, plan, new_rows, ids, links, batch)
        result.updated = _fill_blanks(db, plan, links, batch)
        result.new = len(new_rows)
        result.new_ids = id_list
        if parsed.events:
            result.events_added, result.events_known = _insert_events(db, plan, mapped, batch)
        db.execute(
            "UPDATE import_batches SET added = ?, filled = ?, events_added = ? WHERE id = ?",
            [result.new, result.updated, result.events_added, batch],
        )
        if strict:
            _reject_if_any(result.skipped + result.warnings)
        if dry_run:
            raise _DryRun(result)
    return result


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("dry run")
        self.result = result


def dry_run_import(db: Database, parsed: ParsedImport, **options: Any) -> ImportResult:
    """Everything `apply_import` would do, counted, then rolled back."""
    try:
        apply_import(db, parsed, dry_run=True, **options)
    except _DryRun as done:
        done.result.dry_run = True
        return done.result
    raise AssertionError("unreachable: a dry run always rolls back")


def _reject_if_any(problems: list[Problem]) -> None:
    if problems:
        first = sorted(problems, key=lambda p: p.where)[0]
        more = len(problems) - 1
        tail = f" (and {more:,} more problem{'s' if more != 1 else ''})" if more else ""
        raise ImportRejected(f"{first}{tail}; with --strict nothing was imported")


def start_batch(db: Database, file_name: str, fmt: str) -> int:
    """Record a new import batch (inside the import's transaction); return its id."""
    row = db.execute(
        "INSERT INTO import_batches (id, file, format) "
        "VALUES (nextval('import_batches_id_seq'), ?, ?) RETURNING id",
        [file_name, fmt],
    ).fetchall()
    return int(row[0][0])


def _insert_contacts(
    db: Database,
    plan: ImportPlan,
    rows: list[int],
    ids: dict[int, int],
    links: dict[int, int],
    batch: int,
) -> None:
    if not rows:
        return
    records = []
    for row in rows:
        values = dict(plan.fields[row])
        contact_id = ids[row]
        values["referred_by"] = links.get(contact_id)
        if values["referred_by"] is None:
            values["may_use_name"] = None
        records.append({"id": contact_id, **{f: values.get(f) for f in CONTACT_FIELDS}})
    frame = pd.DataFrame.from_records(records, columns=["id", *CONTACT_FIELDS]).astype(object)
    columns = ["id", *CONTACT_FIELDS]
    casts = ", ".join(f"{c}::{_CONTACT_TYPES.get(c, 'VARCHAR')}" for c in columns)
    with registered(db, frame) as view:
        db.execute(
            f"INSERT INTO contacts ({', '.join(columns)}, import_batch) "
            f"SELECT {casts}, ?::INTEGER FROM {view}",
            [batch],
        )


def _record_fills(db: Database, view: str, batch: int) -> None:
    """Note each field an import is about to change on a known contact, with its value before."""
    # `f` comes from our own field lists; the values are the file's, bound through the frame.
    picks = [
        f"SELECT contacts.id, '{f}', contacts.{f}, u.{f}::VARCHAR FROM contacts "
        f"JOIN {view} u ON contacts.id = u.id::INTEGER WHERE nullif(trim(contacts.{f}), '') "
        f"IS NULL AND contacts.{f} IS DISTINCT FROM u.{f}::VARCHAR"
        for f in TEXT_FILLS
    ]
    picks.append(
        f"SELECT contacts.id, 'connected_on', NULL, u.connected_on::DATE::VARCHAR FROM contacts "
        f"JOIN {view} u ON contacts.id = u.id::INTEGER "
        "WHERE contacts.connected_on IS NULL AND u.connected_on IS NOT NULL"
    )
    for f, value in (
        ("referred_by", "u.referred_by::INTEGER"),
        ("may_use_name", "u.may_use_name::BOOLEAN"),
    ):
        picks.append(
            f"SELECT contacts.id, '{f}', contacts.{f}::VARCHAR, {value}::VARCHAR FROM contacts "
            f"JOIN {view} u ON contacts.id = u.id::INTEGER "
            "WHERE contacts.referred_by IS NULL AND u.referred_by IS NOT NULL"
        )
    db.execute(
        "INSERT INTO import_fills (batch_id, contact_id, field, before, after) "
        f"SELECT ?, * FROM ({' UNION ALL '.join(picks)})",
        [batch],
    )


def _fill_blanks(db: Database, plan: ImportPlan, links: dict[int, int], batch: int) -> int:
    """Fill the blank fields of matched contacts; return how many changed."""
    records = []
    for row, contact_id in plan.matches.items():
        values = plan.fields[row]
        record = {"id": contact_id, **{f: values.get(f) for f in (*TEXT_FILLS, *OTHER_FILLS)}}
        record["referred_by"] = links.get(contact_id)
        record["may_use_name"] = values.get("may_use_name") if record["referred_by"] else None
        records.append(record)
    if not records:
        return 0
    frame = pd.DataFrame.from_records(records).astype(object)
    text = ", ".join(
        f"{f} = CASE WHEN nullif(trim(contacts.{f}), '') IS NULL THEN u.{f}::VARCHAR "
        f"ELSE contacts.{f} END"
        for f in TEXT_FILLS
    )
    with registered(db, frame) as view:
        changed = count_of(
            db,
            f"""
            SELECT count(*) FROM contacts JOIN {view} u ON contacts.id = u.id::INTEGER
            WHERE {
                " OR ".join(
                    f"(nullif(trim(contacts.{f}), '') IS NULL AND u.{f} IS NOT NULL)"
                    for f in TEXT_FILLS
                )
            }
               OR (contacts.connected_on IS NULL AND u.connected_on IS NOT NULL)
               OR (contacts.referred_by IS NULL AND u.referred_by IS NOT NULL)
            """,
        )
        _record_fills(db, view, batch)
        db.execute(
            f"""
            UPDATE contacts SET {text},
                connected_on = coalesce(contacts.connected_on, u.connected_on::DATE),
                may_use_name = CASE WHEN contacts.referred_by IS NULL AND u.referred_by IS NOT NULL
                                    THEN u.may_use_name::BOOLEAN ELSE contacts.may_use_name END,
                referred_by = coalesce(contacts.referred_by, u.referred_by::INTEGER)
            FROM {view} u
            WHERE contacts.id = u.id::INTEGER
            """
        )
    return int(changed)


def _insert_events(
    db: Database, plan: ImportPlan, mapped: dict[int, int], batch: int
) -> tuple[int, int]:
    """Add the file's events that are not stored yet; return (added, already there)."""
    frame = event_frame(plan, mapped)
    if frame.empty:
        return 0, 0
    with registered(db, frame) as view:
        fresh = db.df(
            f"SELECT * FROM {view} f WHERE NOT EXISTS "
            f"(SELECT 1 FROM events e WHERE {SAME_EVENT_SQL}) ORDER BY row"
        )
    known = len(frame) - len(fresh)
    if fresh.empty:
        return 0, known
    file_ids = [None if pd.isna(i) else int(i) for i in fresh["file_id"]]
    fresh["id"] = _take_ids(db, "events_id_seq", "events", file_ids)
    fresh = fresh.astype({"id": "int64"})
    with registered(db, fresh) as view:
        db.execute(
            f"""
            INSERT INTO events (id, contact_id, kind, occurred_on, channel, notes, import_batch)
            SELECT id::INTEGER, contact_id::INTEGER, kind::VARCHAR, occurred_on::DATE,
                   channel::VARCHAR, notes::VARCHAR, ?::INTEGER
            FROM {view} ORDER BY row
            """,
            [batch],
        )
    return len(fresh), known
