"""The suggested steps of an activity import: list, confirm, change, dismiss, undo.

Confirming logs the step through the same actions as Log a step (`log_attempt`,
`log_conversation`, `log_step`), in the transaction that marks the suggestion confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from lib.core.errors import NotFoundError, ValidationError
from lib.core.validation import clean_id, parse_date
from lib.core.vocab import ATTEMPT_OUTCOME, CHANNELS, EVENT_KINDS
from lib.records.corrections import undo_logged
from lib.records.events import Conversation, Logged, log_attempt, log_conversation, log_step
from lib.store.db import Database

STATUSES = ("open", "confirmed", "dismissed")
CALLED_BACK = "They called you back"
_FIELDS = (
    "id",
    "contact_id",
    "full_name",
    "kind",
    "occurred_on",
    "channel",
    "outcome",
    "seen",
    "status",
    "event_id",
    "import_batch",
)


def list_suggestions(db: Database, *, status: str = "open") -> list[dict[str, Any]]:
    """The suggestions with this status, by day then person, each with the person's name."""
    if status not in STATUSES:
        raise ValidationError("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    rows = db.execute(
        """
        SELECT s.id, s.contact_id, c.full_name, s.kind, s.occurred_on, s.channel, s.outcome,
               s.seen, s.status, s.event_id, s.import_batch
        FROM suggestions s JOIN contacts c ON c.id = s.contact_id
        WHERE s.status = ? ORDER BY s.occurred_on, s.contact_id, s.id
        """,
        [status],
    ).fetchall()
    return [dict(zip(_FIELDS, row, strict=True)) for row in rows]


def _open(db: Database, suggestion_id: Any) -> dict[str, Any]:
    number = clean_id("suggestion_id", suggestion_id, required=True)
    row = db.execute(
        "SELECT id, contact_id, kind, occurred_on, channel, outcome, seen, status "
        "FROM suggestions WHERE id = ?",
        [number],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"there is no suggestion #{number}")
    names = ("id", "contact_id", "kind", "occurred_on", "channel", "outcome", "seen", "status")
    found = dict(zip(names, row, strict=True))
    if found["status"] != "open":
        raise ValidationError("suggestion_id", f"#{number} is {found['status']} already")
    return found


def confirm(
    db: Database,
    suggestion_id: Any,
    *,
    conversation: Conversation | None = None,
    today: date | None = None,
) -> Logged:
    """Log the suggested step (a conversation as given, or as suggested) and mark it confirmed."""
    today = today or date.today()
    with db.transaction():
        s = _open(db, suggestion_id)
        who, on, channel = s["contact_id"], s["occurred_on"], s["channel"]
        if s["kind"] == "attempt":
            logged = log_attempt(
                db, who, s["outcome"], occurred_on=on, channel=channel, today=today
            )
        elif s["kind"] in ("contacted", "info_interview", "referral_asked"):
            talk = conversation or Conversation(
                who,
                occurred_on=on,
                channel=channel,
                info_interview=s["kind"] == "info_interview",
                asked_for_referrals=s["kind"] == "referral_asked",
            )
            if talk.contact_id != who:
                raise ValidationError("contact_id", f"suggestion #{s['id']} is for #{who}")
            logged = log_conversation(db, talk, today=today)
        else:
            notes = f"{CALLED_BACK} ({s['seen']})" if s["kind"] == "note" else s["seen"]
            logged = log_step(
                db, s["kind"], who, occurred_on=on, channel=channel, notes=notes, today=today
            )
        db.execute(
            "UPDATE suggestions SET status = 'confirmed', event_id = ? WHERE id = ?",
            [logged.event_ids[0], s["id"]],
        )
    return logged


def change(
    db: Database,
    suggestion_id: Any,
    *,
    kind: str | None = None,
    outcome: str | None = None,
    occurred_on: date | str | None = None,
) -> dict[str, Any]:
    """Change an open suggestion's kind, outcome (attempts only) or day; return it."""
    with db.transaction():
        s = _open(db, suggestion_id)
        new_kind = kind or s["kind"]
        if new_kind not in EVENT_KINDS:
            raise ValidationError("kind", f"{new_kind!r} is not a step ({', '.join(EVENT_KINDS)})")
        new_outcome = outcome or s["outcome"]
        if new_kind != "attempt":
            new_outcome = None
        elif new_outcome is None:
            new_outcome = "no_answer"
        elif new_outcome not in ATTEMPT_OUTCOME.order:
            raise ValidationError(
                "outcome", f"{new_outcome!r} is not one of {', '.join(ATTEMPT_OUTCOME.order)}"
            )
        day = s["occurred_on"] if occurred_on is None else parse_date("occurred_on", occurred_on)
        channel = s["channel"] if s["channel"] in CHANNELS else None
        db.execute(
            "UPDATE suggestions SET kind = ?, outcome = ?, occurred_on = ?, channel = ? "
            "WHERE id = ?",
            [new_kind, new_outcome, day, channel, s["id"]],
        )
        return {**s, "kind": new_kind, "outcome": new_outcome, "occurred_on": day}


def dismiss(db: Database, suggestion_id: Any) -> str:
    """Dismiss an open suggestion: it never comes back, even from a re-import."""
    with db.transaction():
        s = _open(db, suggestion_id)
        db.execute("UPDATE suggestions SET status = 'dismissed' WHERE id = ?", [s["id"]])
    return f"Dismissed: {s['seen']}."


def confirm_attempts(
    db: Database, day: date | None = None, *, today: date | None = None
) -> list[Logged]:
    """Confirm every open call attempt (of `day`, or of any day up to today) in one transaction."""
    today = today or date.today()
    with db.transaction():
        ids = db.execute(
            "SELECT id FROM suggestions WHERE status = 'open' AND kind = 'attempt' "
            "AND occurred_on <= ? AND (?::DATE IS NULL OR occurred_on = ?) "
            "ORDER BY occurred_on, contact_id, id",
            [today, day, day],
        ).fetchall()
        return [confirm(db, suggestion_id, today=today) for (suggestion_id,) in ids]


def undo(db: Database, suggestion_id: Any, logged: Logged | None = None) -> str:
    """Reopen a confirmed or dismissed suggestion; a confirmed one's logged steps go."""
    number = clean_id("suggestion_id", suggestion_id, required=True)
    with db.transaction():
        row = db.execute(
            "SELECT status, event_id FROM suggestions WHERE id = ?", [number]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"there is no suggestion #{number}")
        status, event_id = row
        if status == "open":
            raise ValidationError("suggestion_id", f"#{number} is open: nothing to undo")
        message = "Undone: the suggestion is back in the queue."
        if status == "confirmed":
            events: Sequence[int] = logged.event_ids if logged else [event_id]
            referrals: Sequence[int] = logged.referral_ids if logged else ()
            message = undo_logged(db, events, referrals) + " The suggestion is back in the queue."
        db.execute("UPDATE suggestions SET status = 'open', event_id = NULL WHERE id = ?", [number])
    return message


def count_to_confirm(db: Database, today: date) -> int:
    """How many open suggestions can be confirmed now (their day has come): one COUNT."""
    row = db.execute(
        "SELECT count(*) FROM suggestions s JOIN contacts c ON c.id = s.contact_id "
        "WHERE s.status = 'open' AND s.occurred_on <= ?",
        [today],
    ).fetchone()
    return int(row[0]) if row else 0


def called_back(db: Database) -> list[dict[str, Any]]:
    """The open "they called you back" notes (missed calls from contacts), newest first."""
    rows = db.execute(
        "SELECT s.id, s.contact_id, c.full_name, s.occurred_on, s.seen "
        "FROM suggestions s JOIN contacts c ON c.id = s.contact_id "
        "WHERE s.status = 'open' AND s.kind = 'note' ORDER BY s.occurred_on DESC, s.id DESC"
    ).fetchall()
    names = ("id", "contact_id", "full_name", "occurred_on", "seen")
    return [dict(zip(names, row, strict=True)) for row in rows]


def open_by_batch(db: Database) -> dict[int, int]:
    """Each activity import's open suggestions, counted (what undoing it takes back)."""
    rows = db.execute(
        "SELECT import_batch, count(*) FROM suggestions "
        "WHERE status = 'open' AND import_batch IS NOT NULL GROUP BY import_batch"
    ).fetchall()
    return {int(batch): int(count) for batch, count in rows}
