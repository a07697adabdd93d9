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
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from lib.core.errors import ValidationError, WarmLeadsError
from lib.core.vocab import DUE_LIST, EXPORT_FORMAT, IMPORT_FORMAT, STAGE_LABELS, WEEKLY
from lib.engine import stats
from lib.store import outputs, snapshot
from lib.store.db import DB_ENV, Database, open_database, open_view, resolve_db_path


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _open(args: argparse.Namespace, *, write: bool) -> Database:
    new = _created_by(resolve_db_path(args.db)) if write else []
    db = open_database(args.db, read_only=not write, create=write)
    # Ours alone once opened (DuckDB's lock): if the command then fails, main() removes it.
    args.created = new
    return db


def cmd_init(args: argparse.Namespace) -> int:
    """Create the database with the current schema (no-op on an existing one)."""
    existed = bool(args.db_path_exists)
    db = _open(args, write=True)  # creating and migrating is all there is to do
    db.close()
    print(f"{'Database ready' if existed else 'Created'}: {db.path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the deterministic sample network into an empty database (or remove it)."""
    from lib.io import demo

    if args.remove:
        with _open_existing(args) as db:
            print(demo.remove_demo(db, confirmed=args.yes))
        return 0
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


def _open_existing(args: argparse.Namespace) -> Database:
    """The file, writable, when it exists (a command that changes data never creates one)."""
    return open_database(args.db, create=False)


def cmd_imports(args: argparse.Namespace) -> int:
    """List every recorded import, newest first."""
    from lib.io.importing.batches import list_imports

    with _open(args, write=False) as db:
        batches = list_imports(db)
    if args.json:
        print(json.dumps(batches))
        return 0
    if not batches:
        print("No imports recorded yet.")
        return 0
    for batch in batches:
        state = f"  undone {batch['undone_at']}" if batch["undone_at"] else ""
        print(
            f"#{batch['id']:<4} {batch['imported_at']}  {batch['file']} ({batch['format']}): "
            f"{batch['added']:,} added, {batch['filled']:,} filled{state}"
        )
    return 0


def cmd_undo_import(args: argparse.Namespace) -> int:
    """Undo one import: remove the contacts it added, empty the blanks it filled."""
    from lib.io.importing.batches import undo_import

    with _open_existing(args) as db:
        done = undo_import(db, args.id)
    print(done.summary())
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
    from lib.engine.review import describe_period
    from lib.present import report

    period = stats.make_period(as_of=args.as_of, start=args.from_, end=args.to)
    db_path = resolve_db_path(args.db)
    report.check_out_path(args.out, db_path=db_path, force=args.force)
    # The report reads as the read-only view does, so it works while the app has the file open.
    with open_view(args.db) as db:
        if db.snapshot is not None and db.snapshot.from_snapshot:
            _progress(f"reading the latest snapshot ({report.format_moment(db.snapshot.as_of)})")
        _progress("drawing the report")
        page = report.build_report(db, period, redact=args.redact)
    path = report.write_report(page, args.out, db_path=db_path, force=args.force)
    size = len(page.encode("utf-8"))
    kind = "redacted report (aggregates only)" if args.redact else "report"
    print(
        f"Wrote the {kind} to {path} ({size / 1e6:.1f} MB, opens offline): "
        f"{describe_period(None, period)}"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a LinkedIn, Google, Outlook, Thunderbird, Yahoo, vCard or Warm Leads CSV file."""
    from lib.io import importing

    _require_input(args.path)  # before the database is opened (or created)
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
        what = f"{count:,} {result.unit}{'s' if count != 1 else ''}"
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
    with _open(args, write=False) as db:
        result = exporters.write_export(
            db, args.format, args.out, today=today, progress=_progress, force=args.force
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


def _created_by(db_path: Path) -> list[Path]:
    """What running a command may create for `db_path` that does not exist yet."""
    if os.path.lexists(db_path):
        return []
    top = db_path
    while not top.parent.exists() and top.parent != top:
        top = top.parent
    snap = snapshot.snapshot_path(db_path)
    names = (db_path.name + ".wal", snap.name, snap.name + ".tmp", snap.name + ".tmp.wal")
    return [top] if top != db_path else [db_path, *(db_path.with_name(n) for n in names)]


def _undo_creation(created: list[Path]) -> None:
    """A command that failed leaves no database, snapshot or folder it made."""
    for path in created:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # never there (say, its "folder" is a file): nothing to undo


def _read_new_passphrase(what: str) -> str:
    """The new passphrase, typed twice: hidden at a terminal, else two lines of stdin.

    A weak one is refused before it is asked for a second time.
    """
    from lib.store.passphrase import check_passphrase

    if sys.stdin.isatty():
        import getpass

        first = check_passphrase(getpass.getpass(f"New passphrase for {what}: "))
        second = getpass.getpass("The same passphrase again: ")
    else:
        lines = sys.stdin.read().splitlines()
        if not lines:
            raise WarmLeadsError(
                "passphrase: give it twice (two lines on stdin); nothing was changed"
            )
        first = check_passphrase(lines[0])
        if len(lines) < 2:
            raise WarmLeadsError(
                "passphrase: give it twice (two lines on stdin); nothing was changed"
            )
        second = lines[1]
    if first != second:
        raise WarmLeadsError("passphrase: the two entries differ; nothing was changed")
    return first


def _set_or_clear(args: argparse.Namespace, kind: str, what: str) -> int | None:
    """Handle --set-passphrase / --clear-passphrase of `kind`; None when neither was given."""
    from lib.store import passphrase

    data_path = resolve_db_path(args.db)
    if args.set_passphrase:
        secret = _read_new_passphrase(what)
        saved = passphrase.set_passphrase(data_path, secret, kind)
        print(f"Passphrase set: {what} of {data_path.name} asks for it ({saved})")
        hint = passphrase.strength_hint(secret)
        if hint:
            print(hint, file=sys.stderr)
        return 0
    if args.clear_passphrase:
        removed = passphrase.clear_passphrase(data_path, kind)
        print("Passphrase removed." if removed else "No passphrase was set.")
        return 0
    return None


def _check_tls(command: str, cert: str | None, key: str | None) -> None:
    if bool(cert) != bool(key):
        raise WarmLeadsError(f"{command}: --cert and --key go together (a certificate and its key)")
    for tls_file in (cert, key):
        if tls_file and not os.path.isfile(tls_file):
            raise WarmLeadsError(f"{command}: no file at {tls_file}")


def _launcher() -> str:
    """run.py: the launcher that closes what Streamlit would show before the passphrase."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "run.py")


def _serve(command: list[str], data_path: Path) -> int:
    """Run the app's server until it stops; stopping this command stops it."""
    import signal  # this command's needs only: the CLI never imports streamlit
    import subprocess

    env = {**os.environ, DB_ENV: str(data_path)}
    process = subprocess.Popen(command, cwd=os.path.dirname(_launcher()), env=env)
    for stop in (signal.SIGTERM, signal.SIGHUP):  # stopping this command stops the server
        signal.signal(stop, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:  # Ctrl-C reached Streamlit too: let it finish stopping
        process.wait()
        return 0


def cmd_share(args: argparse.Namespace) -> int:
    """Start the read-only shared view (or set or clear its passphrase)."""
    from lib.core import sharing
    from lib.store import passphrase

    done = _set_or_clear(args, passphrase.SHARE, "the shared view")
    if done is not None:
        return done
    data_path = resolve_db_path(args.db)
    protected = passphrase.load_passphrase(data_path) is not None  # a damaged file stops here
    if not protected and not sharing.is_loopback(args.address) and not args.no_passphrase:
        raise WarmLeadsError(
            f"share: {args.address} is reachable from the network and no passphrase is set; "
            "set one first (python -m lib.cli share --set-passphrase) or add --no-passphrase"
        )
    _check_tls("share", args.cert, args.key)
    command = sharing.share_command(
        sys.executable,
        _launcher(),
        address=args.address,
        port=args.port,
        redact=args.redact,
        no_passphrase=args.no_passphrase,
        cert_file=args.cert,
        key_file=args.key,
    )
    scheme = "https" if args.cert else "http"
    _progress(
        f"sharing a read-only{' redacted' if args.redact else ''} view of {data_path.name} on "
        f"{scheme}://{args.address}:{args.port}"
        + (" (passphrase required)" if protected else " with NO passphrase")
        + "; Ctrl-C stops it"
    )
    return _serve(command, data_path)


def phone_url(address: str, port: int, *, tls: bool) -> str:
    """The address a phone opens: this machine's network address when serving all of them."""
    from lib.core.sharing import lan_address

    scheme = "https" if tls else "http"
    host = address
    if address in ("0.0.0.0", "::"):
        host = lan_address() or ""
        if not host:
            raise WarmLeadsError("phone: this computer has no local-network address (is Wi-Fi on?)")
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def qr_text(url: str) -> str:
    """A QR code of `url` drawn with block characters, for the terminal."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def cmd_phone(args: argparse.Namespace) -> int:
    """Serve the writable app to the local network behind the phone passphrase (or set it)."""
    from lib.core import sharing
    from lib.store import passphrase

    done = _set_or_clear(args, passphrase.PHONE, "the phone link")
    if done is not None:
        return done
    data_path = resolve_db_path(args.db)
    if passphrase.load_passphrase(data_path, passphrase.PHONE) is None:
        raise WarmLeadsError(
            "phone: no phone passphrase is set, and the app never goes on the network without "
            "one; set it first (python -m lib.cli phone --set-passphrase)"
        )
    _check_tls("phone", args.cert, args.key)
    url = phone_url(args.address, args.port, tls=bool(args.cert))
    command = sharing.phone_command(
        sys.executable,
        _launcher(),
        address=args.address,
        port=args.port,
        cert_file=args.cert,
        key_file=args.key,
    )
    print(f"Open Warm Leads on your phone (same Wi-Fi): {url}")
    print("Point the phone's camera at this code, then give the phone passphrase:")
    print(qr_text(url), end="")
    if not args.cert:
        print(
            "Without --cert/--key the connection is not encrypted: anyone on this network can "
            "read the passphrase and your contacts as they cross it (docs/PHONE.md).",
            file=sys.stderr,
        )
    _progress(f"serving the writable app of {data_path.name} on {url}; Ctrl-C stops it")
    sys.stdout.flush()
    return _serve(command, data_path)


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


def _port(text: str) -> int:
    value = _positive(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1 to 65535)")
    return value


def _batch_id(text: str) -> int:
    try:
        value = int(text.strip().lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an import number") from None
    if value < 1 or value > 2**31 - 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not an import number")
    return value


def _path(text: str) -> str:
    # An empty --db (say, from an unset shell variable) must not fall back to the default file.
    if not text.strip():
        raise argparse.ArgumentTypeError("the path is empty")
    return text


def _passphrase_options(parser: argparse.ArgumentParser) -> None:
    setting = parser.add_mutually_exclusive_group()
    setting.add_argument(
        "--set-passphrase", action="store_true", help="set the passphrase it asks for"
    )
    setting.add_argument("--clear-passphrase", action="store_true", help="remove it")


def _tls_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cert", metavar="PATH", help="TLS certificate (PEM): serve https")
    parser.add_argument("--key", metavar="PATH", help="the certificate's private key (PEM)")


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
    # The period every stats-reading command takes (see docs/METHOD.md, "The day T").
    period = argparse.ArgumentParser(add_help=False)
    period.add_argument("--from", dest="from_", metavar="DATE")
    period.add_argument("--to", metavar="DATE")
    period.add_argument("--as-of", dest="as_of", metavar="DATE")
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
    demo_p.add_argument(
        "--remove",
        action="store_true",
        help="delete exactly the demo's contacts and steps; your own rows stay",
    )
    demo_p.add_argument(
        "--yes",
        action="store_true",
        help="with --remove: also remove steps you logged on demo people",
    )
    demo_p.set_defaults(handler=cmd_demo)

    imports_p = sub.add_parser("imports", parents=[common], help="list the recorded imports")
    imports_p.add_argument("--json", action="store_true", help="print a JSON list")
    imports_p.set_defaults(handler=cmd_imports)

    undo_p = sub.add_parser(
        "undo-import", parents=[common], help="undo one import (see `imports` for its ID)"
    )
    undo_p.add_argument("id", type=_batch_id, metavar="ID")
    undo_p.set_defaults(handler=cmd_undo_import)

    stats_p = sub.add_parser(
        "stats", parents=[common, period], help="funnel, referrals, weekly, due"
    )
    stats_p.add_argument(
        "--json", action="store_true", help="print the JSON object (docs/METHOD.md)"
    )
    stats_p.set_defaults(handler=cmd_stats)

    report_p = sub.add_parser(
        "report",
        parents=[common, period],
        help="write the dashboard as one HTML file that opens offline",
    )
    report_p.add_argument("--out", required=True, metavar="PATH", help="the HTML file to write")
    report_p.add_argument(
        "--force", action="store_true", help="replace the file if it already exists"
    )
    report_p.add_argument(
        "--redact",
        action="store_true",
        help="aggregates only: no names, emails, phones, URLs, companies or notes",
    )
    report_p.set_defaults(handler=cmd_report)

    import_p = sub.add_parser(
        "import",
        parents=[common],
        help="import LinkedIn, Google, Outlook, Thunderbird or Yahoo CSV, vCard or our CSV",
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
        "--force", action="store_true", help="replace the file if it already exists"
    )
    export_p.add_argument(
        "--as-of", dest="as_of", metavar="DATE", help="ics: reminders due as of this day"
    )
    export_p.set_defaults(handler=cmd_export)

    share_p = sub.add_parser(
        "share",
        parents=[common],
        help="start the read-only view for a coach (or set its passphrase)",
        description="Start the read-only shared view: Dashboard, Weekly review and Network, "
        "with no way to change anything. It asks for the passphrase set with --set-passphrase.",
    )
    _passphrase_options(share_p)
    share_p.add_argument(
        "--redact", action="store_true", help="aggregates only: no names or contact details"
    )
    share_p.add_argument("--port", type=_port, default=8502, metavar="N", help="default 8502")
    share_p.add_argument(
        "--address",
        default="127.0.0.1",
        metavar="A",
        help="where to listen (default 127.0.0.1, this computer only; 0.0.0.0: your network)",
    )
    share_p.add_argument(
        "--no-passphrase",
        action="store_true",
        help="allow a network address with no passphrase set (anyone who can reach it sees it)",
    )
    _tls_options(share_p)
    share_p.set_defaults(handler=cmd_share)

    phone_p = sub.add_parser(
        "phone",
        parents=[common],
        help="open the app on your phone: the writable app on your network, behind a passphrase",
        description="Serve the writable app to your local network behind the phone passphrase "
        "(its own, not the shared view's), and print its address and a QR code to scan. "
        "Set the passphrase first with --set-passphrase. See docs/PHONE.md.",
    )
    _passphrase_options(phone_p)
    phone_p.add_argument("--port", type=_port, default=8503, metavar="N", help="default 8503")
    phone_p.add_argument(
        "--address",
        default="0.0.0.0",
        metavar="A",
        help="where to listen (default 0.0.0.0: every network this computer is on)",
    )
    _tls_options(phone_p)
    phone_p.set_defaults(handler=cmd_phone)
    return parser


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
            _undo_creation(args.created)


if __name__ == "__main__":
    sys.exit(main())
