"""The shared view's door, run through AppTest: nothing but the form until the passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sharing_helpers import APP, banner, funnel_counts, sent_bytes
from streamlit import config
from streamlit.testing.v1 import AppTest

from lib.core.sharing import Mode
from lib.io.demo import load_demo
from lib.records.contacts import add_contact
from lib.store.db import open_database
from lib.store.passphrase import clear_passphrase, set_passphrase
from lib.ui import gate, problems
from lib.ui.mode import SHARED_VIEW_OPTIONS
from tests.conftest import TODAY

PASSPHRASE = "violet kettle 1987"
SECRET = "Zephyrine Quillfeather"


@pytest.fixture
def restore_options() -> Iterator[None]:
    """Options a read-only run changes (or a test sets), put back afterwards."""
    keys = [*SHARED_VIEW_OPTIONS, "server.address"]
    saved = {key: config.get_option(key) for key in keys}
    yield
    for key, value in saved.items():
        config.set_option(key, value)


@pytest.fixture
def shared(app_env: Path, monkeypatch: pytest.MonkeyPatch, restore_options: None) -> Path:
    """A read-only view of the demo network plus a distinctive person; a passphrase set."""
    monkeypatch.setenv("WARMLEADS_READ_ONLY", "1")
    db = open_database(app_env)
    load_demo(db, today=TODAY)
    add_contact(db, {"full_name": SECRET, "company": "Osprey Lantern"})
    db.close()
    set_passphrase(app_env, PASSPHRASE)
    return app_env


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


def test_before_the_passphrase_only_the_form_reaches_the_browser(shared: Path) -> None:
    at = opened()
    assert [t.value for t in at.title] == ["Warm Leads — shared view"]
    assert [field.label for field in at.text_input] == ["Passphrase"]
    sent = sent_bytes(at).decode("utf-8", "replace")
    for secret in ("Zephyrine", "Quillfeather", "Osprey", "Read-only view", "Funnel"):
        assert secret not in sent
    assert at.get("plotly_chart") == []


def test_the_right_passphrase_opens_the_view_for_this_session(shared: Path) -> None:
    at = attempt(opened(), PASSPHRASE)
    assert banner(at).startswith("Read-only view — data as of ")
    assert funnel_counts(at)[0] == 51
    at.run()  # the session stays open on the next run
    assert banner(at) is not None
    assert opened().title[0].value == "Warm Leads — shared view"  # another session asks again


def test_a_wrong_passphrase_is_refused_and_the_sixth_try_waits_even_when_right(
    shared: Path,
) -> None:
    at = opened()
    for n in range(5):
        attempt(at, f"wrong guess {n}")
        assert [e.value for e in at.error] == ["That is not the passphrase."]
    attempt(at, PASSPHRASE)
    (refusal,) = at.error
    assert refusal.value.startswith("Too many wrong tries. Try again in ")
    assert refusal.value.endswith(" seconds.")
    assert banner(at) is None
    assert "Zephyrine" not in sent_bytes(at).decode("utf-8", "replace")


def test_a_passphrase_removed_while_the_view_runs_locks_it(shared: Path) -> None:
    at = attempt(opened(), PASSPHRASE)
    assert banner(at) is not None
    clear_passphrase(shared)
    at.run()
    assert [t.value for t in at.title] == ["This shared view is locked"]
    assert "Zephyrine" not in sent_bytes(at).decode("utf-8", "replace")


def test_a_new_passphrase_shuts_out_an_open_session_at_its_next_run(shared: Path) -> None:
    at = attempt(opened(), PASSPHRASE)
    assert banner(at) is not None
    set_passphrase(shared, "a brand new passphrase")
    at.run()
    assert [t.value for t in at.title] == ["Warm Leads — shared view"]
    assert banner(at) is None
    assert banner(attempt(at, "a brand new passphrase")) is not None


def test_a_damaged_passphrase_file_locks_the_view(shared: Path) -> None:
    shared.with_name("network.share-passphrase").write_text("{}")
    at = opened()
    assert [t.value for t in at.title] == ["This shared view is locked"]
    assert at.error[0].value.startswith("Its passphrase file cannot be read")


def test_on_a_network_address_without_a_passphrase_the_view_does_not_start(
    shared: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    clear_passphrase(shared)
    config.set_option("server.address", "0.0.0.0")
    at = opened()
    assert [t.value for t in at.title] == ["This shared view did not start"]
    assert banner(at) is None
    assert "the shared view listens on 0.0.0.0 without a passphrase" in capfd.readouterr().err
    config.set_option("server.address", "127.0.0.1")
    assert banner(opened()) is None  # decided when it started: never relaxed while it runs
    st.cache_resource.clear()  # a new process
    assert banner(opened()) is not None  # this computer only: no passphrase needed


@pytest.mark.parametrize(
    ("name", "value"), [("WARMLEADS_REDACT", "y"), ("WARMLEADS_READ_ONLY", "2")]
)
def test_an_unknown_setting_shows_nothing_but_the_refusal(
    app_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    restore_options: None,
    capfd: pytest.CaptureFixture[str],
    name: str,
    value: str,
) -> None:
    db = open_database(app_env)
    add_contact(db, {"full_name": SECRET})
    db.close()
    monkeypatch.setenv(name, value)
    at = opened()
    assert [t.value for t in at.title] == ["Warm Leads did not start"]
    assert at.error[0].value == (
        "It was started with a setting it does not understand, so it shows nothing: "
        f"`{name}='{value}' is not understood (use 1 for on, 0 for off)`. "
        "To share a read-only view, use `python -m lib.cli share`."
    )
    assert "Zephyrine" not in sent_bytes(at).decode("utf-8", "replace")
    assert capfd.readouterr().err.endswith(
        f"error: {name}='{value}' is not understood (use 1 for on, 0 for off); "
        "the app shows nothing until restarted without it\n"
    )


def test_an_unforeseen_error_shows_a_friendly_page_and_tells_the_terminal(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problems, "_under_apptest", lambda: False)  # as in a real server

    def failing_page() -> None:
        from lib.ui.problems import show_unexpected_error

        try:
            raise ValueError("Zephyrine at /home/someone/data/network.duckdb")
        except ValueError as exc:
            show_unexpected_error(exc)

    at = AppTest.from_function(failing_page)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Something went wrong"]
    assert at.error[0].value.startswith("This page stopped because of an error in Warm Leads.")
    sent = sent_bytes(at).decode("utf-8", "replace")
    assert "Zephyrine" not in sent and "/home/someone" not in sent and "Traceback" not in sent
    err = capfd.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "ValueError: Zephyrine at /home/someone/data/network.duckdb" in err


def test_under_apptest_an_unforeseen_error_is_raised_so_tests_see_it() -> None:
    def failing_page() -> None:
        from lib.ui.problems import show_unexpected_error

        show_unexpected_error(ValueError("boom"))

    at = AppTest.from_function(failing_page)
    at.run()
    assert len(at.exception) == 1  # (its message is redacted: showErrorDetails is "none")


# ------------------------------------------------- decided at start, never relaxed (25.5)


@pytest.fixture
def fresh_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """No decision left over from another test: this test's process starts now."""
    monkeypatch.setattr(gate, "_decided_at_start", {})


def test_a_passphrase_removed_before_the_first_visit_keeps_the_view_locked(
    shared: Path, fresh_start: None
) -> None:
    assert gate.decide_at_start(Mode(read_only=True), "127.0.0.1") is True  # run.py, at start
    clear_passphrase(shared)  # before anyone visits
    at = opened()
    assert [t.value for t in at.title] == ["This shared view is locked"]
    assert at.error[0].value == (
        "Its passphrase was removed while it runs. The owner can restart it."
    )
    assert banner(at) is None
    assert "Zephyrine" not in sent_bytes(at).decode("utf-8", "replace")


def test_a_view_started_without_a_passphrase_on_this_computer_opens(
    shared: Path, fresh_start: None
) -> None:
    clear_passphrase(shared)
    assert gate.decide_at_start(Mode(read_only=True), "127.0.0.1") is False
    assert banner(opened()) is not None


def _unlocked_dashboard() -> AppTest:
    at = attempt(opened(), PASSPHRASE)
    assert banner(at) is not None
    assert [b.label for b in at.get("download_button")] == ["Download report"]
    return at


@pytest.mark.parametrize("change", ["new passphrase", "removed"])
def test_after_a_passphrase_change_an_open_tab_loses_download_report(
    shared: Path, change: str
) -> None:
    at = _unlocked_dashboard()
    if change == "removed":
        clear_passphrase(shared)
    else:
        set_passphrase(shared, "a brand new passphrase")
    at.run()  # the tab's next run (the live check reruns it within 3 s)
    assert at.get("download_button") == []
    assert banner(at) is None


def guard_script() -> None:
    """Unlock a session by hand, then keep its download check for the test to call later."""
    import streamlit as st

    from lib.core.sharing import Mode
    from lib.store.db import resolve_db_path
    from lib.store.passphrase import load_passphrase
    from lib.ui import gate
    from tests import sharing_helpers

    assert gate.door_open(Mode(read_only=True)) is False
    stored = load_passphrase(resolve_db_path())
    st.session_state["warmleads_unlocked_share"] = stored.salt.hex()
    assert gate.door_open(Mode(read_only=True)) is True
    sharing_helpers.KEPT.append(gate.download_guard(Mode(read_only=True)))


@pytest.mark.parametrize("change", ["new passphrase", "removed"])
def test_a_report_built_after_a_passphrase_change_is_refused(shared: Path, change: str) -> None:
    import sharing_helpers as helpers_as_imported

    from tests import sharing_helpers

    sharing_helpers.KEPT.clear()
    at = AppTest.from_function(guard_script, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    (still_allowed,) = sharing_helpers.KEPT or helpers_as_imported.KEPT
    still_allowed()  # the passphrase it gave still holds: the report is built
    if change == "removed":
        clear_passphrase(shared)
    else:
        set_passphrase(shared, "a brand new passphrase")
    with pytest.raises(gate.LockedError) as caught:
        still_allowed()  # a click in a tab left open: refused, nothing built
    assert str(caught.value) == "this view is locked: reload the page and give the passphrase"
