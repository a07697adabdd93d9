"""First page idle in Chromium from a fresh server: the app next to a trivial two-page app.

`python -m bench.bench_first_paint [--runs 5] [--busy]` builds the 50-person demo, then for
each run starts a fresh server, opens a fresh Chromium on it and times from the request until
the first page is drawn: its script has ended, its title is there, and the figure is the
moment of its last change, noted by the page itself (bench/page_timing.py). Three servers
take turns, alternating within each run so the machine's load falls on all of them alike:

* `streamlit run app.py` (Today is the first page; the first visit pays the imports);
* `python run.py` (the README's launcher: it imports before the server starts);
* `streamlit run` a two-page app (`st.navigation` of two pages each writing a line): the floor.

The ratio is each median over the trivial app's median. `--busy` keeps one core busy with a
second process while measuring, as a laptop doing other things would.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_first_visit import busy_core, start_app  # noqa: E402
from bench.page_timing import first_page_seconds, time_first_pages  # noqa: E402
from lib.io.demo import load_demo  # noqa: E402
from lib.store.db import open_database  # noqa: E402
from tests.processes import stop_group  # noqa: E402

TRIVIAL = """import streamlit as st


def first():
    st.title("First")
    st.write("A line of text.")


def second():
    st.title("Second")
    st.write("Another line.")


st.navigation([st.Page(first, title="First"), st.Page(second, title="Second")]).run()
"""


def first_paint(playwright, url: str) -> float:  # noqa: ANN001 - Playwright's own type
    """Seconds from the request until the first page is idle, in a fresh browser."""
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
    )
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        time_first_pages(context)
        return first_page_seconds(context.new_page(), url)
    finally:
        browser.close()


def one(playwright, folder: Path, db_path: Path, kind: str) -> float:  # noqa: ANN001
    """Start a fresh server of this kind, time its first page, stop it."""
    script = {"app": ROOT / "app.py", "run.py": None, "trivial": folder / "trivial.py"}[kind]
    process, url = start_app(db_path, folder / f"{kind}.log", script)
    try:
        return first_paint(playwright, url)
    finally:
        stop_group(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    args = parser.parse_args()
    kinds = ("app", "trivial", "run.py")
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "trivial.py").write_text(TRIVIAL)
        db_path = folder / "network.duckdb"
        db = open_database(db_path)
        load_demo(db)
        db.close()
        busy = busy_core() if args.busy else None
        try:
            with sync_playwright() as playwright:
                for run in range(args.runs):
                    order = kinds if run % 2 == 0 else tuple(reversed(kinds))
                    for kind in order:
                        times[kind].append(one(playwright, folder, db_path, kind))
        finally:
            if busy is not None:
                stop_group(busy)
    floor = statistics.median(times["trivial"])
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"first page idle from a fresh server, median of {args.runs} (Chromium, fresh cache)")
    print(f"load average (1, 5, 15 min) before: {load_before}; after: {load}")
    print("one core kept busy meanwhile" if busy else "nothing kept busy by the bench")
    labels = {
        "app": "streamlit run app.py",
        "run.py": "python run.py",
        "trivial": "two-page trivial app",
    }
    for kind in ("app", "run.py", "trivial"):
        median = statistics.median(times[kind])
        spread = ", ".join(f"{value:.2f}" for value in times[kind])
        print(f"{labels[kind]:<22} {median:>5.2f}s  {median / floor:>4.2f}x  ({spread})")


if __name__ == "__main__":
    main()
