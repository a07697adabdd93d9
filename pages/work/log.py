"""Log a step: one form per real moment of the method, dated today or backfilled."""

import time

import streamlit as st

from lib.core.errors import NotFoundError, WarmLeadsError
from lib.core.vocab import CHANNELS, LOG_FORM, STAGE_LABELS, STAGES
from lib.engine import directory, due
from lib.records.contacts import count_contacts
from lib.records.corrections import undo_logged
from lib.records.events import (
    SAME_CLICK_SECONDS,
    Logged,
    follow_up_warning,
    log_conversation,
    log_step,
)
from lib.ui.conversation_form import conversation_form as conversation_form_fields
from lib.ui.conversation_form import when_and_how
from lib.ui.data import get_db, query, today
from lib.ui.forms import FieldErrors, flash, form_round, show_flash
from lib.ui.mode import require_writable
from lib.ui.text import escape_markdown
from lib.ui.widgets import add_target_link, contact_link, contact_picker, query_id

require_writable()
db = get_db()
day = today()


def logged(result: Logged, step: str, contact_id: int | None) -> None:
    """Confirm (with Undo), clear the form (a fresh key) and rerun so every list reflects it."""
    st.session_state["log_last"] = {
        "message": result.message,
        "events": result.event_ids,
        "referrals": result.referral_ids,
        "tap": (step, contact_id),
        "at": time.monotonic(),
    }
    if result.warning:
        flash(f"Logged anyway — {result.warning}.", kind="warning")
        st.session_state["just_warned"] = True  # the form's own warning would say it again
    form_round("log").next()
    st.session_state.pop("referral_rows", None)
    st.rerun()


def tapped_again(step: str, contact_id: int | None) -> bool:
    """The same form for the same person just logged, within seconds: the same tap again on
    the form it emptied (a double tap), not a new step. The last confirmation stays; nothing
    is written."""
    last = st.session_state.get("log_last")
    return bool(
        last
        and last.get("tap") == (step, contact_id)
        and time.monotonic() - last["at"] < SAME_CLICK_SECONDS
    )


def undo_last() -> None:
    last = st.session_state.pop("log_last", None)
    if last:
        try:
            flash(undo_logged(get_db(), last["events"], last["referrals"]), kind="info")
        except WarmLeadsError as exc:
            flash(str(exc), kind="warning")


def last_submit() -> None:
    """The last submit's confirmation, with Undo for as long as the user stays on this page."""
    last = st.session_state.get("log_last")
    if not last:
        return
    box = st.container(horizontal=True, vertical_alignment="center")
    box.success(escape_markdown(last["message"]), icon=":material/check:", width="stretch")
    box.button(
        "Undo",
        key="undo_last_submit",
        on_click=undo_last,
        help="Takes back this submit: its steps and any referrals it added.",
    )


def conversation_form(contact_id: int | None, errors: FieldErrors, key: str) -> None:
    wanted_channel = st.query_params.get("channel")
    talk = conversation_form_fields(
        contact_id,
        errors,
        key,
        day=day,
        channel=wanted_channel if wanted_channel in CHANNELS else "phone",
    )
    if talk is not None and not tapped_again("conversation", contact_id):
        try:
            result = log_conversation(db, talk, today=day)
        except WarmLeadsError as exc:
            errors.show(exc)
        else:
            logged(result, "conversation", contact_id)


def step_form(step: str, contact_id: int | None, errors: FieldErrors, key: str) -> None:
    just_warned = st.session_state.pop("just_warned", False)
    if step == "follow_up" and contact_id is not None and not just_warned:
        warning = follow_up_warning(db, contact_id, day)
        if warning:
            st.warning(
                f"If you send it today: {warning}. You can still log it.",
                icon=":material/schedule:",
            )
    with st.form(key):
        on, channel = when_and_how(
            errors,
            key,
            "other" if step == "opportunity" else "email",
            day=day,
            ask_channel=step != "note",
        )
        label = {"opportunity": "The lead *", "note": "Note *"}.get(step, "Notes")
        notes = st.text_area(label, key=f"{key}_notes", height=100)
        errors.slot("notes")
        errors.slot("*")
        send = st.form_submit_button(f"Log {LOG_FORM.label(step).lower()}", type="primary")
    if send and not tapped_again(step, contact_id):
        try:
            result = log_step(
                db, step, contact_id, occurred_on=on, channel=channel, notes=notes, today=day
            )
        except WarmLeadsError as exc:
            errors.show(exc)
        else:
            logged(result, step, contact_id)


def summary(contact_id: int) -> None:
    """Where this contact stands, so the right step is logged."""
    try:
        card = query(directory.contact_card, contact_id, day)
    except NotFoundError:
        return
    stage = STAGE_LABELS[STAGES[int(card["stage"]) - 1]]
    nexts = "; ".join(step.action.lower() for step in due.next_steps(db, card, day))
    st.caption(f"{escape_markdown(card['full_name'])} — {stage}. Next: {escape_markdown(nexts)}.")
    intro = due.warm_intro(card["referrer_name"], card["may_use_name"])
    if intro:
        st.caption(
            (":material/local_fire_department: " if card["may_use_name"] else "")
            + escape_markdown(intro)
        )


# Widget state lives only while its page is shown: no "log_step" means the user left and came
# back, so the last submit's Undo is gone (it is offered while they stay on this page).
if "log_step" not in st.session_state:
    st.session_state.pop("log_last", None)
st.title("Log a step")
show_flash()
last_submit()
if query(count_contacts) == 0:
    st.info("Nobody to log a step for yet: add your first target.")
    add_target_link()
    st.stop()

errors = FieldErrors()
contact_id = contact_picker("Contact", "log_contact", selected=query_id("contact"))
errors.slot("contact_id")
if contact_id is not None:
    if contact_id != query_id("contact"):
        st.query_params["contact"] = str(contact_id)
    summary(contact_id)
    contact_link(contact_id, "Open their page", icon=":material/person:")

wanted = st.query_params.get("step")
step = st.segmented_control(
    "What happened?",
    LOG_FORM.order,
    default=wanted if wanted in LOG_FORM else "conversation",
    format_func=LOG_FORM.label,
    required=True,
    key="log_step",
)
st.caption(LOG_FORM[step].help)
form_key = form_round("log").key(step)
if step == "conversation":
    conversation_form(contact_id, errors, form_key)
else:
    step_form(step, contact_id, errors, form_key)
