"""Warm Leads: the entry file sets the page, picks the mode and routes. No SQL here."""

import streamlit as st

from lib.ui.data import read_only_banner
from lib.ui.exposure import close_while_running
from lib.ui.gate import door_open, forget_requested_page, passphrase_page, return_to_requested_page
from lib.ui.mode import Mode, ModeError, app_mode, protect_shared_view, refuse_to_start
from lib.ui.preload import preload_widget_code
from lib.ui.problems import show_unexpected_error
from lib.ui.widgets import page_style

st.set_page_config(page_title="Warm Leads", page_icon="🤝", layout="wide")
close_while_running()  # run.py closed these before the server started; a bare `streamlit run` not
try:
    mode, refusal = app_mode(), None
except ModeError as exc:  # an unknown flag or WARMLEADS_* value: show nothing but the refusal
    mode, refusal = Mode(read_only=True, redact=True), exc

# Page scripts live in pages/work/ and pages/review/, not directly in pages/: Streamlit 1.67
# treats *.py files directly in pages/ as old-style pages, and a fresh server's first visit to
# a bookmarked /dashboard would then run that file without this routing (or read-only mode).
# Navigation icons are Streamlit's bundled Material icons (emoji need a font the machine may
# lack); the tab icon stays an emoji: a Material one there is fetched from Google's servers.

# Pages that write: never listed in read-only mode.
working = [
    st.Page(
        "pages/work/today.py", title="Today", icon=":material/today:", default=not mode.read_only
    ),
    st.Page("pages/work/call.py", title="Calling session", icon=":material/call:"),
    st.Page("pages/work/contacts.py", title="Contacts", icon=":material/group:"),
    st.Page("pages/work/companies.py", title="Companies", icon=":material/business:"),
    st.Page("pages/work/log.py", title="Log a step", icon=":material/edit_note:"),
    st.Page("pages/work/suggestions.py", title="From phone & mail", icon=":material/inbox:"),
    st.Page("pages/work/pitch.py", title="Pitch coach", icon=":material/record_voice_over:"),
    st.Page("pages/work/data.py", title="Import & export", icon=":material/import_export:"),
]
# Pages that only read: the whole read-only view.
review = [
    st.Page(
        "pages/review/dashboard.py",
        title="Dashboard",
        icon=":material/dashboard:",
        default=mode.read_only,
    ),
    st.Page("pages/review/weekly.py", title="Weekly review", icon=":material/calendar_month:"),
    st.Page("pages/review/network.py", title="Network", icon=":material/hub:"),
]
if refusal is not None:
    st.navigation(working + review, position="hidden")  # a bookmarked page gets the refusal too
    refuse_to_start(refusal)
if mode.read_only:
    protect_shared_view()
# The passphrase (where one is required) comes before any data is read. Until it is given the
# browser gets one page, the form, whatever page was asked for: no page list, no "Page not found".
if not door_open(mode):
    forget_requested_page()
    gate = st.Page(passphrase_page, title="Warm Leads", icon=":material/lock:", default=True)
    st.navigation([gate], position="hidden").run()
    st.stop()
if mode.read_only:
    navigation = st.navigation({"Review": review})
    return_to_requested_page(review)
else:
    navigation = st.navigation({"Work": working, "Review": review})
    return_to_requested_page(working + review)
page_style()
preload_widget_code()  # Today's widgets at once; the other pages' and the charts once idle
try:
    if mode.read_only:
        read_only_banner()  # "Read-only view — data as of …", or why there is nothing to show
    navigation.run()
except Exception as exc:  # st.stop()/st.rerun() are BaseExceptions and pass through
    show_unexpected_error(exc)
