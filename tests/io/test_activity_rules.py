"""The rules of docs/METHOD.md "Suggested steps", over the realistic day of
tests/fixtures/activity/ and small files for the rules the day does not reach."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lib.io.activity.apply import import_activity
from lib.io.activity.model import ActivityFileError
from lib.records.events import log_event
from lib.records.suggestions import dismiss
from lib.store.db import Database
from tests.io.activity_day import DAY, FIXTURES, ME, TODAY, TZ, load_day_network

CALLS = FIXTURES / "calls-20261208221431.xml"
MBOX = FIXTURES / "all-mail.mbox"
ICS = FIXTURES / "calendar.ics"
D = DAY.isoformat()


@pytest.fixture
def day(db: Database) -> Database:
    load_day_network(db)
    return db


def run(db: Database, path: Path, **options) -> dict:
    return import_activity(db, path, today=TODAY, tz=TZ, **options).as_json()


def attempt(contact_id: int) -> dict:
    return {
        "contact_id": contact_id,
        "kind": "attempt",
        "occurred_on": D,
        "channel": "phone",
        "outcome": "no_answer",
    }


def step(contact_id: int, kind: str, channel: str, on: str = D) -> dict:
    return {"contact_id": contact_id, "kind": kind, "occurred_on": on, "channel": channel}


def stored(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT contact_id, kind, occurred_on::VARCHAR, channel, outcome, seen, status "
        "FROM suggestions ORDER BY id"
    ).fetchall()


def test_the_days_calls_give_11_attempts_and_4_conversations_and_40_unmatched(day: Database):
    assert run(day, CALLS) == {
        "suggestions": [
            *(attempt(i) for i in range(1, 12)),  # 9 unanswered and 2 voicemails
            *(step(i, "contacted", "phone") for i in range(12, 16)),
        ],
        "ignored": {"unmatched": 40, "already_logged": 0, "duplicates": 0},
    }
    assert stored(day)[9:13] == [
        (10, "attempt", D, "phone", "no_answer", "call 12 s outgoing, Tue 8 Dec 09:50", "open"),
        (11, "attempt", D, "phone", "no_answer", "call 17 s outgoing, Tue 8 Dec 09:58", "open"),
        (12, "contacted", D, "phone", None, "call 3 min 10 s outgoing, Tue 8 Dec 10:42", "open"),
        (13, "contacted", D, "phone", None, "call 7 min outgoing, Tue 8 Dec 11:15", "open"),
    ]
    assert stored(day)[13][5] == "call 10 min incoming, Tue 8 Dec 14:03"


def test_nothing_about_unmatched_numbers_or_addresses_is_in_the_database(day: Database):
    run(day, CALLS)
    run(day, MBOX, my_addresses=[ME])
    run(day, ICS)
    values = [
        str(value)
        for table in ("contacts", "events", "suggestions", "import_batches", "settings")
        for row in day.execute(f"SELECT * FROM {table}").fetchall()
        for value in row
    ]
    everything = " ".join(values)
    # The unmatched numbers are +1 385-555-02xx, in any spelling. A bare "385" also turned up
    # by chance in the microseconds of a created_at ("08:05:56.838547"), so each value's
    # digits are searched for the area code with its exchange.
    assert not [value for value in values if "385555" in re.sub(r"\D", "", value)]
    assert "5550200" not in everything
    assert "agency" not in everything and "list.example" not in everything
    assert "room4b" not in everything and "Panel prep" not in everything


def test_sent_mail_is_a_thank_you_after_a_talk_in_the_week_before_else_a_follow_up(
    day: Database,
):
    run(day, CALLS)  # Farah's call (#12) is a suggested conversation, so thanks follow it
    assert run(day, MBOX, my_addresses=[ME]) == {
        "suggestions": [
            step(12, "thank_you", "email"),
            step(16, "thank_you", "email"),
            step(17, "thank_you", "email"),
            step(18, "follow_up", "email"),  # talked 10 Nov, thanked 11 Nov
        ],
        "ignored": {"unmatched": 10, "already_logged": 0, "duplicates": 0},
    }
    assert [row[5] for row in stored(day)[15:]] == [
        'e-mail "Great talking today" to farah@haddad.example',
        'e-mail "Thank you for your time" to dana@whitfield.example',
        'e-mail "Merci pour votre temps" to eli.moreau@moreau.example',
        'e-mail "Quick update — new role" to gus@almeida.example',
    ]


def test_a_thank_you_already_sent_since_the_talk_makes_the_next_mail_a_follow_up(
    day: Database,
):
    log_event(
        day, {"contact_id": 16, "kind": "thank_you", "occurred_on": "2026-12-05"}, today=TODAY
    )
    suggestions = run(day, MBOX, my_addresses=[ME])["suggestions"]
    assert step(16, "follow_up", "email") in suggestions


def test_the_coffee_is_a_conversation_in_person_and_the_declined_invitation_nothing(
    day: Database,
):
    assert run(day, ICS, my_addresses=[ME]) == {
        "suggestions": [step(19, "contacted", "in_person")],
        "ignored": {"unmatched": 0, "already_logged": 0, "duplicates": 0},
    }
    assert stored(day)[0][5] == 'meeting "Coffee with Hana", Tue 8 Dec 16:30'


def test_a_future_video_interview_naming_a_contact_is_suggested_on_its_day(
    day: Database, tmp_path: Path
):
    path = tmp_path / "next.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:n1\r\n"
        "DTSTART:20261215T170000Z\r\nSUMMARY:Informational interview: Dana Whitfield\r\n"
        "LOCATION:https://zoom.us/j/123\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert run(day, path)["suggestions"] == [step(16, "info_interview", "video", "2026-12-15")]


def test_a_missed_call_from_a_contact_is_a_they_called_back_note(day: Database, tmp_path: Path):
    path = tmp_path / "calls.xml"
    path.write_text(
        '<calls count="3"><call number="8015550101" duration="0" date="1796733000000" type="3"/>'
        '<call number="8015550102" duration="5" date="1796733000000" type="1"/>'
        '<call number="8015550103" duration="0" date="1796733000000" type="6"/></calls>'
    )
    assert run(day, path)["suggestions"] == [step(1, "note", "phone")]
    assert stored(day)[0][5] == "missed call, Tue 8 Dec 12:30"


def test_a_step_already_logged_that_day_is_not_suggested(day: Database):
    talk = {"kind": "contacted", "occurred_on": D}
    log_event(day, {**talk, "contact_id": 12, "channel": "phone"}, today=TODAY)
    log_event(day, {**talk, "contact_id": 19}, today=TODAY)
    assert run(day, CALLS)["ignored"] == {"unmatched": 40, "already_logged": 1, "duplicates": 0}
    assert run(day, ICS, my_addresses=[ME])["ignored"] == {
        "unmatched": 0,
        "already_logged": 1,
        "duplicates": 0,
    }


def test_reimporting_the_same_file_adds_nothing_and_a_dismissed_one_never_comes_back(
    day: Database,
):
    run(day, CALLS)
    dismiss(day, 1)
    assert run(day, CALLS) == {
        "suggestions": [],
        "ignored": {"unmatched": 40, "already_logged": 0, "duplicates": 15},
    }
    assert day.scalar("SELECT count(*) FROM suggestions") == 15
    assert day.scalar("SELECT count(*) FROM import_batches") == 2


def test_repeated_calls_in_overlapping_backups_are_counted_once(day: Database, tmp_path: Path):
    call = '<call number="8015550101" duration="0" date="1796720520000" type="2"/>'
    again = '<call number="+1 801 555 0101" duration="4" date="1796720700000" type="2"/>'
    path = tmp_path / "calls.xml"
    path.write_text(f"<calls>{call}{call}{again}</calls>")
    assert run(day, path) == {
        "suggestions": [attempt(1)],
        "ignored": {"unmatched": 0, "already_logged": 0, "duplicates": 2},
    }


def test_a_dry_run_writes_nothing(day: Database):
    result = import_activity(day, CALLS, today=TODAY, tz=TZ, dry_run=True)
    assert (len(result.suggestions), result.batch_id) == (15, None)
    assert day.scalar("SELECT count(*) FROM suggestions") == 0
    assert day.scalar("SELECT count(*) FROM import_batches") == 0


def test_a_bad_file_writes_nothing_not_even_what_it_read_before_the_fault(
    day: Database, tmp_path: Path
):
    text = CALLS.read_text()
    path = tmp_path / "calls.xml"
    path.write_text(text[: len(text) * 2 // 3])  # cut after most calls were read
    with pytest.raises(ActivityFileError, match=r"^calls\.xml: the XML is damaged or cut short"):
        run(day, path)
    assert day.scalar("SELECT count(*) FROM suggestions") == 0
    assert day.scalar("SELECT count(*) FROM import_batches") == 0
