"""Contacts: find anyone among many, add a target; `?contact=12` opens that person's own view
(lib/ui/person.py) on this same page, so its links and bookmarks keep working."""

import streamlit as st

from lib.core.errors import ValidationError, WarmLeadsError
from lib.core.validation import clean_contact
from lib.core.vocab import SOURCE_LABELS, SOURCES, STAGE_LABELS, STAGES
from lib.core.words import DATE_COLUMN_FORMAT, counted
from lib.engine import directory
from lib.records import contacts
from lib.ui.contact_form import contact_form
from lib.ui.data import get_db, query, today
from lib.ui.forms import FieldErrors, every_problem, flash, form_round, show_flash
from lib.ui.mode import require_writable
from lib.ui.person import show_contact
from lib.ui.text import escape_markdown
from lib.ui.widgets import TABLE_ORDER, TABLE_WIDTHS, contact_link, current_page, pager, query_id

require_writable()
db = get_db()
day = today()


def add_target() -> None:
    """The add-a-target form; a saved target empties it and offers a link to their page."""
    rounds = form_round("add")
    errors = FieldErrors()
    data = contact_form(rounds.key(), errors, {}, day)
    if st.button("Add target", type="primary", icon=":material/person_add:"):
        if data["referred_by"] is not None:
            data["source"] = "referral"
        # Every field is checked on its own first, so one submit names every problem at once.
        problems = every_problem(lambda part: clean_contact(part, today=day, partial=True), data)
        for problem in problems:
            errors.show(problem)
        if problems:
            return
        try:
            new_id = contacts.add_contact(db, data, today=day)
        except WarmLeadsError as exc:
            errors.show(exc)
        else:
            stored = contacts.get_contact(db, new_id)["full_name"]  # as cleaned and saved
            flash(f"Added {stored} as a target (#{new_id}).")
            rounds.next()
            st.session_state["just_added"] = new_id
            st.rerun()


def show_directory() -> None:
    st.title("Contacts")
    show_flash()
    if just_added := st.session_state.pop("just_added", None):
        card = query(directory.contact_card, just_added, day)
        contact_link(just_added, f"Open {card['full_name']}", icon=":material/person:")
    # The form is built only while open: closed, its dozen fields were drawn all the same on
    # every visit, for a form most visits never use (bench_first_visit: 1.23 -> 1.02-1.12 s).
    adding = st.expander(
        "Add a target",
        icon=":material/person_add:",
        expanded=st.query_params.get("add") == "1",
        key="add_target",
        on_change="rerun",
    )
    if adding.open:
        with adding:
            add_target()

    search, sort = st.columns([3, 1], vertical_alignment="bottom")
    text = search.text_input(
        "Search", key="q", placeholder="Name, company, title or notes", live="300ms"
    )
    order = sort.selectbox("Sort", list(directory.SORTS), format_func=directory.SORT_LABELS.get)
    stage_col, source_col, due_col, archived_col = st.columns([3, 3, 2, 2], gap="medium")
    filters = directory.Filters(
        text=text,
        stages=tuple(
            stage_col.multiselect("Stage", STAGES, format_func=STAGE_LABELS.get, placeholder="Any")
        ),
        sources=tuple(
            source_col.multiselect(
                "Source", SOURCES, format_func=SOURCE_LABELS.get, placeholder="Any"
            )
        ),
        due=due_col.selectbox(
            "Due",
            directory.DUE_CHOICES,
            index=None,
            format_func=directory.DUE_LABELS.get,
            placeholder="Any",
        ),
        archived=archived_col.selectbox(
            "Showing", directory.ARCHIVED_CHOICES, format_func=directory.ARCHIVED_LABELS.get
        ),
        sort=order,
    )
    paging = f"contacts_{abs(hash(filters)) % 10**12}"  # a new search starts on page 1
    page = current_page(paging)
    try:
        frame, total = query(directory.search_contacts, filters, day, page=page)
    except ValidationError as exc:
        st.error(escape_markdown(str(exc)))
        return
    if total == 0:
        st.info("No contact matches. Clear the search or the filters, or add a target above.")
        return
    first = int(frame["position"].iloc[0])
    st.caption(
        f"{counted(total, 'contact')} — showing {first:,}–"
        f"{first + len(frame) - 1:,}. Click a row to open it; on a narrow screen, scroll the "
        "table sideways for Referred by, Company and Title."
    )
    picked = st.dataframe(
        directory.directory_table(frame),
        on_select="rerun",
        selection_mode="single-row",
        key=f"table_{page}",
        height="content",
        hide_index=True,
        column_order=TABLE_ORDER,
        placeholder="",  # no last touch yet: an empty cell, not a grey "None"
        column_config={
            "Name": st.column_config.TextColumn(width=TABLE_WIDTHS["Name"]),
            "Stage": st.column_config.TextColumn(width=TABLE_WIDTHS["Stage"]),
            "Due": st.column_config.TextColumn(
                width=TABLE_WIDTHS["Due"],
                help="Thank-you pending, follow-up due or overdue, or a referrer to update",
            ),
            "Last touch": st.column_config.DateColumn(
                format=DATE_COLUMN_FORMAT, width=TABLE_WIDTHS["Last touch"]
            ),
            "Referred by": st.column_config.TextColumn(width=TABLE_WIDTHS["Referred by"]),
            "Archived": None if filters.archived == "active" else "Archived",
        },
    )
    if picked.selection.rows:
        st.query_params["contact"] = str(int(frame["id"].iloc[picked.selection.rows[0]]))
        st.rerun()
    pager(paging, total, directory.PAGE_SIZE)


selected = query_id("contact")
if selected is None:
    show_directory()
else:
    show_contact(db, selected, day)
