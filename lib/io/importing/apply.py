"""Applying an import: one transaction around read, plan and write, a batch at a time when the
file is large, recorded as an import batch (undo it with `undo-import`), dry run or strict.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from lib.core.words import counted
from lib.io.importing.matching import plan_import
from lib.io.importing.model import BATCH_PEOPLE, ImportRejected, ParsedImport, Problem
from lib.io.importing.write import ImportResult, write_plan
from lib.io.staged import SeenRows
from lib.store.db import Database

Progress = Callable[[str], None]


def apply_import(
    db: Database,
    parsed: ParsedImport,
    *,
    chosen: Collection[int] | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    file_name: str | None = None,
) -> ImportResult:
    """Write the file in one transaction: new people (those `chosen`, by row), blanks filled.

    `chosen` limits which new rows become targets (None: all of them). With `strict`, any
    skipped row or dropped value rejects the whole file; with `dry_run` nothing is kept.
    The import is recorded as a batch named `file_name`, marking what it added and filled.
    """
    say = progress or (lambda _message: None)
    result = ImportResult(
        parsed.format, parsed.unit, warnings=list(parsed.warnings), notes=list(parsed.notes)
    )
    if strict:
        _reject_if_any(list(parsed.problems) + list(parsed.warnings))

    def body(db: Database) -> ImportResult:
        people = len(parsed.contacts)
        say(f"matching {counted(people, 'person', 'people')} against your network")
        plan = plan_import(db, parsed, chosen=chosen)
        batch = (
            None if plan.restore else start_batch(db, file_name or "(unnamed file)", parsed.format)
        )
        result.batch_id = batch
        say(_adding(len(plan.new_rows), dry_run=dry_run))
        write_plan(db, plan, result, batch=batch)
        result.skipped = sorted([*parsed.problems, *plan.duplicates], key=lambda p: p.where)
        _finish(db, result, strict=strict)
        return result

    return _one_transaction(db, body, dry_run=dry_run)


def import_in_batches(
    db: Database,
    read: Callable[[Callable[[ParsedImport], None]], ParsedImport],
    *,
    strict: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    file_name: str | None = None,
) -> ImportResult:
    """Read, match and write a file a batch of people at a time, all in one transaction.

    `read(flush)` parses the file and calls `flush(parsed)` whenever BATCH_PEOPLE people
    are waiting in `parsed.contacts`; each batch is matched and written, then let go, so
    memory stays bounded whatever the file's size. A person who repeats one an earlier
    batch wrote fills that contact's blanks and is counted as a duplicate, as in one pass.
    A Warm Leads CSV (ids, referrals, events across the file) is read whole instead.
    The import is recorded as one batch named `file_name`, whatever the number of flushes.
    """
    say = progress or (lambda _message: None)
    name = file_name or "(unnamed file)"
    state: dict[str, Any] = {"result": None, "done": 0, "repeats": []}

    def started(parsed: ParsedImport, *, restore: bool = False) -> ImportResult:
        if state["result"] is None:
            state["result"] = ImportResult(parsed.format, parsed.unit)
            if not restore:  # a restore is no batch of its own
                state["result"].batch_id = start_batch(db, name, parsed.format)
        return state["result"]

    def write(parsed: ParsedImport, seen: SeenRows | None) -> None:
        """One batch: plan it (reads only), then write it (writes only)."""
        if not state["done"]:
            people = len(parsed.contacts)
            say(f"matching {counted(people, 'person', 'people')} against your network")
        plan = plan_import(db, parsed, seen)
        result = started(parsed, restore=plan.restore)
        if not state["done"]:
            say(_adding(len(plan.new_rows), dry_run=dry_run))
        write_plan(db, plan, result, batch=result.batch_id, seen=seen)
        state["repeats"].extend(plan.duplicates)
        state["done"] += len(parsed.contacts)

    def flush(parsed: ParsedImport) -> None:
        batch = ParsedImport(parsed.format, parsed.unit, contacts=parsed.contacts)
        parsed.contacts = []
        if batch.contacts:
            write(batch, state["seen"])
            if state["done"] >= BATCH_PEOPLE:
                say(f"{counted(state['done'], 'person', 'people')} matched and written")

    def body(db: Database) -> ImportResult:
        state["seen"] = SeenRows(db)
        parsed = read(flush)
        if parsed.format == "csv":  # read whole: ids, referrals and events reach across it
            write(parsed, None)
        else:
            flush(parsed)
        result = started(parsed)
        result.warnings = [*parsed.warnings, *result.warnings]
        result.notes = [*parsed.notes, *result.notes]
        result.skipped = sorted([*parsed.problems, *state["repeats"]], key=lambda p: p.where)
        state["seen"].drop()
        _finish(db, result, strict=strict)
        return result

    return _one_transaction(db, body, dry_run=dry_run)


class _NobodyImported(Exception):
    """Raised inside the import's transaction to roll back a file that brought nobody."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("nobody was imported")
        self.result = result


def _one_transaction(
    db: Database, body: Callable[[Database], ImportResult], *, dry_run: bool
) -> ImportResult:
    """Run an import in one transaction; a dry run's is rolled back, and its counts kept.

    A file of which not one person could be taken (`ImportResult.nobody`) is rolled back
    too: no import batch is recorded for it and the file is not changed.
    """
    if dry_run:
        result = db.rolled_back(body)
        result.dry_run = True
        return result

    def taken(db: Database) -> ImportResult:
        result = body(db)
        if result.nobody:
            raise _NobodyImported(result)
        return result

    try:
        with db.transaction():
            return taken(db)
    except _NobodyImported as refused:
        refused.result.batch_id = None
        return refused.result


def _adding(count: int, *, dry_run: bool) -> str:
    """The progress line about new contacts: a dry run writes nothing, it says what it would."""
    return f"{'would add' if dry_run else 'writing'} {counted(count, 'new contact')}"


def _finish(db: Database, result: ImportResult, *, strict: bool) -> None:
    """Inside the import's transaction: count its batch, then refuse a strict import that
    left anything out."""
    if result.batch_id is not None:
        _count_batch(db, result.batch_id, result)
    if strict:
        _reject_if_any(result.skipped + result.warnings)


def _reject_if_any(problems: list[Problem]) -> None:
    if problems:
        first = sorted(problems, key=lambda p: p.where)[0]
        more = len(problems) - 1
        tail = f" (and {counted(more, 'more problem')})" if more else ""
        raise ImportRejected(f"{first}{tail}; with --strict nothing was imported")


def _count_batch(db: Database, batch: int, result: ImportResult) -> None:
    """Record what an import added and filled on its batch."""
    db.execute(
        "UPDATE import_batches SET added = ?, filled = ?, events_added = ? WHERE id = ?",
        [result.new, result.updated, result.events_added, batch],
    )


def start_batch(db: Database, file_name: str, fmt: str) -> int:
    """Record a new import batch (inside the import's transaction); return its id."""
    row = db.execute(
        "INSERT INTO import_batches (id, file, format) "
        "VALUES (nextval('import_batches_id_seq'), ?, ?) RETURNING id",
        [file_name, fmt],
    ).fetchall()
    return int(row[0][0])
