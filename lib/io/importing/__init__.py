"""Importing people you already know: LinkedIn connections, Google Contacts, vCards, our CSV.

The steps, each callable on its own (the Data page previews between them):

    parsed = read_import(data)            # bytes → validated people; no database
    plan = plan_import(db, parsed)        # who is new, who is known (reads only)
    result = apply_import(db, parsed)     # one transaction; result.summary()

`import_file` does all three for the command line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from lib.core.errors import ValidationError
from lib.io.importing.google import parse_google
from lib.io.importing.linkedin import parse_linkedin
from lib.io.importing.model import ImportRejected, ParsedImport, Problem
from lib.io.importing.native import parse_native
from lib.io.importing.plan import ImportPlan, choose_targets, plan_import, skipped_problems
from lib.io.importing.text import FORMAT_LABELS, FORMATS, MAX_IMPORT_BYTES, decode, detect_format
from lib.io.importing.vcard import parse_vcard
from lib.io.importing.write import ImportResult, apply_import, dry_run_import
from lib.store.db import Database

__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "ParsedImport",
    "Problem",
    "apply_import",
    "choose_targets",
    "import_file",
    "plan_import",
    "read_import",
    "read_import_file",
    "skipped_problems",
]

_PARSERS: dict[str, Callable[..., ParsedImport]] = {
    "linkedin": parse_linkedin,
    "google": parse_google,
    "vcard": parse_vcard,
    "csv": parse_native,
}


def read_import(
    data: bytes, *, format: str | None = None, today: date | None = None
) -> ParsedImport:
    """Read an export's bytes (format detected from the content when not given)."""
    if format is not None and format not in FORMATS:
        raise ValidationError("format", f"{format!r} is not one of {', '.join(FORMATS)}")
    text, note = decode(data)
    chosen = format or detect_format(text)
    parsed = _PARSERS[chosen](text, today=today or date.today())
    if note:
        parsed.notes.append(note)
    return parsed


def read_import_file(
    path: str | os.PathLike[str], *, format: str | None = None, today: date | None = None
) -> ParsedImport:
    """Read an export from a file on disk."""
    file = Path(path).expanduser()
    if not file.exists():
        raise ValidationError("file", f"{file} does not exist")
    if not file.is_file():
        raise ValidationError("file", f"{file} is not a file")
    if file.stat().st_size > MAX_IMPORT_BYTES:
        raise ValidationError(
            "file", f"{file} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB"
        )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ValidationError("file", f"{file} cannot be read ({exc.strerror})") from None
    return read_import(data, format=format, today=today)


def import_file(
    db: Database,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Read, match and write one file in one transaction (what `import PATH` does)."""
    say = progress or (lambda _message: None)
    say(f"reading {path}")
    parsed = read_import_file(path, format=format, today=today)
    if dry_run:
        return dry_run_import(db, parsed, strict=strict, progress=progress)
    name = Path(path).name
    return apply_import(db, parsed, strict=strict, progress=progress, file_name=name)
