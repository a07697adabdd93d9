"""Warm Leads: the entry file sets the page, picks the mode and routes. No SQL here."""

import streamlit as st

from lib.ui import app_mode, protect_shared_view, read_only_banner

st.set_page_config(page_title="Warm Leads", page_icon=":material/handshake:", layout="wide")
mode = app_mode()
# Material icons ship with Streamlit; emoji would need a font the machine may lack.

# Pages that write: never listed in read-only mode.
working = [
    st.Page("pages/today.py", title="Today", icon=":material/today:", default=not mode.read_only),
    st.Page("pages/contacts.py", title="Contacts", icon=":material/group:"),
    st.Page("pages/log.py", title="Log a step", icon=":material/edit_note:"),
    st.Page("pages/pitch.py", title="Pitch coach", icon=":material/record_voice_over:"),
    st.Page("pages/data.py", title="Import & export", icon=":material/import_export:"),
]
# Pages that only read: the whole read-only view.
review = [
    st.Page(
        "pages/dashboard.py", title="Dashboard", icon=":material/dashboard:", default=mode.read_only
    ),
    st.Page("pages/weekly.py", title="Weekly review", icon=":material/calendar_month:"),
    st.Page("pages/network.py", title="Network", icon=":material/hub:"),
]
if mode.read_only:
    protect_shared_view()
    navigation = st.navigation({"Review": review})
    read_only_banner()  # "Read-only view — data as of …", or why there is nothing to show
else:
    navigation = st.navigation({"Work": working, "Review": review})
navigation.run()
