"""Exports: the Warm Leads CSV, vCards and calendar reminders, each read back by a parser."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from lib.core.errors import OutputError
from lib.core.validation import CONTACT_FIELDS, EVENT_FIELDS
from lib.engine.stats import due_lists
from lib.io.exporters import (
    NATIVE_COLUMNS,
    export_csv,
    export_vcard,
    neutralise,
    restore,
    write_export,
)
from lib.io.reminders import export_ics, reminders
from lib.records.contacts import add_contact
from lib.records.events import log_attempt, log_event
from lib.store.db import Database
from tests.conftest import TODAY

NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)


def csv_records(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-- agenda", "'-- agenda"),
        ("@handle", "'@handle"),
        ("\tindented", "'\tindented"),
        ("'quoted'", "''quoted'"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        (None, None),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_quote_that_import_takes_off(text, written):
    assert neutralise(text) == written
    if written is not None:
        assert restore(written) == text


def test_the_csv_holds_every_spec_column_of_contacts_and_events(demo_db: Database):
    data = export_csv(demo_db)
    records = csv_records(data)
    events = demo_db.scalar("SELECT count(*) FROM events")

    assert data.startswith(b"\xef\xbb\xbfrecord,id,full_name,")
    assert data.count(b"\r\n") == 1 + 50 + events + 2 + 5
    assert tuple(records[0]) == NATIVE_COLUMNS
    assert set(CONTACT_FIELDS) | set(EVENT_FIELDS) | {"id"} <= set(NATIVE_COLUMNS)
    # The demo's pitch (a setting), the demo itself (an import batch) and its five target
    # companies follow its rows.
    assert [r["record"] for r in records] == ["contact"] * 50 + ["event"] * events + [
        "setting",
        "import_batch",
    ] + ["company"] * 5
    assert (records[-6]["file"], records[-6]["format"], records[-6]["added"]) == (
        "sample data",
        "demo",
        "50",
    )
    first = demo_db.execute(
        "SELECT id, full_name, identified_on FROM contacts ORDER BY id LIMIT 1"
    ).fetchone()
    assert (records[0]["id"], records[0]["full_name"], records[0]["identified_on"]) == (
        str(first[0]),
        first[1],
        first[2].isoformat(),
    )
    assert {r["archived"] for r in records[:50]} == {"false"}
    assert all(r["kind"] == "" for r in records[:50])


def test_formula_like_cells_are_neutralised_in_the_csv(db: Database):
    add_contact(
        db,
        {
            "full_name": "=cmd|'/C calc'!A0",
            "company": "@Corp",
            "phone": "+1 555 0100",
            "notes": '-2+3 =HYPERLINK("http://evil.example")',
        },
        today=TODAY,
    )

    (record,) = csv_records(export_csv(db))

    assert (record["full_name"], record["company"], record["phone"], record["notes"]) == (
        "'=cmd|'/C calc'!A0",
        "'@Corp",
        "'+1 555 0100",
        '\'-2+3 =HYPERLINK("http://evil.example")',
    )


def test_each_contact_is_one_vcard_3_that_vobject_reads_back(db: Database):
    add_contact(
        db,
        {
            "full_name": "Lukas Bräuer",
            "company": "Stadtwerke Nord, GmbH",
            "title": 'Manager; Grid "Smart" Systems',
            "email": "lukas.b@example.com",
            "phone": "+49 170 1234567",
            "linkedin_url": "https://www.linkedin.com/in/lukas-braeuer",
            "notes": "Line one\nLine two, with commas; and semicolons. " + "é" * 60,
        },
        today=TODAY,
    )
    add_contact(db, {"full_name": "Sofia Lind 🌿"}, today=TODAY)

    data = export_vcard(db)
    cards = list(vobject.readComponents(data.decode("utf-8")))

    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert [c.version.value for c in cards] == ["3.0", "3.0"]
    lukas, sofia = cards
    assert lukas.fn.value == "Lukas Bräuer"
    assert (lukas.n.value.given, lukas.n.value.family) == ("Lukas", "Bräuer")
    assert lukas.org.value == ["Stadtwerke Nord, GmbH"]
    assert lukas.title.value == 'Manager; Grid "Smart" Systems'
    assert lukas.email.value == "lukas.b@example.com"
    assert lukas.tel.value == "+49 170 1234567"
    assert lukas.url.value == "https://www.linkedin.com/in/lukas-braeuer"
    assert lukas.note.value == "Line one\nLine two, with commas; and semicolons. " + "é" * 60
    assert lukas.uid.value == "warmleads-1@warmleads.local"
    assert (sofia.n.value.given, sofia.n.value.family) == ("Sofia", "Lind")
    assert "email" not in sofia.contents


def test_the_vcards_import_back_as_the_same_people(db: Database, tmp_path: Path):
    from lib.io.importing import apply_import, read_import
    from lib.store.db import open_database

    add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel", "email": "ana@k.example"})
    copy = open_database(tmp_path / "copy.duckdb")

    result = apply_import(copy, read_import(export_vcard(db), today=TODAY))

    assert result.summary() == "1 new contact, 0 updated, 0 skipped"
    assert copy.execute("SELECT full_name, company, email FROM contacts").fetchall() == [
        ("Ana Ruiz", "Kestrel", "ana@k.example")
    ]
    copy.close()


def calendar_events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_one_all_day_reminder_per_follow_up_due_or_overdue_thank_you_and_update(
    demo_db: Database,
):
    due = due_lists(demo_db, TODAY)
    data = export_ics(demo_db, today=TODAY, now=NOW)
    events = calendar_events(data)

    follow_ups = sorted(
        int(str(e["uid"]).split("-")[1]) for e in events if "-follow-up-" in str(e["uid"])
    )
    thanks = sorted(
        int(str(e["uid"]).split("-")[1]) for e in events if "-thank-you-" in str(e["uid"])
    )
    assert follow_ups == sorted(due["follow_up_due"] + due["follow_up_overdue"])
    updates = sorted(
        int(str(e["uid"]).split("-")[1]) for e in events if "-update-" in str(e["uid"])
    )
    assert thanks == due["thank_you_pending"]
    assert updates == due["close_loop"] and updates
    assert len(events) == len(follow_ups) + len(thanks) + len(updates) > 0
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is date and end == start + timedelta(days=1)
        assert event.decoded("dtstamp") == NOW
        assert str(event["uid"]).endswith("@warmleads.local")


def test_the_ics_has_crlf_line_ends_and_folds_at_75_octets(demo_db: Database):
    data = export_ics(demo_db, today=TODAY, now=NOW)

    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert b"\r\n " in data  # long descriptions really are folded


def test_reminders_are_dated_when_due_and_overdue_ones_today(db: Database):
    due_soon = add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)
    overdue = add_contact(db, {"full_name": "Ben Okafor", "company": "Atlas"}, today=TODAY)
    log_event(db, {"contact_id": due_soon, "kind": "thank_you", "occurred_on": "2026-11-01"})
    log_event(db, {"contact_id": overdue, "kind": "thank_you", "occurred_on": "2026-10-01"})
    fresh = add_contact(db, {"full_name": "Cara Diaz"}, today=TODAY)
    log_event(db, {"contact_id": fresh, "kind": "contacted", "occurred_on": "2026-11-23"})

    found = {(r.contact_id, r.kind): r for r in reminders(db, TODAY)}

    assert sorted(found) == [(1, "follow-up"), (2, "follow-up"), (3, "thank-you")]
    soon, late, thanks = found[(1, "follow-up")], found[(2, "follow-up")], found[(3, "thank-you")]
    assert (soon.dated, soon.overdue, soon.summary) == (
        date(2026, 11, 22),
        False,
        "Follow up: Ana Ruiz",
    )
    assert (late.dated, late.due_on, late.overdue, late.summary) == (
        TODAY,
        date(2026, 10, 22),
        True,
        "Overdue follow-up: Ben Okafor (Atlas)",
    )
    assert late.uid == "warmleads-2-follow-up-2026-10-22@warmleads.local"
    assert (thanks.dated, thanks.summary) == (date(2026, 11, 23), "Say thank you: Cara Diaz")
    assert late.description.startswith("Last touch 2026-10-01 (55 days ago).")


def test_a_reminder_keeps_its_uid_on_later_days_until_the_contact_is_touched(db: Database):
    person = add_contact(db, {"full_name": "Ben Okafor"}, today=TODAY)
    log_event(db, {"contact_id": person, "kind": "thank_you", "occurred_on": "2026-10-01"})

    monday = {str(e["uid"]) for e in calendar_events(export_ics(db, today=TODAY))}
    tuesday = {
        str(e["uid"]) for e in calendar_events(export_ics(db, today=TODAY + timedelta(days=1)))
    }

    assert monday == tuesday == {"warmleads-1-follow-up-2026-10-22@warmleads.local"}


def test_an_empty_database_exports_an_empty_but_valid_calendar(db: Database):
    data = export_ics(db, today=TODAY, now=NOW)

    assert calendar_events(data) == []
    assert icalendar.Calendar.from_ical(data)["version"] == "2.0"


@pytest.mark.parametrize("fmt", ["csv", "vcard", "ics"])
def test_write_export_writes_the_file_whole(demo_db: Database, tmp_path: Path, fmt: str):
    out = tmp_path / f"export.{fmt}"

    result = write_export(demo_db, fmt, out, today=TODAY, now=NOW)

    assert (
        out.read_bytes()
        == {
            "csv": lambda: export_csv(demo_db),
            "vcard": lambda: export_vcard(demo_db),
            "ics": lambda: export_ics(demo_db, today=TODAY, now=NOW),
        }[fmt]()
    )
    assert result.path == out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_write_export_refuses_a_missing_folder_and_writes_nothing(
    demo_db: Database, tmp_path: Path
):
    out = tmp_path / "missing" / "out.csv"
    with pytest.raises(OutputError) as caught:
        write_export(demo_db, "csv", out)
    assert (
        str(caught.value) == f"cannot write {out}: the folder {tmp_path / 'missing'} does not exist"
    )
    assert not (tmp_path / "missing").exists()


def test_a_failed_export_leaves_an_existing_file_untouched(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "exports").mkdir()
    out = tmp_path / "exports" / "export.csv"
    out.write_bytes(b"yesterday's export")

    def broken(*_args, **_kwargs):
        yield b"half a file"
        raise RuntimeError("interrupted")

    monkeypatch.setattr("lib.io.exporters.csv_chunks", broken)
    with pytest.raises(RuntimeError):
        write_export(demo_db, "csv", out, force=True)

    assert out.read_bytes() == b"yesterday's export"
    assert [p.name for p in out.parent.iterdir()] == ["export.csv"]


def test_every_reminder_becomes_one_calendar_event(demo_db: Database):
    assert len(reminders(demo_db, TODAY)) == len(
        calendar_events(export_ics(demo_db, today=TODAY, now=NOW))
    )


def test_a_referrer_to_tell_how_it_went_gets_one_reminder_with_a_stable_uid(db: Database):
    """Ana referred Sam and Lee; Sam was reached on 11-10 and Lee on 11-20, after Ana's
    thank-you on 11-12: one reminder, dated the day Lee was reached, naming only Lee."""
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Atlas"}, today=TODAY)
    sam = add_contact(db, {"full_name": "Sam Ortiz", "referred_by": ana}, today=TODAY)
    lee = add_contact(db, {"full_name": "Lee Park", "referred_by": ana}, today=TODAY)
    log_event(db, {"contact_id": sam, "kind": "contacted", "occurred_on": "2026-11-10"})
    log_event(db, {"contact_id": ana, "kind": "thank_you", "occurred_on": "2026-11-12"})
    log_event(db, {"contact_id": lee, "kind": "info_interview", "occurred_on": "2026-11-20"})

    updates = [r for r in reminders(db, TODAY) if r.kind == "update"]

    assert len(updates) == 1
    update = updates[0]
    assert (update.contact_id, update.dated, update.overdue) == (ana, date(2026, 11, 20), False)
    assert update.summary == "Tell them how it went: Ana Ruiz (Atlas)"
    assert update.uid == f"warmleads-{ana}-update-2026-11-20@warmleads.local"
    assert update.description.startswith(
        "They referred people to you, and you spoke with Lee Park on Fri 20 Nov."
    )
    # A week later it is overdue: dated the export day, same UID.
    later = [r for r in reminders(db, date(2026, 12, 1)) if r.kind == "update"][0]
    assert (later.dated, later.overdue, later.uid) == (date(2026, 12, 1), True, update.uid)
    # The follow-up that tells her takes the reminder away.
    log_event(db, {"contact_id": ana, "kind": "follow_up", "occurred_on": "2026-11-24"})
    assert [r for r in reminders(db, TODAY) if r.kind == "update"] == []


def test_an_open_call_back_is_one_reminder_on_its_day_with_a_stable_uid(db: Database):
    """Ana asked on TODAY to be called back on Fri 27 Nov: one reminder that day, which keeps
    its UID once the day has passed, and goes when she is reached."""
    ana = add_contact(
        db, {"full_name": "Ana Ruiz", "company": "Atlas", "phone": "+1 555 0101"}, today=TODAY
    )
    friday = TODAY + timedelta(days=2)
    log_attempt(db, ana, "call_back", call_back_on=friday, today=TODAY)

    [call_back] = [r for r in reminders(db, TODAY) if r.kind == "call-back"]
    assert (call_back.contact_id, call_back.dated, call_back.overdue) == (ana, friday, False)
    assert call_back.summary == "Call back: Ana Ruiz (Atlas)"
    assert call_back.uid == f"warmleads-{ana}-call-back-{friday.isoformat()}@warmleads.local"
    assert call_back.description == (
        f"On {TODAY.isoformat()} they asked you to call back on {friday.isoformat()}.\n"
        "Call them that day: they are expecting it.\n"
        "Phone: +1 555 0101"
    )
    [event] = [
        e
        for e in calendar_events(export_ics(db, today=TODAY, now=NOW))
        if str(e["uid"]) == call_back.uid
    ]
    assert event.decoded("dtstart") == friday
    # The day passed: dated the export day, same UID.
    later = friday + timedelta(days=3)
    [late] = [r for r in reminders(db, later) if r.kind == "call-back"]
    assert (late.dated, late.overdue, late.uid) == (later, True, call_back.uid)
    assert late.summary == "Overdue call-back: Ana Ruiz (Atlas)"
    # Reached: no call-back left.
    log_event(db, {"contact_id": ana, "kind": "contacted", "occurred_on": friday}, today=friday)
    assert [r for r in reminders(db, later) if r.kind == "call-back"] == []
