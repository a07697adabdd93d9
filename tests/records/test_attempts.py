"""Call attempts: logged with their outcome, refused with a field message, undone, migrated."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from lib.core.errors import ValidationError
from lib.engine.stats import make_period, stats
from lib.records.contacts import add_contact
from lib.records.corrections import undo_events
from lib.records.events import log_attempt
from lib.store import migrations
from lib.store.db import open_database, open_view
from tests.conftest import ROOT, TODAY
from tests.support import CORE_DDL

ATTEMPTS = "SELECT contact_id, kind, occurred_on, channel, outcome, call_back_on FROM events"


@pytest.fixture
def ann(db):
    return add_contact(db, {"full_name": "Ann Lee", "phone": "+1 555 0101"}, today=TODAY)


def test_an_attempt_is_written_with_its_outcome_and_confirmed(db, ann) -> None:
    logged = log_attempt(db, ann, "voicemail", today=TODAY)
    assert (
        logged.message == "Logged a call attempt to Ann Lee on Wed 25 Nov 2026: left a voicemail."
    )
    assert db.execute(ATTEMPTS).fetchall() == [(ann, "attempt", TODAY, "phone", "voicemail", None)]


def test_asked_to_call_back_keeps_the_day(db, ann) -> None:
    logged = log_attempt(db, ann, "Call back", call_back_on="2026-11-30", today=TODAY)
    assert logged.message.endswith("asked to call back later — call back on Mon 30 Nov 2026.")
    assert db.execute(ATTEMPTS).fetchall() == [
        (ann, "attempt", TODAY, "phone", "call_back", date(2026, 11, 30))
    ]


@pytest.mark.parametrize(
    ("options", "field", "reason"),
    [
        ({"outcome": "sneezed"}, "outcome", "'sneezed' is not one of no_answer, voicemail"),
        ({"outcome": None}, "outcome", "is required"),
        (
            {"outcome": "call_back", "call_back_on": "2026-11-24"},
            "call_back_on",
            "Tue 24 Nov 2026 is in the past (today is Wed 25 Nov 2026); pick today or a later day",
        ),
        (
            {"outcome": "voicemail", "call_back_on": "2026-11-30"},
            "call_back_on",
            "only goes with “asked to call back later”",
        ),
        ({"outcome": "no_answer", "occurred_on": "2026-11-26"}, "occurred_on", "in the future"),
    ],
)
def test_bad_attempts_name_the_field_and_write_nothing(db, ann, options, field, reason) -> None:
    with pytest.raises(ValidationError) as caught:
        log_attempt(db, ann, today=TODAY, **options)
    assert caught.value.field == field
    assert reason in caught.value.reason
    assert db.scalar("SELECT count(*) FROM events") == 0


def test_an_archived_or_missing_contact_is_refused_and_nothing_written(db, ann) -> None:
    gone = add_contact(db, {"full_name": "Bo Gone", "archived": True}, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        log_attempt(db, gone, "no_answer", today=TODAY)
    assert (caught.value.field, caught.value.reason) == (
        "contact_id",
        "Bo Gone is archived: restore them before logging a call",
    )
    with pytest.raises(ValidationError) as missing:
        log_attempt(db, 999, "no_answer", today=TODAY)
    assert str(missing.value) == "contact_id: there is no contact with id 999"
    assert db.scalar("SELECT count(*) FROM events") == 0


def test_undo_removes_the_attempt(db, ann) -> None:
    first = log_attempt(db, ann, "no_answer", today=TODAY)
    log_attempt(db, ann, "wrong_number", today=TODAY)
    assert undo_events(db, first.event_ids) == 1
    assert db.execute("SELECT outcome FROM events").fetchall() == [("wrong_number",)]


def test_an_attempt_counts_in_the_week_but_moves_no_stage(db, ann) -> None:
    log_attempt(db, ann, "no_answer", today=TODAY)
    got = stats(db, make_period(as_of=TODAY))
    assert [row["contacts"] for row in got["funnel"]] == [1, 0, 0, 0, 0]
    assert got["weekly"][-1]["attempt"] == 1
    assert got["due"]["to_contact"] == [ann]


def test_stats_json_weekly_rows_carry_attempt(db_path: Path) -> None:
    db = open_database(db_path)
    ann = add_contact(db, {"full_name": "Ann Lee"}, today=TODAY)
    log_attempt(db, ann, "voicemail", today=TODAY)
    db.close()
    out = subprocess.run(
        [sys.executable, "-m", "lib.cli", "--db", str(db_path), "stats", "--json"]
        + ["--as-of", TODAY.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    [week] = json.loads(out.stdout)["weekly"]
    assert week == {
        "week": "2026-W48",
        "week_start": "2026-11-23",
        "targets": 1,
        "referrals": 0,
        "contacted": 0,
        "info_interview": 0,
        "referral_asked": 0,
        "thank_you": 0,
        "follow_up": 0,
        "opportunity": 0,
        "attempt": 1,
    }


def _core_only_file(path: Path) -> None:
    """A file another tool wrote: the core columns of docs/METHOD.md "The records" only, one
    attempt among its events."""
    con = duckdb.connect(str(path))
    con.execute(CORE_DDL)
    con.execute(
        "INSERT INTO contacts (id, full_name, identified_on) VALUES (1, 'Ana', '2026-11-20')"
    )
    con.execute("INSERT INTO events VALUES (1, 1, 'attempt', '2026-11-24', 'phone', 'rang out')")
    con.close()


def test_a_core_only_file_is_read_as_it_is_and_migrated_when_opened_to_write(
    tmp_path: Path,
) -> None:
    path = tmp_path / "network.duckdb"
    _core_only_file(path)
    view = open_view(path)  # the read-only app and reports: no migration, no new columns
    assert stats(view, make_period(as_of=TODAY))["weekly"][-1]["attempt"] == 1
    view.close()
    db = open_database(path)
    assert db.execute(ATTEMPTS).fetchall() == [
        (1, "attempt", date(2026, 11, 24), "phone", None, None)
    ]
    log_attempt(db, 1, "voicemail", today=TODAY)
    assert db.scalar("SELECT count(*) FROM events WHERE outcome = 'voicemail'") == 1
    assert migrations.current_version(db.con) == migrations.MIGRATIONS[-1][0]
    db.close()


def test_today_lists_is_due_page_and_coming_up_in_one_pass(demo_db) -> None:
    from lib.engine.due import coming_up, due_page, today_lists

    rows, counts, soon = today_lists(demo_db, TODAY, {"to_contact": 1})
    assert (rows, counts) == due_page(demo_db, TODAY, {"to_contact": 1})
    assert soon == coming_up(demo_db, TODAY)
    assert soon and all(TODAY < item["on"] <= date(2026, 12, 2) for item in soon)


def test_a_call_back_comes_up_on_its_day_and_the_row_counts_the_tries(db, ann) -> None:
    from lib.engine.due import coming_up, due_page

    log_attempt(db, ann, "no_answer", occurred_on="2026-11-24", today=TODAY)
    log_attempt(db, ann, "call_back", call_back_on="2026-11-27", today=TODAY)
    assert [(i["id"], i["what"], i["on"]) for i in coming_up(db, TODAY)] == [
        (ann, "call_back", date(2026, 11, 27))
    ]
    [row], _ = due_page(db, TODAY)
    assert (row["attempts"], row["last_attempt"], row["last_outcome"], row["call_back_on"]) == (
        2,
        TODAY,
        "call_back",
        date(2026, 11, 27),
    )


def test_the_call_queue_puts_numbers_first_then_warm_referrals_cold_and_follow_ups(db) -> None:
    from lib.engine.due import call_queue
    from lib.records.events import Conversation, log_conversation

    rita = add_contact(
        db, {"full_name": "Rita", "phone": "555 0100", "identified_on": "2026-10-01"}, today=TODAY
    )
    given = log_conversation(
        db,
        Conversation(
            rita,
            occurred_on="2026-10-20",
            channel="phone",
            thanked=True,
            referrals=[
                {"full_name": "Warm Wes", "may_use_name": True},
                {"full_name": "Cool Cy", "may_use_name": False},
            ],
        ),
        today=TODAY,
    )
    wes, cy = given.referral_ids
    old = add_contact(db, {"full_name": "Old Olga", "identified_on": "2026-09-01"}, today=TODAY)
    quiet = add_contact(db, {"full_name": "No Phone", "identified_on": "2026-09-01"}, today=TODAY)
    log_conversation(db, Conversation(quiet, occurred_on="2026-10-01", thanked=True), today=TODAY)
    queue = call_queue(db, TODAY)
    # Rita's last touch is 36 days ago and she has a phone (so she comes first: the others
    # have none); "No Phone" is overdue without one, so not in the queue.
    assert [(r["id"], r["call_group"]) for r in queue] == [
        (rita, "follow_up"),
        (wes, "warm"),
        (cy, "cold"),
        (old, "cold"),
    ]
