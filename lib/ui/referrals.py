"""The referral question aimed at the user's target companies, and the referrals-given rows
with their "Leads into" select: shared by Log a step's conversation form and the Calling
session's."""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib.core.vocab import EVENT_KIND
from lib.engine.companies import Aim, aim_for, company_of, target_list
from lib.ui.data import query, today
from lib.ui.forms import FieldErrors
from lib.ui.text import escape_markdown

NO_TARGET = "No target company"


def aim(contact_id: int | None) -> Aim:
    """The target companies this person's referral question names (docs/METHOD.md): the
    engine's `referral_aim`, over the one cached target list the form's selects use too."""
    targets = query(target_list, today())
    return aim_for(targets, query(company_of, contact_id) if targets else None)


def asked_label(contact_id: int | None) -> str:
    """The "asked for referrals" checkbox's label, with the question to ask in quotes (a
    label is Markdown: the company names in it are escaped)."""
    question = escape_markdown(aim(contact_id).question())
    return f"{EVENT_KIND.label('referral_asked')} — “{question}”"


def target_names() -> dict[int, str]:
    """The target companies a referral may lead into, id → name, in LAMP order."""
    return {company.id: company.name for company in query(target_list, today())}


def leads_into(
    targets: dict[int, str], row: int, key: str, *, container: Any, shown: str = "visible"
) -> int | None:
    """Referral `row`'s "Leads into" select in `container` (no target company by default);
    nothing is drawn, and None returned, when the user has no target companies."""
    if not targets:
        return None
    return container.selectbox(
        f"Referral {row}: leads into",
        list(targets),
        index=None,  # none chosen: the placeholder says so, and × clears a choice
        format_func=targets.get,
        placeholder=NO_TARGET,
        key=key,
        label_visibility=shown,
        help="The target company they work at: whoever gave you their name becomes a way in there.",
    )


def referral_rows(rows: int, key: str, errors: FieldErrors, *, grid: bool) -> list[dict[str, Any]]:
    """The referrals-given rows of a conversation form: name, company, the target company it
    leads into (when the user has targets) and may-use-their-name, each row's errors below it.

    `grid`: one row of columns per referral under one header row (Log a step, the queue);
    otherwise every field on its own line, labelled (the Calling session, read on a phone).
    """
    targets = target_names()
    referrals = []
    for row in range(1, rows + 1):
        if grid:
            name, company, *into, warm = st.columns(
                [3, 3, 3, 2] if targets else [3, 3, 2], vertical_alignment="bottom"
            )
            shown = "visible" if row == 1 else "collapsed"  # one header row for the grid
            warm_label, placeholders = "May use their name", (f"Name {row}", "Company")
        else:
            name = company = warm = st
            into, shown = [st], "visible"
            warm_label, placeholders = f"Referral {row}: may use their name", (None, None)
        referrals.append(
            {
                "full_name": name.text_input(
                    f"Referral {row}: name",
                    key=f"{key}_r{row}n",
                    placeholder=placeholders[0],
                    label_visibility=shown,
                ),
                "company": company.text_input(
                    f"Referral {row}: company",
                    key=f"{key}_r{row}c",
                    placeholder=placeholders[1],
                    label_visibility=shown,
                ),
                "leads_into": leads_into(
                    targets,
                    row,
                    f"{key}_r{row}t",
                    container=into[0] if into else None,
                    shown=shown,
                ),
                "may_use_name": warm.checkbox(warm_label, key=f"{key}_r{row}w"),
            }
        )
        errors.slot(
            f"referral {row} full_name", f"referral {row} company", f"referral {row} leads_into"
        )
    return referrals
