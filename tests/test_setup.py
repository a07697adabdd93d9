"""A newcomer's set-up: the README's commands, word for word, on a stock system Python.

`test_run_it_works_verbatim_in_a_fresh_clone` clones the repository into a temporary folder
and runs the README's "Run it" command there through `sh -c`, with `PATH=/usr/bin:/bin`, a
fresh `HOME` and nothing activated, so `python3` is the system's (Debian 12's 3.11, which
refuses `pip install` outside a virtual environment, PEP 668). It passes when the app answers
`/_stcore/health` and the terminal said where it runs. pip fetches from the package registry;
a cache shared between runs (`WARMLEADS_PIP_CACHE`, default /tmp/warmleads-pip-cache) keeps
it to about a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import ROOT, stop_group

SYSTEM_PYTHON = Path("/usr/bin/python3")
RUNNING = re.compile(r"^Warm Leads is running at (http://localhost:(\d+))$", re.MULTILINE)
INSTALL_AND_START = 240  # seconds: venv + pip install (cached) + the server's first start


def readme_command(section: str) -> str:
    """The one shell command in the README's `## <section>` code block."""
    text = (ROOT / "README.md").read_text()
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", body, re.DOTALL)
    assert len(blocks) == 1, f"README's {section} should hold one sh block, found {len(blocks)}"
    lines = blocks[0].strip().splitlines()
    assert len(lines) == 1, f"README's {section} should be one command, found {lines}"
    return lines[0]


def test_the_readme_commands_are_one_line_each_and_need_nothing_activated() -> None:
    run_it, test_it = readme_command("Run it"), readme_command("Test it")
    assert run_it == (
        "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt"
        " && .venv/bin/python run.py"
    )
    assert test_it == (
        "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt"
        " && .venv/bin/python -m pytest"
    )


def test_ci_runs_the_readme_test_command_exactly() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    test_it = readme_command("Test it")
    assert [line for line in ci if line.startswith(test_it)] == [f"{test_it} || status=$?"]
    assert 'export CI="${CI:-true}"' in ci


def fresh_clone(target: Path) -> None:
    """A clone of this repository, with the working tree's files as they are on disk."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    # The clone has the last commit; lay the tracked and new (not ignored) files over it, so
    # the test checks the code under test even before it is committed.
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, (item.decode() for item in listed)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def system_python_version() -> tuple[int, int]:
    out = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import sys; print(*sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.slow
def test_run_it_works_verbatim_in_a_fresh_clone(tmp_path: Path) -> None:
    if not SYSTEM_PYTHON.exists() or system_python_version() < (3, 11):
        pytest.fail(f"{SYSTEM_PYTHON} is missing or older than 3.11: the README's floor")
    clone, home = tmp_path / "warmleads", tmp_path / "home"
    home.mkdir()
    fresh_clone(clone)
    assert not (clone / ".venv").exists()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PIP_CACHE_DIR": os.environ.get("WARMLEADS_PIP_CACHE", "/tmp/warmleads-pip-cache"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    log = tmp_path / "terminal.log"
    with log.open("wb") as out:
        shell = subprocess.Popen(
            ["/bin/sh", "-c", readme_command("Run it")],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + INSTALL_AND_START
        said = None
        while time.monotonic() < deadline and shell.poll() is None and said is None:
            said = RUNNING.search(log.read_text(errors="replace"))
            time.sleep(0.5)
        terminal = log.read_text(errors="replace")
        assert said, f"no running-at line (exit {shell.poll()}):\n{terminal[-3000:]}"
        url = said.group(1).replace("localhost", "127.0.0.1")
        assert answers(url), f"{url}/_stcore/health did not answer ok:\n{terminal[-3000:]}"
        # The one line says it all: Streamlit's own "You can now view…" block is not repeated.
        assert "You can now view" not in terminal
        assert terminal.count("Warm Leads is running at") == 1
        venv_python = clone / ".venv" / "bin" / "python"
        assert venv_python.exists()
        version = subprocess.run(
            [str(venv_python), "-c", "import sys; print(sys.base_prefix)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert version == "/usr", f"the venv was not made from the system Python: {version}"
    finally:
        stop_group(shell)
