"""Fixing mistakes at scale: `python -m bench.bench_corrections [--network N] [--rows N]`.

On a demo network of N contacts (10 steps each): the confirmation of editing and of deleting
one step (the engine run inside a rolled-back transaction), the delete itself, undoing a
LinkedIn import of `rows` people, and removing the whole demo network. Each write runs on a
fresh copy of the network file.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.bench_import import connections_file
from bench.common import demo_file, median_seconds, peak_rss_mb
from lib.io.demo_removal import remove_demo
from lib.io.importing import import_file
from lib.io.importing.batches import undo_import
from lib.records import changes
from lib.records.corrections import delete_event
from lib.store.db import open_database


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--network", type=int, default=100_000, help="demo contacts")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the undone import")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    network, _ = demo_file(args.network, args.network * 10)
    day = date.today()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        copy = work / "network.duckdb"
        shutil.copy2(network, copy)
        db = open_database(copy)
        try:
            event_id = int(db.scalar("SELECT max(id) FROM events WHERE kind = 'thank_you'"))
            edit = median_seconds(
                lambda: changes.edit_preview(db, event_id, {"kind": "note"}, day), args.repeat
            )
            print(f"confirmation of an edit ({args.network:,} contacts):   median {edit:.3f} s")
            delete = median_seconds(
                lambda: changes.delete_preview(
                    db, event_id, day, whole_conversation=True, referrals="delete"
                ),
                args.repeat,
            )
            print(f"confirmation of a delete ({args.network:,} contacts):  median {delete:.3f} s")
            started = time.perf_counter()
            delete_event(db, event_id, whole_conversation=True, referrals="delete")
            took = time.perf_counter() - started
            print(f"delete a conversation:                          {took:.3f} s")
            source = connections_file(work / "Connections.csv", args.rows)
            result = import_file(db, source)
            started = time.perf_counter()
            undo_import(db, result.batch_id)
            took = time.perf_counter() - started
            print(f"undo an import of {args.rows:,} people:                {took:.2f} s")
            started = time.perf_counter()
            message = remove_demo(db)
            took = time.perf_counter() - started
            print(f"remove the demo network ({args.network:,} people):     {took:.2f} s")
            print(f"  {message}")
        finally:
            db.close()
    print(f"peak memory: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
