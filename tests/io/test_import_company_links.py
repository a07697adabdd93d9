"""Importing contacts links each person to the target company with their company's key,
and makes no company of its own (a company is a target the user chose)."""

from __future__ import annotations

from pathlib import Path

from lib.io.importing import import_file
from lib.io.importing.batches import undo_import
from lib.records.companies import add_company
from lib.store.db import Database
from tests.conftest import TODAY

LINKEDIN = Path(__file__).parents[1] / "fixtures" / "linkedin_connections.csv"


def linked(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT full_name, company, company_id FROM contacts WHERE company IS NOT NULL "
        "AND full_name IN ('Amara Nwosu', 'Lukas Bräuer') ORDER BY full_name"
    ).fetchall()


def test_an_import_links_people_by_key_and_adds_no_company(db: Database):
    add_company(db, {"name": "Blue Harbor Logistics"})  # the file says "…, Ltd."

    result = import_file(db, LINKEDIN, today=TODAY)

    assert result.new > 0
    assert linked(db) == [
        ("Amara Nwosu", "Blue Harbor Logistics, Ltd.", 1),
        ("Lukas Bräuer", "Stadtwerke Nord", None),
    ]
    assert db.execute("SELECT id, name FROM companies").fetchall() == [(1, "Blue Harbor Logistics")]
    undo_import(db, result.batch_id)
    assert db.scalar("SELECT count(*) FROM contacts") == 0
    assert db.execute("SELECT id, name FROM companies").fetchall() == [(1, "Blue Harbor Logistics")]


def test_without_target_companies_an_import_links_nobody(db: Database):
    import_file(db, LINKEDIN, today=TODAY)
    assert db.scalar("SELECT count(*) FROM contacts WHERE company_id IS NOT NULL") == 0
    assert db.scalar("SELECT count(*) FROM companies") == 0


def test_undoing_an_import_that_filled_a_company_unlinks_it_again(db: Database):
    from lib.records.contacts import add_contact

    add_company(db, {"name": "Blue Harbor Logistics"})
    amara = add_contact(
        db,
        {
            "full_name": "Amara Nwosu",
            "linkedin_url": "https://www.linkedin.com/in/amara-nwosu-12ab34",
        },
        today=TODAY,
    )
    result = import_file(db, LINKEDIN, today=TODAY)
    assert db.execute(
        "SELECT company, company_id FROM contacts WHERE id = ?", [amara]
    ).fetchall() == [("Blue Harbor Logistics, Ltd.", 1)]

    undo_import(db, result.batch_id)

    assert db.execute(
        "SELECT company, company_id FROM contacts WHERE id = ?", [amara]
    ).fetchall() == [(None, None)]
