"""The phone-and-mail queue: upload call logs, sent mail and calendars, then confirm, change or
dismiss the steps they suggest, a day and a person at a time; and Today's line that leads here.

Every write is one `lib.records.suggestions` action and comes back with Undo (a token in the
session names what its Undo takes back: reopened suggestions, or a change set back).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import groupby
from typing import Any

import streamlit as st

from lib.core.errors import ValidationError, WarmLeadsError
from lib.core.validation import EARLIEST_DATE
from lib.core.vocab import ATTEMPT_OUTCOME, CHANNEL_LABELS, EVENT_KIND
from lib.core.words import counted, human_date
from lib.records.settings import get_setting
from lib.records.suggestions import (
    CALLED_BACK,
    called_back,
    change,
    confirm,
    confirm_attempts,
    count_to_confirm,
    dismiss,
    list_suggestions,
    undo,
)
from lib.store.db import Database
from lib.ui.data import get_db, query
from lib.ui.forms import FieldErrors, flash, form_round
from lib.ui.text import escape_markdown
from lib.ui.widgets import contact_link, wrapping

QUEUE_PAGE = "pages/work/suggestions.py"
TALK_KINDS = ("contacted", "info_interview", "referral_asked")  # confirmed through the form
SHOWN = 60  # suggestions drawn at once; confirming them brings the next ones
CALLED_BACK_SHOWN = 5  # missed calls named on Today
# An attempt's outcomes the queue offers: a call-back needs its day, set from the call card.
OUTCOMES = tuple(o for o in ATTEMPT_OUTCOME.order if o != "call_back")
_UNDO = "queue_undo"  # token → what its Undo takes back
_TALKING = "queue_talking"  # the suggestion whose conversation form is open
_CHANGING = "queue_changing"  # the suggestion whose change form is open
_PROBLEMS = "queue_upload_problems"  # the files an upload refused, shown after the rerun
FILES_HELP = (
    "The phone's call log (SMS Backup & Restore's calls XML, or a CSV), your sent mail "
    "(Gmail Takeout's or Thunderbird's mbox, or .eml files) and your calendar (.ics). Each "
    "file is read here, on this computer; only calls, mail and meetings with people in your "
    "network become suggestions, and nothing is logged until you confirm it."
)


def queue_title(count: int) -> str:
    """ "From your phone and mail · 14 to confirm"."""
    return f"From your phone and mail · {counted(count, 'to confirm', 'to confirm')}"


def today_line(day: date) -> None:
    """Today's way in: the queue's link when something waits, and who called you back."""
    count = query(count_to_confirm, day)
    if not count:
        return
    st.page_link(QUEUE_PAGE, label=queue_title(count), icon=":material/inbox:")
    called_back_lines(CALLED_BACK_SHOWN)


def called_back_lines(limit: int | None = None) -> None:
    """One line per missed call from someone in the network: "Maya Rossi called you back…"."""
    rows = query(called_back)
    for row in rows[:limit]:
        st.caption(
            f":material/phone_callback: {escape_markdown(row['full_name'])} called you back: "
            f"{escape_markdown(row['seen'])}"
        )
    if limit is not None and len(rows) > limit:
        st.caption(f"… and {counted(len(rows) - limit, 'more missed call')}.")


def _remember(entry: tuple[Any, ...]) -> list[int]:
    """Keep what an Undo takes back; return the token `flash(undo=…)` carries."""
    store = st.session_state.setdefault(_UNDO, {})
    token = max(store, default=0) + 1
    store[token] = entry
    return [token]


def undo_queued(tokens: list[int]) -> None:
    """Undo one queue action: reopen what it confirmed or dismissed, or set a change back."""
    entry = st.session_state.get(_UNDO, {}).pop(tokens[0], None)
    if entry is None:
        return
    db = get_db()
    try:
        with db.transaction():
            if entry[0] == "change":
                _, suggestion_id, before = entry
                change(db, suggestion_id, **before)
                message = "Undone: the suggestion is as it was."
            else:
                for suggestion_id, logged in entry[1]:
                    message = undo(db, suggestion_id, logged)
                if len(entry[1]) > 1:
                    message = (
                        f"Undone: {counted(len(entry[1]), 'call attempt')} taken back; "
                        "they are back in the queue."
                    )
    except WarmLeadsError as exc:
        flash(str(exc), kind="warning")
    else:
        flash(message, kind="info")


def _act(action: Callable[[Database], tuple[str, tuple[Any, ...]]]) -> None:
    """Run one write; flash its message with Undo, or why it was refused."""
    try:
        message, entry = action(get_db())
    except WarmLeadsError as exc:
        flash(str(exc), kind="warning")
    else:
        flash(message, undo=_remember(entry))


def _confirm(suggestion_id: int, day: date) -> None:
    def run(db: Database) -> tuple[str, tuple[Any, ...]]:
        logged = confirm(db, suggestion_id, today=day)
        return logged.message, ("reopen", [(suggestion_id, logged)])

    _act(run)


def _confirm_day(on: date, day: date, ids: list[int]) -> None:
    def run(db: Database) -> tuple[str, tuple[Any, ...]]:
        logged = confirm_attempts(db, on, today=day)
        message = f"Confirmed {counted(len(logged), 'call attempt')} of {human_date(on)}."
        # An attempt's Undo needs only its suggestion: the step is the one it records.
        return message, ("reopen", [(suggestion_id, None) for suggestion_id in ids])

    _act(run)


def _set_outcome(row: dict[str, Any], key: str) -> None:
    outcome = st.session_state.get(key)
    if outcome is None or outcome == row["outcome"]:
        return

    def run(db: Database) -> tuple[str, tuple[Any, ...]]:
        change(db, row["id"], outcome=outcome)
        before = {"kind": row["kind"], "outcome": row["outcome"], "occurred_on": row["occurred_on"]}
        shown = would_log({**row, "outcome": outcome})
        return f"Changed: {row['full_name']} would log {shown}.", ("change", row["id"], before)

    _act(run)


def _dismiss(suggestion_id: int) -> None:
    _act(lambda db: (dismiss(db, suggestion_id), ("reopen", [(suggestion_id, None)])))


def _open_form(name: str, suggestion_id: int) -> None:
    st.session_state.pop(_TALKING, None)
    st.session_state.pop(_CHANGING, None)
    st.session_state[name] = suggestion_id


def _close_forms() -> None:
    st.session_state.pop(_TALKING, None)
    st.session_state.pop(_CHANGING, None)


def upload_section(db: Database, day: date, *, expanded: bool) -> None:
    """Upload activity files (format found from the content); each is one import batch."""
    # Here, not at the top: Today imports this module for its one line.
    from lib.io.activity.apply import MY_ADDRESSES, clean_addresses, import_upload

    rounds = form_round("activity_upload")
    with st.expander(
        "Import your call log, sent mail or calendar",
        icon=":material/upload_file:",
        expanded=expanded or bool(st.session_state.get(_PROBLEMS)),
    ):
        for problem in st.session_state.pop(_PROBLEMS, []):
            st.error(escape_markdown(problem), icon=":material/error:")
        st.caption(FILES_HELP)
        stored = get_setting(db, MY_ADDRESSES, [])
        typed = st.text_input(
            "Your own e-mail addresses",
            value=", ".join(stored),
            key=rounds.key("mine"),
            placeholder="you@example.com, you@work.example",
            help="Asked once and kept: mail from one of them counts as sent by you (Gmail's "
            "Sent label counts too).",
        )
        mine_slot = st.empty()
        files = st.file_uploader(
            "Call log (XML or CSV), mailbox (mbox), e-mail (.eml) or calendar (.ics)",
            accept_multiple_files=True,
            key=rounds.key("files"),
        )
        label = f"Suggest steps from {counted(len(files), 'file')}" if files else "Suggest steps"
        if not st.button(label, type="primary", disabled=not files, key="suggest_steps"):
            return
        try:
            written = [a for a in typed.replace(";", ",").split(",") if a.strip()]
            mine = clean_addresses(written) if written else None
        except ValidationError as exc:
            mine_slot.error(
                f"Your own e-mail addresses: {escape_markdown(exc.reason)}", icon=":material/error:"
            )
            return
    problems = []
    for upload in files:
        try:
            result = import_upload(db, upload.name, upload.getvalue(), today=day, my_addresses=mine)
        except WarmLeadsError as exc:  # a bad file: one line, and nothing of it written
            problems.append(str(exc))
        else:
            flash(result.summary())
    st.session_state[_PROBLEMS] = problems
    rounds.next()
    st.rerun()


def would_log(row: dict[str, Any]) -> str:
    """What confirming logs: "Call attempt (no answer) · Phone", "Note: They called you back"."""
    if row["kind"] == "note":
        text = f"{EVENT_KIND.label('note')}: {CALLED_BACK}"
    else:
        text = EVENT_KIND.label(row["kind"])
        if row["outcome"]:
            text += f" ({ATTEMPT_OUTCOME.short(row['outcome'])})"
    channel = CHANNEL_LABELS.get(row["channel"] or "")
    return f"{text} · {channel}" if channel else text


def queue_section(db: Database, day: date, rows: list[dict[str, Any]]) -> None:
    """The open suggestions: by day (newest first), then person; later meetings under Coming up."""
    due = [r for r in rows if r["occurred_on"] <= day]
    later = [r for r in rows if r["occurred_on"] > day]
    st.subheader(queue_title(len(due)), anchor="queue")
    if not rows:
        st.caption("Nothing to confirm. Import a call log, your sent mail or a calendar above.")
        return
    called_back_lines()
    ordered = sorted(due, key=_order)
    for on, of_day in groupby(ordered[:SHOWN], key=lambda r: r["occurred_on"]):
        # The day's every attempt, shown or not: "Confirm all attempts" confirms them all.
        attempts = [r["id"] for r in due if r["occurred_on"] == on and r["kind"] == "attempt"]
        _day_group(db, day, on, list(of_day), attempts)
    if len(ordered) > SHOWN:
        st.caption(f"… and {counted(len(ordered) - SHOWN, 'more')}: confirm these first.")
    if later:
        st.subheader("Coming up", anchor="queue_coming_up")
        st.caption("Meetings still to come: confirm each once its day has come.")
        for on, of_day in groupby(sorted(later, key=_order), key=lambda r: r["occurred_on"]):
            _day_group(db, day, on, list(of_day), [], coming=True)


def _order(row: dict[str, Any]) -> tuple[int, str, int, int]:
    # Newest day first; people by name (their suggestions together), then as suggested.
    return -row["occurred_on"].toordinal(), row["full_name"], row["contact_id"], row["id"]


def _day_group(
    db: Database,
    day: date,
    on: date,
    rows: list[dict],
    attempts: list[int],
    *,
    coming: bool = False,
) -> None:
    """One day: its heading, "Confirm all attempts", and a card per person."""
    head = st.container(horizontal=True, vertical_alignment="center")
    head.markdown(f"**{human_date(on)}**")
    if attempts and not coming:
        head.button(
            "Confirm all attempts",
            key=f"queue_all_{on.isoformat()}",
            icon=":material/done_all:",
            help=f"Logs the day's {counted(len(attempts), 'unanswered call')} as call "
            "attempts, each with the outcome shown.",
            on_click=_confirm_day,
            args=(on, day, attempts),
        )
    for (contact_id, name), of_person in groupby(
        rows, key=lambda r: (r["contact_id"], r["full_name"])
    ):
        with st.container(border=True):
            contact_link(contact_id, name, bold=True)
            for row in of_person:
                _suggestion(db, day, row, coming=coming)


def _suggestion(db: Database, day: date, row: dict[str, Any], *, coming: bool) -> None:
    """What the suggestion saw, what it would log, and Confirm / Change / Dismiss."""
    sid = row["id"]
    seen = row["seen"][:1].upper() + row["seen"][1:]
    text, actions = st.columns([3, 2], vertical_alignment="center")
    text.markdown(escape_markdown(seen))
    text.caption(f"Would log: {escape_markdown(would_log(row))}")
    buttons = actions.container(horizontal=True, horizontal_alignment="right")
    talk = row["kind"] in TALK_KINDS
    buttons.button(
        "Confirm",
        key=f"queue_confirm_{sid}",
        icon=":material/check:",
        type="primary",
        disabled=coming,
        help="You can confirm it once its day has come."
        if coming
        else "Opens the conversation form, filled in."
        if talk
        else "Logs it as shown.",
        on_click=_open_form if talk else _confirm,
        args=(_TALKING, sid) if talk else (sid, day),
    )
    buttons.button("Change", key=f"queue_change_{sid}", on_click=_open_form, args=(_CHANGING, sid))
    buttons.button("Dismiss", key=f"queue_dismiss_{sid}", on_click=_dismiss, args=(sid,))
    if row["kind"] == "attempt":
        # The log cannot tell a voicemail from no answer: one click says which it was.
        key = f"queue_outcome_{sid}_{row['outcome']}"  # a fresh widget when the outcome changes
        with text:
            outcome_row = wrapping(key)  # on a phone the outcomes take more lines
        outcome_row.pills(
            "Outcome of this call",
            OUTCOMES,
            default=row["outcome"] if row["outcome"] in OUTCOMES else None,
            format_func=ATTEMPT_OUTCOME.label,  # the words of Today's call cards
            key=key,
            label_visibility="collapsed",
            required=True,  # a tap on the picked outcome keeps it (never shows none picked)
            on_change=_set_outcome,
            args=(row, key),
        )
    if st.session_state.get(_TALKING) == sid and not coming:
        _conversation(db, day, row)
    elif st.session_state.get(_CHANGING) == sid:
        _change_form(db, day, row)


def _conversation(db: Database, day: date, row: dict[str, Any]) -> None:
    """The conversation form of Log a step, filled in from the suggestion; sent, it confirms."""
    # Here, not at the top: Today imports this module for its line, and the form's reads
    # load pandas, which Today's first run does without.
    from lib.ui.conversation_form import conversation_form

    errors = FieldErrors()
    talk = conversation_form(
        row["contact_id"],
        errors,
        form_round("queue_talk").key("queue_talk", row["id"]),
        day=day,
        on=row["occurred_on"],
        channel=row["channel"],
        info_interview=row["kind"] == "info_interview",
        asked=row["kind"] == "referral_asked",
        submit="Confirm conversation",
        rows_key=f"queue_talk_rows_{row['id']}",
    )
    st.button("Cancel", key=f"queue_talk_cancel_{row['id']}", on_click=_close_forms)
    if talk is None:
        return
    try:
        logged = confirm(db, row["id"], conversation=talk, today=day)
    except WarmLeadsError as exc:
        errors.show(exc)
        return
    flash(logged.message, undo=_remember(("reopen", [(row["id"], logged)])))
    if logged.warning:
        flash(f"Logged anyway — {logged.warning}.", kind="warning")
    _close_forms()
    form_round("queue_talk").next()
    st.rerun()


def _change_form(db: Database, day: date, row: dict[str, Any]) -> None:
    """Another kind, outcome (a call attempt's) or day for the suggestion."""
    errors = FieldErrors()
    with st.form(f"queue_change_form_{row['id']}"):
        kind_col, on_col = st.columns(2)
        kind = kind_col.selectbox(
            "Step",
            EVENT_KIND.order,
            index=EVENT_KIND.order.index(row["kind"]),
            format_func=EVENT_KIND.label,
        )
        errors.slot("kind")
        on = on_col.date_input("Date", row["occurred_on"], min_value=EARLIEST_DATE)
        errors.slot("occurred_on")
        outcome = None
        if row["kind"] == "attempt":
            outcome = st.pills(
                "Outcome",
                OUTCOMES,
                default=row["outcome"] if row["outcome"] in OUTCOMES else "no_answer",
                format_func=ATTEMPT_OUTCOME.label,
                required=True,
            )
        errors.slot("outcome", "*")
        buttons = st.container(horizontal=True)
        save = buttons.form_submit_button("Save the change", type="primary")
        cancel = buttons.form_submit_button("Cancel")
    if cancel:
        _close_forms()
        st.rerun()
    if not save:
        return
    before = {"kind": row["kind"], "outcome": row["outcome"], "occurred_on": row["occurred_on"]}
    try:
        after = change(db, row["id"], kind=kind, outcome=outcome, occurred_on=on)
    except WarmLeadsError as exc:
        errors.show(exc)
        return
    shown = would_log({**row, **after})
    flash(
        f"Changed: {row['full_name']} on {human_date(after['occurred_on'])} would log {shown}.",
        undo=_remember(("change", row["id"], before)),
    )
    _close_forms()
    st.rerun()


def queue_rows() -> list[dict[str, Any]]:
    """The open suggestions (cached until the next write)."""
    return query(list_suggestions)
