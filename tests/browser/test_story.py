"""The whole method as a new user, in Chromium: one target, a conversation with two referrals,
the thank-you and the follow-up, then Today, the Dashboard, a LinkedIn import and the referral
chain — every number the pages show checked against lib.engine.stats on the same file afterwards.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.engine import stats
from lib.engine.stats import Scope
from lib.store.db import open_database
from tests.browser.conftest import (
    WAIT,
    AppServers,
    Guard,
    funnel_counts,
    main_text,
    metrics,
    open_page,
    screenshot,
    settle,
)

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_a_new_user_works_the_whole_method_in_the_browser(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "my-search.duckdb"  # no file yet: the app creates it
    url = streamlit_app(path)

    # 1. A new file greets with the three ways to start.
    open_page(page, url)
    expect(page.get_by_text("Welcome to Warm Leads")).to_be_visible()
    screenshot(page, "story-1-welcome")

    # 2. The first target, through the Contacts page's add form.
    open_page(page, f"{url}/contacts?add=1")
    page.get_by_label("Name *").fill("Dana Whitfield")
    page.get_by_label("Company", exact=True).first.fill("Kestrel Labs")
    page.get_by_label("Title", exact=True).fill("Head of Operations")
    settle(page)
    page.get_by_role("button", name="Add target").click()
    expect(page.get_by_text("Added Dana Whitfield as a target (#1).")).to_be_visible(timeout=WAIT)
    settle(page)
    screenshot(page, "story-2-first-target")

    # 3. The conversation: pitch, asked for referrals, two names (one warm), thanked later.
    open_page(page, f"{url}/log?contact=1&step=conversation")
    expect(page.get_by_text("Dana Whitfield — Targeted.")).to_be_visible(timeout=WAIT)
    page.get_by_text("Asked for referrals —").click()
    page.get_by_label("Referral 1: name").fill("Priya Raman")
    page.get_by_label("Referral 1: company").fill("Northwind")
    page.get_by_text("May use their name").first.click()
    page.get_by_label("Referral 2: name").fill("Tom Becker")
    page.get_by_label("Referral 2: company").fill("Contoso")
    page.get_by_label("Notes").fill("Coffee at the Chamber mixer; she knows the ops team.")
    screenshot(page, "story-3-conversation-form")
    page.get_by_role("button", name="Log conversation").click()
    expect(page.get_by_text("2 new referrals added as targets")).to_be_visible(timeout=WAIT)
    settle(page)
    screenshot(page, "story-3-conversation-logged")

    # 4. The thank-you note.
    open_page(page, f"{url}/log?contact=1&step=thank_you")
    page.get_by_role("button", name="Log thank-you note").click()
    expect(page.get_by_text("Logged").first).to_be_visible(timeout=WAIT)
    settle(page)
    assert "thank" in main_text(page).lower()
    screenshot(page, "story-4-thank-you")

    # 5. The follow-up, the same day: the page warns it is too soon, and logs it anyway.
    open_page(page, f"{url}/log?contact=1&step=follow_up")
    warning = page.get_by_text("If you send it today:")
    expect(warning).to_be_visible(timeout=WAIT)
    assert "too soon" in warning.inner_text()
    screenshot(page, "story-5-follow-up-warning")
    page.get_by_role("button", name="Log follow-up").click()
    expect(page.get_by_text("Logged anyway —")).to_be_visible(timeout=WAIT)
    settle(page)
    screenshot(page, "story-5-follow-up-logged")

    # 6. Today: the two referrals are to contact; nothing else is due.
    open_page(page, url)
    expect(page.get_by_text("To contact", exact=True)).to_be_visible(timeout=WAIT)
    today_counts = metrics(page)
    today_text = main_text(page)
    screenshot(page, "story-6-today")
    assert today_counts == {
        "To contact": "2",
        "To thank": "0",
        "Follow-up due": "0",
        "Overdue": "0",
        "To update": "0",  # Dana's referrals are not reached yet
    }
    assert "Priya Raman" in today_text and "Tom Becker" in today_text
    # The warm referral leads with the referrer's name; the other one only says who referred.
    assert "“Dana Whitfield suggested I get in touch” — you may use their name" in today_text
    assert "Referred by Dana Whitfield — not cleared to use their name" in today_text

    # 7. The Dashboard funnel: 3 targets, one carried through every step.
    open_page(page, f"{url}/dashboard?period=all")
    drawn = funnel_counts(page)
    screenshot(page, "story-7-dashboard")
    assert drawn == [3, 1, 1, 1, 1]

    # 8. Import the LinkedIn sample: preview, confirm, and the contacts are there.
    open_page(page, f"{url}/data")
    page.set_input_files("input[type=file]", str(FIXTURES / "linkedin_connections.csv"))
    add = page.get_by_role("button", name="Add 3 targets")
    expect(add).to_be_visible(timeout=WAIT)
    settle(page)
    assert metrics(page)["New people"] == "3"
    screenshot(page, "story-8-import-preview")
    add.click()
    imported = re.compile(r"linkedin_connections\.csv: 3 new contacts, 0 updated, 0 skipped")
    expect(page.get_by_text(imported)).to_be_visible(timeout=WAIT)
    settle(page)
    screenshot(page, "story-8-imported")
    open_page(page, f"{url}/contacts")
    expect(page.get_by_text("6 contacts")).to_be_visible(timeout=WAIT)
    page.get_by_role("textbox", name="Search").fill("Nwosu")  # not the table's search button
    expect(page.get_by_text("1 contact —")).to_be_visible(timeout=WAIT)
    settle(page)
    screenshot(page, "story-8-contacts-after-import")
    open_page(page, f"{url}/dashboard?period=all")
    after_import = funnel_counts(page)
    assert after_import == [6, 1, 1, 1, 1]  # the connections are targets, not yet contacted

    # 9. The referral chain: Priya shows who referred her; Dana whom she referred.
    open_page(page, f"{url}/contacts?contact=2")
    expect(page.get_by_role("heading", name="Priya Raman")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("link", name="Dana Whitfield")).to_be_visible(timeout=WAIT)
    assert "Referred by (may use their name):" in main_text(page)  # read once it has streamed in
    page.get_by_role("tab", name="Referral chain").click()
    expect(page.get_by_text("Who led you here")).to_be_visible()
    screenshot(page, "story-9-referral-up")
    open_page(page, f"{url}/contacts?contact=3")
    expect(page.get_by_role("heading", name="Tom Becker")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Referred by (not cleared to use their name):")).to_be_visible(
        timeout=WAIT
    )
    open_page(page, f"{url}/contacts?contact=1")
    expect(page.get_by_role("heading", name="Dana Whitfield")).to_be_visible(timeout=WAIT)
    page.get_by_role("tab", name="Referral chain").click()
    expect(
        page.get_by_text("Whom they led you to: 2 referred directly, 2 in all down the chain.")
    ).to_be_visible()
    screenshot(page, "story-9-referral-down")
    guard.assert_clean()

    # What the pages showed is what the library computes from the same file.
    streamlit_app.stop(url)
    db = open_database(path)
    period = stats.make_period()
    assert after_import == stats.funnel(db, Scope(period))["contacts"].tolist()
    due = stats.due_lists(db, period.day)
    assert {name: len(ids) for name, ids in due.items()} == {
        "to_contact": 2 + 3,  # the imported connections are targets too
        "thank_you_pending": 0,
        "follow_up_due": 0,
        "follow_up_overdue": 0,
        "close_loop": 0,
    }
    people = db.df(
        "SELECT id, full_name, company, source, referred_by, may_use_name FROM contacts ORDER BY id"
    )
    assert people.head(3).to_dict("records") == [
        {
            "id": 1,
            "full_name": "Dana Whitfield",
            "company": "Kestrel Labs",
            "source": "other",
            "referred_by": None,
            "may_use_name": None,
        },
        {
            "id": 2,
            "full_name": "Priya Raman",
            "company": "Northwind",
            "source": "referral",
            "referred_by": 1,
            "may_use_name": True,
        },
        {
            "id": 3,
            "full_name": "Tom Becker",
            "company": "Contoso",
            "source": "referral",
            "referred_by": 1,
            "may_use_name": False,
        },
    ]
    assert people["full_name"].tolist()[3:] == ["Amara Nwosu", "Lukas Bräuer", "Sofia Lind 🌿"]
    assert people["source"].tolist()[3:] == ["linkedin"] * 3
    steps = db.execute(
        "SELECT contact_id, kind, occurred_on, channel, notes FROM events ORDER BY id"
    ).fetchall()
    day = date.today()
    assert steps == [
        (1, "contacted", day, "phone", "Coffee at the Chamber mixer; she knows the ops team."),
        (1, "referral_asked", day, "phone", None),
        (1, "thank_you", day, "email", None),
        (1, "follow_up", day, "email", None),
    ]
    db.close()
