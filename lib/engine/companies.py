"""The target list: per target company, the people known there, advocates, ways in, the next
step and the last touch, sorted as LAMP sorts (docs/METHOD.md "Target companies").

Every count is as of day T, over the stages of `STAGED_SQL`; all in DuckDB, one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lib.core.vocab import STAGES
from lib.engine.stats import STAGED_SQL
from lib.store.db import Database

# What to do next about a company (docs/METHOD.md "Target companies", "The next step").
# Each names the person to act on ({who}: their name, or "them" when there is nobody yet).
NEXT_STEPS: dict[str, str] = {
    "reach": "call {who} (not reached yet)",
    "follow_up": "follow up with {who} and ask who else they know there",
    "ask_way_in": "ask {who} for an introduction there",
    "ask_referral": "no way in yet: ask each person you talk to who they know there",
}

# COMPANIES_SQL — one row per company (archived ones only when $archived), in the LAMP
# order. Binds $t and $from (NULL) for STAGED_SQL, and $archived. Defines:
#   known     (id, company_id, stage, last_touch, reached, advocate, identified_on,
#             referred_by): the people at a target company (not archived, identified by T).
#   outside   the people at no company or another one (not archived, identified by T).
#   ways      (company_id, id): each way in once: someone outside who referred a person
#             known there, or someone outside you reached whom a person known there referred.
COMPANIES_SQL = f"""
    WITH {STAGED_SQL},
    live AS (
        SELECT id, company_id, stage, last_touch, identified_on, referred_by,
               stage >= 2 AS reached, first_reached IS NOT NULL AS advocate
        FROM staged WHERE NOT archived
    ),
    known AS (SELECT * FROM live WHERE company_id IS NOT NULL),
    ways AS (
        SELECT DISTINCT k.company_id, o.id
        FROM known k JOIN live o ON o.id = k.referred_by
        WHERE o.company_id IS DISTINCT FROM k.company_id
        UNION
        SELECT DISTINCT k.company_id, o.id
        FROM known k JOIN live o ON o.referred_by = k.id
        WHERE o.reached AND o.company_id IS DISTINCT FROM k.company_id
    ),
    per_company AS (
        SELECT company_id, count(*) AS people,
               {", ".join(f"count(*) FILTER (WHERE stage = {n}) AS s{n}" for n in range(1, 6))},
               count(*) FILTER (WHERE reached) AS reached,
               count(*) FILTER (WHERE advocate) AS advocates,
               max(last_touch) AS last_touch,
               arg_min(id, (identified_on, id)) FILTER (WHERE NOT reached) AS first_unreached,
               arg_min(id, (coalesce(last_touch, DATE '0001-01-01'), id))
                   FILTER (WHERE reached) AS stalest_reached
        FROM known GROUP BY company_id
    ),
    way_counts AS (
        SELECT company_id, count(*) AS ways_in, min(id) AS first_way FROM ways GROUP BY company_id
    )
    SELECT co.id, co.name, co.website, co.motivation, co.posting, co.archived,
           coalesce(p.people, 0) AS people,
           {", ".join(f"coalesce(p.s{n}, 0) AS s{n}" for n in range(1, 6))},
           coalesce(p.reached, 0) AS reached, coalesce(p.advocates, 0) AS advocates,
           coalesce(w.ways_in, 0) AS ways_in, p.last_touch,
           CASE WHEN p.first_unreached IS NOT NULL THEN 'reach'
                WHEN p.stalest_reached IS NOT NULL THEN 'follow_up'
                WHEN w.first_way IS NOT NULL THEN 'ask_way_in'
                ELSE 'ask_referral' END AS next_step,
           coalesce(p.first_unreached, p.stalest_reached, w.first_way) AS next_id,
           n.full_name AS next_name
    FROM companies co
    LEFT JOIN per_company p ON p.company_id = co.id
    LEFT JOIN way_counts w ON w.company_id = co.id
    LEFT JOIN contacts n ON n.id = coalesce(p.first_unreached, p.stalest_reached, w.first_way)
    WHERE $archived OR NOT co.archived
    ORDER BY co.motivation DESC NULLS LAST, co.posting DESC NULLS LAST, advocates DESC,
             lower(co.name), co.id
"""


@dataclass(frozen=True)
class TargetCompany:
    """One row of the target list (docs/METHOD.md "Target companies")."""

    id: int
    name: str
    website: str | None
    motivation: int | None
    posting: int | None
    archived: bool
    people: int
    by_stage: dict[str, int]  # people known there, by stage (every stage, in order)
    reached: int
    advocates: int
    ways_in: int
    last_touch: date | None
    next_step: str  # a key of NEXT_STEPS
    next_id: int | None  # the person to call next about it (None: nobody yet)
    next_name: str | None

    @property
    def next_words(self) -> str:
        """The next step in words, naming the person when there is one."""
        return NEXT_STEPS[self.next_step].format(who=self.next_name or "them")


def target_list(db: Database, day: date, *, archived: bool = False) -> list[TargetCompany]:
    """The target companies as of `day`, in LAMP order: Motivation, Posting, advocates, name."""
    if not db.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'companies'"
    ):
        return []  # a file of an older version, opened read-only: no companies yet
    params: dict[str, Any] = {"t": day, "from": None, "archived": archived}
    rows = db.execute(COMPANIES_SQL, params).fetchall()
    return [
        TargetCompany(
            id=row[0],
            name=row[1],
            website=row[2],
            motivation=row[3],
            posting=row[4],
            archived=row[5],
            people=row[6],
            by_stage=dict(zip(STAGES, row[7:12], strict=True)),
            reached=row[12],
            advocates=row[13],
            ways_in=row[14],
            last_touch=row[15],
            next_step=row[16],
            next_id=row[17],
            next_name=row[18],
        )
        for row in rows
    ]


def company_counts(db: Database, day: date) -> list[dict[str, int]]:
    """`stats --json`'s `companies`: per target company (not archived), by id, its counts."""
    rows = sorted(target_list(db, day), key=lambda c: c.id)
    return [
        {
            "id": c.id,
            "people": c.people,
            "reached": c.reached,
            "advocates": c.advocates,
            "ways_in": c.ways_in,
        }
        for c in rows
    ]


@dataclass(frozen=True)
class CompaniesSummary:
    """The dashboard's line: targets, with an advocate, with a way in, no way in yet."""

    targets: int
    with_advocate: int
    with_way_in: int
    no_way_in: int

    def line(self) -> str:
        """ "Target companies: 12 · with an advocate 4 · with a way in 7 · no way in yet 5"."""
        return (
            f"Target companies: {self.targets:,} · with an advocate {self.with_advocate:,} · "
            f"with a way in {self.with_way_in:,} · no way in yet {self.no_way_in:,}"
        )


def summarize(companies: list[TargetCompany]) -> CompaniesSummary:
    """Counts only (what a redacted view shows): a way in is an advocate or a way in."""
    way = [c for c in companies if c.advocates or c.ways_in]
    return CompaniesSummary(
        targets=len(companies),
        with_advocate=sum(1 for c in companies if c.advocates),
        with_way_in=len(way),
        no_way_in=len(companies) - len(way),
    )


# The people of one company's row, as of T: binds $t, $from (NULL) and $company.
_PEOPLE_SQL = f"""
    WITH {STAGED_SQL}
    SELECT id, full_name, title, stage, last_touch, first_reached IS NOT NULL AS advocate
    FROM staged WHERE company_id = $company AND NOT archived
    ORDER BY stage DESC, last_touch DESC NULLS LAST, id
"""
_WAYS_SQL = f"""
    WITH {STAGED_SQL},
    live AS (SELECT * FROM staged WHERE NOT archived),
    known AS (SELECT * FROM live WHERE company_id = $company)
    SELECT o.id, o.full_name, o.company, k.id AS there_id, k.full_name AS there_name,
           o.id = k.referred_by AS referred_them
    FROM known k JOIN live o ON o.id = k.referred_by OR (o.referred_by = k.id AND o.stage >= 2)
    WHERE o.company_id IS DISTINCT FROM $company
    ORDER BY o.id, k.id
"""


@dataclass(frozen=True)
class PersonThere:
    """Someone known at a target company, with their stage as of T."""

    id: int
    name: str
    title: str | None
    stage: str  # a key of STAGES
    last_touch: date | None
    advocate: bool


@dataclass(frozen=True)
class WayIn:
    """A way into a company: someone outside it, and the person there they connect to."""

    id: int
    name: str
    company: str | None  # their own company text
    there_id: int
    there_name: str
    referred_them: bool  # True: they referred the person there; False: referred by them


def company_people(db: Database, company_id: int, day: date) -> list[PersonThere]:
    """The people known at one company as of `day`, furthest along first."""
    rows = db.execute(_PEOPLE_SQL, {"t": day, "from": None, "company": company_id}).fetchall()
    return [PersonThere(row[0], row[1], row[2], STAGES[row[3] - 1], row[4], row[5]) for row in rows]


def ways_in(db: Database, company_id: int, day: date) -> list[WayIn]:
    """One company's ways in as of `day`: one row per (way in, person there) they connect."""
    rows = db.execute(_WAYS_SQL, {"t": day, "from": None, "company": company_id}).fetchall()
    return [WayIn(*row) for row in rows]


# How many target companies the referral question names (docs/METHOD.md "The referral
# question aimed at targets"): three names still sound like one question.
QUESTION_NAMES = 3


def referral_question(names: list[str], *, own: str | None = None, again: bool = False) -> str:
    """The referral question aimed at targets: "Who do you know at Acme, Globex or Initech?".

    `own`: the person's own target company, asked first as "who else" (their colleagues);
    `again`: asked of someone who has given names before ("Who else do you know …").
    """
    who = "Who else" if again or own else "Who"
    if own:
        rest = f" — and at {_either(names)}" if names else ""
        return f"Who else do you know at {own}{rest}?"
    if not names:
        return f"{who} do you know that might be helpful for me to get in touch with?"
    return f"{who} do you know at {_either(names)}?"


def _either(names: list[str]) -> str:
    """ "Acme", "Acme or Globex", "Acme, Globex or Initech"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


@dataclass(frozen=True)
class Aim:
    """The target companies one person's referral question names (none: the plain question)."""

    own: str | None = None  # their own target company: "who else do you know at …"
    others: tuple[str, ...] = ()  # the top targets in LAMP order, theirs left out

    @property
    def names(self) -> tuple[str, ...]:
        """Every company the question names, in the order it names them."""
        return ((self.own,) if self.own else ()) + self.others

    def question(self, *, again: bool = False) -> str:
        """The question in words (`again`: "Who else …", for a follow-up)."""
        return referral_question(list(self.others), own=self.own, again=again)


def aim_for(targets: list[TargetCompany], own_company_id: int | None) -> Aim:
    """Which targets the question names: the person's own target company first ("who else"),
    then the top targets in LAMP order, up to QUESTION_NAMES names in all."""
    live = [c for c in targets if not c.archived]
    own = next((c.name for c in live if c.id == own_company_id), None)
    room = QUESTION_NAMES - (1 if own else 0)
    others = tuple(c.name for c in live if c.id != own_company_id)[:room]
    return Aim(own, others)


def company_of(db: Database, contact_id: int | None) -> int | None:
    """The target company a contact is linked to (None: none, or no contact)."""
    if contact_id is None:
        return None
    return db.scalar("SELECT company_id FROM contacts WHERE id = ?", [contact_id])


def referral_aim(db: Database, contact_id: int | None, day: date) -> Aim:
    """The referral question's companies for one person (None: nobody chosen yet) as of `day`."""
    return aim_for(target_list(db, day), company_of(db, contact_id))
