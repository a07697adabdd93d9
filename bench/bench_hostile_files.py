"""Hostile import files, each in a process of its own: `python -m bench.bench_hostile_files`.

Targets (issue 25, items 3 and 4): a 180 MB quoted-printable vCard, a 180 MB folded vCard, a
200 MB CSV with one cell on one line (and one over many lines) and a 100 MB UTF-16 vCard
each import with a peak memory of at most 500 MB, from the command line (`import_file`) and
as the app's upload does (`read_import` on the file's bytes, `plan_import`, `apply_import`:
the upload's bytes are held by the app, so they count); a card with 60,000 e-mail addresses
imports in at most 2 s.
Every file is generated in a temporary folder; peak memory is the child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
CARD_START = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Nüßlein;Zoë;;;\r\nFN:Zoë Nüßlein\r\n"
CARD_END = "EMAIL;INTERNET:zoe@example.org\r\nTEL;CELL:+1 801 555 0142\r\nEND:VCARD\r\n"
SENTENCE = "Met at the spring fair. Talked about routes and the planning team. "


def _card(number: int) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {number}\r\n"
        f"EMAIL:person{number}@example.com\r\nEND:VCARD\r\n"
    )


def _repeat_to(out: Callable[[str], object], piece: str, size: int) -> None:
    block = piece * max(1, (1 << 20) // len(piece))
    written = 0
    while written < size:
        out(block)
        written += len(block)


def quoted_printable_vcard(path: Path, size: int) -> Path:
    """One card whose NOTE is `size` bytes of quoted-printable soft-broken lines; cards around."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(_card(1) + CARD_START)
        out.write("NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:")
        _repeat_to(out.write, "=C3=BC" * 12 + "=\r\n", size)  # ü, 72 bytes and a soft break
        out.write("=C3=BC\r\n" + CARD_END + _card(3))
    return path


def folded_vcard(path: Path, size: int) -> Path:
    """One card whose NOTE is `size` bytes folded at 75 octets; cards around it."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(_card(1) + CARD_START + "NOTE:" + SENTENCE)
        line = (SENTENCE * 2)[:73]
        _repeat_to(out.write, "\r\n " + line, size)
        out.write("\r\n" + CARD_END + _card(3))
    return path


def one_cell_csv(path: Path, size: int) -> Path:
    """A LinkedIn Connections.csv whose second row's Company cell is `size` bytes, one line."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n")
        out.write('Ana,Ruiz,,ana@example.org,"')
        _repeat_to(out.write, SENTENCE, size)
        out.write('",CTO,01 Jan 2024\r\nBen,Okafor,,ben@example.org,Acme,COO,02 Jan 2024\r\n')
    return path


def many_lines_cell_csv(path: Path, size: int) -> Path:
    """The one-cell CSV, its cell spread over lines of one sentence each."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n")
        out.write('Ana,Ruiz,,ana@example.org,"')
        _repeat_to(out.write, SENTENCE + "\r\n", size)
        out.write('",CTO,01 Jan 2024\r\nBen,Okafor,,ben@example.org,Acme,COO,02 Jan 2024\r\n')
    return path


def utf16_folded_vcard(path: Path, size: int) -> Path:
    """The folded vCard, `size` bytes of it in UTF-16 (with a BOM)."""
    with path.open("w", encoding="utf-16", newline="") as out:
        out.write(_card(1) + CARD_START + "NOTE:" + SENTENCE)
        _repeat_to(out.write, "\r\n " + (SENTENCE * 2)[:73], size // 2)
        out.write("\r\n" + CARD_END + _card(3))
    return path


def utf16_notes_vcard(path: Path, size: int) -> Path:
    """A UTF-16 vCard of `size` bytes: cards with a folded 19,000-character note each."""
    note = "NOTE:" + (SENTENCE * 300)[:19_000]
    folded = "\r\n ".join(note[i : i + 74] for i in range(0, len(note), 74))
    written = 0
    number = 0
    with path.open("w", encoding="utf-16", newline="") as out:
        while written < size:
            number += 1
            card = (
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Nüßlein {number}\r\n"
                f"EMAIL:zoe{number}@example.org\r\n{folded}\r\nEND:VCARD\r\n"
            )
            out.write(card)
            written += 2 * len(card)
    return path


def many_emails_card(path: Path, count: int) -> Path:
    """One card with `count` EMAIL lines."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dee Park\r\n")
        for i in range(count):
            out.write(f"EMAIL;TYPE=INTERNET:person{i}@example.com\r\n")
        out.write("END:VCARD\r\n")
    return path


def run_case(how: str, source: str) -> None:
    """Child process: import one file into a fresh database; print seconds, peak MB, people."""
    from lib.io.importing import apply_import, import_file, plan_import, read_import
    from lib.store.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.duckdb")
        try:
            started = time.perf_counter()
            if how == "cli":
                new = import_file(db, source).new
            else:  # what the Data page does with an upload's bytes
                data = Path(source).read_bytes()
                parsed = read_import(data)
                plan_import(db, parsed)
                new = apply_import(db, parsed, file_name=Path(source).name).new
            took = time.perf_counter() - started
        finally:
            db.close()
    print(f"{took:.2f} {peak_rss_mb():.0f} {new}")


def measure(how: str, source: Path) -> tuple[float, float, int]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_hostile_files", "--child", how, str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    """Generate each file, import it both ways in processes of their own, print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("HOW", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=1.0, help="file sizes × this (try 0.05)")
    parser.add_argument("--gigabyte", action="store_true", help="also 1 GB files (CLI only)")
    args = parser.parse_args()
    if args.child:
        run_case(*args.child)
        return
    size = lambda mb: int(mb * MB * args.scale)  # noqa: E731
    both, cli = ("cli", "upload"), ("cli",)
    cases = [
        ("quoted-printable vCard", quoted_printable_vcard, "qp.vcf", size(180), both),
        ("folded vCard", folded_vcard, "folded.vcf", size(180), both),
        ("one-line-cell CSV", one_cell_csv, "Connections.csv", size(200), both),
        ("many-lines-cell CSV", many_lines_cell_csv, "lines.csv", size(200), both),
        ("UTF-16 vCard, folded", utf16_folded_vcard, "utf16.vcf", size(100), both),
        ("UTF-16 vCard, 19,000-ch notes", utf16_notes_vcard, "notes16.vcf", size(100), both),
        ("60,000 e-mails on one card", many_emails_card, "emails.vcf", 60_000, both),
    ]
    if args.gigabyte:  # the largest file `import` reads; an upload stops at 200 MB
        cases += [
            ("1 GB folded vCard", folded_vcard, "big.vcf", 1_000 * MB, cli),
            ("1 GB one-line-cell CSV", one_cell_csv, "big.csv", 1_000 * MB, cli),
        ]
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'file':<30} {'size':>9} {'how':>7} {'people':>7} {'wall s':>7} {'peak MB':>8}")
    for title, make, name, amount, ways in cases:
        with tempfile.TemporaryDirectory() as folder:
            source = make(Path(folder) / name, amount)
            megabytes = source.stat().st_size / MB
            for how in ways:
                took, peak, new = measure(how, source)
                print(
                    f"{title:<30} {megabytes:>7.1f}MB {how:>7} {new:>7,} {took:>7.2f} {peak:>8.0f}",
                    flush=True,
                )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
