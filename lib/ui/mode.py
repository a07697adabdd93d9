"""How this process runs: writable or read-only, redacted or not, and the guards that follow."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import streamlit as st

from lib.core.sharing import Mode, ModeError, parse_mode
from lib.ui.text import literal

__all__ = ["Mode", "ModeError", "app_mode", "refuse_to_start", "protect_shared_view"]

_APP = Path(__file__).resolve().parents[2] / "app.py"


def _app_args() -> list[str]:
    # `streamlit run app.py -- --redact` sets sys.argv to ["app.py", "--redact"]. Any other
    # argv (pytest's, under AppTest) belongs to some other program, not to this app.
    if sys.argv and Path(sys.argv[0]).resolve() == _APP:
        return sys.argv[1:]
    return []


def app_mode(argv: list[str] | None = None) -> Mode:
    """The mode from `-- --read-only --redact` or WARMLEADS_READ_ONLY / WARMLEADS_REDACT.

    Raises ModeError for an unknown argument or value (app.py checks first: checked_mode).
    """
    return parse_mode(_app_args() if argv is None else argv, os.environ)


def refuse_to_start(error: ModeError) -> None:
    """The page an unknown flag or setting gets instead of the app (and a line on stderr)."""
    print(f"error: {error}; the app shows nothing until restarted without it", file=sys.stderr)
    st.title("Warm Leads did not start")
    st.error(
        "It was started with a setting it does not understand, so it shows nothing: "
        f"{literal(error)}. To share a read-only view, use `python -m lib.cli share`.",
        icon=":material/block:",
    )
    st.stop()


# A shared view shows viewers no tracebacks (they could quote data) and no developer menu.
SHARED_VIEW_OPTIONS: dict[str, str] = {
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
}


def protect_shared_view() -> None:
    """In read-only mode: generic error messages and the viewer toolbar, whatever was configured.

    The toolbar setting reaches browsers from the next rerun; the error setting at once.
    """
    for key, value in SHARED_VIEW_OPTIONS.items():
        if st.get_option(key) != value:
            st.set_option(key, value)


def require_writable() -> None:
    """Stop a page that writes when this process is a read-only view (it shows a pointer)."""
    if app_mode().read_only:
        st.title("Read-only view")
        st.info(
            "This shared view shows the review pages only (Dashboard, Weekly review, Network); "
            "nothing can be changed here."
        )
        st.stop()
