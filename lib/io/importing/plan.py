"""Meeting the database: who in the file is new and who is already known (reads only).

A person in the file is the same as a contact already stored when (in this order) their
LinkedIn URLs, their emails, or their names and companies match — and, for a Warm Leads
CSV, first when the contact with the file's id has the same name. A known contact only
gets its blank fields filled. Matching runs in DuckDB over the whole file at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.io.importing.model import Candidate, ParsedImport, Problem
from lib.io.importing.text import FORMAT_LABELS
from lib.io.importing.urls import email_key_sql, name_key_sql, url_key_sql
from lib.store.db import Database

# Fields an import may fill on a contact that already exists, when blank there.
TEXT_FILLS: tuple[str, ...] = ("company", "title", "email", "phone", "linkedin_url", "notes")
OTHER_FILLS: tuple[str, ...] = ("connected_on",)
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

    def count(self, action: str) -> int:
        """How many rows of the file get this action."""
        return int((self.rows["action"] == action).sum())

    @property
    def label(self) -> str:
        """The file's kind in the user's words."""
        return FORMAT_LABELS[self.parsed.format]


class Staged:
    """A DataFrame that SQL reads under `self.name`, one statement at a time.

    Each statement runs on a relation over an Arrow copy of the frame, so nothing is added
    to the catalog: a view registered inside a transaction (`register`) keeps its table
    alive until the transaction ends, which made a streamed import of a million rows hold
    every batch it had written (bench_import_files). Arrow's columns are also a fraction of
    the size of a frame of Python objects.
    """

    def __init__(self, db: Database, frame: pd.DataFrame | pa.Table) -> None:
        self.name = f"wl_import_{uuid.uuid4().hex[:12]}"
        if isinstance(frame, pd.DataFrame):
            frame = pa.Table.from_pandas(frame, preserve_index=False)
        self._relation = db.con.from_arrow(frame)

    def run(self, sql: str) -> None:
        """Run a statement that writes (INSERT, UPDATE) over the frame."""
        self._relation.query(self.name, sql)

    def fetchall(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows a SELECT over the frame returns."""
        return self._relation.query(self.name, sql).fetchall()

    def df(self, sql: str) -> pd.DataFrame:
        """The rows a SELECT over the frame returns, as a DataFrame."""
        return self._relation.query(self.name, sql).df()


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
    frame = db.df(
        "SELECT id, company, title, email, phone, linkedin_url, notes, connected_on, "
        "referred_by FROM contacts WHERE id IN (SELECT unnest(?::INTEGER[]))",
        [ids],
    )
    return {int(r["id"]): r for r in frame.to_dict("records")}


class SeenRows:
    """The contacts earlier batches of one streamed import wrote, with their file rows.

    Kept in a DuckDB temporary table rather than a Python dict: a million entries cost
    DuckDB a few MB and a dict a hundred.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.table = f"wl_seen_{uuid.uuid4().hex[:12]}"
        self.count = 0
        db.execute(f"CREATE TEMP TABLE {self.table} (contact_id INTEGER, row INTEGER)")

    def add(self, pairs: list[tuple[int, int]]) -> None:
        """Remember (contact id, file row) pairs."""
        if not pairs:
            return
        frame = pd.DataFrame(pairs, columns=["contact_id", "row"], dtype="int64")
        staged = Staged(self.db, frame)
        staged.run(f"INSERT INTO {self.table} SELECT contact_id, row FROM {staged.name}")
        self.count += len(pairs)

    def lookup(self, ids: Collection[int]) -> dict[int, int]:
        """Contact id → the first file row that wrote it, for the ids seen before."""
        if not ids or not self.count:
            return {}
        rows = self.db.execute(
            f"SELECT contact_id, min(row) FROM {self.table} "
            "WHERE contact_id IN (SELECT unnest(?::INTEGER[])) GROUP BY 1",
            [sorted(ids)],
        ).fetchall()
        return {int(c): int(r) for c, r in rows}

    def drop(self) -> None:
        """Forget the table (the end of the import)."""
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")


def plan_import(db: Database, parsed: ParsedImport, seen: SeenRows | None = None) -> ImportPlan:
    """Match every person in the file against the database (reads only).

    `seen` names the contacts earlier batches of the same file wrote: a row that matches
    one is a duplicate of that row, not an update.
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
    if native and parsed.events:
        plan.events_new, plan.events_known = _count_events(db, plan)
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


def _count_events(db: Database, plan: ImportPlan) -> tuple[int, int]:
    """(events that would be added, events already stored) for a Warm Leads CSV."""
    mapped = file_id_map(plan, new_ids={})
    events = event_table(plan, mapped)
    if not events.num_rows:
        return len(plan.parsed.events), 0
    known = len(stored_event_rows(db, events, set(plan.matches.values())))
    return len(plan.parsed.events) - known, known


def file_id_map(plan: ImportPlan, new_ids: dict[int, int]) -> dict[int, int]:
    """File contact id → database id, for every imported row that had a file id."""
    by_row: dict[int, int] = {**plan.matches, **new_ids}
    for row, earlier in plan.first_row.items():
        if earlier in by_row:
            by_row[row] = by_row[earlier]
    return {
        c.file_id: by_row[c.row]
        for c in plan.parsed.contacts
        if c.file_id is not None and c.row in by_row
    }


def event_table(plan: ImportPlan, mapped: dict[int, int]) -> pa.Table:
    """The file's events whose contact is mapped to a database id, ready to match or insert."""
    events = plan.parsed.events.table()
    database_ids = pd.Series(mapped, dtype="int64").reindex(events["file_contact_id"].to_numpy())
    found = database_ids.notna().to_numpy()
    events = events.filter(pa.array(found))
    contact_ids = pa.array(database_ids.to_numpy()[found].astype("int64"))
    return events.add_column(2, "contact_id", contact_ids).drop_columns(["file_contact_id"])


SAME_EVENT_SQL = """
    e.contact_id = f.contact_id AND e.kind = f.kind AND e.occurred_on = f.occurred_on::DATE
    AND e.channel IS NOT DISTINCT FROM f.channel AND e.notes IS NOT DISTINCT FROM f.notes
"""


def stored_event_rows(db: Database, events: pa.Table, known: Collection[int]) -> list[int]:
    """The file rows among `events` (event_table) that are stored already.

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
