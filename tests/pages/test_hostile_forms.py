"""Odd and hostile text typed into the forms (AppTest): refused with nothing written, or
stored exactly as the validation layer cleans it and shown back as typed."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import streamlit as st
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from lib.core.errors import ValidationError
from lib.core.validation import clean_contact, clean_text
from lib.records.contacts import add_contact
from lib.store.db import open_database
from lib.ui.data import _connection
from tests.pagekit import by_label, click, open_page, read_db, shown

ODD = [
    "\u202eevil.exe\u202c",  # right-to-left override
    "مرحبا بالعالم",
    "שלום",
    "👩🏽‍💻🤝",
    "e\u0301\u0301\u0301",  # stacked combining marks
    "a\u200bb\u200dc\ufeff",  # zero-width space, joiner, BOM
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "**bold** _it_ `code` # head",
    "   ",
    "\t\u00a0\u2003",
]
# Anything a keyboard or a paste can put in one line (no surrogates: browsers can't send them).
LINE = hs.one_of(
    hs.sampled_from(ODD),
    hs.lists(
        hs.sampled_from(ODD) | hs.text(hs.characters(exclude_categories=("Cs", "Cc")), max_size=20),
        max_size=4,
    ).map("".join),
)
NOTE = hs.one_of(LINE, hs.just("é" * 10_000), hs.just("x" * 20_001))
FORM_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


EXAMPLES = itertools.count()


@contextmanager
def fresh_app(folder: Path) -> Iterator[Path]:
    """A new database file for one example, with the app pointed at it (and closed after)."""
    path = folder / f"example-{next(EXAMPLES)}" / "network.duckdb"
    path.parent.mkdir()
    before = os.environ.get("WARMLEADS_DB")
    os.environ["WARMLEADS_DB"] = str(path)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield path
    finally:
        _connection(str(path)).close()  # the app's connection: publishes its last snapshot
        st.cache_data.clear()
        st.cache_resource.clear()
        if before is None:
            os.environ.pop("WARMLEADS_DB", None)
        else:
            os.environ["WARMLEADS_DB"] = before


@FORM_SETTINGS
@given(name=LINE, company=LINE)
def test_the_add_target_form_refuses_or_stores_exactly(
    app_env: Path, name: str, company: str
) -> None:
    try:
        expected = clean_contact({"full_name": name, "company": company}, today=date.today())
    except ValidationError as error:
        expected, refusal = None, error
    with fresh_app(app_env.parent) as path:
        at = open_page("pages/work/contacts.py", add=1)
        by_label(at.text_input, "Name *").input(name)
        by_label(at.text_input, "Company").input(company)
        at = click(at, "Add target")
        rows = read_db(path).execute("SELECT full_name, company FROM contacts").fetchall()
    if expected is None:
        assert rows == []
        assert at.success == []
        assert len(at.error) == 1 and refusal.reason in shown(at.error)[0]
    else:
        assert rows == [(expected["full_name"], expected["company"])]
        assert shown(at.success) == [f"Added {expected['full_name']} as a target (#1)."]


@FORM_SETTINGS
@given(note=NOTE)
def test_the_note_form_refuses_or_stores_exactly(app_env: Path, note: str) -> None:
    try:
        expected = clean_text("notes", note, limit=20_000)
    except ValidationError:
        expected = None
    with fresh_app(app_env.parent) as path:
        database = open_database(path)
        ana = add_contact(database, {"full_name": "Ana Ruiz"})
        database.close()
        at = open_page("pages/work/log.py", contact=ana)
        at.segmented_control[0].set_value("note").run()
        by_label(at.text_area, "Note *").input(note)
        at = click(at, "Log note")
        rows = read_db(path).execute("SELECT kind, notes FROM events").fetchall()
    if expected is None:
        assert rows == []
        assert len(at.error) == 1 and shown(at.error)[0].startswith("Notes: ")
    else:
        assert rows == [("note", expected)]
        assert at.error == []
