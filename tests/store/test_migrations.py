"""Migrations: a blank file, a version-1 file and another tool's file reach the latest schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from lib.core.errors import DatabaseError
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store import migrations
from lib.store.db import open_database
from tests.support import CORE_DDL

CORE_ROWS = "SELECT id, full_name, referred_by, may_use_name, identified_on, archived FROM contacts"
EVENT_ROWS = "SELECT id, contact_id, kind, occurred_on, channel, notes FROM events"


def applied(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    return con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("network.v*-backup-*.duckdb"))


def test_a_blank_file_gets_every_migration_recorded_and_no_backup(db_path: Path) -> None:
    db = open_database(db_path)
    assert applied(db.con) == [(v, name) for v, name, _ in migrations.MIGRATIONS]
    assert migrations.migrate(db.con) == []  # nothing left to apply
    db.close()
    assert backups(db_path.parent) == []


@pytest.fixture
def version_1_file(db_path: Path) -> Path:
    """A file at schema version 1 with a referral chain and events."""
    con = duckdb.connect(str(db_path))
    assert migrations.migrate(con, target=1) == [1]
    con.execute(
        """
        INSERT INTO contacts (full_name, source, referred_by, may_use_name, identified_on)
        VALUES ('Ana Ruiz', 'association', NULL, NULL, DATE '2026-10-01'),
               ('Ben Okafor', 'referral', 1, true, DATE '2026-10-05')
        """
    )
    con.execute(
        """
        INSERT INTO events (contact_id, kind, occurred_on, channel, notes)
        VALUES (1, 'contacted', DATE '2026-10-05', 'phone', 'Coffee; asked for names.'),
               (1, 'referral_asked', DATE '2026-10-05', 'phone', NULL)
        """
    )
    con.close()
    return db_path


def test_a_version_1_file_keeps_every_row_and_leaves_a_backup(version_1_file: Path) -> None:
    before = duckdb.connect(str(version_1_file), read_only=True)
    contacts, events = before.execute(CORE_ROWS).fetchall(), before.execute(EVENT_ROWS).fetchall()
    before.close()
    assert len(contacts) == 2 and len(events) == 2

    db = open_database(version_1_file)
    assert migrations.current_version(db.con) == migrations.LATEST_VERSION
    assert db.execute(f"{CORE_ROWS} ORDER BY id").fetchall() == contacts
    assert db.execute(f"{EVENT_ROWS} ORDER BY id").fetchall() == events
    assert db.scalar("SELECT count(*) FROM contacts WHERE connected_on IS NULL") == 2
    # New rows continue the ids.
    assert add_contact(db, {"full_name": "Cara Martin"}, today=date(2026, 11, 25)) == 3
    db.close()

    [backup] = backups(version_1_file.parent)
    assert backup.name.startswith("network.v1-backup-")
    kept = duckdb.connect(str(backup), read_only=True)
    assert migrations.current_version(kept) == 1
    assert kept.execute(f"{CORE_ROWS} ORDER BY id").fetchall() == contacts
    kept.close()


def test_opening_a_version_1_file_read_only_changes_nothing(version_1_file: Path) -> None:
    content = version_1_file.read_bytes()
    db = open_database(version_1_file, read_only=True)
    assert migrations.current_version(db.con) == 1
    assert db.scalar("SELECT count(*) FROM contacts") == 2
    db.close()
    assert version_1_file.read_bytes() == content
    assert backups(version_1_file.parent) == []


def test_another_tools_file_is_migrated_with_a_backup_and_ids_continue(db_path: Path) -> None:
    con = duckdb.connect(str(db_path))
    con.execute(CORE_DDL)
    con.execute(
        "INSERT INTO contacts (id, full_name, identified_on) VALUES "
        "(5, 'Ana Ruiz', DATE '2026-10-01'), (9, 'Ben Okafor', DATE '2026-10-02')"
    )
    con.execute(
        "INSERT INTO events (id, contact_id, kind, occurred_on) "
        "VALUES (40, 9, 'contacted', DATE '2026-10-03')"
    )
    con.close()

    db = open_database(db_path)
    assert applied(db.con) == [(v, name) for v, name, _ in migrations.MIGRATIONS]
    assert db.execute("SELECT id, full_name FROM contacts ORDER BY id").fetchall() == [
        (5, "Ana Ruiz"),
        (9, "Ben Okafor"),
    ]
    today = date(2026, 11, 25)
    assert add_contact(db, {"full_name": "Cara Martin"}, today=today) == 10
    assert log_event(db, {"contact_id": 10, "kind": "contacted"}, today=today) == 41
    db.close()

    [backup] = backups(db_path.parent)
    assert backup.name.startswith("network.v0-backup-")
    kept = duckdb.connect(str(backup), read_only=True)
    assert not migrations.table_exists(kept, "schema_migrations")
    assert kept.execute("SELECT count(*) FROM contacts").fetchone() == (2,)
    kept.close()


def test_a_failing_migration_leaves_the_file_at_its_old_version(
    version_1_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("ALTER TABLE contacts ADD COLUMN half_done VARCHAR")
        raise duckdb.CatalogException("something went wrong halfway")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:1], (2, "x", broken)])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 2)
    with pytest.raises(DatabaseError, match="something went wrong halfway"):
        open_database(version_1_file)
    con = duckdb.connect(str(version_1_file), read_only=True)
    assert migrations.current_version(con) == 1
    columns = [row[0] for row in con.execute("DESCRIBE contacts").fetchall()]
    assert "half_done" not in columns
    assert con.execute("SELECT count(*) FROM contacts").fetchone() == (2,)
    con.close()


OLD_PHONES = [
    (1, "801.555.0142"),  # typed in a form, kept as typed
    (2, "(801) 555-0199 x7"),
    (3, "+1 801-555-0142 ext. 12"),  # written by an importer: already the one form
    (4, "0044 20 7946 0958"),
    (5, "+1 555-0100"),  # not a number libphonenumber knows: kept as written
    (6, "call me on Tuesdays"),  # not readable as a phone: stays as it was
    (7, None),
]


@pytest.fixture
def version_5_file(db_path: Path) -> Path:
    """A file at schema version 5 whose phones are in both forms, one of them unreadable."""
    con = duckdb.connect(str(db_path))
    assert migrations.migrate(con, target=5) == [1, 2, 3, 4, 5]
    con.executemany(
        "INSERT INTO contacts (id, full_name, phone, identified_on) "
        "VALUES (?, 'Person ' || ?, ?, DATE '2026-10-01')",
        [[i, i, phone] for i, phone in OLD_PHONES],
    )
    # An import filled contact 1's phone; a merge kept contact 2 and removed a contact 9.
    con.execute(
        "INSERT INTO import_batches (id, file, format) VALUES (1, 'people.vcf', 'vcard');"
        "INSERT INTO import_fills VALUES (1, 1, 'phone', NULL, '801.555.0142')"
    )
    merged = json.dumps({"id": 2, "full_name": "Person 2", "phone": "(801) 555-0199 x7"})
    removed = json.dumps({"id": 9, "full_name": "Person 9", "phone": "call me on Tuesdays"})
    con.execute(
        "INSERT INTO contact_merges (kept_id, removed_id, kept_before, kept_after, removed, "
        "moved_events, moved_referrals) VALUES (2, 9, ?, ?, ?, [], [])",
        [merged, merged, removed],
    )
    con.close()
    return db_path


def test_migration_6_stores_every_phone_in_one_form_after_a_backup(version_5_file: Path) -> None:
    db = open_database(version_5_file)
    assert db.execute("SELECT id, phone FROM contacts ORDER BY id").fetchall() == [
        (1, "+1 801-555-0142"),
        (2, "+1 801-555-0199 ext. 7"),
        (3, "+1 801-555-0142 ext. 12"),
        (4, "+44 20 7946 0958"),
        (5, "+1 555-0100"),
        (6, "call me on Tuesdays"),
        (7, None),
    ]
    # What an undo compares with follows, so undoing the import or the merge still works.
    assert db.execute("SELECT before, after FROM import_fills").fetchall() == [
        (None, "+1 801-555-0142")
    ]
    kept_before, kept_after, removed = db.execute(
        "SELECT kept_before, kept_after, removed FROM contact_merges"
    ).fetchone()
    assert [json.loads(text)["phone"] for text in (kept_before, kept_after, removed)] == [
        "+1 801-555-0199 ext. 7",
        "+1 801-555-0199 ext. 7",
        "call me on Tuesdays",
    ]
    assert (6, "one phone form") in applied(db.con)
    db.close()

    [backup] = backups(version_5_file.parent)
    assert backup.name.startswith("network.v5-backup-")
    kept = duckdb.connect(str(backup), read_only=True)
    assert migrations.current_version(kept) == 5
    assert kept.execute("SELECT id, phone FROM contacts ORDER BY id").fetchall() == OLD_PHONES
    kept.close()


def test_migration_8_adds_an_empty_suggestions_table_to_a_version_6_file(db_path: Path) -> None:
    con = duckdb.connect(str(db_path))
    assert migrations.migrate(con, target=6) == [1, 2, 3, 4, 5, 6]
    con.close()
    db = open_database(db_path)
    assert (8, "suggested steps") in applied(db.con)
    assert db.execute("SELECT count(*) FROM suggestions").fetchone() == (0,)
    db.close()
