"""Contacts (placeholder until its issue lands)."""

import streamlit as st

st.title("Contacts")
st.info("This page is being built.")
