"""The command line: `python -m lib.cli COMMAND [options]`.

Parses arguments and prints; every behaviour lives in the library. Exit 0 on
success, 1 on bad input (one line on stderr, nothing written), 2 on usage errors.
Each command imports what it needs when it runs: `stats --json` loads DuckDB and the
stats engine, not pandas, plotly or the importers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from lib.core.errors import WarmLeadsError
from lib.core.vocab import DUE_LIST, EXPORT_FORMAT, IMPORT_FORMAT, STAGE_LABELS, WEEKLY
from lib.engine import stats
from lib.store.db import DB_ENV, Database, open_database, open_view, resolve_db_path


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _open(args: argparse.Namespace, *, write: bool) -> Database:
    return open_database(args.db, read_only=not write, create=write)


def cmd_init(args: argparse.Namespace) -> int:
    """Create the database with the current schema (no-op on an existing one)."""
    existed = bool(args.db_path_exists)
    db = _open(args, write=True)  # creating and migrating is all there is to do
    db.close()
    print(f"{'Database ready' if existed else 'Created'}: {db.path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the deterministic sample network into an empty database."""
    from lib.io import demo

    demo.check_size(args.contacts, args.events)  # before the file is created
    with _open(args, write=True) as db:
        made = demo.load_demo(
            db,
            contacts=args.contacts,
            events=args.events,
            seed=args.seed,
            progress=_progress,
        )
    print(f"Loaded the demo network into {db.path}: {made[0]:,} contacts, {made[1]:,} events")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the funnel, referrals, weekly rows and due lists."""
    period = stats.make_period(as_of=args.as_of, start=args.from_, end=args.to)
    with _open(args, write=False) as db:
        result = stats.stats(db, period)
    if args.json:
        print(json.dumps(result))
    else:
        print(format_stats(result))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the dashboard as one self-contained HTML file."""
    from lib.present import report

    period = stats.make_period(as_of=args.as_of, start=args.from_, end=args.to)
    report.check_out_path(args.out)
    # The report reads as the read-only view does, so it works while the app has the file open.
    with open_view(args.db) as db:
        if db.view is not None and db.view.from_snapshot:
            _progress(f"reading the latest snapshot ({report.format_moment(db.view.as_of)})")
        _progress("drawing the report")
        page = report.build_report(db, period, redact=args.redact)
    path = report.write_report(page, args.out)
    size = len(page.encode("utf-8"))
    kind = "redacted report (aggregates only)" if args.redact else "report"
    print(
        f"Wrote the {kind} to {path} ({size / 1e6:.1f} MB, opens offline): "
        f"{report.describe_period(period)}"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a LinkedIn, Google Contacts, vCard or Warm Leads CSV file."""
    from lib.io import importing

    with _open(args, write=True) as db:
        result = importing.import_file(
            db,
            args.path,
            format=args.format,
            strict=args.strict,
            dry_run=args.dry_run,
            progress=_progress,
        )
    label = importing.FORMAT_LABELS[result.format]
    verb = "Would import" if result.dry_run else "Imported"
    print(f"{verb} {args.path} ({label}): {result.summary()}")
    for problem in result.skipped:
        print(f"  skipped {problem}", file=sys.stderr)
    for warning in result.warnings:
        print(f"  warning: {warning}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export contacts and events (csv), contacts (vcard) or due reminders (ics)."""
    from lib.io import exporters

    today = stats.make_period(as_of=args.as_of).as_of
    with _open(args, write=False) as db:
        result = exporters.write_export(db, args.format, args.out, today=today, progress=_progress)
    print(result.summary())
    return 0


def format_stats(result: dict) -> str:
    """A readable text version of the stats object."""
    period = result["period"]
    lines = [
        f"Warm Leads — as of {result['as_of']}"
        + (
            f", period {period['from'] or '…'} to {period['to'] or '…'}"
            if any(period.values())
            else ""
        ),
        "",
        "Funnel",
    ]
    top = result["funnel"][0]["contacts"] or 1
    for row in result["funnel"]:
        share = 100 * row["contacts"] / top
        lines.append(f"  {STAGE_LABELS[row['stage']]:<22}{row['contacts']:>8,}  {share:5.1f}%")
    ref = result["referrals"]
    lines += [
        "",
        f"Referrals  received {ref['received']:,}  warm {ref['warm']:,}  givers {ref['givers']:,}",
        "  by generation: " + (" → ".join(f"{n:,}" for n in ref["generations"]) or "none"),
        "",
        "Due",
    ]
    for name, ids in result["due"].items():
        shown = ", ".join(str(i) for i in ids[:12]) + (" …" if len(ids) > 12 else "")
        lines.append(f"  {DUE_LIST.label(name):<22}{len(ids):>6,}  {shown}")
    lines += ["", "Weekly (last 8 weeks)"]
    columns = ("targets", "referrals", "contacted", "referral_asked", "thank_you", "follow_up")
    lines.append("  " + f"{'Week':>10}" + "".join(f"{WEEKLY.short(c):>11}" for c in columns))
    for row in result["weekly"][-8:]:
        lines.append("  " + f"{row['week']:>10}" + "".join(f"{row[c]:>11}" for c in columns))
    return "\n".join(lines)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def _path(text: str) -> str:
    # An empty --db (say, from an unset shell variable) must not fall back to the default file.
    if not text.strip():
        raise argparse.ArgumentTypeError("the path is empty")
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: `--db` may come before or after the command without one hiding the other.
    common.add_argument(
        "--db",
        metavar="PATH",
        type=_path,
        default=argparse.SUPPRESS,
        help=f"database file (default: ${DB_ENV} or data/network.duckdb)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m lib.cli",
        description="Warm Leads: track the people in your job-search network.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser("init", parents=[common], help="create the database file")
    init.set_defaults(handler=cmd_init)

    demo_p = sub.add_parser("demo", parents=[common], help="load the sample network")
    demo_p.add_argument("--contacts", type=_positive, default=50, metavar="N")
    demo_p.add_argument("--events", type=_positive, default=None, metavar="M")
    demo_p.add_argument("--seed", type=int, default=7, metavar="S")
    demo_p.set_defaults(handler=cmd_demo)

    stats_p = sub.add_parser("stats", parents=[common], help="funnel, referrals, weekly, due")
    stats_p.add_argument("--json", action="store_true", help="print the SPEC's JSON object")
    stats_p.add_argument("--from", dest="from_", metavar="DATE")
    stats_p.add_argument("--to", metavar="DATE")
    stats_p.add_argument("--as-of", dest="as_of", metavar="DATE")
    stats_p.set_defaults(handler=cmd_stats)

    report_p = sub.add_parser(
        "report", parents=[common], help="write the dashboard as one HTML file that opens offline"
    )
    report_p.add_argument("--out", required=True, metavar="PATH", help="the HTML file to write")
    report_p.add_argument(
        "--redact",
        action="store_true",
        help="aggregates only: no names, emails, phones, URLs, companies or notes",
    )
    report_p.add_argument("--from", dest="from_", metavar="DATE")
    report_p.add_argument("--to", metavar="DATE")
    report_p.add_argument("--as-of", dest="as_of", metavar="DATE")
    report_p.set_defaults(handler=cmd_report)

    import_p = sub.add_parser(
        "import", parents=[common], help="import LinkedIn, Google Contacts, vCard or our CSV"
    )
    import_p.add_argument("path", metavar="PATH", help="the exported file")
    import_p.add_argument(
        "--format",
        choices=IMPORT_FORMAT.order,
        help="what the file is (default: detected from its content)",
    )
    import_p.add_argument(
        "--strict", action="store_true", help="any bad row or dropped value rejects the file"
    )
    import_p.add_argument(
        "--dry-run", action="store_true", help="say what would happen; write nothing"
    )
    import_p.set_defaults(handler=cmd_import)

    export_p = sub.add_parser(
        "export", parents=[common], help="write a CSV, vCards or calendar reminders"
    )
    export_p.add_argument("--format", choices=EXPORT_FORMAT.order, required=True)
    export_p.add_argument("--out", metavar="PATH", required=True, help="the file to write")
    export_p.add_argument(
        "--as-of", dest="as_of", metavar="DATE", help="ics: reminders due as of this day"
    )
    export_p.set_defaults(handler=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code (never raises for a user's mistake)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    args.db = getattr(args, "db", None)
    args.db_path_exists = resolve_db_path(args.db).exists()
    try:
        code = args.handler(args)
        sys.stdout.flush()  # meet a closed pipe here rather than at interpreter exit
        return code
    except BrokenPipeError:
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


if __name__ == "__main__":
    sys.exit(main())
