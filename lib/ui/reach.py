"""Reaching a person from a list: their phone, email and LinkedIn as links, the call attempts
so far, one-click attempt outcomes (with Undo) and "Talked" to the conversation form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import streamlit as st

from lib.core.errors import ValidationError, WarmLeadsError
from lib.core.vocab import ATTEMPT_OUTCOME, ATTEMPTS_BEFORE_SWITCH
from lib.core.words import counted, human_date, short_date
from lib.engine.due import warm_intro
from lib.present.pitch import mailto_link, written_intro
from lib.records.calls import log_wrong_number, save_phone, undo_attempt
from lib.records.events import Logged, log_attempt
from lib.records.settings import get_your_name
from lib.ui.data import get_db, query, today
from lib.ui.logged import just_logged, logged_line, logged_outcome, remember
from lib.ui.text import escape_markdown, field_label, markdown_link

_REFUSED = "reach_refused"  # + contact id: why the last outcome on that card was not logged
# Outcomes logged with one click (a call-back needs its day, a wrong number the right one).
QUICK_OUTCOMES: tuple[str, ...] = ("no_answer", "voicemail", "message")
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


def links_line(row: Mapping[str, Any], *, phone: bool = True) -> str | None:
    """`:phone: +1 555 0101 · :mail: ann@… · LinkedIn` as Markdown links, or None (without the
    phone when `phone` is False: a call card shows it as a `tel_button`)."""
    parts = []
    number = markdown_link(row.get("phone"), tel_href(row.get("phone"))) if phone else None
    if number:
        parts.append(":material/call: " + number)
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
    line = f"Tried {count}× · last {short_date(last)}{how}"
    if row.get("call_back_on"):
        line += f" · call back {human_date(row['call_back_on'])}"
    return line


def tel_button(row: Mapping[str, Any], *, container: Any = None, width: str = "stretch") -> bool:
    """The phone as one big `tel:` button (tapping it dials); False when there is no number."""
    href = tel_href(row.get("phone"))
    if href is None:
        return False
    (container or st).link_button(
        escape_markdown(row["phone"]), href, icon=":material/call:", type="primary", width=width
    )
    return True


def _remember(contact_id: int, outcome: str, logged: Logged, call_back_on: date | None) -> None:
    words = ATTEMPT_OUTCOME.short(outcome)
    if call_back_on is not None:
        words += f" {short_date(call_back_on)}"
    remember(contact_id, logged, words, OUTCOME_ICONS[outcome], undo_attempt, outcome=outcome)


def _log(
    contact_id: int,
    outcome: str,
    call_back_on: date | None = None,
    *,
    right_phone: str | None = None,
) -> bool:
    """Log the attempt and show it in place on the card; False when it was refused."""
    try:
        if outcome == "wrong_number":
            logged = log_wrong_number(get_db(), contact_id, right_phone, today=today())
        else:
            logged = log_attempt(
                get_db(), contact_id, outcome, call_back_on=call_back_on, today=today()
            )
    except WarmLeadsError as exc:
        st.session_state[f"{_REFUSED}_{contact_id}"] = _reason(exc)
        return False
    st.session_state.pop(f"{_REFUSED}_{contact_id}", None)
    _remember(contact_id, outcome, logged, call_back_on)
    return True


def _reason(error: WarmLeadsError) -> str:
    """A refusal as a card shows it: `Phone: '12' is not a phone number`."""
    if isinstance(error, ValidationError):
        return f"{field_label(error.field)}: {error.reason}"
    return str(error)


def _refused(contact_id: int) -> None:
    """Why the last outcome on this card was not logged, on the card."""
    reason = st.session_state.get(f"{_REFUSED}_{contact_id}")
    if reason:
        st.warning(escape_markdown(reason), icon=":material/error:")


def attempt_buttons(
    contact_id: int,
    key: str,
    *,
    after: Callable[[str], None] | None = None,
    on_undo: Callable[[], None] | None = None,
) -> None:
    """One button per attempt outcome (the calling session); "wrong number" asks for the
    right number and "asked to call back later" for the day, each in a small popover.

    Each logs the attempt dated today and shows it in place ("Logged: … · Undo" under the
    greyed buttons); `after(outcome)` runs after a successful log, `on_undo` after an Undo.
    """

    def click(
        outcome: str | None, call_back_on: date | None = None, right: str | None = None
    ) -> None:
        if (
            outcome is not None
            and _log(contact_id, outcome, call_back_on, right_phone=right)
            and after is not None
        ):
            after(outcome)

    done = logged_outcome(contact_id)
    row = st.container(horizontal=True)
    for outcome in QUICK_OUTCOMES:
        term = ATTEMPT_OUTCOME[outcome]
        row.button(
            term.label,
            key=f"{key}_{outcome}",
            icon=OUTCOME_ICONS[outcome],
            help=f"Log a call attempt dated today: {term.label.lower()}.",
            on_click=click,
            args=(outcome,),
            disabled=done is not None,
            type="primary" if done == outcome else "secondary",
        )
    for outcome in ASKING_OUTCOMES:
        popover = row.popover(
            ATTEMPT_OUTCOME.label(outcome),
            icon=OUTCOME_ICONS[outcome],
            key=f"{key}_{outcome}_ask",
            disabled=done is not None,
            type="primary" if done == outcome else "secondary",
        )
        with popover:
            _ASK_FORMS[outcome](contact_id, f"{key}_{outcome}", click)
    _refused(contact_id)
    if done is not None:
        logged_line(contact_id, key, on_undo)


def attempt_pills(contact_id: int, key: str) -> None:
    """The attempt outcomes as one row of pills (one widget: Today's long lists stay light).

    Picking one logs the attempt dated today and shows it in place ("Logged: … · Undo"
    under the greyed pills); "asked to call back later" first asks for the day and "wrong
    number" for the right number, in a small form under this row only. While the card says
    another step was just logged (a follow-up), the pills are greyed with none picked.
    """
    asking = f"{key}_asking"
    done = just_logged(contact_id)
    if done is not None:
        st.pills(
            "Called, did not talk",
            ATTEMPT_OUTCOME.order,
            default=done.outcome,
            format_func=lambda outcome: ATTEMPT_OUTCOME.label(outcome),
            key=f"{key}_done",
            disabled=True,
        )
        if done.outcome is not None:
            logged_line(contact_id, key)
        return

    def picked() -> None:
        outcome = st.session_state.get(key)
        st.session_state[key] = None
        if outcome in ASKING_OUTCOMES:
            st.session_state[asking] = outcome
        elif outcome:
            _log(contact_id, outcome)

    st.pills(
        "Called, did not talk",
        ATTEMPT_OUTCOME.order,
        format_func=lambda outcome: ATTEMPT_OUTCOME.label(outcome),
        key=key,
        on_change=picked,
        required=True,  # a second tap on the pill keeps it picked: a double tap logs once
        help="Logs a call attempt dated today with how it ended.",
    )
    outcome = st.session_state.get(asking)
    if outcome in ASKING_OUTCOMES:
        with st.container(border=True):
            _ASK_FORMS[outcome](contact_id, f"{key}_{outcome}", _closing(contact_id, asking))
            _refused(contact_id)
    else:
        _refused(contact_id)


def _closing(contact_id: int, asking: str) -> Callable[..., None]:
    """A form's action that logs, then closes the form (a refusal keeps it open)."""

    def act(
        outcome: str | None, call_back_on: date | None = None, right: str | None = None
    ) -> None:
        if outcome is None or _log(contact_id, outcome, call_back_on, right_phone=right):
            st.session_state.pop(asking, None)

    return act


def _call_back_day(key: str) -> date:
    """The day to call back, in a call-back form: tomorrow unless changed, never before today."""
    tomorrow = today() + timedelta(days=1)
    return st.date_input("Call back on", tomorrow, min_value=today(), key=f"{key}_cb_on", width=220)


def _call_back_form(contact_id: int, key: str, act: Callable[..., None]) -> None:
    """When to call back (tomorrow unless changed); logging or cancelling closes it."""
    with st.form(f"{key}_form", border=False):
        _call_back_day(key)
        buttons = st.container(horizontal=True)
        buttons.form_submit_button(
            LOG_CALL_BACK,
            icon=OUTCOME_ICONS["call_back"],
            type="primary",
            on_click=lambda: act("call_back", st.session_state[f"{key}_cb_on"]),
        )
        buttons.form_submit_button("Cancel", on_click=lambda: act(None))


def _wrong_number_form(contact_id: int, key: str, act: Callable[..., None]) -> None:
    """The right number, if they know it: saving (or "Don't know") logs the wrong number and
    takes it off the card; a number that is not one is refused beside the box."""
    with st.form(f"{key}_form", border=False):
        st.text_input(
            "Their right number",
            key=f"{key}_right",
            placeholder="+1 555 010 2030",
            help="The wrong number is taken off their card and kept in the attempt's notes.",
        )
        buttons = st.container(horizontal=True)
        buttons.form_submit_button(
            "Save the right number",
            icon=OUTCOME_ICONS["wrong_number"],
            type="primary",
            on_click=lambda: act("wrong_number", right=st.session_state.get(f"{key}_right")),
        )
        buttons.form_submit_button("Don't know", on_click=lambda: act("wrong_number"))


# The outcomes that ask one more thing before they are logged, and the form that asks it.
ASKING_OUTCOMES: tuple[str, ...] = ("wrong_number", "call_back")
_ASK_FORMS: dict[str, Callable[[int, str, Callable[..., None]], None]] = {
    "wrong_number": _wrong_number_form,
    "call_back": _call_back_form,
}


def phone_box(contact_id: int, key: str) -> None:
    """A box for the number of someone without one: saved, the card is callable at once; a
    number that is not one is refused with the reason beside the box, and nothing changes."""
    error = f"{key}_error"

    def save() -> None:
        try:
            message = save_phone(get_db(), contact_id, st.session_state.get(f"{key}_phone"))
        except WarmLeadsError as exc:
            st.session_state[error] = exc.reason if isinstance(exc, ValidationError) else str(exc)
        else:
            st.session_state.pop(error, None)
            st.toast(escape_markdown(message), icon=":material/call:")

    with st.form(f"{key}_form", border=False):
        row = st.container(horizontal=True, vertical_alignment="bottom")
        row.text_input(
            "Add their phone number",
            key=f"{key}_phone",
            placeholder="+1 555 010 2030",
            width=220,
        )
        row.form_submit_button("Save the number", icon=":material/call:", on_click=save)
        if st.session_state.get(error):
            st.error(f"Phone: {escape_markdown(st.session_state[error])}", icon=":material/error:")


def switch_channel_hint(
    row: Mapping[str, Any], key: str, *, no_number: bool = False, expanded: bool = False
) -> None:
    """After three calls that did not get through (or, with `no_number`, for someone without a
    phone number): suggest an email or a LinkedIn message.

    The message is built when its expander (`key`) is opened, not on every run of the list;
    `expanded` opens it (the calling session has it ready for someone without a number).
    """
    tried = int(row.get("attempts") or 0)
    callable_ = tel_href(row.get("phone")) is not None
    if tried < ATTEMPTS_BEFORE_SWITCH and (callable_ or not no_number):
        return
    template = written_intro(
        row["full_name"],
        row.get("referrer_name"),
        row.get("may_use_name"),
        query(get_your_name),
        tried=callable_ or tried > 0,
    )
    why = f"{counted(tried, 'call')} without a conversation" if callable_ else "no phone number"
    hint = st.expander(f"{template.title}: {why}", key=key, on_change="rerun", expanded=expanded)
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
    line, tried = intro_and_tries_lines(row)
    if line:
        intro(line)
    if tried:
        st.caption(tried)


def intro_and_tries_lines(row: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The warm-intro line and the "Tried 2× · …" line as escaped Markdown with their icons
    (None for a line that does not apply): Today puts them in one caption with the rest."""
    line = warm_intro(row["referrer_name"], row["may_use_name"])
    if line:
        warm = ":material/local_fire_department: " if row["may_use_name"] else ""
        line = warm + escape_markdown(line)
    tried = tried_line(row)
    if tried:
        icon = OUTCOME_ICONS.get(row.get("last_outcome") or "", OUTCOME_ICONS["no_answer"])
        tried = f"{icon} " + escape_markdown(tried)
    return line, tried
