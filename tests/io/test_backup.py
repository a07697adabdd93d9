"""The Warm Leads CSV is a whole backup: every column of every table of the user's data, and
importing it into an empty file restores every value (SPEC: `export --format csv`)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date
from pathlib import Path

import pytest

from lib.core.columns import BACKUP_TABLES, BOOKKEEPING_TABLES
from lib.io.activity.apply import import_activity
from lib.io.exporters import NATIVE_COLUMNS, export_csv
from lib.io.importing import apply_import, import_file, read_import
from lib.io.importing.batches import undo_import
from lib.records.contacts import add_contact
from lib.records.duplicates import mark_not_duplicates, merge_contacts
from lib.records.events import log_attempt, log_event
from lib.records.settings import set_setting, set_weekly_goals
from lib.records.suggestions import dismiss
from lib.store.db import Database, open_database
from tests.conftest import TODAY
from tests.support import schema

LINKEDIN = Path(__file__).parents[1] / "fixtures" / "linkedin_connections.csv"
ACTIVITY = LINKEDIN.parent / "activity"


def test_every_column_of_every_table_of_user_data_is_in_the_csv_export(db: Database):
    tables = schema(db)

    assert sorted(tables) == sorted([*(t.name for t in BACKUP_TABLES), *BOOKKEEPING_TABLES])
    missing = [
        f"{table}.{column}"
        for table, columns in tables.items()
        if table not in BOOKKEEPING_TABLES
        for column, _ in columns
        if column not in NATIVE_COLUMNS
    ]
    assert missing == []


def everything(db: Database) -> dict[str, list[tuple]]:
    """Every row of every backed-up table, every column, in a stable order."""
    return {
        t.name: db.execute(f"SELECT * FROM {t.name} ORDER BY ALL").fetchall() for t in BACKUP_TABLES
    }


@pytest.fixture
def full(db: Database) -> Database:
    """A file with a row in every table: attempts with outcomes and a call-back, settings,
    an import with filled blanks, an undone import, a merge and a pair marked not the same."""
    ana = add_contact(
        db,
        {
            "full_name": "Ana Ruiz",
            "company": "=Kestrel",
            "email": "ana@kestrel.example",
            "phone": "+1 555 0100",
            "notes": "Line one\nline two, with 'quotes' and \"more\"",
            "identified_on": "2026-09-01",
        },
        today=TODAY,
    )
    ben = add_contact(
        db,
        {"full_name": "Ben Okafor", "referred_by": ana, "may_use_name": True},
        today=TODAY,
    )
    add_contact(db, {"full_name": "Lukas Bräuer", "email": "lukas.b@example.com"}, today=TODAY)
    gone = add_contact(db, {"full_name": "Cara Diaz", "archived": True}, today=TODAY)
    log_event(db, {"contact_id": ana, "kind": "contacted", "occurred_on": "2026-09-03"})
    log_attempt(db, ana, "no_answer", occurred_on="2026-09-02", today=TODAY)
    log_attempt(
        db,
        ana,
        "call_back",
        occurred_on="2026-11-24",
        call_back_on="2026-11-30",
        notes="-call after lunch",
        today=TODAY,
    )
    log_attempt(db, ben, "voicemail", occurred_on="2026-11-20", today=TODAY)
    set_weekly_goals(db, {"targets": 4, "calls": 9})
    set_setting(db, "pitch", 'Hi, I\'m -- an analyst; "quoted"')
    import_file(db, LINKEDIN, today=TODAY)  # fills Lukas's blanks: import_fills
    second = import_file(db, LINKEDIN.parent / "google_contacts.csv", today=TODAY)
    undo_import(db, second.batch_id)  # an undone import stays in the history
    amara = db.scalar("SELECT id FROM contacts WHERE full_name = 'Amara Nwosu'")
    twin = add_contact(db, {"full_name": "Amara Nwosu", "phone": "+44 7700 900999"})
    log_event(db, {"contact_id": twin, "kind": "note", "occurred_on": "2026-11-01"})
    merge_contacts(db, amara, twin)
    mark_not_duplicates(db, ana, gone)
    # An activity import: two suggested steps, one of them dismissed.
    add_contact(db, {"full_name": "Farah Haddad", "phone": "(801) 555-0112"}, today=TODAY)
    add_contact(db, {"full_name": "Liam Osei", "phone": "801.555.0113"}, today=TODAY)
    import_activity(db, ACTIVITY / "calls-20261208221431.xml", today=TODAY, tz=UTC)
    dismiss(db, db.scalar("SELECT max(id) FROM suggestions"))
    return db


def test_a_full_file_has_a_row_in_every_table(full: Database):
    assert all(rows for rows in everything(full).values())
    assert full.execute(
        "SELECT outcome, call_back_on FROM events WHERE kind = 'attempt' ORDER BY id"
    ).fetchall() == [
        ("no_answer", None),
        ("call_back", date(2026, 11, 30)),
        ("voicemail", None),
    ]


def test_export_import_export_is_byte_identical_and_restores_every_value(
    full: Database, tmp_path: Path
):
    exported = export_csv(full)
    with open_database(tmp_path / "copy.duckdb") as copy:
        result = apply_import(copy, read_import(exported, today=TODAY), file_name="backup.csv")

        assert result.batch_id is None  # a restore, not an import to undo
        assert result.skipped == [] and result.warnings == []
        assert everything(copy) == everything(full)
        assert export_csv(copy) == exported
        # New ids go on past every id the backup names (a merge's contact merged away too,
        # so undoing the merge can bring it back under its id).
        assert copy.scalar("SELECT nextval('contacts_id_seq')") == 1 + max(
            full.scalar("SELECT max(id) FROM contacts"),
            full.scalar("SELECT max(removed_id) FROM contact_merges"),
        )
        for table in ("events", "import_batches", "contact_merges", "suggestions"):
            next_id = copy.scalar(f"SELECT nextval('{table}_id_seq')")
            assert next_id == 1 + full.scalar(f"SELECT max(id) FROM {table}"), table


def test_every_record_kind_of_the_export_is_read_back(full: Database):
    rows = list(csv.DictReader(io.StringIO(export_csv(full).decode("utf-8-sig"), newline="")))

    assert sorted({r["record"] for r in rows}) == sorted(t.record for t in BACKUP_TABLES)
    attempts = [r for r in rows if r["record"] == "event" and r["kind"] == "attempt"]
    assert [(r["outcome"], r["call_back_on"], r["notes"]) for r in attempts] == [
        ("no_answer", "", ""),
        ("call_back", "2026-11-30", "'-call after lunch"),
        ("voicemail", "", ""),
    ]


def test_the_cli_round_trip_restores_every_value(full: Database, tmp_path: Path):
    from lib.cli import main

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(export_csv(full))
    copy = tmp_path / "copy.duckdb"
    assert main(["--db", str(copy), "import", str(first)]) == 0
    assert main(["--db", str(copy), "export", "--format", "csv", "--out", str(second)]) == 0
    assert second.read_bytes() == first.read_bytes()
    with open_database(copy) as restored:
        assert everything(restored) == everything(full)


def test_into_a_file_with_people_the_history_is_left_out_and_said(
    full: Database, db_path: Path, tmp_path: Path
):
    exported = export_csv(full)
    with open_database(tmp_path / "other.duckdb") as other:
        add_contact(other, {"full_name": "Zed Own"}, today=TODAY)
        result = apply_import(other, read_import(exported, today=TODAY), file_name="b.csv")

        assert result.batch_id == 1
        assert result.notes == [
            "The file's settings, imports and merges were left out: a Warm Leads CSV brings "
            "them back only into an empty file."
        ]
        assert other.execute("SELECT id, file FROM import_batches").fetchall() == [(1, "b.csv")]
        assert other.scalar("SELECT count(*) FROM settings") == 0
        # The attempts keep their outcomes and call-back days.
        assert other.execute(
            "SELECT outcome, call_back_on FROM events WHERE kind = 'attempt' ORDER BY occurred_on"
        ).fetchall() == [
            ("no_answer", None),
            ("voicemail", None),
            ("call_back", date(2026, 11, 30)),
        ]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("setting,,,,,,,,,,,,,,,,,,,,,,,goals,{not json", "value: '{not json' is not a setting"),
        ("setting,,,,,,,,,,,,,,,,,,,,,,,,1", "key: is required"),
        ("import_batch,x", "id: 'x' is not a whole number"),
        ("import_batch,2", "file: is required"),
    ],
)
def test_a_bad_history_row_is_left_out_with_the_reason(row: str, problem: str):
    header = ",".join(NATIVE_COLUMNS)
    parsed = read_import(f"{header}\r\n{row}\r\n".encode(), today=TODAY)

    assert [str(p) for p in parsed.problems] == [f"row 2: {problem}"]
