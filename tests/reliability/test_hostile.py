"""Hostile and odd input through the one validation layer and the library's writes.

Every input either comes back as a ValidationError naming a real field, with
nothing written, or is stored and read back exactly — after the documented
trimming (NUL removed; whitespace and zero-width characters cut from both ends;
nothing visible left means blank).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.core.errors import ValidationError
from lib.core.validation import (
    CONTACT_FIELDS,
    EARLIEST_DATE,
    EVENT_FIELDS,
    LATEST_DATE,
    MAX_NAME,
    MAX_NOTES,
    MAX_SHORT,
)
from lib.core.words import human_date
from lib.records.contacts import add_contact, count_contacts
from lib.records.events import log_event
from lib.store.db import Database, open_database

TODAY = date(2026, 11, 25)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}
# Pieces that break careless code: direction marks, joiners, combining marks, emoji, NUL,
# every kind of space, markup, very long text, and lone surrogates (undecodable bytes).
PIECES = [
    "\u202e",
    "\u200f",
    "\u202a",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u2060",
    "e\u0301\u0327\u0336",
    "Z̴̡̛a̶̢͝l̷̨̛g̸̡͠o̵̧͝",
    "👩🏽\u200d💻",
    "🏳️\u200d🌈",
    "\U0001f600",
    "\x00",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u00a0",
    "\u2003",
    "\u3000",
    "\u2028",
    "\x0b",
    "\x1b[2J",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "'; DROP TABLE contacts; --",
    "שלום",
    "مرحبا",
    "日本語",
    "x" * 10_000,
    "ש" * (MAX_NOTES + 1),
    "\udcff",
]
text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(st.characters(codec=None), max_size=20)),
    max_size=5,
).map("".join)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

Rejected = str  # the field a value must be rejected for


def expected_text(value: str, field: str, limit: int) -> str | None | Rejected:
    """The documented rule, written out again: what must be stored, or which field fails."""
    value = value.replace("\x00", "")
    while (trimmed := value.strip().strip(ZERO_WIDTH)) != value:
        value = trimmed
    if all(unicodedata.category(ch) in INVISIBLE for ch in value):
        return None
    if any("\ud800" <= ch <= "\udfff" for ch in value) or len(value) > limit:
        return Rejected(f"reject:{field}")
    return value


def is_rejection(outcome: Any) -> bool:
    return isinstance(outcome, str) and outcome.startswith("reject:")


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One file for all examples of a property (a fresh file per example would be slow)."""
    db = open_database(tmp_path_factory.mktemp("hostile") / "network.duckdb")
    yield db
    db.close()


def stored(db: Database, contact_id: int, *fields: str) -> dict[str, Any]:
    """The contact's fields as DuckDB returns them (dates as dates, NULL as None)."""
    row = db.execute(
        f"SELECT {', '.join(fields)} FROM contacts WHERE id = ?",  # names: our constants
        [contact_id],
    ).fetchone()
    return dict(zip(fields, row, strict=True))


def table_counts(db: Database) -> tuple[int, int]:
    return count_contacts(db), int(db.scalar("SELECT count(*) FROM events"))


@SETTINGS
@given(name=text, company=text, title=text, notes=text)
def test_contact_text_is_stored_exactly_or_rejected_naming_the_field(
    shared_db: Database, name: str, company: str, title: str, notes: str
) -> None:
    wanted = {
        "full_name": expected_text(name, "full_name", MAX_NAME),
        "company": expected_text(company, "company", MAX_SHORT),
        "title": expected_text(title, "title", MAX_SHORT),
        "notes": expected_text(notes, "notes", MAX_NOTES),
    }
    if wanted["full_name"] is None:
        wanted["full_name"] = "reject:full_name"  # a contact needs a name
    rejected = {v.removeprefix("reject:") for v in wanted.values() if is_rejection(v)}
    before = table_counts(shared_db)

    try:
        contact_id = add_contact(
            shared_db,
            {"full_name": name, "company": company, "title": title, "notes": notes},
            today=TODAY,
        )
    except ValidationError as exc:
        assert exc.field in rejected, f"{exc} but expected a problem with {rejected or 'nothing'}"
        assert str(exc).startswith(f"{exc.field}: ")
        assert table_counts(shared_db) == before
        return
    assert not rejected, f"stored, but {rejected} should have been refused"
    assert stored(shared_db, contact_id, *wanted) == wanted


@SETTINGS
@given(notes=text, kind=st.sampled_from(["note", "contacted", "follow_up", " Thank You "]))
def test_event_notes_are_stored_exactly_or_rejected_with_nothing_written(
    shared_db: Database, notes: str, kind: str
) -> None:
    contact_id = add_contact(shared_db, {"full_name": "Ana Ruiz"}, today=TODAY)
    want = expected_text(notes, "notes", MAX_NOTES)
    before = table_counts(shared_db)

    try:
        event_id = log_event(
            shared_db,
            {"contact_id": contact_id, "kind": kind, "notes": notes, "occurred_on": TODAY},
            today=TODAY,
        )
    except ValidationError as exc:
        assert is_rejection(want) and exc.field == "notes", str(exc)
        assert table_counts(shared_db) == before
        return
    assert not is_rejection(want)
    row = shared_db.execute(
        "SELECT contact_id, kind, occurred_on, notes FROM events WHERE id = ?", [event_id]
    ).fetchone()
    assert row == (contact_id, kind.strip().lower().replace(" ", "_"), TODAY, want)


dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.dates(min_value=EARLIEST_DATE - timedelta(days=3), max_value=EARLIEST_DATE + timedelta(3)),
    st.dates(min_value=TODAY - timedelta(days=3), max_value=TODAY + timedelta(days=3)),
)


@SETTINGS
@given(day=dates, as_text=st.booleans(), padding=st.sampled_from(["", " ", "\t", "\u3000"]))
def test_any_date_is_stored_exactly_or_refused_as_too_old_or_in_the_future(
    shared_db: Database, day: date, as_text: bool, padding: str
) -> None:
    given_value: Any = f"{padding}{day.isoformat()}{padding}" if as_text else day
    before = table_counts(shared_db)

    try:
        contact_id = add_contact(
            shared_db, {"full_name": "Ana Ruiz", "identified_on": given_value}, today=TODAY
        )
    except ValidationError as exc:
        assert exc.field == "identified_on"
        if day < EARLIEST_DATE:
            assert str(exc) == f"identified_on: {human_date(day)} is too far in the past"
        elif day > LATEST_DATE:
            assert str(exc) == (
                f"identified_on: {human_date(day)} is too far in the future "
                "(the latest date accepted is Wed 31 Dec 2200)"
            )
        else:
            assert day > TODAY
            assert str(exc) == (
                f"identified_on: {human_date(day)} is in the future (today is Wed 25 Nov 2026)"
            )
        assert table_counts(shared_db) == before
        return
    assert EARLIEST_DATE <= day <= TODAY
    assert stored(shared_db, contact_id, "identified_on") == {"identified_on": day}


@SETTINGS
@given(
    data=st.dictionaries(
        st.sampled_from(CONTACT_FIELDS),
        st.one_of(
            text,
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            st.dates(),
            st.datetimes(),
            st.lists(st.integers(), max_size=2),
        ),
        max_size=6,
    )
)
def test_any_contact_record_is_stored_or_refused_with_a_field_named_never_a_crash(
    shared_db: Database, data: dict[str, Any]
) -> None:
    before = table_counts(shared_db)
    try:
        contact_id = add_contact(shared_db, data, today=TODAY)
    except ValidationError as exc:
        assert exc.field.split()[-1] in CONTACT_FIELDS, str(exc)
        assert table_counts(shared_db) == before
        return
    assert table_counts(shared_db) == (before[0] + 1, before[1])
    assert stored(shared_db, contact_id, "full_name")["full_name"]


@SETTINGS
@given(
    data=st.dictionaries(
        st.sampled_from(EVENT_FIELDS),
        st.one_of(text, st.none(), st.booleans(), st.integers(), st.floats(), st.dates()),
        max_size=5,
    )
)
def test_any_event_record_is_stored_or_refused_never_a_crash(
    shared_db: Database, data: dict[str, Any]
) -> None:
    before = table_counts(shared_db)
    try:
        log_event(shared_db, data, today=TODAY)
    except ValidationError as exc:
        assert exc.field in EVENT_FIELDS, str(exc)
        assert table_counts(shared_db) == before
        return
    except Exception as exc:  # NotFoundError for an id that names nobody is a clear refusal
        assert type(exc).__name__ == "NotFoundError", repr(exc)
        assert table_counts(shared_db) == before
        return
    assert table_counts(shared_db)[1] == before[1] + 1


BAD_CONTACTS = [
    ({"full_name": ""}, "full_name: is required (the person's name)"),
    ({"full_name": " \t\n\u3000 "}, "full_name: is required (the person's name)"),
    ({"full_name": "\u200b\u200d\ufeff"}, "full_name: is required (the person's name)"),
    ({"full_name": "\u202e\u200f"}, "full_name: is required (the person's name)"),
    ({"full_name": "\x00\x00"}, "full_name: is required (the person's name)"),
    ({"full_name": "x" * 201}, "full_name: is too long (201 characters; at most 200)"),
    (
        {"full_name": "Ana", "notes": "n" * 20_001},
        "notes: is too long (20,001 characters; at most 20,000)",
    ),
    (
        {"full_name": "Ana \udcff"},
        "full_name: contains characters that are not text (a broken encoding)",
    ),
    (
        {"full_name": "Ana", "email": "<script>@x.com"},
        "email: '<script>@x.com' is not an email address",
    ),
    (
        {"full_name": "Ana", "linkedin_url": "javascript:alert(1)"},
        "linkedin_url: 'javascript:alert(1)' is not a web address (http:// or https://)",
    ),
    (
        {"full_name": "Ana", "linkedin_url": "data:text/html,<b>x</b>"},
        "linkedin_url: 'data:text/html,<b>x</b>' is not a web address (http:// or https://)",
    ),
    ({"full_name": "Ana", "phone": "javascript:1"}, "phone: 'javascript:1' is not a phone number"),
    ({"full_name": "Ana", "source": "<b>"}, "source: '<b>' is not one of "),
    (
        {"full_name": "Ana", "referred_by": "1 OR 1=1"},
        "referred_by: '1 OR 1=1' is not a contact id",
    ),
    ({"full_name": "Ana", "referred_by": 2**31}, f"referred_by: {2**31!r} is not a contact id"),
    (
        {"full_name": "Ana", "identified_on": "2026-02-29"},
        "identified_on: 2026-02-29 is not a real",
    ),
    (
        {"full_name": "Ana", "identified_on": "0000-00-00"},
        "identified_on: 0000-00-00 is not a real",
    ),
    ({"full_name": "Ana", "identified_on": "25/11/2026"}, "identified_on: '25/11/2026' is not a"),
    (
        {"full_name": "Ana", "identified_on": "1899-12-31"},
        "identified_on: Sun 31 Dec 1899 is too far",
    ),
    (
        {"full_name": "Ana", "identified_on": "2026-11-26"},
        "identified_on: Thu 26 Nov 2026 is in the",
    ),
    ({"full_name": "Ana", "may_use_name": "perhaps"}, "may_use_name: 'perhaps' is not yes or no"),
    ({"full_name": "Ana", "ssn": "123"}, "ssn: is not a contact field"),
]


@pytest.mark.parametrize(("data", "message"), BAD_CONTACTS)
def test_bad_contact_input_is_refused_with_its_message_and_nothing_written(
    db: Database, data: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        add_contact(db, data, today=TODAY)
    assert str(refused.value).startswith(message)
    assert table_counts(db) == (0, 0)


ODD_BUT_FINE = [
    ({"full_name": "  Ana Ruiz \u200b"}, "full_name", "Ana Ruiz"),
    ({"full_name": "\ufeffAna Ruiz"}, "full_name", "Ana Ruiz"),  # a BOM from a CSV export
    ({"full_name": "Ana\x00 Ruiz"}, "full_name", "Ana Ruiz"),
    ({"full_name": "\u202eAna Ruiz"}, "full_name", "\u202eAna Ruiz"),  # shown, not trimmed
    ({"full_name": "👩🏽\u200d💻"}, "full_name", "👩🏽\u200d💻"),  # the inner joiner stays
    ({"full_name": "x" * 200}, "full_name", "x" * 200),
    ({"full_name": "Ana", "notes": "a\r\nb\tc"}, "notes", "a\r\nb\tc"),
    ({"full_name": "Ana", "notes": "n" * 20_000}, "notes", "n" * 20_000),
    ({"full_name": "Ana", "company": "   "}, "company", None),
    ({"full_name": "Ana", "identified_on": "   "}, "identified_on", TODAY),
    ({"full_name": "Ana", "identified_on": " 1900-01-01 "}, "identified_on", date(1900, 1, 1)),
    ({"full_name": "Ana", "identified_on": "2024-02-29"}, "identified_on", date(2024, 2, 29)),
    (
        {"full_name": "Ana", "identified_on": datetime(2026, 11, 25, 23, 59)},
        "identified_on",
        TODAY,
    ),
    ({"full_name": "Ana", "email": "mailto:Ana@Example.COM"}, "email", "Ana@example.com"),
    (
        {"full_name": "Ana", "linkedin_url": "linkedin.com/in/ana"},
        "linkedin_url",
        "https://linkedin.com/in/ana",
    ),
]


@pytest.mark.parametrize(("data", "field", "value"), ODD_BUT_FINE)
def test_odd_but_valid_input_is_stored_as_documented(
    db: Database, data: dict[str, Any], field: str, value: Any
) -> None:
    contact_id = add_contact(db, data, today=TODAY)
    assert stored(db, contact_id, field) == {field: value}


def test_a_note_made_only_of_invisible_characters_is_blank(db_path: Path) -> None:
    db = open_database(db_path)
    contact_id = add_contact(db, {"full_name": "Ana"}, today=TODAY)
    event_id = log_event(
        db, {"contact_id": contact_id, "kind": "note", "notes": "\u200b\u2060 \u202e"}, today=TODAY
    )
    assert db.scalar("SELECT notes FROM events WHERE id = ?", [event_id]) is None
    db.close()
