"""The Companies page's list: adding and importing target companies, the LAMP list (each
company's people by stage, advocates, ways in, next step and last touch), the shared-view
setting, and the Dashboard's one line about them (docs/METHOD.md "Target companies")."""

from __future__ import annotations

from datetime import date

import streamlit as st

from lib.core.errors import ValidationError, WarmLeadsError
from lib.core.vocab import STAGE_LABELS
from lib.core.words import counted, human_date
from lib.engine.companies import TargetCompany, referral_question, summarize, target_list
from lib.records import companies as records
from lib.records.settings import (
    companies_in_shared_view,
    company_names_shown,
    set_companies_in_shared_view,
)
from lib.store.db import Database
from lib.ui.company_edit import COMPANY_FIELDS, company_detail, web_link
from lib.ui.data import query
from lib.ui.forms import FieldErrors, flash, form_round
from lib.ui.text import escape_markdown

PAGE_SIZE = 50  # companies drawn at once; "Show more" adds as many again
# LAMP's Posting, in words (1 none, 2 any posting, 3 a posting for the target role).
POSTING_WORDS: dict[int, str] = {1: "no posting", 2: "a posting", 3: "a posting for your role"}
NAMES_LABEL = "Company names, one per line"
UPLOAD_LABEL = "Import a list (one name per line, or a CSV with a Name or Company column)"
SHARED_LABEL = "Show company names in the shared view"


def companies_line(day: date) -> None:
    """The Dashboard's line: targets, with an advocate, with a way in, none yet (counts only)."""
    companies = query(target_list, day)
    if companies:
        st.markdown(":material/business: " + summarize(companies).line())


def tree_companies(day: date, *, redact: bool) -> dict[int, str] | None:
    """The Network page's choice of colours: None for stages, else target company → its name.

    Offered when there are target companies. A redacted view names them "Target company 1"…
    (in the list's order) unless the user allows names there.
    """
    companies = query(target_list, day)
    if not companies:
        return None
    choice = st.radio(
        "Colour the referral tree by",
        ["stage", "company"],
        format_func={"stage": "Furthest step", "company": "Target company"}.get,
        horizontal=True,
        key="tree_colours",
    )
    if choice == "stage":
        return None
    named = query(company_names_shown, redact=redact)
    return {c.id: c.name if named else f"Target company {n}" for n, c in enumerate(companies, 1)}


def add_form(db: Database) -> None:
    """ "Add target companies": one name, or a pasted list; duplicates by key merge, said so."""
    rounds = form_round("companies_add")
    errors = FieldErrors(COMPANY_FIELDS)
    with st.form(rounds.key(), border=True):
        st.subheader("Add target companies")
        text = st.text_area(
            NAMES_LABEL,
            placeholder="Acme\nGlobex\nInitech",
            help="One name, or a list pasted from anywhere (a Chamber of Commerce members list, "
            "a spreadsheet column). “Acme, Inc.”, “ACME Inc” and “Acme” are one company.",
        )
        errors.slot("name", "*")
        sent = st.form_submit_button("Add companies", type="primary", icon=":material/add:")
    if not sent:
        return
    names = records.read_company_names(text or "")
    if not names:
        errors.show(ValidationError("name", "is required: type a company's name, one per line"))
        return
    try:
        if len(names) == 1:
            added = records.add_company(db, {"name": names[0][1]})
            message, kind = added.message + ".", "success" if added.added else "info"
        else:
            result = records.import_companies(db, text)
            message, kind = result.summary() + ".", "success" if result.added else "info"
    except WarmLeadsError as exc:
        errors.show(exc)
        return
    flash(message, kind=kind)
    rounds.next()
    st.rerun()


def import_upload(db: Database) -> None:
    """A file of names (one a line, or a CSV's Name or Company column), imported on a click."""
    rounds = form_round("companies_upload")
    with st.container(border=True):
        upload = st.file_uploader(
            UPLOAD_LABEL,
            type=["txt", "csv"],
            key=rounds.key(),
            max_upload_size=records.MAX_LIST_BYTES // 1_000_000,
        )
        if upload is None or not st.button("Import this list", icon=":material/upload:"):
            return
        try:
            result = records.import_companies(db, records.decode_names(upload.getvalue()))
        except WarmLeadsError as exc:
            st.error(escape_markdown(exc), icon=":material/error:")
            return
    flash(
        f"Imported {upload.name}: {result.summary()}.", kind="success" if result.added else "info"
    )
    rounds.next()
    st.rerun()


def _show_more() -> None:
    st.session_state["companies_shown"] = _shown() + PAGE_SIZE


def _shown() -> int:
    return int(st.session_state.get("companies_shown", PAGE_SIZE))


def target_list_section(db: Database, day: date) -> None:
    """The target list in LAMP order, the first PAGE_SIZE drawn, more on request."""
    st.subheader("Your target list")
    archived = st.toggle("Show archived companies", key="companies_archived")
    # The same call as the Dashboard's and the Network's (one cached answer) unless archived.
    companies = query(target_list, day, archived=True) if archived else query(target_list, day)
    if not companies:
        st.info(
            "**No target companies yet.** Add the employers you want to work for above: a "
            "list of about 40, each with Motivation (how much you want to work there, 1–5) "
            "and Posting (1 none, 2 any posting, 3 one for your role). The people you already "
            "know there are linked by their company."
        )
        return
    st.markdown(summarize([c for c in companies if not c.archived]).line())
    st.caption(
        "Sorted as the LAMP list sorts: Motivation, then Posting, then advocates (people there "
        "you have talked to). Work it from the top. Open a company for its people, its ways "
        "in and its settings."
    )
    shown = _shown()
    for company in companies[:shown]:
        company_card(db, company, day, companies)
    if len(companies) > shown:
        st.caption(f"Showing the first {shown:,} of {len(companies):,} companies.")
        st.button("Show more", icon=":material/expand_more:", on_click=_show_more)


def people_words(company: TargetCompany) -> str:
    """ "4 people known (2 Targeted, 2 Asked for referrals) · 2 advocates · 1 way in"."""
    stages = ", ".join(
        f"{count:,} {STAGE_LABELS[stage]}" for stage, count in company.by_stage.items() if count
    )
    people = counted(company.people, "person", "people") + " known"
    return " · ".join(
        [
            people + (f" ({stages})" if stages else ""),
            counted(company.advocates, "advocate"),
            counted(company.ways_in, "way in", "ways in"),
            f"last touch {human_date(company.last_touch)}",
        ]
    )


def levels_words(company: TargetCompany) -> str:
    """ "Motivation 5 · Posting 3 (a posting for your role)"; a dash where not set."""
    posting = f"{company.posting} ({POSTING_WORDS[company.posting]})" if company.posting else "–"
    return f"Motivation {company.motivation or '–'} · Posting {posting}"


def company_card(
    db: Database, company: TargetCompany, day: date, companies: list[TargetCompany]
) -> None:
    """One company of the list: its numbers, its next step, and (opened) its detail."""
    with st.container(border=True):
        name = web_link(company.name, company.website) or escape_markdown(company.name)
        archived = " · *archived*" if company.archived else ""
        st.markdown(f"**{name}** · {levels_words(company)}{archived}")
        st.markdown(escape_markdown(people_words(company)))
        if not (company.advocates or company.ways_in):
            question = referral_question([company.name])
            st.markdown(
                f"**No way in yet.** Ask each person you talk to: *{escape_markdown(question)}*"
            )
        if company.next_step != "ask_referral":
            st.markdown(f"**Next:** {escape_markdown(company.next_words)}")
        with st.expander(
            "People, ways in and changes", key=f"company_{company.id}", on_change="rerun"
        ) as box:
            if box.open:
                company_detail(db, company, day, companies)


def shared_view_setting(db: Database) -> None:
    """The setting that lets the shared (redacted) view name target companies; off at first."""
    allowed = query(companies_in_shared_view)
    wanted = st.toggle(
        SHARED_LABEL,
        value=allowed,
        help="Off: the shared view and a redacted report show your target companies as counts "
        "only. On: they name the companies (never the people you know there).",
    )
    if wanted != allowed:
        set_companies_in_shared_view(db, wanted)
        flash(
            "The shared view now names your target companies."
            if wanted
            else "The shared view now shows your target companies as counts only."
        )
        st.rerun()
