"""The one validation layer: each bad value gets a message naming the field and the problem."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from lib.core.errors import ValidationError
from lib.core.validation import (
    clean_bool,
    clean_email,
    clean_event,
    clean_id,
    clean_phone,
    clean_text,
    clean_url,
    is_safe_link,
    parse_date,
)
from tests.conftest import TODAY

KINDS = (
    "contacted, info_interview, referral_asked, thank_you, follow_up, opportunity, attempt, note"
)
CHANNELS = "phone, in_person, email, linkedin, video, event, other"


def refused(check: Callable[..., object], *args: object, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as caught:
        check(*args, **kwargs)
    return str(caught.value)


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25", date(2026, 11, 25)),
        (" 2026-11-25\n", date(2026, 11, 25)),
        (date(2026, 2, 28), date(2026, 2, 28)),
        (datetime(2026, 11, 25, 23, 59), date(2026, 11, 25)),
        ("2028-02-29", date(2028, 2, 29)),
    ],
)
def test_dates_are_read_from_iso_text_dates_and_datetimes(value: object, expected: date) -> None:
    assert parse_date("identified_on", value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "identified_on: 2026-02-30 is not a real date"),
        ("2027-02-29", "identified_on: 2027-02-29 is not a real date"),
        ("2026-13-01", "identified_on: 2026-13-01 is not a real date"),
        ("2026-00-10", "identified_on: 2026-00-10 is not a real date"),
        ("25/11/2026", "identified_on: '25/11/2026' is not a date (use YYYY-MM-DD)"),
        ("next Tuesday", "identified_on: 'next Tuesday' is not a date (use YYYY-MM-DD)"),
        ("2026-11-25T10:00", "identified_on: '2026-11-25T10:00' is not a date (use YYYY-MM-DD)"),
        (20261125, "identified_on: 20261125 is not a date (use YYYY-MM-DD)"),
        ("1899-12-31", "identified_on: Sun 31 Dec 1899 is too far in the past"),
        ("", "identified_on: is required (a date like 2026-11-25)"),
        (None, "identified_on: is required (a date like 2026-11-25)"),
    ],
)
def test_impossible_dates_are_refused(value: object, message: str) -> None:
    assert refused(parse_date, "identified_on", value) == message


def test_an_optional_date_may_be_blank() -> None:
    assert parse_date("connected_on", "  ", required=False) is None


# ---------------------------------------------------------------- emails, phones, URLs


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ana.ruiz@blueharbor.example", "ana.ruiz@blueharbor.example"),
        ("Ana.Ruiz@BlueHarbor.EXAMPLE", "Ana.Ruiz@blueharbor.example"),
        ("mailto:ana@example.com", "ana@example.com"),
        ("first.last+jobs@sub.example.co.uk", "first.last+jobs@sub.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("josé@exämple.de", "josé@exämple.de"),
        ("user@xn--80ak6aa92e.com", "user@xn--80ak6aa92e.com"),
        ("  ", None),
    ],
)
def test_real_email_addresses_are_accepted(value: str, expected: str | None) -> None:
    assert clean_email(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "ana",
        "ana@example",
        "ana@@example.com",
        "@example.com",
        "ana@",
        "ana @example.com",
        "ana@exam ple.com",
        "ana@example..com",
        "ana@.example.com",
        "ana@example.com.",
        "ana..ruiz@example.com",
        ".ana@example.com",
        "ana.@example.com",
        "ana@-example.com",
        "ana@example-.com",
        "ana@exa_mple.com",
        "ana@example.c",
        "ana@example.c0m",
        "Ana <ana@example.com>",
        "ana@example.com, ben@example.com",
    ],
)
def test_malformed_email_addresses_are_refused(value: str) -> None:
    assert refused(clean_email, value) == f"email: {value!r} is not an email address"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # National numbers are read in the default region (US) when valid there.
        ("801.555.0142", "+1 801-555-0142"),
        ("(801) 555-0142", "+1 801-555-0142"),
        ("1-800-FLOWERS", "+1 800-356-9377"),
        # International forms, with + or 00.
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("0044 20 7946 0958", "+44 20 7946 0958"),
        ("+4917012345 67", "+49 170 1234567"),
        ("tel:+1-801-555-0142", "+1 801-555-0142"),
        # Extensions, however they are written.
        ("801-555-0142 x12", "+1 801-555-0142 ext. 12"),
        ("+1 801 555 0142 ext. 12", "+1 801-555-0142 ext. 12"),
        ("tel:+1-801-555-0142;ext=12", "+1 801-555-0142 ext. 12"),
    ],
)
def test_phone_numbers_are_stored_in_international_form(value: str, expected: str) -> None:
    assert clean_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+1 555-0100", "+1 555-0100"),
        ("tel:+15550100", "+15550100"),
        ("(555) 010-0100 ext. 12", "(555) 010-0100 ext. 12"),
        ("555  0101", "555 0101"),
        # A national number of another country: no country is guessed for it.
        ("020 7946 0958", "020 7946 0958"),
        ("+1 555 0100;ext=7", "+1 555 0100 ext. 7"),
    ],
)
def test_numbers_libphonenumber_does_not_know_are_kept_as_written(
    value: str, expected: str
) -> None:
    assert clean_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    ["801.555.0142 x12", "+44 20 7946 0958", "0044 20 7946 0958", "+1 555-0100", "555  0101"],
)
def test_cleaning_a_stored_phone_again_leaves_it_unchanged(value: str) -> None:
    stored = clean_phone(value)
    assert clean_phone(stored) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12", "phone: '12' is not a phone number"),
        ("call me", "phone: 'call me' is not a phone number"),
        ("555-CALL-NOW", "phone: '555-CALL-NOW' is not a phone number"),
        ("tel:abc", "phone: 'abc' is not a phone number"),
        ("+1 2", "phone: '+1 2' is not a phone number"),
        ("BusinessPhone", "phone: 'BusinessPhone' is not a phone number"),
        ("1" * 51, "phone: is too long (51 characters; at most 50)"),
    ],
)
def test_things_that_are_not_phone_numbers_are_refused(value: str, message: str) -> None:
    assert refused(clean_phone, value) == message


def test_a_blank_phone_is_none() -> None:
    assert (clean_phone("  "), clean_phone(None)) == (None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.linkedin.com/in/ana-ruiz", "https://www.linkedin.com/in/ana-ruiz"),
        ("http://example.com/a?b=c#d", "http://example.com/a?b=c#d"),
        ("linkedin.com/in/ana-ruiz", "https://linkedin.com/in/ana-ruiz"),
        ("www.linkedin.com/in/ana-ruiz", "https://www.linkedin.com/in/ana-ruiz"),
    ],
)
def test_web_addresses_are_accepted(value: str, expected: str) -> None:
    assert clean_url("linkedin_url", value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.com/cv.pdf",
        "mailto:ana@example.com",
        "//example.com",
        "example.com",
        "https://",
        "https:///path",
        "https://exa mple.com",
        "https://example.com/\tx",
        "https://example.com/\njavascript:alert(1)",
        "https://[::1",
    ],
)
def test_urls_that_are_not_http_are_refused(value: str) -> None:
    assert refused(clean_url, "linkedin_url", value) == (
        f"linkedin_url: {value!r} is not a web address (http:// or https://)"
    )


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com", True),
        ("HTTP://example.com", True),
        ("mailto:ana@example.com", True),
        ("tel:+15550100", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
        ("https://[::1", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_mailto_and_tel_links_are_safe(url: str | None, safe: bool) -> None:
    assert is_safe_link(url) is safe


# ---------------------------------------------------------------- text, ids, yes/no


def test_text_is_trimmed_blank_is_none_and_nul_is_dropped() -> None:
    assert clean_text("company", "  Blue Harbor \x00 ") == "Blue Harbor"
    assert clean_text("company", " \t ") is None
    assert clean_text("company", 42) == "42"
    assert refused(clean_text, "company", "x" * 301) == (
        "company: is too long (301 characters; at most 300)"
    )


@pytest.mark.parametrize(("value", "expected"), [("3", 3), (" 4 ", 4), (7, 7), (None, None)])
def test_ids_are_positive_whole_numbers(value: object, expected: int | None) -> None:
    assert clean_id("referred_by", value, required=False) == expected


@pytest.mark.parametrize("value", ["0", "-1", "x", True, 2**31, 3.7, "3.0"])
def test_things_that_are_not_ids_are_refused(value: object) -> None:
    assert refused(clean_id, "referred_by", value, required=True) == (
        f"referred_by: {value!r} is not a contact id"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", True), ("Y", True), ("1", True), (False, False), ("no", False), ("", None)],
)
def test_yes_and_no_words(value: object, expected: bool | None) -> None:
    assert clean_bool("may_use_name", value) is expected


def test_a_word_that_is_not_yes_or_no_is_refused() -> None:
    assert refused(clean_bool, "may_use_name", "maybe") == "may_use_name: 'maybe' is not yes or no"


# ---------------------------------------------------------------- events


def test_an_event_is_cleaned_forgiving_case_and_spaces() -> None:
    clean = clean_event(
        {"contact_id": "3", "kind": "Thank you", "channel": "In person", "notes": "  Coffee. "},
        today=TODAY,
    )
    assert clean == {
        "contact_id": 3,
        "kind": "thank_you",
        "occurred_on": TODAY,
        "channel": "in_person",
        "notes": "Coffee.",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact_id": 1, "kind": "lunch"}, f"kind: 'lunch' is not one of {KINDS}"),
        ({"contact_id": 1}, f"kind: is required (one of {KINDS})"),
        (
            {"contact_id": 1, "kind": "note", "channel": "fax"},
            f"channel: 'fax' is not one of {CHANNELS}",
        ),
        (
            {"contact_id": 1, "kind": "contacted", "occurred_on": "2026-11-26"},
            "occurred_on: Thu 26 Nov 2026 is in the future (today is Wed 25 Nov 2026)",
        ),
        (
            {"contact_id": 1, "kind": "contacted", "occurred_on": "2026-11-31"},
            "occurred_on: 2026-11-31 is not a real date",
        ),
        ({"kind": "contacted"}, "contact_id: is required"),
        ({"contact_id": 1, "kind": "contacted", "where": "café"}, "where: is not an event field"),
    ],
)
def test_a_bad_event_is_refused_with_its_message(data: dict, message: str) -> None:
    assert refused(clean_event, data, today=TODAY) == message
