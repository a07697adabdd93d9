"""Correcting a step on a person's page: each kind shows its own fields, dates in one style."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from lib.core.words import human_date
from lib.records.contacts import add_contact
from lib.records.events import log_attempt, log_event
from lib.store.db import open_database
from tests.pagekit import by_label, click, open_page, read_db, shown

FIELDS = {
    "contacted": ["Step", "Date", "Channel", "Notes"],
    "info_interview": ["Step", "Date", "Channel", "Notes"],
    "referral_asked": ["Step", "Date", "Channel", "Notes"],
    "thank_you": ["Step", "Date", "Channel", "Notes"],
    "follow_up": ["Step", "Date", "Channel", "Notes"],
    "opportunity": ["Step", "Date", "Channel", "The lead"],
    "attempt": ["Step", "Date", "Channel", "Outcome", "Notes"],
    "note": ["Step", "Date", "Note"],
}
ON = date.today() - timedelta(days=3)


def editor_fields(at: Any, event_id: int) -> list[str]:
    """The labels of the step editor's widgets, in the order the page shows them."""

    def walk(node: Any) -> Any:
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    prefix = f"step_{event_id}_"
    return [
        widget.label
        for widget in walk(at.main)
        if isinstance(getattr(widget, "key", None), str) and widget.key.startswith(prefix)
    ]


def open_step(event_id: int, contact_id: int) -> Any:
    at = open_page("pages/work/contacts.py", contact=contact_id)
    by_label(at.selectbox, "Correct or delete a step").set_value(event_id)
    at.run()
    assert not at.exception, at.exception
    return at


def one_step(path: Path, kind: str) -> tuple[int, int]:
    db = open_database(path)
    ana = add_contact(db, {"full_name": "Ana Ruiz", "identified_on": ON - timedelta(days=7)})
    if kind == "attempt":
        event = log_attempt(db, ana, "voicemail", occurred_on=ON).event_ids[0]
    else:
        log_event(db, {"contact_id": ana, "kind": kind, "occurred_on": ON, "notes": "x"})
        event = db.scalar("SELECT max(id) FROM events")
    db.close()
    return int(event), ana


@pytest.mark.parametrize("kind", list(FIELDS))
def test_a_step_shows_only_its_kinds_fields(app_env: Path, kind: str) -> None:
    event, ana = one_step(app_env, kind)
    at = open_step(event, ana)
    assert editor_fields(at, event) == FIELDS[kind]
    heading = [text for text in shown(at.markdown) if text.endswith(human_date(ON))]
    assert len(heading) == 1


def test_another_kind_shows_that_kinds_fields_and_drops_the_outcome(app_env: Path) -> None:
    event, ana = one_step(app_env, "attempt")
    at = open_step(event, ana)
    by_label(at.selectbox, "Step").set_value("contacted")
    at.run()
    assert editor_fields(at, event) == FIELDS["contacted"]
    click(at, "Save changes…")
    click(at, "Yes, save")
    row = read_db(app_env).execute("SELECT kind, outcome FROM events WHERE id = ?", [event])
    assert row.fetchone() == ("contacted", None)


def test_a_day_before_the_person_was_found_is_refused_in_the_one_date_style(
    app_env: Path,
) -> None:
    event, ana = one_step(app_env, "contacted")
    at = open_step(event, ana)
    early = ON - timedelta(days=30)
    by_label(at.date_input, "Date").set_value(early)
    click(at, "Save changes…")
    found = human_date(ON - timedelta(days=7))
    assert shown(at.error) == [
        f"Date: {human_date(early)} is before Ana Ruiz was identified ({found})"
    ]
