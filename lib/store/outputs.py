"""The one guard every written file goes through: exports, reports, backups.

A mistyped `--out` must never destroy a job search. So an output may only be a regular
file or a new name in an existing folder, and never one of the files the data lives in:
the database, its write-ahead log, its snapshot (and the snapshot's temporary copy) or a
backup taken before a migration — compared by name *and* by device and inode, so a
symbolic or hard link to one of them is refused too, as is any other DuckDB file. An
existing file is replaced only when the caller says so (`--force` on the command line).

The bytes go to a temporary file in the target's folder (owner-only), which is flushed,
`fsync`ed and renamed over the target; any write, flush or rename error is reported and
leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from lib.core.errors import OutputError
from lib.store import snapshot

_DUCKDB_MAGIC = b"DUCK"
# Files the data lives in beside the database: `<stem>.v3-backup-20261127-101500.duckdb` …
_BACKUP_GLOB = "{stem}.v*-backup-*{suffix}*"
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_umask() -> None:
    """Make every file this process creates owner-only, whatever umask it was started with.

    The database, its log, snapshots, temporary copies and backups hold other people's
    details; DuckDB creates some of them itself, so the process umask is the one lever
    that covers them all. Called when a database or view is opened.
    """
    current = os.umask(0o077)
    os.umask(current | 0o077)


def data_folder(folder: Path) -> None:
    """Create the folder a new database goes into, owner-only (0700).

    A folder that is there already but holds nothing, or only a `.gitkeep` (the repository's
    `data/`, which git creates with the ordinary umask), is the data's own and is made
    owner-only too; a folder with other files in it is the user's, and is left as it is.
    """
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    if {entry.name for entry in folder.iterdir()} <= {".gitkeep"}:
        with contextlib.suppress(PermissionError):  # someone else's folder: not ours to change
            os.chmod(folder, PRIVATE_FOLDER)


def protected_paths(db_path: str | os.PathLike[str]) -> list[Path]:
    """The files the data of `db_path` lives in (those that exist and those that may)."""
    data = Path(db_path).expanduser()
    snap = snapshot.snapshot_path(data)
    paths = [data, _with_suffix(data, ".wal"), snap, _with_suffix(snap, ".wal")]
    paths += [_with_suffix(snap, ".tmp"), _with_suffix(snap, ".tmp.wal")]
    folder = data.parent
    if folder.is_dir():
        pattern = _BACKUP_GLOB.format(stem=data.stem, suffix=data.suffix)
        paths += sorted(folder.glob(pattern))
        paths += sorted(folder.glob(f".{snap.name}.*"))  # snapshot copies being written
    return paths


def _with_suffix(path: Path, extra: str) -> Path:
    return path.with_name(path.name + extra)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _is_duckdb_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(12)[8:12] == _DUCKDB_MAGIC
    except OSError:
        return False


def check_output(
    out: str | os.PathLike[str],
    *,
    db_path: str | os.PathLike[str] | None,
    force: bool = False,
) -> Path:
    """The real path an output may be written to; raises OutputError naming the file.

    Refused: an empty name or `-`; a folder, device, pipe or socket; a broken link; a name
    in a folder that does not exist; any file of the database `db_path` (by name, link or
    inode), any other DuckDB file or the write-ahead log beside one; a file another process
    holds open for writing; an existing file unless `force` (none of the others, ever).
    """
    text = os.fspath(out)
    if not text.strip():
        raise OutputError("the output file name is empty")
    if text == "-":
        raise OutputError("cannot write to `-` (standard output); give a file name")
    given = Path(text).expanduser()
    if given.is_symlink() and not given.exists():
        raise OutputError(f"{given} is a link to a file that does not exist; give a file name")
    path = Path(os.path.realpath(given))  # a link is followed: the file it names is written
    if given.exists() or os.path.lexists(path):
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{given} is a folder; give a file name")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{given} is not a regular file (a device, pipe or socket)")
    elif not path.parent.is_dir():
        raise OutputError(f"cannot write {given}: the folder {given.parent} does not exist")
    if db_path is not None:
        _refuse_data_file(given, path, Path(db_path).expanduser())
    if path.name.endswith(".wal") and _is_duckdb_file(path.with_name(path.name[: -len(".wal")])):
        # Another database's live log: replaced, it loses that database's latest changes.
        raise OutputError(f"{given} is the write-ahead log of a database; it was left untouched")
    if path.exists():
        if _is_duckdb_file(path):
            raise OutputError(f"{given} is a database file; it was left untouched")
        holder = _open_for_writing_by(path)
        if holder is not None:
            raise OutputError(
                f"{given} is open for writing in another program (process {holder}); "
                "it was left untouched"
            )
        if not force:
            raise OutputError(f"{given} already exists; add --force to replace it")
    return path


def _open_for_writing_by(path: Path) -> int | None:
    """The id of another process holding `path` open for writing, if one can be seen.

    Read from /proc (Linux): each process's open files and the flags they were opened with.
    Elsewhere, or for processes we may not inspect, nothing is seen and None is returned.
    """
    target = _identity(path)
    proc = Path("/proc")
    if target is None or not proc.is_dir():
        return None
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            fds = list((entry / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                info = fd.stat()
                if (info.st_dev, info.st_ino) != target:
                    continue
                flags = (entry / "fdinfo" / fd.name).read_text().split("flags:")[1].split()[0]
            except (OSError, IndexError):
                continue
            if int(flags, 8) & (os.O_WRONLY | os.O_RDWR):
                return int(entry.name)
    return None


def _refuse_data_file(given: Path, path: Path, db_path: Path) -> None:
    """Refuse `path` when it is, or resolves to, one of the files the data lives in."""
    target = _identity(path)
    for protected in protected_paths(db_path):
        same_name = Path(os.path.realpath(protected)) == path
        same_file = target is not None and _identity(protected) == target
        if same_name or same_file:
            what = _describe(protected, db_path)
            raise OutputError(f"{given} is {what}; it was left untouched — choose another file")


def _describe(protected: Path, db_path: Path) -> str:
    snap = snapshot.snapshot_path(db_path)
    if protected.name == db_path.name:
        return "the database"
    if protected.name == db_path.name + ".wal":
        return "the database's write-ahead log"
    if protected.name.startswith(snap.name) or protected.name.startswith(f".{snap.name}"):
        return "the database's snapshot"
    return "a backup of the database"


def write_output(
    out: str | os.PathLike[str],
    data: bytes | Iterable[bytes],
    *,
    db_path: str | os.PathLike[str] | None,
    force: bool = False,
) -> Path:
    """Write `data` to `out` whole or not at all (owner-only); return the path written.

    Checks `out` with `check_output`, then writes a temporary file in the same folder,
    flushes and fsyncs it, and renames it over the target. Every error raises OutputError
    and removes the temporary file.
    """
    path = check_output(out, db_path=db_path, force=force)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise OutputError(f"cannot write in {path.parent} ({_reason(exc)})") from None
    try:
        try:
            os.fchmod(handle, PRIVATE_FILE)
            with os.fdopen(handle, "wb") as stream:
                for chunk in [data] if isinstance(data, bytes | bytearray) else data:
                    stream.write(chunk)
                stream.flush()
                os.fsync(stream.fileno())
            # Between the check and here, the target may have become something else.
            check_output(path, db_path=db_path, force=True)
            os.replace(temporary, path)
        except OSError as exc:
            raise OutputError(
                f"could not write {out} ({_reason(exc)}); nothing was written"
            ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can fsync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)
