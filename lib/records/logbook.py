"""The Log page's steps: validate, write in one transaction, and say exactly what was logged.

Messages are plain text (they hold people's names); the app escapes them for display.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lib.core.errors import NotFoundError, ValidationError
from lib.core.validation import MAX_NOTES, clean_contact, clean_event, clean_id, clean_text
from lib.core.vocab import CHANNEL_LABELS
from lib.engine.due import first_name, human_date
from lib.records.contacts import get_contact, require_contact
from lib.records.events import Conversation, follow_up_warning, log_conversation, log_event
from lib.store.db import Database

# The moments the Log page records, in the method's order.
STEPS: tuple[str, ...] = ("conversation", "thank_you", "follow_up", "opportunity", "note")
STEP_LABELS: dict[str, str] = {
    "conversation": "Conversation",
    "thank_you": "Thank-you note",
    "follow_up": "Follow-up",
    "opportunity": "Opportunity",
    "note": "Note",
}
STEP_HINTS: dict[str, str] = {
    "conversation": "You made contact: pitch, informational interview, referrals, thanks.",
    "thank_you": "The thank-you email a few days after they helped.",
    "follow_up": "Your update every 3–4 weeks, ending with a request and a thank-you.",
    "opportunity": "A job lead the network produced.",
    "note": "Anything worth remembering about them.",
}
_SINGLE_KINDS = {"thank_you": "thank-you", "follow_up": "follow-up", "opportunity": "opportunity"}
_NOTES_REQUIRED = {
    "opportunity": "is required — describe the lead (role, company, who to contact)",
    "note": "is required — write the note",
}
PITCH_NOT_DELIVERED = "Pitch not delivered."


@dataclass
class Logged:
    """What one form submit wrote, and the sentence that confirms it."""

    message: str
    event_ids: list[int] = field(default_factory=list)
    referral_ids: list[int] = field(default_factory=list)
    warning: str | None = None


def _who(db: Database, contact_id: Any) -> tuple[int, str]:
    """The contact's id and name; a missing choice is a validation error on the picker."""
    number = clean_id("contact_id", contact_id, required=True)
    try:
        require_contact(db, number)
    except NotFoundError:
        raise ValidationError("contact_id", f"there is no contact with id {number}") from None
    return number, str(get_contact(db, number)["full_name"])


def _channel_words(channel: str | None) -> str:
    return f" by {CHANNEL_LABELS[channel].lower()}" if channel in CHANNEL_LABELS else ""


def clean_referrals(rows: Sequence[Mapping[str, Any]], *, on: date, today: date) -> list[dict]:
    """The filled-in referral rows, checked; errors name the row as the form numbers it."""
    kept = []
    for number, row in enumerate(rows, start=1):
        if not any(clean_text("referral", row.get(key)) for key in ("full_name", "company")):
            continue  # an empty row of the form
        person = {
            "full_name": row.get("full_name"),
            "company": row.get("company"),
            "may_use_name": bool(row.get("may_use_name")),
        }
        try:
            clean_contact(
                {**person, "source": "referral", "referred_by": 1, "identified_on": on},
                today=today,
            )
        except ValidationError as exc:
            raise ValidationError(f"referral {number} {exc.field}", exc.reason) from None
        kept.append(person)
    return kept


def log_talk(
    db: Database,
    contact_id: Any,
    *,
    occurred_on: date | str | None = None,
    channel: str | None = None,
    pitch_delivered: bool = True,
    info_interview: bool = False,
    asked_for_referrals: bool = False,
    referrals: Sequence[Mapping[str, Any]] = (),
    thanked: bool = False,
    notes: str | None = None,
    today: date | None = None,
) -> Logged:
    """Log one conversation (events and new referrals in one transaction); confirm it."""
    today = today or date.today()
    number, name = _who(db, contact_id)
    on = clean_event(
        {"contact_id": number, "kind": "contacted", "occurred_on": occurred_on, "notes": notes},
        today=today,
    )["occurred_on"]
    people = clean_referrals(referrals, on=on, today=today)
    text = clean_text("notes", notes, limit=MAX_NOTES)
    if not pitch_delivered:
        text = f"{PITCH_NOT_DELIVERED} {text}" if text else PITCH_NOT_DELIVERED
    result = log_conversation(
        db,
        Conversation(
            contact_id=number,
            occurred_on=on,
            channel=channel,
            info_interview=info_interview,
            asked_for_referrals=asked_for_referrals,
            referrals=people,
            thanked=thanked,
            notes=text,
        ),
        today=today,
    )
    steps = ["conversation" + (" with your pitch" if pitch_delivered else " (no pitch)")]
    if info_interview:
        steps.append("informational interview")
    if asked_for_referrals or people:
        steps.append("asked for referrals")
    if thanked:
        steps.append("thanked at the time")
    message = f"Logged for {name} on {human_date(on)}{_channel_words(channel)}: {', '.join(steps)}."
    if people:
        given = "; ".join(_referral_words(person, name) for person in people)
        plural = "s" if len(people) > 1 else ""
        message += f" {len(people)} new referral{plural} added as target{plural}: {given}."
    return Logged(message, result.event_ids, result.referral_ids)


def _referral_words(person: Mapping[str, Any], referrer: str) -> str:
    name = clean_text("full_name", person["full_name"])
    company = clean_text("company", person.get("company"))
    warm = f"may use {first_name(referrer)}'s name" if person["may_use_name"] else "cold"
    return f"{name} ({company + ', ' if company else ''}{warm})"


def log_step(
    db: Database,
    kind: str,
    contact_id: Any,
    *,
    occurred_on: date | str | None = None,
    channel: str | None = None,
    notes: str | None = None,
    today: date | None = None,
) -> Logged:
    """Log a thank-you, follow-up, opportunity or note; a too-soon follow-up warns but lands."""
    if kind not in _SINGLE_KINDS and kind != "note":
        raise ValidationError("kind", f"{kind!r} is not a step logged on its own")
    today = today or date.today()
    number, name = _who(db, contact_id)
    clean = clean_event(
        {
            "contact_id": number,
            "kind": kind,
            "occurred_on": occurred_on,
            "channel": channel,
            "notes": notes,
        },
        today=today,
    )
    if kind in _NOTES_REQUIRED and clean["notes"] is None:
        raise ValidationError("notes", _NOTES_REQUIRED[kind])
    warning = follow_up_warning(db, number, clean["occurred_on"]) if kind == "follow_up" else None
    event_id = log_event(db, clean, today=today)
    what = "note" if kind == "note" else _SINGLE_KINDS[kind]
    verb = {"thank_you": "sent to", "follow_up": "sent to", "opportunity": "from"}.get(kind, "on")
    when = human_date(clean["occurred_on"])
    message = f"Logged: {what} {verb} {name} on {when}{_channel_words(clean['channel'])}."
    return Logged(message, [event_id], warning=warning)


def undo_events(db: Database, event_ids: Sequence[int]) -> int:
    """Remove events just logged by mistake (the Today page's Undo); return how many."""
    ids = [clean_id("event_id", event_id, required=True) for event_id in event_ids]
    with db.transaction():
        removed = db.execute(
            "DELETE FROM events WHERE list_contains(?, id) RETURNING id", [ids]
        ).fetchall()
    return len(removed)
