"""kill -9 of the running app during adds made through the Contacts page: every add the page
acknowledged is in the file with exactly the values typed, and the file opens.

The trial itself lives in bench/kill9_app.py, which runs twenty of them.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from playwright.sync_api import Page

from bench.kill9_app import run_trial
from tests.browser.conftest import AppServers

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("trial", "adds", "mid_submit"),
    [(0, 2, False), (1, 1, True), (2, 3, True)],
    ids=["after-ack", "mid-submit", "mid-submit-after-three"],
)
def test_kill_9_of_the_app_loses_no_acknowledged_add(
    page: Page, streamlit_app: AppServers, tmp_path: Path, trial: int, adds: int, mid_submit: bool
) -> None:
    path = tmp_path / "network.duckdb"
    url = streamlit_app(path)
    process = streamlit_app.app(url).process

    result = run_trial(
        page, url, process, path, trial=trial, adds=adds, mid_submit=mid_submit,
        rng=random.Random(trial),
    )  # fmt: skip

    assert result.error is None
    assert len(result.acknowledged) == adds
    assert result.lost == []
    assert result.stray == []
    # What is there is exactly what was acknowledged, plus at most the add in flight, whole.
    assert result.found[:adds] == result.acknowledged
    assert result.found in (result.typed[:adds], result.typed[: adds + 1])
