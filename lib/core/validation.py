"""The one validation layer: forms, imports and the CLI all pass through here.

Each check raises ValidationError naming the field and the reason; nothing is
written until a whole record is clean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from lib.core.columns import COMPANY_ENTERED, CONTACTS, EVENTS
from lib.core.errors import ValidationError
from lib.core.vocab import ATTEMPT_OUTCOMES, CHANNELS, EVENT_KINDS, SOURCES
from lib.core.words import human_date

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

MAX_NAME = 200
MAX_SHORT = 300
MAX_NOTES = 20_000
# The one range of dates the product accepts, at every entry (forms, files, CLI, URLs):
# wide enough for any real job search, narrow enough that every date sum stays in range.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)

# Local part: dot-separated runs (no leading, trailing or doubled dots). Domain: labels of
# letters and digits (any script) with inner hyphens, then a top-level domain of letters.
_EMAIL_ATOM = r"[^@\s<>()\[\],;:\".]+"
_DOMAIN_LABEL = r"[^\W_](?:(?:[^\W_]|-)*[^\W_])?"
_EMAIL = re.compile(
    rf"^{_EMAIL_ATOM}(?:\.{_EMAIL_ATOM})*@(?:{_DOMAIN_LABEL}\.)+(?:[^\W\d_]{{2,}}|xn--[^\W_][\w-]*)$"
)
# A phone written without its country code is read in this region: an export names no country,
# and most files that leave it out are American (Outlook, Google, iPhone in the US).
DEFAULT_PHONE_REGION = "US"
_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"^[0-9+()./\- ]+(?:\s*(?:x|ext\.?)\s*[0-9]+)?$", re.IGNORECASE)
SAFE_LINK_SCHEMES = ("http", "https", "mailto", "tel")
# Trimmed from the ends of text like whitespace: zero-width space, (non-)joiners, word joiner, BOM.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Characters that show nothing on their own: controls, format marks, separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})

# The fields a person gives, from the one description of the columns (lib/core/columns.py).
CONTACT_FIELDS: tuple[str, ...] = CONTACTS.names(entered=True)
# A step logged by hand (a call attempt adds its outcome and call-back day: ATTEMPT_FIELDS).
EVENT_FIELDS: tuple[str, ...] = tuple(
    n for n in EVENTS.names(entered=True) if n not in ("outcome", "call_back_on")
)


def clean_text(field: str, value: Any, *, limit: int = MAX_SHORT) -> str | None:
    """Trim a free-text value; blank becomes None; too long or broken text is rejected.

    Trimming removes NUL characters, then whitespace and zero-width characters
    (U+200B–U+200D, U+2060, BOM) at both ends. A value with nothing visible left
    (only spaces, controls or format marks) is blank. The rest is stored exactly.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    # NUL cannot be stored by DuckDB's VARCHAR and is never meaningful text.
    value = _trim(value.replace("\x00", ""))
    if not any(unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in value):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, e.g. undecodable bytes in a command argument
        raise ValidationError(
            field, "contains characters that are not text (a broken encoding)"
        ) from None
    if len(value) > limit:
        raise ValidationError(field, f"is too long ({len(value):,} characters; at most {limit:,})")
    return value


def _trim(text: str) -> str:
    while True:
        trimmed = text.strip().strip(_ZERO_WIDTH)
        if trimmed == text:
            return text
        text = trimmed


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(field: str, value: Any, *, required: bool = True) -> date | None:
    """Accept a date, a datetime or an ISO `YYYY-MM-DD` string; reject impossible dates."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, "is required (a date like 2026-11-25)")
        return None
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            result = date.fromisoformat(text)
        except ValueError:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValidationError(field, f"{text} is not a real date") from None
            raise ValidationError(field, f"{text!r} is not a date (use YYYY-MM-DD)") from None
    else:
        raise ValidationError(field, f"{value!r} is not a date (use YYYY-MM-DD)")
    if result < EARLIEST_DATE:
        raise ValidationError(field, f"{human_date(result)} is too far in the past")
    if result > LATEST_DATE:
        latest = human_date(LATEST_DATE)
        too_far = f"is too far in the future (the latest date accepted is {latest})"
        raise ValidationError(field, f"{human_date(result)} {too_far}")
    return result


def not_in_future(field: str, value: date | None, today: date) -> date | None:
    """Reject a date after today: the record says something already happened."""
    if value is not None and value > today:
        raise ValidationError(
            field, f"{human_date(value)} is in the future (today is {human_date(today)})"
        )
    return value


def clean_email(value: Any) -> str | None:
    """A plausible address (something@domain.tld), lower-cased domain."""
    text = clean_text("email", value)
    if text is None:
        return None
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    if not _EMAIL.match(text):
        raise ValidationError("email", f"{text!r} is not an email address")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def clean_phone(value: Any) -> str | None:
    """A phone number in its one stored form, for forms, the CLI and every importer alike.

    Read by libphonenumber (`phonenumbers`): extensions (`x12`, `ext. 12`, `tel:…;ext=12`)
    and international forms (`+44 …`, `0044 …`) are understood. The stored form:

    - a number libphonenumber knows as valid is stored in international form with any
      extension as ` ext. 12`: `+1 801-555-0142 ext. 12`, `+44 20 7946 0958`;
    - a number written without its country code is read in DEFAULT_PHONE_REGION, and only
      when it is valid there (`801.555.0142` → `+1 801-555-0142`);
    - any other number (a national number of another country, one libphonenumber does not
      know as valid) is kept as written, spaces collapsed: a guessed country would be worse
      than none. It still needs digits and only the usual punctuation (+, spaces, dashes,
      brackets, dots, `ext`).

    Cleaning a stored phone again gives it back unchanged.
    """
    text = clean_text("phone", value, limit=50)
    if text is None:
        return None
    if text.lower().startswith("tel:"):
        text = text[4:].strip()
    number, _ = _parse_phone(text)
    if number is not None:
        import phonenumbers  # loaded already by _parse_phone; see there why it is lazy

        if phonenumbers.is_valid_number(number):
            extension = number.extension
            number.extension = None
            shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            return f"{shown} ext. {extension}" if extension else shown
    # Kept as written (RFC 3966's ";ext=" in the words people use).
    kept = re.sub(r";\s*ext\s*=\s*", " ext. ", _SPACES.sub(" ", text), flags=re.IGNORECASE)
    if not _PHONE.match(kept) or sum(ch.isdigit() for ch in kept) < 3:
        raise ValidationError("phone", f"{text!r} is not a phone number")
    return kept


def read_phone_number(value: str | None) -> PhoneNumber | None:
    """The number libphonenumber reads in a phone text, or None when no country is known for it.

    Written with its country code (`+` or `00`), the number is read in that country, valid or
    not; without one, in DEFAULT_PHONE_REGION, and only when it is a valid number there.
    """
    number, international = _parse_phone(value)
    if number is None or international:
        return number
    import phonenumbers  # loaded already by _parse_phone; see there why it is lazy

    return number if phonenumbers.is_valid_number(number) else None


def _parse_phone(value: str | None) -> tuple[PhoneNumber | None, bool]:
    """Parse a phone text: the number (or None) and whether the text gives its country code.

    A text without one is read in DEFAULT_PHONE_REGION.
    """
    if not value:
        return None, False
    text = _SPACES.sub(" ", str(value)).strip()
    if text.lower().startswith("tel:"):
        text = text[4:].strip()
    international = text.startswith(("+", "00"))
    if not any(ch.isdigit() for ch in text):
        return None, international
    # Imported here: `stats --json` loads this module, and phonenumbers costs about 25 ms.
    import phonenumbers

    try:
        number = phonenumbers.parse(
            "+" + text[2:] if text.startswith("00") else text,
            None if international else DEFAULT_PHONE_REGION,
        )
    except phonenumbers.NumberParseException:
        return None, international
    return number, international


def clean_url(field: str, value: Any) -> str | None:
    """An absolute http(s) URL with a host; any other scheme is rejected."""
    text = clean_text(field, value, limit=2000)
    if text is None:
        return None
    if re.match(r"^(www\.)?linkedin\.com/", text, re.IGNORECASE):
        text = "https://" + text
    try:
        parsed = urlparse(text)
    except ValueError:  # e.g. an unclosed IPv6 bracket: "https://[::1"
        parsed = None
    if (
        parsed is None
        or parsed.scheme.lower() not in ("http", "https")
        or not parsed.netloc
        or any(ch.isspace() for ch in text)
    ):
        raise ValidationError(field, f"{text!r} is not a web address (http:// or https://)")
    return text


def is_safe_link(url: str | None) -> bool:
    """True for the only links the app renders: http(s), mailto and tel."""
    if not url:
        return False
    try:
        scheme = urlparse(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_LINK_SCHEMES


def clean_choice(field: str, value: Any, choices: tuple[str, ...], *, required: bool) -> str | None:
    """One of a fixed list of words (case and spaces forgiven)."""
    text = clean_text(field, value)
    if text is None:
        if required:
            raise ValidationError(field, f"is required (one of {', '.join(choices)})")
        return None
    word = text.lower().replace(" ", "_").replace("-", "_")
    if word not in choices:
        raise ValidationError(field, f"{text!r} is not one of {', '.join(choices)}")
    return word


def clean_bool(field: str, value: Any) -> bool | None:
    """True/False from a bool or the usual words; None stays None."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "none", "null"):
        return None
    if text in ("1", "true", "yes", "y", "t"):
        return True
    if text in ("0", "false", "no", "n", "f"):
        return False
    raise ValidationError(field, f"{value!r} is not yes or no")


def clean_id(field: str, value: Any, *, required: bool, what: str = "contact id") -> int | None:
    """A positive integer id (`what` names it in the message: "'x' is not a contact id")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, "is required")
        return None
    if isinstance(value, bool):
        raise ValidationError(field, f"{value!r} is not a {what}")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError(field, f"{value!r} is not a {what}") from None
    if number <= 0 or number > 2**31 - 1:
        raise ValidationError(field, f"{value!r} is not a {what}")
    return number


def clean_contact(data: Mapping[str, Any], *, today: date, partial: bool = False) -> dict[str, Any]:
    """Check a contact's fields; return the clean values, ready to store.

    With `partial`, only the given fields are checked (for an edit).
    """
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a contact field")
    out: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or name in data

    if wanted("full_name"):
        name = clean_text("full_name", data.get("full_name"), limit=MAX_NAME)
        if name is None:
            raise ValidationError("full_name", "is required (the person's name)")
        out["full_name"] = name
    for name in ("company", "title"):
        if wanted(name):
            out[name] = clean_text(name, data.get(name))
    if wanted("notes"):
        out["notes"] = clean_text("notes", data.get("notes"), limit=MAX_NOTES)
    if wanted("email"):
        out["email"] = clean_email(data.get("email"))
    if wanted("phone"):
        out["phone"] = clean_phone(data.get("phone"))
    if wanted("linkedin_url"):
        out["linkedin_url"] = clean_url("linkedin_url", data.get("linkedin_url"))
    if wanted("referred_by"):
        out["referred_by"] = clean_id("referred_by", data.get("referred_by"), required=False)
    if wanted("may_use_name"):
        out["may_use_name"] = clean_bool("may_use_name", data.get("may_use_name"))
    if wanted("source"):
        source = clean_choice("source", data.get("source"), SOURCES, required=False)
        if source is None:
            source = "referral" if out.get("referred_by") else "other"
        out["source"] = source
    if wanted("identified_on"):
        given = data.get("identified_on")
        identified = parse_date("identified_on", today if _blank(given) else given)
        out["identified_on"] = not_in_future("identified_on", identified, today)
    if wanted("connected_on"):
        connected = parse_date("connected_on", data.get("connected_on"), required=False)
        out["connected_on"] = not_in_future("connected_on", connected, today)
    if wanted("archived"):
        out["archived"] = bool(clean_bool("archived", data.get("archived")))
    if out.get("referred_by") is None and out.get("may_use_name") is not None and not partial:
        out["may_use_name"] = None  # only a referral has a referrer's name to use
    return out


def clean_event(data: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """Check an event's fields; return the clean values, ready to store."""
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not an event field")
    given = data.get("occurred_on")
    occurred = parse_date("occurred_on", today if _blank(given) else given)
    return {
        "contact_id": clean_id("contact_id", data.get("contact_id"), required=True),
        "kind": clean_choice("kind", data.get("kind"), EVENT_KINDS, required=True),
        "occurred_on": not_in_future("occurred_on", occurred, today),
        "channel": clean_choice("channel", data.get("channel"), CHANNELS, required=False),
        "notes": clean_text("notes", data.get("notes"), limit=MAX_NOTES),
    }


ATTEMPT_FIELDS: tuple[str, ...] = tuple(n for n in EVENTS.names(entered=True) if n != "kind")


def clean_attempt(data: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """Check a call attempt: its contact, day, outcome and (for "call back") the day to call.

    Returns an event ready to store (kind `attempt`, channel phone unless given).
    """
    unknown = set(data) - set(ATTEMPT_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a call attempt field")
    outcome = clean_choice("outcome", data.get("outcome"), ATTEMPT_OUTCOMES, required=True)
    event = clean_event(
        {
            "contact_id": data.get("contact_id"),
            "kind": "attempt",
            "occurred_on": data.get("occurred_on"),
            "channel": data.get("channel") or "phone",
            "notes": data.get("notes"),
        },
        today=today,
    )
    call_back = parse_date("call_back_on", data.get("call_back_on"), required=False)
    if call_back is not None and outcome != "call_back":
        raise ValidationError("call_back_on", "only goes with “asked to call back later”")
    if call_back is not None and call_back < today:
        raise ValidationError(
            "call_back_on",
            f"{human_date(call_back)} is in the past (today is {human_date(today)}); "
            "pick today or a later day",
        )
    return {**event, "outcome": outcome, "call_back_on": call_back}


# A company's Motivation (1–5) and Posting (1 none, 2 any posting, 3 one for my target role).
MOTIVATION_RANGE = (1, 5)
POSTING_RANGE = (1, 3)


def clean_level(field: str, value: Any, bounds: tuple[int, int]) -> int | None:
    """A whole number within `bounds` (Motivation, Posting); blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    number = int(text) if not isinstance(value, bool) and text.isdecimal() and len(text) < 4 else 0
    if not bounds[0] <= number <= bounds[1]:
        raise ValidationError(
            field, f"{value!r} is not a whole number from {bounds[0]} to {bounds[1]}"
        )
    return number


def clean_company(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check a target company's fields; return the clean values, ready to store.

    With `partial`, only the given fields are checked (for an edit).
    """
    unknown = set(data) - set(COMPANY_ENTERED)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a company field")
    out: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or name in data

    if wanted("name"):  # the key (lib.core.keys.company_key) is the caller's
        name = clean_text("name", data.get("name"), limit=MAX_NAME)
        if name is None:
            raise ValidationError("name", "is required (the company's name)")
        out["name"] = name
    if wanted("website"):
        out["website"] = clean_url("website", data.get("website"))
    if wanted("motivation"):
        out["motivation"] = clean_level("motivation", data.get("motivation"), MOTIVATION_RANGE)
    if wanted("posting"):
        out["posting"] = clean_level("posting", data.get("posting"), POSTING_RANGE)
    if wanted("notes"):
        out["notes"] = clean_text("notes", data.get("notes"), limit=MAX_NOTES)
    if wanted("archived"):
        out["archived"] = bool(clean_bool("archived", data.get("archived")))
    return out
