"""What a call card writes: one attempt per click (a double click or a second tab adds none),
a number typed on the card, a wrong number taken off it, and that taken back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lib.core.errors import ValidationError
from lib.records.calls import log_wrong_number, save_phone, undo_attempt
from lib.records.contacts import add_contact
from lib.records.events import log_attempt
from lib.store.db import Database
from tests.conftest import TODAY

ROWS = "SELECT contact_id, outcome, call_back_on, notes FROM events ORDER BY id"


@pytest.fixture
def ann(db: Database) -> int:
    return add_contact(db, {"full_name": "Ann Lee", "phone": "+1 555 0101"}, today=TODAY)


def test_a_double_click_logs_one_attempt_and_returns_the_first(db: Database, ann: int) -> None:
    first = log_attempt(db, ann, "no_answer", today=TODAY)
    again = log_attempt(db, ann, "no_answer", today=TODAY)
    assert again.event_ids == first.event_ids
    assert again.message == first.message
    assert db.execute(ROWS).fetchall() == [(ann, "no_answer", None, None)]


def test_a_second_tab_is_the_same_click(db: Database, ann: int) -> None:
    log_attempt(db.cursor(), ann, "voicemail", today=TODAY)
    log_attempt(db.cursor(), ann, "voicemail", today=TODAY)
    assert db.execute(ROWS).fetchall() == [(ann, "voicemail", None, None)]


def test_another_outcome_day_or_person_is_another_attempt(db: Database, ann: int) -> None:
    ben = add_contact(db, {"full_name": "Ben Okafor"}, today=TODAY)
    log_attempt(db, ann, "no_answer", today=TODAY)
    log_attempt(db, ann, "voicemail", today=TODAY)
    log_attempt(db, ann, "no_answer", today=TODAY)  # not the latest attempt: a new one
    log_attempt(db, ben, "no_answer", today=TODAY)
    friday = TODAY + timedelta(days=2)
    log_attempt(db, ann, "call_back", call_back_on=friday, today=TODAY)
    log_attempt(db, ann, "call_back", call_back_on=friday + timedelta(1), today=TODAY)
    assert db.execute(ROWS).fetchall() == [
        (ann, "no_answer", None, None),
        (ann, "voicemail", None, None),
        (ann, "no_answer", None, None),
        (ben, "no_answer", None, None),
        (ann, "call_back", friday, None),
        (ann, "call_back", friday + timedelta(1), None),
    ]


def test_the_same_outcome_seconds_later_is_a_new_attempt(db: Database, ann: int) -> None:
    log_attempt(db, ann, "no_answer", today=TODAY)
    db.execute("UPDATE events SET created_at = created_at - INTERVAL 6 SECOND")
    log_attempt(db, ann, "no_answer", today=TODAY)
    assert db.scalar("SELECT count(*) FROM events") == 2


def test_a_number_typed_on_a_card_is_cleaned_or_refused(db: Database) -> None:
    cy = add_contact(db, {"full_name": "Cy Ode"}, today=TODAY)
    assert save_phone(db, cy, " 801.555.0142 ") == "Saved Cy Ode's number: +1 801-555-0142."
    assert db.scalar("SELECT phone FROM contacts WHERE id = ?", [cy]) == "+1 801-555-0142"
    for bad, reason in (
        ("call me", "'call me' is not a phone number"),
        ("", "is required — type their number"),
    ):
        with pytest.raises(ValidationError) as refused:
            save_phone(db, cy, bad)
        assert (refused.value.field, refused.value.reason) == ("phone", reason)
    assert db.scalar("SELECT phone FROM contacts WHERE id = ?", [cy]) == "+1 801-555-0142"


def test_a_wrong_number_leaves_the_card_and_stays_in_the_notes(db: Database, ann: int) -> None:
    logged = log_wrong_number(db, ann, today=TODAY)
    assert logged.message.endswith(
        "wrong number. +1 555 0101 was taken off their card (it is kept in the attempt's notes)."
    )
    assert db.execute(ROWS).fetchall() == [
        (ann, "wrong_number", None, "The wrong number: +1 555 0101")
    ]
    assert db.scalar("SELECT phone FROM contacts") is None
    assert undo_attempt(db, logged.event_ids) == (
        "Undone: the call attempt was removed and the old number is back on their card."
    )
    assert db.scalar("SELECT phone FROM contacts") == "+1 555 0101"
    assert db.scalar("SELECT count(*) FROM events") == 0


def test_the_right_number_replaces_the_wrong_one_and_a_bad_one_changes_nothing(
    db: Database, ann: int
) -> None:
    with pytest.raises(ValidationError, match="is not a phone number"):
        log_wrong_number(db, ann, "12", today=TODAY)
    assert db.scalar("SELECT count(*) FROM events") == 0
    assert db.scalar("SELECT phone FROM contacts") == "+1 555 0101"
    logged = log_wrong_number(db, ann, "+44 20 7946 0958", today=TODAY)
    assert logged.message.endswith("Their number is now +44 20 7946 0958.")
    again = log_wrong_number(db, ann, "+44 20 7946 0958", today=TODAY)  # the double click
    assert again.event_ids == logged.event_ids
    assert db.execute(ROWS).fetchall() == [
        (ann, "wrong_number", None, "The wrong number: +1 555 0101")
    ]
    assert db.scalar("SELECT phone FROM contacts") == "+44 20 7946 0958"
