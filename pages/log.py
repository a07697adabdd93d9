"""Log (placeholder until its issue lands)."""

import streamlit as st

st.title("Log")
st.info("This page is being built.")
