"""Every file in shared/realworld-contacts imports every person it holds, auto-detected.

The 87 files were written by other projects (SOURCES.md there says where each came from);
they are read from that folder, never copied here. The names below were checked by hand
against each file: the name an address book shows (FN as written, commas kept, the right
script), not a mangled or cut one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lib.cli import main
from lib.io.importing import apply_import, read_import, read_import_file
from lib.store.db import Database
from tests.support import REALWORLD

TODAY = date(2026, 11, 27)
CORPUS = REALWORLD

MORE = "…"  # between the first and last names of a long file

# file: (detected format, people kept, their names, what was left out and why)
EXPECTED: dict[str, tuple[str, int, list[str], list[str]]] = {
    "google/constellation_google_contacts.csv": ("google", 2, ["Jerry Mathis", "Zoë, Smith"], []),
    "google/gmail-to-google-contacts_google_contacts.csv": (
        "google",
        3,
        ["Richard Feynman", "iforgotthisguysnamebutihavehisemail@gmail.com", "Elon Musk"],
        [],
    ),
    "google/helix-crm_google-contacts.csv": (
        "google",
        44,
        ["Sarah Mitchell", "James Whitfield", "Amy Brewer", MORE, "Julie Foster", "Rachel Johnson"],
        [],
    ),
    "google/lexnetwork_google-contacts.csv": (
        "google",
        3,
        ["Jane Doe", "Bob Smith", "Chloé Van Damme, Jr."],
        [],
    ),
    "google/rolomind_google.csv": (
        "google",
        4,
        ["John Doe", "Jane Smith", "Bob Wilson", "Alice Brown"],
        [],
    ),
    # Gmail's legacy "Google CSV": the Name column already holds prefix and suffix.
    "google/roundcube_gmail.csv": (
        "google",
        1,
        ["Prefix Firstname Middle Lastname Suffix"],
        [],
    ),
    "google/smart-contact-importer_google-contacts.csv": (
        "google",
        8,
        [
            "Ada Okafor",
            "Bea Lindqvist",
            "Cyrus Abara",
            "Dara Cho",
            "Elias Bellini",
            "Farrah Dumas",
            "Gus Eriksen",
            "Hana Takahashi",
        ],
        [],
    ),  # fmt: skip
    "linkedin/Linkedin-Connections_sample_connections.csv": (
        "linkedin",
        150,
        ["Alex Chen", "Priya Sharma", "James Wilson", MORE, "Sunita Rao", "Alex Rivera"],
        [],
    ),
    "linkedin/beetagged_linkedin_old-header.csv": (
        "linkedin",
        3,
        ["John Doe", "Jane Smith", "Bob Johnson"],
        [],
    ),
    "linkedin/constellation_linkedin_connections.csv": (
        "linkedin",
        2,
        ["Jerry Mathis", "Alex Johnson"],
        [],
    ),
    "linkedin/get-hired-pipeline_connections.csv": (
        "linkedin",
        8,
        [
            "Ada Okafor",
            "Ben Hughes",
            "Chidi Evans",
            "Dana Price",
            "Efe Stone",
            "Femi Clarke",
            "Gwen Marsh",
            "Hari Lowe",
        ],
        [],
    ),  # fmt: skip
    "linkedin/job-swarm_linkedin_connections.csv": (
        "linkedin",
        3,
        ["Jamie Example", "Alex Sample", "Taylor Demo"],
        [],
    ),
    "linkedin/joineffall2026_connections.csv": (
        "linkedin",
        4,
        ["Neha Mittal", "Alexandre Berkovic", "Bodine Stubbé", "Restricted Profile"],
        [],
    ),
    "linkedin/lexnetwork_linkedin_Connections.csv": (
        "linkedin",
        4,
        ["Ana Silva", "Marc Dubois", "Noah Okonkwo", "Kenji Watanabe"],
        [],
    ),
    "linkedin/linkedin-connections-toolkit_sample_connections.csv": (
        "linkedin",
        7,
        [
            "Ada Lovelace",
            "Grace Hopper",
            "Alan Turing",
            "Katherine Johnson",
            "Linus Torvalds",
            "Margaret Hamilton",
            "Tim Berners-Lee",
        ],
        [],
    ),  # fmt: skip
    "linkedin/linkedin-network-intelligence_Connections.csv": (
        "linkedin",
        10,
        [
            "Alice Johnson",
            "Bob Williams",
            "Carol Davis",
            "David Brown",
            "Eve Wilson",
            "Frank Miller",
            "Grace Lee",
            "Henry Taylor",
            "Ivy Martinez",
            "Jack Anderson",
        ],
        [],
    ),  # fmt: skip
    "linkedin/mba-mcp_connections.csv": (
        "linkedin",
        5,
        ["Priya Raman", "Tom Okafor", "Dana Whitfield", "Alex Nkemdirim", "ghost"],
        [],
    ),
    "linkedin/myNETWORK_sample-connections.csv": (
        "linkedin",
        5,
        ["Alex Rivera", "Jordan Kim", "Priya Nair", "Marcus Chen", "Sofia Andrade"],
        [],
    ),
    "linkedin/network-jobs_Connections.csv": (
        "linkedin",
        10,
        [
            "Ada Lovelace",
            "Jane Doe",
            "John Smith",
            "Alice Chen",
            "Bob Lee",
            "Carol Nguyen",
            "Dan Park",
            "Eve Kim",
            "Frank Wu",
            "Grace Zhao",
        ],
        [],
    ),  # fmt: skip
    "linkedin/people-sync_linkedin_connections.csv": (
        "linkedin",
        2,
        ["Test Person", "Jane Sample"],
        ["row 7: no name, e-mail or LinkedIn URL"],  # a row with only a date
    ),
    "linkedin/rolomind_linkedin.csv": (
        "linkedin",
        5,
        ["John Doe", "Jane Smith", "Bob Wilson", "Alice Brown", "Charlie Davis"],
        [],
    ),
    "linkedin/six-hops_Connections.csv": (
        "linkedin",
        4,
        ["Priya Sharma", "Rahul Iyer", "Priya Sharma", "Anita Rao"],
        ["row 9: no name, e-mail or LinkedIn URL"],  # a row with only a date
    ),
    "linkedin/sourcer_Connections.csv": ("linkedin", 3, ["Priya Shah", "Sam Lee", "Alex Kim"], []),
    "linkedin/tekjobs_Connections.csv": (
        "linkedin",
        4,
        ["Jane Doe", "Sam Lee", "Rafa Ortiz", "Mina Park"],
        [],
    ),
    "outlook/people_google-outlook-csv.csv": (
        "outlook",
        5,
        ["John Doe", "Jane Doe", "mail@mail.com", "Norway Doe", "John Cruickshank"],
        [],
    ),
    # Only Outlook's three e-mail columns: the nameless record is named after its first e-mail.
    "outlook/roundcube_outlook_email-only.csv": ("outlook", 1, ["test1@domain.tld"], []),
    # Thunderbird shows the Display Name, not First + Last ("Firstname Lastname").
    "thunderbird/roundcube_tb_plain.csv": ("thunderbird", 1, ["Displayname"], []),
    "vcard/aosp_v21_complicated.vcf": ("vcard", 1, ["Joe Due"], []),
    "vcard/aosp_v21_invalid_comment_line.vcf": ("vcard", 1, ["Conference Call"], []),
    "vcard/aosp_v21_japanese_2.vcf": ("vcard", 1, ["安藤 ロイド 1"], []),
    # N only, family name only (Shift_JIS): the SOUND readings are not names.
    "vcard/aosp_v21_multiple_entry_sjis.vcf": (
        "vcard",
        3,
        ["安藤ロイド3", "安藤ロイド4", "安藤ロイド5"],
        [],
    ),
    "vcard/aosp_v30_ios_613_multiline.vcf": ("vcard", 1, ["Bob Smith"], []),
    "vcard/aosp_v30_japanese.vcf": ("vcard", 1, ["伊能 圭一 伊予"], []),
    "vcard/aosp_v40_sort_as.vcf": ("vcard", 1, ["安藤 ロイド"], []),
    "vcard/ccs_apple_company_photo.vcf": (
        "vcard",
        0,
        [],
        ["card 1: a company card (Test Inc.), not a person"],
    ),
    "vcard/ccs_apple_japanese.vcf": ("vcard", 1, ["ダブル バイト"], []),
    "vcard/eds_12_nokia21_qp.vcf": ("vcard", 1, ["Michael Brüning"], []),
    "vcard/ezvcard_John_Doe_ANDROID.vcf": (
        "vcard",
        6,
        [
            "john.doe@company.com",
            "jane.doe@company.com",
            "Ñ Ñ Ñ Ñ Ñ",
            "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ",
            "Ñ Ñ Ñ Ñ",
            "ÑÑÑÑ",
        ],
        [],
    ),  # fmt: skip
    "vcard/ezvcard_John_Doe_BLACK_BERRY.vcf": ("vcard", 1, ["John Doe"], []),
    "vcard/ezvcard_John_Doe_EVOLUTION.vcf": ("vcard", 1, ["Mr. John Richter, James Doe Sr."], []),
    "vcard/ezvcard_John_Doe_GMAIL.vcf": ("vcard", 1, ["Mr. John Richter, James Doe Sr."], []),
    "vcard/ezvcard_John_Doe_IPHONE.vcf": ("vcard", 1, ["Mr. John Richter James Doe Sr."], []),
    "vcard/ezvcard_John_Doe_LOTUS_NOTES.vcf": ("vcard", 1, ["Mr. Doe John I Johny"], []),
    "vcard/ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf": (
        "vcard",
        1,
        ["Mr. John Richter,James Doe Sr."],
        [],
    ),
    "vcard/ezvcard_John_Doe_MS_OUTLOOK.vcf": ("vcard", 1, ["Mr. John Richter James Doe Sr."], []),
    "vcard/ezvcard_fullcontact.vcf": (
        "vcard",
        1,
        ["Prefix FirstName MiddleName LastName Suffix"],
        [],
    ),
    "vcard/ezvcard_gmail-list.vcf": (
        "vcard",
        3,
        ["Arnold Smith", "Chris Beatle", "Doug White"],
        [],
    ),
    "vcard/ezvcard_gmail-single2.vcf": ("vcard", 1, ["VCard Test"], []),
    "vcard/ezvcard_issue114_v4.vcf": ("vcard", 1, ["Dummy, Dummy"], []),
    "vcard/ezvcard_outlook-2003.vcf": ("vcard", 1, ["John Doe III"], []),
    "vcard/ezvcard_outlook-2007.vcf": ("vcard", 1, ["Mr. Michael Angstadt Jr."], []),
    "vcard/ezvcard_rfc2426-example.vcf": ("vcard", 2, ["Frank Dawson", "Tim Howes"], []),
    "vcard/ezvcard_rfc6350-example.vcf": ("vcard", 1, ["Simon Perreault"], []),
    "vcard/ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf": (
        "vcard",
        1,
        ["John Doe"],
        [],
    ),
    "vcard/folkerkinzel_AnsiIssue.vcf": ("vcard", 1, ["Ralf Rastral"], []),
    "vcard/folkerkinzel_German_cp1252.vcf": ("vcard", 1, ["Sören Täve Nüßlebaum"], []),
    "vcard/folkerkinzel_Greek_cp1253.vcf": ("vcard", 1, ["Βαγγέλης"], []),
    "vcard/folkerkinzel_LabelIssue_outlook21.vcf": ("vcard", 1, ["Rudi Wimmel"], []),
    "vcard/folkerkinzel_LargeFile.vcf": (
        "vcard",
        1000,
        [
            "Kasey Schmitt",
            "Noel Mayert",
            "Barbara Johnson",
            MORE,
            "Baron Sawayn",
            "Florine Liana Stehr",
        ],
        [],
    ),  # fmt: skip
    "vcard/folkerkinzel_Outlook_v2.vcf": ("vcard", 1, ["Herr Max Anderer Mustermann sen."], []),
    "vcard/folkerkinzel_Ukrainian_cp1251.vcf": ("vcard", 1, ["Віталій Володимирович Кличко"], []),
    # Combining acute accents (U+0301) kept as written: there is no precomposed letter.
    "vcard/folkerkinzel_Ukrainian_utf8_combining.vcf": (
        "vcard",
        1,
        ["Віталій Володи\u0301мирович Кличко\u0301"],
        [],
    ),
    "vcard/folkerkinzel_v3Ansi.vcf": ("vcard", 2, ["Folker Kinzel", "KMS Außenstelle"], []),
    "vcard/folkerkinzel_v3Utf16Bom.vcf": ("vcard", 2, ["Folker Kinzel", "KMS Außenstelle"], []),
    "vcard/folkerkinzel_v4_cardbook.vcf": (
        "vcard",
        2,
        ["Möhrke Gerda", "Dr. Max Horst Mustermann jr. Maxl SED"],
        [],
    ),
    "vcard/icaljs_escape_semicolon_nextcloud.vcf": ("vcard", 1, ["First Last NextCloud"], []),
    "vcard/kcontacts_vcard10.vcf": (
        "vcard",
        4,
        [
            "Field after Address broken",
            "Field after Address not broken",
            "Dr. med. Surname Name",
            "Second Doctor",
        ],
        ["card 1: an organisation card (Bike Shop) with no person's name"],
    ),  # fmt: skip
    "vcard/kcontacts_vcard12_evolution-photos.vcf": ("vcard", 1, ["Good Looking"], []),
    "vcard/kcontacts_vcard3.vcf": ("vcard", 1, ["ian geiser"], []),
    "vcard/kcontacts_vcard4.vcf": (
        "vcard",
        0,
        [],
        ["card 1: an organisation card (Ximian, Inc.) with no person's name"],
    ),
    "vcard/kcontacts_vcard9.vcf": ("vcard", 1, ["βγδεαβγδ1" * 11], []),
    "vcard/khard_korean-c_v4.vcf": ("vcard", 1, ["최유림"], []),
    "vcard/nodevcf_xing.vcf": ("vcard", 1, ["Hans-Peter Mustermann"], []),
    "vcard/pyvobject_vcard40_full.vcf": ("vcard", 1, ["Dr. John Q. Public, III"], []),
    "vcard/pyvobject_vcard40_group.vcf": (
        "vcard",
        0,
        [],
        ["card 1: a group card (The Doe Family), not a person (KIND:group)"],
    ),
    "vcard/pyvobject_vcard40_multilang.vcf": ("vcard", 1, ["Yamada Taro"], []),
    "vcard/roundcube_utf-16be_nobom_apple.vcf": ("vcard", 1, ["Ǽgean ĽdaMonté"], []),
    # Two people who share one phone number: different names and e-mails.
    "vcard/saveoursecrets_apple_contacts.vcf": ("vcard", 2, ["Jane", "John"], []),
    "vcard/thunderbird_export.vcf": (
        "vcard",
        2,
        ["contact number one", "contact number two"],
        [],
    ),
    # FN as written, in "Last, First" form (the file is Windows-1252 without a CHARSET).
    "vcard/tine20_HerrFalkMuenchen_broken-label.vcf": ("vcard", 1, ["München, Falk"], []),
    # macOS named the auto-created card after an e-mail address: FN is kept as written.
    "vcard/tine20_rcube_contacts-3.vcf": ("vcard", 2, ["Some.One@telekom.de", "der"], []),
    "vcard/vcard4android_allfields-vcard3.vcf": ("vcard", 1, ["Ämi Display"], []),
    "vcard/vcard4rs_photo.vcf": ("vcard", 1, ["Jane"], []),
    "vcard/virginity_apple.vcf": (
        "vcard",
        0,
        [],
        ["card 1: a company card (Apple Computer Benelux BV), not a person"],
    ),
    "vcard/virginity_fake21.vcf": ("vcard", 1, ["テト 太"], []),  # N only: family name first
    "vcard/virginity_list.vcf": (
        "vcard",
        7,
        [
            "John Smith",
            "Jason",
            "Interhelp",
            "George Praveen",
            "Jason",
            "Stephen Martin",
            "Ζεύς Carreño Quiñones",
        ],
        ["card 7: a company card (Apple Computer Benelux BV), not a person"],
    ),  # fmt: skip
    "vcard/virginity_support21.vcf": ("vcard", 1, ["Jason"], []),
}


def corpus() -> Path:
    assert CORPUS is not None, (
        "shared/realworld-contacts is missing: set WARMLEADS_REALWORLD to its folder"
    )
    return CORPUS


def shown(names: list[str]) -> list[str]:
    return names if len(names) <= 10 else [*names[:3], MORE, *names[-2:]]


def test_the_corpus_is_walked_whole():
    found = sorted(str(p.relative_to(corpus())) for p in corpus().rglob("*") if p.is_file())
    assert [f for f in found if f != "SOURCES.md"] == sorted(EXPECTED)
    assert len(EXPECTED) == 87


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_imports_every_person_with_the_name_an_address_book_shows(name: str):
    fmt, count, names, left_out = EXPECTED[name]

    parsed = read_import_file(corpus() / name, today=TODAY)  # format detected

    assert parsed.format == fmt
    people = [c.fields["full_name"] for c in parsed.contacts]
    assert len(people) == count
    assert shown(people) == names
    assert [str(p) for p in parsed.problems] == left_out


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("realworld") / "network.duckdb"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_command_line_exits_0_for_a_file_with_people_and_1_for_one_with_none(
    name: str, cli_db: Path, capsys: pytest.CaptureFixture[str]
):
    count = EXPECTED[name][1]

    code = main(["--db", str(cli_db), "import", "--dry-run", str(corpus() / name)])

    out, err = capsys.readouterr()
    assert code == (0 if count else 1)
    if count:
        assert out.startswith("Would import ")
    else:
        assert "error: nobody was imported from" in err


def fields(name: str, index: int = 0) -> dict:
    return read_import_file(corpus() / name, today=TODAY).contacts[index].fields


def test_commas_in_company_and_title_are_kept():
    assert (fields("vcard/vcard4android_allfields-vcard3.vcf")["company"]) == "ABC, Inc."
    assert fields("vcard/vcard4android_allfields-vcard3.vcf")["title"] == (
        "Director, Research and Development"
    )
    assert fields("vcard/ezvcard_outlook-2003.vcf")["company"] == "Company, The"


def test_a_quoted_printable_soft_break_keeps_the_next_lines_leading_space():
    notes = fields("vcard/aosp_v21_complicated.vcf")["notes"]
    assert "Now's the time for all folk to come to the aid of their country." in notes


def test_a_comment_line_is_skipped_but_a_quoted_printable_line_starting_with_hash_is_kept():
    assert fields("vcard/aosp_v21_invalid_comment_line.vcf")["notes"] == (
        "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."
    )


def test_a_utf8_value_folded_inside_a_character_is_read_whole():
    assert fields("vcard/kcontacts_vcard9.vcf")["notes"] == (
        "Длинный комментарий на русском языке, чтобы в результате получилась строка "
        "более 70 символов."
    )


def test_phones_are_stored_in_one_form_and_label_words_are_left_out_and_named():
    assert fields("vcard/ezvcard_rfc6350-example.vcf")["phone"] == "+1 418-656-9254 ext. 102"
    assert fields("vcard/aosp_v30_ios_613_multiline.vcf")["phone"] == "+1 650-555-1212"
    parsed = read_import_file(corpus() / "vcard/ezvcard_outlook-2003.vcf", today=TODAY)
    assert [str(w) for w in parsed.warnings] == [
        "card 1: phone 'BusinessPhone' left out (is not a phone number)",
        "card 1: phone 'HomePhone' left out (is not a phone number)",
        "card 1: phone 'MobilePhone' left out (is not a phone number)",
        "card 1: phone 'BusinessFaxPhone' left out (is not a phone number)",
    ]
    assert parsed.contacts[0].fields["email"] == "jdoe@hotmail.com"


def test_an_address_without_a_dot_in_its_domain_is_left_out_not_the_person():
    parsed = read_import_file(corpus() / "vcard/thunderbird_export.vcf", today=TODAY)
    assert [str(w) for w in parsed.warnings] == [
        "card 1: e-mail 'contact1@invalid' left out (not a complete address (name@domain.tld))",
        "card 2: e-mail 'contact2@invalid' left out (not a complete address (name@domain.tld))",
    ]


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("vcard/folkerkinzel_Ukrainian_cp1251.vcf", "Windows-1251 (Cyrillic)"),
        ("vcard/folkerkinzel_Greek_cp1253.vcf", "Windows-1253 (Greek)"),
        ("vcard/folkerkinzel_German_cp1252.vcf", "Windows-1252"),
        ("vcard/aosp_v30_japanese.vcf", "Shift_JIS (Japanese)"),
        ("vcard/folkerkinzel_v3Utf16Bom.vcf", "UTF-16"),
        ("vcard/ezvcard_John_Doe_GMAIL.vcf", None),
    ],
)
def test_a_file_that_is_not_utf8_says_how_it_was_read(name: str, note: str | None):
    parsed = read_import_file(corpus() / name, today=TODAY)
    expected = (
        [f"the file is not UTF-8; it was read as {note} (check that names look right)"]
        if note
        else []
    )
    assert parsed.notes == expected


def test_the_same_bytes_give_the_same_people_from_memory_as_from_disk():
    for name in ("vcard/ezvcard_John_Doe_IPHONE.vcf", "vcard/folkerkinzel_v3Utf16Bom.vcf"):
        data = (corpus() / name).read_bytes()
        from_disk = read_import_file(corpus() / name, today=TODAY)
        from_memory = read_import(data, today=TODAY)
        assert [c.fields for c in from_memory.contacts] == [c.fields for c in from_disk.contacts]


def test_an_exact_duplicate_card_is_imported_once(db: Database):
    parsed = read_import_file(corpus() / "vcard/virginity_list.vcf", today=TODAY)

    result = apply_import(db, parsed)

    assert result.summary() == (
        "6 new contacts, 0 updated, 2 skipped (card 5: same person as card 2; card 7: a company "
        "card (Apple Computer Benelux BV), not a person)"
    )
    assert db.scalar("SELECT count(*) FROM contacts") == 6
