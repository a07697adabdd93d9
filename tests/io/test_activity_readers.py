"""The activity readers: each format read into exact records, detected from its content,
and every kind of bad file refused with one line (nothing read from it is kept)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lib.io.activity import detect_format, read_activity
from lib.io.activity.calendar import read_ics
from lib.io.activity.calls_csv import read_calls_csv
from lib.io.activity.calls_xml import read_calls_xml
from lib.io.activity.mail import read_eml, read_mbox
from lib.io.activity.model import ActivityFileError, Call, Mail, Meeting
from tests.io.activity_day import FIXTURES, ME, TODAY

CALLS = FIXTURES / "calls-20261208221431.xml"
MBOX = FIXTURES / "all-mail.mbox"
ICS = FIXTURES / "calendar.ics"


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 12, 8, hour, minute, second, tzinfo=UTC)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_the_call_log_xml_is_read_call_by_call_with_null_values_and_unix_ms():
    calls = list(read_calls_xml(CALLS))

    assert len(calls) == 55
    ours = [c for c in calls if "385" not in c.number.replace(" ", "")[:6]]
    assert ours[:2] == [
        Call("+18015550101", at(9, 2), 0, 2),
        Call("801.555.0102", at(9, 5), 8, 2),
    ]
    assert Call("(801) 555-0112", at(10, 42), 190, 2) in calls
    assert Call("801 555 0114", at(14, 3), 600, 1) in calls


def test_a_call_without_a_number_is_skipped_and_a_bad_type_refused(tmp_path: Path):
    path = write(
        tmp_path,
        "calls.xml",
        '<calls count="2"><call number="null" duration="null" date="1796720520000" type="3"/>'
        '<call number="+18015550101" duration="null" date="1796720520000" type="2"/></calls>',
    )
    assert list(read_calls_xml(path)) == [Call("+18015550101", at(9, 2), 0, 2)]

    bad = write(tmp_path, "bad.xml", '<calls><call number="1" date="1" duration="0" type="9"/>')
    with pytest.raises(ActivityFileError, match=r"^call 1: type 9 is not a call type \(1 to 7\)$"):
        list(read_calls_xml(bad))


def test_a_calls_csv_is_read_by_its_header_names(tmp_path: Path):
    path = write(
        tmp_path,
        "calls.csv",
        "Phone Number;Call Type;Date/Time;Duration\n"
        "+1 801 555 0101;Outgoing;2026-12-08T09:02:00Z;0:12\n"
        "8015550112;incoming;1796726520000;190\n"
        "8015550113;missed;1796726520;\n",
    )
    assert list(read_calls_csv(path)) == [
        Call("+1 801 555 0101", at(9, 2), 12, 2),
        Call("8015550112", at(10, 42), 190, 1),
        Call("8015550113", at(10, 42), 0, 3),
    ]


def test_a_sent_message_is_one_gmail_labelled_sent_in_any_language_or_from_me():
    mails = list(read_mbox(MBOX, [ME]))

    assert len(mails) == 34
    sent = sorted((m for m in mails if m.sent), key=lambda m: m.at)
    assert len(sent) == 14
    assert sent[0] == Mail(
        "<ty1@mail.example>",
        at(8, 15),
        "Thank you for your time",
        ("dana@whitfield.example",),
        True,
    )
    # Without the user's address, the message Thunderbird kept (no Gmail label) is not sent.
    assert sum(m.sent for m in read_mbox(MBOX)) == 13


def test_an_eml_file_is_one_message_read_from_its_headers(tmp_path: Path):
    path = write(
        tmp_path,
        "thanks.eml",
        "From: Sam Rivera <sam.rivera@example.com>\nTo: Dana <dana@whitfield.example>, "
        "x@y.example\nCc: DANA@whitfield.example\nSubject: Thank you\n"
        "Date: Tue, 08 Dec 2026 08:15:00 +0000\n\nBody we never read.\n",
    )
    [mail] = read_eml(path, [ME])
    hashed = mail.message_id
    assert mail == Mail(
        hashed, at(8, 15), "Thank you", ("dana@whitfield.example", "x@y.example"), True
    )


def test_a_calendar_gives_its_meetings_without_rooms_declined_people_or_declined_events():
    meetings = list(read_ics(ICS, TODAY, [ME]))
    assert meetings == [
        Meeting(
            "5v1k3coffee@google.com@2026-12-08T16:30:00+00:00",
            at(16, 30),
            "Coffee with Hana",
            ("hana@sato.example",),
            False,
        )
    ]
    # Not knowing the user's address, the invitation they declined is read, room left out.
    panel = [m for m in read_ics(ICS, TODAY) if m.summary == "Panel prep"]
    assert [(m.addresses, m.video) for m in panel] == [(("ivo@petrov.example",), True)]


def test_a_repeating_event_gives_each_occurrence_in_the_window(tmp_path: Path):
    path = write(
        tmp_path,
        "weekly.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:w1\r\n"
        "DTSTART;VALUE=DATE:20261124\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        "SUMMARY:Check-in with Dana Whitfield\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    assert [(m.uid, m.start) for m in read_ics(path, TODAY)] == [
        ("w1@2026-11-24", date(2026, 11, 24)),
        ("w1@2026-12-01", date(2026, 12, 1)),
        ("w1@2026-12-08", date(2026, 12, 8)),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (CALLS, "calls-xml"),
        (MBOX, "mbox"),
        (ICS, "ics"),
    ],
)
def test_the_format_is_detected_from_the_content(name: Path, expected: str):
    assert detect_format(name) == expected


def test_eml_and_csv_are_detected_too(tmp_path: Path):
    eml = write(tmp_path, "a.txt", "Date: Tue, 08 Dec 2026 08:15:00 +0000\nFrom: a@b.c\n\nx\n")
    csv_file = write(tmp_path, "b.txt", "number,date,type\n1,2026-12-08,in\n")
    assert (detect_format(eml), detect_format(csv_file)) == ("eml", "calls-csv")


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    '<calls count="1"><call number="&lol3;" duration="0" date="1796720520000" type="2"/></calls>\n'
)
BAD_FILES = [
    (
        "notes.txt",
        "hello world\nthis is text\n",
        None,
        "it is none of the activity formats (a call log XML or CSV, an mbox, an .eml or an .ics "
        "calendar)",
    ),
    (
        "laughs.xml",
        LAUGHS,
        None,
        "the XML declares entities or a DTD, which a call log never does: refused",
    ),
    (
        "cut.xml",
        '<?xml version="1.0"?>\n<calls count="2"><call number="+18015550101" duration="0" '
        'date="1796720520000" type="2"/><call number="+1801',
        None,
        "the XML is damaged or cut short (unclosed token: line 2, column 89)",
    ),
    (
        "sms.xml",
        '<?xml version="1.0"?>\n<smses count="0"></smses>\n',
        "calls-xml",
        "it is SMS Backup & Restore's backup of text messages (<smses>), not of calls: choose "
        "the calls-….xml file it wrote beside it",
    ),
    (
        "dateless.mbox",
        "From sam@example.com\nDate: Tue, 08 Dec 2026 10:00:00 +0000\nSubject: x\n\nbody\n",
        None,
        "line 1: the \"From \" line has no date ('From sam@example.com'): not an mbox, "
        "or a damaged one",
    ),
    (
        "folding.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20261208T100000Z\r\n"
        "SUMMARY:Coffee with\r\nDana Whitfield\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        None,
        "line 7 is not a calendar line ('Dana Whitfield'): a long line was folded without the "
        "leading space (broken folding?)",
    ),
    (
        "shifted.csv",
        "number,date,duration,type,name\n+18015550101,2026-12-08 09:02:00,0,outgoing,Ruiz, Ana\n",
        None,
        "row 2 has 6 values for 5 columns (an unquoted comma?)",
    ),
    (
        "other.csv",
        "name,when,length\nAna,2026-12-08,0\n",
        None,
        "not a call log CSV: no number or date or direction column (columns found: 'name', "
        "'when', 'length'; see docs/METHOD.md, \"Suggested steps\", for the names accepted)",
    ),
]


@pytest.mark.parametrize(("name", "text", "fmt", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_one_line(
    tmp_path: Path, name: str, text: str, fmt: str | None, message: str
):
    path = write(tmp_path, name, text)
    with pytest.raises(ActivityFileError) as refused:
        list(read_activity(path, fmt or detect_format(path), today=TODAY))
    assert str(refused.value) == message


# Reader faults the real files of tests/fixtures/activity/real/ showed (see its SOURCES.md).


@pytest.mark.parametrize(
    "first",
    [
        "Delivered-To: sam.rivera@example.com",  # Gmail's "Show original", saved
        "Return-Path: <sam.rivera@example.com>",  # most servers' first header
        "X-Account-Key: account3",  # Thunderbird's saved message
    ],
)
def test_a_message_starting_with_any_header_is_detected_as_an_eml(tmp_path: Path, first: str):
    path = write(
        tmp_path,
        "saved.eml",
        f"{first}\r\nDate: Tue, 08 Dec 2026 08:15:00 +0000\r\nFrom: a@b.example\r\n\r\nbody\r\n",
    )
    assert detect_format(path) == "eml"


def test_a_header_line_without_a_from_or_date_is_not_taken_for_an_eml(tmp_path: Path):
    path = write(tmp_path, "notes.txt", "Note: call Dana\nTodo: thank Eli\n")
    with pytest.raises(ActivityFileError, match="^it is none of the activity formats"):
        detect_format(path)


def test_an_address_whose_display_name_has_an_at_sign_keeps_its_angle_address(tmp_path: Path):
    path = write(
        tmp_path,
        "apple.eml",
        "From: Sam <sam.rivera@example.com>\r\n"
        "To: Dana@Whitfield <dana@whitfield.example>, x@y.example\r\n"
        "Date: Tue, 08 Dec 2026 08:15:00 +0000\r\nSubject: Hi\r\n\r\n",
    )
    [mail] = read_eml(path, [ME])
    assert mail.recipients == ("dana@whitfield", "dana@whitfield.example", "x@y.example")


def test_a_calendar_that_is_not_utf8_is_read_as_windows_1252(tmp_path: Path):
    path = tmp_path / "latin1.ics"
    path.write_bytes(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:l1\r\nDTSTART:20261208T100000Z\r\n"
        "SUMMARY:Café with José Núñez\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".encode("cp1252")
    )
    assert [m.summary for m in read_ics(path, TODAY)] == ["Café with José Núñez"]


def test_a_cancelled_event_or_occurrence_is_no_meeting(tmp_path: Path):
    path = write(
        tmp_path,
        "cancelled.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:s1\r\nDTSTART:20261207T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\n"
        "SUMMARY:Stand-up with Dana Whitfield\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:s1\r\nRECURRENCE-ID:20261208T100000Z\r\n"
        "DTSTART:20261208T100000Z\r\nSTATUS:CANCELLED\r\nSUMMARY:Stand-up with Dana Whitfield\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c2\r\nDTSTART:20261208T150000Z\r\nSTATUS:CANCELLED\r\n"
        "SUMMARY:Coffee with Hana Sato\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    assert [m.uid for m in read_ics(path, TODAY)] == [
        "s1@2026-12-07T10:00:00+00:00",
        "s1@2026-12-09T10:00:00+00:00",
    ]


def test_an_emoji_written_as_two_utf16_references_is_read_and_a_lone_half_refused(
    tmp_path: Path,
):
    # SMS Backup & Restore writes U+1F600 as "&#55357;&#56832;", which XML forbids; with
    # 800 calls the pairs fall across the parser's 16 KB reads too.
    call = (
        '<call number="+18015550101" duration="0" date="1796720520000" type="2" '
        'contact_name="Ana &#55357;&#56832; Ruiz" />\n'
    )
    path = write(tmp_path, "calls.xml", f'<calls count="800">\n{call * 800}</calls>\n')
    calls = list(read_calls_xml(path))
    assert (len(calls), calls[0]) == (800, Call("+18015550101", at(9, 2), 0, 2))

    lone = write(tmp_path, "lone.xml", call.replace("&#56832;", "").join(("<calls>", "</calls>")))
    with pytest.raises(ActivityFileError, match=r"^the XML is damaged or cut short \(reference"):
        list(read_calls_xml(lone))
