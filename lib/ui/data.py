"""The process's one connection, a cursor per script run, and queries cached until a write."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from lib.core.errors import DatabaseError, DatabaseLockedError
from lib.core.words import human_moment
from lib.engine.stats import Period
from lib.store import snapshot
from lib.store.db import Database, open_database, open_view, resolve_db_path
from lib.ui.gate import download_guard, still_open
from lib.ui.mode import app_mode
from lib.ui.problems import show_database_problem

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> Database:
    # Keyed by path (cache_resource ignores globals): one writing connection per process.
    return open_database(path)


@st.cache_resource(show_spinner=False, max_entries=1)
def _view(path: str, freshness: tuple) -> Database:
    # Keyed by the files' sizes and times, so the next rerun after a new snapshot opens it.
    # The older view is dropped, not closed: a run still reading it finishes, and its copy
    # closes with its last cursor.
    return open_view(path)


def _root() -> Database:
    """The process's connection (read-only mode: its view of the newest copy); stops on error."""
    mode = app_mode()
    path = resolve_db_path()
    try:
        if mode.read_only:
            return _view(str(path), snapshot.freshness_key(path))
        return _connection(str(path))
    except DatabaseLockedError as exc:
        show_database_problem(str(exc), locked=True, read_only=mode.read_only)
    except DatabaseError as exc:
        show_database_problem(str(exc), locked=False, read_only=mode.read_only)
    raise AssertionError("unreachable")  # show_database_problem stops the script


def get_db() -> Database:
    """A cursor for this script run on the process's one connection; stops the page on error."""
    return _root().cursor()


def _resolve(name: str) -> Callable[..., Any]:
    module, _, attr = name.rpartition(":")
    return getattr(importlib.import_module(module), attr)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(name: str, path: str, version: int, args: tuple, kwargs: tuple) -> Any:
    return _resolve(name)(get_db(), *args, **dict(kwargs))


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call `fn(db, *args)` through Streamlit's cache, refreshed by every committed write."""
    db = _root()
    name = f"{fn.__module__}:{fn.__qualname__}"
    return _cached_call(name, str(db.path), db.data_version, args, tuple(sorted(kwargs.items())))


def start_over() -> Path:
    """Close the process's connection, keep a dated copy of the file, reopen it empty."""
    from lib.store.db import start_over as start_over_file

    root = _root()
    path = root.path
    root.close()  # closes every cursor of it too
    _connection.clear()
    _cached_call.clear()  # a new file starts its data version again
    try:
        return start_over_file(path)
    finally:
        _root()  # open the new, empty file now (or the old one again if nothing moved)


def today() -> date:
    """The day the app works as of (the local date)."""
    return date.today()


LIVE_SECONDS = 3  # how often an open read-only view looks for newer data


def read_only_banner() -> None:
    """The read-only view's banner: "Read-only view — data as of <time>" (or why there is none).

    Below it, "Updated 14:05": a fragment that checks every few seconds whether the data
    changed and then reruns the whole app, so a newer snapshot shows with no click.
    """
    path = resolve_db_path()
    seen = snapshot.freshness_key(path)  # before the view opens: a change after it reruns
    copy = _root().snapshot
    if copy is None:
        return
    note = " Names and details are hidden." if app_mode().redact else ""
    st.info(
        f"Read-only view — data as of {human_moment(copy.as_of)}.{note}",
        icon=":material/visibility:",
    )
    _follow_data(str(path), seen, copy.as_of.astimezone().strftime("%H:%M"))


@st.fragment(run_every=LIVE_SECONDS)
def _follow_data(path: str, seen: tuple, updated: str) -> None:
    # A passphrase changed or removed since: the whole page reruns into the door.
    if snapshot.freshness_key(Path(path)) != seen or not still_open(app_mode()):
        st.rerun(scope="app")
    st.caption(f"Updated {updated}. Newer data shows here by itself.")


def report_download_button(period: Period) -> None:
    """A "Download report" button: the same self-contained HTML file as `lib.cli report`."""
    from lib.present import report  # plotly and the whole engine: only pages offering a report

    root = _root()
    mode = app_mode()
    redact = mode.redact
    still_allowed = download_guard(mode)  # a tab left open after a passphrase change gets nothing

    def build() -> str:
        still_allowed()
        return report.build_report(root.cursor(), period, redact=redact)

    st.download_button(
        "Download report",
        # Built on click, in another thread: it takes its own cursor.
        data=build,
        file_name=report.file_name(period),
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help="One HTML file with the funnel, this week against your goals, the weekly trend, "
        "the multiplier and what is due. It opens offline: send it to your coach or mentor."
        + (" Counts only: no names." if redact else " It names the people who are due."),
    )
