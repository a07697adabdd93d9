"""The report opens in Chromium with the network cut off and draws every chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from lib.engine import stats
from lib.io.demo import load_demo
from lib.present import report
from lib.store.db import open_database

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
TODAY_ISO = "2026-11-25"

pytestmark = pytest.mark.browser


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    """The demo network's report, written as `python -m lib.cli report` writes it."""
    db = open_database(tmp_path / "network.duckdb")
    load_demo(db, today=stats.make_period(as_of=TODAY_ISO).day)
    page = report.build_report(db, stats.make_period(as_of=TODAY_ISO))
    db.close()
    return report.write_report(page, tmp_path / "report.html", db_path=db.path)


def test_the_report_draws_its_charts_with_no_network(browser: Browser, report_file: Path) -> None:
    # `browser` is Debian's Chromium, launched by tests/browser/conftest.py.
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_offline(True)
    asked_for: list[str] = []

    def refuse_the_network(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            asked_for.append(route.request.url)
            route.abort()

    context.route("**/*", refuse_the_network)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report_file.as_uri())
    page.wait_for_selector("#multiplier .main-svg", timeout=30_000)

    assert page.locator(".js-plotly-plot .main-svg").count() >= 3
    assert page.locator("#funnel .funnellayer .trace").count() == 1
    assert page.locator("#funnel .funnellayer .point").count() == 5
    assert page.locator("#trend .scatterlayer .trace").count() == 5
    assert page.locator("#multiplier .barlayer .point").count() >= 2
    assert page.get_by_role("heading", name="The funnel").is_visible()
    assert asked_for == []
    assert errors == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
    context.close()
