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
from lib.core.errors import NotFoundError, ValidationError
from lib.core.validation import (
    MAX_NOTES,
    clean_attempt,
    clean_choice,
    clean_event,
    clean_id,
    clean_text,
)
from lib.core.vocab import (
    ATTEMPT_OUTCOME,
    CHANNEL_LABELS,
    EVENT_LABELS,
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


def _channel_words(channel: str | None) -> str:
    return f" by {CHANNEL_LABELS[channel].lower()}" if channel in CHANNEL_LABELS else ""


def _referral_rows(
    rows: Sequence[Mapping[str, Any]], *, referrer: int, on: date
) -> list[tuple[int, dict[str, Any]]]:
    """The referral rows filled in, numbered as the form numbers them, as new contacts' data.

    A row with neither a name nor a company is an empty row of the form and is left out.
    """
    kept = []
    for number, row in enumerate(rows, start=1):
        if not any(clean_text("referral", row.get(key)) for key in ("full_name", "company")):
            continue
        data = {
            "source": "referral",
            **row,
            "may_use_name": bool(row.get("may_use_name")) if "may_use_name" in row else None,
            "referred_by": referrer,
            "identified_on": on,
        }
        kept.append((number, data))
    return kept


def _add_referral(db: Database, number: int, data: Mapping[str, Any], today: date) -> int:
    """Add one referral; its errors name the row as the form numbers it ("referral 2 …")."""
    try:
        return add_contact(db, data, today=today)
    except ValidationError as exc:
        raise ValidationError(f"referral {number} {exc.field}", exc.reason) from None


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
        referral_ids = [_add_referral(db, number, data, today) for number, data in people]
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
    message = f"Logged for {name} on {human_date(on)}{_channel_words(talk.channel)}: "
    message += ", ".join(done) + "."
    if people:
        given = "; ".join(_referral_words(*person, name) for person in added)
        plural = "s" if len(people) > 1 else ""
        message += f" {len(people)} new referral{plural} added as target{plural}: {given}."
    return Logged(message, event_ids, referral_ids)


def _referral_words(
    full_name: str, company: str | None, may_use_name: bool | None, referrer: str
) -> str:
    warm = f"may use {first_name(referrer)}'s name" if may_use_name else "cold"
    return f"{full_name} ({company + ', ' if company else ''}{warm})"


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
        warning = follow_up_warning(db, number, on) if kind == "follow_up" else None
        event_id = _insert_event(db, clean)
    verb = {"thank_you": "sent to", "follow_up": "sent to", "opportunity": "from"}.get(kind, "on")
    message = (
        f"Logged: {_SINGLE_KINDS[kind]} {verb} {name} on {human_date(on)}"
        f"{_channel_words(clean['channel'])}."
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

    An archived or missing contact is a field error and nothing is written.
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
        event_id = _insert_event(db, clean)
    outcome_words = ATTEMPT_OUTCOME[clean["outcome"]].label.lower()
    message = f"Logged a call attempt to {row[0]} on {human_date(clean['occurred_on'])}: "
    message += outcome_words
    if clean["call_back_on"] is not None:
        message += f" — call back on {human_date(clean['call_back_on'])}"
    return Logged(message + ".", [event_id])


def undo_events(db: Database, event_ids: Sequence[int]) -> int:
    """Remove events just logged by mistake (an Undo button); return how many."""
    ids = [clean_id("event_id", event_id, required=True) for event_id in event_ids]
    with db.transaction():
        removed = db.execute(
            "DELETE FROM events WHERE list_contains(?, id) RETURNING id", [ids]
        ).fetchall()
    return len(removed)


def undo_logged(db: Database, event_ids: Sequence[int], referral_ids: Sequence[int] = ()) -> str:
    """Take back one Log a step submit: its events and the referrals it added, as one unit.

    A referral who has since gained steps or referrals of their own is kept (and named).
    """
    events = [clean_id("event_id", event_id, required=True) for event_id in event_ids]
    people = [clean_id("contact_id", person, required=True) for person in referral_ids]
    with db.transaction():
        db.execute("DELETE FROM events WHERE list_contains(?, id)", [events])
        kept = _busy_people(db, people)
        gone = [person for person in people if person not in kept]
        db.execute("DELETE FROM contacts WHERE list_contains(?, id)", [gone])
    message = (
        "Undone: the step was removed." if len(events) == 1 else "Undone: the steps were removed."
    )
    if gone:
        message += f" {len(gone)} new referral{'s' if len(gone) != 1 else ''} removed."
    if kept:
        names = ", ".join(kept.values())
        message += f" Kept {names}: they have steps or referrals of their own now."
    return message


def _busy_people(db: Database, ids: Sequence[int]) -> dict[int, str]:
    """Of these contacts, those with steps or referrals of their own: id → name."""
    rows = db.execute(
        """
        SELECT c.id, c.full_name FROM contacts c
        WHERE list_contains(?, c.id)
          AND (EXISTS (SELECT 1 FROM events e WHERE e.contact_id = c.id)
               OR EXISTS (SELECT 1 FROM contacts k WHERE k.referred_by = c.id))
        ORDER BY c.id
        """,
        [list(ids)],
    ).fetchall()
    return {int(i): str(name) for i, name in rows}


# Correcting a step already logged: edit it, or delete it (with its conversation's referrals).

EDITABLE_FIELDS = ("kind", "occurred_on", "channel", "notes", "outcome")
# The events one Log a step conversation writes (a note or follow-up is logged on its own).
_CONVERSATION_STEPS = ("contacted", "info_interview", "referral_asked", "thank_you")


def get_event(db: Database, event_id: Any) -> dict[str, Any]:
    """One event with its contact's name and identified day; NotFoundError when missing."""
    number = clean_id("event_id", event_id, required=True)
    cursor = db.execute(
        """
        SELECT e.id, e.contact_id, e.kind, e.occurred_on, e.channel, e.notes, e.outcome,
               e.created_at, c.full_name, c.identified_on
        FROM events e JOIN contacts c ON c.id = e.contact_id WHERE e.id = ?
        """,
        [number],
    )
    row = cursor.fetchall()
    if not row:
        raise NotFoundError(f"there is no step with id {number} (it may have been deleted)")
    return dict(zip([d[0] for d in cursor.description], row[0], strict=True))


def clean_event_edit(
    event: Mapping[str, Any], changes: Mapping[str, Any], *, today: date
) -> dict[str, Any]:
    """The event's fields after `changes`, validated; a day before the contact was found fails."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "cannot be changed on a step")
    merged = {field: event[field] for field in ("contact_id", *EDITABLE_FIELDS)}
    merged.update(changes)
    if "occurred_on" in changes and changes["occurred_on"] is None:
        raise ValidationError("occurred_on", "is required (a date like 2026-11-25)")
    outcome = merged.pop("outcome")
    clean = clean_event(merged, today=today)
    # Only a call attempt has an outcome; another kind of step drops it.
    clean["outcome"] = (
        clean_choice("outcome", outcome, ATTEMPT_OUTCOME.order, required=True)
        if clean["kind"] == "attempt"
        else None
    )
    identified = event["identified_on"]
    if clean["occurred_on"] < identified:
        raise ValidationError(
            "occurred_on",
            f"{clean['occurred_on'].isoformat()} is before {event['full_name']} was identified "
            f"({identified.isoformat()})",
        )
    return clean


def edit_event(
    db: Database, event_id: Any, changes: Mapping[str, Any], *, today: date | None = None
) -> Logged:
    """Change a step's kind, date, channel or notes in one transaction; confirm it."""
    today = today or date.today()
    with db.transaction():
        event = get_event(db, event_id)
        clean = clean_event_edit(event, changes, today=today)
        db.execute(
            "UPDATE events SET kind = ?, occurred_on = ?, channel = ?, notes = ?, outcome = ?, "
            "call_back_on = CASE WHEN ? = 'call_back' THEN call_back_on END WHERE id = ?",
            [
                clean["kind"],
                clean["occurred_on"],
                clean["channel"],
                clean["notes"],
                clean["outcome"],
                clean["outcome"],
                event["id"],
            ],
        )
    what = EVENT_LABELS.get(clean["kind"], clean["kind"])
    message = (
        f"Saved “{what}” for {event['full_name']} on {human_date(clean['occurred_on'])}"
        f"{_channel_words(clean['channel'])}."
    )
    return Logged(message, [event["id"]])


def conversation_of(db: Database, event_id: Any) -> tuple[list[int], list[dict[str, Any]]]:
    """The steps written with this one by the same Log a step submit, and its referrals.

    One submit writes its steps and referrals in one transaction: they share `created_at`
    (and the day). Referrals come with `steps` and `referred` counts of their own.
    """
    event = get_event(db, event_id)
    if event["kind"] not in _CONVERSATION_STEPS:
        return [event["id"]], []
    steps = [
        int(r[0])
        for r in db.execute(
            "SELECT id FROM events WHERE contact_id = ? AND created_at = ? AND occurred_on = ? "
            "AND list_contains(?, kind) ORDER BY id",
            [
                event["contact_id"],
                event["created_at"],
                event["occurred_on"],
                list(_CONVERSATION_STEPS),
            ],
        ).fetchall()
    ]
    cursor = db.execute(
        """
        SELECT c.id, c.full_name,
               (SELECT count(*) FROM events e WHERE e.contact_id = c.id) AS steps,
               (SELECT count(*) FROM contacts k WHERE k.referred_by = c.id) AS referred
        FROM contacts c
        WHERE c.referred_by = ? AND c.created_at = ? AND c.identified_on = ?
        ORDER BY c.id
        """,
        [event["contact_id"], event["created_at"], event["occurred_on"]],
    )
    names = [d[0] for d in cursor.description]
    people = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return steps, people


def delete_event(
    db: Database,
    event_id: Any,
    *,
    whole_conversation: bool = False,
    referrals: str = "keep",
) -> Logged:
    """Delete a step (or its whole conversation) in one transaction; confirm it.

    `referrals`: "keep" leaves the people the conversation added as targets; "delete" removes
    those with no steps or referrals of their own (the others are kept and named).
    """
    with db.transaction():
        event = get_event(db, event_id)
        if referrals not in ("keep", "delete"):
            raise ValidationError("referrals", f"{referrals!r} is not keep or delete")
        steps, people = conversation_of(db, event["id"])
        doomed = steps if whole_conversation else [event["id"]]
        db.execute("DELETE FROM events WHERE list_contains(?, id)", [doomed])
        removed: list[dict[str, Any]] = []
        kept = list(people)
        if referrals == "delete" and people:
            removed = [p for p in people if not p["steps"] and not p["referred"]]
            kept = [p for p in people if p["steps"] or p["referred"]]
            gone = [p["id"] for p in removed]
            db.execute("DELETE FROM contacts WHERE list_contains(?, id)", [gone])
    what = (
        "the conversation"
        if len(doomed) > 1
        else f"“{EVENT_LABELS.get(event['kind'], event['kind'])}”"
    )
    message = f"Deleted {what} for {event['full_name']} on {human_date(event['occurred_on'])}"
    message += f" ({counted(len(doomed), 'step')})." if len(doomed) > 1 else "."
    if removed:
        message += f" Removed {len(removed)} referral{'s' if len(removed) != 1 else ''}: "
        message += ", ".join(p["full_name"] for p in removed) + "."
    if kept and referrals == "delete":
        message += " Kept " + ", ".join(p["full_name"] for p in kept)
        message += ": they have steps or referrals of their own."
    elif kept:
        plural = len(kept) != 1
        message += (
            f" {len(kept)} referral{'s' if plural else ''} kept as target{'s' if plural else ''}."
        )
    return Logged(message, doomed, [p["id"] for p in removed])
