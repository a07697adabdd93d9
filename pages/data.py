"""Import & export (placeholder until its issue lands)."""

import streamlit as st

st.title("Import & export")
st.info("This page is being built.")
