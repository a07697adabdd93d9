"""One description of the columns (lib.core.columns): true to the schema a file migrates to."""

from __future__ import annotations

from lib.core.columns import (
    BACKUP_TABLES,
    BOOKKEEPING_TABLES,
    CONTACTS,
    EVENTS,
    column_types,
    csv_header,
)
from lib.core.validation import CONTACT_FIELDS, EVENT_FIELDS
from lib.engine.directory import CONTACT_DATES
from lib.io.importing.plan import OTHER_FILLS, TEXT_FILLS
from lib.store.db import Database
from tests.support import schema


def test_every_table_of_a_migrated_file_is_described_column_by_column(db: Database):
    tables = schema(db)

    assert sorted(tables) == sorted([*(t.name for t in BACKUP_TABLES), *BOOKKEEPING_TABLES])
    for table in BACKUP_TABLES:
        assert [(c.name, c.sql_type) for c in table.columns] == tables[table.name], table.name


def test_the_not_null_columns_are_the_required_ones(db: Database):
    not_null = db.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND is_nullable = 'NO' ORDER BY ALL"
    ).fetchall()
    required = sorted((t.name, c.name) for t in BACKUP_TABLES for c in t.columns if c.required)
    assert required == [row for row in not_null if row[0] not in BOOKKEEPING_TABLES]


def test_a_column_name_two_tables_share_has_one_type_and_the_header_each_once():
    types = column_types()
    for table in BACKUP_TABLES:
        for c in table.columns:
            assert types[c.header] == c.sql_type, (table.name, c.name)
    header = csv_header()
    assert len(header) == len(set(header))
    assert header[:3] == ("record", "id", "full_name")


def test_the_lists_that_derive_from_the_description():
    assert CONTACTS.names(entered=True) == CONTACT_FIELDS  # the validation layer's own list
    assert set(EVENT_FIELDS) <= set(EVENTS.names(entered=True))
    assert TEXT_FILLS == ("company", "title", "email", "phone", "linkedin_url", "notes")
    assert OTHER_FILLS == ("connected_on",)
    assert CONTACT_DATES == ("identified_on", "connected_on")
    assert CONTACTS.names(form=True) == (
        "full_name",
        "company",
        "title",
        "email",
        "phone",
        "linkedin_url",
        "notes",
        "source",
        "referred_by",
        "may_use_name",
        "identified_on",
    )
