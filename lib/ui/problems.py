"""The page shown instead of the app when the data file cannot be opened."""

from __future__ import annotations

import streamlit as st


def show_database_problem(message: str, *, locked: bool, read_only: bool = False) -> None:
    """A page that says what is wrong with the data file and what to do; then stop."""
    if read_only and locked:
        st.title("Nothing to show yet")
        st.info(message, icon="⏳")
        st.stop()
    st.title("Warm Leads can't open your data")
    st.error(message, icon=":material/error:")
    if read_only:
        st.markdown(
            "This read-only view never changes the file. Start the main app "
            "(`streamlit run app.py`) on the same data, then reload this page."
        )
    elif locked:
        st.markdown(
            "Another Warm Leads window or command has the file open for writing. "
            "Close it (or stop that command), then reload this page. "
            "To look at the data while the main app runs, start a read-only view: "
            "`streamlit run app.py -- --read-only`."
        )
    else:
        st.markdown(
            "Your file has **not** been changed. Restore it from a backup "
            "(`*-backup-*.duckdb` beside it), or start the app on another file with "
            "`WARMLEADS_DB=/path/to/other.duckdb streamlit run app.py`."
        )
    st.stop()
