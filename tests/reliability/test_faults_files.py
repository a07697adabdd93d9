"""A damaged or locked database file: a clear message, exit 1, the file left as it was."""

from __future__ import annotations

import fnmatch
import random
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from lib.store.db import open_database
from lib.store.files import backup_path
from tests.pagekit import unescape
from tests.processes import ROOT, hold_open, python_env
from tests.support import digest, write_demo

APP = str(ROOT / "app.py")
BLOCK = 4096


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a real, checkpointed demo database."""
    return write_demo(tmp_path_factory.mktemp("good") / "network.duckdb").read_bytes()


def damaged(kind: str, good: bytes) -> bytes:
    """One way a database file can arrive broken."""
    noise = random.Random(kind).randbytes
    return {
        "random bytes": noise(64 * 1024),
        "a text file": b"full_name,email\nAna Ruiz,ana@example.com\n",
        "an empty file": b"",
        "truncated to its header": good[:BLOCK],
        "truncated after its headers": good[: 3 * BLOCK],
        "zeroed blocks": good[:BLOCK] + bytes(len(good) - BLOCK),
        "random blocks": good[: 3 * BLOCK] + noise(len(good) - 3 * BLOCK),
    }[kind]


DAMAGE = [
    "random bytes",
    "a text file",
    "an empty file",
    "truncated to its header",
    "truncated after its headers",
    "zeroed blocks",
    "random blocks",
]


def folder_listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lib.cli", *args],
        cwd=ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {stderr!r}"
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("kind", DAMAGE)
@pytest.mark.parametrize("command", [["stats"], ["init"], ["demo"], ["stats", "--json"]])
def test_cli_refuses_a_damaged_file_with_one_line_and_leaves_it_untouched(
    tmp_path: Path, good_bytes: bytes, kind: str, command: list[str]
) -> None:
    path = tmp_path / "network.duckdb"
    path.write_bytes(damaged(kind, good_bytes))
    before, listing = digest(path), folder_listing(path)

    result = cli(*command, "--db", str(path))

    assert result.returncode == 1
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert str(path) in line
    assert "left untouched" in line
    assert "another Warm Leads process" not in line  # damaged is not "locked"
    assert digest(path) == before
    assert folder_listing(path) == listing  # no .wal, no "repaired" copy


def test_cli_refuses_a_file_locked_by_another_process(tmp_path: Path, good_bytes: bytes) -> None:
    path = tmp_path / "network.duckdb"
    path.write_bytes(good_bytes)
    with hold_open(path):
        before = digest(path)
        results = [cli(*command, "--db", str(path)) for command in (["init"], ["demo"])]
        assert digest(path) == before
    for result in results:  # commands that write (one that only reads reads the snapshot)
        assert result.returncode == 1
        line = one_line(result.stderr)
        assert line == (
            f"error: {path} is open in another Warm Leads process (the app or a command); "
            "close it there and try again"
        )


def test_cli_refuses_a_file_from_a_newer_warm_leads(tmp_path: Path) -> None:
    path = tmp_path / "network.duckdb"
    open_database(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')")
    con.close()
    before = digest(path)

    result = cli("stats", "--db", str(path))

    assert result.returncode == 1
    assert "was written by a newer Warm Leads (schema 99" in one_line(result.stderr)
    assert digest(path) == before


def run_dashboard() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/review/dashboard.py").run()
    return at


@pytest.mark.parametrize("kind", ["random bytes", "a text file", "zeroed blocks"])
def test_app_shows_what_is_wrong_with_a_damaged_file_and_leaves_it_untouched(
    app_env: Path, good_bytes: bytes, kind: str
) -> None:
    app_env.write_bytes(damaged(kind, good_bytes))
    before, listing = digest(app_env), folder_listing(app_env)

    at = run_dashboard()

    assert not at.exception
    assert "Warm Leads can't open your data" in [t.value for t in at.title]
    assert len(at.error) == 1
    assert str(app_env) in unescape(at.error[0].value)  # shown escaped: a path may hold `_`
    assert "left untouched" in at.error[0].value
    guidance = " ".join(m.value for m in at.markdown)
    assert "Your file has **not** been changed" in guidance
    assert "WARMLEADS_DB=/path/to/other.duckdb streamlit run app.py" in guidance
    # The backup pattern it names matches the backups Warm Leads really writes.
    pattern = re.search(r"`(\*[^`]*backup[^`]*)`", guidance)
    assert pattern and fnmatch.fnmatch(backup_path(app_env, 1).name, pattern.group(1))
    assert digest(app_env) == before
    assert folder_listing(app_env) == listing


def test_app_says_the_file_is_open_elsewhere_when_another_process_holds_it(
    app_env: Path, good_bytes: bytes
) -> None:
    app_env.write_bytes(good_bytes)
    with hold_open(app_env):
        before = digest(app_env)
        at = run_dashboard()
        assert digest(app_env) == before

    assert not at.exception
    assert "Warm Leads can't open your data" in [t.value for t in at.title]
    assert "is open in another Warm Leads process" in at.error[0].value
    guidance = " ".join(m.value for m in at.markdown)
    assert "Close it (or stop that command), then reload this page" in guidance
    assert "`python -m lib.cli share`" in guidance
