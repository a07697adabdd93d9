"""The widget-code preload in Chromium: Today's widget code comes with the first page, the
other pages' code and plotly.js only once the app has been idle, all from this server; then
each kind of chart is drawn once off screen and thrown away."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from lib.ui import preload
from tests.browser.conftest import WAIT, AppServers, Guard, open_page
from tests.support import write_demo

pytestmark = pytest.mark.browser

FETCHED = """() => performance.getEntriesByType("resource")
  .map((r) => r.name.split("/").pop()).filter((n) => n.endsWith(".js"))"""


def test_todays_widget_code_comes_first_and_the_rest_once_idle(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    url = streamlit_app(write_demo(tmp_path / "demo.duckdb"))
    open_page(page, url)
    now, later = preload.chunk_names(preload.NOW), preload.chunk_names(preload.LATER)
    page.wait_for_function(
        f"() => {list(now)}.every((n) => ({FETCHED})().includes(n))", timeout=WAIT
    )
    fetched = set(page.evaluate(FETCHED))
    assert set(now) <= fetched
    assert not set(later) & fetched  # nothing more while the page has only just been drawn

    # Idle for a moment: the other pages' widget code and the chart code arrive.
    page.wait_for_function(
        f"() => {list(later)}.every((n) => ({FETCHED})().includes(n))", timeout=WAIT
    )
    # Each chunk was fetched once (from the address Streamlit's own imports use).
    names = page.evaluate(FETCHED)
    assert all(names.count(name) == 1 for name in (*now, *later))

    # Then each kind of chart the pages draw, once, off screen, and nothing of it is left.
    page.wait_for_function("window.warmLeadsChartsDrawn?.length === 5", timeout=WAIT)
    drawn = page.evaluate("window.warmLeadsChartsDrawn")
    assert drawn == ["bar", "bar", "heatmap", "sunburst", "funnel"]
    assert page.locator(".js-plotly-plot").count() == 0  # Today has no chart of its own
    guard.assert_clean()  # nothing from any other address, no console errors
