"""Settings: weekly goals (defaults, presets, validation) and stored values."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lib.core.errors import ValidationError
from lib.records.settings import (
    DEFAULT_GOALS,
    GOAL_KEYS,
    GOAL_PRESETS,
    get_setting,
    set_setting,
    set_weekly_goals,
    weekly_goals,
)
from lib.store.db import Database, open_database


def test_goals_start_at_the_searching_preset(db: Database) -> None:
    assert weekly_goals(db) == GOAL_PRESETS["searching"] == DEFAULT_GOALS
    assert list(weekly_goals(db)) == list(GOAL_KEYS)


def test_a_preset_is_stored_whole(db: Database) -> None:
    assert set_weekly_goals(db, GOAL_PRESETS["employed"]) == GOAL_PRESETS["employed"]
    assert weekly_goals(db) == {
        "targets": 3,
        "contacted": 2,
        "info_interview": 1,
        "referral_asked": 2,
        "thank_you": 2,
        "follow_up": 1,
        "calls": 5,
    }


def test_numbers_written_as_text_or_whole_floats_are_accepted(db: Database) -> None:
    stored = set_weekly_goals(db, {"targets": " 8 ", "contacted": 4.0, "follow_up": 0})
    assert (stored["targets"], stored["contacted"], stored["follow_up"]) == (8, 4, 0)
    assert weekly_goals(db) == stored


def test_changing_one_goal_keeps_the_others(db: Database) -> None:
    set_weekly_goals(db, GOAL_PRESETS["employed"])
    stored = set_weekly_goals(db, {"follow_up": 4})
    assert stored == {**GOAL_PRESETS["employed"], "follow_up": 4}
    assert weekly_goals(db) == stored


@pytest.mark.parametrize(
    ("goals", "message"),
    [
        ({"targets": -1}, "targets: -1 is outside 0–500"),
        ({"contacted": 501}, "contacted: 501 is outside 0–500"),
        ({"thank_you": 2.5}, "thank_you: 2.5 is not a whole number"),
        ({"thank_you": "2.5"}, "thank_you: '2.5' is not a whole number"),
        ({"follow_up": "three"}, "follow_up: 'three' is not a whole number"),
        ({"follow_up": None}, "follow_up: None is not a whole number"),
        ({"targets": float("nan")}, "targets: nan is not a whole number"),
        ({"targets": float("inf")}, "targets: inf is not a whole number"),
        ({"targets": True}, "targets: True is not a whole number"),
        (
            {"target": 5},
            "target: is not a weekly goal (one of targets, contacted, info_interview, "
            "referral_asked, thank_you, follow_up, calls)",
        ),
    ],
)
def test_bad_goals_are_refused_and_nothing_is_stored(
    db: Database, goals: dict, message: str
) -> None:
    set_weekly_goals(db, GOAL_PRESETS["employed"])
    with pytest.raises(ValidationError) as caught:
        set_weekly_goals(db, goals)
    assert str(caught.value) == message
    assert weekly_goals(db) == GOAL_PRESETS["employed"]


def test_settings_round_trip_as_json_values(db: Database) -> None:
    assert get_setting(db, "pitch") is None
    assert get_setting(db, "pitch", "none yet") == "none yet"
    set_setting(db, "pitch", "Hi, I'm Ana — “supply chain” analyst.")
    set_setting(db, "shape", {"a": [1, 2], "b": None})
    assert get_setting(db, "pitch") == "Hi, I'm Ana — “supply chain” analyst."
    assert get_setting(db, "shape") == {"a": [1, 2], "b": None}


def test_a_file_without_a_settings_table_reads_defaults(db_path: Path) -> None:
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE contacts (id INTEGER, full_name VARCHAR, identified_on DATE)")
    con.execute("CREATE TABLE events (id INTEGER, contact_id INTEGER, kind VARCHAR)")
    con.close()
    db = open_database(db_path, read_only=True)  # read-only: not migrated
    try:
        assert weekly_goals(db) == DEFAULT_GOALS
        assert get_setting(db, "pitch", "") == ""
    finally:
        db.close()
