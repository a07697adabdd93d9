"""A person's own view on the Contacts page (`/contacts?contact=12`): details, what to do
next, timeline, referral chain, edit, archive or delete."""

from __future__ import annotations

from datetime import date

import streamlit as st

from lib.core.errors import NotFoundError
from lib.core.vocab import IMPORT_FORMAT, SOURCE_LABELS, STAGE_LABELS, STAGES, WARMTH
from lib.core.words import DATE_COLUMN_FORMAT, counted, human_date
from lib.engine import directory, due
from lib.records import contacts
from lib.store.db import Database
from lib.ui.contact_form import edit_contact
from lib.ui.data import query
from lib.ui.forms import flash, show_flash
from lib.ui.step_editor import step_corrections
from lib.ui.text import escape_markdown, markdown_link
from lib.ui.widgets import contact_link


def close_contact() -> None:
    """Back to the list: the page shows the directory again."""
    st.query_params.pop("contact", None)


def show_contact(db: Database, contact_id: int, day: date) -> None:
    """The person's page: who they are, the next step, and the tabs that change them."""
    st.button("All contacts", icon=":material/arrow_back:", on_click=close_contact, type="tertiary")
    try:
        card = query(directory.contact_card, contact_id, day)
    except NotFoundError:
        st.title("Contacts")
        st.warning(f"There is no contact #{contact_id} (it may have been deleted).")
        return
    st.title(escape_markdown(card["full_name"]), anchor=False)
    show_flash()
    badges = st.container(horizontal=True)
    badges.badge(STAGE_LABELS[STAGES[int(card["stage"]) - 1]], color="blue")
    if card["referred_by"] and card["may_use_name"]:
        badges.badge(WARMTH.label("warm"), icon=":material/local_fire_department:", color="orange")
    if card["archived"]:
        badges.badge("Archived", color="gray")
    place = " · ".join(p for p in (card["title"], card["company"]) if p)
    if place:
        st.caption(escape_markdown(place))

    details, plan = st.columns([3, 2], gap="large")
    with details:
        _details(card)
    with plan, st.container(border=True):
        _next_steps(db, card, day)

    timeline, chain, edit, manage = st.tabs(
        ["Timeline", "Referral chain", "Edit", "Archive or delete"]
    )
    with timeline:
        _timeline(db, card, day)
    with chain:
        _chain(card)
    with edit:
        edit_contact(db, card, day)
    with manage:
        _archive_or_delete(db, card)


def _details(card: dict) -> None:
    lines = []
    for label, value, url in (
        ("Email", card["email"], f"mailto:{card['email']}"),
        ("Phone", card["phone"], f"tel:{card['phone']}"),
        ("LinkedIn", card["linkedin_url"], card["linkedin_url"]),
    ):
        if value:
            lines.append(f"**{label}:** {markdown_link(value, url) or escape_markdown(value)}")
    lines.append(f"**Source:** {escape_markdown(source_words(card))}")
    lines.append(f"**Identified:** {human_date(card['identified_on'])}")
    st.markdown("  \n".join(lines))
    if card["referred_by"]:
        warm = "may use their name" if card["may_use_name"] else "not cleared to use their name"
        st.markdown(f"**Referred by** ({warm}):")
        contact_link(
            card["referred_by"], card["referrer_name"] or "(unknown)", icon=":material/north_west:"
        )
    if card["notes"]:
        st.markdown("**Notes**")
        st.text(card["notes"])


def _next_steps(db: Database, card: dict, day: date) -> None:
    st.markdown("**Next**")
    for step in due.next_steps(db, card, day):
        when = f" — {human_date(step.on)}" if step.on else ""
        st.markdown(f"**{step.action}**{when}")
        if step.why:
            st.caption(escape_markdown(step.why))
    links = st.container(horizontal=True)
    params = {"contact": str(card["id"])}
    links.page_link(
        "pages/work/log.py",
        label="Log a step",
        icon=":material/edit_note:",
        query_params=params,
    )
    links.page_link(
        "pages/work/pitch.py",
        label="Message templates",
        icon=":material/record_voice_over:",
        query_params=params,
    )


def _timeline(db: Database, card: dict, day: date) -> None:
    """The contact's story, notes in full; pick a logged step to correct or delete it."""
    frame = query(directory.timeline, card["id"])
    steps = directory.timeline_table(frame)
    # A static table wraps long notes instead of cutting them to one line; its cells are
    # Markdown, so user text is escaped.
    steps["Details"] = steps["Details"].map(escape_markdown)
    st.table(steps, hide_index=True, border="horizontal")
    step_corrections(db, card["id"], frame, day)


def _chain(card: dict) -> None:
    up = query(directory.referral_chain_up, card["id"])
    st.markdown("**Who led you here**" if len(up) else "**Nobody referred them** — a first target.")
    for person in up.itertuples():
        contact_link(int(person.id), person.full_name, icon=":material/north_west:")
    down, total = query(directory.referral_tree_down, card["id"])
    if not total:
        st.markdown("**They have not referred anyone yet.**")
        return
    direct = int((down["generation"] == 1).sum())
    st.markdown(
        f"**Whom they led you to:** {direct} referred directly, {total:,} in all down the chain."
    )
    for column in ("company", "referred_by_name"):  # no grey "None" in empty cells
        down[column] = down[column].fillna("")
    picked = st.dataframe(
        down.rename(
            columns={
                "generation": "Generation",
                "full_name": "Name",
                "company": "Company",
                "referred_by_name": "Referred by",
                "may_use_name": "Warm",
                "identified_on": "Referred on",
            }
        ).set_index("id"),
        on_select="rerun",
        selection_mode="single-row",
        key="chain_down",
        column_config={"Referred on": st.column_config.DateColumn(format=DATE_COLUMN_FORMAT)},
    )
    if picked.selection.rows:
        st.query_params["contact"] = str(int(down["id"].iloc[picked.selection.rows[0]]))
        st.rerun()


def _archive_or_delete(db: Database, card: dict) -> None:
    name = card["full_name"]
    if card["archived"]:
        st.caption("Archived: kept in your history and stats, hidden from the due lists.")
        if st.button("Unarchive", icon=":material/unarchive:"):
            contacts.set_archived(db, card["id"], False)
            flash(f"Unarchived {name}: back on the due lists.")
            st.rerun()
    else:
        st.caption("Archive someone who is no longer part of your search; nothing is lost.")
        if st.button("Archive", icon=":material/archive:"):
            contacts.set_archived(db, card["id"], True)
            flash(f"Archived {name}: hidden from the due lists, kept in your history.")
            st.rerun()
    st.divider()
    if st.session_state.get("confirm_delete") != card["id"]:
        if st.button("Delete…", icon=":material/delete:"):
            st.session_state["confirm_delete"] = card["id"]
            st.rerun()
        return
    steps = counted(card["event_count"], "logged step")
    referred = card["referred_count"]
    kept = (
        f" The {counted(referred, 'person', 'people')} they referred "
        f"{'stays' if referred == 1 else 'stay'}, without a referrer."
    )
    st.warning(
        f"Delete **{escape_markdown(name)}** and their {steps}? "
        f"This cannot be undone.{kept if referred else ''}"
    )
    yes_no = st.container(horizontal=True)
    if yes_no.button("Yes, delete", type="primary"):
        contacts.delete_contact(db, card["id"])
        st.session_state.pop("confirm_delete", None)
        close_contact()
        flash(f"Deleted {name} and their {steps}.")
        st.rerun()
    if yes_no.button("Cancel"):
        st.session_state.pop("confirm_delete", None)
        st.rerun()


def source_words(card: dict) -> str:
    """How the person was found; an address-book import's people say which address book
    ("Address book (vCard, phone.vcf)"), where the stored source can only say "other"."""
    imported = card.get("imported_format")
    if card["source"] == "other" and imported in ADDRESS_BOOKS:
        return f"Address book ({IMPORT_FORMAT.label(imported)}, {card['imported_file']})"
    return SOURCE_LABELS.get(card["source"], SOURCE_LABELS["other"])


# Imports whose people come from an address book, not from how you met them.
ADDRESS_BOOKS = frozenset({"google", "outlook", "thunderbird", "yahoo", "vcard"})
