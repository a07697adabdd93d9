"""Import and export timings: `python -m bench.bench_import [--rows N] [--network N]`.

Target: importing 10,000 LinkedIn rows takes at most 3 s (read, match, write, commit).
Prints medians of several runs; each import run goes into a fresh copy of its database.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import demo_file, peak_rss_mb
from lib.io.exporters import export_csv, export_vcard
from lib.io.importing import import_file
from lib.io.reminders import export_ics
from lib.records.duplicates import find_duplicates
from lib.store.db import open_database

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
POSITIONS = ("Senior Recruiter", "Head of Operations", "Director, Supply Chain", "Engineer")


def connections_file(path: Path, rows: int) -> Path:
    """A LinkedIn Connections.csv with `rows` people, preamble and quirks included."""
    lines = ["Notes:", '"Some email addresses may be missing."', "", HEADER]
    for i in range(rows):
        email = f"person{i}@example.com" if i % 3 else ""
        company = f'"Company {i % 400}, Ltd."' if i % 5 == 0 else f"Company {i % 400}"
        position = f'"{POSITIONS[i % 4]}"'
        lines.append(
            f"First{i},Last{i} 🌿,https://www.linkedin.com/in/person-{i},{email},{company},"
            f"{position},{1 + i % 28:02d} Mar 2023"
        )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return path


def time_import(base: Path | None, source: Path, work: Path, repeat: int) -> float:
    """Median seconds of `import_file` (read, match, write, commit) into fresh copies of `base`."""
    times = []
    for run in range(repeat):
        target = work / f"run-{run}.duckdb"
        if base is not None:
            shutil.copy2(base, target)
        db = open_database(target)
        try:
            started = time.perf_counter()
            import_file(db, source)
            times.append(time.perf_counter() - started)
        finally:
            db.close()
        target.unlink()
    return statistics.median(times)


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--network", type=int, default=100_000, help="contacts already stored")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = connections_file(work / "Connections.csv", args.rows)
        size_mb = source.stat().st_size / 1e6
        print(f"Connections.csv: {args.rows:,} rows, {size_mb:.1f} MB")

        empty = time_import(None, source, work, args.repeat)
        print(f"import {args.rows:,} rows into an empty file:        median {empty:.2f} s")

        again = work / "again.duckdb"
        db = open_database(again)
        import_file(db, source)
        db.close()
        reimport = time_import(again, source, work, args.repeat)
        print(f"re-import the same {args.rows:,} rows (all known):    median {reimport:.2f} s")

        network, _ = demo_file(args.network, args.network * 10)
        big = time_import(network, source, work, max(1, args.repeat // 2))
        print(
            f"import {args.rows:,} rows into a {args.network:,}-contact network: median {big:.2f} s"
        )

        db = open_database(network, read_only=True)
        try:
            started = time.perf_counter()
            pairs = find_duplicates(db)
            took = time.perf_counter() - started
            total = int(pairs["total"].iloc[0]) if len(pairs) else 0
            print(
                f"possible duplicates in the {args.network:,}-contact network: {took:.2f} s "
                f"({total:,} pairs; the demo reuses 50 x 50 names at 16 companies)"
            )
            for name, export in (
                ("csv", lambda: export_csv(db)),
                ("vcard", lambda: export_vcard(db)),
                ("ics", lambda: export_ics(db, today=date.today())),
            ):
                started = time.perf_counter()
                size = len(export())
                took = time.perf_counter() - started
                print(
                    f"export {name:<5} of the {args.network:,}-contact network: "
                    f"{took:.2f} s, {size / 1e6:.1f} MB"
                )
        finally:
            db.close()
    print(f"peak memory: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
