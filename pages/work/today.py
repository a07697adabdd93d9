"""Today: who to contact, thank and follow up — with the step to log right there."""

import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.vocab import DUE_LIST, EVENT_KIND
from lib.core.words import human_date
from lib.engine.due import (
    PAGE_SIZE,
    TODAY_LISTS,
    due_page,
    warm_intro,
    why_due,
)
from lib.records.contacts import count_contacts
from lib.records.events import log_step, undo_events
from lib.ui.close_loop import close_loop_count, close_loop_section
from lib.ui.data import get_db, query, today
from lib.ui.forms import flash, show_flash
from lib.ui.mode import require_writable
from lib.ui.text import escape_markdown
from lib.ui.welcome import remove_demo_control, welcome
from lib.ui.widgets import contact_link, current_page, pager

# The one-click action of each list: (event kind, channel); the button says the kind's label.
QUICK = {
    "thank_you_pending": ("thank_you", "email"),
    "follow_up_due": ("follow_up", "email"),
    "follow_up_overdue": ("follow_up", "email"),
}


def undo(event_ids: list[int]) -> None:
    undo_events(get_db(), event_ids)
    flash("Undone: the step was removed.", kind="info")


def log_now(kind: str, contact_id: int, channel: str) -> None:
    try:
        logged = log_step(get_db(), kind, contact_id, channel=channel, today=today())
    except WarmLeadsError as exc:
        flash(str(exc), kind="warning")
    else:
        flash(logged.message, undo=logged.event_ids)


def due_row(name: str, row: dict) -> None:
    """One person on a due list: who, why, how warm, and the step to log right here."""
    with st.container(border=True):
        who, why = st.columns([2, 3], gap="medium")
        with who:
            contact_link(row["id"], row["full_name"], bold=True)
            place = " · ".join(p for p in (row["title"], row["company"]) if p)
            if place:
                st.caption(escape_markdown(place))
        with why:
            st.markdown(escape_markdown(why_due(row, day)))
            intro = warm_intro(row["referrer_name"], row["may_use_name"])
            if intro:
                warm = ":material/local_fire_department: " if row["may_use_name"] else ""
                st.caption(warm + escape_markdown(intro))
            actions = st.container(horizontal=True, vertical_alignment="center")
            params = {"contact": str(row["id"])}
            if name == "to_contact":
                actions.page_link(
                    "pages/work/log.py",
                    label="Log conversation",
                    icon=":material/edit_note:",
                    query_params={**params, "step": "conversation"},
                )
                return
            kind, channel = QUICK[name]
            label = EVENT_KIND.label(kind)
            actions.button(
                label,
                key=f"quick_{name}_{row['id']}",
                icon=":material/check:",
                help=f"Logs a {label.lower()} by email, dated today.",
                on_click=log_now,
                args=(kind, row["id"], channel),
            )
            actions.page_link(
                "pages/work/log.py",
                label="Another date or notes",
                icon=":material/edit_calendar:",
                query_params={**params, "step": kind},
            )


require_writable()
day = today()
if query(count_contacts) == 0:
    show_flash()
    welcome()
    st.stop()

st.title("Today")
st.caption(f"{human_date(day)} — what the method asks of you today.")
show_flash(undo)
remove_demo_control("today")

rows, counts = query(due_page, day, {name: current_page(name) for name in TODAY_LISTS})
columns = st.columns(len(TODAY_LISTS) + 1)
for column, name in zip(columns, TODAY_LISTS, strict=False):
    column.metric(DUE_LIST.short(name), f"{counts[name]:,}", border=True)
columns[-1].metric(DUE_LIST.short("close_loop"), f"{close_loop_count(day):,}", border=True)

if not any(counts.values()) and not close_loop_count(day):
    st.success("Nothing is due today. Add new targets or log a conversation to keep going.")

for name in TODAY_LISTS:
    if not counts[name]:
        continue
    st.subheader(f"{DUE_LIST.label(name)} · {counts[name]:,}", anchor=name)
    st.caption(DUE_LIST[name].advice)
    for row in (r for r in rows if r["list"] == name):
        due_row(name, row)
    pager(name, counts[name], PAGE_SIZE)
close_loop_section(day)
