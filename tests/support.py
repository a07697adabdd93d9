"""Helpers several test files share: the core tables, a file's fingerprint, a demo file, the CLI."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import pytest

from lib.cli import main
from lib.io.demo import load_demo
from lib.store.db import Database, open_database

# The schema's core tables only, as another tool would write them (no Warm Leads additions).
ROOT = Path(__file__).resolve().parent.parent
# The real files other programs wrote (../shared/realworld-contacts beside the repository;
# never copied into it). WARMLEADS_REALWORLD names another place.
_CORPUS_PLACES = (
    os.environ.get("WARMLEADS_REALWORLD", ""),
    str(ROOT.parent / "shared" / "realworld-contacts"),
    str(ROOT.parent.parent / "shared" / "realworld-contacts"),
    "/work/shared/realworld-contacts",
)
REALWORLD: Path | None = next(
    (Path(p) for p in _CORPUS_PLACES if p and (Path(p) / "SOURCES.md").is_file()), None
)


def realworld_file(name: str) -> Path:
    """A file of the real-world corpus; a missing corpus fails the test, never skips it."""
    if REALWORLD is None:
        pytest.fail("shared/realworld-contacts is missing: set WARMLEADS_REALWORLD to its folder")
    return REALWORLD / name


CORE_DDL = """
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    full_name VARCHAR NOT NULL,
    company VARCHAR, title VARCHAR, email VARCHAR, phone VARCHAR, linkedin_url VARCHAR,
    notes VARCHAR,
    source VARCHAR,
    referred_by INTEGER,
    may_use_name BOOLEAN,
    identified_on DATE NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    occurred_on DATE NOT NULL,
    channel VARCHAR,
    notes VARCHAR
);
"""


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes: the same before and after means the file was untouched."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_demo(path: Path, today: date | None = None, **options: int) -> Path:
    """Write the demo network into a new file at `path` and close it (as of `today`, or today)."""
    db = open_database(path)
    load_demo(db, today=today, **options)
    db.close()
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in this process; returns (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse's usage errors
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def schema(db: Database) -> dict[str, list[tuple[str, str]]]:
    """Every table of a freshly migrated file, with its columns and types, from DuckDB."""
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in db.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall():
        found.setdefault(table, []).append((column, kind))
    return found
