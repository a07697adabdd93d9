"""Meeting the database: who in the file is new, who is already known, and writing it all.

A person in the file is the same as a contact already stored when (in this order) their
LinkedIn URLs, their emails, or their names and companies match — and, for a Warm Leads
CSV, first when the contact with the file's id has the same name. A known contact only
gets its blank fields filled. Matching runs in DuckDB over the whole file at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lib.db import Database
from lib.importing.model import Candidate, ImportRejected, ParsedImport, Problem
from lib.importing.text import FORMAT_LABELS
from lib.importing.urls import email_key_sql, name_key_sql, url_key_sql
from lib.validation import CONTACT_FIELDS

# Fields an import may fill on a contact that already exists, when blank there.
TEXT_FILLS: tuple[str, ...] = ("company", "title", "email", "phone", "linkedin_url", "notes")
OTHER_FILLS: tuple[str, ...] = ("connected_on",)
# A file id above this is not kept (it would push the id sequence towards its limit).
MAX_KEPT_ID = 100_000_000
ACTION_LABELS: dict[str, str] = {
    "new": "New target",
    "update": "Update",
    "unchanged": "Already up to date",
    "duplicate": "Same person as another row",
    "skip": "Skipped",
    "not_chosen": "Not chosen",
}
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
Progress = Callable[[str], None]
_CONTACT_TYPES: dict[str, str] = {
    "id": "INTEGER",
    "referred_by": "INTEGER",
    "may_use_name": "BOOLEAN",
    "archived": "BOOLEAN",
    "identified_on": "DATE",
    "connected_on": "DATE",
}


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

    def count(self, action: str) -> int:
        """How many rows of the file get this action."""
        return int((self.rows["action"] == action).sum())

    @property
    def label(self) -> str:
        """The file's kind in the user's words."""
        return FORMAT_LABELS[self.parsed.format]


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

    def summary(self) -> str:
        """One line like "12 new, 3 updated, 1 skipped (row 7: no name)"."""
        return summarise(
            new=self.new,
            updated=self.updated,
            unchanged=self.unchanged,
            not_chosen=self.not_chosen,
            skipped=self.skipped,
            events_added=self.events_added,
            is_native=self.format == "csv",
        )


def summarise(
    *,
    new: int,
    updated: int,
    unchanged: int,
    not_chosen: int,
    skipped: list[Problem],
    events_added: int,
    is_native: bool,
) -> str:
    """The import summary line shared by the preview, the result and the command line."""
    parts = [f"{new:,} new", f"{updated:,} updated"]
    if unchanged:
        parts.append(f"{unchanged:,} already up to date")
    if not_chosen:
        parts.append(f"{not_chosen:,} not chosen")
    if skipped:
        shown = "; ".join(str(p) for p in skipped[:3])
        more = f"; and {len(skipped) - 3:,} more" if len(skipped) > 3 else ""
        parts.append(f"{len(skipped):,} skipped ({shown}{more})")
    else:
        parts.append("0 skipped")
    if is_native:
        parts.append(f"{events_added:,} events added")
    return ", ".join(parts)


@contextmanager
def _registered(db: Database, frame: pd.DataFrame) -> Iterator[str]:
    """Expose a DataFrame to SQL under a unique name for the length of the block."""
    name = f"wl_import_{uuid.uuid4().hex[:12]}"
    db.con.register(name, frame)
    try:
        yield name
    finally:
        db.con.unregister(name)


def _count(db: Database, sql: str) -> int:
    # fetchall, not fetchone: an unfinished result would block unregistering the frame.
    return int(db.execute(sql).fetchall()[0][0])


def _blank(value: Any) -> bool:
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

    with _registered(db, incoming) as view:
        return db.df(
            f"""
            WITH inc AS (SELECT row, file_id, {keys("")} FROM {view}),
            ex AS (SELECT id, {keys("")} FROM contacts),
            by_url AS (SELECT k_url, min(id) AS id FROM ex WHERE k_url IS NOT NULL GROUP BY 1),
            by_email AS (
                SELECT k_email, min(id) AS id FROM ex WHERE k_email IS NOT NULL GROUP BY 1
            ),
            by_name AS (SELECT k_name, min(id) AS id FROM ex GROUP BY 1)
            SELECT inc.row, inc.k_url, inc.k_email, inc.k_name,
                   same_id.id AS id_match, by_url.id AS url_match,
                   by_email.id AS email_match, by_name.id AS name_match
            FROM inc
            LEFT JOIN ex AS same_id ON same_id.id = inc.file_id AND same_id.k_plain = inc.k_plain
            LEFT JOIN by_url ON by_url.k_url = inc.k_url
            LEFT JOIN by_email ON by_email.k_email = inc.k_email
            LEFT JOIN by_name ON by_name.k_name = inc.k_name
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


def plan_import(db: Database, parsed: ParsedImport) -> ImportPlan:
    """Match every person in the file against the database (reads only)."""
    native = parsed.format == "csv"
    contacts = parsed.contacts
    matched = _match_rows(db, contacts) if contacts else pd.DataFrame()
    plan = ImportPlan(parsed, pd.DataFrame(columns=list(PLAN_COLUMNS)))
    actions: dict[int, str] = {}
    matched_on: dict[int, str | None] = {}
    duplicate_of: dict[int, int] = {}
    first_by_key: dict[str, int] = {}
    claimed: dict[int, int] = {}
    for candidate, match in zip(contacts, matched.itertuples(index=False), strict=True):
        row = candidate.row
        plan.fields[row] = dict(candidate.fields)
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
        earlier = claimed.get(contact_id) if contact_id is not None else None
        if earlier is None:
            earlier = next((first_by_key[k] for k in file_keys if k in first_by_key), None)
        if earlier is not None:
            actions[row] = "duplicate"
            duplicate_of[row] = earlier
            target = plan.fields[earlier]
            for name, value in candidate.fields.items():
                if _blank(target.get(name)) and not _blank(value):
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
    plan.has_referrer = {i for i, r in existing.items() if not _blank(r.get("referred_by"))}
    fills: dict[int, list[str]] = {}
    for row, contact_id in plan.matches.items():
        stored, incoming = existing[contact_id], plan.fields[row]
        fills[row] = [
            name
            for name in (*TEXT_FILLS, *OTHER_FILLS)
            if _blank(stored.get(name)) and not _blank(incoming.get(name))
        ]
        actions[row] = "update" if fills[row] else "unchanged"
    for row, earlier in duplicate_of.items():
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


def skipped_problems(plan: ImportPlan) -> list[Problem]:
    """Bad rows and in-file duplicates, in file order, as the summary lists them."""
    unit = plan.parsed.unit
    duplicates = plan.rows[plan.rows["action"] == "duplicate"]
    problems = list(plan.parsed.problems) + [
        Problem(int(r.row), str(r.reason), unit) for r in duplicates.itertuples()
    ]
    return sorted(problems, key=lambda p: p.where)


def plan_summary(plan: ImportPlan) -> str:
    """The preview's one line, in the same words as the result."""
    return summarise(
        new=plan.count("new"),
        updated=plan.count("update"),
        unchanged=plan.count("unchanged"),
        not_chosen=0,
        skipped=skipped_problems(plan),
        events_added=plan.events_new,
        is_native=plan.parsed.format == "csv",
    )


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
    mapped = _file_id_map(plan, new_ids={})
    frame = _event_frame(plan, mapped)
    if frame.empty:
        return len(plan.parsed.events), 0
    known = _known_events(db, frame)
    return len(plan.parsed.events) - known, known


def _file_id_map(plan: ImportPlan, new_ids: dict[int, int]) -> dict[int, int]:
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


def _event_frame(plan: ImportPlan, mapped: dict[int, int]) -> pd.DataFrame:
    rows = [
        {
            "row": e.row,
            "file_id": e.file_id,
            "contact_id": mapped[e.file_contact_id],
            "kind": e.fields["kind"],
            "occurred_on": e.fields["occurred_on"],
            "channel": e.fields["channel"],
            "notes": e.fields["notes"],
        }
        for e in plan.parsed.events
        if e.file_contact_id in mapped
    ]
    columns = ["row", "file_id", "contact_id", "kind", "occurred_on", "channel", "notes"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["file_id"] = frame["file_id"].astype("Int64")
    frame["contact_id"] = frame["contact_id"].astype("Int64")
    return frame.astype({"kind": "object", "channel": "object", "notes": "object"})


_SAME_EVENT = """
    e.contact_id = f.contact_id AND e.kind = f.kind AND e.occurred_on = f.occurred_on::DATE
    AND e.channel IS NOT DISTINCT FROM f.channel AND e.notes IS NOT DISTINCT FROM f.notes
"""


def _known_events(db: Database, frame: pd.DataFrame) -> int:
    with _registered(db, frame) as view:
        return _count(
            db,
            f"SELECT count(*) FROM {view} f WHERE EXISTS "
            f"(SELECT 1 FROM events e WHERE {_SAME_EVENT})",
        )


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
) -> ImportResult:
    """Write the file in one transaction: new people (those `chosen`, by row), blanks filled.

    `chosen` limits which new rows become targets (None: all of them). With `strict`, any
    skipped row or dropped value rejects the whole file; with `dry_run` nothing is kept.
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
        mapped = _file_id_map(plan, ids)
        link_rows = [*new_rows, *(r for r, i in plan.matches.items() if i not in plan.has_referrer)]
        all_ids = {**ids, **plan.matches}
        links = _referral_links(db, plan, link_rows, mapped, all_ids, warn)
        _insert_contacts(db, plan, new_rows, ids, links)
        result.updated = _fill_blanks(db, plan, links)
        result.new = len(new_rows)
        result.new_ids = id_list
        if parsed.events:
            result.events_added, result.events_known = _insert_events(db, plan, mapped)
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


def _insert_contacts(
    db: Database, plan: ImportPlan, rows: list[int], ids: dict[int, int], links: dict[int, int]
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
    with _registered(db, frame) as view:
        db.execute(f"INSERT INTO contacts ({', '.join(columns)}) SELECT {casts} FROM {view}")


def _fill_blanks(db: Database, plan: ImportPlan, links: dict[int, int]) -> int:
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
    with _registered(db, frame) as view:
        changed = _count(
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


def _insert_events(db: Database, plan: ImportPlan, mapped: dict[int, int]) -> tuple[int, int]:
    """Add the file's events that are not stored yet; return (added, already there)."""
    frame = _event_frame(plan, mapped)
    if frame.empty:
        return 0, 0
    with _registered(db, frame) as view:
        fresh = db.df(
            f"SELECT * FROM {view} f WHERE NOT EXISTS "
            f"(SELECT 1 FROM events e WHERE {_SAME_EVENT}) ORDER BY row"
        )
    known = len(frame) - len(fresh)
    if fresh.empty:
        return 0, known
    file_ids = [None if pd.isna(i) else int(i) for i in fresh["file_id"]]
    fresh["id"] = _take_ids(db, "events_id_seq", "events", file_ids)
    fresh = fresh.astype({"id": "int64"})
    with _registered(db, fresh) as view:
        db.execute(
            f"""
            INSERT INTO events (id, contact_id, kind, occurred_on, channel, notes)
            SELECT id::INTEGER, contact_id::INTEGER, kind::VARCHAR, occurred_on::DATE,
                   channel::VARCHAR, notes::VARCHAR
            FROM {view} ORDER BY row
            """
        )
    return len(fresh), known
