"""The command line: `python -m lib.cli COMMAND [options]`.

Parses arguments and prints; every behaviour lives in the library. Exit 0 on
success, 1 on bad input (one line on stderr, nothing written), 2 on usage errors.
Each command imports what it needs when it runs: `stats --json` loads DuckDB and the
stats engine, not pandas, plotly or the importers.

The commands, by concern: `data.py` (init, demo, import, imports, undo-import, export),
`review.py` (stats, report), `serving.py` (share, phone); `parser.py` holds their options.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from lib.cli.common import undo_creation
from lib.cli.parser import build_parser
from lib.core.errors import WarmLeadsError
from lib.store.db import resolve_db_path

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (never raises for a user's mistake)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    args.db = getattr(args, "db", None)
    args.db_path_exists = resolve_db_path(args.db).exists()
    args.created = []
    code = 1
    try:
        code = args.handler(args)
        sys.stdout.flush()  # meet a closed pipe here rather than at interpreter exit
        return code
    except BrokenPipeError:
        code = 0
        # The reader went away (`... | head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except WarmLeadsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; nothing was written by the unfinished step", file=sys.stderr)
        return 1
    except Exception as exc:  # the promise: no traceback ever reaches the user
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        if code != 0:
            undo_creation(args.created)
