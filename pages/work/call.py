"""Calling session: the day's calls one person at a time, each outcome logged as it happens."""

import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.vocab import ATTEMPT_OUTCOME, SOURCE, WARMTH
from lib.core.words import counted, human_date, in_sentence
from lib.engine.due import call_queue
from lib.present.pitch import check_pitch, templates
from lib.records.events import Conversation, log_conversation
from lib.records.settings import get_pitch, get_your_name
from lib.ui.data import get_db, query, today
from lib.ui.forms import FieldErrors, flash, form_round, show_flash
from lib.ui.logged import forget_logged, logged_outcome, logged_timer
from lib.ui.mode import require_writable
from lib.ui.reach import (
    attempt_buttons,
    intro_and_tries,
    links_line,
    phone_box,
    switch_channel_hint,
    tel_button,
    tel_href,
)
from lib.ui.referrals import aim, asked_label, referral_rows
from lib.ui.text import escape_markdown
from lib.ui.widgets import add_target_link, contact_link

REFERRAL_ROWS = 3
state = st.session_state


def logged(outcome: str, contact_id: int) -> None:
    """An attempt logged: its card stays, saying so, for a few seconds (or until Next call)."""
    state["call_done"].append((contact_id, outcome, 0))
    state["call_logged_for"] = contact_id


def undone() -> None:
    """The attempt on this card was taken back: its outcomes are there again."""
    done = state.get("call_done", [])
    if done and done[-1][0] == state.get("call_logged_for"):
        done.pop()
    state.pop("call_logged_for", None)


def start() -> None:
    """A new session over today's queue (fixed at the start, so logging does not reshuffle)."""
    state["call_queue"] = [row["id"] for row in query(call_queue, today())]
    state["call_position"] = 0
    state["call_done"] = []  # (contact id, "talked" or an attempt outcome, referrals added)
    state["call_talking"] = False
    form_round("call").next()


def advance(outcome: str | None, contact_id: int | None = None, referrals: int = 0) -> None:
    """Record what happened with this person (None: skipped, or already recorded) and move
    to the next."""
    if outcome is not None and contact_id is not None:
        state["call_done"].append((contact_id, outcome, referrals))
    if state.get("call_logged_for") is not None:
        forget_logged(state.pop("call_logged_for"))
    state["call_position"] += 1
    state["call_talking"] = False


def end() -> None:
    state["call_position"] = len(state["call_queue"])
    state["call_talking"] = False


def summary_words(done: list[tuple[int, str, int]]) -> str:
    """`9 calls: 3 conversations, 5 voicemails, 1 wrong number; 4 new referrals`."""
    outcomes = [outcome for _, outcome, _ in done]
    parts = [counted(outcomes.count("talked"), "conversation")] if "talked" in outcomes else []
    for key in ATTEMPT_OUTCOME:
        if key in outcomes:
            parts.append(counted(outcomes.count(key), ATTEMPT_OUTCOME.short(key)))
    words = counted(len(done), "call")
    if parts:
        words += ": " + ", ".join(parts)
    referrals = sum(n for _, _, n in done)
    return words + f"; {counted(referrals, 'new referral')}"


def conversation_form(person: dict) -> None:
    """The conversation, logged in place: pitch, referrals (warm or not), thanks, notes."""
    errors = FieldErrors()
    key = form_round("call").key("talk", person["id"])
    with st.form(key):
        st.markdown(f"**Conversation with {escape_markdown(person['full_name'])}** (by phone)")
        on = st.date_input("Date", today(), max_value=today(), key=f"{key}_on")
        errors.slot("occurred_on")
        pitch = st.checkbox("Delivered my pitch", value=True, key=f"{key}_pitch")
        asked = st.checkbox(asked_label(person["id"]), key=f"{key}_asked")
        st.markdown("**Referrals given** — one person per row; leave the rest empty.")
        referrals = referral_rows(REFERRAL_ROWS, key, errors, grid=False)
        thanked = st.checkbox("Thanked them at the time", key=f"{key}_thanked")
        notes = st.text_area("Notes", key=f"{key}_notes", height=80)
        errors.slot("notes")
        errors.slot("*")
        send = st.form_submit_button("Log conversation and go on", type="primary")
    if st.button("Back to the call", key=f"{key}_back"):
        state["call_talking"] = False
        st.rerun()
    if send:
        talk = Conversation(
            person["id"],
            occurred_on=on,
            channel="phone",
            pitch_delivered=pitch,
            asked_for_referrals=asked,
            referrals=referrals,
            thanked=thanked,
            notes=notes,
        )
        try:
            result = log_conversation(get_db(), talk, today=today())
        except WarmLeadsError as exc:
            errors.show(exc)
        else:
            flash(result.message)
            # The referrals just given join this session's queue, next in line.
            at = state["call_position"] + 1
            state["call_queue"][at:at] = result.referral_ids
            advance("talked", person["id"], len(result.referral_ids))
            st.rerun()


def call_card(person: dict, position: int, total: int) -> None:
    """Everything one call needs, in the order of the call: on a phone, who, why, the warm
    intro, the number as a big `tel:` button and the outcomes come first; the pitch and the
    referral question are one tap away."""
    group = WARMTH[person["call_group"]]
    st.caption(f"Call {position + 1} of {total} · {group.label}")
    contact_link(person["id"], person["full_name"], bold=True)
    place = " · ".join(p for p in (person["title"], person["company"]) if p)
    found = f"Found via {in_sentence(SOURCE.short(person['source'] or 'other'))}"
    found += f" on {human_date(person['identified_on'])}"
    st.caption(escape_markdown(" — ".join(p for p in (place, found) if p)))
    intro_and_tries(person, intro=st.markdown)
    callable_ = tel_button(person)
    if not callable_:
        phone_box(person["id"], f"phone_{person['id']}")
    if state["call_talking"]:
        conversation_form(person)
        return
    if callable_ or logged_outcome(person["id"]):  # a wrong number just taken off stays
        st.markdown("**How did it go?**")
        if st.button("Talked — log the conversation", type="primary", key=f"talked_{person['id']}"):
            state["call_talking"] = True
            st.rerun()
        attempt_buttons(
            person["id"],
            form_round("call").key("call", person["id"]),
            after=lambda outcome: logged(outcome, person["id"]),
            on_undo=undone,
        )
    links = links_line(person, phone=False)
    if links:
        st.markdown(links)
    elif not callable_:
        st.warning("No phone number, email or LinkedIn profile saved for them.")
    script_expander(person)
    switch_channel_hint(person, f"write_{person['id']}", no_number=True, expanded=not callable_)
    moves = st.container(horizontal=True)
    if state.get("call_logged_for") == person["id"]:
        moves.button(
            "Next call", key=f"next_{person['id']}", on_click=advance, args=(None,), type="primary"
        )
    else:
        moves.button("Skip", key=f"skip_{person['id']}", on_click=advance, args=(None,))
    moves.button("End the session", key=f"end_{person['id']}", on_click=end)


def script_expander(person: dict) -> None:
    """The pitch and the referral question, folded: one tap opens them."""
    pitch = query(get_pitch)
    seconds = f" (about {round(check_pitch(pitch).seconds)} s)" if pitch else ""
    with st.expander(f"Your pitch{seconds} and the referral question"):
        if pitch:
            st.markdown(escape_markdown(pitch))
        else:
            st.page_link(
                "pages/work/pitch.py",
                label="Write your pitch in Pitch coach",
                icon=":material/record_voice_over:",
            )
        script = templates(
            person["full_name"],
            person["referrer_name"],
            person["may_use_name"],
            your_name=query(get_your_name),
            aim=aim(person["id"]),
        )
        question = next(t for t in script if t.key == "referral_question")
        st.markdown("**Then ask** — " + escape_markdown(question.body.replace("\n", " ")))


def no_number_line(queue: list[dict]) -> None:
    """How many in the queue have no number (they come last), and what to do about it."""
    missing = sum(1 for row in queue if not tel_href(row["phone"]))
    if missing:
        st.info(
            f"{counted(missing, 'person has', 'people have')} no number — add one, or write to "
            "them instead. They come after everyone you can call.",
            icon=":material/phone_disabled:",
        )


require_writable()
st.title("Calling session")
show_flash()

if "call_queue" not in state:
    queue = query(call_queue, today())
    groups = {key: sum(1 for row in queue if row["call_group"] == key) for key in WARMTH}
    if not queue:
        st.success("Nobody to call today: no targets to contact and no follow-ups due by phone.")
        add_target_link()
        st.stop()
    st.markdown(
        "One person at a time: warm referrals first, then cold targets, then follow-ups "
        "due by phone. Log how each call went, then move on."
    )
    st.markdown(" · ".join(counted(n, WARMTH.label(key).lower()) for key, n in groups.items() if n))
    no_number_line(queue)
    st.button("Start calling", type="primary", on_click=start, icon=":material/call:")
    st.stop()

queue_ids: list[int] = state["call_queue"]
position = state["call_position"]
current = queue_ids[position] if position < len(queue_ids) else None
if current is not None and state.get("call_logged_for") == current and not logged_outcome(current):
    advance(None)  # the logged card's few seconds in place are up
    position = state["call_position"]
if position >= len(queue_ids):
    done = state["call_done"]
    st.subheader("Session done")
    st.success(summary_words(done) + ".")
    st.button("Start a new session", on_click=lambda: state.pop("call_queue"), type="primary")
    st.page_link("pages/work/today.py", label="Back to Today", icon=":material/today:")
    st.stop()

people = {row["id"]: row for row in query(call_queue, today(), size=len(queue_ids) + 500)}
person = people.get(queue_ids[position])
if person is None:  # logged elsewhere since the session started: no longer due
    advance(None)
    st.rerun()
if position == 0 and not state["call_done"] and not tel_href(person["phone"]):
    no_number_line([people[i] for i in queue_ids if i in people])
call_card(person, position, len(queue_ids))
logged_timer()
