"""kill -9 of the running app while a user adds targets in Chromium: no acknowledged add is lost.

    python -m bench.kill9_app [--trials 20] [--seed 1]

Each trial starts `streamlit run app.py` on a fresh file, opens the Contacts page's
add form in Debian's Chromium and adds targets one after another. An add is
*acknowledged* when the page shows "Added <name> as a target". The server's whole
process group is then killed with SIGKILL — right after an acknowledgement, or
(every other trial) a random moment after clicking "Add target" again, in the
middle of the submit. The file is then opened with `open_database`, as the next
start of the app would, and checked:

* it opens;
* every acknowledged target is there with exactly the name, company and notes typed;
* nothing else is, except the add in flight at the kill (whole, or absent).

tests/browser/test_kill9_app.py runs three of these trials on every test run.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/kill9_app.py` as well as `python -m bench.kill9_app`
    sys.path.insert(0, str(ROOT))

from lib.store.db import open_database  # noqa: E402
from tests.processes import free_port, python_env  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
APP_READY = "[data-testid=stApp][data-test-script-state=notRunning]"
WAIT = 30_000  # ms


@dataclass
class Trial:
    """What one trial typed, what the page acknowledged, and what the file held after the kill."""

    typed: list[tuple[str, str, str]]
    acknowledged: list[tuple[str, str, str]]
    found: list[tuple[str, str, str]]
    error: str | None = None  # why the file did not open

    @property
    def opened(self) -> bool:
        """The file opened after the kill."""
        return self.error is None

    @property
    def lost(self) -> list[tuple[str, str, str]]:
        """Acknowledged adds missing from the file, or there with other values."""
        return [row for row in self.acknowledged if row not in self.found]

    @property
    def stray(self) -> list[tuple[str, str, str]]:
        """Rows in the file that nobody typed (a partial or altered write)."""
        return [row for row in self.found if row not in self.typed]

    @property
    def in_flight_kept(self) -> bool:
        """The add being submitted at the kill reached the file (whole)."""
        return len(self.found) > len(self.acknowledged)


def target(trial: int, n: int) -> tuple[str, str, str]:
    """The name, company and notes of add number n of a trial: distinct, with non-ASCII text."""
    return (
        f"Kestrel {trial:02d}-{n:02d} Ødegård",
        f"Northwind {n} “Ops”",
        f"Met at the mixer — ask about ops 👩🏽‍💻 (trial {trial}, add {n})",
    )


def submit(page, row: tuple[str, str, str]) -> None:
    """Fill the add form and click "Add target" (without waiting for the answer).

    Each field is filled and left (Tab), as a person does; a field filled while the last
    rerun was still replacing the form is filled again, so what is clicked is what was typed.
    """
    fields = list(
        zip(
            # .first: while a rerun replaces the form, its old and new fields both match.
            (page.get_by_label("Name *").first, page.get_by_label("Company", exact=True).first,
             page.get_by_label("Notes").first),
            row,
            strict=True,
        )
    )  # fmt: skip
    for _attempt in range(5):
        for field, value in fields:
            if field.input_value() != value:
                field.fill(value)
                field.press("Tab")
        page.wait_for_timeout(300)
        page.wait_for_selector(APP_READY, timeout=WAIT)
        if all(field.input_value() == value for field, value in fields):
            break
    else:
        raise RuntimeError(f"the form would not hold {row}")
    page.get_by_role("button", name="Add target").click()


def acknowledged(page, name: str) -> None:
    """Wait for the page to confirm the add, and for its rerun to finish."""
    page.get_by_text(f"Added {name} as a target").wait_for(timeout=WAIT)
    page.wait_for_selector(APP_READY, timeout=WAIT)


def run_trial(
    page,
    url: str,
    process: subprocess.Popen,
    path: Path,
    *,
    trial: int,
    adds: int,
    mid_submit: bool,
    rng: random.Random,
) -> Trial:
    """Add `adds` targets through the page, kill -9 the server, and read back the file."""
    # The home page first: a fresh server's first visit to another page's URL shows Streamlit's
    # "Page not found" modal over the right page (streamlit/streamlit#9992).
    for address in (url, f"{url}/contacts?add=1"):
        page.goto(address)
        page.wait_for_selector(APP_READY, timeout=WAIT)
    typed, done = [], []
    for n in range(adds):
        row = target(trial, n)
        typed.append(row)
        submit(page, row)
        acknowledged(page, row[0])
        done.append(row)
    if mid_submit:
        row = target(trial, adds)
        typed.append(row)
        submit(page, row)
        time.sleep(rng.uniform(0.0, 0.4))  # somewhere inside the rerun that writes
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    try:
        db = open_database(path)
    except Exception as exc:  # noqa: BLE001 — a file that does not open is what is counted
        return Trial(typed, done, [], error=f"{type(exc).__name__}: {exc}")
    found = [
        tuple(row)
        for row in db.execute(
            "SELECT full_name, company, notes FROM contacts ORDER BY id"
        ).fetchall()
    ]
    db.close()
    return Trial(typed, done, found)


def start_app(path: Path, log: Path) -> tuple[str, subprocess.Popen]:
    """`streamlit run app.py` on a free port, in its own process group; waits until healthy."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=python_env(WARMLEADS_DB=str(path)), stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return url, process
        except OSError:
            time.sleep(0.25)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(f"streamlit did not start:\n{log.read_text(errors='replace')[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    from playwright.sync_api import sync_playwright

    totals = {"acknowledged": 0, "lost": 0, "stray": 0, "unopenable": 0, "in_flight_kept": 0}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for number in range(args.trials):
            path = Path(tmp) / f"trial-{number}.duckdb"
            url, process = start_app(path, Path(tmp) / f"trial-{number}.log")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            try:
                trial = run_trial(
                    page, url, process, path, trial=number, adds=rng.randint(1, 4),
                    mid_submit=number % 2 == 1, rng=rng,
                )  # fmt: skip
            finally:
                page.close()
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
            totals["acknowledged"] += len(trial.acknowledged)
            totals["lost"] += len(trial.lost)
            totals["stray"] += len(trial.stray)
            totals["unopenable"] += not trial.opened
            totals["in_flight_kept"] += trial.in_flight_kept
            print(
                f"trial {number + 1}: {len(trial.acknowledged)} acknowledged, "
                f"{len(trial.lost)} lost, {'mid-submit' if number % 2 else 'after ack'}",
                flush=True,
            )
        browser.close()
    print(
        f"trials {args.trials} / acknowledged {totals['acknowledged']} / lost {totals['lost']} / "
        f"stray {totals['stray']} / unopenable {totals['unopenable']} / "
        f"in-flight add kept {totals['in_flight_kept']}"
    )


if __name__ == "__main__":
    main()
