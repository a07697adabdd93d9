"""Hostile sizes: a value longer than any field, a card of 60,000 e-mails, a UTF-16 vCard and a
one-line CSV cell are read without holding them (the mechanism; memory is bench/'s)."""

from __future__ import annotations

from pathlib import Path

import pytest

import lib.io.importing.text as text_module
import lib.io.importing.vcard as vcard_module
from lib.io.importing import read_import, read_import_file
from lib.io.importing.encoding import RecodedStream
from lib.io.importing.text import LONG_LINE
from lib.io.importing.vcard_syntax import (
    MAX_CARD_BYTES,
    MAX_VALUE_BYTES,
    MAX_VALUES,
    logical_lines,
)
from tests.conftest import TODAY

TOO_LONG = (
    "card 1: note {shown!r} left out (is too long (more than 240,000 bytes in the file; "
    "no field holds more than 20,000 characters))"
)

READ_UP_TO = "(a card is read up to its first 100 of each, 2 MB in all)"


def fold(line: str) -> str:
    return "\r\n ".join(line[i : i + 74] for i in range(0, len(line), 74))


def card(*lines: str) -> bytes:
    return ("\r\n".join(("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD")) + "\r\n").encode()


def test_the_value_limit_is_the_longest_field_in_quoted_printable_utf8():
    assert (MAX_VALUE_BYTES, MAX_VALUES, MAX_CARD_BYTES) == (240_000, 100, 2_000_000)


def test_a_folded_value_longer_than_any_field_is_left_out_and_the_card_survives():
    note = "NOTE:" + "abcdefghij" * 30_000  # 300,000 bytes over 4,000 folded lines
    data = card("FN:Ana Ruiz", fold(note), "EMAIL:ana@example.org", "TEL:+1 801 555 0142")

    parsed = read_import(data, today=TODAY)

    (contact,) = parsed.contacts
    assert (contact.fields["full_name"], contact.fields["email"], contact.fields["phone"]) == (
        "Ana Ruiz",
        "ana@example.org",
        "+1 801-555-0142",
    )
    assert contact.fields["notes"] is None
    assert [str(w) for w in parsed.warnings] == [
        TOO_LONG.format(shown="abcdefghij" * 5 + "abcdefg…")
    ]


def test_a_quoted_printable_value_is_cut_and_its_soft_breaks_still_count():
    # 5,000 soft-broken lines of `=41` (A); the line after the last soft break continues
    # the note, so it is no e-mail even though it reads like one.
    note = "NOTE;ENCODING=QUOTED-PRINTABLE:" + "=\r\n".join(["=41" * 25] * 5_000)
    data = card("FN:Ben Okafor", note + "=", "EMAIL:not-an-email@example.org", "TITLE:CTO")

    parsed = read_import(data, today=TODAY)

    (contact,) = parsed.contacts
    assert (contact.fields["full_name"], contact.fields["email"], contact.fields["title"]) == (
        "Ben Okafor",
        None,
        "CTO",
    )
    assert [str(w) for w in parsed.warnings] == [TOO_LONG.format(shown="A" * 57 + "…")]


def test_a_value_on_one_physical_line_is_cut_before_it_is_held():
    line = b"NOTE:" + b"x" * (3 * MAX_VALUE_BYTES)
    lines = [b"BEGIN:VCARD", line, b"FN:Cy", b"END:VCARD"]

    found = [(item.name, len(item.line), item.cut) for item in logical_lines(lines)]

    # Only the start of a cut value is kept: enough to show it.
    assert found == [("BEGIN", 11, False), ("NOTE", 1024, True), ("FN", 5, False)] + [
        ("END", 9, False)
    ]


def test_a_card_with_60000_emails_keeps_the_first_100_and_says_how_many_were_left_out():
    emails = [f"EMAIL:person{i}@example.com" for i in range(60_000)]

    parsed = read_import(card("FN:Dee Park", *emails), today=TODAY)

    (contact,) = parsed.contacts
    assert contact.fields["email"] == "person0@example.com"
    others = ", ".join(f"person{i}@example.com" for i in range(1, 100))
    assert contact.fields["notes"] == f"Other email: {others}"
    assert [str(w) for w in parsed.warnings] == [
        f"card 1: 59,900 more e-mail addresses left out {READ_UP_TO}"
    ]


def test_phones_and_emails_past_the_limit_are_counted_together_in_one_notice():
    phones = [f"TEL:+1 801 555 {i:04d}" for i in range(MAX_VALUES + 2)]
    emails = [f"EMAIL:p{i}@example.com" for i in range(MAX_VALUES + 5)]

    parsed = read_import(card("FN:Eve Tan", *phones, *emails), today=TODAY)

    assert [str(w) for w in parsed.warnings] == [
        f"card 1: 2 more phone numbers left out {READ_UP_TO}; "
        f"5 more e-mail addresses left out {READ_UP_TO}"
    ]


def test_duplicate_emails_and_phones_are_removed_keeping_the_first_in_order():
    lines = (
        "EMAIL:b@example.com",
        "EMAIL:A@example.com",
        "EMAIL:B@Example.com",
        "EMAIL:c@example.com",
        "EMAIL:a@example.com",
        "TEL:+1 801 555 0100",
        "TEL:(801) 555-0100",
        "TEL:+1 801 555 0199",
    )

    parsed = read_import(card("FN:Fay Lin", *lines), today=TODAY)

    (contact,) = parsed.contacts
    assert contact.fields["email"] == "b@example.com"
    assert contact.fields["phone"] == "+1 801-555-0100"
    assert contact.fields["notes"] == (
        "Other email: A@example.com, c@example.com\nOther phone: +1 801-555-0199"
    )
    assert parsed.warnings == []


def test_a_card_reads_at_most_2_mb_of_values_and_counts_the_rest():
    notes = [f"NOTE:{i} " + "n" * 199_990 for i in range(12)]  # 200,000 bytes each

    parsed = read_import(card("FN:Gil Amsel", *notes, "EMAIL:gil@example.org"), today=TODAY)

    (contact,) = parsed.contacts
    assert contact.fields["email"] == "gil@example.org"
    assert contact.fields["notes"] is None  # 10 notes of 200,000 characters: too long
    assert [str(w) for w in parsed.warnings] == [
        "card 1: notes '0 nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn…' left out "
        "(is too long (1,999,929 characters; at most 20,000))",
        f"card 1: 2 more notes left out {READ_UP_TO}",
    ]


class CountingStream(RecodedStream):
    """RecodedStream, remembering the size of every piece it hands out."""

    pieces: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        piece = super().read(size)
        CountingStream.pieces.append(len(piece))
        return piece


@pytest.mark.parametrize("how", ["upload", "file"])
def test_a_utf16_vcard_is_read_a_piece_at_a_time_never_decoded_whole(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(vcard_module, "RecodedStream", CountingStream)
    CountingStream.pieces = []
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Nüßlein {i}\r\nNOTE:{'ü' * 200}\r\nEND:VCARD\r\n"
        for i in range(6_000)
    )
    data = cards.encode("utf-16")  # 2.8 MB with its BOM
    path = tmp_path / "cards.vcf"
    path.write_bytes(data)

    parsed = read_import(data, today=TODAY) if how == "upload" else read_import_file(path)

    assert len(parsed.contacts) == 6_000
    assert parsed.contacts[-1].fields["full_name"] == "Zoë Nüßlein 5999"
    assert parsed.notes == [
        "the file is not UTF-8; it was read as UTF-16 (check that names look right)"
    ]
    # Two megabyte pieces of UTF-16 and the rest, read twice (once for the eight-bit
    # context, once for the cards) would be 6; the whole file at once would be one piece.
    assert len(CountingStream.pieces) >= 4
    assert max(CountingStream.pieces) <= 3 * (1 << 20) // 2


@pytest.mark.parametrize("how", ["upload", "file"])
def test_a_one_line_csv_cell_longer_than_a_line_is_shortened_as_it_is_read(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    calls: list[int] = []
    original = text_module.shorten_long_line

    def spy(start: str, stream):  # type: ignore[no-untyped-def]
        calls.append(len(start))
        return original(start, stream)

    monkeypatch.setattr(text_module, "shorten_long_line", spy)
    company = "Blue Harbor " * (3 * LONG_LINE // 12)  # 3 MB in one cell of one line
    data = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        f'Ana,Ruiz,,ana@example.org,"{company}",CTO,01 Jan 2024\r\n'
        "Ben,Okafor,,ben@example.org,Acme,COO,02 Jan 2024\r\n"
    ).encode()
    path = tmp_path / "Connections.csv"
    path.write_bytes(data)

    parsed = read_import(data, today=TODAY) if how == "upload" else read_import_file(path)

    # LinkedIn's reader passes over the rows twice (the dates' order first).
    assert calls == [LONG_LINE, LONG_LINE]
    assert [
        (c.fields["full_name"], c.fields["email"], c.fields["company"], c.fields["title"])
        for c in parsed.contacts
    ] == [
        ("Ana Ruiz", "ana@example.org", None, "CTO"),
        ("Ben Okafor", "ben@example.org", "Acme", "COO"),
    ]
    # The cell is read up to 20,001 characters (of its 3 million), which the notice counts.
    assert [str(w) for w in parsed.warnings] == [
        f"row 2: company {('Blue Harbor ' * 5)[:57] + '…'!r} left out "
        "(is too long (20,001 characters; at most 300))"
    ]


def test_shortening_keeps_the_csv_shape_quotes_delimiters_and_all():
    run = 30_000
    line = 'a,"' + "x" * run + '",' + '"' * (run + 1) + ";" + "," * run + "z\r\n"

    short = text_module.shorten(line)

    # Each run keeps 20,001 characters; the quotes keep their odd count.
    assert short == 'a,"' + "x" * 20_001 + '",' + '"' * 20_001 + ";" + "," * 20_001 + "z\r\n"


def test_a_cell_over_many_lines_is_held_only_up_to_a_long_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(text_module, "LONG_LINE", 1_000)
    note = "\r\n".join(f"line {i} of a long note" for i in range(2_000))
    data = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        f'Ana,Ruiz,,ana@example.org,"{note}",CTO,01 Jan 2024\r\n'
        'Ben,Okafor,,ben@example.org,"Acme ""Labs""\r\nWest",COO,02 Jan 2024\r\n'
    ).encode()

    parsed = read_import(data, today=TODAY)

    assert [(c.row, c.fields["company"], c.fields["title"]) for c in parsed.contacts] == [
        (2, None, "CTO"),
        (3, 'Acme "Labs"\r\nWest', "COO"),
    ]
    # The cell kept its lines until they passed 1,000 characters, then its last one (which
    # closes it): the notice counts those.
    assert [str(w) for w in parsed.warnings] == [
        f"row 2: company {note[:57] + '…'!r} left out (is too long (998 characters; at most 300))"
    ]


def test_a_cut_value_is_shown_in_its_declared_charset():
    note = "NOTE;CHARSET=ISO-8859-1:" + "\xe9t\xe9 " * 70_000
    data = card("FN:Ana Ruiz").replace(b"END:VCARD", note.encode("latin-1") + b"\r\nEND:VCARD")

    parsed = read_import(data, today=TODAY)

    assert [str(w) for w in parsed.warnings] == [TOO_LONG.format(shown="été " * 14 + "é…")]
