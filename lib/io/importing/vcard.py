"""vCard 2.1, 3.0 and 4.0 files, read line by line by a small tolerant reader of our own.

Why not vobject (used before): it splits every text value at unescaped commas and keeps the
first piece ("Doe, John" became "Doe"), and one property it cannot parse (an empty
parameter, `PROFILE:VCard`, a `#` comment, unindented photo data, a broken photo) throws
away the whole card, although we never use that property. Address books are forgiving, so
this reader is too, and it is built for exactly the properties Warm Leads keeps:

- bytes are unfolded first (CRLF, LF, iPhone's CR CR LF; a fold may split a UTF-8
  character), then each value is decoded: quoted-printable (a soft break keeps the next
  line's leading space), then its `CHARSET=`, else the file's encoding (UTF-8, or what
  charset-normalizer finds), then vCard escapes (`\\,` `\\;` `\\n`);
- FN, TITLE, ROLE and NOTE keep their commas; N and ORG are split on `;` only;
- a property we do not keep (PHOTO, LOGO, SOUND, KEY, ADR…) is skipped as it streams by:
  its data is never held, so a 35 MB photo costs nothing;
- lines that are not properties (comments, unindented base64) and unknown or broken
  properties are skipped, never the card;
- `KIND:group` (and Apple's group kind) and company cards (`X-ABShowAs:COMPANY`, or a card
  with an ORG and no name at all) are not people: left out, and the summary says so.
"""

from __future__ import annotations

import codecs
import io
import quopri
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from lib.core.errors import ValidationError
from lib.io.importing.fields import linkedin_profile, read_email, read_phone
from lib.io.importing.model import ParsedImport
from lib.io.importing.text import (
    NOT_UTF16,
    encoding_label,
    guess_legacy,
    is_utf8,
    is_utf8_codec,
    not_utf8_note,
    utf16_without_bom,
)

# The properties read; everything else streams past unread.
KEPT = frozenset(
    {
        "BEGIN", "END", "VERSION", "FN", "N", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "NOTE",
        "URL", "X-SOCIALPROFILE", "X-LINKEDIN", "KIND", "X-ADDRESSBOOKSERVER-KIND",
        "X-ABSHOWAS", "AGENT",
    }
)  # fmt: skip
_PROPERTY = re.compile(rb"^\s*(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)\s*[;:]")
_FAX_OR_PAGER = frozenset({"fax", "pager"})
_CJK = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


@dataclass
class Property:
    """One unfolded property line: its name, parameters and raw value bytes."""

    name: str
    params: list[tuple[str, str]]
    value: bytes

    def param(self, key: str) -> str | None:
        for name, value in self.params:
            if name == key:
                return value
        return None

    def types(self) -> set[str]:
        """TYPE values and 2.1's bare words, lower-case (`TEL;WORK;PREF`, `TYPE="work,cell"`)."""
        found: set[str] = set()
        for name, value in self.params:
            if name == "TYPE":
                found |= {t.strip().lower() for t in value.split(",") if t.strip()}
            elif name == "" and value:
                found.add(value.lower())
        return found

    def preferred(self) -> bool:
        return "pref" in self.types() or self.param("PREF") is not None

    def quoted_printable(self) -> bool:
        encoding = (self.param("ENCODING") or "").upper()
        return encoding in ("QUOTED-PRINTABLE", "Q") or "quoted-printable" in self.types()


def _split_header(header: bytes) -> tuple[str, list[tuple[str, str]]]:
    """`item1.TEL;TYPE="work,voice";PREF=1` → ('TEL', [('TYPE', 'work,voice'), ('PREF', '1')])."""
    parts = re.findall(rb'(?:[^;"]|"[^"]*")+', header)
    head = parts[0].decode("ascii", "replace").strip() if parts else ""
    name = head.rsplit(".", 1)[-1].upper()
    params: list[tuple[str, str]] = []
    for part in parts[1:]:
        text = part.decode("utf-8", "replace").strip()
        if not text:
            continue  # an empty parameter (`ADR;HOME;PREF;:`)
        key, sep, value = text.partition("=")
        if sep:
            params.append((key.strip().upper(), value.strip().strip('"')))
        else:
            params.append(("", key.strip()))
    return name, params


def _colon(line: bytes) -> int:
    """Where the value starts: the first colon outside double quotes (-1 when none)."""
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return index
    return -1


def physical_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream's lines without their endings (LF, CRLF, CR CR LF; old Mac CR alone)."""
    first = True
    for line in stream:
        if first and b"\n" not in line and b"\r" in line.rstrip(b"\r"):
            yield from (part for part in line.split(b"\r"))  # classic Mac: CR only
            return
        first = False
        yield line.rstrip(b"\r\n")


def logical_lines(lines: Iterable[bytes]) -> Iterator[tuple[str, bytes]]:
    """(name, whole property line) per property, unfolded; skipped properties never held."""
    name: str | None = None
    parts: list[bytes] = []
    qp = False
    for line in lines:
        if name is not None and qp and parts[-1].endswith(b"="):
            # A quoted-printable soft break: the next line continues the value as it is.
            parts[-1] = parts[-1][:-1]
            parts.append(line)
            continue
        if line[:1] in (b" ", b"\t"):
            if name is not None and name in KEPT:
                parts.append(line[1:])
            continue
        match = _PROPERTY.match(line)
        if match is None:
            continue  # a comment, unindented base64 data or junk between properties
        if name is not None and name in KEPT:
            yield name, b"".join(parts)
        name = match.group(1).decode("ascii").upper()
        parts = [line] if name in KEPT else []
        colon = _colon(line)
        qp = name in KEPT and b"QUOTED-PRINTABLE" in line[: max(colon, 0)].upper()
    if name is not None and name in KEPT:
        yield name, b"".join(parts)


def parse_property(line: bytes) -> Property | None:
    """Split an unfolded line into name, parameters and raw value (None when it has no colon)."""
    colon = _colon(line)
    if colon < 0:
        return None
    name, params = _split_header(line[:colon])
    return Property(name, params, line[colon + 1 :])


def unescape(text: str) -> str:
    r"""vCard text escapes: `\n` `\N` → newline, `\,` `\;` `\\` and any other `\x` → x."""
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def split_structured(text: str) -> list[str]:
    """N and ORG components: split on unescaped `;`, each then unescaped."""
    return [unescape(part) for part in re.split(r"(?<!\\);", text)]


def _text_codec(name: str) -> list[str]:
    """[codec] for a CHARSET naming a text encoding; [] for junk, `base64` or `zlib`."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return []
    return [info.name] if getattr(info, "_is_text_encoding", True) else []


@dataclass
class Decoder:
    """Turns raw value bytes into text: declared CHARSET first, then the file's encoding."""

    file_codec: str = "utf-8"
    honour_charset: bool = True
    used_codecs: set[str] = field(default_factory=set)

    def text(self, prop: Property) -> str | None:
        raw = prop.value
        encoding = (prop.param("ENCODING") or "").upper()
        if encoding in ("B", "BASE64") or "base64" in prop.types():
            return None
        if prop.quoted_printable():
            raw = quopri.decodestring(raw)
        tries: list[str] = []
        declared = prop.param("CHARSET") if self.honour_charset else None
        if declared:
            tries += _text_codec(declared)
        tries += ["utf-8", self.file_codec]
        for codec in dict.fromkeys(tries):
            try:
                text = raw.decode(codec)
            except (UnicodeError, LookupError):  # idna and the like refuse some bytes
                continue
            if not raw.isascii():
                self.used_codecs.add(codec)
            return text.replace("\x00", "")
        # A damaged byte (a bad `=80` in quoted-printable) is dropped, not the value.
        try:
            text = raw.decode(tries[0], errors="ignore")
        except (UnicodeError, LookupError):
            text = raw.decode("utf-8", errors="ignore")
        return text.replace("\x00", "")


@dataclass
class Card:
    """The properties of one card that Warm Leads reads."""

    number: int
    props: list[Property] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [p for p in self.props if p.name == name]

    def first(self, name: str) -> Property | None:
        return next((p for p in self.props if p.name == name), None)


def iter_cards(
    lines: Iterable[tuple[str, bytes]], problem: Callable[[int, str], None]
) -> Iterator[Card]:
    """Every BEGIN:VCARD … END:VCARD; a card cut short is reported, an AGENT's card skipped."""
    card: Card | None = None
    count = 0
    nested = 0
    last = ""
    for name, line in lines:
        if name in ("BEGIN", "END"):
            prop = parse_property(line)
            kind = prop.value.strip().upper() if prop else b""
            if kind != b"VCARD":
                continue
            if name == "BEGIN":
                if card is not None and last == "AGENT":
                    nested += 1
                    continue
                if card is not None:
                    problem(card.number, "has no END:VCARD (the file may be cut short)")
                count += 1
                card = Card(count)
            elif nested:
                nested -= 1
            elif card is not None:
                yield card
                card = None
            last = name
            continue
        last = name
        if card is None or nested:
            continue
        prop = parse_property(line)
        if prop is not None:
            card.props.append(prop)
    if card is not None:
        problem(card.number, "has no END:VCARD (the file may be cut short)")


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
    for prop in _ordered(props):
        text = _clean(unescape(decode.text(prop) or ""))
        if not text:
            continue
        try:
            value = reader(text)
        except ValidationError as exc:
            warn(label, text, exc.reason)
            continue
        if value.lower() not in (v.lower() for v in values):
            values.append(value)
    return values


def _file_codec(opener: Callable[[], IO[bytes]]) -> str:
    """The codec for values with no CHARSET: UTF-8 when every byte is, else a guess."""
    with opener() as stream:
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    sample: list[bytes] = []
    size = 0
    with opener() as stream:
        for line in physical_lines(stream):
            if line.isascii() or b"CHARSET=" in line.upper():
                continue
            sample.append(line)
            size += len(line)
            if size >= 64 * 1024:
                break
    joined = b"\n".join(sample)
    if not joined or is_utf8(joined):
        return "utf-8"  # only the values that name their charset are not UTF-8
    return guess_legacy(joined)


def parse_vcard_stream(
    opener: Callable[[], IO[bytes]],
    *,
    today: date,
    codec: str | None = None,
    on_batch: Callable[[ParsedImport], None] | None = None,
) -> ParsedImport:
    """Read every card; `opener` gives a fresh binary stream (read twice: encoding, then cards).

    `codec` is set when the bytes were already re-encoded from UTF-16 to UTF-8.
    """
    parsed = ParsedImport("vcard", unit="card", on_batch=on_batch)
    if codec is None:
        decoder = Decoder(_file_codec(opener))
    else:
        decoder = Decoder("utf-8", honour_charset=False)
    seen = 0
    with opener() as stream:
        cards = iter_cards(logical_lines(physical_lines(stream)), parsed.problem)
        for card in cards:
            seen += 1

            def warn(label: str, value: str, reason: str, number: int = card.number) -> None:
                parsed._left_out(number, label, value, reason)

            name = card_name(card, decoder)
            why_not = not_a_person(card, decoder, name)
            if why_not:
                parsed.problem(card.number, why_not)
                continue
            parsed.add_contact(card.number, card_fields(card, decoder, warn), today=today)
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
    return parsed


def parse_vcard_bytes(
    data: bytes, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read a .vcf file's bytes (UTF-16 is re-encoded to UTF-8 first)."""
    codec = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        codec = utf16_without_bom(data)
    if codec is not None:
        try:
            data = data.decode(codec).lstrip("\ufeff").encode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("file", NOT_UTF16) from None
    elif data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    return parse_vcard_stream(lambda: io.BytesIO(data), today=today, codec=codec, on_batch=on_batch)


def parse_vcard(
    text: str, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read a .vcf file already decoded to text (for callers that hold text)."""
    return parse_vcard_bytes(text.encode("utf-8"), today=today, on_batch=on_batch)
