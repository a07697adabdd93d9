"""Quoted-printable 8-bit text with no CHARSET (vCard 2.1 from The Bat!, Nokia, older phones).

The decoded bytes are read as UTF-8 when they are; else their code page is detected on the
value with the file's other 8-bit values as context, and the import says how it read them.
No character is ever dropped: a byte nothing reads is shown as U+FFFD and the card is named.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lib.cli import main
from lib.io.importing import ImportRejected, apply_import, read_import, read_import_file
from lib.store.db import Database

TODAY = date(2026, 11, 27)


def card(*lines: str) -> bytes:
    return ("BEGIN:VCARD\r\nVERSION:2.1\r\n" + "".join(f"{ln}\r\n" for ln in lines)).encode(
        "ascii"
    ) + b"END:VCARD\r\n"


def qp_note(label: str) -> str:
    return (
        f"quoted-printable text with no charset is not UTF-8; it was read as {label} "
        "(check that names look right)"
    )


def people(data: bytes) -> list[tuple[str, str | None, str | None]]:
    parsed = read_import(data, today=TODAY)
    return [
        (c.fields["full_name"], c.fields["company"], c.fields["notes"]) for c in parsed.contacts
    ]


def test_a_polish_name_is_read_whole_with_the_files_other_values_as_context():
    # The Bat! on a Polish system: ISO-8859-2 bytes, quoted-printable, no CHARSET.
    data = card(
        "N;ENCODING=QUOTED-PRINTABLE:Iksi=F1ski;Piotr",
        "FN;ENCODING=QUOTED-PRINTABLE:Piotr Iksi=F1ski",
        "ORG;ENCODING=QUOTED-PRINTABLE:Sp=F3=B3dzielnia Mleczarska =A3=F3d=BC",
        "NOTE;ENCODING=QUOTED-PRINTABLE:Zadzwoni=E6 w =B6rod=EA",
    )

    parsed = read_import(data, today=TODAY)

    assert people(data) == [("Piotr Iksiński", "Spółdzielnia Mleczarska Łódź", "Zadzwonić w środę")]
    assert parsed.notes == [qp_note("ISO-8859-2 (Central European)")]
    assert parsed.warnings == []


def test_windows_1250_quoted_printable_is_told_from_iso_8859_2_by_its_letters():
    data = card(
        "FN;ENCODING=QUOTED-PRINTABLE:Piotr Iksi=F1ski",
        "NOTE;ENCODING=QUOTED-PRINTABLE:=8Cwi=EAty =9Cwiat, Sp=F3=B3dzielnia",
    )

    assert people(data) == [("Piotr Iksiński", None, "Święty świat, Spółdzielnia")]
    assert read_import(data, today=TODAY).notes == [qp_note("Windows-1250 (Central European)")]


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (("FN;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller",), "Jürgen Müller"),
        (("FN;ENCODING=QUOTED-PRINTABLE:Fran=E7ois Lef=E8vre",), "François Lefèvre"),
        # One ambiguous byte and nothing else to go by: Windows-1252, and the note says so.
        (("FN;ENCODING=QUOTED-PRINTABLE:Piotr Iksi=F1ski",), "Piotr Iksiñski"),
    ],
)
def test_western_quoted_printable_is_read_as_windows_1252(lines: tuple[str, ...], name: str):
    parsed = read_import(card(*lines), today=TODAY)

    assert parsed.contacts[0].fields["full_name"] == name
    assert parsed.notes == [qp_note("Windows-1252")]


def test_cyrillic_quoted_printable_is_read_as_windows_1251():
    data = card(
        "FN;ENCODING=QUOTED-PRINTABLE:=C2=E8=F2=E0=EB=E8=E9 =CA=EB=E8=F7=EA=EE",
        "NOTE;ENCODING=QUOTED-PRINTABLE:=C7=E2=EE=ED=E8=F2=FC =E2 =EF=EE=ED=E5=E4=E5=EB=FC"
        "=ED=E8=EA",
    )

    assert people(data) == [("Виталий Кличко", None, "Звонить в понедельник")]
    assert read_import(data, today=TODAY).notes == [qp_note("Windows-1251 (Cyrillic)")]


def test_utf8_quoted_printable_without_a_charset_needs_no_note():
    parsed = read_import(card("FN;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller"), today=TODAY)

    assert parsed.contacts[0].fields["full_name"] == "Jürgen Müller"
    assert parsed.notes == []


def test_the_same_bytes_read_the_same_from_a_file(tmp_path: Path):
    data = card(
        "FN;ENCODING=QUOTED-PRINTABLE:Piotr Iksi=F1ski",
        "ORG;ENCODING=QUOTED-PRINTABLE:Sp=F3=B3dzielnia =A3=F3d=BC",
    )
    path = tmp_path / "thebat.vcf"
    path.write_bytes(data)

    from_disk = read_import_file(path, today=TODAY)

    assert [c.fields for c in from_disk.contacts] == [
        c.fields for c in read_import(data, today=TODAY).contacts
    ]
    assert from_disk.contacts[0].fields["full_name"] == "Piotr Iksiński"


def test_a_byte_no_character_set_reads_is_shown_and_named_never_dropped(db: Database):
    data = card("FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ana=80 Ruiz")

    parsed = read_import(data, today=TODAY)

    assert parsed.contacts[0].fields["full_name"] == "Ana\ufffd Ruiz"
    assert [str(w) for w in parsed.warnings] == [
        "card 1: some text has bytes no character set reads; each is shown as \ufffd"
    ]
    with pytest.raises(ImportRejected):
        apply_import(db, parsed, strict=True)
    assert db.scalar("SELECT count(*) FROM contacts") == 0


def test_the_command_line_prints_how_the_text_was_read(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = tmp_path / "thebat.vcf"
    source.write_bytes(card("FN;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller"))

    code = main(["--db", str(db_path), "import", str(source)])

    out, err = capsys.readouterr()
    assert code == 0
    assert out == f"Imported {source} (vCard): 1 new contact, 0 updated, 0 skipped\n"
    assert f"note: {qp_note('Windows-1252')}" in err.splitlines()
