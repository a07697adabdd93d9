"""A read-only view beside the running app, on the same file: it shows the data, offers no way
to change it, and catches up with a write made in the app; a redacted view never shows a name.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.engine import stats
from lib.engine.stats import Scope
from lib.io.demo import load_demo
from lib.records.contacts import add_contact
from lib.store.db import open_database
from tests.browser.conftest import (
    WAIT,
    AppServers,
    Guard,
    funnel_counts,
    nav_links,
    open_page,
    screenshot,
    settle,
)

pytestmark = pytest.mark.browser

REVIEW_PAGES = ["Dashboard", "Weekly review", "Network"]
# Anything a viewer could type into, upload with, or submit.
WRITING_WIDGETS = (
    "[data-testid=stTextInput], [data-testid=stTextArea], [data-testid=stNumberInput], "
    "[data-testid=stFileUploader], [data-testid=stForm], [data-testid=stDataFrameResizable] "
    "textarea"
)
SECRET_FIRST, SECRET_LAST = "Zephyrine", "Quillfeather"
CATCH_UP_SECONDS = 20


def demo_file(path: Path) -> list[int]:
    """The demo network plus a distinctive referrer with two referrals; returns the funnel."""
    db = open_database(path)
    load_demo(db)
    secret = add_contact(db, {"full_name": f"{SECRET_FIRST} {SECRET_LAST}", "company": "Osprey"})
    for name in ("Ada Quill", "Bo Feather"):
        add_contact(db, {"full_name": name, "referred_by": secret, "may_use_name": True})
    funnel = stats.funnel(db, Scope(stats.make_period()))["contacts"].tolist()
    db.close()
    return funnel


def test_a_read_only_view_beside_the_app_shows_the_data_and_catches_up_with_a_write(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    expected = demo_file(path)
    writable = streamlit_app(path)
    open_page(page, writable)  # the app opens the file and publishes its first snapshot
    viewer = streamlit_app(path, "--read-only")

    open_page(page, viewer)
    assert [label for label, _ in nav_links(page)] == REVIEW_PAGES
    expect(page.get_by_text("Read-only view — data as of")).to_be_visible(timeout=WAIT)
    assert funnel_counts(page) == expected
    screenshot(page, "side-by-side-read-only-dashboard")
    for label, href in nav_links(page):
        open_page(page, href)
        expect(page.get_by_text("Read-only view — data as of")).to_be_visible(timeout=WAIT)
        assert page.locator("[data-testid=stException]").count() == 0, label
        assert page.locator(WRITING_WIDGETS).count() == 0, label
        if label == "Weekly review":
            assert page.get_by_text("Set your weekly goals").count() == 0
            assert page.get_by_role("button", name="Save goals").count() == 0
        screenshot(page, f"side-by-side-read-only-{label.lower().replace(' ', '-')}")

    # A target added in the app, through its form…
    open_page(page, f"{writable}/contacts?add=1")
    page.get_by_label("Name *").fill("Wren Okafor")
    settle(page)
    page.get_by_role("button", name="Add target").click()
    expect(page.get_by_text("Added Wren Okafor as a target")).to_be_visible(timeout=WAIT)

    # …reaches the read-only view within seconds (a background snapshot), on a reload.
    deadline = time.monotonic() + CATCH_UP_SECONDS
    seen = None
    while time.monotonic() < deadline:
        open_page(page, f"{viewer}/dashboard")
        seen = funnel_counts(page)
        if seen[0] == expected[0] + 1:
            break
        page.wait_for_timeout(1000)
    assert seen == [expected[0] + 1, *expected[1:]]
    screenshot(page, "side-by-side-read-only-after-write")
    guard.assert_clean()


def test_a_redacted_view_never_shows_a_name(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    expected = demo_file(path)
    viewer = streamlit_app(path, "--redact")

    open_page(page, viewer)
    expect(page.get_by_text("Names and details are hidden.")).to_be_visible(timeout=WAIT)
    assert funnel_counts(page) == expected
    for label, href in nav_links(page):
        open_page(page, href)
        page.wait_for_timeout(500)  # charts draw after the script ends
        screenshot(page, f"redacted-{label.lower().replace(' ', '-')}")
        html = page.content()
        text = page.inner_text("body")
        for secret in (SECRET_FIRST, SECRET_LAST, "Ada Quill", "Bo Feather"):
            assert secret not in html, f"{label}: {secret} in the HTML"
            assert secret not in text, f"{label}: {secret} in the text"
    guard.assert_clean()
