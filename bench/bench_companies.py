"""Target companies at scale: `python -m bench.bench_companies [--network N] [--events M]
[--companies K] [--lines L] [--repeat R]`.

1. Importing a list of L company names (default 10,000; target ≤ 2 s), into an empty file
   and into a copy of the demo network (where it also links the people there).
2. The target list (`lib.engine.companies.target_list`, the Companies page's one query) on
   a demo network of N contacts and M events (default 100,000 / 1,000,000) whose people
   work at K companies (default 5,000), every one of them a target: median of R cold-ish
   runs on a fresh connection each (target ≤ 1 s).
3. The Companies page on that file, through AppTest as `bench_pages` times a page: "cold"
   clears the query cache first (the first view after a write), "warm" reuses it; the
   connection stays cached, as in the app. Median of R (target ≤ 1 s cold).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import demo_file, median_seconds, peak_rss_mb
from lib.engine.companies import company_counts, target_list
from lib.records.companies import import_companies
from lib.store.db import open_database

TARGET_IMPORT_SECONDS = 2.0
TARGET_LIST_SECONDS = 1.0
TARGET_PAGE_SECONDS = 1.0
APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/work/companies.py"


def page_seconds(path: Path, repeat: int) -> tuple[float, float, int]:
    """Median cold and warm seconds of the Companies page on `path`, and the companies drawn."""
    import os

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["WARMLEADS_DB"] = str(path)
    drawn = 0

    def run(cold: bool) -> None:
        nonlocal drawn
        if cold:
            st.cache_data.clear()
        at = AppTest.from_file(APP, default_timeout=120)
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        drawn = sum(1 for m in at.markdown if "· Motivation" in m.value)

    run(cold=True)  # open the connection once, as the app does
    cold = median_seconds(lambda: run(cold=True), repeat)
    warm = median_seconds(lambda: run(cold=False), repeat)
    st.cache_resource.clear()  # close the app's connection to the file
    return cold, warm, drawn


def names(count: int) -> str:
    """A list of `count` company names, one a line, with a duplicate by key every 100th."""
    lines = [f"Company {i} Inc." for i in range(count)]
    for i in range(0, count, 100):
        lines[i] = f"company {max(i - 1, 0)}"  # the same key as the line before it
    return "\n".join(lines) + "\n"


def timed_import(path: Path, text: str) -> tuple[float, str]:
    """Seconds to import the list into the file at `path`, and what it said."""
    db = open_database(path)
    started = time.perf_counter()
    result = import_companies(db, text)
    seconds = time.perf_counter() - started
    db.close()
    return seconds, result.summary()


def main() -> None:
    """Print the timings and whether each meets its target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--network", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=5_000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source, built = demo_file(args.network, args.events)
    if built == built:  # not NaN: built just now
        print(f"built the demo network ({args.network:,} / {args.events:,}) in {built:.1f} s")
    text = names(args.lines)
    misses = []
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.duckdb"
        seconds, said = timed_import(empty, text)
        print(f"import {args.lines:,} names into an empty file: {seconds:.2f} s ({said})")
        misses += [f"import into an empty file {seconds:.2f} s"] * (seconds > TARGET_IMPORT_SECONDS)
        big = Path(folder) / "network.duckdb"
        shutil.copyfile(source, big)
        seconds, said = timed_import(big, text)
        print(
            f"import {args.lines:,} names into the {args.network:,}-contact network: "
            f"{seconds:.2f} s ({said[:90]}…)"
        )
        misses += [f"import into the network {seconds:.2f} s"] * (seconds > TARGET_IMPORT_SECONDS)

        # Every person at one of K companies, and every company a target.
        shutil.copyfile(source, big)
        db = open_database(big)
        db.execute(
            "UPDATE contacts SET company = 'Target ' || (id % ?)::VARCHAR || ' Ltd', "
            "company_id = NULL",
            [args.companies],
        )
        db.execute("DELETE FROM companies")
        said = import_companies(
            db, "\n".join(f"Target {i}" for i in range(args.companies))
        ).summary()
        linked = db.scalar("SELECT count(*) FROM contacts WHERE company_id IS NOT NULL")
        db.close()
        print(f"{said[:60]}…; {linked:,} people linked")
        today = date.today()

        def cold_list() -> None:
            view = open_database(big, read_only=True)
            target_list(view, today)
            view.close()

        seconds = median_seconds(cold_list, args.repeat)
        view = open_database(big, read_only=True)
        rows = target_list(view, today)
        counts_seconds = median_seconds(lambda: company_counts(view, today), args.repeat)
        view.close()
        print(
            f"target list of {len(rows):,} companies ({args.network:,} contacts, "
            f"{args.events:,} events), fresh connection each: median {seconds:.3f} s; "
            f"stats' companies section: {counts_seconds:.3f} s; peak {peak_rss_mb():.0f} MB"
        )
        misses += [f"target list {seconds:.3f} s"] * (seconds > TARGET_LIST_SECONDS)
        cold, warm, drawn = page_seconds(big, args.repeat)
        print(
            f"Companies page ({len(rows):,} companies, the first {drawn} drawn): "
            f"cold {cold:.3f} s, warm {warm:.3f} s (median of {args.repeat}); "
            f"peak {peak_rss_mb():.0f} MB"
        )
        misses += [f"Companies page {cold:.3f} s cold"] * (cold > TARGET_PAGE_SECONDS)
    print("all targets met" if not misses else "MISSED: " + "; ".join(misses))
    if misses:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
