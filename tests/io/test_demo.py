"""The one demo generator: exact sizes, deterministic by seed, believable, the method's order."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from lib.core.columns import CONTACTS
from lib.core.errors import ValidationError
from lib.core.validation import clean_contact, clean_event
from lib.core.vocab import ATTEMPT_OUTCOMES
from lib.engine.stats import make_period, stats
from lib.io.demo import PITCH, build_network, load_demo
from lib.records.contacts import get_contact
from lib.records.settings import get_setting
from lib.store.db import Database, open_database
from tests.conftest import ROOT, TODAY
from tests.support import digest, write_demo

# Every column a person gives, and the id (the demo leaves connected_on empty).
CONTACT_COLUMNS = ", ".join(("id", *CONTACTS.names(entered=True)))
STEP_OF_KIND = {"contacted": 2, "referral_asked": 3, "thank_you": 4, "follow_up": 5}


def rows(db: Database) -> tuple[list[tuple], list[tuple]]:
    """Every stored contact and event, in id order (without write times)."""
    contacts = db.execute(f"SELECT {CONTACT_COLUMNS} FROM contacts ORDER BY id").fetchall()
    events = db.execute(
        "SELECT id, contact_id, kind, occurred_on, channel, notes FROM events ORDER BY id"
    ).fetchall()
    return contacts, events


def demo_rows(tmp_path: Path, name: str, **options: object) -> tuple[list[tuple], list[tuple]]:
    db = open_database(tmp_path / f"{name}.duckdb")
    try:
        load_demo(db, today=TODAY, **options)
        return rows(db)
    finally:
        db.close()


# ---------------------------------------------------------------- sizes and determinism


@pytest.mark.parametrize("size", [1, 2, 3, 5, 10, 50])
def test_the_network_has_exactly_the_people_asked_for_whatever_the_seed(size: int) -> None:
    sizes = {len(build_network(size, seed=seed, today=TODAY).contacts) for seed in range(150)}
    assert sizes == {size}


def test_the_same_seed_writes_identical_rows(tmp_path: Path) -> None:
    assert demo_rows(tmp_path, "a", seed=11) == demo_rows(tmp_path, "b", seed=11)


def test_a_different_seed_writes_a_different_network(tmp_path: Path) -> None:
    first_contacts, first_events = demo_rows(tmp_path, "a", seed=11)
    other_contacts, other_events = demo_rows(tmp_path, "b", seed=12)
    assert len(first_contacts) == len(other_contacts) == 50
    assert first_contacts != other_contacts and first_events != other_events


@pytest.mark.parametrize("events", [0, 7, 60, 400])
def test_asking_for_a_number_of_events_writes_exactly_that_many(
    tmp_path: Path, events: int
) -> None:
    contacts, stored = demo_rows(tmp_path, "sized", contacts=20, events=events, seed=3)
    assert (len(contacts), len(stored)) == (20, events)
    assert all(day <= TODAY for _, _, _, day, _, _ in stored)


def test_load_demo_returns_the_counts_it_wrote_and_stores_the_pitch(db: Database) -> None:
    assert load_demo(db, contacts=30, events=90, seed=5, today=TODAY) == (30, 90)
    contacts, events = rows(db)
    assert (len(contacts), len(events)) == (30, 90)
    assert get_setting(db, "pitch") == PITCH


# ---------------------------------------------------------------- a believable network


def test_the_default_network_is_believable_as_of_today(demo_db: Database) -> None:
    result = stats(demo_db, make_period(as_of=TODAY))
    bars = [row["contacts"] for row in result["funnel"]]
    assert bars[0] == 50
    assert bars == sorted(bars, reverse=True) and len(set(bars)) == 5  # each step loses some
    generations = result["referrals"]["generations"]
    assert len(generations) >= 3 and all(generations)  # referrals of referrals of referrals
    assert sum(generations) == 50
    assert result["referrals"]["warm"] > 0 and result["referrals"]["givers"] > 0
    for name, ids in result["due"].items():
        assert ids, f"{name} is empty"
    assert len(result["weekly"]) >= 20  # about five months of history


def test_every_story_follows_the_methods_order(demo_db: Database) -> None:
    """Per person: pitch first, and each step (ask, thank, follow up) only after the one before."""
    events = demo_db.execute(
        "SELECT contact_id, kind, occurred_on FROM events ORDER BY occurred_on, id"
    ).fetchall()
    identified = dict(demo_db.execute("SELECT id, identified_on FROM contacts").fetchall())
    reached: dict[int, int] = defaultdict(lambda: 1)
    for contact_id, kind, day in events:
        assert day >= identified[contact_id]
        step = STEP_OF_KIND.get(kind)
        if kind == "attempt":  # calls that did not get through come before the talk
            assert reached[contact_id] == 1, (contact_id, kind, day)
            continue
        if step is None:  # info interviews, opportunities and notes come after the pitch
            assert reached[contact_id] >= 2 or kind == "note", (contact_id, kind)
            continue
        assert step <= reached[contact_id] + 1, (contact_id, kind, day)
        reached[contact_id] = max(reached[contact_id], step)


def test_the_demo_makes_call_attempts_each_with_its_outcome(demo_db: Database) -> None:
    rows = demo_db.execute(
        "SELECT outcome, channel, count(*) FROM events WHERE kind = 'attempt' "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    outcomes = {outcome for outcome, _, _ in rows}
    assert {"no_answer", "voicemail"} <= outcomes <= set(ATTEMPT_OUTCOMES)
    assert {(o, c) for o, c, _ in rows} <= {(o, "phone") for o in outcomes} | {
        ("message", "linkedin")
    }
    assert sum(n for _, _, n in rows) >= 10
    assert (
        demo_db.scalar(
            "SELECT count(*) FROM events WHERE kind <> 'attempt' AND outcome IS NOT NULL"
        )
        == 0
    )


def test_a_referral_is_identified_on_the_day_its_referrer_was_asked(demo_db: Database) -> None:
    unmatched = demo_db.scalar(
        """
        SELECT count(*) FROM contacts c
        WHERE c.referred_by IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM events e
            WHERE e.contact_id = c.referred_by AND e.kind = 'referral_asked'
              AND e.occurred_on = c.identified_on)
        """
    )
    assert demo_db.scalar("SELECT count(*) FROM contacts WHERE referred_by IS NOT NULL") > 10
    assert unmatched == 0


def test_every_demo_row_passes_the_validation_layer(demo_db: Database) -> None:
    contacts, events = rows(demo_db)
    for contact_id, *_ in contacts:
        stored = get_contact(demo_db, contact_id)
        fields = {k: stored[k] for k in CONTACT_COLUMNS.split(", ")[1:] if k != "archived"}
        clean = clean_contact(fields, today=TODAY)
        assert {k: clean[k] for k in fields} == fields
    for _, contact_id, kind, day, channel, notes in events:
        event = {"contact_id": contact_id, "kind": kind, "occurred_on": day, "channel": channel}
        assert clean_event({**event, "notes": notes}, today=TODAY)["kind"] == kind


def test_dates_run_over_the_five_months_before_today(demo_db: Database) -> None:
    first, last = demo_db.execute(
        "SELECT least(min(c.identified_on), min(e.occurred_on)), "
        "greatest(max(c.identified_on), max(e.occurred_on)) FROM contacts c, events e"
    ).fetchone()
    assert TODAY - timedelta(days=150) <= first and last <= TODAY


# ---------------------------------------------------------------- refusing


def test_the_demo_only_loads_into_an_empty_file(demo_db: Database) -> None:
    before = rows(demo_db)
    with pytest.raises(ValidationError) as caught:
        load_demo(demo_db, today=TODAY)
    assert str(caught.value) == (
        "database: already holds 50 contacts; the sample network only loads into an empty file "
        "(use --db to choose a new one)"
    )
    assert rows(demo_db) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"contacts": 0}, "contacts: 0 is outside 1–10,000,000"),
        ({"contacts": 10_000_001}, "contacts: 10000001 is outside 1–10,000,000"),
        ({"events": -1}, "events: -1 is outside 0–100,000,000"),
    ],
)
def test_impossible_sizes_are_refused(db: Database, options: dict, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_demo(db, today=TODAY, **options)
    assert str(caught.value) == message
    assert db.scalar("SELECT count(*) FROM contacts") == 0


def test_cli_demo_refuses_a_non_empty_file_and_writes_nothing(tmp_path: Path) -> None:
    path = write_demo(tmp_path / "network.duckdb", TODAY, contacts=5)
    before = digest(path)
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "demo", "--db", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: database: already holds 5 contacts; the sample network only loads into an "
        "empty file "
        "(use --db to choose a new one)\n"
    )
    assert digest(path) == before
    # The refused command wrote nothing but the read-only view's snapshot of the same rows.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "network.duckdb",
        "network.snapshot.duckdb",
    ]


def test_cli_demo_loads_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "network.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "demo", "--contacts", "12", "--seed", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"WARMLEADS_DB": str(path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Loaded the sample network into {path}: 12 contacts, ")
    db = open_database(path, read_only=True)
    count, last_day = db.execute("SELECT count(*), max(identified_on) FROM contacts").fetchone()
    db.close()
    assert count == 12 and last_day <= date.today()  # the CLI's demo ends on the real today
