"""How long sharing costs at 100,000 contacts / 1,000,000 events: snapshots, views, the report.

Run: python -m bench.bench_snapshot [--contacts N] [--events M]
Prints medians. A submit in the app must stay under 0.5 s: it commits, and the snapshot
follows in the background.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import demo_file, median_seconds, peak_rss_mb
from lib.engine import stats
from lib.present import report
from lib.records.contacts import add_contact
from lib.store import snapshot
from lib.store.db import open_database, open_view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()

    source, built = demo_file(args.contacts, args.events)
    print(f"database: {args.contacts:,} contacts, {args.events:,} events (built in {built:.1f} s)")
    work = Path(tempfile.mkdtemp(prefix="warmleads-bench-"))
    try:
        path = work / "network.duckdb"
        shutil.copy2(source, path)
        print(f"data file: {path.stat().st_size / 1e6:.1f} MB")

        db = open_database(path)
        db.wait_for_snapshot()
        cursor = db.cursor()
        publish = median_seconds(lambda: snapshot.publish(cursor.con, path), repeat=3)
        size = snapshot.snapshot_path(path).stat().st_size / 1e6
        print(f"publish one snapshot (copy + rename): median {publish:.3f} s, {size:.1f} MB")

        # A submit: the commit returns while the copy runs in the background.
        submits = []
        for n in range(5):
            started = time.perf_counter()
            add_contact(db, {"full_name": f"Bench Person {n}"})
            submits.append(time.perf_counter() - started)
            time.sleep(0.05)
        submits.sort()
        print(f"add_contact while snapshots publish: median {submits[2] * 1000:.1f} ms")
        started = time.perf_counter()
        db.wait_for_snapshot()
        caught_up = time.perf_counter() - started
        print(f"then until the snapshot shows the last of them: {caught_up:.2f} s")

        started = time.perf_counter()
        db.close()
        print(f"close (final snapshot, if any is pending): {time.perf_counter() - started:.3f} s")

        view_open = median_seconds(lambda: open_view(path).close(), repeat=5)
        print(f"open_view on the current snapshot: median {view_open * 1000:.1f} ms")

        snapshot.snapshot_path(path).unlink()
        copy_open = median_seconds(lambda: open_view(path).close(), repeat=3)
        print(f"open_view with no snapshot (private copy of the file): median {copy_open:.3f} s")

        view = open_view(path)
        period = stats.make_period()
        build = median_seconds(lambda: report.build_report(view, period), repeat=3)
        page = report.build_report(view, period, redact=True)
        print(f"build_report: median {build:.3f} s; redacted report {len(page.encode()):,} bytes")
        view.close()
        print(f"peak memory: {peak_rss_mb():.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
