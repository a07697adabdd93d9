"""One target company opened on the Companies page: the people known there and its ways in
(who, and through whom), then its edits: fields, archive, merge (with Undo) and delete."""

from __future__ import annotations

from datetime import date

import streamlit as st

from lib.core.columns import COMPANY_LABELS
from lib.core.errors import WarmLeadsError
from lib.core.validation import clean_company
from lib.core.vocab import STAGE_LABELS
from lib.core.words import counted, human_date
from lib.engine.companies import TargetCompany, WayIn, company_people, ways_in
from lib.records import companies as records
from lib.store.db import Database
from lib.ui.data import get_db, query
from lib.ui.forms import FieldErrors, every_problem, flash, form_round
from lib.ui.text import escape_markdown, markdown_link

# A company's fields as its form names them in a message ("Motivation: …").
COMPANY_FIELDS: dict[str, str] = {
    **{name: COMPANY_LABELS[name] for name in ("name", "website", "notes")},
    "motivation": "Motivation",
    "posting": "Posting",
    "file": "File",
    "other": "Company to merge",
}
ERROR = ":material/error:"


def web_link(label: str, url: str | None) -> str | None:
    """A Markdown link to a company's website or LinkedIn page: http(s) only, else None."""
    if not url or not url.strip().lower().startswith(("http://", "https://")):
        return None
    return markdown_link(label, url)


def company_detail(
    db: Database, company: TargetCompany, day: date, companies: list[TargetCompany]
) -> None:
    """The people there, the ways in, and the company's edits."""
    people = query(company_people, company.id, day)
    st.markdown("**People you know there**")
    if not people:
        st.caption(
            "Nobody yet. People are linked when their company matches this name "
            "(add them on Contacts, or import your LinkedIn connections)."
        )
    for person in people:
        title = f", {person.title}" if person.title else ""
        advocate = " · advocate" if person.advocate else ""
        st.markdown(
            f"- **{escape_markdown(person.name)}**{escape_markdown(title)} · "
            f"{STAGE_LABELS[person.stage]}{advocate} · last touch "
            f"{human_date(person.last_touch)}"
        )
    st.markdown("**Ways in**")
    ways = query(ways_in, company.id, day)
    if not ways:
        st.caption(
            "None yet: nobody outside it has referred someone there, or been referred by "
            "someone there and reached."
        )
    for line in ways_in_lines(ways):
        st.markdown(line)
    edit_form(db, company)
    changes(db, company, companies)


def ways_in_lines(ways: list[WayIn]) -> list[str]:
    """One Markdown line per way in: who, their company, and through whom they lead in."""
    people: dict[int, tuple[WayIn, list[str]]] = {}
    for way in ways:
        how = f"referred {way.there_name}" if way.referred_them else f"referred by {way.there_name}"
        people.setdefault(way.id, (way, []))[1].append(how)
    return [
        f"- **{escape_markdown(way.name)}**"
        + (f" ({escape_markdown(way.company)})" if way.company else "")
        + ": "
        + escape_markdown("; ".join(hows))
        for way, hows in people.values()
    ]


def edit_form(db: Database, company: TargetCompany) -> None:
    """The company's fields; a bad value is refused under its field, nothing written."""
    stored = query(records.get_company, company.id)
    rounds = form_round(f"company_edit_{company.id}")
    errors = FieldErrors(COMPANY_FIELDS)
    with st.form(rounds.key()):
        data = {"name": st.text_input("Company", stored["name"])}
        errors.slot("name")
        data["website"] = st.text_input(
            "Website or LinkedIn page", stored["website"] or "", placeholder="https://"
        )
        errors.slot("website")
        left, right = st.columns(2)
        with left:
            data["motivation"] = st.text_input(
                "Motivation (1–5)",
                "" if stored["motivation"] is None else str(stored["motivation"]),
                help="How much you want to work there: 5 a dream employer, 1 barely.",
            )
            errors.slot("motivation")
        with right:
            data["posting"] = st.text_input(
                "Posting (1–3)",
                "" if stored["posting"] is None else str(stored["posting"]),
                help="1 no posting, 2 any posting, 3 a posting for your target role.",
            )
            errors.slot("posting")
        data["notes"] = st.text_area("Notes", stored["notes"] or "")
        errors.slot("notes", "*")
        sent = st.form_submit_button("Save changes", type="primary")
    if not sent:
        return
    problems = every_problem(lambda part: clean_company(part, partial=True), data)
    for problem in problems:
        errors.show(problem)
    if problems:
        return
    try:
        records.update_company(db, company.id, data)
    except WarmLeadsError as exc:
        errors.show(exc)
        return
    flash(f"Saved {records.get_company(db, company.id)['name']}.")
    rounds.next()
    st.rerun()


def changes(db: Database, company: TargetCompany, companies: list[TargetCompany]) -> None:
    """Archive (or bring back), merge another company into this one, delete."""
    st.markdown("**Archive, merge or delete**")
    name = company.name
    if st.button(
        "Bring back to the list" if company.archived else "Archive",
        key=f"archive_{company.id}",
        icon=":material/unarchive:" if company.archived else ":material/archive:",
    ):
        try:
            records.archive_company(db, company.id, not company.archived)
        except WarmLeadsError as exc:  # deleted meanwhile, in another tab
            st.error(escape_markdown(exc), icon=ERROR)
            return
        flash(
            f"{name} is back on your target list."
            if company.archived
            else f"Archived {name}: off the target list; the people there stay linked to it."
        )
        st.rerun()
    others = {c.id: c.name for c in companies if c.id != company.id}
    if others:
        pick, button = st.columns([3, 1], vertical_alignment="bottom")
        other = pick.selectbox(
            f"Merge another company into {escape_markdown(name)}",
            list(others),
            index=None,
            format_func=others.get,
            placeholder="The same employer under another name",
            key=f"merge_pick_{company.id}",
        )
        if button.button("Merge", key=f"merge_{company.id}", disabled=other is None):
            try:
                merged = records.merge_companies(db, company.id, other)
            except WarmLeadsError as exc:
                st.error(escape_markdown(exc), icon=ERROR)
                return
            filled = f"; filled {', '.join(merged.filled)}" if merged.filled else ""
            moved = counted(merged.moved_contacts, "person", "people")
            flash(
                f"Merged {others[other]} into {name}: {moved} moved{filled}.",
                undo=[merged.merge_id],
            )
            st.rerun()
    st.caption(
        escape_markdown(
            f"Deleting {name} takes it off your target companies and keeps the people you know "
            f"there ({company.people:,}), with their company as you wrote it: only their link "
            "to this target goes."
        )
    )
    if st.button("Delete company", key=f"delete_{company.id}", icon=":material/delete:"):
        try:
            kept = records.delete_company(db, company.id)
        except WarmLeadsError as exc:
            st.error(escape_markdown(exc), icon=ERROR)
            return
        flash(f"Deleted {name}; the people you knew there ({kept:,}) are kept, with their company.")
        st.rerun()


def undo_merge(ids: list[int]) -> None:
    """The Undo of a merge's confirmation: the merged-away company comes back, with its people."""
    db = get_db()
    try:
        removed = records.undo_company_merge(db, ids[0])
    except WarmLeadsError as exc:
        flash(f"Could not undo the merge: {exc}", kind="warning")
        return
    flash(f"Merge undone: {records.get_company(db, removed)['name']} is back, with its people.")
