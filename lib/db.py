"""Opening the one DuckDB file, running migrations, and the one place writes go through."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from lib import migrations
from lib.errors import DatabaseError, DatabaseLockedError, ReadOnlyError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "network.duckdb"
DB_ENV = "WARMLEADS_DB"

# Never reach the network for an extension.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
_DUCKDB_MAGIC = b"DUCK"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: the explicit one, else $WARMLEADS_DB, else data/network.duckdb."""
    chosen = explicit or os.environ.get(DB_ENV) or DEFAULT_DB
    return Path(chosen).expanduser()


@dataclass
class _Shared:
    """State shared by a connection and all cursors taken from it."""

    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    after_commit: list[Callable[[Database], None]] = field(default_factory=list)


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
    ) -> None:
        self.path = path
        self.con = con
        self.read_only = read_only
        self._shared = shared or _Shared()

    def cursor(self) -> Database:
        """A new cursor on the same database, for one thread or script run."""
        return Database(self.path, self.con.cursor(), read_only=self.read_only, shared=self._shared)

    @property
    def data_version(self) -> int:
        """Bumped by every committed write in this process: a cache key for reads."""
        return self._shared.version

    def on_commit(self, hook: Callable[[Database], None]) -> None:
        """Run `hook(db)` after every committed write (e.g. to publish a snapshot)."""
        self._shared.after_commit.append(hook)

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        """Run one statement with bound parameters."""
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def df(self, sql: str, params: Any = None) -> pd.DataFrame:
        """Run a query and return its (small) result as a DataFrame."""
        return self.execute(sql, params).df()

    def scalar(self, sql: str, params: Any = None) -> Any:
        """Run a query and return the first column of its first row."""
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """The one way to write: all of the block commits, or none of it does."""
        if self.read_only:
            raise ReadOnlyError("this view is read-only: nothing can be changed here")
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        with self._shared.lock:
            self._shared.version += 1
        for hook in list(self._shared.after_commit):
            hook(self)

    def close(self) -> None:
        """Close the connection (cursors taken from it close with it)."""
        self.con.close()


def _check_file(path: Path) -> None:
    """Refuse a file that is not a DuckDB database before DuckDB can touch it."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file")
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(12)
    if size == 0 or header[8:12] != _DUCKDB_MAGIC:
        raise DatabaseError(
            f"{path} is not a Warm Leads database (damaged or another kind of file); "
            "it was left untouched — restore a backup or choose another file with --db"
        )


def _connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    creating = not path.exists()
    try:
        return duckdb.connect(str(path), read_only=read_only, config=_CONFIG)
    except duckdb.Error as exc:
        message = str(exc)
        # Match DuckDB's lock message exactly: a damaged file's errors mention "block".
        if "could not set lock" in message.lower():
            raise DatabaseLockedError(
                f"{path} is open in another Warm Leads process (the app or a command); "
                "close it there and try again"
            ) from None
        if "different configuration" in message.lower():
            raise DatabaseLockedError(
                f"{path} is already open in this process in the other mode "
                "(read-only vs writable); reuse that connection or close it first"
            ) from None
        if creating:
            raise DatabaseError(
                f"{path} could not be created ({message.splitlines()[0]})"
            ) from None
        raise DatabaseError(
            f"{path} could not be opened: it looks damaged ({message.splitlines()[0]}); "
            "it was left untouched — restore a backup or choose another file with --db"
        ) from None


def backup_path(path: Path, version: int) -> Path:
    """Where the copy taken before migrating a version-`version` file goes."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.v{version}-backup-{stamp}{path.suffix}")


def open_database(
    path: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
) -> Database:
    """Open (and when writable, create and migrate) the Warm Leads database file."""
    db_path = resolve_db_path(path)
    if db_path.exists():
        _check_file(db_path)
    elif read_only or not create:
        raise DatabaseError(
            f"no database at {db_path}: create one with `python -m lib.cli init` "
            "(or `demo` for a sample network)"
        )
    else:
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError as exc:
            raise DatabaseError(
                f"{db_path} could not be created ({exc.filename} is a file, not a folder)"
            ) from None
        except OSError as exc:
            raise DatabaseError(
                f"{db_path} could not be created ({exc.strerror}: {exc.filename})"
            ) from None

    con = _connect(db_path, read_only=read_only)
    try:
        version = migrations.current_version(con)
        if version > migrations.LATEST_VERSION:
            raise DatabaseError(
                f"{db_path} was written by a newer Warm Leads (schema {version}, "
                f"this one knows {migrations.LATEST_VERSION}); update the app"
            )
        if read_only:
            _require_core_tables(con, db_path)
        elif version < migrations.LATEST_VERSION:
            if migrations.has_user_tables(con):
                if version == 0:  # made elsewhere: only another tool's Warm Leads file is ours
                    _require_core_tables(con, db_path)
                con.execute("CHECKPOINT")
                con.close()
                shutil.copy2(db_path, backup_path(db_path, version))
                con = _connect(db_path, read_only=False)
            migrations.migrate(con)
    except duckdb.Error as exc:
        con.close()
        raise DatabaseError(
            f"{db_path} could not be read: it looks damaged ({str(exc).splitlines()[0]}); "
            "it was left untouched"
        ) from None
    except BaseException:
        con.close()
        raise
    return Database(db_path, con, read_only=read_only)


def _require_core_tables(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    missing = [t for t in ("contacts", "events") if not migrations.table_exists(con, t)]
    if missing:
        raise DatabaseError(f"{path} has no {' or '.join(missing)} table: not a Warm Leads file")
