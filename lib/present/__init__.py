"""Presentation: pure figures, the offline report and the pitch templates (no Streamlit)."""
