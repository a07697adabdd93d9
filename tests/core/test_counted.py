"""Counts read as English: 0, 1 and 2 through every message counted with lib.core.words.counted."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from lib.core.words import counted
from lib.engine import network
from lib.io.importing.apply import _adding, _reject_if_any
from lib.io.importing.model import ImportRejected, Problem
from lib.records.duplicates import MergeResult


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


MESSAGES: dict[str, tuple[Callable[[int], object], list[str]]] = {
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


@pytest.mark.parametrize("name", list(MESSAGES))
def test_zero_one_and_two_read_as_english(name: str) -> None:
    message, expected = MESSAGES[name]
    assert [message(n) for n in (0, 1, 2)] == expected
