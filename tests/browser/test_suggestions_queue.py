"""The realistic day through the phone-and-mail queue in Chromium: the day's call log, mailbox
and calendar uploaded on "From phone & mail", the day's 20 suggestions confirmed, and the
Dashboard's funnel, Today's thank-yous and a person's next follow-up moving with them.

The fixtures' day (Tue 8 Dec 2026) is moved to yesterday, so the app's real today follows it;
the test counts the clicks and keystrokes it makes (docs/PERFORMANCE.md, "Logging the
realistic day").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from lib.core.words import human_date
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store.db import open_database
from tests.browser.conftest import (
    WAIT,
    AppServers,
    Guard,
    funnel_counts,
    main_text,
    open_page,
    screenshot,
    settle,
)
from tests.io.activity_day import DAY, FIXTURES, ME, PEOPLE

pytestmark = pytest.mark.browser

FILES = ("calls-20261208221431.xml", "all-mail.mbox", "calendar.ics")
BEFORE = (
    (16, "contacted", date(2026, 12, 4)),
    (17, "contacted", date(2026, 12, 7)),
    (18, "contacted", date(2026, 11, 10)),
    (18, "thank_you", date(2026, 11, 11)),
)


def shift_files(folder: Path, days: int) -> list[Path]:
    """The day's three files with every date moved by `days` (same names, same records)."""
    shift = timedelta(days=days)
    moved = []
    calls = (FIXTURES / FILES[0]).read_text()
    calls = re.sub(r' date="(\d+)"', lambda m: f' date="{int(m[1]) + days * 86_400_000}"', calls)
    mbox = (FIXTURES / FILES[1]).read_text()
    mbox = re.sub(
        r"^From (\S+) (.+)$",
        lambda m: "From {} {}".format(
            m[1],
            (datetime.strptime(m[2], "%a %b %d %H:%M:%S %z %Y") + shift).strftime(
                "%a %b %d %H:%M:%S %z %Y"
            ),
        ),
        mbox,
        flags=re.MULTILINE,
    )
    mbox = re.sub(
        r"^Date: (.+)$",
        lambda m: f"Date: {format_datetime(parsedate_to_datetime(m[1]) + shift)}",
        mbox,
        flags=re.MULTILINE,
    )
    ics = (FIXTURES / FILES[2]).read_text()
    ics = re.sub(
        r"^(DT\w+:)(\d{8}T\d{6})Z",
        lambda m: (
            m[1]
            + (datetime.strptime(m[2], "%Y%m%dT%H%M%S") + shift).strftime("%Y%m%dT%H%M%S")
            + "Z"
        ),
        ics,
        flags=re.MULTILINE,
    )
    for name, text in zip(FILES, (calls, mbox, ics), strict=True):
        path = folder / name
        path.write_text(text, newline="")
        moved.append(path)
    return moved


class Counted:
    """The page's clicks and keystrokes, as a user makes them."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.clicks = 0
        self.keys = 0

    def click(self, target: Locator) -> None:
        target.click()
        self.clicks += 1
        settle(self.page)

    def type(self, target: Locator, text: str) -> None:
        target.click()
        target.press_sequentially(text)
        self.clicks += 1
        self.keys += len(text)


def key(page: Page, widget_key: str) -> Locator:
    """The element of the widget with this key (Streamlit marks it `st-key-<key>`)."""
    return page.locator(f".st-key-{widget_key}")


def test_the_realistic_day_confirmed_in_the_queue_moves_funnel_thanks_and_follow_ups(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    today = date.today()
    day = today - timedelta(days=1)
    days = (day - DAY).days
    path = tmp_path / "day.duckdb"
    db = open_database(path)
    for name, phone, email in PEOPLE:
        identified = (date(2026, 11, 1) + timedelta(days=days)).isoformat()
        add_contact(db, {"full_name": name, "phone": phone, "email": email,
                         "identified_on": identified}, today=today)  # fmt: skip
    for contact_id, kind, on in BEFORE:
        on = on + timedelta(days=days)
        log_event(db, {"contact_id": contact_id, "kind": kind, "occurred_on": on}, today=today)
    db.close()
    files = shift_files(tmp_path, days)
    url = streamlit_app(path, env={"TZ": "UTC"})
    open_page(page, url)

    # Before: two thank-yous owed (Dana, Eli); Farah not contacted yet.
    expect(page.get_by_role("heading", name="2 thank-yous pending")).to_be_visible(timeout=WAIT)
    to_thank = page.locator("[data-testid=stMetric]", has_text="To thank")
    expect(to_thank).to_contain_text("2", timeout=WAIT)
    open_page(page, f"{url}/dashboard?period=all")
    funnel_before = funnel_counts(page)
    open_page(page, f"{url}/contacts?contact=12")
    expect(page.get_by_text("Make contact and deliver your pitch")).to_be_visible(timeout=WAIT)

    # The page: the address once, the three files, one button.
    open_page(page, f"{url}/suggestions")
    user = Counted(page)
    user.type(page.get_by_role("textbox", name="Your own e-mail addresses"), ME)
    page.set_input_files("input[type=file]", [str(f) for f in files])
    user.clicks += 2  # "Upload", then the three files picked in the dialog
    expect(page.get_by_role("button", name="Suggest steps from 3 files")).to_be_enabled(
        timeout=WAIT
    )
    user.click(page.get_by_role("button", name="Suggest steps from 3 files"))
    expect(page.get_by_text("From your phone and mail · 20 to confirm")).to_be_visible(timeout=WAIT)
    upload_clicks = user.clicks
    assert human_date(day) in main_text(page)
    screenshot(page, "queue-1-day-imported")
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    screenshot(page, "queue-1-day-imported-phone")
    key(page, "queue_confirm_12").first.scroll_into_view_if_needed()  # Farah: a call, a thank-you
    screenshot(page, "queue-1-cards-phone")
    page.set_viewport_size({"width": 1400, "height": 900})
    # Today leads here in one line while anything waits.
    open_page(page, url)
    line = page.get_by_role("link", name="From your phone and mail · 20 to confirm")
    expect(line).to_be_visible(timeout=WAIT)
    screenshot(page, "queue-0-today-line")
    open_page(page, f"{url}/suggestions")

    # The two voicemails (Jon Berg, Kira Novak): one click each on the outcome.
    for suggestion, name in ((10, "Jon Berg"), (11, "Kira Novak")):
        user.click(
            key(page, f"queue_outcome_{suggestion}_no_answer").get_by_text("Left a voicemail")
        )
        expect(page.get_by_text(f"Changed: {name} would log")).to_be_visible(timeout=WAIT)
    # The day's 11 unanswered calls at once.
    user.click(page.get_by_role("button", name="Confirm all attempts"))
    expect(page.get_by_text(f"Confirmed 11 call attempts of {human_date(day)}.")).to_be_visible(
        timeout=WAIT
    )
    # The thank-yous (Dana, Eli, Farah) and Gus's follow-up: one click each.
    for suggestion in (17, 18, 16, 19):
        user.click(key(page, f"queue_confirm_{suggestion}").get_by_role("button").first)
        expect(key(page, f"queue_confirm_{suggestion}")).to_have_count(0, timeout=WAIT)
    # The conversations (Farah, Liam, Maya, Noah by phone; coffee with Hana): Confirm opens
    # the form filled in; a referral is typed for Farah.
    for suggestion, name in ((12, "Farah"), (13, "Liam"), (14, "Maya"), (15, "Noah"), (20, "Hana")):
        user.click(key(page, f"queue_confirm_{suggestion}").get_by_role("button").first)
        form = page.locator("[data-testid=stForm]")
        expect(form).to_be_visible(timeout=WAIT)
        if name == "Farah":
            form.get_by_label("Referral 1: name").fill("Omar Farouk")  # typed: not counted
            screenshot(page, "queue-2-conversation-form")
        user.click(form.get_by_role("button", name="Confirm conversation"))
        expect(page.get_by_text(f"Logged for {name}")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("From your phone and mail · 0 to confirm")).to_be_visible(timeout=WAIT)
    screenshot(page, "queue-3-day-confirmed")
    queue_clicks = user.clicks - upload_clicks
    print(f"clicks: {upload_clicks} to import, {queue_clicks} in the queue; keys: {user.keys}")
    assert (upload_clicks, queue_clicks, user.keys) == (4, 17, len(ME))

    # Today: the thanks owed now are the four conversations not thanked at the time.
    open_page(page, url)
    expect(page.get_by_role("heading", name="4 thank-yous pending")).to_be_visible(timeout=WAIT)
    expect(to_thank).to_contain_text("4", timeout=WAIT)
    assert "From your phone and mail" not in main_text(page)
    screenshot(page, "queue-4-today-after")
    # The funnel: five more people reached (Farah, Liam, Maya, Noah, Hana) and a referral.
    open_page(page, f"{url}/dashboard?period=all")
    funnel_after = funnel_counts(page)
    print(f"funnel {funnel_before} -> {funnel_after}")
    assert funnel_before == [20, 3, 1, 1, 0]
    assert funnel_after == [21, 8, 4, 4, 1]  # Omar Farouk (a referral), 5 reached, 3 thanked…
    # Farah's next step is now her follow-up, 3 weeks after yesterday's call.
    open_page(page, f"{url}/contacts?contact=12")
    expect(page.get_by_text(f"Follow up — {human_date(day + timedelta(days=21))}")).to_be_visible(
        timeout=WAIT
    )
    guard.assert_clean()
