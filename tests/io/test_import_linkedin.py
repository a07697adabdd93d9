"""LinkedIn Connections.csv: preambles, Excel re-saves, dates, bad rows, strict mode."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lib.core.errors import ValidationError
from lib.io.importing import ImportRejected, apply_import, import_file, read_import
from lib.io.importing.linkedin import day_first_order, parse_connected_on
from lib.store.db import Database
from tests.conftest import TODAY

FIXTURES = Path(__file__).parents[1] / "fixtures"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def stored(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT full_name, company, title, email, linkedin_url, source, identified_on, "
        "connected_on FROM contacts ORDER BY id"
    ).fetchall()


def test_the_sample_export_imports_every_connection_with_its_connection_date(db: Database):
    result = import_file(db, FIXTURES / "linkedin_connections.csv", today=TODAY)

    assert result.summary() == "3 new contacts, 0 updated, 0 skipped"
    assert stored(db) == [
        (
            "Amara Nwosu",
            "Blue Harbor Logistics, Ltd.",
            "Head of Operations",
            None,
            "https://www.linkedin.com/in/amara-nwosu-12ab34",
            "linkedin",
            TODAY,
            date(2021, 6, 7),
        ),
        (
            "Lukas Bräuer",
            "Stadtwerke Nord",
            'Manager, Grid "Smart" Systems',
            "lukas.b@example.com",
            "https://www.linkedin.com/in/lukas-braeuer",
            "linkedin",
            TODAY,
            date(2024, 11, 15),
        ),
        (
            "Sofia Lind 🌿",
            None,
            None,
            None,
            "https://www.linkedin.com/in/sofia-lind-99",
            "linkedin",
            TODAY,
            date(2020, 2, 2),
        ),
    ]


@pytest.mark.parametrize(
    "preamble",
    [
        "",
        "Notes:\n",
        'Notes:\n"When exporting your connection data, some emails may be missing."\n\n',
        "Notes:,,,,,,\nYour connections, as of today, are listed below.,,,,,,\n,,,,,,\n\n\n",
    ],
    ids=["none", "one line", "linkedin 2023", "excel-padded five lines"],
)
def test_the_header_row_is_found_by_its_content_whatever_comes_before(preamble: str):
    text = f"{preamble}{HEADER}\nAna,Ruiz,,,Kestrel,VP,12 Mar 2023\n"

    parsed = read_import(text.encode(), today=TODAY)

    assert parsed.format == "linkedin"
    assert [(c.row, c.fields["full_name"]) for c in parsed.contacts] == [
        (preamble.count("\n") + 2, "Ana Ruiz")
    ]


def test_an_older_export_without_url_saved_with_a_bom_and_lf_imports(db: Database):
    result = import_file(db, FIXTURES / "linkedin_old_bom.csv", today=TODAY)

    assert result.summary() == "2 new contacts, 0 updated, 0 skipped"
    assert [r[:5] for r in stored(db)] == [
        ("Priya Sharma", "Kestrel Software", "Head of Talent", "priya.sharma@example.in", None),
        ("Jonas Berg", "Fjord Data, AS", "Data Science Lead", None, None),
    ]
    assert [r[7] for r in stored(db)] == [date(2019, 1, 3), date(2018, 2, 28)]


def test_a_european_excel_resave_with_semicolons_and_windows_1252_imports(db: Database):
    parsed = read_import((FIXTURES / "linkedin_excel_semicolon.csv").read_bytes(), today=TODAY)
    result = apply_import(db, parsed)

    assert parsed.notes == [
        "the file is not UTF-8; it was read as Windows-1252 (check that names look right)"
    ]
    assert result.summary() == "2 new contacts, 0 updated, 0 skipped"
    assert [(r[0], r[2], r[7]) for r in stored(db)] == [
        ("Lukas Bräuer", "Leiter Netzbetrieb", date(2024, 11, 15)),
        ("Zoë Dubois", "Directrice RH, Recrutement", date(2021, 3, 2)),
    ]


def test_a_us_excel_resave_reads_month_first_and_abbreviated_dates(db: Database):
    import_file(db, FIXTURES / "linkedin_excel_us.csv", today=TODAY)

    assert [(r[0], r[7]) for r in stored(db)] == [
        ("Maya Cohen", date(2023, 3, 25)),
        ("Ben Okafor", date(2023, 3, 12)),
        ("Elif Yilmaz", date(2023, 7, 4)),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Mar 2023", date(2023, 3, 12)),
        ("2 Feb 2020", date(2020, 2, 2)),
        ("07 June 2021", date(2021, 6, 7)),
        ("12-Mar-23", date(2023, 3, 12)),
        ("12-Sept-2022", date(2022, 9, 12)),
        ("Mar 12, 2023", date(2023, 3, 12)),
        ("2023-03-12", date(2023, 3, 12)),
        ("2023-03-12 00:00:00", date(2023, 3, 12)),
        ("3/12/2023", date(2023, 3, 12)),
        ("3/12/23 0:00", date(2023, 3, 12)),
        ("12.03.2023", date(2023, 3, 12)),
        ("12-03-2023", date(2023, 3, 12)),
        ("45000", date(2023, 3, 15)),
        ("", None),
    ],
)
def test_connected_on_reads_linkedin_and_excel_date_shapes(text: str, expected: date | None):
    assert parse_connected_on(text) == expected


def test_slash_dates_are_day_first_when_the_file_shows_a_day_above_12():
    values = ["3/4/2023", "25/12/2022", "1/2/2021"]

    day_first = day_first_order(values)

    assert day_first is True
    assert parse_connected_on("3/4/2023", day_first=day_first) == date(2023, 4, 3)
    assert day_first_order(["3/4/2023", "12/25/2022"]) is False
    assert day_first_order(["3/4/2023"]) is False  # no evidence: Excel's US default


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31 Feb 2020", "connected_on: '31 Feb 2020' is not a date"),
        ("Smarch 3 2020", "connected_on: 'Smarch 3 2020' is not a date"),
        ("yesterday", "connected_on: 'yesterday' is not a date"),
        ("13/13/2020", "connected_on: '13/13/2020' is not a date"),
    ],
)
def test_an_unreadable_connected_on_names_the_value(text: str, message: str):
    with pytest.raises(ValidationError) as caught:
        parse_connected_on(text)
    assert str(caught.value) == message


def test_a_bad_field_is_left_out_and_named_and_the_person_kept(db: Database):
    result = import_file(db, FIXTURES / "linkedin_bad_rows.csv", today=TODAY)

    assert result.summary() == "6 new contacts, 0 updated, 1 skipped (row 10: same person as row 5)"
    assert [str(w) for w in result.warnings] == [
        "row 6: no name: named 'nobody' after the LinkedIn URL",
        "row 7: LinkedIn URL 'javascript:alert(1)' dropped: not a web address (http or https)",
        "row 8: e-mail 'not-an-email' left out (an email address must have an @-sign)",
        "row 9: connected on date '31 Feb 2020' left out (not a date)",
    ]
    assert [(r[0], r[2], r[4]) for r in stored(db)] == [
        ("Ana Ruiz", "VP Finance", "https://www.linkedin.com/in/ana-ruiz"),
        ("nobody", None, "https://www.linkedin.com/in/nobody"),
        ("Omar Haddad", "Head of Operations", None),
        ("Keiko Tanaka", "Engineer", "https://www.linkedin.com/in/keiko-tanaka"),
        ("Liam Walsh", "Recruiter", "https://www.linkedin.com/in/liam-walsh"),
        ("Nadia Khan", 'Head of People, "EMEA"', "https://www.linkedin.com/in/nadia-khan"),
    ]
    assert db.execute(
        "SELECT email, connected_on FROM contacts WHERE full_name IN ('Keiko Tanaka', "
        "'Liam Walsh') ORDER BY id"
    ).fetchall() == [(None, date(2020, 1, 1)), (None, None)]


def test_strict_rejects_the_whole_file_on_any_bad_row_and_writes_nothing(db: Database):
    with pytest.raises(ImportRejected) as caught:
        import_file(db, FIXTURES / "linkedin_bad_rows.csv", strict=True, today=TODAY)

    assert str(caught.value) == (
        "row 6: no name: named 'nobody' after the LinkedIn URL (and 4 more problems); "
        "with --strict nothing was imported"
    )
    assert db.scalar("SELECT count(*) FROM contacts") == 0


def test_strict_rejects_a_dropped_url_too(db: Database):
    text = f"{HEADER}\nOmar,Haddad,ftp://linkedin.com/in/omar,,Cedar,Head,10 Oct 2022\n"

    with pytest.raises(ImportRejected, match="row 2: LinkedIn URL 'ftp://linkedin.com/in/omar'"):
        apply_import(db, read_import(text.encode(), today=TODAY), strict=True)
    assert db.scalar("SELECT count(*) FROM contacts") == 0


def test_a_connection_date_after_the_import_day_is_left_out_and_the_person_kept():
    text = f"{HEADER}\nAna,Ruiz,,,Kestrel,VP,26 Nov 2026\n"

    parsed = read_import(text.encode(), today=TODAY)

    assert parsed.problems == []
    assert [str(p) for p in parsed.warnings] == [
        "row 2: connected on date '2026-11-26' left out "
        "(is in the future (today is Wed 25 Nov 2026))"
    ]
    assert [(c.fields["full_name"], c.fields["connected_on"]) for c in parsed.contacts] == [
        ("Ana Ruiz", None)
    ]


def test_columns_are_found_by_name_in_any_order():
    text = (
        "Connected On,Position,Company,Email Address,URL,Last Name,First Name\n"
        "12 Mar 2023,VP,Kestrel,ana@example.com,https://www.linkedin.com/in/ana,Ruiz,Ana\n"
    )

    (contact,) = read_import(text.encode(), today=TODAY).contacts

    assert {k: contact.fields[k] for k in ("full_name", "company", "title", "email")} == {
        "full_name": "Ana Ruiz",
        "company": "Kestrel",
        "title": "VP",
        "email": "ana@example.com",
    }
