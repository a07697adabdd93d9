"""A newcomer's first hour in Debian's Chromium (issue 17): each rough edge they met, fixed.

Two files are served for the whole module: a first week (nine people found today, two
conversations today) and the 50-person demo network. The too-soon follow-up writes, so it
runs last. A bookmarked link and an import each get a server of their own (a fresh server is
the point of the first; the second writes). Each test saves a screenshot in
tests/screenshots/first-hour-*.png.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.core.vocab import GOAL_KEYS
from lib.io.demo import load_demo
from lib.records.contacts import add_contact
from lib.records.events import Conversation, log_conversation, log_event
from lib.store.db import open_database
from lib.ui.widgets import TABLE_ORDER, TABLE_WIDTHS
from tests.browser.conftest import (
    SCREENSHOTS,
    WAIT,
    AppServers,
    Guard,
    main_text,
    open_page,
    screenshot,
    settle,
)
from tests.support import write_demo

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TODAY = date.today()  # the app reviews the network as of the real today
EMAIL = "ana.ruiz@example.com"
LINKEDIN = "https://www.linkedin.com/in/ana-ruiz"
LONG_NOTE = (
    "Met at the Chamber mixer; she runs platform hiring at Kestrel and wants someone who has "
    "scaled a support team from five to forty. Send the case study about the ticket backlog "
    "and mention the Lisbon offsite she organised — she lit up when it came up. Follow up after "
    "the budget review in the second week of next month, not before."
)
TREE = "Who referred whom (click a branch to zoom in)"
# A title with what Markdown would turn into emoji or links: shown (and copied) as typed.
TITLE = "Head of Platform :tada: 10:30: jobs at www.kestrel.example or hiring@kestrel.example"
INVISIBLE = ("\u2060", "\u200b", "\u200c", "\u200d", "\ufeff")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServers]:
    """The module's servers, stopped at its end."""
    running = AppServers(tmp_path_factory.mktemp("first-hour-logs"))
    yield running
    running.stop_all()


@pytest.fixture(scope="module")
def first_week(servers: AppServers, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A user's first day: nine people found today; Ana and Cara talked to today."""
    path = tmp_path_factory.mktemp("first-week") / "network.duckdb"
    db = open_database(path)
    ana = add_contact(
        db,
        {"full_name": "Ana Ruiz", "company": "Kestrel Software", "email": EMAIL, "title": TITLE},
        today=TODAY,
    )
    db.execute("UPDATE contacts SET linkedin_url = ? WHERE id = ?", [LINKEDIN, ana])
    zoe = add_contact(db, {"full_name": "Zoë 🚀 Lind", "company": "Atlas"}, today=TODAY)
    cara = add_contact(db, {"full_name": "Cara Diaz"}, today=TODAY)
    for name in ("Dev Rao", "Eli Berg", "Fay Wu", "Gus Lee"):
        add_contact(db, {"full_name": name}, today=TODAY)
    log_conversation(
        db,
        Conversation(
            contact_id=ana,
            occurred_on=TODAY,
            channel="in_person",
            asked_for_referrals=True,
            referrals=[{"full_name": "Ben Okafor", "company": "Atlas", "may_use_name": True}],
            notes=LONG_NOTE,
        ),
        today=TODAY,
    )
    # Logged after the conversation, so a newest-id-first timeline put it above it.
    log_event(
        db,
        {"contact_id": ana, "kind": "thank_you", "occurred_on": TODAY, "channel": "email"},
        today=TODAY,
    )
    log_conversation(
        db, Conversation(contact_id=cara, occurred_on=TODAY, channel="phone"), today=TODAY
    )
    db.close()
    return {"url": servers(path), "ana": ana, "zoe": zoe, "cara": cara}


@pytest.fixture(scope="module")
def demo(servers: AppServers, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The 50-person demo network, and one person who referred others."""
    path = tmp_path_factory.mktemp("demo") / "network.duckdb"
    db = open_database(path)
    load_demo(db)
    referrer = db.scalar(
        "SELECT referred_by FROM contacts WHERE referred_by IS NOT NULL "
        "GROUP BY referred_by ORDER BY count(*) DESC, referred_by LIMIT 1"
    )
    db.close()
    return {"url": servers(path), "referrer": int(referrer)}


def chart_shot(chart, name: str) -> None:
    """A screenshot of one chart (the page's own screenshot stops at the first screenful)."""
    chart.scroll_into_view_if_needed()
    chart.page.wait_for_timeout(500)
    chart.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def dialogs(page: Page) -> list[str]:
    """Streamlit's modal pop-ups on the page (e.g. "Page not found")."""
    return page.locator("[role=dialog]").all_inner_texts()


def has_emoji(text: str) -> bool:
    return any(unicodedata.category(ch) == "So" and ord(ch) > 0x2500 for ch in text)


# 1 -------------------------------------------------------------------------------------------
def test_copied_text_has_no_invisible_characters(first_week: dict, page: Page) -> None:
    open_page(page, f"{first_week['url']}/contacts?contact={first_week['ana']}")
    email = page.get_by_role("link", name=EMAIL)
    expect(email).to_be_visible(timeout=WAIT)
    assert email.inner_text() == EMAIL  # what a user copies from the link
    assert page.get_by_role("link", name=LINKEDIN).inner_text() == LINKEDIN
    text = page.inner_text("[data-testid=stMain]")  # as copied, nothing stripped
    assert [ch for ch in INVISIBLE if ch in text] == []
    assert "Kestrel Software" in text and "Ana Ruiz" in text
    place = page.get_by_test_id("stCaptionContainer").filter(has_text="Head of Platform")
    assert place.inner_text() == f"{TITLE} · Kestrel Software"  # no emoji, nothing hidden
    hrefs = place.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == ["http://www.kestrel.example/", "mailto:hiring@kestrel.example"]
    screenshot(page, "first-hour-01-contact-copyable")


# 2, 6 ---------------------------------------------------------------------------------------
def test_funnel_labels_stay_readable_and_the_kpis_say_what_is_open(
    first_week: dict, page: Page
) -> None:
    open_page(page, f"{first_week['url']}/dashboard?period=all")
    labels = page.locator("[data-testid=stPlotlyChart] .funnellayer .point text")
    labels.first.wait_for(timeout=WAIT)
    page.wait_for_timeout(1000)
    heights = labels.evaluate_all("ts => ts.map(t => t.getBoundingClientRect().height)")
    assert len(heights) == 5
    assert min(heights) >= 12, f"funnel labels drawn {heights} px high"
    colors = page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first.evaluate(
        "plot => plot.data[0].marker.color"
    )
    assert colors[-1] == "#2F8F89"  # the best stage is teal, not alarm-red
    assert "#E45756" not in colors

    cards = {
        lines[0]: lines[1:]
        for lines in (
            [line.strip() for line in text.split("\n") if line.strip()]
            for text in page.locator("[data-testid=stMetric]").all_inner_texts()
        )
    }
    due_by = TODAY + timedelta(days=3)
    assert cards["Conversations"][0] == "2"
    # Ana thanked at once; Cara's thank-you is still open, and says by when.
    assert cards["Thank-you on time"][1] == (f"1 of 1 on time · 1 open, due {due_by:%a %-d %b}")
    assert cards["Referrals received"][1] == "100% warm"
    screenshot(page, "first-hour-02-06-funnel-and-kpis")
    chart_shot(page.locator("[data-testid=stPlotlyChart]").first, "first-hour-02-funnel")


# 3 -------------------------------------------------------------------------------------------
def test_the_first_week_draws_goals_and_keeps_twelve_weeks(first_week: dict, page: Page) -> None:
    open_page(page, f"{first_week['url']}/weekly")
    charts = page.locator("[data-testid=stPlotlyChart]")
    expect(charts).to_have_count(2, timeout=WAIT)
    charts.nth(1).locator(".xtick").first.wait_for(timeout=WAIT)
    page.wait_for_timeout(1000)
    goals, trend = charts.nth(0), charts.nth(1)
    # The goals grid: one column for the single week, a count written for each step, on an
    # axis of the 12 weeks shown.
    columns = goals.locator(".js-plotly-plot").evaluate("gd => gd._fullLayout.xaxis._categories")
    assert len(columns) == 12 and columns[-1] == f"W{TODAY.isocalendar().week:02d}", columns
    written = goals.locator(".scatterlayer .textpoint text").all_text_contents()
    assert len(written) == len(GOAL_KEYS), written
    # The trend's axis keeps the 12 weeks shown, the user's one week on the right and labelled
    # (a few weeks are labelled, counted back from this one, so they fit on a phone too).
    weeks = trend.locator(".js-plotly-plot").evaluate("gd => gd._fullLayout.xaxis._categories")
    assert len(weeks) == 12, weeks
    ticks = trend.locator(".xtick text").all_text_contents()
    assert ticks[-1].startswith(f"W{TODAY.isocalendar().week:02d}"), ticks
    # The conversations and their 4-week average: a marker each for the one week.
    assert trend.locator(".scatterlayer .trace").nth(1).locator(".point").count() == 1
    screenshot(page, "first-hour-03-weekly-first-week")
    chart_shot(goals, "first-hour-03-weekly-goals")
    chart_shot(trend, "first-hour-03-weekly-trend")


# 4 -------------------------------------------------------------------------------------------
def test_network_writes_its_counts_and_legends_differ(demo: dict, page: Page) -> None:
    open_page(page, f"{demo['url']}/network")
    charts = page.locator("[data-testid=stPlotlyChart]")
    expect(charts).to_have_count(3, timeout=WAIT)
    page.wait_for_timeout(1500)
    titles = [chart.locator(".gtitle").first.text_content() for chart in charts.all()]
    # Warm vs cold and the sources are tables: every count written beside its share.
    warm, by_source = page.locator("[data-testid=stTable]").all()
    assert warm.locator("th").all_text_contents()[:2] == ["Kind of target", "Targets"]
    assert by_source.locator("th").all_text_contents() == [
        "Source", "Targets", "Talked to", "Referrals", "Per target"
    ]  # fmt: skip
    talked = by_source.locator("tbody tr td:nth-child(3)").all_text_contents()
    assert talked and all(re.fullmatch(r"[\d,]+ \(\d+%\)", t) for t in talked), talked
    referrers = charts.nth(titles.index("Top referrers"))
    swatches = referrers.locator(".legend .legendpoints path").evaluate_all(
        "ps => ps.map(p => getComputedStyle(p).fill + ' ' + getComputedStyle(p).fillOpacity)"
    )
    assert len(swatches) == 2 and swatches[0] != swatches[1], swatches
    screenshot(page, "first-hour-04-network")
    chart_shot(by_source, "first-hour-04-by-source")
    chart_shot(warm, "first-hour-04-warm-cold")
    chart_shot(referrers, "first-hour-04-top-referrers")
    chart_shot(charts.nth(titles.index(TREE)), "first-hour-04-referral-tree")


# 14 ------------------------------------------------------------------------------------------
CHART_CODE_FETCHED = (
    "performance.getEntriesByType('resource')"
    ".some(r => /\\/PlotlyChart\\.[^/]+\\.js$/.test(r.name))"
)


def test_the_chart_code_loads_while_today_sits_idle(demo: dict, page: Page) -> None:
    open_page(page, demo["url"])  # Today, which has no chart of its own
    assert page.locator("[data-testid=stPlotlyChart]").count() == 0
    page.wait_for_function(CHART_CODE_FETCHED, timeout=WAIT)
    page.evaluate("performance.clearResourceTimings()")

    page.locator("[data-testid=stSidebarNav] a", has_text="Network").first.click()
    settle(page)
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(3, timeout=WAIT)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= 3",
        timeout=WAIT,
    )

    assert page.evaluate(CHART_CODE_FETCHED) is False  # the visit fetched no chart code
    loader = page.locator("[data-testid=stSidebar] [data-testid=stHtml]").bounding_box()
    assert loader is not None and loader["height"] == 0  # it shows nothing
    expect(page.locator("[data-testid=stSidebarNavSeparator]")).to_be_hidden()
    screenshot(page, "first-hour-14-network-after-today")


# The review pages on a phone ------------------------------------------------------------------
@pytest.mark.parametrize(("path", "options"), [("dashboard", 5), ("network", 5), ("weekly", 5)])
def test_every_period_option_is_on_screen_on_a_phone(
    demo: dict, page: Page, path: str, options: int
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, f"{demo['url']}/{path}")
    buttons = page.locator("[data-testid=stMain] [data-testid=stButtonGroup]").first.locator(
        "button"
    )
    expect(buttons).to_have_count(options, timeout=WAIT)
    boxes = [button.bounding_box() for button in buttons.all()]
    assert all(box and box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes), boxes
    screenshot(page, f"first-hour-phone-{path}")


# 7, 13 --------------------------------------------------------------------------------------
def test_tables_leave_empty_cells_empty_and_say_generation(demo: dict, page: Page) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    open_page(page, f"{demo['url']}/contacts")
    cells = page.locator("[data-testid=stDataFrame] [role=gridcell]")
    cells.first.wait_for(state="attached", timeout=WAIT)  # the grid's hidden accessible copy
    texts = cells.all_inner_texts()
    assert "" in texts  # someone never touched: an empty Last touch…
    assert "None" not in texts  # …not a grey "None"
    expect(
        page.get_by_text("scroll the table sideways for Referred by, Company and Title")
    ).to_be_visible()
    # On a 1366 px laptop nothing cuts the stage or who referred them: the columns up to
    # Referred by (and the row picker's, 32 px) fit the table as the browser lays it out.
    table = page.locator("[data-testid=stDataFrame]").first.bounding_box()
    assert table and 32 + sum(TABLE_WIDTHS.values()) <= table["width"], table
    assert list(TABLE_WIDTHS) == list(TABLE_ORDER[:5])
    screenshot(page, "first-hour-07-contacts-table")

    open_page(page, f"{demo['url']}/contacts?contact={demo['referrer']}")
    page.get_by_role("tab", name="Referral chain").click()
    headers = page.locator("[data-testid=stDataFrame] [role=columnheader]")
    headers.first.wait_for(state="attached", timeout=WAIT)
    names = [h.strip() for h in headers.all_inner_texts()]
    assert "Generation" in names and "Step" not in names
    assert "None" not in page.locator("[data-testid=stDataFrame] [role=gridcell]").all_inner_texts()
    screenshot(page, "first-hour-13-referral-chain")


# 8, 9 --------------------------------------------------------------------------------------
def test_the_timeline_wraps_notes_in_the_methods_order(first_week: dict, page: Page) -> None:
    open_page(page, f"{first_week['url']}/contacts?contact={first_week['ana']}")
    rows = page.locator("[data-testid=stTable] tbody tr")
    rows.first.wait_for(timeout=WAIT)
    steps = [row.locator("td").nth(1).inner_text() for row in rows.all()]
    assert steps == [
        "Identified",
        "Conversation (pitch delivered)",
        "Asked for referrals",
        "Gave a referral",
        "Thank-you sent",
    ]
    note = rows.nth(1).locator("td").nth(3)
    assert note.inner_text() == LONG_NOTE  # whole, wrapped over lines
    assert note.evaluate("td => td.getBoundingClientRect().height") > 40
    screenshot(page, "first-hour-08-timeline")

    open_page(page, f"{first_week['url']}/contacts?contact={first_week['zoe']}")
    expect(page.get_by_role("heading", name="Zoë 🚀 Lind")).to_be_visible(timeout=WAIT)
    screenshot(page, "first-hour-09-user-emoji")


# 9, 10 --------------------------------------------------------------------------------------
def test_an_import_says_what_next_with_material_icons(
    streamlit_app: AppServers, tmp_path: Path, page: Page, guard: Guard
) -> None:
    path = tmp_path / "network.duckdb"
    open_database(path).close()
    url = streamlit_app(path)
    open_page(page, f"{url}/data")
    page.set_input_files("input[type=file]", str(FIXTURES / "linkedin_connections.csv"))
    settle(page)
    page.get_by_role("button", name="Add 3 targets").click()
    success = page.locator("[data-testid=stAlertContentSuccess]")
    expect(success).to_contain_text("3 new contacts, 0 updated, 0 skipped", timeout=WAIT)
    alert = page.locator("[data-testid=stAlert]", has=success)
    # The icon is a Material ligature (the app's bundled font), not an emoji a font may lack.
    assert alert.get_by_test_id("stAlertDynamicIcon").inner_text() == "check"
    assert not has_emoji(alert.inner_text()), alert.inner_text()
    next_step = page.get_by_role("link", name="3 new targets — see them on Today")
    expect(next_step).to_be_visible()
    screenshot(page, "first-hour-10-import-next-step")
    next_step.click()
    expect(page.get_by_role("heading", name="Today").first).to_be_visible(timeout=WAIT)
    guard.assert_clean()


# 11 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("link", "shows"),
    [("dashboard?period=quarter", "This quarter"), ("contacts?contact=12", "All contacts")],
)
def test_a_bookmarked_link_opens_cleanly_on_a_fresh_server(
    streamlit_app: AppServers, tmp_path: Path, page: Page, link: str, shows: str
) -> None:
    url = streamlit_app(write_demo(tmp_path / "network.duckdb"))  # nobody has visited it yet
    open_page(page, f"{url}/{link}")
    expect(page.get_by_text(shows).first).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(1500)
    assert dialogs(page) == []
    screenshot(page, f"first-hour-11-fresh-{link.split('?')[0]}")


# 12 ------------------------------------------------------------------------------------------
def test_add_target_names_every_bad_field_and_the_picker_is_one_box(
    first_week: dict, page: Page
) -> None:
    open_page(page, f"{first_week['url']}/contacts?add=1")
    page.get_by_label("Email").fill("ana-at-home")
    page.get_by_label("Phone").fill("call me")
    page.get_by_role("button", name="Add target").click()
    settle(page)
    errors = page.locator(
        "[data-testid=stAlertContentError] [data-testid=stMarkdownContainer]"
    ).all_inner_texts()
    assert errors == [
        "Name: is required (the person's name)",
        "Email: 'ana-at-home' is not an email address",
        "Phone: 'call me' is not a phone number",
    ]
    screenshot(page, "first-hour-12-add-target-errors")

    open_page(page, f"{first_week['url']}/log")
    assert page.get_by_label("Search contacts").count() == 0  # one box, not two
    picker = page.locator("[data-testid=stSelectbox]").first
    picker.click()
    page.keyboard.type("Dev")
    options = page.locator("[role=option]")
    expect(options).to_have_count(1, timeout=WAIT)
    assert options.first.inner_text().startswith("Dev Rao")
    screenshot(page, "first-hour-12-one-picker")


# 5 (writes: last) --------------------------------------------------------------------------
def test_a_too_soon_follow_up_is_warned_about_once(first_week: dict, page: Page) -> None:
    open_page(page, f"{first_week['url']}/log?contact={first_week['ana']}&step=follow_up")
    expect(page.get_by_text("If you send it today")).to_be_visible(timeout=WAIT)
    assert "only 0 days" not in main_text(page)
    page.get_by_role("button", name="Log follow-up").click()
    expect(page.get_by_text("Logged anyway")).to_be_visible(timeout=WAIT)
    settle(page)
    text = main_text(page)
    assert text.count("too soon") == 1, text
    assert "the last touch was today" in text
    assert "only 0 days" not in text
    screenshot(page, "first-hour-05-too-soon-once")
