"""The Warm Leads CSV: a round trip loses nothing; formula-neutralised cells come back whole."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from lib.io.demo import load_demo
from lib.io.exporters import export_csv
from lib.io.importing import apply_import, import_file, read_import
from lib.store.db import Database, open_database
from tests.conftest import TODAY

FIXTURES = Path(__file__).parents[1] / "fixtures"
HEADER = (
    "record,id,full_name,company,title,email,phone,linkedin_url,source,referred_by,"
    "may_use_name,identified_on,connected_on,archived,contact_id,kind,occurred_on,channel,notes"
)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def table(db: Database, name: str) -> list[tuple]:
    columns = {
        "contacts": "id, full_name, company, title, email, phone, linkedin_url, notes, source, "
        "referred_by, may_use_name, identified_on, archived, connected_on",
        "events": "id, contact_id, kind, occurred_on, channel, notes",
    }[name]
    return db.execute(f"SELECT {columns} FROM {name} ORDER BY id").fetchall()


def test_csv_to_database_to_csv_gives_back_the_same_bytes(demo_db: Database, tmp_path: Path):
    exported = export_csv(demo_db)
    copy = open_database(tmp_path / "copy.duckdb")

    result = apply_import(copy, read_import(exported, today=TODAY))

    events = demo_db.scalar("SELECT count(*) FROM events")
    assert result.summary() == (
        f"50 new contacts, 0 updated, 0 skipped, {events} events added, restored 1 import, "
        "1 setting, 5 target companies"
    )
    assert export_csv(copy) == exported
    assert table(copy, "contacts") == table(demo_db, "contacts")
    assert table(copy, "events") == table(demo_db, "events")
    copy.close()


def test_after_a_round_trip_new_contacts_and_events_get_fresh_ids(
    demo_db: Database, tmp_path: Path
):
    copy = open_database(tmp_path / "copy.duckdb")
    apply_import(copy, read_import(export_csv(demo_db), today=TODAY))

    new_contact = copy.execute(
        "INSERT INTO contacts (id, full_name, identified_on) "
        "VALUES (nextval('contacts_id_seq'), 'Next Person', DATE '2026-11-25') RETURNING id"
    ).fetchone()[0]
    new_event = copy.execute(
        "INSERT INTO events (id, contact_id, kind, occurred_on) "
        "VALUES (nextval('events_id_seq'), 1, 'note', DATE '2026-11-25') RETURNING id"
    ).fetchone()[0]

    assert new_contact == 51
    assert new_event == demo_db.scalar("SELECT max(id) FROM events") + 1
    copy.close()


def test_reimporting_an_export_into_its_own_database_changes_nothing(demo_db: Database):
    before = (table(demo_db, "contacts"), table(demo_db, "events"))

    result = apply_import(demo_db, read_import(export_csv(demo_db), today=TODAY))

    assert result.summary() == (
        "0 new contacts, 0 updated, 50 already up to date, 0 skipped, 0 events added"
    )
    assert (table(demo_db, "contacts"), table(demo_db, "events")) == before


def test_neutralised_cells_are_restored_and_links_and_events_kept(db: Database):
    result = import_file(db, FIXTURES / "warmleads_export.csv", today=TODAY)

    assert result.summary() == "3 new contacts, 0 updated, 0 skipped, 3 events added"
    assert table(db, "contacts") == [
        (
            3,
            "Amara Nwosu",
            "Blue Harbor Logistics, Ltd.",
            "Head of Operations",
            "amara@example.org",
            "+44 7700 900123",
            "https://www.linkedin.com/in/amara-nwosu-12ab34",
            '=HYPERLINK("http://evil.example")',
            "association",
            None,
            None,
            date(2026, 9, 1),
            False,
            date(2021, 6, 7),
        ),
        (
            7,
            "@Lukas Bräuer",
            "Stadtwerke Nord",
            "-Manager",
            None,
            None,
            None,
            "'quoted' note",
            "referral",
            3,
            True,
            date(2026, 9, 10),
            False,
            None,
        ),
        (
            9,
            "Sofia Lind",
            None,
            None,
            None,
            None,
            None,
            None,
            "referral",
            7,
            False,
            date(2026, 10, 2),
            True,
            None,
        ),
    ]
    assert table(db, "events") == [
        (20, 3, "contacted", date(2026, 9, 8), "phone", "Delivered the pitch; asked for names."),
        (21, 3, "referral_asked", date(2026, 9, 8), "phone", None),
        (22, 7, "contacted", date(2026, 9, 15), "in_person", "-- agenda: grid plans"),
    ]
    # What was restored on import is neutralised again on export, cell for cell; the export
    # has this version's columns too (the import batch the older file became, among them).
    old = csv_rows((FIXTURES / "warmleads_export.csv").read_bytes())
    new = csv_rows(export_csv(db))
    assert [{k: r[k] for k in old[0]} for r in new if r["record"] in ("contact", "event")] == old
    assert [(r["record"], r["id"], r["file"]) for r in new[6:]] == [
        ("import_batch", "1", "warmleads_export.csv")
    ]


def test_into_a_database_that_holds_those_ids_links_and_events_follow_the_new_ids(
    db: Database,
):
    for name in ("Someone Else", "Another Person"):
        db.execute(
            "INSERT INTO contacts (id, full_name, identified_on) "
            "VALUES (nextval('contacts_id_seq'), ?, DATE '2026-01-01')",
            [name],
        )
    db.execute(
        "INSERT INTO contacts (id, full_name, identified_on) "
        "VALUES (3, 'Holder Of Id Three', DATE '2026-01-01')"
    )
    db.execute("SELECT setval('contacts_id_seq', 3)")

    import_file(db, FIXTURES / "warmleads_export.csv", today=TODAY)

    rows = db.execute(
        "SELECT c.id, c.full_name, r.full_name FROM contacts c "
        "LEFT JOIN contacts r ON r.id = c.referred_by WHERE c.id > 3 ORDER BY c.id"
    ).fetchall()
    # Free ids (7, 9) are kept; the taken one (3) gets the next id after them.
    assert rows == [
        (7, "@Lukas Bräuer", "Amara Nwosu"),
        (9, "Sofia Lind", "@Lukas Bräuer"),
        (10, "Amara Nwosu", None),
    ]
    assert db.execute(
        "SELECT c.full_name, e.kind FROM events e JOIN contacts c ON c.id = e.contact_id "
        "ORDER BY e.id"
    ).fetchall() == [
        ("Amara Nwosu", "contacted"),
        ("Amara Nwosu", "referral_asked"),
        ("@Lukas Bräuer", "contacted"),
    ]


def test_an_event_for_a_contact_not_in_the_file_is_reported():
    text = (
        f"{HEADER}\n"
        "contact,1,Ana Ruiz,,,,,,other,,,2026-11-01,,false,,,,,\n"
        "event,5,,,,,,,,,,,,,2,contacted,2026-11-02,phone,\n"
    )

    parsed = read_import(text.encode(), today=TODAY)

    assert len(parsed.events) == 0
    assert [str(p) for p in parsed.problems] == [
        "row 3: contact_id: 2 is not a contact imported from this file"
    ]


def test_rows_that_break_the_rules_are_reported_with_the_field():
    text = (
        f"{HEADER}\n"
        "contact,1,Ana Ruiz,,,,,,other,,,2026-11-01,,false,,,,,\n"
        "contact,1,Ben Okafor,,,,,,other,,,2026-11-01,,false,,,,,\n"
        "contact,2,Cara Diaz,,,,,,nowhere,,,2026-11-01,,false,,,,,\n"
        "event,5,,,,,,,,,,,,,1,coffee,2026-11-02,phone,\n"
        "event,6,,,,,,,,,,,,,1,contacted,,phone,\n"
        "note,7,,,,,,,,,,,,,1,contacted,2026-11-02,phone,\n"
    )

    parsed = read_import(text.encode(), today=TODAY)

    assert [str(p) for p in parsed.problems] == [
        "row 3: id: 1 is already used by row 2",
        "row 5: kind: 'coffee' is not one of contacted, info_interview, referral_asked, "
        "thank_you, follow_up, opportunity, attempt, note",
        "row 6: occurred_on: is required (a date like 2026-11-25)",
        "row 7: record: 'note' is not one of contact, event, setting, import_batch, "
        "import_fill, merge, not_duplicate, company, company_merge, suggestion",
    ]
    # One bad field never costs the person: Cara is kept with the default source.
    assert [str(p) for p in parsed.warnings] == [
        "row 4: source 'nowhere' left out (is not one of association, chamber, linkedin, "
        "referral, event, other)"
    ]
    assert [(c.fields["full_name"], c.fields["source"]) for c in parsed.contacts] == [
        ("Ana Ruiz", "other"),
        ("Cara Diaz", "other"),
    ]


def test_a_referral_loop_in_the_file_is_dropped_with_a_warning(db: Database):
    text = (
        f"{HEADER}\n"
        "contact,1,Ana Ruiz,,,,,,referral,2,true,2026-11-01,,false,,,,,\n"
        "contact,2,Ben Okafor,,,,,,referral,1,true,2026-11-01,,false,,,,,\n"
    )

    result = apply_import(db, read_import(text.encode(), today=TODAY))

    assert [str(w) for w in result.warnings] == [
        "row 3: referred_by would make a referral loop; link left out"
    ]
    assert db.execute(
        "SELECT id, referred_by, may_use_name FROM contacts ORDER BY id"
    ).fetchall() == [
        (1, 2, True),
        (2, None, None),
    ]


def test_a_referrer_missing_from_the_file_is_left_out_with_a_warning(db: Database):
    load_demo(db, today=TODAY)
    text = f"{HEADER}\ncontact,900,Ana Newperson,,,,,,referral,77,true,2026-11-01,,false,,,,,\n"

    result = apply_import(db, read_import(text.encode(), today=TODAY))

    assert [str(w) for w in result.warnings] == [
        "row 2: referred_by 77 is not imported from this file; link left out"
    ]
    assert db.execute("SELECT referred_by FROM contacts WHERE id = 900").fetchall() == [(None,)]
