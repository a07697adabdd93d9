"""The Today page's due rows: docs/METHOD.md's lists with names, reasons, warm intros, paging."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lib.engine.directory import contact_card
from lib.engine.due import (
    TODAY_LISTS,
    due_page,
    human_date,
    next_steps,
    open_call_backs,
    warm_intro,
    why_due,
)
from lib.engine.stats import due_lists
from lib.records.contacts import add_contact, set_archived
from lib.records.events import log_attempt, log_event
from lib.store.db import Database
from tests.conftest import TODAY


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def touch(db: Database, contact_id: int, kind: str, ago: int) -> None:
    log_event(
        db, {"contact_id": contact_id, "kind": kind, "occurred_on": days_ago(ago)}, today=TODAY
    )


def person(db: Database, name: str, ago: int = 40, **fields) -> int:
    return add_contact(
        db, {"full_name": name, "identified_on": days_ago(ago), **fields}, today=TODAY
    )


def test_due_page_holds_exactly_the_spec_lists_of_the_demo(demo_db: Database) -> None:
    rows, counts = due_page(demo_db, TODAY, page_size=10_000)
    expected = due_lists(demo_db, TODAY)
    assert counts == {name: len(expected[name]) for name in TODAY_LISTS}
    for name in TODAY_LISTS:
        assert sorted(r["id"] for r in rows if r["list"] == name) == expected[name]


def test_each_list_orders_the_longest_waiting_first(db: Database) -> None:
    recent, old = person(db, "Recent"), person(db, "Old")
    touch(db, recent, "contacted", 30)
    touch(db, old, "contacted", 50)
    rows, counts = due_page(db, TODAY)
    overdue = [r["full_name"] for r in rows if r["list"] == "follow_up_overdue"]
    thanks = [r["full_name"] for r in rows if r["list"] == "thank_you_pending"]
    assert overdue == ["Old", "Recent"]
    assert thanks == ["Old", "Recent"]
    assert counts == {
        "to_contact": 0,
        "thank_you_pending": 2,
        "follow_up_due": 0,
        "follow_up_overdue": 2,
    }


def test_to_contact_puts_warm_referrals_before_cold_ones_and_plain_targets(db: Database) -> None:
    giver = person(db, "Ana Ruiz", 60)
    person(db, "Plain Target", 50)
    person(db, "Cold Referral", 10, referred_by=giver, may_use_name=False)
    person(db, "Warm Referral", 5, referred_by=giver, may_use_name=True)
    rows, _ = due_page(db, TODAY)
    names = [r["full_name"] for r in rows if r["list"] == "to_contact"]
    # Ana gave referrals, so she is at "asked" and no longer to contact (docs/METHOD.md "Stages").
    assert names == ["Warm Referral", "Cold Referral", "Plain Target"]
    warm = next(r for r in rows if r["full_name"] == "Warm Referral")
    assert warm["referrer_name"] == "Ana Ruiz"
    assert warm["may_use_name"] is True


def test_a_page_past_the_end_shows_the_last_page(db: Database) -> None:
    for number in range(7):
        person(db, f"Target {number}", 20 - number)
    rows, counts = due_page(db, TODAY, {"to_contact": 99}, page_size=5)
    assert counts["to_contact"] == 7
    assert [r["full_name"] for r in rows] == ["Target 5", "Target 6"]
    assert [r["position"] for r in rows] == [6, 7]


def test_archived_contacts_are_on_no_list(db: Database) -> None:
    hidden = person(db, "Hidden")
    set_archived(db, hidden, True)
    rows, counts = due_page(db, TODAY)
    assert rows == []
    assert counts == dict.fromkeys(TODAY_LISTS, 0)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"list": "to_contact", "days_since_identified": 12, "referrer_name": None},
            "Targeted 12 days ago — not contacted yet",
        ),
        (
            {"list": "to_contact", "days_since_identified": 0, "referrer_name": "Ana Ruiz"},
            "Referred today — not contacted yet",
        ),
        (
            {
                "list": "thank_you_pending",
                "thanks_owed_since": days_ago(1),
                "owed_for_referral": False,
            },
            "Talked with you yesterday — no thank-you since",
        ),
        (
            {
                "list": "thank_you_pending",
                "thanks_owed_since": days_ago(3),
                "owed_for_referral": True,
            },
            "Gave you a referral 3 days ago — no thank-you since",
        ),
        (
            {"list": "follow_up_due", "days_since_touch": 21},
            "Last touch 21 days ago — follow up within 7 days",
        ),
        (
            {"list": "follow_up_due", "days_since_touch": 27},
            "Last touch 27 days ago — follow up within 1 day",
        ),
        (
            {"list": "follow_up_due", "days_since_touch": 28},
            "Last touch 28 days ago — follow up today",
        ),
        (
            {"list": "follow_up_overdue", "days_since_touch": 29},
            "Last touch 29 days ago — 1 day past 4 weeks",
        ),
        (
            {"list": "follow_up_overdue", "days_since_touch": 40},
            "Last touch 40 days ago — 12 days past 4 weeks",
        ),
    ],
)
def test_why_a_contact_is_due_reads_as_a_sentence(row: dict, expected: str) -> None:
    assert why_due(row, TODAY) == expected


def test_a_referral_given_makes_the_thank_you_reason_the_referral(db: Database) -> None:
    giver = person(db, "Ana Ruiz", 40)
    touch(db, giver, "contacted", 20)
    touch(db, giver, "thank_you", 20)
    person(db, "Ben Okafor", 2, referred_by=giver)
    rows, _ = due_page(db, TODAY)
    pending = [r for r in rows if r["list"] == "thank_you_pending"]
    assert [r["full_name"] for r in pending] == ["Ana Ruiz"]
    assert why_due(pending[0], TODAY) == "Gave you a referral 2 days ago — no thank-you since"


@pytest.mark.parametrize(
    ("referrer", "may_use", "expected"),
    [
        ("Ana Ruiz", True, "“Ana Ruiz suggested I get in touch” — you may use their name"),
        ("Ana Ruiz", False, "Referred by Ana Ruiz — not cleared to use their name"),
        ("Ana Ruiz", None, "Referred by Ana Ruiz — not cleared to use their name"),
        (None, None, None),
    ],
)
def test_warm_intro_line(referrer: str | None, may_use: bool | None, expected: str | None) -> None:
    assert warm_intro(referrer, may_use) == expected


def test_human_date_reads_weekday_day_month_year() -> None:
    assert human_date(date(2026, 11, 25)) == "Wed 25 Nov 2026"
    assert human_date(None) == "—"


def test_next_steps_of_a_target_is_to_make_contact(db: Database) -> None:
    target = person(db, "Ana Ruiz")
    steps = next_steps(db, contact_card(db, target, TODAY), TODAY)
    assert [(s.action, s.on) for s in steps] == [("Make contact and deliver your pitch", TODAY)]


def test_next_steps_after_a_conversation_thank_then_follow_up_in_the_window(db: Database) -> None:
    talked = person(db, "Ana Ruiz")
    touch(db, talked, "contacted", 5)
    steps = next_steps(db, contact_card(db, talked, TODAY), TODAY)
    assert [(s.action, s.on) for s in steps] == [
        ("Send a thank-you", TODAY),
        ("Follow up", days_ago(5) + timedelta(days=21)),
    ]
    assert steps[1].why.startswith(f"between {human_date(days_ago(5) + timedelta(days=21))} and")


def test_next_steps_when_overdue_and_when_due(db: Database) -> None:
    late, due = person(db, "Late"), person(db, "Due")
    for contact, ago in ((late, 35), (due, 22)):
        touch(db, contact, "contacted", ago)
        touch(db, contact, "thank_you", ago)
    late_steps = next_steps(db, contact_card(db, late, TODAY), TODAY)
    due_steps = next_steps(db, contact_card(db, due, TODAY), TODAY)
    assert [(s.action, s.on) for s in late_steps] == [("Follow up — overdue", TODAY)]
    assert [(s.action, s.on) for s in due_steps] == [("Follow up", days_ago(22) + timedelta(28))]


def test_an_open_call_back_is_the_next_step_on_its_day(db: Database) -> None:
    asked, reached, gone = person(db, "Ana Ruiz"), person(db, "Ben Okafor"), person(db, "Cy Gone")
    wednesday = TODAY + timedelta(days=3)
    log_attempt(db, asked, "no_answer", occurred_on=days_ago(2), today=TODAY)
    log_attempt(db, asked, "call_back", call_back_on=wednesday, today=TODAY)
    # Ben asked too, then was reached (a touch closes the call-back); Cy is archived.
    log_attempt(db, reached, "call_back", occurred_on=days_ago(4), call_back_on=TODAY, today=TODAY)
    touch(db, reached, "contacted", 1)
    log_attempt(db, gone, "call_back", call_back_on=wednesday, today=TODAY)
    set_archived(db, gone, True)

    assert open_call_backs(db, TODAY) == [
        {
            "id": asked,
            "full_name": "Ana Ruiz",
            "company": None,
            "email": None,
            "phone": None,
            "call_back_on": wednesday,
            "asked_on": TODAY,
        }
    ]
    steps = next_steps(db, contact_card(db, asked, TODAY), TODAY)
    assert [(s.action, s.on, s.why) for s in steps] == [
        ("Call back — they asked you to", wednesday, f"asked on {human_date(TODAY)}")
    ]
    assert [s.action for s in next_steps(db, contact_card(db, reached, TODAY), TODAY)] == [
        "Send a thank-you",
        "Follow up",
    ]
    # A later attempt that did not end in "call back" closes it too.
    log_attempt(db, asked, "voicemail", today=TODAY)
    assert open_call_backs(db, TODAY) == []


def test_an_archived_contact_has_no_next_step(db: Database) -> None:
    gone = person(db, "Gone")
    set_archived(db, gone, True)
    steps = next_steps(db, contact_card(db, gone, TODAY), TODAY)
    assert [(s.action, s.on) for s in steps] == [("Nothing — archived", None)]
