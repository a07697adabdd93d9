"""From records to suggested steps: the rules of docs/METHOD.md, "Suggested steps".

Reading only: the network's keys and the steps already logged come from the database;
nothing is written here. A record that matches nobody in the network is counted and
dropped at once (only the count survives).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from lib.core.keys import phone_key
from lib.io.activity.model import Call, Mail, Meeting, Record
from lib.store.db import Database

# An outgoing call shorter than this rang out (an attempt); this long or longer, they talked.
TALK_SECONDS = 20
# A sent e-mail is a thank-you when a conversation with them was logged this many days before.
THANK_YOU_DAYS = 7
# The kinds a conversation with them is (what a thank-you follows).
TALK_KINDS = ("contacted", "info_interview")
CALLED_BACK = "They called you back"
# A meeting whose title says so is an informational interview, not only a conversation.
_INTERVIEW = re.compile(r"\binfo(rmational)?\.?\s+interview", re.IGNORECASE)


@dataclass(frozen=True)
class Suggestion:
    """One step the import suggests; `seen` says what it saw."""

    source_id: str
    contact_id: int
    kind: str
    occurred_on: date
    channel: str
    outcome: str | None
    seen: str


@dataclass
class Ignored:
    """What an import left out, counted: unmatched records, steps already logged, repeats."""

    unmatched: int = 0
    already_logged: int = 0
    duplicates: int = 0

    def as_dict(self) -> dict[str, int]:
        """The three counts, as `import-activity --json` prints them."""
        return {
            "unmatched": self.unmatched,
            "already_logged": self.already_logged,
            "duplicates": self.duplicates,
        }


def source_id(*parts: object) -> str:
    """A record's id across imports: a hash of what identifies it (no number kept in clear)."""
    text = "|".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def when_words(at: datetime | date, tz: tzinfo | None = None) -> str:
    """ "Tue 8 Dec 10:42" (in `tz`, or the computer's zone); a day alone is "Tue 8 Dec"."""
    if not isinstance(at, datetime):
        return f"{at:%a} {at.day} {at:%b}"
    local = at.astimezone(tz) if at.tzinfo else at
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def call_words(call: Call, tz: tzinfo | None = None) -> str:
    """ "call 3 min 10 s outgoing, Tue 8 Dec 10:42"; a missed call has no length."""
    when = when_words(call.at, tz)
    if call.type in (3, 4):
        return f"{call.direction} call, {when}"
    minutes, seconds = divmod(call.duration, 60)
    if not minutes:
        length = f"{seconds} s"
    else:
        length = f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    return f"call {length} {call.direction}, {when}"


@dataclass
class Network:
    """The keys that say a record is someone in the network (not archived)."""

    db: Database
    _phones: dict[str, int] | None = None
    _emails: dict[str, int] | None = None
    _names: dict[str, int] | None = None
    _number_cache: dict[str, int | None] = field(default_factory=dict)

    def _contacts(self, column: str) -> list[tuple[int, str]]:
        # `column` is one of our own column names.
        return self.db.execute(
            f"SELECT id, {column} FROM contacts WHERE NOT archived AND {column} IS NOT NULL "
            "ORDER BY id DESC"
        ).fetchall()

    def by_phone(self, number: str) -> int | None:
        """The contact whose phone has the number's phone_key (the lowest id when several)."""
        if self._phones is None:
            self._phones = {}
            for contact_id, phone in self._contacts("phone"):
                key = phone_key(phone)
                if key is not None:
                    self._phones[key] = contact_id
        if number not in self._number_cache:
            key = phone_key(number)
            self._number_cache[number] = None if key is None else self._phones.get(key)
        return self._number_cache[number]

    def by_email(self, address: str) -> int | None:
        """The contact with this e-mail address (case and spaces ignored)."""
        if self._emails is None:
            self._emails = {e.strip().lower(): i for i, e in self._contacts("email")}
        return self._emails.get(address.strip().lower())

    def by_name_in(self, text: str) -> list[int]:
        """The contacts whose full name (two words or more) is written in `text`."""
        if self._names is None:
            self._names = {}
            for contact_id, name in self._contacts("full_name"):
                words = name.casefold().split()
                if len(words) >= 2:
                    self._names[" ".join(words)] = contact_id
        words = "".join(ch if ch.isalnum() or ch in "-'" else " " for ch in text.casefold())
        words_list = words.split()
        found: list[int] = []
        for size in (2, 3, 4):
            for start in range(len(words_list) - size + 1):
                contact_id = self._names.get(" ".join(words_list[start : start + size]))
                if contact_id is not None and contact_id not in found:
                    found.append(contact_id)
        return found


@dataclass
class Reading:
    """The matched records of one file, before the database's history is applied."""

    suggestions: list[Suggestion] = field(default_factory=list)
    mails: list[tuple[Mail, int, str]] = field(default_factory=list)  # mail, contact, address
    ignored: Ignored = field(default_factory=Ignored)


def read_records(
    records: Iterable[Record], network: Network, *, tz: tzinfo | None = None
) -> Reading:
    """Match each record to the network as it streams by; keep only the matched ones."""
    out = Reading()
    seen: set[str] = set()
    for record in records:
        if isinstance(record, Call):
            _read_call(record, network, out, seen, tz)
        elif isinstance(record, Mail):
            if not record.sent:
                continue
            matched = [(network.by_email(a), a) for a in record.recipients]
            people = [(cid, a) for cid, a in matched if cid is not None]
            if not people:
                out.ignored.unmatched += 1
            for contact_id, address in people:
                sid = source_id("mail", record.message_id, contact_id)
                if sid in seen:
                    out.ignored.duplicates += 1
                    continue
                seen.add(sid)
                out.mails.append((record, contact_id, address))
        elif isinstance(record, Meeting):
            _read_meeting(record, network, out, seen, tz)
    return out


def _read_call(
    call: Call, network: Network, out: Reading, seen: set[str], tz: tzinfo | None
) -> None:
    contact_id = network.by_phone(call.number)
    if contact_id is None:
        out.ignored.unmatched += 1
        return
    sid = source_id("call", phone_key(call.number), int(call.at.timestamp() * 1000), call.duration)
    if sid in seen:
        out.ignored.duplicates += 1
        return
    seen.add(sid)
    day = call.at.astimezone(tz).date()
    outcome = None
    if call.type == 2 and call.duration < TALK_SECONDS:
        kind, outcome = "attempt", "no_answer"
    elif call.type in (1, 2, 7) and call.duration >= TALK_SECONDS:
        kind = "contacted"
    elif call.type in (3, 4):
        kind = "note"
    else:
        return  # a short incoming call, a rejected or blocked one: no step
    out.suggestions.append(
        Suggestion(sid, contact_id, kind, day, "phone", outcome, call_words(call, tz))
    )


def _read_meeting(
    meeting: Meeting, network: Network, out: Reading, seen: set[str], tz: tzinfo | None
) -> None:
    people = [network.by_email(a) for a in meeting.addresses]
    found = list(dict.fromkeys(c for c in people if c is not None))
    for contact_id in network.by_name_in(meeting.summary):
        if contact_id not in found:
            found.append(contact_id)
    if not found:
        if meeting.addresses:
            out.ignored.unmatched += 1
        return
    start = meeting.start
    if isinstance(start, datetime):
        day = start.astimezone(tz).date() if start.tzinfo else start.date()
    else:
        day = start
    channel = "video" if meeting.video else "in_person"
    kind = "info_interview" if _INTERVIEW.search(meeting.summary) else "contacted"
    for contact_id in found:
        sid = source_id("meeting", meeting.uid, contact_id)
        if sid in seen:
            out.ignored.duplicates += 1
            continue
        seen.add(sid)
        seen_words = f'meeting "{meeting.summary}", {when_words(start, tz)}'
        out.suggestions.append(Suggestion(sid, contact_id, kind, day, channel, None, seen_words))


@dataclass
class History:
    """What the database already holds for the matched people."""

    logged: set[tuple[int, str, date]]
    talks: dict[int, list[date]]
    thanks: dict[int, list[date]]
    known: set[str]  # source ids of earlier suggestions (open, confirmed or dismissed)


def read_history(db: Database, contact_ids: Iterable[int]) -> History:
    """The steps logged for these people, and every source id suggested before."""
    ids = sorted(set(contact_ids))
    rows = db.execute(
        "SELECT contact_id, kind, occurred_on FROM events WHERE list_contains(?, contact_id)",
        [ids],
    ).fetchall()
    talks: dict[int, list[date]] = defaultdict(list)
    thanks: dict[int, list[date]] = defaultdict(list)
    for contact_id, kind, day in rows:
        if kind in TALK_KINDS:
            talks[contact_id].append(day)
        elif kind == "thank_you":
            thanks[contact_id].append(day)
    # A conversation suggested by an earlier import and not yet confirmed counts too.
    for contact_id, day in db.execute(
        "SELECT contact_id, occurred_on FROM suggestions WHERE status = 'open' "
        "AND list_contains(?, kind) AND list_contains(?, contact_id)",
        [list(TALK_KINDS), ids],
    ).fetchall():
        talks[contact_id].append(day)
    known = {sid for (sid,) in db.execute("SELECT source_id FROM suggestions").fetchall()}
    return History({(c, k, d) for c, k, d in rows}, talks, thanks, known)


def mail_kind(contact_id: int, day: date, talks: list[date], thanks: list[date]) -> str:
    """`thank_you` when they talked in the 7 days before and no thank-you since; else follow_up."""
    recent = [t for t in talks if 0 <= (day - t).days <= THANK_YOU_DAYS]
    if recent and not any(max(recent) <= t <= day for t in thanks):
        return "thank_you"
    return "follow_up"


def decide(reading: Reading, history: History, *, tz: tzinfo | None = None) -> list[Suggestion]:
    """The suggestions to keep, sorted by day then contact: known, logged, repeated ones out."""
    talks = {c: list(days) for c, days in history.talks.items()}
    thanks = {c: list(days) for c, days in history.thanks.items()}
    for s in reading.suggestions:
        if s.kind == "contacted":
            talks.setdefault(s.contact_id, []).append(s.occurred_on)
    found = list(reading.suggestions)
    for mail, contact_id, address in sorted(reading.mails, key=lambda m: m[0].at):
        day = mail.at.astimezone(tz).date()
        kind = mail_kind(contact_id, day, talks.get(contact_id, []), thanks.get(contact_id, []))
        if kind == "thank_you":
            thanks.setdefault(contact_id, []).append(day)
        subject = mail.subject or "(no subject)"
        sid = source_id("mail", mail.message_id, contact_id)
        seen = f'e-mail "{subject}" to {address}'
        found.append(Suggestion(sid, contact_id, kind, day, "email", None, seen))
    kept: list[Suggestion] = []
    taken: set[tuple[int, str, date]] = set()
    for s in sorted(found, key=lambda s: (s.occurred_on, s.contact_id, s.seen)):
        key = (s.contact_id, s.kind, s.occurred_on)
        if s.source_id in history.known or key in taken:
            reading.ignored.duplicates += 1
        elif key in history.logged:
            reading.ignored.already_logged += 1
        else:
            taken.add(key)
            kept.append(s)
    return kept
