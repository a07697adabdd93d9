"""Correcting steps already logged: undo a submit just made, edit a step, delete it (or its
whole conversation, with the referrals it added).

Each correction runs in one transaction and says exactly what it changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from lib.core.errors import NotFoundError, ValidationError
from lib.core.validation import clean_choice, clean_event, clean_id
from lib.core.vocab import ATTEMPT_OUTCOME, EVENT_LABELS
from lib.core.words import counted, human_date
from lib.records.events import Logged, channel_words
from lib.store.db import Database


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
        message += f" {counted(len(gone), 'new referral')} removed."
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
            f"{human_date(clean['occurred_on'])} is before {event['full_name']} was identified "
            f"({human_date(identified)})",
        )
    return clean


def edit_event(
    db: Database, event_id: Any, changes: Mapping[str, Any], *, today: date | None = None
) -> Logged:
    """Change a step's kind, date, channel or notes in one transaction; confirm it.

    A new date moves the whole submit with it: the other steps of its conversation and the
    referrals it added that day (their identified day), so nothing is left on the old day.
    """
    today = today or date.today()
    with db.transaction():
        event = get_event(db, event_id)
        clean = clean_event_edit(event, changes, today=today)
        moves = clean["occurred_on"] != event["occurred_on"]
        together = conversation_of(db, event["id"]) if moves else ([], [])
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
        moved = _move_together(db, event, clean["occurred_on"], *together)
    what = EVENT_LABELS.get(clean["kind"], clean["kind"])
    message = (
        f"Saved “{what}” for {event['full_name']} on {human_date(clean['occurred_on'])}"
        f"{channel_words(clean['channel'])}.{moved.sentence()}"
    )
    return Logged(message, [event["id"], *moved.steps])


@dataclass(frozen=True)
class Moved:
    """What moved with a step to its new day: the submit's other steps and its referrals."""

    old_day: date
    new_day: date
    steps: list[int]
    referrals: list[int]

    def sentence(self, *, done: bool = True) -> str:
        """' Its 2 other steps and 1 referral moved with it from Tue 24 Nov.' (or ''); before
        the change: ' Its 2 other steps … move with it from Tue 24 Nov to Wed 25 Nov.'"""
        parts = []
        if self.steps:
            parts.append(f"its {counted(len(self.steps), 'other step')}")
        if self.referrals:
            parts.append(counted(len(self.referrals), "referral"))
        if not parts:
            return ""
        what = " and ".join(parts)
        what = what[0].upper() + what[1:]
        if done:
            return f" {what} moved with it from {human_date(self.old_day)}."
        return (
            f" {what} move with it from {human_date(self.old_day)} to {human_date(self.new_day)}."
        )


def moves_with(db: Database, event_id: Any, changes: Mapping[str, Any], *, today: date) -> Moved:
    """What would move with this step if `changes` were saved (reads only)."""
    event = get_event(db, event_id)
    new_day = clean_event_edit(event, changes, today=today)["occurred_on"]
    if new_day == event["occurred_on"]:
        return Moved(new_day, new_day, [], [])
    steps, people = conversation_of(db, event["id"])
    others = [i for i in steps if i != event["id"]]
    return Moved(event["occurred_on"], new_day, others, [int(p["id"]) for p in people])


def _move_together(
    db: Database,
    event: Mapping[str, Any],
    new_day: date,
    steps: list[int],
    people: list[dict[str, Any]],
) -> Moved:
    """Inside an edit: move the rest of the step's submit (`conversation_of`, read before the
    step itself moved) to its new day (see edit_event)."""
    old_day = event["occurred_on"]
    others = [i for i in steps if i != event["id"]]
    if others:
        db.execute(
            "UPDATE events SET occurred_on = ? WHERE list_contains(?, id)", [new_day, others]
        )
    referrals = [int(p["id"]) for p in people]
    if referrals:
        # Their own later steps keep their days; a referral cannot be found after them.
        first = db.scalar(
            "SELECT min(occurred_on) FROM events WHERE list_contains(?, contact_id)", [referrals]
        )
        if first is not None and new_day > first:
            raise ValidationError(
                "occurred_on",
                f"{human_date(new_day)} is after a step logged with a referral this "
                f"conversation added ({human_date(first)})",
            )
        db.execute(
            "UPDATE contacts SET identified_on = ? WHERE list_contains(?, id)",
            [new_day, referrals],
        )
    return Moved(old_day, new_day, others, referrals)


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
        message += f" Removed {counted(len(removed), 'referral')}: "
        message += ", ".join(p["full_name"] for p in removed) + "."
    if kept and referrals == "delete":
        message += " Kept " + ", ".join(p["full_name"] for p in kept)
        message += ": they have steps or referrals of their own."
    elif kept:
        target = "target" if len(kept) == 1 else "targets"
        message += f" {counted(len(kept), 'referral')} kept as {target}."
    return Logged(message, doomed, [p["id"] for p in removed])
