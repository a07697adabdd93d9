"""Pure figures, inspected: trace types, values equal to the library's numbers, colours."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from review_fixtures import TODAY, build_tiny

from lib import cli
from lib.core.vocab import GOAL_KEYS, STAGE_COLORS, STAGE_LABELS, STAGES, WEEKLY
from lib.engine import network, scorecard, stats
from lib.engine.stats import Scope
from lib.present.figures.funnel import funnel_figure
from lib.present.figures.network import (
    multiplier_figure,
    referral_tree_figure,
    top_referrers_figure,
)
from lib.present.figures.trend import TREND_SERIES, TREND_WEEKS, weekly_trend_figure
from lib.present.figures.weekly import (
    MET_COLOR,
    WRITTEN_WEEKS,
    conversation_trend_figure,
    weekly_goals_figure,
)
from lib.records.settings import GOAL_PRESETS
from lib.store.db import Database, open_database

ALL_TIME = stats.make_period(as_of=TODAY)


@pytest.fixture
def tiny(db: Database) -> dict[str, int]:
    return build_tiny(db)


@pytest.mark.parametrize("start", [None, "2026-11-01"])
def test_the_funnel_figure_equals_the_stats_command(
    demo_db: Database, start: str | None, capsys: pytest.CaptureFixture
) -> None:
    args = ["stats", "--json", "--db", str(demo_db.path), "--as-of", TODAY.isoformat()]
    args += ["--from", start] if start else []
    demo_db.close()
    assert cli.main(args) == 0
    expected = json.loads(capsys.readouterr().out)["funnel"]
    db = open_database(demo_db.path)
    figure = funnel_figure(stats.funnel(db, Scope(stats.make_period(as_of=TODAY, start=start))))
    db.close()
    (trace,) = figure.data
    assert trace.type == "funnel"
    assert list(trace.x) == [row["contacts"] for row in expected]
    assert list(trace.y) == [STAGE_LABELS[row["stage"]] for row in expected]
    assert list(trace.marker.color) == [STAGE_COLORS[s] for s in STAGES]
    assert trace.texttemplate[0] == "%{value:,} targets"
    assert "of targets" in trace.texttemplate[1]


def test_the_weekly_goals_figure_writes_each_week_against_each_goal(demo_db: Database) -> None:
    goals = GOAL_PRESETS["searching"]
    weeks = scorecard.weekly_rows(demo_db, TODAY).tail(8)
    figure = weekly_goals_figure(scorecard.goal_progress(weeks, goals))
    # One chart, a row per step (seven bar charts cost 0.4 s more to draw), its counts written.
    cells, unmet, met = figure.data
    assert cells.type == "heatmap" and cells.showscale is False
    assert list(cells.y) == [f"{WEEKLY.short(key)}<br>goal {goals[key]}" for key in GOAL_KEYS]
    assert [list(row) for row in cells.text] == [
        [f"{n:,}" for n in weeks[key].astype(int)] for key in GOAL_KEYS
    ]
    assert [list(row) for row in cells.z] == [
        [1.0 if goals[key] == 0 else min(n / goals[key], 1.0) for n in weeks[key]]
        for key in GOAL_KEYS
    ]
    # Written in the cells (a phone has no hover): white on green, the theme's colour elsewhere.
    written = {
        (row, week): (count, trace is met)
        for trace in (unmet, met)
        for week, row, count in zip(trace.x, trace.y, trace.text, strict=True)
    }
    assert written == {
        (row, week): (f"{n:,}", n >= goals[key])
        for key, row in zip(GOAL_KEYS, cells.y, strict=True)
        for week, n in zip(cells.x, weeks[key].astype(int), strict=True)
    }
    assert (unmet.mode, met.mode) == ("text", "text")
    assert met.textfont.color == "white" and unmet.textfont.color is None
    assert cells.x[-1] == weeks["week"].iloc[-1][-3:]
    thanks = cells.hovertext[GOAL_KEYS.index("thank_you")][-1]
    assert thanks.startswith(f"<b>Thank-yous</b><br>{weeks['week'].iloc[-1]} (week of ")
    assert f"{int(weeks['thank_you'].iloc[-1])} done · goal {goals['thank_you']}" in thanks
    assert figure.layout.yaxis.autorange == "reversed"  # in the order of the cards above it


def test_a_met_goal_is_the_full_colour_and_a_long_view_leaves_the_numbers_out() -> None:
    weeks = pd.DataFrame(
        {"week": [f"2026-W{n}" for n in range(30, 50)]}
        | {"week_start": pd.date_range("2026-07-20", periods=20, freq="W-MON")}
        | {key: [5] * 20 for key in GOAL_KEYS}
    )
    goals = {key: 5 for key in GOAL_KEYS} | {"calls": 0, "targets": 10}
    cells = weekly_goals_figure(scorecard.goal_progress(weeks, goals), weeks_shown=12).data[0]
    assert cells.colorscale[-1][1] == MET_COLOR
    assert (cells.zmin, cells.zmax) == (0, 1)
    shares = {key: set(row) for key, row in zip(GOAL_KEYS, cells.z, strict=True)}
    assert shares["contacted"] == shares["calls"] == {1.0}  # met, and a goal of 0 always met
    assert shares["targets"] == {0.5}
    wide = weekly_goals_figure(scorecard.goal_progress(weeks, goals), weeks_shown=26)
    assert WRITTEN_WEEKS == 12 and len(wide.data) == 1  # the grid alone: no counts written


def test_the_conversation_trend_marks_the_unfinished_week(demo_db: Database) -> None:
    weeks = scorecard.weekly_rows(demo_db, TODAY).tail(6)
    figure = conversation_trend_figure(scorecard.conversation_trend(weeks))
    counts, average = figure.data
    assert (counts.type, average.type) == ("scatter", "scatter")
    assert list(counts.y) == weeks["contacted"].astype(int).tolist()
    assert counts.x[-1].startswith(weeks["week"].iloc[-1][-3:] + " (so far)")
    assert counts.line.color == STAGE_COLORS["contacted"]


def test_the_weekly_trend_draws_one_line_per_step(demo_db: Database) -> None:
    weekly = stats.weekly(demo_db, Scope(ALL_TIME))
    figure = weekly_trend_figure(weekly)
    assert [trace.name for trace in figure.data] == [
        "New targets", "Conversations", "Referral asks", "Thank-yous", "Follow-ups"
    ]  # fmt: skip
    assert list(figure.data[0].y) == [int(n) for n in weekly["targets"]]
    assert list(figure.data[4].y) == [int(n) for n in weekly["follow_up"]]
    assert list(figure.data[0].customdata) == list(weekly["week"])  # the ISO week on hover


def test_the_trend_draws_at_most_five_years_ending_at_the_last_busy_week() -> None:
    weeks = pd.date_range("1900-01-01", "2200-12-31", freq="W-MON")
    weekly = pd.DataFrame({"week_start": weeks.date, "week": [str(w.date()) for w in weeks]})
    for column in TREND_SERIES:
        weekly[column] = 0
    weekly.loc[100, "targets"] = 1
    weekly.loc[8000, "contacted"] = 2  # the last busy week
    xs = list(weekly_trend_figure(weekly).data[0].x)
    assert len(xs) == TREND_WEEKS
    assert xs[-1] == weekly["week_start"][8000]


def test_the_multiplier_figure_plots_generations_and_the_ideal(
    tiny: dict[str, int], db: Database
) -> None:
    figure = multiplier_figure(network.multiplier(db, ALL_TIME))
    bars, ideal = figure.data
    assert (bars.type, ideal.type) == ("bar", "scatter")
    assert list(bars.y) == [3, 2, 1]
    assert list(bars.text) == ["3", "2 (×0.7)", "1 (×0.5)"]
    # The ideal 3 → 9 → 27, written out; on an axis of your own numbers (up to 3), the 9 and
    # the 27 sit at its top as triangles.
    assert list(ideal.text) == ["3", "9", "27"]
    assert list(ideal.y) == [3, 3.75, 3.75]
    assert list(ideal.marker.symbol) == ["circle", "triangle-up", "triangle-up"]
    assert figure.layout.yaxis.type in (None, "linear")
    assert list(figure.layout.yaxis.range) == [0, 3 * 1.45]


def test_the_multiplier_keeps_small_generations_readable_beside_a_huge_ideal() -> None:
    frame = pd.DataFrame(
        {"generation": [0, 1, 2, 3], "contacts": [20, 2, 0, 0], "ideal": [20, 60, 180, 540]}
    )
    frame["ratio"] = [None, 0.1, 0.0, None]
    figure = multiplier_figure(frame)
    bars, ideal = figure.data
    assert list(figure.layout.yaxis.range) == [0, 29.0]  # the bars' range, not the ideal's
    assert list(ideal.text) == ["20", "60", "180", "540"]
    assert list(ideal.y) == [20, 25.0, 25.0, 25.0]
    assert list(figure.layout.xaxis.ticktext)[1] == "Gen 1<br>referred"


def test_the_referral_tree_is_a_sunburst_around_you(tiny: dict[str, int], db: Database) -> None:
    tree, _ = network.referral_tree(db, TODAY)
    figure = referral_tree_figure(tree)
    sunburst = figure.data[0]
    assert sunburst.type == "sunburst"
    assert list(sunburst.ids) == ["you", *tree["id"]]
    assert list(sunburst.parents) == ["", *tree["parent"]]
    # Wedges are sized by the people at the chains' ends (Dev, Elif), so no ring has a gap;
    # hover still counts everyone in a branch.
    assert list(sunburst.values) == [2, 2, 1, 1, 1]
    assert "4 in this branch" in sunburst.hovertext[1]
    assert list(sunburst.labels)[1:] == ["Ana Ruiz", "Chloé Martin", "Dev Patel", "Elif Yilmaz"]
    assert list(sunburst.marker.colors)[1:] == [
        STAGE_COLORS[s] for s in ("followed_up", "asked", "targeted", "targeted")
    ]
    legend = [t.name for t in figure.data[1:]]
    assert legend == [STAGE_LABELS[s] for s in STAGES]


def test_the_tree_coloured_by_target_company(tiny: dict[str, int], db: Database) -> None:
    from lib.present.figures.style import CATEGORY_COLORS, NEUTRAL
    from lib.records.companies import add_company

    atlas = add_company(db, {"name": "Atlas Freight"}).company_id  # Ana works there
    add_company(db, {"name": "Nobody Here Ltd"})  # no one drawn: no legend entry
    tree, _ = network.referral_tree(db, TODAY)
    assert tree["company_id"].tolist() == [atlas, None, None, None]
    figure = referral_tree_figure(tree, companies={atlas: "<b>Atlas</b>", 99: "Nobody Here Ltd"})
    assert list(figure.data[0].marker.colors)[1:] == [CATEGORY_COLORS[0], *[NEUTRAL] * 3]
    assert [t.name for t in figure.data[1:]] == ["&lt;b&gt;Atlas&lt;/b&gt;", "No target company"]
    assert "&lt;b&gt;Atlas&lt;/b&gt;<br>" in figure.data[0].hovertext[1]
    # Without `companies`, the stages colour it as before.
    assert [t.name for t in referral_tree_figure(tree).data[1:]] == [
        STAGE_LABELS[s] for s in STAGES
    ]


def test_names_cannot_inject_markup_into_charts(tiny: dict[str, int], db: Database) -> None:
    from lib.records.contacts import update_contact

    update_contact(db, tiny["A"], {"full_name": "<b>Ana</b> & <a href='x'>Co</a>"}, today=TODAY)
    tree, _ = network.referral_tree(db, TODAY)
    sunburst = referral_tree_figure(tree).data[0]
    assert sunburst.labels[1] == "&lt;b&gt;Ana&lt;/b&gt; &amp; &lt;a href='x'&gt;Co&lt;/a&gt;"
    assert "<b>Ana" not in sunburst.hovertext[1]
    referrers = top_referrers_figure(network.top_referrers(db, ALL_TIME))
    assert referrers.layout.yaxis.ticktext[-1] == "&lt;b&gt;Ana&lt;/b&gt; &amp; &lt;a href='x…"
    assert referrers.data[0].customdata[-1][0].startswith("<b>&lt;b&gt;Ana&lt;/b&gt; &amp; &lt;a")


def test_a_redacted_tree_figure_shows_no_names(tiny: dict[str, int], db: Database) -> None:
    tree, _ = network.referral_tree(db, TODAY, redact=True)
    referrers = network.top_referrers(db, ALL_TIME, redact=True)
    text = referral_tree_figure(tree).to_json() + top_referrers_figure(referrers).to_json()
    for secret in ("Ana", "Chlo", "Dev Patel", "Elif", "Atlas Freight"):
        assert secret not in text
    assert "Referrer 1" in text


def test_the_top_referrers_figure_stacks_warm_and_other(tiny: dict[str, int], db: Database) -> None:
    figure = top_referrers_figure(network.top_referrers(db, ALL_TIME))
    warm, other, loops = figure.data
    assert (warm.type, warm.orientation, figure.layout.barmode) == ("bar", "h", "stack")
    # Each bar ends with how many of their referrals you reached and whether you told them.
    assert list(loops.text) == ["", "  1 reached · 1 not told yet"]
    assert "1 reached · 1 not told yet" in warm.customdata[1][3]
    assert list(warm.y) == [0, 1]
    # The top referrer is drawn on top.
    assert list(figure.layout.yaxis.ticktext) == ["Chloé Martin", "Ana Ruiz"]
    assert list(warm.x) == [1, 1]
    assert list(other.x) == [0, 1]
    assert "Atlas Freight" in warm.customdata[1][0]


def test_a_narrow_funnel_bar_keeps_a_readable_label_beside_it() -> None:
    funnel = pd.DataFrame({"stage": list(STAGES), "contacts": [7, 1, 1, 0, 0]})
    (trace,) = funnel_figure(funnel).data
    assert list(trace.textposition) == ["inside", "outside", "outside", "outside", "outside"]
    assert trace.texttemplate[1] == "%{value:,}  ·  %{percentInitial:.0%}"
    assert trace.constraintext == "none"  # never shrunk to fit the bar
    assert funnel_figure(funnel).layout.uniformtext.minsize == 12
    assert STAGE_COLORS["followed_up"] == "#2F8F89"  # the best stage is not alarm-red


def test_a_first_week_is_drawn_on_the_weeks_chosen(db: Database) -> None:
    weeks = pd.DataFrame(
        {"week": ["2026-W48"], "week_start": [pd.Timestamp("2026-11-23")]}
        | {key: [1] for key in GOAL_KEYS}
    )
    figure = weekly_goals_figure(
        scorecard.goal_progress(weeks, GOAL_PRESETS["searching"]), weeks_shown=4
    )
    cells = figure.data[0]  # the week on the right, empty cells before it (not a lone column)
    assert list(cells.x) == ["W45", "W46", "W47", "W48"]
    assert [list(row) for row in cells.text] == [["", "", "", "1"]] * len(GOAL_KEYS)
    assert list(cells.z[0]) == [None, None, None, 0.1] and cells.hoverongaps is False
    assert list(figure.layout.xaxis.categoryarray) == ["W45", "W46", "W47", "W48"]
    assert list(figure.layout.xaxis.range) == [-0.5, 3.5]
    trend = conversation_trend_figure(scorecard.conversation_trend(weeks), weeks_shown=4)
    assert trend.data[1].mode == "lines+markers"  # the 4-week average shows with one week
    assert len(trend.layout.xaxis.categoryarray) == 4


def test_the_top_referrers_legend_tells_warm_from_other(tiny: dict[str, int], db: Database) -> None:
    referrers = top_referrers_figure(network.top_referrers(db, ALL_TIME))
    warm, other = referrers.data[:2]  # the third trace is the text at each bar's end
    assert warm.marker.color != other.marker.color and other.marker.opacity is None


@pytest.mark.parametrize("shown", [4, 8, 12, 26, 52])
def test_the_weekly_axes_always_label_the_current_week(db: Database, shown: int) -> None:
    weeks = pd.DataFrame(
        {"week": ["2026-W48"], "week_start": [pd.Timestamp("2026-11-23")]}
        | {key: [1] for key in GOAL_KEYS}
    )
    goals = weekly_goals_figure(
        scorecard.goal_progress(weeks, GOAL_PRESETS["searching"]), weeks_shown=shown
    )
    trend = conversation_trend_figure(scorecard.conversation_trend(weeks), weeks_shown=shown)
    for axis, most in ((goals.layout.xaxis, 6), (trend.layout.xaxis, 4)):
        assert axis.tickvals[-1] == axis.categoryarray[-1]  # this week
        assert len(axis.tickvals) <= most
    assert goals.layout.xaxis.tickvals[-1] == "W48"
