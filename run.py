"""Start Warm Leads and say where it is: `python run.py [streamlit options]`.

The README's one set-up command ends here. It runs `streamlit run app.py` with this Python
(the project's .venv), on the first free port from 8501 unless `--server.port` is given,
waits until the server answers its health check, then prints one line:

    Warm Leads is running at http://localhost:8501

Ctrl-C stops the server. Options after the script name go to `streamlit run` unchanged
(for example `--server.port 8600`, or `-- --read-only` for the app itself).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
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


def main(args: list[str]) -> int:
    address = option(args, "--server.address") or "127.0.0.1"
    port_text = option(args, "--server.port")
    extra: list[str] = []
    if port_text is None:
        port = free_port("127.0.0.1" if address in LOCAL_ADDRESSES else address)
        extra = ["--server.port", str(port)]
    else:
        port = int(port_text)
    # Streamlit's own "You can now view…" block and start-up log lines give way to the one
    # line below; warnings and errors still show.
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--logger.hideWelcomeMessage", "true", "--logger.level", "warning"]
    command += [*extra, *args]
    server = subprocess.Popen(command, cwd=ROOT)
    probe = f"http://{'127.0.0.1' if address in ('0.0.0.0', '::', '') else address}:{port}"
    shown = "localhost" if address in LOCAL_ADDRESSES else address
    try:
        while server.poll() is None:
            if healthy(probe):
                print(f"Warm Leads is running at http://{shown}:{port}", flush=True)
                break
            time.sleep(0.2)
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C reaches the server too (same terminal); let it stop
        server.send_signal(signal.SIGINT)
        try:
            return server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            return server.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
