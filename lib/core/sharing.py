"""The shared view's rules: which flags start it, the settings it runs with, where it listens.

Plain Python (no Streamlit): the app reads its mode from here, and `lib.cli share` builds the
`streamlit run` command from here, so both agree on every flag. Anything not understood
stops the app: a typo must never start the full, writable, unredacted app.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lib.core.errors import WarmLeadsError

READ_ONLY_ENV = "WARMLEADS_READ_ONLY"
REDACT_ENV = "WARMLEADS_REDACT"
ON_VALUES = ("1", "true", "yes", "on")
OFF_VALUES = ("", "0", "false", "no", "off")
# The app's own arguments (after `--` in `streamlit run app.py -- …`).
APP_FLAGS = ("--read-only", "--redact", "--no-passphrase")
DEFAULT_SHARE_PORT = 8502
DEFAULT_SHARE_ADDRESS = "127.0.0.1"

# The server and client settings of the shared view (`streamlit run` flags): no tracebacks,
# no "Ask Google"/"Ask ChatGPT" links, no developer menu, no file watcher, no telemetry.
SHARE_SETTINGS: dict[str, str] = {
    "server.headless": "true",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "browser.gatherUsageStats": "false",
    "client.showErrorDetails": "none",
    "client.showErrorLinks": "false",
    "client.toolbarMode": "viewer",
}


class ModeError(WarmLeadsError):
    """The app was started with a flag or a setting it does not understand."""


@dataclass(frozen=True)
class Mode:
    """How this app process runs: writable or read-only, names shown or redacted."""

    read_only: bool = False
    redact: bool = False
    no_passphrase: bool = False  # the owner chose to share on the network without one


def _switch(name: str, env: Mapping[str, str]) -> bool:
    value = env.get(name, "")
    word = value.strip().lower()
    if word in ON_VALUES:
        return True
    if word in OFF_VALUES:
        return False
    raise ModeError(f"{name}={value!r} is not understood (use 1 for on, 0 for off)")


def parse_mode(args: Sequence[str], env: Mapping[str, str]) -> Mode:
    """The mode from the app's arguments and environment; ModeError for anything unknown."""
    unknown = [arg for arg in args if arg not in APP_FLAGS]
    if unknown:
        raise ModeError(f"unknown option {unknown[0]!r} after `--` (known: {', '.join(APP_FLAGS)})")
    redact = "--redact" in args or _switch(REDACT_ENV, env)
    read_only = "--read-only" in args or _switch(READ_ONLY_ENV, env)
    return Mode(
        read_only=read_only or redact, redact=redact, no_passphrase="--no-passphrase" in args
    )


def is_loopback(address: str | None) -> bool:
    """True when a server bound to `address` is reachable from this machine only."""
    if not address:
        return False  # Streamlit binds every interface when no address is set
    text = address.strip()
    if text.lower() == "localhost" or text.startswith("unix://"):
        return True
    try:
        return ipaddress.ip_address(text.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to a network interface


def share_command(
    python: str,
    app: str,
    *,
    address: str = DEFAULT_SHARE_ADDRESS,
    port: int = DEFAULT_SHARE_PORT,
    redact: bool = False,
    no_passphrase: bool = False,
    cert_file: str | None = None,
    key_file: str | None = None,
) -> list[str]:
    """The `python -m streamlit run app.py …` command line of the read-only shared view."""
    settings = {**SHARE_SETTINGS, "server.address": address, "server.port": str(port)}
    if cert_file and key_file:
        settings["server.sslCertFile"] = cert_file
        settings["server.sslKeyFile"] = key_file
    command = [python, "-m", "streamlit", "run", app]
    for key, value in settings.items():
        command += [f"--{key}", value]
    command += ["--", "--read-only"]
    if redact:
        command.append("--redact")
    if no_passphrase:
        command.append("--no-passphrase")
    return command
