"""The Contacts page: search and filters, adding a target, and a contact's own view."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store.db import open_database
from lib.ui.text import escape_markdown
from tests.pagekit import by_label, click, open_page, pick_contact, read_db, shown

FIELDS = "full_name, company, title, email, phone, linkedin_url, source, referred_by, may_use_name"


@pytest.fixture
def people(app_env: Path) -> dict[str, int]:
    database = open_database(app_env)
    ana = add_contact(database, {"full_name": "Ana Ruiz", "company": "Kestrel Software"})
    ben = add_contact(
        database, {"full_name": "Ben Okafor", "referred_by": ana, "may_use_name": True}
    )
    log_event(database, {"contact_id": ana, "kind": "contacted", "notes": "Coffee"})
    database.close()
    return {"ana": ana, "ben": ben}


def contact_rows(path: Path) -> list[tuple]:
    return read_db(path).execute(f"SELECT {FIELDS} FROM contacts ORDER BY id").fetchall()


def fill_add_form(at, **values: str):
    labels = {
        "full_name": "Name *",
        "company": "Company",
        "title": "Title",
        "email": "Email",
        "phone": "Phone",
        "linkedin_url": "LinkedIn URL",
    }
    for field, value in values.items():
        by_label(at.text_input, labels[field]).input(value)
    return at


def table_names(at) -> list[str]:
    return list(at.dataframe[0].value["Name"])


def test_adding_a_target_writes_exactly_that_row_and_clears_the_form(app_env: Path) -> None:
    at = open_page("pages/work/contacts.py", add=1)
    fill_add_form(
        at,
        full_name="  Chloé Martin ",
        company="Atlas Freight",
        title="COO",
        email="chloe@Atlas.example",
        phone="+1 555-0100",
        linkedin_url="linkedin.com/in/chloe",
    )
    by_label(at.selectbox, "Source").set_value("chamber")
    at = click(at, "Add target")
    assert contact_rows(app_env) == [
        (
            "Chloé Martin",
            "Atlas Freight",
            "COO",
            "chloe@atlas.example",
            "+1 555-0100",
            "https://linkedin.com/in/chloe",
            "chamber",
            None,
            None,
        )
    ]
    assert shown(at.success) == ["Added Chloé Martin as a target (#1)."]
    assert by_label(at.text_input, "Name *").value == ""
    assert [link.value for link in at.get("page_link") if "Open" in link.value] == [
        "Open Chloé Martin"
    ]


def test_adding_a_warm_referral_links_it_to_its_referrer(
    app_env: Path, people: dict[str, int]
) -> None:
    at = open_page("pages/work/contacts.py", add=1)
    at = pick_contact(at, people["ana"], "Referred by")
    by_label(at.checkbox, "They said I may use their name (a warm referral)").check()
    at = click(fill_add_form(at, full_name="Dev Rao"), "Add target")
    assert contact_rows(app_env)[-1] == (
        "Dev Rao", None, None, None, None, None, "referral", people["ana"], True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"full_name": "   "}, "Name: is required (the person's name)"),
        (
            {"full_name": "Ana", "email": "ana-at-home"},
            "Email: 'ana-at-home' is not an email address",
        ),
        ({"full_name": "Ana", "phone": "call me"}, "Phone: 'call me' is not a phone number"),
        (
            {"full_name": "Ana", "linkedin_url": "javascript:alert(1)"},
            "LinkedIn URL: 'javascript:alert(1)' is not a web address (http:// or https://)",
        ),
        ({"full_name": "x" * 201}, "Name: is too long (201 characters; at most 200)"),
    ],
)
def test_bad_input_writes_nothing_and_says_why_at_the_field(
    app_env: Path, values: dict[str, str], message: str
) -> None:
    at = click(fill_add_form(open_page("pages/work/contacts.py", add=1), **values), "Add target")
    assert shown(at.error) == [message]
    assert contact_rows(app_env) == []
    assert at.success == []


def test_one_submit_names_every_bad_field(app_env: Path) -> None:
    values = {"full_name": " ", "email": "ana-at-home", "phone": "call me"}
    at = click(fill_add_form(open_page("pages/work/contacts.py", add=1), **values), "Add target")
    assert shown(at.error) == [
        "Name: is required (the person's name)",
        "Email: 'ana-at-home' is not an email address",
        "Phone: 'call me' is not a phone number",
    ]
    assert contact_rows(app_env) == []


def test_search_and_filters_narrow_the_table(app_env: Path, people: dict[str, int]) -> None:
    at = open_page("pages/work/contacts.py")
    assert table_names(at) == ["Ana Ruiz", "Ben Okafor"]
    by_label(at.text_input, "Search").input("kestrel").run()
    assert table_names(at) == ["Ana Ruiz"]
    by_label(at.text_input, "Search").input("").run()
    by_label(at.selectbox, "Due").set_value("to_contact").run()
    assert table_names(at) == ["Ben Okafor"]
    by_label(at.text_input, "Search").input("nobody").run()
    assert shown(at.info) == [
        "No contact matches. Clear the search or the filters, or add a target above."
    ]


def test_a_contacts_view_shows_details_timeline_chain_and_next_step(
    app_env: Path, people: dict[str, int]
) -> None:
    at = open_page("pages/work/contacts.py", contact=people["ana"])
    assert at.title[0].value == "Ana Ruiz"
    timeline = at.table[0].value
    assert list(timeline["Step"]) == [  # one day: in the method's order
        "Identified",
        "Conversation (pitch delivered)",
        "Gave a referral",
    ]
    assert "Send a thank-you" in " ".join(shown(at.markdown))
    referred = at.dataframe[0].value
    assert list(referred["Name"]) == ["Ben Okafor"]
    ben = open_page("pages/work/contacts.py", contact=people["ben"])
    # Ana is linked from Ben's details and from his referral chain.
    links = [link.value for link in ben.get("page_link") if link.value == "Ana Ruiz"]
    assert links == ["Ana Ruiz", "Ana Ruiz"]


def test_user_text_is_never_markup(app_env: Path) -> None:
    database = open_database(app_env)
    nasty = add_contact(database, {"full_name": "**Bold** [x](javascript:alert(1)) <b>"})
    database.close()
    at = open_page("pages/work/contacts.py", contact=nasty)
    assert at.title[0].value == escape_markdown("**Bold** [x](javascript:alert(1)) <b>")
    assert shown(at.title) == ["**Bold** [x](javascript:alert(1)) <b>"]


def test_an_unknown_contact_says_so(app_env: Path) -> None:
    at = open_page("pages/work/contacts.py", contact=999)
    assert shown(at.warning) == ["There is no contact #999 (it may have been deleted)."]


def test_editing_saves_only_valid_changes(app_env: Path, people: dict[str, int]) -> None:
    at = open_page("pages/work/contacts.py", contact=people["ana"])
    by_label(at.text_input, "Email").input("not-an-email")
    at = click(at, "Save changes")
    assert shown(at.error) == ["Email: 'not-an-email' is not an email address"]
    assert contact_rows(app_env)[0][3] is None
    by_label(at.text_input, "Email").input("ana@kestrel.example")
    by_label(at.text_input, "Company").input("Kestrel Labs")
    at = click(at, "Save changes")
    assert shown(at.success) == ["Saved Ana Ruiz."]
    assert contact_rows(app_env)[0][:4] == ("Ana Ruiz", "Kestrel Labs", None, "ana@kestrel.example")


def test_a_referral_loop_is_refused(app_env: Path, people: dict[str, int]) -> None:
    at = open_page("pages/work/contacts.py", contact=people["ana"])
    at = pick_contact(at, people["ben"], "Referred by")
    at = click(at, "Save changes")
    assert shown(at.error) == [
        "Referred by: that would make a referral loop (this person referred them)"
    ]
    assert contact_rows(app_env)[0][7] is None


def test_archive_and_unarchive(app_env: Path, people: dict[str, int]) -> None:
    at = click(open_page("pages/work/contacts.py", contact=people["ben"]), "Archive")
    assert shown(at.success) == [
        "Archived Ben Okafor: hidden from the due lists, kept in your history."
    ]
    assert read_db(app_env).scalar("SELECT archived FROM contacts WHERE id = ?", [people["ben"]])
    at = click(at, "Unarchive")
    assert not read_db(app_env).scalar(
        "SELECT archived FROM contacts WHERE id = ?", [people["ben"]]
    )


def test_deleting_a_referrer_asks_first_and_keeps_the_people_they_referred(
    app_env: Path, people: dict[str, int]
) -> None:
    at = click(open_page("pages/work/contacts.py", contact=people["ana"]), "Delete…")
    assert shown(at.warning) == [
        "Delete **Ana Ruiz** and their 1 logged step? This cannot be undone. "
        "The 1 person they referred stays, without a referrer."
    ]
    at = click(at, "Cancel")
    assert len(contact_rows(app_env)) == 2
    at = click(click(at, "Delete…"), "Yes, delete")
    assert contact_rows(app_env) == [
        ("Ben Okafor", None, None, None, None, None, "referral", None, None)
    ]
    assert read_db(app_env).scalar("SELECT count(*) FROM events") == 0
    assert shown(at.success) == ["Deleted Ana Ruiz and their 1 logged step."]
    assert at.title[0].value == "Contacts"


def test_editing_can_remove_the_referrer(app_env: Path, people: dict[str, int]) -> None:
    at = open_page("pages/work/contacts.py", contact=people["ben"])
    assert by_label(at.selectbox, "Referred by").value == people["ana"]
    at = click(pick_contact(at, 0, "Referred by"), "Save changes")  # 0: "Nobody"
    assert shown(at.success) == ["Saved Ben Okafor."]
    assert contact_rows(app_env)[1][7:] == (None, None)


def test_a_new_search_starts_on_the_first_page(app_env: Path) -> None:
    database = open_database(app_env)
    for number in range(30):
        add_contact(database, {"full_name": f"Person {number:02d}"})
    database.close()
    at = open_page("pages/work/contacts.py")
    assert shown(at.caption)[0] == (
        "30 contacts — showing 1–25. Click a row to open it; on a narrow screen, scroll the "
        "table sideways for Referred by, Company and Title."
    )
    at.get("pagination")[0].set_value(2).run()
    assert table_names(at) == [f"Person {n}" for n in range(25, 30)]
    by_label(at.text_input, "Search").input("person 03").run()
    assert table_names(at) == ["Person 03"]


def test_a_person_from_an_address_book_says_which_one_instead_of_other(app_env: Path) -> None:
    from lib.io.importing import apply_import, read_import

    database = open_database(app_env)
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cara Phone\r\nTEL:801 555 0142\r\nEND:VCARD\r\n"
    apply_import(database, read_import(card), file_name="phone_contacts.vcf")
    typed = add_contact(database, {"full_name": "Dev Typed"})
    imported = database.scalar("SELECT id FROM contacts WHERE full_name = 'Cara Phone'")
    database.close()

    lines = " ".join(shown(open_page("pages/work/contacts.py", contact=imported).markdown))
    assert "**Source:** Address book (vCard, phone_contacts.vcf)" in lines
    lines = " ".join(shown(open_page("pages/work/contacts.py", contact=typed).markdown))
    assert "**Source:** Other" in lines
