"""The referral question aimed at the user's target companies, and a referral's "Leads into"
select: shared by Log a step's conversation form and the Calling session's."""

from __future__ import annotations

from typing import Any

from lib.core.vocab import EVENT_KIND
from lib.engine.companies import Aim, aim_for, company_of, target_list
from lib.ui.data import query, today
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
