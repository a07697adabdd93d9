"""Today: who to contact, thank and follow up — with the step to log right there."""

import math

import streamlit as st

from lib import logbook
from lib.contacts import count_contacts
from lib.due import (
    LIST_HINTS,
    LIST_TITLES,
    PAGE_SIZE,
    TODAY_LISTS,
    due_page,
    human_date,
    warm_intro,
    why_due,
)
from lib.errors import ValidationError
from lib.ui import contact_link, escape_markdown, flash, get_db, query, show_flash, today, welcome

# The one-click action of each list: (event kind, button label, channel).
QUICK = {
    "thank_you_pending": ("thank_you", "Thank-you sent", "email"),
    "follow_up_due": ("follow_up", "Follow-up sent", "email"),
    "follow_up_overdue": ("follow_up", "Follow-up sent", "email"),
}


def undo(event_ids: list[int]) -> None:
    logbook.undo_events(get_db(), event_ids)
    flash("Undone: the step was removed.", kind="info")


def log_now(kind: str, contact_id: int, channel: str) -> None:
    try:
        logged = logbook.log_step(get_db(), kind, contact_id, channel=channel, today=today())
    except ValidationError as exc:
        flash(str(exc), kind="warning")
    else:
        flash(logged.message, undo=logged.event_ids)


day = today()
if query(count_contacts) == 0:
    show_flash()
    welcome()
    st.stop()

st.title("Today")
st.caption(f"{human_date(day)} — what the method asks of you today.")
show_flash(undo)

pages = {name: st.session_state.get(f"page_{name}", 1) for name in TODAY_LISTS}
rows, counts = query(due_page, day, pages)
for name in TODAY_LISTS:  # a list that shrank keeps its reader on its last page
    last = max(1, math.ceil(counts[name] / PAGE_SIZE))
    if pages[name] > last:
        st.session_state[f"page_{name}"] = last
for column, name in zip(st.columns(4), TODAY_LISTS, strict=True):
    column.metric(LIST_TITLES[name], f"{counts[name]:,}", border=True)

if not any(counts.values()):
    st.success("Nothing is due today. Add new targets or log a conversation to keep going.")

for name in TODAY_LISTS:
    if not counts[name]:
        continue
    st.subheader(f"{LIST_TITLES[name]} · {counts[name]:,}", anchor=name)
    st.caption(LIST_HINTS[name])
    for row in (r for r in rows if r["list"] == name):
        with st.container(border=True):
            who, why, act = st.columns([3, 5, 2], vertical_alignment="center")
            with who:
                contact_link(row["id"], row["full_name"], bold=True)
                place = " · ".join(p for p in (row["title"], row["company"]) if p)
                if place:
                    st.caption(escape_markdown(place))
            with why:
                st.markdown(escape_markdown(why_due(row, day)))
                intro = warm_intro(row["referrer_name"], row["may_use_name"])
                if intro:
                    st.caption(
                        (":material/local_fire_department: " if row["may_use_name"] else "")
                        + escape_markdown(intro)
                    )
            with act:
                if name == "to_contact":
                    st.page_link(
                        "pages/log.py",
                        label="Log conversation",
                        icon=":material/edit_note:",
                        query_params={"contact": str(row["id"]), "step": "conversation"},
                    )
                else:
                    kind, label, channel = QUICK[name]
                    st.button(
                        label,
                        key=f"quick_{name}_{row['id']}",
                        icon=":material/check:",
                        help=f"Logs a {label.lower()} by email, dated today. Use Log a step "
                        "to backfill a date or add notes.",
                        on_click=log_now,
                        args=(kind, row["id"], channel),
                    )
    pages_total = math.ceil(counts[name] / PAGE_SIZE)
    if pages_total > 1:
        st.pagination(pages_total, key=f"page_{name}", width="stretch")
