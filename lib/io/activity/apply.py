"""One activity import: read the file, apply the rules, write the suggestions as one batch.

The whole file is read (streamed) before anything is written; the suggestions and their
import batch are written in one transaction, so a file that fails anywhere leaves nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

import pandas as pd

from lib.core.errors import ValidationError
from lib.core.words import counted
from lib.io.activity import detect_format, read_activity
from lib.io.activity.model import FORMAT_LABELS, ActivityFileError
from lib.io.activity.rules import Ignored, Network, Suggestion, decide, read_history, read_records
from lib.io.importing.apply import start_batch
from lib.io.staged import Staged
from lib.records.settings import get_setting, put_setting
from lib.store.db import Database

# The user's own addresses (a list), for mail programs that do not label sent mail.
MY_ADDRESSES = "my_addresses"
# Per format: what a record is, and what an unmatched one had (for the import's summary).
_RECORD_WORDS: dict[str, tuple[str, str]] = {
    "calls-xml": ("call", "with numbers not in your network"),
    "calls-csv": ("call", "with numbers not in your network"),
    "mbox": ("message", "to no one in your network"),
    "eml": ("message", "to no one in your network"),
    "ics": ("meeting", "with no one in your network"),
}
_COLUMNS = ("source_id", "contact_id", "kind", "occurred_on", "channel", "outcome", "seen")


@dataclass
class ActivityResult:
    """What an activity import suggested (or would), and what it left out."""

    file: str
    format: str
    suggestions: list[Suggestion] = field(default_factory=list)
    ignored: Ignored = field(default_factory=Ignored)
    batch_id: int | None = None
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        """The object `import-activity --json` prints (`outcome` only for attempts)."""
        rows = []
        for s in self.suggestions:
            row: dict[str, Any] = {
                "contact_id": s.contact_id,
                "kind": s.kind,
                "occurred_on": s.occurred_on.isoformat(),
                "channel": s.channel,
            }
            if s.kind == "attempt":
                row["outcome"] = s.outcome
            rows.append(row)
        return {"suggestions": rows, "ignored": self.ignored.as_dict()}

    def summary(self) -> str:
        """One line: "Suggested 15 steps from calls.xml, a call log (…). Ignored 40 calls with
        numbers not in your network." (only the counts that are not 0)."""
        verb = "Would suggest" if self.dry_run else "Suggested"
        label = FORMAT_LABELS[self.format]
        article = "an" if label[0] in "aeiou" else "a"
        said = (
            f"{verb} {counted(len(self.suggestions), 'step')} from {self.file}, {article} {label}."
        )
        record, unmatched = _RECORD_WORDS[self.format]
        ignored = self.ignored
        parts = [f"{counted(ignored.unmatched, record)} {unmatched}"] if ignored.unmatched else []
        if ignored.already_logged:
            parts.append(f"{ignored.already_logged:,} already logged")
        if ignored.duplicates:
            parts.append(f"{ignored.duplicates:,} seen in an earlier import")
        if not parts:
            return said
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{said} Ignored {listed}."


def clean_addresses(addresses: list[str]) -> list[str]:
    """The user's own addresses, trimmed and lower-cased; one without @ is refused."""
    clean = []
    for address in addresses:
        text = address.strip().lower()
        if "@" not in text:
            raise ValidationError("my_address", f"{address!r} is not an e-mail address")
        clean.append(text)
    return sorted(set(clean))


def import_activity(
    db: Database,
    path: str | Path,
    *,
    format: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
    tz: tzinfo | None = None,
    my_addresses: list[str] | None = None,
) -> ActivityResult:
    """Suggest the steps a call log, mailbox or calendar shows, as one import batch."""
    today = today or date.today()
    path = Path(path)
    if not path.is_file():
        raise ActivityFileError(f"{path}: no such file")
    mine = clean_addresses(my_addresses) if my_addresses else get_setting(db, MY_ADDRESSES, [])
    network = Network(db)
    try:
        fmt = format or detect_format(path)
        reading = read_records(read_activity(path, fmt, today=today, mine=mine), network, tz=tz)
    except ActivityFileError as exc:  # keeps its class: the command line adds its --format hint
        raise type(exc)(f"{path.name}: {exc}; nothing imported") from None
    except (OSError, UnicodeError) as exc:
        raise ActivityFileError(f"{path.name} cannot be read ({exc}); nothing imported") from None
    result = ActivityResult(path.name, fmt, ignored=reading.ignored, dry_run=dry_run)
    contacts = [s.contact_id for s in reading.suggestions] + [m[1] for m in reading.mails]
    if dry_run:
        result.suggestions = decide(reading, read_history(db, contacts), tz=tz)
        return result
    with db.transaction():
        result.suggestions = decide(reading, read_history(db, contacts), tz=tz)
        if my_addresses:
            put_setting(db, MY_ADDRESSES, mine)
        result.batch_id = start_batch(db, path.name, fmt)
        if result.suggestions:
            frame = pd.DataFrame(
                [[getattr(s, c) for c in _COLUMNS] for s in result.suggestions],
                columns=list(_COLUMNS),
            ).astype(object)
            staged = Staged(db, frame)
            staged.run(
                f"INSERT INTO suggestions (id, {', '.join(_COLUMNS)}, import_batch) "
                f"SELECT nextval('suggestions_id_seq'), source_id, contact_id::INTEGER, kind, "
                f"occurred_on::DATE, channel, outcome, seen, {int(result.batch_id)} "
                f"FROM {staged.name}"
            )
    return result


def import_upload(
    db: Database,
    name: str,
    data: bytes,
    *,
    today: date | None = None,
    tz: tzinfo | None = None,
    my_addresses: list[str] | None = None,
) -> ActivityResult:
    """Import an uploaded file: its bytes in a private temporary folder, under its own name.

    The readers stream a file on the disk (`mailbox` needs a path), and the batch and every
    message name the file as the user knows it; the folder is removed when the import ends.
    """
    with tempfile.TemporaryDirectory(prefix="warmleads-activity-") as folder:
        base = Path(name).name
        path = Path(folder) / (base if base not in ("", ".", "..") else "upload")
        path.write_bytes(data)
        return import_activity(db, path, today=today, tz=tz, my_addresses=my_addresses)
