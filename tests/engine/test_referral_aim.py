"""The referral question aimed at target companies (docs/METHOD.md "The referral question
aimed at targets"): which targets it names for a person, and its exact words."""

from __future__ import annotations

import pytest

from lib.engine.companies import Aim, referral_aim, referral_question, target_list
from lib.records.companies import add_company, archive_company
from lib.records.contacts import add_contact
from lib.records.events import Conversation, log_conversation
from lib.store.db import Database
from tests.conftest import TODAY

PLAIN = "Who do you know that might be helpful for me to get in touch with?"


@pytest.mark.parametrize(
    ("names", "own", "again", "question"),
    [
        ([], None, False, PLAIN),
        ([], None, True, "Who else do you know that might be helpful for me to get in touch with?"),
        (["Acme"], None, False, "Who do you know at Acme?"),
        (["Acme", "Globex"], None, False, "Who do you know at Acme or Globex?"),
        (["Acme", "Globex", "Initech"], None, False, "Who do you know at Acme, Globex or Initech?"),
        (
            ["Acme", "Globex", "Initech"],
            None,
            True,
            "Who else do you know at Acme, Globex or Initech?",
        ),
        ([], "Acme", False, "Who else do you know at Acme?"),
        (["Globex"], "Acme", False, "Who else do you know at Acme — and at Globex?"),
        (
            ["Globex", "Initech"],
            "Acme",
            False,
            "Who else do you know at Acme — and at Globex or Initech?",
        ),
        (
            ["Globex", "Initech"],
            "Acme",
            True,
            "Who else do you know at Acme — and at Globex or Initech?",
        ),
    ],
)
def test_the_question_in_words(
    names: list[str], own: str | None, again: bool, question: str
) -> None:
    assert referral_question(names, own=own, again=again) == question


@pytest.fixture
def targets(db: Database) -> dict[str, int]:
    """Five targets; LAMP order: Globex (5, 3), Acme (5, 2), Initech (4), Umbrella (2), Hooli."""
    rows = [
        ("Acme", 5, 2),
        ("Globex", 5, 3),
        ("Hooli", None, None),
        ("Initech", 4, 1),
        ("Umbrella", 2, 3),
    ]
    return {
        name: add_company(db, {"name": name, "motivation": m, "posting": p}).company_id
        for name, m, p in rows
    }


def question(db: Database, contact_id: int | None) -> str:
    return referral_aim(db, contact_id, TODAY).question()


def test_no_target_companies_ask_the_plain_question(db: Database) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Acme"}, today=TODAY)
    assert referral_aim(db, ana, TODAY) == Aim()
    assert question(db, ana) == PLAIN
    assert question(db, None) == PLAIN


def test_someone_at_no_target_is_asked_about_the_top_three_in_lamp_order(
    db: Database, targets: dict[str, int]
) -> None:
    assert [c.name for c in target_list(db, TODAY)] == [
        "Globex",
        "Acme",
        "Initech",
        "Umbrella",
        "Hooli",
    ]
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Soylent"}, today=TODAY)
    assert referral_aim(db, ana, TODAY) == Aim(None, ("Globex", "Acme", "Initech"))
    assert question(db, ana) == "Who do you know at Globex, Acme or Initech?"
    assert question(db, None) == "Who do you know at Globex, Acme or Initech?"  # nobody chosen


def test_someone_at_a_target_is_asked_who_else_there_first(
    db: Database, targets: dict[str, int]
) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "ACME Inc."}, today=TODAY)
    assert question(db, ana) == "Who else do you know at Acme — and at Globex or Initech?"
    # Their company comes first even from far down the list; two of the top fill the rest.
    hal = add_contact(db, {"full_name": "Hal Berg", "company": "Hooli"}, today=TODAY)
    assert question(db, hal) == "Who else do you know at Hooli — and at Globex or Acme?"


def test_archived_targets_are_not_named(db: Database, targets: dict[str, int]) -> None:
    archive_company(db, targets["Acme"])
    archive_company(db, targets["Hooli"])
    hal = add_contact(db, {"full_name": "Hal Berg", "company": "Hooli"}, today=TODAY)
    assert question(db, hal) == "Who do you know at Globex, Initech or Umbrella?"


def test_fewer_targets_than_three_are_all_named(db: Database) -> None:
    add_company(db, {"name": "Acme", "motivation": 3})
    add_company(db, {"name": "Globex", "motivation": 4})
    assert question(db, None) == "Who do you know at Globex or Acme?"


def refer(db: Database, referrer: int, name: str, company_id: int) -> None:
    """`referrer` gives one referral, tagged with the target company it leads into."""
    referral = {"full_name": name, "leads_into": company_id}
    log_conversation(
        db, Conversation(referrer, occurred_on=TODAY, referrals=[referral]), today=TODAY
    )


def test_a_referral_tagged_with_a_target_makes_the_referrer_a_way_in(
    db: Database, targets: dict[str, int]
) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Soylent"}, today=TODAY)
    dev = add_contact(db, {"full_name": "Dev Shah", "company": "Acme"}, today=TODAY)

    def ways() -> dict[str, int]:
        return {c.name: c.ways_in for c in target_list(db, TODAY)}

    assert ways() == {"Globex": 0, "Acme": 0, "Initech": 0, "Umbrella": 0, "Hooli": 0}
    refer(db, ana, "Bo Lund", targets["Initech"])
    assert ways() == {"Globex": 0, "Acme": 0, "Initech": 1, "Umbrella": 0, "Hooli": 0}
    # Someone at the company itself refers a colleague: no way in (they are there already).
    refer(db, dev, "Cy Moe", targets["Acme"])
    assert ways() == {"Globex": 0, "Acme": 0, "Initech": 1, "Umbrella": 0, "Hooli": 0}
    # Ana referring a second person there is still one way in.
    refer(db, ana, "Di Roe", targets["Initech"])
    assert ways()["Initech"] == 1
