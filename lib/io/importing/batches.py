"""Import batches: every import recorded, and undone (the contacts it added, the blanks it filled).

A contact the import added is kept when it has since gained steps or referrals of its own:
undoing never takes away what the user did after the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lib.core.columns import CONTACTS
from lib.core.errors import NotFoundError, WarmLeadsError
from lib.core.vocab import DEMO_FORMAT
from lib.core.words import counted, human_moment
from lib.store.db import Database
from lib.store.migrations import table_exists

# The fields an import fills (lib.core.columns `importable`, and a referral's referrer and
# whether its name may be used), with the type its value before is cast back to from text.
_FILLED: dict[str, str] = {
    name: CONTACTS.column(name).sql_type
    for name in (*CONTACTS.names(importable=True), "referred_by", "may_use_name")
}


class UndoRefused(WarmLeadsError):
    """This batch cannot be undone (already undone, or it is the demo)."""


@dataclass
class Undone:
    """What undoing a batch did, and whom it kept."""

    batch_id: int
    file: str
    removed: int = 0
    events_removed: int = 0
    emptied: int = 0
    kept: list[dict[str, Any]] = field(default_factory=list)
    suggestions_removed: int = 0  # an activity import's open suggestions

    def summary(self) -> str:
        """One paragraph: what was removed and emptied, who was kept and why."""
        text = (
            f"Undid import #{self.batch_id} ({self.file}): removed "
            f"{counted(self.removed, 'contact')}"
            + (f" and {counted(self.events_removed, 'step')}" if self.events_removed else "")
            + f", emptied {counted(self.emptied, 'filled field')}"
            + (
                f", took back {counted(self.suggestions_removed, 'open suggestion')}."
                if self.suggestions_removed
                else "."
            )
        )
        if self.kept:
            people = "; ".join(describe_kept(person) for person in self.kept)
            text += (
                f" Kept {counted(len(self.kept), 'contact')} who gained steps or referrals "
                f"since: {people}."
            )
        return text


def describe_kept(person: dict[str, Any]) -> str:
    """`Ana Ruiz (#14: 2 steps, 1 referral)`."""
    what = []
    if person["steps"]:
        what.append(counted(int(person["steps"]), "step"))
    if person["referred"]:
        what.append(counted(int(person["referred"]), "referral"))
    return f"{person['full_name']} (#{person['id']}: {', '.join(what)})"


def list_imports(db: Database) -> list[dict[str, Any]]:
    """Every recorded import, newest first (the demo is not an import)."""
    if not table_exists(db.con, "import_batches"):  # a file not yet migrated, opened to read
        return []
    cursor = db.execute(
        """
        SELECT id, file, format, strftime(imported_at, '%Y-%m-%d %H:%M:%S') AS imported_at,
               added, filled, events_added,
               strftime(undone_at, '%Y-%m-%d %H:%M:%S') AS undone_at
        FROM import_batches WHERE format <> ? ORDER BY id DESC
        """,
        [DEMO_FORMAT],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def what_it_brought(batch: dict[str, Any], waiting: dict[int, int]) -> str:
    """A `list_imports` row in words: "3 added, 1 filled"; for an import of calls, mail or a
    calendar, "12 suggested steps still to confirm" (`waiting`: `open_by_batch`)."""
    from lib.io.activity.model import FORMATS as ACTIVITY_FORMATS

    if batch["format"] in ACTIVITY_FORMATS:
        return f"{counted(waiting.get(batch['id'], 0), 'suggested step')} still to confirm"
    return (
        f"{counted(batch['added'], 'added', 'added')}, "
        f"{counted(batch['filled'], 'filled', 'filled')}"
    )


def _batch(db: Database, batch_id: int) -> tuple[str, str, Any]:
    row = db.execute(
        "SELECT file, format, undone_at FROM import_batches WHERE id = ?",
        [batch_id],
    ).fetchall()
    if not row:
        raise NotFoundError(
            f"there is no import #{batch_id} (`python -m lib.cli imports` lists them)"
        )
    return row[0]


def gained(db: Database, batch_id: int) -> list[dict[str, Any]]:
    """The batch's contacts with steps or referrals that did not come with the batch."""
    cursor = db.execute(
        """
        SELECT c.id, c.full_name,
               (SELECT count(*) FROM events e WHERE e.contact_id = c.id
                  AND e.import_batch IS DISTINCT FROM $b) AS steps,
               (SELECT count(*) FROM contacts k WHERE k.referred_by = c.id
                  AND k.import_batch IS DISTINCT FROM $b
                  AND NOT EXISTS (SELECT 1 FROM import_fills f WHERE f.batch_id = $b
                                  AND f.contact_id = k.id AND f.field = 'referred_by')) AS referred
        FROM contacts c WHERE c.import_batch = $b
        """,
        {"b": batch_id},
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return sorted((r for r in rows if r["steps"] or r["referred"]), key=lambda r: r["id"])


def remove_batch(db: Database, batch_id: int, *, keep: list[int]) -> tuple[int, int, int]:
    """Inside an open transaction: take the batch's rows out, except contacts `keep`.

    Returns (contacts removed, events removed, fields emptied).
    """
    params = {"b": batch_id, "keep": keep}
    # Two plain deletes: one statement with an OR of both is ~20x slower in DuckDB.
    events = db.execute(
        "DELETE FROM events USING contacts c WHERE events.contact_id = c.id "
        "AND c.import_batch = $b AND NOT list_contains($keep, c.id) RETURNING events.id",
        params,
    ).fetchall()
    events += db.execute(
        "DELETE FROM events WHERE import_batch = $b AND NOT list_contains($keep, contact_id) "
        "RETURNING id",
        params,
    ).fetchall()
    emptied = 0
    for name, kind in _FILLED.items():
        # `name` and `kind` come from lib.core.columns, never from the data.
        emptied += len(
            db.execute(
                f"""
                UPDATE contacts SET {name} = f.before::{kind}
                FROM import_fills f
                WHERE f.batch_id = $b AND f.field = '{name}' AND f.contact_id = contacts.id
                  AND contacts.{name}::VARCHAR IS NOT DISTINCT FROM f.after
                RETURNING contacts.id
                """,
                {"b": batch_id},
            ).fetchall()
        )
    # A company text the import filled, emptied again: its target-company link goes with it.
    db.execute(
        "UPDATE contacts SET company_id = NULL FROM import_fills f WHERE f.batch_id = $b "
        "AND f.field = 'company' AND f.contact_id = contacts.id AND contacts.company IS NULL",
        {"b": batch_id},
    )
    doomed = "SELECT id FROM contacts WHERE import_batch = $b AND NOT list_contains($keep, id)"
    db.execute(
        f"UPDATE contacts SET referred_by = NULL, may_use_name = NULL "
        f"WHERE referred_by IN ({doomed}) AND id NOT IN ({doomed})",
        params,
    )
    removed = db.execute(
        "DELETE FROM contacts WHERE import_batch = $b AND NOT list_contains($keep, id) "
        "RETURNING id",
        params,
    ).fetchall()
    # The kept people are the user's own now.
    db.execute("UPDATE contacts SET import_batch = NULL WHERE list_contains(?, id)", [keep])
    db.execute("UPDATE import_batches SET undone_at = current_timestamp WHERE id = ?", [batch_id])
    return len(removed), len(events), emptied


def undo_import(db: Database, batch_id: int) -> Undone:
    """Undo one import in one transaction; contacts who gained steps or referrals are kept."""
    with db.transaction():
        file, fmt, undone_at = _batch(db, batch_id)
        if fmt == DEMO_FORMAT:
            raise UndoRefused(
                f"#{batch_id} is the sample network, not an import: remove it with "
                "`python -m lib.cli demo --remove` (or the app's Remove the sample network)"
            )
        if undone_at is not None:
            raise UndoRefused(
                f"import #{batch_id} ({file}) was already undone on "
                f"{human_moment(undone_at)}; nothing changed"
            )
        kept = gained(db, batch_id)
        removed, events, emptied = remove_batch(db, batch_id, keep=[p["id"] for p in kept])
        # Suggestions confirmed or dismissed stay: they record what the user decided.
        suggested = db.execute(
            "DELETE FROM suggestions WHERE import_batch = ? AND status = 'open' RETURNING id",
            [batch_id],
        ).fetchall()
    return Undone(batch_id, file, removed, events, emptied, kept, len(suggested))
