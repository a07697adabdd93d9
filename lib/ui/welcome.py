"""The empty database's greeting, and the sample network's way back out."""

from __future__ import annotations

import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.words import counted
from lib.io.demo_removal import demo_status, remove_demo
from lib.ui.data import get_db, query
from lib.ui.forms import flash
from lib.ui.text import escape_markdown

DEMO_NAME = "Explore with the sample network (removable)"


def sample_words(people: int, steps: int, step: str = "step") -> str:
    """The sample network's size: `50 fictional people and 199 steps`."""
    return f"{counted(people, 'fictional person', 'fictional people')} and {counted(steps, step)}"


def welcome() -> None:
    """The empty database's greeting: add a target or import; the sample network on the side."""
    st.title("Welcome to Warm Leads")
    st.markdown(
        "Most jobs are filled through people. Warm Leads keeps your networking on track: "
        "who to **contact**, **thank** and **follow up** today — and how three referrals "
        "become nine, then twenty-seven. Start with the people you know:"
    )
    add, upload = st.columns(2, border=True)
    with add:
        st.subheader("Add a first target")
        st.caption("Someone from an association meeting, a mixer, LinkedIn or a referral.")
        if st.button("Add a target", type="primary", icon=":material/person_add:"):
            st.switch_page("pages/work/contacts.py", query_params={"add": "1"})
    with upload:
        st.subheader("Import a file")
        st.caption("Your LinkedIn connections, Google contacts, a vCard or a CSV file.")
        if st.button("Import your contacts", type="primary", icon=":material/upload_file:"):
            st.switch_page("pages/work/data.py")
    with st.container(border=True):
        st.markdown(f"**{DEMO_NAME}**")
        st.caption(
            "50 fictional people and their steps, to see every page before adding your own. "
            "They are marked as the sample network: one button removes exactly them later, and "
            "anything you add meanwhile stays."
        )
        if st.button("Load the sample network", icon=":material/science:"):
            from lib.io.demo import load_demo  # the generator loads pandas: only when asked

            try:
                people, steps = load_demo(get_db())
            except WarmLeadsError as exc:
                st.error(escape_markdown(str(exc)), icon=":material/error:")
            else:
                flash(
                    f"Loaded the sample network: {sample_words(people, steps, 'logged step')}. "
                    "Remove it any time with Remove the sample network."
                )
                st.rerun()


def remove_demo_control(key: str) -> None:
    """A "Remove the sample network" button while it is in the file, confirmed when needed."""
    status = query(demo_status)
    if status is None:
        return
    with st.container(border=True):
        st.markdown(
            f"**The sample network is loaded**: {sample_words(status.contacts, status.events)}. "
            "Removing them leaves your own contacts and steps."
        )
        asking = st.session_state.get("confirm_demo") == key
        if not asking and st.button(
            "Remove the sample network", icon=":material/delete_sweep:", key=f"{key}_remove"
        ):
            if not status.your_steps:
                _remove(confirmed=False)
            st.session_state["confirm_demo"] = key
            st.rerun()
        if asking:
            ask = status.confirmation()
            st.warning(escape_markdown(ask[:1].upper() + ask[1:] + ". Remove them anyway?"))
            yes, no = st.columns(2)
            if yes.button("Yes, remove them", type="primary", key=f"{key}_yes"):
                _remove(confirmed=True)
            if no.button("Cancel", key=f"{key}_no"):
                st.session_state.pop("confirm_demo", None)
                st.rerun()


def _remove(*, confirmed: bool) -> None:
    st.session_state.pop("confirm_demo", None)
    try:
        flash(remove_demo(get_db(), confirmed=confirmed))
    except WarmLeadsError as exc:
        flash(str(exc), kind="warning")
    st.rerun()
