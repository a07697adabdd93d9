"""Logging the steps of the method: one write function per action, validated once.

Each action checks its input first (pure `clean_*` calls), then checks that the people it
names exist and writes, inside one transaction, and says exactly what it wrote. Messages
are plain text (they hold people's names); the app escapes them for display.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lib.core.columns import EVENTS
from lib.core.errors import ValidationError
from lib.core.validation import (
    MAX_NOTES,
    clean_attempt,
    clean_event,
    clean_id,
    clean_text,
)
from lib.core.vocab import (
    ATTEMPT_OUTCOME,
    CHANNEL_LABELS,
    FOLLOW_UP_MAX_DAYS,
    FOLLOW_UP_MIN_DAYS,
    PITCH_NOT_DELIVERED,
    TOUCH_KINDS,
)
from lib.core.words import counted, first_name, human_date
from lib.records.contacts import add_contact, require_contact
from lib.store.db import Database

TOO_SOON = "too soon — could become a nuisance"
# The steps logged on their own (a conversation has its own action), as a sentence names them.
_SINGLE_KINDS = {
    "thank_you": "thank-you",
    "follow_up": "follow-up",
    "opportunity": "opportunity",
    "note": "note",
}
_NOTES_REQUIRED = {
    "opportunity": "is required — describe the lead (role, company, who to contact)",
    "note": "is required — write the note",
}


@dataclass
class Logged:
    """What one action wrote, and the sentence that confirms it."""

    message: str
    event_ids: list[int] = field(default_factory=list)
    referral_ids: list[int] = field(default_factory=list)
    warning: str | None = None


@dataclass
class Conversation:
    """What happened in one conversation, in the order of the method's script."""

    contact_id: Any
    occurred_on: date | str | None = None
    channel: str | None = None
    pitch_delivered: bool = True
    info_interview: bool = False
    asked_for_referrals: bool = False
    referrals: Sequence[Mapping[str, Any]] = ()
    thanked: bool = False
    notes: str | None = None


def _insert_event(db: Database, clean: Mapping[str, Any]) -> int:
    """The events row of a step each action has validated (its own way); return its id."""
    fields = EVENTS.names(entered=True)
    row = db.execute(
        f"INSERT INTO events (id, {', '.join(fields)}) "
        f"VALUES (nextval('events_id_seq'), {', '.join('?' * len(fields))}) RETURNING id",
        [clean.get(name) for name in fields],
    ).fetchone()
    return int(row[0])


def log_event(db: Database, data: Mapping[str, Any], *, today: date | None = None) -> int:
    """Validate and log one event for an existing contact; return its id."""
    clean = clean_event(data, today=today or date.today())
    with db.transaction():
        require_contact(db, clean["contact_id"])
        return _insert_event(db, clean)


def last_touch(db: Database, contact_id: int, *, on_or_before: date | None = None) -> date | None:
    """The latest day this contact was touched (docs/METHOD.md "Due lists": the six touch kinds)."""
    return db.scalar(
        "SELECT max(occurred_on) FROM events WHERE contact_id = ? AND list_contains(?, kind) "
        "AND occurred_on <= coalesce(?::DATE, DATE '9999-12-31')",
        [contact_id, list(TOUCH_KINDS), on_or_before],
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
        rhythm = f"every {FOLLOW_UP_MIN_DAYS}–{FOLLOW_UP_MAX_DAYS} days is the rhythm"
        return f"{TOO_SOON}: {since} ({rhythm})"
    return None


def _named_contact(db: Database, contact_id: int) -> str:
    """The contact's name, inside the action's transaction; a missing one is a field error."""
    name = db.scalar("SELECT full_name FROM contacts WHERE id = ?", [contact_id])
    if name is None:
        raise ValidationError("contact_id", f"there is no contact with id {contact_id}")
    return str(name)


def channel_words(channel: str | None) -> str:
    """' by email' for a known channel, else nothing: the tail of a confirmation."""
    return f" by {CHANNEL_LABELS[channel].lower()}" if channel in CHANNEL_LABELS else ""


def _referral_rows(
    rows: Sequence[Mapping[str, Any]], *, referrer: int, on: date
) -> list[tuple[int, dict[str, Any], int | None]]:
    """The referral rows filled in, numbered as the form numbers them, as new contacts' data
    and the target company each leads into (`leads_into`, a company id, or None).

    A row with neither a name, a company nor a company it leads into is an empty row of the
    form and is left out.
    """
    kept = []
    for number, row in enumerate(rows, start=1):
        into = row.get("leads_into")
        leads_into = clean_id(
            f"referral {number} leads_into", into, required=False, what="target company id"
        )
        filled = any(clean_text("referral", row.get(key)) for key in ("full_name", "company"))
        if not filled and leads_into is None:
            continue
        data = {
            "source": "referral",
            **{key: value for key, value in row.items() if key != "leads_into"},
            "may_use_name": bool(row.get("may_use_name")) if "may_use_name" in row else None,
            "referred_by": referrer,
            "identified_on": on,
        }
        kept.append((number, data, leads_into))
    return kept


def _add_referral(
    db: Database, number: int, data: Mapping[str, Any], leads_into: int | None, today: date
) -> int:
    """Add one referral (at the target company it leads into, if any); its errors name the
    row as the form numbers it ("referral 2 …")."""
    try:
        return add_contact(db, data, today=today, company_id=leads_into)
    except ValidationError as exc:
        field = "leads_into" if exc.field == "company_id" else exc.field
        raise ValidationError(f"referral {number} {field}", exc.reason) from None


def log_conversation(
    db: Database, conversation: Conversation, *, today: date | None = None
) -> Logged:
    """Log one conversation: its steps and new referrals in one transaction; confirm it."""
    today = today or date.today()
    talk = conversation
    contact_id = clean_id("contact_id", talk.contact_id, required=True)
    notes = clean_text("notes", talk.notes, limit=MAX_NOTES)
    if not talk.pitch_delivered:
        notes = f"{PITCH_NOT_DELIVERED} {notes}" if notes else PITCH_NOT_DELIVERED

    def step(kind: str, text: str | None = None) -> dict[str, Any]:
        data = {"contact_id": contact_id, "kind": kind, "occurred_on": talk.occurred_on or today}
        return clean_event({**data, "channel": talk.channel, "notes": text}, today=today)

    planned = [step("contacted", notes)]
    on = planned[0]["occurred_on"]
    people = _referral_rows(talk.referrals, referrer=contact_id, on=on)
    if talk.info_interview:
        planned.append(step("info_interview"))
    if talk.asked_for_referrals or people:
        planned.append(step("referral_asked"))
    if talk.thanked:
        planned.append(step("thank_you"))

    with db.transaction():
        name = _named_contact(db, contact_id)
        event_ids = [_insert_event(db, clean) for clean in planned]
        referral_ids = [
            _add_referral(db, number, data, leads_into, today)
            for number, data, leads_into in people
        ]
        added = db.execute(
            "SELECT full_name, company, may_use_name FROM contacts "
            "WHERE list_contains(?, id) ORDER BY id",
            [referral_ids],
        ).fetchall()

    done = ["conversation" + (" with your pitch" if talk.pitch_delivered else " (no pitch)")]
    if talk.info_interview:
        done.append("informational interview")
    if talk.asked_for_referrals or people:
        done.append("asked for referrals")
    if talk.thanked:
        done.append("thanked at the time")
    message = f"Logged for {name} on {human_date(on)}{channel_words(talk.channel)}: "
    message += ", ".join(done) + "."
    if people:
        given = "; ".join(_referral_words(*person, name) for person in added)
        targets = "target" if len(people) == 1 else "targets"
        message += f" {counted(len(people), 'new referral')} added as {targets}: {given}."
    return Logged(message, event_ids, referral_ids)


def _referral_words(
    full_name: str, company: str | None, may_use_name: bool | None, referrer: str
) -> str:
    warm = f"may use {first_name(referrer)}'s name" if may_use_name else "cold"
    return f"{full_name} ({company + ', ' if company else ''}{warm})"


# A repeat within this many seconds is the same click (docs/METHOD.md "Undo and corrections").
SAME_CLICK_SECONDS = 5


def _same_click(db: Database, clean: Mapping[str, Any], same: Sequence[str]) -> int | None:
    """The id of the contact's latest step of this kind when it is this one again (the `same`
    fields equal) and was logged under SAME_CLICK_SECONDS ago: a double click, or the same tap
    in a second tab. None otherwise."""
    fields = EVENTS.names(entered=True)
    latest = db.execute(
        f"SELECT id, {', '.join(fields)} FROM events WHERE contact_id = ? AND kind = ? "
        "AND created_at >= current_timestamp::TIMESTAMP - to_seconds(?) ORDER BY id DESC LIMIT 1",
        [clean["contact_id"], clean["kind"], SAME_CLICK_SECONDS],
    ).fetchone()
    if latest is None:
        return None
    stored = dict(zip(fields, latest[1:], strict=True))
    return int(latest[0]) if all(stored[name] == clean.get(name) for name in same) else None


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
    """Log a thank-you, follow-up, opportunity or note; a too-soon follow-up warns but lands.

    The same step again within SAME_CLICK_SECONDS (a double click) writes nothing and returns
    the first one, with no warning (the first one said it).
    """
    if kind not in _SINGLE_KINDS:
        raise ValidationError("kind", f"{kind!r} is not a step logged on its own")
    today = today or date.today()
    number = clean_id("contact_id", contact_id, required=True)
    data = {"contact_id": number, "kind": kind, "occurred_on": occurred_on or today}
    clean = clean_event({**data, "channel": channel, "notes": notes}, today=today)
    if kind in _NOTES_REQUIRED and clean["notes"] is None:
        raise ValidationError("notes", _NOTES_REQUIRED[kind])
    with db.transaction():
        name = _named_contact(db, number)
        on = clean["occurred_on"]
        event_id = _same_click(db, clean, ("occurred_on", "channel", "notes"))  # a double click
        warning = None
        if event_id is None:
            warning = follow_up_warning(db, number, on) if kind == "follow_up" else None
            event_id = _insert_event(db, clean)
    verb = {"thank_you": "sent to", "follow_up": "sent to", "opportunity": "from"}.get(kind, "on")
    message = (
        f"Logged: {_SINGLE_KINDS[kind]} {verb} {name} on {human_date(on)}"
        f"{channel_words(clean['channel'])}."
    )
    return Logged(message, [event_id], warning=warning)


def log_attempt(
    db: Database,
    contact_id: Any,
    outcome: Any,
    *,
    occurred_on: date | str | None = None,
    call_back_on: date | str | None = None,
    channel: str | None = None,
    notes: str | None = None,
    today: date | None = None,
) -> Logged:
    """Log a call attempt that did not reach the person (no stage, no touch, no thanks owed).

    An archived or missing contact is a field error and nothing is written. The same attempt
    again within SAME_CLICK_SECONDS (same person, outcome, day and call-back day:
    a double click, or a second tab) writes nothing and returns the first one.
    """
    today = today or date.today()
    clean = clean_attempt(
        {
            "contact_id": contact_id,
            "outcome": outcome,
            "occurred_on": occurred_on,
            "call_back_on": call_back_on,
            "channel": channel,
            "notes": notes,
        },
        today=today,
    )
    number = clean["contact_id"]
    with db.transaction():
        row = db.execute(
            "SELECT full_name, archived FROM contacts WHERE id = ?", [number]
        ).fetchone()
        if row is None:
            raise ValidationError("contact_id", f"there is no contact with id {number}")
        if row[1]:
            raise ValidationError(
                "contact_id", f"{row[0]} is archived: restore them before logging a call"
            )
        same = ("outcome", "occurred_on", "call_back_on")  # a wrong number's notes change
        event_id = _same_click(db, clean, same) or _insert_event(db, clean)
    outcome_words = ATTEMPT_OUTCOME[clean["outcome"]].label.lower()
    message = f"Logged a call attempt to {row[0]} on {human_date(clean['occurred_on'])}: "
    message += outcome_words
    if clean["call_back_on"] is not None:
        message += f" — call back on {human_date(clean['call_back_on'])}"
    return Logged(message + ".", [event_id])


# Correcting a step already logged: edit it, or delete it (with its conversation's referrals).
