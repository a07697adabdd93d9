"""The calling session page (AppTest): the queue's order, skip, an attempt, the end summary."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from lib.core.words import human_date
from lib.records.contacts import add_contact
from lib.store.db import open_database
from tests.pagekit import click, open_page, read_db, shown


@pytest.fixture
def two_targets(app_env: Path) -> dict[str, int]:
    database = open_database(app_env)
    today = date.today()
    ids = {
        "ana": add_contact(
            database,
            {"full_name": "Ana Ruiz", "phone": "555 0101", "identified_on": today - timedelta(5)},
        ),
        "ben": add_contact(
            database,
            {"full_name": "Ben Okafor", "phone": "555 0102", "identified_on": today - timedelta(2)},
        ),
    }
    database.close()
    return ids


def test_an_empty_day_says_nobody_to_call(app_env: Path) -> None:
    open_database(app_env).close()
    at = open_page("pages/work/call.py")
    assert shown(at.success) == [
        "Nobody to call today: no targets to contact and no follow-ups due by phone."
    ]


def test_skip_then_an_attempt_then_the_summary(two_targets: dict[str, int], app_env: Path) -> None:
    at = open_page("pages/work/call.py")
    assert "2 cold targets" in shown(at.markdown)
    at = click(at, "Start calling")
    assert shown(at.caption)[0] == "Call 1 of 2 · Cold target"
    assert [link.value for link in at.get("page_link")][0] == "**Ana Ruiz**"
    at = click(at, "Skip")
    assert shown(at.caption)[0] == "Call 2 of 2 · Cold target"
    at = click(at, "Wrong number")
    assert shown(at.success) == [
        "Logged a call attempt to Ben Okafor on "
        f"{date.today():%a} {date.today().day} {date.today():%b %Y}: wrong number.",
        "1 call: 1 wrong number; 0 new referrals.",
    ]
    rows = read_db(app_env).execute("SELECT contact_id, kind, outcome FROM events").fetchall()
    assert rows == [(two_targets["ben"], "attempt", "wrong_number")]


def test_undo_takes_the_attempt_back_and_returns_to_that_person(
    two_targets: dict[str, int], app_env: Path
) -> None:
    at = click(click(open_page("pages/work/call.py"), "Start calling"), "No answer")
    assert shown(at.caption)[0] == "Call 2 of 2 · Cold target"
    at = click(at, "Undo")
    assert shown(at.info) == ["Undone: the call attempt was removed."]
    assert shown(at.caption)[0] == "Call 1 of 2 · Cold target"
    assert read_db(app_env).scalar("SELECT count(*) FROM events") == 0


@pytest.mark.parametrize(
    ("source", "words"),
    [("linkedin", "Found via LinkedIn"), ("event", "Found via event"), (None, "Found via other")],
)
def test_the_source_reads_as_its_label(app_env: Path, source: str | None, words: str) -> None:
    database = open_database(app_env)
    day = date.today() - timedelta(3)
    add_contact(
        database,
        {"full_name": "Ana Ruiz", "phone": "555 0101", "identified_on": day}
        | ({"source": source} if source else {}),
    )
    database.close()
    at = click(open_page("pages/work/call.py"), "Start calling")
    assert f"{words} on {human_date(day)}" in shown(at.caption)[1]
