"""A failed command writes nothing; files are owner-only; foreign ids never break an add."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from lib.records.contacts import add_contact
from lib.records.duplicates import merge_contacts
from lib.records.events import log_event
from lib.store import migrations
from lib.store.db import open_database
from lib.store.files import repair_sequences
from lib.store.snapshot import snapshot_path
from tests.conftest import ROOT, TODAY
from tests.support import digest, run_cli

FIXTURES = Path(__file__).parents[1] / "fixtures"


def state(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under `folder`: its content hash, mode and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            found[str(path.relative_to(folder))] = (digest(path), info.st_mode, info.st_mtime_ns)
    return found


# --- a command that fails writes nothing at all ---------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import", "{tmp}/missing.csv"], "error: file: {tmp}/missing.csv does not exist"),
        (["import", "{tmp}"], "error: file: {tmp} is not a file"),
        (["import", "{tmp}/binary.csv"], "error: file: is binary, not a text export"),
        (["demo", "--contacts", "0"], "error: contacts: 0 is outside 1–10,000,000"),
        (["stats"], "error: no database at {db}: create one with `python -m lib.cli init` "
                    "(or `demo` for a sample network)"),
        (["export", "--format", "csv", "--out", "{tmp}/x.csv"],
         "error: no database at {db}: create one with `python -m lib.cli init` "
         "(or `demo` for a sample network)"),
        (["report", "--out", "{tmp}/r.html", "--to", "2026-02-30"],
         "error: to: 2026-02-30 is not a real date"),
    ],
)  # fmt: skip
def test_a_failed_command_creates_no_folder_database_or_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02garbage\xff")
    db = tmp_path / "new" / "deeper" / "x.duckdb"
    before = state(tmp_path)
    args = [a.format(tmp=tmp_path) for a in argv]

    code, printed, err = run_cli(capsys, *args, "--db", str(db))

    assert (code, printed) == (1, "")
    assert err.splitlines()[-1] == message.format(tmp=tmp_path, db=db)
    assert not (tmp_path / "new").exists()
    assert state(tmp_path) == before


def test_a_failed_import_into_a_new_file_in_an_existing_folder_leaves_no_file(
    tmp_path: Path, capsys
) -> None:
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02garbage\xff")
    db = tmp_path / "x.duckdb"
    code, _, _ = run_cli(capsys, "import", str(tmp_path / "binary.csv"), "--db", str(db))
    assert code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["binary.csv"]


@pytest.mark.parametrize(
    ("source", "extra"),
    [
        ("binary", []),
        (FIXTURES / "linkedin_bad_rows.csv", ["--strict"]),
    ],
)
def test_a_refused_import_leaves_the_database_and_its_snapshot_untouched(
    demo_file: Path, tmp_path: Path, capsys, source: str | Path, extra: list[str]
) -> None:
    if source == "binary":
        source = tmp_path / "binary.csv"
        source.write_bytes(b"\x00\x01\x02garbage\xff")
    before = state(tmp_path)
    time.sleep(0.01)  # a rewrite would show in the modification times

    code, printed, _ = run_cli(capsys, "import", str(source), *extra, "--db", str(demo_file))

    assert (code, printed) == (1, "")
    assert state(tmp_path) == before


def test_opening_and_closing_a_writer_changes_no_file(demo_file: Path) -> None:
    before = state(demo_file.parent)
    time.sleep(0.01)
    open_database(demo_file).close()
    assert state(demo_file.parent) == before


# --- owner-only files, whatever the umask ----------------------------------------------------

_UNDER_UMASK_022 = """
import os, sys
os.umask(0o022)
from lib.cli import main
sys.exit(main(sys.argv[1:]))
"""


def cli_with_umask_022(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _UNDER_UMASK_022, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = data / "network.duckdb"
    assert cli_with_umask_022("demo", "--db", str(db)).returncode == 0
    report = tmp_path / "report.html"
    export = tmp_path / "export.csv"
    assert cli_with_umask_022("report", "--db", str(db), "--out", str(report)).returncode == 0
    done = cli_with_umask_022("export", "--db", str(db), "--format", "csv", "--out", str(export))
    assert done.returncode == 0

    assert mode(data) == 0o700
    assert {p.name: mode(p) for p in data.iterdir()} == {
        "network.duckdb": 0o600,
        "network.snapshot.duckdb": 0o600,
    }
    assert (mode(report), mode(export)) == (0o600, 0o600)


def test_a_backup_before_migrating_is_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "network.duckdb"
    con = duckdb.connect(str(db))
    migrations.migrate(con, target=1)
    con.close()
    os.chmod(db, 0o644)  # an old file, readable by all

    assert cli_with_umask_022("init", "--db", str(db)).returncode == 0

    [backup] = tmp_path.glob("network.v1-backup-*.duckdb")
    assert mode(backup) == 0o600
    assert mode(snapshot_path(db)) == 0o600


_PUBLISH_FOREVER = """
import sys
from lib.store.db import open_database
from lib.records.settings import put_setting
db = open_database(sys.argv[1])
print("open", flush=True)
i = 0
while True:
    i += 1
    with db.transaction():
        put_setting(db, "pitch", "x" * (i % 97))
    db.wait_for_snapshot()
"""


def test_a_kill_mid_publish_leaves_a_private_copy_that_the_next_open_removes(
    demo_file: Path,
) -> None:
    snap = snapshot_path(demo_file)
    tmp, tmp_wal = snap.with_name(snap.name + ".tmp"), snap.with_name(snap.name + ".tmp.wal")
    for _trial in range(30):
        writer = subprocess.Popen(
            [sys.executable, "-c", _PUBLISH_FOREVER, str(demo_file)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline() == "open\n"
        deadline = time.monotonic() + 10
        while not tmp.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        if tmp.exists():
            break
    else:
        pytest.fail("no kill landed while a snapshot was being written")
    assert mode(tmp) == 0o600
    assert not tmp_wal.exists() or mode(tmp_wal) == 0o600

    open_database(demo_file).close()

    assert not tmp.exists() and not tmp_wal.exists()
    assert mode(snap) == 0o600


# --- ids written by another tool ------------------------------------------------------------


def test_rows_with_foreign_ids_never_make_a_later_add_fail(demo_file: Path) -> None:
    con = duckdb.connect(str(demo_file))
    con.execute(
        "INSERT INTO contacts (id, full_name, identified_on) "
        "VALUES (51, 'Restored One', DATE '2026-01-02'), (900, 'Restored Two', DATE '2026-01-03')"
    )
    con.execute(
        "INSERT INTO events (id, contact_id, kind, occurred_on) "
        "SELECT 100000 + i, 51, 'note', DATE '2026-01-04' FROM range(3) t(i)"
    )
    con.close()

    db = open_database(demo_file)
    try:
        first = add_contact(db, {"full_name": "New After Restore", "identified_on": TODAY})
        second = add_contact(db, {"full_name": "And Another", "identified_on": TODAY})
        step = log_event(db, {"contact_id": first, "kind": "note", "occurred_on": TODAY})
        assert (first, second, step) == (901, 902, 100003)
        assert db.scalar("SELECT count(*) FROM contacts") == 54
        assert db.scalar("SELECT count(DISTINCT id) FROM events") == db.scalar(
            "SELECT count(*) FROM events"
        )
    finally:
        db.close()


def test_every_table_with_a_sequence_is_repaired(demo_file: Path) -> None:
    db = open_database(demo_file)
    merge_contacts(db, 1, 2)
    db.close()
    con = duckdb.connect(str(demo_file))
    con.execute(
        "INSERT INTO contact_merges (id, kept_id, removed_id, kept_before, kept_after, removed, "
        "moved_events, moved_referrals) VALUES (77, 1, 3, '{}', '{}', '{}', [], [])"
    )
    assert sorted(repair_sequences(con)) == ["contact_merges_id_seq"]
    assert repair_sequences(con) == []  # nothing more to move, nothing written
    con.close()
    db = open_database(demo_file)
    try:
        merge_contacts(db, 1, 4)
        assert db.scalar("SELECT max(id) FROM contact_merges") == 78
    finally:
        db.close()
