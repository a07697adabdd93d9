"""Opening the file: creating it, refusing damaged or locked files untouched, the write path."""

from __future__ import annotations

import os
import stat
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from lib.core.errors import DatabaseError, DatabaseLockedError, ReadOnlyError
from lib.store import migrations
from lib.store.db import Database, open_database, resolve_db_path
from tests.support import digest


def add_person(db: Database, name: str) -> None:
    db.execute(
        "INSERT INTO contacts (id, full_name, identified_on) "
        "VALUES (nextval('contacts_id_seq'), ?, DATE '2026-11-02')",
        [name],
    )


# ---------------------------------------------------------------- creating and reopening


def test_opening_a_missing_path_creates_a_migrated_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "network.duckdb"
    db = open_database(path)
    assert db.path == path and not db.read_only
    assert migrations.current_version(db.con) == migrations.LATEST_VERSION
    assert db.scalar("SELECT count(*) FROM contacts") == 0
    db.close()
    assert path.exists()


def test_reopening_a_current_file_keeps_its_rows_and_makes_no_backup(db_path: Path) -> None:
    db = open_database(db_path)
    with db.transaction():
        add_person(db, "Ana Ruiz")
    db.close()
    again = open_database(db_path)
    assert again.df("SELECT id, full_name FROM contacts").to_dict("records") == [
        {"id": 1, "full_name": "Ana Ruiz"}
    ]
    again.close()
    # Beside it only the read-only view's snapshot, which every writable open publishes.
    assert sorted(p.name for p in db_path.parent.iterdir()) == [
        "network.duckdb",
        "network.snapshot.duckdb",
    ]


@pytest.mark.parametrize("create", [False, True])
def test_read_only_or_no_create_refuses_a_missing_file(tmp_path: Path, create: bool) -> None:
    path = tmp_path / "missing.duckdb"
    with pytest.raises(DatabaseError) as caught:
        open_database(path, read_only=create, create=create)
    assert str(caught.value) == (
        f"no database at {path}: create one with `python -m lib.cli init` "
        "(or `demo` for a sample network)"
    )
    assert not path.exists()


def test_the_path_comes_from_the_argument_then_the_environment_then_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WARMLEADS_DB", str(tmp_path / "env.duckdb"))
    assert resolve_db_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"
    assert resolve_db_path() == tmp_path / "env.duckdb"
    monkeypatch.delenv("WARMLEADS_DB")
    assert resolve_db_path() == Path(__file__).resolve().parents[2] / "data" / "network.duckdb"


def test_a_file_written_by_a_newer_warm_leads_is_refused(db_path: Path) -> None:
    db = open_database(db_path)
    db.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')")
    db.close()
    with pytest.raises(DatabaseError) as caught:
        open_database(db_path)
    assert str(caught.value) == (
        f"{db_path} was written by a newer Warm Leads (schema 99, this one knows "
        f"{migrations.LATEST_VERSION}); update the app"
    )


@pytest.mark.parametrize("read_only", [False, True])
def test_another_apps_duckdb_file_is_refused_and_left_untouched(
    db_path: Path, read_only: bool
) -> None:
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE orders (id INTEGER, total DECIMAL(10, 2))")
    con.execute("INSERT INTO orders VALUES (1, 9.99)")
    con.close()
    content = db_path.read_bytes()
    with pytest.raises(DatabaseError) as caught:
        open_database(db_path, read_only=read_only)
    assert str(caught.value) == (
        f"{db_path} has no contacts or events table: not a Warm Leads file"
    )
    assert db_path.read_bytes() == content
    assert [p.name for p in db_path.parent.iterdir()] == ["network.duckdb"]


def test_a_blank_duckdb_file_is_made_a_warm_leads_file(db_path: Path) -> None:
    duckdb.connect(str(db_path)).close()
    db = open_database(db_path)
    assert migrations.current_version(db.con) == migrations.LATEST_VERSION
    db.close()


# ---------------------------------------------------------------- damaged files


def damaged_files(good: bytes) -> dict[str, bytes]:
    """Ways a database file gets broken, from a good file's bytes."""
    flipped = bytearray(good)
    for i in range(12288 + 64, 12288 + 512):  # inside the first block after the two headers
        flipped[i] ^= 0xFF
    return {
        "truncated": good[:4096],
        "random bytes": bytes((i * 7919 + 13) % 251 for i in range(20_000)),
        "a text file": b"full_name,email\nAna Ruiz,ana@example.com\n",
        "an empty file": b"",
        "a corrupted block": bytes(flipped),
    }


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("good") / "network.duckdb"
    db = open_database(path)
    with db.transaction():
        add_person(db, "Ana Ruiz")
    db.execute("CHECKPOINT")
    db.close()
    return path.read_bytes()


NOT_DUCKDB = (
    "{path} is not a Warm Leads database (damaged or another kind of file); "
    "it was left untouched — restore a backup or choose another file with --db"
)


@pytest.mark.parametrize("kind", ["truncated", "random bytes", "a text file", "an empty file"])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_damaged_file_is_refused_with_a_clear_message_and_left_untouched(
    tmp_path: Path, good_bytes: bytes, kind: str, read_only: bool
) -> None:
    path = tmp_path / "network.duckdb"
    content = damaged_files(good_bytes)[kind]
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as caught:
        open_database(path, read_only=read_only)
    message = str(caught.value)
    if kind == "truncated":
        assert message == (
            f"{path} is damaged: the file is cut short, so it could not be opened; "
            "it was left untouched — restore a backup or choose another file with --db"
        )
    else:
        assert message == NOT_DUCKDB.format(path=path)
    assert "\n" not in message
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["network.duckdb"]


@pytest.mark.parametrize("read_only", [False, True])
def test_a_corrupted_block_is_reported_as_damage_not_as_a_lock(
    tmp_path: Path, good_bytes: bytes, read_only: bool
) -> None:
    path = tmp_path / "network.duckdb"
    content = damaged_files(good_bytes)["a corrupted block"]
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as caught:
        open_database(path, read_only=read_only)
    assert not isinstance(caught.value, DatabaseLockedError)
    assert str(caught.value) == (
        f"{path} is damaged: part of it is corrupted, so it could not be opened; "
        "it was left untouched — restore a backup or choose another file with --db"
    )
    assert "Error" not in str(caught.value) and "IOException" not in str(caught.value)
    assert path.read_bytes() == content


def test_a_file_that_cannot_be_created_is_not_called_damaged(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(DatabaseError) as caught:
        open_database(blocker / "network.duckdb")
    assert str(caught.value) == (
        f"{blocker / 'network.duckdb'} could not be created ({blocker} is a file, not a folder)"
    )
    # /proc exists but no file can be made there (Linux).
    with pytest.raises(DatabaseError) as caught:
        open_database("/proc/warmleads.duckdb")
    assert str(caught.value).startswith(
        "/proc/warmleads.duckdb could not be created (IO Error: Cannot open file"
    )


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as caught:
        open_database(tmp_path)
    assert str(caught.value) == f"{tmp_path} is a folder, not a database file"


# ---------------------------------------------------------------- a file locked by another process


@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_locked_by_another_process_is_refused_clearly(
    held_file: Path, read_only: bool
) -> None:
    before = digest(held_file)
    with pytest.raises(DatabaseLockedError) as caught:
        open_database(held_file, read_only=read_only)
    assert str(caught.value) == (
        f"{held_file} is open in another Warm Leads process (the app or a command); "
        "close it there and try again"
    )
    assert digest(held_file) == before


def test_opening_read_only_beside_a_writable_connection_in_this_process_is_not_damage(
    db: Database,
) -> None:
    with pytest.raises(DatabaseLockedError) as caught:
        open_database(db.path, read_only=True)
    assert str(caught.value) == (
        f"{db.path} is already open in this process in the other mode "
        "(read-only vs writable); reuse that connection or close it first"
    )


# ---------------------------------------------------------------- the one write path


def test_a_transaction_commits_all_of_its_block(db: Database) -> None:
    with db.transaction():
        add_person(db, "Ana Ruiz")
        add_person(db, "Ben Okafor")
    assert db.scalar("SELECT count(*) FROM contacts") == 2


def test_a_failing_transaction_writes_nothing_and_bumps_no_version(db: Database) -> None:
    seen: list[int] = []
    db.on_commit(lambda d: seen.append(d.data_version))
    with pytest.raises(RuntimeError), db.transaction():
        add_person(db, "Ana Ruiz")
        raise RuntimeError("boom")
    assert db.scalar("SELECT count(*) FROM contacts") == 0
    assert db.data_version == 0 and seen == []


def test_each_commit_bumps_the_data_version_shared_by_cursors_and_runs_hooks(db: Database) -> None:
    cursor = db.cursor()
    seen: list[int] = []
    db.on_commit(lambda d: seen.append(d.data_version))
    with cursor.transaction():
        add_person(cursor, "Ana Ruiz")
    with db.transaction():
        add_person(db, "Ben Okafor")
    assert (db.data_version, cursor.data_version, seen) == (2, 2, [1, 2])
    assert cursor.scalar("SELECT count(*) FROM contacts") == 2


def test_a_transaction_inside_another_joins_it_and_commits_once(db: Database) -> None:
    seen: list[int] = []
    db.on_commit(lambda d: seen.append(d.data_version))
    with db.transaction():
        add_person(db, "Ana Ruiz")
        with db.transaction():
            add_person(db, "Ben Okafor")
        assert seen == [] and db.data_version == 0  # the inner block did not commit
    assert db.scalar("SELECT count(*) FROM contacts") == 2
    assert (db.data_version, seen) == (1, [1])


def test_a_failure_inside_an_inner_transaction_rolls_back_the_outer_one(db: Database) -> None:
    seen: list[int] = []
    db.on_commit(lambda d: seen.append(d.data_version))
    with pytest.raises(RuntimeError), db.transaction():
        add_person(db, "Ana Ruiz")
        with db.transaction():
            add_person(db, "Ben Okafor")
            raise RuntimeError("boom")
    assert db.scalar("SELECT count(*) FROM contacts") == 0
    assert (db.data_version, seen) == (0, [])
    with db.transaction():  # nothing is left open
        add_person(db, "Cleo Martin")
    assert db.scalar("SELECT count(*) FROM contacts") == 1


def test_an_outer_transaction_that_swallows_an_inner_failure_saves_nothing(
    db: Database,
) -> None:
    with pytest.raises(DatabaseError) as caught, db.transaction():
        add_person(db, "Ana Ruiz")
        with pytest.raises(RuntimeError), db.transaction():
            add_person(db, "Ben Okafor")
            raise RuntimeError("boom")
    assert str(caught.value) == "a step inside this change failed, so nothing of it was saved"
    assert db.scalar("SELECT count(*) FROM contacts") == 0
    assert db.data_version == 0


def test_a_failed_commit_leaves_no_transaction_open(db: Database) -> None:
    seen: list[int] = []
    db.on_commit(lambda d: seen.append(d.data_version))
    real = db.con

    class CommitFails:
        """The connection, except that COMMIT fails and leaves the transaction open."""

        def execute(self, sql: str, *args: object) -> object:
            if sql == "COMMIT":
                raise duckdb.TransactionException("Failed to commit: disk full")
            return real.execute(sql, *args)

    db.con = CommitFails()  # type: ignore[assignment]
    with pytest.raises(duckdb.TransactionException), db.transaction():
        add_person(db, "Ana Ruiz")
    db.con = real
    real.execute("BEGIN TRANSACTION")  # fails while a transaction is still open
    real.execute("ROLLBACK")
    assert db.scalar("SELECT count(*) FROM contacts") == 0
    assert (db.data_version, seen) == (0, [])


def test_a_commit_refused_by_duckdb_writes_nothing_and_the_next_one_works(db: Database) -> None:
    other = db.con.cursor()  # a writer outside this process's lock, as another tool would be
    insert = "INSERT INTO contacts (id, full_name, identified_on) VALUES (7, ?, DATE '2026-11-02')"
    with pytest.raises(duckdb.TransactionException), db.transaction():
        db.execute(insert, ["Ana"])
        other.execute(insert, ["Ben"])  # autocommits first: ours now collides on the id
    assert db.df("SELECT id, full_name FROM contacts").to_dict("records") == [
        {"id": 7, "full_name": "Ben"}
    ]
    assert db.data_version == 0
    with db.transaction():
        add_person(db, "Cleo Martin")
    assert db.scalar("SELECT count(*) FROM contacts") == 2


def test_rolled_back_returns_what_it_saw_and_keeps_nothing(db: Database) -> None:
    seen: list[int] = []
    db.on_commit(lambda d: seen.append(d.data_version))

    def change(d: Database) -> int:
        with d.transaction():  # an action called inside joins the rolled-back transaction
            add_person(d, "Ana Ruiz")
        return int(d.scalar("SELECT count(*) FROM contacts"))

    assert db.rolled_back(change) == 1
    assert db.scalar("SELECT count(*) FROM contacts") == 0
    assert (db.data_version, seen) == (0, [])
    with pytest.raises(RuntimeError), db.transaction():
        db.rolled_back(change)  # would roll back the outer transaction's writes too


def test_rolled_back_rolls_back_when_its_function_fails(db: Database) -> None:
    def change(d: Database) -> None:
        add_person(d, "Ana Ruiz")
        raise ValueError("bad")

    with pytest.raises(ValueError):
        db.rolled_back(change)
    assert db.scalar("SELECT count(*) FROM contacts") == 0
    with db.transaction():
        add_person(db, "Ben Okafor")
    assert db.data_version == 1


def test_a_read_only_database_refuses_to_write(db_path: Path) -> None:
    open_database(db_path).close()
    db = open_database(db_path, read_only=True)
    with pytest.raises(ReadOnlyError) as caught, db.transaction():
        add_person(db, "Ana Ruiz")
    assert str(caught.value) == "this view is read-only: nothing can be changed here"
    db.close()


def test_opening_removes_what_a_crash_left_under_our_own_names(db_path: Path) -> None:
    open_database(db_path).close()
    folder = db_path.parent
    cut_backup = folder / "network.backup-20261201-101500.duckdb.partial"
    cut_migration = folder / "network.v5-backup-20261201-101500.duckdb.partial"
    old_export = folder / ".network.csv.k3j9x2ab.tmp"
    fresh_export = folder / ".report.html.q8w7e6r5.tmp"  # another process writing it now
    theirs = folder / "notes.partial"  # not our naming
    for path in (cut_backup, cut_migration, old_export, fresh_export, theirs):
        path.write_bytes(b"half a copy")
    hour_ago = time.time() - 3700
    os.utime(old_export, (hour_ago, hour_ago))

    open_database(db_path).close()

    assert sorted(p.name for p in folder.iterdir() if p.name.endswith((".partial", ".tmp"))) == [
        ".report.html.q8w7e6r5.tmp",
        "notes.partial",
    ]


# ---------------------------------------------------------------- the data folder


def test_a_new_data_folder_is_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        open_database(tmp_path / "data" / "network.duckdb").close()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_the_data_folder_from_git_with_its_gitkeep_is_made_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)  # as git checks it out
    (data / ".gitkeep").touch()
    open_database(data / "network.duckdb").close()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_a_folder_with_the_users_own_files_keeps_its_mode(tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    os.chmod(documents, 0o755)
    (documents / "letter.txt").write_text("not ours")
    open_database(documents / "network.duckdb").close()
    assert stat.S_IMODE(documents.stat().st_mode) == 0o755


def test_rows_are_dicts_with_none_for_null_and_dates_for_dates(db: Database) -> None:
    found = db.rows(
        "SELECT 1 AS n, NULL::INTEGER AS missing, DATE '2026-12-07' AS day, $word AS word",
        {"word": "warm"},
    )
    assert found == [{"n": 1, "missing": None, "day": date(2026, 12, 7), "word": "warm"}]
    assert db.rows("SELECT 1 AS n WHERE false") == []
