"""Snapshots: a consistent copy of the data that a read-only process can open while the app writes.

DuckDB lets one process open a file for writing, and while it does no other process may
even read the file. So the writing process publishes a copy beside it after each committed
write: `COPY FROM DATABASE` into `<name>.snapshot.duckdb.tmp` inside one transaction (so the
copy is consistent), then an atomic rename onto `<name>.snapshot.duckdb` (so a reader never
sees a half-written one). Copying 100,000 contacts and 1,000,000 events takes about a second
(bench/bench_snapshot.py), too long for a form submit, so a `Publisher` does it in a
background thread; commits that arrive meanwhile are coalesced into one more snapshot.

This module knows files and DuckDB connections only; `lib.store.db` builds `Database`s on it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

# Each snapshot records when it was taken (the writer attaches the copy as warmleads_snapshot).
_CREATE_INFO = (
    "CREATE OR REPLACE TABLE warmleads_snapshot.warmleads_snapshot_info AS "
    "SELECT ?::TIMESTAMP AS taken_at"
)
_READ_INFO = "SELECT max(taken_at) FROM warmleads_snapshot_info"
# One copy at a time per process: two would write the same temporary file.
_PUBLISHING = threading.Lock()


def snapshot_path(data_path: Path) -> Path:
    """Where the snapshot of a data file lives: `network.duckdb` → `network.snapshot.duckdb`."""
    return data_path.with_name(f"{data_path.stem}.snapshot{data_path.suffix or '.duckdb'}")


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def publish(con: duckdb.DuckDBPyConnection, data_path: Path) -> Path:
    """Write a consistent snapshot of the open database beside its file; return its path.

    `con` must be a connection (or cursor) of the writing process used by no other thread.
    """
    with _PUBLISHING:
        return _publish(con, data_path)


def _temporary(data_path: Path) -> tuple[Path, Path]:
    final = snapshot_path(data_path)
    tmp = final.with_name(final.name + ".tmp")
    return tmp, tmp.with_name(tmp.name + ".wal")


def remove_leftovers(data_path: Path) -> None:
    """Remove a snapshot copy left half-written by a process killed while publishing.

    Only the process that holds the data file for writing may call this (it alone publishes).
    It waits for a copy this process is writing now: a second connection opened on the same
    file in the same process must not delete the copy under the first one's publisher.
    """
    with _PUBLISHING:
        for leftover in _temporary(data_path):
            _remove(leftover)


def _publish(con: duckdb.DuckDBPyConnection, data_path: Path) -> Path:
    final = snapshot_path(data_path)
    tmp, tmp_wal = _temporary(data_path)
    for leftover in (tmp, tmp_wal):
        _remove(leftover)  # from a publisher that was killed mid-copy
    # DuckDB creates the copy with the process umask, owner-only since the file was opened
    # (lib.store.outputs.private_umask); the chmod below holds whatever the umask.
    catalog = con.execute("SELECT current_database()").fetchone()[0]
    con.execute("ATTACH ? AS warmleads_snapshot", [str(tmp)])
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            # One transaction: the copy shows every table as of the same moment.
            taken_at = datetime.now(UTC).replace(tzinfo=None)
            con.execute(f"COPY FROM DATABASE {_quote_identifier(catalog)} TO warmleads_snapshot")
            con.execute(_CREATE_INFO, [taken_at])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except BaseException:
        con.execute("DETACH warmleads_snapshot")
        _remove(tmp)
        raise
    con.execute("DETACH warmleads_snapshot")
    # The copy holds the same personal data as the file: owner-only, whatever the umask.
    os.chmod(tmp, 0o600)
    os.replace(tmp, final)
    return final


def _mtime_ns(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def data_mtime_ns(data_path: Path) -> int | None:
    """When the data file (or its write-ahead log) last changed; None when there is no file."""
    times = [t for t in (_mtime_ns(data_path), _mtime_ns(_wal(data_path))) if t is not None]
    return max(times, default=None)


def _wal(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + ".wal")


def is_current(data_path: Path) -> bool:
    """True when the snapshot exists and no write reached the data file after it was taken."""
    taken = _mtime_ns(snapshot_path(data_path))
    changed = data_mtime_ns(data_path)
    return taken is not None and (changed is None or taken >= changed)


def freshness_key(data_path: Path) -> tuple:
    """Changes whenever the data file, its log or its snapshot changes (a cache key)."""
    key: list = []
    for path in (data_path, _wal(data_path), snapshot_path(data_path)):
        try:
            info = path.stat()
            key.append((info.st_ino, info.st_size, info.st_mtime_ns))
        except OSError:
            key.append(None)
    return tuple(key)


def taken_at(con: duckdb.DuckDBPyConnection, fallback: Path) -> datetime:
    """When the snapshot `con` reads was taken (aware, UTC); else when `fallback` last changed."""
    try:
        value = con.execute(_READ_INFO).fetchone()[0]
    except duckdb.Error:
        value = None
    if value is not None:
        return value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(fallback.stat().st_mtime, UTC)


class Publisher:
    """Publishes snapshots of one writable database in the background; the latest commit wins.

    `request()` (the database's commit hook) returns at once. One thread at a time copies;
    commits that arrive while it copies are covered by one more copy when it is done. The
    thread exists only while there is work, and is not a daemon: a process that exits
    waits for the snapshot in progress instead of leaving it unfinished.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, data_path: Path) -> None:
        # A cursor of our own, taken now in the opening thread: publishing never shares one.
        self._cursor = con.cursor()
        self._path = data_path
        self._lock = threading.Lock()
        self._wanted = 0
        self._done = 0
        self._thread: threading.Thread | None = None
        self.last_error: Exception | None = None
        self.last_seconds: float | None = None

    def request(self, *_ignored: object) -> None:
        """Ask for a snapshot of everything committed so far (called after each commit)."""
        with self._lock:
            self._wanted += 1
            if self._thread is not None:
                return  # the running thread will see the new request
            self._thread = threading.Thread(
                target=self._run, name="warmleads-snapshot", daemon=False
            )
            try:
                self._thread.start()
            except RuntimeError:  # the interpreter is shutting down: no new threads
                self._thread = None

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._done >= self._wanted:
                    self._thread = None
                    return
                target = self._wanted
            self._publish_once()
            with self._lock:
                self._done = target

    def _publish_once(self) -> None:
        started = time.perf_counter()
        try:
            publish(self._cursor, self._path)
        except Exception as exc:  # a failed copy must never break the app that wrote
            self.last_error = exc
            print(f"warning: could not publish a snapshot: {exc}", file=sys.stderr)
        else:
            self.last_error = None
            self.last_seconds = time.perf_counter() - started

    def wait(self) -> None:
        """Block until no snapshot is being written."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None:
                return
            thread.join()

    def finish(self) -> None:
        """Before closing: wait, then make sure the newest commit is published."""
        self.wait()
        with self._lock:
            pending = self._done < self._wanted or self.last_error is not None
            target = self._wanted
        if pending:
            self._publish_once()
            with self._lock:
                self._done = target

    def mark_current(self) -> None:
        """After closing: say the snapshot still shows the file, which closing checkpointed."""
        final = snapshot_path(self._path)
        published = self._wanted > 0  # a writer that changed nothing leaves the snapshot be
        if published and self.last_error is None and self._done >= self._wanted and final.exists():
            os.utime(final)
