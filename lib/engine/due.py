"""What the method asks of you on a day: the due lists with who, why and how warm, and next steps.

The rules are those of docs/METHOD.md "Due lists", computed once in
`lib.engine.stats.DUE_SQL`; this module adds the people's names and the words a job-seeker
reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from lib.core.vocab import (
    DUE_LISTS,
    FOLLOW_UP_MAX_DAYS,
    FOLLOW_UP_MIN_DAYS,
    THANKS_OWED_KINDS,
)
from lib.core.words import days_phrase, human_date
from lib.engine.stats import DUE_SQL
from lib.store.db import Database

# The order the Today page shows the lists in: the method's order (labels: lib.core.vocab).
TODAY_LISTS: tuple[str, ...] = (
    "to_contact",
    "thank_you_pending",
    "follow_up_due",
    "follow_up_overdue",
)
PAGE_SIZE = 5
# close_loop lists referrers with the referrals to tell them about: Today shows it in a
# section of its own (lib.engine.loops).
assert set(TODAY_LISTS) | {"close_loop"} == set(DUE_LISTS)


def _sql_words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{word}'" for word in words)  # a fixed vocabulary, never user input


def due_page(
    db: Database, day: date, pages: Mapping[str, int] | None = None, page_size: int = PAGE_SIZE
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One page of each due list as of `day` (rows with names, referrer, dates) and the counts.

    `pages` maps a list to its page number (from 1; past the end means its last page).
    Order within a list: to contact — warm referrals first, then longest waiting;
    the others — longest waiting first.
    """
    pages = pages or {}
    lists = " UNION ALL ".join(
        f"SELECT '{name}' AS list, {rank} AS list_rank, id FROM due WHERE {name}"
        for rank, name in enumerate(TODAY_LISTS)  # fixed names, never user input
    )
    offsets = " ".join(f"WHEN '{name}' THEN $page_{rank}" for rank, name in enumerate(TODAY_LISTS))
    frame = db.df(
        f"""
        WITH due AS ({DUE_SQL}),
        listed AS ({lists}),
        ranked AS (
            SELECT l.list, l.list_rank, l.id,
                   row_number() OVER (
                       PARTITION BY l.list
                       ORDER BY
                           CASE WHEN l.list = 'to_contact'
                                THEN c.referred_by IS NOT NULL AND coalesce(c.may_use_name, false)
                           END DESC,
                           CASE WHEN l.list = 'to_contact' THEN c.referred_by IS NOT NULL END DESC,
                           CASE l.list WHEN 'to_contact' THEN c.identified_on
                                       WHEN 'thank_you_pending' THEN d.thanks_owed_since
                                       ELSE d.last_touch END,
                           l.id
                   ) AS position,
                   count(*) OVER (PARTITION BY l.list) AS total
            FROM listed l
            JOIN due d ON d.id = l.id
            JOIN contacts c ON c.id = l.id
        ),
        paged AS (
            SELECT *, least((CASE list {offsets} END - 1) * $size, (total - 1) // $size * $size)
                   AS skip
            FROM ranked
        )
        SELECT p.list, p.position, p.total, c.id, c.full_name, c.company, c.title, c.email,
               c.phone, d.stage, c.identified_on,
               date_diff('day', c.identified_on, $t::DATE) AS days_since_identified,
               d.last_touch, d.days_since_touch, d.thanks_owed_since,
               coalesce(d.last_given = d.thanks_owed_since, false) AS owed_for_referral,
               EXISTS (
                   SELECT 1 FROM events e
                   WHERE e.contact_id = p.id AND e.occurred_on = d.thanks_owed_since
                     AND e.kind IN ({_sql_words(THANKS_OWED_KINDS)})
               ) AS owed_for_talk,
               c.referred_by, ref.full_name AS referrer_name, c.may_use_name
        FROM paged p
        JOIN due d ON d.id = p.id
        JOIN contacts c ON c.id = p.id
        LEFT JOIN contacts ref ON ref.id = c.referred_by
        WHERE p.position > p.skip AND p.position <= p.skip + $size
        ORDER BY p.list_rank, p.position
        """,
        {
            "t": day,
            "from": None,
            "size": page_size,
            **{
                f"page_{rank}": max(1, int(pages.get(name, 1)))
                for rank, name in enumerate(TODAY_LISTS)
            },
        },
    )
    counts = {name: 0 for name in TODAY_LISTS}
    counts.update({name: int(n) for name, n in frame.groupby("list")["total"].first().items()})
    return _records(frame.drop(columns="total")), counts


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with None for missing values and `date`s for dates."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for row in rows:
        for key, value in row.items():
            if isinstance(value, pd.Timestamp):
                row[key] = value.date()
    return rows


def warm_intro(referrer_name: str | None, may_use_name: bool | None) -> str | None:
    """The line that opens a referral's first call, or None for a target nobody referred."""
    if not referrer_name:
        return None
    if may_use_name:
        return f"“{referrer_name} suggested I get in touch” — you may use their name"
    return f"Referred by {referrer_name} — not cleared to use their name"


def why_due(row: Mapping[str, Any], day: date) -> str:
    """Why a row of `due_page` is on its list, in a few words."""
    which = row["list"]
    if which == "to_contact":
        how = "Referred" if row.get("referrer_name") else "Targeted"
        return f"{how} {days_phrase(row['days_since_identified'])} — not contacted yet"
    if which == "thank_you_pending":
        owed = row["thanks_owed_since"]
        what = {
            (True, True): "Talked with you and gave you a referral",
            (False, True): "Gave you a referral",
        }.get(
            (bool(row.get("owed_for_talk")), bool(row.get("owed_for_referral"))), "Talked with you"
        )
        return f"{what} {days_phrase((day - owed).days)} — no thank-you since"
    days = int(row["days_since_touch"])
    if which == "follow_up_due":
        left = FOLLOW_UP_MAX_DAYS - days
        when = "today" if left == 0 else f"within {left} day{'s' if left != 1 else ''}"
        return f"Last touch {days_phrase(days)} — follow up {when}"
    late = days - FOLLOW_UP_MAX_DAYS
    return f"Last touch {days_phrase(days)} — {late} day{'s' if late != 1 else ''} past 4 weeks"


@dataclass(frozen=True)
class NextStep:
    """One thing to do next with a contact, and by when."""

    action: str
    on: date | None
    why: str


def next_steps(db: Database, contact: Mapping[str, Any], day: date) -> list[NextStep]:
    """What the method asks next of this contact (as of `day`), most pressing first."""
    if contact.get("archived"):
        return [NextStep("Nothing — archived", None, "archived contacts get no reminders")]
    frame = db.df(
        f"SELECT * FROM ({DUE_SQL}) WHERE id = $id", {"t": day, "from": None, "id": contact["id"]}
    )
    if frame.empty:  # identified after `day`
        return [NextStep("Make contact and deliver your pitch", contact["identified_on"], "")]
    due = frame.iloc[0]
    steps = []
    if due["to_contact"]:
        steps.append(
            NextStep("Make contact and deliver your pitch", day, "targeted, not contacted yet")
        )
    if due["thank_you_pending"]:
        owed = pd.Timestamp(due["thanks_owed_since"]).date()
        steps.append(NextStep("Send a thank-you", day, f"owed since {human_date(owed)}"))
    if pd.notna(due["last_touch"]) and due["stage"] >= 2:
        touched = pd.Timestamp(due["last_touch"]).date()
        days = (day - touched).days
        if due["follow_up_overdue"]:
            why = f"last touch {days_phrase(days)}, more than {FOLLOW_UP_MAX_DAYS} days"
            steps.append(NextStep("Follow up — overdue", day, why))
        elif due["follow_up_due"]:
            by = touched + timedelta(days=FOLLOW_UP_MAX_DAYS)
            why = f"last touch {days_phrase(days)}; the 4 weeks are up on this day"
            steps.append(NextStep("Follow up", by, why))
        else:
            start = touched + timedelta(days=FOLLOW_UP_MIN_DAYS)
            end = touched + timedelta(days=FOLLOW_UP_MAX_DAYS)
            why = (
                f"between {human_date(start)} and {human_date(end)}, 3–4 weeks after the last touch"
            )
            steps.append(NextStep("Follow up", start, why))
    return steps or [NextStep("Nothing due", None, "no follow-up clock runs yet")]
