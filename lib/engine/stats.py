"""The stats engine: stages, the funnel, referrals, weekly rows and due lists.

The rules are those of docs/METHOD.md; the shared SQL fragments below (STAGED_SQL,
GENERATIONS_SQL, DUE_SQL) each say which tables and columns they define and what they bind.

Everything is computed in DuckDB for a period [from, to] as of day T, where T is
`to` when given, else the as-of day (default today).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from lib.core.errors import ValidationError
from lib.core.validation import parse_date
from lib.core.vocab import (
    CONVERSATION_KINDS,
    DUE_LISTS,
    FOLLOW_UP_MAX_DAYS,
    FOLLOW_UP_MIN_DAYS,
    REACHED_KINDS,
    STAGES,
    THANKS_OWED_KINDS,
    TOUCH_KINDS,
    UPDATE_KINDS,
    WEEKLY_KINDS,
    sql_words,
)
from lib.core.words import human_date
from lib.store.db import Database

if TYPE_CHECKING:  # frames for the app; `stats()` (the CLI's JSON) never loads pandas
    import pandas as pd


@dataclass(frozen=True)
class Period:
    """A period [start, end] seen as of day `day` (T, docs/METHOD.md "The day T")."""

    as_of: date
    start: date | None = None
    end: date | None = None

    @property
    def day(self) -> date:
        """T: the `to` bound when given, else the as-of day."""
        return self.end or self.as_of

    @property
    def params(self) -> dict[str, Any]:
        """The bound parameters every stats query takes."""
        return {"t": self.day, "from": self.start}


@dataclass(frozen=True)
class Scope:
    """What a filtered count covers: a period, and the sources and channels it keeps.

    None keeps every source (channel); the Dashboard's filters and the review links set them.
    """

    period: Period
    sources: tuple[str, ...] | None = None
    channels: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # A list given by a caller becomes a tuple: a Scope is a cache key.
        for name in ("sources", "channels"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))


def make_period(
    *, as_of: Any = None, start: Any = None, end: Any = None, today: date | None = None
) -> Period:
    """Validate the bounds of a period (ISO strings or dates) and return it."""
    as_of_day = parse_date("as_of", as_of, required=False) or today or date.today()
    start_day = parse_date("from", start, required=False)
    end_day = parse_date("to", end, required=False)
    period = Period(as_of=as_of_day, start=start_day, end=end_day)
    if start_day and start_day > period.day:
        which = "to" if end_day else "as_of"
        raise ValidationError(
            "from", f"{human_date(start_day)} is after {which} {human_date(period.day)}"
        )
    return period


def contact_filter(alias: str, scope: Scope) -> tuple[str, dict[str, Any]]:
    """An ` AND …` condition on contacts row `alias` keeping the scope's sources and channels.

    A source filter keeps contacts identified that way (no source counts as `other`); a
    channel filter keeps contacts with a conversation by T through one of the channels.
    No filter gives an empty condition. Binds $t (and $sources / $channels).
    """
    condition, params = "", {}
    if scope.sources is not None:
        condition += f" AND list_contains($sources::VARCHAR[], coalesce({alias}.source, 'other'))"
        params["sources"] = list(scope.sources)
    if scope.channels is not None:
        condition += f"""
            AND {alias}.id IN (
                SELECT x.contact_id FROM events x
                WHERE x.kind IN ({sql_words(CONVERSATION_KINDS)}) AND x.occurred_on <= $t
                  AND list_contains($channels::VARCHAR[], coalesce(x.channel, 'other')))"""
        params["channels"] = list(scope.channels)
    return condition, params


# STAGED_SQL — every contact's stage as of T. Paste after `WITH` (it ends without a comma);
# binds $t and $from (both, even when $from is NULL). Defines these CTEs:
#   ev        (contact_id, kind, occurred_on): the events dated <= T.
#   ev_stage  (contact_id, stage, last_touch, thanks_owed_on, last_thanks): per contact with
#             events, the highest stage its events reach (1..5: REACHED_KINDS reach 2; a note
#             reaches 1), the latest touch (TOUCH_KINDS), the latest step that owes thanks
#             (THANKS_OWED_KINDS) and the latest thank-you. One pass over the events serves
#             stages and due lists.
#   gave      (contact_id, last_given): people who gave a referral identified by T, and the
#             latest such day (giving a referral reaches `asked` and owes a thank-you).
#   staged    (every contacts column, last_touch, thanks_owed_on, last_thanks, last_given,
#             stage): the contacts identified by T with their stage (1 targeted .. 5
#             followed_up) and the days above (NULL when none).
#   cohort    (the same columns): staged, narrowed to identified_on >= $from when it is set.
# Users: funnel_counts, DUE_SQL, network.py, directory.py.
STAGED_SQL = f"""
    ev AS (
        SELECT contact_id, kind, occurred_on FROM events WHERE occurred_on <= $t
    ),
    ev_stage AS (
        SELECT contact_id,
               max(CASE
                   WHEN kind IN ({sql_words(REACHED_KINDS)}) THEN 2
                   WHEN kind = 'referral_asked' THEN 3
                   WHEN kind = 'thank_you' THEN 4
                   WHEN kind = 'follow_up' THEN 5
                   ELSE 1 END) AS stage,
               max(occurred_on) FILTER (WHERE kind IN ({sql_words(TOUCH_KINDS)})) AS last_touch,
               max(occurred_on) FILTER (WHERE kind IN ({sql_words(THANKS_OWED_KINDS)}))
                   AS thanks_owed_on,
               max(occurred_on) FILTER (WHERE kind = 'thank_you') AS last_thanks,
               min(occurred_on) FILTER (WHERE kind IN ({sql_words(REACHED_KINDS)}))
                   AS first_reached,
               max(occurred_on) FILTER (WHERE kind IN ({sql_words(UPDATE_KINDS)}))
                   AS last_update
        FROM ev GROUP BY contact_id
    ),
    gave AS (
        SELECT referred_by AS contact_id, max(identified_on) AS last_given
        FROM contacts
        WHERE referred_by IS NOT NULL AND identified_on <= $t
        GROUP BY referred_by
    ),
    staged AS (
        SELECT c.*, e.last_touch, e.thanks_owed_on, e.last_thanks, g.last_given,
               e.first_reached, e.last_update,
               greatest(coalesce(e.stage, 1),
                        CASE WHEN g.contact_id IS NULL THEN 1 ELSE 3 END) AS stage
        FROM contacts c
        LEFT JOIN ev_stage e ON e.contact_id = c.id
        LEFT JOIN gave g ON g.contact_id = c.id
        WHERE c.identified_on <= $t
    ),
    cohort AS (
        SELECT * FROM staged WHERE $from::DATE IS NULL OR identified_on >= $from::DATE
    )
"""

# GENERATIONS_SQL — the referral generation of every contact. Paste after `WITH` or after
# other CTEs and a comma; binds nothing (generations do not depend on T). Defines:
#   roots        (id, generation): contacts nobody referred (generation 0) and referrals
#                whose referrer is gone (generation 1).
#   generations  (id, generation): every contact reachable from a root, walking down
#                `referred_by` (a referral is 1 + its referrer's generation). Contacts in a
#                referral loop (the write path forbids them; other tools' files may not) are
#                reached from no root and have no row.
# Users: referrals() (the multiplier's counts).
GENERATIONS_SQL = """
    roots AS (
        SELECT id, CASE WHEN referred_by IS NULL THEN 0 ELSE 1 END AS generation
        FROM contacts
        WHERE referred_by IS NULL
           OR referred_by NOT IN (SELECT id FROM contacts)
    ),
    generations AS (
        WITH RECURSIVE walk(id, generation) AS (
            SELECT id, generation FROM roots
            UNION ALL
            SELECT c.id, walk.generation + 1
            FROM contacts c JOIN walk ON c.referred_by = walk.id
        )
        SELECT id, generation FROM walk
    )
"""


def funnel_counts(db: Database, scope: Scope) -> list[int]:
    """Bar k = cohort contacts whose stage (as of T) is at least k, for the five stages."""
    keep, params = contact_filter("cohort", scope)
    counts = db.execute(
        f"""
        WITH {STAGED_SQL}
        SELECT {", ".join(f"count(*) FILTER (WHERE stage >= {k})" for k in range(1, 6))}
        FROM cohort WHERE true {keep}
        """,
        scope.period.params | params,
    ).fetchone()
    return [int(n) for n in counts]


def funnel(db: Database, scope: Scope) -> pd.DataFrame:
    """The funnel as a frame: one row per stage with its count."""
    import pandas as pd

    counts = funnel_counts(db, scope)
    return pd.DataFrame({"stage": list(STAGES), "contacts": counts})


def referrals(db: Database, scope: Scope) -> dict[str, Any]:
    """Referrals received by the cohort, the warm ones, the givers and the generations."""
    keep, params = contact_filter("c", scope)
    # Referrals need no stages: the cohort is just who was identified in [from, T].
    cohort = (
        "cohort AS (SELECT c.id, c.referred_by, c.may_use_name FROM contacts c "
        "WHERE c.identified_on <= $t "
        f"AND ($from::DATE IS NULL OR c.identified_on >= $from::DATE) {keep})"
    )
    received, warm, givers = db.execute(
        f"""
        WITH {cohort}
        SELECT count(*) FILTER (WHERE referred_by IS NOT NULL),
               count(*) FILTER (WHERE referred_by IS NOT NULL AND may_use_name),
               count(DISTINCT referred_by)
        FROM cohort
        """,
        scope.period.params | params,
    ).fetchone()
    rows = db.execute(
        f"""
        WITH {cohort}, {GENERATIONS_SQL}
        SELECT g.generation, count(*) AS contacts
        FROM cohort JOIN generations g USING (id)
        GROUP BY g.generation ORDER BY g.generation
        """,
        scope.period.params | params,
    ).fetchall()
    by_generation = dict(rows)
    depth = max(by_generation, default=-1) + 1
    return {
        "received": int(received),
        "warm": int(warm),
        "givers": int(givers),
        "generations": [int(by_generation.get(g, 0)) for g in range(depth)],
    }


def weekly(db: Database, scope: Scope) -> pd.DataFrame:
    """One row per ISO week, zero weeks included, from the first record through T's week."""
    return db.df(*_weekly_query(scope))


def _weekly_query(scope: Scope) -> tuple[str, dict[str, Any]]:
    """The weekly rows' SQL and its parameters (binds $t, $from and the filters)."""
    period = scope.period
    keep, params = contact_filter("c", scope)
    keep_events = (
        f"AND contact_id IN (SELECT c.id FROM contacts c WHERE true {keep})" if keep else ""
    )
    # Beyond the JSON's weekly counts (docs/METHOD.md "Weekly counts"): calls and talks by phone.
    columns = ("targets", "referrals", *WEEKLY_KINDS, "phone_talks", "calls")
    kind_counts = ",\n".join(
        f"count(*) FILTER (WHERE what = '{kind}') AS {kind}" for kind in WEEKLY_KINDS
    )
    # Count per week first (one pass over the records), then lay the counts on every week.
    sql = f"""
        WITH recs AS (
            SELECT identified_on AS d, 'target' AS what, referred_by IS NOT NULL AS referral,
                   NULL AS channel
            FROM contacts c
            WHERE identified_on <= $t AND ($from::DATE IS NULL OR identified_on >= $from::DATE)
                  {keep}
            UNION ALL
            SELECT occurred_on, kind, false, channel
            FROM events
            WHERE occurred_on <= $t AND ($from::DATE IS NULL OR occurred_on >= $from::DATE)
                  {keep_events}
        ),
        per_week AS (
            SELECT date_trunc('week', d)::DATE AS week_start,
                   count(*) FILTER (WHERE what = 'target') AS targets,
                   count(*) FILTER (WHERE what = 'target' AND referral) AS referrals,
                   {kind_counts},
                   count(*) FILTER (WHERE what = 'contacted' AND channel = 'phone')
                       AS phone_talks,
                   count(*) FILTER (
                       WHERE (what = 'contacted' OR what = 'attempt') AND channel = 'phone'
                   ) AS calls
            FROM recs GROUP BY ALL
        ),
        bounds AS (
            SELECT coalesce(date_trunc('week', $from::DATE)::DATE, min(week_start)) AS first_week,
                   date_trunc('week', $t::DATE)::DATE AS last_week
            FROM per_week HAVING count(*) > 0
        ),
        weeks AS (
            SELECT unnest(generate_series(first_week, last_week, INTERVAL 7 DAY))::DATE
                   AS week_start
            FROM bounds
        )
        SELECT strftime(w.week_start, '%G-W%V') AS week,
               w.week_start,
               {", ".join(f"coalesce(p.{c}, 0) AS {c}" for c in columns)}
        FROM weeks w
        LEFT JOIN per_week p USING (week_start)
        ORDER BY w.week_start
        """
    return sql, period.params | params


# Per referrer: the latest of its referrals' first reached days (docs/METHOD.md "close_loop":
# c_r). A referrer with no thank-you or follow-up on or after that day owes an update on some
# referral; archived referrals count. Needs STAGED_SQL's `staged` (binds $t there).
#   loops  (contact_id — the referrer, loop_since).
LOOPS_SQL = """
    loops AS (
        SELECT r.referred_by AS contact_id, max(r.first_reached) AS loop_since
        FROM staged r
        WHERE r.referred_by IS NOT NULL AND r.first_reached IS NOT NULL
        GROUP BY r.referred_by
    )
"""

# DUE_SQL — a whole query (not a CTE): one row per non-archived contact identified by T,
# with its due flags as of T. Use it as a subquery, `SELECT … FROM ({DUE_SQL})`, or as a CTE
# body, `WITH d AS ({DUE_SQL})`. Binds $t and $from (pass `"from": None`: due lists ignore
# the period's start). Defines the CTEs of STAGED_SQL and LOOPS_SQL, then:
#   due  (id, stage, last_touch, days_since_touch, thanks_owed_since, last_given,
#        last_thanks, loop_since, last_update).
# Columns of the result: those of `due`, then one BOOLEAN per due list, named as the keys
# of lib.core.vocab.DUE_LIST (to_contact, follow_up_due, follow_up_overdue,
# thank_you_pending, close_loop), never NULL. A new due list is one more such column here,
# plus its Term in DUE_LIST (see docs/ARCHITECTURE.md, "Add a due list").
# Users: due_lists, due_frame, engine/due.py (Today), engine/directory.py, present/report.py.
DUE_SQL = f"""
    WITH {STAGED_SQL}, {LOOPS_SQL},
    due AS (
        SELECT s.id, s.stage, s.last_touch,
               date_diff('day', s.last_touch, $t::DATE) AS days_since_touch,
               greatest(s.thanks_owed_on, s.last_given) AS thanks_owed_since,  -- NULLs ignored
               s.last_given, s.last_thanks, l.loop_since, s.last_update
        FROM staged s  -- carries the days it needs: joining ev_stage again doubled the time
        LEFT JOIN loops l ON l.contact_id = s.id
        WHERE NOT s.archived
    )
    SELECT *,
           stage = 1 AS to_contact,
           -- coalesce: no touch yet (e.g. only a referral given) is "not due", never NULL
           coalesce(stage >= 2 AND days_since_touch
                    BETWEEN {FOLLOW_UP_MIN_DAYS} AND {FOLLOW_UP_MAX_DAYS}, false) AS follow_up_due,
           coalesce(stage >= 2 AND days_since_touch > {FOLLOW_UP_MAX_DAYS}, false)
               AS follow_up_overdue,
           thanks_owed_since IS NOT NULL
               AND (last_thanks IS NULL OR last_thanks < thanks_owed_since) AS thank_you_pending,
           loop_since IS NOT NULL
               AND (last_update IS NULL OR last_update < loop_since) AS close_loop
    FROM due
"""


def due_frame(db: Database, day: date) -> pd.DataFrame:
    """Every non-archived contact identified by `day`, with its due flags as of `day`."""
    return db.df(
        f"SELECT * FROM ({DUE_SQL}) WHERE {' OR '.join(DUE_LISTS)} ORDER BY id",
        {"t": day, "from": None},
    )


def due_lists(db: Database, day: date) -> dict[str, list[int]]:
    """The due lists (docs/METHOD.md "Due lists") as sorted contact ids."""
    rows = db.execute(
        f"""
        SELECT {", ".join(f"list(id ORDER BY id) FILTER (WHERE {name})" for name in DUE_LISTS)}
        FROM ({DUE_SQL})
        """,
        {"t": day, "from": None},
    ).fetchone()
    # DuckDB hands INTEGER ids back as Python ints already: no per-id conversion (90k ids).
    return {name: ids or [] for name, ids in zip(DUE_LISTS, rows, strict=True)}


def stats(db: Database, period: Period) -> dict[str, Any]:
    """The whole `stats --json` object for a period (docs/METHOD.md "The stats --json object")."""
    everyone = Scope(period)
    result = db.execute(*_weekly_query(everyone))
    columns = [column[0] for column in result.description]
    weekly_rows = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
    return {
        "as_of": period.as_of.isoformat(),
        "period": {
            "from": period.start.isoformat() if period.start else None,
            "to": period.end.isoformat() if period.end else None,
        },
        "funnel": [
            {"stage": stage, "contacts": n}
            for stage, n in zip(STAGES, funnel_counts(db, everyone), strict=True)
        ],
        "referrals": referrals(db, everyone),
        "weekly": [
            {
                "week": row["week"],
                "week_start": row["week_start"].isoformat(),
                "targets": int(row["targets"]),
                "referrals": int(row["referrals"]),
                **{kind: int(row[kind]) for kind in WEEKLY_KINDS},
            }
            for row in weekly_rows
        ],
        "due": due_lists(db, period.day),
    }
