"""Contacts: find anyone among many, add a target, and each contact's own view."""

import pandas as pd
import streamlit as st

from lib.core.errors import EditConflictError, NotFoundError, ValidationError, WarmLeadsError
from lib.core.validation import EARLIEST_DATE, clean_contact
from lib.core.vocab import (
    ATTEMPT_OUTCOME,
    CHANNEL_LABELS,
    CHANNELS,
    CONTACT_FIELD_LABELS,
    EVENT_KINDS,
    EVENT_LABELS,
    SOURCE_LABELS,
    SOURCES,
    STAGE_LABELS,
    STAGES,
    TIMELINE,
)
from lib.core.words import counted, human_date
from lib.engine import directory, due
from lib.records import changes, contacts, events
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
        "Identified on",
        values.get("identified_on") or day,
        min_value=EARLIEST_DATE,
        max_value=day,
        key=f"{key}_d",
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
            "Due": st.column_config.TextColumn(
                width="medium",
                help="Thank-you pending, follow-up due or overdue, or a referrer to update",
            ),
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
    round_ = st.session_state.setdefault("edit_round", 0)
    key = f"edit_{card['id']}_{round_}"
    # The contact as this form was opened: a save checks that nobody changed it meanwhile
    # (another tab, another window). Taken again whenever the form is drawn afresh.
    if f"{key}_n" not in st.session_state or f"{key}_opened" not in st.session_state:
        st.session_state[f"{key}_opened"] = contacts.editable_fields(card)
    opened = st.session_state[f"{key}_opened"]
    errors = FieldErrors()
    data = contact_form(key, errors, opened)
    conflict = st.session_state.get(f"{key}_conflict")
    if conflict is not None:
        show_conflict(card, key, conflict)
    elif st.button("Save changes", type="primary"):
        changes = {k: v for k, v in data.items() if (v or None) != (opened.get(k) or None)}
        save_edit(card, key, changes, opened, errors)


def save_edit(card: dict, key: str, changes: dict, expected: dict, errors: FieldErrors) -> None:
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
        st.session_state["edit_round"] += 1
        st.rerun()


def show_conflict(card: dict, key: str, conflict: dict) -> None:
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
        save_edit(card, key, conflict["changes"], saved, FieldErrors())
    if theirs.button("Keep the saved version", key=f"{key}_theirs"):
        del st.session_state[f"{key}_conflict"]
        flash("Kept the saved version; your changes were dropped.")
        st.session_state["edit_round"] += 1
        st.rerun()


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


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


def show_timeline(card: dict) -> None:
    """The contact's story, notes in full; pick a logged step to correct or delete it."""
    frame = query(directory.timeline, card["id"])
    steps = directory.timeline_table(frame)
    # A static table wraps long notes instead of cutting them to one line; its cells are
    # Markdown, so user text is escaped.
    steps["Details"] = steps["Details"].map(escape_markdown)
    st.table(steps, hide_index=True, border="horizontal")
    logged = frame[frame["event_id"].notna()]
    if logged.empty:
        return
    choices = {
        int(row.event_id): " · ".join(
            part
            for part in (
                human_date(pd.Timestamp(row.day).date()),
                TIMELINE.label(row.what),
                (row.detail or "")[:40] if isinstance(row.detail, str) else "",
            )
            if part
        )
        for row in logged.itertuples()
    }
    picked = st.selectbox(
        "Correct or delete a step",
        list(choices),
        index=None,
        format_func=choices.get,
        placeholder="Pick a logged step",
        key=f"timeline_{card['id']}_{st.session_state.get('step_round', 0)}",
    )
    if picked is not None:
        correct_step(card, int(picked))


def step_done(message: str) -> None:
    flash(message)
    st.session_state.pop("step_pending", None)
    st.session_state["step_round"] = st.session_state.get("step_round", 0) + 1
    st.rerun()


def correct_step(card: dict, event_id: int) -> None:
    """Edit or delete one step, after a confirmation that says what moves."""
    try:
        event = events.get_event(db, event_id)
    except NotFoundError as exc:
        st.warning(escape_markdown(str(exc)))
        return
    pending = st.session_state.get("step_pending")
    if pending and pending["event"] == event_id:
        confirm_step(card, event, pending)
        return
    with st.container(border=True):
        st.markdown(
            f"**{escape_markdown(EVENT_LABELS.get(event['kind'], event['kind']))}** on "
            f"{human_date(event['occurred_on'])}"
        )
        errors = FieldErrors()
        key = f"step_{event_id}"
        with st.form(key):
            kind_col, on_col, channel_col = st.columns(3)
            kind = kind_col.selectbox(
                "Step",
                EVENT_KINDS,
                index=EVENT_KINDS.index(event["kind"]) if event["kind"] in EVENT_KINDS else 0,
                format_func=lambda k: EVENT_LABELS.get(k, k),
                key=f"{key}_kind",
            )
            on = on_col.date_input(
                "Date", event["occurred_on"], max_value=day, key=f"{key}_on", format="YYYY-MM-DD"
            )
            with on_col:
                errors.slot("occurred_on")
            choices = [None, *CHANNELS]
            channel = channel_col.selectbox(
                "Channel",
                choices,
                index=choices.index(event["channel"]) if event["channel"] in choices else 0,
                format_func=lambda c: "No channel" if c is None else CHANNEL_LABELS[c],
                key=f"{key}_channel",
            )
            outcome = st.selectbox(
                "Outcome (call attempts only)",
                ATTEMPT_OUTCOME.order,
                index=(
                    ATTEMPT_OUTCOME.order.index(event["outcome"])
                    if event.get("outcome") in ATTEMPT_OUTCOME
                    else 0
                ),
                format_func=ATTEMPT_OUTCOME.label,
                key=f"{key}_outcome",
                help="How a call attempt ended; other steps have no outcome.",
            )
            notes = st.text_area("Notes", event["notes"] or "", key=f"{key}_notes", height=80)
            errors.slot("notes")
            errors.slot("*")
            buttons = st.container(horizontal=True)
            save = buttons.form_submit_button("Save changes…", type="primary")
            delete = buttons.form_submit_button("Delete…", icon=":material/delete:")
    if save:
        wanted = {"kind": kind, "occurred_on": on, "channel": channel, "notes": notes}
        wanted["outcome"] = outcome if kind == "attempt" else None
        try:
            events.clean_event_edit(event, wanted, today=day)
        except WarmLeadsError as exc:
            errors.show(exc)
            return
        st.session_state["step_pending"] = {"event": event_id, "action": "edit", "changes": wanted}
        st.rerun()
    if delete:
        st.session_state["step_pending"] = {"event": event_id, "action": "delete"}
        st.rerun()


def confirm_step(card: dict, event: dict, pending: dict) -> None:
    """Say what the change does (the engine, in a rolled-back transaction); then do it."""
    event_id = event["id"]
    label = EVENT_LABELS.get(event["kind"], event["kind"])
    with st.container(border=True):
        if pending["action"] == "edit":
            whole, referrals = False, "keep"
            question = f"Save the changes to “{label}” on {human_date(event['occurred_on'])}?"
            yes = "Yes, save"
        else:
            steps, people = events.conversation_of(db, event_id)
            whole = False
            if len(steps) > 1:
                whole = st.radio(
                    "Delete",
                    [False, True],
                    format_func=lambda w: (
                        f"The whole conversation ({counted(len(steps), 'step')})"
                        if w
                        else f"Only this step ({label})"
                    ),
                    key=f"whole_{event_id}",
                )
            referrals = "keep"
            if people and whole:
                names = ", ".join(p["full_name"] for p in people)
                referrals = st.radio(
                    f"The conversation added {counted(len(people), 'referral')}: {names}",
                    ["keep", "delete"],
                    format_func={
                        "keep": "Keep them as targets",
                        "delete": "Delete them too (only those with no steps of their own)",
                    }.get,
                    key=f"referrals_{event_id}",
                )

            what = "the whole conversation" if whole else f"“{label}”"
            question = f"Delete {what} of {human_date(event['occurred_on'])}?"
            yes = "Yes, delete"
        try:
            if pending["action"] == "edit":
                moves = changes.edit_preview(db, event_id, pending["changes"], day)
            else:
                moves = changes.delete_preview(
                    db, event_id, day, whole_conversation=whole, referrals=referrals
                )
        except WarmLeadsError as exc:
            st.error(escape_markdown(str(exc)), icon=":material/error:")
            st.session_state.pop("step_pending", None)
            return
        st.warning(f"{escape_markdown(question)} {escape_markdown(moves)}", icon=":material/help:")
        buttons = st.container(horizontal=True)
        if buttons.button(yes, type="primary", key=f"yes_{event_id}"):
            try:
                if pending["action"] == "edit":
                    done = events.edit_event(db, event_id, pending["changes"], today=day)
                else:
                    done = events.delete_event(
                        db, event_id, whole_conversation=whole, referrals=referrals
                    )
            except WarmLeadsError as exc:
                st.error(escape_markdown(str(exc)), icon=":material/error:")
                return
            step_done(done.message)
        if buttons.button("Cancel", key=f"cancel_{event_id}"):
            st.session_state.pop("step_pending", None)
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

    timeline, chain, edit, manage = st.tabs(
        ["Timeline", "Referral chain", "Edit", "Archive or delete"]
    )
    with timeline:
        show_timeline(card)
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
