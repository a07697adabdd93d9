"""The encoding of a file's bytes: UTF-8, UTF-16 with or without a byte-order mark, or the
legacy code page an address book or Excel wrote, and how to name it to a person.

Everything here reads bytes only; lib/io/importing/text.py turns them into lines and tables.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from lib.core.errors import ValidationError

# Legacy code pages address books and Excel write, in the order a tie is settled. The detector
# only chooses among these: a guess of "mac_iceland" for a German Outlook file helps nobody.
LEGACY_ENCODINGS: tuple[str, ...] = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "shift_jis", "cp932", "euc_jp", "gb18030", "big5", "euc_kr", "koi8_r", "mac_roman",
)  # fmt: skip
# Latin code pages that read the usual Western letters alike: Windows-1252 wins among them.
_LATIN_FAMILY = frozenset({"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "mac_roman"})
# When the detector answers with a Latin code page, these are compared (a detector cannot
# tell them apart on a few names): the reading that leaves the fewest symbols inside words
# wins ("Spó³dzielnia" is Windows-1252 misreading Polish), Windows-1252 on a tie.
_LATIN_CANDIDATES: tuple[str, ...] = ("cp1252", "cp1250", "iso8859_2")
_SAMPLE_BYTES = 64 * 1024
_PIECE = 1 << 20  # bytes checked at a time
NOT_UTF16 = "is not readable UTF-16 text"
ENCODING_NAMES: dict[str, str] = {
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16 (little-endian, no byte-order mark)",
    "utf_16_be": "UTF-16 (big-endian, no byte-order mark)",
    "cp1250": "Windows-1250 (Central European)",
    "iso8859_2": "ISO-8859-2 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1252": "Windows-1252",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1257": "Windows-1257 (Baltic)",
    "shift_jis": "Shift_JIS (Japanese)",
    "cp932": "Shift_JIS (Japanese)",
    "euc_jp": "EUC-JP (Japanese)",
    "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Chinese)",
    "euc_kr": "EUC-KR (Korean)",
    "koi8_r": "KOI8-R (Cyrillic)",
    "mac_roman": "Mac Roman",
}


def encoding_label(codec: str) -> str:
    """A codec's name as a person knows it ("Windows-1251 (Cyrillic)")."""
    name = codecs.lookup(codec).name.replace("-", "_")
    return ENCODING_NAMES.get(name, codec)


def not_utf8_note(codec: str) -> str:
    """The notice shown (app and command line) when a file was not UTF-8."""
    label = encoding_label(codec)
    return f"the file is not UTF-8; it was read as {label} (check that names look right)"


def utf16_without_bom(data: bytes, size: int | None = None) -> str | None:
    """utf-16-le or -be when the first bytes look like UTF-16 text without a BOM, else None.

    `size` is the whole file's size when `data` is only its start.
    """
    head = data[:4096]
    if len(head) < 4 or (len(data) if size is None else size) % 2:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    # Mostly-ASCII UTF-16 has a NUL in every other byte; UTF-8 and code pages have none.
    if odd >= half * 0.4 and even <= half * 0.05:
        return "utf-16-le"
    if even >= half * 0.4 and odd <= half * 0.05:
        return "utf-16-be"
    return None


def utf16_codec(head: bytes, size: int | None = None) -> str | None:
    """utf-16 (a BOM), utf-16-le or -be (none) when a file starting `head` is UTF-16, else None.

    `size` is the whole file's size when `head` is only its start.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return utf16_without_bom(head, size)


class RecodedStream(io.RawIOBase):
    """A binary stream of UTF-16 (or any codec's) text read back as UTF-8, a piece at a time.

    What a UTF-16 vCard is read through, so that it is never decoded or held whole.
    """

    def __init__(self, raw: IO[bytes], codec: str) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(codec)()
        self._started = False

    def readable(self) -> bool:
        """Always: it is a reading stream."""
        return True

    def read(self, size: int | None = -1) -> bytes:
        """The next piece of the text as UTF-8 (empty at the end; about `size` bytes read)."""
        while True:
            data = self._raw.read(size if size and size > 0 else _PIECE)
            try:
                text = self._decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                raise ValidationError("file", NOT_UTF16) from None
            if text and not self._started:
                self._started = True
                text = text.lstrip("\ufeff")  # a second BOM, as Excel leaves one
            if text or not data:
                return text.encode("utf-8")

    def close(self) -> None:
        """Close the stream underneath too."""
        self._raw.close()
        super().close()


def is_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8, checked in pieces (no copy of a large file)."""
    view = memoryview(data)
    return _valid_utf8(view[start : start + _PIECE] for start in range(0, len(view), _PIECE))


def _valid_utf8(pieces: Iterable[bytes | memoryview]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for piece in pieces:
            decoder.decode(piece)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def guess_legacy(sample: bytes) -> str:
    """The most likely legacy code page for text that is not UTF-8 (charset-normalizer).

    A Western or Central European guess is settled among `_LATIN_CANDIDATES` by which
    reading puts letters, not symbols, inside words; Excel and Outlook on Windows write
    Windows-1252, so it wins a tie. With no usable guess Windows-1252 is the answer too.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:_SAMPLE_BYTES], cp_isolation=list(LEGACY_ENCODINGS)).best()
    codec = codecs.lookup(best.encoding).name.replace("-", "_") if best else "cp1252"
    if codec in _LATIN_FAMILY or codec == "iso8859_1":
        readings = []
        candidates = dict.fromkeys((*_LATIN_CANDIDATES, codec))
        for order, candidate in enumerate(candidates):
            try:
                readings.append((_symbols_in_words(sample.decode(candidate)), order, candidate))
            except UnicodeDecodeError:
                continue
        return min(readings)[2] if readings else codec
    return codec


def _symbols_in_words(text: str) -> int:
    """Non-ASCII characters that are not letters yet touch a letter, and C1 controls."""
    count = 0
    for index, char in enumerate(text):
        if char.isascii() or unicodedata.category(char).startswith(("L", "M")):
            continue
        near = text[max(index - 1, 0) : index] + text[index + 1 : index + 2]
        if unicodedata.category(char) == "Cc" or any(c.isalpha() for c in near):
            count += 1
    return count


def non_ascii_lines(data: bytes, limit: int = _SAMPLE_BYTES) -> bytes:
    """The lines with bytes above 127, up to `limit` bytes: what a detector should look at."""
    return _first_lines(
        (match.group() for match in re.finditer(rb"[^\n]*[\x80-\xff][^\n]*", data)), limit
    )


def _first_lines(lines: Iterable[bytes], limit: int = _SAMPLE_BYTES) -> bytes:
    found: list[bytes] = []
    size = 0
    for line in lines:
        found.append(line)
        size += len(line) + 1
        if size >= limit:
            break
    return b"\n".join(found)


def sniff_encoding(data: bytes) -> str:
    """The codec to read a whole file with: BOM, UTF-16 without BOM, UTF-8, else a guess."""
    return _sniff(data[:4096], len(data), lambda: is_utf8(data), lambda: non_ascii_lines(data))


def sniff_file_encoding(path: Path) -> str:
    """sniff_encoding for a file on the disk, read in pieces rather than whole."""

    def utf8() -> bool:
        with path.open("rb") as stream:
            return _valid_utf8(iter(lambda: stream.read(_PIECE), b""))

    def sample() -> bytes:
        with path.open("rb") as stream:
            return _first_lines(line.rstrip(b"\r\n") for line in stream if max(line) > 127)

    with path.open("rb") as stream:
        head = stream.read(4096)
    return _sniff(head, path.stat().st_size, utf8, sample)


def _sniff(head: bytes, size: int, utf8: Callable[[], bool], sample: Callable[[], bytes]) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bomless = utf16_without_bom(head, size)
    if bomless:
        return bomless
    if utf8():
        return "utf-8"
    return guess_legacy(sample())


def is_utf8_codec(codec: str) -> bool:
    """utf-8 or utf-8-sig."""
    return codecs.lookup(codec).name in ("utf-8", "utf-8-sig")
