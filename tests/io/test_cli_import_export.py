"""`import` and `export` on the command line: output, exit codes, nothing written on error."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.cli import main
from lib.io.importing.apply import _adding
from lib.store.db import open_database
from tests.support import digest, run_cli, write_demo

FIXTURES = Path(__file__).parents[1] / "fixtures"


def contacts(path: Path) -> int:
    db = open_database(path)
    try:
        return int(db.scalar("SELECT count(*) FROM contacts"))
    finally:
        db.close()


def test_import_prints_what_it_did_and_lists_left_out_values_on_stderr(db_path: Path, capsys):
    source = FIXTURES / "linkedin_bad_rows.csv"

    code, out, err = run_cli(capsys, "--db", str(db_path), "import", str(source))

    assert code == 0
    assert out == (
        f"Imported {source} (LinkedIn connections): 6 new contacts, 0 updated, 1 skipped "
        "(row 10: same person as row 5)\n"
    )
    assert err.splitlines()[-5:] == [
        "  skipped row 10: same person as row 5",
        "  warning: row 6: no name: named 'nobody' after the LinkedIn URL",
        "  warning: row 7: LinkedIn URL 'javascript:alert(1)' dropped: "
        "not a web address (http or https)",
        "  warning: row 8: e-mail 'not-an-email' left out (an email address must have an @-sign)",
        "  warning: row 9: connected on date '31 Feb 2020' left out (not a date)",
    ]
    assert err.startswith(f"… reading {source}\n")
    assert contacts(db_path) == 6


def test_import_says_on_stderr_when_a_file_was_not_utf8(db_path: Path, tmp_path: Path, capsys):
    source = tmp_path / "kontakte.vcf"
    source.write_bytes(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Віталій Кличко\r\nEND:VCARD\r\n".encode("cp1251")
    )

    code, out, err = run_cli(capsys, "--db", str(db_path), "import", str(source))

    assert code == 0
    assert out == f"Imported {source} (vCard): 1 new contact, 0 updated, 0 skipped\n"
    assert (
        "note: the file is not UTF-8; it was read as Windows-1251 (Cyrillic) "
        "(check that names look right)"
    ) in err.splitlines()
    db = open_database(db_path)
    try:
        assert db.scalar("SELECT full_name FROM contacts") == "Віталій Кличко"
    finally:
        db.close()


def test_import_of_a_file_whose_people_all_fail_exits_1_with_the_reason(
    db_path: Path, tmp_path: Path, capsys
):
    source = tmp_path / "groups.vcf"
    source.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nKIND:group\nFN:The Doe Family\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nORG:Ghost Corp\nEND:VCARD\n"
    )

    code, out, err = run_cli(capsys, "--db", str(db_path), "import", str(source))

    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        f"error: nobody was imported from {source} (vCard): 2 cards left out (card 1: a group "
        "card (The Doe Family), not a person (KIND:group); and others, listed above)"
    )
    assert contacts(db_path) == 0


def test_a_refused_import_into_an_existing_file_records_no_batch_and_changes_nothing(
    demo_file: Path, tmp_path: Path, capsys
):
    source = tmp_path / "groups.vcf"
    source.write_text("BEGIN:VCARD\nVERSION:4.0\nKIND:group\nFN:The Doe Family\nEND:VCARD\n")
    assert run_cli(capsys, "import", str(FIXTURES / "linkedin_connections.csv"), "--db",
                   str(demo_file))[0] == 0  # fmt: skip
    code, listed, _ = run_cli(capsys, "imports", "--json", "--db", str(demo_file))
    assert code == 0 and listed.count('"id"') == 1
    before = (digest(demo_file), demo_file.stat().st_mtime_ns)

    code, out, err = run_cli(capsys, "import", str(source), "--db", str(demo_file))

    assert (code, out) == (1, "")
    assert err.splitlines()[-1].startswith(f"error: nobody was imported from {source} (vCard)")
    assert "undo it with" not in err
    assert (digest(demo_file), demo_file.stat().st_mtime_ns) == before
    assert run_cli(capsys, "imports", "--json", "--db", str(demo_file))[:2] == (0, listed)


def test_import_strict_exits_1_with_one_line_and_writes_nothing(db_path: Path, capsys):
    code, out, err = run_cli(
        capsys, "import", str(FIXTURES / "linkedin_bad_rows.csv"), "--strict", "--db", str(db_path)
    )

    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        "error: row 6: no name: named 'nobody' after the LinkedIn URL (and 4 more problems); "
        "with --strict nothing was imported"
    )
    assert contacts(db_path) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "error: file: missing.csv does not exist"),
        ([str(FIXTURES)], f"error: file: {FIXTURES} is not a file"),
        (
            [str(FIXTURES / "README.md")],
            "error: file: is not a format Warm Leads knows: expected LinkedIn's "
            "Connections.csv, a Google Contacts CSV, an Outlook CSV, a Thunderbird address book "
            "CSV, a Yahoo Mail CSV, a vCard (.vcf) or a Warm Leads CSV export",
        ),
        (
            [str(FIXTURES / "contacts.vcf"), "--format", "google"],
            "error: file: has no Google Contacts header row (First Name… or Name, Given Name…)",
        ),
    ],
)
def test_import_of_a_bad_file_exits_1_with_the_reason(db_path, capsys, args, message):
    code, out, err = run_cli(capsys, "--db", str(db_path), "import", *args)

    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == message


def test_import_with_an_unknown_format_is_a_usage_error(db_path: Path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(db_path), "import", "x.csv", "--format", "excel"])
    assert exit_.value.code == 2
    assert "invalid choice: 'excel'" in capsys.readouterr().err


def test_import_dry_run_says_what_would_happen(db_path: Path, capsys):
    source = FIXTURES / "google_contacts.csv"

    code, out, err = run_cli(capsys, "--db", str(db_path), "import", str(source), "--dry-run")

    assert code == 0
    assert out == f"Would import {source} (Google Contacts): 2 new contacts, 0 updated, 0 skipped\n"
    assert "… would add 2 new contacts\n" in err and "writing" not in err and "counting" not in err
    assert contacts(db_path) == 0


def count_events(path: Path) -> int:
    db = open_database(path, read_only=True)
    try:
        return int(db.scalar("SELECT count(*) FROM events"))
    finally:
        db.close()


@pytest.fixture
def demo_path(db_path: Path) -> Path:
    return write_demo(db_path)


@pytest.mark.parametrize(
    ("fmt", "suffix", "starts", "summary"),
    [
        ("csv", "csv", b"\xef\xbb\xbfrecord,id,", "Wrote 50 contacts and {events} events to {out}"),
        ("vcard", "vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\n", "Wrote 50 contacts as vCards to {out}"),
        ("ics", "ics", b"BEGIN:VCALENDAR\r\n", "Wrote {reminders} reminders to {out}"),
    ],
)
def test_export_writes_the_file_and_says_so(
    demo_path, tmp_path, capsys, fmt, suffix, starts, summary
):
    out = tmp_path / f"network.{suffix}"

    code, printed, _ = run_cli(
        capsys, "--db", str(demo_path), "export", "--format", fmt, "--out", str(out)
    )

    data = out.read_bytes()
    assert code == 0
    assert data.startswith(starts)
    events = count_events(demo_path)
    reminders = data.count(b"BEGIN:VEVENT")
    assert printed == summary.format(out=out, events=events, reminders=reminders) + "\n"


def test_export_then_import_into_a_new_file_round_trips(demo_path, tmp_path, capsys):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    copy = tmp_path / "copy.duckdb"

    run_cli(capsys, "--db", str(demo_path), "export", "--format", "csv", "--out", str(first))
    code, out, _ = run_cli(capsys, "--db", str(copy), "import", str(first))
    run_cli(capsys, "--db", str(copy), "export", "--format", "csv", "--out", str(second))

    assert code == 0
    assert out.endswith(
        f"50 new contacts, 0 updated, 0 skipped, {count_events(demo_path)} events added, "
        "restored 1 import, 1 setting, 5 target companies\n"
    )
    assert first.read_bytes() == second.read_bytes()


def test_export_to_a_missing_folder_exits_1_and_writes_nothing(demo_path, tmp_path, capsys):
    out = tmp_path / "nowhere" / "x.ics"

    code, printed, err = run_cli(
        capsys, "--db", str(demo_path), "export", "--format", "ics", "--out", str(out)
    )

    assert (code, printed) == (1, "")
    assert err == f"error: cannot write {out}: the folder {out.parent} does not exist\n"
    assert not out.parent.exists()


def test_export_needs_format_and_out(demo_path: Path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(demo_path), "export", "--format", "csv"])
    assert exit_.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("count", "dry_run", "line"),
    [
        (0, True, "would add 0 new contacts"),
        (1, True, "would add 1 new contact"),
        (2, True, "would add 2 new contacts"),
        (1, False, "writing 1 new contact"),
    ],
)
def test_the_progress_line_counts_new_contacts_in_english(
    count: int, dry_run: bool, line: str
) -> None:
    assert _adding(count, dry_run=dry_run) == line
