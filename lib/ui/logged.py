"""A step just logged from a card, said on that card: "Logged: no answer · Undo".

The card stays where it was for a few seconds with its buttons greyed, so nothing moves under
the pointer and a second tap at the same spot does nothing (Today's call outcomes and one-click
thank-yous and follow-ups, the Calling session's outcomes); then the page reruns and the card
goes its way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

import streamlit as st

from lib.core.vocab import EVENT_KIND
from lib.records.corrections import undo_events
from lib.records.events import Logged
from lib.store.db import Database
from lib.ui.data import get_db
from lib.ui.text import escape_markdown

LOGGED_SECONDS = 4.0  # how long a card holds still, saying what it logged
_LOGGED = "reach_logged"  # session state: contact id → JustLogged
_STEP_ICON = ":material/check:"


class JustLogged(NamedTuple):
    """What a card says it logged: an attempt's outcome (None for another step), its words,
    icon and events, how to take them back, and when (time.monotonic)."""

    outcome: str | None
    words: str
    icon: str
    event_ids: list[int]
    undo: Callable[[Database, list[int]], object]
    at: float


def just_logged(contact_id: int) -> JustLogged | None:
    """What was logged from this person's card within the last LOGGED_SECONDS, else None."""
    entry = st.session_state.get(_LOGGED, {}).get(contact_id)
    if entry is None or time.monotonic() - entry.at > LOGGED_SECONDS:
        return None
    return entry


def logged_outcome(contact_id: int) -> str | None:
    """The attempt outcome logged for this person within the last LOGGED_SECONDS, else None."""
    entry = just_logged(contact_id)
    return None if entry is None else entry.outcome


def forget_logged(contact_id: int) -> None:
    """Let this person's card show its outcomes again (its "Logged" line goes)."""
    st.session_state.get(_LOGGED, {}).pop(contact_id, None)


def logged_timer() -> None:
    """While a card shows "Logged", rerun the page once its few seconds are up (call last)."""
    if any(just_logged(contact) for contact in list(st.session_state.get(_LOGGED, {}))):
        _expire_logged()


@st.fragment(run_every=1.0)
def _expire_logged() -> None:
    logged = st.session_state.get(_LOGGED, {})
    if not any(just_logged(contact) for contact in list(logged)):
        logged.clear()
        st.rerun(scope="app")


def remember(
    contact_id: int,
    logged: Logged,
    words: str,
    icon: str,
    undo: Callable[[Database, list[int]], object],
    *,
    outcome: str | None = None,
) -> None:
    """Say on this person's card, for LOGGED_SECONDS, what was just logged there."""
    entry = JustLogged(outcome, words, icon, logged.event_ids, undo, time.monotonic())
    st.session_state.setdefault(_LOGGED, {})[contact_id] = entry


def remember_step(contact_id: int, kind: str, logged: Logged) -> None:
    """A one-click step (Today's "Thank-you sent"): its card says "Logged: thank-you sent"."""
    remember(contact_id, logged, EVENT_KIND.label(kind).lower(), _STEP_ICON, undo_events)


def logged_line(contact_id: int, key: str, on_undo: Callable[[], None] | None = None) -> None:
    """ "Logged: no answer · Undo", under the greyed buttons (never where a button was)."""
    entry = st.session_state[_LOGGED][contact_id]

    def undo() -> None:
        entry.undo(get_db(), entry.event_ids)
        forget_logged(contact_id)
        if on_undo is not None:
            on_undo()

    line = st.container(horizontal=True, vertical_alignment="center")
    line.markdown(f"{entry.icon} **Logged: {escape_markdown(entry.words)}** ·", width="content")
    line.button("Undo", key=f"{key}_undo", type="tertiary", icon=":material/undo:", on_click=undo)
