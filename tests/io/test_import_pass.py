"""One pass for an import: read → plan (reads only) → write (writes only), once per batch;
the format sniffed once."""

from __future__ import annotations

from pathlib import Path

import pytest

import lib.io.importing as importing
from lib.core.columns import BACKUP_TABLES
from lib.io.importing import apply as apply_module
from lib.io.importing import import_file, plan_import, read_import
from lib.records.contacts import add_contact
from lib.store.db import Database
from tests.conftest import TODAY

LINKEDIN = Path(__file__).parents[1] / "fixtures" / "linkedin_connections.csv"


def state(db: Database) -> tuple:
    """Every backed-up table's rows and every sequence's position."""
    tables = tuple(
        tuple(db.execute(f"SELECT * FROM {t.name} ORDER BY ALL").fetchall()) for t in BACKUP_TABLES
    )
    sequences = db.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences()"
        " WHERE database_name = current_database() ORDER BY 1"
    ).fetchall()
    return tables, tuple(sequences)


def test_a_plan_writes_nothing(db: Database):
    add_contact(db, {"full_name": "Lukas Bräuer", "email": "lukas.b@example.com"}, today=TODAY)
    before = state(db)

    plan = plan_import(db, read_import(LINKEDIN.read_bytes(), today=TODAY))

    assert (plan.count("new"), plan.count("update")) == (2, 1)
    assert state(db) == before


def test_each_batch_is_planned_once_then_written_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("lib.io.importing.model.BATCH_PEOPLE", 1)
    calls: list[str] = []
    plan, write = apply_module.plan_import, apply_module.write_plan

    def planned(*args, **kwargs):
        calls.append("plan")
        return plan(*args, **kwargs)

    def written(*args, **kwargs):
        calls.append("write")
        return write(*args, **kwargs)

    monkeypatch.setattr(apply_module, "plan_import", planned)
    monkeypatch.setattr(apply_module, "write_plan", written)

    result = import_file(db, LINKEDIN, today=TODAY)

    assert result.summary() == "3 new contacts, 0 updated, 0 skipped"
    assert calls == ["plan", "write"] * 3


def test_an_upload_sniffs_its_format_once(monkeypatch: pytest.MonkeyPatch):
    seen: list[str] = []
    vcard, table = importing.looks_like_vcard, importing.detect_format

    def looks(head):
        seen.append("vcard?")
        return vcard(head)

    def detect(text):
        seen.append("table?")
        return table(text)

    monkeypatch.setattr(importing, "looks_like_vcard", looks)
    monkeypatch.setattr("lib.io.importing.text.looks_like_vcard", looks)
    monkeypatch.setattr(importing, "detect_format", detect)

    parsed = read_import(LINKEDIN.read_bytes(), today=TODAY)

    assert parsed.format == "linkedin"
    assert seen == ["vcard?", "table?"]


def test_a_batch_is_written_when_its_text_grows_long_not_only_its_people(
    monkeypatch: pytest.MonkeyPatch,
):
    from lib.io.importing.model import ParsedImport

    monkeypatch.setattr("lib.io.importing.model.BATCH_CHARS", 50_000)
    batches: list[int] = []

    def written(parsed: ParsedImport) -> None:
        batches.append(len(parsed.contacts))
        parsed.contacts = []

    parsed = ParsedImport("vcard", "card", on_batch=written)
    for n in range(12):
        parsed.add_contact(n + 1, {"full_name": f"Person {n}", "notes": "x" * 9_990}, today=TODAY)

    assert batches == [5, 5]  # 5 people × 10,000 characters reach 50,000
    assert len(parsed.contacts) == 2
