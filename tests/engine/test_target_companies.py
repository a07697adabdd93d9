"""Target companies, read back: a 20-person network over 5 companies whose two referral
chains cross companies, with every count worked out by hand (docs/METHOD.md "Target
companies"), from lib.engine, `stats --json` and `companies --json`."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path

import pytest

from lib.cli import main
from lib.engine.companies import company_counts, summarize, target_list
from lib.records.companies import add_company
from lib.records.contacts import add_contact, update_contact
from lib.records.events import log_event
from lib.store.db import Database, open_database
from tests.conftest import TODAY

# (name, company text, referrer's number, archived, [(kind, day)]); numbers are the ids.
PEOPLE = [
    ("Ana", "Acme", None, False, [("contacted", "2026-10-05")]),
    ("Ben", "Acme Inc.", 1, False, []),
    ("Cai", "ACME", 11, False, [("info_interview", "2026-10-25")]),
    ("Dee", "Globex", None, False, [("follow_up", "2026-11-01")]),
    ("Eli", "Globex", 3, False, [("contacted", "2026-11-10")]),  # chain 1: Kim → Cai → Eli → Fay
    ("Fay", "Initech", 5, False, []),
    ("Gus", "Initech", 6, False, [("attempt", "2026-11-12")]),
    ("Hal", "Umbrella", None, False, [("opportunity", "2026-10-15")]),
    ("Ivy", None, 8, False, [("contacted", "2026-10-18")]),  # chain 2: Hal → Ivy → Jon, Lea
    ("Jon", "Hooli", 9, False, []),
    ("Kim", "Globex", None, False, [("contacted", "2026-10-20")]),
    ("Lea", "Hooli Inc.", 9, False, [("referral_asked", "2026-11-05")]),
    ("Max", "Initech", None, True, [("contacted", "2026-10-02")]),  # archived: left out
    ("Ned", None, 13, False, [("contacted", "2026-10-03")]),
    ("Ola", "Acme", None, False, [("note", "2026-11-20")]),
    ("Pia", "Umbrella Corp", 8, False, []),
    ("Quinn", "Soylent", None, False, [("contacted", "2026-10-10")]),  # not a target
    ("Ray", "Soylent", 17, False, []),
    ("Sam", "Globex", 4, False, [("contacted", "2026-11-15")]),
    ("Tia", None, 19, False, []),
]
TARGETS = [  # id 1..5 in this order
    {"name": "Acme", "motivation": 5, "posting": 3},
    {"name": "Globex", "motivation": 5, "posting": 3},
    {"name": "Initech", "motivation": 3, "posting": 3},
    {"name": "Umbrella", "motivation": 4, "posting": 1},
    {"name": "Hooli", "motivation": 2, "posting": 2},
]
# Worked out by hand, company by company, in LAMP order (Globex: 3 advocates beats Acme's 2):
# (id, name, people, by stage, reached, advocates, ways in, last touch, next step, next id)
#   Globex: Dee (follow-up only: reached, no advocate), Eli, Kim, Sam (each gave a
#     referral: asked). Ways in: Cai (Acme) referred Eli (and Kim referred Cai, reached);
#     Eli referred Fay (Initech), reached: she gave a referral, so she was asked.
#   Acme: Ana and Cai asked (they referred), Ben and Ola targeted (a note reaches nobody).
#     Ways in: Kim (Globex) referred Cai; Cai referred Eli (Globex), reached.
#   Umbrella: Hal asked, Pia targeted. Way in: Ivy (no company), referred by Hal, reached.
#   Initech: Fay asked (she referred Gus, never reached), Gus targeted (an attempt reaches
#     nobody), Max archived. Way in: Eli referred Fay. Ned, referred by archived Max: none.
#   Hooli: Jon targeted, Lea asked. Way in: Ivy referred both (counted once).
EXPECTED = [
    (2, "Globex", 4, [0, 0, 3, 0, 1], 4, 3, 2, date(2026, 11, 15), "follow_up", 11),
    (1, "Acme", 4, [2, 0, 2, 0, 0], 2, 2, 2, date(2026, 10, 25), "reach", 2),
    (4, "Umbrella", 2, [1, 0, 1, 0, 0], 1, 1, 1, date(2026, 10, 15), "reach", 16),
    (3, "Initech", 2, [1, 0, 1, 0, 0], 1, 0, 1, None, "reach", 7),
    (5, "Hooli", 2, [1, 0, 1, 0, 0], 1, 0, 1, date(2026, 11, 5), "reach", 10),
]


def build(db: Database) -> None:
    for target in TARGETS:
        add_company(db, target)
    for name, company, _, archived, events in PEOPLE:
        person = add_contact(
            db,
            {
                "full_name": name,
                "company": company,
                "archived": archived,
                "identified_on": "2026-10-01",
            },
            today=TODAY,
        )
        for kind, day in events:
            log_event(db, {"contact_id": person, "kind": kind, "occurred_on": day}, today=TODAY)
    for person, (*_, referrer, _, _) in enumerate(PEOPLE, 1):
        if referrer is not None:  # Kim (11) referred Cai (3): referrers come after
            update_contact(db, person, {"referred_by": referrer}, today=TODAY)


@pytest.fixture
def network(db: Database) -> Database:
    build(db)
    return db


def test_every_count_per_company_is_the_hand_computed_one(network: Database):
    rows = [
        (
            c.id,
            c.name,
            c.people,
            list(c.by_stage.values()),
            c.reached,
            c.advocates,
            c.ways_in,
            c.last_touch,
            c.next_step,
            c.next_id,
        )
        for c in target_list(network, TODAY)
    ]
    assert rows == EXPECTED
    assert [c.next_words for c in target_list(network, TODAY)][:2] == [
        "follow up with Kim and ask who else they know there",
        "call Ben (not reached yet)",
    ]
    assert summarize(target_list(network, TODAY)).line() == (
        "Target companies: 5 · with an advocate 3 · with a way in 5 · no way in yet 0"
    )


def test_the_people_linked_are_those_whose_company_text_has_the_key(network: Database):
    assert network.execute(
        "SELECT company_id, list(full_name ORDER BY id) FROM contacts "
        "GROUP BY company_id ORDER BY company_id NULLS LAST"
    ).fetchall() == [
        (1, ["Ana", "Ben", "Cai", "Ola"]),
        (2, ["Dee", "Eli", "Kim", "Sam"]),
        (3, ["Fay", "Gus", "Max"]),
        (4, ["Hal", "Pia"]),
        (5, ["Jon", "Lea"]),
        (None, ["Ivy", "Ned", "Quinn", "Ray", "Tia"]),
    ]


def test_as_of_an_earlier_day_later_events_do_not_count(network: Database):
    early = {
        c.id: (c.people, c.reached, c.advocates, c.ways_in)
        for c in target_list(network, date(2026, 10, 19))
    }
    # By Oct 19 only Ana, Hal and Ivy (and archived Max, Ned, Quinn) had an event; every
    # referral was given on Oct 1, so each referrer is `asked` (reached) already.
    # Acme: Ana, Cai reached; Ana an advocate (Cai's interview is Oct 25); ways in Kim, Eli.
    # Globex: all four reached by referring, no advocate; ways in Cai, Fay.
    # Hooli: Lea's referral_asked is Nov 5: nobody reached; Ivy still a way in.
    assert early == {
        1: (4, 2, 1, 2),
        2: (4, 4, 0, 2),
        3: (2, 1, 0, 1),
        4: (2, 1, 1, 1),
        5: (2, 0, 0, 1),
    }


def test_an_archived_company_leaves_the_list_and_an_empty_one_offers_the_question(db: Database):
    add_company(db, {"name": "Acme", "archived": True})
    add_company(db, {"name": "Zed"})
    [zed] = target_list(db, TODAY)
    assert (zed.name, zed.people, zed.next_step, zed.next_id) == ("Zed", 0, "ask_referral", None)
    assert zed.next_words == "no way in yet: ask each person you talk to who they know there"
    assert [c.name for c in target_list(db, TODAY, archived=True)] == ["Acme", "Zed"]
    assert summarize([zed]).line() == (
        "Target companies: 1 · with an advocate 0 · with a way in 0 · no way in yet 1"
    )


def run(*argv: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return json.loads(out.getvalue())


def test_stats_json_and_companies_json_give_the_same_numbers(db_path: Path):
    with open_database(db_path) as db:
        build(db)
        assert company_counts(db, TODAY) == [
            {"id": i, "people": p, "reached": r, "advocates": a, "ways_in": w}
            for i, _, p, _, r, a, w, *_ in sorted(EXPECTED)
        ]
    stats = run("stats", "--json", "--as-of", TODAY.isoformat(), "--db", str(db_path))
    assert stats["companies"] == [
        {"id": 1, "people": 4, "reached": 2, "advocates": 2, "ways_in": 2},
        {"id": 2, "people": 4, "reached": 4, "advocates": 3, "ways_in": 2},
        {"id": 3, "people": 2, "reached": 1, "advocates": 0, "ways_in": 1},
        {"id": 4, "people": 2, "reached": 1, "advocates": 1, "ways_in": 1},
        {"id": 5, "people": 2, "reached": 1, "advocates": 0, "ways_in": 1},
    ]
    listed = run("companies", "--json", "--db", str(db_path))
    assert listed == {
        "companies": [
            {
                "id": 2,
                "name": "Globex",
                "motivation": 5,
                "posting": 3,
                "people": 4,
                "advocates": 3,
                "ways_in": 2,
            },
            {
                "id": 1,
                "name": "Acme",
                "motivation": 5,
                "posting": 3,
                "people": 4,
                "advocates": 2,
                "ways_in": 2,
            },
            {
                "id": 4,
                "name": "Umbrella",
                "motivation": 4,
                "posting": 1,
                "people": 2,
                "advocates": 1,
                "ways_in": 1,
            },
            {
                "id": 3,
                "name": "Initech",
                "motivation": 3,
                "posting": 3,
                "people": 2,
                "advocates": 0,
                "ways_in": 1,
            },
            {
                "id": 5,
                "name": "Hooli",
                "motivation": 2,
                "posting": 2,
                "people": 2,
                "advocates": 0,
                "ways_in": 1,
            },
        ]
    }


def test_the_people_and_ways_in_behind_one_companys_counts(network: Database):
    from lib.engine.companies import company_people, referral_question, ways_in

    people = [(p.name, p.stage, p.advocate) for p in company_people(network, 1, TODAY)]
    assert people == [
        ("Cai", "asked", True),
        ("Ana", "asked", True),
        ("Ben", "targeted", False),
        ("Ola", "targeted", False),
    ]
    # Acme's two ways in: Kim referred Cai; Cai referred Eli, reached.
    assert [
        (w.name, w.company, w.there_name, w.referred_them) for w in ways_in(network, 1, TODAY)
    ] == [
        ("Eli", "Globex", "Cai", False),
        ("Kim", "Globex", "Cai", True),
    ]
    # Hooli: Ivy referred both people there: one way in, two rows.
    assert [(w.name, w.there_name) for w in ways_in(network, 5, TODAY)] == [
        ("Ivy", "Jon"),
        ("Ivy", "Lea"),
    ]
    assert referral_question(["Acme", "Globex", "Initech"]) == (
        "Who do you know at Acme, Globex or Initech?"
    )
    assert referral_question(["Acme"]) == "Who do you know at Acme?"
