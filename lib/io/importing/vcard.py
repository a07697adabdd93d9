"""vCard files → people: which cards are people, and the Warm Leads fields of each.

The lines, properties and values are read by `vcard_syntax.py`; here:

- FN, TITLE, ROLE and NOTE keep their commas; N and ORG are split on `;` only;
- `KIND:group` (and Apple's group kind) and company cards (`X-ABShowAs:COMPANY`, or a card
  with an ORG and no name at all) are not people: left out, and the summary says so;
- a value too long for any field, and the e-mails, phones… past a card's first
  `MAX_VALUES`, were never held (`vcard_syntax`): the summary names what was left out.
"""

from __future__ import annotations

import codecs
import io
import quopri
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import IO, Any

from lib.core.errors import ValidationError
from lib.core.validation import MAX_NOTES
from lib.io.importing.encoding import (
    RecodedStream,
    encoding_label,
    is_utf8_codec,
    not_utf8_note,
    utf16_codec,
)
from lib.io.importing.fields import linkedin_profile, read_email, read_phone
from lib.io.importing.model import ParsedImport
from lib.io.importing.vcard_syntax import (
    MAX_CARD_BYTES,
    MAX_VALUE_BYTES,
    MAX_VALUES,
    Card,
    Decoder,
    Property,
    eight_bit_values,
    file_codec,
    iter_cards,
    logical_lines,
    physical_lines,
    split_structured,
    unescape,
)

_FAX_OR_PAGER = frozenset({"fax", "pager"})
# The warning for a card with bytes that no character set reads.
UNREADABLE = "some text has bytes no character set reads; each is shown as \ufffd"
_CJK = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")
# How a value cut for its length is named in the summary (by its property).
_LABELS = {
    "FN": "name", "N": "name", "ORG": "company", "TITLE": "title", "ROLE": "title",
    "EMAIL": "e-mail", "TEL": "phone", "NOTE": "note", "URL": "web address",
    "X-SOCIALPROFILE": "web address", "X-LINKEDIN": "web address",
}  # fmt: skip
# The same, for "N more … left out" past MAX_VALUES.
_PLURALS = {
    "EMAIL": "e-mail addresses", "TEL": "phone numbers", "NOTE": "notes", "URL": "web addresses",
    "X-SOCIALPROFILE": "web addresses", "X-LINKEDIN": "web addresses", "FN": "names",
}  # fmt: skip
TOO_LONG = (
    f"is too long (more than {MAX_VALUE_BYTES:,} bytes in the file; "
    f"no field holds more than {MAX_NOTES:,} characters)"
)


def _is_cjk(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(
        any(word in unicodedata.name(ch, "") for word in _CJK) for ch in letters
    )


def _clean(text: str | None) -> str:
    if not text:
        return ""
    return re.sub(r"[ \t]+", " ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _lines(text: str) -> str:
    """Multi-line text with one kind of line break."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _ordered(props: list[Property]) -> list[Property]:
    """Preferred values first; fax and pager numbers after every other phone."""
    return sorted(props, key=lambda p: (not p.preferred(), bool(p.types() & _FAX_OR_PAGER)))


def card_name(card: Card, decode: Decoder) -> str:
    """FN as written (commas kept); else N's parts, family name first for CJK names."""
    for prop in card.all("FN"):
        name = _clean(unescape(decode.text(prop) or ""))
        if name:
            return name
    prop = card.first("N")
    if prop is None:
        return ""
    parts = [_clean(p.replace(",", " ")) for p in split_structured(decode.text(prop) or "")]
    parts += [""] * (5 - len(parts))
    family, given, additional, prefix, suffix = parts[:5]
    if _is_cjk(family + given):
        return " ".join(p for p in (family, given) if p)
    return " ".join(p for p in (prefix, given, additional, family, suffix) if p)


def not_a_person(card: Card, decode: Decoder, name: str) -> str | None:
    """Why a card is a group or an organisation rather than a person (None for a person)."""
    for key in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
        prop = card.first(key)
        kind = _clean(decode.text(prop)).lower() if prop else ""
        if kind in ("group", "org", "location"):
            shown = f" ({name})" if name else ""
            what = "group" if kind == "group" else "organisation" if kind == "org" else "place"
            return f"a {what} card{shown}, not a person (KIND:{kind})"
    show_as = card.first("X-ABSHOWAS")
    company = ""
    if card.first("ORG") is not None:
        company = _clean(split_structured(decode.text(card.first("ORG")) or "")[0])
    if show_as is not None and _clean(decode.text(show_as)).upper() == "COMPANY":
        return f"a company card ({company or name}), not a person"
    if not name and company:
        return f"an organisation card ({company}) with no person's name"
    return None


def card_fields(
    card: Card, decode: Decoder, warn: Callable[[str, str, str], None]
) -> dict[str, Any]:
    """The Warm Leads fields of one card; extra e-mails and phones go into the notes."""
    org = card.first("ORG")
    company = _clean(split_structured(decode.text(org) or "")[0]) if org else ""
    title = ""
    for key in ("TITLE", "ROLE"):
        prop = card.first(key)
        title = _clean(unescape(decode.text(prop) or "")) if prop else ""
        if title:
            break
    emails = _read_all(card.all("EMAIL"), decode, read_email, "email", warn)
    phones = _read_all(card.all("TEL"), decode, read_phone, "phone", warn)
    notes = [_lines(unescape(decode.text(p) or "")) for p in card.all("NOTE")]
    extra = []
    if len(emails) > 1:
        extra.append("Other email: " + ", ".join(emails[1:]))
    if len(phones) > 1:
        extra.append("Other phone: " + ", ".join(phones[1:]))
    urls = [
        unescape(decode.text(p) or "").strip()
        for key in ("URL", "X-SOCIALPROFILE", "X-LINKEDIN")
        for p in card.all(key)
    ]
    linkedin = next((u for u in urls if linkedin_profile(u)), None)
    return {
        "full_name": card_name(card, decode),
        "company": company,
        "title": title,
        "email": emails[0] if emails else None,
        "phone": phones[0] if phones else None,
        "linkedin_url": linkedin,
        "notes": "\n".join(p for p in (*notes, *extra) if p),
        "source": "other",
    }


def _read_all(
    props: list[Property],
    decode: Decoder,
    reader: Callable[[str], str],
    label: str,
    warn: Callable[[str, str, str], None],
) -> list[str]:
    """Every readable value, preferred first, each once; an unreadable one is reported."""
    values: list[str] = []
    seen: set[str] = set()
    for prop in _ordered(props):
        text = _clean(unescape(decode.text(prop) or ""))
        if not text:
            continue
        try:
            value = reader(text)
        except ValidationError as exc:
            warn(label, text, exc.reason)
            continue
        if value.lower() not in seen:
            seen.add(value.lower())
            values.append(value)
    return values


def _preview(prop: Property, decode: Decoder) -> str:
    """The start of a value cut for its length, as text to show (never counted as damaged)."""
    raw = prop.value[:1024]
    if prop.quoted_printable():
        raw = quopri.decodestring(raw)
    declared = prop.param("CHARSET") if decode.honour_charset else None
    for codec in (declared, decode.file_codec, "utf-8"):
        try:
            return _clean(unescape(raw.decode(codec or "", errors="replace")))
        except (LookupError, ValueError):  # no such codec, or one that is not for text
            continue
    return ""


def left_out_of(card: Card, decode: Decoder, warn: Callable[[str, str, str], None]) -> str:
    """Take a card's cut values out, saying each was too long; "N more … left out" per kind
    past MAX_VALUES (or MAX_CARD_BYTES). Returns the second kind of notice ('' when none)."""
    for prop in card.props:
        if prop.cut:
            warn(_LABELS.get(prop.name, prop.name.lower()), _preview(prop, decode), TOO_LONG)
    card.props = [p for p in card.props if not p.cut]
    counts: dict[str, int] = {}
    for name, count in card.unread.items():
        word = _PLURALS.get(name, f"{name} lines")
        counts[word] = counts.get(word, 0) + count
    return "; ".join(
        f"{count:,} more {word} left out (a card is read up to its first {MAX_VALUES:,} of "
        f"each, {MAX_CARD_BYTES // 1_000_000:,} MB in all)"
        for word, count in counts.items()
    )


def parse_vcard_stream(
    opener: Callable[[], IO[bytes]],
    *,
    today: date,
    codec: str | None = None,
    on_batch: Callable[[ParsedImport], None] | None = None,
) -> ParsedImport:
    """Read every card; `opener` gives a fresh binary stream (read twice: encoding, then cards).

    `codec` is set for a UTF-16 file: it is read through a `RecodedStream`, as UTF-8 a piece
    at a time, never decoded whole.
    """
    if codec is not None:
        raw_opener = opener

        def opener() -> IO[bytes]:
            return RecodedStream(raw_opener(), codec)  # type: ignore[return-value]

    parsed = ParsedImport("vcard", unit="card", on_batch=on_batch)
    context = partial(eight_bit_values, opener)
    if codec is None:
        decoder = Decoder(file_codec(opener), context=context)
    else:
        decoder = Decoder("utf-8", honour_charset=False, context=context)
    seen = 0
    with opener() as stream:
        cards = iter_cards(logical_lines(physical_lines(stream)), parsed.problem)
        for card in cards:
            seen += 1

            def warn(label: str, value: str, reason: str, number: int = card.number) -> None:
                parsed._left_out(number, label, value, reason)

            damaged = decoder.damaged
            unread = left_out_of(card, decoder, warn)
            name = card_name(card, decoder)
            why_not = not_a_person(card, decoder, name)
            if why_not:
                parsed.problem(card.number, why_not)
                continue
            kept = parsed.add_contact(card.number, card_fields(card, decoder, warn), today=today)
            if kept is not None and unread:
                parsed.warn(card.number, unread)
            if kept is not None and decoder.damaged > damaged:
                parsed.warn(card.number, UNREADABLE)
    if not seen and not parsed.problems:
        raise ValidationError("file", "has no vCard in it (BEGIN:VCARD … END:VCARD)")
    parsed.problems.sort(key=lambda p: p.where)
    if codec is not None:
        parsed.notes.append(not_utf8_note(codec))
    else:
        odd = {c for c in decoder.used_codecs if not is_utf8_codec(c)}
        if odd:
            names = ", ".join(sorted({encoding_label(c) for c in odd}))
            parsed.notes.append(
                f"the file is not UTF-8; it was read as {names} (check that names look right)"
            )
    if decoder.qp_codecs:
        names = ", ".join(sorted({encoding_label(c) for c in decoder.qp_codecs}))
        parsed.notes.append(
            "quoted-printable text with no charset is not UTF-8; it was read as "
            f"{names} (check that names look right)"
        )
    return parsed


def parse_vcard_bytes(
    data: bytes, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read a .vcf file's bytes (UTF-16 is read as UTF-8 a piece at a time; never copied)."""
    codec = utf16_codec(data[:4096], len(data))
    skip = 3 if codec is None and data.startswith(codecs.BOM_UTF8) else 0

    def opener() -> IO[bytes]:
        stream = io.BytesIO(data)  # shares `data`'s memory until written to
        stream.seek(skip)
        return stream

    return parse_vcard_stream(opener, today=today, codec=codec, on_batch=on_batch)


def parse_vcard(
    text: str, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read a .vcf file already decoded to text (for callers that hold text)."""
    return parse_vcard_bytes(text.encode("utf-8"), today=today, on_batch=on_batch)
