"""Writing one import plan: new people, blanks filled, referral links and events; a whole
backup restored into an empty file brings its other tables back too. Writes only: the plan
(lib.io.importing.plan) decided everything, and lib.io.importing.apply holds the transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from lib.core.columns import BACKUP_TABLES, CONTACT_ENTERED, CONTACTS, EVENTS, SETTINGS, Table
from lib.core.words import counted
from lib.io.importing.decisions import RESTORED_WITH_IDS
from lib.io.importing.model import Problem
from lib.io.importing.plan import OTHER_FILLS, TEXT_FILLS, ImportPlan
from lib.io.staged import SeenRows, Staged
from lib.records.companies import link_contacts
from lib.store.db import Database

# A new contact's columns, as an import writes them (the id and batch are the import's).
_CONTACT_COLUMNS: tuple[str, ...] = ("id", *CONTACT_ENTERED, "created_at", "import_batch")
_EVENT_COLUMNS: tuple[str, ...] = EVENTS.names()
# What a restore says it brought back, per record word (contacts and events are counted apart).
_RESTORED_WORDS: dict[str, tuple[str, str]] = {
    "setting": ("setting", "settings"),
    "import_batch": ("import", "imports"),
    "import_fill": ("filled field", "filled fields"),
    "merge": ("merge", "merges"),
    "not_duplicate": ("pair marked not the same", "pairs marked not the same"),
    "company": ("target company", "target companies"),
    "company_merge": ("company merge", "company merges"),
    "suggestion": ("suggested step", "suggested steps"),
}
LEFT_OUT_HISTORY = (
    "The file's settings, imports and merges were left out: a Warm Leads CSV brings them "
    "back only into an empty file."
)


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
    # How the file was read, when that needs saying (not UTF-8).
    notes: list[str] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)
    dry_run: bool = False
    batch_id: int | None = None  # the import's batch (undo it with `undo-import ID`)
    # A whole backup restored into an empty file: how many rows of each other table came
    # back, by record word (the restore is no batch of its own: there is nothing to undo to).
    restored: dict[str, int] = field(default_factory=dict)

    @property
    def nobody(self) -> bool:
        """The file held records, and not one person from it is in the network now."""
        kept = self.new + self.updated + self.unchanged + self.not_chosen
        return kept == 0 and bool(self.skipped)

    def summary(self) -> str:
        """One line like "12 new contacts, 3 updated, 1 skipped (row 7: no name)"."""
        parts = [counted(self.new, "new contact"), f"{self.updated:,} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged:,} already up to date")
        if self.not_chosen:
            parts.append(f"{self.not_chosen:,} not chosen")
        shown = "; ".join(str(p) for p in self.skipped[:3])
        more = f"; and {len(self.skipped) - 3:,} more" if len(self.skipped) > 3 else ""
        parts.append(f"{len(self.skipped):,} skipped" + (f" ({shown}{more})" if shown else ""))
        if self.format == "csv":
            parts.append(f"{counted(self.events_added, 'event')} added")
        brought = [counted(n, *_RESTORED_WORDS[k]) for k, n in self.restored.items() if n]
        if brought:
            parts.append("restored " + ", ".join(brought))
        return ", ".join(parts)


def _new_ids(db: Database, sequence: str, kept: list[int | None]) -> list[int]:
    """Ids for new rows: each kept file id (the plan found it free), else the sequence's next."""
    used = [i for i in kept if i is not None]
    if used:
        _skip_past(db, sequence, max(used))
    missing = len(kept) - len(used)
    fresh = iter(
        int(r[0])
        for r in db.execute("SELECT nextval(?) FROM range(?)", [sequence, missing]).fetchall()
    )
    return [i if i is not None else next(fresh) for i in kept]


def _skip_past(db: Database, sequence: str, used: int) -> None:
    """Make `sequence` hand out ids above `used` (an id a row of the file kept)."""
    start, last = db.execute(
        "SELECT start_value, last_value FROM duckdb_sequences() WHERE sequence_name = ?",
        [sequence],
    ).fetchall()[0]
    next_value = start if last is None else last + 1
    if used >= next_value:
        db.execute("SELECT setval(?, ?)", [sequence, used])


def write_plan(
    db: Database,
    plan: ImportPlan,
    result: ImportResult,
    *,
    batch: int | None,
    seen: SeenRows | None = None,
) -> None:
    """Write what `plan` decided, as part of import `batch`, adding to `result` (writes only).

    `seen` (a streamed import's earlier batches), when given, is extended with the contacts
    this batch wrote, for the next batch's plan; new ids are then not listed in
    `result.new_ids` (a million of them would cost more than the rest of the import).
    `batch` None restores a whole backup into an empty file: every row keeps the import
    batch the file gives it, and the file's other tables come back too.
    """
    result.not_chosen += plan.not_chosen
    result.unchanged += plan.count("unchanged")
    result.warnings.extend(plan.warnings)
    batch_ids = _restore_rows(db, plan, "import_batch", {})[1] if plan.restore else {}
    id_list = _new_ids(db, "contacts_id_seq", plan.kept_ids)
    ids = dict(zip(plan.new_rows, id_list, strict=True))

    def contact_id(node: int) -> int:  # a node is a stored id, or minus a new row's number
        return node if node > 0 else ids[-node]

    links = {contact_id(child): contact_id(parent) for child, parent in plan.links.items()}
    _insert_contacts(db, plan, ids, links, batch, batch_ids)
    _fill_blanks(db, plan, links, batch)
    result.updated += len(plan.gains)
    result.new += len(plan.new_rows)
    if seen is None:
        result.new_ids.extend(id_list)
    if plan.events is not None:
        result.events_added += _insert_events(db, plan, ids, batch, batch_ids)
        result.events_known += plan.events_known
    if plan.restore:
        result.restored["import_batch"] = len(batch_ids)
        mapped = {c.file_id: ids[c.row] for c in plan.parsed.contacts if c.row in ids}
        for record in ("import_fill", "merge", "not_duplicate", "setting", "suggestion"):
            maps = {"batch_id": batch_ids, "contact_id": mapped, "import_batch": batch_ids}
            result.restored[record] = _restore_rows(db, plan, record, maps)[0]
        _restore_companies(db, plan, result, mapped, batch_ids)
        # Undoing a restored merge brings its contact back under the id it had.
        merged_away = [int(r["removed_id"]) for r in plan.parsed.backup.get("merge", [])]
        if merged_away:
            _skip_past(db, "contacts_id_seq", max(merged_away))
    elif any(plan.parsed.backup.values()) and LEFT_OUT_HISTORY not in result.notes:
        result.notes.append(LEFT_OUT_HISTORY)
    if seen is not None:
        seen.add([(i, row) for row, i in (*ids.items(), *plan.matches.items())])
    if not plan.restore:  # people at a target company are linked to it by its key
        link_contacts(db, [*ids.values(), *plan.matches.values()])


def _restore_companies(
    db: Database,
    plan: ImportPlan,
    result: ImportResult,
    mapped: dict[int, int],
    batch_ids: dict[int, int],
) -> None:
    """Bring back a whole backup's target companies, their merges and each person's link."""
    count, companies = _restore_rows(db, plan, "company", {"import_batch": batch_ids})
    result.restored["company"] = count
    maps = {"kept_id": companies}
    result.restored["company_merge"] = _restore_rows(db, plan, "company_merge", maps)[0]
    links = [
        (mapped[person], companies.get(company, company))
        for person, company in plan.parsed.company_links.items()
        if person in mapped
    ]
    if links:
        people, targets = zip(*links, strict=True)
        db.execute(
            "UPDATE contacts SET company_id = m.company FROM (SELECT unnest($people::INTEGER[]) "
            "AS person, unnest($targets::INTEGER[]) AS company) m WHERE contacts.id = m.person",
            {"people": list(people), "targets": list(targets)},
        )


def _insert_contacts(
    db: Database,
    plan: ImportPlan,
    ids: dict[int, int],
    links: dict[int, int],
    batch: int | None,
    batch_ids: dict[int, int],
) -> None:
    """Add the new people (`ids`: row → id); `batch` marks them (None: the file's batch)."""
    if not ids:
        return
    by_row = {c.row: c for c in plan.parsed.contacts}
    records = []
    for row, contact_id in ids.items():
        values = dict(plan.fields[row])
        values["referred_by"] = links.get(contact_id)
        if values["referred_by"] is None:
            values["may_use_name"] = None
        file_batch = by_row[row].file_batch
        values["id"] = contact_id
        values["created_at"] = by_row[row].created_at
        values["import_batch"] = batch if batch is not None else batch_ids.get(file_batch or 0)
        records.append({c: values.get(c) for c in _CONTACT_COLUMNS})
    frame = pd.DataFrame.from_records(records, columns=list(_CONTACT_COLUMNS)).astype(object)
    staged = Staged(db, frame)
    staged.run(
        f"INSERT INTO contacts ({', '.join(_CONTACT_COLUMNS)}) "
        f"SELECT {_casts(CONTACTS, _CONTACT_COLUMNS)} FROM {staged.name}"
    )


def _casts(table: Table, names: Collection[str]) -> str:
    """`name::TYPE` for each column (a blank `created_at` is now); our own names only."""
    return ", ".join(
        "coalesce(created_at::TIMESTAMP, current_timestamp::TIMESTAMP)"
        if name == "created_at"
        else f"{name}::{table.column(name).sql_type}"
        for name in names
    )


def _restore_rows(
    db: Database, plan: ImportPlan, record: str, maps: dict[str, dict[int, int]]
) -> tuple[int, dict[int, int]]:
    """Restore one table's rows from a whole backup into an empty file: (rows restored, the
    file's id → the id each row got, for a table with ids).

    A column named in `maps` (a contact's or a batch's id) follows the ids the import gave.
    A setting already chosen in this file stays.
    """
    table = _TABLES[record]
    rows = plan.parsed.backup.get(record, [])
    if not rows:
        return 0, {}
    frame = pd.DataFrame.from_records(rows, columns=list(table.names())).astype(object)
    for name, mapping in maps.items():
        if name in frame:
            frame[name] = [
                None if v is None else str(mapping.get(int(v), int(v))) for v in frame[name]
            ]
    restored: dict[int, int] = {}
    if record in RESTORED_WITH_IDS:
        new_ids = _new_ids(db, f"{table.name}_id_seq", plan.restored_ids[record])
        restored = dict(zip((int(v) for v in frame["id"]), new_ids, strict=True))
        frame["id"] = [str(i) for i in new_ids]
    where = ""
    if table is SETTINGS:  # `key` is the table's key: a setting chosen here stays
        where = f"WHERE key NOT IN (SELECT key FROM {table.name})"
    staged = Staged(db, frame)
    written = staged.fetchall(
        f"INSERT INTO {table.name} ({', '.join(table.names())}) "
        f"SELECT {_casts(table, table.names())} FROM {staged.name} {where} RETURNING 1"
    )
    return len(written), restored


def _record_fills(staged: Staged) -> None:
    """Note each field an import is about to change on a known contact, with its value before."""
    # `f` comes from our own field lists; the values (and the batch) are the frame's.
    view = staged.name
    picks = [
        f"SELECT u.batch::INTEGER, contacts.id, '{f}', contacts.{f}, u.{f}::VARCHAR "
        f"FROM contacts JOIN {view} u ON contacts.id = u.id::INTEGER "
        f"WHERE nullif(trim(contacts.{f}), '') IS NULL "
        f"AND contacts.{f} IS DISTINCT FROM u.{f}::VARCHAR"
        for f in TEXT_FILLS
    ]
    picks.append(
        "SELECT u.batch::INTEGER, contacts.id, 'connected_on', NULL, "
        f"u.connected_on::DATE::VARCHAR FROM contacts JOIN {view} u "
        "ON contacts.id = u.id::INTEGER "
        "WHERE contacts.connected_on IS NULL AND u.connected_on IS NOT NULL"
    )
    for f, value in (
        ("referred_by", "u.referred_by::INTEGER"),
        ("may_use_name", "u.may_use_name::BOOLEAN"),
    ):
        picks.append(
            f"SELECT u.batch::INTEGER, contacts.id, '{f}', contacts.{f}::VARCHAR, "
            f"{value}::VARCHAR FROM contacts JOIN {view} u ON contacts.id = u.id::INTEGER "
            "WHERE contacts.referred_by IS NULL AND u.referred_by IS NOT NULL"
        )
    staged.run(
        "INSERT INTO import_fills (batch_id, contact_id, field, before, after) "
        f"{' UNION ALL '.join(picks)}"
    )


def _fill_blanks(db: Database, plan: ImportPlan, links: dict[int, int], batch: int | None) -> None:
    """Fill the blank fields of matched contacts, noting what they held."""
    records = []
    for row, contact_id in plan.matches.items():
        values = plan.fields[row]
        record = {"id": contact_id, **{f: values.get(f) for f in (*TEXT_FILLS, *OTHER_FILLS)}}
        record["referred_by"] = links.get(contact_id)
        record["may_use_name"] = values.get("may_use_name") if record["referred_by"] else None
        records.append(record)
    if not records:
        return
    frame = pd.DataFrame.from_records(records).astype(object)
    frame["batch"] = batch
    text = ", ".join(
        f"{f} = CASE WHEN nullif(trim(contacts.{f}), '') IS NULL THEN u.{f}::VARCHAR "
        f"ELSE contacts.{f} END"
        for f in TEXT_FILLS
    )
    staged = Staged(db, frame)
    _record_fills(staged)
    staged.run(
        f"""
        UPDATE contacts SET {text},
            connected_on = coalesce(contacts.connected_on, u.connected_on::DATE),
            may_use_name = CASE WHEN contacts.referred_by IS NULL AND u.referred_by IS NOT NULL
                                THEN u.may_use_name::BOOLEAN ELSE contacts.may_use_name END,
            referred_by = coalesce(contacts.referred_by, u.referred_by::INTEGER)
        FROM {staged.name} u
        WHERE contacts.id = u.id::INTEGER
        """
    )


def _insert_events(
    db: Database,
    plan: ImportPlan,
    ids: dict[int, int],
    batch: int | None,
    batch_ids: dict[int, int],
) -> int:
    """Add the file's events the plan found new (`ids`: new row → id); return how many."""
    events = plan.events
    if events is None or not events.num_rows:
        return 0
    owners = pd.Series(events["contact_id"].to_numpy())
    new = owners < 0  # a new row's node is minus its row number
    owners[new] = (-owners[new]).map(ids)
    events = events.set_column(
        events.schema.get_field_index("contact_id"),
        "contact_id",
        pa.array(owners.to_numpy().astype("int64")),
    )
    event_ids = _new_ids(db, "events_id_seq", events["kept_id"].to_pylist())
    events = events.append_column("id", pa.array(event_ids, pa.int64()))
    if batch is None:
        batches = [batch_ids.get(b or 0) for b in events["file_batch"].to_pylist()]
    else:
        batches = [batch] * len(event_ids)
    events = events.append_column("import_batch", pa.array(batches, pa.int64()))
    staged = Staged(db, events)
    staged.run(
        f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) "
        f"SELECT {_casts(EVENTS, _EVENT_COLUMNS)} FROM {staged.name}"
    )
    return events.num_rows


_TABLES: dict[str, Table] = {t.record: t for t in BACKUP_TABLES}
