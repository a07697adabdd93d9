"""Logging the method's steps: single events, whole conversations, the too-soon warning."""

from __future__ import annotations

from datetime import date

import pytest

from lib.core.errors import NotFoundError, ValidationError
from lib.records.contacts import add_contact
from lib.records.events import (
    Conversation,
    follow_up_warning,
    last_touch,
    log_conversation,
    log_event,
)
from lib.store.db import Database
from tests.conftest import TODAY

EVENT_ROWS = "SELECT id, contact_id, kind, occurred_on, channel, notes FROM events ORDER BY id"
CONTACT_ROWS = (
    "SELECT id, full_name, email, source, referred_by, may_use_name, identified_on "
    "FROM contacts ORDER BY id"
)


@pytest.fixture
def ana(db: Database) -> int:
    return add_contact(db, {"full_name": "Ana Ruiz", "identified_on": "2026-10-01"}, today=TODAY)


def test_logging_an_event_stores_exactly_it(db: Database, ana: int) -> None:
    new_id = log_event(
        db,
        {"contact_id": ana, "kind": "contacted", "occurred_on": "2026-10-05", "channel": "phone"},
        today=TODAY,
    )
    assert new_id == 1
    assert db.execute(EVENT_ROWS).fetchall() == [
        (1, ana, "contacted", date(2026, 10, 5), "phone", None)
    ]


def test_an_event_for_no_one_is_not_found_and_not_written(db: Database) -> None:
    with pytest.raises(NotFoundError) as caught:
        log_event(db, {"contact_id": 9, "kind": "note"}, today=TODAY)
    assert str(caught.value) == "there is no contact with id 9"
    assert db.scalar("SELECT count(*) FROM events") == 0


def test_an_event_after_today_is_refused(db: Database, ana: int) -> None:
    with pytest.raises(ValidationError) as caught:
        log_event(
            db, {"contact_id": ana, "kind": "thank_you", "occurred_on": "2026-11-26"}, today=TODAY
        )
    assert (
        str(caught.value)
        == "occurred_on: Thu 26 Nov 2026 is in the future (today is Wed 25 Nov 2026)"
    )
    assert db.scalar("SELECT count(*) FROM events") == 0


def test_a_conversation_writes_its_steps_in_order_and_its_referrals(db: Database, ana: int) -> None:
    result = log_conversation(
        db,
        Conversation(
            contact_id=ana,
            occurred_on="2026-11-20",
            channel="phone",
            info_interview=True,
            referrals=[
                {"full_name": "Ben Okafor", "may_use_name": True, "email": "ben@example.com"},
                {"full_name": "Cara Martin", "referred_by": 999},  # the referrer is always Ana
            ],
            thanked=True,
            notes="Pitch landed; she offered two names.",
        ),
        today=TODAY,
    )
    assert (result.event_ids, result.referral_ids) == ([1, 2, 3, 4], [2, 3])
    day = date(2026, 11, 20)
    assert db.execute(EVENT_ROWS).fetchall() == [
        (1, ana, "contacted", day, "phone", "Pitch landed; she offered two names."),
        (2, ana, "info_interview", day, "phone", None),
        (3, ana, "referral_asked", day, "phone", None),
        (4, ana, "thank_you", day, "phone", None),
    ]
    assert db.execute(CONTACT_ROWS).fetchall()[1:] == [
        (2, "Ben Okafor", "ben@example.com", "referral", ana, True, day),
        (3, "Cara Martin", None, "referral", ana, None, day),
    ]


def test_a_conversation_and_its_referrals_commit_once(db: Database, ana: int) -> None:
    seen: list[int] = []
    db.on_commit(lambda d: seen.append(d.data_version))
    before = db.data_version
    referrals = [{"full_name": "Ben Okafor"}, {"full_name": "Cara Martin", "company": "Atlas"}]
    result = log_conversation(db, Conversation(contact_id=ana, referrals=referrals), today=TODAY)
    assert result.message.endswith(
        "2 new referrals added as targets: Ben Okafor (cold); Cara Martin (Atlas, cold)."
    )
    assert (db.data_version, seen) == (before + 1, [before + 1])


def test_actions_called_inside_another_transaction_join_it(db: Database, ana: int) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        add_contact(db, {"full_name": "Ben Okafor"}, today=TODAY)
        log_event(db, {"contact_id": ana, "kind": "contacted"}, today=TODAY)
        raise RuntimeError("the outer change fails after both")
    assert db.scalar("SELECT count(*) FROM contacts") == 1  # Ana only
    assert db.scalar("SELECT count(*) FROM events") == 0


def test_a_conversation_with_only_the_pitch_writes_one_event(db: Database, ana: int) -> None:
    result = log_conversation(db, Conversation(contact_id=ana), today=TODAY)
    assert result.event_ids == [1] and result.referral_ids == []
    assert db.execute(EVENT_ROWS).fetchall() == [(1, ana, "contacted", TODAY, None, None)]


@pytest.mark.parametrize(
    ("conversation", "error", "message"),
    [
        (
            {"referrals": [{"full_name": "Ben"}, {"full_name": "  ", "company": "Atlas"}]},
            ValidationError,
            "referral 2 full_name: is required (the person's name)",
        ),
        (
            {"referrals": [{"full_name": "Ben", "email": "ben@"}]},
            ValidationError,
            "referral 1 email: 'ben@' is not an email address",
        ),
        (
            {"occurred_on": "2026-11-26"},
            ValidationError,
            "occurred_on: Thu 26 Nov 2026 is in the future (today is Wed 25 Nov 2026)",
        ),
        (
            {"channel": "carrier pigeon"},
            ValidationError,
            "channel: 'carrier pigeon' is not one of ",
        ),
        ({"contact_id": 77}, ValidationError, "contact_id: there is no contact with id 77"),
    ],
)
def test_a_bad_conversation_writes_nothing_at_all(
    db: Database, ana: int, conversation: dict, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        log_conversation(db, Conversation(**{"contact_id": ana, **conversation}), today=TODAY)
    assert str(caught.value).startswith(message)
    assert db.scalar("SELECT count(*) FROM events") == 0
    assert db.scalar("SELECT count(*) FROM contacts") == 1


def test_last_touch_ignores_notes_and_later_days(db: Database, ana: int) -> None:
    for kind, day in [
        ("contacted", "2026-10-05"),
        ("thank_you", "2026-10-08"),
        ("note", "2026-11-01"),
    ]:
        log_event(db, {"contact_id": ana, "kind": kind, "occurred_on": day}, today=TODAY)
    assert last_touch(db, ana) == date(2026, 10, 8)
    assert last_touch(db, ana, on_or_before=date(2026, 10, 7)) == date(2026, 10, 5)
    assert last_touch(db, ana, on_or_before=date(2026, 10, 4)) is None


@pytest.mark.parametrize(
    ("on", "warning"),
    [
        (
            date(2026, 10, 8),
            "too soon — could become a nuisance: the last touch was today "
            "(every 21–28 days is the rhythm)",
        ),
        (
            date(2026, 10, 9),
            "too soon — could become a nuisance: the last touch was yesterday "
            "(every 21–28 days is the rhythm)",
        ),
        (
            date(2026, 10, 28),
            "too soon — could become a nuisance: only 20 days since the last touch "
            "(every 21–28 days is the rhythm)",
        ),
        (date(2026, 10, 29), None),  # 21 days: on the rhythm
        (date(2026, 11, 20), None),
    ],
)
def test_a_follow_up_under_21_days_after_the_last_touch_is_too_soon(
    db: Database, ana: int, on: date, warning: str | None
) -> None:
    log_event(
        db, {"contact_id": ana, "kind": "thank_you", "occurred_on": "2026-10-08"}, today=TODAY
    )
    assert follow_up_warning(db, ana, on) == warning


def test_no_warning_before_any_touch(db: Database, ana: int) -> None:
    log_event(db, {"contact_id": ana, "kind": "note", "occurred_on": "2026-11-20"}, today=TODAY)
    assert follow_up_warning(db, ana, TODAY) is None
