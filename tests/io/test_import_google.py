"""Google Contacts CSV: current and legacy headers, multi-values, primary marks, notes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lib.io.importing import import_file, read_import
from lib.store.db import Database
from tests.conftest import TODAY

FIXTURES = Path(__file__).parents[1] / "fixtures"
FIELDS = ("full_name", "company", "title", "email", "phone", "linkedin_url", "notes", "source")


def people(db: Database) -> list[tuple]:
    return db.execute(f"SELECT {', '.join(FIELDS)} FROM contacts ORDER BY id").fetchall()


def test_the_current_header_imports_names_organisations_and_multi_line_notes(db: Database):
    result = import_file(db, FIXTURES / "google_contacts.csv", today=TODAY)

    assert result.summary() == "2 new contacts, 0 updated, 0 skipped"
    assert people(db) == [
        (
            "Tomás Ferreira",
            "Aurora Health",
            "Recruiter",
            "tomas.ferreira@example.com",
            "+351 912 345 678",
            None,
            "Met at the Chamber mixer.\nLikes early calls.",
            "other",
        ),
        (
            "Grace Kim",
            None,
            None,
            "grace.kim@example.net",
            None,
            None,
            "Other email: gk@work.example",
            "other",
        ),
    ]


def test_the_legacy_header_imports_and_a_linkedin_website_becomes_the_linkedin_url(
    db: Database,
):
    result = import_file(db, FIXTURES / "google_contacts_legacy.csv", today=TODAY)

    assert (
        result.summary()
        == "2 new contacts, 0 updated, 1 skipped (row 4: no name, e-mail or LinkedIn URL)"
    )
    assert people(db) == [
        (
            "Rosa Moreno",
            "Meridian Foods",
            "Plant Manager",
            "rosa.moreno@meridianfoods.example",
            "+1 555-0142",
            "https://www.linkedin.com/in/rosa-moreno",
            "Chamber of Commerce mixer, March.\nKnows the COO at Meridian.\n"
            "Other email: rosa@home.example\nOther phone: +1 555-0143",
            "other",
        ),
        (
            "Samir Nasser",
            "Tidewater Ports Authority",
            None,
            "samir@example.org",
            None,
            None,
            None,
            "other",
        ),
    ]


def _google_csv(header: list[str], *rows: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buffer.getvalue().encode()


def test_columns_are_mapped_by_name_so_a_reordered_export_reads_the_same():
    header = [
        "E-mail 1 - Value",
        "Organization Title",
        "Last Name",
        "Website 1 - Value",
        "First Name",
        "Organization Name",
        "Notes",
    ]
    data = _google_csv(
        header,
        {
            "First Name": "Ana",
            "Last Name": "Ruiz",
            "Organization Name": "Kestrel",
            "Organization Title": "VP",
            "E-mail 1 - Value": "ana@example.com",
            "Website 1 - Value": "https://kestrel.example ::: https://linkedin.com/in/ana-ruiz",
        },
    )

    (contact,) = read_import(data, today=TODAY).contacts

    assert [contact.fields[f] for f in FIELDS[:6]] == [
        "Ana Ruiz",
        "Kestrel",
        "VP",
        "ana@example.com",
        None,
        "https://linkedin.com/in/ana-ruiz",
    ]


def test_the_email_google_marks_primary_comes_first_even_in_a_later_column():
    header = [
        "First Name",
        "Last Name",
        "Organization Name",
        "E-mail 1 - Label",
        "E-mail 1 - Value",
        "E-mail 2 - Label",
        "E-mail 2 - Value",
    ]
    data = _google_csv(
        header,
        {
            "First Name": "Ana",
            "E-mail 1 - Label": "Home",
            "E-mail 1 - Value": "ana@home.example",
            "E-mail 2 - Label": "* Work",
            "E-mail 2 - Value": "ana@work.example",
        },
    )

    (contact,) = read_import(data, today=TODAY).contacts

    assert contact.fields["email"] == "ana@work.example"
    assert contact.fields["notes"] == "Other email: ana@home.example"


def test_a_contact_with_only_a_nickname_uses_it_as_the_name():
    header = ["First Name", "Last Name", "Nickname", "Organization Name", "E-mail 1 - Value"]
    data = _google_csv(header, {"Nickname": "Gee", "E-mail 1 - Value": "gee@example.com"})

    (contact,) = read_import(data, today=TODAY).contacts

    assert contact.fields["full_name"] == "Gee"


def test_a_javascript_website_is_never_taken_as_the_linkedin_url():
    header = ["First Name", "Organization Name", "Website 1 - Value"]
    data = _google_csv(
        header, {"First Name": "Eve", "Website 1 - Value": "javascript://linkedin.com/in/x"}
    )

    parsed = read_import(data, today=TODAY)

    assert parsed.contacts[0].fields["linkedin_url"] is None
    assert [str(w) for w in parsed.warnings] == [
        "row 2: LinkedIn URL 'javascript://linkedin.com/in/x' dropped: "
        "not a web address (http or https)"
    ]
