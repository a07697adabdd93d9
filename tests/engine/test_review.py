"""The review library: links (views), periods, KPIs, and weekly goals and streaks."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from review_fixtures import TODAY, build_tiny

from lib import cli
from lib.core.vocab import GOAL_KEYS
from lib.engine import review, scorecard, stats
from lib.engine.review import ReviewLink
from lib.engine.stats import Scope
from lib.present import kpis
from lib.records.contacts import add_contact
from lib.records.settings import GOAL_PRESETS
from lib.store.db import Database, open_database

# ---------------------------------------------------------------- links and periods


def test_a_links_scope_is_its_period_and_filters_none_picked_is_no_filter() -> None:
    period = stats.make_period(as_of=TODAY)
    assert ReviewLink().scope(period) == Scope(period)
    picked = ReviewLink(sources=("linkedin",), channels=("phone",)).scope(period)
    assert picked == Scope(period, sources=["linkedin"], channels=["phone"])
    assert hash(picked) == hash(Scope(period, ("linkedin",), ("phone",)))  # a cache key


@pytest.mark.parametrize(
    "view",
    [
        ReviewLink(),
        ReviewLink(period="week"),
        ReviewLink(period="4w", as_of=date(2026, 11, 25)),
        ReviewLink(period="quarter", sources=("chamber", "linkedin")),
        ReviewLink(period="custom", start=date(2026, 10, 1), end=date(2026, 10, 31)),
        ReviewLink(period="all", channels=("phone", "in_person"), sources=("referral",)),
    ],
)
def test_a_view_survives_the_round_trip_through_query_parameters(view: ReviewLink) -> None:
    params = review.link_params(view)
    assert all(isinstance(value, str) for value in params.values())
    assert review.parse_link(params) == (view, [])


def test_the_default_view_has_an_empty_link() -> None:
    assert review.link_params(ReviewLink()) == {}
    assert review.parse_link({}) == (ReviewLink(), [])


def test_link_parameters_are_spelled_for_people() -> None:
    view = ReviewLink(period="custom", start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert review.link_params(view) == {
        "period": "custom",
        "from": "2026-10-01",
        "to": "2026-10-31",
    }
    assert review.link_params(ReviewLink(sources=("linkedin", "chamber"))) == {
        "source": "linkedin,chamber"
    }


def test_repeated_parameters_and_any_order_give_the_vocabulary_order() -> None:
    view, problems = review.parse_link({"source": ["linkedin", "association"], "channel": "email"})
    assert problems == []
    assert view.sources == ("association", "linkedin")
    assert view.channels == ("email",)


@pytest.mark.parametrize(
    ("params", "expected_view", "problem"),
    [
        (
            {"period": "fortnight"},
            ReviewLink(),
            "period: 'fortnight' is not one of week, 4w, quarter",
        ),
        ({"as_of": "yesterday"}, ReviewLink(), "as_of: 'yesterday' is not a date (use YYYY-MM-DD)"),
        (
            {"period": "custom", "from": "2026-02-30"},
            ReviewLink(period="custom"),
            "from: 2026-02-30 is not a real date",
        ),
        (
            {"period": "custom", "from": "2026-11-01", "to": "2026-10-01"},
            ReviewLink(period="custom"),
            "from: Sun 1 Nov 2026 is after to Thu 1 Oct 2026",
        ),
        (
            {"source": "linkedin,twitter"},
            ReviewLink(),
            "source: twitter is not one of association, chamber",
        ),
        ({"channel": "fax"}, ReviewLink(), "channel: fax is not one of phone, in_person"),
    ],
)
def test_a_bad_link_parameter_is_dropped_with_a_message(
    params: dict, expected_view: ReviewLink, problem: str
) -> None:
    view, problems = review.parse_link(params)
    assert view == expected_view
    assert len(problems) == 1
    assert problems[0].startswith(problem)


@pytest.mark.parametrize(
    ("period", "start", "end", "day"),
    [
        ("all", None, None, TODAY),
        ("week", date(2026, 11, 23), None, TODAY),
        ("4w", date(2026, 11, 2), None, TODAY),
        ("quarter", date(2026, 10, 1), None, TODAY),
    ],
)
def test_named_periods_end_on_the_as_of_day(
    period: str, start: date | None, end: date | None, day: date
) -> None:
    resolved = review.resolve_period(ReviewLink(period=period, as_of=TODAY))
    assert (resolved.start, resolved.end, resolved.day, resolved.as_of) == (start, end, day, TODAY)


def test_a_custom_period_ends_on_its_to_day() -> None:
    view = ReviewLink(period="custom", start=date(2026, 9, 1), end=date(2026, 9, 30), as_of=TODAY)
    resolved = review.resolve_period(view)
    assert (resolved.start, resolved.day, resolved.as_of) == (
        date(2026, 9, 1),
        date(2026, 9, 30),
        TODAY,
    )


@pytest.mark.parametrize(
    ("view", "start", "end", "words"),
    [
        (ReviewLink(period="week"), date(2026, 11, 16), date(2026, 11, 22), "vs last week"),
        (ReviewLink(period="4w"), date(2026, 10, 5), date(2026, 11, 1), "vs the 4 weeks before"),
        (ReviewLink(period="quarter"), date(2026, 7, 1), date(2026, 9, 30), "vs last quarter"),
        (
            ReviewLink(period="custom", start=date(2026, 11, 11), end=date(2026, 11, 20)),
            date(2026, 11, 1),
            date(2026, 11, 10),
            "vs the period before",
        ),
    ],
)
def test_bounded_periods_compare_with_the_one_before(
    view: ReviewLink, start: date, end: date, words: str
) -> None:
    period = review.resolve_period(view, today=TODAY)
    previous, against, cumulative = review.comparison(view, period)
    assert (previous.start, previous.end, against, cumulative) == (start, end, words, False)


def test_all_time_compares_with_this_week() -> None:
    period = review.resolve_period(ReviewLink(), today=TODAY)
    this_week, against, cumulative = review.comparison(ReviewLink(), period)
    assert (this_week.start, this_week.day, against, cumulative) == (
        date(2026, 11, 23),
        TODAY,
        "this week",
        True,
    )


def test_periods_are_described_in_words() -> None:
    week = ReviewLink(period="week")
    assert (
        review.describe_period(week, review.resolve_period(week, today=TODAY))
        == "This week: Mon 23 Nov – Wed 25 Nov 2026"
    )
    assert (
        review.describe_period(ReviewLink(), review.resolve_period(ReviewLink(), today=TODAY))
        == "All time, up to Wed 25 Nov 2026"
    )


# ---------------------------------------------------------------- KPIs


@pytest.fixture
def tiny(db: Database) -> dict[str, int]:
    return build_tiny(db)


def test_kpis_of_the_tiny_network_all_time(tiny: dict[str, int], db: Database) -> None:
    assert scorecard.kpis(db, Scope(stats.make_period(as_of=TODAY))) == {
        "targets": 6,
        "referrals": 3,
        "warm": 2,
        "conversations": 3,
        "opportunities": 1,
        "thanks_on_time": 1,  # A; B's came 10 days late; C's window is still open
        "thanks_judged": 2,
        "thanks_open": 1,  # C's, talked to on Tue 24 Nov: thank by Fri 27 Nov
        "thanks_open_due_in": 2,
        "follow_ups": 3,
        "follow_ups_on_schedule": 1,  # A after 23 days
        "follow_ups_too_soon": 1,  # A after 11 days (B's came after 31)
        "referrals_by_t": 3,
    }


def test_kpis_of_the_tiny_network_this_week(tiny: dict[str, int], db: Database) -> None:
    assert scorecard.kpis(db, Scope(stats.make_period(as_of=TODAY, start="2026-11-23"))) == {
        "targets": 2,
        "referrals": 1,
        "warm": 1,
        "conversations": 1,
        "opportunities": 1,
        "thanks_on_time": 0,
        "thanks_judged": 0,
        "thanks_open": 1,
        "thanks_open_due_in": 2,
        "follow_ups": 0,
        "follow_ups_on_schedule": 0,
        "follow_ups_too_soon": 0,
        "referrals_by_t": 3,
    }


def test_a_thank_you_on_the_third_day_is_on_time(tiny: dict[str, int], db: Database) -> None:
    from lib.records.events import log_event

    log_event(
        db,
        {"contact_id": tiny["C"], "kind": "thank_you", "occurred_on": "2026-11-27"},
        today=date(2026, 11, 30),
    )
    later = scorecard.kpis(db, Scope(stats.make_period(as_of="2026-11-30")))
    assert (later["thanks_on_time"], later["thanks_judged"]) == (2, 3)


def test_filtered_kpis_count_only_the_chosen_people(tiny: dict[str, int], db: Database) -> None:
    period = stats.make_period(as_of=TODAY)
    linkedin = scorecard.kpis(db, Scope(period, sources=["linkedin"]))
    assert (linkedin["targets"], linkedin["conversations"], linkedin["follow_ups"]) == (1, 1, 1)
    by_phone = scorecard.kpis(db, Scope(period, channels=["phone"]))
    assert (by_phone["targets"], by_phone["follow_ups_on_schedule"]) == (1, 1)


@pytest.mark.parametrize("period", ["all", "week", "4w", "quarter"])
@pytest.mark.parametrize("sources", [None, ("linkedin", "referral")])
def test_kpis_equal_the_stats_command(
    demo_db: Database, period: str, sources: tuple | None, capsys: pytest.CaptureFixture
) -> None:
    resolved = review.resolve_period(ReviewLink(period=period, as_of=TODAY))
    args = ["stats", "--json", "--db", str(demo_db.path), "--as-of", TODAY.isoformat()]
    if resolved.start:
        args += ["--from", resolved.start.isoformat()]
    demo_db.close()  # the command opens the file itself
    assert cli.main(args) == 0
    expected = json.loads(capsys.readouterr().out)
    db = open_database(demo_db.path)
    try:
        kpis = scorecard.kpis(db, Scope(resolved, sources=sources))
        if sources:  # the filtered numbers are the filtered stats engine's
            expected["funnel"] = [
                {"contacts": n}
                for n in stats.funnel(db, Scope(resolved, sources=sources))["contacts"]
            ]
            expected["referrals"] = stats.referrals(db, Scope(resolved, sources=sources))
            expected["weekly"] = stats.weekly(db, Scope(resolved, sources=sources)).to_dict(
                "records"
            )
    finally:
        db.close()
    weekly = pd.DataFrame(expected["weekly"], columns=["contacted", "opportunity", "follow_up"])
    assert kpis["targets"] == expected["funnel"][0]["contacts"]
    if not sources:  # filtered, a referral counts by its giver's source (the test below)
        assert kpis["referrals"] == expected["referrals"]["received"]
        assert kpis["warm"] == expected["referrals"]["warm"]
    assert kpis["conversations"] == int(weekly["contacted"].sum())
    assert kpis["opportunities"] == int(weekly["opportunity"].sum())
    assert kpis["follow_ups"] == int(weekly["follow_up"].sum())


def test_filtered_by_a_source_the_referrals_card_counts_the_names_its_people_gave(
    db: Database,
) -> None:
    def person(name: str, **more: object) -> int:
        return add_contact(db, {"full_name": name, "identified_on": "2026-11-02", **more})

    lea = person("Lea Brandt", source="linkedin")
    cam = person("Cam Ortiz", source="chamber")
    person("Ida Lund", referred_by=lea, may_use_name=True)
    person("Ole Berg", referred_by=lea, may_use_name=False)
    person("Uma Rao", referred_by=cam, may_use_name=True)
    person("Noor Said", source="linkedin")  # a LinkedIn target who gave nobody
    period = stats.make_period(as_of=TODAY)

    def counted(*sources: str) -> tuple[int, int, int]:
        found = scorecard.kpis(db, Scope(period, sources=sources or None))
        return found["targets"], found["referrals"], found["warm"]

    assert counted() == (6, 3, 2)
    assert counted("linkedin") == (2, 2, 1)
    assert counted("chamber") == (1, 1, 1)
    assert counted("referral") == (3, 0, 0)  # the referrals themselves gave no names
    assert counted("linkedin", "chamber") == (3, 3, 2)
    none_given = scorecard.kpis(db, Scope(period, sources=("referral",)))
    cards = {c.label: c for c in kpis.kpi_cards(none_given, None, "", filtered=True)}
    assert cards["Referrals received"].delta == "none given by these people"


@pytest.mark.parametrize(
    ("referrals", "by_t", "filtered", "note"),
    [
        (0, 0, False, "none yet: ask in every conversation"),
        (0, 0, True, "none yet: ask in every conversation"),
        (0, 4, False, "none in this period"),
        (0, 4, True, "none given by these people"),
        (2, 4, True, "50% warm"),
    ],
)
def test_the_referrals_nudge_asks_only_someone_who_never_got_a_name(
    referrals: int, by_t: int, filtered: bool, note: str
) -> None:
    now = dict.fromkeys(scorecard.KPI_NAMES, 0) | {
        "referrals": referrals,
        "warm": 1,
        "referrals_by_t": by_t,
    }
    cards = {c.label: c for c in kpis.kpi_cards(now, None, "", filtered=filtered)}
    assert cards["Referrals received"].delta == note


def test_kpi_cards_show_changes_against_the_previous_period() -> None:
    now = dict.fromkeys(scorecard.KPI_NAMES, 0) | {
        "targets": 5,
        "conversations": 2,
        "referrals": 4,
        "warm": 3,
        "opportunities": 1,
    }
    before = now | {"targets": 2, "conversations": 4}
    cards = {card.label: card for card in kpis.kpi_cards(now, before, "vs last week")}
    assert (cards["New targets"].value, cards["New targets"].delta) == ("5", "+3 vs last week")
    assert cards["Conversations"].delta == "-2 vs last week"
    assert (cards["Opportunities"].delta, cards["Opportunities"].delta_color) == (
        "same as last week",
        "off",
    )
    assert (cards["Referrals received"].value, cards["Referrals received"].delta) == (
        "4",
        "75% warm",
    )
    assert (cards["Thank-you on time"].value, cards["Thank-you on time"].delta) == (
        "—",
        "no conversation to judge yet",
    )


def test_right_after_a_conversation_the_thank_you_card_says_what_is_open() -> None:
    now = dict.fromkeys(scorecard.KPI_NAMES, 0) | {
        "conversations": 1,
        "thanks_open": 1,
        "thanks_open_due_in": 3,
    }
    cards = {c.label: c for c in kpis.kpi_cards(now, None, "", as_of=date(2026, 11, 27))}
    assert (cards["Thank-you on time"].value, cards["Thank-you on time"].delta) == (
        "—",
        "1 open, due by Mon 30 Nov",
    )
    judged = now | {"thanks_on_time": 1, "thanks_judged": 2}
    cards = {c.label: c for c in kpis.kpi_cards(judged, None, "", as_of=date(2026, 11, 27))}
    assert cards["Thank-you on time"].delta == "1 of 2 on time · 1 open, due Mon 30 Nov"


def test_kpi_cards_on_all_time_show_this_weeks_part() -> None:
    now = {
        "targets": 40,
        "referrals": 0,
        "warm": 0,
        "conversations": 31,
        "opportunities": 2,
        "thanks_on_time": 9,
        "thanks_judged": 12,
        "follow_ups": 8,
        "follow_ups_on_schedule": 6,
        "follow_ups_too_soon": 1,
    }
    week = dict.fromkeys(now, 0) | {"targets": 3}
    cards = {c.label: c for c in kpis.kpi_cards(now, week, "this week", cumulative=True)}
    assert cards["New targets"].delta == "+3 this week"
    assert cards["Conversations"].delta == "none this week"
    assert cards["Referrals received"].delta == "none yet: ask in every conversation"
    assert (cards["Thank-you on time"].value, cards["Thank-you on time"].delta) == (
        "75%",
        "9 of 12 within 3 days",
    )
    assert (cards["Follow-ups on schedule"].value, cards["Follow-ups on schedule"].delta) == (
        "75%",
        "6 of 8, 1 too soon",
    )


# ---------------------------------------------------------------- weekly goals


def weeks_frame(rows: list[dict[str, int]]) -> pd.DataFrame:
    starts = pd.date_range("2026-11-02", periods=len(rows), freq="7D")
    return pd.DataFrame(
        [
            {"week": f"2026-W{45 + k}", "week_start": start, "referrals": 0, "opportunity": 0}
            | dict.fromkeys(GOAL_KEYS, 0)
            | row
            for k, (start, row) in enumerate(zip(starts, rows, strict=True))
        ]
    )


EMPLOYED = GOAL_PRESETS["employed"]  # 3 targets, 2 contacted, 1 interview, 2 asked, 2 thanks, 1 f-u
MET = dict(EMPLOYED)


def test_streak_counts_back_from_last_week_while_this_week_is_unfinished() -> None:
    weeks = weeks_frame([{}, MET, MET, {"targets": 1}])
    assert scorecard.streaks(weeks, EMPLOYED) == (2, 2)


def test_a_met_current_week_extends_the_streak() -> None:
    weeks = weeks_frame([MET, {}, MET, MET, MET])
    assert scorecard.streaks(weeks, EMPLOYED) == (3, 3)


def test_a_missed_week_ends_the_streak_and_best_is_kept() -> None:
    weeks = weeks_frame([MET, MET, MET, {}, MET, {}])
    assert scorecard.streaks(weeks, EMPLOYED) == (1, 3)


def test_zero_goals_are_always_met() -> None:
    weeks = weeks_frame([{}, {}])
    assert scorecard.streaks(weeks, dict.fromkeys(GOAL_KEYS, 0)) == (2, 2)


def test_goal_progress_has_one_row_per_week_and_step() -> None:
    weeks = weeks_frame([{"targets": 4, "contacted": 1}, {"targets": 2}])
    progress = scorecard.goal_progress(weeks, EMPLOYED)
    assert len(progress) == 2 * len(GOAL_KEYS)
    first = progress[progress["week"] == "2026-W45"].set_index("step")
    assert list(first.index) == list(GOAL_KEYS)
    assert (int(first.loc["targets", "done"]), bool(first.loc["targets", "met"])) == (4, True)
    assert (int(first.loc["contacted", "goal"]), bool(first.loc["contacted", "met"])) == (2, False)
    assert first.loc["referral_asked", "stage"] == "asked"


def test_week_comparison_puts_this_week_beside_last_week() -> None:
    weeks = weeks_frame([{"contacted": 9}, {"contacted": 3, "follow_up": 2}, {"contacted": 5}])
    table = scorecard.week_comparison(weeks, EMPLOYED).set_index("step")
    assert table.loc["contacted", ["this_week", "last_week", "goal"]].tolist() == [5, 3, 2]
    assert table.loc["follow_up", ["this_week", "last_week", "goal"]].tolist() == [0, 2, 1]


def test_conversation_trend_averages_the_last_four_weeks() -> None:
    weeks = weeks_frame([{"contacted": n} for n in (4, 0, 2, 2, 8)])
    trend = scorecard.conversation_trend(weeks)
    assert trend["conversations"].tolist() == [4, 0, 2, 2, 8]
    assert trend["average"].tolist() == [4.0, 2.0, 2.0, 2.0, 3.0]


def test_weekly_rows_are_the_stats_engines(demo_db: Database) -> None:
    expected = stats.weekly(demo_db, Scope(stats.make_period(as_of=TODAY)))
    assert scorecard.weekly_rows(demo_db, TODAY).equals(expected)


def test_goals_summary_in_words() -> None:
    assert scorecard.goals_summary(EMPLOYED) == (
        "New targets 3 · Conversations 2 · Informational interviews 1 · Referral asks 2 · "
        "Thank-yous 2 · Follow-ups 1 · Calls made 5"
    )
