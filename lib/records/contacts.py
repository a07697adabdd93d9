"""Contacts: adding targets and referrals, editing, archiving, deleting, and reading one back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from lib.core.errors import EditConflictError, NotFoundError, ValidationError
from lib.core.keys import company_key
from lib.core.validation import CONTACT_FIELDS, clean_contact, clean_id
from lib.core.vocab import CONTACT_FIELD_LABELS
from lib.records.companies import company_by_key
from lib.store.db import Database


def contact_exists(db: Database, contact_id: int) -> bool:
    """True when a contact with this id exists."""
    return bool(db.scalar("SELECT count(*) FROM contacts WHERE id = ?", [contact_id]))


def check_referrer(db: Database, contact_id: int | None, referred_by: int | None) -> None:
    """A referrer must exist and must not make the referral chain a cycle."""
    if referred_by is None:
        return
    if not contact_exists(db, referred_by):
        raise ValidationError("referred_by", f"there is no contact with id {referred_by}")
    if contact_id is None:
        return
    if referred_by == contact_id:
        raise ValidationError("referred_by", "a contact cannot refer themselves")
    # Walk up from the new referrer; reaching this contact would close a loop.
    ancestors = db.execute(
        """
        WITH RECURSIVE up(id, depth) AS (
            SELECT ?::INTEGER, 0
            UNION ALL
            SELECT c.referred_by, up.depth + 1 FROM contacts c JOIN up ON c.id = up.id
            WHERE c.referred_by IS NOT NULL AND up.depth < 10000
        )
        SELECT count(*) FROM up WHERE id = ?
        """,
        [referred_by, contact_id],
    ).fetchone()[0]
    if ancestors:
        raise ValidationError(
            "referred_by", "that would make a referral loop (this person referred them)"
        )


def add_contact(
    db: Database,
    data: Mapping[str, Any],
    *,
    today: date | None = None,
    company_id: Any = None,
) -> int:
    """Validate and add one target (or referral); return its id.

    `company_id`: the target company they work at (a referral tagged with the company it
    leads into): a blank company text becomes its name; a text with another key is refused.
    Inside another action's transaction it joins it (a conversation's referrals).
    """
    clean = clean_contact(data, today=today or date.today())
    at = clean_id("company_id", company_id, required=False, what="target company id")
    with db.transaction():
        check_referrer(db, None, clean.get("referred_by"))
        if at is not None:
            clean["company"] = _company_text(db, at, clean.get("company"))
        columns = [f for f in CONTACT_FIELDS if f in clean]
        placeholders = ", ".join("?" for _ in columns)
        row = db.execute(
            f"INSERT INTO contacts (id, {', '.join(columns)}) "  # column names are our constants
            f"VALUES (nextval('contacts_id_seq'), {placeholders}) RETURNING id",
            [clean[c] for c in columns],
        ).fetchone()
        if at is None:
            at = company_by_key(db, clean.get("company"))
        if at is not None:  # a target company with its key: linked (none is made)
            db.execute("UPDATE contacts SET company_id = ? WHERE id = ?", [at, row[0]])
    return int(row[0])


def _company_text(db: Database, company_id: int, text: str | None) -> str:
    """The company text of someone added at a target company: theirs when it has the
    company's key, else (blank) the company's name; another company's name is refused."""
    found = db.execute("SELECT name, key FROM companies WHERE id = ?", [company_id]).fetchone()
    if found is None:
        raise ValidationError("company_id", f"there is no target company with id {company_id}")
    name, key = found
    if text is None:
        return str(name)
    if company_key(text) != key:
        raise ValidationError(
            "company",
            f"{text} is not {name}, the target company chosen for them: leave one of the two blank",
        )
    return text


def editable_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The stored fields of a contact that an edit form shows and a conflict compares."""
    return {field: _plain(record.get(field)) for field in CONTACT_FIELDS}


def _plain(value: Any) -> Any:
    """A value as a form compares it: blank text and missing are the same, numbers are ints."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float) and value != value:  # NaN from a DataFrame
        return None
    if hasattr(value, "item"):  # numpy scalars from a DataFrame
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The contact fields whose values differ between two versions, in the form's order."""
    return [f for f in CONTACT_FIELDS if _plain(before.get(f)) != _plain(after.get(f))]


def update_contact(
    db: Database,
    contact_id: int,
    changes: Mapping[str, Any],
    *,
    today: date | None = None,
    expected: Mapping[str, Any] | None = None,
) -> None:
    """Validate and apply changes to the given fields of one contact.

    With `expected` (the contact as the form showed it when opened), the save is refused
    with EditConflictError when the stored contact has changed since, so an edit made in
    another tab or window is never overwritten silently; the error holds both versions.
    """
    clean = clean_contact(changes, today=today or date.today(), partial=True)
    if not clean:
        require_contact(db, contact_id)  # nothing to write, but a missing contact is an error
        return
    with db.transaction():
        require_contact(db, contact_id)
        if expected is not None:
            saved = editable_fields(get_contact(db, contact_id))
            moved = changed_fields(expected, saved)
            if moved:
                raise EditConflictError(
                    f"{saved['full_name']} was changed elsewhere since you opened this form "
                    f"({', '.join(CONTACT_FIELD_LABELS[f] for f in moved)}); "
                    "nothing was saved. Compare both versions below.",
                    saved=saved,
                    opened=editable_fields(expected),
                    yours=dict(clean),
                )
        if "referred_by" in clean:
            check_referrer(db, contact_id, clean["referred_by"])
        if "company" in clean:  # a new key links to its target company, or to none
            stored = db.scalar("SELECT company FROM contacts WHERE id = ?", [contact_id])
            if company_key(stored) != company_key(clean["company"]):
                clean = {**clean, "company_id": company_by_key(db, clean["company"])}
        assignments = ", ".join(f"{c} = ?" for c in clean)  # names checked by clean_contact
        db.execute(f"UPDATE contacts SET {assignments} WHERE id = ?", [*clean.values(), contact_id])


def set_archived(db: Database, contact_id: int, archived: bool) -> None:
    """Archive (hide from due lists, keep in history) or bring a contact back."""
    with db.transaction():
        require_contact(db, contact_id)
        db.execute("UPDATE contacts SET archived = ? WHERE id = ?", [archived, contact_id])


def delete_contact(db: Database, contact_id: int) -> None:
    """Delete a contact and its events; the people they referred are kept."""
    with db.transaction():
        require_contact(db, contact_id)
        db.execute("DELETE FROM events WHERE contact_id = ?", [contact_id])
        db.execute(
            "UPDATE contacts SET referred_by = NULL, may_use_name = NULL WHERE referred_by = ?",
            [contact_id],
        )
        db.execute("DELETE FROM contacts WHERE id = ?", [contact_id])


def require_contact(db: Database, contact_id: Any, field: str = "contact_id") -> int:
    """Return the id when the contact exists, else raise NotFoundError."""
    number = clean_id(field, contact_id, required=True)
    if not contact_exists(db, number):
        raise NotFoundError(f"there is no contact with id {number}")
    return number


def get_contact(db: Database, contact_id: int) -> dict[str, Any]:
    """One contact's stored fields as a dict (not the import batch that added it)."""
    result = db.execute("SELECT * EXCLUDE (import_batch) FROM contacts WHERE id = ?", [contact_id])
    row = result.fetchone()
    if row is None:
        raise NotFoundError(f"there is no contact with id {contact_id}")
    return dict(zip([column[0] for column in result.description], row, strict=True))


def count_contacts(db: Database) -> int:
    """How many contacts the file holds (archived included)."""
    return int(db.scalar("SELECT count(*) FROM contacts"))
