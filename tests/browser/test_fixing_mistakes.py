"""Fixing mistakes in a real browser: a wrong conversation, a Log a step submit, the demo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.records.contacts import add_contact
from lib.records.events import Conversation, log_conversation
from lib.store.db import open_database
from tests.browser.conftest import WAIT, Guard, main_text, open_page, screenshot, settle

pytestmark = pytest.mark.browser


def shows(page: Page, text: str) -> None:
    """Wait until the main area shows `text`."""
    for _ in range(60):
        if text in main_text(page):
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"{text!r} not in {main_text(page)!r}")


def rows(path: Path, sql: str) -> list[tuple]:
    with open_database(path) as db:
        return db.execute(sql).fetchall()


def test_a_wrong_conversation_is_deleted_from_the_timeline_with_its_referral(
    streamlit_app: Callable[..., str], tmp_path: Path, page: Page, guard: Guard
) -> None:
    path = tmp_path / "network.duckdb"
    with open_database(path) as db:
        dana = add_contact(db, {"full_name": "Dana Cole", "identified_on": "2026-01-05"})
        add_contact(db, {"full_name": "Ben Ode", "identified_on": "2026-01-05"})
        # Logged on Dana by mistake (it was Ben): a conversation that gave one referral.
        log_conversation(
            db,
            Conversation(dana, occurred_on="2026-02-02", referrals=[{"full_name": "Wrong Ref"}]),
        )
    url = streamlit_app(path)
    open_page(page, url)
    open_page(page, f"{url}/contacts?contact={dana}")
    picker = page.locator("[data-testid=stSelectbox]").filter(has_text="Correct or delete a step")
    picker.wait_for(timeout=WAIT)
    picker.locator("input").click()
    page.get_by_role("option", name="Mon 2 Feb 2026 · Asked for referrals").click()
    settle(page)
    page.get_by_role("button", name="Delete…").click()
    settle(page)
    page.get_by_text("The whole conversation (2 steps)").click()
    settle(page)
    page.get_by_text("Delete them too (only those with no steps of their own)").click()
    settle(page)
    text = main_text(page)
    assert (
        "Delete the whole conversation of Mon 2 Feb 2026? Dana goes back from Asked for "
        "referrals to Targeted; the to contact list will show Dana; Dana leaves the "
        "follow-ups overdue list; Dana leaves the thank-you pending list." in text
    ), text
    screenshot(page, "fixing-delete-conversation-confirm")
    page.get_by_role("button", name="Yes, delete").click()
    settle(page)
    shows(page, "(2 steps). Removed 1 referral: Wrong Ref.")
    screenshot(page, "fixing-delete-conversation-done")
    streamlit_app.stop(url)
    assert rows(path, "SELECT count(*) FROM events") == [(0,)]
    assert rows(path, "SELECT full_name FROM contacts ORDER BY id") == [
        ("Dana Cole",),
        ("Ben Ode",),
    ]
    guard.assert_clean()


def test_a_log_a_step_submit_is_undone_with_its_referral(
    streamlit_app: Callable[..., str], tmp_path: Path, page: Page, guard: Guard
) -> None:
    path = tmp_path / "network.duckdb"
    with open_database(path) as db:
        ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel"})
    url = streamlit_app(path)
    page.set_viewport_size({"width": 390, "height": 900})  # a phone
    open_page(page, url)
    open_page(page, f"{url}/log?contact={ana}")
    page.get_by_placeholder("Name 1").fill("Ben Okafor")
    page.get_by_role("button", name="Log conversation").click()
    settle(page)
    shows(page, "1 new referral added as target: Ben Okafor (cold).")
    page.locator("h1").first.scroll_into_view_if_needed()  # the confirmation is at the top
    screenshot(page, "fixing-log-undo-offered")
    page.get_by_role("button", name="Undo").click()
    settle(page)
    shows(page, "Undone: the steps were removed. 1 new referral removed.")
    page.locator("h1").first.scroll_into_view_if_needed()
    screenshot(page, "fixing-log-undone")
    streamlit_app.stop(url)
    assert rows(path, "SELECT count(*) FROM events") == [(0,)]
    assert rows(path, "SELECT full_name FROM contacts") == [("Ana Ruiz",)]
    guard.assert_clean()


def test_the_demo_is_loaded_and_removed_from_the_welcome_screen(
    streamlit_app: Callable[..., str], tmp_path: Path, page: Page, guard: Guard
) -> None:
    path = tmp_path / "network.duckdb"
    url = streamlit_app(path)
    open_page(page, url)
    expect(page.get_by_text("Explore with the sample network (removable)")).to_be_visible(
        timeout=WAIT
    )
    screenshot(page, "fixing-welcome")
    page.get_by_role("button", name="Load the sample network").click()
    settle(page)
    expect(page.get_by_role("heading", name="Today")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("The sample network is loaded")).to_be_visible(timeout=WAIT)
    screenshot(page, "fixing-demo-loaded")
    page.get_by_role("button", name="Remove the sample network").click()
    settle(page)
    shows(page, "Removed the sample network: 50 people and 199 steps.")
    expect(page.get_by_role("heading", name="Welcome to Warm Leads")).to_be_visible(timeout=WAIT)
    screenshot(page, "fixing-demo-removed")
    streamlit_app.stop(url)
    assert rows(path, "SELECT count(*) FROM contacts") == [(0,)]
    assert rows(path, "SELECT count(*) FROM events") == [(0,)]
    guard.assert_clean()
