"""User settings kept in the database: weekly goals and the elevator pitch."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from lib.core.errors import ValidationError
from lib.core.validation import clean_text
from lib.core.vocab import GOAL_KEYS
from lib.store.db import Database

# Weekly goals per step. "searching" suits someone looking full time, "employed" someone
# networking around a job.
GOAL_PRESETS: dict[str, dict[str, int]] = {
    "searching": {
        "targets": 10,
        "contacted": 5,
        "info_interview": 2,
        "referral_asked": 5,
        "thank_you": 5,
        "follow_up": 3,
        "calls": 15,
    },
    "employed": {
        "targets": 3,
        "contacted": 2,
        "info_interview": 1,
        "referral_asked": 2,
        "thank_you": 2,
        "follow_up": 1,
        "calls": 5,
    },
}
DEFAULT_GOALS = GOAL_PRESETS["searching"]
MAX_PITCH = 5_000


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    """A setting's stored value, or `default` when unset (or the table is missing)."""
    try:
        raw = db.scalar("SELECT value FROM settings WHERE key = ?", [key])
    except duckdb.CatalogException:  # a file made by another tool may have no settings table
        return default
    return default if raw is None else json.loads(raw)


def put_setting(db: Database, key: str, value: Any) -> None:
    """Store one setting (JSON-encoded) inside an open transaction."""
    db.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, json.dumps(value)]
    )


def set_setting(db: Database, key: str, value: Any) -> None:
    """Store one setting in its own transaction."""
    with db.transaction():
        put_setting(db, key, value)


def weekly_goals(db: Database) -> dict[str, int]:
    """The user's weekly goals, defaults filled in."""
    stored = get_setting(db, "weekly_goals", {}) or {}
    return {key: int(stored.get(key, DEFAULT_GOALS[key])) for key in GOAL_KEYS}


def set_weekly_goals(db: Database, goals: dict[str, Any]) -> dict[str, int]:
    """Validate and store the given weekly goals (whole numbers 0–500); return all of them."""
    unknown = sorted(set(goals) - set(GOAL_KEYS))
    if unknown:
        raise ValidationError(unknown[0], f"is not a weekly goal (one of {', '.join(GOAL_KEYS)})")
    current = weekly_goals(db)
    clean: dict[str, int] = {}
    for key in GOAL_KEYS:
        value = goals.get(key, current[key])
        if isinstance(value, bool):
            raise ValidationError(key, f"{value!r} is not a whole number")
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: float("inf")
            raise ValidationError(key, f"{value!r} is not a whole number") from None
        if isinstance(value, float) and value != number:
            raise ValidationError(key, f"{value!r} is not a whole number")
        if not 0 <= number <= 500:
            raise ValidationError(key, f"{number} is outside 0–500")
        clean[key] = number
    set_setting(db, "weekly_goals", clean)
    return clean


def get_pitch(db: Database) -> str:
    """The saved elevator pitch ('' when none)."""
    return str(get_setting(db, "pitch", "") or "")


def save_pitch(db: Database, text: str, your_name: str | None = None) -> None:
    """Validate and save the pitch and the name the templates sign with."""
    pitch = clean_text("pitch", text, limit=MAX_PITCH) or ""
    name = clean_text("your_name", your_name, limit=200) or ""
    with db.transaction():
        put_setting(db, "pitch", pitch)
        put_setting(db, "your_name", name)


def get_your_name(db: Database) -> str:
    """The name the templates sign with ('' when unset)."""
    return str(get_setting(db, "your_name", "") or "")


# Whether a redacted view (the shared view, a redacted report) may name target companies.
COMPANIES_IN_SHARED_VIEW = "companies_in_shared_view"


def companies_in_shared_view(db: Database) -> bool:
    """True when the user allows company names in the shared view (off by default)."""
    return get_setting(db, COMPANIES_IN_SHARED_VIEW, False) is True


def set_companies_in_shared_view(db: Database, allowed: Any) -> None:
    """Allow (or stop) company names in the shared view and redacted reports."""
    if not isinstance(allowed, bool):
        raise ValidationError(COMPANIES_IN_SHARED_VIEW, f"{allowed!r} is not yes or no")
    set_setting(db, COMPANIES_IN_SHARED_VIEW, allowed)


def company_names_shown(db: Database, *, redact: bool) -> bool:
    """Target companies are named unless redacted, and when redacted only if allowed."""
    return not redact or companies_in_shared_view(db)
