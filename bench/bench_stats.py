"""Benchmark the stats engine and the demo generator at 1k and 100k contacts (10 events each).

    python bench/bench_stats.py [--sizes 1000 100000] [--repeat 5]

Each size runs in fresh processes (one builds the demo file, one times `stats()`), so a
size's peak memory is its own. Stats time is the median of `--repeat` in-process calls.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `lib` lives at the repository root; `common` sits beside us

from common import demo_file, median_seconds, peak_rss_mb  # noqa: E402 - needs the path above

from lib.engine.stats import make_period, stats  # noqa: E402
from lib.store.db import open_database  # noqa: E402

EVENTS_PER_CONTACT = 10
TARGET_CONTACTS = 100_000
TARGET_STATS_SECONDS = 0.5
TARGET_STATS_MB = 500
TARGET_DEMO_SECONDS = 30


def build(contacts: int) -> dict[str, float]:
    """Worker: build the demo file afresh; report its time and this process's peak memory."""
    _, seconds = demo_file(contacts, contacts * EVENTS_PER_CONTACT, fresh=True)
    return {"seconds": seconds, "peak_mb": peak_rss_mb()}


def measure(contacts: int, repeat: int) -> dict[str, float]:
    """Worker: time `stats()` on the built file, all time as of today; report peak memory."""
    path, _ = demo_file(contacts, contacts * EVENTS_PER_CONTACT)
    db = open_database(path, read_only=True)
    period = make_period()
    seconds = median_seconds(lambda: stats(db, period), repeat)
    # The due lists include close_loop (referrers to tell how it went): say how many.
    loops = len(stats(db, period)["due"]["close_loop"])
    db.close()
    return {"seconds": seconds, "peak_mb": peak_rss_mb(), "close_loop": loops}


def missed_targets(made: dict[str, float], timed: dict[str, float]) -> list[str]:
    """The targets a 100k-contact run missed, in words."""
    missed = []
    if timed["seconds"] > TARGET_STATS_SECONDS:
        missed.append(f"stats took {timed['seconds']:.3f} s")
    if timed["peak_mb"] > TARGET_STATS_MB:
        missed.append(f"stats peaked at {timed['peak_mb']:.0f} MB")
    if made["seconds"] >= TARGET_DEMO_SECONDS:
        missed.append(f"demo took {made['seconds']:.1f} s")
    return missed


def in_worker(*args: str) -> dict[str, float]:
    """Run one worker step in a fresh Python process and read its JSON answer."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, TARGET_CONTACTS])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worker", nargs=2, metavar=("STEP", "CONTACTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        step, contacts = args.worker[0], int(args.worker[1])
        result = build(contacts) if step == "build" else measure(contacts, args.repeat)
        print(json.dumps(result))
        return 0

    print(f"stats(): median of {args.repeat}; each size in its own processes\n")
    print(f"{'contacts':>10} {'events':>10}  demo s  demo MB  stats s  stats MB  close_loop")
    missed = None
    for contacts in args.sizes:
        made = in_worker("build", str(contacts))
        timed = in_worker("stats", str(contacts), "--repeat", str(args.repeat))
        events = contacts * EVENTS_PER_CONTACT
        print(
            f"{contacts:>10,} {events:>10,} {made['seconds']:>8.2f} {made['peak_mb']:>8.0f} "
            f"{timed['seconds']:>8.3f} {timed['peak_mb']:>9.0f} {timed['close_loop']:>11,}",
            flush=True,
        )
        if contacts == TARGET_CONTACTS:
            missed = missed_targets(made, timed)
    if missed is not None:
        print(
            f"\ntargets at {TARGET_CONTACTS:,} contacts: stats ≤ {TARGET_STATS_SECONDS} s and "
            f"≤ {TARGET_STATS_MB} MB, demo < {TARGET_DEMO_SECONDS} s"
            + (f" — MISSED: {'; '.join(missed)}" if missed else " — all met")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
