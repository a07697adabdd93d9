"""The report: the dashboard as one self-contained HTML file to send to a coach or mentor.

plotly.js is inlined once (about 4.8 MB) so the file opens with no network at all. Every
value that comes from the database is escaped; figures carry counts and fixed labels only.
With `redact`, the report holds aggregates only; without it, it also names who is due.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from lib.core.vocab import DUE_LIST, GOAL_KEYS, LOOPS_CLOSED, WEEKLY
from lib.core.words import counted, human_date, human_moment
from lib.engine import due, loops, network, review, stats
from lib.engine.companies import TargetCompany, summarize, target_list
from lib.engine.stats import Period, Scope
from lib.present.figures.funnel import funnel_figure
from lib.present.figures.network import loop_words, multiplier_figure
from lib.present.figures.trend import weekly_trend_figure
from lib.records.settings import company_names_shown, weekly_goals
from lib.store.db import Database
from lib.store.outputs import check_output, write_output

# The due lists, most pressing first.
DUE_ORDER: tuple[str, ...] = (
    "follow_up_overdue",
    "follow_up_due",
    "thank_you_pending",
    "close_loop",
    "to_contact",
)
NAMES_PER_LIST = 8
_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, read in one go (aggregates, plus names unless redacted)."""

    period: Period
    funnel: pd.DataFrame
    weekly: pd.DataFrame
    referrals: dict[str, Any]
    due_counts: dict[str, int]
    goals: dict[str, int]
    due_people: pd.DataFrame | None
    loops: loops.LoopsClosed | None = None
    referrers: pd.DataFrame | None = None  # top referrers ("Referrer k" when redacted)
    companies: list[TargetCompany] = field(default_factory=list)  # the target list
    company_names: bool = False  # whether the report may name them (docs/METHOD.md)


def read_report_data(db: Database, period: Period, *, redact: bool) -> ReportData:
    """Read what the report shows; names only when not redacted."""
    everyone = Scope(period)
    return ReportData(
        period=period,
        funnel=stats.funnel(db, everyone),
        weekly=stats.weekly(db, everyone),
        referrals=stats.referrals(db, everyone),
        due_counts={name: len(ids) for name, ids in stats.due_lists(db, period.day).items()},
        goals=weekly_goals(db),
        due_people=None
        if redact
        else due.most_urgent(db, period.day, DUE_ORDER, per_list=NAMES_PER_LIST),
        loops=loops.loops_closed(db, everyone),
        referrers=network.top_referrers(db, period, redact=redact),
        companies=target_list(db, period.day),
        company_names=company_names_shown(db, redact=redact),
    )


def _companies_section(companies: list[TargetCompany], *, names: bool, redact: bool) -> str:
    """The target companies: the summary line, and the list when names may show."""
    if not companies:
        return ""
    line = html.escape(summarize(companies).line())
    if not names:
        return f"<section><h2>Target companies</h2><p>{line}</p></section>"
    head = "".join(
        f"<th>{h}</th>"
        for h in ("Company", "Motivation", "Posting", "People", "Advocates", "Ways in")
    )
    rows = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td>{c.motivation or '–'}</td>"
        f"<td>{c.posting or '–'}</td><td>{c.people:,}</td><td>{c.advocates:,}</td>"
        f"<td>{c.ways_in:,}</td></tr>"
        + (
            ""  # a redacted report never names a person, even where companies may show
            if redact
            else f'<tr class="next"><td colspan="6">Next: {html.escape(c.next_words)}</td></tr>'
        )
        for c in companies
    )
    return (
        f"<section><h2>Target companies</h2><p>{line}</p>"
        f"<table><tr>{head}</tr>{rows}</table></section>"
    )


def week_numbers(weekly: pd.DataFrame, day: date) -> dict[str, int]:
    """The counts of the ISO week containing `day` (zeros when it has no records)."""
    monday = day - timedelta(days=day.weekday())
    rows = weekly[pd.to_datetime(weekly["week_start"]).dt.date == monday] if len(weekly) else []
    if len(rows) == 0:
        return dict.fromkeys(GOAL_KEYS, 0)
    row = rows.iloc[0]
    return {key: int(row[key]) for key in GOAL_KEYS}


def referrals_line(referrals: dict[str, Any]) -> str:
    """The report's referrals sentence: `1 referral received, 1 warm (…), from 1 person.`"""
    return (
        f"{counted(referrals['received'], 'referral')} received, {referrals['warm']:,} warm "
        f"(may use the referrer's name), from {counted(referrals['givers'], 'person', 'people')}."
    )


def file_name(period: Period) -> str:
    """The report's suggested file name, e.g. warm-leads-report-2026-11-25.html."""
    return f"warm-leads-report-{period.day.isoformat()}.html"


def _figure_html(figure: go.Figure, div_id: str) -> str:
    # The app's figure, laid out for a page: the section heading names the chart (so no title
    # and a thin top margin; the legend stays below the plot, as in the app), a white page
    # suits printing.
    figure.update_layout(title=None, template="plotly_white", margin={"t": 10})
    return pio.to_html(
        figure,
        full_html=False,
        include_plotlyjs=False,
        config=_PLOTLY_CONFIG,
        div_id=div_id,
        default_width="100%",
    )


def _goals_table(done: dict[str, int], goals: dict[str, int]) -> str:
    rows = []
    for key in GOAL_KEYS:
        goal, count = goals[key], done[key]
        share = 100 if goal == 0 else min(100, round(100 * count / goal))
        met = "met" if count >= goal else ""
        rows.append(
            f'<tr class="{met}"><th scope="row">{html.escape(WEEKLY.label(key))}</th>'
            f'<td class="num">{count:,}</td><td class="num">{goal:,}</td>'
            f'<td><div class="bar" role="presentation"><span style="width:{share}%"></span>'
            "</div></td></tr>"
        )
    return (
        '<table class="goals"><thead><tr><th scope="col">Step</th><th scope="col">Done</th>'
        '<th scope="col">Goal</th><th scope="col">Progress</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _due_tiles(counts: dict[str, int]) -> str:
    tiles = "".join(
        f'<div class="tile"><div class="value">{counts[name]:,}</div>'
        f'<div class="label">{html.escape(title)}</div>'
        f'<div class="hint">{html.escape(DUE_LIST[name].help)}</div></div>'
        for name, title in ((name, DUE_LIST.label(name)) for name in DUE_ORDER)
    )
    return f'<div class="tiles">{tiles}</div>'


def _loops_section(figure: loops.LoopsClosed | None, referrers: pd.DataFrame | None) -> str:
    """Loops closed: the Dashboard's figure, then each top referrer's reached and told."""
    if figure is None:
        return ""
    line = (
        f"{loops.loops_value(figure)} referrals reached in this period had their referrer "
        f"told how it went ({loops.loops_note(figure)})."
        if figure.reached
        else "No referral was reached in this period yet."
    )
    rows = []
    for row in (referrers if referrers is not None else pd.DataFrame()).itertuples(index=False):
        rows.append(
            f'<tr><th scope="row">{html.escape(str(row.name))}</th>'
            f'<td class="num">{int(row.referrals):,}</td><td class="num">{int(row.reached):,}</td>'
            f"<td>{html.escape(loop_words(int(row.reached), int(row.told)))}</td></tr>"
        )
    table = (
        '<table class="goals"><thead><tr><th scope="col">Referrer</th>'
        '<th scope="col">Referrals</th><th scope="col">Reached</th>'
        f'<th scope="col">Told how it went</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        if rows
        else ""
    )
    return (
        f"<section><h2>{html.escape(LOOPS_CLOSED.label)}</h2>"
        f"<p>{html.escape(line)}</p>{table}</section>"
    )


def _due_names(people: pd.DataFrame) -> str:
    blocks = []
    for name in DUE_ORDER:
        title = DUE_LIST.label(name)
        rows = people[people["list"] == name]
        if rows.empty:
            continue
        items = []
        for row in rows.itertuples(index=False):
            company = f" — {html.escape(row.company)}" if isinstance(row.company, str) else ""
            days = (
                f' <span class="muted">({int(row.days_since_touch)} days)</span>'
                if name.startswith("follow_up") and pd.notna(row.days_since_touch)
                else ""
            )
            items.append(f"<li>{html.escape(row.full_name)}{company}{days}</li>")
        more = int(rows["total"].iloc[0]) - len(rows)
        extra = f'<li class="muted">and {more:,} more</li>' if more > 0 else ""
        blocks.append(f"<div><h3>{html.escape(title)}</h3><ul>{''.join(items)}{extra}</ul></div>")
    if not blocks:
        return ""
    return '<section><h2>Who is next</h2><div class="names">' + "".join(blocks) + "</div></section>"


def render_report(
    data: ReportData,
    *,
    redact: bool,
    generated_at: datetime,
    data_as_of: datetime | None = None,
) -> str:
    """The report page for already-read data (pure: no database)."""
    period = data.period
    funnel_rows = data.funnel
    targets = int(funnel_rows["contacts"].iloc[0])
    monday = period.day - timedelta(days=period.day.weekday())
    week_label = f"{period.day.isocalendar().year}-W{period.day.isocalendar().week:02d}"
    done = week_numbers(data.weekly, period.day)
    referrals = data.referrals
    generations = referrals["generations"]

    if targets:
        funnel = funnel_figure(funnel_rows).update_traces(connector={"fillcolor": "#e4e7eb"})
        funnel_html = _figure_html(funnel, "funnel")
    else:
        funnel_html = '<p class="empty">No targets identified in this period yet.</p>'
    if len(data.weekly):
        trend_html = _figure_html(weekly_trend_figure(data.weekly), "trend")
    else:
        trend_html = '<p class="empty">No records in this period yet.</p>'
    if generations:
        multiplier = multiplier_figure(network.multiplier_frame(generations))
        multiplier_html = _figure_html(multiplier, "multiplier")
    else:
        multiplier_html = '<p class="empty">No people in this period yet.</p>'

    meta = [
        f"Period: {html.escape(review.describe_period(None, period))}",
        f"Generated {html.escape(human_moment(generated_at))}",
    ]
    if data_as_of is not None:
        meta.append(f"data as of {html.escape(human_moment(data_as_of))}")
    privacy = (
        "Aggregates only: no names, emails, phones, URLs, companies or notes."
        if redact
        else "This report names people in your network: share it only with people you trust. "
        "A redacted report (--redact) shows counts only."
    )
    names_html = "" if redact or data.due_people is None else _due_names(data.due_people)
    referral_line = referrals_line(referrals)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Warm Leads">
<title>Warm Leads report — {html.escape(week_label)}</title>
<style>{_CSS}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head>
<body>
<main>
<header>
<h1>Warm Leads — networking report</h1>
<p class="meta">{" · ".join(meta)}</p>
<p class="privacy">{html.escape(privacy)}</p>
</header>
<section>
<h2>This week ({html.escape(week_label)}, from {html.escape(human_date(monday))})</h2>
{_goals_table(done, data.goals)}
</section>
<section>
<h2>Due as of {html.escape(human_date(period.day))}</h2>
{_due_tiles(data.due_counts)}
</section>
{names_html}
{_loops_section(data.loops, data.referrers)}
{_companies_section(data.companies, names=data.company_names, redact=redact)}
<section class="chart"><h2>The funnel</h2>{funnel_html}</section>
<section class="chart"><h2>The weekly trend</h2>{trend_html}</section>
<section class="chart"><h2>The multiplier</h2>
<p>{html.escape(referral_line)}</p>
{multiplier_html}
</section>
<footer>Made with Warm Leads. This file is self-contained: it opens without a network.</footer>
</main>
</body>
</html>
"""


def build_report(
    db: Database,
    period: Period,
    *,
    redact: bool = False,
    generated_at: datetime | None = None,
) -> str:
    """The dashboard as one self-contained HTML page (the CLI's and the app's report)."""
    data = read_report_data(db, period, redact=redact)
    copy = db.snapshot
    return render_report(
        data,
        redact=redact,
        generated_at=generated_at or datetime.now().astimezone(),
        data_as_of=copy.as_of if copy is not None else None,
    )


def check_out_path(out: str | Path, *, db_path: str | Path | None, force: bool = False) -> Path:
    """The path a report may be written to (the output guard: never the data, `--force`)."""
    return check_output(out, db_path=db_path, force=force)


def write_report(
    html_text: str, out: str | Path, *, db_path: str | Path | None, force: bool = False
) -> Path:
    """Write the report to `out` whole or not at all, owner-only, through the output guard."""
    return write_output(out, html_text.encode("utf-8"), db_path=db_path, force=force)


_CSS = """
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb;
        --accent: #54A24B; --bg: #ffffff; --panel: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
h3 { font-size: 1rem; margin: 0 0 6px; }
section { margin: 28px 0; }
.meta, .muted, footer, .hint { color: var(--muted); }
.meta { margin: 0; }
.privacy { background: var(--panel); border-left: 4px solid var(--accent);
           padding: 8px 12px; margin: 12px 0 0; }
table.goals { width: 100%; border-collapse: collapse; }
table.goals th, table.goals td { padding: 6px 8px; border-bottom: 1px solid var(--line);
                                 text-align: left; }
table.goals td.num { text-align: right; font-variant-numeric: tabular-nums; width: 5em; }
table.goals tr.met th::after { content: " ✓"; color: var(--accent); }
.bar { background: var(--line); border-radius: 4px; height: 10px; min-width: 120px; }
.bar span { display: block; height: 100%; background: var(--accent); border-radius: 4px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
.tile { background: var(--panel); border-radius: 8px; padding: 12px 14px; }
.tile .value { font-size: 2rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .label { font-weight: 600; }
.tile .hint { font-size: 0.85rem; }
.names { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 16px; }
.names ul { margin: 0; padding-left: 1.1em; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 40px; font-size: 0.85rem; }
@media print { .chart { break-inside: avoid; } }
"""
