"""The commands that serve the app: `share` (the read-only view) and `phone` (the writable app
on the local network), each behind its own passphrase.

The server is Streamlit, started as a child process through run.py: this module never
imports Streamlit itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lib.cli.common import progress
from lib.core.errors import WarmLeadsError
from lib.store.db import DB_ENV, resolve_db_path


def _read_new_passphrase(what: str) -> str:
    """The new passphrase, typed twice: hidden at a terminal, else two lines of stdin.

    A weak one is refused before it is asked for a second time.
    """
    from lib.store.passphrase import check_passphrase

    if sys.stdin.isatty():
        import getpass

        first = check_passphrase(getpass.getpass(f"New passphrase for {what}: "))
        second = getpass.getpass("The same passphrase again: ")
    else:
        lines = sys.stdin.read().splitlines()
        if not lines:
            raise WarmLeadsError(
                "passphrase: give it twice (two lines on stdin); nothing was changed"
            )
        first = check_passphrase(lines[0])
        if len(lines) < 2:
            raise WarmLeadsError(
                "passphrase: give it twice (two lines on stdin); nothing was changed"
            )
        second = lines[1]
    if first != second:
        raise WarmLeadsError("passphrase: the two entries differ; nothing was changed")
    return first


def _set_or_clear(args: argparse.Namespace, kind: str, what: str) -> int | None:
    """Handle --set-passphrase / --clear-passphrase of `kind`; None when neither was given."""
    from lib.store import passphrase

    data_path = resolve_db_path(args.db)
    if args.set_passphrase:
        secret = _read_new_passphrase(what)
        saved = passphrase.set_passphrase(data_path, secret, kind)
        print(f"Passphrase set: {what} of {data_path.name} asks for it ({saved})")
        hint = passphrase.strength_hint(secret)
        if hint:
            print(hint, file=sys.stderr)
        return 0
    if args.clear_passphrase:
        removed = passphrase.clear_passphrase(data_path, kind)
        print("Passphrase removed." if removed else "No passphrase was set.")
        return 0
    return None


def _check_tls(command: str, cert: str | None, key: str | None) -> None:
    if bool(cert) != bool(key):
        raise WarmLeadsError(f"{command}: --cert and --key go together (a certificate and its key)")
    for tls_file in (cert, key):
        if tls_file and not os.path.isfile(tls_file):
            raise WarmLeadsError(f"{command}: no file at {tls_file}")


def _launcher() -> str:
    """run.py: the launcher that closes what Streamlit would show before the passphrase."""
    return str(Path(os.path.abspath(__file__)).parents[2] / "run.py")


def _serve(command: list[str], data_path: Path) -> int:
    """Run the app's server until it stops; stopping this command stops it."""
    import signal  # this command's needs only: the CLI never imports streamlit
    import subprocess

    env = {**os.environ, DB_ENV: str(data_path)}
    process = subprocess.Popen(command, cwd=os.path.dirname(_launcher()), env=env)
    for stop in (signal.SIGTERM, signal.SIGHUP):  # stopping this command stops the server
        signal.signal(stop, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:  # Ctrl-C reached Streamlit too: let it finish stopping
        process.wait()
        return 0


def cmd_share(args: argparse.Namespace) -> int:
    """Start the read-only shared view (or set or clear its passphrase)."""
    from lib.core import sharing
    from lib.store import passphrase

    done = _set_or_clear(args, passphrase.SHARE, "the shared view")
    if done is not None:
        return done
    data_path = resolve_db_path(args.db)
    protected = passphrase.load_passphrase(data_path) is not None  # a damaged file stops here
    if not protected and not sharing.is_loopback(args.address) and not args.no_passphrase:
        raise WarmLeadsError(
            f"share: {args.address} is reachable from the network and no passphrase is set; "
            "set one first (python -m lib.cli share --set-passphrase) or add --no-passphrase"
        )
    _check_tls("share", args.cert, args.key)
    command = sharing.share_command(
        sys.executable,
        _launcher(),
        address=args.address,
        port=args.port,
        redact=args.redact,
        no_passphrase=args.no_passphrase,
        cert_file=args.cert,
        key_file=args.key,
    )
    scheme = "https" if args.cert else "http"
    progress(
        f"sharing a read-only{' redacted' if args.redact else ''} view of {data_path.name} on "
        f"{scheme}://{args.address}:{args.port}"
        + (" (passphrase required)" if protected else " with NO passphrase")
        + "; Ctrl-C stops it"
    )
    return _serve(command, data_path)


def phone_url(address: str, port: int, *, tls: bool) -> str:
    """The address a phone opens: this machine's network address when serving all of them."""
    from lib.core.sharing import network_url

    url = network_url(address, port, tls=tls)
    if url is None:
        raise WarmLeadsError("phone: this computer has no local-network address (is Wi-Fi on?)")
    return url


def cmd_phone(args: argparse.Namespace) -> int:
    """Serve the writable app to the local network behind the phone passphrase (or set it)."""
    from lib.core import sharing
    from lib.present import qr
    from lib.store import passphrase

    done = _set_or_clear(args, passphrase.PHONE, "the phone link")
    if done is not None:
        return done
    data_path = resolve_db_path(args.db)
    if passphrase.load_passphrase(data_path, passphrase.PHONE) is None:
        raise WarmLeadsError(
            "phone: no phone passphrase is set, and the app never goes on the network without "
            "one; set it first (python -m lib.cli phone --set-passphrase)"
        )
    _check_tls("phone", args.cert, args.key)
    url = phone_url(args.address, args.port, tls=bool(args.cert))
    command = sharing.phone_command(
        sys.executable,
        _launcher(),
        address=args.address,
        port=args.port,
        cert_file=args.cert,
        key_file=args.key,
    )
    print(f"Open Warm Leads on your phone (same Wi-Fi): {url}")
    print("Point the phone's camera at this code, then give the phone passphrase:")
    print(qr.qr_text(url), end="")
    if not args.cert:
        print(
            "Without --cert/--key the connection is not encrypted: anyone on this network can "
            "read the passphrase and your contacts as they cross it (docs/PHONE.md).",
            file=sys.stderr,
        )
    progress(f"serving the writable app of {data_path.name} on {url}; Ctrl-C stops it")
    sys.stdout.flush()
    return _serve(command, data_path)
