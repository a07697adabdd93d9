"""Helpers for the AppTest page tests: open a page, find widgets by label, read what it shows."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from lib.store.db import Database, open_database

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def app_pages() -> list[str]:
    """Every page script app.py routes to (each `st.Page("pages/…")`), in its order."""
    calls = [
        node
        for node in ast.walk(ast.parse(Path(APP).read_text(), APP))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "Page"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    return [call.args[0].value for call in sorted(calls, key=lambda call: call.lineno)]


def open_page(page: str, **query_params: Any) -> AppTest:
    """Run the app, switch to `page` with these URL parameters, and return it."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for key, value in query_params.items():
        at.query_params[key] = str(value)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def unescape(text: str) -> str:
    """Markdown-escaped text back to what the reader sees."""
    return re.sub(r"\\(.)", r"\1", text)


def shown(elements: Any) -> list[str]:
    """The texts a list of elements (success, error, caption, markdown…) shows."""
    return [unescape(str(element.value)) for element in elements]


def shown_lines(elements: Any) -> list[str]:
    """The lines those elements show: a caption or text that joins lines ("  \n") gives each."""
    return [line for text in shown(elements) for line in text.split("  \n")]


def by_label(widgets: Any, label: str) -> Any:
    """The one widget with this label."""
    found = [widget for widget in widgets if widget.label == label]
    assert len(found) == 1, f"{len(found)} widgets labelled {label!r}"
    return found[0]


def click(at: AppTest, label: str) -> AppTest:
    """Click the button (or form submit button) with this label and rerun."""
    by_label(at.button, label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def pick_contact(at: AppTest, contact_id: int | None, label: str = "Contact") -> AppTest:
    """Choose a contact in a picker (search + select) and rerun."""
    by_label(at.selectbox, label).set_value(contact_id)
    at.run()
    assert not at.exception, at.exception
    return at


def read_db(path: Path) -> Database:
    """Open the test's database file (after the app has released it)."""
    return open_database(path)
