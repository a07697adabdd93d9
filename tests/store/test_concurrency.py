"""Several sessions writing at once, as Streamlit runs them: threads sharing one connection.

Each thread takes its own `cursor()` from the one cached connection, exactly as
`lib.ui.data.get_db()` does for every script run. Every write must land and no
thread may see "connection is busy" or a transaction conflict.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from lib.engine import stats
from lib.engine.stats import Scope
from lib.records import settings
from lib.records.contacts import add_contact, count_contacts, get_contact, update_contact
from lib.records.events import Conversation, log_conversation, log_event
from lib.store.db import Database

TODAY = date(2026, 11, 25)
THREADS = 6
ROUNDS = 25


def run_threads(work: Callable[[int], None], threads: int = THREADS) -> list[BaseException]:
    """Run `work(n)` in `threads` threads started together; return what they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:  # collected and reported by the test
            errors.append(exc)

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in pool), "a writer thread hung"
    return errors


def test_sessions_adding_and_logging_at_once_all_land(db: Database) -> None:
    anchor = add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)
    period = stats.make_period(as_of=TODAY)

    def session(n: int) -> None:
        cur = db.cursor()
        for i in range(ROUNDS):
            contact = add_contact(cur, {"full_name": f"T{n}-{i}", "notes": "ש"}, today=TODAY)
            log_event(cur, {"contact_id": contact, "kind": "contacted"}, today=TODAY)
            log_conversation(
                cur,
                Conversation(
                    contact_id=anchor,
                    occurred_on=TODAY,
                    thanked=True,
                    referrals=[{"full_name": f"R{n}-{i}"}],
                ),
                today=TODAY,
            )
            stats.funnel(cur, Scope(period))  # reads interleave with the writes

    errors = run_threads(session)

    assert errors == []
    assert count_contacts(db) == 1 + THREADS * ROUNDS * 2
    assert db.scalar("SELECT count(*) FROM events") == THREADS * ROUNDS * (1 + 3)
    names = {r[0] for r in db.execute("SELECT full_name FROM contacts").fetchall()}
    for n in range(THREADS):
        for i in range(ROUNDS):
            assert {f"T{n}-{i}", f"R{n}-{i}"} <= names
    assert db.data_version == 1 + THREADS * ROUNDS * 3


def test_sessions_editing_the_same_contact_at_once_never_conflict(db: Database) -> None:
    contact = add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)

    def session(n: int) -> None:
        cur = db.cursor()
        for i in range(ROUNDS):
            update_contact(cur, contact, {"notes": f"{n}-{i}"}, today=TODAY)

    errors = run_threads(session)

    assert errors == []
    assert get_contact(db, contact)["notes"] in {f"{n}-{ROUNDS - 1}" for n in range(THREADS)}


def test_sessions_saving_the_same_setting_at_once_never_conflict(db: Database) -> None:
    def session(n: int) -> None:
        cur = db.cursor()
        for i in range(ROUNDS):
            settings.set_setting(cur, "pitch", f"pitch {n}-{i}")

    errors = run_threads(session)

    assert errors == []
    assert settings.get_setting(db, "pitch") in {f"pitch {n}-{ROUNDS - 1}" for n in range(THREADS)}


def test_script_runs_through_lib_ui_write_and_read_at_once(app_env: Path) -> None:
    """lib.ui.data.get_db() hands each run a cursor; cached reads follow every committed write."""
    from lib.ui import data as ui

    period = stats.make_period(as_of=TODAY)
    seen: list[int] = []

    def script_run(n: int) -> None:
        for i in range(ROUNDS):
            db = ui.get_db()  # what every page does at the top of a run
            add_contact(db, {"full_name": f"T{n}-{i}"}, today=TODAY)
            funnel = ui.query(stats.funnel, Scope(period))
            seen.append(int(funnel["contacts"].iloc[0]))

    errors = run_threads(script_run, threads=2)

    assert errors == []
    assert count_contacts(ui.get_db()) == 2 * ROUNDS
    assert int(ui.query(stats.funnel, Scope(period))["contacts"].iloc[0]) == 2 * ROUNDS
    assert max(seen) == 2 * ROUNDS  # the last read after the last write saw every row
    assert all(1 <= count <= 2 * ROUNDS for count in seen)


@pytest.mark.parametrize("threads", [2, 8])
def test_concurrent_writes_leave_ids_unique_and_dense(db: Database, threads: int) -> None:
    def session(n: int) -> None:
        cur = db.cursor()
        for i in range(ROUNDS):
            add_contact(cur, {"full_name": f"T{n}-{i}"}, today=TODAY)

    assert run_threads(session, threads) == []
    ids = [r[0] for r in db.execute("SELECT id FROM contacts ORDER BY id").fetchall()]
    assert ids == list(range(1, threads * ROUNDS + 1))
