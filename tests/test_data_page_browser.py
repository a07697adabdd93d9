"""In a real browser: the export buttons build their files on click, and an upload imports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from lib.db import open_database
from lib.demo import load_demo
from lib.exporters import export_csv
from lib.importing import apply_import, read_import

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
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
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real `streamlit run app.py` on the demo network: (its URL, the database file)."""
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
        yield url, path
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def data_page(served: tuple[str, Path]):
    """The Import & export page, open in Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        tab = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        tab.goto(served[0])
        settle(tab)
        tab.get_by_role("link", name="Import & export").click()
        settle(tab)
        yield tab
        browser.close()


def settle(tab) -> None:
    time.sleep(0.5)
    tab.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)


def download(tab, label: str) -> tuple[str, bytes]:
    with tab.expect_download(timeout=60_000) as info:
        tab.get_by_role("button", name=label).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_the_downloaded_csv_imports_back_without_loss_and_the_ics_parses(data_page, tmp_path: Path):
    data_page.get_by_role("tab", name="Export").click()
    settle(data_page)

    csv_name, csv_data = download(data_page, "Download .csv")
    ics_name, ics_data = download(data_page, "Download .ics")

    assert csv_name.startswith("warm-leads-") and csv_name.endswith(".csv")
    copy = open_database(tmp_path / "copy.duckdb")
    apply_import(copy, read_import(csv_data))
    assert export_csv(copy) == csv_data
    copy.close()
    assert ics_name.endswith(".ics")
    assert len(list(icalendar.Calendar.from_ical(ics_data).walk("VEVENT"))) > 0


def test_an_uploaded_connections_file_is_previewed_and_imported(data_page):
    from playwright.sync_api import expect

    data_page.set_input_files("input[type=file]", str(FIXTURES / "linkedin_connections.csv"))
    settle(data_page)
    data_page.get_by_role("button", name="Add 3 targets").click()

    expect(
        data_page.get_by_text("linkedin_connections.csv: 3 new, 0 updated, 0 skipped")
    ).to_be_visible(timeout=30_000)
    # The app holds the file open for writing, so ask it: the same file again adds nobody.
    settle(data_page)
    data_page.set_input_files("input[type=file]", str(FIXTURES / "linkedin_connections.csv"))
    settle(data_page)
    # Stale elements of the last run linger until the new run ends: wait for the new values.
    expect(data_page.locator("[data-testid=stMetric]").nth(2)).to_contain_text("3", timeout=30_000)
    metrics = data_page.locator("[data-testid=stMetric]").all_inner_texts()
    assert [[line for line in m.split("\n") if line] for m in metrics] == [
        ["New people", "0"],
        ["Known, with new details", "0"],
        ["Already up to date", "3"],
        ["Left out", "0"],
    ]
