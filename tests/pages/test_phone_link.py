"""The phone link from the command line: its own passphrase, one command, and no way onto the
network without it, whichever way the app is started.

Servers bind 127.0.0.1 only. A refusal on a network address is proved to come before any bind:
the port asked for is held on 127.0.0.1 by the test, so a bind would fail with Streamlit's own
"Port … is not available", and only our one line may appear.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.cli import serving
from lib.core import sharing
from lib.core.errors import WarmLeadsError
from lib.core.sharing import phone_command
from lib.present import qr
from lib.store.passphrase import PHONE, load_passphrase, passphrase_path, set_passphrase
from tests.processes import ROOT, free_port, python_env, stop_group

PHONE_PASSPHRASE = "amber tram 4417 lantern"
NETWORK_REFUSAL = (
    "error: the writable app does not start on {address} (reachable from the network) without "
    "the phone passphrase; set one (python -m lib.cli phone --set-passphrase) and start it with "
    "python -m lib.cli phone, or listen on 127.0.0.1\n"
)


def run(
    argv: list[str], *, stdin: str = "", cwd: Path = ROOT, **env: str
) -> subprocess.CompletedProcess[str]:
    """A command as a user would run it (stdin not a terminal), WARMLEADS_* from `env` only."""
    return subprocess.run(
        argv,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=python_env(**env),
        timeout=120,
    )


def phone(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "lib.cli", "phone", *argv], stdin=stdin)


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port something already listens on at 127.0.0.1: binding it would fail loudly."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


# ----------------------------------------------------------------- its own passphrase


def test_the_phone_passphrase_is_its_own_file_beside_the_data(tmp_path: Path) -> None:
    data = tmp_path / "network.duckdb"
    typed = f"{PHONE_PASSPHRASE}\n{PHONE_PASSPHRASE}\n"
    done = phone("--db", str(data), "--set-passphrase", stdin=typed)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Passphrase set: the phone link of network.duckdb asks for it "
        f"({tmp_path / 'network.phone-passphrase'})\n"
    )
    assert load_passphrase(data, PHONE).matches(PHONE_PASSPHRASE)
    assert load_passphrase(data) is None  # the coach's view has none
    done = phone("--db", str(data), "--clear-passphrase")
    assert (done.returncode, done.stdout) == (0, "Passphrase removed.\n")
    assert not passphrase_path(data, PHONE).exists()


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("        \n        \n", "error: passphrase: it is blank or only spaces;"),
        ("letmein\n", "error: passphrase: use at least 8 characters\n"),
        ("password1\npassword1\n", "error: passphrase: it is one of the most common passwords"),
    ],
)
def test_the_phone_passphrase_refuses_weak_ones(tmp_path: Path, stdin: str, message: str) -> None:
    data = tmp_path / "network.duckdb"
    done = phone("--db", str(data), "--set-passphrase", stdin=stdin)
    assert done.returncode == 1
    assert done.stderr.startswith(message)
    assert os.listdir(tmp_path) == []


def test_phone_refuses_to_start_without_its_passphrase(tmp_path: Path) -> None:
    data = tmp_path / "network.duckdb"
    set_passphrase(data, "violet kettle 1987")  # the coach's is not the phone's
    done = phone("--db", str(data))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: phone: no phone passphrase is set, and the app never goes on the network "
        "without one; set it first (python -m lib.cli phone --set-passphrase)\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--key", "k.pem"], "error: phone: --cert and --key go together"),
        (["--cert", "nope.pem", "--key", "nope.key"], "error: phone: no file at nope.pem"),
    ],
)
def test_phone_checks_the_tls_files_before_starting(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    data = tmp_path / "network.duckdb"
    set_passphrase(data, PHONE_PASSPHRASE, PHONE)
    done = phone("--db", str(data), *argv)
    assert done.returncode == 1
    assert done.stderr.startswith(message)


def test_the_phone_command_line() -> None:
    assert phone_command("/py", "/repo/run.py", cert_file="c.pem", key_file="k.pem") == [
        "/py", "/repo/run.py",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--client.showErrorDetails", "none",
        "--client.showErrorLinks", "false",
        "--client.toolbarMode", "viewer",
        "--server.address", "0.0.0.0",
        "--server.port", "8503",
        "--server.sslCertFile", "c.pem",
        "--server.sslKeyFile", "k.pem",
        "--server.disconnectedSessionTTL", "43200",
        "--", "--phone",
    ]  # fmt: skip


def test_the_address_shown_is_the_machines_network_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sharing, "lan_address", lambda: "192.168.1.20")
    assert serving.phone_url("0.0.0.0", 8503, tls=False) == "http://192.168.1.20:8503"
    assert serving.phone_url("0.0.0.0", 8503, tls=True) == "https://192.168.1.20:8503"
    assert serving.phone_url("127.0.0.1", 9000, tls=False) == "http://127.0.0.1:9000"
    monkeypatch.setattr(sharing, "lan_address", lambda: None)
    with pytest.raises(WarmLeadsError, match="this computer has no local-network address"):
        serving.phone_url("0.0.0.0", 8503, tls=False)


def test_the_qr_code_is_drawn_for_the_terminal() -> None:
    drawn = qr.qr_text("http://192.168.1.20:8503")
    lines = drawn.splitlines()
    assert len(lines) > 10
    assert len({len(line) for line in lines}) == 1  # a square of equal rows
    assert set(drawn) == {"█", "▀", "▄", " ", "\n"}  # two modules per character: it fits


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def fetch(url: str) -> tuple[str, bytes]:
    """The content type and body a GET of `url` answers with."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.headers.get("content-type", ""), response.read()


def test_phone_prints_the_address_and_its_qr_code_and_serves_the_app(tmp_path: Path) -> None:
    data = tmp_path / "network.duckdb"
    set_passphrase(data, PHONE_PASSPHRASE, PHONE)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "lib.cli", "phone", "--db", str(data)]
            + ["--address", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=python_env(),
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while "Warm Leads is running at" not in out.read_text():  # after its health check
            assert process.poll() is None and time.monotonic() < deadline, err.read_text()
            time.sleep(0.25)
        assert healthy(url)
        # No metrics route: the path gets the page shell any unknown path gets, no figures.
        assert fetch(f"{url}/_stcore/metrics") == fetch(f"{url}/no-such-page")
        assert fetch(f"{url}/_stcore/metrics")[0].startswith("text/html")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        stop_group(process)
    printed = out.read_text()
    head = (
        f"Open Warm Leads on your phone (same Wi-Fi): {url}\n"
        "Point the phone's camera at this code, then give the phone passphrase:\n"
    )
    assert printed.startswith(head + qr.qr_text(url))
    assert f"Warm Leads is running at http://localhost:{port}\n" in printed
    assert err.read_text().startswith(
        "Without --cert/--key the connection is not encrypted: anyone on this network can read "
        "the passphrase and your contacts as they cross it (docs/PHONE.md).\n"
        f"… serving the writable app of network.duckdb on {url}; Ctrl-C stops it\n"
    )


# ------------------------------------------- run.py: fails closed, before it binds (22)


def launch(tmp_path: Path, *argv: str, cwd: Path = ROOT, **env: str) -> tuple[int, str]:
    done = run(
        [sys.executable, str(ROOT / "run.py"), *argv],
        cwd=cwd,
        WARMLEADS_DB=str(tmp_path / "network.duckdb"),
        **env,
    )
    return done.returncode, done.stderr


def test_run_py_on_the_network_without_the_phone_passphrase_exits_before_binding(
    tmp_path: Path, held_port: int
) -> None:
    code, err = launch(tmp_path, "--server.address", "0.0.0.0", "--server.port", str(held_port))
    assert (code, err) == (1, NETWORK_REFUSAL.format(address="0.0.0.0"))
    code, err = launch(tmp_path, "--server.address=::", f"--server.port={held_port}")
    assert (code, err) == (1, NETWORK_REFUSAL.format(address="::"))


def test_streamlits_environment_setting_is_refused_too(tmp_path: Path, held_port: int) -> None:
    code, err = launch(
        tmp_path, "--server.port", str(held_port), STREAMLIT_SERVER_ADDRESS="0.0.0.0"
    )
    assert (code, err) == (1, NETWORK_REFUSAL.format(address="0.0.0.0"))


def test_a_config_toml_address_is_refused_too(tmp_path: Path, held_port: int) -> None:
    folder = tmp_path / "elsewhere"
    (folder / ".streamlit").mkdir(parents=True)
    (folder / ".streamlit" / "config.toml").write_text('[server]\naddress = "192.168.1.20"\n')
    code, err = launch(tmp_path, "--server.port", str(held_port), cwd=folder)
    assert (code, err) == (1, NETWORK_REFUSAL.format(address="192.168.1.20"))


def test_phone_mode_on_this_computer_needs_the_phone_passphrase(
    tmp_path: Path, held_port: int
) -> None:
    code, err = launch(
        tmp_path, "--server.address", "127.0.0.1", "--server.port", str(held_port), "--", "--phone"
    )
    assert (code, err) == (
        1,
        "error: the phone link (--phone) does not start without the phone passphrase; set one "
        "(python -m lib.cli phone --set-passphrase)\n",
    )


def test_the_shared_view_on_the_network_without_a_passphrase_exits_before_binding(
    tmp_path: Path, held_port: int
) -> None:
    code, err = launch(
        tmp_path,
        "--server.address",
        "0.0.0.0",
        "--server.port",
        str(held_port),
        "--",
        "--read-only",
    )
    assert (code, err) == (
        1,
        "error: the shared view does not start on 0.0.0.0 (reachable from the network) without "
        "a passphrase; set one (python -m lib.cli share --set-passphrase) or add -- "
        "--no-passphrase\n",
    )


def test_a_damaged_passphrase_file_stops_run_py(tmp_path: Path, held_port: int) -> None:
    passphrase_path(tmp_path / "network.duckdb", PHONE).write_text("{}")
    code, err = launch(tmp_path, "--server.address", "0.0.0.0", "--server.port", str(held_port))
    assert (code, err) == (
        1,
        "error: the passphrase file is damaged: set the passphrase again "
        "(python -m lib.cli phone --set-passphrase)\n",
    )


@pytest.mark.parametrize("value", ["proxy.local", "10.0.0.0/8"])
def test_a_bad_trusted_proxy_setting_never_reaches_the_server(
    tmp_path: Path, held_port: int, value: str
) -> None:
    code, err = launch(
        tmp_path,
        "--server.address",
        "0.0.0.0",
        "--server.port",
        str(held_port),
        WARMLEADS_TRUSTED_PROXY=value,
    )
    assert code == 1
    assert err == (
        f"error: WARMLEADS_TRUSTED_PROXY={value!r} is not one IP address (the proxy in front of "
        "the app)\n"
    )


def test_with_no_address_anywhere_run_py_listens_on_this_computer_only(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"  # no .streamlit/config.toml here: Streamlit would take all
    folder.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "--server.port", str(port)],
        cwd=folder,
        env=python_env(WARMLEADS_DB=str(tmp_path / "network.duckdb")),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not healthy(f"http://127.0.0.1:{port}"):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.25)
        listening = listeners(port)
        assert listening == {"127.0.0.1"}, listening
    finally:
        stop_group(process)


def listeners(port: int) -> set[str]:
    """The local addresses with a socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            if width == 8:
                found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
            else:
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def test_todays_qr_code_is_a_png_of_the_phone_address() -> None:
    png = qr.qr_png("http://192.168.1.20:8503")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    # The same code as the terminal's: segno encodes the address alone, nothing else.
    import segno

    assert segno.make("http://192.168.1.20:8503", error="m").designator == "2-M"


@pytest.mark.parametrize(
    ("address", "ssl", "host", "expected"),
    [
        ("127.0.0.1", None, "192.168.1.20", None),  # this computer only: nothing to show
        ("0.0.0.0", None, "192.168.1.20", "http://192.168.1.20:8503"),
        ("0.0.0.0", "cert.pem", "192.168.1.20", "https://192.168.1.20:8503"),
        ("192.168.1.20", None, None, "http://192.168.1.20:8503"),
        ("0.0.0.0", None, None, None),  # no Wi-Fi: no address a phone could open
    ],
)
def test_today_shows_the_phone_address_only_while_the_app_serves_the_network(
    monkeypatch: pytest.MonkeyPatch, address: str, ssl: str | None, host: str | None, expected
) -> None:
    from lib.ui import phone_link

    options = {"server.address": address, "server.port": 8503, "server.sslCertFile": ssl}
    monkeypatch.setattr(phone_link.st, "get_option", options.__getitem__)
    monkeypatch.setattr(sharing, "lan_address", lambda: host)
    assert phone_link.phone_address() == expected
