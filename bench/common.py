"""Shared benchmark helpers: demo databases by size, medians, peak memory."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from lib.io.demo import load_demo
from lib.store.db import open_database

BENCH_DIR = Path(__file__).resolve().parent


def demo_file(
    contacts: int, events: int, *, seed: int = 7, fresh: bool = False
) -> tuple[Path, float]:
    """A demo database of this size under bench/ (built once, or again when `fresh`).

    Returns the file and the build time (NaN when an existing file was reused).
    """
    path = BENCH_DIR / f"demo-{contacts}-{events}-s{seed}.duckdb"
    if fresh:
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
    if path.exists():
        return path, float("nan")
    started = time.perf_counter()
    db = open_database(path)
    load_demo(db, contacts=contacts, events=events, seed=seed)
    db.close()
    return path, time.perf_counter() - started


def median_seconds(action: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of `repeat` runs of `action`."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
