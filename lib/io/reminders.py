"""Calendar reminders (the ics export): one all-day reminder per follow-up due or overdue,
per thank-you pending, per referrer to tell how it went and per open call-back, as of the
export day (see `reminders` for the dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar
import pandas as pd

from lib.core.vocab import COMING_UP, DUE_LIST, FOLLOW_UP_MAX_DAYS, FOLLOW_UP_MIN_DAYS
from lib.engine.due import open_call_backs
from lib.engine.loops import open_loops, spoke_with
from lib.engine.stats import due_frame
from lib.store.db import Database

# A thank-you still owed a week after the conversation is overdue.
THANKS_OVERDUE_DAYS = 7
UID_DOMAIN = "warmleads.local"


@dataclass(frozen=True)
class Reminder:
    """One calendar reminder: what to do, for whom, and on which day."""

    contact_id: int
    kind: str  # "follow-up", "thank-you", "update" (tell a referrer how it went), "call-back"
    due_on: date  # the day it fell due (part of the stable UID)
    dated: date  # the day the calendar shows it
    overdue: bool
    full_name: str
    company: str | None
    email: str | None
    phone: str | None
    since: date  # last touch (follow-up), the day the thanks (or the update) became owed
    days: int
    spoke_with: str = ""  # an update: "you spoke with Sam Ortiz on Tue 24 Nov"

    @property
    def uid(self) -> str:
        """Stable across exports until the contact is touched again."""
        return f"warmleads-{self.contact_id}-{self.kind}-{self.due_on.isoformat()}@{UID_DOMAIN}"

    @property
    def summary(self) -> str:
        """The calendar title."""
        who = self.full_name + (f" ({self.company})" if self.company else "")
        if self.kind == "follow-up":
            return f"{'Overdue follow-up' if self.overdue else 'Follow up'}: {who}"
        if self.kind == "update":
            return f"{'Overdue update' if self.overdue else DUE_LIST.label('close_loop')}: {who}"
        if self.kind == "call-back":
            return f"{'Overdue call-back' if self.overdue else COMING_UP.short('call_back')}: {who}"
        return f"{'Overdue thank-you' if self.overdue else 'Say thank you'}: {who}"

    @property
    def description(self) -> str:
        """What to do, and how to reach them."""
        if self.kind == "follow-up":
            lines = [
                f"Last touch {self.since.isoformat()} ({self.days} days ago).",
                "Send an update by email, ask whether anyone else comes to mind, and thank "
                f"them again. Every {FOLLOW_UP_MIN_DAYS}–{FOLLOW_UP_MAX_DAYS} days; "
                "sooner is a nuisance.",
            ]
        elif self.kind == "call-back":
            lines = [
                f"On {self.since.isoformat()} they asked you to call back on "
                f"{self.due_on.isoformat()}.",
                "Call them that day: they are expecting it.",
            ]
        elif self.kind == "update":
            lines = [
                f"They referred people to you, and {self.spoke_with}.",
                "Thank them again and tell them how it went (a thank-you or your next "
                "follow-up): a referrer who hears back keeps referring.",
            ]
        else:
            lines = [
                f"Thanks owed since {self.since.isoformat()} ({self.days} days ago).",
                "Thank them for the conversation and any names they shared; a short email "
                "a few days later is always welcome.",
            ]
        lines += [f"Email: {self.email}"] if self.email else []
        lines += [f"Phone: {self.phone}"] if self.phone else []
        return "\n".join(lines)


def reminders(db: Database, today: date) -> list[Reminder]:
    """The reminders due as of `today` (docs/METHOD.md "Due lists").

    Each is dated the day it fell due — a follow-up 21 days after the last touch, a
    thank-you on the day it became owed — except when it is overdue (a follow-up past 28
    days, a thank-you owed for over a week): a reminder in the past would never remind
    anyone, so it is dated the export day. The UID keeps the day it fell due, so exporting
    again on a later day updates the same calendar event rather than adding a second one.
    """
    due = _due_rows(db, today)
    if due.empty:
        return _update_reminders(db, today) + _call_back_reminders(db, today)
    people = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT id, full_name, company, email, phone FROM contacts "
            "WHERE id IN (SELECT unnest(?::INTEGER[]))",
            [[int(i) for i in due["id"]]],
        ).fetchall()
    }
    out: list[Reminder] = []
    columns = (
        due["id"].tolist(),
        due["follow_up_due"].tolist(),
        due["follow_up_overdue"].tolist(),
        due["thank_you_pending"].tolist(),
        _dates(due["last_touch"]),
        _dates(due["thanks_owed_since"]),
    )
    for contact_id, follow_up, late, thanks, touched, owed in zip(*columns, strict=True):
        name, company, email, phone = people[contact_id]
        common = {
            "contact_id": int(contact_id),
            "full_name": name,
            "company": company,
            "email": email,
            "phone": phone,
        }
        if follow_up or late:
            due_on = touched + timedelta(days=FOLLOW_UP_MIN_DAYS)
            out.append(
                Reminder(
                    kind="follow-up",
                    due_on=due_on,
                    dated=today if late else due_on,
                    overdue=bool(late),
                    since=touched,
                    days=(today - touched).days,
                    **common,
                )
            )
        if thanks:
            overdue = (today - owed).days > THANKS_OVERDUE_DAYS
            out.append(
                Reminder(
                    kind="thank-you",
                    due_on=owed,
                    dated=today if overdue else owed,
                    overdue=overdue,
                    since=owed,
                    days=(today - owed).days,
                    **common,
                )
            )
    return out + _update_reminders(db, today) + _call_back_reminders(db, today)


def _call_back_reminders(db: Database, today: date) -> list[Reminder]:
    """One reminder per open call-back, on the day they asked for (the export day once that
    day has passed)."""
    return [
        Reminder(
            contact_id=int(row["id"]),
            kind="call-back",
            due_on=row["call_back_on"],
            dated=max(row["call_back_on"], today),
            overdue=row["call_back_on"] < today,
            full_name=row["full_name"],
            company=row["company"],
            email=row["email"],
            phone=row["phone"],
            since=row["asked_on"],
            days=(today - row["asked_on"]).days,
        )
        for row in open_call_backs(db, today)
    ]


def _update_reminders(db: Database, today: date) -> list[Reminder]:
    """One reminder per referrer on the close_loop list, dated the day the oldest referral
    they are not yet told about was reached (the export day once that is over a week ago)."""
    found, _ = open_loops(db, today)
    out = []
    for loop in found:
        overdue = (today - loop.since).days > THANKS_OVERDUE_DAYS
        out.append(
            Reminder(
                contact_id=loop.id,
                kind="update",
                due_on=loop.since,
                dated=today if overdue else loop.since,
                overdue=overdue,
                full_name=loop.full_name,
                company=loop.company,
                email=loop.email,
                phone=loop.phone,
                since=loop.since,
                days=(today - loop.since).days,
                spoke_with=spoke_with(loop.referrals),
            )
        )
    return out


def _due_rows(db: Database, today: date) -> pd.DataFrame:
    """The due rows that get a reminder (docs/METHOD.md "Exports"): follow-ups due or overdue,
    thanks pending, referrers to tell how it went."""
    due = due_frame(db, today)
    return due[
        due["follow_up_due"]
        | due["follow_up_overdue"]
        | due["thank_you_pending"]
        | due["close_loop"]
    ]


def _dates(column: pd.Series) -> list[date | None]:
    return [None if pd.isna(v) else pd.Timestamp(v).date() for v in column.tolist()]


def export_ics(db: Database, *, today: date, now: datetime | None = None) -> bytes:
    """An iCalendar file of all-day reminders (CRLF, folded at 75 octets, stable UIDs)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Warm Leads//Networking reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Warm Leads reminders")
    for reminder in reminders(db, today):
        event = icalendar.Event()
        event.add("uid", reminder.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", reminder.dated)
        event.add("dtend", reminder.dated + timedelta(days=1))
        event.add("summary", reminder.summary)
        event.add("description", reminder.description)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy block
        event.add("categories", ["Warm Leads"])
        calendar.add_component(event)
    return calendar.to_ical()
