"""From phone & mail: the upload, the queue's grouping and words, and exactly what each button
writes (Confirm, Change, Dismiss, Confirm all attempts) and what Undo takes back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.io.activity.apply import import_activity
from lib.records.suggestions import change, confirm
from lib.store.db import Database, open_database
from tests.io.activity_day import DAY, FIXTURES, ME, TODAY, TZ, load_day_network
from tests.pagekit import APP, by_label, click, read_db, shown

PAGE = "pages/work/suggestions.py"
FILES = ("calls-20261208221431.xml", "all-mail.mbox", "calendar.ics")


@pytest.fixture
def network(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The day's 20 people; the app's today is the day after the realistic day, its zone UTC
    (the page reads times in the computer's zone, as the fixtures' expectations do in UTC)."""
    monkeypatch.setattr("lib.ui.data.today", lambda: TODAY)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    db = open_database(app_env)
    load_day_network(db)
    db.close()
    yield app_env
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def queued(network: Path) -> Path:
    """The day's three files imported: 20 suggestions in the queue."""
    db = open_database(network)
    for name in FILES:
        import_activity(db, FIXTURES / name, today=TODAY, tz=TZ, my_addresses=[ME])
    db.close()
    return network


def queue_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def rows(path: Path, sql: str) -> list[tuple]:
    db: Database = read_db(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


SEEN_IN_ORDER = [
    "**Tue 8 Dec 2026**",
    "Call 0 s outgoing, Tue 8 Dec 09:02",  # Ana Ruiz
    "Call 8 s outgoing, Tue 8 Dec 09:05",  # Ben Okafor
    "Call 14 s outgoing, Tue 8 Dec 09:09",  # Carla Mendes
    'E-mail "Thank you for your time" to dana@whitfield.example',  # Dana Whitfield
    "Call 0 s outgoing, Tue 8 Dec 09:14",  # Dev Patel
    'E-mail "Merci pour votre temps" to eli.moreau@moreau.example',  # Eli Moreau
    "Call 11 s outgoing, Tue 8 Dec 09:20",  # Erin Walsh
    "Call 3 min 10 s outgoing, Tue 8 Dec 10:42",  # Farah Haddad: the call…
    'E-mail "Great talking today" to farah@haddad.example',  # … and her thank-you
    "Call 5 s outgoing, Tue 8 Dec 09:26",  # Femi Adeyemi
    "Call 0 s outgoing, Tue 8 Dec 09:31",  # Grace Lin
    'E-mail "Quick update — new role" to gus@almeida.example',  # Gus Almeida
    'Meeting "Coffee with Hana", Tue 8 Dec 16:30',  # Hana Sato
    "Call 19 s outgoing, Tue 8 Dec 09:37",  # Hugo Brandt
    "Call 3 s outgoing, Tue 8 Dec 09:44",  # Ivy Chen
    "Call 12 s outgoing, Tue 8 Dec 09:50",  # Jon Berg
    "Call 17 s outgoing, Tue 8 Dec 09:58",  # Kira Novak
    "Call 7 min outgoing, Tue 8 Dec 11:15",  # Liam Osei
    "Call 10 min incoming, Tue 8 Dec 14:03",  # Maya Rossi
    "Call 25 s outgoing, Tue 8 Dec 15:30",  # Noah Kim
]
ATTEMPT = "Would log: Call attempt (no answer) · Phone"
TALK = "Would log: Conversation (pitch delivered) · Phone"
THANKS = "Would log: Thank-you sent · Email"
CALLED = ":material/phone_callback: Maya Rossi called you back: missed call, Tue 8 Dec 17:05"


def events(path: Path) -> list[tuple]:
    return rows(
        path,
        "SELECT contact_id, kind, occurred_on, channel, outcome, notes FROM events "
        "WHERE occurred_on = DATE '2026-12-08' ORDER BY id",
    )


def status(path: Path, *ids: int) -> list[tuple]:
    return rows(
        path,
        "SELECT id, kind, occurred_on, outcome, status FROM suggestions "
        f"WHERE id IN ({', '.join(str(i) for i in ids)}) ORDER BY id",
    )


def title(at: AppTest) -> str:
    return at.subheader[0].value


def test_the_days_three_files_uploaded_on_the_page_fill_the_queue(network: Path) -> None:
    at = queue_page()
    assert title(at) == "From your phone and mail · 0 to confirm"
    by_label(at.text_input, "Your own e-mail addresses").input(ME)
    files = [(name, (FIXTURES / name).read_bytes(), "application/octet-stream") for name in FILES]
    at.file_uploader[0].set_value(files).run()
    at = click(at, "Suggest steps from 3 files")
    assert shown(at.success) == [
        "Suggested 15 steps from calls-20261208221431.xml, a call log (SMS Backup & Restore "
        "XML). Ignored 40 calls with numbers not in your network.",
        "Suggested 4 steps from all-mail.mbox, a mailbox (mbox). Ignored 10 messages to no one "
        "in your network.",
        "Suggested 1 step from calendar.ics, a calendar (ics).",
    ]
    assert title(at) == "From your phone and mail · 20 to confirm"
    assert rows(network, "SELECT id, file, format FROM import_batches ORDER BY id") == [
        (1, "calls-20261208221431.xml", "calls-xml"),
        (2, "all-mail.mbox", "mbox"),
        (3, "calendar.ics", "ics"),
    ]
    assert rows(network, "SELECT count(*), count(DISTINCT import_batch) FROM suggestions") == [
        (20, 3)
    ]
    assert rows(network, "SELECT value FROM settings WHERE key = 'my_addresses'") == [
        ('["sam.rivera@example.com"]',)
    ]
    assert events(network) == []  # nothing is logged until confirmed
    # Asked once: the address is kept, and the uploader is empty for the next files.
    assert by_label(at.text_input, "Your own e-mail addresses").value == ME
    assert at.file_uploader[0].value in (None, [])


def test_the_queue_groups_by_day_then_person_and_says_what_it_saw_and_would_log(
    queued: Path,
) -> None:
    at = queue_page()
    assert title(at) == "From your phone and mail · 20 to confirm"
    assert shown(at.markdown) == SEEN_IN_ORDER
    people = [link.value for link in at.get("page_link")]
    assert people == [
        f"**{name}**"
        for name in (
            "Ana Ruiz", "Ben Okafor", "Carla Mendes", "Dana Whitfield", "Dev Patel",
            "Eli Moreau", "Erin Walsh", "Farah Haddad", "Femi Adeyemi", "Grace Lin",
            "Gus Almeida", "Hana Sato", "Hugo Brandt", "Ivy Chen", "Jon Berg", "Kira Novak",
            "Liam Osei", "Maya Rossi", "Noah Kim",
        )
    ]  # fmt: skip
    would = [text for text in shown(at.caption) if text.startswith("Would log")]
    assert would[:9] == [ATTEMPT, ATTEMPT, ATTEMPT, THANKS, ATTEMPT, THANKS, ATTEMPT, TALK, THANKS]
    assert would[11:13] == [
        "Would log: Follow-up sent · Email",
        "Would log: Conversation (pitch delivered) · In person",
    ]
    assert [b.label for b in at.button].count("Confirm all attempts") == 1


def test_confirm_logs_an_attempt_and_undo_takes_it_back(queued: Path) -> None:
    at = press(queue_page(), "queue_confirm_1")
    assert shown(at.success) == ["Logged a call attempt to Ana Ruiz on Tue 8 Dec 2026: no answer."]
    assert events(queued) == [(1, "attempt", DAY, "phone", "no_answer", None)]
    assert status(queued, 1) == [(1, "attempt", DAY, "no_answer", "confirmed")]
    assert title(at) == "From your phone and mail · 19 to confirm"
    assert SEEN_IN_ORDER[1] not in shown(at.markdown)
    at = click(at, "Undo")
    assert events(queued) == []
    assert status(queued, 1) == [(1, "attempt", DAY, "no_answer", "open")]
    assert shown(at.info) == ["Undone: the step was removed. The suggestion is back in the queue."]
    assert title(at) == "From your phone and mail · 20 to confirm"


def test_confirming_a_call_conversation_opens_its_form_filled_in(queued: Path) -> None:
    at = press(queue_page(), "queue_confirm_12")  # Farah Haddad, 3 min 10 s
    assert events(queued) == []  # the form first: pitch, referrals…
    assert by_label(at.date_input, "Date").value == DAY
    assert by_label(at.selectbox, "Channel").value == "phone"
    by_label(at.checkbox, "Asked for referrals — “Who do you know that might be helpful for me "
             "to get in touch with?”").check()  # fmt: skip
    by_label(at.text_input, "Referral 1: name").input("Omar Farouk")
    by_label(at.text_input, "Referral 1: company").input("Atlas Freight")
    at = click(at, "Confirm conversation")
    assert events(queued) == [
        (12, "contacted", DAY, "phone", None, None),
        (12, "referral_asked", DAY, "phone", None, None),
    ]
    assert rows(queued, "SELECT full_name, company, referred_by FROM contacts WHERE id > 20") == [
        ("Omar Farouk", "Atlas Freight", 12)
    ]
    assert status(queued, 12) == [(12, "contacted", DAY, None, "confirmed")]
    assert shown(at.success)[0].startswith("Logged for Farah Haddad on Tue 8 Dec 2026 by phone")
    at = click(at, "Undo")
    assert events(queued) == []
    assert rows(queued, "SELECT count(*) FROM contacts") == [(20,)]
    assert status(queued, 12) == [(12, "contacted", DAY, None, "open")]


def pill(at: AppTest, key: str):
    (found,) = [group for group in at.get("button_group") if group.key == key]
    return found


def test_one_click_on_an_attempts_outcome_changes_it_and_undo_sets_it_back(queued: Path) -> None:
    at = queue_page()
    pill(at, "queue_outcome_10_no_answer").set_value("voicemail").run()  # Jon Berg, 12 s
    assert not at.exception, at.exception
    assert status(queued, 10) == [(10, "attempt", DAY, "voicemail", "open")]
    assert shown(at.success) == ["Changed: Jon Berg would log Call attempt (voicemail) · Phone."]
    assert "Would log: Call attempt (voicemail) · Phone" in shown(at.caption)
    assert events(queued) == []
    at = click(at, "Undo")
    assert status(queued, 10) == [(10, "attempt", DAY, "no_answer", "open")]
    assert pill(at, "queue_outcome_10_no_answer").value == "no_answer"
    assert shown(at.info) == ["Undone: the suggestion is as it was."]


def test_change_sets_an_outcome_a_kind_or_a_day_and_undo_sets_it_back(queued: Path) -> None:
    at = press(queue_page(), "queue_change_11")  # Kira Novak's 17 s call
    by_label(at.get("button_group"), "Outcome").set_value("voicemail")
    at = click(at, "Save the change")
    assert status(queued, 11) == [(11, "attempt", DAY, "voicemail", "open")]
    assert shown(at.success) == [
        "Changed: Kira Novak on Tue 8 Dec 2026 would log Call attempt (voicemail) · Phone."
    ]
    at = press(at, "queue_confirm_11")
    assert events(queued) == [(11, "attempt", DAY, "phone", "voicemail", None)]
    at = press(queue_page(), "queue_change_19")  # Gus's follow-up, a day earlier
    by_label(at.selectbox, "Step").set_value("thank_you")
    by_label(at.date_input, "Date").set_value(date(2026, 12, 7))
    at = click(at, "Save the change")
    assert status(queued, 19) == [(19, "thank_you", date(2026, 12, 7), None, "open")]
    assert "**Mon 7 Dec 2026**" in shown(at.markdown)
    at = click(at, "Undo")
    assert status(queued, 19) == [(19, "follow_up", DAY, None, "open")]
    assert shown(at.info) == ["Undone: the suggestion is as it was."]


def test_dismiss_writes_no_step_and_undo_brings_it_back(queued: Path) -> None:
    at = press(queue_page(), "queue_dismiss_19")
    assert shown(at.success) == [
        'Dismissed: e-mail "Quick update — new role" to gus@almeida.example.'
    ]
    assert status(queued, 19) == [(19, "follow_up", DAY, None, "dismissed")]
    assert events(queued) == []
    assert title(at) == "From your phone and mail · 19 to confirm"
    at = click(at, "Undo")
    assert status(queued, 19) == [(19, "follow_up", DAY, None, "open")]
    assert shown(at.info) == ["Undone: the suggestion is back in the queue."]


def test_confirm_all_attempts_logs_the_days_11_unanswered_calls_and_undo_takes_them_back(
    queued: Path,
) -> None:
    at = press(queue_page(), "queue_all_2026-12-08")
    assert shown(at.success) == ["Confirmed 11 call attempts of Tue 8 Dec 2026."]
    assert events(queued) == [
        (contact, "attempt", DAY, "phone", "no_answer", None) for contact in range(1, 12)
    ]
    assert rows(
        queued, "SELECT kind, status, count(*) FROM suggestions GROUP BY ALL ORDER BY ALL"
    ) == [
        ("attempt", "confirmed", 11),
        ("contacted", "open", 5),
        ("follow_up", "open", 1),
        ("thank_you", "open", 3),
    ]
    assert title(at) == "From your phone and mail · 9 to confirm"
    assert "Confirm all attempts" not in [b.label for b in at.button]
    at = click(at, "Undo")
    assert shown(at.info) == ["Undone: 11 call attempts taken back; they are back in the queue."]
    assert events(queued) == []
    assert rows(queued, "SELECT count(*) FROM suggestions WHERE status = 'open'") == [(20,)]


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        (
            "notes.txt",
            b"Dear diary\nnothing here\n",
            "it is none of the activity formats (a call log XML or CSV, an mbox, an .eml or an "
            ".ics calendar)",
        ),
        ("calls-cut.xml", (FIXTURES / FILES[0]).read_bytes()[:3000], None),
    ],
)
def test_a_bad_file_says_why_in_one_line_and_writes_nothing(
    network: Path, name: str, data: bytes, why: str | None
) -> None:
    at = queue_page()
    at.file_uploader[0].set_value([(name, data, "application/octet-stream")]).run()
    at = click(at, "Suggest steps from 1 file")
    [error] = shown(at.error)
    assert error.startswith(f"{name}: ") and error.endswith("; nothing imported")
    assert "\n" not in error
    if why:
        assert error == f"{name}: {why}; nothing imported"
    assert shown(at.success) == []
    assert rows(network, "SELECT count(*) FROM suggestions") == [(0,)]
    assert rows(network, "SELECT count(*) FROM import_batches") == [(0,)]


def test_today_links_to_the_queue_and_says_who_called_back(queued: Path) -> None:
    missed = int(datetime(2026, 12, 8, 17, 5, tzinfo=UTC).timestamp() * 1000)
    calls = (
        f'<?xml version="1.0"?>\n<calls count="1"><call number="+18015550114" duration="0" '
        f'date="{missed}" type="3" /></calls>\n'
    )
    path = queued.parent / "missed.xml"
    path.write_text(calls)
    db = open_database(queued)
    import_activity(db, path, today=TODAY, tz=TZ)
    db.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    links = [link.value for link in at.get("page_link")]
    assert "From your phone and mail · 21 to confirm" in links
    assert CALLED in shown(at.caption)
    at.switch_page(PAGE).run()
    assert "Would log: Note: They called you back · Phone" in shown(at.caption)
    assert CALLED in shown(at.caption)


def test_today_has_no_queue_line_when_nothing_waits(network: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not any("From your phone" in str(link.value) for link in at.get("page_link"))


def test_an_activity_import_is_listed_on_import_and_export_and_undone_there(queued: Path) -> None:
    db = open_database(queued)
    confirm(db, 1, today=TODAY)
    db.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/work/data.py").run()
    listed = [text for text in shown(at.markdown) if "still to confirm" in text]
    assert [text.split(" · ")[0] + " · " + text.split(" · ")[2] for text in listed] == [
        "**calendar.ics** · 1 suggested step still to confirm",
        "**all-mail.mbox** · 4 suggested steps still to confirm",
        "**calls-20261208221431.xml** · 14 suggested steps still to confirm",
    ]
    at = press(at, "undo-import-1")
    assert shown(at.warning) == [
        "Take back the 14 suggested steps of this import still to confirm? The steps you "
        "confirmed stay logged, and what you dismissed stays dismissed."
    ]
    at = press(at, "yes-undo-1")
    assert shown(at.success) == [
        "Undid import #1 (calls-20261208221431.xml): removed 0 contacts, emptied 0 filled "
        "fields, took back 14 open suggestions."
    ]
    assert rows(queued, "SELECT id, status FROM suggestions WHERE import_batch = 1") == [
        (1, "confirmed")
    ]
    assert events(queued) == [(1, "attempt", DAY, "phone", "no_answer", None)]


def test_a_meeting_still_to_come_waits_under_coming_up_and_cannot_be_confirmed_yet(
    queued: Path,
) -> None:
    db = open_database(queued)
    change(db, 20, occurred_on="2026-12-15")  # the coffee with Hana, next week
    db.close()
    at = queue_page()
    assert [h.value for h in at.subheader] == [
        "From your phone and mail · 19 to confirm",
        "Coming up",
    ]
    assert "**Tue 15 Dec 2026**" in shown(at.markdown)
    assert at.button(key="queue_confirm_20").disabled
    assert not at.button(key="queue_confirm_19").disabled
    at = press(at, "queue_dismiss_20")
    assert status(queued, 20) == [(20, "contacted", date(2026, 12, 15), None, "dismissed")]
