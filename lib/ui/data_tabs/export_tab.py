"""The Export tab: the three downloads (CSV, vCard, calendar), each built when clicked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from lib.core.words import counted
from lib.io import exporters, reminders
from lib.store.db import Database
from lib.ui.data import query


def export_lines(counts: dict[str, int]) -> dict[str, str]:
    """What each export holds, by format, from `exporters.export_counts`."""
    return {
        "csv": f"**Everything (CSV)**: {counted(counts['contacts'], 'contact')} and "
        f"{counted(counts['events'], 'event')}. Imports back here without loss; opens in any "
        "spreadsheet.",
        "vcard": f"**Contacts (vCard)**: {counted(counts['contacts'], 'card')} for Google "
        "Contacts, Apple Contacts or Outlook.",
        "ics": f"**Reminders (calendar)**: {counted(counts['reminders'], 'reminder')} due "
        "today (follow-ups, thank-yous, referrers to update, call-backs), as all-day events "
        "for Google Calendar, "
        "Apple Calendar or Outlook.",
    }


def _export_button(
    column: Any, title: str, note: str, fmt: str, build: Callable[[], Any], name: str
) -> None:
    """One export: what it holds, and a button that builds the file when clicked."""
    with column:
        st.markdown(title)
        st.caption(note)
        st.download_button(
            f"Download {exporters.FILE_SUFFIXES[fmt]}",
            data=build,
            file_name=name,
            mime=exporters.MIME_TYPES[fmt],
            on_click="ignore",
            icon=":material/download:",
        )


def show(db: Database, day: date) -> None:
    """The three downloads, each built when clicked."""
    counts = query(exporters.export_counts, day)
    st.markdown("Your data leaves as easily as it came. Each file is built when you click.")
    columns = st.columns(3)
    stamp = day.isoformat()
    _export_button(
        columns[0],
        export_lines(counts)["csv"],
        "Cells starting with = + - @ get a leading ' so a spreadsheet shows them as text "
        "instead of running them; importing the file here removes it again.",
        "csv",
        lambda: exporters.export_csv(db.cursor()),
        f"warm-leads-{stamp}.csv",
    )
    _export_button(
        columns[1],
        export_lines(counts)["vcard"],
        "vCard 3.0, one card per contact, archived ones included.",
        "vcard",
        lambda: exporters.export_vcard(db.cursor()),
        f"warm-leads-{stamp}.vcf",
    )
    _export_button(
        columns[2],
        export_lines(counts)["ics"],
        "Each is dated the day it fell due; overdue ones are dated today. A reminder keeps "
        "its ID in later exports, so calendars update it rather than add a copy.",
        "ics",
        lambda: reminders.export_ics(db.cursor(), today=day),
        f"warm-leads-reminders-{stamp}.ics",
    )
