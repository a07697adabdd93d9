"""One accepted date range (1900-01-01 … 2200-12-31) at every entry, safe at both bounds."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.cli import main
from lib.core.errors import ValidationError
from lib.core.validation import EARLIEST_DATE, LATEST_DATE, clean_contact, parse_date
from lib.engine import review, stats
from lib.io.demo import load_demo
from lib.present.figures import trend
from lib.records.contacts import add_contact
from lib.store.db import open_database
from tests.conftest import ROOT, TODAY

FUTURE = "is too far in the future (the latest date accepted is Wed 31 Dec 2200)"


@pytest.fixture
def demo_file(db_path: Path) -> Path:
    db = open_database(db_path)
    load_demo(db, today=TODAY)
    # Records at both ends of the range: the oldest and the newest day accepted.
    add_contact(db, {"full_name": "First Day", "identified_on": EARLIEST_DATE}, today=LATEST_DATE)
    add_contact(db, {"full_name": "Last Day", "identified_on": LATEST_DATE}, today=LATEST_DATE)
    db.close()
    return db_path


def test_the_range_is_1900_to_2200() -> None:
    assert (date(1900, 1, 1), date(2200, 12, 31)) == (EARLIEST_DATE, LATEST_DATE)
    assert parse_date("d", "2200-12-31") == LATEST_DATE
    assert parse_date("d", "1900-01-01") == EARLIEST_DATE
    with pytest.raises(ValidationError) as caught:
        parse_date("d", "2201-01-01")
    assert str(caught.value) == f"d: Thu 1 Jan 2201 {FUTURE}"


def test_forms_and_imports_refuse_a_date_past_the_range() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_contact({"full_name": "Ana", "identified_on": date(9999, 12, 31)}, today=date.max)
    assert str(caught.value) == f"identified_on: Fri 31 Dec 9999 {FUTURE}"


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format", "ics", "--out", "{tmp}/r.ics", "--as-of", "9999-12-31"],
        ["report", "--out", "{tmp}/r.html", "--as-of", "9999-12-31"],
        ["stats", "--as-of", "9999-12-31"],
    ],
)
def test_the_cli_refuses_far_dates_with_one_line_and_writes_nothing(
    demo_file: Path, tmp_path: Path, capsys, argv: list[str]
) -> None:
    before = sorted(tmp_path.iterdir())
    code = main([a.format(tmp=tmp_path) for a in argv] + ["--db", str(demo_file)])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == f"error: as_of: Fri 31 Dec 9999 {FUTURE}\n"
    assert sorted(tmp_path.iterdir()) == before


def test_every_command_works_at_the_bounds(demo_file: Path, tmp_path: Path, capsys) -> None:
    ics = tmp_path / "r.ics"
    assert main(["export", "--format", "ics", "--out", str(ics), "--as-of", "2200-12-31",
                 "--db", str(demo_file)]) == 0  # fmt: skip
    assert ics.read_bytes().count(b"BEGIN:VEVENT") > 0
    page = tmp_path / "r.html"
    argv = ["report", "--out", str(page), "--from", "1900-01-01", "--as-of", "2200-12-31"]
    assert main([*argv, "--db", str(demo_file)]) == 0
    # Every empty week from 1900 to 2200 in the trend made a 78 MB file at 9999; at most
    # TREND_WEEKS are drawn now, so the report weighs what today's does (plotly.js is 4.7 MB).
    assert page.stat().st_size < 5_500_000
    assert main(["stats", "--json", "--from", "1900-01-01", "--to", "2200-12-31",
                 "--db", str(demo_file)]) == 0  # fmt: skip
    capsys.readouterr()


def test_the_trend_draws_at_most_five_years_ending_at_the_last_busy_week() -> None:
    weeks = pd.date_range("1900-01-01", "2200-12-31", freq="W-MON")
    weekly = pd.DataFrame({"week_start": weeks.date, "week": [str(w.date()) for w in weeks]})
    for column in trend.TREND_SERIES:
        weekly[column] = 0
    weekly.loc[100, "targets"] = 1
    weekly.loc[8000, "contacted"] = 2  # the last busy week
    figure = trend.weekly_trend_figure(weekly)
    xs = list(figure.data[0].x)
    assert len(xs) == trend.TREND_WEEKS
    assert xs[-1] == weekly["week_start"][8000]


def test_the_previous_period_is_safe_at_the_first_day() -> None:
    view = review.ReviewLink(period="custom", start=EARLIEST_DATE, end=LATEST_DATE)
    period = review.resolve_period(view)
    assert review.previous_period(view, period) is None
    early = review.ReviewLink(period="custom", start=date(1900, 1, 10), end=date(1900, 3, 1))
    before = review.previous_period(early, review.resolve_period(early))
    assert (before.start, before.end) == (EARLIEST_DATE, date(1900, 1, 9))
    for name in ("week", "4w", "quarter"):
        at_start = review.ReviewLink(period=name, as_of=EARLIEST_DATE + timedelta(days=3))
        resolved = review.resolve_period(at_start)
        assert resolved.start == EARLIEST_DATE
        assert review.previous_period(at_start, resolved) is None


def test_a_link_with_a_far_date_is_dropped_with_a_warning() -> None:
    view, problems = review.parse_link({"period": "custom", "from": "1900-01-01",
                                        "to": "9999-12-31"})  # fmt: skip
    assert problems == [f"to: Fri 31 Dec 9999 {FUTURE}"]
    assert view.start == EARLIEST_DATE and view.end is None
    stats.make_period(as_of=view.as_of, start=view.start, end=view.end)


def test_the_dashboard_at_the_bounds_shows_no_traceback(demo_file: Path, monkeypatch) -> None:
    import streamlit as st

    monkeypatch.setenv("WARMLEADS_DB", str(demo_file))
    st.cache_data.clear()
    st.cache_resource.clear()
    for params in (
        {"period": "custom", "from": "1900-01-01", "to": "9999-12-31"},
        {"period": "custom", "from": "1900-01-01", "to": "2200-12-31"},
        {"period": "4w", "as_of": "1900-01-02"},
    ):
        at = AppTest.from_file(str(ROOT / "pages" / "review" / "dashboard.py"), default_timeout=120)
        at.query_params.update(params)
        at.run()
        assert not at.exception, params
        assert at.title[0].value == "Dashboard"
    assert [w.value for w in at.warning] == []
    st.cache_resource.clear()


def test_an_imported_date_past_the_range_is_left_out_naming_it(tmp_path: Path, capsys) -> None:
    source = tmp_path / "connections.csv"
    source.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        "Ana,Ruiz,,,Kestrel,Recruiter,01 Jan 2201\r\n"
        "Ben,Okafor,,,Atlas,Director,01 Jan 2020\r\n",
        encoding="utf-8",
    )
    code = main(["import", str(source), "--db", str(tmp_path / "n.duckdb")])
    out, err = capsys.readouterr()
    assert code == 0
    # The person is kept; only the date that cannot be right is left out, and named.
    assert (
        out == f"Imported {source} (LinkedIn connections): 2 new contacts, 0 updated, 0 skipped\n"
    )
    assert err.splitlines()[-1] == (
        f"  warning: row 2: connected on date '2201-01-01' left out ({FUTURE})"
    )
