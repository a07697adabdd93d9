"""Contacts: find anyone among many, add a target, and each contact's own view."""

import streamlit as st

from lib.core.errors import NotFoundError, ValidationError, WarmLeadsError
from lib.core.validation import clean_contact
from lib.core.vocab import SOURCE_LABELS, SOURCES, STAGE_LABELS, STAGES
from lib.engine import directory, due
from lib.records import contacts
from lib.ui.data import get_db, query, today
from lib.ui.forms import FieldErrors, every_problem, flash, show_flash
from lib.ui.mode import require_writable
from lib.ui.text import escape_markdown, markdown_link
from lib.ui.widgets import contact_link, contact_picker, current_page, pager, query_id

require_writable()
db = get_db()
day = today()


def close_contact() -> None:
    st.query_params.pop("contact", None)


def contact_form(key: str, errors: FieldErrors, values: dict) -> dict:
    """The fields of a contact, filled with `values`; returns what they hold."""
    name, company, title = st.columns(3)
    data = {"full_name": name.text_input("Name *", values.get("full_name") or "", key=f"{key}_n")}
    with name:
        errors.slot("full_name")
    data["company"] = company.text_input("Company", values.get("company") or "", key=f"{key}_c")
    data["title"] = title.text_input("Title", values.get("title") or "", key=f"{key}_t")
    email, phone, linkedin = st.columns(3)
    data["email"] = email.text_input("Email", values.get("email") or "", key=f"{key}_e")
    with email:
        errors.slot("email")
    data["phone"] = phone.text_input("Phone", values.get("phone") or "", key=f"{key}_p")
    with phone:
        errors.slot("phone")
    data["linkedin_url"] = linkedin.text_input(
        "LinkedIn URL", values.get("linkedin_url") or "", key=f"{key}_l"
    )
    with linkedin:
        errors.slot("linkedin_url")
    source, found = st.columns(2)
    current = values.get("source") or "other"
    data["source"] = source.selectbox(
        "Source",
        SOURCES,
        index=SOURCES.index(current),
        format_func=SOURCE_LABELS.get,
        key=f"{key}_s",
        help="How you identified them. Picking a referrer below makes it a referral.",
    )
    data["identified_on"] = found.date_input(
        "Identified on", values.get("identified_on") or day, max_value=day, key=f"{key}_d"
    )
    with found:
        errors.slot("identified_on")
    data["referred_by"] = contact_picker(
        "Referred by", f"{key}_ref", selected=values.get("referred_by"), nobody="Nobody"
    )
    errors.slot("referred_by")
    data["may_use_name"] = None
    if data["referred_by"] is not None:
        data["may_use_name"] = st.checkbox(
            "They said I may use their name (a warm referral)",
            value=bool(values.get("may_use_name")),
            key=f"{key}_w",
        )
    data["notes"] = st.text_area("Notes", values.get("notes") or "", key=f"{key}_o", height=90)
    errors.slot("notes")
    errors.slot("*")
    return data


def add_target() -> None:
    round_ = st.session_state.setdefault("add_round", 0)
    errors = FieldErrors()
    data = contact_form(f"add_{round_}", errors, {})
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
            st.session_state.update(add_round=round_ + 1, just_added=new_id)
            st.rerun()


def show_directory() -> None:
    st.title("Contacts")
    show_flash()
    if just_added := st.session_state.pop("just_added", None):
        card = query(directory.contact_card, just_added, day)
        contact_link(just_added, f"Open {card['full_name']}", icon=":material/person:")
    with st.expander(
        "Add a target", icon=":material/person_add:", expanded=st.query_params.get("add") == "1"
    ):
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
        f"{total:,} contact{'s' if total != 1 else ''} — showing {first:,}–"
        f"{first + len(frame) - 1:,}. Click a row to open it; on a narrow screen, scroll the "
        "table sideways for Company, Title and Referred by."
    )
    picked = st.dataframe(
        directory.directory_table(frame),
        on_select="rerun",
        selection_mode="single-row",
        key=f"table_{page}",
        height="content",
        hide_index=True,
        column_config={
            "Due": st.column_config.TextColumn(help="Thank-you pending, follow-up due or overdue"),
            "Archived": None if filters.archived == "active" else "Archived",
        },
    )
    if picked.selection.rows:
        st.query_params["contact"] = str(int(frame["id"].iloc[picked.selection.rows[0]]))
        st.rerun()
    pager(paging, total, directory.PAGE_SIZE)


def show_details(card: dict) -> None:
    lines = []
    for label, value, url in (
        ("Email", card["email"], f"mailto:{card['email']}"),
        ("Phone", card["phone"], f"tel:{card['phone']}"),
        ("LinkedIn", card["linkedin_url"], card["linkedin_url"]),
    ):
        if value:
            lines.append(f"**{label}:** {markdown_link(value, url) or escape_markdown(value)}")
    lines.append(f"**Source:** {SOURCE_LABELS.get(card['source'], 'Other')}")
    lines.append(f"**Identified:** {due.human_date(card['identified_on'])}")
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


def show_chain(card: dict) -> None:
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
        column_config={"Referred on": st.column_config.DateColumn()},
    )
    if picked.selection.rows:
        st.query_params["contact"] = str(int(down["id"].iloc[picked.selection.rows[0]]))
        st.rerun()


def edit_contact(card: dict) -> None:
    key = f"edit_{card['id']}_{st.session_state.setdefault('edit_round', 0)}"
    errors = FieldErrors()
    data = contact_form(key, errors, card)
    if st.button("Save changes", type="primary"):
        changes = {k: v for k, v in data.items() if (v or None) != (card.get(k) or None)}
        try:
            contacts.update_contact(db, card["id"], changes, today=day)
        except WarmLeadsError as exc:
            errors.show(exc)
        else:
            flash(f"Saved {data['full_name'].strip()}." if changes else "Nothing changed.")
            st.session_state["edit_round"] += 1
            st.rerun()


def archive_or_delete(card: dict) -> None:
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
    steps = due.counted(card["event_count"], "logged step")
    referred = card["referred_count"]
    kept = (
        f" The {due.counted(referred, 'person', 'people')} they referred "
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


def show_contact(contact_id: int) -> None:
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
        badges.badge("Warm referral", icon=":material/local_fire_department:", color="orange")
    if card["archived"]:
        badges.badge("Archived", color="gray")
    place = " · ".join(p for p in (card["title"], card["company"]) if p)
    if place:
        st.caption(escape_markdown(place))

    details, plan = st.columns([3, 2], gap="large")
    with details:
        show_details(card)
    with plan, st.container(border=True):
        st.markdown("**Next**")
        for step in due.next_steps(db, card, day):
            when = f" — {due.human_date(step.on)}" if step.on else ""
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

    timeline, chain, edit, manage = st.tabs(
        ["Timeline", "Referral chain", "Edit", "Archive or delete"]
    )
    with timeline:
        steps = directory.timeline_table(query(directory.timeline, card["id"]))
        # A static table wraps long notes instead of cutting them to one line; its cells are
        # Markdown, so user text is escaped.
        steps["Details"] = steps["Details"].map(escape_markdown)
        st.table(steps, hide_index=True, border="horizontal")
    with chain:
        show_chain(card)
    with edit:
        edit_contact(card)
    with manage:
        archive_or_delete(card)


selected = query_id("contact")
if selected is None:
    show_directory()
else:
    show_contact(selected)
