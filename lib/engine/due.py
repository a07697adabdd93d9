"""What the method asks of you on a day: the due lists with who, why and how warm, and next steps.

The rules are those of docs/METHOD.md "Due lists", computed once in
`lib.engine.stats.DUE_SQL`; this module adds the people's names and the words a job-seeker
reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from lib.core.vocab import (
    DUE_LISTS,
    FOLLOW_UP_MAX_DAYS,
    FOLLOW_UP_MIN_DAYS,
    NOTHING_DUE,
    THANKS_OWED_KINDS,
    TOUCH_KINDS,
    sql_words,
)
from lib.core.words import days_phrase, human_date
from lib.engine.stats import DUE_SQL
from lib.store.db import Database

if TYPE_CHECKING:  # only `most_urgent` (the report) returns a frame; Today never loads pandas
    import pandas as pd

# The order the Today page shows the lists in: the method's order (labels: lib.core.vocab).
TODAY_LISTS: tuple[str, ...] = (
    "to_contact",
    "thank_you_pending",
    "follow_up_due",
    "follow_up_overdue",
)
PAGE_SIZE = 25
# close_loop lists referrers with the referrals to tell them about: Today shows it in a
# section of its own (lib.engine.loops).
assert set(TODAY_LISTS) | {"close_loop"} == set(DUE_LISTS)


def tried_sql(ids: str) -> str:
    """Call attempts since the last touch (all of them for someone never reached), per contact
    in `ids` (a subquery): how many, the last one's day and outcome, the call-back day asked.

    Binds $t.
    """
    return f"""
        SELECT e.contact_id AS id, count(*) AS attempts, max(e.occurred_on) AS last_attempt,
               arg_max(e.outcome, (e.occurred_on, e.id)) AS last_outcome,
               arg_max(e.call_back_on, (e.occurred_on, e.id)) AS call_back_on
        FROM events e
        WHERE e.kind = 'attempt' AND e.occurred_on <= $t AND e.contact_id IN ({ids})
          AND e.occurred_on > coalesce((
              SELECT max(t.occurred_on) FROM events t
              WHERE t.contact_id = e.contact_id AND t.occurred_on <= $t
                AND t.kind IN ({sql_words(TOUCH_KINDS)})
          ), DATE '0001-01-01')
        GROUP BY e.contact_id
    """


def most_urgent(db: Database, day: date, lists: Sequence[str], *, per_list: int) -> pd.DataFrame:
    """The longest-waiting people of each of `lists` as of `day`.

    Columns: list, full_name, company, days_since_touch, total (everyone on that list).
    """
    unknown = [name for name in lists if name not in DUE_LISTS]
    if unknown:  # the names are pasted into the SQL below
        raise ValueError(f"not due lists: {', '.join(unknown)}")
    return db.df(
        f"""
        WITH d AS ({DUE_SQL}),
        lists AS (
            UNPIVOT (SELECT id, days_since_touch, {", ".join(lists)} FROM d)
            ON {", ".join(lists)}
            INTO NAME list VALUE due
        )
        SELECT l.list, c.full_name, c.company, l.days_since_touch,
               count(*) OVER (PARTITION BY l.list) AS total
        FROM lists l JOIN contacts c ON c.id = l.id
        WHERE l.due
        QUALIFY row_number() OVER (
            PARTITION BY l.list ORDER BY l.days_since_touch DESC NULLS LAST, l.id
        ) <= $per_list
        ORDER BY l.list, l.days_since_touch DESC NULLS LAST, l.id
        """,
        {"t": day, "from": None, "per_list": per_list},
    )


def due_page(
    db: Database, day: date, pages: Mapping[str, int] | None = None, page_size: int = PAGE_SIZE
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One page of each due list as of `day` (rows with names, referrer, dates) and the counts.

    `pages` maps a list to its page number (from 1; past the end means its last page).
    Order within a list: to contact — warm referrals first, then longest waiting;
    the others — longest waiting first.
    """
    rows, counts, _ = _today_query(db, day, pages, page_size, soon_days=None)
    return rows, counts


def today_lists(
    db: Database, day: date, pages: Mapping[str, int] | None = None, page_size: int = PAGE_SIZE
) -> tuple[list[dict[str, Any]], dict[str, int], list[dict[str, Any]]]:
    """What Today shows, from one pass over the due rules: `due_page` and `coming_up`."""
    return _today_query(db, day, pages, page_size, soon_days=COMING_UP_DAYS)


def _today_query(
    db: Database,
    day: date,
    pages: Mapping[str, int] | None,
    page_size: int,
    *,
    soon_days: int | None,
) -> tuple[list[dict[str, Any]], dict[str, int], list[dict[str, Any]]]:
    pages = pages or {}
    lists = " UNION ALL ".join(
        f"SELECT '{name}' AS list, {rank} AS list_rank, id FROM due WHERE {name}"
        for rank, name in enumerate(TODAY_LISTS)  # fixed names, never user input
    )
    offsets = " ".join(f"WHEN '{name}' THEN $page_{rank}" for rank, name in enumerate(TODAY_LISTS))
    found = db.rows(
        f"""
        WITH due AS MATERIALIZED ({DUE_SQL}),
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
        ),
        shown AS (SELECT * FROM paged WHERE position > skip AND position <= skip + $size),
        tried AS ({tried_sql("SELECT id FROM shown")}),
        soon AS ({_SOON_SQL}),
        listed_rows AS (
        SELECT p.list, p.list_rank, p.position, p.total, c.id, c.full_name, c.company, c.title,
               c.email,
               c.phone, c.linkedin_url, c.source, d.stage, c.identified_on,
               coalesce(a.attempts, 0) AS attempts, a.last_attempt, a.last_outcome,
               a.call_back_on,
               date_diff('day', c.identified_on, $t::DATE) AS days_since_identified,
               d.last_touch, d.days_since_touch, d.thanks_owed_since,
               coalesce(d.last_given = d.thanks_owed_since, false) AS owed_for_referral,
               EXISTS (
                   SELECT 1 FROM events e
                   WHERE e.contact_id = p.id AND e.occurred_on = d.thanks_owed_since
                     AND e.kind IN ({sql_words(THANKS_OWED_KINDS)})
               ) AS owed_for_talk,
               c.referred_by, ref.full_name AS referrer_name, c.may_use_name
        FROM shown p
        JOIN due d ON d.id = p.id
        JOIN contacts c ON c.id = p.id
        LEFT JOIN contacts ref ON ref.id = c.referred_by
        LEFT JOIN tried a ON a.id = p.id
        )
        SELECT * FROM listed_rows
        {_SOON_UNION if soon_days is not None else ""}
        ORDER BY list_rank, position
        """,
        {
            "t": day,
            "from": None,
            "size": page_size,
            **({"days": soon_days} if soon_days is not None else {}),
            **{
                f"page_{rank}": max(1, int(pages.get(name, 1)))
                for rank, name in enumerate(TODAY_LISTS)
            },
        },
    )
    soon_columns = ("id", "full_name", "company", "phone", "email", "what", "on", "total")
    hidden = ("total", "list_rank", "what", "on")
    counts = {name: 0 for name in TODAY_LISTS}
    rows, soon = [], []
    for row in found:
        if row["list"] == "coming_up":
            soon.append({key: row[key] for key in soon_columns})
            continue
        counts[row["list"]] = int(row["total"])
        rows.append({key: value for key, value in row.items() if key not in hidden})
    return rows, counts, soon


# Coming-up rows added below the due lists' rows (list `coming_up`), in `coming_up`'s order.
_SOON_UNION = """
    UNION ALL BY NAME
    SELECT * FROM (
        SELECT 'coming_up' AS list, 99 AS list_rank,
               row_number() OVER (ORDER BY s.on_day, c.full_name, s.id, s.what) AS position,
               count(*) OVER () AS total,
               s.id, c.full_name, c.company, c.phone, c.email, s.what, s.on_day AS "on"
        FROM soon s JOIN contacts c ON c.id = s.id
        WHERE s.on_day > $t AND s.on_day <= $t + $days
    ) WHERE position <= $size
"""


# A thank-you is late this many days after it became owed (the review's "on time" rule).
THANKS_LATE_AFTER_DAYS = 3
COMING_UP_DAYS = 7


# What falls due after $t, within $days: one row per (id, what, on_day). Reads the `due` CTE.
_SOON_SQL = f"""
    SELECT id, 'follow_up_due' AS what, last_touch + {FOLLOW_UP_MIN_DAYS} AS on_day
    FROM due WHERE stage >= 2 AND last_touch IS NOT NULL
    UNION ALL
    SELECT id, 'follow_up_overdue', last_touch + {FOLLOW_UP_MAX_DAYS + 1}
    FROM due WHERE stage >= 2 AND last_touch IS NOT NULL
    UNION ALL
    SELECT id, 'thank_you_late', thanks_owed_since + {THANKS_LATE_AFTER_DAYS + 1}
    FROM due WHERE thank_you_pending
    UNION ALL
    SELECT e.contact_id, 'call_back', max(e.call_back_on)
    FROM events e JOIN due d ON d.id = e.contact_id
    WHERE e.kind = 'attempt' AND e.call_back_on IS NOT NULL AND e.occurred_on <= $t
    GROUP BY e.contact_id
"""
_SOON_ROWS = """
    SELECT s.id, c.full_name, c.company, c.phone, c.email, s.what, s.on_day AS "on",
           count(*) OVER () AS total
    FROM soon s JOIN contacts c ON c.id = s.id
    WHERE s.on_day > $t AND s.on_day <= $t + $days
    ORDER BY s.on_day, c.full_name, s.id, s.what
    LIMIT $size
"""


def coming_up(
    db: Database, day: date, days: int = COMING_UP_DAYS, size: int = PAGE_SIZE
) -> list[dict[str, Any]]:
    """What falls due in the `days` after `day`, soonest first: follow-ups entering their
    3–4 week window or going overdue, thank-yous becoming late, and call-backs asked for.

    Each row: id, full_name, company, phone, email, what (follow_up_due, follow_up_overdue,
    thank_you_late or call_back), on (the day it happens) and total (how many in all; only
    the first `size` are returned).
    """
    return db.rows(
        f"WITH due AS ({DUE_SQL}), soon AS ({_SOON_SQL}) {_SOON_ROWS}",
        {"t": day, "from": None, "days": days, "size": size},
    )


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


CALL_BACK_STEP = "Call back — they asked you to"


@dataclass(frozen=True)
class NextStep:
    """One thing to do next with a contact, and by when."""

    action: str
    on: date | None
    why: str


def open_call_backs(db: Database, day: date, contact_id: int | None = None) -> list[dict[str, Any]]:
    """The call-backs people asked for and nobody has made yet, as of `day`: a contact (not
    archived) whose latest call attempt since their last touch was "asked to call back
    later" (`tried_sql`). Each row: id, full_name, company, email, phone, call_back_on and
    asked_on (the day of that attempt); by day, then name.
    `contact_id` narrows it to one person."""
    people = (
        "SELECT id FROM contacts WHERE NOT coalesce(archived, false) AND ($id IS NULL OR id = $id)"
    )
    return db.rows(
        f"""
        WITH tried AS ({tried_sql(people)})
        SELECT t.id, c.full_name, c.company, c.email, c.phone, t.call_back_on,
               t.last_attempt AS asked_on
        FROM tried t JOIN contacts c ON c.id = t.id
        WHERE t.last_outcome = 'call_back' AND t.call_back_on IS NOT NULL
        ORDER BY t.call_back_on, c.full_name, t.id
        """,
        {"t": day, "id": contact_id},
    )


def next_steps(db: Database, contact: Mapping[str, Any], day: date) -> list[NextStep]:
    """What the method asks next of this contact (as of `day`), most pressing first; a
    call-back they asked for is their next step, on its day."""
    if contact.get("archived"):
        return [NextStep("Nothing — archived", None, "archived contacts get no reminders")]
    found = db.rows(
        f"SELECT * FROM ({DUE_SQL}) WHERE id = $id", {"t": day, "from": None, "id": contact["id"]}
    )
    if not found:  # identified after `day`
        return [NextStep("Make contact and deliver your pitch", contact["identified_on"], "")]
    due = found[0]
    steps = [
        NextStep(CALL_BACK_STEP, row["call_back_on"], f"asked on {human_date(row['asked_on'])}")
        for row in open_call_backs(db, day, int(contact["id"]))
    ]
    if due["to_contact"] and not steps:
        steps.append(
            NextStep("Make contact and deliver your pitch", day, "targeted, not contacted yet")
        )
    if due["thank_you_pending"]:
        owed = due["thanks_owed_since"]
        steps.append(NextStep("Send a thank-you", day, f"owed since {human_date(owed)}"))
    if due["last_touch"] is not None and due["stage"] >= 2:
        touched = due["last_touch"]
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
    return steps or [NextStep(NOTHING_DUE.label, None, "no follow-up clock runs yet")]


CALL_QUEUE_SIZE = 60


def call_queue(db: Database, day: date, size: int = CALL_QUEUE_SIZE) -> list[dict[str, Any]]:
    """The day's calls, in the calling session's order: everyone with a phone number before
    anyone without one; then warm referrals, cold targets (referrals not cleared to use the
    name first), and follow-ups due or overdue for people with a phone number; within each,
    longest waiting first.

    Each row has what a call needs: who, how they were found, who referred them, how to
    reach them and the call attempts since the last touch (`tried_sql`).
    """
    return db.rows(
        f"""
        WITH due AS ({DUE_SQL}),
        queue AS (
            SELECT d.id,
                   CASE WHEN d.to_contact AND c.referred_by IS NOT NULL
                             AND coalesce(c.may_use_name, false) THEN 'warm'
                        WHEN d.to_contact THEN 'cold'
                        ELSE 'follow_up' END AS call_group,
                   CASE WHEN d.to_contact THEN c.identified_on ELSE d.last_touch END AS since,
                   c.referred_by IS NOT NULL AS referred, c.phone IS NULL AS no_number
            FROM due d JOIN contacts c ON c.id = d.id
            WHERE d.to_contact
               OR ((d.follow_up_due OR d.follow_up_overdue) AND c.phone IS NOT NULL)
        ),
        picked AS (
            SELECT * FROM queue
            ORDER BY no_number, CASE call_group WHEN 'warm' THEN 0 WHEN 'cold' THEN 1 ELSE 2 END,
                     referred DESC, since, id
            LIMIT $size
        ),
        tried AS ({tried_sql("SELECT id FROM picked")})
        SELECT p.id, p.call_group, c.full_name, c.company, c.title, c.source, c.identified_on,
               c.phone, c.email, c.linkedin_url, c.referred_by, ref.full_name AS referrer_name,
               c.may_use_name, d.last_touch,
               coalesce(a.attempts, 0) AS attempts, a.last_attempt, a.last_outcome, a.call_back_on
        FROM picked p
        JOIN contacts c ON c.id = p.id
        JOIN due d ON d.id = p.id
        LEFT JOIN contacts ref ON ref.id = c.referred_by
        LEFT JOIN tried a ON a.id = p.id
        ORDER BY p.no_number, CASE p.call_group WHEN 'warm' THEN 0 WHEN 'cold' THEN 1 ELSE 2 END,
                 p.referred DESC, p.since, p.id
        """,
        {"t": day, "from": None, "size": size},
    )
