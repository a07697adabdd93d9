"""Helpers for tests that need other processes: one holding the database, one to kill."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Opens the file read-write (as the running app or a long command does) and waits for stdin.
_HOLDER = """
import sys
from lib.store.db import open_database
db = open_database(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
db.close()
"""


def python_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python that imports lib/ from the repo root."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMLEADS_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


@contextmanager
def hold_open(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process keeps `path` open for writing for the duration of the block."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        cwd=ROOT,
        env=python_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = proc.stdout.readline().strip() if proc.stdout else ""
        if ready != "holding":
            raise RuntimeError(f"the holding process did not open {path} (exit {proc.poll()})")
        yield proc
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_group(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a process started with `start_new_session=True` and everything it started."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()
    # The leader is gone; anything it left behind in its group goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
