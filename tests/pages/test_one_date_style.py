"""One date style wherever a person reads a date: "Sun 6 Dec 2026" (with a time, "Sun 6 Dec
2026, 14:05") on every page, in the shared view and in the report; never 2026-12-06.
Machine-readable outputs (CSV, JSON, .ics, vCard, stats --json) stay ISO: not checked here."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st

from lib.core.words import DATE_COLUMN_FORMAT, MOMENT_COLUMN_FORMAT, human_date, human_moment
from lib.engine import stats
from lib.io.importing import import_file
from lib.present.report import build_report
from lib.records.contacts import add_contact
from lib.records.duplicates import merge_contacts
from lib.store.db import open_database
from lib.ui.mode import SHARED_VIEW_OPTIONS
from tests.conftest import TODAY
from tests.pagekit import app_pages, by_label, open_page
from tests.support import write_demo

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SHOWN = ("markdown", "caption", "title", "subheader", "header", "info", "success", "warning")
SHOWN += ("error", "text", "table")
LINKEDIN = Path(__file__).parents[1] / "fixtures" / "linkedin_connections.csv"


def iso_dates_shown(at: Any) -> list[str]:
    """Every text the page shows that holds a YYYY-MM-DD date, and every table column of
    dates not formatted in the one style."""
    texts = [str(element.value) for kind in SHOWN for element in getattr(at, kind)]
    texts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    texts += [str(w.label) for kind in ("selectbox", "radio") for w in getattr(at, kind)]
    texts += [
        str(option)
        for kind in ("selectbox", "radio")
        for w in getattr(at, kind)
        for option in w.options
    ]  # already in the words the page shows
    found = [text for text in texts if ISO_DAY.search(text)]
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        for column in frame.value.columns:
            values = frame.value[column]
            if pd.api.types.is_datetime64_any_dtype(values) or any(
                isinstance(v, date) for v in values.dropna().head(5)
            ):
                shown = config.get(str(column), {}).get("type_config", {}).get("format")
                if shown not in (DATE_COLUMN_FORMAT, MOMENT_COLUMN_FORMAT):
                    found.append(f"column {column!r} shown as {shown!r}")
            else:
                found += [str(v) for v in values if ISO_DAY.search(str(v))]
    return found


@pytest.fixture
def busy_file(app_env: Path) -> Path:
    """The demo, one import and one merge: every list of dates has rows."""
    write_demo(app_env)
    db = open_database(app_env)
    import_file(db, LINKEDIN)
    keep = add_contact(db, {"full_name": "Merge Keep", "email": "same@example.com"})
    other = add_contact(db, {"full_name": "Merge Other", "email": "same2@example.com"})
    merge_contacts(db, keep, other)
    db.close()
    return app_env


@pytest.mark.parametrize("page", app_pages())
def test_no_page_shows_an_iso_date(busy_file: Path, page: str) -> None:
    assert iso_dates_shown(open_page(page)) == []


def test_a_persons_page_and_its_step_editor_show_no_iso_date(busy_file: Path) -> None:
    db = open_database(busy_file)
    person, event = db.execute(
        "SELECT c.id, max(e.id) FROM contacts c JOIN events e ON e.contact_id = c.id "
        "WHERE EXISTS (SELECT 1 FROM contacts r WHERE r.referred_by = c.id) "
        "GROUP BY c.id ORDER BY c.id LIMIT 1"
    ).fetchone()
    db.close()
    at = open_page("pages/work/contacts.py", contact=person)
    assert iso_dates_shown(at) == []
    by_label(at.selectbox, "Correct or delete a step").set_value(event)
    at.run()
    assert iso_dates_shown(at) == []


@pytest.fixture
def shared_view(busy_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WARMLEADS_READ_ONLY", "1")
    saved = {key: st.get_option(key) for key in SHARED_VIEW_OPTIONS}
    yield busy_file
    for key, value in saved.items():
        st.set_option(key, value)


@pytest.mark.parametrize("page", ["pages/review/dashboard.py", "pages/review/weekly.py"])
def test_the_shared_view_shows_no_iso_date(shared_view: Path, page: str) -> None:
    assert iso_dates_shown(open_page(page)) == []


def test_the_report_shows_no_iso_date(busy_file: Path) -> None:
    db = open_database(busy_file)
    try:
        page = build_report(db, stats.make_period(as_of=TODAY))
    finally:
        db.close()
    # What a reader sees: the page's text, not the figures' data or the page's code.
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    assert ISO_DAY.findall(text) == []
    assert f"Due as of {human_date(TODAY)}" in text


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (datetime(2026, 12, 6, 14, 5), "Sun 6 Dec 2026, 14:05"),
        ("2026-12-06 09:30:59", "Sun 6 Dec 2026, 09:30"),
        (None, "—"),
    ],
)
def test_a_moment_reads_as_the_day_and_the_time(moment: Any, words: str) -> None:
    assert human_moment(moment) == words
    if isinstance(moment, datetime):
        assert human_date(moment.date()) == "Sun 6 Dec 2026"
