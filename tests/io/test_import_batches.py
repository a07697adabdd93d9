"""Import batches: each import recorded, undone exactly, refused for people who gained steps."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from lib.cli import main
from lib.core.errors import NotFoundError
from lib.io import exporters
from lib.io.demo import load_demo
from lib.io.importing import import_file
from lib.io.importing.batches import UndoRefused, list_imports, undo_import
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store import migrations
from lib.store.db import Database, open_database
from tests.conftest import TODAY

LINKEDIN = Path(__file__).parents[1] / "fixtures" / "linkedin_connections.csv"
TABLES = ("contacts", "events", "settings", "contact_merges", "not_duplicates")


def everything(db: Database) -> dict[str, list[tuple]]:
    """Every user table's rows, in a stable order."""
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def csv_bytes(db: Database, path: Path) -> bytes:
    """The CSV export but its import history (an undone import stays listed, as undone)."""
    exporters.write_export(db, "csv", path, today=TODAY)
    lines = path.read_bytes().split(b"\r\n")
    return b"\r\n".join(x for x in lines if not x.startswith((b"import_batch,", b"import_fill,")))


@pytest.fixture
def own(db: Database) -> Database:
    """A file that already had people: Lukas (blank company and title), Zed with a step."""
    add_contact(
        db,
        {
            "full_name": "Lukas Bräuer",
            "email": "lukas.b@example.com",
            "identified_on": "2026-01-05",
        },
        today=TODAY,
    )
    zed = add_contact(db, {"full_name": "Zed Own", "identified_on": "2026-02-01"}, today=TODAY)
    log_event(
        db, {"contact_id": zed, "kind": "contacted", "occurred_on": "2026-02-03"}, today=TODAY
    )
    return db


def test_an_import_is_recorded_with_what_it_added_and_filled(own: Database) -> None:
    result = import_file(own, LINKEDIN, today=TODAY)
    assert (result.new, result.updated, result.batch_id) == (2, 1, 1)
    [batch] = list_imports(own)
    assert {k: batch[k] for k in ("id", "file", "format", "added", "filled")} == {
        "id": 1,
        "file": "linkedin_connections.csv",
        "format": "linkedin",
        "added": 2,
        "filled": 1,
    }
    assert own.execute(
        "SELECT contact_id, field, before, after FROM import_fills ORDER BY field"
    ).fetchall() == [
        (1, "company", None, "Stadtwerke Nord"),
        (1, "connected_on", None, "2024-11-15"),
        (1, "linkedin_url", None, "https://www.linkedin.com/in/lukas-braeuer"),
        (1, "title", None, 'Manager, Grid "Smart" Systems'),
    ]


def test_undoing_an_import_restores_every_table_and_the_csv_export(
    own: Database, tmp_path: Path
) -> None:
    before, export_before = everything(own), csv_bytes(own, tmp_path / "before.csv")
    import_file(own, LINKEDIN, today=TODAY)
    assert everything(own) != before
    done = undo_import(own, 1)
    assert done.summary() == (
        "Undid import #1 (linkedin_connections.csv): removed 2 contacts, emptied 4 filled fields."
    )
    assert everything(own) == before
    assert csv_bytes(own, tmp_path / "after.csv") == export_before
    assert list_imports(own)[0]["undone_at"] is not None


def test_undo_keeps_a_contact_who_gained_a_step_and_says_why(own: Database) -> None:
    import_file(own, LINKEDIN, today=TODAY)
    amara = own.scalar("SELECT id FROM contacts WHERE full_name = 'Amara Nwosu'")
    log_event(own, {"contact_id": amara, "kind": "contacted", "occurred_on": TODAY}, today=TODAY)
    done = undo_import(own, 1)
    assert done.summary() == (
        "Undid import #1 (linkedin_connections.csv): removed 1 contact, emptied 4 filled fields. "
        f"Kept 1 contact who gained steps or referrals since: Amara Nwosu (#{amara}: 1 step)."
    )
    assert own.execute(
        "SELECT full_name, company, import_batch FROM contacts ORDER BY id"
    ).fetchall() == [
        ("Lukas Bräuer", None, None),
        ("Zed Own", None, None),
        ("Amara Nwosu", "Blue Harbor Logistics, Ltd.", None),
    ]


def test_undoing_twice_or_an_unknown_id_says_so_and_changes_nothing(own: Database) -> None:
    import_file(own, LINKEDIN, today=TODAY)
    undo_import(own, 1)
    after = everything(own)
    with pytest.raises(
        UndoRefused, match=r"^import #1 \(linkedin_connections.csv\) was already undone on "
    ):
        undo_import(own, 1)
    with pytest.raises(
        NotFoundError, match=r"^there is no import #7 \(`python -m lib.cli imports`"
    ):
        undo_import(own, 7)
    assert everything(own) == after


def test_the_cli_lists_and_undoes_imports(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(db_path).close()
    assert main(["import", str(LINKEDIN), "--db", str(db_path)]) == 0
    assert "undo it with: python -m lib.cli undo-import 1" in capsys.readouterr().err
    assert main(["imports", "--json", "--db", str(db_path)]) == 0
    [batch] = json.loads(capsys.readouterr().out)
    assert set(batch) >= {"id", "file", "format", "imported_at", "added", "filled"}
    assert (batch["id"], batch["added"], batch["filled"]) == (1, 3, 0)
    assert main(["undo-import", "1", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == (
        "Undid import #1 (linkedin_connections.csv): removed 3 contacts, emptied 0 filled fields.\n"
    )
    assert main(["undo-import", "1", "--db", str(db_path)]) == 1
    assert capsys.readouterr().err.startswith(
        "error: import #1 (linkedin_connections.csv) was already undone on "
    )
    assert main(["undo-import", "42", "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == (
        "error: there is no import #42 (`python -m lib.cli imports` lists them)\n"
    )
    with pytest.raises(SystemExit) as usage:
        main(["undo-import", "x", "--db", str(db_path)])
    assert usage.value.code == 2


def test_undoing_a_full_csv_import_with_steps_restores_every_table(
    own: Database, tmp_path: Path
) -> None:
    """Our own CSV brings people and their steps (some referred by others): undo takes all."""
    source = tmp_path / "source.duckdb"
    with open_database(source) as other:
        load_demo(other, contacts=30, today=TODAY)
        exporters.write_export(other, "csv", tmp_path / "everything.csv", today=TODAY)
    before, export_before = everything(own), csv_bytes(own, tmp_path / "before.csv")
    result = import_file(own, tmp_path / "everything.csv", today=TODAY)
    assert result.new == 30 and result.events_added > 0
    done = undo_import(own, result.batch_id)
    assert (done.removed, done.events_removed) == (30, result.events_added)
    assert everything(own) == before
    assert csv_bytes(own, tmp_path / "after.csv") == export_before


def test_imports_of_a_file_from_before_batches_is_an_empty_list(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = duckdb.connect(str(db_path))  # a file as the release before batches left it
    migrations.migrate(con, target=migrations.MIGRATIONS[-2][0])
    con.close()
    assert main(["imports", "--json", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == "[]\n"
