"""vCard syntax, read line by line by a small tolerant reader of our own (2.1, 3.0, 4.0).

Why not vobject (used before): it splits every text value at unescaped commas and keeps the
first piece ("Doe, John" became "Doe"), and one property it cannot parse (an empty
parameter, `PROFILE:VCard`, a `#` comment, unindented photo data, a broken photo) throws
away the whole card, although we never use that property. Address books are forgiving, so
this reader is too, and it is built for exactly the properties Warm Leads keeps:

- bytes are unfolded first (CRLF, LF, iPhone's CR CR LF; a fold may split a UTF-8
  character), then each value is decoded: quoted-printable (a soft break keeps the next
  line's leading space), then its `CHARSET=`, else the file's encoding (UTF-8, or what
  charset-normalizer finds), then vCard escapes (`\\,` `\\;` `\\n`);
- a property we do not keep (PHOTO, LOGO, SOUND, KEY, ADR…) is skipped as it streams by:
  its data is never held, so a 35 MB photo costs nothing;
- a kept value longer than any field can hold (`MAX_VALUE_BYTES`) is collected no further:
  its start is kept (to show and to say it was left out) and the rest streams past, however
  it is folded or soft-broken; a card reads at most `MAX_VALUES` of each property and
  counts the rest, so one card of 60,000 e-mails costs what one of 100 does;
- lines that are not properties (comments, unindented base64) and unknown or broken
  properties are skipped, never the card.

What a card means for Warm Leads (who it names, whether it is a person) is in `vcard.py`.
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from lib.core.validation import MAX_NOTES
from lib.io.importing.encoding import guess_legacy, is_utf8

# The properties read; everything else streams past unread.
KEPT = frozenset(
    {
        "BEGIN", "END", "VERSION", "FN", "N", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "NOTE",
        "URL", "X-SOCIALPROFILE", "X-LINKEDIN", "KIND", "X-ADDRESSBOOKSERVER-KIND",
        "X-ABSHOWAS", "AGENT",
    }
)  # fmt: skip
_PROPERTY = re.compile(rb"^\s*(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)\s*[;:]")
# The longest field (a note) holds MAX_NOTES characters; one character is at most 4 bytes of
# UTF-8, 12 once quoted-printable. A property line longer than this cannot fit any field: it
# is cut here, and the rest of it streams past unread.
MAX_VALUE_BYTES = MAX_NOTES * 12
# How many of one property (EMAIL, TEL, NOTE…) a card reads, and how many bytes of them all;
# the rest are counted, not held.
MAX_VALUES = 100
MAX_CARD_BYTES = 2_000_000
# What is kept of a cut value: enough to show its start.
_PREVIEW = 1024
# What is kept of a physical line longer than MAX_VALUE_BYTES besides its start: its end, so
# that a quoted-printable soft break (`=` before CR CR LF) still counts.
_LINE_END = 8
_CHUNK = 1 << 20


@dataclass
class Property:
    """One unfolded property line: its name, parameters and raw value bytes."""

    name: str
    params: list[tuple[str, str]]
    value: bytes
    # True when the line passed MAX_VALUE_BYTES: `value` is only its start.
    cut: bool = False

    def param(self, key: str) -> str | None:
        """The first value of parameter `key` (upper-case), or None."""
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
        """True for a value marked preferred (`TYPE=pref` or `PREF=`)."""
        return "pref" in self.types() or self.param("PREF") is not None

    def quoted_printable(self) -> bool:
        """True when the value is quoted-printable encoded."""
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
    colon = line.find(b":")
    if b'"' not in line[: colon if colon >= 0 else len(line)]:
        return colon  # no quoted parameter before it (nearly always)
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return index
    return -1


def physical_lines(stream: IO[bytes], limit: int = MAX_VALUE_BYTES) -> Iterator[bytes]:
    """The stream's lines without their endings (LF, CRLF, CR CR LF; old Mac CR alone).

    Read a megabyte at a time: a line longer than `limit` keeps its first `limit` bytes and
    its last few (a soft break still counts); the rest of it is never held.
    """

    def cut(line: bytes) -> bytes:
        return line if len(line) <= limit + _LINE_END else line[:limit] + line[-_LINE_END:]

    sep: bytes | None = None
    carry = b""  # the start of a line that runs on into the next chunk
    while chunk := stream.read(_CHUNK):
        if sep is None:  # classic Mac ends lines with CR alone
            sep = b"\r" if b"\n" not in chunk and b"\r" in chunk.rstrip(b"\r") else b"\n"
        pieces = chunk.split(sep)
        if len(pieces) == 1:
            carry = cut(carry + chunk)
            continue
        ends = sep == b"\n"
        first = carry + pieces[0]
        yield cut(first.rstrip(b"\r") if ends else first)
        for index in range(1, len(pieces) - 1):
            piece = pieces[index]
            yield cut(piece.rstrip(b"\r") if ends else piece)
        carry = cut(pieces[-1])
    if carry:
        yield carry.rstrip(b"\r\n") if sep != b"\r" else carry


@dataclass
class Logical:
    """One unfolded property line (only its start when `cut`)."""

    name: str
    line: bytes
    cut: bool = False


def logical_lines(lines: Iterable[bytes], limit: int = MAX_VALUE_BYTES) -> Iterator[Logical]:
    """Each property line, unfolded; skipped properties are never held, and a kept one is
    collected up to `limit` bytes (past that it is `cut`: only its start is kept, and the
    rest of it streams past)."""
    name: str | None = None
    kept = False
    value = bytearray()
    cut = False
    qp = False
    soft = False  # the last piece ended in a quoted-printable soft break (`=`)

    def add(piece: bytes) -> None:
        nonlocal cut
        if cut:
            return
        value.extend(piece)
        if len(value) > limit:
            del value[_PREVIEW:]
            cut = True

    for line in lines:
        if kept and qp and soft:
            # A quoted-printable soft break: the next line continues the value as it is.
            if not cut:
                del value[-1:]
            add(line)
            soft = line.endswith(b"=")
            continue
        if line[:1] in (b" ", b"\t"):
            if kept:
                add(line[1:])
                soft = line.endswith(b"=")
            continue
        match = _PROPERTY.match(line)
        if match is None:
            continue  # a comment, unindented base64 data or junk between properties
        if kept and name is not None:
            yield Logical(name, bytes(value), cut)
        name = match.group(1).decode("ascii").upper()
        kept = name in KEPT
        value = bytearray()
        cut = False
        if kept:
            add(line)
            colon = _colon(line[: limit + 1])
            qp = b"QUOTED-PRINTABLE" in line[: max(colon, 0)].upper()
            soft = line.endswith(b"=")
    if kept and name is not None:
        yield Logical(name, bytes(value), cut)


def parse_property(line: bytes, cut: bool = False) -> Property | None:
    """Split an unfolded line into name, parameters and raw value (None when it has no colon)."""
    colon = _colon(line)
    if colon < 0:
        return None
    name, params = _split_header(line[:colon])
    return Property(name, params, line[colon + 1 :], cut)


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
    """Turns raw value bytes into text: declared CHARSET first, then the file's encoding.

    Quoted-printable bytes that name no CHARSET (vCard 2.1 from The Bat!, Nokia…) are read
    as UTF-8 when they are; else their encoding is detected on the value with the file's
    other 8-bit values as context (`context`, read once and only when needed), and
    `qp_codecs` says which it was. A byte no codec reads becomes U+FFFD, never nothing, and
    `damaged` counts those values so the import can say so.
    """

    file_codec: str = "utf-8"
    honour_charset: bool = True
    context: Callable[[], bytes] | None = None
    used_codecs: set[str] = field(default_factory=set)
    qp_codecs: set[str] = field(default_factory=set)
    damaged: int = 0
    _context: bytes | None = field(default=None, repr=False)
    _guesses: dict[bytes, str] = field(default_factory=dict, repr=False)

    def text(self, prop: Property) -> str | None:
        """The value as text (None for base64 data)."""
        raw = prop.value
        encoding = (prop.param("ENCODING") or "").upper()
        if encoding in ("B", "BASE64") or "base64" in prop.types():
            return None
        qp = prop.quoted_printable()
        if qp:
            raw = quopri.decodestring(raw)
        tries: list[str] = []
        declared = prop.param("CHARSET") if self.honour_charset else None
        if declared:
            tries += _text_codec(declared)
        tries.append("utf-8")
        guessing = qp and not declared and not raw.isascii() and not is_utf8(raw)
        if guessing:
            tries.append(self._guess(raw))
        tries.append(self.file_codec)
        for codec in dict.fromkeys(tries):
            try:
                text = raw.decode(codec)
            except (UnicodeError, LookupError):  # idna and the like refuse some bytes
                continue
            if guessing:
                self.qp_codecs.add(codec)
            elif not raw.isascii():
                self.used_codecs.add(codec)
            return text.replace("\x00", "")
        # A damaged byte (a bad `=80` in quoted-printable) is shown as U+FFFD, and counted.
        self.damaged += 1
        try:
            text = raw.decode(tries[0], errors="replace")
        except (UnicodeError, LookupError):
            text = raw.decode("utf-8", errors="replace")
        return text.replace("\x00", "")

    def _guess(self, raw: bytes) -> str:
        """charset-normalizer's codec for one value, the file's other 8-bit values as context."""
        if raw not in self._guesses:
            if self._context is None:
                self._context = self.context() if self.context is not None else b""
            self._guesses[raw] = guess_legacy(raw + b"\n" + self._context)
        return self._guesses[raw]


@dataclass
class Card:
    """The properties of one card that Warm Leads reads (at most MAX_VALUES of each)."""

    number: int
    props: list[Property] = field(default_factory=list)
    # Property name → how many more the card had beyond MAX_VALUES (read no further).
    unread: dict[str, int] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict, repr=False)
    _held: int = field(default=0, repr=False)

    def all(self, name: str) -> list[Property]:
        """Every property called `name`, in file order."""
        return [p for p in self.props if p.name == name]

    def first(self, name: str) -> Property | None:
        """The first property called `name`, or None."""
        return next((p for p in self.props if p.name == name), None)

    def room_for(self, name: str, size: int) -> bool:
        """Whether one more `name` of `size` bytes is read; past MAX_VALUES of it, or (a
        value longer than a short line) MAX_CARD_BYTES in all, it is only counted: a card's
        e-mails and phones are read however long its notes."""
        count = self._counts.get(name, 0)
        self._counts[name] = count + 1
        fits = size <= _PREVIEW or self._held + size <= MAX_CARD_BYTES
        if count < MAX_VALUES and fits:
            self._held += size
            return True
        self.unread[name] = self.unread.get(name, 0) + 1
        return False


def iter_cards(lines: Iterable[Logical], problem: Callable[[int, str], None]) -> Iterator[Card]:
    """Every BEGIN:VCARD … END:VCARD; a card cut short is reported, an AGENT's card skipped."""
    card: Card | None = None
    count = 0
    nested = 0
    last = ""
    for logical in lines:
        name = logical.name
        if name in ("BEGIN", "END"):
            prop = parse_property(logical.line)
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
        if card is None or nested or not card.room_for(name, len(logical.line)):
            continue
        prop = parse_property(logical.line, logical.cut)
        if prop is not None:
            card.props.append(prop)
    if card is not None:
        problem(card.number, "has no END:VCARD (the file may be cut short)")


def file_codec(opener: Callable[[], IO[bytes]]) -> str:
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


def eight_bit_values(opener: Callable[[], IO[bytes]], limit: int = 64 * 1024) -> bytes:
    """The values that name no CHARSET and are not UTF-8 (quoted-printable decoded), up to
    `limit` bytes: what an encoding detector should look at."""
    found: list[bytes] = []
    size = 0
    with opener() as stream:
        for logical in logical_lines(physical_lines(stream)):
            prop = parse_property(logical.line, logical.cut)
            if prop is None or prop.cut or prop.param("CHARSET"):
                continue
            raw = quopri.decodestring(prop.value) if prop.quoted_printable() else prop.value
            if raw.isascii() or is_utf8(raw):
                continue
            found.append(raw)
            size += len(raw) + 1
            if size >= limit:
                break
    return b"\n".join(found)
