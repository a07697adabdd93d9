"""Start Warm Leads and say where it is: `python run.py [streamlit options] [-- app options]`.

The README's one set-up command ends here. It is `streamlit run app.py` in this process, on the
port chosen the ways Streamlit reads one, in its order (`--server.port`, then
STREAMLIT_SERVER_PORT, then `server.port` in a config.toml), or, when none is given, on the first
free port from 8501. A chosen port that is in use stops it with one line naming the port. Once
the server answers its health check it prints one line:

    Warm Leads is running at http://localhost:8501

Ctrl-C stops it. Options go to `streamlit run` unchanged (`--server.port 8600`, or
`-- --read-only` for the app itself).

It also tells Streamlit, before the first visitor, that app.py routes with `st.navigation`.
Streamlit decides that when the first script run starts: with a `pages/` folder beside app.py it
first assumes an old-style multipage app, so the first visit to a bookmarked `/contacts` on a
fresh server showed a "Page not found" pop-up over the right page (streamlit/streamlit#9992).
`st.navigation` sets the same flag to False on its first call; this only sets it sooner.

And it decides, before the server binds, what a bare `streamlit run` can only decide at the
first visit (its first visitor is the first moment our code runs):

* the writable app on any address but this computer's own needs the phone passphrase, and the
  shared view on one needs its passphrase (or --no-passphrase): without it this exits 1 with a
  one-line reason, whether the address came from an option, STREAMLIT_SERVER_ADDRESS or a
  config.toml; with none given anywhere it listens on 127.0.0.1 (Streamlit would take all);
* whether the door asks for a passphrase, once, never relaxed while it runs;
* no X-Forwarded-For is believed (FORWARDED_ALLOW_IPS, read by Streamlit's web server, uvicorn),
  except from the proxy named in WARMLEADS_TRUSTED_PROXY;
* no `/_stcore/metrics`, and no installation id or script path in the first message.
"""

from __future__ import annotations

import importlib
import os
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
FIRST_PORT = 8501
LAST_PORT = 8599
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", ""}


def option(args: list[str], name: str) -> str | None:
    """The value of a `--name value` or `--name=value` option, if given before `--`."""
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def free_port(address: str) -> int:
    """The first port from 8501 nothing listens on."""
    for port in range(FIRST_PORT, LAST_PORT + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((address, port))
            except OSError:
                continue
            return port
    raise SystemExit(f"No free port between {FIRST_PORT} and {LAST_PORT}: stop another app.")


def configured_port(args: list[str]) -> tuple[int, str] | None:
    """The port given, and where, in Streamlit's order: option, environment, config.toml."""
    given = option(args, "--server.port")
    where = "--server.port"
    if given is None and os.environ.get("STREAMLIT_SERVER_PORT"):
        given, where = os.environ["STREAMLIT_SERVER_PORT"], "STREAMLIT_SERVER_PORT"
    if given is None:
        from streamlit import config

        config.get_config_options(force_reparse=True)  # ~/.streamlit and ./.streamlit config.toml
        if not config.is_manually_set("server.port"):
            return None
        given, where = str(config.get_option("server.port")), "server.port in config.toml"
    try:
        port = int(given)
    except ValueError:
        raise SystemExit(f"error: the port {given!r} ({where}) is not a number") from None
    if not 0 < port < 65536:
        raise SystemExit(f"error: the port {port} ({where}) is not between 1 and 65535")
    return port, where


def check_port_free(address: str, port: int, where: str) -> None:
    """Exit 1 with one line naming the port when something already listens on it."""
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as sock:
        # As the server binds: a port left in TIME_WAIT by a closed server is free to use.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address, port))
        except OSError:
            raise SystemExit(
                f"error: port {port} ({where}) is already in use on {address}: stop what uses "
                "it, or choose another port"
            ) from None


def healthy(url: str) -> bool:
    """True once the server answers `/_stcore/health` with ok (https: any certificate)."""
    context = ssl._create_unverified_context() if url.startswith("https:") else None  # noqa: S323 - our own server, on this machine, with the user's own certificate
    try:
        with urllib.request.urlopen(
            f"{url}/_stcore/health", timeout=2, context=context
        ) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


# What every page's script imports (pandas, plotly, DuckDB and our engine). Imported before the
# server starts, the first visitor's page is not kept waiting for them (0.4-0.6 s). Not in a
# thread beside the server: two threads importing pandas at once can see it half-initialised.
WARM_MODULES = (
    "lib.engine.due",
    "lib.engine.stats",
    "lib.engine.review",
    "lib.engine.network",
    "lib.present.figures.funnel",
    "lib.present.figures.weekly",
    "lib.present.figures.network",
    "lib.records.events",
    "lib.records.contacts",
    "plotly.graph_objects",
    "streamlit.emojis",  # st.set_page_config's emoji icon is looked up there (0.07-0.18 s)
)


def warm_up() -> None:
    """Import WARM_MODULES (a failure is left for the page's own import to report)."""
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page's own import reports it properly
            return


def announce(probe: str, shown: str) -> None:
    """Print the one line once the server answers (a daemon thread: it never holds up exit)."""
    while not healthy(probe):
        time.sleep(0.2)
    print(f"Warm Leads is running at {shown}", flush=True)


def app_args(args: list[str]) -> list[str]:
    """The app's own arguments: whatever follows `--`."""
    return args[args.index("--") + 1 :] if "--" in args else []


def configured_address(args: list[str]) -> str | None:
    """The address Streamlit will listen on: option, STREAMLIT_SERVER_ADDRESS or config.toml."""
    given = option(args, "--server.address") or os.environ.get("STREAMLIT_SERVER_ADDRESS")
    if given:
        return given
    from streamlit import config

    config.get_config_options(force_reparse=True)  # ~/.streamlit and ./.streamlit config.toml
    return config.get_option("server.address") or None


def check_door(args: list[str], address: str) -> None:
    """Exit 1 with a one-line reason when the app would be reachable without its passphrase.

    Also decides, once, whether the door asks for a passphrase (lib.ui.gate), and tells the
    web server to believe no forwarded address but the named proxy's.
    """
    from lib.core.sharing import (
        ModeError,
        forwarded_allow_ips,
        is_loopback,
        network_refusal,
        parse_mode,
    )
    from lib.store.db import resolve_db_path
    from lib.store.passphrase import PassphraseFileError, load_passphrase
    from lib.ui.gate import decide_at_start

    try:
        mode = parse_mode(app_args(args), os.environ)
    except ModeError as exc:
        if not is_loopback(address):
            raise SystemExit(f"error: {exc}") from None
        return  # on this computer the app shows nothing but the refusal, on every page
    os.environ["FORWARDED_ALLOW_IPS"] = forwarded_allow_ips(os.environ)  # checked by parse_mode
    if not decide_at_start(mode, address):
        return
    try:
        stored = load_passphrase(resolve_db_path(), mode.passphrase_kind)
    except PassphraseFileError as exc:
        raise SystemExit(f"error: {exc}") from None
    if stored is None and not mode.read_only:
        raise SystemExit(f"error: {network_refusal(address)}")
    if stored is None:
        raise SystemExit(
            f"error: the shared view does not start on {address} (reachable from the network) "
            "without a passphrase; set one (python -m lib.cli share --set-passphrase) or add "
            "-- --no-passphrase"
        )


def shown_url(address: str, port: int, scheme: str) -> str:
    """The address to tell the user: localhost, or this machine's network address."""
    if address in LOCAL_ADDRESSES:
        return f"{scheme}://localhost:{port}"
    if address in ("0.0.0.0", "::"):
        from lib.core.sharing import lan_address

        address = lan_address() or address
    host = f"[{address}]" if ":" in address else address
    return f"{scheme}://{host}:{port}"


def main(args: list[str]) -> None:
    address = configured_address(args)
    extra: list[str] = []
    if address is None:  # Streamlit would listen on every address
        address = "127.0.0.1"
        extra += ["--server.address", address]
    check_door(args, address)
    bind_address = "127.0.0.1" if address in LOCAL_ADDRESSES else address
    chosen = configured_port(args)
    if chosen is None:
        port = free_port(bind_address)
        extra += ["--server.port", str(port)]
    else:  # Streamlit reads it from the same place; only say clearly when it is taken
        port, where = chosen
        check_port_free(bind_address, port, where)
    scheme = "https" if option(args, "--server.sslCertFile") else "http"
    probe_host = "127.0.0.1" if address in LOCAL_ADDRESSES | {"0.0.0.0", "::"} else address
    threading.Thread(
        target=announce,
        args=(f"{scheme}://{probe_host}:{port}", shown_url(address, port, scheme)),
        daemon=True,
    ).start()

    warm_up()

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    from lib.ui.exposure import close_before_start

    PagesManager.uses_pages_directory = False  # app.py routes with st.navigation (see above)
    close_before_start()
    # Streamlit's own "You can now view…" block and start-up log lines give way to our line;
    # warnings and errors still show.
    sys.argv = ["streamlit", "run", str(ROOT / "app.py")]
    sys.argv += ["--logger.hideWelcomeMessage", "true", "--logger.level", "warning"]
    sys.argv += [*extra, *args]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
