"""Call cards on a 390×844 phone screen (`is_mobile`, touch) in Chromium: a second tap at the
same spot never logs another person, a number typed on a card makes it callable, a wrong
number asks for the right one, the session calls people with a number first, and a person's
page tells their calls and the call-back they asked for."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from lib.core.words import human_date, short_date
from lib.records.contacts import add_contact
from lib.records.events import log_attempt, log_event
from lib.store.db import open_database
from tests.browser.conftest import (
    APP_READY,
    WAIT,
    AppServers,
    Guard,
    main_text,
    open_page,
    screenshot,
    settle,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A phone: 390×844, a mobile browser with touch."""
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


def tap_point(target: Locator) -> tuple[float, float]:
    """The middle of `target`, scrolled into view: where a finger taps it (and taps again)."""
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def fifteen_to_call(path: Path) -> list[int]:
    """Fifteen targets with a number, longest waiting first, and Zoe without one."""
    today = date.today()
    db = open_database(path)
    ids = [
        add_contact(
            db,
            {
                "full_name": f"Target {n + 1:02d}",
                "phone": f"+44 20 7946 {n:04d}",
                "identified_on": today - timedelta(days=40 - n),
            },
        )
        for n in range(15)
    ]
    ids.append(add_contact(db, {"full_name": "Zoe Quill", "identified_on": today}))
    db.close()
    return ids


def show_all(page: Page, label: str) -> None:
    """Press a list's "Show all 16": Today shows the first 3 of each list until then."""
    page.get_by_role("button", name=label).click()
    settle(page)


def attempts(path: Path) -> list[tuple]:
    db = open_database(path)
    try:
        return db.execute("SELECT contact_id, outcome FROM events ORDER BY id").fetchall()
    finally:
        db.close()


def test_a_second_tap_at_the_same_spot_logs_nothing_more_and_undo_sits_elsewhere(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "calls.duckdb"
    ids = fifteen_to_call(path)
    url = streamlit_app(path)
    open_page(page, url)
    expect(page.get_by_text("No answer", exact=True)).to_have_count(3)  # the first 3 cards
    show_all(page, "Show all 16")

    # Every card to call has its number as a tel: link.
    expect(page.locator("a[href='tel:+442079460006']")).to_have_count(1)
    no_answer = page.get_by_text("No answer", exact=True)  # a pill on each of the 16 cards
    expect(no_answer).to_have_count(16)
    seventh = no_answer.nth(6)
    x, y = tap_point(seventh)
    page.mouse.click(x, y)
    logged = page.get_by_text("Logged: no answer")
    expect(logged).to_be_visible(timeout=WAIT)  # not settle(): the seconds "Logged" shows count
    screenshot(page, "call-cards-phone-1-logged-in-place")
    undo = page.get_by_role("button", name="Undo")
    undo_box = undo.bounding_box()
    assert undo_box is not None
    assert not (undo_box["y"] <= y <= undo_box["y"] + undo_box["height"]), "Undo under the tap"
    # The same spot again, twice, within the seconds the card shows "Logged" (a quick wait
    # for each rerun, not settle()'s steady one: the window is what is being tested).
    for _ in range(2):
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
        page.wait_for_selector(APP_READY, timeout=WAIT)
    expect(logged).to_have_count(1)

    # Undo takes it back; the card is as it was.
    undo.click()
    settle(page)
    expect(page.get_by_text("Logged: no answer")).to_have_count(0, timeout=WAIT)

    # A number typed on Zoe's card makes it callable in one rerun; a bad one is refused.
    box_input = page.get_by_role("textbox", name="Add their phone number")
    box_input.fill("12")
    page.get_by_role("button", name="Save the number").click()
    settle(page)
    expect(page.get_by_text("Phone: '12' is not a phone number")).to_be_visible(timeout=WAIT)
    page.get_by_role("textbox", name="Add their phone number").fill("+44 20 7946 0999")
    page.get_by_role("button", name="Save the number").click()
    settle(page)
    expect(page.locator("a[href='tel:+442079460999']")).to_have_count(1, timeout=WAIT)
    expect(page.get_by_role("textbox", name="Add their phone number")).to_have_count(0)
    screenshot(page, "call-cards-phone-2-number-added")
    guard.assert_clean()

    streamlit_app.stop(url)
    assert attempts(path) == []  # one attempt, taken back
    db = open_database(path)
    assert db.scalar("SELECT phone FROM contacts WHERE id = ?", [ids[-1]]) == "+44 20 7946 0999"
    db.close()


def test_exactly_one_attempt_for_the_person_tapped_twice(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "calls.duckdb"
    ids = fifteen_to_call(path)
    url = streamlit_app(path)
    open_page(page, url)
    show_all(page, "Show all 16")
    seventh = page.get_by_text("No answer", exact=True).nth(6)
    x, y = tap_point(seventh)
    page.mouse.dblclick(x, y)  # a double tap before the page has answered
    logged = page.get_by_text("Logged: no answer")
    # Once more as soon as it has answered, within the seconds the card shows "Logged" (not
    # after settle(): on a loaded machine its wait alone can outlast them, and then the list
    # has moved on under the pointer, as it should)
    expect(logged).to_have_count(1, timeout=WAIT)
    page.mouse.click(x, y)
    expect(logged).to_have_count(1)
    settle(page)
    guard.assert_clean()
    streamlit_app.stop(url)
    assert attempts(path) == [(ids[6], "no_answer")]


def four_to_thank(path: Path) -> list[int]:
    """Four people talked with 10, 9, 8 and 7 days ago, none thanked yet (oldest first)."""
    today = date.today()
    db = open_database(path)
    ids = []
    for n in range(4):
        contact_id = add_contact(
            db,
            {
                "full_name": f"Helper {n + 1}",
                "email": f"helper{n + 1}@example.com",
                "identified_on": today - timedelta(days=20),
            },
        )
        log_event(
            db,
            {
                "contact_id": contact_id,
                "kind": "contacted",
                "occurred_on": today - timedelta(10 - n),
            },
        )
        ids.append(contact_id)
    db.close()
    return ids


def test_a_thank_you_tapped_twice_and_again_is_logged_once_and_the_card_holds_still(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "thanks.duckdb"
    ids = four_to_thank(path)
    url = streamlit_app(path)
    open_page(page, url)
    sent = page.get_by_role("button", name="Thank-you sent")
    expect(sent).to_have_count(3)  # the first 3 cards
    second = sent.nth(1)
    x, y = tap_point(second)
    page.mouse.dblclick(x, y)  # a double tap before the page has answered
    logged = page.get_by_text("Logged: thank-you sent")
    expect(logged).to_have_count(1, timeout=WAIT)
    # The card held still: under the tap is its own button, greyed (not the next card's).
    under = "([x, y]) => { const b = document.elementFromPoint(x, y).closest('button');"
    under += " return b && [b.innerText.split('\\n').pop().trim(), b.disabled]; }"
    assert page.evaluate(under, [x, y]) == ["Thank-you sent", True]
    page.mouse.click(x, y)  # and once more, at once
    expect(logged).to_have_count(1)
    undo_box = page.get_by_role("button", name="Undo").bounding_box()
    assert undo_box is not None
    assert not (undo_box["y"] <= y <= undo_box["y"] + undo_box["height"]), "Undo under the tap"
    screenshot(page, "call-cards-phone-7-thanked-in-place")
    # A few seconds later the card leaves its list by itself.
    expect(logged).to_have_count(0, timeout=WAIT)
    expect(page.get_by_role("heading", name="3 thank-yous pending")).to_be_visible(timeout=WAIT)
    guard.assert_clean()
    streamlit_app.stop(url)
    db = open_database(path)
    thanked = db.execute("SELECT contact_id FROM events WHERE kind = 'thank_you'").fetchall()
    db.close()
    assert thanked == [(ids[1],)]


def eight_without_numbers(path: Path) -> list[int]:
    """Eight targets imported from LinkedIn (no number, found first), two with a number."""
    today = date.today()
    db = open_database(path)
    ids = [
        add_contact(
            db,
            {
                "full_name": f"Linked {n + 1}",
                "email": f"linked{n + 1}@example.com",
                "identified_on": today - timedelta(days=30 - n),
            },
        )
        for n in range(8)
    ]
    ids += [
        add_contact(db, {"full_name": name, "phone": phone, "identified_on": today})
        for name, phone in (("Ola Berg", "+44 20 7946 0100"), ("Pia Sand", "+44 20 7946 0101"))
    ]
    db.close()
    return ids


def test_a_session_calls_numbers_first_and_a_wrong_number_asks_for_the_right_one(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "calls.duckdb"
    ids = eight_without_numbers(path)
    url = streamlit_app(path)
    open_page(page, f"{url}/call")
    expect(
        page.get_by_text("8 people have no number — add one, or write to them instead")
    ).to_be_visible(timeout=WAIT)
    screenshot(page, "call-cards-phone-3-session-start")
    page.get_by_role("button", name="Start calling").click()
    settle(page)
    expect(page.get_by_text("Call 1 of 10 · Cold target")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Ola Berg")).to_be_visible(timeout=WAIT)
    expect(page.locator("a[href='tel:+442079460100']")).to_be_visible()
    # Above the fold on the phone: who, the number to tap, and every outcome.
    for control in (
        page.get_by_text("Ola Berg"),
        page.locator("a[href='tel:+442079460100']"),
        page.get_by_text("Asked to call back later"),
    ):
        box = control.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], box

    page.get_by_role("button", name="Wrong number").click()
    right = page.get_by_role("textbox", name="Their right number")
    expect(right).to_be_visible(timeout=WAIT)
    screenshot(page, "call-cards-phone-4-wrong-number")
    right.fill("+44 20 7946 0199")
    page.get_by_role("button", name="Save the right number").click()
    settle(page)
    expect(page.get_by_text("Logged: wrong number")).to_be_visible(timeout=WAIT)
    expect(page.locator("a[href='tel:+442079460199']")).to_be_visible()
    expect(page.locator("a[href='tel:+442079460100']")).to_have_count(0)

    page.get_by_role("button", name="Next call").click()
    settle(page)
    expect(page.get_by_text("Call 2 of 10 · Cold target")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Skip").click()
    settle(page)
    expect(page.get_by_text("Call 3 of 10 · Cold target")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Linked 1", exact=True)).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Hi Linked,")).to_be_visible()  # the email, open and ready
    assert "Write instead: no phone number" in main_text(page)
    screenshot(page, "call-cards-phone-5-no-number")
    guard.assert_clean()

    streamlit_app.stop(url)
    db = open_database(path)
    assert db.execute("SELECT contact_id, outcome, notes FROM events").fetchall() == [
        (ids[8], "wrong_number", "The wrong number: +44 20 7946 0100")
    ]
    assert db.scalar("SELECT phone FROM contacts WHERE id = ?", [ids[8]]) == "+44 20 7946 0199"
    db.close()


def test_a_persons_page_tells_their_calls_and_the_call_back_is_next(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "calls.duckdb"
    today = date.today()
    back_on = today + timedelta(days=3)
    db = open_database(path)
    ana = add_contact(
        db, {"full_name": "Ana Ruiz", "phone": "+44 20 7946 0200", "identified_on": today}
    )
    log_attempt(db, ana, "no_answer")
    log_attempt(db, ana, "call_back", call_back_on=back_on)
    db.close()
    url = streamlit_app(path)
    open_page(page, f"{url}/contacts?contact={ana}")
    expect(page.get_by_text("Call back — they asked you to")).to_be_visible(timeout=WAIT)
    # The timeline below paints after the Next box: wait for its rows, not only the page.
    expect(page.get_by_text(f"call back {short_date(back_on)}").first).to_be_visible(timeout=WAIT)
    text = main_text(page)
    assert f"Call back — they asked you to — {human_date(back_on)}" in text
    assert "no answer" in text
    assert f"call back {short_date(back_on)}" in text
    screenshot(page, "call-cards-phone-6-person")
    guard.assert_clean()


def test_through_the_phone_link_a_call_is_logged_in_place_and_undone(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    from lib.store.passphrase import set_passphrase

    path = tmp_path / "calls.duckdb"
    ids = fifteen_to_call(path)
    set_passphrase(path, "amber tram 4417 lantern", "phone")
    url = streamlit_app(path, "--phone")  # guarded as the phone link is on the network

    open_page(page, url)
    page.get_by_label("Passphrase").fill("amber tram 4417 lantern")
    page.get_by_role("button", name="Open Warm Leads").click()
    settle(page)
    expect(page.get_by_role("heading", name="Today").first).to_be_visible(timeout=WAIT)
    first = page.locator("a[href='tel:+442079460000']")
    expect(first).to_have_count(1)  # the phone dials it
    no_answer = page.get_by_text("No answer", exact=True).first
    no_answer.scroll_into_view_if_needed()
    no_answer.click()
    settle(page)
    expect(page.get_by_text("Logged: no answer")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Undo").click()  # before the card goes back (4 s)
    settle(page)
    expect(page.get_by_text("Logged: no answer")).to_have_count(0, timeout=WAIT)
    # Logged again and kept: it is the person whose card was tapped, once.
    page.get_by_text("No answer", exact=True).first.click()
    settle(page)
    expect(page.get_by_text("Logged: no answer")).to_be_visible(timeout=WAIT)
    screenshot(page, "call-cards-phone-link-logged")
    guard.assert_clean()
    streamlit_app.stop(url)
    assert attempts(path) == [(ids[0], "no_answer")]
