"""The edge cases of docs/METHOD.md for the stats engine, one rule per test, on tiny networks."""

from __future__ import annotations

from datetime import date

import pytest

from lib.core.errors import ValidationError
from lib.engine.stats import (
    Period,
    Scope,
    due_frame,
    due_lists,
    funnel,
    make_period,
    referrals,
    stats,
    weekly,
)
from lib.store.db import Database


def people(db: Database, *rows: tuple) -> None:
    """Insert contacts as (id, identified_on, referred_by=None, archived=False, warm=None)."""
    with db.transaction():
        for row in rows:
            cid, day, referred_by, archived, warm = row + (None, False, None)[len(row) - 2 :]
            db.execute(
                "INSERT INTO contacts (id, full_name, identified_on, referred_by, archived, "
                "may_use_name) VALUES (?, ?, ?, ?, ?, ?)",
                [cid, f"Person {cid}", day, referred_by, archived, warm],
            )


def events(db: Database, *rows: tuple[int, str, str]) -> None:
    """Insert events as (contact_id, kind, occurred_on)."""
    with db.transaction():
        for contact_id, kind, day in rows:
            db.execute(
                "INSERT INTO events (id, contact_id, kind, occurred_on) "
                "VALUES (nextval('events_id_seq'), ?, ?, ?)",
                [contact_id, kind, day],
            )


def on(day: str, **bounds: str) -> Period:
    return make_period(as_of=day, **bounds)


def bars(db: Database, period: Period) -> list[int]:
    return list(funnel(db, Scope(period))["contacts"])


def weeks(db: Database, period: Period) -> list[tuple]:
    frame = weekly(db, Scope(period))
    return [(r["week"], str(r["week_start"].date()), r["targets"]) for _, r in frame.iterrows()]


# ---------------------------------------------------------------- the period and T


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        (
            {"as_of": "2026-11-25", "start": "2026-11-26"},
            "from: Thu 26 Nov 2026 is after as_of Wed 25 Nov 2026",
        ),
        (
            {"start": "2026-11-10", "end": "2026-11-09"},
            "from: Tue 10 Nov 2026 is after to Mon 9 Nov 2026",
        ),
        ({"end": "2026-11-31"}, "to: 2026-11-31 is not a real date"),
        ({"as_of": "soon"}, "as_of: 'soon' is not a date (use YYYY-MM-DD)"),
    ],
)
def test_impossible_periods_are_refused(bounds: dict, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_period(**bounds)
    assert str(caught.value) == message


def test_t_is_the_to_bound_when_given_else_the_as_of_day() -> None:
    assert make_period(as_of="2026-12-15", end="2026-11-30").day == date(2026, 11, 30)
    assert make_period(as_of="2026-12-15").day == date(2026, 12, 15)
    assert make_period(today=date(2026, 11, 25)).day == date(2026, 11, 25)
    # `from` may equal T.
    assert make_period(as_of="2026-11-25", start="2026-11-25").start == date(2026, 11, 25)


def test_an_empty_file_has_zero_bars_no_generations_no_weeks_and_empty_due_lists(
    db: Database,
) -> None:
    result = stats(db, on("2026-11-25"))
    assert [row["contacts"] for row in result["funnel"]] == [0, 0, 0, 0, 0]
    assert result["referrals"] == {"received": 0, "warm": 0, "givers": 0, "generations": []}
    assert result["weekly"] == []
    assert result["due"] == {
        "to_contact": [],
        "follow_up_due": [],
        "follow_up_overdue": [],
        "thank_you_pending": [],
        "close_loop": [],
    }


# ---------------------------------------------------------------- stages and the funnel


def test_stages_count_only_records_dated_on_or_before_t(db: Database) -> None:
    people(db, (1, "2026-11-01"))
    events(db, (1, "contacted", "2026-11-02"), (1, "thank_you", "2026-11-10"))
    assert bars(db, on("2026-11-01")) == [1, 0, 0, 0, 0]
    assert bars(db, on("2026-11-02")) == [1, 1, 0, 0, 0]
    # A later step implies the earlier ones: thanked counts as asked too.
    assert bars(db, on("2026-11-10")) == [1, 1, 1, 1, 0]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("contacted", [1, 1, 0, 0, 0]),
        ("info_interview", [1, 1, 0, 0, 0]),
        ("opportunity", [1, 1, 0, 0, 0]),
        ("referral_asked", [1, 1, 1, 0, 0]),
        ("thank_you", [1, 1, 1, 1, 0]),
        ("follow_up", [1, 1, 1, 1, 1]),
        ("note", [1, 0, 0, 0, 0]),
    ],
)
def test_each_kind_reaches_its_stage(db: Database, kind: str, expected: list[int]) -> None:
    people(db, (1, "2026-11-01"))
    events(db, (1, kind, "2026-11-02"))
    assert bars(db, on("2026-11-25")) == expected


def test_giving_a_referral_counts_as_asked_only_once_it_was_given_by_t(db: Database) -> None:
    people(db, (1, "2026-11-01"), (2, "2026-11-20", 1))
    assert bars(db, on("2026-11-19")) == [1, 0, 0, 0, 0]
    assert bars(db, on("2026-11-20")) == [2, 1, 1, 0, 0]


def test_the_cohort_is_identified_between_from_and_t_with_stages_as_of_t(db: Database) -> None:
    people(db, (1, "2026-10-01"), (2, "2026-11-05"), (3, "2026-11-20"))
    events(db, (2, "contacted", "2026-10-01"), (2, "follow_up", "2026-11-19"))
    assert bars(db, on("2026-12-01", start="2026-11-05", end="2026-11-19")) == [1, 1, 1, 1, 1]
    assert bars(db, on("2026-11-19", start="2026-11-06")) == [0, 0, 0, 0, 0]


def test_archived_contacts_count_in_the_funnel_and_weekly_but_not_in_due_lists(
    db: Database,
) -> None:
    people(db, (1, "2026-11-02", None, True), (2, "2026-11-02"))
    events(db, (1, "contacted", "2026-11-03"))
    period = on("2026-11-25")
    assert bars(db, period) == [2, 1, 0, 0, 0]
    assert weeks(db, period)[0] == ("2026-W45", "2026-11-02", 2)
    assert due_lists(db, period.day) == {
        "to_contact": [2],
        "follow_up_due": [],
        "follow_up_overdue": [],
        "thank_you_pending": [],
        "close_loop": [],
    }


# ---------------------------------------------------------------- referrals and generations


def test_generations_are_indexed_by_generation_with_no_trailing_zeros(db: Database) -> None:
    people(
        db,
        (1, "2026-10-01"),
        (2, "2026-10-02", 1, False, True),
        (3, "2026-10-03", 2, False, False),
        (4, "2026-11-03", 3, False, True),
        (5, "2026-11-04"),
    )
    assert referrals(db, Scope(on("2026-11-25"))) == {
        "received": 3,
        "warm": 2,
        "givers": 3,
        "generations": [2, 1, 1, 1],
    }
    # Only the cohort counts: generation 3 (identified 11-03) is outside, so the list stops at 2.
    assert referrals(db, Scope(on("2026-11-25", start="2026-10-01", end="2026-10-31"))) == {
        "received": 2,
        "warm": 1,
        "givers": 2,
        "generations": [1, 1, 1],
    }
    # Generations 1 and 2 are outside: zeros inside the list stay.
    assert referrals(db, Scope(on("2026-11-25", start="2026-11-01")))["generations"] == [1, 0, 0, 1]


def test_another_tools_broken_references_do_not_crash_the_engine(db: Database) -> None:
    """A missing referrer, a self-referral and a loop: the method forbids them, files may not."""
    people(
        db,
        (1, "2026-11-02", 99),
        (2, "2026-11-02", 2),
        (3, "2026-11-02", 4),
        (4, "2026-11-02", 3),
        (5, "2026-11-02"),
    )
    events(db, (42, "contacted", "2026-11-03"))
    result = stats(db, on("2026-11-25"))
    assert [row["contacts"] for row in result["funnel"]] == [5, 3, 3, 0, 0]
    assert result["referrals"]["received"] == 4
    assert result["weekly"][0]["contacted"] == 1  # an event of no one still happened


# ---------------------------------------------------------------- weekly rows


def test_weeks_run_from_the_earliest_record_through_t_with_zero_weeks(db: Database) -> None:
    people(db, (1, "2026-11-04"))
    events(db, (1, "note", "2026-10-28"))  # a note is a record: it starts the rows
    assert weeks(db, on("2026-11-18")) == [
        ("2026-W44", "2026-10-26", 0),
        ("2026-W45", "2026-11-02", 1),
        ("2026-W46", "2026-11-09", 0),
        ("2026-W47", "2026-11-16", 0),
    ]


@pytest.mark.parametrize(
    ("records", "t", "expected"),
    [
        (
            ["2026-12-31", "2027-01-01"],
            "2027-01-04",
            [("2026-W53", "2026-12-28", 2), ("2027-W01", "2027-01-04", 0)],
        ),
        (["2020-12-31"], "2021-01-03", [("2020-W53", "2020-12-28", 1)]),
        (["2024-12-30"], "2024-12-31", [("2025-W01", "2024-12-30", 1)]),
        (
            ["2027-01-03"],
            "2027-01-10",
            [("2026-W53", "2026-12-28", 1), ("2027-W01", "2027-01-04", 0)],
        ),
    ],
)
def test_iso_week_labels_across_year_ends(
    db: Database, records: list[str], t: str, expected: list[tuple]
) -> None:
    people(db, *[(i, day) for i, day in enumerate(records, start=1)])
    assert weeks(db, on(t)) == expected


def test_with_from_rows_start_at_its_week_and_count_only_records_from_it(db: Database) -> None:
    people(db, (1, "2026-11-02"), (2, "2026-11-04"), (3, "2026-11-05"))
    # from is Wednesday 11-04: its week starts Monday 11-02, person 1 (11-02) is left out.
    assert weeks(db, on("2026-11-20", start="2026-11-04")) == [
        ("2026-W45", "2026-11-02", 2),
        ("2026-W46", "2026-11-09", 0),
        ("2026-W47", "2026-11-16", 0),
    ]


def test_with_from_and_no_records_counted_there_are_no_rows(db: Database) -> None:
    people(db, (1, "2026-11-02"))
    assert weeks(db, on("2026-11-20", start="2026-11-10")) == []


def test_records_after_t_are_not_counted(db: Database) -> None:
    people(db, (1, "2026-11-02"), (2, "2026-11-19"))
    events(db, (1, "contacted", "2026-11-19"))
    frame = weekly(db, Scope(on("2026-11-18")))
    assert list(frame["targets"]) == [1, 0, 0] and int(frame["contacted"].sum()) == 0


# ---------------------------------------------------------------- due lists


@pytest.mark.parametrize(
    ("last_touch", "due", "overdue"),
    [
        ("2026-11-05", False, False),  # 20 days
        ("2026-11-04", True, False),  # 21 days
        ("2026-10-28", True, False),  # 28 days
        ("2026-10-27", False, True),  # 29 days
    ],
)
def test_follow_up_windows_are_21_to_28_days_then_overdue(
    db: Database, last_touch: str, due: bool, overdue: bool
) -> None:
    people(db, (1, "2026-10-01"))
    events(
        db, (1, "contacted", "2026-10-02"), (1, "thank_you", last_touch), (1, "note", "2026-11-24")
    )
    lists = due_lists(db, date(2026, 11, 25))
    assert (lists["follow_up_due"] == [1], lists["follow_up_overdue"] == [1]) == (due, overdue)


def test_someone_whose_only_record_is_a_referral_they_gave_is_in_neither_follow_up_list(
    db: Database,
) -> None:
    people(db, (1, "2026-09-01"), (2, "2026-09-02", 1))
    lists = due_lists(db, date(2026, 11, 25))
    assert lists == {
        "to_contact": [2],
        "follow_up_due": [],
        "follow_up_overdue": [],
        "thank_you_pending": [1],  # the referral is owed a thank-you
        "close_loop": [],  # the referral was never reached
    }
    # The flags are plain booleans (false, never NULL) for them too.
    frame = due_frame(db, date(2026, 11, 25))
    flags = frame[["follow_up_due", "follow_up_overdue", "close_loop"]]
    assert list(flags.dtypes) == [bool, bool, bool] and not flags.to_numpy().any()


@pytest.mark.parametrize(
    ("records", "pending"),
    [
        ([("contacted", "2026-11-10")], True),
        ([("contacted", "2026-11-10"), ("thank_you", "2026-11-10")], False),  # same day counts
        ([("contacted", "2026-11-10"), ("thank_you", "2026-11-09")], True),
        ([("thank_you", "2026-11-09"), ("info_interview", "2026-11-12")], True),
        ([("referral_asked", "2026-11-01"), ("thank_you", "2026-11-04")], False),
        ([("follow_up", "2026-11-01"), ("opportunity", "2026-11-03")], False),  # no debt
        ([("thank_you", "2026-11-10"), ("contacted", "2026-11-26")], False),  # after T
    ],
)
def test_thank_you_pending(db: Database, records: list[tuple[str, str]], pending: bool) -> None:
    people(db, (1, "2026-10-01"))
    events(db, *[(1, kind, day) for kind, day in records])
    assert due_lists(db, date(2026, 11, 25))["thank_you_pending"] == ([1] if pending else [])


def test_a_referral_given_after_the_last_thanks_makes_a_thank_you_pending(db: Database) -> None:
    people(db, (1, "2026-10-01"), (2, "2026-11-12", 1))
    events(db, (1, "contacted", "2026-11-10"), (1, "thank_you", "2026-11-11"))
    assert due_lists(db, date(2026, 11, 11))["thank_you_pending"] == []
    assert due_lists(db, date(2026, 11, 12))["thank_you_pending"] == [1]


def test_due_lists_leave_out_people_identified_after_t(db: Database) -> None:
    people(db, (1, "2026-11-01"), (2, "2026-11-26"))
    assert due_lists(db, date(2026, 11, 25))["to_contact"] == [1]


def test_due_frame_gives_each_due_contact_its_numbers(db: Database) -> None:
    people(db, (1, "2026-10-01"), (2, "2026-10-01"), (3, "2026-10-01"))
    events(
        db,
        (1, "contacted", "2026-10-20"),
        (3, "contacted", "2026-11-20"),
        (3, "thank_you", "2026-11-20"),
    )
    frame = due_frame(db, date(2026, 11, 25))
    assert list(frame["id"]) == [1, 2]
    one = frame.iloc[0]
    assert (one["stage"], one["days_since_touch"], bool(one["follow_up_overdue"])) == (2, 36, True)
    assert bool(one["thank_you_pending"]) and bool(frame.iloc[1]["to_contact"])
