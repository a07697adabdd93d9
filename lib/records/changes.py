"""What a correction will do, said before it is done: stage and due lists before and after.

The change runs inside a transaction that is always rolled back, so the engine itself says
what moves (the same SQL as the due lists and `stats`), not a second copy of the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from lib.core.errors import NotFoundError
from lib.core.vocab import DUE_LIST, DUE_LISTS, STAGE_LABELS, STAGES
from lib.core.words import first_name
from lib.engine.stats import DUE_SQL, STAGED_SQL
from lib.records import corrections
from lib.store.db import Database


@dataclass(frozen=True)
class Standing:
    """Where one contact stands on a day: name, stage (1-based) and the due lists they are on."""

    name: str
    stage: int
    lists: frozenset[str]


def standing(db: Database, contact_id: int, day: date) -> Standing:
    """The contact's stage and due lists as of `day` (the engine's own SQL)."""
    row = db.execute(
        f"""
        WITH {STAGED_SQL}
        SELECT c.full_name, coalesce(s.stage, 1) FROM contacts c
        LEFT JOIN staged s ON s.id = c.id WHERE c.id = $id
        """,
        {"t": day, "from": None, "id": contact_id},
    ).fetchall()
    if not row:
        raise NotFoundError(f"there is no contact with id {contact_id}")
    flags = db.execute(
        f"SELECT {', '.join(DUE_LISTS)} FROM ({DUE_SQL}) WHERE id = $id",
        {"t": day, "from": None, "id": contact_id},
    ).fetchall()
    lists = {name for name, on in zip(DUE_LISTS, flags[0], strict=True) if on} if flags else set()
    return Standing(str(row[0][0]), int(row[0][1]), frozenset(lists))


def preview(
    db: Database, contact_id: int, day: date, change: Callable[[Database], Any]
) -> tuple[Standing, Standing]:
    """Run `change(db)` in a transaction that is rolled back; return (before, after)."""

    def measure(d: Database) -> tuple[Standing, Standing]:
        before = standing(d, contact_id, day)
        change(d)
        return before, standing(d, contact_id, day)

    return db.rolled_back(measure)


def _stage(number: int) -> str:
    return STAGE_LABELS[STAGES[number - 1]]


def describe(before: Standing, after: Standing) -> str:
    """One sentence: "Dana goes back from Thanked to Asked; she joins the Thank-you list"."""
    who = first_name(before.name)
    if after.stage < before.stage:
        parts = [f"{who} goes back from {_stage(before.stage)} to {_stage(after.stage)}"]
    elif after.stage > before.stage:
        parts = [f"{who} moves up from {_stage(before.stage)} to {_stage(after.stage)}"]
    else:
        parts = [f"{who} stays {_stage(before.stage)}"]
    for name in DUE_LISTS:
        if name in after.lists and name not in before.lists:
            parts.append(f"the {DUE_LIST.label(name).lower()} list will show {who}")
        elif name in before.lists and name not in after.lists:
            parts.append(f"{who} leaves the {DUE_LIST.label(name).lower()} list")
    if len(parts) == 1:
        parts.append("the due lists do not change")
    return "; ".join(parts) + "."


def edit_preview(db: Database, event_id: int, changes: dict[str, Any], day: date) -> str:
    """What editing this step does to its contact (validation errors raise, nothing written)."""
    event = corrections.get_event(db, event_id)
    before, after = preview(
        db,
        event["contact_id"],
        day,
        lambda d: corrections.edit_event(d, event_id, changes, today=day),
    )
    moved = corrections.moves_with(db, event_id, changes, today=day)
    return describe(before, after) + moved.sentence(done=False)


def delete_preview(
    db: Database, event_id: int, day: date, *, whole_conversation: bool, referrals: str
) -> str:
    """What deleting this step (or its conversation) does to its contact."""
    event = corrections.get_event(db, event_id)

    def change(d: Database) -> None:
        corrections.delete_event(
            d, event_id, whole_conversation=whole_conversation, referrals=referrals
        )

    return describe(*preview(db, event["contact_id"], day, change))
