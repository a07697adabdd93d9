"""Counts read as English: 0, 1 and 2 through every message counted with lib.core.words.counted."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from lib.cli.activity import confirmed_words
from lib.cli.data import sample_loaded
from lib.core.vocab import DUE_COUNTED
from lib.core.words import counted
from lib.engine import network
from lib.io.exporters import ExportResult
from lib.io.importing.apply import _adding, _reject_if_any
from lib.io.importing.model import ImportRejected, Problem
from lib.io.importing.write import ImportResult
from lib.present.report import referrals_line
from lib.records.duplicates import MergeResult
from lib.ui.data_tabs.export_tab import export_lines
from lib.ui.data_tabs.import_tab import add_button_label, new_targets_link
from lib.ui.welcome import sample_words


def merged(n: int) -> str:
    return MergeResult(1, 2, 3, (), n, n).summary("Ana Ruiz")


def best(n: int) -> str | None:
    frame = pd.DataFrame(
        {
            "source": ["event"],
            "label": ["Event"],
            "targets": [n],
            "referrals": [3],
            "referrals_per_target": [1.5],
        }
    )
    return network.best_source(frame, min_targets=0)


def rejected(n: int) -> str:
    with pytest.raises(ImportRejected) as caught:
        _reject_if_any([Problem(where, "no name") for where in range(2, 3 + n)])
    return str(caught.value)


def imported(n: int) -> str:
    return ImportResult("csv", "row", new=n, events_added=n).summary()


def wrote(fmt: str) -> Callable[[int], str]:
    return lambda n: ExportResult(fmt, None, n, n, n, 0).summary()


def due_heading(name: str) -> Callable[[int], str]:
    return lambda n: counted(n, *DUE_COUNTED[name])


MESSAGES: dict[str, tuple[Callable[[int], object], list[str]]] = {
    "import summary": (
        imported,
        [
            "0 new contacts, 0 updated, 0 skipped, 0 events added",
            "1 new contact, 0 updated, 0 skipped, 1 event added",
            "2 new contacts, 0 updated, 0 skipped, 2 events added",
        ],
    ),
    "csv export": (
        wrote("csv"),
        [
            "Wrote 0 contacts and 0 events",
            "Wrote 1 contact and 1 event",
            "Wrote 2 contacts and 2 events",
        ],
    ),
    "vcard export": (
        wrote("vcard"),
        [
            "Wrote 0 contacts as vCards",
            "Wrote 1 contact as a vCard",
            "Wrote 2 contacts as vCards",
        ],
    ),
    "ics export": (
        wrote("ics"),
        ["Wrote 0 reminders", "Wrote 1 reminder", "Wrote 2 reminders"],
    ),
    "today: to contact": (
        due_heading("to_contact"),
        ["0 people to contact", "1 person to contact", "2 people to contact"],
    ),
    "today: follow-ups due": (
        due_heading("follow_up_due"),
        ["0 follow-ups due", "1 follow-up due", "2 follow-ups due"],
    ),
    "today: follow-ups overdue": (
        due_heading("follow_up_overdue"),
        ["0 follow-ups overdue", "1 follow-up overdue", "2 follow-ups overdue"],
    ),
    "today: thank-yous": (
        due_heading("thank_you_pending"),
        ["0 thank-yous pending", "1 thank-you pending", "2 thank-yous pending"],
    ),
    "today: close the loop": (
        due_heading("close_loop"),
        [
            "0 referrers to tell how it went",
            "1 referrer to tell how it went",
            "2 referrers to tell how it went",
        ],
    ),
    "cli demo": (
        lambda n: sample_loaded("n.duckdb", n, n),
        [
            "Loaded the sample network into n.duckdb: 0 contacts, 0 events",
            "Loaded the sample network into n.duckdb: 1 contact, 1 event",
            "Loaded the sample network into n.duckdb: 2 contacts, 2 events",
        ],
    ),
    "cli confirm-suggestions": (
        confirmed_words,
        ["Confirmed 0 call attempts.", "Confirmed 1 call attempt.", "Confirmed 2 call attempts."],
    ),
    "import: link to Today": (
        new_targets_link,
        [
            "0 new targets — see them on Today",
            "1 new target — see them on Today",
            "2 new targets — see them on Today",
        ],
    ),
    "import: button": (
        lambda n: add_button_label(n, n),
        ["Add 0 targets", "Add 1 target and update 1", "Add 2 targets and update 2"],
    ),
    "export: what each file holds": (
        lambda n: list(export_lines({"contacts": n, "events": n, "reminders": n}).values()),
        [
            [
                f"**Everything (CSV)**: {n} and {e}. Imports back here without loss; opens in "
                "any spreadsheet.",
                f"**Contacts (vCard)**: {c} for Google Contacts, Apple Contacts or Outlook.",
                f"**Reminders (calendar)**: {r} due today (follow-ups, thank-yous, referrers "
                "to update, call-backs), as all-day events for Google Calendar, Apple Calendar "
                "or Outlook.",
            ]
            for n, e, c, r in (
                ("0 contacts", "0 events", "0 cards", "0 reminders"),
                ("1 contact", "1 event", "1 card", "1 reminder"),
                ("2 contacts", "2 events", "2 cards", "2 reminders"),
            )
        ],
    ),
    "report: referrals": (
        lambda n: referrals_line({"received": n, "warm": n, "givers": n}),
        [
            "0 referrals received, 0 warm (may use the referrer's name), from 0 people.",
            "1 referral received, 1 warm (may use the referrer's name), from 1 person.",
            "2 referrals received, 2 warm (may use the referrer's name), from 2 people.",
        ],
    ),
    "the sample network": (
        lambda n: sample_words(n, n),
        [
            "0 fictional people and 0 steps",
            "1 fictional person and 1 step",
            "2 fictional people and 2 steps",
        ],
    ),
    "counted": (
        lambda n: counted(n, "new contact"),
        ["0 new contacts", "1 new contact", "2 new contacts"],
    ),
    "counted people": (
        lambda n: counted(n, "person", "people"),
        ["0 people", "1 person", "2 people"],
    ),
    "import progress": (
        lambda n: _adding(n, dry_run=True),
        ["would add 0 new contacts", "would add 1 new contact", "would add 2 new contacts"],
    ),
    "merge": (
        merged,
        [
            "Merged Ana Ruiz into contact 2: moved 0 events and 0 referrals",
            "Merged Ana Ruiz into contact 2: moved 1 event and 1 referral",
            "Merged Ana Ruiz into contact 2: moved 2 events and 2 referrals",
        ],
    ),
    "best source": (
        best,
        [
            "Targets from events gave you the most referrals: 1.5 per target (0 targets).",
            "Targets from events gave you the most referrals: 1.5 per target (1 target).",
            "Targets from events gave you the most referrals: 1.5 per target (2 targets).",
        ],
    ),
    "strict import": (
        rejected,
        [
            "row 2: no name; with --strict nothing was imported",
            "row 2: no name (and 1 more problem); with --strict nothing was imported",
            "row 2: no name (and 2 more problems); with --strict nothing was imported",
        ],
    ),
}


def test_every_due_list_has_its_counted_words() -> None:
    from lib.core.vocab import DUE_LIST

    assert list(DUE_COUNTED) == list(DUE_LIST)


@pytest.mark.parametrize("name", list(MESSAGES))
def test_zero_one_and_two_read_as_english(name: str) -> None:
    message, expected = MESSAGES[name]
    assert [message(n) for n in (0, 1, 2)] == expected
