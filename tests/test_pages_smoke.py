"""Every page renders without an exception on an empty and on a demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.io.demo import load_demo
from lib.store.db import open_database

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [
    "pages/work/today.py",
    "pages/work/contacts.py",
    "pages/work/log.py",
    "pages/work/pitch.py",
    "pages/work/data.py",
    "pages/review/dashboard.py",
    "pages/review/weekly.py",
    "pages/review/network.py",
]


def run_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page != "pages/work/today.py":
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_an_empty_database(app_env: Path, page: str) -> None:
    at = run_page(page)
    assert not at.exception, at.exception
    assert at.title, f"{page} shows no title"


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_the_demo_network(app_env: Path, page: str) -> None:
    database = open_database(app_env)
    load_demo(database)
    database.close()
    at = run_page(page)
    assert not at.exception, at.exception
    assert at.title, f"{page} shows no title"
