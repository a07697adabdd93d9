"""Pure figures: DataFrame in, plotly Figure out. No database, no Streamlit.

One colour per stage (lib.core.vocab.STAGE_COLORS) in every chart. No background or
font colour is fixed here, so Streamlit's light and dark themes both apply.
User text (names, companies) is escaped: plotly reads a few HTML tags in labels.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from lib.core.vocab import STAGE_COLORS, STAGE_LABELS, STAGES, WEEKLY

NEUTRAL = "#8C8C8C"  # ideal curves, "+N more" branches: readable on light and dark
BELOW_GOAL_OPACITY = 0.4
# The weekly trend draws one line per step of the method, in that step's colour.
TREND_SERIES: tuple[str, ...] = ("targets", "contacted", "referral_asked", "thank_you", "follow_up")
# The trend draws at most five years of weeks: a period reaching far from its records (say
# `--as-of 2200-12-31`) would otherwise put every empty week in the report (78 MB at 9999).
TREND_WEEKS = 260
NOT_SHARED = "#B2D5AE"  # the "asked" green lightened: a legend swatch of its own
# Short enough to read beside a narrow bar on a 390 px phone; % of previous is in the hover.
FUNNEL_TEXT = "%{value:,}  ·  %{percentInitial:.0%} of targets"
FUNNEL_SHORT = "%{value:,}  ·  %{percentInitial:.0%}"  # beside a narrow bar
# A funnel bar narrower than this share of the widest has its label beside it, not inside.
FUNNEL_INSIDE_SHARE = 0.4
LABEL_MIN_SIZE = 12  # px: plotly never shrinks a bar's label below this


def _layout(figure: go.Figure, title: str, height: int, **extra: object) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
        hoverlabel={"align": "left"},
        **extra,
    )
    return figure


def _whole_numbers(top: float) -> dict[str, object]:
    """Axis settings that tick at round whole numbers (no '1, 1, 2, 2' on small counts)."""
    rough = max(top / 4, 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    return {"tick0": 0, "dtick": step, "tickformat": ",d", "rangemode": "tozero"}


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def funnel_figure(funnel: pd.DataFrame, *, title: str = "From target to follow-up") -> go.Figure:
    """The five-stage funnel: each bar's count and % of targets; hover adds % of previous."""
    stages = list(funnel["stage"])
    counts = [int(n) for n in funnel["contacts"]]
    # A narrow bar (1 of 7) keeps a readable label by putting it, shorter, beside the bar.
    inside = [bool(n) and n >= FUNNEL_INSIDE_SHARE * max(counts) for n in counts]
    figure = go.Figure(
        go.Funnel(
            y=[STAGE_LABELS[s] for s in stages],
            x=counts,
            texttemplate=["%{value:,} targets"]
            + [FUNNEL_TEXT if fits else FUNNEL_SHORT for fits in inside[1:]],
            textposition=["inside" if fits else "outside" for fits in inside],
            constraintext="none",
            cliponaxis=False,
            textfont={"size": 14},
            marker={"color": [STAGE_COLORS[s] for s in stages]},
            connector={"line": {"width": 0}, "fillcolor": "rgba(140, 140, 140, 0.18)"},
            hovertemplate="<b>%{y}</b>: %{x:,} people<br>%{percentPrevious:.0%} of the "
            "previous step<br>%{percentInitial:.0%} of targets<extra></extra>",
        )
    )
    figure.update_yaxes(title=None, tickfont={"size": 14})
    return _layout(figure, title, 400, uniformtext={"minsize": LABEL_MIN_SIZE, "mode": "show"})


def _week_label(week: str, start: object, *, last: bool = False, date: bool = True) -> str:
    if not date:
        return week[-3:]
    return f"{week[-3:]}{' (so far)' if last else ''}<br>{pd.Timestamp(start):%-d %b}"


def _week_labels(weeks: pd.DataFrame, *, date: bool = True) -> list[str]:
    """Category labels for ISO weeks: 'W47<br>16 Nov' (the last one 'so far'), or just 'W47'."""
    pairs = list(zip(weeks["week"], weeks["week_start"], strict=True))
    return [
        _week_label(week, start, last=k == len(pairs) - 1, date=date)
        for k, (week, start) in enumerate(pairs)
    ]


def _padded_weeks(weeks: pd.DataFrame, shown: int | None, *, date: bool = True) -> list[str]:
    """The week labels for an axis of `shown` weeks: the weeks before the first one blank."""
    labels = _week_labels(weeks, date=date)
    missing = max(0, (shown or 0) - len(labels))
    first = pd.Timestamp(weeks["week_start"].iloc[0]) if len(weeks) else pd.Timestamp.today()
    before = []
    for k in range(missing, 0, -1):
        start = first - pd.Timedelta(weeks=k)
        week = f"W{start.isocalendar().week:02d}"
        before.append(f"{week}<br>{start:%-d %b}" if date else week)
    return before + labels


def _week_axis(categories: list[str]) -> dict[str, object]:
    """A category axis that keeps every week in `categories`, with data or not."""
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": categories,
        "range": [-0.5, len(categories) - 0.5],
    }


def _goal_marker() -> dict[str, object]:
    """A goal drawn as a short bar-wide dash: it shows even for one week (a line needs two)."""
    return {"symbol": "line-ew", "size": 26, "line": {"width": 3, "color": NEUTRAL}}


def _grid(
    titles: list[str], tops: list[int], columns: int, *, gap_x: float = 0.06, gap_y: float = 0.12
) -> dict[str, object]:
    """Layout for small multiples: axes x1/y1… in rows of `columns`, a title above each."""
    rows = math.ceil(len(titles) / columns)
    width = (1 - gap_x * (columns - 1)) / columns
    height = (1 - gap_y * (rows - 1)) / rows
    layout: dict[str, object] = {"annotations": []}
    for index, (title, top) in enumerate(zip(titles, tops, strict=True)):
        row, col = divmod(index, columns)
        left = col * (width + gap_x)
        bottom = max(0.0, 1 - row * (height + gap_y) - height)  # no -5e-17 from rounding
        suffix = str(index + 1) if index else ""
        layout[f"xaxis{suffix}"] = {
            "domain": [left, left + width],
            "anchor": f"y{index + 1}",
            "tickangle": 0,
            "showticklabels": row == rows - 1 or index + columns >= len(titles),
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [bottom, bottom + height],
            "anchor": f"x{index + 1}",
            **_whole_numbers(top),
        }
        layout["annotations"].append(
            {
                "text": title,
                "x": left + width / 2,
                "y": bottom + height,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 15},
            }
        )
    return layout


def weekly_goals_figure(
    progress: pd.DataFrame, *, columns: int = 2, weeks_shown: int | None = None
) -> go.Figure:
    """One panel of weekly bars per step, each against its goal (a dash per week, joined).

    `progress` is `lib.engine.review.goal_progress`: week, week_start, step, label, stage,
    done, goal, met. Bars below the goal are faded. With `weeks_shown`, the axis holds that
    many weeks even when there are fewer (a first week stays one bar wide, on the right).
    """
    steps = list(dict.fromkeys(progress["step"]))
    rows = math.ceil(len(steps) / columns)
    labels = [progress.loc[progress["step"] == s, "label"].iloc[0] for s in steps]
    traces: list[go.BaseTraceType] = []
    tops: list[int] = []
    for index, step in enumerate(steps):
        part = progress[progress["step"] == step]
        x = _week_labels(part, date=False)
        color = STAGE_COLORS[part["stage"].iloc[0]]
        axis = index + 1
        traces.append(
            go.Bar(
                x=x,
                y=list(part["done"].astype(int)),
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
                name=labels[index],
                marker={
                    "color": color,
                    "opacity": [1.0 if met else BELOW_GOAL_OPACITY for met in part["met"]],
                },
                customdata=list(
                    zip(
                        part["week"],
                        [f"{pd.Timestamp(d):%-d %b}" for d in part["week_start"]],
                        part["goal"].astype(int),
                        strict=True,
                    )
                ),
                hovertemplate=f"<b>{labels[index]}</b><br>%{{customdata[0]}} "
                "(week of %{customdata[1]})<br>%{y} done · goal %{customdata[2]}<extra></extra>",
                showlegend=False,
            )
        )
        traces.append(
            go.Scatter(
                x=x,
                y=list(part["goal"].astype(int)),
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
                name="Weekly goal",
                mode="lines+markers",
                line={"color": NEUTRAL, "dash": "dash", "width": 2},
                marker=_goal_marker(),
                hovertemplate="goal %{y}<extra></extra>",
                showlegend=index == 0,
                legendgroup="goal",
            )
        )
        tops.append(max([*part["done"].astype(int), *part["goal"].astype(int), 1]))
    # A hand-made grid: make_subplots and per-trace add_trace cost ~0.1 s per figure.
    layout = _grid(labels, tops, columns)
    first = progress[progress["step"] == steps[0]] if steps else progress
    axis = _week_axis(_padded_weeks(first, weeks_shown, date=False))
    for index in range(len(steps)):
        layout[f"xaxis{index + 1 if index else ''}"].update(axis)
    figure = go.Figure(data=traces, layout=layout)
    return _layout(
        figure,
        "Each week against your goals (faded: goal missed)",
        230 * rows + 90,
        bargap=0.25,
    )


def conversation_trend_figure(trend: pd.DataFrame, *, weeks_shown: int | None = None) -> go.Figure:
    """Conversations per week, with the 4-week average as a trend line (each week a marker,
    so one week shows too); `weeks_shown` keeps that many weeks on the axis."""
    x = _week_labels(trend)
    color = STAGE_COLORS["contacted"]
    figure = go.Figure(
        [
            go.Scatter(
                x=x,
                y=list(trend["conversations"].astype(int)),
                name="Conversations",
                mode="lines+markers",
                line={"color": color, "width": 3},
                customdata=list(trend["week"]),
                hovertemplate="%{customdata}: %{y} conversations<extra></extra>",
            ),
            go.Scatter(
                x=x,
                y=list(trend["average"]),
                name="4-week average",
                mode="lines+markers",
                line={"color": NEUTRAL, "dash": "dot", "width": 2},
                marker={"color": NEUTRAL, "size": 8, "symbol": "diamond"},
                customdata=list(trend["week"]),
                hovertemplate="%{customdata}: %{y:.1f} a week on average<extra></extra>",
            ),
        ]
    )
    top = max([*trend["conversations"].astype(int), 1])
    figure.update_yaxes(title="conversations", **_whole_numbers(top))
    figure.update_xaxes(**_week_axis(_padded_weeks(trend, weeks_shown)))
    return _layout(figure, "Conversations per week", 320)


def trend_weeks(weekly: pd.DataFrame, limit: int = TREND_WEEKS) -> pd.DataFrame:
    """The weeks the trend draws: all of them, or the last `limit` up to the last busy week."""
    if len(weekly) <= limit:
        return weekly
    busy = weekly[list(TREND_SERIES)].sum(axis=1) > 0
    last = int(busy.to_numpy().nonzero()[0][-1]) + 1 if busy.any() else len(weekly)
    return weekly.iloc[max(0, last - limit) : last]


def weekly_trend_figure(weekly: pd.DataFrame) -> go.Figure:
    """One line per step of the method (`stats.weekly` rows), one point per ISO week.

    At most `TREND_WEEKS` weeks (`trend_weeks`). The x axis is the weeks' Mondays as dates,
    so a long period thins its ticks by itself.
    """
    weekly = trend_weeks(weekly)
    x = list(weekly["week_start"])
    figure = go.Figure()
    for column in TREND_SERIES:
        label, color = WEEKLY[column].label, WEEKLY[column].color
        figure.add_trace(
            go.Scatter(
                x=x,
                y=[int(n) for n in weekly[column]],
                customdata=list(weekly["week"]),
                name=label,
                mode="lines+markers",
                line={"color": color, "width": 2},
                hovertemplate=f"{label}: %{{y}}<br>%{{customdata}}<extra></extra>",
            )
        )
    top = max([int(n) for column in TREND_SERIES for n in weekly[column]] + [1])
    figure.update_yaxes(title="per week", **_whole_numbers(top))
    return _layout(figure, "Week by week", 340, hovermode="x unified")


def multiplier_figure(generations: pd.DataFrame) -> go.Figure:
    """People per referral generation (bars) against the ideal ×3 curve (dashed)."""
    names = [
        f"Gen {g}<br>{'found by you' if g == 0 else 'referred'}" for g in generations["generation"]
    ]
    contacts = [int(n) for n in generations["contacts"]]
    ideal = [None if pd.isna(v) else int(v) for v in generations["ideal"]]
    ratios = ["" if pd.isna(r) else f" (×{r:.1f})" for r in generations["ratio"]]
    top = max(contacts + [1])
    log = max((v for v in ideal if v), default=0) > 10 * top
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=contacts,
                name="Your network",
                marker={"color": STAGE_COLORS["asked"]},
                text=[f"{n:,}{r}" for n, r in zip(contacts, ratios, strict=True)],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{x}: %{y:,} people<extra></extra>",
            ),
            go.Scatter(
                x=names,
                y=ideal,
                name="Ideal: everyone refers 3 (×3)",
                mode="lines+markers",
                line={"color": NEUTRAL, "dash": "dash", "width": 2},
                hovertemplate="ideal %{y:,}<extra></extra>",
            ),
        ]
    )
    if log:
        # 1, 2, 5, 10, 20, 50…: whole numbers that never crowd into each other.
        figure.update_yaxes(title="people (log scale)", type="log", tickformat=",d", dtick="D2")
    else:
        top = max([top, *(v or 0 for v in ideal)])
        figure.update_yaxes(title="people", type="linear", **_whole_numbers(top))
    return _layout(figure, "The multiplier: people per referral generation", 380)


def _escape(text: object) -> str:
    return html.escape(str(text), quote=False)


def _wedge_sizes(tree: pd.DataFrame) -> dict[str, int]:
    """Each wedge's angle: a person's is the sum of the wedges they referred (1 with none).

    Sized by people counted with themselves, a referrer's wedge was one person wider than the
    ring of people they referred, leaving an empty, unexplained gap in the next ring; sized by
    the people at the ends of the chains, every ring is filled. Hover still tells the true
    count of each branch. A "+N more" branch is N wide.
    """
    children: dict[str, list[str]] = {}
    for node, parent in zip(tree["id"], tree["parent"], strict=True):
        children.setdefault(parent, []).append(node)
    leaf_width = {
        node: 1 if isinstance(stage, str) else int(value)
        for node, stage, value in zip(tree["id"], tree["stage"], tree["value"], strict=True)
    }
    sizes: dict[str, int] = {}

    def size(node: str) -> int:
        if node not in sizes:
            below = children.get(node, [])
            sizes[node] = sum(size(child) for child in below) if below else leaf_width[node]
        return sizes[node]

    return {node: size(node) for node in tree["id"]}


def referral_tree_figure(tree: pd.DataFrame, *, centre: str = "You") -> go.Figure:
    """The referral trees as a sunburst: you in the centre, each ring one generation.

    `tree` is `lib.engine.network.referral_tree`'s frame; each person is coloured by their stage
    ("+N more" branches are grey).
    """
    stage_names = [s if isinstance(s, str) else None for s in tree["stage"]]
    colors = [STAGE_COLORS[s] if s else NEUTRAL for s in stage_names]
    hover = [
        (
            f"<b>{_escape(label)}</b><br>{STAGE_LABELS[stage]}<br>"
            f"referred {int(referred)} ({int(warm)} warm)<br>{int(value):,} in this branch"
            if stage
            else f"{int(value):,} more people in this branch"
        )
        for label, stage, referred, warm, value in zip(
            tree["label"], stage_names, tree["referred"], tree["warm"], tree["value"], strict=True
        )
    ]
    total = int(tree.loc[tree["parent"] == "you", "value"].sum())
    sizes = _wedge_sizes(tree)
    figure = go.Figure(
        go.Sunburst(
            ids=["you", *tree["id"]],
            labels=[centre, *(_escape(label) for label in tree["label"])],
            parents=["", *tree["parent"]],
            values=[
                sum(sizes[i] for i in tree.loc[tree["parent"] == "you", "id"]),
                *sizes.values(),
            ],
            branchvalues="total",
            marker={"colors": ["rgba(0,0,0,0)", *colors], "line": {"width": 1}},
            hovertext=[f"{total:,} people in your referral trees", *hover],
            hoverinfo="text",
            insidetextorientation="radial",
            maxdepth=4,
        )
    )
    # Legend entries for the stage colours (a sunburst has no legend of its own).
    for stage in STAGES:
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=STAGE_LABELS[stage],
                marker={"color": STAGE_COLORS[stage], "size": 12, "symbol": "square"},
                hoverinfo="skip",
            )
        )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _layout(
        figure, "Who referred whom (click a branch to zoom in)", 620, plot_bgcolor="rgba(0,0,0,0)"
    )


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def top_referrers_figure(referrers: pd.DataFrame) -> go.Figure:
    """The people who gave you the most referrals: warm and name-not-shared, stacked."""
    frame = referrers.iloc[::-1]  # plotly draws the first bar at the bottom
    # Positions, not names, on the axis: two people may share a name.
    rows = list(range(len(frame)))
    names = [_escape(n) for n in frame["name"]]
    warm = [int(n) for n in frame["warm"]]
    other = [int(r) - int(w) for r, w in zip(frame["referrals"], frame["warm"], strict=True)]
    companies = frame["company"] if "company" in frame else [None] * len(frame)
    details = [
        f"<b>{name}</b>" + (f" · {_escape(company)}" if isinstance(company, str) else "")
        for name, company in zip(names, companies, strict=True)
    ]
    contacted = [int(c) for c in frame["contacted"]]
    reached = [int(n) for n in frame["reached"]] if "reached" in frame else [0] * len(frame)
    told = [int(n) for n in frame["told"]] if "told" in frame else [0] * len(frame)
    loops = [loop_words(r, t) for r, t in zip(reached, told, strict=True)]
    custom = list(zip(details, frame["referrals"].astype(int), contacted, loops, strict=True))
    template = (
        "%{customdata[0]}<br>%{customdata[1]} referrals, %{x} {kind}<br>"
        "%{customdata[2]} of them contacted<br>%{customdata[3]}<extra></extra>"
    )
    color = STAGE_COLORS["asked"]
    figure = go.Figure(
        [
            go.Bar(
                y=rows,
                x=warm,
                orientation="h",
                name="Warm (may use their name)",
                marker={"color": color},
                customdata=custom,
                hovertemplate=template.replace("{kind}", "warm"),
            ),
            go.Bar(
                y=rows,
                x=other,
                orientation="h",
                name="Name not shared",
                marker={"color": NOT_SHARED},
                customdata=custom,
                hovertemplate=template.replace("{kind}", "without their name"),
            ),
        ]
    )
    # At each bar's end: how many of their referrals you reached, and whether you told them.
    figure.add_trace(
        go.Scatter(
            y=rows,
            x=[int(n) for n in frame["referrals"]],
            mode="text",
            text=[f"  {words}" if r else "" for words, r in zip(loops, reached, strict=True)],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    short = [_escape(_short(str(n))) for n in frame["name"]]  # cut first: never half an entity
    figure.update_yaxes(tickmode="array", tickvals=rows, ticktext=short)
    top = max(int(frame["referrals"].max()) if len(frame) else 1, 1)
    figure.update_xaxes(title="referrals given", **_whole_numbers(top), range=[0, top * 1.9])
    figure.update_layout(legend={"traceorder": "normal"})
    return _layout(figure, "Top referrers", 100 + 34 * max(len(names), 3), barmode="stack")


def loop_words(reached: int, told: int) -> str:
    """How a referrer's loop stands: '2 reached · told', '2 reached · 1 not told yet'."""
    if not reached:
        return "none reached yet"
    untold = reached - told
    return f"{reached:,} reached · " + ("told" if not untold else f"{untold:,} not told yet")


def warm_cold_figure(groups: pd.DataFrame) -> go.Figure:
    """Warm referrals vs cold targets: the share contacted and the share who referred someone."""
    labels = list(groups["label"])
    traces = []
    for column, name, stage, verb in (
        ("contacted", "Contacted", "contacted", "contacted"),
        ("referred_someone", "Referred someone", "asked", "referred someone"),
    ):
        shares = [float(s) for s in groups[f"{column}_share"]]
        custom = list(zip(groups[column].astype(int), groups["targets"].astype(int), strict=True))
        traces.append(
            go.Bar(
                x=labels,
                y=shares,
                name=name,
                marker={"color": STAGE_COLORS[stage]},
                text=[f"{s:.0%}" for s in shares],
                textposition="outside",
                cliponaxis=False,
                customdata=custom,
                hovertemplate=f"%{{x}}<br>%{{customdata[0]:,}} of %{{customdata[1]:,}} {verb}"
                "<extra></extra>",
            )
        )
    figure = go.Figure(traces)
    figure.update_yaxes(title="share of targets", tickformat=".0%", range=[0, 1.12])
    return _layout(figure, "Warm vs cold", 380, barmode="group")


def by_source_figure(sources: pd.DataFrame) -> go.Figure:
    """Targets, people talked to and referrals given, per source."""
    labels = list(sources["short_label"])
    targets = [int(n) for n in sources["targets"]]
    traces = []
    for column, name, stage in (
        ("targets", "Targets", "targeted"),
        ("contacted", "Talked to", "contacted"),
        ("referrals", "Referrals they gave", "asked"),
    ):
        values = [int(n) for n in sources[column]]
        rates = [
            _percent(v, t) + " of targets" if column == "contacted" else f"{v / t:.2f} per target"
            for v, t in zip(values, targets, strict=True)
        ]
        traces.append(
            go.Bar(
                x=labels,
                y=values,
                name=name,
                marker={"color": STAGE_COLORS[stage]},
                customdata=list(zip(sources["label"], rates, strict=True)),
                hovertemplate=f"<b>%{{customdata[0]}}</b><br>{name}: %{{y:,}}"
                + ("" if column == "targets" else " (%{customdata[1]})")
                + "<extra></extra>",
            )
        )
    figure = go.Figure(traces)
    top = max([1, *(int(n) for c in ("targets", "contacted", "referrals") for n in sources[c])])
    figure.update_yaxes(title="people", **_whole_numbers(top))
    return _layout(figure, "Results by source", 400, barmode="group")
