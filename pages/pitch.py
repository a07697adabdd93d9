"""Pitch coach (placeholder until its issue lands)."""

import streamlit as st

st.title("Pitch coach")
st.info("This page is being built.")
