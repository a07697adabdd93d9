"""The writes a call card makes besides an attempt: a number typed on the card, a wrong number
taken off it (kept in the attempt's notes) and that taken back.

Each validates once (`clean_phone`, the one phone cleaner) and writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from lib.core.errors import ValidationError
from lib.core.validation import clean_id, clean_phone
from lib.records.contacts import require_contact
from lib.records.events import Logged, log_attempt
from lib.store.db import Database

# The notes of a "wrong number" attempt start with this, then the number taken off the card.
WRONG_NUMBER_NOTE = "The wrong number: "


def save_phone(db: Database, contact_id: Any, phone: Any) -> str:
    """Give a contact their phone number (typed on a call card); confirm it."""
    number = clean_id("contact_id", contact_id, required=True)
    cleaned = clean_phone(phone)
    if cleaned is None:
        raise ValidationError("phone", "is required — type their number")
    with db.transaction():
        require_contact(db, number)
        db.execute("UPDATE contacts SET phone = ? WHERE id = ?", [cleaned, number])
        name = db.scalar("SELECT full_name FROM contacts WHERE id = ?", [number])
    return f"Saved {name}'s number: {cleaned}."


def log_wrong_number(
    db: Database, contact_id: Any, right_phone: Any = None, *, today: date | None = None
) -> Logged:
    """Log a "wrong number" attempt and take that number off the card (it stays in the
    attempt's notes); the right number, when known, takes its place.

    A repeat within the few seconds `log_attempt` treats as one click changes nothing more.
    """
    number = clean_id("contact_id", contact_id, required=True)
    right = clean_phone(right_phone)
    with db.transaction():
        require_contact(db, number)
        wrong = db.scalar("SELECT phone FROM contacts WHERE id = ?", [number])
        notes = f"{WRONG_NUMBER_NOTE}{wrong}" if wrong else None
        logged = log_attempt(db, number, "wrong_number", notes=notes, today=today)
        if wrong != right:
            db.execute("UPDATE contacts SET phone = ? WHERE id = ?", [right, number])
    if right:
        after = f" Their number is now {right}."
    elif wrong:
        after = f" {wrong} was taken off their card (it is kept in the attempt's notes)."
    else:
        after = ""
    return Logged(logged.message + after, logged.event_ids)


def undo_attempt(db: Database, event_ids: Sequence[int]) -> str:
    """Take back call attempts just logged; a wrong number's old number goes back on the card."""
    ids = [clean_id("event_id", event_id, required=True) for event_id in event_ids]
    with db.transaction():
        rows = db.execute(
            "SELECT contact_id, notes FROM events WHERE list_contains(?, id) "
            "AND kind = 'attempt' AND outcome = 'wrong_number' AND starts_with(notes, ?)",
            [ids, WRONG_NUMBER_NOTE],
        ).fetchall()
        for contact_id, notes in rows:
            old = notes[len(WRONG_NUMBER_NOTE) :]
            db.execute("UPDATE contacts SET phone = ? WHERE id = ?", [old, contact_id])
        db.execute("DELETE FROM events WHERE list_contains(?, id)", [ids])
    if rows:
        return "Undone: the call attempt was removed and the old number is back on their card."
    return "Undone: the call attempt was removed."
