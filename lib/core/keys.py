"""The keys that say two records are the same person or the same company.

Each key is written once: as SQL for matching inside DuckDB (a whole file or every contact at
once), or in Python where the rule needs a library (phones) or a value is matched one at a
time. The SQL helpers take one of our own column expressions, never user input.
"""

from __future__ import annotations

import re
import unicodedata

from lib.core.validation import read_phone_number

# Legal-form words dropped from the end of a company's name ("S.A." is read as "sa").
COMPANY_SUFFIXES: tuple[str, ...] = (
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "gmbh",
    "corp",
    "corporation",
    "co",
    "plc",
    "ag",
    "sa",
    "bv",
    "nv",
)
_SUFFIX_SET = frozenset(COMPANY_SUFFIXES)
# Letters and digits of any script; everything else separates words.
_WORD = re.compile(r"[^\W_]+")
# Dots and apostrophes join what they separate: "S.A." is "sa", "O'Neil" is "oneil".
_JOINERS = re.compile(r"[.'’]")


def url_key_sql(column: str) -> str:
    """SQL for a profile URL's matching key: no scheme, host, query, case or trailing slash.

    `https://www.linkedin.com/in/Ana-Ruiz/?trk=x` and `linkedin.com/in/ana-ruiz` share a key.
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


def name_words_sql(column: str) -> str:
    """SQL for a name's words, compared by similarity: lower-case, no accents or punctuation."""
    return f"trim(regexp_replace(lower(strip_accents({column})), '[^\\pL\\pN]+', ' ', 'g'))"


def company_key(name: str | None) -> str | None:
    """A company's matching key: "Acme, Inc.", "ACME Inc" and "acme inc." are all "acme".

    Case, accents and punctuation go; legal-form words (COMPANY_SUFFIXES) go from the end,
    but never the first word ("Co." alone stays "co"). None when no letter or digit is left.
    """
    if not name:
        return None
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if unicodedata.category(ch) != "Mn"
    )
    words = _WORD.findall(_JOINERS.sub("", plain.casefold()))
    while len(words) > 1 and words[-1] in _SUFFIX_SET:
        words.pop()
    return " ".join(words) or None


def company_key_sql(column: str) -> str:
    """SQL for `company_key`: the same rules in DuckDB, NULL when nothing is left."""
    words = (
        "trim(regexp_replace(regexp_replace(lower(strip_accents("
        f"{column})), '[.''’]', '', 'g'), '[^\\pL\\pN]+', ' ', 'g'))"
    )
    suffixes = "|".join(COMPANY_SUFFIXES)
    return f"nullif(regexp_replace({words}, '( ({suffixes}))+$', ''), '')"


def phone_key(phone: str | None) -> str | None:
    """A phone number's matching key: E.164 digits with no extension ("+18015550142").

    Any form of a number gives the same key (`801.555.0142`, `+1 801-555-0142 ext. 12`,
    `tel:+18015550142`). None when no country is known for it: blank, not a number, or a
    national number that is not valid in the default region (see `clean_phone`).
    """
    number = read_phone_number(phone)
    if number is None:
        return None
    import phonenumbers  # loaded already by read_phone_number (see _parse_phone: why lazy)

    number.extension = None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
