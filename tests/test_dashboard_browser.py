"""In a real browser: the dashboard's choices reach the address bar, and the link reopens them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.db import open_database
from lib.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("CI") and not Path(CHROMIUM).exists(),
        reason="Debian's Chromium is not installed (never skipped in CI)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `streamlit run app.py` on the demo network."""
    path = tmp_path_factory.mktemp("browser") / "network.duckdb"
    db = open_database(path)
    load_demo(db)
    db.close()
    port = free_port()
    env = os.environ | {"WARMLEADS_DB": str(path)}
    env.pop("WARMLEADS_READ_ONLY", None)
    env.pop("WARMLEADS_REDACT", None)
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", "app.py"),
            *("--server.headless", "true", "--server.port", str(port)),
            *("--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_picked_period_and_filter_go_into_the_link_and_back(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(app_url)  # app.py routes first, then the dashboard by its path
        expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Dashboard", timeout=60_000)
        page.goto(f"{app_url}/dashboard")
        caption = page.get_by_test_id("stCaptionContainer").first
        expect(caption).to_contain_text("All time", timeout=60_000)
        funnel = page.locator("[data-testid=stPlotlyChart] .funnellayer")
        expect(funnel).to_be_visible(timeout=30_000)

        page.locator("[data-testid=stButtonGroup] >> text=This quarter").click()
        expect(caption).to_contain_text("This quarter", timeout=30_000)
        page.wait_for_url("**/dashboard?period=quarter", timeout=30_000)

        reopened = browser.new_page(viewport={"width": 1400, "height": 900})
        reopened.goto(page.url)
        expect(reopened.get_by_test_id("stCaptionContainer").first).to_contain_text(
            "This quarter", timeout=60_000
        )
        browser.close()
