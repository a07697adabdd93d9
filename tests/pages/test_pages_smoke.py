"""Every page app.py routes to renders without an exception on an empty and on a demo database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.pagekit import app_pages, open_page
from tests.support import write_demo

# Read from app.py, so a page added there is smoke-tested the day it is added. (The parameter is
# `script`, not `page`: pytest-playwright would take `page` for its browser page.)
PAGES = app_pages()


def test_every_page_app_py_routes_to_is_smoke_tested() -> None:
    assert "pages/work/call.py" in PAGES  # the Calling session, once missed by a hand-kept list
    assert len(PAGES) == len(set(PAGES)) >= 9
    assert all((ROOT / page).is_file() for page in PAGES)


@pytest.mark.parametrize("script", PAGES)
def test_page_renders_on_an_empty_database(app_env: Path, script: str) -> None:
    at = open_page(script)
    assert at.title, f"{script} shows no title"


@pytest.mark.parametrize("script", PAGES)
def test_page_renders_on_the_demo_network(app_env: Path, script: str) -> None:
    write_demo(app_env)
    at = open_page(script)
    assert at.title, f"{script} shows no title"
