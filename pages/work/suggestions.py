"""From phone & mail: import what the phone and the mailbox kept; confirm the steps they show.

Nothing is logged until confirmed; each import is an import batch (undone on Import & export).
"""

import streamlit as st

from lib.records.contacts import count_contacts
from lib.ui.data import get_db, query, today
from lib.ui.forms import show_flash
from lib.ui.mode import require_writable
from lib.ui.suggestions import queue_rows, queue_section, undo_queued, upload_section
from lib.ui.widgets import add_target_link

require_writable()
db = get_db()
day = today()
st.title("From phone & mail")
show_flash(undo_queued)
if query(count_contacts) == 0:
    st.info(
        "Nobody in your network yet: only calls, mail and meetings with people in it become "
        "suggestions. Add your first target, or import your contacts."
    )
    add_target_link()
    st.stop()
rows = queue_rows()
upload_section(db, day, expanded=not rows)
queue_section(db, day, rows)
