"""kill -9 in the middle of writes and of a migration: nothing acknowledged lost, nothing half.

The kill -9 harness lives in bench/kill9.py (which runs 20 trials and prints
the figures); here it runs WARMLEADS_KILL_TRIALS trials (default 5) so CI
stays fast, and its checker is itself checked on damage it must notice.
"""

from __future__ import annotations

import fnmatch
import os
import random
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bench.kill9 import TrialResult as KillTrial
from bench.kill9 import check, perform, plan, prepare, run_trial
from lib.store import migrations
from lib.store.db import open_database
from tests.processes import ROOT, python_env

TRIALS = int(os.environ.get("WARMLEADS_KILL_TRIALS", "5"))
V1_CONTACT_COLUMNS = (
    "id, full_name, company, title, email, phone, linkedin_url, notes, source, referred_by, "
    "may_use_name, identified_on, archived"
)
V1_EVENT_COLUMNS = "id, contact_id, kind, occurred_on, channel, notes"


def test_kill_9_during_a_burst_of_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    results = [run_trial(tmp_path, seed, rng) for seed in range(TRIALS)]

    problems = [(n, r.problems) for n, r in enumerate(results) if r.problems]
    assert problems == []
    assert sum(r.rows_lost for r in results) == 0
    assert all(r.acknowledged_ops >= 1 for r in results)
    for result in results:  # at most the one operation committed as the kill landed
        assert result.acknowledged_ops <= result.ops_on_disk <= result.acknowledged_ops + 1


SEED = 1  # operation 7 of seed 1 is a conversation: 2 events and 4 referrals in one transaction


@pytest.fixture
def burst(tmp_path: Path) -> tuple[Path, int, list[dict]]:
    """Operations 0–7 written in-process; 0–6 acknowledged, 7 committed but not acknowledged."""
    path = tmp_path / "network.duckdb"
    anchor = prepare(path)
    db = open_database(path)
    acks = [perform(db, plan(SEED, index, anchor)) for index in range(8)]
    db.close()
    assert len(acks[7]["events"]) == 2 and len(acks[7]["contacts"]) == 4
    return path, anchor, acks[:7]


def checked(path: Path, anchor: int, acks: list[dict]) -> KillTrial:
    result = KillTrial(acknowledged_ops=len(acks))
    check(path, SEED, anchor, acks, result)
    return result


def test_the_kill_check_passes_a_file_holding_every_acknowledged_write(burst) -> None:
    path, anchor, acks = burst
    result = checked(path, anchor, acks)
    assert result.problems == []
    assert result.rows_lost == 0
    assert result.ops_on_disk == 8


def test_the_kill_check_notices_a_lost_acknowledged_row(burst) -> None:
    path, anchor, acks = burst
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM events WHERE id = ?", [acks[0]["events"][-1]])

    result = checked(path, anchor, acks)

    assert result.rows_lost == 1
    assert result.problems == ["acknowledged operation 0 (conversation) is not exactly as written"]


def test_the_kill_check_notices_a_changed_value(burst) -> None:
    path, anchor, acks = burst
    with duckdb.connect(str(path)) as con:
        con.execute(
            "UPDATE contacts SET notes = notes || '!' WHERE id = ?", [acks[2]["contacts"][0]]
        )

    result = checked(path, anchor, acks)

    assert result.problems == ["acknowledged operation 2 (contact) is not exactly as written"]


def test_the_kill_check_notices_a_half_written_operation(burst) -> None:
    path, anchor, acks = burst
    with duckdb.connect(str(path)) as con:  # operation 7 keeps its events, loses a referral
        con.execute("DELETE FROM contacts WHERE id = (SELECT max(id) FROM contacts)")

    assert checked(path, anchor, acks).problems == ["operation 7 (conversation) is half-written"]


def test_the_kill_check_notices_a_file_that_does_not_open(burst) -> None:
    path, anchor, acks = burst
    path.write_bytes(b"not a database")

    result = checked(path, anchor, acks)

    assert result.problems[0].startswith("the file does not open:")
    assert result.rows_lost == sum(len(a["contacts"]) + len(a["events"]) for a in acks)


# --- kill -9 during a migration -------------------------------------------------------------

# Run in a child process: open (and so back up and migrate) a version-1 file, dying on the way.
_DIE_DURING_BACKUP = """
import os, shutil, signal, sys
from lib.store.db import open_database

def copy_half_then_die(src, dst, *args, **kwargs):
    data = open(src, "rb").read()
    with open(dst, "wb") as out:
        out.write(data[: len(data) // 2])
    os.kill(os.getpid(), signal.SIGKILL)

shutil.copy2 = copy_half_then_die
open_database(sys.argv[1])
"""
_DIE_DURING_MIGRATION = """
import os, signal, sys
from lib.store import migrations
from lib.store.db import open_database

version, name, step = migrations.MIGRATIONS[1]

def step_then_die(con):
    step(con)
    con.execute("INSERT INTO contacts (full_name, identified_on) VALUES ('ghost', current_date)")
    os.kill(os.getpid(), signal.SIGKILL)

migrations.MIGRATIONS[1] = (version, name, step_then_die)
open_database(sys.argv[1])
"""


def make_version_1_file(path: Path) -> list[tuple]:
    """A schema-1 file (as the first Warm Leads wrote) holding odd rows; returns its contacts."""
    con = duckdb.connect(str(path))
    migrations.migrate(con, target=1)
    for n in range(300):
        con.execute(
            "INSERT INTO contacts (full_name, notes, identified_on, referred_by, may_use_name) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                f"Contact {n} \u202eRTL\u202c 👩🏽‍💻",
                ("note " * 2000) if n % 50 == 0 else None,
                date(2026, 1, 1 + n % 28),
                n if n > 1 else None,
                True if n > 1 else None,
            ],
        )
        con.execute(
            "INSERT INTO events (contact_id, kind, occurred_on, notes) "
            "VALUES (?, 'contacted', ?, ?)",
            [n + 1, date(2026, 2, 1 + n % 28), f"event {n}"],
        )
    con.close()
    return v1_rows(path)


def v1_rows(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        contacts = con.execute(f"SELECT {V1_CONTACT_COLUMNS} FROM contacts ORDER BY id").fetchall()
        events = con.execute(f"SELECT {V1_EVENT_COLUMNS} FROM events ORDER BY id").fetchall()
    return contacts + events


def schema_version(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return migrations.current_version(con)


def die_opening(path: Path, script: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr


def backups(path: Path) -> list[Path]:
    pattern = f"{path.stem}.v*-backup-*{path.suffix}"
    return sorted(p for p in path.parent.iterdir() if fnmatch.fnmatch(p.name, pattern))


def test_kill_9_while_writing_the_backup_leaves_the_old_file_and_no_broken_backup(
    tmp_path: Path,
) -> None:
    path = tmp_path / "network.duckdb"
    rows = make_version_1_file(path)

    die_opening(path, _DIE_DURING_BACKUP)

    assert schema_version(path) == 1
    assert v1_rows(path) == rows
    # A half-copied file must never carry a backup's name: a user would trust it.
    assert backups(path) == []

    db = open_database(path)  # the next start backs up and migrates as usual
    db.close()
    assert schema_version(path) == migrations.LATEST_VERSION
    assert v1_rows(path) == rows
    (backup,) = backups(path)
    assert schema_version(backup) == 1
    assert v1_rows(backup) == rows


def test_kill_9_inside_the_migration_leaves_version_1_whole_and_a_complete_backup(
    tmp_path: Path,
) -> None:
    path = tmp_path / "network.duckdb"
    rows = make_version_1_file(path)

    die_opening(path, _DIE_DURING_MIGRATION)

    (backup,) = backups(path)
    assert schema_version(backup) == 1
    assert v1_rows(backup) == rows
    # The migration's uncommitted transaction (schema change and all) is gone whole.
    assert schema_version(path) == 1
    assert v1_rows(path) == rows
    with duckdb.connect(str(path), read_only=True) as con:
        assert not migrations.table_exists(con, "settings")

    db = open_database(path)
    db.close()
    assert schema_version(path) == migrations.LATEST_VERSION
    assert v1_rows(path) == rows


KILLED_AFTER_CREATING = """
import os, signal, sys
from lib.records.contacts import add_contact
from lib.store.db import open_database
db = open_database(sys.argv[1])
add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel"})
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_new_file_killed_right_after_its_first_write_opens_offline(tmp_path: Path) -> None:
    """The new schema is checkpointed: replaying a logged CREATE TABLE would need a download."""
    path = tmp_path / "new.duckdb"
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_CREATING, str(path)], cwd=ROOT, env=python_env()
    )
    assert killed.returncode == -signal.SIGKILL

    db = open_database(path)
    assert db.execute("SELECT full_name, company FROM contacts").fetchall() == [
        ("Ana Ruiz", "Kestrel")
    ]
    db.close()


# --- kill -9 during a correction and during an export under --force ------------------------


@pytest.mark.parametrize("kind", ["correction", "export"])
def test_kill_9_never_leaves_a_correction_or_a_replaced_export_half_done(
    tmp_path: Path, kind: str
) -> None:
    """bench/kill9_more.py's trials: the conversation stands on one day, the file is one
    export whole (python -m bench.kill9_more runs more)."""
    from bench.kill9_more import run

    rng = random.Random(7)
    results = [run(kind, tmp_path, seed, rng) for seed in range(3)]
    assert [r.problems for r in results] == [[], [], []]
    assert all(r.acknowledged >= 1 for r in results)
