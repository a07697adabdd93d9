"""Every page of the real app in Chromium: empty and demo data, the funnel, bad files.

Pages are found from the sidebar navigation, so pages added later are covered
(and screenshotted to tests/screenshots/) without touching this file.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from lib.engine import stats
from lib.engine.stats import Scope
from lib.io.demo import load_demo
from lib.store.db import open_database
from tests.browser.conftest import Guard, nav_links, open_page, page_slug, screenshot
from tests.processes import hold_open
from tests.support import digest, write_demo

pytestmark = pytest.mark.browser

EXPECTED_PAGES = {
    "Today",
    "Contacts",
    "Companies",
    "Log a step",
    "From phone & mail",
    "Pitch coach",
    "Import & export",
    "Dashboard",
    "Weekly review",
    "Network",
}
ERROR_TITLE = "Warm Leads can't open your data"


def visit_every_page(page: Page, url: str, label: str) -> list[str]:
    """Open each page in the navigation; check it rendered; screenshot it; return the labels."""
    open_page(page, url)
    links = nav_links(page)
    for name, href in links:
        open_page(page, href)
        assert page.locator("[data-testid=stException]").count() == 0, f"{name}: exception"
        assert page.locator("h1").first.is_visible(), f"{name} shows no title"
        assert ERROR_TITLE not in page.inner_text("body"), f"{name}: the file was refused"
        screenshot(page, f"{label}-{page_slug(name)}")
    return [name for name, _ in links]


def test_every_page_renders_for_a_new_user_on_a_new_file(
    page: Page, guard: Guard, streamlit_app: Callable[..., str], tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"  # does not exist yet: the app creates it
    url = streamlit_app(path)

    labels = visit_every_page(page, url, "empty")

    assert set(labels) >= EXPECTED_PAGES
    assert path.exists()
    guard.assert_clean()


def test_every_page_renders_on_the_demo_network_and_the_funnel_draws(
    page: Page, guard: Guard, streamlit_app: Callable[..., str], tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    db = open_database(path)
    load_demo(db)
    funnel = stats.funnel(db, Scope(stats.make_period()))
    db.close()
    url = streamlit_app(path)

    labels = visit_every_page(page, url, "demo")
    assert set(labels) >= EXPECTED_PAGES

    dashboard = dict(nav_links(page))["Dashboard"]
    open_page(page, dashboard)
    bars = page.locator("[data-testid=stPlotlyChart] .funnellayer .point")
    bars.first.wait_for()
    assert bars.count() == len(funnel) == 5
    # Each bar's label starts with its count ("50 targets", "41 · 82% of targets").
    first_lines = page.locator("[data-testid=stPlotlyChart] .funnellayer .point text").evaluate_all(
        "texts => texts.map(t => (t.querySelector('tspan') || t).textContent)"
    )
    counts = [int(re.match(r"[\d,]+", line).group().replace(",", "")) for line in first_lines]
    assert counts == [int(n) for n in funnel["contacts"]]
    screenshot(page, "demo-dashboard-funnel")
    guard.assert_clean()


def test_a_damaged_file_shows_what_is_wrong_and_stays_untouched(
    page: Page, guard: Guard, streamlit_app: Callable[..., str], tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    path.write_bytes(random.Random(7).randbytes(32 * 1024))
    before = digest(path)
    url = streamlit_app(path)

    open_page(page, f"{url}/dashboard")

    text = page.inner_text("[data-testid=stMain]")
    assert ERROR_TITLE in text
    assert "is not a Warm Leads database (damaged or another kind of file)" in text
    assert "it was left untouched" in text
    assert "Your file has not been changed" in text
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "error-damaged-file")
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".log") == [path.name]
    guard.assert_clean()


def test_a_file_held_by_another_process_says_so_and_stays_untouched(
    page: Page, guard: Guard, streamlit_app: Callable[..., str], tmp_path: Path
) -> None:
    path = write_demo(tmp_path / "network.duckdb")
    with hold_open(path):
        before = digest(path)
        url = streamlit_app(path)
        open_page(page, f"{url}/dashboard")
        text = page.inner_text("[data-testid=stMain]")
        screenshot(page, "error-locked-file")
        assert digest(path) == before

    assert ERROR_TITLE in text
    assert "is open in another Warm Leads process (the app or a command)" in text
    assert "Close it (or stop that command), then reload this page" in text
    assert "start a read-only view: python -m lib.cli share" in text
    guard.assert_clean()


def test_a_bookmarked_page_opened_first_shows_the_apps_navigation(
    page: Page, guard: Guard, streamlit_app: Callable[..., str], tmp_path: Path
) -> None:
    url = streamlit_app(tmp_path / "network.duckdb")

    open_page(page, f"{url}/dashboard")  # the first visit to a fresh server, from a bookmark

    assert {name for name, _ in nav_links(page)} >= EXPECTED_PAGES
    guard.assert_clean()
