"""A calling session in Chromium, with the keyboard: three people (no answer, a voicemail, a
conversation with two referrals), then the rows in the file and the counts on Today, the
Weekly review and the Dashboard — on a desktop window and on a 390×844 phone screen."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.present.pitch import check_pitch
from lib.records.contacts import add_contact
from lib.records.events import Conversation, log_conversation, log_step
from lib.records.settings import save_pitch
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
PITCH = (
    "Hi, I'm Sam. I have run warehouse operations for eight years and I am moving into supply "
    "chain analytics. I would value twenty minutes of your perspective on where the field is "
    "going. Who do you know that might be helpful for me to get in touch with?"
)


def three_to_call(path: Path) -> dict[str, int]:
    """Rita (talked two weeks ago, thanked, gave Wendy), Wendy (warm), Carl and Dora (cold)."""
    today = date.today()
    db = open_database(path)
    rita = add_contact(db, {"full_name": "Rita Moss", "identified_on": today - timedelta(20)})
    logged = log_conversation(
        db,
        Conversation(
            rita,
            occurred_on=today - timedelta(14),
            channel="phone",
            referrals=[{"full_name": "Wendy Park", "company": "Northwind", "may_use_name": True}],
        ),
    )
    [wendy] = logged.referral_ids
    db.execute("UPDATE contacts SET phone = '+1 555 0101' WHERE id = ?", [wendy])
    log_step(db, "thank_you", rita, occurred_on=today - timedelta(13), channel="email")
    carl = add_contact(
        db,
        {
            "full_name": "Carl Ode",
            "phone": "+1 555 0102",
            "email": "carl@contoso.example",
            "identified_on": today - timedelta(9),
        },
    )
    dora = add_contact(
        db,
        {"full_name": "Dora Lin", "phone": "+1 555 0103", "identified_on": today - timedelta(8)},
    )
    save_pitch(db, PITCH, "Sam Reyes")
    db.close()
    return {"rita": rita, "wendy": wendy, "carl": carl, "dora": dora}


def press(page: Page, name: str) -> None:
    """Activate a button with the keyboard: focus it, press Enter, wait for the rerun."""
    button = page.get_by_role("button", name=name, exact=True)
    expect(button).to_be_visible(timeout=WAIT)
    button.focus()
    page.keyboard.press("Enter")
    settle(page)


def no_sideways_scroll(page: Page) -> None:
    wide, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert wide <= inner, f"the page scrolls sideways: {wide} > {inner}"


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_calling_session_over_three_people_with_the_keyboard(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path, screen: str
) -> None:
    if screen == "phone":
        page.set_viewport_size({"width": 390, "height": 844})
    path = tmp_path / "calls.duckdb"
    ids = three_to_call(path)
    url = streamlit_app(path)

    # Today: every row to call has its phone (tel:) and email (mailto:) as links.
    open_page(page, url)
    expect(page.locator("a[href='tel:+15550102']")).to_have_text(re.compile(r"\+1 555 0102"))
    expect(page.locator("a[href='mailto:carl@contoso.example']")).to_have_text(
        "carl@contoso.example"
    )
    no_sideways_scroll(page)
    screenshot(page, f"call-{screen}-1-today-before")

    # The session: warm referral first, then the cold targets, longest waiting first.
    open_page(page, f"{url}/call")
    expect(page.get_by_text("1 warm referral · 2 cold targets")).to_be_visible(timeout=WAIT)
    press(page, "Start calling")
    screenshot(page, f"call-{screen}-2-first-call")
    text = main_text(page)
    assert "Call 1 of 3 · Warm referral" in text
    assert "“Rita Moss suggested I get in touch” — you may use their name" in text
    # The pitch and the referral question are folded: one tap opens them.
    pitch = f"Your pitch (about {round(check_pitch(PITCH).seconds)} s)"  # 49 words
    assert pitch in text
    assert "Who do you know that might be helpful for me to get in touch with?" not in text
    page.get_by_text(pitch).click()
    expect(page.get_by_text("… Anyone else?", exact=False)).to_be_visible(timeout=WAIT)
    text = main_text(page)
    assert "Who do you know that might be helpful for me to get in touch with?" in text
    expect(page.locator("a[href='tel:+15550101']")).to_have_text(re.compile(r"\+1 555 0101"))
    no_sideways_scroll(page)
    press(page, "No answer")
    # The card stays, saying what was logged; Next call (or a few seconds) moves on.
    expect(page.get_by_text("Logged: no answer")).to_be_visible(timeout=WAIT)
    assert "Call 1 of 3 · Warm referral" in main_text(page)
    press(page, "Next call")
    expect(page.get_by_text("Call 2 of 3 · Cold target")).to_be_visible(timeout=WAIT)
    press(page, "Left a voicemail")
    expect(page.get_by_text("Logged: voicemail")).to_be_visible(timeout=WAIT)
    # …and after a few seconds it moves on by itself.
    expect(page.get_by_text("Call 3 of 3 · Cold target")).to_be_visible(timeout=WAIT)
    # The header changes first; the rest of the card follows within the same rerun.
    expect(page.get_by_text("Dora Lin", exact=True).first).to_be_visible(timeout=WAIT)
    press(page, "Talked — log the conversation")

    # The conversation form in place, filled in with the keyboard alone (Tab order: name,
    # company, "may use their name", next row).
    page.get_by_label("Asked for referrals").focus()
    page.keyboard.press("Space")
    page.get_by_label("Referral 1: name").focus()
    page.keyboard.type("Ivan Holt")
    page.keyboard.press("Tab")
    page.keyboard.type("Fabrikam")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # may use Dora's name
    page.keyboard.press("Tab")
    page.keyboard.type("Jo Kerr")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Referral 2: name"
    no_sideways_scroll(page)
    screenshot(page, f"call-{screen}-3-conversation-form")
    press(page, "Log conversation and go on")
    # The two referrals just given join the session at once, next in line.
    expect(page.get_by_text("Call 4 of 5 · Warm referral")).to_be_visible(timeout=WAIT)
    text = main_text(page)
    assert "Ivan Holt" in text and "Add their phone number" in text
    screenshot(page, f"call-{screen}-3b-referral-joins")
    press(page, "End the session")
    expect(page.get_by_text("Session done")).to_be_visible(timeout=WAIT)
    summary = "3 calls: 1 conversation, 1 no answer, 1 voicemail; 2 new referrals."
    expect(page.get_by_text(summary)).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, f"call-{screen}-4-summary")

    # Today: Wendy and Carl still to contact, with how often they were tried; the two new
    # referrals join them; Dora owes a thank-you.
    open_page(page, url)
    expect(page.get_by_text("4 people to contact")).to_be_visible(timeout=WAIT)
    settle(page)
    today = date.today()
    assert metrics(page) == {
        "To contact": "4",
        "To thank": "1",
        "Follow-up due": "0",
        "Overdue": "0",
        "To update": "0",
    }
    page.get_by_role("button", name="Show all 4").click()  # Today shows the first 3
    settle(page)
    text = main_text(page)
    assert f"Tried 1× · last {today:%a} {today.day} {today:%b} (no answer)" in text
    assert f"Tried 1× · last {today:%a} {today.day} {today:%b} (voicemail)" in text
    no_sideways_scroll(page)
    screenshot(page, f"call-{screen}-5-today-after")
    page.get_by_text("Tried 1×").first.scroll_into_view_if_needed()
    screenshot(page, f"call-{screen}-5-today-row")

    # Weekly review: this week's calls against the goal (2 attempts + 1 talk by phone).
    open_page(page, f"{url}/weekly")
    expect(page.get_by_text("Calls made and reach rate")).to_be_visible(timeout=WAIT)
    screenshot(page, f"call-{screen}-6-weekly")
    expect(page.get_by_test_id("stMetric").filter(has_text="Calls made")).to_be_visible(
        timeout=WAIT
    )
    assert metrics(page)["Calls made"].startswith("3 of 15"), metrics(page)
    no_sideways_scroll(page)

    # Dashboard, this week: 3 calls, 1 reached (33%).
    open_page(page, f"{url}/dashboard?period=week")
    expect(page.get_by_text("Reach rate")).to_be_visible(timeout=WAIT)
    shown = metrics(page)
    assert (shown["Calls made"], shown["Reach rate"]) == ("3", "33%")
    no_sideways_scroll(page)
    screenshot(page, f"call-{screen}-7-dashboard")
    guard.assert_clean()

    # The file holds exactly what was logged.
    streamlit_app.stop(url)
    db = open_database(path)
    rows = db.execute(
        "SELECT contact_id, kind, occurred_on, channel, outcome FROM events "
        "WHERE occurred_on = current_date ORDER BY id"
    ).fetchall()
    assert rows == [
        (ids["wendy"], "attempt", today, "phone", "no_answer"),
        (ids["carl"], "attempt", today, "phone", "voicemail"),
        (ids["dora"], "contacted", today, "phone", None),
        (ids["dora"], "referral_asked", today, "phone", None),
    ]
    referrals = db.execute(
        "SELECT full_name, company, referred_by, may_use_name, identified_on FROM contacts "
        "WHERE referred_by = ? ORDER BY id",
        [ids["dora"]],
    ).fetchall()
    assert referrals == [
        ("Ivan Holt", "Fabrikam", ids["dora"], True, today),
        ("Jo Kerr", None, ids["dora"], False, today),
    ]
    db.close()
