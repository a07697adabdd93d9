"""Target companies in Chromium: three targets added on the Companies page, a LinkedIn file
imported on the Import & export page links its people to them, and a conversation whose
referral question names the targets gives a referral tagged with the company it leads into —
which gains a way in, on the Companies page and in `companies --json`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.store.db import open_database
from tests.browser.conftest import WAIT, AppServers, Guard, main_text, open_page, screenshot, settle
from tests.processes import ROOT, python_env

pytestmark = pytest.mark.browser
LINKEDIN = ROOT / "tests" / "fixtures" / "linkedin_connections.csv"
# Two employers of the LinkedIn file (one written "Blue Harbor Logistics, Ltd." there) and
# one where the user knows nobody yet. No Motivation: the list sorts by name.
TARGETS = ["Blue Harbor Logistics", "Stadtwerke Nord", "Northwind Traders"]


def cli(path: Path, *args: str) -> str:
    """`python -m lib.cli ARGS --db PATH`: its output (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", *args, "--db", str(path)],
        cwd=ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def company_card(page: Page, name: str) -> str:
    """The text of one company's card on the Companies page."""
    card = page.locator("[data-testid=stVerticalBlock]", has_text=name).last
    expect(card).to_be_visible(timeout=WAIT)
    return card.inner_text()


def companies(path: Path) -> dict[str, tuple[int, int]]:
    """`companies --json`: (people, ways in) by company name."""
    rows = json.loads(cli(path, "companies", "--json"))["companies"]
    return {row["name"]: (row["people"], row["ways_in"]) for row in rows}


def test_targets_linked_by_an_import_and_a_referral_that_leads_into_one(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    open_database(path).close()
    url = streamlit_app(path)

    # Companies: the three targets, pasted as a list.
    open_page(page, f"{url}/companies")
    page.get_by_role("textbox", name="Company names, one per line").fill("\n".join(TARGETS))
    page.get_by_role("button", name="Add companies").click()
    expect(page.get_by_text(re.compile(r"^3 companies added"))).to_be_visible(timeout=WAIT)
    assert "No way in yet" in company_card(page, "Northwind Traders")

    # Import & export: the LinkedIn file adds three people, linked to the targets they work at.
    page.get_by_role("link", name="Import & export").click()
    settle(page)
    page.set_input_files("input[type=file]", str(LINKEDIN))
    settle(page)
    page.get_by_role("button", name="Add 3 targets").click()
    imported = re.compile(r"linkedin_connections\.csv: 3 new contacts, 0 updated, 0 skipped")
    expect(page.get_by_text(imported)).to_be_visible(timeout=WAIT)
    page.get_by_role("link", name="Companies").click()
    settle(page)
    assert "1 person known (1 Targeted)" in company_card(page, "Blue Harbor Logistics")

    # Amara (at "Blue Harbor Logistics, Ltd.") is linked to Blue Harbor Logistics: her
    # referral question asks who else there first.
    page.get_by_role("link", name="Log a step").click()
    settle(page)
    page.get_by_role("combobox", name="Contact").click()
    page.get_by_role("option", name=re.compile("^Amara Nwosu")).click()
    asked = (
        "Asked for referrals — “Who else do you know at Blue Harbor Logistics — and at "
        "Northwind Traders or Stadtwerke Nord?”"
    )
    expect(page.get_by_text(asked)).to_be_visible(timeout=WAIT)
    assert "Amara Nwosu — Targeted." in main_text(page)
    page.get_by_text(asked).click()
    page.get_by_label("Referral 1: name").fill("Jonas Weber")
    page.get_by_role("combobox", name="Referral 1: leads into").click()
    page.get_by_role("option", name="Northwind Traders").click()
    page.get_by_label("Referral 2: name").click()  # out of the select, so it draws closed
    page.get_by_label("Referral 2: name").fill("Ines Falk")
    screenshot(page, "target-companies-1-conversation-form-1400")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("combobox", name="Referral 1: leads into").scroll_into_view_if_needed()
    screenshot(page, "target-companies-2-conversation-form-390")
    wide, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert wide <= inner, f"the page scrolls sideways: {wide} > {inner}"
    page.get_by_role("button", name="Log conversation").click()
    expect(page.get_by_text("2 new referrals added as targets")).to_be_visible(timeout=WAIT)
    assert "Jonas Weber (Northwind Traders, cold); Ines Falk (cold)." in main_text(page)

    # Northwind Traders gained its way in (Amara, who gave Jonas), on the Companies page…
    page.set_viewport_size({"width": 1400, "height": 900})
    page.get_by_role("link", name="Companies").click()
    settle(page)
    northwind = company_card(page, "Northwind Traders")
    assert "1 person known (1 Targeted) · 0 advocates · 1 way in" in northwind, northwind
    assert "No way in yet" not in northwind
    screenshot(page, "target-companies-3-companies-page")
    guard.assert_clean()

    # …and in `companies --json`, with the people the import linked.
    streamlit_app.stop(url)
    assert companies(path) == {
        "Blue Harbor Logistics": (1, 0),
        "Northwind Traders": (1, 1),
        "Stadtwerke Nord": (1, 0),
    }
