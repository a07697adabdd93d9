"""The commands of suggested steps: import-activity, suggestions, confirm-suggestions."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from lib.cli.common import open_db, open_existing, open_for_reading
from lib.core.errors import ValidationError
from lib.core.words import counted


def today() -> date:
    """The day the commands take as today (one place, so a test can set it)."""
    return date.today()


def cmd_import_activity(args: argparse.Namespace) -> int:
    """Suggest steps from a call log, a mailbox or a calendar (written as one import batch)."""
    from lib.io.activity.apply import import_activity
    from lib.io.activity.model import UnknownActivityFormat

    file = Path(args.path).expanduser()
    if not file.is_file():  # before the database is opened (or created)
        raise ValidationError("file", f"{file} does not exist or is not a file")
    with open_db(args, write=True) as db:
        try:
            result = import_activity(
                db,
                file,
                format=args.format,
                dry_run=args.dry_run,
                my_addresses=args.my_address or None,
                today=today(),
            )
        except UnknownActivityFormat as exc:
            raise UnknownActivityFormat(f"{exc}; name its format with --format") from None
    if args.json:
        print(json.dumps(result.as_json()))
        return 0
    print(result.summary())
    if result.batch_id is not None and result.suggestions:
        print(
            "  review them with: python -m lib.cli suggestions; undo the import with: "
            f"python -m lib.cli undo-import {result.batch_id}",
            file=sys.stderr,
        )
    return 0


def cmd_suggestions(args: argparse.Namespace) -> int:
    """List the open suggestions, by day and person (future meetings under Coming up)."""
    from lib.core.vocab import ATTEMPT_OUTCOME, EVENT_KIND
    from lib.core.words import human_date
    from lib.records.suggestions import list_suggestions

    with open_for_reading(args) as db:
        rows = list_suggestions(db)
    if args.json:
        for row in rows:
            row["occurred_on"] = row["occurred_on"].isoformat()
        print(json.dumps(rows))
        return 0
    if not rows:
        print("No suggestions to confirm.")
        return 0
    print(f"{len(rows):,} to confirm")
    now = today()
    heading = None
    for row in rows:
        day = row["occurred_on"]
        title = "Coming up" if day > now else human_date(day)
        if title != heading:
            heading = title
            print(title)
        step = EVENT_KIND[row["kind"]].label
        if row["outcome"]:
            step += f" ({ATTEMPT_OUTCOME[row['outcome']].label.lower()})"
        print(f"  #{row['id']:<5} {row['full_name']}: {step} — {row['seen']}")
    return 0


def confirmed_words(count: int) -> str:
    """The last line of `confirm-suggestions`: `Confirmed 1 call attempt.`"""
    return f"Confirmed {counted(count, 'call attempt')}."


def cmd_confirm_suggestions(args: argparse.Namespace) -> int:
    """Confirm every open call attempt up to today, as the page's "Confirm all attempts"."""
    from lib.records.suggestions import confirm_attempts

    if not args.all_attempts:
        raise ValidationError("confirm-suggestions", "say what to confirm: --all-attempts")
    with open_existing(args) as db:
        logged = confirm_attempts(db, today=today())
    for step in logged:
        print(step.message)
    print(confirmed_words(len(logged)))
    return 0
