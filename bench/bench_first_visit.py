"""Each page's first visit in Debian's Chromium on the 50-person demo, and where the time goes.

`python -m bench.bench_first_visit [--runs N] [--pages "Dashboard,Network"] [--pause S]` builds
the demo network, starts the app the README's way (`run.py`), and for every page opens Today
in a fresh browser (empty cache), then clicks the page in the sidebar (as soon as Today is
drawn, or `--pause` seconds later, as a person reading it first would), while a second
process keeps one core busy (as a laptop doing other things would; `--no-busy` leaves it
out). *first*: from the click until the page is drawn, every chart included (the page notes
the moment: bench/page_timing.py). *again*: the same page after going to Today and back.
*long tasks*: main-thread tasks over 50 ms during the first visit (script parsing, chart
drawing). *JS fetched*: JavaScript downloaded for the first visit — a page with the
browser's first chart fetches Streamlit's plotly.js chunk (4.6 MB) unless the app loaded it
while idle (lib/ui/preload.py). Medians of N runs (default 3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.page_timing import first_page_seconds, rerun_seconds, time_first_pages  # noqa: E402
from lib.io.demo import load_demo  # noqa: E402
from lib.store.db import open_database  # noqa: E402
from tests.processes import free_port, python_env, stop_group  # noqa: E402

PAGES = ["Calling session", "Contacts", "Companies", "Log a step", "From phone & mail"]
PAGES += ["Pitch coach", "Import & export", "Dashboard", "Weekly review", "Network"]
OBSERVE = """() => {
  window.__long = [];
  new PerformanceObserver(list => list.getEntries().forEach(
    e => window.__long.push(e.duration))).observe({type: 'longtask', buffered: false});
  performance.clearResourceTimings();
}"""
HARVEST = """() => ({
  long: window.__long.reduce((a, b) => a + b, 0),
  js: performance.getEntriesByType('resource')
        .filter(r => r.name.endsWith('.js'))
        .map(r => [r.name.split('/').pop(), Math.round(r.duration), r.encodedBodySize]),
})"""


HELLO = 'import streamlit as st\nst.title("Hello")\nst.write("A line of text.")\n'


def start_app(db_path: Path, log: Path, script: Path | None = None) -> tuple[subprocess.Popen, str]:
    """The app the README's way (run.py), or `script` with `streamlit run` when given."""
    port = free_port()
    command = [sys.executable, "run.py"] if script is None else [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--server.port", str(port), "--server.headless", "true"],
            cwd=ROOT,
            env=python_env(WARMLEADS_DB=str(db_path)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.25)
    stop_group(process)
    raise SystemExit(f"the app did not start:\n{log.read_text()}")


def busy_core() -> subprocess.Popen:
    """A second process that keeps one core busy until stopped (stop_group)."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)


def visit(page: Page, label: str) -> float:
    """Seconds from the click on `label` in the sidebar until its page is drawn."""
    return rerun_seconds(page, page.locator("[data-testid=stSidebarNav] a", has_text=label).first)


def measure(url: str, runs: int, pause: float) -> dict[str, dict[str, float]]:
    found: dict[str, dict[str, list[float]]] = {}
    with sync_playwright() as playwright:
        for _ in range(runs):
            for label in PAGES:
                # A new browser each time: contexts of one browser share compiled scripts.
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
                )
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                time_first_pages(context)
                page = context.new_page()
                opened = first_page_seconds(page, url)
                page.wait_for_timeout(pause * 1000)  # a person reading Today before clicking
                page.evaluate(OBSERVE)
                first = visit(page, label)
                spent = page.evaluate(HARVEST)
                visit(page, "Today")
                again = visit(page, label)
                row = found.setdefault(label, {})
                for key, value in (
                    ("open_today", opened),
                    ("first", first),
                    ("again", again),
                    ("long_tasks", spent["long"] / 1000),
                    ("js_kb", sum(size for _, _, size in spent["js"]) / 1024),
                ):
                    row.setdefault(key, []).append(value)
                context.close()
                browser.close()
    return {
        label: {key: statistics.median(values) for key, values in row.items()}
        for label, row in found.items()
    }


def hello_world(folder: Path, runs: int) -> float:
    """The median first opening of a two-line Streamlit app in a fresh browser."""
    script = folder / "hello.py"
    script.write_text(HELLO)
    process, url = start_app(folder / "unused.duckdb", folder / "hello.log", script)
    times = []
    try:
        with sync_playwright() as playwright:
            for _ in range(runs):
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
                )
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                time_first_pages(context)
                times.append(first_page_seconds(context.new_page(), url))
                browser.close()
    finally:
        stop_group(process)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", help="comma-separated labels (default: every page)")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds on Today before the click (default 0: as soon as it is drawn)",
    )
    parser.add_argument(
        "--no-busy", action="store_true", help="measure without the process keeping a core busy"
    )
    args = parser.parse_args()
    if args.pages:
        PAGES[:] = [label.strip() for label in args.pages.split(",")]
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "network.duckdb"
        db = open_database(db_path)
        load_demo(db)
        db.close()
        busy = None if args.no_busy else busy_core()
        try:
            process, url = start_app(db_path, Path(folder) / "app.log")
            try:
                results = measure(url, args.runs, args.pause)
            finally:
                stop_group(process)
            floor = hello_world(Path(folder), max(args.runs, 3))
        finally:
            if busy is not None:
                stop_group(busy)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"first visits on the 50-person demo, median of {args.runs} (Chromium, fresh cache)")
    print(f"load average (1, 5, 15 min) before: {load_before}; after: {load}")
    print("nothing kept busy by the bench" if args.no_busy else "one core kept busy meanwhile")
    print(f"each click {args.pause:g} s after Today was drawn")
    print(f"{'page':<18} {'first':>7} {'again':>7} {'long tasks':>11} {'JS fetched':>11}")
    for label, row in results.items():
        print(
            f"{label:<18} {row['first']:>6.2f}s {row['again']:>6.2f}s "
            f"{row['long_tasks']:>10.2f}s {row['js_kb']:>8.0f} KB"
        )
    today = statistics.median(row["open_today"] for row in results.values())
    print(f"{'Today (opening)':<18} {today:>6.2f}s")
    print(f"{'hello world':<18} {floor:>6.2f}s  (a two-line Streamlit app, opened the same way)")


if __name__ == "__main__":
    main()
