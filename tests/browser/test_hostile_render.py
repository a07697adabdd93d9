"""Hostile text in the data is shown as text on every page: no markup, no script, no dialog, no
request off the machine.

The file holds names and notes that are HTML, script, `javascript:` links, a
markdown image pointing off-site, right-to-left overrides, emoji and zero-width
characters — some written through the library (validated), some written
straight into the file as another tool could. Every page in the navigation is
opened; any page that shows one of these strings must show it literally.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect

from lib.records.contacts import add_contact
from lib.records.events import Conversation, log_conversation, log_event
from lib.store.db import open_database
from tests.browser.conftest import (
    WAIT,
    AppServers,
    Guard,
    main_text,
    nav_links,
    open_page,
    page_slug,
    screenshot,
)

pytestmark = pytest.mark.browser

IMG_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = [
    IMG_NAME,
    "<script>alert(2)</script>",
    "[my site](javascript:alert(3))",
    "</div><iframe src=javascript:alert(4)></iframe>",
    "javascript:alert(5)",
    "<svg onload=alert(6)>",
    "![tracker](http://tracker.example/pixel.png)",
    "<style>body{display:none}</style>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "Robert'); DROP TABLE contacts;--",
    "\u202eevil RTL override\u202c",
    "Zoë 👩🏽\u200d💻 Ω \u200bzero\u200dwidth",
]
# Written straight into the file, past validation, as another tool might.
RAW_LINKS = [
    ("linkedin_url", "javascript:alert(8)"),
    ("email", '"><img src=x onerror=alert(9)>@example.com'),
    ("phone", "javascript:alert(10)"),
]
# Markup that must never appear as live elements in the page.
INJECTED = """() => ({
  images: [...document.querySelectorAll('img')].filter(i => /(^|\\/)x$/.test(i.src)).length,
  handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,
  scriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
  frames: document.querySelectorAll('iframe[src^="javascript:" i]').length,
  hidden: getComputedStyle(document.body).display === 'none',
  tracker: [...document.querySelectorAll('img')].filter(i => i.src.includes('tracker')).length,
})"""


def hostile_database(path: Path) -> int:
    """A file full of hostile text in every field a page might show; returns how many strings."""
    today = date.today()
    db = open_database(path)
    ids = []
    for n, text in enumerate(HOSTILE_TEXT):
        ids.append(
            add_contact(
                db,
                {
                    "full_name": text,
                    "company": HOSTILE_TEXT[(n + 1) % len(HOSTILE_TEXT)],
                    "title": HOSTILE_TEXT[(n + 2) % len(HOSTILE_TEXT)],
                    "notes": " ".join(HOSTILE_TEXT),
                    "identified_on": today - timedelta(days=40 + n),
                },
            )
        )
        log_event(
            db,
            {
                "contact_id": ids[-1],
                "kind": "note",
                "occurred_on": today - timedelta(days=30),
                "notes": text,
            },
        )
    log_conversation(  # hostile referrers and referrals, for the referral chain pages
        db,
        Conversation(
            contact_id=ids[0],
            occurred_on=today - timedelta(days=25),
            channel="phone",
            thanked=True,
            referrals=[{"full_name": t, "may_use_name": True} for t in HOSTILE_TEXT[1:4]],
            notes=HOSTILE_TEXT[1],
        ),
    )
    db.close()
    con = duckdb.connect(str(path))
    for column, value in RAW_LINKS:  # column names are this test's constants
        con.execute(f"UPDATE contacts SET {column} = ? WHERE id = ?", [value, ids[0]])
    con.close()
    return len(HOSTILE_TEXT) + len(RAW_LINKS)


def test_hostile_text_is_shown_as_text_on_every_page(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    hostile_database(path)
    url = streamlit_app(path)
    open_page(page, url)
    links = nav_links(page)
    assert len(links) >= 8

    for name, href in links:
        open_page(page, href)
        page.wait_for_timeout(500)  # let charts and images settle before looking
        screenshot(page, f"hostile-{page_slug(name)}")
        assert page.locator("[data-testid=stException]").count() == 0, name
        injected = page.evaluate(INJECTED)
        assert injected == {
            "images": 0,
            "handlers": 0,
            "scriptLinks": 0,
            "frames": 0,
            "hidden": False,
            "tracker": 0,
        }, f"{name}: {injected}"
        text = page.inner_text("[data-testid=stMain]")
        if "onerror=alert(1)" in text:  # a page that shows the name shows all of it, as text
            assert IMG_NAME in text, name
        if "alert(2)" in text:
            assert "<script>alert(2)</script>" in text, name

    guard.assert_clean()


def test_the_checks_catch_live_markup_a_dialog_and_an_offsite_request(
    page: Page, guard: Guard
) -> None:
    """What the test above relies on: the guard and the DOM check do notice an injection."""
    page.set_content(
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">me</a>'
        '<img src="http://tracker.example/pixel.png">'
    )
    page.wait_for_timeout(500)

    assert page.evaluate(INJECTED) == {
        "images": 1,
        "handlers": 1,
        "scriptLinks": 1,
        "frames": 0,
        "hidden": False,
        "tracker": 1,
    }
    assert guard.dialogs == ["alert: 1"]
    assert guard.offsite == ["http://tracker.example/pixel.png"]
    guard.dialogs.clear()  # seen and asserted: not a failure of this test
    guard.requests.clear()


LITERAL = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
]


def shown_as(name: str) -> re.Pattern[str]:
    """The exact text of `name`, nothing added."""
    pattern = re.escape(name).replace("/", "\\/")  # `/`: Playwright
    return re.compile(f"^{pattern}$")


def chart_text(page: Page) -> str:
    """Every label drawn in the page's plotly charts (SVG text), in one string."""
    page.locator("[data-testid=stPlotlyChart] svg text").first.wait_for(timeout=WAIT)
    return " ".join(
        page.locator("[data-testid=stPlotlyChart] svg text").evaluate_all(
            "nodes => nodes.map(n => n.textContent)"
        )
    )


def test_hostile_names_are_shown_literally_where_names_are_shown(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    """A referrer and two referrals named with markup: Contacts, Today and Network show them."""
    path = tmp_path / "network.duckdb"
    db = open_database(path)
    referrer = add_contact(db, {"full_name": LITERAL[0], "company": LITERAL[2]})
    log_conversation(
        db,
        Conversation(
            contact_id=referrer,
            occurred_on=date.today() - timedelta(days=2),
            channel="phone",
            referrals=[
                {"full_name": LITERAL[1], "may_use_name": True},
                {"full_name": LITERAL[2], "may_use_name": False},
            ],
        ),
    )
    db.close()
    url = streamlit_app(path)

    open_page(page, url)  # Today: the referrals to contact, the referrer to thank
    for name in LITERAL:  # each name is a link to the contact, labelled exactly
        expect(page.get_by_role("link", name=shown_as(name)).first).to_be_visible(timeout=WAIT)
    expect(page.get_by_text(f"“{LITERAL[0]} suggested I get in touch”")).to_be_visible()
    screenshot(page, "hostile-literal-today")

    open_page(page, f"{url}/contacts")  # the list is drawn on a canvas: no markup to inject
    expect(page.get_by_text("3 contacts")).to_be_visible(timeout=WAIT)
    assert page.evaluate(INJECTED)["handlers"] == 0
    screenshot(page, "hostile-literal-contacts")

    open_page(page, f"{url}/contacts?contact={referrer + 1}")
    expect(page.get_by_role("heading", name=LITERAL[1])).to_be_visible(timeout=WAIT)
    # "Referred by": the referrer's hostile name, as a link label. The page streams in, so
    # wait for the link before reading the text (the heading alone came first once in CI)
    expect(page.get_by_role("link", name=shown_as(LITERAL[0]))).to_be_visible(timeout=WAIT)
    assert LITERAL[0] in main_text(page)
    screenshot(page, "hostile-literal-contact-view")

    open_page(page, f"{url}/network")
    page.wait_for_timeout(1000)  # charts draw after the script ends
    drawn = chart_text(page)
    screenshot(page, "hostile-literal-network")
    for name in LITERAL:
        assert name in drawn
    assert page.evaluate(INJECTED)["images"] == 0
    guard.assert_clean()
