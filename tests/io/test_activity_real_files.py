"""Real files other programs wrote (tests/fixtures/activity/real/, sources in its SOURCES.md):
each detected as its format and read, or refused with its one line; imported against a
small network built to match some of its numbers and addresses, it gives exactly the
suggestions expected, and nothing about what matched nobody is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lib.io.activity import detect_format, read_activity
from lib.io.activity.apply import import_activity
from lib.io.activity.model import ActivityFileError, Call
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store.db import Database

REAL = Path(__file__).parents[1] / "fixtures" / "activity" / "real"
NOTHING = {"unmatched": 0, "already_logged": 0, "duplicates": 0}

# Each usable file → its format, the import's day, how many records it reads.
FORMATS = {
    "calls-xml/minimal_calls.xml": ("calls-xml", date(2021, 1, 4), 1),
    "mbox/bugmail1": ("mbox", date(2008, 5, 8), 1),
    "mbox/bugmail12": ("mbox", date(2008, 5, 8), 1),
    "eml/bugmail10": ("eml", date(2008, 6, 7), 1),
    "eml/raw_email_reply.eml": ("eml", date(2007, 11, 19), 1),
    "eml/raw_email_with_at_display_name.eml": ("eml", date(2008, 11, 23), 1),
    "eml/weird_to_header.eml": ("eml", date(2010, 10, 16), 1),
    # two all-day series (the 15 July excluded) on 1 and 29 July, and one evening event
    "ics/alarm_outlook_in_future.ics": ("ics", date(2024, 10, 5), 5),
    "ics/daylight_saving_time.ics": ("ics", date(2019, 3, 4), 253),
    "ics/importLatin1.ics": ("ics", date(2019, 1, 2), 4),
    "ics/issue_18_cancel_status.ics": ("ics", date(2020, 2, 6), 2),
}


def test_every_real_file_is_in_sources_and_small():
    files = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file()}
    assert files == {*FORMATS, "calls-xml/mixed.xml", "SOURCES.md"}
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{Path(name).name}`" in sources for name in files - {"SOURCES.md"})
    assert max((REAL / name).stat().st_size for name in files) < 200_000


@pytest.mark.parametrize(("name", "expected"), FORMATS.items(), ids=list(FORMATS))
def test_each_real_file_is_detected_as_its_format_and_read(
    name: str, expected: tuple[str, date, int]
):
    fmt, today, count = expected
    path = REAL / name
    assert detect_format(path) == fmt
    assert len(list(read_activity(path, fmt, today=today))) == count


def test_the_call_log_backup_is_read_exactly():
    [call] = read_activity(REAL / "calls-xml/minimal_calls.xml", "calls-xml", today=date.today())
    assert call == Call("+15551234567", datetime(2021, 1, 3, tzinfo=UTC), 125, 1)


def test_an_sms_backup_is_refused_with_one_line_and_nothing_written(db: Database):
    path = REAL / "calls-xml/mixed.xml"
    sms = (
        "it is SMS Backup & Restore's backup of text messages (<smses>), not of calls: choose "
        "the calls-….xml file it wrote beside it"
    )
    with pytest.raises(ActivityFileError) as refused:
        detect_format(path)
    assert str(refused.value) == sms
    for fmt in (None, "calls-xml"):
        with pytest.raises(ActivityFileError) as refused:
            import_activity(db, path, format=fmt, today=date(2021, 1, 4), tz=UTC)
        assert str(refused.value) == f"mixed.xml: {sms}; nothing imported"
    assert db.scalar("SELECT count(*) FROM suggestions") == 0
    assert db.scalar("SELECT count(*) FROM import_batches") == 0


@dataclass
class Case:
    """One real file against a small network: what it suggests, what must not be stored."""

    file: str
    today: date
    people: list[tuple[str, str | None, str | None]]  # (name, phone, e-mail), ids 1…
    rows: list[tuple]  # (contact, kind, day, channel, outcome, seen)
    ignored: dict[str, int] = field(default_factory=lambda: dict(NOTHING))
    mine: list[str] | None = None
    talks: list[tuple[int, str]] = field(default_factory=list)  # conversations logged before
    absent: list[str] = field(default_factory=list)  # in no row of any table afterwards


CASES = [
    Case(
        "calls-xml/minimal_calls.xml",
        date(2021, 1, 4),
        [("Alice Smith", "+1 555 123 4567", None)],
        [(1, "contacted", "2021-01-03", "phone", None, "call 2 min 5 s incoming, Sun 3 Jan 00:00")],
    ),
    Case(  # sent by Thunderbird's test identity 3 days after a conversation: a thank-you
        "mbox/bugmail1",
        date(2008, 5, 8),
        [("Kent Invalid", None, "invalid@example.com")],
        [
            (
                1,
                "thank_you",
                "2008-05-07",
                "email",
                None,
                'e-mail "[Bug 397009] A filter will let me tag, but not untag" to '
                "invalid@example.com",
            )
        ],
        mine=["PrimaryEmail1@test.invalid"],
        talks=[(1, "2008-05-04")],
        absent=["bugzilla", "Only one Subject"],
    ),
    Case(  # the Subject folded over three lines is one line
        "mbox/bugmail12",
        date(2008, 5, 8),
        [("Kent Invalid", None, "invalid@example.com")],
        [
            (
                1,
                "follow_up",
                "2008-05-07",
                "email",
                None,
                'e-mail "[Bug 397009] A filter will let me tag, but not untag, but this message '
                'has a continued subject over many lines" to invalid@example.com',
            )
        ],
        mine=["PrimaryEmail1@test.invalid"],
        absent=["bugzilla", "Duplicated"],
    ),
    Case(  # a received message (From someone else, no Gmail label) suggests nothing
        "eml/bugmail10",
        date(2008, 6, 7),
        [("Kent Invalid", None, "invalid@example.com"), ("Ex Ample", None, "example@example.com")],
        [],
        absent=["436880", "bugzilla"],
    ),
    Case(
        "eml/raw_email_reply.eml",
        date(2007, 11, 19),
        [("Mikel Lindsaar", None, "mikel@xxxx.net")],
        [
            (
                1,
                "thank_you",
                "2007-11-18",
                "email",
                None,
                'e-mail "Re: Test reply email" to mikel@xxxx.net',
            )
        ],
        mine=["xxxxxxxx@xxx.org"],
        talks=[(1, "2007-11-15")],
    ),
    Case(  # the address after "Mikel@Lindsaar" is the one that matches
        "eml/raw_email_with_at_display_name.eml",
        date(2008, 11, 23),
        [("Mikel Lindsaar", None, "raasdnil@gmail.com")],
        [
            (
                1,
                "follow_up",
                "2008-11-22",
                "email",
                None,
                'e-mail "Testing 123" to raasdnil@gmail.com',
            )
        ],
        mine=["test@lindsaar.net"],
        absent=["smith@gmail.com", "tom@gmail.com", "jack@"],
    ),
    Case(  # "To: , a, b" and an empty Subject; 23:25 -0400 is the next day in UTC
        "eml/weird_to_header.eml",
        date(2010, 10, 16),
        [("Esa Sanz", None, "e-s-a-s-2200@app.ar.com")],
        [
            (
                1,
                "follow_up",
                "2010-10-15",
                "email",
                None,
                'e-mail "(no subject)" to e-s-a-s-2200@app.ar.com',
            )
        ],
        mine=["anonymous@i.tp.host"],
        absent=["aol.com"],
    ),
    Case(  # no attendees: the title names the contact; 18:30 "GMT Standard Time" is BST
        "ics/alarm_outlook_in_future.ics",
        date(2024, 10, 5),
        [("Outlook Event", None, None)],
        [
            (
                1,
                "contacted",
                "2024-10-04",
                "in_person",
                None,
                'meeting "outlook event with alarm", Fri 4 Oct 17:30',
            )
        ],
        absent=["test123", "040000008200E"],
    ),
    Case(  # the group calendar attends 7 occurrences on 6 days (28 Feb twice: a duplicate)
        "ics/daylight_saving_time.ics",
        date(2019, 3, 4),
        [("Mach Bar", None, "j68lhv614hbv3u4ttbrs6glhpg@group.calendar.google.com")],
        [
            (1, "contacted", day, "in_person", None, f'meeting "{title}", {words}')
            for day, title, words in [
                ("2019-02-28", "Montessori Schulklasse", "Thu 28 Feb 07:30"),
                ("2019-03-09", "Open Health HACKademy", "Sat 9 Mar 08:30"),
                ("2019-03-14", "Montessori Schulklasse", "Thu 14 Mar 07:30"),
                ("2019-03-16", "Open Health HACKademy", "Sat 16 Mar 08:30"),
                ("2019-03-21", "Montessori Schulklasse", "Thu 21 Mar 07:30"),
                ("2019-03-28", "Montessori Schulklasse", "Thu 28 Mar 07:30"),
            ]
        ],
        ignored={**NOTHING, "duplicates": 1},
        absent=["DiReBio", "Chaostreff", "Bioökonomie"],
    ),
    Case(  # "Två" is one Latin-1 byte: the name matches only when the file is decoded right
        "ics/importLatin1.ics",
        date(2019, 1, 2),
        [("Event Två", None, None)],
        [(1, "contacted", "2019-01-01", "in_person", None, 'meeting "Event Två", Tue 1 Jan 16:00')],
        absent=["Event One", "Event Four"],
    ),
    Case(  # the cancelled occurrence of 29 January is no meeting
        "ics/issue_18_cancel_status.ics",
        date(2020, 2, 6),
        [("Is Cancelled", None, None)],
        [
            (
                1,
                "contacted",
                "2020-01-28",
                "in_person",
                None,
                'meeting "one is cancelled", Tue 28 Jan 21:00',
            ),
            (
                1,
                "contacted",
                "2020-01-30",
                "in_person",
                None,
                'meeting "one is cancelled", Thu 30 Jan 21:00',
            ),
        ],
        absent=["2020-01-29"],
    ),
]


def everything(db: Database) -> str:
    """Every value of every table, as one text."""
    tables = db.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = 'main' "
        "AND table_type = 'BASE TABLE'"
    ).fetchall()
    return " ".join(
        str(value)
        for (table,) in tables
        for row in db.execute(f'SELECT * FROM "{table}"').fetchall()
        for value in row
    )


def load(db: Database, case: Case) -> None:
    for name, phone, email in case.people:
        data = {"full_name": name, "phone": phone, "email": email, "identified_on": "2000-01-01"}
        add_contact(db, data, today=case.today)
    for contact_id, day in case.talks:
        log_event(
            db,
            {"contact_id": contact_id, "kind": "contacted", "occurred_on": day},
            today=case.today,
        )


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_a_real_file_suggests_exactly_the_steps_of_its_network(db: Database, case: Case):
    load(db, case)
    result = import_activity(db, REAL / case.file, today=case.today, tz=UTC, my_addresses=case.mine)
    assert result.ignored.as_dict() == case.ignored
    assert (
        db.execute(
            "SELECT contact_id, kind, occurred_on::VARCHAR, channel, outcome, seen "
            "FROM suggestions ORDER BY id"
        ).fetchall()
        == case.rows
    )
    stored = everything(db)
    assert [text for text in case.absent if text in stored] == []


def test_numbers_and_addresses_in_no_ones_network_leave_only_a_count(db: Database):
    load(
        db, Case("", date(2026, 12, 9), [("Noor Haddad", "+1 801 555 0199", "noor@x.example")], [])
    )
    runs = [
        ("calls-xml/minimal_calls.xml", date(2021, 1, 4), None),
        ("mbox/bugmail12", date(2008, 5, 8), ["PrimaryEmail1@test.invalid"]),
        ("eml/raw_email_with_at_display_name.eml", date(2008, 11, 23), ["test@lindsaar.net"]),
        ("ics/daylight_saving_time.ics", date(2019, 3, 4), None),
    ]
    unmatched = [
        import_activity(db, REAL / name, today=today, tz=UTC, my_addresses=mine).ignored.unmatched
        for name, today, mine in runs
    ]
    assert unmatched == [1, 1, 1, 7]
    assert db.scalar("SELECT count(*) FROM suggestions") == 0
    stored = everything(db)
    leaked = [
        text
        for text in (
            "5551234567",
            "555 123",
            "Alice",
            "invalid@example.com",
            "397009",
            "raasdnil",
            "smith@gmail",
            "j68lhv",
            "Montessori",
            "HACKademy",
        )
        if text in stored
    ]
    assert leaked == []


def test_the_same_message_in_two_mailboxes_is_suggested_once(db: Database):
    load(db, Case("", date(2008, 5, 8), [("Kent Invalid", None, "invalid@example.com")], []))
    mine = ["PrimaryEmail1@test.invalid"]
    first = import_activity(
        db, REAL / "mbox/bugmail1", today=date(2008, 5, 8), tz=UTC, my_addresses=mine
    )
    again = import_activity(
        db, REAL / "mbox/bugmail12", today=date(2008, 5, 8), tz=UTC, my_addresses=mine
    )
    assert (len(first.suggestions), first.ignored.as_dict()) == (1, NOTHING)
    assert (again.suggestions, again.ignored.as_dict()) == ([], {**NOTHING, "duplicates": 1})
