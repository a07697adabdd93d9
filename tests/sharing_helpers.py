"""Helpers for the read-only and redaction tests: run the app read-only, read what it sent."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# What a test script run keeps for the test to use after the run (AppTest.from_function).
KEPT: list[Any] = []
# The whole read-only view: every page app.py lists in read-only mode.
REVIEW_PAGES = ["pages/review/dashboard.py", "pages/review/weekly.py", "pages/review/network.py"]


def run_page(page: str) -> AppTest:
    """Run the app (its default page first, as a browser would), then switch to `page`."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page != REVIEW_PAGES[0]:
        at.switch_page(page).run()
    return at


def protos(node: Any) -> Iterator[Any]:
    """Every element and block message the app sent, depth first."""
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield proto
    for child in getattr(node, "children", {}).values():
        yield from protos(child)


def sent_bytes(at: AppTest) -> bytes:
    """Everything the page sent to the browser: text, tables (Arrow), chart specs, help."""
    return b"\n".join(proto.SerializeToString() for proto in protos(at._tree))


def _numbers(values: Any) -> list[float]:
    if isinstance(values, dict) and "bdata" in values:  # plotly 7 packs arrays as base64
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def funnel_counts(at: AppTest) -> list[float] | None:
    """The bars of the first funnel chart on the page, or None when it shows none."""
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            if trace.get("type") == "funnel":
                return _numbers(trace["x"])
    return None


def banner(at: AppTest) -> str | None:
    """The read-only banner's text, or None."""
    for info in at.info:
        if info.value.startswith("Read-only view"):
            return info.value
    return None
