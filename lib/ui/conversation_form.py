"""The conversation form of Log a step: date, channel, the method's script, referrals, notes.

Log a step draws it for any conversation; the phone-and-mail queue draws it prefilled for a
suggested one. The form only collects: the caller logs (or confirms) what it returns.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from lib.core.validation import EARLIEST_DATE
from lib.core.vocab import CHANNEL_LABELS, CHANNELS
from lib.engine import directory
from lib.records.events import Conversation
from lib.ui.data import query
from lib.ui.forms import FieldErrors
from lib.ui.referrals import asked_label, referral_rows

MORE_ROWS = 3
MAX_ROWS = 15


def when_and_how(
    errors: FieldErrors,
    key: str,
    channel: str | None,
    *,
    day: date,
    on: date | None = None,
    ask_channel: bool = True,
) -> tuple[date, str | None]:
    """The date (today or earlier) and, when asked, the channel: two boxes side by side."""
    on_col, channel_col = st.columns(2)
    picked = on_col.date_input(
        "Date", on or day, min_value=EARLIEST_DATE, max_value=day, key=f"{key}_on"
    )
    with on_col:
        errors.slot("occurred_on")
    how = None
    if ask_channel:
        how = channel_col.selectbox(
            "Channel",
            CHANNELS,
            index=CHANNELS.index(channel if channel in CHANNELS else "phone"),
            format_func=CHANNEL_LABELS.get,
            key=f"{key}_channel",
        )
    return picked, how


def conversation_form(
    contact_id: int | None,
    errors: FieldErrors,
    key: str,
    *,
    day: date,
    on: date | None = None,
    channel: str | None = "phone",
    info_interview: bool = False,
    asked: bool = False,
    submit: str = "Log conversation",
    rows_key: str = "referral_rows",
) -> Conversation | None:
    """Draw the form; return the conversation it describes when the user sends it."""
    rows = st.session_state.get(rows_key, MORE_ROWS)
    with st.form(key):
        on, channel = when_and_how(errors, key, channel, day=day, on=on)
        st.markdown("**What happened, in the order of the method**")
        # Ticked or not as most of your logged conversations were.
        pitch = st.checkbox(
            "Delivered my pitch", value=query(directory.usually_pitched), key=f"{key}_pitch"
        )
        interview = st.checkbox(
            "It was an informational interview", value=info_interview, key=f"{key}_info"
        )
        asked_now = st.checkbox(asked_label(contact_id), value=asked, key=f"{key}_asked")
        st.markdown("**Referrals given** — one person per row; leave the rest empty.")
        referrals = referral_rows(rows, key, errors, grid=True)
        thanked = st.checkbox("Thanked them at the time", key=f"{key}_thanked")
        notes = st.text_area("Notes", key=f"{key}_notes", height=80)
        errors.slot("notes")
        errors.slot("*")
        buttons = st.container(horizontal=True)
        send = buttons.form_submit_button(submit, type="primary")
        add_rows = buttons.form_submit_button("More referral rows", disabled=rows >= MAX_ROWS)
    if add_rows:
        st.session_state[rows_key] = min(MAX_ROWS, rows + MORE_ROWS)
        st.rerun()
    if not send:
        return None
    return Conversation(
        contact_id,
        occurred_on=on,
        channel=channel,
        pitch_delivered=pitch,
        info_interview=interview,
        asked_for_referrals=asked_now,
        referrals=referrals,
        thanked=thanked,
        notes=notes,
    )
