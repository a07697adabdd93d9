"""Correcting steps: edit or delete one, and the stage, due lists and stats move exactly."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from lib.cli import main
from lib.core.errors import NotFoundError, ValidationError
from lib.engine.stats import make_period, stats
from lib.records import changes
from lib.records.contacts import add_contact
from lib.records.corrections import conversation_of, delete_event, edit_event, undo_logged
from lib.records.events import Conversation, log_attempt, log_conversation, log_event
from lib.store.db import Database, open_database
from tests.conftest import TODAY

EVENTS = "SELECT id, contact_id, kind, occurred_on, channel, notes FROM events ORDER BY id"
CONTACTS = "SELECT id, full_name, referred_by, identified_on FROM contacts ORDER BY id"
# Dana: found, talked to (pitch, ask), thanked; Ben: a target found the same day.
STEPS = [
    ("contacted", "2026-11-02", "phone", "good talk"),
    ("referral_asked", "2026-11-02", "phone", None),
    ("thank_you", "2026-11-03", "email", None),
]


def network(path: Path, steps: list[tuple[str, str, str | None, str | None]]) -> Database:
    """Dana with `steps`, and Ben untouched: the same network built with or without a step."""
    db = open_database(path)
    dana = add_contact(db, {"full_name": "Dana Cole", "identified_on": "2026-10-20"}, today=TODAY)
    add_contact(db, {"full_name": "Ben Ode", "identified_on": "2026-10-20"}, today=TODAY)
    for kind, on, channel, notes in steps:
        data = {"contact_id": dana, "kind": kind, "occurred_on": on, "channel": channel}
        log_event(db, {**data, "notes": notes}, today=TODAY)
    return db


def stats_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["stats", "--json", "--as-of", TODAY.isoformat(), "--db", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def compare(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fix: Callable[[Database], object],
    expected_steps: list[tuple[str, str, str | None, str | None]],
) -> None:
    """Fixing the full network must equal building it right in the first place."""
    wrong = network(tmp_path / "wrong.duckdb", STEPS)
    fix(wrong)
    right = network(tmp_path / "right.duckdb", expected_steps)
    period = make_period(as_of=TODAY.isoformat())
    assert stats(wrong, period) == stats(right, period)
    strip = "SELECT contact_id, kind, occurred_on, channel, notes FROM events ORDER BY id"
    assert wrong.execute(strip).fetchall() == right.execute(strip).fetchall()
    wrong.close()
    right.close()
    assert stats_json(tmp_path / "wrong.duckdb", capsys) == stats_json(
        tmp_path / "right.duckdb", capsys
    )


def test_the_preview_of_deleting_a_thank_you_says_dana_goes_back(tmp_path: Path) -> None:
    db = network(tmp_path / "n.duckdb", STEPS)
    before, after = changes.preview(
        db, 1, TODAY, lambda d: d.execute("DELETE FROM events WHERE id = 3")
    )
    assert changes.describe(before, after) == (
        "Dana goes back from Thanked to Asked for referrals; "
        "the thank-you pending list will show Dana."
    )
    assert db.scalar("SELECT count(*) FROM events") == 3  # the preview wrote nothing


def test_the_edit_and_delete_previews_run_the_action_and_keep_nothing(tmp_path: Path) -> None:
    db = network(tmp_path / "n.duckdb", STEPS)
    rows, version = db.execute(EVENTS).fetchall(), db.data_version
    assert changes.delete_preview(db, 3, TODAY, whole_conversation=False, referrals="keep") == (
        "Dana goes back from Thanked to Asked for referrals; "
        "the thank-you pending list will show Dana."
    )
    assert changes.edit_preview(db, 3, {"kind": "note"}, TODAY) == (
        "Dana goes back from Thanked to Asked for referrals; "
        "the thank-you pending list will show Dana."
    )
    with pytest.raises(ValidationError) as caught:
        changes.edit_preview(db, 3, {"occurred_on": "2026-12-01"}, TODAY)
    assert (
        str(caught.value)
        == "occurred_on: Tue 1 Dec 2026 is in the future (today is Wed 25 Nov 2026)"
    )
    assert (db.execute(EVENTS).fetchall(), db.data_version) == (rows, version)


def test_deleting_a_thank_you_moves_stage_due_lists_and_stats_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def fix(db: Database) -> None:
        assert (
            delete_event(db, 3).message
            == "Deleted “Thank-you sent” for Dana Cole on Tue 3 Nov 2026."
        )

    compare(tmp_path, capsys, fix, STEPS[:2])
    assert stats_json(tmp_path / "wrong.duckdb", capsys)["due"]["thank_you_pending"] == [1]


def test_editing_a_step_moves_stage_due_lists_and_stats_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = {"kind": "note", "occurred_on": date(2026, 11, 4), "channel": None, "notes": "x"}

    def fix(db: Database) -> None:
        result = edit_event(db, 3, changed, today=TODAY)
        assert result.message == "Saved “Note” for Dana Cole on Wed 4 Nov 2026."

    compare(tmp_path, capsys, fix, [*STEPS[:2], ("note", "2026-11-04", None, "x")])


@pytest.mark.parametrize(
    ("changes_", "field", "message"),
    [
        (
            {"occurred_on": "2026-10-19"},
            "occurred_on",
            "occurred_on: Mon 19 Oct 2026 is before Dana Cole was identified (Tue 20 Oct 2026)",
        ),
        (
            {"occurred_on": "2026-11-26"},
            "occurred_on",
            "occurred_on: Thu 26 Nov 2026 is in the future (today is Wed 25 Nov 2026)",
        ),
        ({"kind": "party"}, "kind", "kind: 'party' is not one of"),
        ({"contact_id": 2}, "contact_id", "contact_id: cannot be changed on a step"),
        ({"occurred_on": None}, "occurred_on", "occurred_on: is required"),
    ],
)
def test_a_bad_edit_says_why_and_writes_nothing(
    tmp_path: Path, changes_: dict, field: str, message: str
) -> None:
    db = network(tmp_path / "n.duckdb", STEPS)
    before = db.execute(EVENTS).fetchall()
    with pytest.raises(ValidationError) as caught:
        edit_event(db, 2, changes_, today=TODAY)
    assert caught.value.field == field
    assert str(caught.value).startswith(message)
    assert db.execute(EVENTS).fetchall() == before


def test_an_unknown_step_is_a_clear_error(tmp_path: Path) -> None:
    db = network(tmp_path / "n.duckdb", STEPS)
    with pytest.raises(NotFoundError, match="there is no step with id 99"):
        delete_event(db, 99)
    with pytest.raises(NotFoundError, match="there is no step with id 99"):
        edit_event(db, 99, {"notes": "x"}, today=TODAY)


@pytest.fixture
def talk(db: Database) -> tuple[Database, list[int], list[int]]:
    """A conversation with Dana that gave two referrals; Eva later got a step of her own."""
    dana = add_contact(db, {"full_name": "Dana Cole", "identified_on": "2026-10-20"}, today=TODAY)
    logged = log_conversation(
        db,
        Conversation(
            dana,
            occurred_on="2026-11-02",
            channel="phone",
            referrals=[{"full_name": "Eva Lind"}, {"full_name": "Finn Moe", "company": "Acme"}],
            thanked=True,
        ),
        today=TODAY,
    )
    log_event(db, {"contact_id": 2, "kind": "contacted", "occurred_on": "2026-11-10"}, today=TODAY)
    return db, logged.event_ids, logged.referral_ids


def test_a_conversation_is_the_steps_and_referrals_of_one_submit(talk) -> None:
    db, event_ids, referral_ids = talk
    steps, people = conversation_of(db, event_ids[0])
    assert steps == event_ids == [1, 2, 3]
    assert [(p["id"], p["full_name"], p["steps"]) for p in people] == [
        (2, "Eva Lind", 1),
        (3, "Finn Moe", 0),
    ]
    assert conversation_of(db, 4) == ([4], [])  # Eva's own step is no conversation with referrals


def test_deleting_a_conversation_keeps_its_referrals_as_targets(talk) -> None:
    db, event_ids, _ = talk
    result = delete_event(db, event_ids[0], whole_conversation=True, referrals="keep")
    assert result.message == (
        "Deleted the conversation for Dana Cole on Mon 2 Nov 2026 (3 steps). "
        "2 referrals kept as targets."
    )
    assert db.execute(EVENTS).fetchall() == [(4, 2, "contacted", date(2026, 11, 10), None, None)]
    assert db.execute(CONTACTS).fetchall() == [
        (1, "Dana Cole", None, date(2026, 10, 20)),
        (2, "Eva Lind", 1, date(2026, 11, 2)),
        (3, "Finn Moe", 1, date(2026, 11, 2)),
    ]


def test_deleting_a_conversation_with_its_referrals_keeps_those_with_steps(talk) -> None:
    db, event_ids, _ = talk
    result = delete_event(db, event_ids[0], whole_conversation=True, referrals="delete")
    assert result.message == (
        "Deleted the conversation for Dana Cole on Mon 2 Nov 2026 (3 steps). "
        "Removed 1 referral: Finn Moe. Kept Eva Lind: they have steps or referrals of their own."
    )
    assert result.referral_ids == [3]
    assert db.execute(CONTACTS).fetchall() == [
        (1, "Dana Cole", None, date(2026, 10, 20)),
        (2, "Eva Lind", 1, date(2026, 11, 2)),
    ]
    assert db.scalar("SELECT list(id ORDER BY id) FROM events") == [4]


def test_deleting_one_step_of_a_conversation_leaves_the_rest(talk) -> None:
    db, event_ids, _ = talk
    delete_event(db, event_ids[2])
    assert db.scalar("SELECT list(kind ORDER BY id) FROM events") == [
        "contacted",
        "referral_asked",
        "contacted",
    ]
    assert db.scalar("SELECT count(*) FROM contacts") == 3


def test_undo_of_a_log_submit_takes_back_steps_and_referrals(db: Database) -> None:
    dana = add_contact(db, {"full_name": "Dana Cole", "identified_on": "2026-10-20"}, today=TODAY)
    before = (db.execute(EVENTS).fetchall(), db.execute(CONTACTS).fetchall())
    logged = log_conversation(
        db,
        Conversation(dana, occurred_on="2026-11-02", referrals=[{"full_name": "Eva Lind"}]),
        today=TODAY,
    )
    assert undo_logged(db, logged.event_ids, logged.referral_ids) == (
        "Undone: the steps were removed. 1 new referral removed."
    )
    assert (db.execute(EVENTS).fetchall(), db.execute(CONTACTS).fetchall()) == before


def test_an_attempts_outcome_is_corrected_and_another_kind_has_none(db: Database) -> None:
    ana = add_contact(db, {"full_name": "Ana Ruiz", "identified_on": "2026-11-01"}, today=TODAY)
    tried = log_attempt(db, ana, "no_answer", today=TODAY).event_ids[0]
    edit_event(db, tried, {"outcome": "voicemail"}, today=TODAY)
    row = "SELECT kind, outcome FROM events WHERE id = ?"
    assert db.execute(row, [tried]).fetchall() == [("attempt", "voicemail")]
    with pytest.raises(ValidationError) as caught:
        edit_event(db, tried, {"outcome": "carrier pigeon"}, today=TODAY)
    assert str(caught.value).startswith("outcome: 'carrier pigeon' is not one of")
    assert db.execute(row, [tried]).fetchall() == [("attempt", "voicemail")]
    edit_event(db, tried, {"kind": "contacted", "outcome": None}, today=TODAY)
    assert db.execute(row, [tried]).fetchall() == [("contacted", None)]


def test_a_conversation_moved_to_its_real_day_takes_its_steps_and_referrals_along(
    talk, capsys: pytest.CaptureFixture[str]
) -> None:
    db, event_ids, _ = talk
    day = date(2026, 11, 1)
    preview = changes.edit_preview(db, event_ids[0], {"occurred_on": day}, TODAY)
    assert preview.endswith(
        " Its 2 other steps and 2 referrals move with it from Mon 2 Nov 2026 to Sun 1 Nov 2026."
    )

    result = edit_event(db, event_ids[0], {"occurred_on": day}, today=TODAY)

    assert result.message == (
        "Saved “Conversation (pitch delivered)” for Dana Cole on Sun 1 Nov 2026 by phone. "
        "Its 2 other steps and 2 referrals moved with it from Mon 2 Nov 2026."
    )
    assert result.event_ids == [1, 2, 3]
    assert db.execute(EVENTS).fetchall() == [
        (1, 1, "contacted", day, "phone", None),
        (2, 1, "referral_asked", day, "phone", None),
        (3, 1, "thank_you", day, "phone", None),
        (4, 2, "contacted", date(2026, 11, 10), None, None),  # Eva's own step keeps its day
    ]
    assert db.execute(CONTACTS).fetchall() == [
        (1, "Dana Cole", None, date(2026, 10, 20)),
        (2, "Eva Lind", 1, day),
        (3, "Finn Moe", 1, day),
    ]
    # The referrals and the thanks stay on one day: Dana owes no thank-you (Eva's own talk of
    # 10 Nov still does).
    assert stats(db, make_period(as_of=TODAY.isoformat()))["due"]["thank_you_pending"] == [2]


def test_a_conversation_cannot_move_past_a_step_of_a_referral_it_added(talk) -> None:
    db, event_ids, _ = talk
    before = (db.execute(EVENTS).fetchall(), db.execute(CONTACTS).fetchall())
    with pytest.raises(ValidationError) as raised:
        edit_event(db, event_ids[0], {"occurred_on": "2026-11-12"}, today=TODAY)
    assert str(raised.value) == (
        "occurred_on: Thu 12 Nov 2026 is after a step logged with a referral this conversation "
        "added (Tue 10 Nov 2026)"
    )
    assert (db.execute(EVENTS).fetchall(), db.execute(CONTACTS).fetchall()) == before


def test_one_step_moved_alone_says_nothing_of_others(talk) -> None:
    db, _, _ = talk
    result = edit_event(db, 4, {"occurred_on": "2026-11-11"}, today=TODAY)
    assert (
        result.message == "Saved “Conversation (pitch delivered)” for Eva Lind on Wed 11 Nov 2026."
    )
    assert result.event_ids == [4]
