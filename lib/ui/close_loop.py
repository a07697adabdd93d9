"""Today's "tell them how it went" list, and the Dashboard's "Loops closed" card.

A referrer whose referral you have reached hears back from you: the row names the referrals
reached since you last wrote, and one click opens the update already written, to send as a
thank-you or a follow-up and log right there.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.vocab import DUE_COUNTED, DUE_LIST, EVENT_KIND, LOOPS_CLOSED, UPDATE_KINDS
from lib.core.words import counted, human_date
from lib.engine import loops
from lib.engine.due import PAGE_SIZE  # a page of any of Today's lists, once "Show all" is pressed
from lib.engine.stats import Scope
from lib.present import pitch
from lib.records import settings
from lib.records.events import follow_up_warning, log_step
from lib.ui.data import get_db, query
from lib.ui.forms import flash
from lib.ui.reach import links_line
from lib.ui.referrals import aim
from lib.ui.text import escape_markdown
from lib.ui.widgets import contact_link, current_page, list_foot, shows_all

LIST = "close_loop"


def close_loop_count(day: date) -> int:
    """How many referrers are on the list as of `day` (for Today's metrics)."""
    return query(loops.open_loops, day, page=1, page_size=1)[1]


def _log_update(kind: str, referrer_id: int, day: date) -> None:
    try:
        logged = log_step(get_db(), kind, referrer_id, channel="email", today=day)
    except WarmLeadsError as exc:
        flash(str(exc), kind="warning")
        return
    flash(logged.message, undo=logged.event_ids)
    if logged.warning:
        flash(f"Logged anyway — {logged.warning}.", kind="warning")


def _loop_row(loop: loops.OpenLoop, day: date, your_name: str) -> None:
    """One referrer: who, how to reach them, what their referrals led to, the update to write
    (few elements, no columns: Today draws every row before its first visit is ready)."""
    with st.container(border=True):
        contact_link(loop.id, loop.full_name, bold=True)
        links = links_line(
            {"phone": loop.phone, "email": loop.email, "linkedin_url": loop.linkedin_url}
        )
        if links:
            st.markdown(links)
        spoke = loops.spoke_with(loop.referrals)
        st.markdown(escape_markdown(spoke[0].upper() + spoke[1:] + "."))
        happened = [
            f"{r.full_name}: {loops.what_happened(r)}"
            for r in loop.referrals
            if loops.what_happened(r)
        ]
        last = (
            f"You last wrote to them on {human_date(loop.last_update)}."
            if loop.last_update
            else "You have not written to them since they referred you."
        )
        notes = [
            escape_markdown(note) for note in (loop.company, " · ".join(happened), last) if note
        ]
        st.caption("  \n".join(notes))
        # Built only when opened: the message and its buttons cost a list of many
        # referrers (and the first visit the code viewer's script) nothing until then.
        update = st.expander(
            "Write the update", icon=":material/mail:", key=f"loop_{loop.id}", on_change="rerun"
        )
        if update.open:
            with update:
                _update_message(loop, day, your_name)


def _update_message(loop: loops.OpenLoop, day: date, your_name: str) -> None:
    """The written update: thank-you or follow-up, the text to copy, and the step to log."""
    kind = st.segmented_control(
        "Send it as",
        UPDATE_KINDS,  # the user picks: a thank-you or a follow-up
        format_func=EVENT_KIND.short,
        default="thank_you",
        required=True,
        key=f"loop_kind_{loop.id}",
    )
    message = pitch.update_message(loop.full_name, loop.referrals, kind, your_name, aim(loop.id))
    st.text(f"Subject: {message.subject}")
    st.code(message.body, language=None, wrap_lines=True)
    warning = follow_up_warning(get_db(), loop.id, day) if kind == "follow_up" else None
    if warning:
        st.warning(escape_markdown(f"If you send it today: {warning}."))
    actions = st.container(horizontal=True, vertical_alignment="center")
    link = pitch.mailto_link(loop.email, message.subject, message.body)
    if link:
        actions.link_button("Open in your email app", link, icon=":material/mail:")
    label = EVENT_KIND.label(kind)
    actions.button(
        f"Log: {label.lower()} today",
        key=f"loop_log_{loop.id}",
        icon=":material/check:",
        type="primary",
        help=f"Logs a {label.lower()} to {escape_markdown(loop.full_name)} by email, dated today.",
        on_click=_log_update,
        args=(kind, loop.id, day),
    )


def close_loop_section(day: date, first: int) -> None:
    """Today's list of referrers to tell how it went (nothing when nobody is owed an update):
    its `first` rows until its "Show all" is pressed, like Today's other lists."""
    page, size = (current_page(LIST), PAGE_SIZE) if shows_all(LIST) else (1, first)
    found, total = query(loops.open_loops, day, page=page, page_size=size)
    if not total:
        return
    st.subheader(counted(total, *DUE_COUNTED[LIST]), anchor=LIST)
    st.caption(DUE_LIST[LIST].advice)
    your_name = query(settings.get_your_name)
    for loop in found:
        _loop_row(loop, day, your_name)
    list_foot(LIST, total, first, PAGE_SIZE)


def loops_closed_card(scope: Scope) -> None:
    """The Dashboard's card: of the referrals reached in the period, how many referrers heard."""
    figure = query(loops.loops_closed, scope)
    st.metric(
        LOOPS_CLOSED.label,
        loops.loops_value(figure),
        loops.loops_note(figure),
        delta_color="off",
        delta_arrow="off",
        help=LOOPS_CLOSED.help,
        border=True,
    )
