"""Big and awkward import files, each in its own process: `python -m bench.bench_import_files`.

Targets (issue 13 and issue 15): a 1,000-card vCard imports in at most 2 s and 10,000
LinkedIn rows in at most 3 s; a 48 MB vCard holding one 35 MB photo and a LinkedIn CSV of
1,000,000 rows (22.8 MB) each import with a peak memory of at most 500 MB. Every file is
generated in a temporary folder; each case runs in a fresh process so its peak memory
(ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_import import connections_file
from bench.common import peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
FOLD = 74


def fold(line: str) -> str:
    """A vCard content line folded at 75 octets, as exporters write it (ASCII here)."""
    pieces = [line[:FOLD]] + [line[i : i + FOLD - 1] for i in range(FOLD, len(line), FOLD - 1)]
    return "\r\n ".join(pieces)


def vcard_file(path: Path, cards: int, photo_mb: float = 0.0) -> Path:
    """`cards` address-book cards (3.0, phones, e-mails, a folded note); the first with a photo."""
    with path.open("w", encoding="utf-8", newline="") as out:
        for i in range(cards):
            lines = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"N:Nüßlein{i};Zoë;;;",
                f"FN:Zoë Nüßlein{i}",
                f"ORG:Company {i % 400}\\, Ltd.;Sales",
                "TITLE:Director, Supply Chain",
                f"EMAIL;TYPE=INTERNET;TYPE=WORK;TYPE=pref:person{i}@example.com",
                f"EMAIL;TYPE=INTERNET;TYPE=HOME:p{i}@home.example.org",
                f"TEL;TYPE=CELL;TYPE=pref:+1 801-555-{i % 10000:04d}",
                f"TEL;TYPE=WORK:(801) 555-{(i * 7) % 10000:04d} x{i % 90 + 10}",
                f"item1.URL:https\\://www.linkedin.com/in/person-{i}",
                fold("NOTE:Met at the spring fair\\, talked about routes\\; " + "follow up " * 12),
            ]
            out.write("\r\n".join(lines) + "\r\n")
            if i == 0 and photo_mb:
                chunk = base64.b64encode(os.urandom(3 * 1024 * 256)).decode()  # 1 MB of base64
                out.write("PHOTO;ENCODING=b;TYPE=JPEG:")
                for _ in range(int(photo_mb)):
                    text = chunk
                    out.write("\r\n ".join(text[j : j + FOLD] for j in range(0, len(text), FOLD)))
                    out.write("\r\n ")
                out.write("AAAA\r\n")
            out.write("END:VCARD\r\n")
    return path


def linkedin_lean(path: Path, rows: int) -> Path:
    """A lean Connections.csv (names and company): 1,000,000 rows come to about 24 MB."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n")
        for i in range(rows):
            out.write(f"F{i % 1000},L{i},,,C{i % 400},,\r\n")
    return path


def run_case(kind: str, source: str) -> None:
    """Child process: import one file into a fresh database; print seconds and peak MB."""
    from lib.io.importing import import_file
    from lib.store.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.duckdb")
        try:
            started, cpu = time.perf_counter(), time.process_time()
            result = import_file(db, source)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            db.close()
    print(f"{took:.2f} {peak_rss_mb():.0f} {result.new} {cpu:.2f}")


def measure(kind: str, source: Path) -> tuple[float, float, int, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_import_files", "--child", kind, str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), float(out[3])


def main() -> None:
    """Generate the files, import each in its own process, print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the big LinkedIn CSV")
    args = parser.parse_args()
    if args.child:
        run_case(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        cases = [
            ("1,000-card vCard", vcard_file(work / "cards.vcf", 1_000), "≤ 2 s"),
            ("10,000 LinkedIn rows", connections_file(work / "Connections.csv", 10_000), "≤ 3 s"),
            (
                "vCard with a 35 MB photo",
                vcard_file(work / "photo.vcf", 15_000, photo_mb=35),
                "≤ 500 MB",
            ),
            (
                f"{args.rows:,} LinkedIn rows",
                linkedin_lean(work / "big.csv", args.rows),
                "≤ 500 MB",
            ),
        ]
        # CPU seconds beside wall seconds: on a shared, loaded machine the wall clock also
        # counts the time other processes had the cores.
        print(
            f"{'file':<28} {'size':>9} {'people':>9} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}"
            "  target"
        )
        for title, source, target in cases:
            took, peak, new, cpu = measure(title, source)
            size = source.stat().st_size / 1e6
            print(
                f"{title:<28} {size:>7.1f}MB {new:>9,} {took:>7.2f} {cpu:>7.2f} {peak:>8.0f}"
                f"  {target}",
                flush=True,
            )


if __name__ == "__main__":
    main()
