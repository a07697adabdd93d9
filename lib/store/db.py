"""Opening the one DuckDB file (writer or read-only view) and the one place writes go through."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

if TYPE_CHECKING:  # `df()` returns pandas; the CLI's stats path never loads it
    import pandas as pd

from lib.core.errors import DatabaseError, DatabaseLockedError, ReadOnlyError
from lib.store import files, migrations, outputs, snapshot

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = PROJECT_ROOT / "data" / "network.duckdb"
DB_ENV = "WARMLEADS_DB"

T = TypeVar("T")


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: the explicit one, else $WARMLEADS_DB, else data/network.duckdb."""
    chosen = explicit or os.environ.get(DB_ENV) or DEFAULT_DB
    return Path(chosen).expanduser()


@dataclass(frozen=True)
class Snapshot:
    """What a read-only view reads: a snapshot the app published, or a copy of the file itself."""

    source: Path
    from_snapshot: bool
    as_of: datetime  # aware: when the data was copied


@dataclass
class _Shared:
    """State shared by a connection and all cursors taken from it."""

    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # One writer at a time across cursors: DuckDB aborts concurrent updates of one row
    # ("Conflict on update") instead of waiting. Re-entrant so that a second cursor's write
    # in the same thread fails in DuckDB instead of waiting for itself.
    writing: threading.RLock = field(default_factory=threading.RLock)
    after_commit: list[Callable[[Database], None]] = field(default_factory=list)
    snapshot: Snapshot | None = None  # a read-only view's copy


class Database:
    """A connection (or cursor) to the Warm Leads file, with its mode.

    Take a `cursor()` per thread: one DuckDB connection must not be used by two
    threads at once.
    """

    def __init__(
        self,
        path: Path,
        con: duckdb.DuckDBPyConnection,
        *,
        read_only: bool,
        shared: _Shared | None = None,
        publisher: snapshot.Publisher | None = None,
    ) -> None:
        self.path = path
        self.con = con
        self.read_only = read_only
        self._shared = shared or _Shared()
        self._publisher = publisher
        self._depth = 0  # open `transaction()` blocks on this cursor
        self._failed = False  # an inner block raised: the outermost one must not commit

    def cursor(self) -> Database:
        """A new cursor on the same database, for one thread or script run."""
        con = self.con.cursor()
        if self._shared.snapshot is not None:
            con.execute(f"USE {_VIEW_CATALOG}")  # a cursor starts in the empty in-memory catalog
        return Database(self.path, con, read_only=self.read_only, shared=self._shared)

    @property
    def data_version(self) -> int:
        """Changes with each commit in this process (a view: with each new copy): a cache key."""
        return self._shared.version

    @property
    def snapshot(self) -> Snapshot | None:
        """For a read-only view: which copy it reads and how current it is; else None."""
        return self._shared.snapshot

    def on_commit(self, hook: Callable[[Database], None]) -> None:
        """Run `hook(db)` after every committed write (e.g. to publish a snapshot)."""
        self._shared.after_commit.append(hook)

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        """Run one statement with bound parameters."""
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def df(self, sql: str, params: Any = None) -> pd.DataFrame:
        """Run a query and return its (small) result as a DataFrame."""
        return self.execute(sql, params).df()

    def rows(self, sql: str, params: Any = None) -> list[dict[str, Any]]:
        """Run a query and return its (small) result as dicts: None for NULL, `date` for DATE.

        No pandas: the pages' first runs read this way (a frame costs a pandas import).
        """
        cursor = self.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def scalar(self, sql: str, params: Any = None) -> Any:
        """Run a query and return the first column of its first row."""
        # fetchall, not fetchone: a half-read result keeps the connection busy in DuckDB 2.0
        # (a later `unregister` fails with "ResourceInUse").
        rows = self.execute(sql, params).fetchall()
        return rows[0][0] if rows else None

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """The one way to write: all of the block commits, or none of it does.

        A transaction opened inside another one on the same cursor joins it (DuckDB has no
        SAVEPOINT): only the outermost block commits, bumps `data_version` and runs the
        commit hooks, and an exception leaving an inner block rolls back the whole of it.
        """
        if self.read_only:
            raise ReadOnlyError("this view is read-only: nothing can be changed here")
        if self._depth:
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._failed = True  # the outer block may not commit half of this one
                raise
            finally:
                self._depth -= 1
            return
        with self._shared.writing:
            self._begin()
            try:
                yield self
                if self._failed:
                    raise DatabaseError(
                        "a step inside this change failed, so nothing of it was saved"
                    )
            except BaseException:
                self._end("ROLLBACK")
                raise
            try:
                self._end("COMMIT")
            except BaseException:
                # DuckDB usually ends a transaction whose COMMIT failed; make sure of it.
                with suppress(duckdb.Error):
                    self.con.execute("ROLLBACK")
                raise
            with self._shared.lock:
                self._shared.version += 1
            for hook in list(self._shared.after_commit):
                hook(self)

    def rolled_back(self, fn: Callable[[Database], T]) -> T:
        """Run `fn(db)` in a transaction that is always rolled back; return what fn returns.

        For saying what a change would do before doing it: the actions `fn` calls join this
        transaction, and nothing is kept, no version moves and no hook runs.
        """
        if self.read_only:
            raise ReadOnlyError("this view is read-only: nothing can be changed here")
        if self._depth:
            # Rolling back here would take the outer transaction's writes with it.
            raise RuntimeError("rolled_back() cannot run inside another transaction")
        with self._shared.writing:
            self._begin()
            try:
                return fn(self)
            finally:
                self._end("ROLLBACK")

    def _begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")
        self._depth, self._failed = 1, False

    def _end(self, statement: str) -> None:
        self._depth, self._failed = 0, False
        self.con.execute(statement)

    def wait_for_snapshot(self) -> None:
        """Block until the published snapshot shows every commit so far (writers only)."""
        if self._publisher is not None:
            self._publisher.finish()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (and its cursors); a writer publishes its last snapshot first."""
        if self._publisher is not None:
            self._publisher.finish()
        self.con.close()
        if self._publisher is not None:
            self._publisher.mark_current()


def start_over(path: str | os.PathLike[str]) -> Path:
    """Keep a dated copy of the (closed) file beside it, then remove it: the next open is empty.

    The caller closes every connection to the file first. Returns the backup's path.
    """
    data = resolve_db_path(path)
    if not data.exists():
        raise DatabaseError(f"no database at {data}: there is nothing to start over from")
    files.check_file(data)
    con = files.connect(data, read_only=False)  # fails clearly while another process holds it
    try:
        con.execute("CHECKPOINT")  # everything into the file, so the copy is whole
    finally:
        con.close()
    target = files.dated_backup_path(data)
    files.write_backup(data, target)
    data.unlink()
    data.with_name(data.name + ".wal").unlink(missing_ok=True)
    return target


def open_database(
    path: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
) -> Database:
    """Open (and when writable, create and migrate) the Warm Leads database file."""
    db_path = resolve_db_path(path)
    outputs.private_umask()  # the file, its log, snapshots and backups: owner-only
    if db_path.exists():
        files.check_file(db_path)
    elif read_only or not create:
        raise DatabaseError(
            f"no database at {db_path}: create one with `python -m lib.cli init` "
            "(or `demo` for a sample network)"
        )
    else:
        try:
            outputs.data_folder(db_path.parent)
        except FileExistsError as exc:
            raise DatabaseError(
                f"{db_path} could not be created ({exc.filename} is a file, not a folder)"
            ) from None
        except OSError as exc:
            raise DatabaseError(
                f"{db_path} could not be created ({exc.strerror}: {exc.filename})"
            ) from None

    con = files.connect(db_path, read_only=read_only)
    try:
        version = migrations.current_version(con)
        if version > migrations.LATEST_VERSION:
            raise DatabaseError(
                f"{db_path} was written by a newer Warm Leads (schema {version}, "
                f"this one knows {migrations.LATEST_VERSION}); update the app"
            )
        if read_only:
            files.require_core_tables(con, db_path)
        elif version < migrations.LATEST_VERSION:
            if migrations.has_user_tables(con):
                if version == 0:  # made elsewhere: only another tool's Warm Leads file is ours
                    files.require_core_tables(con, db_path)
                con.execute("CHECKPOINT")
                con.close()
                files.write_backup(db_path, files.backup_path(db_path, version))
                con = files.connect(db_path, read_only=False)
            migrations.migrate(con)
            # The new schema goes into the file now, not only into the write-ahead log:
            # replaying a logged CREATE TABLE whose defaults call current_timestamp needs
            # DuckDB's core_functions extension, which it tries to download, so a file
            # created (or migrated) and then killed would not open offline.
            con.execute("CHECKPOINT")
        if not read_only:
            files.repair_sequences(con)
    except duckdb.Error as exc:
        con.close()
        damage = files.damage_words(str(exc))
        raise DatabaseError(
            f"{db_path} is damaged: {damage}, so it could not be read; it was left untouched"
            if damage
            else f"{db_path} could not be read: it looks damaged ({str(exc).splitlines()[0]}); "
            "it was left untouched"
        ) from None
    except BaseException:
        con.close()
        raise
    if read_only:
        return Database(db_path, con, read_only=True)
    # A writer publishes a snapshot after every commit, for read-only views elsewhere, and
    # now when the one beside the file is missing or older (opening alone changes nothing).
    snapshot.remove_leftovers(db_path)  # a copy cut short by kill -9; we hold the lock now
    files.remove_leftovers(db_path)  # backup copies and exports cut short by a crash
    publisher = snapshot.Publisher(con, db_path)
    database = Database(db_path, con, read_only=False, publisher=publisher)
    database.on_commit(publisher.request)
    if not snapshot.is_current(db_path):
        publisher.request()
    return database


# The catalog a view attaches its copy under (a fixed name, never user input).
_VIEW_CATALOG = "warmleads_view"


def open_view(path: str | os.PathLike[str] | None = None) -> Database:
    """Open the newest consistent copy of the data for reading, holding no lock on the file.

    This is how the read-only app and reports read, so they run beside the app that writes:
    the snapshot the writer published when no write came after it; else, when no writer holds
    the file, a private copy of the file itself (its read lock held only while copying, so
    the main app can start beside the view); else the last snapshot, however old. Raises
    DatabaseLockedError when a writer holds the file and has published nothing yet.
    """
    data_path = resolve_db_path(path)
    outputs.private_umask()  # the private copy below holds the same personal data
    snap = snapshot.snapshot_path(data_path)
    if snapshot.is_current(data_path):
        try:
            return _attach_view(data_path, snap, from_snapshot=True)
        except DatabaseError:
            pass  # a damaged snapshot: read the file itself instead
    if data_path.exists():
        try:
            return _view_of_file(data_path)
        except DatabaseLockedError:
            if not snap.exists():
                raise DatabaseLockedError(
                    "The main app is running and has not published a snapshot yet "
                    f"(it writes {snap.name} beside {data_path.name} when it starts and after "
                    "every change). Reload this page in a moment."
                ) from None
    elif not snap.exists():
        raise DatabaseError(
            f"no database at {data_path} yet: start the main app (`streamlit run app.py`) "
            "or create one with `python -m lib.cli init`"
        )
    return _attach_view(data_path, snap, from_snapshot=True)


def _view_of_file(data_path: Path) -> Database:
    """A view of a private copy of the data file (no writer may hold it)."""
    files.check_file(data_path)
    changed = snapshot.data_mtime_ns(data_path) or 0
    size = data_path.stat().st_size
    folder = Path(tempfile.mkdtemp(prefix="warmleads-view-"))
    try:
        copy = folder / data_path.name
        con = duckdb.connect(config=files.CONFIG)
        try:
            try:
                con.execute("ATTACH ? AS warmleads_source (READ_ONLY)", [str(data_path)])
            except duckdb.Error as exc:
                raise files.open_error(data_path, exc) from None
            con.execute("ATTACH ? AS warmleads_copy", [str(copy)])
            con.execute("COPY FROM DATABASE warmleads_source TO warmleads_copy")
        finally:
            con.close()  # releases the read lock on the data file
        as_of = datetime.fromtimestamp(changed / 1e9).astimezone()
        key = hash(("file", size, changed))
        return _attach_view(data_path, copy, from_snapshot=False, as_of=as_of, key=key)
    finally:
        # The view keeps its open copy; the name can go (POSIX). Elsewhere a temp file stays.
        shutil.rmtree(folder, ignore_errors=True)


def _attach_view(
    data_path: Path,
    source: Path,
    *,
    from_snapshot: bool,
    as_of: datetime | None = None,
    key: int | None = None,
) -> Database:
    """Attach `source` read-only in a fresh in-memory DuckDB and make it the default catalog.

    A fresh instance per copy: `duckdb.connect(path)` would hand back a cached instance of
    an older file at the same path, and a cursor's catalog is set with USE.
    """
    if key is None:
        info = source.stat()
        key = hash((info.st_ino, info.st_size, info.st_mtime_ns))
    con = duckdb.connect(config=files.CONFIG)
    try:
        con.execute(f"ATTACH ? AS {_VIEW_CATALOG} (READ_ONLY)", [str(source)])
        con.execute(f"USE {_VIEW_CATALOG}")
        version = migrations.current_version(con)
        if version > migrations.LATEST_VERSION:
            raise DatabaseError(
                f"{data_path} was written by a newer Warm Leads (schema {version}, "
                f"this one knows {migrations.LATEST_VERSION}); update the app"
            )
        files.require_core_tables(con, data_path)
        when = snapshot.taken_at(con, source) if from_snapshot else as_of
    except duckdb.Error as exc:
        con.close()
        raise files.open_error(source, exc) from None
    except BaseException:
        con.close()
        raise
    copy = Snapshot(source=source, from_snapshot=from_snapshot, as_of=when)
    shared = _Shared(version=key & 0x7FFF_FFFF_FFFF_FFFF, snapshot=copy)
    return Database(data_path, con, read_only=True, shared=shared)
