"""Confirming, changing, dismissing and undoing suggested steps; undoing their import."""

from __future__ import annotations

from datetime import date

import pytest

from lib.core.errors import NotFoundError, ValidationError
from lib.core.words import human_date
from lib.io.activity.apply import import_activity
from lib.io.importing.batches import list_imports, undo_import
from lib.records.events import Conversation
from lib.records.suggestions import (
    change,
    confirm,
    confirm_attempts,
    dismiss,
    list_suggestions,
    undo,
)
from lib.store.db import Database
from tests.io.activity_day import DAY, FIXTURES, ME, TODAY, TZ, load_day_network


@pytest.fixture
def queued(db: Database) -> Database:
    """The day's network with the day's calls, mail and calendar imported."""
    load_day_network(db)
    for name in ("calls-20261208221431.xml", "all-mail.mbox", "calendar.ics"):
        import_activity(db, FIXTURES / name, today=TODAY, tz=TZ, my_addresses=[ME])
    return db


def events(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT contact_id, kind, occurred_on, channel, outcome, notes FROM events "
        "WHERE occurred_on = ? ORDER BY id",
        [DAY],
    ).fetchall()


def test_the_queue_lists_the_days_20_suggestions_by_day_and_person(queued: Database):
    rows = list_suggestions(queued)
    assert len(rows) == 20
    assert [(r["id"], r["full_name"], r["kind"]) for r in rows[11:13]] == [
        (12, "Farah Haddad", "contacted"),
        (16, "Farah Haddad", "thank_you"),
    ]
    assert rows[0] == {
        "id": 1,
        "contact_id": 1,
        "full_name": "Ana Ruiz",
        "kind": "attempt",
        "occurred_on": DAY,
        "channel": "phone",
        "outcome": "no_answer",
        "seen": "call 0 s outgoing, Tue 8 Dec 09:02",
        "status": "open",
        "event_id": None,
        "import_batch": 1,
    }


def test_confirming_an_attempt_logs_it_through_log_attempt(queued: Database):
    logged = confirm(queued, 1, today=TODAY)
    assert logged.message == f"Logged a call attempt to Ana Ruiz on {human_date(DAY)}: no answer."
    assert events(queued) == [(1, "attempt", DAY, "phone", "no_answer", None)]
    row = queued.execute("SELECT status, event_id FROM suggestions WHERE id = 1").fetchone()
    assert row == ("confirmed", logged.event_ids[0])
    with pytest.raises(ValidationError, match="#1 is confirmed already"):
        confirm(queued, 1, today=TODAY)


def test_a_voicemail_is_changed_then_confirmed(queued: Database):
    change(queued, 10, outcome="voicemail")
    confirm(queued, 10, today=TODAY)
    assert events(queued) == [(10, "attempt", DAY, "phone", "voicemail", None)]


def test_a_conversation_is_confirmed_with_what_the_user_adds(queued: Database):
    talk = Conversation(
        12,
        occurred_on=DAY,
        channel="phone",
        asked_for_referrals=True,
        referrals=[{"full_name": "Omar Haddad", "may_use_name": True}],
    )
    logged = confirm(queued, 12, conversation=talk, today=TODAY)
    assert logged.message == (
        f"Logged for Farah Haddad on {human_date(DAY)} by phone: conversation with your pitch, "
        "asked for referrals. 1 new referral added as target: Omar Haddad (may use Farah's name)."
    )
    assert [e[1] for e in events(queued)] == ["contacted", "referral_asked"]
    assert len(logged.referral_ids) == 1


def test_a_they_called_back_note_thank_yous_and_meetings_log_their_steps(queued: Database):
    confirm(queued, 16, today=TODAY)  # Farah's thank-you
    confirm(queued, 20, today=TODAY)  # coffee with Hana
    assert events(queued) == [
        (
            12,
            "thank_you",
            DAY,
            "email",
            None,
            'e-mail "Great talking today" to farah@haddad.example',
        ),
        (19, "contacted", DAY, "in_person", None, None),
    ]


def test_change_refuses_an_unknown_kind_or_outcome(queued: Database):
    with pytest.raises(ValidationError, match="'chat' is not a step"):
        change(queued, 1, kind="chat")
    with pytest.raises(ValidationError, match="'hung_up' is not one of no_answer"):
        change(queued, 1, outcome="hung_up")
    changed = change(queued, 15, kind="attempt", occurred_on="2026-12-07")
    assert (changed["kind"], changed["outcome"], changed["occurred_on"]) == (
        "attempt",
        "no_answer",
        date(2026, 12, 7),
    )


def test_confirm_all_attempts_of_the_day_logs_the_11_unanswered_calls(queued: Database):
    logged = confirm_attempts(queued, DAY, today=TODAY)
    assert len(logged) == 11
    assert queued.scalar("SELECT count(*) FROM events WHERE kind = 'attempt'") == 11
    assert len(list_suggestions(queued)) == 9


def test_dismiss_and_undo(queued: Database):
    assert dismiss(queued, 2) == "Dismissed: call 8 s outgoing, Tue 8 Dec 09:05."
    assert undo(queued, 2) == "Undone: the suggestion is back in the queue."
    logged = confirm(queued, 2, today=TODAY)
    assert undo(queued, 2, logged) == (
        "Undone: the step was removed. The suggestion is back in the queue."
    )
    assert events(queued) == []
    with pytest.raises(ValidationError, match="#2 is open: nothing to undo"):
        undo(queued, 2)
    with pytest.raises(NotFoundError, match="there is no suggestion #99"):
        dismiss(queued, 99)


def test_an_activity_import_is_listed_and_undoing_it_takes_back_its_open_suggestions(
    queued: Database,
):
    [ics, mbox, calls] = list_imports(queued)
    assert (calls["file"], calls["format"], mbox["format"], ics["format"]) == (
        "calls-20261208221431.xml",
        "calls-xml",
        "mbox",
        "ics",
    )
    confirm(queued, 1, today=TODAY)
    dismiss(queued, 2)
    done = undo_import(queued, calls["id"])
    assert done.summary() == (
        "Undid import #1 (calls-20261208221431.xml): removed 0 contacts, emptied 0 filled "
        "fields, took back 13 open suggestions."
    )
    assert queued.execute(
        "SELECT id, status FROM suggestions WHERE import_batch = 1"
    ).fetchall() == [
        (1, "confirmed"),
        (2, "dismissed"),
    ]
    assert len(events(queued)) == 1  # the confirmed attempt is the user's own step


def test_a_meeting_still_to_come_cannot_be_confirmed_before_its_day(queued: Database):
    change(queued, 20, occurred_on="2026-12-15")
    with pytest.raises(ValidationError, match="is in the future"):
        confirm(queued, 20, today=TODAY)
    assert list_suggestions(queued)[-1]["occurred_on"] == date(2026, 12, 15)


def test_a_they_called_back_note_is_logged_with_what_it_saw(db: Database, tmp_path):
    load_day_network(db)
    path = tmp_path / "calls.xml"
    call = '<call number="8015550101" duration="0" date="1796733000000" type="3"/>'
    path.write_text(f"<calls>{call}</calls>")
    import_activity(db, path, today=TODAY, tz=TZ)
    confirm(db, 1, today=TODAY)
    assert events(db) == [
        (1, "note", DAY, "phone", None, "They called you back (missed call, Tue 8 Dec 12:30)")
    ]
