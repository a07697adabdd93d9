"""Two tabs editing one contact: the later save sees the change and shows both versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.core.errors import EditConflictError
from lib.records.contacts import add_contact, editable_fields, get_contact, update_contact
from lib.store.db import Database, open_database
from tests.pagekit import by_label, click, open_page, read_db, shown

CONFLICT = (
    "Ana Ruiz was changed elsewhere since you opened this form (Company); nothing was saved. "
    "Compare both versions below."
)


def row(db: Database, contact_id: int) -> tuple:
    return db.execute(
        "SELECT full_name, company, title FROM contacts WHERE id = ?", [contact_id]
    ).fetchone()


def test_a_save_from_a_stale_form_is_refused_with_both_versions(db: Database) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel Software"})
    tab_a = editable_fields(get_contact(db, ana))
    tab_b = editable_fields(get_contact(db, ana))

    update_contact(db, ana, {"company": "Kestrel Labs"}, expected=tab_a)
    with pytest.raises(EditConflictError) as caught:
        update_contact(db, ana, {"title": "CTO"}, expected=tab_b)

    assert str(caught.value) == CONFLICT
    assert (caught.value.saved["company"], caught.value.opened["company"]) == (
        "Kestrel Labs",
        "Kestrel Software",
    )
    assert caught.value.yours == {"title": "CTO"}
    assert row(db, ana) == ("Ana Ruiz", "Kestrel Labs", None)  # nothing overwritten


def test_a_save_from_a_current_form_goes_through(db: Database) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel Software"})
    opened = editable_fields(get_contact(db, ana))
    update_contact(db, ana, {"title": "CTO"}, expected=opened)
    update_contact(db, ana, {"company": "Kestrel Labs"}, expected=get_contact(db, ana))
    assert row(db, ana) == ("Ana Ruiz", "Kestrel Labs", "CTO")


@pytest.fixture
def ana(app_env: Path) -> int:
    database = open_database(app_env)
    ana = add_contact(database, {"full_name": "Ana Ruiz", "company": "Kestrel Software"})
    database.close()
    return ana


def two_tabs(ana: int):
    tab_a = open_page("pages/work/contacts.py", contact=ana)
    tab_b = open_page("pages/work/contacts.py", contact=ana)  # opened before A saves
    by_label(tab_a.text_input, "Company").input("Kestrel Labs")
    tab_a = click(tab_a, "Save changes")
    assert shown(tab_a.success) == ["Saved Ana Ruiz."]
    by_label(tab_b.text_input, "Title").input("CTO")
    return click(tab_b, "Save changes")


def test_the_second_tab_is_told_and_shown_both_versions(app_env: Path, ana: int) -> None:
    tab_b = two_tabs(ana)

    assert shown(tab_b.warning) == [CONFLICT]
    table = tab_b.dataframe[-1].value
    assert table.to_dict("list") == {
        "Field": ["Company", "Title"],
        "Saved now": ["Kestrel Labs", "—"],
        "Your version": ["Kestrel Software", "CTO"],
    }
    assert row(read_db(app_env), ana) == ("Ana Ruiz", "Kestrel Labs", None)


def test_keeping_the_saved_version_drops_the_stale_edit(app_env: Path, ana: int) -> None:
    tab_b = click(two_tabs(ana), "Keep the saved version")
    assert shown(tab_b.success) == ["Kept the saved version; your changes were dropped."]
    assert by_label(tab_b.text_input, "Company").value == "Kestrel Labs"
    assert row(read_db(app_env), ana) == ("Ana Ruiz", "Kestrel Labs", None)


def test_saving_anyway_writes_only_what_the_second_tab_changed(app_env: Path, ana: int) -> None:
    tab_b = click(two_tabs(ana), "Save my changes anyway")
    assert shown(tab_b.success) == ["Saved Ana Ruiz."]
    # B changed only the title: A's company stays.
    assert row(read_db(app_env), ana) == ("Ana Ruiz", "Kestrel Labs", "CTO")
