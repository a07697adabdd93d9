"""Removing the sample network again: exactly its rows, never the user's own.

The demo is an import batch of its own (lib/io/demo.py loads it); removing it undoes that
batch. A step the user logged on a demo person goes with that person only after a
confirmation; the user's own people whose referrer was a demo person stay, and are named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from lib.core.errors import NotFoundError, WarmLeadsError
from lib.core.vocab import DEMO_FORMAT
from lib.core.words import counted
from lib.store.db import Database


class DemoNeedsConfirmation(WarmLeadsError):
    """Steps the user logged on demo people would go with them: ask first."""


@dataclass
class DemoStatus:
    """The demo network in this file: its rows, and the user's own steps on demo people."""

    batch_ids: list[int]
    contacts: int
    events: int
    your_steps: int
    your_steps_on: list[str]

    def confirmation(self) -> str:
        """What removing it takes with it that the user wrote (empty when nothing)."""
        if not self.your_steps:
            return ""
        names = ", ".join(self.your_steps_on[:5]) + (
            f" and {len(self.your_steps_on) - 5} more" if len(self.your_steps_on) > 5 else ""
        )
        return (
            f"{counted(self.your_steps, 'step')} you logged yourself on its people ({names}) "
            "will be removed with them"
        )


def demo_status(db: Database) -> DemoStatus | None:
    """The demo network still in this file (None when there is none)."""
    batches = [
        int(r[0])
        for r in db.execute(
            "SELECT id FROM import_batches WHERE format = ? AND undone_at IS NULL ORDER BY id",
            [DEMO_FORMAT],
        ).fetchall()
    ]
    if not batches:
        return None
    params = {"b": batches}
    contacts = db.scalar(
        "SELECT count(*) FROM contacts WHERE list_contains($b, import_batch)", params
    )
    events = db.scalar("SELECT count(*) FROM events WHERE list_contains($b, import_batch)", params)
    mine = db.execute(
        """
        SELECT c.full_name, count(*) FROM events e JOIN contacts c ON c.id = e.contact_id
        WHERE list_contains($b, c.import_batch)
          AND NOT coalesce(list_contains($b, e.import_batch), false)
        GROUP BY c.id, c.full_name ORDER BY c.id
        """,
        params,
    ).fetchall()
    return DemoStatus(
        batches, int(contacts), int(events), sum(int(n) for _, n in mine), [n for n, _ in mine]
    )


def remove_demo(db: Database, *, confirmed: bool = False) -> str:
    """Delete exactly the demo's contacts and events (and its pitch); never the user's own rows.

    A step the user logged on a demo person goes with that person, only when `confirmed`.
    People the user added who were referred by a demo person stay, without a referrer.
    """
    # Imported here: Today asks `demo_status` on every run, and these load the importers.
    from lib.io.demo import PITCH
    from lib.io.importing.batches import remove_batch

    with db.transaction():
        status = demo_status(db)
        if status is None:
            raise NotFoundError("there is no sample network in this file (nothing was removed)")
        if status.your_steps and not confirmed:
            raise DemoNeedsConfirmation(
                status.confirmation() + "; confirm to remove the sample network anyway"
            )
        # The user's own people whose referrer is a demo person: they stay, without one.
        orphaned = [
            str(name)
            for (name,) in db.execute(
                """
                SELECT c.full_name FROM contacts c JOIN contacts r ON r.id = c.referred_by
                WHERE list_contains($b, r.import_batch)
                  AND NOT coalesce(list_contains($b, c.import_batch), false)
                ORDER BY c.id
                """,
                {"b": status.batch_ids},
            ).fetchall()
        ]
        # The demo's target companies go too; a person of your own there stays, unlinked.
        db.execute(
            "UPDATE contacts SET company_id = NULL WHERE company_id IN "
            "(SELECT id FROM companies WHERE list_contains($b, import_batch))",
            {"b": status.batch_ids},
        )
        db.execute(
            "DELETE FROM companies WHERE list_contains($b, import_batch)", {"b": status.batch_ids}
        )
        removed = events = 0
        for batch in status.batch_ids:
            gone, steps, _ = remove_batch(db, batch, keep=[])
            removed, events = removed + gone, events + steps
        db.execute("DELETE FROM settings WHERE key = 'pitch' AND value = ?", [json.dumps(PITCH)])
    removed_words = f"Removed the sample network: {counted(removed, 'person', 'people')} and "
    if status.your_steps:
        removed_words += (
            f"{counted(events, 'step')} (including {counted(status.your_steps, 'step')} you "
            "logged on its people)."
        )
        kept = "Your own contacts are untouched"
    else:
        removed_words += f"{counted(events, 'step')}."
        kept = "Your own contacts and steps are untouched"
    if orphaned:
        names = ", ".join(orphaned[:5]) + (f" and {len(orphaned) - 5} more" if orphaned[5:] else "")
        kept += (
            f", except that {counted(len(orphaned), 'of them', 'of them')} ({names}) "
            f"{'was' if len(orphaned) == 1 else 'were'} referred by one of its people and now "
            f"{'has' if len(orphaned) == 1 else 'have'} no referrer"
        )
    return f"{removed_words} {kept}."
