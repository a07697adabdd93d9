"""The passphrase limit holds: per real client, in total, and atomically across sessions.

Who is trying is the socket's peer address: an X-Forwarded-For header changes nothing unless
it comes from the proxy named in WARMLEADS_TRUSTED_PROXY.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from lib.core.sharing import (
    Mode,
    ModeError,
    forwarded_allow_ips,
    parse_mode,
    passphrase_required,
    trusted_proxy,
)
from lib.store.passphrase import StoredPassphrase, _derive
from lib.ui.gate import UNVERIFIED_CLIENT, AttemptLimiter, Outcome, client_key, try_passphrase

RIGHT = "violet kettle 1987"
SALT = b"0123456789abcdef"


def stored() -> StoredPassphrase:
    """A real scrypt hash (~50 ms a check: a wide window for a race)."""
    return StoredPassphrase(salt=SALT, digest=_derive(RIGHT, SALT, 2**14, 8, 1))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def spoofing_connection(n: int) -> str:
    """Whose try a loopback connection with its own made-up X-Forwarded-For is."""
    headers = [("host", "127.0.0.1:8502"), ("x-forwarded-for", f"203.0.113.{n}")]
    # uvicorn believed the header and reports it; the socket's peer is still 127.0.0.1.
    return client_key("127.0.0.1", f"203.0.113.{n}", headers, proxy=None)


def race(clients: list[str], limiter: AttemptLimiter, attempts: list[str]) -> Counter[str]:
    """Every client tries at the same moment, each in its own thread (a session each)."""
    start = threading.Barrier(len(clients))
    results: list[str] = []
    lock = threading.Lock()
    secret = stored()

    def session(client: str, attempt: str) -> None:
        start.wait()
        outcome = try_passphrase(limiter, secret, client, attempt)
        with lock:
            results.append(outcome.result)

    threads = [
        threading.Thread(target=session, args=(client, attempt))
        for client, attempt in zip(clients, attempts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(results)


def test_a_different_forwarded_address_per_connection_is_still_one_client() -> None:
    clock = Clock()
    limiter = AttemptLimiter(clock=clock)
    secret = stored()
    outcomes = [
        try_passphrase(limiter, secret, spoofing_connection(n), "wrong guess") for n in range(60)
    ]
    assert Counter(o.result for o in outcomes) == {"wrong": 5, "wait": 55}
    refused = try_passphrase(limiter, secret, spoofing_connection(99), RIGHT)
    assert refused == Outcome("wait", 60.0)
    assert refused.message == "Too many wrong tries. Try again in 60 seconds."
    clock.now += 60
    assert try_passphrase(limiter, secret, spoofing_connection(7), RIGHT).result == "open"


def test_thirty_simultaneous_sessions_of_one_client_get_exactly_five_tries() -> None:
    limiter = AttemptLimiter(clock=Clock())
    clients = [spoofing_connection(n) for n in range(30)]
    assert set(clients) == {"127.0.0.1"}
    assert race(clients, limiter, ["wrong guess"] * 30) == {"wrong": 5, "wait": 25}


def test_thirty_simultaneous_real_clients_get_twenty_tries_in_all() -> None:
    limiter = AttemptLimiter(clock=Clock())
    clients = [f"192.168.1.{n}" for n in range(30)]
    assert race(clients, limiter, ["wrong guess"] * 30) == {"wrong": 20, "wait": 10}


def test_after_twenty_wrong_tries_everyone_waits_even_with_the_right_passphrase() -> None:
    clock = Clock()
    limiter = AttemptLimiter(clock=clock)
    secret = stored()
    for n in range(20):
        assert try_passphrase(limiter, secret, f"10.0.0.{n}", "wrong guess").result == "wrong"
        clock.now += 1
    newcomer = try_passphrase(limiter, secret, "10.0.1.1", RIGHT)
    assert newcomer == Outcome("wait", 40.0)  # at 1020; the first wrong try leaves it at 1060
    assert newcomer.message == "Too many wrong tries. Try again in 40 seconds."
    clock.now = 1060.0
    assert try_passphrase(limiter, secret, "10.0.1.1", RIGHT).result == "open"


def test_the_right_passphrase_uses_up_no_try() -> None:
    limiter = AttemptLimiter(clock=Clock())
    secret = stored()
    for _ in range(8):
        assert try_passphrase(limiter, secret, "10.0.0.2", RIGHT).result == "open"
    assert [try_passphrase(limiter, secret, "10.0.0.2", "nope").result for _ in range(6)] == [
        *["wrong"] * 5,
        "wait",
    ]


def test_simultaneous_right_and_wrong_tries_never_pass_the_limit() -> None:
    limiter = AttemptLimiter(clock=Clock())
    attempts = [RIGHT if n % 3 == 0 else "wrong guess" for n in range(30)]
    counted = race(["10.0.0.9"] * 30, limiter, attempts)
    # Which threads win the race varies; that no more than 5 wrong tries get heard does not.
    assert counted["wrong"] <= 5
    assert sum(counted.values()) == 30


@pytest.mark.parametrize(
    ("peer", "reported", "forwarded", "proxy", "key"),
    [
        ("127.0.0.1", "203.0.113.5", "203.0.113.5", None, "127.0.0.1"),
        ("192.168.1.7", "192.168.1.7", "10.9.9.9", None, "192.168.1.7"),
        ("192.168.1.7", "192.168.1.7", None, None, "192.168.1.7"),
        ("127.0.0.1", "198.51.100.2", "1.2.3.4, 198.51.100.2", "127.0.0.1", "198.51.100.2"),
        ("192.168.1.7", "192.168.1.7", "10.9.9.9", "127.0.0.1", "192.168.1.7"),
        (None, "203.0.113.5", "203.0.113.5", None, UNVERIFIED_CLIENT),
        (None, "192.168.1.7", None, None, "192.168.1.7"),
        (None, "198.51.100.2", "198.51.100.2", "127.0.0.1", "198.51.100.2"),
    ],
    ids=[
        "loopback-spoofs",
        "lan-spoofs",
        "lan-plain",
        "named-proxy-forwards",
        "not-the-named-proxy",
        "no-peer-unvouched-header",
        "no-peer-no-header",
        "no-peer-named-proxy",
    ],
)
def test_the_client_is_the_socket_peer_unless_the_named_proxy_forwards(
    peer: str | None, reported: str, forwarded: str | None, proxy: str | None, key: str
) -> None:
    headers = [("host", "x")] + ([("X-Forwarded-For", forwarded)] if forwarded else [])
    assert client_key(peer, reported, headers, proxy) == key


@pytest.mark.parametrize(
    ("env", "allowed"),
    [({}, ""), ({"WARMLEADS_TRUSTED_PROXY": " 127.0.0.1 "}, "127.0.0.1"),
     ({"WARMLEADS_TRUSTED_PROXY": "[::1]"}, "::1")],
)  # fmt: skip
def test_the_web_server_believes_forwarded_addresses_from_the_named_proxy_only(
    env: dict[str, str], allowed: str
) -> None:
    assert forwarded_allow_ips(env) == allowed


@pytest.mark.parametrize("value", ["proxy.local", "127.0.0.1,10.0.0.1", "*", "10.0.0.0/8"])
def test_a_trusted_proxy_that_is_not_one_address_stops_the_app(value: str) -> None:
    message = (
        f"WARMLEADS_TRUSTED_PROXY={value!r} is not one IP address (the proxy in front of the app)"
    )
    with pytest.raises(ModeError) as caught:
        trusted_proxy({"WARMLEADS_TRUSTED_PROXY": value})
    assert str(caught.value) == message
    with pytest.raises(ModeError):
        parse_mode([], {"WARMLEADS_TRUSTED_PROXY": value})


@pytest.mark.parametrize(
    ("mode", "address", "passphrase_set", "required"),
    [
        (Mode(), "127.0.0.1", False, False),
        (Mode(), "127.0.0.1", True, False),  # a phone passphrase does not lock the laptop
        (Mode(), "0.0.0.0", False, True),
        (Mode(), None, False, True),
        (Mode(), "192.168.1.20", True, True),
        (Mode(phone=True), "127.0.0.1", False, True),
        (Mode(read_only=True), "127.0.0.1", False, False),
        (Mode(read_only=True), "127.0.0.1", True, True),
        (Mode(read_only=True), "0.0.0.0", False, True),
        (Mode(read_only=True, no_passphrase=True), "0.0.0.0", False, False),
    ],
)
def test_when_a_passphrase_is_required(
    mode: Mode, address: str | None, passphrase_set: bool, required: bool
) -> None:
    assert passphrase_required(mode, address, passphrase_set=passphrase_set) is required


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--phone", "--read-only"], "--phone is the writable app; it does not go with"),
        (["--phone", "--no-passphrase"], "--phone always asks for the phone passphrase"),
    ],
)
def test_phone_mode_does_not_mix_with_the_shared_view(args: list[str], message: str) -> None:
    with pytest.raises(ModeError, match=message):
        parse_mode(args, {})
    assert parse_mode(["--phone"], {}) == Mode(phone=True)
    assert Mode(phone=True).passphrase_kind == "phone"
    assert Mode(read_only=True).passphrase_kind == "share"


def test_clients_with_nothing_recent_are_forgotten() -> None:
    clock = Clock()
    limiter = AttemptLimiter(clock=clock, total=10_000)
    for n in range(1500):
        limiter.admit(f"10.1.{n // 256}.{n % 256}")
    clock.now += 61
    limiter.admit("10.9.9.9")
    assert len(limiter._tries) == 1
