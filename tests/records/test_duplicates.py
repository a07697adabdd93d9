"""Possible duplicates, merging them (events, referrals, blanks) and undoing a merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.core.errors import NotFoundError, ValidationError
from lib.records.contacts import add_contact, delete_contact, update_contact
from lib.records.duplicates import (
    find_duplicates,
    mark_not_duplicates,
    merge_contacts,
    recent_merges,
    undo_merge,
)
from lib.records.events import log_event
from lib.store import migrations
from lib.store.db import Database, open_database
from tests.conftest import TODAY


def pairs(db: Database) -> list[tuple]:
    frame = find_duplicates(db)
    return list(frame[["a_id", "b_id", "reasons"]].itertuples(index=False, name=None))


def everything(db: Database) -> tuple[list, list]:
    return (
        db.execute("SELECT * EXCLUDE (created_at) FROM contacts ORDER BY id").fetchall(),
        db.execute("SELECT * EXCLUDE (created_at) FROM events ORDER BY id").fetchall(),
    )


def test_same_email_or_linkedin_url_makes_a_pair(db: Database):
    add_contact(db, {"full_name": "Ana Ruiz", "email": "ana@example.com"})
    add_contact(db, {"full_name": "A. Ruiz-Diaz", "email": "ANA@example.com"})
    add_contact(db, {"full_name": "Ben Okafor", "linkedin_url": "https://linkedin.com/in/ben/"})
    add_contact(
        db, {"full_name": "Benjamin O.", "linkedin_url": "http://www.linkedin.com/in/ben?x=1"}
    )
    add_contact(db, {"full_name": "Cara Diaz", "email": "cara@example.com"})

    assert pairs(db) == [(3, 4, "same LinkedIn URL"), (1, 2, "same email")]


@pytest.mark.parametrize(
    ("first", "second", "paired"),
    [
        (("Jon Smith", "Atlas Freight"), ("John Smith", "Atlas Freight Inc."), True),
        (("Tomás Ferreira", "Aurora Health"), ("Tomas Ferreira", "aurora health"), True),
        (("Sofia Lind 🌿", "Fjord Data"), ("Sofia Lind", "fjord data"), True),
        (("Sofia Lind", "Fjord Data"), ("Sofia Lind", "Fjord Data, Ltd."), True),
        (("Lena Roth", "Nordlicht GmbH"), ("Lena Roth", "Nordlicht"), True),
        (("Inès Duval", "Atelier S.A."), ("Ines Duval", "ATELIER"), True),
        # Legal words go from the end of a name only.
        (("Kim Park", "Co Op Foods"), ("Kim Park", "Op Foods"), False),
        (("Jon Smith", "Atlas Freight"), ("John Smith", "Kestrel Software"), False),
        (("Maya Cohen", "Atlas Freight"), ("Marco Cohen", "Atlas Freight"), False),
        (("Ana Ruiz", None), ("Ana Ruiz", None), False),
    ],
)
def test_very_similar_names_at_the_same_company_make_a_pair(db: Database, first, second, paired):
    add_contact(db, {"full_name": first[0], "company": first[1]})
    add_contact(db, {"full_name": second[0], "company": second[1]})

    expected = [(1, 2, "similar names at the same company")] if paired else []
    assert pairs(db) == expected


def test_a_pair_marked_as_different_people_is_not_listed_again(db: Database):
    add_contact(db, {"full_name": "Jon Smith", "company": "Atlas"})
    add_contact(db, {"full_name": "John Smith", "company": "Atlas"})

    mark_not_duplicates(db, 2, 1)

    assert pairs(db) == []


def test_the_list_carries_the_total_and_each_sides_history(db: Database):
    for _ in range(3):
        add_contact(db, {"full_name": "Ana Ruiz", "email": "ana@example.com"})
    log_event(db, {"contact_id": 2, "kind": "contacted", "occurred_on": "2026-11-01"})

    frame = find_duplicates(db, limit=2)

    assert frame["total"].tolist() == [3, 3]
    assert frame[["a_id", "b_id", "a_events", "b_events"]].values.tolist() == [
        [1, 2, 0, 1],
        [1, 3, 0, 0],
    ]


@pytest.fixture
def pair(db: Database) -> Database:
    """Ana (1) with one event; her duplicate (2) with an event, a referral and more details."""
    add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel", "notes": "Met at breakfast"})
    add_contact(
        db,
        {
            "full_name": "Ana Ruiz",
            "company": "Kestrel Software",
            "title": "VP Finance",
            "email": "ana@example.com",
            "notes": "LinkedIn import",
            "connected_on": "2021-06-07",
        },
        today=TODAY,
    )
    add_contact(db, {"full_name": "Ben Okafor", "referred_by": 2, "may_use_name": True})
    log_event(db, {"contact_id": 1, "kind": "contacted", "occurred_on": "2026-11-01"})
    log_event(db, {"contact_id": 2, "kind": "thank_you", "occurred_on": "2026-11-03"})
    return db


def test_a_merge_moves_events_and_referrals_and_fills_blanks(pair: Database):
    result = merge_contacts(pair, 1, 2)

    assert result.summary("Ana Ruiz") == (
        "Merged Ana Ruiz into contact 1: moved 1 event and 1 referral; "
        "filled title, email, connected_on, notes"
    )
    assert pair.execute(
        "SELECT id, company, title, email, notes, connected_on::VARCHAR FROM contacts WHERE id <= 2"
    ).fetchall() == [
        (
            1,
            "Kestrel",
            "VP Finance",
            "ana@example.com",
            "Met at breakfast\n\nLinkedIn import",
            "2021-06-07",
        )
    ]
    assert pair.execute("SELECT contact_id FROM events ORDER BY id").fetchall() == [(1,), (1,)]
    assert pair.execute("SELECT referred_by FROM contacts WHERE id = 3").fetchall() == [(1,)]


def test_undo_brings_back_both_contacts_exactly_as_they_were(pair: Database):
    before = everything(pair)
    merge = merge_contacts(pair, 1, 2)

    assert undo_merge(pair, merge.merge_id) == 2

    assert everything(pair) == before
    assert recent_merges(pair)["undone_at"].notna().tolist() == [True]


def test_undo_keeps_an_edit_made_after_the_merge(pair: Database):
    merge = merge_contacts(pair, 1, 2)
    update_contact(pair, 1, {"title": "CFO"})

    undo_merge(pair, merge.merge_id)

    assert pair.execute("SELECT title, email FROM contacts WHERE id = 1").fetchall() == [
        ("CFO", None)
    ]


def test_a_merge_cannot_be_undone_twice_or_when_unknown(pair: Database):
    merge = merge_contacts(pair, 1, 2)
    undo_merge(pair, merge.merge_id)

    with pytest.raises(ValidationError, match="^merge: was already undone$"):
        undo_merge(pair, merge.merge_id)
    with pytest.raises(NotFoundError, match="^there is no merge with id 99$"):
        undo_merge(pair, 99)


def test_undo_after_the_kept_contact_was_deleted_still_restores_the_other(pair: Database):
    merge = merge_contacts(pair, 1, 2)
    delete_contact(pair, 1)

    undo_merge(pair, merge.merge_id)

    assert pair.execute("SELECT id, title FROM contacts WHERE id = 2").fetchall() == [
        (2, "VP Finance")
    ]


def test_merging_a_referrer_into_their_referral_makes_no_loop(db: Database):
    add_contact(db, {"full_name": "Ana Ruiz"})
    add_contact(db, {"full_name": "Ana Ruiz", "referred_by": 1, "may_use_name": True})

    merge_contacts(db, 2, 1)

    assert db.execute("SELECT id, referred_by, may_use_name FROM contacts").fetchall() == [
        (2, None, None)
    ]


def test_the_kept_contact_inherits_the_others_referrer_when_it_has_none(db: Database):
    add_contact(db, {"full_name": "Rosa Moreno"})
    add_contact(db, {"full_name": "Ana Ruiz"})
    add_contact(db, {"full_name": "Ana Ruiz", "referred_by": 1, "may_use_name": True})

    merge_contacts(db, 2, 3)

    assert db.execute("SELECT referred_by, may_use_name FROM contacts WHERE id = 2").fetchall() == [
        (1, True)
    ]


@pytest.mark.parametrize(
    ("keep", "other", "error", "message"),
    [
        (1, 1, ValidationError, "other: is the same contact as the one kept"),
        (1, 9, NotFoundError, "there is no contact with id 9"),
        (9, 1, NotFoundError, "there is no contact with id 9"),
    ],
)
def test_a_merge_of_unknown_or_identical_contacts_is_refused(pair, keep, other, error, message):
    before = everything(pair)

    with pytest.raises(error) as caught:
        merge_contacts(pair, keep, other)

    assert str(caught.value) == message
    assert everything(pair) == before


def test_a_version_2_file_gains_the_merge_tables_when_opened(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    import duckdb

    con = duckdb.connect(str(path))
    migrations.migrate(con, target=2)
    con.execute(
        "INSERT INTO contacts (id, full_name, identified_on) VALUES (1, 'Ana', DATE '2026-01-01')"
    )
    con.close()

    db = open_database(path)

    assert migrations.current_version(db.con) == migrations.LATEST_VERSION
    assert migrations.table_exists(db.con, "contact_merges")
    assert migrations.table_exists(db.con, "not_duplicates")
    assert db.scalar("SELECT full_name FROM contacts") == "Ana"
    db.close()
