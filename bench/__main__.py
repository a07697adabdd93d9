"""Every benchmark in turn: `python -m bench` (each prints its own table).

Each runs in its own process so one's memory and caches don't colour the next. The first
run builds the 100,000-contact demo file under bench/ (git-ignored) and reuses it after.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = (
    ("stats engine and demo (issue: foundation)", ["bench/bench_stats.py"]),
    ("the CLI's stats --json next to bare DuckDB", ["-m", "bench.bench_cli"]),
    ("daily pages and a conversation submit", ["-m", "bench.bench_pages"]),
    ("review pages", ["-m", "bench.bench_dashboard"]),
    ("import and export", ["-m", "bench.bench_import"]),
    ("big and awkward import files", ["-m", "bench.bench_import_files"]),
    ("hostile import files: long values, 60,000 e-mails", ["-m", "bench.bench_hostile_files"]),
    (
        "fixing mistakes: edit, delete, undo an import, remove the demo",
        ["-m", "bench.bench_corrections"],
    ),
    ("a 20-call session on a phone screen", ["-m", "bench.bench_calls"]),
    ("snapshots for the read-only view", ["-m", "bench.bench_snapshot"]),
    ("kill -9 in a burst of writes", ["-m", "bench.kill9"]),
    ("data safety at size: round trip, far dates, --out", ["-m", "bench.bench_safety"]),
    ("suggested steps: a 50 MB call log, a 1 GB mbox", ["-m", "bench.bench_activity"]),
)


def main() -> int:
    """Run each benchmark; return non-zero if any failed."""
    failed = []
    for title, args in BENCHMARKS:
        print(f"\n=== {title}: python {' '.join(args)}", flush=True)
        if subprocess.run([sys.executable, *args], cwd=ROOT).returncode != 0:
            failed.append(title)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
