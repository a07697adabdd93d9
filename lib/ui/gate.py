"""The shared view's door: a passphrase asked before any data is read, tries limited per client."""

from __future__ import annotations

import math
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from lib.core.sharing import Mode, is_loopback
from lib.store.db import resolve_db_path
from lib.store.passphrase import PassphraseFileError, StoredPassphrase, load_passphrase

MAX_TRIES = 5
WINDOW_SECONDS = 60.0
_UNLOCKED = "warmleads_unlocked"  # session state: the salt of the passphrase this session gave
_LOCAL_CLIENT = "this computer"


class AttemptLimiter:
    """At most `limit` wrong tries per client in any `window` seconds; safe across sessions."""

    def __init__(
        self,
        limit: int = MAX_TRIES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def wait_seconds(self, client: str) -> float:
        """0 when `client` may try now; else how long until it may."""
        with self._lock:
            now = self._clock()
            failures = self._recent(client, now)
            if not failures:
                del self._failures[client]  # forget clients with nothing recent
            if len(failures) < self.limit:
                return 0.0
            return failures[0] + self.window - now

    def record_failure(self, client: str) -> None:
        """Count a wrong try by `client`."""
        with self._lock:
            now = self._clock()
            self._recent(client, now).append(now)


@dataclass
class _Door:
    """The process's door: its limiter, and whether a passphrase was ever required."""

    limiter: AttemptLimiter = field(default_factory=AttemptLimiter)
    required: bool = False


@st.cache_resource(show_spinner=False)
def _door() -> _Door:
    return _Door()


def client_key() -> str:
    """Who is trying: the connection's IP address (None from this computer itself).

    The address comes from the websocket connection, not from headers a client could set.
    """
    address = st.context.ip_address
    return address if isinstance(address, str) and address else _LOCAL_CLIENT


def _refuse(title: str, message: str, console: str) -> None:
    print(f"error: {console}", file=sys.stderr, flush=True)
    st.title(title)
    st.error(message, icon=":material/lock:")
    st.stop()


def shared_view_unlocked(mode: Mode) -> bool:
    """True when this session may see the shared view's data; stops on a setting that is unsafe."""
    door = _door()
    try:
        stored = load_passphrase(resolve_db_path())
    except PassphraseFileError as exc:
        _refuse(
            "This shared view is locked",
            "Its passphrase file cannot be read, so it shows nothing. "
            "The owner can set the passphrase again and restart it.",
            str(exc),
        )
        raise AssertionError("unreachable") from None
    if stored is None:
        if door.required:
            _refuse(
                "This shared view is locked",
                "Its passphrase was removed while it runs. The owner can restart it.",
                "the passphrase file was removed while the shared view runs; restart it",
            )
        address = st.get_option("server.address")
        if not is_loopback(address) and not mode.no_passphrase:
            _refuse(
                "This shared view did not start",
                "It listens on the network without a passphrase. The owner can set one with "
                "`python -m lib.cli share --set-passphrase`.",
                f"the shared view listens on {address or 'every address'} without a passphrase; "
                "set one (python -m lib.cli share --set-passphrase) or start it with "
                "--no-passphrase",
            )
        return True
    door.required = True  # from now on a missing file locks the view instead of opening it
    return st.session_state.get(_UNLOCKED) == stored.salt.hex()


def ask_passphrase() -> None:
    """The passphrase form; the session is let in (and the app rerun) on the right one. Stops."""
    stored = load_passphrase(resolve_db_path())
    assert stored is not None  # shared_view_unlocked() said a passphrase is set
    st.title("Warm Leads — shared view")
    st.write("Enter the passphrase you were given to see this read-only view.")
    with st.form("passphrase", clear_on_submit=True, enter_to_submit=True):
        attempt = st.text_input("Passphrase", type="password", max_chars=1024)
        submitted = st.form_submit_button("Open the view", type="primary")
    if submitted:
        _check(stored, attempt)
    st.stop()


def _check(stored: StoredPassphrase, attempt: str) -> None:
    limiter = _door().limiter
    client = client_key()
    wait = limiter.wait_seconds(client)
    if wait > 0:
        st.error(
            f"Too many wrong tries. Try again in {math.ceil(wait)} seconds.",
            icon=":material/timer:",
        )
        return
    if attempt and stored.matches(attempt):
        st.session_state[_UNLOCKED] = stored.salt.hex()
        st.rerun()
    limiter.record_failure(client)
    st.error("That is not the passphrase.", icon=":material/lock:")
