"""The stats engine's optional source and channel filters (the dashboard's filters)."""

from __future__ import annotations

import pytest
from review_fixtures import TODAY, build_tiny

from lib.core.vocab import SOURCES
from lib.engine import stats
from lib.engine.stats import Scope
from lib.io.demo import load_demo
from lib.store.db import Database

ALL_TIME = stats.make_period(as_of=TODAY)


@pytest.fixture
def tiny(db: Database) -> dict[str, int]:
    return build_tiny(db)


def funnel_counts(db: Database, **filters: object) -> list[int]:
    return [int(n) for n in stats.funnel(db, Scope(ALL_TIME, **filters))["contacts"]]


def test_no_filter_gives_the_unfiltered_numbers(demo_db: Database) -> None:
    for period in (ALL_TIME, stats.make_period(as_of=TODAY, start="2026-11-01")):
        assert stats.funnel(demo_db, Scope(period, sources=None, channels=None)).equals(
            stats.funnel(demo_db, Scope(period))
        )
        assert stats.referrals(demo_db, Scope(period, sources=None)) == stats.referrals(
            demo_db, Scope(period)
        )
        assert stats.weekly(demo_db, Scope(period, channels=None)).equals(
            stats.weekly(demo_db, Scope(period))
        )


def test_unfiltered_funnel_of_the_tiny_network(tiny: dict[str, int], db: Database) -> None:
    assert funnel_counts(db) == [6, 3, 3, 2, 2]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"sources": ["association"]}, [1, 1, 1, 1, 1]),
        ({"sources": ["referral"]}, [3, 1, 1, 0, 0]),
        ({"sources": ["linkedin", "chamber"]}, [2, 1, 1, 1, 1]),
        ({"sources": ["event"]}, [0, 0, 0, 0, 0]),
        ({"channels": ["phone"]}, [1, 1, 1, 1, 1]),
        ({"channels": ["email", "video"]}, [2, 2, 2, 1, 1]),
        ({"channels": ["in_person"]}, [0, 0, 0, 0, 0]),
        ({"sources": ["referral"], "channels": ["video"]}, [1, 1, 1, 0, 0]),
    ],
)
def test_filters_keep_the_chosen_people(
    tiny: dict[str, int], db: Database, filters: dict, expected: list[int]
) -> None:
    assert funnel_counts(db, **filters) == expected


def test_channel_filter_counts_conversations_only(tiny: dict[str, int], db: Database) -> None:
    # A's thank-you and follow-ups went by email, but A was talked to by phone.
    assert funnel_counts(db, channels=["email"]) == [1, 1, 1, 1, 1]  # B only


def test_a_contact_without_a_source_counts_as_other(tiny: dict[str, int], db: Database) -> None:
    with db.transaction():
        db.execute(
            "INSERT INTO contacts (full_name, identified_on, source) "
            "VALUES ('No Source', DATE '2026-11-02', NULL)"
        )
    assert funnel_counts(db, sources=["other"]) == [1, 0, 0, 0, 0]


def test_filtered_referrals(tiny: dict[str, int], db: Database) -> None:
    assert stats.referrals(db, Scope(ALL_TIME, sources=["referral"])) == {
        "received": 3,
        "warm": 2,
        "givers": 2,
        "generations": [0, 2, 1],
    }
    assert stats.referrals(db, Scope(ALL_TIME, sources=["association"]))["generations"] == [1]


def test_filtered_weekly_rows_count_the_chosen_peoples_records(
    tiny: dict[str, int], db: Database
) -> None:
    weeks = stats.weekly(db, Scope(ALL_TIME, sources=["linkedin"])).set_index("week")
    assert int(weeks["targets"].sum()) == 1
    assert int(weeks["contacted"].sum()) == 1
    assert int(weeks.loc["2026-W48", "opportunity"]) == 1
    assert int(weeks.loc["2026-W47", "follow_up"]) == 1
    assert int(weeks[["referral_asked", "info_interview"]].sum().sum()) == 0


def test_filters_work_on_a_large_network(db: Database) -> None:
    load_demo(db, contacts=2_000, today=TODAY)
    everyone = funnel_counts(db)
    split = [funnel_counts(db, sources=[source]) for source in SOURCES]
    assert [sum(bar) for bar in zip(*split, strict=True)] == everyone
