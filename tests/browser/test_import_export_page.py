"""In a real browser: the export buttons build their files on click, and an upload imports."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Page, expect

from lib.io.exporters import export_csv
from lib.io.importing import apply_import, read_import
from lib.store.db import open_database
from tests.browser.conftest import settle
from tests.support import write_demo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

pytestmark = pytest.mark.browser


@pytest.fixture
def data_page(streamlit_app: Callable[..., str], tmp_path: Path, page: Page) -> Page:
    """The Import & export page of a real `streamlit run app.py` on the demo network."""
    url = streamlit_app(write_demo(tmp_path / "network.duckdb"))
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(url)
    settle(page)
    page.get_by_role("link", name="Import & export").click()
    settle(page)
    return page


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
    data_page.set_input_files("input[type=file]", str(FIXTURES / "linkedin_connections.csv"))
    settle(data_page)
    data_page.get_by_role("button", name="Add 3 targets").click()

    imported = re.compile(r"linkedin_connections\.csv: 3 new contacts, 0 updated, 0 skipped")
    expect(data_page.get_by_text(imported)).to_be_visible(timeout=30_000)
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
