"""The demo is removable: exactly its rows go, the user's own stay (even ones added after it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.cli import main
from lib.io.demo import load_demo
from lib.io.demo_removal import DemoNeedsConfirmation, demo_status, remove_demo
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.records.settings import get_setting, set_setting
from lib.store.db import Database, open_database
from tests.conftest import TODAY

OWN_CONTACTS = "SELECT full_name, referred_by FROM contacts ORDER BY id"
OWN_EVENTS = (
    "SELECT c.full_name, e.kind, e.occurred_on FROM events e "
    "JOIN contacts c ON c.id = e.contact_id ORDER BY e.id"
)


def add_own(db: Database, referrer: int | None = None) -> None:
    """The user's own rows: a target with a step, and one referred by `referrer`."""
    me = add_contact(db, {"full_name": "Mina Own", "identified_on": "2026-11-01"}, today=TODAY)
    log_event(db, {"contact_id": me, "kind": "contacted", "occurred_on": "2026-11-02"}, today=TODAY)
    data = {"full_name": "Rex Referred", "identified_on": "2026-11-03", "referred_by": referrer}
    add_contact(db, data, today=TODAY)


def test_demo_then_own_contacts_then_remove_leaves_only_the_users_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.duckdb"
    with open_database(path) as db:
        set_setting(db, "pitch", {"text": "mine"})
        load_demo(db, today=TODAY)
        demo_person = db.scalar("SELECT min(id) FROM contacts")
        add_own(db, referrer=demo_person)
        log_event(db, {"contact_id": demo_person, "kind": "note", "notes": "my note"}, today=TODAY)
    assert main(["demo", "--remove", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: 1 step you logged yourself on its people (")
    assert err.endswith("will be removed with them; confirm to remove the sample network anyway\n")
    assert main(["demo", "--remove", "--yes", "--db", str(path)]) == 0
    assert capsys.readouterr().out == (
        "Removed the sample network: 50 people and 200 steps (including 1 step you logged "
        "on its people). Your own contacts are untouched, except that 1 of them (Rex Referred) "
        "was referred by one of its people and now has no referrer.\n"
    )
    alone = tmp_path / "alone.duckdb"
    with open_database(alone) as db:
        set_setting(db, "pitch", {"text": "mine"})
        add_own(db)
        expected = (db.execute(OWN_CONTACTS).fetchall(), db.execute(OWN_EVENTS).fetchall())
    with open_database(path) as db:
        assert (db.execute(OWN_CONTACTS).fetchall(), db.execute(OWN_EVENTS).fetchall()) == expected
        assert get_setting(db, "pitch") == {"text": "mine"}  # the user's pitch was never replaced
        assert demo_status(db) is None


def test_removing_the_demo_from_a_demo_only_file_empties_it(demo_db: Database) -> None:
    status = demo_status(demo_db)
    assert (status.contacts, status.events, status.your_steps) == (50, 199, 0)
    assert remove_demo(demo_db) == (
        "Removed the sample network: 50 people and 199 steps. "
        "Your own contacts and steps are untouched."
    )
    for table in ("contacts", "events", "settings"):
        assert demo_db.scalar(f"SELECT count(*) FROM {table}") == 0


def test_a_step_on_a_demo_person_needs_confirmation_and_nothing_goes_without_it(
    demo_db: Database,
) -> None:
    log_event(demo_db, {"contact_id": 3, "kind": "note", "notes": "mine"}, today=TODAY)
    with pytest.raises(DemoNeedsConfirmation):
        remove_demo(demo_db)
    assert demo_db.scalar("SELECT count(*) FROM contacts") == 50
    assert demo_db.scalar("SELECT count(*) FROM events") == 200


def test_no_demo_is_a_clear_error(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    db.close()
    assert main(["demo", "--remove", "--db", str(db.path)]) == 1
    assert capsys.readouterr().err == (
        "error: there is no sample network in this file (nothing was removed)\n"
    )
