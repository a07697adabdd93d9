"""Meeting the database: who in the file is new and who is already known (reads only).

A person in the file is the same as a contact already stored when (in this order) their
LinkedIn URLs, their emails, or their names and companies match — and, for a Warm Leads
CSV, first when the contact with the file's id has the same name. A known contact only
gets its blank fields filled. Matching runs in DuckDB over the whole file at once.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from lib.core.columns import CONTACT_IMPORT_FILLS
from lib.core.keys import email_key_sql, name_key_sql, url_key_sql
from lib.io.importing.decisions import decide_writes
from lib.io.importing.model import Candidate, ParsedImport
from lib.io.importing.plan import OTHER_FILLS, PLAN_COLUMNS, TEXT_FILLS, ImportPlan
from lib.io.staged import SeenRows, Staged
from lib.store.db import Database


def is_blank(value: Any) -> bool:
    """None, NA, NaN or whitespace: a field with nothing in it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and not value.strip()


def _match_rows(db: Database, contacts: list[Candidate]) -> pd.DataFrame:
    """For each candidate: its matching keys and the existing contact each key finds."""
    incoming = pd.DataFrame(
        {
            "row": [c.row for c in contacts],
            "file_id": pd.array([c.file_id for c in contacts], dtype="Int64"),
            "full_name": [c.fields["full_name"] for c in contacts],
            "company": [c.fields.get("company") for c in contacts],
            "email": [c.fields.get("email") for c in contacts],
            "linkedin_url": [c.fields.get("linkedin_url") for c in contacts],
        }
    )
    incoming = incoming.astype(
        {"full_name": "object", "company": "object", "email": "object", "linkedin_url": "object"}
    )

    def keys(prefix: str) -> str:
        return (
            f"lower(trim({prefix}full_name)) AS k_plain, "
            f"{url_key_sql(prefix + 'linkedin_url')} AS k_url, "
            f"{email_key_sql(prefix + 'email')} AS k_email, "
            f"{name_key_sql(prefix + 'full_name', prefix + 'company')} AS k_name"
        )

    staged = Staged(db, incoming)
    return staged.df(
        f"""
            WITH inc AS MATERIALIZED (SELECT row, file_id, {keys("")} FROM {staged.name}),
            ex AS (SELECT id, {keys("")} FROM contacts),
            -- Joined from the file's side: only the stored contacts that match are grouped,
            -- so a batch of a large import never holds every stored key at once.
            by_url AS (
                SELECT inc.row, min(ex.id) AS id FROM inc JOIN ex ON ex.k_url = inc.k_url
                GROUP BY 1
            ),
            by_email AS (
                SELECT inc.row, min(ex.id) AS id FROM inc JOIN ex ON ex.k_email = inc.k_email
                GROUP BY 1
            ),
            -- Namesakes: a different LinkedIn URL or e-mail tells two people apart.
            by_name AS (
                SELECT inc.row, min(ex.id) AS id FROM inc JOIN ex ON ex.k_name = inc.k_name
                WHERE coalesce(ex.k_url = inc.k_url, true)
                  AND coalesce(ex.k_email = inc.k_email, true)
                GROUP BY 1
            ),
            same_id AS (
                SELECT inc.row, ex.id FROM inc
                JOIN ex ON ex.id = inc.file_id AND ex.k_plain = inc.k_plain
            )
            SELECT inc.row, inc.k_url, inc.k_email, inc.k_name,
                   same_id.id AS id_match, by_url.id AS url_match,
                   by_email.id AS email_match, by_name.id AS name_match
            FROM inc
            LEFT JOIN same_id USING (row)
            LEFT JOIN by_url USING (row)
            LEFT JOIN by_email USING (row)
            LEFT JOIN by_name USING (row)
            ORDER BY inc.row
            """
    )


def _existing(db: Database, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    # Our own column names: what an import may fill, and the referrer it may set.
    columns = ", ".join(("id", *CONTACT_IMPORT_FILLS, "referred_by"))
    frame = db.df(
        f"SELECT {columns} FROM contacts WHERE id IN (SELECT unnest(?::INTEGER[]))", [ids]
    )
    return {int(r["id"]): r for r in frame.to_dict("records")}


def plan_import(
    db: Database,
    parsed: ParsedImport,
    seen: SeenRows | None = None,
    *,
    chosen: Collection[int] | None = None,
) -> ImportPlan:
    """Match every person in the file against the database and decide what to write
    (reads only).

    `chosen` limits which new rows become targets (None: all of them). `seen` names the
    contacts earlier batches of the same file wrote: a row that matches one is a duplicate
    of that row, not an update.
    """
    native = parsed.format == "csv"
    contacts = parsed.contacts
    matched = _match_rows(db, contacts) if contacts else pd.DataFrame()
    earlier_rows: dict[int, int] = {}
    if seen is not None and contacts:
        found = matched[["id_match", "url_match", "email_match", "name_match"]].stack()
        earlier_rows = seen.lookup({int(i) for i in found.dropna()})
    plan = ImportPlan(parsed, pd.DataFrame(columns=list(PLAN_COLUMNS)))
    actions: dict[int, str] = {}
    matched_on: dict[int, str | None] = {}
    duplicate_of: dict[int, int] = {}
    first_by_key: dict[str, int] = {}
    claimed: dict[int, int] = {}
    keys: dict[int, tuple[Any, Any]] = {}  # row → (URL key, e-mail key)
    for candidate, match in zip(contacts, matched.itertuples(index=False), strict=True):
        row = candidate.row
        plan.fields[row] = candidate.fields  # copied only when a duplicate fills it
        how, contact_id = None, None
        for label, found in (
            ("id", match.id_match),
            ("LinkedIn URL", match.url_match),
            ("email", match.email_match),
            ("name and company", match.name_match),
        ):
            if not pd.isna(found):
                how, contact_id = label, int(found)
                break
        file_keys = []
        if not native:  # a Warm Leads CSV tells its people apart by id
            file_keys = [k for k in (match.k_url, match.k_email) if isinstance(k, str)]
            file_keys.append("name:" + match.k_name)
        keys[row] = (match.k_url, match.k_email)
        earlier = claimed.get(contact_id) if contact_id is not None else None
        if earlier is not None and how == "name and company" and _apart(keys[earlier], keys[row]):
            earlier, contact_id = None, None  # a namesake of the row that claimed it
        if earlier is None and earlier_rows and contact_id in earlier_rows:
            actions[row] = "duplicate"
            duplicate_of[row] = earlier_rows[contact_id]
            claimed[contact_id] = row
            plan.matches[row] = contact_id
            plan.repeats.add(row)
            continue
        if earlier is None:
            found = (first_by_key[k] for k in file_keys if k in first_by_key)
            earlier = next((r for r in found if not _apart(keys[r], keys[row])), None)
        if earlier is not None:
            actions[row] = "duplicate"
            duplicate_of[row] = earlier
            target = plan.fields[earlier] = dict(plan.fields[earlier])
            for name, value in candidate.fields.items():
                if is_blank(target.get(name)) and not is_blank(value):
                    target[name] = value
            continue
        for key in file_keys:
            first_by_key.setdefault(key, row)
        if contact_id is None:
            actions[row] = "new"
        else:
            claimed[contact_id] = row
            plan.matches[row] = contact_id
            matched_on[row] = how
    existing = _existing(db, sorted(claimed))
    plan.has_referrer = {i for i, r in existing.items() if not is_blank(r.get("referred_by"))}
    fills: dict[int, list[str]] = {}
    for row, contact_id in plan.matches.items():
        stored, incoming = existing[contact_id], plan.fields[row]
        fills[row] = [
            name
            for name in (*TEXT_FILLS, *OTHER_FILLS)
            if is_blank(stored.get(name)) and not is_blank(incoming.get(name))
        ]
        if row not in plan.repeats:
            actions[row] = "update" if fills[row] else "unchanged"
    for row, earlier in duplicate_of.items():
        if row not in plan.repeats:
            plan.first_row[row] = earlier

    records = []
    for candidate in contacts:
        row, values = candidate.row, plan.fields.get(candidate.row, candidate.fields)
        action = actions[row]
        reason = None
        if action == "duplicate":
            reason = f"same person as {parsed.unit} {duplicate_of[row]}"
        records.append(
            {
                "row": row,
                "action": action,
                "contact_id": plan.matches.get(row),
                "matched_on": matched_on.get(row),
                "fills": ", ".join(fills.get(row, [])) or None,
                "full_name": values.get("full_name"),
                "company": values.get("company"),
                "title": values.get("title"),
                "email": values.get("email"),
                "phone": values.get("phone"),
                "linkedin_url": values.get("linkedin_url"),
                "connected_on": values.get("connected_on"),
                "reason": reason,
            }
        )
    for problem in parsed.problems:
        records.append({"row": problem.where, "action": "skip", "reason": problem.reason})
    frame = pd.DataFrame.from_records(records, columns=list(PLAN_COLUMNS))
    frame["contact_id"] = frame["contact_id"].astype("Int64")
    for name in PLAN_COLUMNS[3:]:
        column = frame[name].astype(object)
        frame[name] = column.where(column.notna(), None)  # None, never NaN, for blanks
    plan.rows = frame.sort_values("row", kind="stable").reset_index(drop=True)
    decide_writes(db, plan, chosen, fills)
    return plan


def _apart(first: tuple[Any, Any], second: tuple[Any, Any]) -> bool:
    """Two rows are told apart by a LinkedIn URL or an e-mail both have and that differ."""
    pairs = zip(first, second, strict=True)
    return any(isinstance(a, str) and isinstance(b, str) and a != b for a, b in pairs)
