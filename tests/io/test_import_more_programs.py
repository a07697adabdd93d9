"""Exports users also bring: Yahoo Mail's CSV, Outlook for Mac's list, vCards from Proton Mail,
Fastmail and Samsung phones (fixtures written after each program's format, see
tests/fixtures/README.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lib.cli import main
from lib.io.importing import read_import, read_import_file

TODAY = date(2026, 11, 27)
FIXTURES = Path(__file__).parents[1] / "fixtures"
KEPT = ("full_name", "company", "title", "email", "phone", "linkedin_url", "notes")


def people(name: str) -> tuple[str, list[dict[str, Any]], list[str], list[str]]:
    parsed = read_import_file(FIXTURES / name, today=TODAY)
    found = [{k: c.fields[k] for k in KEPT if c.fields[k]} for c in parsed.contacts]
    return parsed.format, found, [str(w) for w in parsed.warnings], parsed.notes


def test_yahoo_mail_csv_is_its_own_format_with_every_email_phone_and_comment():
    fmt, found, warnings, notes = people("yahoo_contacts.csv")

    assert fmt == "yahoo"
    assert found == [
        {
            "full_name": "Maya Okonkwo",
            "company": "Brightline Labs",
            "title": "Engineering Manager",
            "email": "maya.okonkwo@yahoo.com",
            "phone": "+1 415-555-0188",
            "linkedin_url": "https://www.linkedin.com/in/maya-okonkwo",
            "notes": "Met at PyCon\nIntro via Sam\nOther email: maya@okonkwo.dev\n"
            "Other phone: +1 415-555-0133",
        },
        {
            "full_name": "Tomás J. Ibáñez",
            "company": "Ibáñez & Hijos",
            "email": "tomas.ibanez@example.com",
        },
        {"full_name": "Dee", "email": "dee@example.net"},
        {"full_name": "no.name@example.org", "email": "no.name@example.org"},
    ]
    assert warnings == ["row 5: no name: named 'no.name@example.org' after the e-mail"]
    assert notes == []


def test_format_yahoo_is_accepted_on_the_command_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = FIXTURES / "yahoo_contacts.csv"

    code = main(["--db", str(db_path), "import", "--format", "yahoo", str(source)])

    out, _ = capsys.readouterr()
    assert code == 0
    assert out == f"Imported {source} (Yahoo Mail contacts): 4 new contacts, 0 updated, 0 skipped\n"


def test_outlook_for_macs_tab_delimited_utf16_list_with_mac_line_ends_is_read():
    fmt, found, warnings, notes = people("outlook_mac.txt")

    assert fmt == "outlook"
    assert [p["full_name"] for p in found] == ["Léa Fontaine", "Kenji Watanabe"]
    assert found[0]["phone"] == "+33 6 11 22 33 44"
    assert found[1]["linkedin_url"] == "https://www.linkedin.com/in/kenji-watanabe-hoshi"
    assert found[1]["notes"] == "Other email: kw@example.jp"
    assert warnings == []
    assert notes == ["the file is not UTF-8; it was read as UTF-16 (check that names look right)"]


def test_a_csv_with_classic_mac_line_ends_reads_the_same_uploaded_as_from_disk():
    data = (FIXTURES / "outlook_mac.txt").read_bytes()

    uploaded = read_import(data, today=TODAY)

    assert [c.fields for c in uploaded.contacts] == [
        c.fields for c in read_import_file(FIXTURES / "outlook_mac.txt", today=TODAY).contacts
    ]
    plain = read_import(b"First Name,Last Name,E-mail Address\rAna,Ruiz,ana@x.com\r", today=TODAY)
    assert [c.fields["full_name"] for c in plain.contacts] == ["Ana Ruiz"]


def test_a_proton_mail_vcard_4_reads_grouped_emails_and_a_nameless_card():
    fmt, found, warnings, _ = people("proton_contacts.vcf")

    assert fmt == "vcard"
    assert found == [
        {
            "full_name": "Amara Nwosu",
            "company": "Kestrel Analytics",
            "title": "Data Lead",
            "email": "amara.nwosu@proton.me",
            "phone": "+44 7700 900123",
            "linkedin_url": "https://www.linkedin.com/in/amara-nwosu",
            "notes": "Met at the London data meetup\nFollow up in Q2\n"
            "Other email: amara@kestrel-analytics.co.uk",
        },
        {"full_name": "jonas@example.de", "email": "jonas@example.de"},
    ]
    assert warnings == []


def test_a_fastmail_vcard_reads_its_social_profile_and_folded_note():
    _, found, warnings, _ = people("fastmail_contacts.vcf")

    assert found == [
        {
            "full_name": "Bea Lindqvist",
            "company": "Nordic Freight AB",
            "title": "Operations Director",
            "email": "bea.lindqvist@nordicfreight.se",
            "phone": "+46 70 123 45 67",
            "linkedin_url": "https://www.linkedin.com/in/bea-lindqvist",
            "notes": "Introduced by Ana Ruiz, spring 2024. Interested in the Gothenburg route.\n"
            "Other email: bea@lindqvist.se",
        }
    ]
    assert warnings == []


def test_a_samsung_phone_vcard_reads_quoted_printable_utf8_and_skips_its_photo():
    _, found, warnings, notes = people("samsung_contacts.vcf")

    assert found == [
        {
            "full_name": "Kinga Żaneta",
            "company": "Spółdzielnia Mleczarska Łódź",
            "title": "Kierownik działu sprzedaży",
            "email": "kinga.zaneta@example.pl",
            "phone": "+48 601 234 567",
            "notes": "Poznałyśmy się na targach w Poznaniu, zadzwonić w środę\n"
            "Other phone: +48 22 123 45 67",
        },
        {"full_name": "Mama", "phone": "+48 602 345 678"},
    ]
    assert warnings == []
    assert notes == []
