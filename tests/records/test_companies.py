"""Target companies: add (a duplicate by key merges), edit, archive, delete, merge and undo,
a list of names imported, and contacts linked by the matching key."""

from __future__ import annotations

import pytest

from lib.core.errors import NotFoundError, ValidationError
from lib.records.companies import (
    add_company,
    archive_company,
    delete_company,
    get_company,
    import_companies,
    merge_companies,
    read_company_names,
    undo_company_merge,
    update_company,
)
from lib.records.contacts import add_contact, update_contact
from lib.store.db import Database
from tests.conftest import TODAY


def companies(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT id, name, key, motivation, posting, archived FROM companies ORDER BY id"
    ).fetchall()


def links(db: Database) -> list[tuple]:
    return db.execute("SELECT full_name, company, company_id FROM contacts ORDER BY id").fetchall()


def person(db: Database, name: str, company: str | None) -> int:
    return add_contact(db, {"full_name": name, "company": company}, today=TODAY)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "  "}, "name: is required (the company's name)"),
        ({"name": "Acme", "motivation": 7}, "motivation: 7 is not a whole number from 1 to 5"),
        ({"name": "Acme", "posting": "yes"}, "posting: 'yes' is not a whole number from 1 to 3"),
        ({"name": "Acme", "posting": True}, "posting: True is not a whole number from 1 to 3"),
        (
            {"name": "Acme", "website": "ftp://x"},
            "website: 'ftp://x' is not a web address (http:// or https://)",
        ),
        ({"name": "Acme", "city": "Oslo"}, "city: is not a company field"),
        ({"name": "..."}, "name: '...' has no letter or digit"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(db: Database, data: dict, message: str):
    with pytest.raises(ValidationError) as caught:
        add_company(db, data)
    assert str(caught.value) == message
    assert companies(db) == []


def test_adding_links_the_people_known_there_by_key_and_keeps_their_text(db: Database):
    person(db, "Ana Ruiz", "ACME Inc")
    person(db, "Ben Okafor", "Globex")
    person(db, "Cara Diaz", None)

    added = add_company(db, {"name": "Acme, Inc.", "motivation": "5", "posting": 3})

    assert added.added and added.company_id == 1
    assert (
        added.message
        == "Added Acme, Inc. to your target companies (1 person you know there linked)"
    )
    assert companies(db) == [(1, "Acme, Inc.", "acme", 5, 3, False)]
    assert links(db) == [
        ("Ana Ruiz", "ACME Inc", 1),
        ("Ben Okafor", "Globex", None),
        ("Cara Diaz", None, None),
    ]


def test_a_duplicate_by_key_is_merged_into_the_existing_one_with_a_message(db: Database):
    add_company(db, {"name": "Acme", "motivation": 4})
    again = add_company(db, {"name": "ACME Inc.", "motivation": 2, "posting": 2, "notes": "Big"})

    assert (again.company_id, again.added) == (1, False)
    assert again.message == (
        "ACME Inc. is already a target company, as Acme (same name once case, punctuation "
        "and Inc./Ltd. go): merged into it, filled posting, notes"
    )
    assert companies(db) == [(1, "Acme", "acme", 4, 2, False)]


def test_contacts_added_or_edited_link_by_key_and_no_company_is_made(db: Database):
    add_company(db, {"name": "Acme"})
    ana = person(db, "Ana Ruiz", "acme ltd")
    ben = person(db, "Ben Okafor", "Initech")
    assert links(db) == [("Ana Ruiz", "acme ltd", 1), ("Ben Okafor", "Initech", None)]

    update_contact(db, ben, {"company": "Acme Corp."}, today=TODAY)
    update_contact(db, ana, {"company": "Globex"}, today=TODAY)

    assert links(db) == [("Ana Ruiz", "Globex", None), ("Ben Okafor", "Acme Corp.", 1)]
    assert [c[1] for c in companies(db)] == ["Acme"]


def test_editing_archiving_and_a_name_taken_by_another_company(db: Database):
    add_company(db, {"name": "Acme"})
    add_company(db, {"name": "Globex"})
    person(db, "Ana Ruiz", "Initech LLC")

    update_company(db, 1, {"name": "Initech", "motivation": 3})
    archive_company(db, 2)
    with pytest.raises(ValidationError) as caught:
        update_company(db, 2, {"name": "INITECH"})

    assert str(caught.value) == (
        "name: INITECH is the same company as Initech (id 1): merge the two instead"
    )
    assert companies(db) == [
        (1, "Initech", "initech", 3, None, False),
        (2, "Globex", "globex", None, None, True),
    ]
    assert links(db) == [("Ana Ruiz", "Initech LLC", 1)]
    with pytest.raises(NotFoundError, match="there is no company with id 9"):
        update_company(db, 9, {"motivation": 1})


def test_deleting_a_company_keeps_its_people_and_their_text(db: Database):
    add_company(db, {"name": "Acme"})
    person(db, "Ana Ruiz", "Acme")
    person(db, "Ben Okafor", "Acme Inc")

    assert delete_company(db, 1) == 2
    assert companies(db) == []
    assert links(db) == [("Ana Ruiz", "Acme", None), ("Ben Okafor", "Acme Inc", None)]


def test_a_merge_moves_the_people_fills_blanks_and_undoes_exactly(db: Database):
    add_company(db, {"name": "Acme", "motivation": 5})
    add_company(db, {"name": "Acme Robotics", "posting": 2, "website": "https://acme.example"})
    person(db, "Ana Ruiz", "Acme")
    person(db, "Ben Okafor", "Acme Robotics")
    before = (companies(db), links(db), get_company(db, 2))

    merged = merge_companies(db, 1, 2)

    assert merged.summary("Acme Robotics") == (
        "Merged Acme Robotics into company 1: moved 1 person; filled website, posting"
    )
    assert companies(db) == [(1, "Acme", "acme", 5, 2, False)]
    assert links(db) == [("Ana Ruiz", "Acme", 1), ("Ben Okafor", "Acme Robotics", 1)]

    assert undo_company_merge(db, merged.merge_id) == 2
    assert (companies(db), links(db), get_company(db, 2)) == before
    with pytest.raises(ValidationError, match="merge: was already undone"):
        undo_company_merge(db, merged.merge_id)
    with pytest.raises(ValidationError, match="other: is the same company as the one kept"):
        merge_companies(db, 1, 1)


def test_reading_a_list_one_per_line_or_a_csv_with_a_name_column():
    assert read_company_names("Acme\n\n  Globex  \r\nInitech\n") == [
        (1, "Acme"),
        (3, "Globex"),
        (4, "Initech"),
    ]
    assert read_company_names('\ufeffCity,Company\nOslo,"Acme, Inc."\nBergen,\nRome,Globex\n') == [
        (2, "Acme, Inc."),
        (4, "Globex"),
    ]
    assert read_company_names("Name\nAcme\n") == [(2, "Acme")]


def test_importing_a_list_merges_duplicates_by_key_with_a_message(db: Database):
    add_company(db, {"name": "Globex"})
    person(db, "Ana Ruiz", "Initech")

    result = import_companies(db, "Acme\nACME Inc.\nGlobex Corp\n!!!\nInitech\n")

    assert result.added == [2, 3]
    assert result.summary() == (
        "2 companies added, 2 merged as the same company (ACME Inc. into Acme; "
        "Globex Corp into Globex), 1 skipped (line 4: name: has no letter or digit), "
        "1 person you know there linked"
    )
    assert [c[1] for c in companies(db)] == ["Globex", "Acme", "Initech"]
    assert links(db) == [("Ana Ruiz", "Initech", 3)]


def test_a_contact_merge_moves_the_company_link_with_the_company_text(db: Database):
    from lib.records.duplicates import merge_contacts, undo_merge

    add_company(db, {"name": "Acme"})
    kept = person(db, "Ana Ruiz", None)
    other = person(db, "Ana Ruiz", "Acme Inc")

    merged = merge_contacts(db, kept, other)

    assert merged.summary("Ana Ruiz") == (
        "Merged Ana Ruiz into contact 1: moved 0 events and 0 referrals; filled company"
    )
    assert links(db) == [("Ana Ruiz", "Acme Inc", 1)]
    undo_merge(db, merged.merge_id)
    assert links(db) == [("Ana Ruiz", None, None), ("Ana Ruiz", "Acme Inc", 1)]
