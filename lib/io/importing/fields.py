"""Phone numbers, e-mail addresses and LinkedIn URLs as address books write them.

Phones are read by `lib.core.validation.clean_phone` (libphonenumber), the one cleaning every
entry shares; its docstring says the stored form. A value with no digits ("BusinessPhone",
"Privattelefon": Outlook's and CardBook's label words) is not a number: it is left out and
the summary says so.

E-mail addresses go through `email-validator` (syntax only, no network): `mailto:` and a
display name (`Ana Ruiz <ana@x.com>`) are read, the domain is lower-cased, and an address
the app's own check refuses (no dot in the domain, spaces) is left out with its reason.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from email_validator import EmailNotValidError, validate_email

from lib.core.errors import ValidationError
from lib.core.validation import clean_email, clean_phone

_SLUG = re.compile(r"linkedin\.com/(?:in|pub)/([^/?#\s]+)", re.IGNORECASE)
_LINKEDIN = re.compile(
    r"^(?:[a-z][a-z0-9+.\-]*:(?://)?)?(?:[a-z0-9\-]+\.)*linkedin\.com/(?:in|pub)/[^\s]+$",
    re.IGNORECASE,
)


def read_phone(value: str) -> str:
    """One phone number in its stored form; raises ValidationError('phone') when it is none."""
    phone = clean_phone(value)
    if phone is None:  # only invisible characters
        raise ValidationError("phone", f"{value.strip()!r} is not a phone number")
    return phone


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


def linkedin_profile(url: str | None) -> str | None:
    """The URL when it points at a LinkedIn profile (/in/… or /pub/…), else None."""
    if not url:
        return None
    text = url.strip()
    return text if _LINKEDIN.match(text) else None


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
