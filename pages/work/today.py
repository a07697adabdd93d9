"""Today: who to contact, thank and follow up — with the step to log right there."""

import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.vocab import COMING_UP, DUE_COUNTED, DUE_LIST, EVENT_KIND
from lib.core.words import counted, human_date, short_date
from lib.engine.due import (
    COMING_UP_DAYS,
    PAGE_SIZE,
    TODAY_LISTS,
    today_lists,
    why_due,
)
from lib.records.contacts import count_contacts
from lib.records.corrections import undo_events
from lib.records.events import log_step
from lib.ui.close_loop import close_loop_count, close_loop_section
from lib.ui.data import get_db, query, today
from lib.ui.forms import flash, show_flash
from lib.ui.logged import just_logged, logged_line, logged_timer, remember_step
from lib.ui.mode import require_writable
from lib.ui.phone_link import phone_qr
from lib.ui.reach import (
    attempt_pills,
    intro_and_tries_lines,
    links_line,
    phone_box,
    switch_channel_hint,
    talked_link,
    tel_button,
    tel_href,
)
from lib.ui.suggestions import today_line
from lib.ui.text import escape_markdown
from lib.ui.welcome import remove_demo_control, welcome
from lib.ui.widgets import (
    add_target_link,
    contact_link,
    current_page,
    list_foot,
    show_all_button,
    shows_all,
)

# The one-click action of each list: (event kind, channel); the button says the kind's label.
QUICK = {
    "thank_you_pending": ("thank_you", "email"),
    "follow_up_due": ("follow_up", "email"),
    "follow_up_overdue": ("follow_up", "email"),
}
# The lists whose people you call: call attempts and "Talked" show on their rows.
CALLED = ("to_contact", "follow_up_due", "follow_up_overdue")
# Cards whose one-click step was just logged: list name → contact id → (position, row).
HELD = "today_held"
# Rows each list (and "Coming up") shows until its "Show all" is pressed: every element costs
# the browser time, and a first visit draws them all before it is ready.
FIRST_ROWS = 3


def undo(event_ids: list[int]) -> None:
    undo_events(get_db(), event_ids)
    flash("Undone: the step was removed.", kind="info")


def log_now(name: str, position: int, row: dict, kind: str, channel: str) -> None:
    """The one-click step: logged, its card stays where it was for a few seconds, saying so."""
    try:
        logged = log_step(get_db(), kind, row["id"], channel=channel, today=today())
    except WarmLeadsError as exc:
        flash(str(exc), kind="warning")
    else:
        remember_step(row["id"], kind, logged)
        st.session_state.setdefault(HELD, {}).setdefault(name, {})[row["id"]] = (position, row)


def with_held(name: str, listed: list[dict]) -> list[dict]:
    """The list's rows with each card whose step was just logged back where it was: the step
    took the person off the list, and the cards below would move up under the pointer."""
    held = st.session_state.get(HELD, {}).get(name, {})
    for contact_id in [c for c in held if just_logged(c) is None]:
        del held[contact_id]  # its few seconds are up (or Undo put the person back)
    rows = [r for r in listed if r["id"] not in held]
    for position, row in sorted(held.values(), key=lambda held_row: held_row[0]):
        rows.insert(position, row)
    return rows


def due_row(name: str, position: int, row: dict) -> None:
    """One person on a due list: who, why, how warm, how to reach them and the step to log.

    A row to call has the phone as a big `tel:` button (or a box to add the number), and its
    outcomes logged in place: the row never moves under the pointer. Few elements a row (why
    and links in one text, place, warm intro and tries in one caption, no columns): Today
    draws every row before its first visit is ready.
    """
    called = name in CALLED
    with st.container(border=True):
        contact_link(row["id"], row["full_name"], bold=True)
        why = escape_markdown(why_due(row, day))
        lines = [p for p in (why, links_line(row, phone=not called)) if p]
        st.markdown("  \n".join(lines))
        place = escape_markdown(" · ".join(p for p in (row["title"], row["company"]) if p))
        notes = [p for p in (place, *intro_and_tries_lines(row)) if p]
        if notes:
            st.caption("  \n".join(notes))
        if called and tel_href(row.get("phone")) is None:
            phone_box(row["id"], f"phone_{name}_{row['id']}")
        row_actions(name, position, row)
        if called:
            attempt_pills(row["id"], f"try_{name}_{row['id']}")
            switch_channel_hint(row, f"write_{name}_{row['id']}")
        step = just_logged(row["id"])
        if step is not None and step.outcome is None:  # "Logged: thank-you sent · Undo"
            logged_line(row["id"], f"quick_{name}_{row['id']}")


def row_actions(name: str, position: int, row: dict) -> None:
    """The phone to tap and the step to log right here: "Talked" for a call, the quick
    thank-you or follow-up (greyed while the card says it was just logged)."""
    actions = st.container(horizontal=True, vertical_alignment="center")
    params = {"contact": str(row["id"])}
    if name in CALLED:
        tel_button(row, container=actions, width="content")
        talked_link(row["id"], container=actions)
    if name not in QUICK:
        return
    kind, channel = QUICK[name]
    label = EVENT_KIND.label(kind)
    actions.button(
        label,
        key=f"quick_{name}_{row['id']}",
        icon=":material/check:",
        help=f"Logs a {label.lower()} by email, dated today.",
        on_click=log_now,
        args=(name, position, row, kind, channel),
        disabled=just_logged(row["id"]) is not None,
    )
    actions.page_link(
        "pages/work/log.py",
        label="Another date or notes",
        icon=":material/edit_calendar:",
        query_params={**params, "step": kind},
    )


def header() -> None:
    """The day, the confirmations, and the ways into the day's work."""
    st.title("Today")
    st.caption(f"{human_date(day)} — what the method asks of you today.")
    show_flash(undo)
    remove_demo_control("today")
    start = st.container(horizontal=True)
    start.page_link("pages/work/call.py", label="Start a calling session", icon=":material/call:")
    add_target_link(start)
    phone_qr()  # while the app serves the Wi-Fi: the address for the phone, as a QR code


def due_lists(rows: list[dict], counts: dict[str, int]) -> None:
    """The four due lists, each a page of people with the step to take (and the count of
    referrers to tell how it went, whose section follows)."""
    shown = {**counts, "close_loop": close_loop_count(day)}
    # Cards of one width that wrap: five in a row on a laptop, two a row on a phone (stacked
    # columns would fill a phone's first screen with counts).
    cards = st.container(horizontal=True)
    for name, count in shown.items():
        cards.metric(DUE_LIST.short(name), f"{count:,}", border=True, width=140)
    lists = {name: with_held(name, [r for r in rows if r["list"] == name]) for name in TODAY_LISTS}
    if not any(shown.values()) and not any(lists.values()):  # (not above a card held still)
        st.success("Nothing is due today. Add new targets or log a conversation to keep going.")
    for name, listed in lists.items():
        if not listed:
            continue
        st.subheader(counted(counts[name], *DUE_COUNTED[name]), anchor=name)
        st.caption(DUE_LIST[name].advice)
        for position, row in enumerate(listed if shows_all(name) else listed[:FIRST_ROWS]):
            due_row(name, position, row)
        list_foot(name, counts[name], FIRST_ROWS, PAGE_SIZE)


def coming_up_section(soon: list[dict]) -> None:
    """People in progress: what falls due in the next 7 days, with the day."""
    st.subheader(f"Coming up (next {COMING_UP_DAYS} days)", anchor="coming_up")
    if not soon:
        st.caption("Nothing falls due in the next week.")
        return
    for item in soon if shows_all("coming_up") else soon[:FIRST_ROWS]:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"**{short_date(item['on'])}**", width=110)
            contact_link(item["id"], item["full_name"])
            st.caption(escape_markdown(COMING_UP.label(item["what"])))
    show_all_button("coming_up", int(soon[0]["total"]), FIRST_ROWS, PAGE_SIZE)
    more = int(soon[0]["total"]) - len(soon)
    if more > 0 and shows_all("coming_up"):
        st.caption(f"… and {more:,} more in the next {COMING_UP_DAYS} days.")


require_writable()
day = today()
if query(count_contacts) == 0:
    show_flash()
    welcome()
    st.stop()

# The page, section by section (each a function, so a new section slots in with one line).
# One pass over the due rules gives the lists' pages, their counts and what comes up next.
rows, counts, soon = query(today_lists, day, {name: current_page(name) for name in TODAY_LISTS})
header()
today_line(day)  # "From your phone and mail · N to confirm" (lib/ui/suggestions.py), when N > 0
due_lists(rows, counts)
close_loop_section(day, FIRST_ROWS)
coming_up_section(soon)
logged_timer()
