"""Meeting the database: re-imports add nothing, the match order, filling blanks, choosing
targets, dry runs, one transaction, and telling formats apart."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from lib.core.errors import ValidationError
from lib.io.importing import (
    MAX_IMPORT_BYTES,
    apply_import,
    choose_targets,
    import_file,
    plan_import,
    read_import,
)
from lib.io.importing import model as model_module
from lib.io.importing import write as write_module
from lib.records.contacts import add_contact, get_contact
from lib.store.db import Database
from tests.conftest import TODAY

FIXTURES = Path(__file__).parents[1] / "fixtures"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
IMPORTABLE = [
    "linkedin_connections.csv",
    "linkedin_old_bom.csv",
    "linkedin_excel_semicolon.csv",
    "linkedin_excel_us.csv",
    "linkedin_bad_rows.csv",
    "google_contacts.csv",
    "google_contacts_legacy.csv",
    "contacts.vcf",
    "contacts_v21.vcf",
    "contacts_v40.vcf",
    "warmleads_export.csv",
]


def linkedin(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def count(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM contacts"))


@pytest.mark.parametrize("name", IMPORTABLE)
def test_importing_the_same_file_twice_adds_nobody_the_second_time(db: Database, name: str):
    first = import_file(db, FIXTURES / name, today=TODAY)
    contacts = db.execute("SELECT * EXCLUDE (created_at) FROM contacts ORDER BY id").fetchall()
    events = db.execute("SELECT * EXCLUDE (created_at) FROM events ORDER BY id").fetchall()

    second = import_file(db, FIXTURES / name, today=TODAY)

    assert first.new > 0
    assert (second.new, second.updated, second.events_added) == (0, 0, 0)
    assert second.unchanged == first.new
    assert db.execute("SELECT * EXCLUDE (created_at) FROM contacts ORDER BY id").fetchall() == (
        contacts
    )
    assert db.execute("SELECT * EXCLUDE (created_at) FROM events ORDER BY id").fetchall() == (
        events
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("linkedin_connections.csv", "linkedin"),
        ("linkedin_excel_semicolon.csv", "linkedin"),
        ("linkedin_old_bom.csv", "linkedin"),
        ("google_contacts.csv", "google"),
        ("google_contacts_legacy.csv", "google"),
        ("contacts.vcf", "vcard"),
        ("contacts_v21.vcf", "vcard"),
        ("contacts_v40.vcf", "vcard"),
        ("warmleads_export.csv", "csv"),
    ],
)
def test_the_format_is_detected_from_the_content(name: str, expected: str):
    assert read_import((FIXTURES / name).read_bytes(), today=TODAY).format == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file: is empty"),
        (b"   \r\n\r\n", "file: is empty"),
        (
            b"name,phone\nAna,123\n",
            "file: is not a format Warm Leads knows: expected LinkedIn's Connections.csv, a "
            "Google Contacts CSV, an Outlook CSV, a Thunderbird address book CSV, a Yahoo Mail "
            "CSV, a vCard (.vcf) or a Warm Leads CSV export",
        ),
        (b"PK\x03\x04\x00\x00binary", "file: is binary, not a text export"),
    ],
)
def test_a_file_of_no_known_format_is_refused_with_a_reason(data: bytes, message: str):
    with pytest.raises(ValidationError) as caught:
        read_import(data, today=TODAY)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("linkedin", "file: has no LinkedIn header row (First Name, Last Name, … Connected On)"),
        ("google", "file: has no Google Contacts header row (First Name… or Name, Given Name…)"),
        ("csv", "file: has no Warm Leads header row (record, id, full_name, …)"),
        (
            "pdf",
            "format: 'pdf' is not one of linkedin, google, outlook, thunderbird, yahoo, vcard, csv",
        ),
    ],
)
def test_a_format_that_does_not_fit_the_file_is_refused(fmt: str, message: str):
    with pytest.raises(ValidationError) as caught:
        read_import((FIXTURES / "contacts.vcf").read_bytes(), format=fmt, today=TODAY)
    assert str(caught.value) == message


def test_a_vcard_forced_on_a_csv_finds_no_card():
    with pytest.raises(ValidationError, match=r"^file: has no vCard in it"):
        read_import(linkedin("Ana,Ruiz,,,,,"), format="vcard", today=TODAY)


def test_utf16_text_with_a_bom_is_read():
    data = codecs.BOM_UTF16_LE + linkedin("Zoë,Dubois,,,Meridian,RH,02 Mar 2021").decode().encode(
        "utf-16-le"
    )

    parsed = read_import(data, today=TODAY)

    assert [c.fields["full_name"] for c in parsed.contacts] == ["Zoë Dubois"]
    assert parsed.notes == [
        "the file is not UTF-8; it was read as UTF-16 (check that names look right)"
    ]


@pytest.mark.parametrize(
    ("codec", "label"),
    [
        ("utf-16-le", "UTF-16 (little-endian, no byte-order mark)"),
        ("utf-16-be", "UTF-16 (big-endian, no byte-order mark)"),
    ],
)
def test_utf16_text_without_a_bom_is_read_not_refused_as_binary(codec: str, label: str):
    csv_data = linkedin("Zoë,Dubois,,,Meridian,RH,02 Mar 2021").decode().encode(codec)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ζεύς Παππάς\r\nEND:VCARD\r\n".encode(codec)

    from_csv = read_import(csv_data, today=TODAY)
    from_card = read_import(card, today=TODAY)

    assert [c.fields["full_name"] for c in from_csv.contacts] == ["Zoë Dubois"]
    assert [c.fields["full_name"] for c in from_card.contacts] == ["Ζεύς Παππάς"]
    note = f"the file is not UTF-8; it was read as {label} (check that names look right)"
    assert from_csv.notes == from_card.notes == [note]


@pytest.mark.parametrize(
    ("data", "names", "note"),
    [
        (linkedin("Zoë,Dubois,,,Meridian,RH,02 Mar 2021"), ["Zoë Dubois"], None),
        (
            codecs.BOM_UTF8 + linkedin("Zoë,Dubois,,,Meridian,RH,02 Mar 2021"),
            ["Zoë Dubois"],
            None,
        ),
        (
            linkedin("Zoë,Dubois,,,Meridian,RH,02 Mar 2021").decode().encode("utf-16-le"),
            ["Zoë Dubois"],
            "the file is not UTF-8; it was read as UTF-16 (little-endian, no byte-order mark) "
            "(check that names look right)",
        ),
        (
            linkedin("Zoë,Dubois,,,Meridian,RH,02 Mar 2021").decode().encode("cp1252"),
            ["Zoë Dubois"],
            "the file is not UTF-8; it was read as Windows-1252 (check that names look right)",
        ),
    ],
    ids=["utf-8", "utf-8 with a BOM", "utf-16 without a BOM", "windows-1252"],
)
def test_a_file_on_the_disk_is_read_a_line_at_a_time_in_its_encoding(
    db: Database, tmp_path: Path, data: bytes, names: list[str], note: str | None
):
    source = tmp_path / "Connections.csv"
    source.write_bytes(data)

    result = import_file(db, source, today=TODAY)

    assert db.df("SELECT full_name FROM contacts")["full_name"].tolist() == names
    assert result.notes == ([note] if note else [])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file: is empty"),
        (b"   \r\n\r\n", "file: is empty"),
        (b"PK\x03\x04\x00\x00binary", "file: is binary, not a text export"),
        # Past the part read to recognise the file: found as the reader reaches it.
        (
            linkedin(*[f"Ana{i},Ruiz,,,Acme,CTO," for i in range(2_000)]) + b"Bo,\x00,,,,,\n",
            "file: is binary, not a text export",
        ),
    ],
    ids=["empty", "blank lines", "binary", "a NUL past the start"],
)
def test_a_bad_file_on_the_disk_is_refused_and_nothing_is_written(
    db: Database, tmp_path: Path, data: bytes, message: str
):
    source = tmp_path / "Connections.csv"
    source.write_bytes(data)

    with pytest.raises(ValidationError) as caught:
        import_file(db, source, today=TODAY)

    assert str(caught.value) == message
    assert count(db) == 0
    assert db.scalar("SELECT count(*) FROM import_batches") == 0


def test_the_import_limit_takes_any_export_and_refuses_a_larger_file_unread(
    db: Database, tmp_path: Path
):
    assert MAX_IMPORT_BYTES == 1024**3  # the README's 1 GB; an export of 100k/1M is ~105 MB
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:  # sparse: nothing is written to the disk
        out.truncate(MAX_IMPORT_BYTES + 1)

    with pytest.raises(ValidationError) as caught:
        import_file(db, huge, today=TODAY)

    assert str(caught.value) == "file: is 1,024.0 MB; an import may be at most 1,024 MB (1 GB)"


def test_a_match_on_linkedin_url_comes_before_email_and_name(db: Database):
    by_url = add_contact(
        db, {"full_name": "A. Ruiz", "linkedin_url": "http://linkedin.com/in/Ana-Ruiz/"}
    )
    add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel", "email": "ana@example.com"})

    plan = plan_import(
        db,
        read_import(
            linkedin(
                "Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz?trk=x,ana@example.com,Kestrel,VP,"
            )
        ),
    )

    assert plan.rows[["action", "contact_id", "matched_on"]].to_dict("records") == [
        {"action": "update", "contact_id": by_url, "matched_on": "LinkedIn URL"}
    ]


def test_then_email_then_name_and_company(db: Database):
    by_email = add_contact(db, {"full_name": "Benjamin Okafor", "email": "BEN@Example.com"})
    by_name = add_contact(db, {"full_name": "Cara  Diaz", "company": "atlas freight"})
    add_contact(db, {"full_name": "Dev Rao", "company": "Kestrel"})

    plan = plan_import(
        db,
        read_import(
            linkedin(
                "Ben,Okafor,,ben@example.com,Atlas Freight,Director,",
                "Cara,Diaz,,,Atlas Freight,Recruiter,",
                "Dev,Rao,,,Fjord Data,Engineer,",
            )
        ),
    )

    assert plan.rows[["row", "action", "contact_id", "matched_on"]].to_dict("records") == [
        {"row": 2, "action": "update", "contact_id": by_email, "matched_on": "email"},
        {"row": 3, "action": "update", "contact_id": by_name, "matched_on": "name and company"},
        {"row": 4, "action": "new", "contact_id": None, "matched_on": None},
    ]


def test_a_known_contact_only_gets_its_blank_fields_filled(db: Database):
    known = add_contact(
        db,
        {
            "full_name": "Ana Ruiz",
            "company": "Kestrel",
            "title": "Head of Finance",
            "notes": "Met at the breakfast",
            "source": "association",
        },
        today=TODAY,
    )

    result = apply_import(
        db,
        read_import(
            linkedin(
                "Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz,ana@example.com,Kestrel,VP,"
                "12 Mar 2023"
            ),
            today=TODAY,
        ),
    )

    assert result.summary() == "0 new contacts, 1 updated, 0 skipped"
    contact = get_contact(db, known)
    assert {k: contact[k] for k in ("title", "notes", "source", "email", "linkedin_url")} == {
        "title": "Head of Finance",
        "notes": "Met at the breakfast",
        "source": "association",
        "email": "ana@example.com",
        "linkedin_url": "https://www.linkedin.com/in/ana-ruiz",
    }
    assert str(contact["connected_on"])[:10] == "2023-03-12"


def test_the_same_person_twice_in_a_file_is_added_once_with_both_rows_details(db: Database):
    result = apply_import(
        db,
        read_import(
            linkedin(
                "Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz,,Kestrel,VP,12 Mar 2023",
                "Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz/,ana@example.com,Kestrel,VP,",
            ),
            today=TODAY,
        ),
    )

    assert result.summary() == "1 new contact, 0 updated, 1 skipped (row 3: same person as row 2)"
    assert db.execute("SELECT full_name, email FROM contacts").fetchall() == [
        ("Ana Ruiz", "ana@example.com")
    ]


def test_the_preview_says_what_the_import_will_do_without_writing(db: Database):
    add_contact(db, {"full_name": "Amara Nwosu", "company": "Blue Harbor Logistics, Ltd."})
    parsed = read_import((FIXTURES / "linkedin_connections.csv").read_bytes(), today=TODAY)

    plan = plan_import(db, parsed)

    assert [plan.count(a) for a in ("new", "update", "unchanged")] == [2, 1, 0]
    assert plan.rows.loc[0, "fills"] == "title, linkedin_url, connected_on"
    assert count(db) == 1


def test_choose_targets_filters_new_people_by_company_and_position_words(db: Database):
    rows = plan_import(
        db,
        read_import(
            linkedin(
                "Ana,Ruiz,,,Kestrel Software,Senior Recruiter,",
                "Ben,Okafor,,,Atlas Freight,Director of Supply Chain,",
                "Cara,Diaz,,,Atlas Freight,Head of Talent,",
                "Dev,Rao,,,Kestrel Software,Engineer,",
                "Eli,Berg,,,,,",
            ),
            today=TODAY,
        ),
    ).rows

    def names(**filters) -> list[str]:
        return rows.loc[choose_targets(rows, **filters), "full_name"].tolist()

    assert names() == ["Ana Ruiz", "Ben Okafor", "Cara Diaz", "Dev Rao", "Eli Berg"]
    assert names(companies=["atlas freight "]) == ["Ben Okafor", "Cara Diaz"]
    assert names(position_words=["recruiter", "HEAD OF"]) == ["Ana Ruiz", "Cara Diaz"]
    assert names(companies=["Atlas Freight"], position_words=["Director"]) == ["Ben Okafor"]
    assert names(position_words=["  "]) == names()


def test_only_the_chosen_new_people_are_added(db: Database):
    parsed = read_import((FIXTURES / "linkedin_connections.csv").read_bytes(), today=TODAY)

    result = apply_import(db, parsed, chosen=[6])

    assert result.summary() == "1 new contact, 0 updated, 2 not chosen, 0 skipped"
    assert db.execute("SELECT full_name FROM contacts").fetchall() == [("Lukas Bräuer",)]


def test_a_dry_run_counts_everything_and_writes_nothing(db: Database):
    result = import_file(db, FIXTURES / "linkedin_bad_rows.csv", dry_run=True, today=TODAY)

    assert result.dry_run is True
    assert result.summary() == "6 new contacts, 0 updated, 1 skipped (row 10: same person as row 5)"
    assert count(db) == 0


def test_a_failure_while_writing_leaves_nothing_behind(
    db: Database, monkeypatch: pytest.MonkeyPatch
):
    add_contact(db, {"full_name": "Amara Nwosu", "company": "Blue Harbor Logistics, Ltd."})
    before = db.execute("SELECT * FROM contacts").fetchall()

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(write_module, "_fill_blanks", broken)
    parsed = read_import((FIXTURES / "linkedin_connections.csv").read_bytes(), today=TODAY)
    with pytest.raises(RuntimeError, match="disk full"):
        apply_import(db, parsed)

    assert db.execute("SELECT * FROM contacts").fetchall() == before


def test_every_imported_value_passes_the_one_validation_layer():
    long_title = "x" * 301

    parsed = read_import(linkedin(f"Ana,Ruiz,,,Kestrel,{long_title},"), today=TODAY)

    assert parsed.problems == []
    assert [str(p) for p in parsed.warnings] == [
        f"row 2: title '{long_title[:57]}…' left out (is too long (301 characters; at most 300))"
    ]
    assert parsed.contacts[0].fields["title"] is None


def test_a_missing_file_is_named(tmp_path: Path, db: Database):
    with pytest.raises(ValidationError) as caught:
        import_file(db, tmp_path / "Connections.csv")
    assert str(caught.value) == f"file: {tmp_path / 'Connections.csv'} does not exist"


def test_ten_thousand_connections_import_once_and_never_twice(db: Database):
    rows = [
        f"First{i},Last{i},https://www.linkedin.com/in/person-{i},"
        f"{f'p{i}@example.com' if i % 3 else ''},Company {i % 97},Title {i % 13},"
        f"{1 + i % 28:02d} Mar 2023"
        for i in range(10_000)
    ]
    data = b'Notes:\n"Preamble"\n\n' + linkedin(*rows)

    first = apply_import(db, read_import(data, today=TODAY))
    second = apply_import(db, read_import(data, today=TODAY))

    assert first.summary() == "10,000 new contacts, 0 updated, 0 skipped"
    assert second.summary() == "0 new contacts, 0 updated, 10,000 already up to date, 0 skipped"
    assert count(db) == 10_000
    assert db.scalar("SELECT count(DISTINCT linkedin_url) FROM contacts") == 10_000


def test_a_file_written_in_small_batches_counts_and_fills_as_in_one_pass(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(model_module, "BATCH_PEOPLE", 2)
    source = tmp_path / "Connections.csv"
    source.write_bytes(
        linkedin(
            "Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz,,Kestrel,VP,07 Jun 2021",
            "Ben,Okafor,,,Atlas,Engineer,01 Jan 2020",
            "Cara,Diaz,,,Fjord,Recruiter,02 Feb 2022",
            "Dev,Patel,,,Lumen,Analyst,03 Mar 2023",
            "Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz/,ana@example.com,Kestrel,VP,",
        )
    )

    result = import_file(db, source, today=TODAY)

    assert result.summary() == "4 new contacts, 0 updated, 1 skipped (row 6: same person as row 2)"
    assert db.execute("SELECT full_name, email FROM contacts ORDER BY id").fetchall() == [
        ("Ana Ruiz", "ana@example.com"),  # filled by the repeat in a later batch
        ("Ben Okafor", None),
        ("Cara Diaz", None),
        ("Dev Patel", None),
    ]


def test_a_failure_in_a_later_batch_leaves_nothing_behind(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(model_module, "BATCH_PEOPLE", 1)
    calls = []
    original = write_module._insert_contacts

    def fails_second_time(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(write_module, "_insert_contacts", fails_second_time)
    source = tmp_path / "Connections.csv"
    source.write_bytes(linkedin("Ana,Ruiz,,,Kestrel,VP,", "Ben,Okafor,,,Atlas,Engineer,"))

    with pytest.raises(RuntimeError, match="disk full"):
        import_file(db, source, today=TODAY)

    assert count(db) == 0
