"""Phone numbers and e-mail addresses as address books write them, read into one stored form.

Phones go through `phonenumbers` (Google's libphonenumber): extensions (`x12`, `ext. 12`,
`tel:…;ext=12`) and international forms (`+44 …`, `0044 …`) are understood. The policy:

- a valid number written with its country code (`+` or `00`) is stored in international
  form, `+44 20 7946 0958`, with any extension as ` ext. 12`;
- a number without one is read as North American (DEFAULT_REGION) only when it is a valid
  number there (`801.555.0142` → `+1 801-555-0142`): an export names no country, and most
  files that leave it out are American (Outlook, Google, iPhone in the US);
- any other number (a national number of another country, a number libphonenumber does not
  know as valid) is kept as written, trimmed: a guessed country would be worse than none;
- a value with no digits ("BusinessPhone", "Privattelefon": Outlook's and CardBook's label
  words) is not a number: it is left out and the summary says so.

E-mail addresses go through `email-validator` (syntax only, no network): `mailto:` and a
display name (`Ana Ruiz <ana@x.com>`) are read, the domain is lower-cased, and an address
the app's own check refuses (no dot in the domain, spaces) is left out with its reason.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from lib.core.errors import ValidationError
from lib.core.validation import clean_email, clean_phone

DEFAULT_REGION = "US"
_INTERNATIONAL = phonenumbers.PhoneNumberFormat.INTERNATIONAL
_SPACES = re.compile(r"\s+")
_SLUG = re.compile(r"linkedin\.com/(?:in|pub)/([^/?#\s]+)", re.IGNORECASE)


def read_phone(value: str) -> str:
    """One phone number in its stored form; raises ValidationError('phone') when it is none."""
    text = _SPACES.sub(" ", str(value)).strip()
    if text.lower().startswith("tel:"):
        text = text[4:].strip()
    if not any(ch.isdigit() for ch in text):
        raise ValidationError("phone", "not a phone number")
    international = text.startswith("+") or text.startswith("00")
    try:
        number = phonenumbers.parse(
            "+" + text[2:] if text.startswith("00") else text,
            None if international else DEFAULT_REGION,
        )
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        extension = number.extension
        number.extension = None
        shown = phonenumbers.format_number(number, _INTERNATIONAL)
        return f"{shown} ext. {extension}" if extension else shown
    # Kept as written (RFC 3966's ";ext=" in the words people use).
    text = re.sub(r";\s*ext\s*=\s*", " ext. ", text, flags=re.IGNORECASE)
    try:
        cleaned = clean_phone(text)
    except ValidationError:
        cleaned = None
    if cleaned is None:
        raise ValidationError("phone", "not a phone number")
    return cleaned


def read_email(value: str) -> str:
    """One e-mail address in its stored form; raises ValidationError('email') when it is none."""
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = unquote(text[7:].strip())
    try:
        found = validate_email(
            text,
            check_deliverability=False,
            globally_deliverable=False,
            allow_display_name=True,
        ).normalized
    except EmailNotValidError as exc:
        reason = str(exc)
        # A reserved name (example.local) is still somebody's address in a company network.
        if "special-use or reserved" not in reason:
            reason = reason.rstrip(".")
            raise ValidationError("email", reason[:1].lower() + reason[1:]) from None
        found = text
    try:
        cleaned = clean_email(found)
    except ValidationError:
        raise ValidationError("email", "not a complete address (name@domain.tld)") from None
    if cleaned is None:
        raise ValidationError("email", "blank")
    return cleaned


def name_from_email(email: str | None) -> str | None:
    """The address itself names a person with no name, as address books show it."""
    return email or None


def name_from_linkedin(url: str | None) -> str | None:
    """`linkedin.com/in/ana-ruiz-12ab` → `ana-ruiz-12ab`, the profile's own name in the URL."""
    if not url:
        return None
    match = _SLUG.search(url)
    if not match:
        return None
    slug = unquote(match.group(1)).strip()
    return slug or None
