"""Closing the loop in Chromium: a conversation with Dana yields Sam; a conversation with Sam;
Today lists Dana under "Tell them how it went" naming Sam; the update sent from there takes her
off; the Dashboard's "Loops closed" moves from 0 of 1 to 1 of 1."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.core.words import short_date
from lib.engine import loops, stats
from lib.engine.stats import Scope
from lib.records.contacts import add_contact
from lib.store.db import open_database
from tests.browser.conftest import (
    WAIT,
    AppServers,
    Guard,
    main_text,
    metrics,
    open_page,
    screenshot,
    settle,
)

pytestmark = pytest.mark.browser

TITLE = "to tell how it went"  # in the section's heading: "1 referrer to tell how it went"


def test_telling_a_referrer_how_it_went_closes_the_loop(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "loops.duckdb"
    db = open_database(path)
    add_contact(db, {"full_name": "Dana Whitfield", "email": "dana@kestrel.example"})
    db.close()
    url = streamlit_app(path)
    open_page(page, url)  # the first run registers the pages; a deep link first says "not found"

    # 1. A conversation with Dana: she gives you Sam Ortiz (you may use her name).
    open_page(page, f"{url}/log?contact=1&step=conversation")
    expect(page.get_by_text("Dana Whitfield — Targeted.")).to_be_visible(timeout=WAIT)
    page.get_by_text("Asked for referrals —").click()
    page.get_by_label("Referral 1: name").fill("Sam Ortiz")
    page.get_by_label("Referral 1: company").fill("Northwind")
    page.get_by_text("May use their name").first.click()
    page.get_by_role("button", name="Log conversation").click()
    expect(page.get_by_text("1 new referral added as target")).to_be_visible(timeout=WAIT)
    settle(page)

    # Nobody reached yet: nothing to tell Dana, and no loop to close on the Dashboard.
    open_page(page, f"{url}/dashboard?period=all")
    card = page.locator("[data-testid=stMetric]", has_text="Loops closed")
    expect(card).to_contain_text("no referral reached in this period", timeout=WAIT)

    # 2. A conversation with Sam, the referral, with an informational interview.
    open_page(page, f"{url}/log?contact=2&step=conversation")
    expect(page.get_by_text("Sam Ortiz — Targeted.")).to_be_visible(timeout=WAIT)
    page.get_by_text("It was an informational interview").click()
    page.get_by_role("button", name="Log conversation").click()
    expect(page.get_by_text("Logged for Sam Ortiz")).to_be_visible(timeout=WAIT)
    settle(page)

    # 3. The Dashboard: one referral reached, its referrer not told yet.
    open_page(page, f"{url}/dashboard?period=all")
    card = page.locator("[data-testid=stMetric]", has_text="Loops closed")
    expect(card).to_contain_text("0 of 1", timeout=WAIT)
    expect(card).to_contain_text("no referrer told yet")
    card.scroll_into_view_if_needed()
    screenshot(page, "loops-1-dashboard-0-of-1")

    # 4. Today: Dana under "Tell them how it went", naming Sam and the day you spoke.
    open_page(page, url)
    heading = page.get_by_role("heading", name="1 referrer to tell how it went")
    expect(heading).to_be_visible(timeout=WAIT)
    to_update = page.locator("[data-testid=stMetric]", has_text="To update")
    expect(to_update).to_contain_text("1")
    screenshot(page, "loops-2-today-listed")
    spoke = f"You spoke with Sam Ortiz on {short_date(date.today())}."
    expect(page.get_by_text(spoke)).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    page.get_by_text(spoke).scroll_into_view_if_needed()
    screenshot(page, "loops-2-today-listed-phone")
    page.set_viewport_size({"width": 1400, "height": 900})

    # 5. One click opens the update, already written; send it as a thank-you and log it.
    page.get_by_text("Write the update").click()
    message = page.locator("[data-testid=stCode]").first
    expect(message).to_contain_text("Thank you again for putting me in touch with Sam Ortiz.")
    expect(message).to_contain_text("which led to an informational interview")
    mail = page.get_by_role("link", name="Open in your email app")
    assert (mail.get_attribute("href") or "").startswith("mailto:dana@kestrel.example?subject=")
    message.scroll_into_view_if_needed()
    screenshot(page, "loops-3-update-written")
    page.get_by_role("button", name="Log: thank-you sent today").click()
    expect(page.get_by_text("thank-you sent to Dana Whitfield on")).to_be_visible(timeout=WAIT)
    settle(page)
    assert TITLE not in main_text(page)
    expect(to_update).to_contain_text("0")
    assert metrics(page)["To update"] == "0"
    screenshot(page, "loops-4-today-after-update")

    # 6. The Dashboard: the loop is closed, the same day.
    open_page(page, f"{url}/dashboard?period=all")
    card = page.locator("[data-testid=stMetric]", has_text="Loops closed")
    expect(card).to_contain_text("1 of 1", timeout=WAIT)
    expect(card).to_contain_text("told in 0 days (median)")
    card.scroll_into_view_if_needed()
    screenshot(page, "loops-5-dashboard-1-of-1")

    # 7. Network: Dana's bar says her one referral was reached and she was told.
    open_page(page, f"{url}/network?period=all")
    told = page.locator("[data-testid=stPlotlyChart]", has_text="Top referrers")
    expect(told).to_contain_text("1 reached · told", timeout=WAIT)
    told.scroll_into_view_if_needed()
    screenshot(page, "loops-6-network-top-referrers")
    guard.assert_clean()

    # What the pages showed is what the library computes from the same file.
    streamlit_app.stop(url)
    db = open_database(path)
    period = stats.make_period()
    assert stats.due_lists(db, period.day)["close_loop"] == []
    assert loops.loops_closed(db, Scope(period)) == loops.LoopsClosed(1, 1, 0.0)
    assert db.execute(
        "SELECT kind, channel FROM events WHERE contact_id = 1 ORDER BY id"
    ).fetchall()[-1] == ("thank_you", "email")
    db.close()
