"""Recognising LinkedIn profile URLs, and the keys that say two records are the same person."""

from __future__ import annotations

import re

_LINKEDIN = re.compile(
    r"^(?:[a-z][a-z0-9+.\-]*:(?://)?)?(?:[a-z0-9\-]+\.)*linkedin\.com/(?:in|pub)/[^\s]+$",
    re.IGNORECASE,
)


def linkedin_profile(url: str | None) -> str | None:
    """The URL when it points at a LinkedIn profile (/in/… or /pub/…), else None."""
    if not url:
        return None
    text = url.strip()
    return text if _LINKEDIN.match(text) else None


def url_key_sql(column: str) -> str:
    """SQL for a profile URL's matching key: no scheme, host, query, case or trailing slash.

    `https://www.linkedin.com/in/Ana-Ruiz/?trk=x` and `linkedin.com/in/ana-ruiz` share a key.
    `column` is always one of our own column expressions, never user input.
    """
    return (
        "nullif(rtrim(regexp_replace(regexp_replace(lower(trim("
        f"{column})), '^([a-z][a-z0-9+.-]*://)?[^/]*', ''), '[?#].*$', ''), '/'), '')"
    )


def email_key_sql(column: str) -> str:
    """SQL for an email's matching key: trimmed and lower-cased."""
    return f"nullif(lower(trim({column})), '')"


def name_key_sql(name: str, company: str) -> str:
    """SQL for the name + company key: lower-case, single spaces; no company matches no company."""
    return (
        f"lower(regexp_replace(trim({name}), '\\s+', ' ', 'g')) || '|' || "
        f"lower(regexp_replace(trim(coalesce({company}, '')), '\\s+', ' ', 'g'))"
    )
