"""The phone link's door, run through AppTest: the writable app on a network fails closed.

AppTest binds no socket: `server.address` is set the way a config or an option would set it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sharing_helpers import APP, sent_bytes
from streamlit import config
from streamlit.testing.v1 import AppTest

from lib.records.contacts import add_contact
from lib.store.db import open_database
from lib.store.passphrase import PHONE, clear_passphrase, set_passphrase
from lib.ui import gate

PHONE_PASSPHRASE = "amber tram 4417 lantern"
COACH_PASSPHRASE = "violet kettle 1987"
SECRET = "Zephyrine Quillfeather"
REFUSAL = (
    "error: the writable app does not start on 0.0.0.0 (reachable from the network) without "
    "the phone passphrase; set one (python -m lib.cli phone --set-passphrase) and start it "
    "with python -m lib.cli phone, or listen on 127.0.0.1\n"
)


@pytest.fixture
def on_the_network(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The writable app with one distinctive person, listening on every address."""
    monkeypatch.setattr(gate, "_decided_at_start", {})
    db = open_database(app_env)
    add_contact(db, {"full_name": SECRET, "phone": "+1 801 555 0142"})
    db.close()
    saved = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield app_env
    config.set_option("server.address", saved)


def opened() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def attempt(at: AppTest, passphrase: str) -> AppTest:
    (field,) = at.text_input
    field.input(passphrase)
    (button,) = at.button
    button.click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_without_the_phone_passphrase_the_writable_app_does_not_start(
    on_the_network: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    set_passphrase(on_the_network, COACH_PASSPHRASE)  # the coach's does not count
    at = opened()
    assert [t.value for t in at.title] == ["Warm Leads did not start"]
    assert at.error[0].value == (
        "It listens on the network without the phone passphrase, so it shows nothing. "
        "The owner can set one with `python -m lib.cli phone --set-passphrase`."
    )
    assert SECRET not in sent_bytes(at).decode("utf-8", "replace")
    assert capfd.readouterr().err.endswith(REFUSAL)


def test_with_the_phone_passphrase_nothing_shows_before_it_and_the_app_after(
    on_the_network: Path,
) -> None:
    set_passphrase(on_the_network, PHONE_PASSPHRASE, PHONE)
    set_passphrase(on_the_network, COACH_PASSPHRASE)
    at = opened()
    assert [t.value for t in at.title] == ["Warm Leads"]
    assert [b.label for b in at.button] == ["Open Warm Leads"]
    assert SECRET not in sent_bytes(at).decode("utf-8", "replace")
    attempt(at, COACH_PASSPHRASE)  # the coach's passphrase does not open the writable app
    assert [e.value for e in at.error] == ["That is not the passphrase."]
    attempt(at, PHONE_PASSPHRASE)
    assert [t.value for t in at.title][:1] == ["Today"]
    at.run()
    assert [t.value for t in at.title][:1] == ["Today"]  # the phone stays in


def test_a_phone_passphrase_removed_while_it_runs_locks_the_app(on_the_network: Path) -> None:
    set_passphrase(on_the_network, PHONE_PASSPHRASE, PHONE)
    at = attempt(opened(), PHONE_PASSPHRASE)
    clear_passphrase(on_the_network, PHONE)
    at.run()
    assert [t.value for t in at.title] == ["Warm Leads is locked"]
    assert opened().title[0].value == "Warm Leads is locked"


def test_a_phone_passphrase_does_not_lock_the_app_on_this_computer(app_env: Path) -> None:
    set_passphrase(app_env, PHONE_PASSPHRASE, PHONE)
    config.set_option("server.address", "127.0.0.1")
    db = open_database(app_env)
    add_contact(db, {"full_name": SECRET})
    db.close()
    at = opened()
    assert [t.value for t in at.title][:1] == ["Today"]
    assert "Passphrase" not in [field.label for field in at.text_input]


def test_a_damaged_phone_passphrase_file_does_not_stop_the_app_on_this_computer(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lib.core.sharing import Mode
    from lib.store.passphrase import passphrase_path

    monkeypatch.setattr(gate, "_decided_at_start", {})
    passphrase_path(app_env, PHONE).write_text("{}")
    assert gate.decide_at_start(Mode(phone=True), "127.0.0.1") is True
    assert gate.decide_at_start(Mode(), "127.0.0.1") is False  # not even read
    config.set_option("server.address", "127.0.0.1")
    db = open_database(app_env)
    add_contact(db, {"full_name": SECRET})
    db.close()
    assert [t.value for t in opened().title][:1] == ["Today"]
