"""Time the daily pages at 100,000 contacts / 1,000,000 events: each page's AppTest run, a
conversation-form submit and a call attempt, median of 5. Targets: a page ≤ 1 s cold (Today
≤ 0.2 s warm), a submit ≤ 0.5 s, logging an attempt ≤ 0.3 s.

    python -m bench.bench_pages [--contacts N] [--events M] [--repeat R]

"cold" runs clear the query cache first (what the first view after a write costs);
"warm" runs reuse it (revisiting a page with nothing new written). The connection is
cached in both, as in the app.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import tempfile
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.common import demo_file, median_seconds, peak_rss_mb
from lib.store.db import open_database

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE_TARGET = 1.0
SUBMIT_TARGET = 0.5
TODAY_WARM_TARGET = 0.2
ATTEMPT_TARGET = 0.3


def first_to_call(path: Path) -> int:
    """The first person on Today's "To contact" list (where the attempt buttons are)."""
    from datetime import date

    from lib.engine.due import due_page

    db = open_database(path)
    try:
        rows, _ = due_page(db, date.today())
        return int(next(row["id"] for row in rows if row["list"] == "to_contact"))
    finally:
        db.close()


def attempt_write(path: Path, contact_id: int, repeat: int) -> float:
    """Median time of log_attempt itself (validate, check the contact, insert, commit)."""
    from lib.records.events import log_attempt

    db = open_database(path)
    # Outcomes in turn: the same one again within seconds is the same click (nothing written).
    outcomes = iter(("voicemail", "no_answer") * repeat)
    try:
        return median_seconds(lambda: log_attempt(db, contact_id, next(outcomes)), repeat)
    finally:
        db.close()


def attempt_click(contact_id: int, repeat: int) -> float:
    """Median time from picking an outcome on Today to Today shown again, logged (cold)."""
    timings = []
    for number in range(repeat):
        at = AppTest.from_file(APP, default_timeout=120)
        at.switch_page("pages/work/today.py").run()
        pills = at.pills(key=f"try_to_contact_{contact_id}")
        outcome = ("voicemail", "no_answer")[number % 2]  # a repeat within seconds is one click

        def click(pills=pills, test=at, outcome=outcome) -> None:
            pills.set_value(outcome)
            test.run()
            assert not test.exception, test.exception
            logged = [m.value for m in test.markdown if "Logged:" in m.value]
            assert logged, "the attempt did not confirm in place"

        timings.append(median_seconds(click, repeat=1))
    return sorted(timings)[len(timings) // 2]


def busiest_contact(path: Path) -> int:
    """The contact with the most logged steps (the heaviest contact view)."""
    db = open_database(path)
    try:
        return int(
            db.scalar("SELECT contact_id FROM events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        )
    finally:
        db.close()


def page_run(page: str, params: dict[str, str], *, cold: bool) -> None:
    if cold:
        st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception


def conversation_submit(contact_id: int, repeat: int) -> float:
    """Median time from clicking "Log conversation" (two referrals) to the page shown again."""
    timings = []
    for number in range(repeat):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["contact"] = str(contact_id)
        at.switch_page("pages/work/log.py").run()
        for row, name in ((1, f"Bench Referral {number}a"), (2, f"Bench Referral {number}b")):
            next(w for w in at.text_input if w.label == f"Referral {row}: name").input(name)
        next(w for w in at.checkbox if w.label == "Thanked them at the time").check()
        submit = next(b for b in at.button if b.label == "Log conversation")

        def click(button=submit, test=at) -> None:
            button.click()
            test.run()
            assert not test.exception, test.exception
            assert test.success, "the submit did not confirm"

        timings.append(median_seconds(click, repeat=1))
    return sorted(timings)[len(timings) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    source, built = demo_file(args.contacts, args.events)
    if not math.isnan(built):  # NaN: the file was already there
        print(f"built {source.name} in {built:.1f} s")
    work = Path(tempfile.mkdtemp(prefix="warmleads-bench-")) / "network.duckdb"
    shutil.copy2(source, work)  # the submits write; keep the shared file pristine
    os.environ["WARMLEADS_DB"] = str(work)
    contact = str(busiest_contact(work))
    to_call = first_to_call(work)
    attempts = attempt_write(work, to_call, args.repeat)  # before the app holds the file

    cases = [
        ("Today", "pages/work/today.py", {}),
        ("Calling session", "pages/work/call.py", {}),
        ("Contacts (directory)", "pages/work/contacts.py", {}),
        ("Contacts (one contact)", "pages/work/contacts.py", {"contact": contact}),
        ("Log a step", "pages/work/log.py", {"contact": contact}),
        ("Pitch coach", "pages/work/pitch.py", {"contact": contact}),
    ]
    print(f"{args.contacts:,} contacts / {args.events:,} events, median of {args.repeat}")
    print(f"{'page':<26}{'cold':>9}{'warm':>9}   target ≤ {PAGE_TARGET:.1f} s")
    page_run("pages/work/today.py", {}, cold=True)  # open the connection once, as the app does
    for label, page, params in cases:
        cold = median_seconds(lambda p=page, q=params: page_run(p, q, cold=True), args.repeat)
        warm = median_seconds(lambda p=page, q=params: page_run(p, q, cold=False), args.repeat)
        slow = cold > PAGE_TARGET or (label == "Today" and warm > TODAY_WARM_TARGET)
        print(f"{label:<26}{cold:>8.3f}s{warm:>8.3f}s   {'SLOW' if slow else 'ok'}")
    submit = conversation_submit(int(contact), args.repeat)
    verdict = "ok" if submit <= SUBMIT_TARGET else "SLOW"
    target = f"target ≤ {SUBMIT_TARGET:.1f} s"
    print(f"{'conversation submit':<26}{submit:>8.3f}s{'':>9}   {target} {verdict}")
    verdict = "ok" if attempts <= ATTEMPT_TARGET else "SLOW"
    target = f"target ≤ {ATTEMPT_TARGET:.1f} s"
    print(f"{'call attempt (write)':<26}{attempts:>8.3f}s{'':>9}   {target} {verdict}")
    click = attempt_click(to_call, args.repeat)
    print(f"{'call attempt (click→page)':<26}{click:>8.3f}s{'':>9}   (Today rerun, cold)")
    print(f"peak memory {peak_rss_mb():.0f} MB")
    shutil.rmtree(work.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
