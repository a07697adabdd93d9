"""Logging the steps of the method: conversations, thank-yous, follow-ups, opportunities, notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lib.core.errors import ValidationError
from lib.core.validation import clean_contact, clean_event, parse_date
from lib.core.vocab import FOLLOW_UP_MIN_DAYS, TOUCH_KINDS
from lib.records.contacts import insert_contact, require_contact
from lib.store.db import Database

TOO_SOON = "too soon — could become a nuisance"


def insert_event(db: Database, clean: Mapping[str, Any]) -> int:
    """Insert an already-validated event inside an open transaction; return its id."""
    row = db.execute(
        "INSERT INTO events (id, contact_id, kind, occurred_on, channel, notes) "
        "VALUES (nextval('events_id_seq'), ?, ?, ?, ?, ?) RETURNING id",
        [
            clean["contact_id"],
            clean["kind"],
            clean["occurred_on"],
            clean["channel"],
            clean["notes"],
        ],
    ).fetchone()
    return int(row[0])


def log_event(db: Database, data: Mapping[str, Any], *, today: date | None = None) -> int:
    """Validate and log one event for an existing contact; return its id."""
    clean = clean_event(data, today=today or date.today())
    require_contact(db, clean["contact_id"])
    with db.transaction():
        return insert_event(db, clean)


def last_touch(db: Database, contact_id: int, *, on_or_before: date | None = None) -> date | None:
    """The latest day this contact was touched (SPEC: the six touch kinds)."""
    kinds = list(TOUCH_KINDS)
    return db.scalar(
        "SELECT max(occurred_on) FROM events WHERE contact_id = ? AND list_contains(?, kind) "
        "AND occurred_on <= coalesce(?::DATE, DATE '9999-12-31')",
        [contact_id, kinds, on_or_before],
    )


def follow_up_warning(db: Database, contact_id: int, on: date) -> str | None:
    """The nuisance warning when a follow-up on `on` comes under 21 days after the last touch."""
    touched = last_touch(db, contact_id, on_or_before=on)
    if touched is None:
        return None
    days = (on - touched).days
    if days < FOLLOW_UP_MIN_DAYS:
        since = {0: "the last touch was today", 1: "the last touch was yesterday"}.get(
            days, f"only {days} days since the last touch"
        )
        return f"{TOO_SOON}: {since} (every {FOLLOW_UP_MIN_DAYS}–28 days is the rhythm)"
    return None


@dataclass
class Conversation:
    """What happened in one conversation, in the order of the method's script."""

    contact_id: int
    occurred_on: date | str | None = None
    channel: str | None = None
    info_interview: bool = False
    asked_for_referrals: bool = False
    referrals: Sequence[Mapping[str, Any]] = ()
    thanked: bool = False
    notes: str | None = None


@dataclass
class ConversationResult:
    """The ids a logged conversation wrote."""

    event_ids: list[int] = field(default_factory=list)
    referral_ids: list[int] = field(default_factory=list)


def log_conversation(
    db: Database, conversation: Conversation, *, today: date | None = None
) -> ConversationResult:
    """Write one conversation's events and new referrals in one transaction."""
    today = today or date.today()
    contact_id = require_contact(db, conversation.contact_id)
    on = parse_date("occurred_on", conversation.occurred_on or today)

    def event(kind: str, notes: str | None = None) -> dict[str, Any]:
        return clean_event(
            {
                "contact_id": contact_id,
                "kind": kind,
                "occurred_on": on,
                "channel": conversation.channel,
                "notes": notes,
            },
            today=today,
        )

    planned = [event("contacted", conversation.notes)]
    if conversation.info_interview:
        planned.append(event("info_interview"))
    if conversation.asked_for_referrals or conversation.referrals:
        planned.append(event("referral_asked"))
    new_people = []
    for number, person in enumerate(conversation.referrals, start=1):
        try:
            clean = clean_contact(
                {
                    "source": "referral",
                    **person,
                    "referred_by": contact_id,
                    "identified_on": on,
                },
                today=today,
            )
        except ValidationError as exc:
            raise ValidationError(f"referral {number} {exc.field}", exc.reason) from None
        new_people.append(clean)
    if conversation.thanked:
        planned.append(event("thank_you"))

    result = ConversationResult()
    with db.transaction():
        for clean in planned:
            result.event_ids.append(insert_event(db, clean))
        for clean in new_people:
            result.referral_ids.append(insert_contact(db, clean))
    return result
