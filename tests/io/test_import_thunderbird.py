"""Thunderbird's address-book CSV is its own format: Display Name, both e-mails, Organization."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lib.cli import main
from lib.io.importing import ImportRejected, apply_import, read_import, read_import_file
from lib.store.db import Database
from tests.support import realworld_file

TODAY = date(2026, 11, 27)
FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_the_display_name_both_emails_phones_organization_and_multi_line_notes_are_read():
    parsed = read_import_file(FIXTURES / "thunderbird_addressbook.csv", today=TODAY)

    assert parsed.format == "thunderbird"
    ana, ben, nameless = (c.fields for c in parsed.contacts)
    assert ana["full_name"] == "Ana Ruiz (Atlas)"  # the Display Name, not First + Last
    assert ana["email"] == "ana.ruiz@atlas-freight.com"
    assert ana["phone"] == "+1 801-555-0100"  # the mobile first; the fax is not kept
    assert ana["company"] == "Atlas Freight"
    assert ana["title"] == "Head of Operations"
    assert ana["linkedin_url"] == "https://www.linkedin.com/in/ana-ruiz-ops"
    assert ana["notes"] == (
        "Met at the fair.\nAsk about the Denver role.\n"
        "Other email: ana@ruiz.net\nOther phone: +1 801-555-0142"
    )
    assert ben["full_name"] == "Ben Okafor"  # no Display Name: First + Last
    assert ben["company"] == "Nordlicht GmbH"
    assert nameless["full_name"] == "only.mail@example.com"
    assert [str(w) for w in parsed.warnings] == [
        "row 4: no name: named 'only.mail@example.com' after the e-mail"
    ]


def test_a_german_thunderbird_export_in_windows_1252_is_read_and_says_how():
    parsed = read_import_file(FIXTURES / "thunderbird_addressbook_de.csv", today=TODAY)

    assert parsed.format == "thunderbird"
    [joerg] = [c.fields for c in parsed.contacts]
    assert (joerg["full_name"], joerg["company"], joerg["title"]) == (
        "Jörg Müller",
        "Bäckerei Groß KG",
        "Einkaufsleiter",
    )
    assert (joerg["email"], joerg["phone"], joerg["notes"]) == (
        "joerg.mueller@example.de",
        "+49 30 1234567",
        "Kennt Frau Weiß",
    )
    assert parsed.notes == [
        "the file is not UTF-8; it was read as Windows-1252 (check that names look right)"
    ]


def test_a_french_header_is_recognised():
    header = (
        "Prénom,Nom de famille,Nom à afficher,Surnom,Adresse électronique principale,"
        "Adresse électronique secondaire,Tél. professionnel,Portable,Profession,Société,Notes,\r\n"
    )
    row = "Claire,Dubois,,,claire@example.fr,,,+33 6 12 34 56 78,Juriste,Veltra,,\r\n"

    parsed = read_import((header + row).encode("utf-8"), today=TODAY)

    assert parsed.format == "thunderbird"
    assert parsed.contacts[0].fields["full_name"] == "Claire Dubois"
    assert parsed.contacts[0].fields["company"] == "Veltra"
    assert parsed.contacts[0].fields["phone"] == "+33 6 12 34 56 78"


def test_the_real_export_keeps_both_emails_and_the_organization(db: Database):
    parsed = read_import_file(realworld_file("thunderbird/roundcube_tb_plain.csv"), today=TODAY)

    [person] = [c.fields for c in parsed.contacts]
    assert (person["full_name"], person["email"], person["company"], person["title"]) == (
        "Displayname",
        "test@domain.tld",
        "Organization",
        "title",
    )
    assert person["notes"] == "Other email: next@domain.tld"
    # The phones in that test file are words: each is named, none is dropped silently.
    assert [str(w) for w in parsed.warnings] == [
        "row 2: phone 'mobile' left out (is not a phone number)",
        "row 2: phone 'phone work' left out (is not a phone number)",
        "row 2: phone 'phone home' left out (is not a phone number)",
    ]
    with pytest.raises(ImportRejected):
        apply_import(db, parsed, strict=True)
    assert db.scalar("SELECT count(*) FROM contacts") == 0


def test_format_thunderbird_is_accepted_on_the_command_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = FIXTURES / "thunderbird_addressbook.csv"

    code = main(["--db", str(db_path), "import", "--format", "thunderbird", str(source)])

    out, _ = capsys.readouterr()
    assert code == 0
    assert out == (
        f"Imported {source} (Thunderbird address book): 3 new contacts, 0 updated, 0 skipped\n"
    )


def test_an_address_in_a_custom_column_is_kept_as_another_email():
    header = "First Name,Last Name,Display Name,Primary Email,Custom 1,Notes,\r\n"
    row = "Ana,Ruiz,,ana@kestrel.com,ana.ruiz@gmail.com,,\r\n"

    parsed = read_import((header + row).encode(), today=TODAY)

    assert parsed.contacts[0].fields["notes"] == "Other email: ana.ruiz@gmail.com"
