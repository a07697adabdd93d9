"""Today (placeholder until its issue lands)."""

import streamlit as st

st.title("Today")
st.info("This page is being built.")
