"""Import & export: bring in the people you know, take everything out, tidy duplicates.

Each tab is a module of lib/ui/data_tabs/."""

import streamlit as st

from lib.ui.data import get_db, today
from lib.ui.data_tabs import duplicates_tab, export_tab, import_tab
from lib.ui.forms import show_flash
from lib.ui.mode import require_writable

require_writable()
st.title("Import & export")
show_flash()
db = get_db()
day = today()
# Stateful tabs run only the open one: finding duplicates in a big file is not free.
tabs = st.tabs(["Import", "Export", "Possible duplicates"], on_change="rerun", key="data_tab")
for tab, section in zip(tabs, (import_tab, export_tab, duplicates_tab), strict=True):
    if tab.open:
        with tab:
            section.show(db, day)
