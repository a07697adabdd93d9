"""How this process runs: writable or read-only, redacted or not, and the guards that follow."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import streamlit as st

_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Mode:
    """How this app process runs: writable or read-only, names shown or redacted."""

    read_only: bool = False
    redact: bool = False


def app_mode(argv: list[str] | None = None) -> Mode:
    """The mode from `-- --read-only --redact` or WARMLEADS_READ_ONLY / WARMLEADS_REDACT."""
    args = sys.argv[1:] if argv is None else argv
    env = os.environ
    redact = "--redact" in args or env.get("WARMLEADS_REDACT", "").lower() in _TRUE
    read_only = "--read-only" in args or env.get("WARMLEADS_READ_ONLY", "").lower() in _TRUE
    return Mode(read_only=read_only or redact, redact=redact)


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
