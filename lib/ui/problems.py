"""The pages shown instead of the app when the data file cannot be opened or a page fails."""

from __future__ import annotations

import sys
import traceback

import streamlit as st
from streamlit import config

from lib.ui.text import escape_markdown


def show_database_problem(message: str, *, locked: bool, read_only: bool = False) -> None:
    """A page that says what is wrong with the data file and what to do; then stop.

    The shared (read-only) view names no file or folder: the message, which may hold the
    data's path, goes to the terminal that started it.
    """
    if read_only:
        print(f"warning: the read-only view shows no data: {message}", file=sys.stderr, flush=True)
        if locked:
            st.title("Nothing to show yet")
            st.info(
                "The main app is starting and has not shared its data yet. "
                "Reload this page in a moment.",
                icon=":material/hourglass_top:",
            )
            st.stop()
        st.title("Nothing to show")
        st.error(
            "This read-only view cannot read the data: there is none yet, or the file "
            "cannot be opened. The details are in the terminal that started it.",
            icon=":material/error:",
        )
        st.markdown(
            "This view never changes the data. Once the main app has opened it "
            "(`streamlit run app.py`), reload this page."
        )
        st.stop()
    st.title("Warm Leads can't open your data")
    st.error(escape_markdown(message), icon=":material/error:")  # a path may hold `_` or `*`
    if locked:
        st.markdown(
            "Another Warm Leads window or command has the file open for writing. "
            "Close it (or stop that command), then reload this page. "
            "To look at the data while the main app runs, start a read-only view: "
            "`python -m lib.cli share`."
        )
    else:
        st.markdown(
            "Your file has **not** been changed. Restore it from a backup "
            "(`*-backup-*.duckdb` beside it), or start the app on another file with "
            "`WARMLEADS_DB=/path/to/other.duckdb streamlit run app.py`."
        )
    st.stop()


def _under_apptest() -> bool:
    return bool(config.get_option("global.appTest"))  # st.get_option misses AppTest's patch


def show_unexpected_error(exc: Exception) -> None:
    """A friendly page for an error nobody foresaw: no traceback, no path; details on stderr.

    Under Streamlit's AppTest the error is raised again, so a test sees the page fail.
    """
    if _under_apptest():
        raise exc
    print("error: a page failed:", file=sys.stderr)
    traceback.print_exception(exc, file=sys.stderr)
    st.title("Something went wrong")
    st.error(
        "This page stopped because of an error in Warm Leads. Your data has not been changed "
        "by the part that failed. Reload the page to try again; the details are in the "
        "terminal that started the app.",
        icon=":material/error:",
    )
