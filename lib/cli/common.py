"""What every command shares: the progress line, opening the file, and undoing what a
failed command created."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import date
from pathlib import Path

from lib.core.errors import DatabaseLockedError
from lib.core.words import human_moment
from lib.store import snapshot
from lib.store.db import Database, open_database, open_view, resolve_db_path


def progress(message: str) -> None:
    """One "… message" line on stderr, at once."""
    print(f"… {message}", file=sys.stderr, flush=True)


def open_db(args: argparse.Namespace, *, write: bool) -> Database:
    """The file of `--db`: writable (created and migrated if need be) or read-only."""
    new = created_by(resolve_db_path(args.db)) if write else []
    db = open_database(args.db, read_only=not write, create=write)
    # Ours alone once opened (DuckDB's lock): if the command then fails, main() removes it.
    args.created = new
    return db


def open_for_reading(args: argparse.Namespace) -> Database:
    """The file of `--db` for a command that only reads: the file itself, or, while another
    process holds it (the app), the snapshot that process published, said on stderr."""
    try:
        return open_db(args, write=False)
    except DatabaseLockedError:
        if not snapshot.snapshot_path(resolve_db_path(args.db)).exists():
            raise  # nothing published to read instead: the lock's own message says why
    db = open_view(args.db)
    copy = db.snapshot
    if copy is not None:
        when = copy.as_of.astimezone()
        shown = f"{when:%H:%M}" if when.date() == date.today() else human_moment(when)
        print(
            f"note: {resolve_db_path(args.db)} is open in another Warm Leads process; "
            f"reading the snapshot of {shown}",
            file=sys.stderr,
        )
    return db


def open_existing(args: argparse.Namespace) -> Database:
    """The file, writable, when it exists (a command that changes data never creates one)."""
    return open_database(args.db, create=False)


def created_by(db_path: Path) -> list[Path]:
    """What running a command may create for `db_path` that does not exist yet."""
    if os.path.lexists(db_path):
        return []
    top = db_path
    while not top.parent.exists() and top.parent != top:
        top = top.parent
    snap = snapshot.snapshot_path(db_path)
    names = (db_path.name + ".wal", snap.name, snap.name + ".tmp", snap.name + ".tmp.wal")
    return [top] if top != db_path else [db_path, *(db_path.with_name(n) for n in names)]


def undo_creation(created: list[Path]) -> None:
    """A command that failed leaves no database, snapshot or folder it made."""
    for path in created:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # never there (say, its "folder" is a file): nothing to undo
