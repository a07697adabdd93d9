"""Warm Leads: the entry file sets the page, picks the mode and routes. No SQL here."""

import streamlit as st

from lib.ui import app_mode

st.set_page_config(page_title="Warm Leads", page_icon="🤝", layout="wide")
mode = app_mode()

reading = [
    st.Page("pages/dashboard.py", title="Dashboard", icon="📊", default=True),
]
navigation = st.navigation(reading)
navigation.run()
