"""run.py's port: chosen as Streamlit chooses it, searched for only when none is given."""

from __future__ import annotations

import importlib.util
import select
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.processes import ROOT, free_port, python_env, stop_group


def load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working folder (and home) with no Streamlit settings and no STREAMLIT_SERVER_PORT."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("STREAMLIT_SERVER_PORT", raising=False)
    yield folder
    # run.py re-reads Streamlit's configuration in this process: read it again from here,
    # or every later AppTest would run with the settings of this empty folder.
    monkeypatch.undo()
    from streamlit import config

    config.get_config_options(force_reparse=True)


def config_toml(folder: Path, port: int) -> None:
    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "config.toml").write_text(f"[server]\nport = {port}\n")


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port something already listens on at 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


# ------------------------------------------------------------- which port, in Streamlit's order


def test_no_port_given_anywhere_means_search(elsewhere: Path) -> None:
    assert load_run().configured_port([]) is None


def test_the_config_toml_port_is_used(elsewhere: Path) -> None:
    config_toml(elsewhere, 8611)
    assert load_run().configured_port([]) == (8611, "server.port in config.toml")


def test_the_environment_beats_config_toml(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_toml(elsewhere, 8611)
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8622")
    assert load_run().configured_port([]) == (8622, "STREAMLIT_SERVER_PORT")


@pytest.mark.parametrize("argv", [["--server.port", "8633"], ["--server.port=8633"]])
def test_the_option_beats_the_environment_and_config_toml(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    config_toml(elsewhere, 8611)
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8622")
    assert load_run().configured_port(argv) == (8633, "--server.port")


def test_an_option_after_the_double_dash_is_the_apps_not_a_port(elsewhere: Path) -> None:
    assert load_run().configured_port(["--", "--server.port", "8633"]) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("eighty", "error: the port 'eighty' (STREAMLIT_SERVER_PORT) is not a number"),
        ("70000", "error: the port 70000 (STREAMLIT_SERVER_PORT) is not between 1 and 65535"),
    ],
)
def test_a_port_that_is_not_one_is_a_one_line_error(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", value)
    with pytest.raises(SystemExit) as stop:
        load_run().configured_port([])
    assert str(stop.value) == message


# ------------------------------------------------------------------ a port in use: one line


def launch(folder: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = python_env(WARMLEADS_DB=str(folder / "network.duckdb"), HOME=str(folder), **env)
    environment.pop("STREAMLIT_SERVER_PORT", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *argv],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def in_use(port: int, where: str) -> str:
    return (
        f"error: port {port} ({where}) is already in use on 127.0.0.1: stop what uses it, "
        "or choose another port\n"
    )


def test_a_taken_port_from_the_option_is_one_line_naming_it(
    elsewhere: Path, held_port: int
) -> None:
    done = launch(elsewhere, "--server.port", str(held_port))
    assert (done.returncode, done.stdout, done.stderr) == (
        1,
        "",
        in_use(held_port, "--server.port"),
    )


def test_a_taken_port_from_the_environment_is_one_line_naming_it(
    elsewhere: Path, held_port: int
) -> None:
    done = launch(elsewhere, STREAMLIT_SERVER_PORT=str(held_port))
    assert (done.returncode, done.stderr) == (1, in_use(held_port, "STREAMLIT_SERVER_PORT"))


def test_a_taken_port_from_config_toml_is_one_line_naming_it(
    elsewhere: Path, held_port: int
) -> None:
    config_toml(elsewhere, held_port)
    done = launch(elsewhere)
    assert (done.returncode, done.stderr) == (1, in_use(held_port, "server.port in config.toml"))


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def test_the_environments_port_is_where_the_app_answers(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "--server.headless", "true"],
        cwd=folder,
        env=python_env(
            WARMLEADS_DB=str(tmp_path / "network.duckdb"),
            HOME=str(tmp_path),
            STREAMLIT_SERVER_PORT=str(port),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    said = b""
    try:
        deadline = time.monotonic() + 90
        while not healthy(f"http://127.0.0.1:{port}"):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.25)
        # run.py says where it runs once the server answers: wait for that whole line (the
        # text and its newline can come in two reads).
        while b"running at" not in said.rpartition(b"\n")[0] and time.monotonic() < deadline:
            if select.select([process.stdout], [], [], 1)[0]:
                said += process.stdout.read1(4096)
    finally:
        stop_group(process)
    assert f"Warm Leads is running at http://localhost:{port}\n" in said.decode()
