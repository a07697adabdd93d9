"""The referral multiplier: generations, the referral tree, top referrers, warm vs cold, sources.

Counts follow the stats engine (docs/METHOD.md): the cohort is the period's targets with
stages as of T, and the generations equal `stats --json`'s `referrals.generations`.
With `redact`, no name or company leaves DuckDB: people get anonymous labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib.core.vocab import SOURCE, SOURCE_LABELS, SOURCES, STAGES, WARMTH
from lib.core.words import counted
from lib.engine import stats
from lib.engine.loops import CLOSED_SQL
from lib.engine.stats import STAGED_SQL, Period, Scope
from lib.store.db import Database

# The method's ideal: every person refers three (3 → 9 → 27).
IDEAL_REFERRALS = 3
# The fewest generations the multiplier shows, so the ideal curve has a shape.
MIN_GENERATIONS = 3
# The referral tree draws at most this many people; the rest are summarised.
TREE_MAX_PEOPLE = 150

# Short names for chart axes (the long ones go in hover text).
SOURCE_SHORT: dict[str, str] = SOURCE.shorts
# How a sentence names the targets a source gave ("Targets from … gave you …").
SOURCE_PHRASES: dict[str, str] = {key: term.help for key, term in SOURCE.items()}
WARM_COLD_LABELS: dict[str, str] = {key: WARMTH[key].plural for key in ("warm", "referred", "cold")}


def multiplier(db: Database, period: Period) -> pd.DataFrame:
    """Contacts per referral generation against the ideal ×3 curve, with each step's ratio."""
    return multiplier_frame(stats.referrals(db, Scope(period))["generations"])


def multiplier_frame(generations: list[int]) -> pd.DataFrame:
    """`multiplier` for already-counted generations (the `generations` of `stats.referrals`)."""
    counts = list(generations)
    counts += [0] * (MIN_GENERATIONS - len(counts))
    base_generation = next((g for g, n in enumerate(counts) if n), 0)
    base = counts[base_generation]
    frame = pd.DataFrame({"generation": range(len(counts)), "contacts": counts})
    frame["ideal"] = [
        base * IDEAL_REFERRALS ** (g - base_generation) if g >= base_generation else None
        for g in frame["generation"]
    ]
    previous = frame["contacts"].shift(1)
    frame["ratio"] = (frame["contacts"] / previous.where(previous > 0)).round(2)
    return frame


@dataclass(frozen=True)
class TreeSummary:
    """How much of the network the drawn referral tree shows."""

    people: int  # everyone identified by T
    first_contacts: int  # generation 0: people not referred by anyone
    trees: int  # first contacts who started a referral chain
    trees_shown: int
    people_in_trees: int
    people_shown: int


def referral_tree(
    db: Database, day: Any, *, redact: bool = False, max_people: int = TREE_MAX_PEOPLE
) -> tuple[pd.DataFrame, TreeSummary]:
    """The referral trees as of `day`, largest first, capped at `max_people` drawn people.

    Rows: `id`, `parent` ("you" for the first contact of a chain), `label`, `value`
    (people in the branch), `stage` (name), `generation`, `referred`, `warm`, `company_id`
    (the target company they are at, or None; an id, so a redacted tree may carry it).
    Branches beyond the cap become one "+N more" row under the nearest drawn person.
    """
    name = "NULL" if redact else "s.full_name"
    params = {"t": day, "from": None, "cap": max_people}
    nodes = db.df(
        f"""
        WITH {STAGED_SQL},
        people AS (
            SELECT s.id, s.stage, {name} AS name, s.company_id,
                   CASE WHEN r.id IS NULL THEN NULL ELSE s.referred_by END AS parent
            FROM staged s LEFT JOIN staged r ON r.id = s.referred_by
        ),
        walk AS (
            WITH RECURSIVE down(id, root, depth, path) AS (
                SELECT id, id, 0, [id] FROM people WHERE parent IS NULL
                UNION ALL
                SELECT p.id, d.root, d.depth + 1, list_append(d.path, p.id)
                FROM people p JOIN down d ON p.parent = d.id
            )
            SELECT * FROM down
        ),
        sizes AS (
            SELECT id, count(*) AS size
            FROM (SELECT unnest(path) AS id FROM walk) GROUP BY id
        ),
        given AS (
            SELECT parent AS id, count(*) AS referred,
                   count(*) FILTER (WHERE s.may_use_name) AS warm
            FROM people p JOIN staged s USING (id)
            WHERE parent IS NOT NULL GROUP BY parent
        ),
        trees AS (
            SELECT w.root, z.size AS tree_size
            FROM walk w JOIN sizes z USING (id) WHERE w.depth = 0 AND z.size > 1
        ),
        ranked AS (
            SELECT w.id, w.root, w.depth, w.path, z.size, p.parent, p.stage, p.name, p.company_id,
                   coalesce(g.referred, 0) AS referred, coalesce(g.warm, 0) AS warm,
                   row_number() OVER (
                       ORDER BY t.tree_size DESC, w.root, z.size DESC, w.depth, w.id) AS rank
            FROM walk w
            JOIN trees t USING (root)
            JOIN sizes z USING (id)
            JOIN people p USING (id)
            LEFT JOIN given g USING (id)
        ),
        shown AS (SELECT * FROM ranked WHERE rank <= $cap),
        hidden AS (
            SELECT r.id, max(i.n) AS n, any_value(r.path) AS path
            FROM ranked r,
                 unnest(r.path) WITH ORDINALITY AS i(ancestor, n)
            JOIN shown s ON s.id = i.ancestor
            WHERE r.rank > $cap
            GROUP BY r.id
        ),
        more AS (
            SELECT path[n] AS parent, count(*) AS value FROM hidden GROUP BY ALL
        )
        SELECT id::VARCHAR AS id, coalesce(parent::VARCHAR, 'you') AS parent, name,
               size AS value, stage, depth AS generation, referred, warm, company_id, rank
        FROM shown
        UNION ALL
        SELECT 'more-' || parent, parent::VARCHAR, NULL, value, NULL, NULL, NULL, NULL, NULL,
               NULL
        FROM more
        ORDER BY rank NULLS LAST, id
        """,
        params,
    )
    counts = _tree_counts(db, day)
    people, first_contacts, trees, referred = counts
    drawn = nodes[nodes["rank"].notna()]
    summary = TreeSummary(
        people=people,
        first_contacts=first_contacts,
        trees=trees,
        trees_shown=int((drawn["parent"] == "you").sum()),
        people_in_trees=trees + referred,
        people_shown=len(drawn),
    )
    return _label_tree(nodes, redact=redact), summary


def _tree_counts(db: Database, day: Any) -> tuple[int, int, int, int]:
    row = db.execute(
        f"""
        WITH {STAGED_SQL},
        linked AS (
            SELECT s.id, r.id IS NOT NULL AS referred,
                   s.id IN (SELECT contact_id FROM gave) AS gave_referral
            FROM staged s LEFT JOIN staged r ON r.id = s.referred_by
        )
        SELECT count(*),
               count(*) FILTER (WHERE NOT referred),
               count(*) FILTER (WHERE NOT referred AND gave_referral),
               count(*) FILTER (WHERE referred)
        FROM linked
        """,
        {"t": day, "from": None},
    ).fetchone()
    people, first_contacts, trees, referred = (int(n) for n in row)
    return people, first_contacts, trees, referred


def _label_tree(nodes: pd.DataFrame, *, redact: bool) -> pd.DataFrame:
    """Labels for the drawn people: names, or anonymous "Referrer k" / "Referral"."""
    frame = nodes.drop(columns=["rank"]).copy()
    person = frame["stage"].notna()
    if redact:
        referrers = person & (frame["referred"] > 0)
        frame["name"] = None
        frame.loc[referrers, "name"] = [f"Referrer {k}" for k in range(1, int(referrers.sum()) + 1)]
        frame.loc[person & ~referrers, "name"] = "Referral"
    frame["label"] = frame["name"]
    more = ~person
    frame.loc[more, "label"] = [f"+{int(v):,} more" for v in frame.loc[more, "value"]]
    frame["stage"] = [
        STAGES[int(s) - 1] if ok else None for s, ok in zip(frame["stage"], person, strict=True)
    ]
    for column in ("stage", "generation", "referred", "warm", "company_id"):
        frame[column] = frame[column].astype("object").where(person & frame[column].notna(), None)
    frame["company_id"] = pd.Series(
        [None if c is None else int(c) for c in frame["company_id"]], frame.index, dtype="object"
    )
    return frame.drop(columns=["name"]).reset_index(drop=True)


def top_referrers(
    db: Database, period: Period, *, redact: bool = False, limit: int = 10
) -> pd.DataFrame:
    """Who gave the cohort's referrals: referrals, warm ones, how many you have contacted, how
    many you reached (a conversation, interview or opportunity) and of those, how many you
    then told the referrer about (a thank-you or follow-up on or after reaching them)."""
    name = "NULL" if redact else "r.full_name"
    company = "NULL" if redact else "r.company"
    frame = db.df(
        f"""
        WITH {STAGED_SQL}, {CLOSED_SQL}
        SELECT c.referred_by AS referrer_id, {name} AS name, {company} AS company,
               count(*) AS referrals,
               count(*) FILTER (WHERE c.may_use_name) AS warm,
               count(*) FILTER (WHERE c.stage >= 2) AS contacted,
               count(k.id) AS reached,
               count(k.told_on) AS told
        FROM cohort c JOIN contacts r ON r.id = c.referred_by
        LEFT JOIN closed k ON k.id = c.id
        GROUP BY ALL
        ORDER BY referrals DESC, warm DESC, referrer_id
        LIMIT $limit
        """,
        period.params | {"limit": limit},
    )
    if redact:
        frame["name"] = [f"Referrer {k}" for k in range(1, len(frame) + 1)]
    return frame.drop(columns=["referrer_id"])


def warm_vs_cold(db: Database, period: Period) -> pd.DataFrame:
    """Of warm referrals, other referrals and cold targets: the share contacted and the share
    who then referred someone."""
    frame = db.df(
        f"""
        WITH {STAGED_SQL},
        groups AS (SELECT unnest(['warm', 'referred', 'cold']) AS kind,
                          unnest([1, 2, 3]) AS position)
        SELECT g.kind,
               count(c.id) AS targets,
               count(c.id) FILTER (WHERE c.stage >= 2) AS contacted,
               count(c.id) FILTER (WHERE c.id IN (SELECT contact_id FROM gave)) AS referred_someone
        FROM groups g
        LEFT JOIN cohort c ON g.kind = CASE
            WHEN c.referred_by IS NULL THEN 'cold'
            WHEN c.may_use_name THEN 'warm'
            ELSE 'referred' END
        GROUP BY g.kind, g.position
        ORDER BY g.position
        """,
        period.params,
    )
    frame["label"] = frame["kind"].map(WARM_COLD_LABELS)
    return _with_shares(frame, "contacted", "referred_someone")


def by_source(db: Database, period: Period) -> pd.DataFrame:
    """Per source: targets, people talked to, and the referrals they gave (by T)."""
    frame = db.df(
        f"""
        WITH {STAGED_SQL},
        given AS (
            SELECT referred_by AS id, count(*) AS referrals
            FROM contacts WHERE referred_by IS NOT NULL AND identified_on <= $t
            GROUP BY referred_by
        )
        SELECT coalesce(c.source, 'other') AS source,
               count(*) AS targets,
               count(*) FILTER (WHERE c.stage >= 2) AS contacted,
               coalesce(sum(g.referrals), 0)::BIGINT AS referrals
        FROM cohort c LEFT JOIN given g USING (id)
        GROUP BY ALL
        """,
        period.params,
    )
    order = {source: k for k, source in enumerate(SOURCES)}
    frame["position"] = frame["source"].map(order).fillna(len(order))
    frame = frame.sort_values(["position", "source"]).drop(columns=["position"])
    frame["label"] = frame["source"].map(lambda s: SOURCE_LABELS.get(s, str(s).title()))
    frame["short_label"] = frame["source"].map(lambda s: SOURCE_SHORT.get(s, str(s).title()))
    frame["referrals_per_target"] = (frame["referrals"] / frame["targets"]).round(2)
    return _with_shares(frame, "contacted").reset_index(drop=True)


def _with_shares(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[f"{column}_share"] = (
            (frame[column] / frame["targets"].where(frame["targets"] > 0)).fillna(0.0).round(3)
        )
    return frame


def best_source(sources: pd.DataFrame, *, min_targets: int = 3) -> str | None:
    """One sentence naming the source with the most referrals per target (enough targets)."""
    enough = sources[sources["targets"] >= min_targets]
    if enough.empty or not enough["referrals"].any():
        return None
    best = enough.sort_values(["referrals_per_target", "targets"], ascending=False).iloc[0]
    where = SOURCE_PHRASES.get(best["source"], str(best["label"]))
    targets = int(best["targets"])
    return (
        f"Targets from {where} gave you the most referrals: "
        f"{best['referrals_per_target']:.1f} per target ({counted(targets, 'target')})."
    )
