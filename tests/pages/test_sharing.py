"""Sharing fails closed: every flag and setting is understood or refused; one command starts it."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lib.core.errors import ValidationError
from lib.core.sharing import Mode, ModeError, is_loopback, parse_mode, share_command
from lib.store.passphrase import (
    PassphraseFileError,
    clear_passphrase,
    load_passphrase,
    passphrase_path,
    set_passphrase,
    strength_hint,
)
from lib.ui.gate import AttemptLimiter
from tests.conftest import ROOT
from tests.processes import free_port, stop_group

UNKNOWN_FLAG = (
    "unknown option {flag!r} after `--` (known: --read-only, --redact, --no-passphrase, --phone)"
)


@pytest.mark.parametrize(
    ("args", "env", "mode"),
    [
        ([], {}, Mode()),
        (["--read-only"], {}, Mode(read_only=True)),
        (["--redact"], {}, Mode(read_only=True, redact=True)),
        (["--read-only", "--no-passphrase"], {}, Mode(read_only=True, no_passphrase=True)),
        ([], {"WARMLEADS_REDACT": "1"}, Mode(read_only=True, redact=True)),
        ([], {"WARMLEADS_REDACT": " TRUE "}, Mode(read_only=True, redact=True)),
        ([], {"WARMLEADS_READ_ONLY": "yes"}, Mode(read_only=True)),
        ([], {"WARMLEADS_READ_ONLY": "0", "WARMLEADS_REDACT": "off"}, Mode()),
        ([], {"WARMLEADS_READ_ONLY": ""}, Mode()),
    ],
)
def test_known_flags_and_values_set_the_mode(args: list[str], env: dict, mode: Mode) -> None:
    assert parse_mode(args, env) == mode


@pytest.mark.parametrize("flag", ["--redact=1", "--redacted", "--readonly", "-r", "redact", ""])
def test_an_unknown_argument_stops_the_app(flag: str) -> None:
    with pytest.raises(ModeError) as caught:
        parse_mode(["--read-only", flag], {})
    assert str(caught.value) == UNKNOWN_FLAG.format(flag=flag)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WARMLEADS_REDACT", "y"),
        ("WARMLEADS_READ_ONLY", "2"),
        ("WARMLEADS_REDACT", "enabled"),
        ("WARMLEADS_READ_ONLY", "-1"),
    ],
)
def test_an_unknown_setting_value_stops_the_app(name: str, value: str) -> None:
    with pytest.raises(ModeError) as caught:
        parse_mode([], {name: value})
    assert str(caught.value) == f"{name}={value!r} is not understood (use 1 for on, 0 for off)"


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("unix:///tmp/warmleads.sock", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("my-laptop.local", False),
        ("", False),
        (None, False),
    ],
)
def test_only_loopback_addresses_count_as_this_computer_only(
    address: str | None, loopback: bool
) -> None:
    assert is_loopback(address) is loopback


def test_the_share_command_runs_streamlit_with_the_locked_down_settings() -> None:
    command = share_command(
        "/py", "/repo/run.py", address="0.0.0.0", port=9000, redact=True, cert_file="c.pem",
        key_file="k.pem",
    )  # fmt: skip
    assert command == [
        "/py", "/repo/run.py",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--client.showErrorDetails", "none",
        "--client.showErrorLinks", "false",
        "--client.toolbarMode", "viewer",
        "--server.address", "0.0.0.0",
        "--server.port", "9000",
        "--server.sslCertFile", "c.pem",
        "--server.sslKeyFile", "k.pem",
        "--", "--read-only", "--redact",
    ]  # fmt: skip
    plain = share_command("/py", "/repo/run.py", no_passphrase=True)
    assert plain[-3:] == ["--", "--read-only", "--no-passphrase"]
    assert plain[plain.index("--server.address") + 1] == "127.0.0.1"
    assert plain[plain.index("--server.port") + 1] == "8502"


def test_every_mode_hides_error_details_and_the_ask_google_links() -> None:
    # The project's config (read by every `streamlit run` from the repo) as Streamlit reads it.
    script = (
        "from streamlit import config\n"
        "from streamlit.runtime.app_session import _get_show_error_links\n"
        "from streamlit.proto.NewSession_pb2 import Config\n"
        "config.get_config_options(force_reparse=True)\n"
        "print(config.get_option('client.showErrorDetails'),"
        " _get_show_error_links() == Config.ShowErrorLinks.SHOW_ERROR_LINKS_FALSE)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["none", "True"]


# ------------------------------------------------------------------------------ passphrase


def test_a_passphrase_is_stored_as_a_salted_scrypt_hash_readable_by_the_owner_only(
    tmp_path: Path,
) -> None:
    data = tmp_path / "network.duckdb"
    path = set_passphrase(data, "correct horse battery")
    assert path == tmp_path / "network.share-passphrase"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "correct horse" not in path.read_text()
    stored = load_passphrase(data)
    assert stored.matches("correct horse battery")
    assert not stored.matches("correct horse batter")
    assert not stored.matches("")
    first_salt = stored.salt
    set_passphrase(data, "correct horse battery")
    assert load_passphrase(data).salt != first_salt  # salted afresh each time
    assert os.listdir(tmp_path) == ["network.share-passphrase"]  # no temporary file left


def test_clearing_the_passphrase_removes_the_file(tmp_path: Path) -> None:
    data = tmp_path / "network.duckdb"
    assert clear_passphrase(data) is False
    set_passphrase(data, "a long passphrase")
    assert clear_passphrase(data) is True
    assert load_passphrase(data) is None


@pytest.mark.parametrize(
    "content", ["", "{}", "not json", '{"kdf": "md5", "salt": "00", "hash": "00"}', "[1]"]
)
def test_a_damaged_passphrase_file_is_refused_not_ignored(tmp_path: Path, content: str) -> None:
    data = tmp_path / "network.duckdb"
    passphrase_path(data).write_text(content)
    with pytest.raises(PassphraseFileError, match="the passphrase file is damaged"):
        load_passphrase(data)


def test_five_wrong_tries_a_minute_then_the_client_waits() -> None:
    now = [1000.0]
    limiter = AttemptLimiter(limit=5, window=60, clock=lambda: now[0])
    for _ in range(5):
        assert limiter.wait_seconds("10.0.0.2") == 0
        assert limiter.admit("10.0.0.2") == 0
        now[0] += 1
    assert limiter.wait_seconds("10.0.0.2") == 55  # the first wrong try expires at 1060
    assert limiter.wait_seconds("10.0.0.3") == 0  # another client is not affected
    now[0] = 1060.0
    assert limiter.wait_seconds("10.0.0.2") == 0


# ------------------------------------------------------------------------------- the CLI


def share(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m lib.cli share …` with stdin not a terminal (as a script would run it)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "lib.cli", "share", *argv],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_share_sets_and_clears_the_passphrase_from_stdin(tmp_path: Path) -> None:
    data = tmp_path / "network.duckdb"
    done = share("--db", str(data), "--set-passphrase", stdin="open sesame 42\nopen sesame 42\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Passphrase set: the shared view of network.duckdb asks for it")
    assert load_passphrase(data).matches("open sesame 42")
    assert not data.exists()  # setting a passphrase creates no database

    done = share("--db", str(data), "--clear-passphrase")
    assert (done.returncode, done.stdout) == (0, "Passphrase removed.\n")
    assert not passphrase_path(data).exists()


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("open sesame 42\nopen sesame 43\n", "passphrase: the two entries differ"),
        ("open sesame 42\n", "passphrase: give it twice (two lines on stdin)"),
        ("short\nshort\n", "passphrase: use at least 8 characters"),
    ],
)
def test_share_refuses_a_passphrase_that_is_not_confirmed_or_too_short(
    tmp_path: Path, stdin: str, message: str
) -> None:
    data = tmp_path / "network.duckdb"
    done = share("--db", str(data), "--set-passphrase", stdin=stdin)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {message}")
    assert not passphrase_path(data).exists()


def test_share_refuses_the_network_without_a_passphrase(tmp_path: Path) -> None:
    data = tmp_path / "network.duckdb"
    done = share("--db", str(data), "--address", "0.0.0.0")
    assert done.returncode == 1
    assert done.stderr == (
        "error: share: 0.0.0.0 is reachable from the network and no passphrase is set; set one "
        "first (python -m lib.cli share --set-passphrase) or add --no-passphrase\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--cert", "c.pem"], "error: share: --cert and --key go together"),
        (["--cert", "nope.pem", "--key", "nope.key"], "error: share: no file at nope.pem"),
    ],
)
def test_share_checks_the_tls_files_before_starting(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    done = share("--db", str(tmp_path / "network.duckdb"), *argv)
    assert done.returncode == 1
    assert done.stderr.startswith(message)


def test_the_command_line_never_imports_streamlit() -> None:
    script = "import sys, lib.cli; print('streamlit' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout == "False\n"


def test_share_starts_the_view_and_stopping_the_command_stops_it(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/_stcore/health"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "lib.cli", "share", "--db", str(tmp_path / "n.duckdb")]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not healthy(url):
            assert process.poll() is None and time.monotonic() < deadline, "it did not start"
            time.sleep(0.25)
        process.send_signal(signal.SIGTERM)  # to the command only, as a service manager would
        assert process.wait(timeout=30) == 0
        assert not healthy(url)  # the Streamlit server it started is gone too
        assert (
            process.stderr.read()
            .decode()
            .startswith(
                f"… sharing a read-only view of n.duckdb on http://127.0.0.1:{port} with NO "
                "passphrase; Ctrl-C stops it\n"
            )
        )
    finally:
        stop_group(process)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


# ------------------------------------------------------------ weak passphrases (25.9)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (" " * 8, "passphrase: it is blank or only spaces; three or four unrelated words"),
        ("\t  \t   \t", "passphrase: it is blank or only spaces"),
        ("", "passphrase: it is blank or only spaces"),
        ("kettle7", "passphrase: use at least 8 characters"),
        ("password", "passphrase: it is one of the most common passwords, tried first"),
        ("Password123", "passphrase: it is one of the most common passwords, tried first"),
        ("1234 5678", "passphrase: it is one of the most common passwords, tried first"),
        ("qwertyuiop", "passphrase: it is one of the most common passwords, tried first"),
        ("aaaaaaaaaaaa", "passphrase: it repeats too few characters to be hard to guess"),
        ("abab abab abab", "passphrase: it repeats too few characters to be hard to guess"),
    ],
)
def test_a_weak_passphrase_is_refused(tmp_path: Path, secret: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        set_passphrase(tmp_path / "network.duckdb", secret)
    assert str(caught.value).startswith(message)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("secret", "hint"),
    [
        ("kettle-violet", True),
        ("violet kettle 1987", False),
        ("correct horse battery staple", False),
        ("Zq8#kettleviolet", False),
    ],
)
def test_a_short_passphrase_gets_a_strength_hint(secret: str, hint: bool) -> None:
    text = strength_hint(secret)
    assert bool(text) is hint
    if hint:
        assert text == (
            "hint: 13 characters is short for a passphrase; three or four unrelated words are "
            "strong and easy to type, even on a phone (16 characters or more)"
        )


def test_folders_made_for_a_passphrase_are_private(tmp_path: Path) -> None:
    data = tmp_path / "new" / "deeper" / "network.duckdb"
    done = share("--db", str(data), "--set-passphrase", stdin="open sesame 42\nopen sesame 42\n")
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new" / "deeper").stat().st_mode) == 0o700
    assert stat.S_IMODE(passphrase_path(data).stat().st_mode) == 0o600


def test_a_short_passphrase_is_refused_before_it_is_asked_again(tmp_path: Path) -> None:
    data = tmp_path / "network.duckdb"
    done = share("--db", str(data), "--set-passphrase", stdin="short\n")  # typed once only
    assert (done.returncode, done.stderr) == (
        1,
        "error: passphrase: use at least 8 characters\n",
    )
    assert not passphrase_path(data).exists()


def test_setting_a_short_but_valid_passphrase_prints_the_hint(tmp_path: Path) -> None:
    data = tmp_path / "network.duckdb"
    done = share("--db", str(data), "--set-passphrase", stdin="kettle-violet\nkettle-violet\n")
    assert done.returncode == 0
    assert done.stderr.startswith("hint: 13 characters is short for a passphrase;")


def test_the_prompt_at_a_terminal_refuses_a_short_one_before_the_second_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import getpass

    from lib import cli

    asked: list[str] = []

    def typed(prompt: str) -> str:
        asked.append(prompt)
        return "short"

    monkeypatch.setattr(getpass, "getpass", typed)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    code = cli.main(["share", "--db", str(tmp_path / "network.duckdb"), "--set-passphrase"])
    assert code == 1
    assert asked == ["New passphrase for the shared view: "]  # never asked a second time
    assert capsys.readouterr().err == "error: passphrase: use at least 8 characters\n"
