"""The database file on disk: is it DuckDB, why DuckDB refused it, connecting, backups, ids."""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import datetime
from pathlib import Path

import duckdb

from lib.core.errors import DatabaseError, DatabaseLockedError
from lib.store import migrations

# Never reach the network for an extension.
CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
_DUCKDB_MAGIC = b"DUCK"


def check_file(path: Path) -> None:
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


def open_error(path: Path, exc: duckdb.Error, *, creating: bool = False) -> DatabaseError:
    """Turn DuckDB's refusal to open a file into a message that says what to do."""
    message = str(exc)
    lowered = message.lower()
    # Match DuckDB's lock wording exactly: a damaged file's "checksum ... in block" says "lock".
    if "could not set lock" in lowered or "conflicting lock" in lowered:
        return DatabaseLockedError(
            f"{path} is open in another Warm Leads process (the app or a command); "
            "close it there and try again"
        )
    if "different configuration" in lowered:
        return DatabaseLockedError(
            f"{path} is already open in this process in the other mode "
            "(read-only vs writable); reuse that connection or close it first"
        )
    if creating:
        return DatabaseError(f"{path} could not be created ({message.splitlines()[0]})")
    return DatabaseError(
        f"{path} is damaged: {damage_words(message) or 'its contents cannot be read'}, so it "
        "could not be opened; "
        "it was left untouched — restore a backup or choose another file with --db"
    )


def damage_words(message: str) -> str | None:
    """What DuckDB found wrong with a damaged file, in words (None when it is not damage it
    names: a file cut short or a failed checksum)."""
    lowered = message.lower()
    if "could not read enough bytes" in lowered or "truncat" in lowered:
        return "the file is cut short"
    if "checksum" in lowered or "corrupt" in lowered:
        return "part of it is corrupted"
    return None


def connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    creating = not path.exists()
    try:
        return duckdb.connect(str(path), read_only=read_only, config=CONFIG)
    except duckdb.Error as exc:
        raise open_error(path, exc, creating=creating) from None


def backup_path(path: Path, version: int) -> Path:
    """Where the copy taken before migrating a version-`version` file goes."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.v{version}-backup-{stamp}{path.suffix}")


def write_backup(path: Path, target: Path) -> None:
    """Copy the file to `target` so that a copy cut short never carries the backup's name."""
    partial = target.with_name(target.name + ".partial")
    shutil.copy2(path, partial)
    os.chmod(partial, 0o600)  # copy2 copies the file's mode; a backup is owner-only
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)


def dated_backup_path(path: Path) -> Path:
    """Where Start over keeps the old file: beside it, dated (`network.backup-20261125-0930`)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")


def repair_sequences(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Move every id sequence past the ids its table already holds; return those moved.

    Another tool (a restore with DuckDB's COPY, a script) may insert rows with ids of its
    own; the next `nextval` would then collide with one and abort the transaction. Each
    column whose default is `nextval('seq')` is checked; nothing is written when every
    sequence is already ahead.
    """
    columns = con.execute(
        "SELECT table_name, column_name, column_default FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND column_default LIKE 'nextval(%'"
    ).fetchall()
    sequences = {
        name: (start, last)
        for name, start, last in con.execute(
            "SELECT sequence_name, start_value, last_value FROM duckdb_sequences() "
            "WHERE schema_name = 'main'"
        ).fetchall()
    }
    moved: list[str] = []
    for table, column, default in columns:
        name = default.split("'")[1] if default.count("'") >= 2 else None
        if name not in sequences:
            continue
        start, last = sequences[name]
        next_value = start if last is None else last + 1
        # Names come from DuckDB's own catalog, quoted as identifiers.
        top = con.execute(
            f'SELECT max("{column.replace(chr(34), chr(34) * 2)}") '
            f'FROM "{table.replace(chr(34), chr(34) * 2)}"'
        ).fetchall()[0][0]  # fetchall: a half-read result keeps the connection busy
        if top is not None and top >= next_value:
            con.execute("SELECT setval(?, ?)", [name, int(top)]).fetchall()
            moved.append(name)
    if moved:
        con.execute("CHECKPOINT")
    return moved


def require_core_tables(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    missing = [t for t in ("contacts", "events") if not migrations.table_exists(con, t)]
    if missing:
        raise DatabaseError(f"{path} has no {' or '.join(missing)} table: not a Warm Leads file")


# A write_output temporary file: `.<target name>.<8 random characters>.tmp` (mkstemp).
_OUTPUT_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_AFTER_SECONDS = 3600  # an export still being written is younger than this


def remove_leftovers(path: Path) -> list[Path]:
    """Remove what a crash left beside the data file under our own names; return them.

    Backup copies cut short (`<stem>.backup-….duckdb.partial`, `<stem>.v3-backup-….partial`)
    go at once: the writer that opens the file holds its lock, so no copy of it is under way.
    An export's temporary file in the same folder (`.<name>.<random>.tmp`) goes once it is
    an hour old, so an export another process is writing right now keeps its file.
    """
    folder = path.parent
    removed: list[Path] = []
    partials = [
        *folder.glob(f"{path.stem}.backup-*{path.suffix}.partial"),
        *folder.glob(f"{path.stem}.v*-backup-*{path.suffix}.partial"),
    ]
    now = time.time()
    for candidate in sorted(folder.iterdir()) if folder.is_dir() else []:
        if _OUTPUT_TEMPORARY.match(candidate.name):
            try:
                if now - candidate.lstat().st_mtime >= STALE_AFTER_SECONDS:
                    partials.append(candidate)
            except OSError:
                continue
    for leftover in partials:
        try:
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            pass  # not ours to insist on: the next open tries again
    return removed
