"""vCard 2.1, 3.0 and 4.0 files (several cards each), read with vobject one card at a time.

One damaged card is reported and skipped; the others still import.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import vobject

from lib.core.errors import ValidationError
from lib.io.importing.model import ParsedImport
from lib.io.importing.urls import linkedin_profile

_BEGIN = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*END\s*:\s*VCARD\s*$", re.IGNORECASE)
_QP = re.compile(r"^[^:]*QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)


def split_cards(text: str) -> list[tuple[int, str | None]]:
    """(card number, card text) per BEGIN:VCARD…END:VCARD; None for a card cut short."""
    cards: list[tuple[int, str | None]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if _BEGIN.match(line):
            if current is not None:
                cards.append((len(cards) + 1, None))
            current = [line.strip()]
        elif current is not None:
            current.append(line)
            if _END.match(line):
                cards.append((len(cards) + 1, _join_soft_breaks(current)))
                current = None
    if current is not None:
        cards.append((len(cards) + 1, None))
    return cards


def _join_soft_breaks(lines: list[str]) -> str:
    """vCard 2.1 quoted-printable values continue on the next line after a trailing `=`."""
    out: list[str] = []
    joining = False
    for line in lines:
        if joining:
            out[-1] = out[-1][:-1] + line.lstrip()
        else:
            out.append(line)
        joining = bool(_QP.match(out[-1])) and out[-1].endswith("=")
    return "\r\n".join(out) + "\r\n"


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if _text(v))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip() if value else ""


def _preferred(lines: list[Any]) -> list[str]:
    """Values of repeated properties (EMAIL, TEL), the preferred one first."""

    def is_preferred(line: Any) -> bool:
        # 2.1: TEL;CELL;PREF (bare words); 3.0: TYPE=pref; 4.0: PREF=1.
        types = {t.lower() for value in line.params.get("TYPE", []) for t in value.split(",")}
        bare = {str(p).lower() for p in getattr(line, "singletonparams", [])}
        return "pref" in types | bare or "PREF" in line.params

    ordered = sorted(lines, key=lambda line: not is_preferred(line))
    values: list[str] = []
    for line in ordered:
        value = _text(line.value)
        if value and value.lower() not in (v.lower() for v in values):
            values.append(value)
    return values


def _name(card: Any) -> str:
    if "fn" in card.contents:
        name = _text(card.fn.value)
        if name:
            return name
    if "n" in card.contents:
        n = card.n.value
        if isinstance(n, vobject.vcard.Name):
            parts = (n.prefix, n.given, n.additional, n.family, n.suffix)
            return " ".join(_text(p) for p in parts if _text(p))
        return _text(n)
    return ""


def _linkedin_url(card: Any) -> str | None:
    urls = [_text(line.value) for line in card.contents.get("url", [])]
    for key in ("x-socialprofile", "x-linkedin"):
        urls += [_text(line.value) for line in card.contents.get(key, [])]
    # Google escapes URLs as if they were text (`https\://…`); vobject leaves URIs as they are.
    found = [u for u in (re.sub(r"\\(.)", r"\1", u) for u in urls) if linkedin_profile(u)]
    return found[0] if found else None


def card_fields(card: Any) -> dict[str, Any]:
    """The Warm Leads fields of one parsed card; extra emails and phones go into the notes."""
    contents = card.contents
    org = contents.get("org")
    company = ""
    if org:
        value = org[0].value
        company = _text(value[0] if isinstance(value, list) and value else value)
    title = _text(contents["title"][0].value) if "title" in contents else ""
    if not title and "role" in contents:
        title = _text(contents["role"][0].value)
    emails = _preferred(contents.get("email", []))
    phones = _preferred(contents.get("tel", []))
    notes = "\n".join(_text(line.value) for line in contents.get("note", []) if line.value)
    extra = []
    if len(emails) > 1:
        extra.append("Other email: " + ", ".join(emails[1:]))
    if len(phones) > 1:
        extra.append("Other phone: " + ", ".join(phones[1:]))
    return {
        "full_name": _name(card),
        "company": company,
        "title": title,
        "email": emails[0] if emails else None,
        "phone": phones[0] if phones else None,
        "linkedin_url": _linkedin_url(card),
        "notes": "\n".join(p for p in (notes, *extra) if p),
        "source": "other",
    }


def parse_vcard(text: str, *, today: date) -> ParsedImport:
    """Read every card of a .vcf file."""
    parsed = ParsedImport("vcard", unit="card")
    cards = split_cards(text)
    if not cards:
        raise ValidationError("file", "has no vCard in it (BEGIN:VCARD … END:VCARD)")
    for number, card_text in cards:
        if card_text is None:
            parsed.problem(number, "has no END:VCARD (the file may be cut short)")
            continue
        try:
            card = vobject.readOne(card_text)
            fields = card_fields(card)
        except Exception as exc:  # vobject raises many kinds for damaged input
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            reason = re.sub(r"^At line \d+: ", "", reason)
            parsed.problem(number, f"could not be read ({reason[:120]})")
            continue
        parsed.add_contact(number, fields, today=today)
    return parsed
