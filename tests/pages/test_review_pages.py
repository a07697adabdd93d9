"""The Dashboard, Weekly review and Network pages, driven by AppTest.

Every number a page shows is checked against `python -m lib.cli stats --json` (or the
library it prints) for the same period and as-of day.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from review_fixtures import TODAY, build_tiny
from streamlit.testing.v1 import AppTest

from lib import cli
from lib.core.vocab import GOAL_KEYS
from lib.engine import network, scorecard, stats
from lib.engine.stats import Scope
from lib.io.demo import load_demo
from lib.records import settings
from lib.records.contacts import add_contact
from lib.records.settings import GOAL_PRESETS
from lib.store.db import open_database
from tests.support import write_demo

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DASHBOARD = str(ROOT / "pages" / "review" / "dashboard.py")
WEEKLY = str(ROOT / "pages" / "review" / "weekly.py")
NETWORK = str(ROOT / "pages" / "review" / "network.py")
AS_OF = TODAY.isoformat()


def run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(page, default_timeout=120)
    at.query_params.update(params)
    return at.run()


def chart_values(value: object) -> list:
    """A plotly array from a chart spec (plotly 7 writes numbers as base64 `bdata`)."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def page_text(at: AppTest) -> str:
    """Everything the page sends to the browser, as text."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)


def cli_stats(path: Path, *args: str, capsys: pytest.CaptureFixture) -> dict:
    assert cli.main(["stats", "--json", "--db", str(path), "--as-of", AS_OF, *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def demo_file(app_env: Path) -> Path:
    return write_demo(app_env, TODAY)


@pytest.fixture
def tiny_file(app_env: Path) -> Path:
    db = open_database(app_env)
    build_tiny(db)
    db.close()
    return app_env


# ---------------------------------------------------------------- dashboard


def test_dashboard_on_an_empty_database_says_how_to_start(app_env: Path) -> None:
    at = run(DASHBOARD)
    assert not at.exception
    assert at.title[0].value == "Dashboard"
    assert at.info[0].value.startswith("**No targets yet.** Open **Today** in the sidebar")
    assert not at.get("plotly_chart")
    assert not at.metric


@pytest.mark.parametrize("period", ["all", "week", "4w", "quarter"])
def test_dashboard_numbers_equal_the_stats_command(
    demo_file: Path, period: str, capsys: pytest.CaptureFixture
) -> None:
    start = {"all": None, "week": "2026-11-23", "4w": "2026-11-02", "quarter": "2026-10-01"}
    expected = cli_stats(
        demo_file, *(["--from", start[period]] if start[period] else []), capsys=capsys
    )
    at = run(DASHBOARD, period=period, as_of=AS_OF)
    assert not at.exception
    counts = [row["contacts"] for row in expected["funnel"]]
    shown = metrics(at)
    assert shown["New targets"][0] == f"{counts[0]:,}"
    assert shown["Referrals received"][0] == f"{expected['referrals']['received']:,}"
    conversations = sum(week["contacted"] for week in expected["weekly"])
    assert shown["Conversations"][0] == f"{conversations:,}"
    if counts[0]:
        (funnel,) = charts(at)
        assert funnel["data"][0]["type"] == "funnel"
        assert chart_values(funnel["data"][0]["x"]) == counts
    else:
        assert not at.get("plotly_chart")
        assert at.info[0].value.startswith("No targets were identified in this period")


def test_dashboard_all_time_on_the_tiny_network(tiny_file: Path) -> None:
    at = run(DASHBOARD, as_of=AS_OF)
    assert metrics(at) == {
        "New targets": ("6", "+2 this week"),
        "Conversations": ("3", "+1 this week"),
        "Referrals received": ("3", "67% warm"),
        "Thank-you on time": ("50%", "1 of 2 on time · 1 open, due Fri 27 Nov"),
        "Follow-ups on schedule": ("33%", "1 of 3, 1 too soon"),
        "Opportunities": ("1", "+1 this week"),
        # Chloé (Ana's referral) was reached on 11-24; Ana last heard from you on 11-10.
        "Loops closed": ("0 of 1", "no referrer told yet"),
        # Ana talked by phone (1 call, reached); Ben first by email, Cleo by video.
        "Calls made": ("1", ""),
        "Reach rate": ("100%", ""),
        "First contact: by voice": ("1 (33%)", ""),
        "First contact: in writing": ("1 (33%)", ""),
    }
    assert at.caption[0].value == "All time, up to Wed 25 Nov 2026"
    (funnel,) = charts(at)
    assert chart_values(funnel["data"][0]["x"]) == [6, 3, 3, 2, 2]


def test_dashboard_filters_come_from_the_link(tiny_file: Path) -> None:
    at = run(DASHBOARD, as_of=AS_OF, source="referral", channel="video")
    assert at.multiselect(key="view_sources").value == ["referral"]
    assert at.multiselect(key="view_channels").value == ["video"]
    assert at.caption[0].value == "All time, up to Wed 25 Nov 2026 · filtered"
    (funnel,) = charts(at)
    assert chart_values(funnel["data"][0]["x"]) == [1, 1, 1, 0, 0]
    # Chloé (a referral, talked to by video) gave Elif's name, warm.
    assert metrics(at)["Referrals received"] == ("1", "100% warm")


def test_dashboard_custom_period_from_the_link(
    demo_file: Path, capsys: pytest.CaptureFixture
) -> None:
    expected = cli_stats(demo_file, "--from", "2026-09-01", "--to", "2026-10-31", capsys=capsys)
    at = run(DASHBOARD, period="custom", **{"from": "2026-09-01", "to": "2026-10-31"})
    assert [d.value.isoformat() for d in at.date_input] == ["2026-09-01", "2026-10-31"]
    (funnel,) = charts(at)
    assert chart_values(funnel["data"][0]["x"]) == [r["contacts"] for r in expected["funnel"]]
    assert metrics(at)["New targets"][1].endswith("vs the period before")


def test_dashboard_view_round_trips_through_the_link(demo_file: Path) -> None:
    at = run(DASHBOARD, as_of=AS_OF)
    assert at.query_params == {"as_of": AS_OF}
    at.pills(key="view_period").set_value("quarter")
    at.multiselect(key="view_sources").set_value(["linkedin", "association"])
    at.multiselect(key="view_channels").set_value(["phone"])
    at.run()
    link = dict(at.query_params)
    assert link == {
        "period": "quarter",
        "as_of": AS_OF,
        "source": "association,linkedin",
        "channel": "phone",
    }
    reopened = run(DASHBOARD, **link)
    assert reopened.pills(key="view_period").value == "quarter"
    assert reopened.multiselect(key="view_sources").value == ["association", "linkedin"]
    assert metrics(reopened) == metrics(at)
    assert charts(reopened) == charts(at)


def test_dashboard_drops_a_bad_link_parameter_with_a_warning(demo_file: Path) -> None:
    at = run(DASHBOARD, period="fortnight", source="linkedin,fax", as_of=AS_OF)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert warnings == [
        "Part of this link was ignored — `period: 'fortnight' is not one of week, 4w, quarter, "
        "all, custom; showing all time`.",
        "Part of this link was ignored — `source: fax is not one of association, chamber, "
        "linkedin, referral, event, other; filter ignored`.",
    ]
    assert at.query_params == {"as_of": AS_OF}


def test_a_write_shows_on_the_next_rerun(demo_file: Path) -> None:
    from lib.ui.data import _connection

    at = run(DASHBOARD, as_of=AS_OF)
    before = int(metrics(at)["New targets"][0])
    app_db = _connection(str(demo_file)).cursor()  # the app's own connection
    add_contact(app_db, {"full_name": "New Person", "identified_on": AS_OF}, today=TODAY)
    at.run()
    assert int(metrics(at)["New targets"][0]) == before + 1
    (funnel,) = charts(at)
    assert chart_values(funnel["data"][0]["x"])[0] == before + 1


# ---------------------------------------------------------------- weekly review


def test_moving_between_the_review_pages_keeps_each_period_picker(demo_file: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    for page in (
        "pages/review/dashboard.py",
        "pages/review/network.py",
        "pages/review/dashboard.py",
    ):
        at.switch_page(page).run()
        assert not at.exception, f"{page}: {at.exception}"
        assert at.pills[0].value == "all"


def goal_inputs(at: AppTest) -> dict:
    """The goal boxes, with "Set your weekly goals" opened first (closed, it builds none)."""
    if not at.number_input:
        at.session_state["set_goals"] = True
        at.run()
    by_label = {box.label: box for box in at.number_input}
    return {key: by_label[scorecard.STEP_LABELS[key]] for key in GOAL_KEYS}


def test_weekly_review_on_an_empty_database_explains_and_offers_goals(app_env: Path) -> None:
    at = run(WEEKLY)
    assert not at.exception
    assert at.info[0].value.startswith("**No weeks to review yet.**")
    assert not at.get("plotly_chart")
    assert [box.label for box in at.expander] == ["Set your weekly goals"]
    assert not at.number_input  # built only once opened
    assert len(goal_inputs(at)) == len(GOAL_KEYS)


def test_weekly_review_shows_this_week_against_goals(
    demo_file: Path, capsys: pytest.CaptureFixture
) -> None:
    weeks = cli_stats(demo_file, capsys=capsys)["weekly"]
    at = run(WEEKLY, as_of=AS_OF)
    assert not at.exception
    this, last = weeks[-1], weeks[-2]
    goals = GOAL_PRESETS["searching"]
    assert at.subheader[0].value == f"This week ({this['week']}, so far) against your goals"
    shown = metrics(at)
    done = this["contacted"]
    tick = " ✓" if done >= goals["contacted"] else ""
    assert shown["Conversations"][0] == f"{done} of {goals['contacted']}{tick}"
    assert shown["Follow-ups"][1].endswith(f"vs last week ({last['follow_up']})")
    goal_chart, trend = charts(at)
    cells = goal_chart["data"][0]
    assert cells["type"] == "heatmap"
    counts = {key: [int(n) for n in row] for key, row in zip(GOAL_KEYS, cells["text"], strict=True)}
    spec_keys = [key for key in GOAL_KEYS if key != "calls"]
    assert [counts[key] for key in spec_keys] == [
        [week[key] for week in weeks[-12:]] for key in spec_keys
    ]
    # Calls made: attempts plus conversations by phone (docs/METHOD.md "Weekly counts").
    db = open_database(demo_file, read_only=False)
    try:
        phone = db.execute(
            "SELECT strftime(occurred_on, '%G-W%V') AS week, count(*) FROM events "
            "WHERE kind IN ('attempt', 'contacted') AND channel = 'phone' GROUP BY ALL"
        ).fetchall()
    finally:
        db.close()
    assert counts["calls"] == [dict(phone).get(w["week"], 0) for w in weeks[-12:]]
    assert chart_values(trend["data"][0]["y"]) == [week["contacted"] for week in weeks[-12:]]


def test_weekly_review_shows_fewer_weeks_on_request(demo_file: Path) -> None:
    at = run(WEEKLY, as_of=AS_OF)
    at.pills(key="weeks_shown").set_value(4).run()
    goal_chart, trend = charts(at)
    assert len(chart_values(trend["data"][0]["y"])) == 4


def test_saving_weekly_goals_stores_exactly_what_was_entered(demo_file: Path) -> None:
    at = run(WEEKLY, as_of=AS_OF)
    entered = dict(zip(GOAL_KEYS, (7, 4, 1, 3, 4, 2, 12), strict=True))
    boxes = goal_inputs(at)
    for key in GOAL_KEYS:
        boxes[key].set_value(entered[key])
    (save,) = [b for b in at.button if b.label == "Save goals"]
    save.click().run()
    assert not at.exception
    assert at.success[0].value == "Weekly goals saved."
    db = open_database(demo_file, read_only=False)
    try:
        assert settings.weekly_goals(db) == entered
    finally:
        db.close()
    assert " of 7" in metrics(at)["New targets"][0]  # the review below uses the new goals


def test_a_preset_sets_every_goal(demo_file: Path) -> None:
    at = run(WEEKLY, as_of=AS_OF)
    goal_inputs(at)  # opens "Set your weekly goals"
    (employed,) = [b for b in at.button if b.label == "Preset: searching while employed"]
    employed.click().run()
    assert at.success[0].value == "Weekly goals saved."
    assert {key: box.value for key, box in goal_inputs(at).items()} == GOAL_PRESETS["employed"]
    assert metrics(at)["New targets"][0].startswith("0 of 3")


# ---------------------------------------------------------------- network


def test_network_on_an_empty_database_explains_the_multiplier(app_env: Path) -> None:
    at = run(NETWORK)
    assert not at.exception
    assert at.info[0].value.startswith("**Your network is empty.**")
    assert not at.get("plotly_chart")


def test_network_charts_equal_the_stats_command(
    demo_file: Path, capsys: pytest.CaptureFixture
) -> None:
    expected = cli_stats(demo_file, capsys=capsys)
    at = run(NETWORK, as_of=AS_OF)
    assert not at.exception
    multiplier, tree, referrers = charts(at)
    # The cells are Markdown-escaped ("8 \\(89%\\)"), so shown exactly as written: unescaped here.
    warm_cold, sources = (
        table.value.map(lambda cell: cell.replace("\\", "")) for table in at.table
    )
    generations = expected["referrals"]["generations"]
    assert chart_values(multiplier["data"][0]["y"]) == generations
    assert tree["data"][0]["type"] == "sunburst"
    drawn = sum(1 for parent in tree["data"][0]["parents"] if parent == "you")
    assert drawn >= 1
    funnel = [row["contacts"] for row in expected["funnel"]]
    assert list(sources.columns) == [
        "Source", "Targets", "Talked to", "Referrals", "Per target"
    ]  # fmt: skip
    assert sum(int(n) for n in sources["Targets"]) == funnel[0]
    assert sum(int(cell.split(" (")[0]) for cell in sources["Talked to"]) == funnel[1]
    assert referrers["data"][0]["orientation"] == "h"
    assert list(warm_cold["Kind of target"]) == [
        "Warm referrals", "Referrals (name not shared)", "Cold targets"
    ]  # fmt: skip
    assert sum(int(n) for n in warm_cold["Targets"]) == funnel[0]


# ---------------------------------------------------------------- read-only and redacted


@pytest.fixture
def redacted(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The demo file shared with names hidden; yields every name and company in it."""
    db = open_database(demo_file, read_only=True)
    secrets = [
        value
        for row in db.execute("SELECT full_name, company FROM contacts").fetchall()
        for value in row
        if value
    ]
    db.close()
    monkeypatch.setenv("WARMLEADS_REDACT", "1")
    yield secrets


@pytest.mark.parametrize(
    "page", [DASHBOARD, WEEKLY, NETWORK], ids=["dashboard", "weekly", "network"]
)
def test_redacted_pages_show_no_names_or_companies(redacted: list[str], page: str) -> None:
    at = run(page, as_of=AS_OF)
    assert not at.exception
    text = page_text(at)
    assert len(text) > 1000
    leaked = sorted({secret for secret in redacted if secret in text})
    assert leaked == []


def test_the_redacted_network_names_referrers_by_number(redacted: list[str]) -> None:
    at = run(NETWORK, as_of=AS_OF)
    text = page_text(at)
    assert "Referrer 1" in text


@pytest.mark.parametrize(
    "page", [DASHBOARD, WEEKLY, NETWORK], ids=["dashboard", "weekly", "network"]
)
def test_read_only_pages_offer_nothing_that_writes(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv("WARMLEADS_READ_ONLY", "1")
    at = run(page, as_of=AS_OF)
    assert not at.exception
    assert not at.button
    assert not at.get("form")
    assert not at.number_input
    assert not at.get("file_uploader")
    assert not at.expander


# ---------------------------------------------------------------- 100,000 contacts


@pytest.fixture(scope="session")
def large_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "network-100k.duckdb"
    db = open_database(path)
    load_demo(db, contacts=100_000, events=1_000_000, today=TODAY)
    db.close()
    return path


@pytest.mark.slow
@pytest.mark.parametrize(
    "page", [DASHBOARD, WEEKLY, NETWORK], ids=["dashboard", "weekly", "network"]
)
def test_pages_on_100k_contacts(
    large_file: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    import streamlit as st

    monkeypatch.setenv("WARMLEADS_DB", str(large_file))
    monkeypatch.setenv("WARMLEADS_READ_ONLY", "1")  # leave the shared file untouched
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = run(page, as_of=AS_OF)
        assert not at.exception
        assert len(at.get("plotly_chart")) >= 1
        db = open_database(large_file, read_only=True)
        if page == DASHBOARD:
            expected = stats.funnel(db, Scope(stats.make_period(as_of=TODAY)))["contacts"].tolist()
            (funnel,) = charts(at)
            assert chart_values(funnel["data"][0]["x"]) == expected
            assert metrics(at)["New targets"][0] == "100,000"
        if page == NETWORK:
            tree = charts(at)[1]["data"][0]
            people = [i for i in tree["ids"] if i != "you" and not i.startswith("more-")]
            assert len(people) == network.TREE_MAX_PEOPLE
        db.close()
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_weekly_reach_rate_of_a_week_without_calls_is_a_dash(demo_file: Path) -> None:
    at = run(WEEKLY, as_of=AS_OF)
    (calls,) = at.table
    table = calls.value
    assert list(table.columns) == ["Week", "Calls", "By phone", "Attempts", "Reach rate"]
    no_calls = table[table["Calls"] == 0]
    assert len(no_calls) > 0  # the demo has quiet weeks
    assert set(no_calls["Reach rate"]) == {"—"}
    called = table[table["Calls"] > 0]
    assert all(rate.endswith("%") for rate in called["Reach rate"])
    assert "None" not in table.to_string() and "nan" not in table.to_string()
