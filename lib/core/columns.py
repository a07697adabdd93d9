"""Every column of every table that holds the user's data, described once.

A contact's and an event's columns are listed here, in the table's order, with the SQL
type they are stored as, the user's word for them and the places they take part in (the
form, an import, a merge, the Warm Leads CSV). The CSV export and import, the import's
plan and write, the demo generator and the directory derive their column lists from here:
a column added to the schema (a migration) is added here too, and
`tests/test_backup.py` fails until it is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a table, and where it takes part."""

    name: str
    sql_type: str  # as DuckDB stores it: VARCHAR, INTEGER, BOOLEAN, DATE, TIMESTAMP, INTEGER[]
    label: str  # the user's word for it
    # Given by the user (the contact form, a row of an imported file): lib.core.validation
    # checks it (`clean_contact`, `clean_event`, `clean_attempt`).
    entered: bool = False
    # An import may fill it on a contact already stored, when it is blank there.
    importable: bool = False
    # Merging two duplicates fills it on the kept contact from the one merged away.
    merged: bool = False
    # The contact form shows it (the add and edit forms).
    form: bool = False
    # The Warm Leads CSV writes it (every column of a backed-up table is: a whole backup).
    exported: bool = True
    csv_name: str | None = None  # the CSV's header for it, when it differs from `name`
    required: bool = False  # NOT NULL in the table

    @property
    def header(self) -> str:
        """The column's name in the Warm Leads CSV."""
        return self.csv_name or self.name


@dataclass(frozen=True)
class Table:
    """A table of the user's data, as the Warm Leads CSV carries it."""

    name: str
    record: str  # the CSV's `record` word for its rows
    columns: tuple[Column, ...]
    order_by: str  # a stable order for the export: our own column names

    def names(self, **flags: bool) -> tuple[str, ...]:
        """The names of the columns whose flags all have the given values, in table order."""
        return tuple(
            c.name
            for c in self.columns
            if all(getattr(c, flag) == wanted for flag, wanted in flags.items())
        )

    def column(self, name: str) -> Column:
        """The column called `name` (KeyError when there is none)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _text(name: str, label: str, **flags: bool) -> Column:  # a VARCHAR column
    return Column(name, "VARCHAR", label, **flags)


CONTACTS = Table(
    "contacts",
    "contact",
    (
        Column("id", "INTEGER", "Id", required=True),
        _text("full_name", "Name", entered=True, form=True, required=True),
        _text("company", "Company", entered=True, importable=True, merged=True, form=True),
        _text("title", "Title", entered=True, importable=True, merged=True, form=True),
        _text("email", "Email", entered=True, importable=True, merged=True, form=True),
        _text("phone", "Phone", entered=True, importable=True, merged=True, form=True),
        _text(
            "linkedin_url", "LinkedIn URL", entered=True, importable=True, merged=True, form=True
        ),
        _text("notes", "Notes", entered=True, importable=True, form=True),
        _text("source", "Source", entered=True, form=True),
        Column("referred_by", "INTEGER", "Referred by", entered=True, form=True),
        Column("may_use_name", "BOOLEAN", "May use their name", entered=True, form=True),
        Column("identified_on", "DATE", "Identified on", entered=True, form=True, required=True),
        Column("archived", "BOOLEAN", "Archived", entered=True, required=True),
        Column("connected_on", "DATE", "Connected on", entered=True, importable=True, merged=True),
        Column("created_at", "TIMESTAMP", "Written at"),
        Column("import_batch", "INTEGER", "Import"),
    ),
    "id",
)

EVENTS = Table(
    "events",
    "event",
    (
        Column("id", "INTEGER", "Id", required=True),
        Column("contact_id", "INTEGER", "Contact", entered=True, required=True),
        _text("kind", "Step", entered=True, required=True),
        Column("occurred_on", "DATE", "Date", entered=True, required=True),
        _text("channel", "Channel", entered=True),
        _text("notes", "Notes", entered=True),
        Column("created_at", "TIMESTAMP", "Written at"),
        _text("outcome", "Outcome", entered=True),
        Column("call_back_on", "DATE", "Call back on", entered=True),
        Column("import_batch", "INTEGER", "Import"),
    ),
    "id",
)

SETTINGS = Table(
    "settings",
    "setting",
    (
        _text("key", "Setting", required=True),
        _text("value", "Value", required=True),
    ),  # value: JSON text
    "key",
)

IMPORT_BATCHES = Table(
    "import_batches",
    "import_batch",
    (
        Column("id", "INTEGER", "Id", required=True),
        _text("file", "File", required=True),
        _text("format", "Kind of file", required=True),
        Column("imported_at", "TIMESTAMP", "Imported at", required=True),
        Column("added", "INTEGER", "Added", required=True),
        Column("filled", "INTEGER", "Filled", required=True),
        Column("events_added", "INTEGER", "Steps added", required=True),
        Column("undone_at", "TIMESTAMP", "Undone at"),
    ),
    "id",
)

IMPORT_FILLS = Table(
    "import_fills",
    "import_fill",
    (
        Column("batch_id", "INTEGER", "Import", required=True),
        Column("contact_id", "INTEGER", "Contact", required=True),
        _text("field", "Field", required=True),
        _text("before", "Before"),
        _text("after", "After"),
    ),
    "batch_id, contact_id, field",
)

CONTACT_MERGES = Table(
    "contact_merges",
    "merge",
    (
        Column("id", "INTEGER", "Id", required=True),
        Column("kept_id", "INTEGER", "Kept", required=True),
        Column("removed_id", "INTEGER", "Merged away", required=True),
        _text("kept_before", "Kept, before", required=True),  # JSON
        _text("kept_after", "Kept, after", required=True),  # JSON
        _text("removed", "Merged away, whole", required=True),  # JSON
        Column("moved_events", "INTEGER[]", "Steps moved", required=True),
        Column("moved_referrals", "INTEGER[]", "Referrals moved", required=True),
        Column("merged_at", "TIMESTAMP", "Merged at", required=True),
        Column("undone_at", "TIMESTAMP", "Undone at"),
    ),
    "id",
)

NOT_DUPLICATES = Table(
    "not_duplicates",
    "not_duplicate",
    (
        Column("low_id", "INTEGER", "Contact", required=True),
        Column("high_id", "INTEGER", "Other contact", required=True),
        Column("marked_at", "TIMESTAMP", "Marked at", required=True),
    ),
    "low_id, high_id, marked_at",
)

SUGGESTIONS = Table(
    "suggestions",
    "suggestion",
    (
        Column("id", "INTEGER", "Id", required=True),
        _text("source_id", "Source", required=True),
        Column("contact_id", "INTEGER", "Contact", required=True),
        _text("kind", "Step", required=True),
        Column("occurred_on", "DATE", "Date", required=True),
        _text("channel", "Channel"),
        _text("outcome", "Outcome"),
        _text("seen", "What it saw", required=True),
        _text("status", "Status", required=True),
        Column("event_id", "INTEGER", "Step logged"),
        Column("import_batch", "INTEGER", "Import"),
    ),
    "id",
)

# Every table that holds the user's data, in the order the Warm Leads CSV writes them.
BACKUP_TABLES: tuple[Table, ...] = (
    CONTACTS,
    EVENTS,
    SETTINGS,
    IMPORT_BATCHES,
    IMPORT_FILLS,
    CONTACT_MERGES,
    NOT_DUPLICATES,
    SUGGESTIONS,
)
# Tables of pure bookkeeping, not in a backup: `schema_migrations` records which
# migrations ran on this file (and when); the file a backup is restored into runs its own.
BOOKKEEPING_TABLES: tuple[str, ...] = ("schema_migrations",)


def csv_header() -> tuple[str, ...]:
    """The Warm Leads CSV's columns: `record`, then each table's columns in order, a name
    shared by two tables (`id`, `notes`, `contact_id`…) once, where it first appears."""
    header: list[str] = ["record"]
    for table in BACKUP_TABLES:
        for c in table.columns:
            if c.exported and c.header not in header:
                header.append(c.header)
    return tuple(header)


def column_types() -> dict[str, str]:
    """The CSV column → its SQL type (a name shared by two tables has one type in both)."""
    return {c.header: c.sql_type for table in BACKUP_TABLES for c in table.columns}


# The contact's columns a person gives (forms and imports), in table order
# (`lib.core.validation.CONTACT_FIELDS` spells the same list for the validation layer).
CONTACT_ENTERED: tuple[str, ...] = CONTACTS.names(entered=True)
# The columns an import may fill on a contact already stored, when blank there.
CONTACT_IMPORT_FILLS: tuple[str, ...] = CONTACTS.names(importable=True)
CONTACT_LABELS: dict[str, str] = {c.name: c.label for c in CONTACTS.columns}
EVENT_LABELS: dict[str, str] = {c.name: c.label for c in EVENTS.columns}
