"""Streamlit glue: the only part of lib/ that imports streamlit. One module per job."""
