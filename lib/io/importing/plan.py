"""The import plan: what importing a parsed file would do now, one row per row of the file.

`matching.plan_import` builds it (who is new, who is known) and `decisions.decide_writes`
completes it (kept ids, referral links, events); `write.py` only carries it out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from lib.core.columns import CONTACT_IMPORT_FILLS, CONTACTS
from lib.io.importing.model import ParsedImport, Problem
from lib.io.importing.text import FORMAT_LABELS

# Fields an import may fill on a contact that already exists, when blank there: text, then
# the others (lib.core.columns marks them `importable`).
TEXT_FILLS: tuple[str, ...] = CONTACTS.names(importable=True, sql_type="VARCHAR")
OTHER_FILLS: tuple[str, ...] = tuple(c for c in CONTACT_IMPORT_FILLS if c not in TEXT_FILLS)
PLAN_COLUMNS: tuple[str, ...] = (
    "row",
    "action",
    "contact_id",
    "matched_on",
    "fills",
    "full_name",
    "company",
    "title",
    "email",
    "phone",
    "linkedin_url",
    "connected_on",
    "reason",
)


@dataclass
class ImportPlan:
    """What importing a parsed file would do now: one row per row of the file."""

    parsed: ParsedImport
    rows: pd.DataFrame
    events_new: int = 0
    events_known: int = 0
    # Internal: the contacts to write, keyed by file row.
    matches: dict[int, int] = field(default_factory=dict, repr=False)
    fields: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)
    first_row: dict[int, int] = field(default_factory=dict, repr=False)
    # Matched contacts that already have a referrer (an import never replaces it).
    has_referrer: set[int] = field(default_factory=set, repr=False)
    # Rows that are the same person as a row an earlier batch of this file wrote: they fill
    # that contact's blanks and are counted as duplicates (see write.import_in_batches).
    repeats: set[int] = field(default_factory=set, repr=False)
    # What the write does, all decided before it (decisions.py; write.py only writes):
    # the new rows chosen, each with the file's id when it is free (else None: a fresh id),
    new_rows: list[int] = field(default_factory=list, repr=False)
    kept_ids: list[int | None] = field(default_factory=list, repr=False)
    not_chosen: int = 0
    # referral links, child → referrer, between nodes: a stored contact is its id, a new
    # row of the file is minus its row number (rows count from 1, ids too),
    links: dict[int, int] = field(default_factory=dict, repr=False)
    # the matched rows whose contact gains a blank filled or a referrer (not repeats),
    gains: set[int] = field(default_factory=set, repr=False)
    # the in-file duplicates and the dropped links, for the summary,
    duplicates: list[Problem] = field(default_factory=list, repr=False)
    warnings: list[Problem] = field(default_factory=list, repr=False)
    # a Warm Leads CSV's events to add (`node`: whose), with their kept ids,
    events: pa.Table | None = field(default=None, repr=False)
    # and whether it restores a whole backup into an empty file (then the ids its restored
    # import batches and merges keep, by record word).
    restore: bool = False
    restored_ids: dict[str, list[int | None]] = field(default_factory=dict, repr=False)

    def count(self, action: str) -> int:
        """How many rows of the file get this action."""
        return int((self.rows["action"] == action).sum())

    @property
    def label(self) -> str:
        """The file's kind in the user's words."""
        return FORMAT_LABELS[self.parsed.format]


def skipped_problems(plan: ImportPlan) -> list[Problem]:
    """Bad rows and in-file duplicates, in file order, as the summary lists them."""
    unit = plan.parsed.unit
    duplicates = plan.rows[plan.rows["action"] == "duplicate"]
    problems = list(plan.parsed.problems) + [
        Problem(int(r.row), str(r.reason), unit) for r in duplicates.itertuples()
    ]
    return sorted(problems, key=lambda p: p.where)


def choose_targets(
    rows: pd.DataFrame,
    *,
    companies: Collection[str] = (),
    position_words: Collection[str] = (),
) -> pd.Series:
    """Which new people to add: all, or those at the companies / with any of the words.

    Companies compare without case; a position word matches anywhere in the title
    without case ("head of" matches "Head of Operations"). Both filters must hold.
    """
    chosen = rows["action"] == "new"
    if companies:
        wanted = {c.strip().lower() for c in companies}
        chosen &= rows["company"].fillna("").str.strip().str.lower().isin(wanted)
    words = [w.strip().lower() for w in position_words if w.strip()]
    if words:
        titles = rows["title"].fillna("").str.lower()
        hit = pd.Series(False, index=rows.index)
        for word in words:
            hit |= titles.str.contains(word, regex=False)
        chosen &= hit
    return chosen
