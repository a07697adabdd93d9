"""Outlook's CSV in the languages Outlook writes it: German, French, Spanish, Italian, Dutch,
Portuguese; in Windows-1252, with CRLF inside quoted notes and `0.0.00` for empty dates.

The fixtures use the column names each language's Outlook writes (tests/fixtures/README.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lib.cli import main
from lib.core.errors import ValidationError
from lib.io.importing import apply_import, read_import, read_import_file
from lib.io.importing.outlook_columns import LANGUAGES
from lib.store.db import Database

TODAY = date(2026, 11, 27)
FIXTURES = Path(__file__).parents[1] / "fixtures"
CP1252_NOTE = "the file is not UTF-8; it was read as Windows-1252 (check that names look right)"

# file: (name, company, job title, e-mail, first phone (the mobile), notes)
LOCALISED = {
    "outlook_de.csv": (
        "Jürgen Weiß",
        "Bäckerei Groß KG",
        "Einkaufsleiter",
        "juergen.weiss@example.de",
        "+49 171 2345678",
        "Messe 2024\nRückruf im März\nOther email: j.weiss@example.com\n"
        "Other phone: +49 89 1234567",
    ),
    "outlook_fr.csv": (
        "François Lefèvre",
        "Société Générale d'Études",
        "Directeur général",
        "francois.lefevre@example.fr",
        "+33 6 12 34 56 78",
        "Rencontré au salon\nRappeler en mai\nOther phone: +33 1 23 45 67 89",
    ),
    "outlook_es.csv": (
        "José Muñoz Peña",
        "Compañía Ibérica",
        "Jefe de compras",
        "jose.munoz@example.es",
        "+34 612 34 56 78",
        "Conocido en la feria\nLlamar en junio\nOther phone: +34 912 34 56 78",
    ),
    "outlook_it.csv": (
        "Niccolò Città",
        "Società Rossi",
        "Responsabile acquisti",
        "niccolo.citta@example.it",
        "+39 347 123 4567",
        "Conosciuto alla fiera\nRichiamare\nOther phone: +39 02 1234 5678",
    ),
    "outlook_nl.csv": (
        "Sjoerd van der Bëek",
        "Brouwerij Één",
        "Inkoopmanager",
        "sjoerd@example.nl",
        "+31 6 12345678",
        "Ontmoet op de beurs\nTerugbellen\nOther phone: +31 30 123 4567",
    ),
    "outlook_pt_br.csv": (
        "João Conceição",
        "Companhia Ação",
        "Gerente de compras",
        "joao@example.com.br",
        "+55 11 91234-5678",
        "Conheci na feira\nLigar em março\nOther phone: +55 11 2345-6789",
    ),
    "outlook_pt_pt.csv": (
        "Gonçalo Magalhães",
        "Construções Ávila",
        "Diretor de compras",
        "goncalo@example.pt",
        "+351 912 345 678",
        "Conheci na feira\nLigar em março\nOther phone: +351 21 123 4567",
    ),
}


def test_the_languages_read_are_the_ones_the_readme_names():
    assert LANGUAGES == (
        "English",
        "German",
        "French",
        "Spanish",
        "Italian",
        "Dutch",
        "Portuguese (Brazil)",
        "Portuguese (Portugal)",
    )


@pytest.mark.parametrize("name", sorted(LOCALISED))
def test_a_localised_outlook_export_is_detected_and_every_field_read(name: str):
    parsed = read_import_file(FIXTURES / name, today=TODAY)

    assert parsed.format == "outlook"
    person, nameless = (c.fields for c in parsed.contacts)
    found = tuple(person[k] for k in ("full_name", "company", "title", "email", "phone", "notes"))
    assert found == LOCALISED[name]
    # Outlook writes the address as the display name of a record with no name.
    assert (nameless["full_name"], nameless["email"]) == ("info@example.org", "info@example.org")
    # `0.0.00` (an empty birthday) is no value and no warning.
    assert [str(w) for w in parsed.warnings] == [
        "row 3: no name: named 'info@example.org' after the e-mail"
    ]
    assert parsed.notes == [CP1252_NOTE]


@pytest.mark.parametrize("name", sorted(LOCALISED))
def test_the_same_export_reads_the_same_from_memory_and_with_format_outlook(name: str):
    data = (FIXTURES / name).read_bytes()

    detected = read_import(data, today=TODAY)
    forced = read_import(data, format="outlook", today=TODAY)

    assert [c.fields for c in forced.contacts] == [c.fields for c in detected.contacts]
    assert detected.contacts[0].fields["full_name"] == LOCALISED[name][0]


def test_format_outlook_on_the_command_line_reads_a_german_export(
    db_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = FIXTURES / "outlook_de.csv"

    code = main(["--db", str(db_path), "import", "--format", "outlook", str(source)])

    out, err = capsys.readouterr()
    assert code == 0
    assert out == f"Imported {source} (Outlook CSV): 2 new contacts, 0 updated, 0 skipped\n"
    assert f"note: {CP1252_NOTE}" in err


def test_a_file_of_outlooks_email_columns_alone_is_named_after_the_first_email(db: Database):
    data = b"E-mail Address,E-mail 2 Address,E-mail 3 Address\r\na@x.com,b@x.com,c@x.com\r\n"

    parsed = read_import(data, today=TODAY)
    result = apply_import(db, parsed)

    assert parsed.format == "outlook"
    [person] = [c.fields for c in parsed.contacts]
    assert (person["full_name"], person["email"], person["notes"]) == (
        "a@x.com",
        "a@x.com",
        "Other email: b@x.com, c@x.com",
    )
    assert result.summary() == "1 new contact, 0 updated, 0 skipped"


def test_a_german_export_saved_by_excel_with_semicolons_is_read():
    data = (
        "Vorname;Nachname;Firma;Position;E-Mail-Adresse;Geburtstag\r\n"
        "Jürgen;Weiß;Groß KG;Leiter;jw@example.de;0.0.00\r\n"
    ).encode("cp1252")

    parsed = read_import(data, today=TODAY)

    assert parsed.format == "outlook"
    assert parsed.contacts[0].fields["full_name"] == "Jürgen Weiß"
    assert parsed.contacts[0].fields["company"] == "Groß KG"
    assert parsed.warnings == []


def test_a_single_email_column_is_not_taken_for_outlook():
    with pytest.raises(ValidationError, match="is not a format Warm Leads knows"):
        read_import(b"E-mail Address\r\na@x.com\r\n", today=TODAY)


def test_an_address_in_a_column_not_read_as_email_is_kept_in_the_notes_not_lost():
    data = (
        b"First Name,Last Name,E-mail Address,E-mail Display Name,Private Email,Notes\r\n"
        b"Ana,Ruiz,ana@kestrel.com,Ana Ruiz (ana@kestrel.com),ana.ruiz@gmail.com,"
        b"Intro via sam@example.com\r\n"
    )

    parsed = read_import(data, today=TODAY)

    [ana] = [c.fields for c in parsed.contacts]
    assert ana["email"] == "ana@kestrel.com"
    # The display name repeats the address and the notes keep their own: neither is added.
    assert ana["notes"] == "Intro via sam@example.com\nOther email: ana.ruiz@gmail.com"
    assert parsed.warnings == []


def test_names_desktop_outlook_writes_where_exchanges_list_differs_are_read_too():
    data = (
        "Nombre;Apellidos;Compañía;Puesto;Dirección de correo electrónico;Móvil;Notas\r\n"
        "José;Muñoz;Compañía Ibérica;Jefe;jose@example.es;+34 612 345 678;Feria\r\n"
    ).encode("cp1252")

    parsed = read_import(data, format="outlook", today=TODAY)

    [jose] = [c.fields for c in parsed.contacts]
    assert (jose["full_name"], jose["company"], jose["email"], jose["phone"], jose["notes"]) == (
        "José Muñoz",
        "Compañía Ibérica",
        "jose@example.es",
        "+34 612 34 56 78",
        "Feria",
    )
