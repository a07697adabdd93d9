"""Snapshots: the writer publishes a consistent copy; read-only views read it without a lock."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pytest
from writer_process import Writer

from lib import cli
from lib.core.errors import DatabaseError, DatabaseLockedError, ReadOnlyError
from lib.io.demo import load_demo
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store import snapshot
from lib.store.db import Database, open_database, open_view
from tests.conftest import TODAY
from tests.support import digest


def snapshot_count(path: Path, table: str = "contacts") -> int:
    con = duckdb.connect(str(snapshot.snapshot_path(path)), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_snapshot_lives_beside_the_data_file() -> None:
    assert snapshot.snapshot_path(Path("/d/network.duckdb")) == Path("/d/network.snapshot.duckdb")
    assert snapshot.snapshot_path(Path("/d/mine")) == Path("/d/mine.snapshot.duckdb")


def test_opening_for_writing_publishes_a_snapshot(db_path: Path) -> None:
    database = open_database(db_path)
    database.wait_for_snapshot()
    assert snapshot.snapshot_path(db_path).exists()
    assert snapshot_count(db_path) == 0
    database.close()


def test_each_commit_reaches_the_snapshot(db: Database, db_path: Path) -> None:
    add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)
    db.wait_for_snapshot()
    assert snapshot_count(db_path) == 1
    add_contact(db, {"full_name": "Ben Okafor"}, today=TODAY)
    db.wait_for_snapshot()
    assert snapshot_count(db_path) == 2


def test_snapshot_copies_every_table_and_records_when_it_was_taken(
    demo_db: Database, db_path: Path
) -> None:
    demo_db.wait_for_snapshot()
    view = open_view(db_path)
    for table in ("contacts", "events", "settings", "schema_migrations"):
        expected = demo_db.scalar(f"SELECT count(*) FROM {table}")
        assert view.scalar(f"SELECT count(*) FROM {table}") == expected, table
    assert view.snapshot.from_snapshot
    assert view.snapshot.as_of.tzinfo is not None
    view.close()


def test_commits_while_a_snapshot_is_written_are_coalesced(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.wait_for_snapshot()
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []
    real_publish = snapshot.publish

    def slow_publish(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
        calls.append(1)
        started.set()
        release.wait(timeout=30)
        return real_publish(con, path)

    monkeypatch.setattr(snapshot, "publish", slow_publish)
    add_contact(db, {"full_name": "First Person"}, today=TODAY)
    assert started.wait(timeout=30)
    for n in range(5):  # all arrive while the first copy is still being written
        add_contact(db, {"full_name": f"Later Person {n}"}, today=TODAY)
    release.set()
    db.wait_for_snapshot()
    assert len(calls) == 2  # one for the first commit, one for the five that came after
    assert snapshot_count(db_path) == 6


def test_a_failed_snapshot_leaves_the_previous_one_whole(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture
) -> None:
    add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)
    db.wait_for_snapshot()
    before = digest(snapshot.snapshot_path(db_path))
    monkeypatch.setattr(snapshot, "_CREATE_INFO", "CREATE TABLE broken AS SELECT nonsense(?)")
    add_contact(db, {"full_name": "Ben Okafor"}, today=TODAY)
    db.wait_for_snapshot()
    assert digest(snapshot.snapshot_path(db_path)) == before
    assert not db_path.with_name("network.snapshot.duckdb.tmp").exists()
    assert "warning: could not publish a snapshot" in capfd.readouterr().err
    assert add_contact(db, {"full_name": "Cleo Martin"}, today=TODAY)  # the app keeps working


def test_a_snapshot_is_one_consistent_moment(db: Database, db_path: Path) -> None:
    # Every write adds a contact and its event together: any copy must hold pairs only.
    contact = add_contact(db, {"full_name": "Seed"}, today=TODAY)
    log_event(db, {"contact_id": contact, "kind": "contacted"}, today=TODAY)
    stop = threading.Event()

    def keep_writing() -> None:
        cursor = db.cursor()
        n = 0
        while not stop.is_set():
            with cursor.transaction():
                cursor.execute(
                    "INSERT INTO contacts (id, full_name, identified_on) "
                    "VALUES (nextval('contacts_id_seq'), ?, ?)",
                    [f"P{n}", TODAY],
                )
                cursor.execute(
                    "INSERT INTO events (id, contact_id, kind, occurred_on) "
                    "VALUES (nextval('events_id_seq'), currval('contacts_id_seq'), 'contacted', ?)",
                    [TODAY],
                )
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        publisher_cursor = db.cursor()
        for _ in range(5):
            copy = snapshot.publish(publisher_cursor.con, db_path)
            con = duckdb.connect(str(copy), read_only=True)
            contacts, events = con.execute(
                "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM events)"
            ).fetchone()
            con.close()
            assert contacts == events
    finally:
        stop.set()
        writer.join()


def test_closing_publishes_the_last_commit_and_marks_the_snapshot_current(db_path: Path) -> None:
    database = open_database(db_path)
    add_contact(database, {"full_name": "Ana Ruiz"}, today=TODAY)
    database.close()
    assert snapshot_count(db_path) == 1
    assert snapshot.is_current(db_path)


def test_a_view_reads_the_current_snapshot_and_never_the_data_file(
    demo_db: Database, db_path: Path
) -> None:
    demo_db.close()
    before = digest(db_path)
    view = open_view(db_path)
    assert view.snapshot.source == snapshot.snapshot_path(db_path)
    assert view.scalar("SELECT count(*) FROM contacts") == 50
    assert digest(db_path) == before
    # Holding the view does not stop the main app from opening the file for writing.
    Writer(db_path).stop()
    view.close()


def test_a_view_refuses_every_write(demo_db: Database, db_path: Path) -> None:
    demo_db.close()
    view = open_view(db_path)
    with pytest.raises(ReadOnlyError, match="read-only: nothing can be changed"):
        add_contact(view, {"full_name": "Intruder"}, today=TODAY)
    with pytest.raises(duckdb.Error, match="read-only"):
        view.execute("DELETE FROM contacts")
    assert view.scalar("SELECT count(*) FROM contacts") == 50
    view.close()


def test_a_new_view_sees_a_newer_snapshot_at_the_same_path(db: Database, db_path: Path) -> None:
    # duckdb.connect(path) would hand back the cached instance of the older file.
    db.wait_for_snapshot()
    first = open_view(db_path)
    assert first.scalar("SELECT count(*) FROM contacts") == 0
    add_contact(db, {"full_name": "Ana Ruiz"}, today=TODAY)
    db.wait_for_snapshot()
    second = open_view(db_path)
    assert second.scalar("SELECT count(*) FROM contacts") == 1
    assert first.scalar("SELECT count(*) FROM contacts") == 0  # an open view stays as it was
    assert second.data_version != first.data_version
    first.close()
    second.close()


def test_cursors_of_a_view_read_the_copy(demo_db: Database, db_path: Path) -> None:
    demo_db.close()
    view = open_view(db_path)
    assert view.cursor().scalar("SELECT count(*) FROM contacts") == 50
    view.close()


def test_without_a_snapshot_a_view_copies_the_file_and_releases_it(
    demo_db: Database, db_path: Path
) -> None:
    demo_db.close()
    snapshot.snapshot_path(db_path).unlink()
    before = digest(db_path)
    view = open_view(db_path)
    assert not view.snapshot.from_snapshot
    assert view.scalar("SELECT count(*) FROM contacts") == 50
    assert not view.snapshot.source.parent.exists()  # the private copy's folder is gone
    assert digest(db_path) == before
    # The copy holds no lock: the main app can start while the view stays open.
    Writer(db_path).stop()
    view.close()


def test_a_stale_snapshot_is_passed_over_for_the_file(demo_db: Database, db_path: Path) -> None:
    demo_db.close()
    snap = snapshot.snapshot_path(db_path)
    os.utime(snap, ns=(0, 0))  # the file changed after the snapshot (e.g. another tool wrote)
    view = open_view(db_path)
    assert not view.snapshot.from_snapshot
    view.close()


def test_while_the_app_writes_a_view_reads_its_snapshot(demo_db: Database, db_path: Path) -> None:
    demo_db.close()
    writer = Writer(db_path)
    try:
        writer.add("Zoe Written-Elsewhere")
        writer.send("wait")
        view = open_view(db_path)
        assert view.snapshot.from_snapshot
        assert view.scalar("SELECT count(*) FROM contacts") == 51
        view.close()
    finally:
        writer.stop()


def test_a_writer_that_publishes_nothing_gives_a_clear_message(db_path: Path) -> None:
    duckdb.connect(str(db_path)).close()
    writer = Writer(db_path, raw=True)
    try:
        with pytest.raises(DatabaseLockedError, match="has not published a snapshot yet"):
            open_view(db_path)
    finally:
        writer.stop()


def test_no_data_at_all_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no database at .* yet: start the main app"):
        open_view(tmp_path / "missing.duckdb")


def test_a_damaged_snapshot_falls_back_to_the_file(demo_db: Database, db_path: Path) -> None:
    demo_db.close()
    snapshot.snapshot_path(db_path).write_bytes(b"not a database at all" * 100)
    view = open_view(db_path)
    assert not view.snapshot.from_snapshot
    assert view.scalar("SELECT count(*) FROM contacts") == 50
    view.close()


def test_the_demo_loader_publishes_through_the_commit_hook(db_path: Path) -> None:
    database = open_database(db_path)
    load_demo(database, today=TODAY)
    database.wait_for_snapshot()
    assert snapshot_count(db_path) == 50
    database.close()


def test_a_writing_command_leaves_a_current_snapshot(db_path: Path) -> None:
    assert cli.main(["demo", "--db", str(db_path), "--contacts", "20"]) == 0
    assert snapshot_count(db_path) == 20
    assert snapshot.is_current(db_path)
