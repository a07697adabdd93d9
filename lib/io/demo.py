"""The one deterministic sample network: the empty-state "load demo", test fixtures and benchmarks.

Each person's story follows the method: identified, contacted with the pitch,
asked for referrals (whose names become new targets, some warm), thanked, and
followed up every 3–4 weeks. Dates are relative to `today`, so a fresh demo
always has follow-ups due and overdue and thank-yous pending.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from lib.core.columns import CONTACT_ENTERED, EVENTS
from lib.core.errors import ValidationError
from lib.core.keys import company_key
from lib.core.vocab import ATTEMPT_OUTCOMES, DEMO_FORMAT
from lib.core.words import counted
from lib.io.importing.apply import start_batch
from lib.io.staged import Staged
from lib.records.companies import link_contacts
from lib.records.settings import put_setting
from lib.store.db import Database

DEMO_FILE = "sample data"

FIRST_NAMES = (
    "Ana", "Ben", "Chloé", "Dev", "Elif", "Farah", "Gabriel", "Hana", "Ibrahim", "Jonas",
    "Keiko", "Liam", "Maya", "Nikhil", "Olga", "Priya", "Quentin", "Rosa", "Samir", "Tanya",
    "Umar", "Valeria", "Wei", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Carmen", "Diego",
    "Emma", "Felix", "Grace", "Hugo", "Ines", "Jamal", "Kofi", "Lena", "Marco", "Nadia",
    "Oscar", "Paula", "Rahul", "Sofia", "Tomás", "Ulla", "Victor", "Wendy", "Yara", "Zane",
)  # fmt: skip
LAST_NAMES = (
    "Ruiz", "Okafor", "Martin", "Patel", "Yilmaz", "Haddad", "Silva", "Sato", "Khan", "Berg",
    "Tanaka", "O'Brien", "Cohen", "Rao", "Ivanova", "Sharma", "Dubois", "Moreno", "Nasser",
    "Kowalski", "Farouk", "Castro", "Zhang", "Lopez", "Demir", "Nguyen", "Mensah", "Rossi",
    "Vega", "Herrera", "Larsen", "Becker", "Kim", "Laurent", "Costa", "Wright", "Asante",
    "Fischer", "Bianchi", "Novak", "Lindqvist", "Ferreira", "Gupta", "Andersen", "Alves",
    "Holm", "Petrov", "Walsh", "Ahmed", "Brennan",
)  # fmt: skip
COMPANIES = (
    ("Blue Harbor Logistics", "blueharbor.example"),
    ("Northwind Analytics", "northwind.example"),
    ("Cedar & Pine Health", "cedarpine.example"),
    ("Lumen Grid Energy", "lumengrid.example"),
    ("Atlas Freight", "atlasfreight.example"),
    ("Kestrel Software", "kestrel.example"),
    ("Riverside Credit Union", "riversidecu.example"),
    ("Harbourview Hospital", "harbourview.example"),
    ("Meridian Foods", "meridianfoods.example"),
    ("Quarry Lane Consulting", "quarrylane.example"),
    ("Solstice Robotics", "solstice.example"),
    ("Tidewater Ports Authority", "tidewater.example"),
    ("Granite Peak Insurance", "granitepeak.example"),
    ("Brightline Retail", "brightline.example"),
    ("Oakridge Manufacturing", "oakridge.example"),
    ("Fjord Data", "fjorddata.example"),
)
TITLES = (
    "Head of Operations", "Director of Supply Chain", "Engineering Manager",
    "VP Finance", "Talent Acquisition Partner", "Senior Recruiter", "Product Director",
    "Operations Analyst", "Chief Operating Officer", "Plant Manager", "Data Science Lead",
    "Procurement Manager", "HR Business Partner", "Logistics Coordinator", "CFO",
    "Program Manager", "Chapter President", "Business Development Manager",
)  # fmt: skip
ROOT_SOURCES = ("association", "chamber", "linkedin", "event", "other")
ROOT_SOURCE_WEIGHTS = (0.35, 0.2, 0.25, 0.15, 0.05)
CONVERSATION_NOTES = (
    "Delivered the pitch; interested in my move into supply-chain analytics.",
    "Coffee after the association breakfast. Suggested I look at planning teams.",
    "Phone call, 20 min. Open to an informational interview next month.",
    "Met at the Chamber mixer; exchanged cards and followed up by phone.",
    "Video call. Asked who else works on grid modernisation.",
    None,
    None,
)
FOLLOW_UP_NOTES = (
    "Update: finished the analytics certificate; asked for anyone else to talk to.",
    "Shared news of two good conversations from their referrals. Thanked again.",
    "Quick update on my search; asked whether anyone new comes to mind.",
    None,
)
NOTE_NOTES = (
    "Their team is growing in Q1.",
    "Prefers calls before 9am.",
    "Mentioned a planning role opening in spring.",
    "Saw their post on warehouse automation.",
)
PITCH = (
    "Hi, I'm a supply-chain analyst with eight years at a regional freight company, where I "
    "cut late deliveries by a third by rebuilding our routing data. I'm now looking to bring "
    "that mix of operations know-how and analytics to a logistics or manufacturing team. "
    "I'm not asking about jobs today: I'd value twenty minutes of your perspective on where "
    "the industry is heading. Who do you know that might be helpful for me to get in touch with?"
)

# The columns the demo fills, in the table's order (lib.core.columns), after each row's
# local index; a referral's `referred_by` holds its referrer's local index until ids exist.
CONTACT_FIELDS: tuple[str, ...] = tuple(c for c in CONTACT_ENTERED if c != "connected_on")
EVENT_FIELDS: tuple[str, ...] = tuple(
    c for c in EVENTS.names(entered=True) if c not in ("contact_id", "call_back_on")
)
CONTACT_COLUMNS: tuple[str, ...] = ("local", *CONTACT_FIELDS)
EVENT_COLUMNS: tuple[str, ...] = ("local", *EVENT_FIELDS)
_IDENTIFIED = CONTACT_COLUMNS.index("identified_on")
# How each filled column is read from the demo's frames (`c`: contacts, `r`: the referrer's ids).
_CONTACT_PICKS = ", ".join(
    {"referred_by": "r.id", "identified_on": "c.identified_on::DATE"}.get(name, f"c.{name}")
    for name in CONTACT_FIELDS
)
_EVENT_PICKS = ", ".join(
    "e.occurred_on::DATE" if name == "occurred_on" else f"e.{name}" for name in EVENT_FIELDS
)


@dataclass
class DemoNetwork:
    """Rows for contacts and events, linked by a local index before ids are assigned."""

    contacts: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)


# The demo's target companies (docs/METHOD.md "Target companies"): an index into COMPANIES,
# then Motivation and Posting. Marked with the demo's batch, removed with it.
DEMO_TARGETS = ((5, 5, 3), (1, 5, 2), (0, 4, 1), (10, 3, 3), (8, 2, 1))


def _add_demo_targets(db: Database, batch: int) -> None:
    """Add the demo's target companies (a name the file already has stays as it is)."""
    taken = {key for (key,) in db.execute("SELECT key FROM companies").fetchall()}
    rows = [
        (COMPANIES[i][0], company_key(COMPANIES[i][0]), f"https://{COMPANIES[i][1]}", m, p)
        for i, m, p in DEMO_TARGETS
        if company_key(COMPANIES[i][0]) not in taken
    ]
    for row in rows:
        db.execute(
            "INSERT INTO companies (id, name, key, website, motivation, posting, import_batch) "
            "VALUES (nextval('companies_id_seq'), ?, ?, ?, ?, ?, ?)",
            [*row, batch],
        )
    link_contacts(db)


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def build_network(
    contacts: int = 50, *, seed: int = 7, today: date | None = None, span_days: int = 150
) -> DemoNetwork:
    """Simulate `contacts` people following the method, all dates on or before `today`."""
    today = today or date.today()
    rng = random.Random(seed)
    # Call attempts draw from their own stream, so the stories stay what they were without them.
    dialer = random.Random(seed + 1)
    net = DemoNetwork()
    generation: list[int] = []
    start = today - timedelta(days=span_days)

    def new_person(day: date, referrer: int | None) -> int:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company, domain = rng.choice(COMPANIES)
        local = len(net.contacts)
        has_email = rng.random() < 0.8
        net.contacts.append(
            (
                local,
                f"{first} {last}",
                company,
                rng.choice(TITLES),
                f"{_slug(first)}.{_slug(last)}@{domain}" if has_email else None,
                f"+1 555-01{rng.randrange(100):02d}" if rng.random() < 0.6 else None,
                f"https://www.linkedin.com/in/{_slug(first)}-{_slug(last)}-{local + 101}",
                None,
                "referral"
                if referrer is not None
                else rng.choices(ROOT_SOURCES, ROOT_SOURCE_WEIGHTS)[0],
                referrer,
                (rng.random() < 0.7) if referrer is not None else None,
                day,
                False,
            )
        )
        generation.append(0 if referrer is None else generation[referrer] + 1)
        return local

    def event(local: int, kind: str, day: date, channel: str | None, notes: str | None) -> None:
        net.events.append((local, kind, day, channel, notes, None))

    def attempts(local: int, first: date, last: date) -> None:
        """Calls that did not reach them, on days from `first` to `last` (most calls fail)."""
        if last < first:
            return
        for _ in range(dialer.choices((0, 1, 2, 3), (4, 3, 2, 1))[0]):
            day = first + timedelta(days=dialer.randrange((last - first).days + 1))
            outcome = dialer.choices(ATTEMPT_OUTCOMES, (4, 5, 1, 1, 1))[0]
            channel = "linkedin" if outcome == "message" else "phone"
            net.events.append((local, "attempt", day, channel, None, outcome))

    def tell_story(local: int, talk: date, channel: str) -> None:
        """The method's steps in order, stopping at the first one not taken (yet)."""
        event(local, "contacted", talk, channel, rng.choice(CONVERSATION_NOTES))
        if rng.random() < 0.3:
            event(local, "info_interview", talk, channel, None)
        if rng.random() >= 0.8:
            return  # pitched, but did not ask for referrals
        event(local, "referral_asked", talk, channel, None)
        wanted = rng.choices((0, 1, 2, 3), (2, 3, 3, 3))[0]
        if generation[local] >= 3:
            wanted = 0
        for _ in range(min(wanted, contacts - len(net.contacts))):
            new_person(talk, local)
        thanked = rng.random() < 0.5
        if thanked:
            event(local, "thank_you", talk, channel, "Thanked them at the end of the call.")
        touch = talk
        thank_note = talk + timedelta(days=rng.randrange(2, 5))
        if rng.random() < 0.75 and thank_note <= today:
            event(local, "thank_you", thank_note, "email", "Thank-you email.")
            thanked, touch = True, thank_note
        if not thanked:
            return  # a follow-up comes after the thank-you
        while rng.random() < 0.85:
            touch = touch + timedelta(days=rng.randrange(21, 29))
            if touch > today:
                break
            event(local, "follow_up", touch, "email", rng.choice(FOLLOW_UP_NOTES))
            if rng.random() < 0.06:
                event(local, "opportunity", touch, "email", "Heard about an unposted role.")

    roots = max(1, round(contacts * 0.35))
    root_days = sorted(start + timedelta(days=rng.randrange(span_days - 2)) for _ in range(roots))
    for day in root_days:
        new_person(day, None)

    cursor = 0
    while cursor < contacts:
        if cursor == len(net.contacts):
            # The referral tree ran dry: more targets from meetings and LinkedIn.
            for _ in range(min(roots, contacts - len(net.contacts))):
                new_person(start + timedelta(days=rng.randrange(span_days)), None)
        local = cursor
        cursor += 1
        identified = net.contacts[local][_IDENTIFIED]
        if rng.random() > 0.8:
            attempts(local, identified, today)
            continue  # not contacted yet
        talk = identified + timedelta(days=rng.randrange(1, 12))
        if talk > today:
            attempts(local, identified, today)
            continue
        channel = rng.choices(("phone", "in_person", "video", "event"), (4, 3, 2, 1))[0]
        if channel == "phone":
            attempts(local, identified, talk - timedelta(days=1))
        tell_story(local, talk, channel)
        if rng.random() < 0.15:
            day = min(today, talk + timedelta(days=rng.randrange(0, 30)))
            event(local, "note", day, None, rng.choice(NOTE_NOTES))
    return net


def _fit_events(net: DemoNetwork, wanted: int, seed: int, today: date) -> list[tuple]:
    """Trim or pad the simulated events to exactly `wanted` (padding: dated notes)."""
    events = net.events
    if len(events) >= wanted:
        # Drop the latest steps first so every story still follows the method's order.
        order = sorted(range(len(events)), key=lambda i: (events[i][2], i))
        keep = sorted(order[:wanted])
        return [events[i] for i in keep]
    extra = wanted - len(events)
    rng = np.random.default_rng(seed)
    owners = rng.integers(0, len(net.contacts), size=extra)
    identified = np.array([row[_IDENTIFIED] for row in net.contacts], dtype="datetime64[D]")
    span = (np.datetime64(today, "D") - identified[owners]).astype(int) + 1
    days = identified[owners] + (rng.random(extra) * span).astype(int)
    notes = np.array(NOTE_NOTES, dtype=object)[rng.integers(0, len(NOTE_NOTES), size=extra)]
    padding = pd.DataFrame(
        {
            "local": owners,
            "kind": "note",
            "occurred_on": days,
            "channel": None,
            "notes": notes,
            "outcome": None,
        }
    )
    base = pd.DataFrame(events, columns=list(EVENT_COLUMNS))
    base["occurred_on"] = pd.to_datetime(base["occurred_on"])
    return pd.concat([base, padding], ignore_index=True)


def check_size(contacts: int, events: int | None) -> None:
    """Refuse a demo size the generator will not make (before any file is opened)."""
    if contacts < 1 or contacts > 10_000_000:
        raise ValidationError("contacts", f"{contacts} is outside 1–10,000,000")
    if events is not None and (events < 0 or events > 100_000_000):
        raise ValidationError("events", f"{events} is outside 0–100,000,000")


def load_demo(
    db: Database,
    *,
    contacts: int = 50,
    events: int | None = None,
    seed: int = 7,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[int, int]:
    """Write the sample network into an empty database in one transaction; return the counts."""
    check_size(contacts, events)
    existing = int(db.scalar("SELECT count(*) FROM contacts"))
    if existing:
        raise ValidationError(
            "database",
            f"already holds {counted(existing, 'contact')}; the sample network only loads into "
            "an empty file "
            "(use --db to choose a new one)",
        )
    today = today or date.today()
    say = progress or (lambda _msg: None)
    say(f"simulating {counted(contacts, 'person', 'people')}")
    net = build_network(contacts, seed=seed, today=today)
    event_rows = net.events if events is None else _fit_events(net, events, seed, today)
    contact_frame = pd.DataFrame(net.contacts, columns=list(CONTACT_COLUMNS))
    event_frame = (
        event_rows
        if isinstance(event_rows, pd.DataFrame)
        else pd.DataFrame(event_rows, columns=list(EVENT_COLUMNS))
    )
    event_frame["occurred_on"] = pd.to_datetime(event_frame["occurred_on"])
    contact_frame["identified_on"] = pd.to_datetime(contact_frame["identified_on"])
    contact_frame["referred_by"] = contact_frame["referred_by"].astype("Int64")
    say(
        f"writing {counted(len(contact_frame), 'contact')} and {counted(len(event_frame), 'event')}"
    )
    with db.transaction():
        batch = start_batch(db, DEMO_FILE, DEMO_FORMAT)  # marks the demo's rows, to remove them
        contact_frame["import_batch"] = event_frame["import_batch"] = batch
        people, steps = Staged(db, contact_frame), Staged(db, event_frame)
        try:
            people.run(
                "CREATE OR REPLACE TEMP TABLE demo_ids AS "
                "SELECT local, nextval('contacts_id_seq')::INTEGER AS id "
                f"FROM (SELECT local FROM {people.name} ORDER BY local)"
            )
            people.run(
                f"""
                INSERT INTO contacts (id, {", ".join(CONTACT_FIELDS)}, import_batch)
                SELECT m.id, {_CONTACT_PICKS}, c.import_batch
                FROM {people.name} c
                JOIN demo_ids m ON m.local = c.local
                LEFT JOIN demo_ids r ON r.local = c.referred_by
                ORDER BY m.id
                """
            )
            steps.run(
                f"""
                INSERT INTO events (id, contact_id, {", ".join(EVENT_FIELDS)}, import_batch)
                SELECT nextval('events_id_seq'), m.id, {_EVENT_PICKS}, e.import_batch
                FROM (SELECT *, row_number() OVER () AS n FROM {steps.name}) e
                JOIN demo_ids m ON m.local = e.local
                ORDER BY e.occurred_on, e.n
                """
            )
            _add_demo_targets(db, batch)
            db.execute(
                "UPDATE import_batches SET added = ?, events_added = ? WHERE id = ?",
                [len(contact_frame), len(event_frame), batch],
            )
            if db.scalar("SELECT count(*) FROM settings WHERE key = 'pitch'") == 0:
                put_setting(db, "pitch", PITCH)  # a pitch of the user's own stays
        finally:
            db.execute("DROP TABLE IF EXISTS demo_ids")
    return len(contact_frame), len(event_frame)
