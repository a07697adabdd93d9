"""A second process that holds the data file open for writing, as the main app does.

Used by the sharing tests: DuckDB's lock is per process, so only a real second process
shows what a read-only view sees while the app runs. Commands on stdin, one per line:
`add NAME` adds a contact (through lib, so its commit publishes a snapshot), `wait` waits
until the snapshot shows it, `quit` closes the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _serve(path: str, raw: bool) -> None:
    sys.path.insert(0, str(ROOT))
    if raw:  # a writer that publishes nothing (an older Warm Leads, another tool)
        import duckdb

        con = duckdb.connect(path)
        print("ready", flush=True)
        sys.stdin.readline()
        con.close()
        return
    from lib.records.contacts import add_contact
    from lib.store.db import open_database

    db = open_database(path)
    db.wait_for_snapshot()
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "add":
            print(add_contact(db, {"full_name": argument}), flush=True)
        elif command == "wait":
            db.wait_for_snapshot()
            print("done", flush=True)
        else:
            break
    db.close()


class Writer:
    """Start a writing process on `path`; `raw` opens the file without lib (no snapshots)."""

    def __init__(self, path: Path, *, raw: bool = False) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(path), "raw" if raw else "lib"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self._expect("ready")

    def _expect(self, word: str | None = None) -> str:
        line = self.process.stdout.readline().strip()
        if word is not None and line != word:
            raise AssertionError(f"writer said {line!r}, expected {word!r}")
        return line

    def send(self, command: str) -> str:
        """Send one command and return the writer's answer."""
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._expect()

    def add(self, name: str) -> int:
        """Add a contact in the writing process; return its id."""
        return int(self.send(f"add {name}"))

    def stop(self) -> None:
        """Close the file and end the process."""
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=60)


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2] == "raw")
