"""A 20-call session on a 390×844 phone screen in Debian's Chromium, on the demo network.

`python -m bench.bench_calls [--calls N]` builds the 50-person demo network plus 20 targets
with a number, starts the app the README's way (`run.py`), opens the Calling session in a
mobile browser (390×844, touch) and logs an outcome for each of N people (default 20: no
answer, voicemail, message in turn). For each call it times:

- *tap → logged*: from the tap on the outcome until the card says "Logged: …" with its
  Undo and the script has finished (the card is ready for the next tap);
- *Next call → next card*: from the tap on Next call until the next person's card is ready.

Target (issue 22): tap → logged ≤ 0.5 s. Prints the median, the 90th percentile and the
slowest of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_first_visit import start_app  # noqa: E402
from bench.page_timing import rerun_seconds, time_first_pages  # noqa: E402
from lib.core.vocab import ATTEMPT_OUTCOME  # noqa: E402
from lib.io.demo import load_demo  # noqa: E402
from lib.records.contacts import add_contact  # noqa: E402
from lib.store.db import open_database  # noqa: E402
from tests.processes import stop_group  # noqa: E402

READY = "[data-testid=stApp][data-test-script-state=notRunning]"
OUTCOMES = ("no_answer", "voicemail", "message")
PHONE = {"width": 390, "height": 844}


def build(path: Path, extra: int) -> None:
    """The demo network and `extra` targets with a number, so every call can be logged."""
    db = open_database(path)
    load_demo(db)
    today = date.today()
    for n in range(extra):
        add_contact(
            db,
            {
                "full_name": f"Caller Bench {n + 1:02d}",
                "phone": f"+44 20 7946 {n:04d}",
                "identified_on": today - timedelta(days=n % 10),
            },
        )
    db.close()


def ready(page: Page) -> None:
    page.wait_for_selector(READY, timeout=60_000)


def session(url: str, calls: int) -> tuple[list[float], list[float]]:
    """Log `calls` outcomes in a phone browser; (tap → logged, Next call → next card) times."""
    logged, moved = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            time_first_pages(context)
            page = context.new_page()
            page.goto(f"{url}/call")
            ready(page)
            page.get_by_role("button", name="Start calling").click()
            page.get_by_text("Call 1 of ").wait_for(timeout=60_000)
            ready(page)
            for number in range(calls):
                outcome = OUTCOMES[number % len(OUTCOMES)]
                button = page.get_by_role("button", name=ATTEMPT_OUTCOME.label(outcome))
                button.wait_for(timeout=60_000)
                logged.append(rerun_seconds(page, button))
                page.get_by_text(f"Logged: {ATTEMPT_OUTCOME.short(outcome)}").wait_for(
                    timeout=60_000
                )
                moved.append(rerun_seconds(page, page.get_by_role("button", name="Next call")))
                page.get_by_text(f"Call {number + 2} of ").wait_for(timeout=60_000)
        finally:
            browser.close()
    return logged, moved


def summary(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    return f"{label:<24} {statistics.median(times):>7.2f}s {p90:>7.2f}s {ordered[-1]:>7.2f}s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "network.duckdb"
        build(db_path, args.calls)
        process, url = start_app(db_path, Path(folder) / "app.log")
        try:
            logged, moved = session(url, args.calls)
        finally:
            stop_group(process)
    print(f"a {args.calls}-call session at 390×844 (Chromium, is_mobile), demo network + 20")
    print(f"{'':<24} {'median':>8} {'p90':>8} {'slowest':>8}")
    print(summary("tap → logged in place", logged))
    print(summary("Next call → next card", moved))
    print(summary("per call (both)", [a + b for a, b in zip(logged, moved, strict=True)]))


if __name__ == "__main__":
    main()
