"""Shared fixtures: a temporary database file, a fixed "today", the demo network."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from lib.io.demo import load_demo
from lib.store.db import Database, open_database
from tests.support import write_demo

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 25)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file lives (not created yet)."""
    return tmp_path / "network.duckdb"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty database file."""
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def demo_db(db: Database) -> Database:
    """The default demo network (50 people) as of TODAY."""
    load_demo(db, today=TODAY)
    return db


@pytest.fixture
def demo_file(db_path: Path) -> Path:
    """The default demo network as of TODAY, written and closed (its snapshot published)."""
    return write_demo(db_path, TODAY)


@pytest.fixture
def app_env(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app at the test's database and start with empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("WARMLEADS_DB", str(db_path))
    monkeypatch.delenv("WARMLEADS_READ_ONLY", raising=False)
    monkeypatch.delenv("WARMLEADS_REDACT", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_path
    st.cache_data.clear()
    st.cache_resource.clear()


_HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def held_file(db_path: Path) -> Iterator[Path]:
    """A database file held open for writing by another process for the test's duration."""
    open_database(db_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        yield db_path
    finally:
        holder.communicate("", timeout=30)


@pytest.fixture(autouse=True)
def fresh_door() -> Iterator[None]:
    """Each test's app decides its own passphrase door.

    A server decides once, at its start, whether its door needs a passphrase and never
    relaxes that (lib/ui/gate.py keeps it in st.cache_resource for the process's life); in
    one pytest process that decision would otherwise carry from one test's app to the next.
    """
    yield
    gate = sys.modules.get("lib.ui.gate")
    if gate is not None:
        gate._door.clear()
        gate._decided_at_start.clear()
