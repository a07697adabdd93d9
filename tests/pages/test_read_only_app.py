"""The read-only app runs beside the main app: it reads the snapshot and never writes the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sharing_helpers import REVIEW_PAGES, banner, funnel_counts, run_page, sent_bytes
from writer_process import Writer

from lib.store.db import open_database
from lib.ui.mode import SHARED_VIEW_OPTIONS
from tests.conftest import TODAY
from tests.support import digest, write_demo


@pytest.fixture
def read_only_app(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app in read-only mode on the test's database; shared-view options restored after."""
    monkeypatch.setenv("WARMLEADS_READ_ONLY", "1")
    saved = {key: st.get_option(key) for key in SHARED_VIEW_OPTIONS}
    yield app_env
    for key, value in saved.items():
        st.set_option(key, value)


@pytest.fixture
def demo_file(read_only_app: Path) -> Path:
    """The demo network (50 people) written and closed, as the main app leaves it."""
    return write_demo(read_only_app, TODAY)


@pytest.fixture
def writer(demo_file: Path) -> Iterator[Writer]:
    """The main app's process: it holds the file open for writing the whole test."""
    process = Writer(demo_file)
    yield process
    process.stop()


@pytest.mark.parametrize("page", REVIEW_PAGES)
def test_every_page_reads_the_snapshot_while_the_main_app_writes(
    demo_file: Path, writer: Writer, page: str
) -> None:
    writer.add("Zoe Added-In-The-Main-App")
    writer.send("wait")
    before = digest(demo_file)
    at = run_page(page)
    assert not at.exception, at.exception
    assert at.title, f"{page} shows no title"
    if page == "pages/review/dashboard.py":
        assert banner(at).startswith("Read-only view — data as of ")
        assert funnel_counts(at)[0] == 51  # the 50 demo people and the one just added
    assert digest(demo_file) == before


@pytest.mark.parametrize("page", REVIEW_PAGES)
def test_every_page_reads_the_data_when_no_app_runs(demo_file: Path, page: str) -> None:
    before = digest(demo_file)
    at = run_page(page)
    assert not at.exception, at.exception
    assert at.title, f"{page} shows no title"
    if page == "pages/review/dashboard.py":
        assert banner(at) is not None
        assert funnel_counts(at)[0] == 50
    assert digest(demo_file) == before


def test_a_write_in_the_main_app_shows_after_the_next_rerun(
    demo_file: Path, writer: Writer
) -> None:
    at = run_page("pages/review/dashboard.py")
    assert funnel_counts(at)[0] == 50
    writer.add("Nadia New-Target")
    writer.send("wait")
    at.run()
    assert not at.exception, at.exception
    assert funnel_counts(at)[0] == 51


def test_with_no_data_file_the_view_says_how_to_start_and_names_no_path(
    read_only_app: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    at = run_page("pages/review/dashboard.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Nothing to show"
    assert at.error[0].value.startswith("This read-only view cannot read the data: there is none")
    assert "`streamlit run app.py`" in at.markdown[0].value
    shown = sent_bytes(at).decode("utf-8", "replace")
    assert str(read_only_app.parent) not in shown and "network.duckdb" not in shown
    assert f"no database at {read_only_app}" in capfd.readouterr().err  # told to the owner
    assert not read_only_app.exists()  # a read-only view never creates the file


def test_a_writer_without_a_snapshot_gets_a_clear_wait_message(read_only_app: Path) -> None:
    open_database(read_only_app).close()
    (read_only_app.with_name("network.snapshot.duckdb")).unlink()
    raw = Writer(read_only_app, raw=True)  # holds the lock, publishes nothing
    try:
        at = run_page("pages/review/dashboard.py")
    finally:
        raw.stop()
    assert not at.exception, at.exception
    assert at.title[0].value == "Nothing to show yet"
    assert at.info[0].value == (
        "The main app is starting and has not shared its data yet. Reload this page in a moment."
    )
    assert "snapshot" not in sent_bytes(at).decode("utf-8", "replace")  # no file names


@pytest.mark.parametrize("page", REVIEW_PAGES)
def test_no_control_on_a_read_only_page_changes_the_data(
    demo_file: Path, writer: Writer, page: str
) -> None:
    before = digest(demo_file)
    at = run_page(page)
    assert not at.get("file_uploader"), f"{page} offers an upload"
    editable = [frame for frame in at.dataframe if frame.proto.editing_mode != 0]
    assert not editable, f"{page} offers an editable table"
    for index in range(len(at.button)):
        at.button[index].click().run()
        assert not at.exception, at.exception
    assert writer.send("wait") == "done"  # the main app is still there, untroubled
    assert digest(demo_file) == before


def test_the_shared_view_hides_error_details_and_the_developer_menu(demo_file: Path) -> None:
    run_page("pages/review/dashboard.py")
    assert st.get_option("client.showErrorDetails") == "none"
    assert st.get_option("client.toolbarMode") == "viewer"
