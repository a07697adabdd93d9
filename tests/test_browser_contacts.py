"""What only a browser shows: a clicked table row opens the contact; user text makes no links."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.contacts import add_contact
from lib.db import open_database

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
NASTY = ":smile: www.evil.example http://evil.example a@evil.example [x](javascript:alert(1))"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("CI") and not Path(CHROMIUM).exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (required in CI)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """A real `streamlit run app.py` on a two-person database."""
    path = tmp_path / "network.duckdb"
    db = open_database(path)
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel"})
    add_contact(db, {"full_name": NASTY, "referred_by": ana, "may_use_name": True})
    db.close()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env={**os.environ, "WARMLEADS_DB": str(path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def settle(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    page.wait_for_timeout(500)


def test_a_clicked_row_opens_the_contact_and_user_text_makes_no_links(app_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(app_url)  # the entry page first: it registers the navigation
        settle(page)
        page.goto(f"{app_url}/contacts")
        settle(page)
        table = page.locator("[data-testid=stDataFrame]").first.bounding_box()
        assert table is not None
        page.mouse.click(table["x"] + 15, table["y"] + 35 + 17)  # row 1's selection cell
        settle(page)
        assert page.url.endswith("/contacts?contact=2")  # ":" sorts before "A"
        main = page.locator("[data-testid=stMain]")
        assert main.locator("h1").first.inner_text().replace("\u2060", "") == NASTY
        hrefs = [a.get_attribute("href") or "" for a in main.locator("a").all()]
        assert not [h for h in hrefs if "evil" in h or h.startswith("javascript")], hrefs
        assert "😄" not in main.inner_text()
        browser.close()
