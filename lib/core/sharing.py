"""Who may reach the app: its mode's flags, the settings it runs with, where it listens.

Plain Python (no Streamlit): the app reads its mode from here, and `lib.cli share` and
`lib.cli phone` build their command lines from here, so all agree on every flag. Anything not
understood stops the app: a typo must never start the full, writable, unredacted app.

Two doors, each with its own passphrase: the coach's read-only shared view, and the phone link
(the writable app on the local network). The writable app on any address but this computer's
own needs the phone passphrase, however it is started.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lib.core.errors import WarmLeadsError

READ_ONLY_ENV = "WARMLEADS_READ_ONLY"
REDACT_ENV = "WARMLEADS_REDACT"
ON_VALUES = ("1", "true", "yes", "on")
OFF_VALUES = ("", "0", "false", "no", "off")
# The one address of a proxy in front of the app whose X-Forwarded-For header is believed (say,
# a reverse proxy on this machine). Unset: no forwarded header is believed, from anyone.
TRUSTED_PROXY_ENV = "WARMLEADS_TRUSTED_PROXY"
# The app's own arguments (after `--` in `streamlit run app.py -- …`).
APP_FLAGS = ("--read-only", "--redact", "--no-passphrase", "--phone")
DEFAULT_SHARE_PORT = 8502
DEFAULT_SHARE_ADDRESS = "127.0.0.1"
DEFAULT_PHONE_PORT = 8503
PHONE_SESSION_SECONDS = 12 * 3600
PHONE_ADDRESS = "0.0.0.0"

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
    phone: bool = False  # the writable app asks for the phone passphrase, even on 127.0.0.1

    @property
    def passphrase_kind(self) -> str:
        """Which passphrase guards this mode: "share" (read-only view) or "phone" (writable)."""
        return "share" if self.read_only else "phone"


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
    trusted_proxy(env)  # a bad value stops the app at once, not at the first passphrase
    phone = "--phone" in args
    if phone and (read_only or redact):
        raise ModeError("--phone is the writable app; it does not go with --read-only or --redact")
    if phone and "--no-passphrase" in args:
        raise ModeError("--phone always asks for the phone passphrase; drop --no-passphrase")
    return Mode(
        read_only=read_only or redact,
        redact=redact,
        no_passphrase="--no-passphrase" in args,
        phone=phone,
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


def trusted_proxy(env: Mapping[str, str]) -> str | None:
    """The proxy address named in WARMLEADS_TRUSTED_PROXY (None: believe no forwarded header).

    ModeError when it is not one IP address: a host name or a list would widen the trust.
    """
    value = env.get(TRUSTED_PROXY_ENV, "").strip()
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip("[]")))
    except ValueError:
        raise ModeError(
            f"{TRUSTED_PROXY_ENV}={value!r} is not one IP address (the proxy in front of the app)"
        ) from None


def forwarded_allow_ips(env: Mapping[str, str]) -> str:
    """The FORWARDED_ALLOW_IPS value for Streamlit's web server (uvicorn): the named proxy or none.

    Streamlit 1.67 has no option for it, and uvicorn's default believes X-Forwarded-For from
    127.0.0.1 and ::1, which lets any local client (an SSH tunnel too) pick its own address.
    The empty string believes no one.
    """
    return trusted_proxy(env) or ""


def passphrase_required(mode: Mode, address: str | None, *, passphrase_set: bool) -> bool:
    """True when this mode on `address` must ask for a passphrase before showing anything.

    The shared view asks whenever its passphrase is set; the writable app asks for the phone
    passphrase on the network (or with --phone), never on this computer alone.
    """
    if mode.read_only:
        return passphrase_set or (not is_loopback(address) and not mode.no_passphrase)
    return mode.phone or not is_loopback(address)


def network_refusal(address: str | None) -> str:
    """The one-line reason the writable app does not start on `address` without a passphrase."""
    if is_loopback(address):  # `-- --phone` on this computer (behind a tunnel, say)
        return (
            "the phone link (--phone) does not start without the phone passphrase; set one "
            "(python -m lib.cli phone --set-passphrase)"
        )
    return (
        f"the writable app does not start on {address or 'every address'} (reachable from the "
        "network) without the phone passphrase; set one (python -m lib.cli phone "
        "--set-passphrase) and start it with python -m lib.cli phone, or listen on 127.0.0.1"
    )


def lan_address() -> str | None:
    """This machine's address on the local network, None when it has none.

    Connecting a UDP socket sends no packet: it only asks the kernel which interface a packet
    to a private address would leave from.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if is_loopback(address) or address == "0.0.0.0" else address


def server_settings(
    address: str, port: int, cert_file: str | None = None, key_file: str | None = None
) -> dict[str, str]:
    """The locked-down `streamlit run` settings on `address`:`port` (TLS when both files given)."""
    settings = {**SHARE_SETTINGS, "server.address": address, "server.port": str(port)}
    if cert_file and key_file:
        settings["server.sslCertFile"] = cert_file
        settings["server.sslKeyFile"] = key_file
    return settings


def phone_command(
    python: str,
    launcher: str,
    *,
    address: str = PHONE_ADDRESS,
    port: int = DEFAULT_PHONE_PORT,
    cert_file: str | None = None,
    key_file: str | None = None,
) -> list[str]:
    """The `python run.py …` command line of the writable app behind the phone passphrase."""
    command = [python, launcher]
    settings = server_settings(address, port, cert_file, key_file)
    # A phone that leaves the browser for a call (or a locked screen) drops its connection;
    # coming back within this time it finds its session, still in, instead of the form.
    settings["server.disconnectedSessionTTL"] = str(PHONE_SESSION_SECONDS)
    for key, value in settings.items():
        command += [f"--{key}", value]
    return [*command, "--", "--phone"]


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
    """The `python run.py …` command line of the read-only shared view (`app`: run.py's path).

    Through run.py, the launcher that closes what Streamlit would show before the passphrase.
    """
    command = [python, app]
    for key, value in server_settings(address, port, cert_file, key_file).items():
        command += [f"--{key}", value]
    command += ["--", "--read-only"]
    if redact:
        command.append("--redact")
    if no_passphrase:
        command.append("--no-passphrase")
    return command


def network_url(address: str, port: int, *, tls: bool) -> str | None:
    """Where another device opens an app listening on `address`: this machine's network
    address when it listens on all of them; None when it has none (no Wi-Fi)."""
    host = lan_address() if address in ("", "0.0.0.0", "::") else address
    if not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"{'https' if tls else 'http'}://{host}:{port}"
