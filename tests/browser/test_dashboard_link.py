"""In a real browser: the dashboard's choices reach the address bar, and the link reopens them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Guard
from tests.support import write_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def app_url(streamlit_app: Callable[..., str], tmp_path: Path) -> str:
    """A real `streamlit run app.py` on the demo network."""
    return streamlit_app(write_demo(tmp_path / "network.duckdb"))


def test_a_picked_period_and_filter_go_into_the_link_and_back(
    app_url: str, page: Page, guard: Guard
) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(app_url)  # app.py routes first, then the dashboard by its path
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Dashboard", timeout=60_000)
    page.goto(f"{app_url}/dashboard")
    caption = page.get_by_test_id("stCaptionContainer").first
    expect(caption).to_contain_text("All time", timeout=60_000)
    funnel = page.locator("[data-testid=stPlotlyChart] .funnellayer")
    expect(funnel).to_be_visible(timeout=30_000)

    page.locator("[data-testid=stButtonGroup] >> text=This quarter").click()
    expect(caption).to_contain_text("This quarter", timeout=30_000)
    page.wait_for_url("**/dashboard?period=quarter", timeout=30_000)

    reopened = page.context.new_page()
    reopened.goto(page.url)
    expect(reopened.get_by_test_id("stCaptionContainer").first).to_contain_text(
        "This quarter", timeout=60_000
    )
    guard.assert_clean()
