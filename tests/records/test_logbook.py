"""The Log page's actions write exactly their rows, in one transaction, and say what they wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lib.core.errors import ValidationError
from lib.records.contacts import add_contact
from lib.records.corrections import undo_events
from lib.records.events import (
    PITCH_NOT_DELIVERED,
    Conversation,
    Logged,
    log_conversation,
    log_event,
    log_step,
)
from lib.store.db import Database
from tests.conftest import TODAY


def log_talk(db: Database, contact_id: object, *, today: object, **details: object) -> Logged:
    """A conversation as the Log page's form submits it."""
    return log_conversation(db, Conversation(contact_id, **details), today=today)


@pytest.fixture
def ana(db: Database) -> int:
    return add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel"}, today=TODAY)


def counts(db: Database) -> tuple[int, int]:
    return db.scalar("SELECT count(*) FROM contacts"), db.scalar("SELECT count(*) FROM events")


def events(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT contact_id, kind, occurred_on, channel, notes FROM events ORDER BY id"
    ).fetchall()


def talked(db: Database, contact_id: int, *, days_ago: int) -> None:
    """A conversation with them `days_ago` (the last touch a follow-up is measured from)."""
    day = TODAY - timedelta(days_ago)
    log_event(db, {"contact_id": contact_id, "kind": "contacted", "occurred_on": day}, today=TODAY)


def test_a_full_conversation_writes_its_steps_and_referrals(db: Database, ana: int) -> None:
    day = TODAY - timedelta(2)
    logged = log_talk(
        db,
        ana,
        occurred_on=day,
        channel="phone",
        info_interview=True,
        asked_for_referrals=True,
        referrals=[
            {"full_name": "Ben Okafor", "company": "Atlas", "may_use_name": True},
            {"full_name": "", "company": "", "may_use_name": False},  # an empty row
            {"full_name": "Chloé Martin", "company": "", "may_use_name": False},
        ],
        thanked=True,
        notes="Coffee at the mixer",
        today=TODAY,
    )
    assert events(db) == [
        (ana, "contacted", day, "phone", "Coffee at the mixer"),
        (ana, "info_interview", day, "phone", None),
        (ana, "referral_asked", day, "phone", None),
        (ana, "thank_you", day, "phone", None),
    ]
    referrals = db.execute(
        "SELECT full_name, company, referred_by, may_use_name, source, identified_on "
        "FROM contacts WHERE id <> ? ORDER BY id",
        [ana],
    ).fetchall()
    assert referrals == [
        ("Ben Okafor", "Atlas", ana, True, "referral", day),
        ("Chloé Martin", None, ana, False, "referral", day),
    ]
    assert logged.message == (
        "Logged for Ana Ruiz on Mon 23 Nov 2026 by phone: conversation with your pitch, "
        "informational interview, asked for referrals, thanked at the time. "
        "2 new referrals added as targets: Ben Okafor (Atlas, may use Ana's name); "
        "Chloé Martin (cold)."
    )
    assert len(logged.event_ids) == 4
    assert len(logged.referral_ids) == 2


def test_a_conversation_without_the_pitch_says_so_in_its_notes(db: Database, ana: int) -> None:
    logged = log_talk(db, ana, pitch_delivered=False, today=TODAY)
    assert events(db) == [(ana, "contacted", TODAY, None, PITCH_NOT_DELIVERED)]
    assert logged.message == "Logged for Ana Ruiz on Wed 25 Nov 2026: conversation (no pitch)."


def test_giving_referrals_counts_as_being_asked(db: Database, ana: int) -> None:
    log_talk(db, ana, referrals=[{"full_name": "Ben Okafor"}], today=TODAY)
    assert [kind for _, kind, *_ in events(db)] == ["contacted", "referral_asked"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact_id": None}, "contact_id: is required"),
        ({"contact_id": 999}, "contact_id: there is no contact with id 999"),
        ({"occurred_on": TODAY + timedelta(1)}, "occurred_on: Thu 26 Nov 2026 is in the future"),
        ({"channel": "pigeon"}, "channel: 'pigeon' is not one of"),
        ({"notes": "x" * 20_001}, "notes: is too long"),
        (
            {"referrals": [{}, {"full_name": "", "company": "Atlas"}]},
            "referral 2 full_name: is required",
        ),
        (
            {"referrals": [{"full_name": "B" * 201}]},
            "referral 1 full_name: is too long",
        ),
    ],
)
def test_bad_conversations_write_nothing(
    db: Database, ana: int, changes: dict, message: str
) -> None:
    arguments = {"contact_id": ana, "referrals": [{"full_name": "Ben Okafor"}], **changes}
    contact_id = arguments.pop("contact_id")
    before = counts(db)
    with pytest.raises(ValidationError) as caught:
        log_talk(db, contact_id, today=TODAY, **arguments)
    assert str(caught.value).startswith(message)
    assert counts(db) == before


@pytest.mark.parametrize(
    ("kind", "notes", "expected"),
    [
        ("thank_you", None, "Logged: thank-you sent to Ana Ruiz on Wed 25 Nov 2026 by email."),
        ("follow_up", "Update", "Logged: follow-up sent to Ana Ruiz on Wed 25 Nov 2026 by email."),
        (
            "opportunity",
            "Planner role",
            "Logged: opportunity from Ana Ruiz on Wed 25 Nov 2026 by email.",
        ),
        ("note", "Prefers mornings", "Logged: note on Ana Ruiz on Wed 25 Nov 2026 by email."),
    ],
)
def test_single_steps_write_one_event(
    db: Database, ana: int, kind: str, notes: str | None, expected: str
) -> None:
    logged = log_step(db, kind, ana, channel="email", notes=notes, today=TODAY)
    assert events(db) == [(ana, kind, TODAY, "email", notes)]
    assert logged.message == expected
    assert logged.warning is None


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("opportunity", "notes: is required — describe the lead"),
        ("note", "notes: is required — write the note"),
        ("contacted", "kind: 'contacted' is not a step logged on its own"),
    ],
)
def test_steps_that_need_words_refuse_to_be_empty(
    db: Database, ana: int, kind: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        log_step(db, kind, ana, notes="  ", today=TODAY)
    assert str(caught.value).startswith(message)
    assert counts(db) == (1, 0)


def test_a_follow_up_too_soon_warns_but_is_logged(db: Database, ana: int) -> None:
    talked(db, ana, days_ago=10)
    logged = log_step(db, "follow_up", ana, today=TODAY)
    assert logged.warning == (
        "too soon — could become a nuisance: only 10 days since the last touch "
        "(every 21–28 days is the rhythm)"
    )
    assert counts(db) == (1, 2)


def test_a_follow_up_after_three_weeks_does_not_warn(db: Database, ana: int) -> None:
    talked(db, ana, days_ago=21)
    assert log_step(db, "follow_up", ana, today=TODAY).warning is None


def test_undo_removes_exactly_the_steps_just_logged(db: Database, ana: int) -> None:
    kept = log_step(db, "thank_you", ana, today=TODAY).event_ids
    undone = log_step(db, "follow_up", ana, today=TODAY).event_ids
    assert undo_events(db, undone) == 1
    assert [row[0] for row in db.execute("SELECT id FROM events").fetchall()] == kept


def test_a_double_click_on_a_one_click_step_writes_it_once(db: Database, ana: int) -> None:
    """Today's "Thank-you sent" tapped twice: one thank-you, the same message and id twice."""
    first = log_step(db, "thank_you", ana, channel="email", today=TODAY)
    again = log_step(db, "thank_you", ana, channel="email", today=TODAY)
    assert again == first
    assert events(db) == [(ana, "thank_you", TODAY, "email", None)]


def test_a_repeated_follow_up_too_soon_warns_once(db: Database, ana: int) -> None:
    talked(db, ana, days_ago=10)
    first = log_step(db, "follow_up", ana, today=TODAY)
    again = log_step(db, "follow_up", ana, today=TODAY)
    assert first.warning is not None and first.warning.startswith("too soon")
    assert (again.event_ids, again.warning) == (first.event_ids, None)  # not "only 0 days"
    assert counts(db) == (1, 2)


def test_a_different_step_or_a_later_click_is_a_new_step(db: Database, ana: int) -> None:
    log_step(db, "note", ana, notes="Asked about Q3 hiring", today=TODAY)
    log_step(db, "note", ana, notes="Sent my CV", today=TODAY)  # other words: a second note
    log_step(db, "thank_you", ana, channel="email", today=TODAY)
    log_step(db, "thank_you", ana, channel="phone", today=TODAY)  # another channel
    log_step(db, "thank_you", ana, channel="phone", occurred_on=TODAY - timedelta(1), today=TODAY)
    db.execute("UPDATE events SET created_at = created_at - INTERVAL 6 SECOND")
    log_step(db, "thank_you", ana, channel="email", today=TODAY)  # seconds later: a new one
    assert events(db) == [
        (ana, "note", TODAY, None, "Asked about Q3 hiring"),
        (ana, "note", TODAY, None, "Sent my CV"),
        (ana, "thank_you", TODAY, "email", None),
        (ana, "thank_you", TODAY, "phone", None),
        (ana, "thank_you", TODAY - timedelta(1), "phone", None),
        (ana, "thank_you", TODAY, "email", None),
    ]
