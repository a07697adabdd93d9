"""The argument parser: every command, its options and the handler that runs it.

The commands are listed in the order `--help` shows them; the handlers live by concern in
`data.py`, `review.py` and `serving.py`.
"""

from __future__ import annotations

import argparse

from lib.cli.activity import cmd_confirm_suggestions, cmd_import_activity, cmd_suggestions
from lib.cli.companies import cmd_companies, cmd_import_companies
from lib.cli.data import cmd_demo, cmd_export, cmd_import, cmd_imports, cmd_init, cmd_undo_import
from lib.cli.review import cmd_report, cmd_stats
from lib.cli.serving import cmd_phone, cmd_share
from lib.core.vocab import EXPORT_FORMAT, IMPORT_FORMAT
from lib.io.activity.model import FORMATS as ACTIVITY_FORMATS
from lib.store.db import DB_ENV


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
        help="delete exactly the sample network's contacts and steps; your own rows stay",
    )
    demo_p.add_argument(
        "--yes",
        action="store_true",
        help="with --remove: also remove steps you logged on its people",
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

    companies_p = sub.add_parser(
        "companies", parents=[common], help="the target companies, in LAMP order"
    )
    companies_p.add_argument("--json", action="store_true", help="print one JSON object")
    companies_p.set_defaults(handler=cmd_companies)

    import_companies_p = sub.add_parser(
        "import-companies",
        parents=[common],
        help="add target companies from a list of names (one a line, or a CSV)",
    )
    import_companies_p.add_argument(
        "file", metavar="FILE", help="one name a line, or a CSV with a Name or Company column"
    )
    import_companies_p.set_defaults(handler=cmd_import_companies)

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

    activity_p = sub.add_parser(
        "import-activity",
        parents=[common],
        help="suggest steps from a call log, sent mail (mbox, eml) or a calendar (ics)",
    )
    activity_p.add_argument("path", metavar="FILE", help="the exported file")
    activity_p.add_argument(
        "--format", choices=ACTIVITY_FORMATS, help="default: detected from its content"
    )
    activity_p.add_argument(
        "--dry-run", action="store_true", help="say what it would suggest; write nothing"
    )
    activity_p.add_argument("--json", action="store_true", help="print one JSON object")
    activity_p.add_argument(
        "--my-address",
        action="append",
        metavar="ADDRESS",
        help="your own e-mail address (repeat for each; kept in settings): mail from it is sent",
    )
    activity_p.set_defaults(handler=cmd_import_activity)

    suggestions_p = sub.add_parser(
        "suggestions", parents=[common], help="list the suggested steps still to confirm"
    )
    suggestions_p.add_argument("--json", action="store_true", help="print a JSON list")
    suggestions_p.set_defaults(handler=cmd_suggestions)

    confirm_p = sub.add_parser(
        "confirm-suggestions", parents=[common], help="confirm suggested steps"
    )
    confirm_p.add_argument(
        "--all-attempts",
        action="store_true",
        help="every open call attempt (unanswered call) up to today",
    )
    confirm_p.set_defaults(handler=cmd_confirm_suggestions)

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
