"""The output guard: no `--out` can destroy the data, replace a device or a file unasked."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lib.core.errors import OutputError
from lib.store import outputs
from lib.store.db import open_database
from lib.store.snapshot import snapshot_path
from tests.conftest import ROOT, TODAY
from tests.support import digest, run_cli

COMMANDS = {
    "export csv": ["export", "--format", "csv"],
    "export vcard": ["export", "--format", "vcard"],
    "export ics": ["export", "--format", "ics", "--as-of", TODAY.isoformat()],
    "report": ["report", "--to", TODAY.isoformat()],
}


def contact_count(path: Path) -> int:
    with open_database(path, read_only=True) as db:
        return int(db.scalar("SELECT count(*) FROM contacts"))


def _backup(data: Path) -> Path:
    copy = data.with_name(f"{data.stem}.v2-backup-20261101-101500{data.suffix}")
    shutil.copy2(data, copy)
    return copy


def _symlink(data: Path) -> Path:
    link = data.with_name("export.csv")
    link.symlink_to(data.name)
    return link


def _hard_link(data: Path) -> Path:
    link = data.with_name("report.html")
    os.link(data, link)
    return link


def _other_database(data: Path) -> Path:
    other = data.with_name("old-search.duckdb")
    shutil.copy2(data, other)
    return other


TARGETS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "the database": (lambda data: data, "{out} is the database"),
    "the snapshot": (snapshot_path, "{out} is the database's snapshot"),
    "the log": (
        lambda data: data.with_name(data.name + ".wal"),
        "{out} is the database's write-ahead log",
    ),
    "a backup": (_backup, "{out} is a backup of the database"),
    "a symlink to the database": (_symlink, "{out} is the database"),
    "a hard link to the database": (_hard_link, "{out} is the database"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("target", list(TARGETS))
def test_no_output_can_be_the_database_or_resolve_to_it(
    demo_file: Path, capsys: pytest.CaptureFixture[str], command: str, target: str
) -> None:
    make, message = TARGETS[target]
    out = make(demo_file)
    snap = snapshot_path(demo_file)
    before = (digest(demo_file), digest(snap), sorted(p.name for p in demo_file.parent.iterdir()))

    code, printed, err = run_cli(
        capsys, *COMMANDS[command], "--db", str(demo_file), "--out", str(out), "--force"
    )

    assert (code, printed) == (1, "")
    expected = message.format(out=out)
    assert err == f"error: {expected}; it was left untouched — choose another file\n"
    after = (digest(demo_file), digest(snap), sorted(p.name for p in demo_file.parent.iterdir()))
    assert after == before
    assert contact_count(demo_file) == 50


def test_another_database_file_is_never_an_output(demo_file: Path, capsys) -> None:
    other = _other_database(demo_file)
    before = digest(other)
    code, _, err = run_cli(capsys, "export", "--format", "csv", "--db", str(demo_file), "--out",
                       str(other), "--force")  # fmt: skip
    assert code == 1
    assert err == f"error: {other} is a database file; it was left untouched\n"
    assert digest(other) == before


def test_a_full_disk_device_is_refused_and_stays_a_device(
    demo_file: Path, tmp_path: Path, capsys
) -> None:
    full = tmp_path / "full"
    os.mknod(full, 0o600 | stat.S_IFCHR, os.makedev(1, 7))  # /dev/full: every write fails
    for command in COMMANDS.values():
        code, printed, err = run_cli(capsys, *command, "--db", str(demo_file), "--out", str(full),
                                 "--force")  # fmt: skip
        assert (code, printed) == (1, "")
        assert err == f"error: {full} is not a regular file (a device, pipe or socket)\n"
        info = full.lstat()
        assert stat.S_ISCHR(info.st_mode) and os.major(info.st_rdev) == 1
        assert os.minor(info.st_rdev) == 7


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("-", "cannot write to `-` (standard output); give a file name"),
        ("{tmp}", "{tmp} is a folder; give a file name"),
        ("{tmp}/gone/x.csv", "cannot write {tmp}/gone/x.csv: the folder {tmp}/gone does not exist"),
        ("{tmp}/dangling.csv", "{tmp}/dangling.csv is a link to a file that does not exist; "
                               "give a file name"),
    ],
)  # fmt: skip
def test_odd_outputs_are_refused_with_one_line(
    demo_file: Path, tmp_path: Path, capsys, monkeypatch, out: str, message: str
) -> None:
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, printed, err = run_cli(capsys, "export", "--format", "csv", "--db", str(demo_file),
                             "--out", out.format(tmp=tmp_path))  # fmt: skip
    assert (code, printed) == (1, "")
    assert err == f"error: {message.format(tmp=tmp_path)}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("exists", [False, True], ids=["no log yet", "a live log"])
def test_the_log_of_another_database_is_never_an_output_even_with_force(
    demo_file: Path, capsys, exists: bool
) -> None:
    other = _other_database(demo_file)
    log = other.with_name(other.name + ".wal")
    if exists:
        log.write_bytes(b"changes not yet in old-search.duckdb")
    before = (digest(other), log.read_bytes() if exists else None)

    code, printed, err = run_cli(capsys, "export", "--format", "csv", "--db", str(demo_file),
                                 "--out", str(log), "--force")  # fmt: skip

    assert (code, printed) == (1, "")
    assert err == f"error: {log} is the write-ahead log of a database; it was left untouched\n"
    assert (digest(other), log.read_bytes() if exists else None) == before
    assert log.exists() == exists


_WRITER = "import sys; f = open(sys.argv[1], 'a'); print('holding', flush=True); sys.stdin.read()"


def test_a_file_another_program_holds_open_for_writing_is_never_replaced(
    demo_file: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "notes.txt"
    out.write_bytes(b"being written by an editor")
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
        code, printed, err = run_cli(capsys, "export", "--format", "csv", "--db",
                                     str(demo_file), "--out", str(out), "--force")  # fmt: skip
    finally:
        assert writer.stdin is not None
        writer.stdin.close()
        writer.wait(timeout=20)

    assert (code, printed) == (1, "")
    assert err == (
        f"error: {out} is open for writing in another program (process {writer.pid}); "
        "it was left untouched\n"
    )
    assert out.read_bytes() == b"being written by an editor"
    # Once the other program closed it, --force replaces it as usual.
    code, printed, err = run_cli(capsys, "export", "--format", "csv", "--db", str(demo_file),
                                 "--out", str(out), "--force")  # fmt: skip
    assert code == 0, err


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_existing_file_is_replaced_only_with_force(
    demo_file: Path, tmp_path: Path, capsys, command: str
) -> None:
    out = tmp_path / "mine.out"
    out.write_bytes(b"last week's file")

    code, printed, err = run_cli(
        capsys, *COMMANDS[command], "--db", str(demo_file), "--out", str(out)
    )

    assert (code, printed) == (1, "")
    assert err == f"error: {out} already exists; add --force to replace it\n"
    assert out.read_bytes() == b"last week's file"

    code, printed, err = run_cli(
        capsys, *COMMANDS[command], "--db", str(demo_file), "--out", str(out), "--force"
    )
    assert code == 0, err
    assert printed.startswith("Wrote ")
    assert out.read_bytes() != b"last week's file"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_link_to_an_ordinary_file_writes_that_file_and_keeps_the_link(
    demo_file: Path, tmp_path: Path, capsys
) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    code, _, err = run_cli(capsys, "export", "--format", "csv", "--db", str(demo_file), "--out",
                       str(link), "--force")  # fmt: skip
    assert code == 0, err
    assert link.is_symlink()
    assert real.read_bytes().startswith(b"\xef\xbb\xbfrecord,id,full_name")


_EXPORT_UNDER_A_LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # a disk that fills after 4 KB
from lib.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_write_error_exits_1_and_leaves_the_old_file_and_nothing_else(
    demo_file: Path, tmp_path: Path, command: str
) -> None:
    out = tmp_path / "exports" / "mine.out"
    out.parent.mkdir()
    out.write_bytes(b"the file before")
    argv = [*COMMANDS[command], "--db", str(demo_file), "--out", str(out), "--force"]
    done = subprocess.run(
        [sys.executable, "-c", _EXPORT_UNDER_A_LIMIT, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    last = done.stderr.strip().splitlines()[-1]
    assert last == f"error: could not write {out} (File too large); nothing was written"
    assert out.read_bytes() == b"the file before"
    assert [p.name for p in out.parent.iterdir()] == ["mine.out"]
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] != 4096  # the limit was the child's


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_every_write_flush_or_rename_error_is_reported_and_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    class FullStream:
        def __init__(self, stream):
            self.stream = stream

        def __getattr__(self, name):
            return getattr(self.stream, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, _data):
            no_space()

    if failing == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(outputs.os, "fdopen", lambda *a, **k: FullStream(real_fdopen(*a, **k)))
    elif failing == "fsync":
        monkeypatch.setattr(outputs.os, "fsync", no_space)
    else:
        monkeypatch.setattr(outputs.os, "replace", no_space)
    out = tmp_path / "out.csv"
    with pytest.raises(OutputError) as caught:
        outputs.write_output(out, b"data", db_path=tmp_path / "network.duckdb")
    assert str(caught.value) == f"could not write {out} (the disk is full); nothing was written"
    assert list(tmp_path.iterdir()) == []
