"""Weekly review (placeholder until its issue lands)."""

import streamlit as st

st.title("Weekly review")
st.info("This page is being built.")
