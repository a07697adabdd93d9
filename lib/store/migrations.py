"""Numbered schema migrations, each recorded in the file when applied.

A migration is a small function that takes a connection inside an open
transaction. Append new ones to MIGRATIONS; never edit an applied one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import duckdb

from lib.core.errors import ValidationError
from lib.core.validation import clean_phone

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = ?",
        [name],
    ).fetchone()
    return bool(row and row[0])


def _create_id_sequence(con: duckdb.DuckDBPyConnection, table: str, sequence: str) -> None:
    """Create the id sequence, starting past any ids a file made elsewhere already holds."""
    start = 1
    if table_exists(con, table):
        start = int(con.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])
    # DDL takes no parameters; `start` is an int we computed, `sequence` a constant.
    con.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence} START {start}")


def m001_core_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The core tables of docs/METHOD.md "The records" (kept as another tool made them)."""
    _create_id_sequence(con, "contacts", "contacts_id_seq")
    _create_id_sequence(con, "events", "events_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS contacts (
            id INTEGER PRIMARY KEY DEFAULT nextval('contacts_id_seq'),
            full_name VARCHAR NOT NULL,
            company VARCHAR,
            title VARCHAR,
            email VARCHAR,
            phone VARCHAR,
            linkedin_url VARCHAR,
            notes VARCHAR,
            source VARCHAR,
            referred_by INTEGER,
            may_use_name BOOLEAN,
            identified_on DATE NOT NULL,
            archived BOOLEAN NOT NULL DEFAULT false
        )
        """
    )
    # References are enforced in code, inside each write's transaction (lib.records:
    # contacts.require_contact / check_referrer): foreign keys would block later ALTERs.
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY DEFAULT nextval('events_id_seq'),
            contact_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            occurred_on DATE NOT NULL,
            channel VARCHAR,
            notes VARCHAR
        )
        """
    )


def m002_settings_and_history(con: duckdb.DuckDBPyConnection) -> None:
    """Settings (weekly goals, the pitch) and when rows were written."""
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS settings (
            key VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        )
        """
    )
    con.execute("ALTER TABLE contacts ADD COLUMN IF NOT EXISTS connected_on DATE")
    con.execute(
        "ALTER TABLE contacts ADD COLUMN IF NOT EXISTS created_at TIMESTAMP "
        "DEFAULT current_timestamp"
    )
    con.execute(
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS created_at TIMESTAMP DEFAULT current_timestamp"
    )


def m003_contact_merges(con: duckdb.DuckDBPyConnection) -> None:
    """Merged duplicates, kept whole so a merge can be undone; pairs marked "not the same"."""
    _create_id_sequence(con, "contact_merges", "contact_merges_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS contact_merges (
            id INTEGER PRIMARY KEY DEFAULT nextval('contact_merges_id_seq'),
            kept_id INTEGER NOT NULL,
            removed_id INTEGER NOT NULL,
            kept_before VARCHAR NOT NULL,      -- JSON: the kept contact before the merge
            kept_after VARCHAR NOT NULL,       -- JSON: and right after it
            removed VARCHAR NOT NULL,          -- JSON: the contact merged away
            moved_events INTEGER[] NOT NULL,
            moved_referrals INTEGER[] NOT NULL,
            merged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            undone_at TIMESTAMP
        )
        """
    )
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS not_duplicates (
            low_id INTEGER NOT NULL,
            high_id INTEGER NOT NULL,
            marked_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


def m004_attempt_outcomes(con: duckdb.DuckDBPyConnection) -> None:
    """How a call attempt ended, and the day they asked to be called back (`attempt`)."""
    con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS outcome VARCHAR DEFAULT NULL")
    con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS call_back_on DATE DEFAULT NULL")


def m005_import_batches(con: duckdb.DuckDBPyConnection) -> None:
    """Each import (and the demo) as a batch, so it can be undone: what it added and filled."""
    _create_id_sequence(con, "import_batches", "import_batches_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS import_batches (
            id INTEGER PRIMARY KEY DEFAULT nextval('import_batches_id_seq'),
            file VARCHAR NOT NULL,
            format VARCHAR NOT NULL,             -- an import format, or 'demo'
            imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            added INTEGER NOT NULL DEFAULT 0,    -- contacts added
            filled INTEGER NOT NULL DEFAULT 0,   -- known contacts whose blanks it filled
            events_added INTEGER NOT NULL DEFAULT 0,
            undone_at TIMESTAMP
        )
        """
    )
    # The blank fields an import filled, with the value before (as text), so undo empties them.
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS import_fills (
            batch_id INTEGER NOT NULL,
            contact_id INTEGER NOT NULL,
            field VARCHAR NOT NULL,
            before VARCHAR,
            after VARCHAR
        )
        """
    )
    # The batch that added a row (NULL: the user's own); the demo is a batch of format 'demo'.
    con.execute("ALTER TABLE contacts ADD COLUMN IF NOT EXISTS import_batch INTEGER")
    con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS import_batch INTEGER")


def _phone_forms(phones: Iterable[str | None]) -> dict[str, str]:
    """Each stored phone whose one form (clean_phone) differs, mapped to that form."""
    forms: dict[str, str] = {}
    for phone in set(phones):
        if phone is None:
            continue
        try:
            cleaned = clean_phone(phone)
        except ValidationError:
            continue  # not readable as a phone: it stays as it was, nothing is lost
        if cleaned is not None and cleaned != phone:
            forms[phone] = cleaned
    return forms


def m006_one_phone_form(con: duckdb.DuckDBPyConnection) -> None:
    """Every stored phone in the one form of lib.core.validation.clean_phone.

    Forms used to keep a phone as typed (`801.555.0142`) while importers wrote
    `+1 801-555-0142`. A phone that cannot be read stays as it was. The phones recorded for
    undo (an import's fills, a merge's contacts) follow, so an undo still recognises them.
    """
    stored = con.execute(
        "SELECT phone FROM contacts UNION SELECT before FROM import_fills WHERE field = 'phone' "
        "UNION SELECT after FROM import_fills WHERE field = 'phone'"
    ).fetchall()
    merges = con.execute(
        "SELECT id, kept_before, kept_after, removed FROM contact_merges"
    ).fetchall()
    records = {
        (merge_id, column): json.loads(text)
        for merge_id, *texts in merges
        for column, text in zip(("kept_before", "kept_after", "removed"), texts, strict=True)
    }
    forms = _phone_forms(
        [phone for (phone,) in stored] + [r.get("phone") for r in records.values()]
    )
    if not forms:
        return
    mapping = "(SELECT unnest($old::VARCHAR[]) AS old, unnest($new::VARCHAR[]) AS new) m"
    params = {"old": list(forms), "new": list(forms.values())}
    con.execute(f"UPDATE contacts SET phone = m.new FROM {mapping} WHERE phone = m.old", params)
    for column in ("before", "after"):  # our own column names
        con.execute(
            f"UPDATE import_fills SET {column} = m.new FROM {mapping} "
            f"WHERE field = 'phone' AND {column} = m.old",
            params,
        )
    for (merge_id, column), record in records.items():
        if record.get("phone") in forms:
            record["phone"] = forms[record["phone"]]
            # `column` is one of the three names above.
            con.execute(
                f"UPDATE contact_merges SET {column} = ? WHERE id = ?",
                [json.dumps(record), merge_id],
            )


def m008_suggestions(con: duckdb.DuckDBPyConnection) -> None:
    """Steps suggested by an activity import (calls, sent mail, meetings), until confirmed.

    Only people in the network: nothing about an unmatched number or address is kept.
    """
    _create_id_sequence(con, "suggestions", "suggestions_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS suggestions (
            id INTEGER PRIMARY KEY DEFAULT nextval('suggestions_id_seq'),
            source_id VARCHAR NOT NULL,          -- a hash of the call, message or meeting
            contact_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            occurred_on DATE NOT NULL,
            channel VARCHAR,
            outcome VARCHAR,
            seen VARCHAR NOT NULL,               -- what it saw: "call 12 s outgoing, …"
            status VARCHAR NOT NULL DEFAULT 'open',  -- open, confirmed, dismissed
            event_id INTEGER,                    -- the step logged when confirmed
            import_batch INTEGER
        )
        """
    )


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "core tables", m001_core_tables),
    (2, "settings and history", m002_settings_and_history),
    (3, "contact merges", m003_contact_merges),
    (4, "attempt outcomes", m004_attempt_outcomes),
    (5, "import batches and demo marks", m005_import_batches),
    (6, "one phone form", m006_one_phone_form),
    (8, "suggested steps", m008_suggestions),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def ensure_version_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table that records applied migrations."""
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration, 0 for a blank file or one made by another tool."""
    if not table_exists(con, "schema_migrations"):
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0])


def has_user_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the file already holds tables (so migrating it first needs a backup)."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchone()
    return bool(row and row[0])


def migrate(con: duckdb.DuckDBPyConnection, *, target: int = LATEST_VERSION) -> list[int]:
    """Apply every pending migration up to `target` in one transaction; return the versions."""
    applied: list[int] = []
    con.execute("BEGIN TRANSACTION")
    try:
        ensure_version_table(con)
        done = current_version(con)
        for version, name, step in MIGRATIONS:
            if done < version <= target:
                step(con)
                con.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name]
                )
                applied.append(version)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return applied
