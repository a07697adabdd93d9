"""The commands that read the network back: stats (text or JSON) and the HTML report."""

from __future__ import annotations

import argparse
import json

from lib.cli.common import open_for_reading, progress
from lib.core.vocab import DUE_LIST, STAGE_LABELS, WEEKLY
from lib.engine import stats
from lib.engine.companies import company_counts
from lib.store.db import open_view, resolve_db_path


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the funnel, referrals, weekly rows and due lists."""
    period = stats.make_period(as_of=args.as_of, start=args.from_, end=args.to)
    with open_for_reading(args) as db:
        result = stats.stats(db, period)
        result["companies"] = company_counts(db, period.day)
    if args.json:
        print(json.dumps(result))
    else:
        print(format_stats(result))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the dashboard as one self-contained HTML file."""
    from lib.core.words import human_moment
    from lib.engine.review import describe_period
    from lib.present import report

    period = stats.make_period(as_of=args.as_of, start=args.from_, end=args.to)
    db_path = resolve_db_path(args.db)
    report.check_out_path(args.out, db_path=db_path, force=args.force)
    # The report reads as the read-only view does, so it works while the app has the file open.
    with open_view(args.db) as db:
        if db.snapshot is not None and db.snapshot.from_snapshot:
            progress(f"reading the latest snapshot ({human_moment(db.snapshot.as_of)})")
        progress("drawing the report")
        page = report.build_report(db, period, redact=args.redact)
    path = report.write_report(page, args.out, db_path=db_path, force=args.force)
    size = len(page.encode("utf-8"))
    kind = "redacted report (aggregates only)" if args.redact else "report"
    print(
        f"Wrote the {kind} to {path} ({size / 1e6:.1f} MB, opens offline): "
        f"{describe_period(None, period)}"
    )
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
