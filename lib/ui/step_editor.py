"""Correcting a logged step from a person's timeline: pick it, edit or delete it, and confirm
after being told what the change moves (stage, due lists, referrals)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lib.core.errors import NotFoundError, WarmLeadsError
from lib.core.vocab import (
    ATTEMPT_OUTCOME,
    CHANNEL_LABELS,
    CHANNELS,
    EVENT_KINDS,
    EVENT_LABELS,
)
from lib.core.words import counted, human_date
from lib.engine.directory import step_choices
from lib.records import changes, corrections
from lib.store.db import Database
from lib.ui.forms import FieldErrors, flash, form_round
from lib.ui.text import escape_markdown

PENDING = "step_pending"  # the edit or delete waiting for its confirmation

# The fields each kind of step shows besides its kind and date (as Log a step asks them):
# the label of its notes, and whether it has a channel and (a call attempt) an outcome.
_TALK = {"channel": True, "notes": "Notes"}
STEP_FIELDS: dict[str, dict] = {
    "contacted": _TALK,
    "info_interview": _TALK,
    "referral_asked": _TALK,
    "thank_you": _TALK,
    "follow_up": _TALK,
    "opportunity": {"channel": True, "notes": "The lead"},
    "attempt": {"channel": True, "outcome": True, "notes": "Notes"},
    "note": {"notes": "Note"},
}


def step_corrections(db: Database, contact_id: int, timeline: pd.DataFrame, day: date) -> None:
    """The box to pick a logged step from the timeline, then that step's correction form."""
    choices = step_choices(timeline)
    if not choices:
        return
    picked = st.selectbox(
        "Correct or delete a step",
        list(choices),
        index=None,
        format_func=choices.get,
        placeholder="Pick a logged step",
        key=form_round("step").key("timeline", contact_id),
    )
    if picked is not None:
        _correct_step(db, int(picked), day)


def _step_done(message: str) -> None:
    flash(message)
    st.session_state.pop(PENDING, None)
    form_round("step").next()
    st.rerun()


def _correct_step(db: Database, event_id: int, day: date) -> None:
    """Edit or delete one step, after a confirmation that says what moves."""
    try:
        event = corrections.get_event(db, event_id)
    except NotFoundError as exc:
        st.warning(escape_markdown(str(exc)))
        return
    pending = st.session_state.get(PENDING)
    if pending and pending["event"] == event_id:
        _confirm_step(db, event, pending, day)
        return
    with st.container(border=True):
        st.markdown(
            f"**{escape_markdown(EVENT_LABELS.get(event['kind'], event['kind']))}** on "
            f"{human_date(event['occurred_on'])}"
        )
        errors = FieldErrors()
        key = f"step_{event_id}"
        # Outside the form, so that another kind reruns and shows that kind's own fields.
        kind = st.selectbox(
            "Step",
            EVENT_KINDS,
            index=EVENT_KINDS.index(event["kind"]) if event["kind"] in EVENT_KINDS else 0,
            format_func=lambda k: EVENT_LABELS.get(k, k),
            key=f"{key}_kind",
        )
        fields = STEP_FIELDS.get(kind, STEP_FIELDS["contacted"])
        wanted: dict = {"kind": kind}
        with st.form(key):
            on_col, channel_col = st.columns(2)
            wanted["occurred_on"] = on_col.date_input(
                "Date", event["occurred_on"], max_value=day, key=f"{key}_on"
            )
            with on_col:
                errors.slot("occurred_on")
            if "channel" in fields:
                choices = [None, *CHANNELS]
                wanted["channel"] = channel_col.selectbox(
                    "Channel",
                    choices,
                    index=choices.index(event["channel"]) if event["channel"] in choices else 0,
                    format_func=lambda c: "No channel" if c is None else CHANNEL_LABELS[c],
                    key=f"{key}_channel",
                )
            wanted["outcome"] = None
            if "outcome" in fields:
                wanted["outcome"] = st.selectbox(
                    "Outcome",
                    ATTEMPT_OUTCOME.order,
                    index=(
                        ATTEMPT_OUTCOME.order.index(event["outcome"])
                        if event.get("outcome") in ATTEMPT_OUTCOME
                        else 0
                    ),
                    format_func=ATTEMPT_OUTCOME.label,
                    key=f"{key}_outcome",
                    help="How the call attempt ended.",
                )
            wanted["notes"] = st.text_area(
                fields["notes"], event["notes"] or "", key=f"{key}_notes", height=80
            )
            errors.slot("notes")
            errors.slot("*")
            buttons = st.container(horizontal=True)
            save = buttons.form_submit_button("Save changes…", type="primary")
            delete = buttons.form_submit_button("Delete…", icon=":material/delete:")
    if save:
        try:
            corrections.clean_event_edit(event, wanted, today=day)
        except WarmLeadsError as exc:
            errors.show(exc)
            return
        st.session_state[PENDING] = {"event": event_id, "action": "edit", "changes": wanted}
        st.rerun()
    if delete:
        st.session_state[PENDING] = {"event": event_id, "action": "delete"}
        st.rerun()


def _delete_choices(db: Database, event_id: int, label: str) -> tuple[bool, str]:
    """For a delete: the whole conversation or only this step, and its referrals' fate."""
    steps, people = corrections.conversation_of(db, event_id)
    whole = False
    if len(steps) > 1:
        whole = st.radio(
            "Delete",
            [False, True],
            format_func=lambda w: (
                f"The whole conversation ({counted(len(steps), 'step')})"
                if w
                else f"Only this step ({label})"
            ),
            key=f"whole_{event_id}",
        )
    referrals = "keep"
    if people and whole:
        names = ", ".join(p["full_name"] for p in people)
        referrals = st.radio(
            f"The conversation added {counted(len(people), 'referral')}: {escape_markdown(names)}",
            ["keep", "delete"],
            format_func={
                "keep": "Keep them as targets",
                "delete": "Delete them too (only those with no steps of their own)",
            }.get,
            key=f"referrals_{event_id}",
        )
    return whole, referrals


def _confirm_step(db: Database, event: dict, pending: dict, day: date) -> None:
    """Say what the change does (the engine, in a rolled-back transaction); then do it."""
    event_id = event["id"]
    label = EVENT_LABELS.get(event["kind"], event["kind"])
    with st.container(border=True):
        if pending["action"] == "edit":
            whole, referrals = False, "keep"
            question = f"Save the changes to “{label}” on {human_date(event['occurred_on'])}?"
            yes = "Yes, save"
        else:
            whole, referrals = _delete_choices(db, event_id, label)
            what = "the whole conversation" if whole else f"“{label}”"
            question = f"Delete {what} of {human_date(event['occurred_on'])}?"
            yes = "Yes, delete"
        try:
            if pending["action"] == "edit":
                moves = changes.edit_preview(db, event_id, pending["changes"], day)
            else:
                moves = changes.delete_preview(
                    db, event_id, day, whole_conversation=whole, referrals=referrals
                )
        except WarmLeadsError as exc:
            st.error(escape_markdown(str(exc)), icon=":material/error:")
            st.session_state.pop(PENDING, None)
            return
        st.warning(f"{escape_markdown(question)} {escape_markdown(moves)}", icon=":material/help:")
        buttons = st.container(horizontal=True)
        if buttons.button(yes, type="primary", key=f"yes_{event_id}"):
            try:
                if pending["action"] == "edit":
                    done = corrections.edit_event(db, event_id, pending["changes"], today=day)
                else:
                    done = corrections.delete_event(
                        db, event_id, whole_conversation=whole, referrals=referrals
                    )
            except WarmLeadsError as exc:
                st.error(escape_markdown(str(exc)), icon=":material/error:")
                return
            _step_done(done.message)
        if buttons.button("Cancel", key=f"cancel_{event_id}"):
            st.session_state.pop(PENDING, None)
            st.rerun()
