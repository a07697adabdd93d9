"""The SQL stats engine equals a tiny pure-Python reading of docs/METHOD.md on random networks.

`reference_stats` below is written from docs/METHOD.md alone, one rule per line, with no
SQL and no cleverness: if the engine and it ever disagree, one of them misreads
the rules. Hypothesis draws small networks (referral trees, archived people,
events of every kind before and after T, dates across a year end) and periods.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.core.vocab import ATTEMPT_OUTCOMES, EVENT_KINDS, STAGES
from lib.engine.stats import make_period, stats
from lib.store.db import Database, open_database

# Dates span a year end, so ISO weeks 2026-W53 and 2027-W01 are both exercised.
FIRST_DAY = date(2026, 11, 1)
LAST_DAY = date(2027, 2, 15)
WEEKLY_KINDS = ("contacted", "info_interview", "referral_asked", "thank_you", "follow_up")
WEEKLY_KINDS += ("opportunity", "attempt")


@dataclass(frozen=True)
class Person:
    id: int
    referred_by: int | None
    may_use_name: bool | None
    identified_on: date
    archived: bool


@dataclass(frozen=True)
class Event:
    id: int
    contact_id: int
    kind: str
    occurred_on: date
    outcome: str | None = None  # attempts only: how the try ended


# ---------------------------------------------------------------- the method, in plain Python

STEP_OF_KIND = {
    "contacted": 2,
    "info_interview": 2,
    "opportunity": 2,
    "referral_asked": 3,
    "thank_you": 4,
    "follow_up": 5,
}
TOUCH = {"contacted", "info_interview", "referral_asked", "thank_you", "follow_up", "opportunity"}
OWES_THANKS = {"contacted", "info_interview", "referral_asked"}
REACHES = {"contacted", "info_interview", "opportunity"}
UPDATES = {"thank_you", "follow_up"}


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def reference_stats(
    people: list[Person], events: list[Event], as_of: date, start: date | None, end: date | None
) -> dict[str, Any]:
    """The stats object, computed by reading docs/METHOD.md literally."""
    t = end or as_of
    by_id = {p.id: p for p in people}
    seen = [e for e in events if e.occurred_on <= t]

    def referrals_given(p: Person) -> list[Person]:
        return [q for q in people if q.referred_by == p.id and q.identified_on <= t]

    def stage(p: Person) -> int:
        reached = [1] + [STEP_OF_KIND.get(e.kind, 1) for e in seen if e.contact_id == p.id]
        if referrals_given(p):
            reached.append(3)
        return max(reached)

    def generation(p: Person) -> int:
        return 0 if p.referred_by is None else 1 + generation(by_id[p.referred_by])

    cohort = [
        p for p in people if p.identified_on <= t and (start is None or p.identified_on >= start)
    ]
    funnel = [
        {"stage": name, "contacts": sum(1 for p in cohort if stage(p) >= k)}
        for k, name in enumerate(STAGES, start=1)
    ]
    received = [p for p in cohort if p.referred_by is not None]
    generations: list[int] = []
    for p in cohort:
        g = generation(p)
        generations += [0] * (g + 1 - len(generations))
        generations[g] += 1

    def counted(day: date) -> bool:
        return day <= t and (start is None or day >= start)

    target_days = [
        (p.identified_on, p.referred_by is not None) for p in people if counted(p.identified_on)
    ]
    event_days = [(e.occurred_on, e.kind) for e in events if counted(e.occurred_on)]
    weekly = []
    if target_days or event_days:
        first = start or min([d for d, _ in target_days] + [d for d, _ in event_days])
        week_start = monday(first)
        while week_start <= monday(t):
            targets = [referral for d, referral in target_days if monday(d) == week_start]
            kinds = [k for d, k in event_days if monday(d) == week_start]
            year, number, _ = week_start.isocalendar()
            row = {
                "week": f"{year}-W{number:02d}",
                "week_start": week_start.isoformat(),
                "targets": len(targets),
                "referrals": sum(targets),
            }
            for kind in WEEKLY_KINDS:
                row[kind] = kinds.count(kind)
            weekly.append(row)
            week_start += timedelta(days=7)

    due: dict[str, list[int]] = {
        "to_contact": [],
        "follow_up_due": [],
        "follow_up_overdue": [],
        "thank_you_pending": [],
        "close_loop": [],
    }
    for p in sorted(people, key=lambda p: p.id):
        if p.archived or p.identified_on > t:
            continue
        mine = [e for e in seen if e.contact_id == p.id]
        if stage(p) == 1:
            due["to_contact"].append(p.id)
        touches = [e.occurred_on for e in mine if e.kind in TOUCH]
        if stage(p) >= 2 and touches:
            days = (t - max(touches)).days
            if 21 <= days <= 28:
                due["follow_up_due"].append(p.id)
            if days > 28:
                due["follow_up_overdue"].append(p.id)
        owed = [e.occurred_on for e in mine if e.kind in OWES_THANKS]
        owed += [q.identified_on for q in referrals_given(p)]
        if owed:
            c = max(owed)
            if not any(e.kind == "thank_you" and e.occurred_on >= c for e in mine):
                due["thank_you_pending"].append(p.id)
        # close_loop: some referral r (archived or not) was first reached on c_r, and this
        # referrer has had no thank-you or follow-up on or after c_r.
        for r in referrals_given(p):
            reached = [e.occurred_on for e in seen if e.contact_id == r.id and e.kind in REACHES]
            if not reached:
                continue
            c_r = min(reached)
            if not any(e.kind in UPDATES and e.occurred_on >= c_r for e in mine):
                due["close_loop"].append(p.id)
                break

    return {
        "as_of": as_of.isoformat(),
        "period": {
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
        },
        "funnel": funnel,
        "referrals": {
            "received": len(received),
            "warm": sum(1 for p in received if p.may_use_name is True),
            "givers": len({p.referred_by for p in received}),
            "generations": generations,
        },
        "weekly": weekly,
        "due": due,
    }


# ---------------------------------------------------------------- random networks and periods

days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


@st.composite
def networks(draw: st.DrawFn, max_people: int = 9) -> tuple[list[Person], list[Event]]:
    """People whose referrers come earlier in the list (so no cycles), and their events."""
    count = draw(st.integers(min_value=0, max_value=max_people))
    people = []
    for index in range(count):
        referred_by = draw(st.none() | st.integers(1, index)) if index else None
        people.append(
            Person(
                id=index + 1,
                referred_by=referred_by,
                may_use_name=draw(st.none() | st.booleans()) if referred_by else None,
                identified_on=draw(days),
                archived=draw(st.booleans()) if draw(st.integers(0, 4)) == 0 else False,
            )
        )
    events = []
    if people:
        drawn = draw(
            st.lists(
                st.tuples(
                    st.integers(1, count),
                    # Attempts are drawn twice as often: most calls do not reach anyone.
                    st.sampled_from((*EVENT_KINDS, "attempt")),
                    days,
                    st.sampled_from(ATTEMPT_OUTCOMES),
                ),
                max_size=4 * count,
            )
        )
        events = [
            Event(i + 1, who, kind, day, outcome if kind == "attempt" else None)
            for i, (who, kind, day, outcome) in enumerate(drawn)
        ]
    return people, events


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date | None, date | None]:
    """An as-of day and optional bounds with `from` on or before T."""
    as_of = draw(days)
    end = draw(st.none() | days)
    t = end or as_of
    start = draw(st.none() | st.dates(min_value=FIRST_DAY - timedelta(days=20), max_value=t))
    return as_of, start, end


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database file reused by every example (emptied before each)."""
    db = open_database(tmp_path_factory.mktemp("reference") / "network.duckdb")
    yield db
    db.close()


def load(db: Database, people: list[Person], events: list[Event]) -> None:
    """Write a drawn network with raw SQL, exactly as drawn (ids included)."""
    with db.transaction():
        db.execute("DELETE FROM events")
        db.execute("DELETE FROM contacts")
        for p in people:
            db.execute(
                "INSERT INTO contacts (id, full_name, referred_by, may_use_name, identified_on, "
                "archived) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    p.id,
                    f"Person {p.id}",
                    p.referred_by,
                    p.may_use_name,
                    p.identified_on,
                    p.archived,
                ],
            )
        for e in events:
            db.execute(
                "INSERT INTO events (id, contact_id, kind, occurred_on, outcome) "
                "VALUES (?, ?, ?, ?, ?)",
                [e.id, e.contact_id, e.kind, e.occurred_on, e.outcome],
            )


Network = tuple[list[Person], list[Event]]
Bounds = tuple[date, date | None, date | None]
EXAMPLES = settings(max_examples=60, deadline=None)


def engine_stats(db: Database, network: Network, bounds: Bounds) -> dict[str, Any]:
    """Write the network into the scratch file and ask the SQL engine."""
    load(db, *network)
    as_of, start, end = bounds
    return stats(db, make_period(as_of=as_of, start=start, end=end))


@EXAMPLES
@given(network=networks(), bounds=periods())
def test_engine_equals_the_reference_on_random_networks(
    scratch: Database, network: Network, bounds: Bounds
) -> None:
    assert engine_stats(scratch, network, bounds) == reference_stats(*network, *bounds)


@EXAMPLES
@given(network=networks(), bounds=periods())
def test_funnel_bars_never_increase(scratch: Database, network: Network, bounds: Bounds) -> None:
    bars = [row["contacts"] for row in engine_stats(scratch, network, bounds)["funnel"]]
    assert bars == sorted(bars, reverse=True)
    as_of, start, end = bounds
    t = end or as_of
    cohort = [
        p for p in network[0] if p.identified_on <= t and not (start and p.identified_on < start)
    ]
    assert bars[0] == len(cohort)


def test_reference_agrees_with_a_hand_worked_chain() -> None:
    """The reference itself, checked once by hand: A refers B refers C, as of a Sunday."""
    people = [
        Person(1, None, None, date(2026, 12, 28), False),
        Person(2, 1, True, date(2026, 12, 31), False),
        Person(3, 2, False, date(2027, 1, 1), True),
    ]
    events = [
        Event(1, 1, "contacted", date(2026, 12, 31)),
        Event(2, 1, "referral_asked", date(2026, 12, 31)),
        Event(3, 2, "contacted", date(2027, 1, 4)),  # after T
    ]
    got = reference_stats(people, events, date(2027, 1, 3), None, None)
    # A asked and gave B; B gave C (so B reached "asked" with no event); C is archived.
    assert [row["contacts"] for row in got["funnel"]] == [3, 2, 2, 0, 0]
    assert got["referrals"] == {"received": 2, "warm": 1, "givers": 2, "generations": [1, 1, 1]}
    assert [(w["week"], w["targets"], w["referrals"], w["contacted"]) for w in got["weekly"]] == [
        ("2026-W53", 3, 2, 1)
    ]
    # Nobody was thanked: A owes thanks since 12-31, B since C was given on 01-01.
    assert got["due"] == {
        "to_contact": [],
        "follow_up_due": [],
        "follow_up_overdue": [],
        "thank_you_pending": [1, 2],
        "close_loop": [],
    }


@st.composite
def referral_networks(draw: st.DrawFn) -> tuple[list[Person], list[Event]]:
    """Networks dense in what close_loop reads: most people referred, most events a reach,
    a thank-you or a follow-up (random networks list a referrer in few examples)."""
    count = draw(st.integers(min_value=2, max_value=8))
    people = [
        Person(
            id=index + 1,
            referred_by=draw(st.integers(1, index)) if index else None,
            may_use_name=None,
            identified_on=draw(days),
            archived=draw(st.integers(0, 5)) == 0,
        )
        for index in range(count)
    ]
    kinds = st.sampled_from(sorted(REACHES | UPDATES) + ["referral_asked", "note"])
    drawn = draw(st.lists(st.tuples(st.integers(1, count), kinds, days), max_size=5 * count))
    events = [Event(i + 1, who, kind, day) for i, (who, kind, day) in enumerate(drawn)]
    return people, events


@settings(max_examples=120, deadline=None)
@given(network=referral_networks(), bounds=periods() | st.just((LAST_DAY, None, None)))
def test_close_loop_equals_the_reference_on_referral_networks(
    scratch: Database, network: Network, bounds: Bounds
) -> None:
    expected = reference_stats(*network, *bounds)["due"]
    assert engine_stats(scratch, network, bounds)["due"] == expected


# ---------------------------------------------------------------- close_loop, worked by hand

# Ana (1) referred Ben (2), Cy (3) and Dee (4, archived) on 11-02; Eve (5, archived) referred
# Fay (6). Ana thanked on 11-10 and followed up on 11-30.
LOOP_PEOPLE = [
    Person(1, None, None, date(2026, 11, 1), False),
    Person(2, 1, True, date(2026, 11, 2), False),
    Person(3, 1, False, date(2026, 11, 2), False),
    Person(4, 1, None, date(2026, 11, 2), True),
    Person(5, None, None, date(2026, 11, 1), True),
    Person(6, 5, True, date(2026, 11, 2), False),
]
LOOP_EVENTS = [
    Event(1, 1, "contacted", date(2026, 11, 2)),
    Event(2, 2, "contacted", date(2026, 11, 5)),  # Ben reached before Ana's thank-you
    Event(3, 2, "info_interview", date(2026, 11, 12)),  # a later talk: c_r is still 11-05
    Event(4, 1, "thank_you", date(2026, 11, 10)),
    Event(5, 4, "opportunity", date(2026, 11, 20)),  # Dee (archived) reached after it
    Event(6, 3, "referral_asked", date(2026, 11, 21)),  # Cy never reached: asking is no reach
    Event(7, 1, "follow_up", date(2026, 11, 30)),
    Event(8, 6, "contacted", date(2026, 11, 8)),  # Eve's referral reached; Eve is archived
    Event(9, 3, "note", date(2026, 11, 9)),
]


@pytest.mark.parametrize(
    ("as_of", "start", "end", "listed"),
    [
        # Before any referral is reached, nobody is owed an update.
        (date(2026, 11, 4), None, None, []),
        # Ben reached on 11-05, Ana not written to since: listed.
        (date(2026, 11, 5), None, None, [1]),
        # Ana's thank-you on 11-10 covers Ben (reached 11-05; his 11-12 talk is not a new c_r).
        (date(2026, 11, 15), None, None, []),
        # Dee (archived) reached 11-20, after the thank-you: Ana is listed again.
        (date(2026, 11, 25), None, None, [1]),
        # The follow-up on 11-30 tells her; Cy (only asked, never reached) owes nothing.
        (date(2026, 11, 30), None, None, []),
        # `to` is T: the follow-up after it does not count yet, and `from` changes nothing.
        (date(2026, 12, 31), date(2026, 11, 24), date(2026, 11, 29), [1]),
        (date(2026, 12, 31), None, date(2026, 11, 9), [1]),
        (date(2026, 12, 31), date(2026, 11, 1), date(2026, 11, 10), []),
    ],
)
def test_close_loop_by_hand(
    scratch: Database,
    as_of: date,
    start: date | None,
    end: date | None,
    listed: list[int],
) -> None:
    network = (LOOP_PEOPLE, LOOP_EVENTS)
    bounds = (as_of, start, end)
    assert reference_stats(*network, *bounds)["due"]["close_loop"] == listed
    assert engine_stats(scratch, network, bounds)["due"]["close_loop"] == listed


def test_close_loop_is_a_list_of_its_own(scratch: Database) -> None:
    """Ana is both owed an update and a thank-you on 11-05; on 11-25 only the update."""
    on_5th = engine_stats(scratch, (LOOP_PEOPLE, LOOP_EVENTS), (date(2026, 11, 5), None, None))
    assert 1 in on_5th["due"]["thank_you_pending"] and on_5th["due"]["close_loop"] == [1]
    on_25th = engine_stats(scratch, (LOOP_PEOPLE, LOOP_EVENTS), (date(2026, 11, 25), None, None))
    assert 1 not in on_25th["due"]["thank_you_pending"] and on_25th["due"]["close_loop"] == [1]


def test_stats_json_carries_close_loop(tmp_path: Path) -> None:
    """The CLI's JSON has `due.close_loop` last, as docs/METHOD.md "The stats --json object"
    shows, equal to the engine."""
    path = tmp_path / "loops.duckdb"
    db = open_database(path)
    load(db, LOOP_PEOPLE, LOOP_EVENTS)
    db.close()
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "stats", "--json", "--db", str(path)]
        + ["--as-of", "2026-12-31", "--to", "2026-11-25"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    result = json.loads(done.stdout)
    assert list(result["due"]) == [
        "to_contact",
        "follow_up_due",
        "follow_up_overdue",
        "thank_you_pending",
        "close_loop",
    ]
    assert result["due"]["close_loop"] == [1]
    expected = reference_stats(
        LOOP_PEOPLE, LOOP_EVENTS, date(2026, 12, 31), None, date(2026, 11, 25)
    )
    assert result == {**expected, "companies": []}  # no target companies


def test_attempts_reach_no_stage_touch_nobody_and_owe_no_thanks(scratch: Database) -> None:
    """Three attempts on a target and on a contact 25 days after their last touch."""
    people = [
        Person(1, None, None, date(2026, 11, 2), False),
        Person(2, None, None, date(2026, 11, 2), False),
    ]
    events = [
        Event(1, 1, "attempt", date(2026, 11, 20), "no_answer"),
        Event(2, 1, "attempt", date(2026, 11, 23), "voicemail"),
        Event(3, 2, "contacted", date(2026, 11, 2)),
        Event(4, 2, "thank_you", date(2026, 11, 2)),
        Event(5, 2, "attempt", date(2026, 11, 26), "wrong_number"),
    ]
    as_of = date(2026, 11, 27)
    got = engine_stats(scratch, (people, events), (as_of, None, None))
    assert got == reference_stats(people, events, as_of, None, None)
    assert [row["contacts"] for row in got["funnel"]] == [2, 1, 1, 1, 0]
    assert got["due"]["to_contact"] == [1]
    assert got["due"]["follow_up_due"] == [2]  # 25 days since the thank-you; attempts no touch
    assert got["due"]["thank_you_pending"] == []
    assert [(w["week"], w["attempt"], w["contacted"]) for w in got["weekly"]] == [
        ("2026-W45", 0, 1),
        ("2026-W46", 0, 0),
        ("2026-W47", 1, 0),
        ("2026-W48", 2, 0),
    ]
