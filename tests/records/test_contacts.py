"""Contacts: adding targets and referrals, editing, archiving, deleting, reading one back."""

from __future__ import annotations

from datetime import date

import pytest

from lib.core.errors import NotFoundError, ValidationError
from lib.records.contacts import (
    add_contact,
    count_contacts,
    delete_contact,
    get_contact,
    require_contact,
    set_archived,
    update_contact,
)
from lib.records.events import log_event
from lib.store.db import Database
from tests.conftest import TODAY


def contact_rows(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT id, full_name, source, referred_by, may_use_name, identified_on, archived "
        "FROM contacts ORDER BY id"
    ).fetchall()


def test_adding_a_target_stores_exactly_the_clean_fields(db: Database) -> None:
    new_id = add_contact(
        db,
        {
            "full_name": "  Ana Ruiz ",
            "company": "Blue Harbor Logistics",
            "email": "Ana.Ruiz@BlueHarbor.Example",
            "phone": "tel:+1 555-0100",
            "linkedin_url": "linkedin.com/in/ana-ruiz",
            "source": "Chamber",
            "identified_on": "2026-11-02",
        },
        today=TODAY,
    )
    assert new_id == 1
    stored = get_contact(db, new_id)
    assert {k: v for k, v in stored.items() if k != "created_at"} == {
        "id": 1,
        "full_name": "Ana Ruiz",
        "company": "Blue Harbor Logistics",
        "title": None,
        "email": "Ana.Ruiz@blueharbor.example",
        "phone": "+1 555-0100",
        "linkedin_url": "https://linkedin.com/in/ana-ruiz",
        "notes": None,
        "source": "chamber",
        "referred_by": None,
        "may_use_name": None,
        "identified_on": date(2026, 11, 2),
        "archived": False,
        "connected_on": None,
        "company_id": None,
    }


def test_get_contact_returns_plain_python_values(db: Database) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)
    ben = add_contact(db, {"full_name": "Ben Okafor", "referred_by": ana, "may_use_name": True})
    stored = get_contact(db, ben)
    assert type(stored["identified_on"]) is date and type(stored["referred_by"]) is int
    assert stored["may_use_name"] is True and stored["archived"] is False


def test_a_referral_defaults_to_the_referral_source_and_keeps_warmth(db: Database) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz", "identified_on": "2026-11-01"}, today=TODAY)
    ben = add_contact(
        db, {"full_name": "Ben Okafor", "referred_by": str(ana), "may_use_name": "yes"}, today=TODAY
    )
    cara = add_contact(db, {"full_name": "Cara Martin", "may_use_name": True}, today=TODAY)
    assert contact_rows(db) == [
        (ana, "Ana Ruiz", "other", None, None, date(2026, 11, 1), False),
        (ben, "Ben Okafor", "referral", ana, True, TODAY, False),
        # Only a referral has a referrer's name to use.
        (cara, "Cara Martin", "other", None, None, TODAY, False),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "   "}, "full_name: is required (the person's name)"),
        ({"full_name": None}, "full_name: is required (the person's name)"),
        ({"full_name": "x" * 201}, "full_name: is too long (201 characters; at most 200)"),
        (
            {"full_name": "Ana", "source": "Conference"},
            "source: 'Conference' is not one of association, chamber, linkedin, referral, "
            "event, other",
        ),
        (
            {"full_name": "Ana", "identified_on": "2026-02-30"},
            "identified_on: 2026-02-30 is not a real date",
        ),
        (
            {"full_name": "Ana", "identified_on": "2026-11-26"},
            "identified_on: Thu 26 Nov 2026 is in the future (today is Wed 25 Nov 2026)",
        ),
        (
            {"full_name": "Ana", "email": "ana@@example.com"},
            "email: 'ana@@example.com' is not an email address",
        ),
        (
            {"full_name": "Ana", "linkedin_url": "javascript:alert(1)"},
            "linkedin_url: 'javascript:alert(1)' is not a web address (http:// or https://)",
        ),
        ({"full_name": "Ana", "referred_by": 99}, "referred_by: there is no contact with id 99"),
        ({"full_name": "Ana", "referred_by": "Ben"}, "referred_by: 'Ben' is not a contact id"),
        ({"full_name": "Ana", "nickname": "Annie"}, "nickname: is not a contact field"),
    ],
)
def test_a_bad_contact_is_refused_and_nothing_is_written(
    db: Database, data: dict, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        add_contact(db, data, today=TODAY)
    assert str(caught.value) == message
    assert count_contacts(db) == 0


@pytest.fixture
def chain(db: Database) -> tuple[int, int, int]:
    """Ana referred Ben, who referred Cara."""
    ana = add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)
    ben = add_contact(db, {"full_name": "Ben Okafor", "referred_by": ana}, today=TODAY)
    cara = add_contact(db, {"full_name": "Cara Martin", "referred_by": ben}, today=TODAY)
    return ana, ben, cara


@pytest.mark.parametrize(
    ("who", "referrer", "message"),
    [
        (0, 0, "referred_by: a contact cannot refer themselves"),
        (0, 1, "referred_by: that would make a referral loop (this person referred them)"),
        (0, 2, "referred_by: that would make a referral loop (this person referred them)"),
        (1, 2, "referred_by: that would make a referral loop (this person referred them)"),
    ],
)
def test_a_referral_loop_is_refused(
    db: Database, chain: tuple[int, int, int], who: int, referrer: int, message: str
) -> None:
    before = contact_rows(db)
    with pytest.raises(ValidationError) as caught:
        update_contact(db, chain[who], {"referred_by": chain[referrer]}, today=TODAY)
    assert str(caught.value) == message
    assert contact_rows(db) == before


def test_editing_changes_only_the_given_fields(db: Database, chain: tuple[int, int, int]) -> None:
    ana, ben, cara = chain
    update_contact(db, cara, {"referred_by": ana, "title": " CFO "}, today=TODAY)
    stored = get_contact(db, cara)
    assert (stored["referred_by"], stored["title"], stored["full_name"]) == (
        ana,
        "CFO",
        "Cara Martin",
    )


def test_editing_a_missing_contact_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError) as caught:
        update_contact(db, 7, {"full_name": "Nobody"}, today=TODAY)
    assert str(caught.value) == "there is no contact with id 7"


def test_archiving_hides_nothing_from_the_file(db: Database, chain: tuple[int, int, int]) -> None:
    set_archived(db, chain[1], True)
    assert get_contact(db, chain[1])["archived"] is True
    set_archived(db, chain[1], False)
    assert get_contact(db, chain[1])["archived"] is False
    assert count_contacts(db) == 3


def test_deleting_a_referrer_keeps_their_referrals_unlinked(
    db: Database, chain: tuple[int, int, int]
) -> None:
    ana, ben, cara = chain
    update_contact(db, cara, {"may_use_name": True}, today=TODAY)
    log_event(db, {"contact_id": ben, "kind": "contacted"}, today=TODAY)
    log_event(db, {"contact_id": cara, "kind": "contacted"}, today=TODAY)
    delete_contact(db, ben)
    assert [row[:5] for row in contact_rows(db)] == [
        (ana, "Ana Ruiz", "other", None, None),
        (cara, "Cara Martin", "referral", None, None),
    ]
    assert db.execute("SELECT contact_id FROM events").fetchall() == [(cara,)]
    with pytest.raises(NotFoundError):
        get_contact(db, ben)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (42, NotFoundError, "there is no contact with id 42"),
        ("0", ValidationError, "contact_id: '0' is not a contact id"),
        (None, ValidationError, "contact_id: is required"),
    ],
)
def test_require_contact_names_the_problem(
    db: Database, value: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        require_contact(db, value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "action",
    [
        lambda db: update_contact(db, 42, {"title": "CFO"}, today=TODAY),
        lambda db: set_archived(db, 42, True),
        lambda db: delete_contact(db, 42),
    ],
    ids=["update", "archive", "delete"],
)
def test_a_write_to_a_missing_contact_commits_nothing(db: Database, action) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)
    before, version = contact_rows(db), db.data_version
    with pytest.raises(NotFoundError, match="^there is no contact with id 42$"):
        action(db)
    # Refused whole: no row changed and no commit (so no snapshot, no cache invalidated).
    assert (contact_rows(db), db.data_version) == (before, version)
    assert get_contact(db, ana)["full_name"] == "Ana Ruiz"
