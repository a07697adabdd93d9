"""Pitch coach: write and time the elevator pitch; copy the method's messages, names filled in."""

import streamlit as st

from lib.core.errors import NotFoundError, WarmLeadsError
from lib.engine import directory, loops
from lib.present import pitch
from lib.records import settings
from lib.ui.data import get_db, query, today
from lib.ui.forms import FieldErrors, flash, show_flash
from lib.ui.mode import require_writable
from lib.ui.referrals import aim
from lib.ui.text import escape_markdown
from lib.ui.widgets import contact_picker, query_id

require_writable()
db = get_db()

st.title("Pitch coach")
show_flash()
st.caption(
    "30–60 seconds, about 65–130 spoken words, ending with a clear request — not “are you hiring?”."
)

write, score = st.columns([3, 2], gap="large")
with write:
    saved = query(settings.get_pitch)
    text = st.text_area(
        "Your elevator pitch",
        saved,
        height=230,
        key="pitch_text",
        placeholder="Who you are, what you offer, and what you ask for.",
        help="The count updates when you click outside the box (or press Ctrl+Enter).",
    )
    errors = FieldErrors()
    errors.slot("pitch")
    name = st.text_input(
        "Your name, to sign the messages below", query(settings.get_your_name), key="your_name"
    )
    errors.slot("your_name")
    if st.button("Save pitch", type="primary", icon=":material/save:"):
        try:
            settings.save_pitch(db, text, name)
        except WarmLeadsError as exc:
            errors.show(exc)
        else:
            flash("Saved your pitch.")
            st.rerun()

with score:
    check = pitch.check_pitch(text)
    metrics = st.container(horizontal=True)  # side by side when there is room
    metrics.metric("Words", check.words, border=True, width=150)
    metrics.metric(
        "Spoken time",
        f"{check.seconds:.0f} s",
        delta="in 30–60 s" if check.in_range else "outside 30–60 s",
        delta_color="normal" if check.in_range else "inverse",
        delta_arrow="off",
        border=True,
        help=f"At {pitch.WORDS_PER_MINUTE} words a minute.",
        width=170,
    )
    if not check.words:
        st.info("Write your pitch to see its timing and advice.")
    elif not check.advice:
        st.success("Good: the right length, no “are you hiring?”, and it ends with a request.")
    for advice in check.advice:
        st.warning(advice)

st.divider()
st.subheader("Messages for a contact")
st.caption("Pick someone: the referral question, the warm intro, the thank-you and the follow-up.")
contact_id = contact_picker("Contact", "pitch_contact", selected=query_id("contact"))
if contact_id is not None:
    if contact_id != query_id("contact"):
        st.query_params["contact"] = str(contact_id)
    try:
        card = query(directory.contact_card, contact_id, today())
    except NotFoundError:
        st.stop()
    referred, _ = query(directory.referral_tree_down, contact_id, 3)
    messages = pitch.templates(
        card["full_name"],
        card["referrer_name"],
        card["may_use_name"],
        [p.full_name for p in referred.itertuples() if p.generation == 1],
        name,
        query(loops.referral_updates, contact_id, today()),
        aim=aim(contact_id),
    )
    columns = [column for _ in range(2) for column in st.columns(2)]  # two rows of two
    for column, message in zip(columns, messages, strict=True):
        with column, st.container(border=True, height="stretch"):
            st.markdown(f"**{message.title}**")
            st.caption(escape_markdown(message.when))
            if message.subject:
                st.text(f"Subject: {message.subject}")
            st.code(message.body, language=None, wrap_lines=True)
            link = pitch.mailto_link(card["email"], message.subject, message.body)
            if link and message.subject:
                st.link_button("Open in your email app", link, icon=":material/mail:")
