"""The Companies page as a browser draws it, wide (1400 px) and on a phone (390 px): the add
form, the upload (a real file through the file input) and the target list, screenshotted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import WAIT, Guard, main_text, open_page, screenshot, settle
from tests.conftest import TODAY
from tests.support import write_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def app_url(streamlit_app: Callable[..., str], tmp_path: Path) -> str:
    """A real `streamlit run app.py` on the demo network (five target companies)."""
    return streamlit_app(write_demo(tmp_path / "network.duckdb", TODAY))


@pytest.mark.parametrize("width", [1400, 390])
def test_the_companies_page_wide_and_on_a_phone(
    app_url: str, page: Page, guard: Guard, tmp_path: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, f"{app_url}/companies")
    text = main_text(page)
    assert "Add target companies" in text
    assert "Target companies: 5 · with an advocate 5 · with a way in 5 · no way in yet 0" in text
    assert "Kestrel Software" in text
    page.set_viewport_size({"width": width, "height": 1800})  # Streamlit scrolls inside itself
    screenshot(page, f"companies-{width}-top")
    # A list file, uploaded as a user would: two new names and a duplicate of a target.
    names = tmp_path / "targets.csv"
    names.write_text("Name,City\nGrafton Labs,Leeds\nKESTREL SOFTWARE INC,Leeds\nUmbra Bank,York\n")
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(names))
    page.get_by_role("button", name="Import this list").click(timeout=WAIT)
    page.get_by_text("Imported targets.csv").wait_for(timeout=WAIT)
    settle(page)
    assert (
        "Imported targets.csv: 2 companies added, 1 merged as the same company "
        "(KESTREL SOFTWARE INC into Kestrel Software), 0 skipped."
    ) in main_text(page)
    page.get_by_text("People, ways in and changes").first.click()
    settle(page)
    page.get_by_text("People you know there", exact=True).scroll_into_view_if_needed()
    assert "People you know there" in main_text(page)
    shot = screenshot(page, f"companies-{width}")
    assert shot.stat().st_size > 10_000
    page.get_by_role("button", name="Delete company").scroll_into_view_if_needed()
    screenshot(page, f"companies-{width}-changes")
    # Nothing sideways: the page fits the screen's width.
    overflow = page.evaluate(
        "() => document.querySelector('[data-testid=stMain]').scrollWidth - window.innerWidth"
    )
    assert overflow <= 0
    guard.assert_clean()
