"""Target companies: add, edit, archive, delete, merge (undoable) and import a list of names.

A company is a target the user chose (LAMP's list of employers). Contacts are linked to it
by the matching key (`lib.core.keys.company_key`): adding a company links the people whose
company text has its key; their text stays as they wrote it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lib.core.errors import NotFoundError, ValidationError
from lib.core.keys import company_key, company_key_sql
from lib.core.validation import MAX_NAME, clean_company, clean_id
from lib.core.words import counted
from lib.store.db import Database

# The columns a merge fills on the kept company when blank there (notes are appended).
MERGE_FILLS: tuple[str, ...] = ("website", "motivation", "posting")
# A list of names larger than this is not one (the CLI's file, the page's upload).
MAX_LIST_BYTES = 50_000_000
# The header words that name the column of company names in a CSV list.
NAME_HEADERS: tuple[str, ...] = ("name", "company", "company name", "organization", "employer")


@dataclass(frozen=True)
class CompanyAdded:
    """What adding a company did: its id, whether it was new, and what to tell the user."""

    company_id: int
    added: bool
    message: str


def require_company(db: Database, company_id: Any, field: str = "company_id") -> int:
    """Return the id when the company exists, else raise NotFoundError."""
    number = clean_id(field, company_id, required=True)
    if not db.scalar("SELECT count(*) FROM companies WHERE id = ?", [number]):
        raise NotFoundError(f"there is no company with id {number}")
    return number


def get_company(db: Database, company_id: int) -> dict[str, Any]:
    """One company's stored fields as a dict."""
    result = db.execute("SELECT * FROM companies WHERE id = ?", [company_id])
    row = result.fetchone()
    if row is None:
        raise NotFoundError(f"there is no company with id {company_id}")
    return dict(zip([column[0] for column in result.description], row, strict=True))


def company_by_key(db: Database, name: str | None) -> int | None:
    """The id of the company whose matching key is `name`'s, or None."""
    key = company_key(name)
    if key is None:
        return None
    found = db.scalar("SELECT min(id) FROM companies WHERE key = ?", [key])
    return None if found is None else int(found)


def link_contacts(db: Database, contact_ids: list[int] | None = None) -> int:
    """Link unlinked contacts (all, or `contact_ids`) to the company with their key; how many."""
    if not db.scalar("SELECT count(*) FROM companies"):
        return 0
    only = "" if contact_ids is None else "AND contacts.id IN (SELECT unnest($ids::INTEGER[]))"
    rows = db.execute(
        "UPDATE contacts SET company_id = co.id FROM companies co "
        "WHERE contacts.company_id IS NULL AND contacts.company IS NOT NULL "
        f"AND co.key = {company_key_sql('contacts.company')} {only} RETURNING contacts.id",
        {} if contact_ids is None else {"ids": contact_ids},
    ).fetchall()
    return len(rows)


def add_company(db: Database, data: Mapping[str, Any]) -> CompanyAdded:
    """Validate and add one target company, or merge it into the one with the same key."""
    clean = clean_company(data)
    key = company_key(clean["name"])
    if key is None:
        raise ValidationError("name", f"{clean['name']!r} has no letter or digit")
    with db.transaction():
        known = company_by_key(db, clean["name"])
        if known is not None:
            before = get_company(db, known)
            fills = {c: clean[c] for c in MERGE_FILLS if before[c] is None and clean[c] is not None}
            if clean.get("notes") and clean["notes"] != before["notes"]:
                fills["notes"] = "\n\n".join(n for n in (before["notes"], clean["notes"]) if n)
            if fills:
                sets = ", ".join(f"{c} = ?" for c in fills)  # our own column names
                db.execute(f"UPDATE companies SET {sets} WHERE id = ?", [*fills.values(), known])
            return CompanyAdded(
                known,
                False,
                f"{clean['name']} is already a target company, as "
                f"{before['name']} (same name once case, punctuation and Inc./Ltd. go): "
                "merged into it" + (f", filled {', '.join(fills)}" if fills else ""),
            )
        columns = list(clean)
        new_id = int(
            db.execute(
                f"INSERT INTO companies (id, key, {', '.join(columns)}) "
                f"VALUES (nextval('companies_id_seq'), ?, {', '.join('?' for _ in columns)}) "
                "RETURNING id",
                [key, *clean.values()],
            ).fetchone()[0]
        )
        linked = link_contacts(db)
    people = f" ({counted(linked, 'person', 'people')} you know there linked)" if linked else ""
    return CompanyAdded(new_id, True, f"Added {clean['name']} to your target companies{people}")


def update_company(db: Database, company_id: int, changes: Mapping[str, Any]) -> None:
    """Validate and apply changes to one company (a new name takes a key no other company has)."""
    clean = clean_company(changes, partial=True)
    with db.transaction():
        require_company(db, company_id)
        if "name" in clean:
            key = company_key(clean["name"])
            if key is None:
                raise ValidationError("name", f"{clean['name']!r} has no letter or digit")
            other = db.execute(
                "SELECT id, name FROM companies WHERE key = ? AND id <> ?", [key, company_id]
            ).fetchone()
            if other is not None:
                raise ValidationError(
                    "name",
                    f"{clean['name']} is the same company as {other[1]} (id {other[0]}): "
                    "merge the two instead",
                )
            clean["key"] = key
        if clean:
            sets = ", ".join(f"{c} = ?" for c in clean)  # names checked by clean_company
            db.execute(f"UPDATE companies SET {sets} WHERE id = ?", [*clean.values(), company_id])
        if "key" in clean:
            link_contacts(db)


def archive_company(db: Database, company_id: int, archived: bool = True) -> None:
    """Archive a company (off the target list, its links kept) or bring it back."""
    with db.transaction():
        require_company(db, company_id)
        db.execute("UPDATE companies SET archived = ? WHERE id = ?", [archived, company_id])


def delete_company(db: Database, company_id: int) -> int:
    """Delete a company; its people stay (their company text too), unlinked. How many."""
    with db.transaction():
        require_company(db, company_id)
        people = db.execute(
            "UPDATE contacts SET company_id = NULL WHERE company_id = ? RETURNING id",
            [company_id],
        ).fetchall()
        db.execute("DELETE FROM companies WHERE id = ?", [company_id])
    return len(people)


@dataclass(frozen=True)
class CompanyMerge:
    """What merging two companies did."""

    merge_id: int
    kept_id: int
    removed_id: int
    filled: tuple[str, ...]
    moved_contacts: int

    def summary(self, removed_name: str) -> str:
        """One line for the user."""
        filled = f"; filled {', '.join(self.filled)}" if self.filled else ""
        moved = counted(self.moved_contacts, "person", "people")
        return f"Merged {removed_name} into company {self.kept_id}: moved {moved}{filled}"


def _as_json(row: dict[str, Any]) -> str:
    return json.dumps(
        {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in row.items()}
    )


def merge_companies(db: Database, keep_id: int, other_id: int) -> CompanyMerge:
    """Keep one company, move the other's people to it, fill its blanks; undoable."""
    with db.transaction():
        keep_id = require_company(db, keep_id, "keep")
        other_id = require_company(db, other_id, "other")
        if keep_id == other_id:
            raise ValidationError("other", "is the same company as the one kept")
        before, other = get_company(db, keep_id), get_company(db, other_id)
        changes = {c: other[c] for c in MERGE_FILLS if before[c] is None and other[c] is not None}
        if other["notes"] and other["notes"] != before["notes"]:
            changes["notes"] = "\n\n".join(n for n in (before["notes"], other["notes"]) if n)
        if changes:
            sets = ", ".join(f"{c} = ?" for c in changes)  # our own column names
            db.execute(f"UPDATE companies SET {sets} WHERE id = ?", [*changes.values(), keep_id])
        moved = [
            int(r[0])
            for r in db.execute(
                "UPDATE contacts SET company_id = ? WHERE company_id = ? RETURNING id",
                [keep_id, other_id],
            ).fetchall()
        ]
        db.execute("DELETE FROM companies WHERE id = ?", [other_id])
        after = get_company(db, keep_id)
        merge_id = int(
            db.execute(
                "INSERT INTO company_merges (id, kept_id, removed_id, kept_before, kept_after, "
                "removed, moved_contacts) VALUES (nextval('company_merges_id_seq'), "
                "?, ?, ?, ?, ?, ?) RETURNING id",
                [keep_id, other_id, _as_json(before), _as_json(after), _as_json(other), moved],
            ).fetchone()[0]
        )
    filled = tuple(c for c in (*MERGE_FILLS, "notes") if c in changes)
    return CompanyMerge(merge_id, keep_id, other_id, filled, len(moved))


def undo_company_merge(db: Database, merge_id: int) -> int:
    """Bring the merged-away company back with its people; return its id."""
    with db.transaction():
        row = db.execute(
            "SELECT kept_id, removed_id, kept_before, kept_after, removed, moved_contacts, "
            "undone_at FROM company_merges WHERE id = ?",
            [merge_id],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"there is no company merge with id {merge_id}")
        kept_id, removed_id, before, after, removed, moved, undone_at = row
        if undone_at is not None:
            raise ValidationError("merge", "was already undone")
        if db.scalar("SELECT count(*) FROM companies WHERE id = ?", [removed_id]):
            raise ValidationError("merge", f"cannot be undone: id {removed_id} is in use again")
        before, after, removed = json.loads(before), json.loads(after), json.loads(removed)
        if db.scalar("SELECT count(*) FROM companies WHERE key = ?", [removed["key"]]):
            raise ValidationError(
                "merge", f"cannot be undone: another company is now called {removed['name']}"
            )
        columns = list(removed)  # the table's own column names, as stored
        db.execute(
            f"INSERT INTO companies ({', '.join(columns)}) SELECT "
            + ", ".join(f"${c}" for c in columns),
            removed,
        )
        now = (
            get_company(db, kept_id)
            if db.scalar("SELECT count(*) FROM companies WHERE id = ?", [kept_id])
            else None
        )
        if now is not None:
            # Put back only what the merge changed and nobody has edited since.
            restore = {
                c: before[c]
                for c in (*MERGE_FILLS, "notes")
                if before[c] != after[c] and now[c] == after[c]
            }
            if restore:
                sets = ", ".join(f"{c} = ?" for c in restore)
                db.execute(
                    f"UPDATE companies SET {sets} WHERE id = ?", [*restore.values(), kept_id]
                )
        db.execute(
            "UPDATE contacts SET company_id = ? WHERE company_id = ? "
            "AND list_contains(?::INTEGER[], id)",
            [removed_id, kept_id, list(moved)],
        )
        db.execute(
            "UPDATE company_merges SET undone_at = current_timestamp WHERE id = ?", [merge_id]
        )
    return int(removed_id)


@dataclass
class CompaniesImported:
    """What importing a list of company names did."""

    added: list[int] = field(default_factory=list)
    # (the name as the list wrote it, the company it was merged into) per duplicate
    merged: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "line 4: name: …"
    linked: int = 0

    def summary(self) -> str:
        """One line like "3 companies added, 1 merged (ACME Inc into Acme), 0 skipped"."""
        parts = [f"{counted(len(self.added), 'company', 'companies')} added"]
        shown = "; ".join(f"{name} into {into}" for name, into in self.merged[:3])
        more = f"; and {len(self.merged) - 3:,} more" if len(self.merged) > 3 else ""
        parts.append(
            f"{len(self.merged):,} merged as the same company"
            + (f" ({shown}{more})" if shown else "")
        )
        skipped = "; ".join(self.skipped[:3]) + (
            f"; and {len(self.skipped) - 3:,} more" if len(self.skipped) > 3 else ""
        )
        parts.append(f"{len(self.skipped):,} skipped" + (f" ({skipped})" if skipped else ""))
        if self.linked:
            parts.append(f"{counted(self.linked, 'person', 'people')} you know there linked")
        return ", ".join(parts)


def decode_names(data: bytes) -> str:
    """A list's bytes as text: UTF-8 (a byte-order mark dropped), else Windows-1252."""
    if len(data) > MAX_LIST_BYTES:
        raise ValidationError("file", "is too large for a list of company names")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_company_names(text: str) -> list[tuple[int, str]]:
    """The names in a list: one per line, or a CSV whose header has a Name or Company column.

    Returns (line number, name) pairs; blank lines are left out.
    """
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines:
        return []
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    column = next((header.index(h) for h in NAME_HEADERS if h in header), None)
    if column is None or len(header) < 2 and header[0] not in NAME_HEADERS:
        return [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    return [
        (number, row[column].strip())
        for number, row in enumerate(rows[1:], 2)
        if column < len(row) and row[column].strip()
    ]


def import_companies(db: Database, text: str) -> CompaniesImported:
    """Add every name of a list as a target company, one transaction; duplicates by key merge.

    A name whose key is already a company (or came earlier in the list) is merged into it
    and said so; a name that cannot be a company (too long, no letter or digit) is skipped.
    """
    result = CompaniesImported()
    wanted: dict[str, str] = {}  # key → the name first written for it
    for number, name in read_company_names(text):
        key = company_key(name)
        if key is None or len(name) > MAX_NAME:
            reason = (
                "has no letter or digit" if key is None else f"is too long (at most {MAX_NAME})"
            )
            result.skipped.append(f"line {number}: name: {reason}")
        elif key in wanted:
            result.merged.append((name, wanted[key]))
        else:
            wanted[key] = name
    with db.transaction():
        known = dict(
            db.execute(
                "SELECT key, name FROM companies WHERE key IN (SELECT unnest($keys::VARCHAR[]))",
                {"keys": list(wanted)},
            ).fetchall()
        )
        result.merged.extend((name, known[key]) for key, name in wanted.items() if key in known)
        new = {key: name for key, name in wanted.items() if key not in known}
        if new:
            result.added = [
                int(r[0])
                for r in db.execute(
                    "INSERT INTO companies (id, name, key) SELECT nextval('companies_id_seq'), "
                    "n, k FROM (SELECT unnest($names::VARCHAR[]) AS n, "
                    "unnest($keys::VARCHAR[]) AS k) RETURNING id",
                    {"names": list(new.values()), "keys": list(new)},
                ).fetchall()
            ]
            result.added.sort()
            result.linked = link_contacts(db)
    return result
