"""The empty database's greeting: the ways to start."""

from __future__ import annotations

import streamlit as st

from lib.core.errors import ValidationError
from lib.ui.data import get_db
from lib.ui.forms import flash
from lib.ui.text import escape_markdown


def welcome() -> None:
    """The empty database's greeting: the three ways to start."""
    from lib.io.demo import load_demo

    st.title("Welcome to Warm Leads")
    st.markdown(
        "Most jobs are filled through people. Warm Leads keeps your networking on track: "
        "who to **contact**, **thank** and **follow up** today — and how three referrals "
        "become nine, then twenty-seven. Start in one of three ways:"
    )
    add, upload, demo = st.columns(3, border=True)
    with add:
        st.subheader("Add a first target")
        st.caption("Someone from an association meeting, a mixer, LinkedIn or a referral.")
        st.page_link(
            "pages/work/contacts.py",
            label="Add a target",
            icon=":material/person_add:",
            query_params={"add": "1"},
        )
    with upload:
        st.subheader("Import a file")
        st.caption("Your LinkedIn connections, Google contacts, a vCard or a CSV file.")
        st.page_link(
            "pages/work/data.py", label="Import your contacts", icon=":material/upload_file:"
        )
    with demo:
        st.subheader("Explore the demo")
        st.caption("A sample network of 50 people, to see every step before adding your own.")
        if st.button("Load the demo network", icon=":material/science:", type="primary"):
            try:
                people, steps = load_demo(get_db())
            except ValidationError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                flash(f"Loaded the demo network: {people} people and {steps} logged steps.")
                st.rerun()
