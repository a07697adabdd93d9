"""Frames that SQL reads inside a write: a relation per statement, never a registered view.

Shared by every import (contacts now, call logs later) and the demo generator.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

import pandas as pd
import pyarrow as pa

from lib.store.db import Database


class Staged:
    """A DataFrame that SQL reads under `self.name`, one statement at a time.

    Each statement runs on a relation over an Arrow copy of the frame, so nothing is added
    to the catalog: a view registered inside a transaction (`register`) keeps its table
    alive until the transaction ends, which made a streamed import of a million rows hold
    every batch it had written (bench_import_files). Arrow's columns are also a fraction of
    the size of a frame of Python objects.
    """

    def __init__(self, db: Database, frame: pd.DataFrame | pa.Table) -> None:
        self.name = f"wl_staged_{uuid.uuid4().hex[:12]}"
        if isinstance(frame, pd.DataFrame):
            frame = pa.Table.from_pandas(frame, preserve_index=False)
        self._relation = db.con.from_arrow(frame)

    def run(self, sql: str) -> None:
        """Run a statement that writes (INSERT, UPDATE, CREATE … AS) over the frame."""
        self._relation.query(self.name, sql)

    def fetchall(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows a SELECT (or a write's RETURNING) over the frame returns."""
        return self._relation.query(self.name, sql).fetchall()

    def df(self, sql: str) -> pd.DataFrame:
        """The rows a SELECT over the frame returns, as a DataFrame."""
        return self._relation.query(self.name, sql).df()


class SeenRows:
    """The contacts earlier batches of one streamed import wrote, with their file rows.

    Kept in a DuckDB temporary table rather than a Python dict: a million entries cost
    DuckDB a few MB and a dict a hundred. The plan of the next batch reads it; the write
    of each batch adds to it.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.table = f"wl_seen_{uuid.uuid4().hex[:12]}"
        self.count = 0
        db.execute(f"CREATE TEMP TABLE {self.table} (contact_id INTEGER, row INTEGER)")

    def add(self, pairs: list[tuple[int, int]]) -> None:
        """Remember (contact id, file row) pairs."""
        if not pairs:
            return
        frame = pd.DataFrame(pairs, columns=["contact_id", "row"], dtype="int64")
        staged = Staged(self.db, frame)
        staged.run(f"INSERT INTO {self.table} SELECT contact_id, row FROM {staged.name}")
        self.count += len(pairs)

    def lookup(self, ids: Collection[int]) -> dict[int, int]:
        """Contact id → the first file row that wrote it, for the ids seen before."""
        if not ids or not self.count:
            return {}
        rows = self.db.execute(
            f"SELECT contact_id, min(row) FROM {self.table} "
            "WHERE contact_id IN (SELECT unnest(?::INTEGER[])) GROUP BY 1",
            [sorted(ids)],
        ).fetchall()
        return {int(c): int(r) for c, r in rows}

    def drop(self) -> None:
        """Forget the table (the end of the import)."""
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")
