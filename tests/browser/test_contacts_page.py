"""What only a browser shows: a clicked table row opens the contact; user text makes no markup.

A bare web or email address in user text becomes the link Markdown makes of it (http or
mailto, its text the address itself); nothing else in it is a link, an emoji or hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.records.contacts import add_contact
from lib.store.db import open_database
from tests.browser.conftest import WAIT, Guard, open_page, settle

NASTY = ":smile: www.evil.example http://evil.example a@evil.example [x](javascript:alert(1))"

pytestmark = pytest.mark.browser


@pytest.fixture
def app_url(streamlit_app: Callable[..., str], tmp_path: Path) -> str:
    """A real `streamlit run app.py` on a two-person database."""
    path = tmp_path / "network.duckdb"
    db = open_database(path)
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel"})
    add_contact(db, {"full_name": NASTY, "referred_by": ana, "may_use_name": True})
    db.close()
    return streamlit_app(path)


def test_a_clicked_row_opens_the_contact_and_user_text_makes_no_markup(
    app_url: str, page: Page, guard: Guard
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_page(page, app_url)  # the entry page first, as a user arrives
    open_page(page, f"{app_url}/contacts")
    table = page.locator("[data-testid=stDataFrame]").first.bounding_box()
    assert table is not None
    page.mouse.click(table["x"] + 15, table["y"] + 35 + 17)  # row 1's selection cell
    settle(page)
    assert page.url.endswith("/contacts?contact=2")  # ":" sorts before "A"
    main = page.locator("[data-testid=stMain]")
    heading = main.locator("h1").first
    # The URL changes before the rerun that draws the person has finished: wait for its title.
    expect(heading).to_have_text(NASTY, timeout=WAIT)
    links = heading.locator("a").evaluate_all("as => as.map(a => [a.href, a.textContent])")
    assert links == [
        ["http://www.evil.example/", "www.evil.example"],
        ["http://evil.example/", "http://evil.example"],
        ["mailto:a@evil.example", "a@evil.example"],
    ]  # what you see is where it goes; "[x](javascript:…)" stays text
    hrefs = [a.get_attribute("href") or "" for a in main.locator("a").all()]
    assert not [h for h in hrefs if h.startswith("javascript")], hrefs
    assert "😄" not in main.inner_text()
    guard.assert_clean()
