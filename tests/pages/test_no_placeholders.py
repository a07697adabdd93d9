"""No page shows "None", "nan" or "NaT" where a value is missing, nor a table cell left null
(unless the table says to show a missing value as an empty cell: a date column that sorts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.pagekit import app_pages, open_page
from tests.support import write_demo

MISSING = re.compile(r"\b(None|nan|NaN|NaT)\b")
SHOWN = ("markdown", "caption", "title", "subheader", "info", "success", "warning", "text")


@pytest.mark.parametrize("page", app_pages())
def test_no_page_shows_a_missing_value_as_a_word(app_env: Path, page: str) -> None:
    write_demo(app_env)
    at = open_page(page)
    texts = [str(element.value) for kind in SHOWN for element in getattr(at, kind)]
    texts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    assert [text for text in texts if MISSING.search(text)] == []
    nulls = {
        (index, column): int(frame.value[column].isna().sum())
        for index, frame in enumerate(at.dataframe)
        if not (frame.proto.HasField("placeholder") and frame.proto.placeholder == "")
        for column in frame.value.columns
        if frame.value[column].isna().any()
    }
    assert nulls == {}
