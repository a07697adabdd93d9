"""Possible duplicates, merging two contacts into one, and undoing a merge.

Two contacts look like the same person when they share an email or a LinkedIn URL, or
when their names are very similar at the same company ("Jon Smith" / "John Smith" at
"Atlas Freight" and "Atlas Freight Inc."). A merge keeps one contact, moves the other's
events and referral links to it, fills its blank fields from the other (appending the
other's notes), and deletes the other — recording everything so it can be undone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from lib.core.columns import CONTACTS
from lib.core.errors import NotFoundError, ValidationError
from lib.core.keys import company_key_sql, email_key_sql, name_words_sql, url_key_sql
from lib.core.words import counted
from lib.records.contacts import check_referrer, contact_exists, get_contact, require_contact
from lib.store.db import Database

# Jaro–Winkler similarity of normalised names at or above which two names are "very similar".
NAME_SIMILARITY = 0.9
FILL_FIELDS: tuple[str, ...] = CONTACTS.names(merged=True)  # filled on the kept contact
_DUPLICATES_SQL = f"""
    WITH c AS (
        SELECT id, full_name, company, email, linkedin_url,
               {url_key_sql("linkedin_url")} AS k_url,
               {email_key_sql("email")} AS k_email,
               {name_words_sql("full_name")} AS k_name,
               {company_key_sql("company")} AS k_company
        FROM contacts
    ),
    named AS (
        SELECT *, split_part(k_name, ' ', 1) AS first_word,
               split_part(k_name, ' ', -1) AS last_word
        FROM c WHERE k_company IS NOT NULL AND k_name <> ''
    ),
    pairs AS (
        SELECT a.id AS a_id, b.id AS b_id, 'same LinkedIn URL' AS reason
        FROM c a JOIN c b ON a.k_url = b.k_url AND a.id < b.id
        UNION ALL
        SELECT a.id, b.id, 'same email'
        FROM c a JOIN c b ON a.k_email = b.k_email AND a.id < b.id
        UNION ALL
        SELECT a.id, b.id, 'similar names at the same company'
        FROM named a JOIN named b
          ON a.k_company = b.k_company AND a.first_word = b.first_word AND a.id < b.id
        WHERE jaro_winkler_similarity(a.k_name, b.k_name) >= $similarity
        UNION ALL
        SELECT a.id, b.id, 'similar names at the same company'
        FROM named a JOIN named b
          ON a.k_company = b.k_company AND a.last_word = b.last_word AND a.id < b.id
        WHERE jaro_winkler_similarity(a.k_name, b.k_name) >= $similarity
    ),
    grouped AS (
        SELECT a_id, b_id,
               string_agg(DISTINCT reason, '; ' ORDER BY reason) AS reasons,
               min(CASE reason WHEN 'same LinkedIn URL' THEN 0 WHEN 'same email' THEN 1
                   ELSE 2 END) AS strength
        FROM pairs p
        WHERE NOT EXISTS (
            SELECT 1 FROM not_duplicates n WHERE n.low_id = p.a_id AND n.high_id = p.b_id
        )
        GROUP BY a_id, b_id
    ),
    listed AS (
        SELECT *, count(*) OVER () AS total FROM grouped
        ORDER BY strength, a_id, b_id LIMIT $limit
    ),
    history AS (
        SELECT contact_id, count(*) AS events FROM events
        WHERE contact_id IN (SELECT a_id FROM listed UNION SELECT b_id FROM listed)
        GROUP BY contact_id
    )
    SELECT g.a_id, g.b_id, g.reasons,
           a.full_name AS a_name, a.company AS a_company, a.email AS a_email,
           coalesce(ha.events, 0) AS a_events,
           b.full_name AS b_name, b.company AS b_company, b.email AS b_email,
           coalesce(hb.events, 0) AS b_events,
           g.total
    FROM listed g
    JOIN contacts a ON a.id = g.a_id
    JOIN contacts b ON b.id = g.b_id
    LEFT JOIN history ha ON ha.contact_id = g.a_id
    LEFT JOIN history hb ON hb.contact_id = g.b_id
    ORDER BY g.strength, g.a_id, g.b_id
"""


def find_duplicates(db: Database, *, limit: int = 200) -> pd.DataFrame:
    """Pairs that look like one person, strongest evidence first; `total` counts them all."""
    return db.df(_DUPLICATES_SQL, {"similarity": NAME_SIMILARITY, "limit": limit})


def mark_not_duplicates(db: Database, first_id: int, second_id: int) -> None:
    """Remember that two contacts are different people: the pair is not listed again."""
    with db.transaction():
        low, high = sorted((require_contact(db, first_id), require_contact(db, second_id)))
        db.execute("DELETE FROM not_duplicates WHERE low_id = ? AND high_id = ?", [low, high])
        db.execute("INSERT INTO not_duplicates (low_id, high_id) VALUES (?, ?)", [low, high])


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _as_json(row: dict[str, Any]) -> str:
    return json.dumps({name: _json_value(value) for name, value in row.items()})


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class MergeResult:
    """What a merge did."""

    merge_id: int
    kept_id: int
    removed_id: int
    filled: tuple[str, ...]
    moved_events: int
    moved_referrals: int

    def summary(self, removed_name: str) -> str:
        """One line for the user."""
        filled = f"; filled {', '.join(self.filled)}" if self.filled else ""
        return (
            f"Merged {removed_name} into contact {self.kept_id}: moved "
            f"{counted(self.moved_events, 'event')} and "
            f"{counted(self.moved_referrals, 'referral')}{filled}"
        )


def merge_contacts(db: Database, keep_id: int, other_id: int) -> MergeResult:
    """Keep one contact, move the other's events and referrals to it, fill blanks; undoable."""
    with db.transaction():
        keep_id = require_contact(db, keep_id, "keep")
        other_id = require_contact(db, other_id, "other")
        if keep_id == other_id:
            raise ValidationError("other", "is the same contact as the one kept")
        before, other = get_contact(db, keep_id), get_contact(db, other_id)
        changes: dict[str, Any] = {
            name: other[name]
            for name in FILL_FIELDS
            if _blank(before.get(name)) and not _blank(other.get(name))
        }
        if "company" in changes and other.get("company_id") is not None:
            changes["company_id"] = other["company_id"]  # the link goes with the text
        if not _blank(other.get("notes")) and other["notes"] != before.get("notes"):
            changes["notes"] = (
                other["notes"]
                if _blank(before.get("notes"))
                else f"{before['notes']}\n\n{other['notes']}"
            )
        if changes:
            assignments = ", ".join(f"{name} = ?" for name in changes)  # our column names
            db.execute(
                f"UPDATE contacts SET {assignments} WHERE id = ?", [*changes.values(), keep_id]
            )
        moved_events = [
            int(r[0])
            for r in db.execute(
                "UPDATE events SET contact_id = ? WHERE contact_id = ? RETURNING id",
                [keep_id, other_id],
            ).fetchall()
        ]
        moved_referrals = [
            int(r[0])
            for r in db.execute(
                "UPDATE contacts SET referred_by = ? WHERE referred_by = ? AND id <> ? "
                "RETURNING id",
                [keep_id, other_id, keep_id],
            ).fetchall()
        ]
        _choose_referrer(db, keep_id, other_id, before, other)
        db.execute("DELETE FROM contacts WHERE id = ?", [other_id])
        after = get_contact(db, keep_id)
        merge_id = int(
            db.execute(
                "INSERT INTO contact_merges (id, kept_id, removed_id, kept_before, kept_after, "
                "removed, moved_events, moved_referrals) "
                "VALUES (nextval('contact_merges_id_seq'), ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    keep_id,
                    other_id,
                    _as_json(before),
                    _as_json(after),
                    _as_json(other),
                    moved_events,
                    moved_referrals,
                ],
            ).fetchone()[0]
        )
    filled = tuple(n for n in (*FILL_FIELDS, "notes") if n in changes)
    return MergeResult(merge_id, keep_id, other_id, filled, len(moved_events), len(moved_referrals))


def _choose_referrer(
    db: Database, keep_id: int, other_id: int, before: dict[str, Any], other: dict[str, Any]
) -> None:
    """The kept contact's referrer: its own, else the other's — never one that makes a loop."""
    options = [
        (before.get("referred_by"), before.get("may_use_name")),
        (other.get("referred_by"), other.get("may_use_name")),
    ]
    db.execute(
        "UPDATE contacts SET referred_by = NULL, may_use_name = NULL WHERE id = ?", [keep_id]
    )
    for referrer, may_use_name in options:
        if referrer is None:
            continue
        referrer = keep_id if referrer == other_id else referrer
        if referrer == keep_id:
            continue
        try:
            check_referrer(db, keep_id, referrer)
        except ValidationError:
            continue
        db.execute(
            "UPDATE contacts SET referred_by = ?, may_use_name = ? WHERE id = ?",
            [referrer, may_use_name, keep_id],
        )
        return


def recent_merges(db: Database, *, limit: int = 10) -> pd.DataFrame:
    """The latest merges, newest first, with the names involved and whether each was undone."""
    frame = db.df(
        "SELECT m.id, m.merged_at, m.kept_id, c.full_name AS kept_name, m.removed_id, "
        "m.removed, m.undone_at FROM contact_merges m "
        "LEFT JOIN contacts c ON c.id = m.kept_id ORDER BY m.id DESC LIMIT ?",
        [limit],
    )
    frame["removed_name"] = [json.loads(r).get("full_name") for r in frame["removed"]]
    return frame.drop(columns=["removed"])


def undo_merge(db: Database, merge_id: int) -> int:
    """Bring the merged-away contact back with its events and referrals; return its id."""
    with db.transaction():
        row = db.execute(
            "SELECT kept_id, removed_id, kept_before, kept_after, removed, moved_events, "
            "moved_referrals, undone_at FROM contact_merges WHERE id = ?",
            [merge_id],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"there is no merge with id {merge_id}")
        kept_id, removed_id, before, after, removed, events, referrals, undone_at = row
        if undone_at is not None:
            raise ValidationError("merge", "was already undone")
        before, after, removed = json.loads(before), json.loads(after), json.loads(removed)
        types = dict(
            db.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = 'contacts'"
            ).fetchall()
        )
        if contact_exists(db, removed_id):
            raise ValidationError("merge", f"cannot be undone: id {removed_id} is in use again")
        kept_now = (
            json.loads(_as_json(get_contact(db, kept_id))) if contact_exists(db, kept_id) else None
        )
        columns = [c for c in removed if c in types]
        casts = ", ".join(f"?::{types[c]}" for c in columns)  # types from the catalog
        db.execute(
            f"INSERT INTO contacts ({', '.join(columns)}) VALUES ({casts})",
            [removed[c] for c in columns],
        )
        if kept_now is not None:
            # Put back only what the merge changed and nobody has edited since.
            restore = {
                c: before[c]
                for c in before
                if c in types
                and c != "id"
                and before[c] != after.get(c)
                and kept_now.get(c) == after.get(c)
            }
            if restore:
                assignments = ", ".join(f"{c} = ?::{types[c]}" for c in restore)
                db.execute(
                    f"UPDATE contacts SET {assignments} WHERE id = ?",
                    [*restore.values(), kept_id],
                )
        db.execute(
            "UPDATE events SET contact_id = ? WHERE contact_id = ? "
            "AND list_contains(?::INTEGER[], id)",
            [removed_id, kept_id, list(events)],
        )
        db.execute(
            "UPDATE contacts SET referred_by = ? WHERE referred_by = ? "
            "AND list_contains(?::INTEGER[], id)",
            [removed_id, kept_id, list(referrals)],
        )
        db.execute(
            "UPDATE contact_merges SET undone_at = current_timestamp WHERE id = ?", [merge_id]
        )
    return removed_id
