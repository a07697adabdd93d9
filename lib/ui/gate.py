"""The door: a passphrase asked before any data is read, tries limited per client and in total.

Two doors share this code: the coach's read-only shared view ("share" passphrase) and the
phone link, the writable app on the local network ("phone" passphrase). Whether a passphrase
is required is decided once, when the process starts (run.py and the `lib.cli` launchers) or at
its first visit (a bare `streamlit run app.py`), and never relaxed while it runs: a passphrase
removed later locks the door instead of opening it.

Who is trying is the address of the connection's socket, never a header a client can write:
X-Forwarded-For counts only from the proxy named in WARMLEADS_TRUSTED_PROXY.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit import config
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.core.errors import WarmLeadsError
from lib.core.sharing import (
    Mode,
    network_refusal,
    passphrase_required,
    trusted_proxy,
)
from lib.store.db import resolve_db_path
from lib.store.passphrase import PassphraseFileError, StoredPassphrase, load_passphrase

MAX_TRIES = 5  # wrong tries per client in any minute
MAX_TRIES_IN_TOTAL = 20  # wrong tries from everyone together in any minute
WINDOW_SECONDS = 60.0
_UNLOCKED = "warmleads_unlocked_{kind}"  # session state: the salt of the passphrase it gave
_AFTER_UNLOCK = "warmleads_after_unlock"  # session state: the bookmarked page asked for
# Where a client's address cannot be read (no socket peer, a header nobody vouches for): all
# such clients share one count, so none can pose as many.
UNVERIFIED_CLIENT = "unverified forwarded address"
_SWEEP_AT = 1000  # clients remembered before those with nothing recent are forgotten


class AttemptLimiter:
    """At most `limit` wrong tries per client and `total` in all, in any `window` seconds.

    `admit` checks and counts a try in one step under one lock, so simultaneous sessions cannot
    slip more tries through than the limits; `forgive` takes back the try of a right passphrase.
    """

    def __init__(
        self,
        limit: int = MAX_TRIES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        total: int = MAX_TRIES_IN_TOTAL,
    ) -> None:
        self.limit = limit
        self.total = total
        self.window = window
        self._clock = clock
        self._tries: dict[str, deque[float]] = {}
        self._everyone: deque[float] = deque()
        self._lock = threading.Lock()

    def _prune(self, tries: deque[float], now: float) -> deque[float]:
        while tries and tries[0] <= now - self.window:
            tries.popleft()
        return tries

    def _wait(self, client: str, now: float) -> float:
        mine = self._prune(self._tries.get(client, deque()), now)
        if not mine:
            self._tries.pop(client, None)  # forget clients with nothing recent
        everyone = self._prune(self._everyone, now)
        waits = [0.0]
        if len(mine) >= self.limit:
            waits.append(mine[0] + self.window - now)
        if len(everyone) >= self.total:
            waits.append(everyone[0] + self.window - now)
        return max(waits)

    def admit(self, client: str) -> float:
        """0 when `client` may try now (and the try is counted); else the seconds to wait."""
        with self._lock:
            now = self._clock()
            wait = self._wait(client, now)
            if wait > 0:
                return wait
            if len(self._tries) > _SWEEP_AT:  # clients seen once and never again
                self._tries = {k: v for k, v in self._tries.items() if self._prune(v, now)}
            self._tries.setdefault(client, deque()).append(now)
            self._everyone.append(now)
            return 0.0

    def forgive(self, client: str) -> None:
        """Take back `client`'s latest counted try: it gave the right passphrase."""
        with self._lock:
            mine = self._tries.get(client)
            if not mine:
                return
            when = mine.pop()
            with contextlib.suppress(ValueError):  # already out of the window
                self._everyone.remove(when)

    def wait_seconds(self, client: str) -> float:
        """0 when `client` may try now; else how long until it may (counts nothing)."""
        with self._lock:
            return self._wait(client, self._clock())


@dataclass(frozen=True)
class Outcome:
    """What one try at the door came to: "open", "wrong" or "wait" (with the seconds)."""

    result: str
    wait: float = 0.0

    @property
    def message(self) -> str:
        """What the person at the door is told."""
        if self.result == "wait":
            return f"Too many wrong tries. Try again in {math.ceil(self.wait)} seconds."
        if self.result == "wrong":
            return "That is not the passphrase."
        return ""


def try_passphrase(
    limiter: AttemptLimiter, stored: StoredPassphrase, client: str, attempt: str
) -> Outcome:
    """One try by `client`: refused unheard while it (or everyone) must wait; else checked."""
    wait = limiter.admit(client)
    if wait > 0:
        return Outcome("wait", wait)
    if attempt and stored.matches(attempt):  # scrypt, ~50 ms: outside the limiter's lock
        limiter.forgive(client)
        return Outcome("open")
    return Outcome("wrong")


def client_key(
    peer: str | None,
    reported: str | None,
    headers: Iterable[tuple[str, str]],
    proxy: str | None,
) -> str:
    """Whose try this is, by address: the socket's peer, or what the named proxy says.

    `peer` is the connection's socket address (None when it cannot be read); `reported` is the
    address Streamlit's web server reports, which it may have taken from X-Forwarded-For.
    """
    forwarded = [
        part.strip()
        for name, value in headers
        if name.lower() == "x-forwarded-for"
        for part in value.split(",")
        if part.strip()
    ]
    if peer is None:
        if proxy is not None:
            return reported or UNVERIFIED_CLIENT  # the server believed the named proxy only
        return UNVERIFIED_CLIENT if forwarded else (reported or UNVERIFIED_CLIENT)
    if proxy is not None and peer == proxy and forwarded:
        return forwarded[-1]  # the address the proxy itself saw (earlier entries are the client's)
    return peer


def _socket_peer(session_client: Any) -> str | None:
    # Streamlit 1.67 hands the script the address uvicorn reports, which uvicorn takes from
    # X-Forwarded-For when the socket is local. The socket's own peer stays on the websocket
    # protocol object that receives the connection's messages.
    websocket = getattr(session_client, "_websocket", None)
    protocol = getattr(getattr(websocket, "_receive", None), "__self__", None)
    peer = getattr(protocol, "client", None)
    if isinstance(peer, tuple) and peer and isinstance(peer[0], str):
        return peer[0]
    return None


def current_client() -> str:
    """Who is trying in this script run (see client_key)."""
    from streamlit import runtime

    ctx = get_script_run_ctx()
    session_client = None
    if ctx is not None and runtime.exists():
        session_client = runtime.get_instance().get_client(ctx.session_id)
    if session_client is None:
        return "this computer"  # AppTest and other runs with no browser connection
    context = session_client.client_context
    reported = getattr(context, "remote_ip", None)
    headers = getattr(context, "headers", None)
    return client_key(
        _socket_peer(session_client),
        reported if isinstance(reported, str) else None,
        [pair for pair in headers if isinstance(pair, tuple)] if isinstance(headers, list) else [],
        trusted_proxy(os.environ),
    )


@dataclass
class _Door:
    """The process's door: its limiter, and what was decided about the passphrase."""

    limiter: AttemptLimiter = field(default_factory=AttemptLimiter)
    required: bool | None = None  # None until decided; once True, never False again
    had_passphrase: bool = False  # a passphrase was seen since the start


# What run.py decided before the server started: {kind: (required, a passphrase was set)}.
# A bare `streamlit run` decides at the first visit instead (no code of ours runs earlier).
_decided_at_start: dict[str, tuple[bool, bool]] = {}


def decide_at_start(mode: Mode, address: str | None) -> bool:
    """Decide, before the server starts, whether this process's door needs a passphrase."""
    kind = mode.passphrase_kind
    if not passphrase_required(mode, address, passphrase_set=False) and not mode.read_only:
        _decided_at_start[kind] = (False, False)  # the laptop's own app: the phone's is not read
        return False
    try:
        stored = load_passphrase(resolve_db_path(), kind)
    except PassphraseFileError:  # damaged: required; the first visit says why it stays locked
        _decided_at_start[kind] = (True, True)
        return True
    required = passphrase_required(mode, address, passphrase_set=stored is not None)
    _decided_at_start[kind] = (required, required and stored is not None)
    return required


@st.cache_resource(show_spinner=False)
def _door(kind: str) -> _Door:
    required, had_passphrase = _decided_at_start.get(kind, (None, False))
    return _Door(required=required, had_passphrase=had_passphrase)


def _refuse(title: str, message: str, console: str) -> None:
    print(f"error: {console}", file=sys.stderr, flush=True)
    st.title(title)
    st.error(message, icon=":material/lock:")
    st.stop()


def _stop_process() -> None:
    """End a writable app that was started on the network without a passphrase (exit 1)."""
    if config.get_option("global.appTest"):  # a test run, not a server: nothing to end
        return
    # A moment for the refusal page to reach the browser; no data file was opened.
    threading.Timer(1.0, os._exit, args=(1,)).start()


def _locked_title(mode: Mode) -> str:
    return "This shared view is locked" if mode.read_only else "Warm Leads is locked"


def _stored(mode: Mode) -> StoredPassphrase | None:
    try:
        return load_passphrase(resolve_db_path(), mode.passphrase_kind)
    except PassphraseFileError as exc:
        _refuse(
            _locked_title(mode),
            "Its passphrase file cannot be read, so it shows nothing. "
            "The owner can set the passphrase again and restart it.",
            str(exc),
        )
        raise AssertionError("unreachable") from None


def _decide(door: _Door, mode: Mode, stored: StoredPassphrase | None) -> bool:
    # Decided once, then only ever tightened: a passphrase set later is asked for, and one
    # removed later locks the door instead of opening it.
    needed = passphrase_required(
        mode, st.get_option("server.address"), passphrase_set=stored is not None
    )
    door.required = bool(door.required) or needed
    if door.required and stored is not None:
        door.had_passphrase = True
    return door.required


def door_open(mode: Mode) -> bool:
    """True when this session may see the app's data; stops on a setting that is unsafe."""
    door = _door(mode.passphrase_kind)
    if not mode.read_only and not _decide(door, mode, None):
        return True  # the laptop's own app: the phone passphrase is not even read
    stored = _stored(mode)
    if not _decide(door, mode, stored):
        return True
    if stored is None and door.had_passphrase:
        _refuse(
            _locked_title(mode),
            "Its passphrase was removed while it runs. The owner can restart it.",
            "the passphrase file was removed while the app runs; restart it",
        )
    if stored is None:
        address = st.get_option("server.address")
        if mode.read_only:
            _refuse(
                "This shared view did not start",
                "It listens on the network without a passphrase. The owner can set one with "
                "`python -m lib.cli share --set-passphrase`.",
                f"the shared view listens on {address or 'every address'} without a "
                "passphrase; set one (python -m lib.cli share --set-passphrase) or start it "
                "with --no-passphrase",
            )
        _stop_process()
        _refuse(
            "Warm Leads did not start",
            "It listens on the network without the phone passphrase, so it shows nothing. "
            "The owner can set one with `python -m lib.cli phone --set-passphrase`.",
            network_refusal(address),
        )
    key = _UNLOCKED.format(kind=mode.passphrase_kind)
    return st.session_state.get(key) == stored.salt.hex()


def still_open(mode: Mode) -> bool:
    """True while this session may still see the data (no page is drawn; for a live check)."""
    door = _door(mode.passphrase_kind)
    if not mode.read_only and not _decide(door, mode, None):
        return True
    try:
        stored = load_passphrase(resolve_db_path(), mode.passphrase_kind)
    except PassphraseFileError:
        return False
    if not _decide(door, mode, stored):
        return True
    key = _UNLOCKED.format(kind=mode.passphrase_kind)
    return stored is not None and st.session_state.get(key) == stored.salt.hex()


class LockedError(WarmLeadsError):
    """The passphrase changed or was removed since this page was drawn."""


def download_guard(mode: Mode) -> Callable[[], None]:
    """A check for a download built later, outside this run: raises LockedError once locked.

    A tab opened before the passphrase changed keeps its button; the file is refused.
    """
    kind = mode.passphrase_kind
    door = _door(kind)
    token = st.session_state.get(_UNLOCKED.format(kind=kind))

    def check() -> None:
        if not door.required:
            return
        try:
            stored = load_passphrase(resolve_db_path(), kind)
        except PassphraseFileError:
            stored = None
        if stored is None or stored.salt.hex() != token:
            raise LockedError("this view is locked: reload the page and give the passphrase")

    return check


def forget_requested_page() -> None:
    """A bookmarked page opens the passphrase form (not "Page not found"); kept for later."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    name = ctx.pages_manager.intended_page_name
    if name:
        st.session_state[_AFTER_UNLOCK] = name
    ctx.pages_manager.set_script_intent("", "")


def return_to_requested_page(pages: Iterable[Any]) -> None:
    """Once in, go to the page the bookmark asked for (one rerun), if this mode shows it."""
    name = st.session_state.pop(_AFTER_UNLOCK, None)
    if not name:
        return
    for page in pages:
        if page.url_path == name:
            st.switch_page(page)


def passphrase_page() -> None:
    """The passphrase form: the only page a locked session gets. Lets the session in on success."""
    from lib.ui.mode import app_mode

    mode = app_mode()
    stored = _stored(mode)
    if stored is None:  # removed between door_open() and now
        st.rerun()
    if mode.read_only:
        st.title("Warm Leads — shared view")
        st.write("Enter the passphrase you were given to see this read-only view.")
        button = "Open the view"
    else:
        st.title("Warm Leads")
        st.write("Enter the phone passphrase to open your Warm Leads on this device.")
        button = "Open Warm Leads"
    with st.form("passphrase", clear_on_submit=True, enter_to_submit=True):
        attempt = st.text_input("Passphrase", type="password", max_chars=1024)
        submitted = st.form_submit_button(button, type="primary")
    if not submitted:
        return
    outcome = try_passphrase(_door(mode.passphrase_kind).limiter, stored, current_client(), attempt)
    if outcome.result == "open":
        st.session_state[_UNLOCKED.format(kind=mode.passphrase_kind)] = stored.salt.hex()
        st.rerun()
    icon = ":material/timer:" if outcome.result == "wait" else ":material/lock:"
    st.error(outcome.message, icon=icon)


__all__ = [
    "AttemptLimiter",
    "LockedError",
    "Outcome",
    "client_key",
    "current_client",
    "decide_at_start",
    "door_open",
    "download_guard",
    "forget_requested_page",
    "passphrase_page",
    "return_to_requested_page",
    "still_open",
    "try_passphrase",
]
