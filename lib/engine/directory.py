"""Finding people among many: search, filters and pages, a contact's card, timeline and chain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from lib.core.columns import CONTACTS
from lib.core.errors import NotFoundError
from lib.core.validation import clean_text
from lib.core.vocab import (
    ATTEMPT_OUTCOME,
    CHANNEL_LABELS,
    DUE_LIST,
    DUE_LISTS,
    NOTHING_DUE,
    PITCH_NOT_DELIVERED,
    SOURCE_LABELS,
    SOURCES,
    STAGE_LABELS,
    STAGES,
    TIMELINE,
    TOUCH_KINDS,
    sql_words,
)
from lib.core.words import human_date, short_date
from lib.engine.stats import DUE_SQL, STAGED_SQL
from lib.store.db import Database

PICKER_LIMIT = 50
PAGE_SIZE = 25
ARCHIVED_CHOICES: tuple[str, ...] = ("active", "archived", "all")
DUE_LABELS: dict[str, str] = {**DUE_LIST.labels, NOTHING_DUE.key: NOTHING_DUE.label}
# The table's Due column (a contact can be on several lists at once) uses the short labels.
DUE_SHORT: dict[str, str] = DUE_LIST.shorts
ARCHIVED_LABELS: dict[str, str] = {"active": "Active", "archived": "Archived", "all": "All"}
DUE_CHOICES: tuple[str, ...] = tuple(DUE_LABELS)
# A contact's columns that hold a day (the card gives them as `date`, not a Timestamp).
CONTACT_DATES: tuple[str, ...] = CONTACTS.names(sql_type="DATE")
SORTS: dict[str, str] = {
    "name": "lower(c.full_name), c.id",
    "newest": "c.identified_on DESC, c.id DESC",
    "quiet": "t.last_touch ASC NULLS FIRST, c.id",
}
SORT_LABELS: dict[str, str] = {
    "name": "Name (A–Z)",
    "newest": "Newest first",
    "quiet": "Longest without a touch",
}

# The text a search looks through: accents and case forgiven ("chloe" finds "Chloé"), each
# word matched at the start of a word ("ana" finds Ana and Anand, not Manager).
_HAYSTACK = "' ' || strip_accents(lower(concat_ws(' ', c.full_name, c.company, c.title{extra})))"


@dataclass(frozen=True)
class Filters:
    """What the Contacts page narrows the list by (all optional)."""

    text: str = ""
    stages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    due: str | None = None
    archived: str = "active"
    sort: str = "name"


def search_words(text: str | None) -> list[str]:
    """The words of a search, lower-cased; `#12` also finds contact 12."""
    cleaned = clean_text("search", text, limit=200) or ""
    return [word for word in re.split(r"\s+", cleaned.lower()) if word]


def _text_clause(words: list[str], *, notes: bool) -> tuple[str, dict[str, Any]]:
    """One bound condition per word: every word must appear (or be the contact's id)."""
    haystack = _HAYSTACK.format(extra=", c.notes" if notes else "")
    clauses, params = [], {}
    for i, word in enumerate(words):
        params[f"w{i}"] = word
        clause = f"contains({haystack}, ' ' || strip_accents($w{i}))"
        if _is_id(word):
            params[f"n{i}"] = int(word[1:])
            clause = f"({clause} OR c.id = $n{i})"
        clauses.append(clause)
    return " AND ".join(clauses) or "true", params


def _is_id(word: str) -> bool:
    """`#12` names contact 12 (a bare `12` is just text: it may be part of a name or note)."""
    return word.startswith("#") and word[1:].isdigit() and len(word) < 11


def _as_id(words: list[str]) -> int:
    """The id a one-word search like `#12` names, else 0 (no contact has id 0)."""
    return int(words[0][1:]) if len(words) == 1 and _is_id(words[0]) else 0


def find_contacts(db: Database, text: str = "", limit: int = PICKER_LIMIT) -> pd.DataFrame:
    """At most `limit` contacts matching a name, company or title (newest first when blank)."""
    words = search_words(text)
    condition, params = _text_clause(words, notes=False)
    # Contacts whose name holds every word come before company and title matches.
    name_match = " AND ".join(
        f"contains(' ' || strip_accents(lower(c.full_name)), ' ' || strip_accents($w{i}))"
        for i in range(len(words))
    )
    return db.df(
        f"""
        SELECT c.id, c.full_name, c.company, c.archived
        FROM contacts c
        WHERE {condition}
        ORDER BY c.id = $exact DESC,
                 starts_with(strip_accents(lower(c.full_name)), strip_accents($whole)) DESC,
                 {name_match + " DESC," if name_match else ""}
                 c.id DESC
        LIMIT $limit
        """,
        {**params, "whole": " ".join(words), "exact": _as_id(words), "limit": limit},
    )


def contact_label(full_name: str, company: str | None, contact_id: int, archived: bool) -> str:
    """How a contact reads in a picker: `Ana Ruiz — Kestrel Software (#12)`."""
    label = full_name if not company else f"{full_name} — {company}"
    return f"{label} (#{contact_id}{', archived' if archived else ''})"


def picker_labels(
    db: Database, text: str = "", selected: int | None = None, limit: int = PICKER_LIMIT
) -> dict[int, str]:
    """Picker options (id → label) for a search, with the selected contact always present."""
    found = find_contacts(db, text, limit=limit)
    if selected is not None and selected not in set(found["id"]):
        extra = db.df(
            "SELECT id, full_name, company, archived FROM contacts WHERE id = ?", [selected]
        )
        found = pd.concat([extra, found], ignore_index=True)
    return {
        int(row.id): contact_label(row.full_name, row.company, int(row.id), bool(row.archived))
        for row in found.itertuples()
    }


def _filter_sql(filters: Filters) -> tuple[str, dict[str, Any]]:
    text, params = _text_clause(search_words(filters.text), notes=True)
    clauses = [text]
    if filters.stages:
        clauses.append("list_contains($stages, coalesce(s.stage, 1))")
        params["stages"] = [STAGES.index(stage) + 1 for stage in filters.stages]
    if filters.sources:
        clauses.append("list_contains($sources, c.source)")
        params["sources"] = [source for source in filters.sources if source in SOURCES]
    if filters.archived == "active":
        clauses.append("NOT c.archived")
    elif filters.archived == "archived":
        clauses.append("c.archived")
    if filters.due == "nothing_due":
        clauses.append(f"NOT coalesce({' OR '.join(f'd.{name}' for name in DUE_LISTS)}, false)")
    elif filters.due in DUE_CHOICES:
        clauses.append(f"coalesce(d.{filters.due}, false)")  # a name from DUE_CHOICES
    return " AND ".join(clauses), params


def search_contacts(
    db: Database, filters: Filters, day: date, *, page: int = 1, page_size: int = PAGE_SIZE
) -> tuple[pd.DataFrame, int]:
    """One page of the contacts matching `filters` (stage and due as of `day`), and the total.

    A page past the end gives the last page; each row's `position` counts from 1.
    """
    condition, params = _filter_sql(filters)
    order = SORTS.get(filters.sort, SORTS["name"])
    frame = db.df(
        f"""
        WITH {STAGED_SQL},
        flags AS (
            SELECT id, {", ".join(DUE_LISTS)} FROM ({DUE_SQL})
        ),
        touched AS (
            SELECT contact_id, max(occurred_on) AS last_touch FROM ev
            WHERE kind IN ({sql_words(TOUCH_KINDS)}) GROUP BY contact_id
        ),
        matches AS (
            SELECT c.id, c.full_name, c.company, c.title, coalesce(s.stage, 1) AS stage,
                   {", ".join(f"d.{name}" for name in DUE_LISTS)},
                   t.last_touch, c.source, r.full_name AS referred_by_name, c.identified_on,
                   c.archived,
                   row_number() OVER (ORDER BY {order}) AS position,
                   count(*) OVER () AS total
            FROM contacts c
            LEFT JOIN staged s ON s.id = c.id
            LEFT JOIN flags d ON d.id = c.id
            LEFT JOIN touched t ON t.contact_id = c.id
            LEFT JOIN contacts r ON r.id = c.referred_by
            WHERE {condition}
        )
        SELECT * FROM matches
        WHERE position > least($skip, (total - 1) // $size * $size)
          AND position <= least($skip, (total - 1) // $size * $size) + $size
        ORDER BY position
        """,
        {
            **params,
            "t": day,
            "from": None,
            "size": page_size,
            "skip": (max(1, page) - 1) * page_size,
        },
    )
    total = int(frame["total"].iloc[0]) if len(frame) else 0
    return frame.drop(columns="total"), total


def contact_card(db: Database, contact_id: int, day: date) -> dict[str, Any]:
    """One contact with its stage as of `day`, its referrer, how many people it referred, and
    the import that brought it (`imported_format`, `imported_file`; None when typed in)."""
    frame = db.df(
        f"""
        WITH {STAGED_SQL}
        SELECT c.*, coalesce(s.stage, 1) AS stage,
               r.full_name AS referrer_name, r.archived AS referrer_archived,
               (SELECT count(*) FROM contacts k WHERE k.referred_by = c.id) AS referred_count,
               (SELECT count(*) FROM events e WHERE e.contact_id = c.id) AS event_count,
               b.format AS imported_format, b.file AS imported_file
        FROM contacts c
        LEFT JOIN staged s ON s.id = c.id
        LEFT JOIN contacts r ON r.id = c.referred_by
        LEFT JOIN import_batches b ON b.id = c.import_batch
        WHERE c.id = $id
        """,
        {"t": day, "from": None, "id": contact_id},
    )
    if frame.empty:
        raise NotFoundError(f"there is no contact with id {contact_id}")
    record = {k: (None if _missing(v) else v) for k, v in frame.iloc[0].to_dict().items()}
    for key in CONTACT_DATES:
        if record.get(key) is not None:
            record[key] = pd.Timestamp(record[key]).date()
    return record


def timeline(db: Database, contact_id: int) -> pd.DataFrame:
    """A contact's story: its events, the referrals it gave, the day it was found.

    Days run newest first; within one day the steps read in the method's order (found, the
    conversation, the referrals it gave, the thank-you, the follow-up, then opportunities and
    notes), whatever order they were logged in.
    """
    return db.df(
        """
        SELECT day, what, channel, detail, event_id, outcome, call_back_on, logged_at FROM (
            SELECT occurred_on AS day, kind AS what, channel, notes AS detail, id AS event_id,
                   CASE kind WHEN 'contacted' THEN 1 WHEN 'info_interview' THEN 2
                        WHEN 'referral_asked' THEN 3 WHEN 'thank_you' THEN 5
                        WHEN 'follow_up' THEN 6 WHEN 'opportunity' THEN 7 ELSE 8 END AS rank,
                   outcome, call_back_on, created_at AS logged_at
            FROM events WHERE contact_id = $id
            UNION ALL
            SELECT identified_on, 'referral_given', NULL,
                   full_name || coalesce(' (' || company || ')', ''), NULL, 4, NULL, NULL, NULL
            FROM contacts WHERE referred_by = $id
            UNION ALL
            SELECT identified_on, 'identified', NULL, source, NULL, 0, NULL, NULL, NULL
            FROM contacts WHERE id = $id
        )
        ORDER BY day DESC, rank, event_id NULLS LAST, detail
        """,
        {"id": contact_id},
    )


def step_words(row: Any) -> str:
    """What a timeline row's Details say: a call attempt's outcome ("no answer", "call back
    Wed 9 Dec") before its notes; any other step's notes (a found row: where from)."""
    if row.what == "identified":
        return SOURCE_LABELS.get(row.detail, "") if isinstance(row.detail, str) else ""
    notes = row.detail if isinstance(row.detail, str) else ""
    if row.what != "attempt" or not isinstance(row.outcome, str):
        return notes
    words = ATTEMPT_OUTCOME.short(row.outcome)
    if row.outcome == "call_back" and not _missing(row.call_back_on):
        words += f" {short_date(pd.Timestamp(row.call_back_on).date())}"
    return f"{words} — {notes}" if notes else words


def referral_chain_up(db: Database, contact_id: int) -> pd.DataFrame:
    """Who referred this contact, and who referred them, up to the first target (oldest first)."""
    return db.df(
        """
        WITH RECURSIVE up(id, depth) AS (
            SELECT referred_by, 1 FROM contacts WHERE id = $id AND referred_by IS NOT NULL
            UNION ALL
            SELECT c.referred_by, up.depth + 1 FROM contacts c JOIN up ON c.id = up.id
            WHERE c.referred_by IS NOT NULL AND up.depth < 1000
        )
        SELECT c.id, c.full_name, c.company, up.depth
        FROM up JOIN contacts c ON c.id = up.id
        ORDER BY up.depth DESC
        """,
        {"id": contact_id},
    )


def referral_tree_down(db: Database, contact_id: int, limit: int = 500) -> tuple[pd.DataFrame, int]:
    """The people this contact referred, and whom they referred in turn; at most `limit` rows."""
    frame = db.df(
        """
        WITH RECURSIVE down(id, depth) AS (
            SELECT id, 1 FROM contacts WHERE referred_by = $id
            UNION ALL
            SELECT c.id, down.depth + 1 FROM contacts c JOIN down ON c.referred_by = down.id
            WHERE down.depth < 1000
        )
        SELECT c.id, down.depth AS generation, c.full_name, c.company,
               r.full_name AS referred_by_name, c.may_use_name, c.identified_on,
               count(*) OVER () AS total
        FROM down
        JOIN contacts c ON c.id = down.id
        LEFT JOIN contacts r ON r.id = c.referred_by
        ORDER BY down.depth, c.identified_on, c.id
        LIMIT $limit
        """,
        {"id": contact_id, "limit": limit},
    )
    total = int(frame["total"].iloc[0]) if len(frame) else 0
    return frame.drop(columns="total"), total


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def directory_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A page of `search_contacts` in the words the Contacts table shows."""
    due = [
        " · ".join(DUE_SHORT[name] for name in DUE_SHORT if row.get(name) is True)
        for row in frame.to_dict("records")
    ]
    return pd.DataFrame(
        {
            "Name": frame["full_name"],
            "Stage": frame["stage"].map(lambda n: STAGE_LABELS[STAGES[int(n) - 1]]),
            "Due": due,
            # A date, so the column sorts by date (the page formats it and leaves none empty).
            "Last touch": pd.to_datetime(frame["last_touch"]),
            "Company": frame["company"].fillna(""),
            "Title": frame["title"].fillna(""),
            "Referred by": frame["referred_by_name"].fillna(""),
            "Archived": frame["archived"].astype(bool),
        }
    ).set_index(frame["id"].rename("#"))


def step_choices(frame: pd.DataFrame) -> dict[int, str]:
    """The logged steps of a `timeline`, each named distinctly for a picker: day, step and
    its details (a call attempt's outcome); steps that would still read alike add the time
    they were logged (`logged 14:05`), then their number."""
    logged = frame[frame["event_id"].notna()]
    names = {
        int(row.event_id): " · ".join(
            part
            for part in (
                human_date(pd.Timestamp(row.day).date()),
                TIMELINE.label(row.what),
                step_words(row)[:40],
            )
            if part
        )
        for row in logged.itertuples()
    }
    for extra in ("time", "number"):
        seen: dict[str, int] = {}
        for name in names.values():
            seen[name] = seen.get(name, 0) + 1
        for row in logged.itertuples():
            number = int(row.event_id)
            if seen[names[number]] < 2:
                continue
            if extra == "time" and not _missing(row.logged_at):
                names[number] += f" · logged {pd.Timestamp(row.logged_at):%H:%M}"
            elif extra == "number":
                names[number] += f" · #{number}"
    return names


def timeline_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A contact's `timeline` in the words its view shows (a call attempt with its outcome)."""
    words = TIMELINE.labels
    return pd.DataFrame(
        {
            "Date": [human_date(pd.Timestamp(day).date()) for day in frame["day"]],
            "Step": frame["what"].map(words),
            "Channel": frame["channel"].map(CHANNEL_LABELS).fillna(""),
            "Details": [step_words(row) for row in frame.itertuples()],
        }
    )


def usually_pitched(db: Database) -> bool:
    """Whether most conversations logged so far delivered the pitch (yes until 3 are logged):
    the Log form's "Delivered my pitch" starts that way."""
    without, total = db.execute(
        "SELECT count(*) FILTER (WHERE starts_with(coalesce(notes, ''), ?)), count(*) "
        "FROM events WHERE kind = 'contacted'",
        [PITCH_NOT_DELIVERED],
    ).fetchone()
    return total < 3 or 2 * without < total
