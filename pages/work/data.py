"""Import & export: bring in the people you know, take everything out, tidy duplicates."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.words import counted
from lib.io import exporters, importing
from lib.io.importing import batches
from lib.records import duplicates
from lib.ui import data as app_data
from lib.ui.data import get_db, query
from lib.ui.forms import flash, show_flash
from lib.ui.mode import require_writable
from lib.ui.text import escape_markdown
from lib.ui.welcome import remove_demo_control

ERROR = ":material/error:"
START_OVER_WORD = "start over"

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


def show_import(uploaded, fmt: str | None) -> None:
    """Preview one uploaded file, let the user pick targets, import on confirm."""
    try:
        parsed = read_upload(uploaded.getvalue(), fmt, today)
        plan = importing.plan_import(db, parsed)
    except WarmLeadsError as exc:
        st.error(f"{escape_markdown(uploaded.name)}: {escape_markdown(exc)}", icon=ERROR)
        return
    st.subheader(f"Preview: {plan.label}")
    for note in parsed.notes:
        st.warning(note)
    skipped = importing.skipped_problems(plan)
    counts = st.columns(4)
    counts[0].metric("New people", f"{plan.count('new'):,}")
    counts[1].metric("Known, with new details", f"{plan.count('update'):,}")
    counts[2].metric("Already up to date", f"{plan.count('unchanged'):,}")
    counts[3].metric("Left out", f"{len(skipped):,}")
    if skipped or parsed.warnings:
        title = f"Left out ({len(skipped)}) and dropped values ({len(parsed.warnings)})"
        with st.expander(title, expanded=True):
            st.dataframe(
                pd.DataFrame(
                    [("Left out", str(p)) for p in skipped]
                    + [("Value dropped", str(p)) for p in parsed.warnings],
                    columns=["What", "Where and why"],
                ),
                hide_index=True,
                column_config={"What": st.column_config.TextColumn(width="small")},
            )
    known = plan.rows[plan.rows["action"].isin(["update", "unchanged"])]
    if not known.empty:
        with st.expander(f"Already in your network ({len(known)}): only blanks are filled"):
            st.dataframe(
                known[["row", "full_name", "company", "matched_on", "fills"]].rename(
                    columns={
                        "row": "Row",
                        "full_name": "Name",
                        "company": "Company",
                        "matched_on": "Matched on",
                        "fills": "Fills in",
                    }
                ),
                hide_index=True,
            )
    new = plan.rows[plan.rows["action"] == "new"]
    picked: list[int] = []
    if not new.empty:
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
                "LinkedIn": new["linkedin_url"],  # http(s) only: checked by clean_contact
                # Text, so a row without a date shows an empty cell, not a grey "None".
                "Connected on": pd.to_datetime(new["connected_on"])
                .dt.strftime("%Y-%m-%d")
                .fillna(""),
            }
        )
        if new["connected_on"].isna().all():
            table = table.drop(columns=["Connected on"])
        filters = hash((tuple(companies), tuple(words)))
        edited = st.data_editor(
            table,
            hide_index=True,
            disabled=[c for c in table.columns if c != "Add"],
            key=f"picker-{state.upload_round}-{filters}",
            column_config={
                "LinkedIn": st.column_config.LinkColumn(display_text="profile", width="small"),
                "Row": st.column_config.NumberColumn(width="small"),
            },
        )
        picked = edited.loc[edited["Add"], "Row"].astype(int).tolist()
    updates = plan.count("update")
    label = f"Add {len(picked):,} target{'s' if len(picked) != 1 else ''}" + (
        f" and update {updates:,}" if updates else ""
    )
    if st.button(label, type="primary", disabled=not picked and not updates):
        try:
            result = importing.apply_import(db, parsed, chosen=picked, file_name=uploaded.name)
        except (WarmLeadsError, duckdb.Error) as exc:
            st.error(f"Nothing was imported: {escape_markdown(exc)}", icon=ERROR)
            return
        flash(f"{uploaded.name}: {result.summary()}")
        state.import_new = result.new
        state.upload_round += 1
        st.rerun()


def export_button(column, title: str, note: str, fmt: str, build, name: str) -> None:
    """One export: what it holds, and a button that builds the file when clicked."""
    with column:
        st.markdown(title)
        st.caption(note)
        st.download_button(
            f"Download {exporters.FILE_SUFFIXES[fmt]}",
            data=build,
            file_name=name,
            mime=exporters.MIME_TYPES[fmt],
            on_click="ignore",
            icon=":material/download:",
        )


def show_duplicates() -> None:
    """Possible duplicate pairs, a merge (or "different people") for one, and undo."""
    pairs = query(duplicates.find_duplicates)
    if pairs.empty:
        st.info(
            "No possible duplicates: no two contacts share an email or LinkedIn URL or have "
            "very similar names at the same company."
        )
        return
    total = int(pairs["total"].iloc[0])
    more = f" (the first {len(pairs):,} are listed)" if total > len(pairs) else ""
    noun = "pair looks" if total == 1 else "pairs look"
    st.markdown(f"**{total:,}** {noun} like the same person{more}.")
    st.dataframe(
        pairs[["a_id", "a_name", "a_company", "b_id", "b_name", "b_company", "reasons"]].rename(
            columns={
                "a_id": "#",
                "a_name": "Name",
                "a_company": "Company",
                "b_id": "Other #",
                "b_name": "Other name",
                "b_company": "Other company",
                "reasons": "Why",
            }
        ),
        hide_index=True,
    )
    labels = [
        f"#{r.a_id} {r.a_name} / #{r.b_id} {r.b_name} ({r.reasons})" for r in pairs.itertuples()
    ]
    pick = st.selectbox("Pair to resolve", range(len(pairs)), format_func=labels.__getitem__)
    pair = pairs.iloc[pick]
    people = {int(pair[f"{s}_id"]): pair for s in ("a", "b")}
    side = {int(pair["a_id"]): "a", int(pair["b_id"]): "b"}

    def describe(contact_id: int) -> str:
        s = side[contact_id]
        company = pair[f"{s}_company"]
        events = int(pair[f"{s}_events"])
        where = f", {company}" if isinstance(company, str) else ""
        return escape_markdown(f"#{contact_id} {pair[f'{s}_name']}{where} ({events} events)")

    ids = sorted(people, key=lambda i: -int(pair[f"{side[i]}_events"]))
    keep = st.radio(
        "Keep (the other's events, referrals and missing details move to it)",
        ids,
        format_func=describe,
        horizontal=True,
        key=f"keep-{pick}",
    )
    other = next(i for i in people if i != keep)
    merge_col, differ_col, _ = st.columns([1, 1, 2])
    if merge_col.button(f"Merge #{other} into #{keep}", type="primary"):
        try:
            merged = duplicates.merge_contacts(db, keep, other)
        except WarmLeadsError as exc:
            st.error(escape_markdown(exc), icon=ERROR)
            return
        removed_name = str(pair[f"{side[other]}_name"])
        flash(merged.summary(removed_name) + ". You can undo it below.")
        st.rerun()
    if differ_col.button("They are different people"):
        duplicates.mark_not_duplicates(db, keep, other)
        st.rerun()


def show_merges() -> None:
    """The latest merges, each with an Undo until it is undone."""
    merges = query(duplicates.recent_merges)
    if merges.empty:
        return
    st.subheader("Recent merges")
    for merge in merges.itertuples():
        text_col, button_col = st.columns([5, 1])
        when = pd.Timestamp(merge.merged_at).strftime("%Y-%m-%d %H:%M")
        kept = merge.kept_name if isinstance(merge.kept_name, str) else "a deleted contact"
        undone = not pd.isna(merge.undone_at)
        text_col.markdown(
            f"{when} · {escape_markdown(merge.removed_name)} (#{merge.removed_id}) merged into "
            f"{escape_markdown(kept)} (#{merge.kept_id})" + (" · *undone*" if undone else "")
        )
        if not undone and button_col.button("Undo", key=f"undo-{merge.id}"):
            try:
                duplicates.undo_merge(db, int(merge.id))
            except WarmLeadsError as exc:
                st.error(escape_markdown(exc), icon=ERROR)
                return
            flash(f"Merge undone: {merge.removed_name} is back.")
            st.rerun()


def import_section() -> None:
    """Upload a file; its preview and the confirm button follow."""
    new = state.pop("import_new", 0)
    if new:
        st.page_link(
            "pages/work/today.py",
            label=f"{new:,} new target{'s' if new != 1 else ''} — see them on Today",
            icon=":material/arrow_forward:",
        )
    uploaded = st.file_uploader(
        "LinkedIn Connections.csv, Google Contacts or Outlook CSV, vCard (.vcf) or a Warm Leads "
        "CSV",
        type=["csv", "vcf", "vcard", "txt"],
        key=f"upload-{state.upload_round}",
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
        show_import(uploaded, fmt)
    show_imports()
    remove_demo_control("data")
    start_over_section()


def show_imports() -> None:
    """The recorded imports, newest first, each with Undo this import until it is undone."""
    done = query(batches.list_imports)
    if not done:
        return
    st.subheader("Recent imports")
    asking = state.get("confirm_undo_import")
    for batch in done[:20]:
        with st.container(border=True):
            text, button = st.columns([4, 1], vertical_alignment="center")
            undone = f" · *undone {batch['undone_at']}*" if batch["undone_at"] else ""
            text.markdown(
                f"**{escape_markdown(batch['file'])}** · {batch['imported_at']} · "
                f"{counted(batch['added'], 'added', 'added')}, "
                f"{counted(batch['filled'], 'filled', 'filled')}{undone}"
            )
            if batch["undone_at"] or asking == batch["id"]:
                if asking == batch["id"]:
                    confirm_undo_import(batch)
                continue
            if button.button("Undo this import", key=f"undo-import-{batch['id']}"):
                state.confirm_undo_import = batch["id"]
                st.rerun()


def confirm_undo_import(batch: dict) -> None:
    """Say what undoing removes and whom it keeps; then undo."""
    kept = batches.gained(db, batch["id"])
    note = (
        " Kept, because they gained steps or referrals since: "
        + "; ".join(batches.describe_kept(p) for p in kept)
        + "."
        if kept
        else ""
    )
    st.warning(
        escape_markdown(
            f"Remove the {counted(batch['added'] - len(kept), 'contact')} this import added and "
            f"empty the blank fields it filled on {counted(batch['filled'], 'contact')}?{note}"
        )
    )
    yes, no = st.columns(2)
    if yes.button("Yes, undo it", type="primary", key=f"yes-undo-{batch['id']}"):
        state.pop("confirm_undo_import", None)
        try:
            flash(batches.undo_import(db, batch["id"]).summary())
        except WarmLeadsError as exc:
            flash(str(exc), kind="warning")
        st.rerun()
    if no.button("Cancel", key=f"no-undo-{batch['id']}"):
        state.pop("confirm_undo_import", None)
        st.rerun()


def start_over_section() -> None:
    """Back up the file beside itself and start with an empty one, after typing the word."""
    with st.expander("Start over with an empty file", icon=":material/restart_alt:"):
        st.markdown(
            "Keeps a dated copy of your file beside it (nothing is deleted), then starts "
            "with an empty one. To go back, stop the app and put the copy in its place."
        )
        typed = st.text_input(
            f"Type **{START_OVER_WORD}** to confirm", key="start_over_word", placeholder=""
        )
        ready = typed.strip().lower() == START_OVER_WORD
        if st.button("Back up and start over", disabled=not ready, icon=":material/restart_alt:"):
            try:
                backup = app_data.start_over()
            except WarmLeadsError as exc:
                st.error(escape_markdown(str(exc)), icon=ERROR)
                return
            state.pop("start_over_word", None)
            flash(f"Started over with an empty file. Your previous data is kept in {backup}.")
            st.rerun()


def export_section() -> None:
    """The three downloads, each built when clicked."""
    counts = query(exporters.export_counts, today)
    st.markdown("Your data leaves as easily as it came. Each file is built when you click.")
    columns = st.columns(3)
    stamp = today.isoformat()
    export_button(
        columns[0],
        f"**Everything (CSV)**: {counts['contacts']:,} contacts and "
        f"{counts['events']:,} events. Imports back here without loss; opens in any "
        "spreadsheet.",
        "Cells starting with = + - @ get a leading ' so a spreadsheet shows them as text "
        "instead of running them; importing the file here removes it again.",
        "csv",
        lambda: exporters.export_csv(db.cursor()),
        f"warm-leads-{stamp}.csv",
    )
    export_button(
        columns[1],
        f"**Contacts (vCard)**: {counts['contacts']:,} cards for Google Contacts, Apple "
        "Contacts or Outlook.",
        "vCard 3.0, one card per contact, archived ones included.",
        "vcard",
        lambda: exporters.export_vcard(db.cursor()),
        f"warm-leads-{stamp}.vcf",
    )
    export_button(
        columns[2],
        f"**Reminders (calendar)**: {counts['reminders']:,} follow-ups and thank-yous due "
        "today, as all-day events for Google Calendar, Apple Calendar or Outlook.",
        "Each is dated the day it fell due; overdue ones are dated today. A reminder keeps "
        "its ID in later exports, so calendars update it rather than add a copy.",
        "ics",
        lambda: exporters.export_ics(db.cursor(), today=today),
        f"warm-leads-reminders-{stamp}.ics",
    )


def duplicates_section() -> None:
    """Possible duplicates, then the latest merges."""
    show_duplicates()
    show_merges()


require_writable()
st.title("Import & export")
show_flash()
db = get_db()
today = app_data.today()
state = st.session_state
state.setdefault("upload_round", 0)
# Stateful tabs run only the open one: finding duplicates in a big file is not free.
tabs = st.tabs(["Import", "Export", "Possible duplicates"], on_change="rerun", key="data_tab")
for tab, section in zip(tabs, (import_section, export_section, duplicates_section), strict=True):
    if tab.open:
        with tab:
            section()
