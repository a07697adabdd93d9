"""Start Warm Leads and say where it is: `python run.py [streamlit options] [-- app options]`.

The README's one set-up command ends here. It is `streamlit run app.py` in this process, on the
first free port from 8501 unless `--server.port` is given; once the server answers its health
check it prints one line:

    Warm Leads is running at http://localhost:8501

Ctrl-C stops it. Options go to `streamlit run` unchanged (`--server.port 8600`, or
`-- --read-only` for the app itself).

It also tells Streamlit, before the first visitor, that app.py routes with `st.navigation`.
Streamlit decides that when the first script run starts: with a `pages/` folder beside app.py it
first assumes an old-style multipage app, so the first visit to a bookmarked `/contacts` on a
fresh server showed a "Page not found" pop-up over the right page (streamlit/streamlit#9992).
`st.navigation` sets the same flag to False on its first call; this only sets it sooner.
"""

from __future__ import annotations

import importlib
import socket
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


def healthy(url: str) -> bool:
    """True once the server answers `/_stcore/health` with ok."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
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


def main(args: list[str]) -> None:
    address = option(args, "--server.address") or "127.0.0.1"
    port_text = option(args, "--server.port")
    extra: list[str] = []
    if port_text is None:
        port = free_port("127.0.0.1" if address in LOCAL_ADDRESSES else address)
        extra = ["--server.port", str(port)]
    else:
        port = int(port_text)
    probe_host = "127.0.0.1" if address in LOCAL_ADDRESSES | {"0.0.0.0", "::"} else address
    shown_host = "localhost" if address in LOCAL_ADDRESSES else address
    threading.Thread(
        target=announce,
        args=(f"http://{probe_host}:{port}", f"http://{shown_host}:{port}"),
        daemon=True,
    ).start()

    warm_up()

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False  # app.py routes with st.navigation (see above)
    # Streamlit's own "You can now view…" block and start-up log lines give way to our line;
    # warnings and errors still show.
    sys.argv = ["streamlit", "run", str(ROOT / "app.py")]
    sys.argv += ["--logger.hideWelcomeMessage", "true", "--logger.level", "warning"]
    sys.argv += [*extra, *args]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
