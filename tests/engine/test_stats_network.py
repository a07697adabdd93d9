"""A small network, written by "another tool" with raw SQL, every number worked out by hand.

The file has only the core tables and columns of docs/METHOD.md "The records" (raw DDL, no
schema_migrations), so these tests also prove that the engine and the CLI read what other
tools write.

The people (identified_on; referred_by → warm?; archived):
  1 Ana   2026-10-01 association
  2 Ben   2026-10-05 referred by Ana, warm       (no events: his only record is Dev's referral)
  3 Cara  2026-10-05 referred by Ana, not warm
  4 Dev   2026-10-20 referred by Ben, warm
  5 Eli   2026-11-10 referred by Dev, warmth unknown (generation 3)
  6 Fay   2026-10-02 linkedin, ARCHIVED
  7 Gus   2026-11-24 chamber                   (gives Hal on 11-27: after the first T)
  8 Hal   2026-11-27 referred by Gus, warm      (identified after the first T)
  9 Ivy   2026-10-28 event
 10 Jon   2026-09-30 other                      (the earliest record)
 11 Kim   2026-10-29 linkedin

Two views: all time as of Wednesday 2026-11-25 (T = as-of), and the period
2026-10-21 (a Wednesday) to 2026-11-30 (a Monday) asked for on as-of 2026-12-15
(T = `to`, not as-of).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from lib.engine.stats import make_period, stats
from lib.store.db import open_database
from tests.support import CORE_DDL, digest

ROOT = Path(__file__).resolve().parents[2]

NETWORK_SQL = """
INSERT INTO contacts (id, full_name, source, referred_by, may_use_name, identified_on, archived)
VALUES
    (1, 'Ana Ruiz', 'association', NULL, NULL, DATE '2026-10-01', false),
    (2, 'Ben Okafor', 'referral', 1, true, DATE '2026-10-05', false),
    (3, 'Cara Martin', 'referral', 1, false, DATE '2026-10-05', false),
    (4, 'Dev Patel', 'referral', 2, true, DATE '2026-10-20', false),
    (5, 'Eli Yilmaz', 'referral', 4, NULL, DATE '2026-11-10', false),
    (6, 'Fay Haddad', 'linkedin', NULL, NULL, DATE '2026-10-02', true),
    (7, 'Gus Silva', 'chamber', NULL, NULL, DATE '2026-11-24', false),
    (8, 'Hal Sato', 'referral', 7, true, DATE '2026-11-27', false),
    (9, 'Ivy Khan', 'event', NULL, NULL, DATE '2026-10-28', false),
    (10, 'Jon Berg', 'other', NULL, NULL, DATE '2026-09-30', false),
    (11, 'Kim Tanaka', 'linkedin', NULL, NULL, DATE '2026-10-29', false);

INSERT INTO events (id, contact_id, kind, occurred_on, channel) VALUES
    (1, 1, 'contacted', DATE '2026-10-05', 'phone'),
    (2, 1, 'referral_asked', DATE '2026-10-05', 'phone'),
    (3, 1, 'thank_you', DATE '2026-10-05', 'phone'),
    (4, 1, 'thank_you', DATE '2026-10-08', 'email'),
    (5, 1, 'follow_up', DATE '2026-11-02', 'email'),
    (6, 1, 'follow_up', DATE '2026-11-30', 'email'),
    (7, 3, 'contacted', DATE '2026-10-12', 'in_person'),
    (8, 3, 'info_interview', DATE '2026-10-12', 'in_person'),
    (9, 3, 'note', DATE '2026-11-20', NULL),
    (10, 4, 'contacted', DATE '2026-10-21', 'phone'),
    (11, 4, 'referral_asked', DATE '2026-10-21', 'phone'),
    (12, 4, 'thank_you', DATE '2026-10-28', 'email'),
    (13, 6, 'contacted', DATE '2026-10-03', 'event'),
    (14, 7, 'contacted', DATE '2026-11-25', 'phone'),
    (15, 8, 'contacted', DATE '2026-11-28', 'video'),
    (16, 9, 'contacted', DATE '2026-11-04', 'in_person'),
    (17, 9, 'opportunity', DATE '2026-11-04', 'in_person'),
    (18, 9, 'thank_you', DATE '2026-11-04', 'in_person'),
    (19, 10, 'contacted', DATE '2026-10-27', 'phone'),
    (20, 10, 'referral_asked', DATE '2026-10-27', 'phone'),
    (21, 10, 'thank_you', DATE '2026-10-27', 'phone'),
    (22, 11, 'contacted', DATE '2026-11-05', 'linkedin'),
    (23, 11, 'note', DATE '2026-11-10', NULL),
    (24, 11, 'thank_you', DATE '2026-12-01', 'email');
"""


def week(label: str, start: str, targets: int = 0, referrals: int = 0, **kinds: int) -> dict:
    """One expected weekly row; kinds not named are zero."""
    row = {"week": label, "week_start": start, "targets": targets, "referrals": referrals}
    for kind in (
        "contacted",
        "info_interview",
        "referral_asked",
        "thank_you",
        "follow_up",
        "opportunity",
        "attempt",
    ):
        row[kind] = kinds.pop(kind, 0)
    assert not kinds, f"unknown kinds {kinds}"
    return row


# Stages as of T = 2026-11-25:
#   Ana 5 (follow_up 11-02), Ben 3 (gave Dev), Cara 2, Dev 4, Eli 1, Fay 2 (archived, counts),
#   Gus 2 (Hal is given on 11-27, after T), Ivy 4, Jon 4, Kim 2.  Hal is not identified yet.
# Days since the last touch: Ana 23 (due), Cara 44 (overdue), Dev 28 (due: the last due day),
#   Ivy 21 (due: the first due day), Jon 29 (overdue: the first overdue day), Kim 20 (neither),
#   Gus 0, Ben none (his only record is a referral he gave: in neither list), Fay archived.
# Thanks owed: Ben (gave Dev 10-20), Cara (10-12), Dev (gave Eli 11-10 after thanks on 10-28),
#   Gus (contacted 11-25), Kim (contacted 11-05; her thank-you on 12-01 is after T).
# Loops to close: Ben (Dev, whom he referred, was reached 10-21; Ben never heard back). Ana
#   is not: Cara was reached 10-12 and Ana had a follow-up on 11-02 (Ben, never reached,
#   owes her nothing). Gus's Hal is given after T; Dev's Eli was never reached.
ALL_TIME = {
    "as_of": "2026-11-25",
    "period": {"from": None, "to": None},
    "funnel": [
        {"stage": "targeted", "contacts": 10},
        {"stage": "contacted", "contacts": 9},
        {"stage": "asked", "contacts": 5},
        {"stage": "thanked", "contacts": 4},
        {"stage": "followed_up", "contacts": 1},
    ],
    "referrals": {"received": 4, "warm": 2, "givers": 3, "generations": [6, 2, 1, 1]},
    "weekly": [
        week("2026-W40", "2026-09-28", targets=3, contacted=1),
        week("2026-W41", "2026-10-05", 2, 2, contacted=1, referral_asked=1, thank_you=2),
        week("2026-W42", "2026-10-12", contacted=1, info_interview=1),
        week("2026-W43", "2026-10-19", 1, 1, contacted=1, referral_asked=1),
        week("2026-W44", "2026-10-26", 2, 0, contacted=1, referral_asked=1, thank_you=2),
        week("2026-W45", "2026-11-02", contacted=2, thank_you=1, follow_up=1, opportunity=1),
        week("2026-W46", "2026-11-09", 1, 1),
        week("2026-W47", "2026-11-16"),  # only a note: a zero row
        week("2026-W48", "2026-11-23", 1, 0, contacted=1),
    ],
    "due": {
        "to_contact": [5],
        "follow_up_due": [1, 4, 9],
        "follow_up_overdue": [3, 10],
        "thank_you_pending": [2, 3, 4, 7, 11],
        "close_loop": [2],
    },
}

# Period 2026-10-21 .. 2026-11-30, as-of 2026-12-15: T = 2026-11-30.
# Cohort (identified 10-21..11-30): Ivy 4, Kim 2, Eli 1, Gus 3 (Hal given 11-27 ≤ T), Hal 2.
# Weekly rows start at the week containing 10-21 (W43) and count only records on or after
# 10-21: Dev's identification on 10-20 is left out, his conversation on 10-21 is in.
# Due lists as of 11-30 (all non-archived people identified by then, `from` plays no part):
#   Ana 0 days (follow_up 11-30), Cara 49, Dev 33, Gus 5, Hal 2, Ivy 26, Jon 34, Kim 25.
# Loops: Ben still; Gus too (Hal, given 11-27, was reached 11-28 and Gus has not heard).
PERIOD = {
    "as_of": "2026-12-15",
    "period": {"from": "2026-10-21", "to": "2026-11-30"},
    "funnel": [
        {"stage": "targeted", "contacts": 5},
        {"stage": "contacted", "contacts": 4},
        {"stage": "asked", "contacts": 2},
        {"stage": "thanked", "contacts": 1},
        {"stage": "followed_up", "contacts": 0},
    ],
    # Generation 2 (Dev) is outside the cohort: a zero inside the list, none at its end.
    "referrals": {"received": 2, "warm": 1, "givers": 2, "generations": [3, 1, 0, 1]},
    "weekly": [
        week("2026-W43", "2026-10-19", contacted=1, referral_asked=1),
        week("2026-W44", "2026-10-26", 2, 0, contacted=1, referral_asked=1, thank_you=2),
        week("2026-W45", "2026-11-02", contacted=2, thank_you=1, follow_up=1, opportunity=1),
        week("2026-W46", "2026-11-09", 1, 1),
        week("2026-W47", "2026-11-16"),
        week("2026-W48", "2026-11-23", 2, 1, contacted=2),
        week("2026-W49", "2026-11-30", follow_up=1),
    ],
    "due": {
        "to_contact": [5],
        "follow_up_due": [9, 11],
        "follow_up_overdue": [3, 4, 10],
        "thank_you_pending": [2, 3, 4, 7, 8, 11],
        "close_loop": [2, 7],
    },
}

VIEWS = {
    "all time": ({"as_of": "2026-11-25"}, ["--as-of", "2026-11-25"], ALL_TIME),
    "period": (
        {"as_of": "2026-12-15", "start": "2026-10-21", "end": "2026-11-30"},
        ["--from", "2026-10-21", "--to", "2026-11-30", "--as-of", "2026-12-15"],
        PERIOD,
    ),
}


@pytest.fixture(scope="module")
def network_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-computed network in a file made with raw DDL, as another tool would."""
    path = tmp_path_factory.mktemp("other-tool") / "network.duckdb"
    con = duckdb.connect(str(path))
    con.execute(CORE_DDL)
    con.execute(NETWORK_SQL)
    con.close()
    return path


@pytest.mark.parametrize("view", VIEWS)
def test_library_stats_equal_the_hand_computed_numbers(network_file: Path, view: str) -> None:
    bounds, _, expected = VIEWS[view]
    before = digest(network_file)
    db = open_database(network_file, read_only=True)
    try:
        result = stats(db, make_period(**bounds))
    finally:
        db.close()
    assert result == expected
    assert digest(network_file) == before


@pytest.mark.parametrize("view", VIEWS)
def test_cli_stats_json_prints_exactly_the_hand_computed_object(
    network_file: Path, view: str
) -> None:
    _, argv, expected = VIEWS[view]
    before = digest(network_file)
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "stats", "--json", "--db", str(network_file), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.count("\n") == 1 and done.stdout.endswith("}\n")
    assert json.loads(done.stdout) == {**expected, "companies": []}  # no target companies
    assert digest(network_file) == before  # stats only reads: no migration, no backup
    assert sorted(p.name for p in network_file.parent.iterdir()) == ["network.duckdb"]


def test_other_tools_file_gives_the_same_numbers_after_migration(
    network_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "network.duckdb"
    copy.write_bytes(network_file.read_bytes())
    db = open_database(copy)  # writable: migrates the file, keeping a backup
    try:
        assert stats(db, make_period(as_of=date(2026, 11, 25))) == ALL_TIME
    finally:
        db.close()
