"""Namesakes are not duplicates: two rows (or a row and a stored contact) are one person only
when nothing tells them apart; a different LinkedIn URL or e-mail makes them two people,
who then show as possible duplicates for the user to judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.io.importing import apply_import, import_file, plan_import, read_import
from lib.io.importing import model as model_module
from lib.records.contacts import add_contact
from lib.records.duplicates import find_duplicates
from lib.store.db import Database
from tests.conftest import TODAY

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def linkedin(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def names(db: Database) -> list[tuple[str, str | None, str | None]]:
    return db.execute("SELECT full_name, email, linkedin_url FROM contacts ORDER BY id").fetchall()


def test_rows_with_the_same_name_and_company_but_different_urls_are_two_people(db: Database):
    result = apply_import(
        db,
        read_import(
            linkedin(
                "Priya,Sharma,https://www.linkedin.com/in/priya-sharma-1,,Kestrel,Analyst,",
                "Priya,Sharma,https://www.linkedin.com/in/priya-sharma-2,,Kestrel,Engineer,",
            ),
            today=TODAY,
        ),
    )

    assert result.summary() == "2 new contacts, 0 updated, 0 skipped"
    assert [n for n, _, _ in names(db)] == ["Priya Sharma", "Priya Sharma"]
    pairs = find_duplicates(db)
    assert len(pairs) == 1
    assert pairs.loc[0, "reasons"] == "similar names at the same company"


def test_rows_with_different_emails_are_two_people(db: Database):
    result = apply_import(
        db,
        read_import(
            linkedin(
                "Ana,Ruiz,,ana.ruiz@kestrel.com,Kestrel,VP,",
                "Ana,Ruiz,,aruiz@gmail.com,Kestrel,Analyst,",
            ),
            today=TODAY,
        ),
    )

    assert result.summary() == "2 new contacts, 0 updated, 0 skipped"
    assert [e for _, e, _ in names(db)] == ["ana.ruiz@kestrel.com", "aruiz@gmail.com"]


def test_a_row_that_nothing_tells_apart_is_still_the_same_person(db: Database):
    result = apply_import(
        db,
        read_import(
            linkedin(
                "Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz,,Kestrel,VP,",
                "Ana,Ruiz,,ana@kestrel.com,Kestrel,VP,",
            ),
            today=TODAY,
        ),
    )

    assert result.summary() == "1 new contact, 0 updated, 1 skipped (row 3: same person as row 2)"
    assert names(db) == [("Ana Ruiz", "ana@kestrel.com", "https://www.linkedin.com/in/ana-ruiz")]


def test_a_stored_namesake_with_another_email_is_not_updated(db: Database):
    stored = add_contact(
        db, {"full_name": "Ana Ruiz", "company": "Kestrel", "email": "ana@kestrel.com"}
    )

    plan = plan_import(db, read_import(linkedin("Ana,Ruiz,,aruiz@gmail.com,Kestrel,VP,")))

    assert plan.rows[["action", "contact_id"]].to_dict("records") == [
        {"action": "new", "contact_id": None}
    ]
    assert stored not in plan.matches.values()


def test_a_stored_contact_without_email_or_url_is_still_matched_by_name(db: Database):
    stored = add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel"})

    plan = plan_import(db, read_import(linkedin("Ana,Ruiz,,aruiz@gmail.com,Kestrel,VP,")))

    assert plan.rows[["action", "contact_id", "matched_on"]].to_dict("records") == [
        {"action": "update", "contact_id": stored, "matched_on": "name and company"}
    ]


def test_two_namesakes_meeting_one_stored_contact_do_not_merge_into_each_other(db: Database):
    stored = add_contact(db, {"full_name": "Ana Ruiz", "company": "Kestrel"})

    result = apply_import(
        db,
        read_import(
            linkedin(
                "Ana,Ruiz,,ana.ruiz@kestrel.com,Kestrel,VP,",
                "Ana,Ruiz,,aruiz@gmail.com,Kestrel,Analyst,",
            ),
            today=TODAY,
        ),
    )

    assert result.summary() == "1 new contact, 1 updated, 0 skipped"
    assert db.execute("SELECT id, email FROM contacts ORDER BY id").fetchall()[0] == (
        stored,
        "ana.ruiz@kestrel.com",
    )
    assert [e for _, e, _ in names(db)] == ["ana.ruiz@kestrel.com", "aruiz@gmail.com"]


def test_namesakes_in_different_batches_of_a_large_file_are_two_people(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(model_module, "BATCH_PEOPLE", 1)
    source = tmp_path / "Connections.csv"
    source.write_bytes(
        linkedin(
            "Priya,Sharma,https://www.linkedin.com/in/priya-sharma-1,,Kestrel,Analyst,",
            "Ben,Okafor,,,Atlas,Engineer,",
            "Priya,Sharma,https://www.linkedin.com/in/priya-sharma-2,,Kestrel,Engineer,",
        )
    )

    result = import_file(db, source, today=TODAY)

    assert result.summary() == "3 new contacts, 0 updated, 0 skipped"
    assert [u for n, _, u in names(db) if n == "Priya Sharma"] == [
        "https://www.linkedin.com/in/priya-sharma-1",
        "https://www.linkedin.com/in/priya-sharma-2",
    ]


def test_reimporting_namesakes_adds_nobody(db: Database):
    data = linkedin(
        "Priya,Sharma,https://www.linkedin.com/in/priya-sharma-1,,Kestrel,Analyst,",
        "Priya,Sharma,https://www.linkedin.com/in/priya-sharma-2,,Kestrel,Engineer,",
    )
    apply_import(db, read_import(data, today=TODAY))

    again = apply_import(db, read_import(data, today=TODAY))

    assert again.summary() == "0 new contacts, 0 updated, 2 already up to date, 0 skipped"
