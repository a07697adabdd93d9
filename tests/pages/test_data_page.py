"""The Import & export page: upload, preview, pick targets, confirm; exports; merge and undo."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store.db import Database, open_database
from tests.pagekit import unescape

APP = str(Path(__file__).resolve().parents[2] / "app.py")
FIXTURES = Path(__file__).parents[1] / "fixtures"


def data_page(tab: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/work/data.py").run()
    if tab is not None:  # only the open tab runs
        at.session_state["data_tab"] = tab
        at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes | None = None) -> AppTest:
    content = (FIXTURES / name).read_bytes() if data is None else data
    at.file_uploader[0].set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, starts: str):
    (found,) = [b for b in at.button if b.label.startswith(starts)]
    return found


def stored(path: Path, sql: str = "SELECT full_name FROM contacts ORDER BY id") -> list[tuple]:
    db = open_database(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def with_database(path: Path, build) -> None:
    db: Database = open_database(path)
    try:
        build(db)
    finally:
        db.close()


def test_an_upload_is_previewed_and_confirming_imports_it(app_env: Path):
    at = upload(data_page(), "linkedin_connections.csv")

    assert at.title[0].value == "Import & export"
    assert [(m.label, m.value) for m in at.metric] == [
        ("New people", "3"),
        ("Known, with new details", "0"),
        ("Already up to date", "0"),
        ("Left out", "0"),
    ]
    assert stored(app_env) == []  # nothing is written before the user confirms

    button(at, "Add 3 targets").click().run()

    assert stored(app_env) == [("Amara Nwosu",), ("Lukas Bräuer",), ("Sofia Lind 🌿",)]
    assert [unescape(s.value) for s in at.success] == [
        "linkedin_connections.csv: 3 new contacts, 0 updated, 0 skipped"
    ]
    assert at.file_uploader[0].value is None  # ready for the next file


def test_words_in_the_position_narrow_who_becomes_a_target(app_env: Path):
    at = upload(data_page(), "linkedin_connections.csv")

    (words,) = [m for m in at.multiselect if m.label == "Position contains any of"]
    words.set_value(["Head of"]).run()
    button(at, "Add 1 target").click().run()

    assert stored(app_env) == [("Amara Nwosu",)]
    assert unescape(at.success[0].value).endswith(
        "1 new contact, 0 updated, 2 not chosen, 0 skipped"
    )


def test_a_company_filter_picks_only_people_there(app_env: Path):
    at = upload(data_page(), "linkedin_excel_us.csv")

    (companies,) = [m for m in at.multiselect if m.label == "Company"]
    assert companies.options == ["Atlas Freight", "Lumen Grid Energy"]
    companies.set_value(["Atlas Freight"]).run()
    button(at, "Add 2 targets").click().run()

    assert stored(app_env) == [("Maya Cohen",), ("Ben Okafor",)]


def test_rows_left_out_and_dropped_values_are_listed_before_importing(app_env: Path):
    at = upload(data_page(), "linkedin_bad_rows.csv")

    assert [(m.label, m.value) for m in at.metric][3] == ("Left out", "1")
    problems = at.table[0].value  # a table: long reasons wrap instead of being cut
    assert problems.index.tolist() == ["Left out"] + ["Value dropped"] * 4
    assert problems["Where and why"].tolist() == [
        "row 10: same person as row 5",
        "row 6: no name: named 'nobody' after the LinkedIn URL",
        "row 7: LinkedIn URL 'javascript:alert(1)' dropped: not a web address (http or https)",
        "row 8: e-mail 'not-an-email' left out (an email address must have an @-sign)",
        "row 9: connected on date '31 Feb 2020' left out (not a date)",
    ]


def test_a_file_that_is_not_utf8_says_how_it_was_read(app_env: Path):
    data = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Βαγγέλης Παπαθανασίου\r\nEND:VCARD\r\n"
    at = upload(data_page(), "greek.vcf", data.encode("cp1253"))

    assert [w.value for w in at.warning] == [
        "the file is not UTF-8; it was read as Windows-1253 (Greek) (check that names look right)"
    ]
    button(at, "Add 1 target").click().run()
    assert stored(app_env) == [("Βαγγέλης Παπαθανασίου",)]


def test_a_file_that_is_not_an_export_shows_why_and_writes_nothing(app_env: Path):
    at = upload(data_page(), "notes.csv", b"just,some,columns\n1,2,3\n")

    assert [unescape(e.value) for e in at.error] == [
        "notes.csv: file: is not a format Warm Leads knows: expected LinkedIn's "
        "Connections.csv, a Google Contacts CSV, an Outlook CSV, a Thunderbird address book "
        "CSV, a Yahoo Mail CSV, a vCard (.vcf) or a Warm Leads CSV export"
    ]
    assert not [b for b in at.button if b.label.startswith("Add")]
    assert stored(app_env) == []


def test_known_people_are_updated_without_a_target_pick(app_env: Path):
    with_database(
        app_env,
        lambda db: add_contact(
            db, {"full_name": "Amara Nwosu", "company": "Blue Harbor Logistics, Ltd."}
        ),
    )
    at = upload(data_page(), "contacts.vcf")

    button(at, "Add 0 targets and update 1").click().run()

    assert stored(app_env, "SELECT full_name, email FROM contacts") == [
        ("Amara Nwosu", "amara@example.org")
    ]


def test_the_export_tab_says_what_each_file_holds(app_env: Path):
    def build(db: Database) -> None:
        person = add_contact(db, {"full_name": "Ana Ruiz"})
        log_event(db, {"contact_id": person, "kind": "contacted", "occurred_on": "2026-01-05"})

    with_database(app_env, build)
    at = data_page("Export")

    texts = [m.value for m in at.markdown]
    assert any(t.startswith("**Everything (CSV)**: 1 contact and 1 event.") for t in texts)
    assert any(t.startswith("**Reminders (calendar)**: 2 reminders due today (") for t in texts)
    assert [b.label for b in at.get("download_button")] == [
        "Download .csv",
        "Download .vcf",
        "Download .ics",
    ]


def two_anas(db: Database) -> None:
    first = add_contact(db, {"full_name": "Ana Ruiz", "email": "ana@example.com"})
    add_contact(db, {"full_name": "Ana Ruiz", "email": "ANA@example.com", "title": "VP"})
    log_event(db, {"contact_id": first, "kind": "contacted", "occurred_on": "2026-01-05"})


def test_a_possible_duplicate_is_merged_and_the_merge_undone(app_env: Path):
    with_database(app_env, two_anas)
    at = data_page("Possible duplicates")

    assert "**1** pair looks like the same person." in [m.value for m in at.markdown]
    button(at, "Merge #2 into #1").click().run()

    assert stored(app_env, "SELECT id, title FROM contacts") == [(1, "VP")]
    assert unescape(at.success[0].value) == (
        "Merged Ana Ruiz into contact 1: moved 0 events and 0 referrals; filled title. "
        "You can undo it below."
    )

    button(at, "Undo").click().run()

    assert stored(app_env, "SELECT id, title FROM contacts ORDER BY id") == [(1, None), (2, "VP")]
    assert unescape(at.success[0].value) == "Merge undone: Ana Ruiz is back."


def test_a_pair_marked_as_different_people_leaves_the_list(app_env: Path):
    with_database(app_env, two_anas)
    at = data_page("Possible duplicates")

    button(at, "They are different people").click().run()

    assert any(i.value.startswith("No possible duplicates") for i in at.info)
    assert stored(app_env, "SELECT count(*) FROM contacts") == [(2,)]


def test_only_the_open_tab_runs(app_env: Path):
    with_database(app_env, two_anas)

    at = data_page()

    assert [t.label for t in at.tabs] == ["Import", "Export", "Possible duplicates"]
    assert len(at.file_uploader) == 1
    assert not [b for b in at.button if b.label.startswith("Merge")]
    assert not at.get("download_button")


def test_an_import_is_listed_and_undone_from_the_page(app_env: Path):
    with_database(app_env, lambda db: add_contact(db, {"full_name": "Zed Own"}))
    at = upload(data_page(), "linkedin_connections.csv")
    button(at, "Add 3 targets").click()
    at.run()
    assert stored(app_env) == [
        ("Zed Own",),
        ("Amara Nwosu",),
        ("Lukas Bräuer",),
        ("Sofia Lind 🌿",),
    ]
    assert "Recent imports" in [s.value for s in at.subheader]
    button(at, "Undo this import").click()
    at.run()
    assert unescape(at.warning[0].value) == (
        "Remove the 3 contacts this import added and empty the blank fields it filled on "
        "0 contacts?"
    )
    button(at, "Yes, undo it").click()
    at.run()
    assert not at.exception, at.exception
    assert [unescape(s.value) for s in at.success] == [
        "Undid import #1 (linkedin_connections.csv): removed 3 contacts, emptied 0 filled fields."
    ]
    assert stored(app_env) == [("Zed Own",)]
    assert [b for b in at.button if b.label == "Undo this import"] == []


def test_start_over_keeps_a_dated_copy_and_opens_an_empty_file(app_env: Path):
    with_database(app_env, lambda db: add_contact(db, {"full_name": "Zed Own"}))
    at = data_page()
    (go,) = [b for b in at.button if b.label == "Back up and start over"]
    assert go.disabled
    at.text_input(key="start_over_word_0").input("start over").run()
    button(at, "Back up and start over").click()
    at.run()
    assert not at.exception, at.exception
    (message,) = [unescape(s.value) for s in at.success]
    backups = sorted(app_env.parent.glob("network.backup-*.duckdb"))
    assert len(backups) == 1
    assert message == (
        f"Started over with an empty file. Your previous data is kept in {backups[0]}."
    )
    assert stored(app_env) == []
    assert stored(backups[0]) == [("Zed Own",)]


def test_the_preview_shows_each_new_persons_phone_and_empty_cells_for_blanks(app_env: Path):
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Phone\r\nTEL;TYPE=CELL:801 555 0142\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Nophone\r\nEND:VCARD\r\n"
    )
    at = upload(data_page(), "phones.vcf", card.encode())

    picker = at.dataframe[0].value
    assert picker[["Name", "Company", "Email", "Phone"]].values.tolist() == [
        ["Ana Phone", "", "", "+1 801-555-0142"],
        ["Ben Nophone", "", "", ""],
    ]
