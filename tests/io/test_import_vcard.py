"""vCard 2.1, 3.0 and 4.0: escaping, folding, quoted-printable, several cards, broken cards."""

from __future__ import annotations

from pathlib import Path

from lib.io.importing import import_file, read_import
from lib.store.db import Database
from tests.conftest import TODAY

FIXTURES = Path(__file__).parents[1] / "fixtures"
FIELDS = ("full_name", "company", "title", "email", "phone", "linkedin_url", "notes")


def people(db: Database) -> list[tuple]:
    return db.execute(f"SELECT {', '.join(FIELDS)} FROM contacts ORDER BY id").fetchall()


def test_a_vcard_3_unescapes_commas_and_unfolds_lines(db: Database):
    result = import_file(db, FIXTURES / "contacts.vcf", today=TODAY)

    assert result.summary() == "1 new contact, 0 updated, 0 skipped"
    assert people(db) == [
        (
            "Amara Nwosu",
            "Blue Harbor Logistics, Ltd.",
            "Head of Operations",
            "amara@example.org",
            "+44 7700 900123",
            None,
            "Association breakfast, table 4. Suggested I talk to her COO about the planning team.",
        )
    ]


def test_a_vcard_2_1_decodes_quoted_printable_charsets_and_prefers_the_pref_phone(
    db: Database,
):
    result = import_file(db, FIXTURES / "contacts_v21.vcf", today=TODAY)

    assert result.summary() == "2 new contacts, 0 updated, 0 skipped"
    assert people(db) == [
        (
            "Jürgen Müller",
            "Stadtwerke Nord",
            "Head of IT",
            "juergen.mueller@example.de",
            "+49 170 1234567",
            "https://www.linkedin.com/in/juergen-mueller",
            "Met at the Verband meeting.\nSpeaks about grid café projects; very long note "
            "that is soft broken.\nOther phone: +49 40 1234567",
        ),
        ("Ulla Larsen", None, None, None, "+45 12 34 56 78", None, None),
    ]


def test_a_vcard_4_reads_tel_uris_and_social_profiles_and_skips_a_broken_line_not_the_card(
    db: Database,
):
    result = import_file(db, FIXTURES / "contacts_v40.vcf", today=TODAY)

    assert result.summary() == "3 new contacts, 0 updated, 0 skipped"
    assert people(db) == [
        (
            "Chloé Laurent",
            "Solstice Robotics",
            "Directrice, Ingénierie",
            "chloe.laurent@solstice.example",
            "+33 6 12 34 56 78",
            "https://www.linkedin.com/in/chloe-laurent",
            "Introduced by Rosa. Prefers email; replies within a day. A long note that was "
            "folded by the exporting app.",
        ),
        ("Broken Card", None, None, None, None, None, None),
        (
            "Wei Zhang",
            None,
            None,
            "wei.zhang@fjorddata.example",
            None,
            None,
            "Other email: wz@home.example",
        ),
    ]


def test_a_card_cut_short_is_reported_and_the_cards_before_it_import():
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Okafor\r\n"
    )

    parsed = read_import(text.encode(), today=TODAY)

    assert [c.fields["full_name"] for c in parsed.contacts] == ["Ana Ruiz"]
    assert [str(p) for p in parsed.problems] == [
        "card 2: has no END:VCARD (the file may be cut short)"
    ]


def test_a_card_without_fn_takes_its_name_from_n():
    text = "BEGIN:VCARD\nVERSION:3.0\nN:Okafor;Ben;;Dr.;\nEND:VCARD\n"

    (contact,) = read_import(text.encode(), today=TODAY).contacts

    assert contact.fields["full_name"] == "Dr. Ben Okafor"


def test_a_card_with_only_a_company_is_an_organisation_not_a_person():
    text = "BEGIN:VCARD\nVERSION:3.0\nORG:Ghost Corp\nEND:VCARD\n"

    parsed = read_import(text.encode(), today=TODAY)

    assert parsed.contacts == []
    assert [str(p) for p in parsed.problems] == [
        "card 1: an organisation card (Ghost Corp) with no person's name"
    ]


def test_a_card_with_nothing_to_name_it_by_is_skipped():
    text = "BEGIN:VCARD\nVERSION:3.0\nTEL:+1 801 555 0142\nEND:VCARD\n"

    parsed = read_import(text.encode(), today=TODAY)

    assert parsed.contacts == []
    assert [str(p) for p in parsed.problems] == ["card 1: no name, e-mail or LinkedIn URL"]


def test_only_a_linkedin_url_is_kept_and_other_websites_are_ignored():
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Ruiz\nURL:https://ana.example\n"
        "URL;TYPE=linkedin:https://uk.linkedin.com/in/ana-ruiz\nEND:VCARD\n"
    )

    (contact,) = read_import(text.encode(), today=TODAY).contacts

    assert contact.fields["linkedin_url"] == "https://uk.linkedin.com/in/ana-ruiz"


def test_a_google_vcard_url_with_an_escaped_colon_is_the_linkedin_url():
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\n"
        "item1.URL:https\\://www.linkedin.com/in/ana-ruiz\r\nitem1.X-ABLabel:Profile\r\n"
        "END:VCARD\r\n"
    )

    (contact,) = read_import(text.encode(), today=TODAY).contacts

    assert contact.fields["linkedin_url"] == "https://www.linkedin.com/in/ana-ruiz"


def test_a_charset_that_is_no_text_encoding_is_ignored_not_fatal():
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=base64:Ana Ruiz\r\n"
        "TITLE;CHARSET=zlib:VP, Sales\r\nNOTE;CHARSET=idna:caf\xc3\xa9\r\n"
        "ORG;CHARSET=a\x00b:Kestrel\r\nEND:VCARD\r\n"
    )

    (contact,) = read_import(text.encode("latin-1"), today=TODAY).contacts

    assert [contact.fields[k] for k in ("full_name", "title", "notes", "company")] == [
        "Ana Ruiz",
        "VP, Sales",
        "café",
        "Kestrel",
    ]
