"""Closing the loop with referrers: who to tell how their referrals went, and how often you did.

The seed: thank a referrer again "perhaps even after making contact with the people they
referred", and make each follow-up an update on how their referrals helped. The due list
`close_loop` is docs/METHOD.md "close_loop" (lib.engine.stats.DUE_SQL); this module adds the
referrals to name in the update, the Dashboard's "Loops closed" figure and the per-referrer
counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from lib.core.vocab import REACHED_KINDS, UPDATE_KINDS, sql_words
from lib.core.words import short_date
from lib.engine import stats
from lib.engine.stats import DUE_SQL, Scope
from lib.store.db import Database

PAGE_SIZE = 5


# Each referral r identified by T with its first reached day c_r (docs/METHOD.md "close_loop"),
# whether it led to an informational interview or an opportunity by T, and its referrer.
# Binds $t.
REACHED_SQL = f"""
    reached AS (
        SELECT r.referred_by AS referrer_id, r.id, r.full_name,
               min(e.occurred_on) AS reached_on,
               bool_or(e.kind = 'info_interview') AS info_interview,
               bool_or(e.kind = 'opportunity') AS opportunity
        FROM contacts r JOIN events e ON e.contact_id = r.id
        WHERE r.referred_by IS NOT NULL AND r.identified_on <= $t
          AND e.occurred_on <= $t AND e.kind IN ({sql_words(REACHED_KINDS)})
        GROUP BY r.referred_by, r.id, r.full_name
    )
"""


@dataclass(frozen=True)
class Reached:
    """One referral you have reached: who, the day you first reached them, what came of it."""

    id: int
    full_name: str
    reached_on: date
    info_interview: bool = False
    opportunity: bool = False


@dataclass(frozen=True)
class OpenLoop:
    """A referrer to tell how it went: the referrals reached since you last wrote to them."""

    id: int
    full_name: str
    company: str | None
    email: str | None
    phone: str | None
    linkedin_url: str | None
    last_update: date | None
    referrals: tuple[Reached, ...]

    @property
    def since(self) -> date:
        """The day the oldest untold referral was reached: the update has been owed since."""
        return min(r.reached_on for r in self.referrals)


def open_loops(
    db: Database, day: date, *, page: int | None = None, page_size: int = PAGE_SIZE
) -> tuple[list[OpenLoop], int]:
    """The referrers on the close_loop list as of `day` (longest waiting first) and how many.

    Each comes with the referrals first reached after your last thank-you or follow-up to
    them. `page` (from 1; past the end means the last page) gives one page; None gives all.
    """
    rows = db.execute(
        f"""
        WITH d AS (SELECT id, last_update FROM ({DUE_SQL}) WHERE close_loop),
        {REACHED_SQL},
        untold AS (
            SELECT d.id AS referrer_id, d.last_update, r.id, r.full_name, r.reached_on,
                   r.info_interview, r.opportunity,
                   min(r.reached_on) OVER (PARTITION BY d.id) AS since
            FROM d JOIN reached r ON r.referrer_id = d.id
            WHERE d.last_update IS NULL OR r.reached_on > d.last_update
        ),
        ranked AS (
            SELECT *, dense_rank() OVER (ORDER BY since, referrer_id) AS position,
                   count(DISTINCT referrer_id) OVER () AS total
            FROM untold
        ),
        paged AS (
            SELECT *, CASE WHEN $page::INTEGER IS NULL THEN 0
                      ELSE least(($page::INTEGER - 1) * $size, (total - 1) // $size * $size)
                      END AS skip
            FROM ranked
        )
        SELECT p.referrer_id, g.full_name, g.company, g.email, g.phone, g.linkedin_url,
               p.last_update, p.id,
               p.full_name, p.reached_on, p.info_interview, p.opportunity, p.total
        FROM paged p JOIN contacts g ON g.id = p.referrer_id
        WHERE $page::INTEGER IS NULL OR (p.position > p.skip AND p.position <= p.skip + $size)
        ORDER BY p.position, p.reached_on, p.id
        """,
        {"t": day, "from": None, "page": None if page is None else max(1, page), "size": page_size},
    ).fetchall()
    loops: dict[int, OpenLoop] = {}
    for referrer, name, company, email, phone, linkedin, last_update, *referral, _total in rows:
        reached = Reached(int(referral[0]), referral[1], referral[2], *map(bool, referral[3:]))
        loop = loops.get(referrer) or OpenLoop(
            int(referrer), name, company, email, phone, linkedin, last_update, ()
        )
        loops[referrer] = replace(loop, referrals=(*loop.referrals, reached))
    total = int(rows[0][-1]) if rows else 0
    return list(loops.values()), total


def referral_updates(db: Database, referrer_id: int, day: date) -> list[Reached]:
    """Every referral of this referrer you have reached by `day`, in the order you reached them."""
    rows = db.execute(
        f"""
        WITH {REACHED_SQL}
        SELECT id, full_name, reached_on, info_interview, opportunity FROM reached
        WHERE referrer_id = $referrer ORDER BY reached_on, id
        """,
        {"t": day, "referrer": referrer_id},
    ).fetchall()
    return [Reached(int(i), name, on, bool(a), bool(b)) for i, name, on, a, b in rows]


# ---------------------------------------------------------------- review figures

# Each referral r with its c_r, and the first thank-you or follow-up its referrer had on or
# after c_r (by T): the update that closed the loop. Binds $t.
CLOSED_SQL = f"""
    {REACHED_SQL},
    updates AS (
        SELECT contact_id, occurred_on AS told_on FROM events
        WHERE kind IN ({sql_words(UPDATE_KINDS)}) AND occurred_on <= $t
    ),
    closed AS (
        SELECT r.*, u.told_on
        FROM reached r ASOF LEFT JOIN updates u
          ON r.referrer_id = u.contact_id AND r.reached_on <= u.told_on
    )
"""


@dataclass(frozen=True)
class LoopsClosed:
    """Of the referrals reached in a period, how many had their referrer updated afterwards."""

    reached: int
    told: int
    median_days: float | None  # from reaching the referral to telling the referrer


def loops_closed(db: Database, scope: Scope) -> LoopsClosed:
    """Referrals first reached in [from, T], those whose referrer heard from you by T, and the
    median days it took (the source and channel filters apply to the referral)."""
    keep, params = stats.contact_filter("c", scope)
    picked = f"AND id IN (SELECT c.id FROM contacts c WHERE true {keep})" if keep else ""
    reached, told, median = db.execute(
        f"""
        WITH {CLOSED_SQL}
        SELECT count(*), count(told_on),
               median(date_diff('day', reached_on, told_on)) FILTER (WHERE told_on IS NOT NULL)
        FROM closed
        WHERE ($from::DATE IS NULL OR reached_on >= $from::DATE) {picked}
        """,
        scope.period.params | params,
    ).fetchone()
    return LoopsClosed(int(reached), int(told), None if median is None else float(median))


def loops_value(figure: LoopsClosed) -> str:
    """The card's value: '1 of 2' (referrers told of referrals reached), '—' with none."""
    return f"{figure.told:,} of {figure.reached:,}" if figure.reached else "—"


def loops_note(figure: LoopsClosed) -> str:
    """The card's note: the median days it took, or why there is none."""
    if not figure.reached:
        return "no referral reached in this period"
    if figure.median_days is None:
        return "no referrer told yet"
    days = round(figure.median_days, 1)
    shown = f"{days:g}"
    return f"told in {shown} day{'' if days == 1 else 's'} (median)"


def what_happened(referral: Reached) -> str:
    """What came of reaching a referral, in a few words ('' for a conversation)."""
    parts = ["an informational interview"] if referral.info_interview else []
    parts += ["an opportunity"] if referral.opportunity else []
    return " and ".join(parts)


def spoke_with(referrals: Sequence[Reached]) -> str:
    """'you spoke with Sam Ortiz on Tue 24 Nov and Lee Park on Wed 25 Nov'."""
    parts = [f"{r.full_name} on {short_date(r.reached_on)}" for r in referrals]
    return f"you spoke with {join_names(parts)}"


def join_names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
