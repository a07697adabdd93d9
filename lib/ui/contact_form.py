"""A contact's fields as a form: the Contacts page adds a target with it, a person's page edits
one (and, when someone else saved the same person meanwhile, shows both versions)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from lib.core.errors import EditConflictError, WarmLeadsError
from lib.core.validation import EARLIEST_DATE
from lib.core.vocab import CONTACT_FIELD_LABELS, SOURCE_LABELS, SOURCES
from lib.records import contacts
from lib.store.db import Database
from lib.ui.forms import FieldErrors, flash, form_round
from lib.ui.text import escape_markdown
from lib.ui.widgets import contact_picker

# The text boxes, three to a row, each with its widget-key suffix (the tests know them).
_TEXT_ROWS = (
    (("full_name", "n"), ("company", "c"), ("title", "t")),
    (("email", "e"), ("phone", "p"), ("linkedin_url", "l")),
)


def _label(field: str) -> str:
    """A field's label from the one description of the columns; a required one ends in *."""
    return CONTACT_FIELD_LABELS[field] + (" *" if field == "full_name" else "")


def contact_form(key: str, errors: FieldErrors, values: dict, day: date) -> dict:
    """The fields of a contact, filled with `values`; returns what they hold."""
    data: dict = {}
    for row in _TEXT_ROWS:
        for column, (field, suffix) in zip(st.columns(len(row)), row, strict=True):
            label = _label(field)
            data[field] = column.text_input(label, values.get(field) or "", key=f"{key}_{suffix}")
            with column:
                errors.slot(field)
    source, found = st.columns(2)
    current = values.get("source") or "other"
    data["source"] = source.selectbox(
        _label("source"),
        SOURCES,
        index=SOURCES.index(current),
        format_func=SOURCE_LABELS.get,
        key=f"{key}_s",
        help="How you identified them. Picking a referrer below makes it a referral.",
    )
    data["identified_on"] = found.date_input(
        _label("identified_on"),
        values.get("identified_on") or day,
        min_value=EARLIEST_DATE,
        max_value=day,
        key=f"{key}_d",
    )
    with found:
        errors.slot("identified_on")
    data["referred_by"] = contact_picker(
        _label("referred_by"), f"{key}_ref", selected=values.get("referred_by"), nobody="Nobody"
    )
    errors.slot("referred_by")
    data["may_use_name"] = None
    if data["referred_by"] is not None:
        data["may_use_name"] = st.checkbox(
            "They said I may use their name (a warm referral)",
            value=bool(values.get("may_use_name")),
            key=f"{key}_w",
        )
    data["notes"] = st.text_area(
        _label("notes"), values.get("notes") or "", key=f"{key}_o", height=90
    )
    errors.slot("notes")
    errors.slot("*")
    return data


def edit_contact(db: Database, card: dict, day: date) -> None:
    """The person's page's Edit tab: their fields, saved only if nobody changed them meanwhile."""
    key = form_round("edit").key("edit", card["id"])
    # The contact as this form was opened: a save checks that nobody changed it meanwhile
    # (another tab, another window). Taken again whenever the form is drawn afresh.
    if f"{key}_n" not in st.session_state or f"{key}_opened" not in st.session_state:
        st.session_state[f"{key}_opened"] = contacts.editable_fields(card)
    opened = st.session_state[f"{key}_opened"]
    errors = FieldErrors()
    data = contact_form(key, errors, opened, day)
    conflict = st.session_state.get(f"{key}_conflict")
    if conflict is not None:
        _show_conflict(db, card, key, conflict, day)
    elif st.button("Save changes", type="primary"):
        changes = {k: v for k, v in data.items() if (v or None) != (opened.get(k) or None)}
        _save_edit(db, card, key, changes, opened, errors, day)


def _save_edit(
    db: Database,
    card: dict,
    key: str,
    changes: dict,
    expected: dict,
    errors: FieldErrors,
    day: date,
) -> None:
    try:
        contacts.update_contact(db, card["id"], changes, today=day, expected=expected)
    except EditConflictError as exc:
        st.session_state[f"{key}_conflict"] = {
            "message": str(exc),
            "saved": exc.saved,
            "yours": {**exc.opened, **exc.yours},
            "changes": exc.yours,
        }
        st.rerun()
    except WarmLeadsError as exc:
        errors.show(exc)
    else:
        name = changes.get("full_name") or expected.get("full_name") or ""
        flash(f"Saved {name.strip()}." if changes else "Nothing changed.")
        form_round("edit").next()
        st.rerun()


def _show_conflict(db: Database, card: dict, key: str, conflict: dict, day: date) -> None:
    """Both versions side by side; nothing is overwritten unless the user says so."""
    saved, yours = conflict["saved"], conflict["yours"]
    st.warning(escape_markdown(conflict["message"]), icon=":material/sync_problem:")
    fields = contacts.changed_fields(saved, yours)
    st.dataframe(
        {
            "Field": [CONTACT_FIELD_LABELS[f] for f in fields],
            "Saved now": [_shown(saved[f]) for f in fields],
            "Your version": [_shown(yours[f]) for f in fields],
        },
        hide_index=True,
    )
    mine, theirs = st.columns(2)
    if mine.button("Save my changes anyway", type="primary", key=f"{key}_mine"):
        del st.session_state[f"{key}_conflict"]
        _save_edit(db, card, key, conflict["changes"], saved, FieldErrors(), day)
    if theirs.button("Keep the saved version", key=f"{key}_theirs"):
        del st.session_state[f"{key}_conflict"]
        flash("Kept the saved version; your changes were dropped.")
        form_round("edit").next()
        st.rerun()


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
