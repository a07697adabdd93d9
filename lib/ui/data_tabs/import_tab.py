"""The Import tab: upload a file, preview what it adds and fills, pick the targets, import;
the recent imports with their Undo; the demo's removal; starting over with an empty file."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.words import DATE_COLUMN_FORMAT, counted, human_moment
from lib.io import importing
from lib.io.activity.model import FORMATS as ACTIVITY_FORMATS
from lib.io.importing import batches
from lib.records.suggestions import open_by_batch
from lib.store.db import Database
from lib.ui import data as app_data
from lib.ui.data import query
from lib.ui.forms import flash, form_round
from lib.ui.text import escape_markdown
from lib.ui.welcome import remove_demo_control

ERROR = ":material/error:"
START_OVER_WORD = "start over"
UNDOING = "confirm_undo_import"  # the import whose Undo waits for its confirmation
PROBLEMS_SHOWN = 100  # rows of the left-out table; the command line lists them all

POSITION_WORDS = ["Recruiter", "Talent", "Hiring", "Head of", "Director", "VP", "Manager", "Chief"]
LINKEDIN_STEPS = """
1. On LinkedIn, open **Me → Settings & Privacy → Data privacy → Get a copy of your data**.
2. Pick **Connections** (under *Want something in particular?*) and **Request archive**.
3. LinkedIn emails you a link within minutes: download the archive and unzip it.
4. Upload **Connections.csv** here. Importing a newer copy later adds only the new
   connections and fills in blanks; nobody is added twice.
"""


@st.cache_data(show_spinner="Reading the file…", max_entries=4)
def read_upload(data: bytes, fmt: str | None, day: date) -> importing.ParsedImport:
    """Parse an upload once per file: reruns reuse it."""
    return importing.read_import(data, format=fmt, today=day)


def new_targets_link(new: int) -> str:
    """The link to Today after an import: `1 new target — see them on Today`."""
    return f"{counted(new, 'new target')} — see them on Today"


def add_button_label(picked: int, updates: int) -> str:
    """The import button: `Add 1 target`, `Add 2 targets and update 1`."""
    return f"Add {counted(picked, 'target')}" + (f" and update {updates:,}" if updates else "")


def show(db: Database, day: date) -> None:
    """Upload a file; its preview and the confirm button follow."""
    new = st.session_state.pop("import_new", 0)
    if new:
        st.page_link(
            "pages/work/today.py",
            label=new_targets_link(new),
            icon=":material/arrow_forward:",
        )
    uploaded = st.file_uploader(
        "LinkedIn Connections.csv, Google Contacts or Outlook CSV, vCard (.vcf) or a Warm Leads "
        "CSV",
        type=["csv", "vcf", "vcard", "txt"],
        key=form_round("upload").key("upload"),
    )
    fmt = st.selectbox(
        "Kind of file",
        [None, *importing.FORMATS],
        format_func=lambda f: (
            "Detect from the content" if f is None else importing.FORMAT_LABELS[f]
        ),
    )
    with st.expander("How do I download my LinkedIn connections?"):
        st.markdown(LINKEDIN_STEPS)
    if uploaded is not None:
        _preview(db, uploaded, fmt, day)
    _recent_imports(db)
    remove_demo_control("data")
    _start_over()


def _preview(db: Database, uploaded: Any, fmt: str | None, day: date) -> None:
    """Preview one uploaded file, let the user pick targets, import on confirm."""
    try:
        parsed = read_upload(uploaded.getvalue(), fmt, day)
        plan = importing.plan_import(db, parsed)
    except WarmLeadsError as exc:
        st.error(f"{escape_markdown(uploaded.name)}: {escape_markdown(exc)}", icon=ERROR)
        return
    st.subheader(f"Preview: {plan.label}")
    for note in parsed.notes:
        st.warning(note)
    _counts_and_problems(plan, parsed)
    known = plan.rows[plan.rows["action"].isin(["update", "unchanged"])]
    if not known.empty:
        with st.expander(f"Already in your network ({len(known)}): only blanks are filled"):
            st.dataframe(
                # Text cells: a blank shows empty, not a grey "None".
                known[["row", "full_name", "company", "phone", "matched_on", "fills"]]
                .rename(
                    columns={
                        "row": "Row",
                        "full_name": "Name",
                        "company": "Company",
                        "phone": "Phone",
                        "matched_on": "Matched on",
                        "fills": "Fills in",
                    }
                )
                .fillna(""),
                hide_index=True,
            )
    new = plan.rows[plan.rows["action"] == "new"]
    picked = [] if new.empty else _pick_targets(new)
    updates = plan.count("update")
    label = add_button_label(len(picked), updates)
    if st.button(label, type="primary", disabled=not picked and not updates):
        try:
            result = importing.apply_import(db, parsed, chosen=picked, file_name=uploaded.name)
        except (WarmLeadsError, duckdb.Error) as exc:
            st.error(f"Nothing was imported: {escape_markdown(exc)}", icon=ERROR)
            return
        flash(f"{uploaded.name}: {result.summary()}")
        st.session_state["import_new"] = result.new
        form_round("upload").next()
        st.rerun()


def _counts_and_problems(plan: importing.ImportPlan, parsed: importing.ParsedImport) -> None:
    """The four counts of the preview, and the rows left out and values dropped."""
    skipped = importing.skipped_problems(plan)
    counts = st.columns(4)
    counts[0].metric("New people", f"{plan.count('new'):,}")
    counts[1].metric("Known, with new details", f"{plan.count('update'):,}")
    counts[2].metric("Already up to date", f"{plan.count('unchanged'):,}")
    counts[3].metric("Left out", f"{len(skipped):,}")
    if skipped or parsed.warnings:
        title = f"Left out ({len(skipped)}) and dropped values ({len(parsed.warnings)})"
        rows = [("Left out", str(p)) for p in skipped]
        rows += [("Value dropped", str(p)) for p in parsed.warnings]
        with st.expander(title, expanded=True):
            # A table, not a data grid: each reason wraps onto as many lines as it needs.
            shown = pd.DataFrame(rows[:PROBLEMS_SHOWN], columns=["What", "Where and why"])
            st.table(shown.set_index("What"))
            if len(rows) > PROBLEMS_SHOWN:
                st.caption(
                    f"… and {len(rows) - PROBLEMS_SHOWN:,} more: `python -m lib.cli import FILE "
                    "--dry-run` lists every one."
                )


def _pick_targets(new: pd.DataFrame) -> list[int]:
    """The new people as a ticked list, narrowed by company or position; the rows kept ticked."""
    st.markdown(
        "**Not everyone you know is a target.** Everyone new is picked; narrow it down "
        "by company or by words in the position, then untick anyone else."
    )
    left, right = st.columns(2)
    companies = left.multiselect(
        "Company",
        sorted(new["company"].dropna().unique().tolist(), key=str.lower),
        placeholder="All companies",
    )
    words = right.multiselect(
        "Position contains any of",
        POSITION_WORDS,
        accept_new_options=True,
        placeholder="Recruiter, Head of, Hiring…",
    )
    table = pd.DataFrame(
        {
            "Add": importing.choose_targets(new, companies=companies, position_words=words),
            "Row": new["row"],
            "Name": new["full_name"],
            "Company": new["company"].fillna(""),
            "Position": new["title"].fillna(""),
            "Email": new["email"].fillna(""),
            "Phone": new["phone"].fillna(""),
            "LinkedIn": new["linkedin_url"],  # http(s) only: checked by clean_contact
            "Connected on": pd.to_datetime(new["connected_on"]),
        }
    )
    if new["connected_on"].isna().all():
        table = table.drop(columns=["Connected on"])
    filters = hash((tuple(companies), tuple(words)))
    edited = st.data_editor(
        table,
        hide_index=True,
        disabled=[c for c in table.columns if c != "Add"],
        key=form_round("upload").key("picker", filters),
        placeholder="",  # a row without a date shows an empty cell, not a grey "None"
        column_config={
            "LinkedIn": st.column_config.LinkColumn(display_text="profile", width="small"),
            "Row": st.column_config.NumberColumn(width="small"),
            "Connected on": st.column_config.DateColumn(format=DATE_COLUMN_FORMAT),
        },
    )
    return edited.loc[edited["Add"], "Row"].astype(int).tolist()


def _recent_imports(db: Database) -> None:
    """The recorded imports, newest first, each with Undo this import until it is undone."""
    done = query(batches.list_imports)
    if not done:
        return
    st.subheader("Recent imports")
    asking = st.session_state.get(UNDOING)
    for batch in done[:20]:
        with st.container(border=True):
            text, button = st.columns([4, 1], vertical_alignment="center")
            undone = f" · *undone {human_moment(batch['undone_at'])}*" if batch["undone_at"] else ""
            text.markdown(
                f"**{escape_markdown(batch['file'])}** · {human_moment(batch['imported_at'])} · "
                f"{_what_it_brought(batch)}{undone}"
            )
            if batch["undone_at"] or asking == batch["id"]:
                if asking == batch["id"]:
                    _confirm_undo(db, batch)
                continue
            if button.button("Undo this import", key=f"undo-import-{batch['id']}"):
                st.session_state[UNDOING] = batch["id"]
                st.rerun()


def _what_it_brought(batch: dict) -> str:
    """ "3 added, 1 filled"; an activity import's "12 suggested steps still to confirm"."""
    return batches.what_it_brought(batch, query(open_by_batch))


def _confirm_undo(db: Database, batch: dict) -> None:
    """Say what undoing removes and whom it keeps; then undo."""
    kept = batches.gained(db, batch["id"])
    note = (
        " Kept, because they gained steps or referrals since: "
        + "; ".join(batches.describe_kept(p) for p in kept)
        + "."
        if kept
        else ""
    )
    if batch["format"] in ACTIVITY_FORMATS:
        waiting = query(open_by_batch).get(batch["id"], 0)
        question = (
            f"Take back the {counted(waiting, 'suggested step')} of this import still to "
            "confirm? The steps you confirmed stay logged, and what you dismissed stays dismissed."
        )
    else:
        question = (
            f"Remove the {counted(batch['added'] - len(kept), 'contact')} this import added and "
            f"empty the blank fields it filled on {counted(batch['filled'], 'contact')}?{note}"
        )
    st.warning(escape_markdown(question))
    yes, no = st.columns(2)
    if yes.button("Yes, undo it", type="primary", key=f"yes-undo-{batch['id']}"):
        st.session_state.pop(UNDOING, None)
        try:
            flash(batches.undo_import(db, batch["id"]).summary())
        except WarmLeadsError as exc:
            flash(str(exc), kind="warning")
        st.rerun()
    if no.button("Cancel", key=f"no-undo-{batch['id']}"):
        st.session_state.pop(UNDOING, None)
        st.rerun()


def _start_over() -> None:
    """Back up the file beside itself and start with an empty one, after typing the word."""
    rounds = form_round("start_over")
    with st.expander("Start over with an empty file", icon=":material/restart_alt:"):
        st.markdown(
            "Keeps a dated copy of your file beside it (nothing is deleted), then starts "
            "with an empty one. To go back, stop the app and put the copy in its place."
        )
        typed = st.text_input(
            f"Type **{START_OVER_WORD}** to confirm",
            key=rounds.key("start_over_word"),
            placeholder="",
        )
        ready = typed.strip().lower() == START_OVER_WORD
        if st.button("Back up and start over", disabled=not ready, icon=":material/restart_alt:"):
            try:
                backup = app_data.start_over()
            except WarmLeadsError as exc:
                st.error(escape_markdown(str(exc)), icon=ERROR)
                return
            rounds.next()
            flash(f"Started over with an empty file. Your previous data is kept in {backup}.")
            st.rerun()
