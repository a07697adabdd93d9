"""The commands that put data in and take it out: init, demo, import, imports, undo-import,
export."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lib.cli.common import open_db, open_existing, open_for_reading, progress
from lib.core.errors import ValidationError
from lib.core.words import counted
from lib.engine import stats
from lib.store import outputs
from lib.store.db import resolve_db_path


def cmd_init(args: argparse.Namespace) -> int:
    """Create the database with the current schema (no-op on an existing one)."""
    existed = bool(args.db_path_exists)
    db = open_db(args, write=True)  # creating and migrating is all there is to do
    db.close()
    print(f"{'Database ready' if existed else 'Created'}: {db.path}")
    return 0


def sample_loaded(path: object, contacts: int, events: int) -> str:
    """What `demo` prints: `Loaded the sample network into PATH: 50 contacts, 199 events`."""
    return (
        f"Loaded the sample network into {path}: {counted(contacts, 'contact')}, "
        f"{counted(events, 'event')}"
    )


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the deterministic sample network into an empty database (or remove it)."""
    from lib.io import demo, demo_removal

    if args.remove:
        with open_existing(args) as db:
            print(demo_removal.remove_demo(db, confirmed=args.yes))
        return 0
    demo.check_size(args.contacts, args.events)  # before the file is created
    with open_db(args, write=True) as db:
        made = demo.load_demo(
            db,
            contacts=args.contacts,
            events=args.events,
            seed=args.seed,
            progress=progress,
        )
    print(sample_loaded(db.path, *made))
    return 0


def cmd_imports(args: argparse.Namespace) -> int:
    """List every recorded import, newest first."""
    from lib.core.words import human_moment
    from lib.io.importing.batches import list_imports, what_it_brought
    from lib.records.suggestions import open_by_batch

    with open_for_reading(args) as db:
        batches = list_imports(db)
        waiting = open_by_batch(db) if batches else {}
    if args.json:
        print(json.dumps(batches))
        return 0
    if not batches:
        print("No imports recorded yet.")
        return 0
    for batch in batches:
        state = f"  undone {human_moment(batch['undone_at'])}" if batch["undone_at"] else ""
        print(
            f"#{batch['id']:<4} {human_moment(batch['imported_at'])}  {batch['file']} "
            f"({batch['format']}): {what_it_brought(batch, waiting)}{state}"
        )
    return 0


def cmd_undo_import(args: argparse.Namespace) -> int:
    """Undo one import: remove the contacts it added, empty the blanks it filled."""
    from lib.io.importing.batches import undo_import

    with open_existing(args) as db:
        done = undo_import(db, args.id)
    print(done.summary())
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a LinkedIn, Google, Outlook, Thunderbird, Yahoo, vCard or Warm Leads CSV file."""
    from lib.io import importing

    _require_input(args.path)  # before the database is opened (or created)
    with open_db(args, write=True) as db:
        result = importing.import_file(
            db,
            args.path,
            format=args.format,
            strict=args.strict,
            dry_run=args.dry_run,
            progress=progress,
        )
    label = importing.FORMAT_LABELS[result.format]
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if result.batch_id is not None and not result.dry_run and (result.new or result.updated):
        print(f"  undo it with: python -m lib.cli undo-import {result.batch_id}", file=sys.stderr)
    for problem in result.skipped:
        print(f"  skipped {problem}", file=sys.stderr)
    for warning in result.warnings:
        print(f"  warning: {warning}", file=sys.stderr)
    if result.nobody:
        count = len(result.skipped)
        what = counted(count, result.unit)  # "1 row", "2 cards"
        first = result.skipped[0]
        more = "; and others, listed above" if count > 1 else ""
        print(
            f"error: nobody was imported from {args.path} ({label}): {what} left out "
            f"({first}{more})",
            file=sys.stderr,
        )
        return 1
    verb = "Would import" if result.dry_run else "Imported"
    print(f"{verb} {args.path} ({label}): {result.summary()}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export contacts and events (csv), contacts (vcard) or due reminders (ics)."""
    from lib.io import exporters

    today = stats.make_period(as_of=args.as_of).as_of
    outputs.check_output(args.out, db_path=resolve_db_path(args.db), force=args.force)
    with open_for_reading(args) as db:
        result = exporters.write_export(
            db, args.format, args.out, today=today, progress=progress, force=args.force
        )
    print(result.summary())
    return 0


def _require_input(path: str) -> None:
    """Refuse a missing input file before anything is opened or created."""
    file = Path(path).expanduser()
    if not file.exists():
        raise ValidationError("file", f"{file} does not exist")
    if not file.is_file():
        raise ValidationError("file", f"{file} is not a file")
