"""Reaching a person from a list: their phone, email and LinkedIn as links, the call attempts
so far, one-click attempt outcomes (with Undo) and "Talked" to the conversation form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.vocab import ATTEMPT_OUTCOME, ATTEMPTS_BEFORE_SWITCH
from lib.core.words import human_date
from lib.engine.due import warm_intro
from lib.present.pitch import mailto_link, written_intro
from lib.records.events import log_attempt
from lib.records.settings import get_your_name
from lib.ui.data import get_db, query, today
from lib.ui.forms import flash
from lib.ui.text import escape_markdown, markdown_link

# Outcomes logged with one click (a call-back needs its day: it has its own small form).
QUICK_OUTCOMES: tuple[str, ...] = ("no_answer", "voicemail", "message", "wrong_number")
LOG_CALL_BACK = "Log the call-back"
OUTCOME_ICONS = {
    "no_answer": ":material/phone_missed:",
    "voicemail": ":material/voicemail:",
    "message": ":material/chat:",
    "wrong_number": ":material/phone_disabled:",
    "call_back": ":material/schedule:",
}


def tel_href(phone: str | None) -> str | None:
    """A `tel:` link for a stored phone number (digits and a leading +, nothing else)."""
    if not phone:
        return None
    digits = "".join(ch for ch in phone.split("x")[0] if ch.isdigit())
    if len(digits) < 3:
        return None
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


def links_line(row: Mapping[str, Any]) -> str | None:
    """`:phone: +1 555 0101 · :mail: ann@… · LinkedIn` as Markdown links, or None."""
    parts = []
    phone = markdown_link(row.get("phone"), tel_href(row.get("phone")))
    if phone:
        parts.append(":material/call: " + phone)
    email = row.get("email")
    mail = markdown_link(email, f"mailto:{quote(email, safe='@')}" if email else None)
    if mail:
        parts.append(":material/mail: " + mail)
    linkedin = markdown_link("LinkedIn", row.get("linkedin_url"))
    if linkedin:
        parts.append(linkedin)
    return " · ".join(parts) or None


def tried_line(row: Mapping[str, Any]) -> str | None:
    """`Tried 2× · last Tue 24 Nov (voicemail)`, or None before the first attempt."""
    count = int(row.get("attempts") or 0)
    if not count:
        return None
    last: date = row["last_attempt"]
    outcome = row.get("last_outcome")
    how = f" ({ATTEMPT_OUTCOME.short(outcome)})" if outcome in ATTEMPT_OUTCOME else ""
    line = f"Tried {count}× · last {last:%a} {last.day} {last:%b}{how}"
    if row.get("call_back_on"):
        line += f" · call back {human_date(row['call_back_on'])}"
    return line


def _log(contact_id: int, outcome: str, call_back_on: date | None = None) -> bool:
    """Log the attempt and keep its confirmation (with Undo); False when it was refused."""
    try:
        logged = log_attempt(
            get_db(), contact_id, outcome, call_back_on=call_back_on, today=today()
        )
    except WarmLeadsError as exc:
        flash(str(exc), kind="warning")
        return False
    flash(logged.message, undo=logged.event_ids)
    return True


def attempt_buttons(
    contact_id: int,
    key: str,
    *,
    after: Callable[[str], None] | None = None,
    call_back_day: bool = False,
) -> None:
    """One button per attempt outcome; with `call_back_day`, "asked to call back later" opens
    a small form for the day (on Today's long lists it is one click, like the others).

    Each click logs the attempt dated today (Undo in the confirmation); `after(outcome)`
    runs after a successful log (the calling session moves on with it).
    """

    def click(outcome: str, call_back_on: date | None = None) -> None:
        if _log(contact_id, outcome, call_back_on) and after is not None:
            after(outcome)

    row = st.container(horizontal=True)
    for outcome in QUICK_OUTCOMES if call_back_day else ATTEMPT_OUTCOME.order:
        term = ATTEMPT_OUTCOME[outcome]
        row.button(
            term.label,
            key=f"{key}_{outcome}",
            icon=OUTCOME_ICONS[outcome],
            help=f"Log a call attempt dated today: {term.label.lower()}.",
            on_click=click,
            args=(outcome,),
        )
    if not call_back_day:
        return
    popover = row.popover(
        ATTEMPT_OUTCOME.label("call_back"), icon=OUTCOME_ICONS["call_back"], key=f"{key}_cb"
    )
    with popover, st.form(f"{key}_call_back_form", border=False):
        day = _call_back_day(key)
        if st.form_submit_button(LOG_CALL_BACK):
            click("call_back", day)
            st.rerun()


def attempt_pills(contact_id: int, key: str) -> None:
    """The attempt outcomes as one row of pills (one widget: Today's long lists stay light).

    Picking one logs the attempt dated today (Undo in the confirmation) and clears the pick;
    "asked to call back later" first asks for the day, in a small form under this row only.
    """
    asking = f"{key}_asking"

    def picked() -> None:
        outcome = st.session_state.get(key)
        st.session_state[key] = None
        if outcome == "call_back":
            st.session_state[asking] = True
        elif outcome:
            _log(contact_id, outcome)

    st.pills(
        "Called, did not talk",
        ATTEMPT_OUTCOME.order,
        format_func=lambda outcome: ATTEMPT_OUTCOME.label(outcome),
        key=key,
        on_change=picked,
        help="Logs a call attempt dated today with how it ended.",
    )
    if st.session_state.get(asking):
        _call_back_form(contact_id, key, asking)


def _call_back_day(key: str) -> date:
    """The day to call back, in a call-back form: tomorrow unless changed, never before today."""
    tomorrow = today() + timedelta(days=1)
    return st.date_input("Call back on", tomorrow, min_value=today(), key=f"{key}_cb_on", width=220)


def _call_back_form(contact_id: int, key: str, asking: str) -> None:
    """When to call back (tomorrow unless changed); logging or cancelling closes it."""
    with st.form(f"{key}_call_back_form"):
        day = _call_back_day(key)
        buttons = st.container(horizontal=True)
        log = buttons.form_submit_button(
            LOG_CALL_BACK, icon=OUTCOME_ICONS["call_back"], type="primary"
        )
        cancel = buttons.form_submit_button("Cancel")
    # A refused call-back keeps the form open under the message that says why.
    if cancel or (log and _log(contact_id, "call_back", day)):
        st.session_state.pop(asking, None)
    if log or cancel:
        st.rerun()


def switch_channel_hint(row: Mapping[str, Any], key: str) -> None:
    """After three calls that did not get through: suggest an email or a LinkedIn message.

    The message is built when its expander (`key`) is opened, not on every run of the list.
    """
    if int(row.get("attempts") or 0) < ATTEMPTS_BEFORE_SWITCH:
        return
    template = written_intro(
        row["full_name"], row.get("referrer_name"), row.get("may_use_name"), query(get_your_name)
    )
    hint = st.expander(
        f"{template.title}: {int(row['attempts'])} calls without a conversation",
        key=key,
        on_change="rerun",
    )
    if not hint.open:
        return
    with hint:
        st.caption(escape_markdown(template.when))
        st.code(template.body, language=None, wrap_lines=True)
        mail = markdown_link(
            "Open it in your email app",
            mailto_link(row.get("email"), template.subject, template.body),
        )
        linkedin = markdown_link("Open their LinkedIn profile", row.get("linkedin_url"))
        links = " · ".join(link for link in (mail, linkedin) if link)
        if links:
            st.markdown(links)
        st.page_link(
            "pages/work/pitch.py", label="Pitch coach", icon=":material/record_voice_over:"
        )


def talked_link(contact_id: int, *, container: Any = None) -> None:
    """ "Talked" → the Log page's conversation form for this person, dated today, by phone."""
    (container or st).page_link(
        "pages/work/log.py",
        label="Talked — log the conversation",
        icon=":material/record_voice_over:",
        query_params={"contact": str(contact_id), "step": "conversation", "channel": "phone"},
    )


def intro_and_tries(row: Mapping[str, Any], *, intro: Callable[[str], Any] = st.caption) -> None:
    """The warm-intro line (or "not cleared to use their name") and "Tried 2× · …" if any."""
    line = warm_intro(row["referrer_name"], row["may_use_name"])
    if line:
        warm = ":material/local_fire_department: " if row["may_use_name"] else ""
        intro(warm + escape_markdown(line))
    tried = tried_line(row)
    if tried:
        st.caption(":material/phone_missed: " + escape_markdown(tried))
