"""Companies: the target list (LAMP), adding or importing targets, and per company the people
you know there, your ways in and who to call next (lib/ui/companies.py, company_edit.py)."""

import streamlit as st

from lib.ui.companies import add_form, import_upload, shared_view_setting, target_list_section
from lib.ui.company_edit import undo_merge
from lib.ui.data import get_db, today
from lib.ui.forms import show_flash
from lib.ui.mode import require_writable

require_writable()
db = get_db()
day = today()

st.title("Companies")
st.caption(
    "The employers you are after and who you know at each: a referral aimed at a company "
    "(“Who do you know at Acme?”) gets a better answer than “Who do you know?”."
)
show_flash(undo=undo_merge)
adding, importing = st.columns(2)
with adding:
    add_form(db)
with importing:
    import_upload(db)
target_list_section(db, day)
st.divider()
shared_view_setting(db)
