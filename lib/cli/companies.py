"""The commands for target companies: the target list, and importing a list of names."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from lib.cli.common import open_existing, open_for_reading
from lib.core.errors import ValidationError


def cmd_companies(args: argparse.Namespace) -> int:
    """Print the target list in LAMP order (with --json, one object)."""
    from lib.engine.companies import target_list

    with open_for_reading(args) as db:
        companies = target_list(db, date.today())
    if args.json:
        keys = ("id", "name", "motivation", "posting", "people", "advocates", "ways_in")
        print(json.dumps({"companies": [{k: getattr(c, k) for k in keys} for c in companies]}))
        return 0
    if not companies:
        print("No target companies yet: add them with `import-companies FILE` or in the app.")
        return 0
    print(f"{'Id':>5}  {'Company':<30} {'M':>2} {'P':>2} {'People':>7} {'Adv.':>5} {'Ways in':>8}")
    for c in companies:
        print(
            f"{c.id:>5}  {c.name[:30]:<30} {c.motivation or '-':>2} {c.posting or '-':>2} "
            f"{c.people:>7,} {c.advocates:>5,} {c.ways_in:>8,}  next: {c.next_words}"
        )
    return 0


def read_list(path: str) -> str:
    """The text of a list of names (UTF-8, else Windows-1252); a missing file is an error."""
    from lib.records.companies import MAX_LIST_BYTES, decode_names

    file = Path(path)
    try:
        if file.stat().st_size > MAX_LIST_BYTES:
            raise ValidationError("FILE", f"{path} is too large for a list of company names")
        data = file.read_bytes()
    except FileNotFoundError:
        raise ValidationError("FILE", f"there is no file {path}") from None
    except IsADirectoryError:
        raise ValidationError("FILE", f"{path} is a folder, not a list of names") from None
    except OSError as exc:
        raise ValidationError("FILE", f"{path} cannot be read ({exc.strerror})") from None
    return decode_names(data)


def cmd_import_companies(args: argparse.Namespace) -> int:
    """Add every name of a list (one per line, or a CSV with a Name/Company column)."""
    from lib.records.companies import import_companies

    text = read_list(args.file)
    with open_existing(args) as db:
        result = import_companies(db, text)
    print(f"Imported {Path(args.file).name}: {result.summary()}")
    return 0
