"""The Network page's figures: the multiplier, the referral tree, top referrers, warm vs cold,
results by source (the report shows the multiplier and the referrers' loop words)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.core.vocab import STAGE_COLORS, STAGE_LABELS, STAGES
from lib.present.figures.style import CATEGORY_COLORS, NEUTRAL, escape, styled, whole_numbers

NOT_SHARED = "#B2D5AE"  # the "asked" green lightened: a legend swatch of its own
NO_COMPANY = "No target company"
OTHER_COMPANIES = "Other target companies"
OTHER_COLOR = "#C9A66B"  # a sand colour: neither grey nor one of CATEGORY_COLORS
MORE_COLOR = "#D3D3D3"  # "+N more" branches when grey already means "no target company"


def multiplier_figure(generations: pd.DataFrame) -> go.Figure:
    """People per referral generation (bars) beside the ideal ×3 (grey marks, values written).

    The axis spans your own numbers, so a generation of 2 stays readable next to an ideal of
    486: an ideal above the axis sits at its top as a triangle, its value written beside it.
    """
    names = [
        f"Gen {g}<br>{'found by you' if g == 0 else 'referred'}" for g in generations["generation"]
    ]
    places = list(range(len(names)))
    contacts = [int(n) for n in generations["contacts"]]
    ideal = [None if pd.isna(v) else int(v) for v in generations["ideal"]]
    ratios = ["" if pd.isna(r) else f" (×{r:.1f})" for r in generations["ratio"]]
    top = max(contacts + [1])
    cap = top * 1.25  # an ideal above this is drawn here, as ▲
    figure = go.Figure(
        [
            go.Bar(
                x=places,
                y=contacts,
                width=0.55,
                name="Your network",
                marker={"color": STAGE_COLORS["asked"]},
                text=[f"{n:,}{r}" for n, r in zip(contacts, ratios, strict=True)],
                textposition="outside",
                cliponaxis=False,
                customdata=names,
                hovertemplate="%{customdata}: %{y:,} people<extra></extra>",
            ),
            go.Scatter(
                x=[p + 0.38 for p in places],  # beside the bar: its own number stays clear
                y=[None if v is None else min(v, cap) for v in ideal],
                name="Ideal: everyone refers 3 (×3; ▲ above the chart)",
                mode="markers+text",
                marker={
                    "color": NEUTRAL,
                    "size": 10,
                    "symbol": [
                        "triangle-up" if v is not None and v > cap else "circle" for v in ideal
                    ],
                },
                text=["" if v is None else f"{v:,}" for v in ideal],
                textposition="top center",
                textfont={"color": NEUTRAL},
                cliponaxis=False,
                customdata=[
                    [n, "" if v is None else f"{v:,}"] for n, v in zip(names, ideal, strict=True)
                ],
                hovertemplate="%{customdata[0]}: ideal %{customdata[1]}<extra></extra>",
            ),
        ]
    )
    figure.update_xaxes(tickmode="array", tickvals=places, ticktext=names, range=[-0.5, len(names)])
    figure.update_yaxes(title="people", range=[0, top * 1.45], **whole_numbers(top))
    return styled(figure, "The multiplier: people per generation", 380)


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


def company_colors(tree: pd.DataFrame, companies: dict[int, str]) -> dict[int, tuple[str, str]]:
    """Each target company drawn in the tree: its legend name and colour, in `companies`' order.

    The first companies get CATEGORY_COLORS; any beyond share one "Other target companies".
    """
    drawn = {int(c) for c in tree["company_id"] if not pd.isna(c) and int(c) in companies}
    ordered = [c for c in companies if c in drawn]
    return {
        company: (companies[company], CATEGORY_COLORS[n])
        if n < len(CATEGORY_COLORS)
        else (OTHER_COMPANIES, OTHER_COLOR)
        for n, company in enumerate(ordered)
    }


def referral_tree_figure(
    tree: pd.DataFrame, *, centre: str = "You", companies: dict[int, str] | None = None
) -> go.Figure:
    """The referral trees as a sunburst: you in the centre, each ring one generation.

    `tree` is `lib.engine.network.referral_tree`'s frame; each person is coloured by their stage
    ("+N more" branches are grey), or, given `companies` (target company id → the name to
    show, in the target list's order), by the target company they are at (none: grey).
    """
    stage_names = [s if isinstance(s, str) else None for s in tree["stage"]]
    palette = company_colors(tree, companies) if companies is not None else {}
    at = [
        None if pd.isna(c) else palette.get(int(c))
        for c in (tree["company_id"] if "company_id" in tree else [None] * len(tree))
    ]
    if companies is None:
        colors = [STAGE_COLORS[s] if s else NEUTRAL for s in stage_names]
    else:
        colors = [
            (where[1] if where else NEUTRAL) if stage else MORE_COLOR
            for stage, where in zip(stage_names, at, strict=True)
        ]
    hover = [
        (
            f"<b>{escape(label)}</b><br>{STAGE_LABELS[stage]}<br>"
            + (f"{escape(where[0] if where else NO_COMPANY)}<br>" if companies is not None else "")
            + f"referred {int(referred)} ({int(warm)} warm)<br>{int(value):,} in this branch"
            if stage
            else f"{int(value):,} more people in this branch"
        )
        for label, stage, referred, warm, value, where in zip(
            tree["label"],
            stage_names,
            tree["referred"],
            tree["warm"],
            tree["value"],
            at,
            strict=True,
        )
    ]
    total = int(tree.loc[tree["parent"] == "you", "value"].sum())
    sizes = _wedge_sizes(tree)
    figure = go.Figure(
        go.Sunburst(
            ids=["you", *tree["id"]],
            labels=[centre, *(escape(label) for label in tree["label"])],
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
    # Legend entries for the colours (a sunburst has no legend of its own).
    if companies is None:
        legend = [(STAGE_LABELS[stage], STAGE_COLORS[stage]) for stage in STAGES]
    else:
        legend = list(dict.fromkeys(palette.values())) + [(NO_COMPANY, NEUTRAL)]
    for name, color in legend:
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=escape(name),
                marker={"color": color, "size": 12, "symbol": "square"},
                hoverinfo="skip",
            )
        )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return styled(
        figure, "Who referred whom (click a branch to zoom in)", 620, plot_bgcolor="rgba(0,0,0,0)"
    )


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def top_referrers_figure(referrers: pd.DataFrame) -> go.Figure:
    """The people who gave you the most referrals: warm and name-not-shared, stacked."""
    frame = referrers.iloc[::-1]  # plotly draws the first bar at the bottom
    # Positions, not names, on the axis: two people may share a name.
    rows = list(range(len(frame)))
    names = [escape(n) for n in frame["name"]]
    warm = [int(n) for n in frame["warm"]]
    other = [int(r) - int(w) for r, w in zip(frame["referrals"], frame["warm"], strict=True)]
    companies = frame["company"] if "company" in frame else [None] * len(frame)
    details = [
        f"<b>{name}</b>" + (f" · {escape(company)}" if isinstance(company, str) else "")
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
    short = [escape(_short(str(n))) for n in frame["name"]]  # cut first: never half an entity
    figure.update_yaxes(tickmode="array", tickvals=rows, ticktext=short)
    top = max(int(frame["referrals"].max()) if len(frame) else 1, 1)
    figure.update_xaxes(title="referrals given", **whole_numbers(top), range=[0, top * 1.9])
    figure.update_layout(legend={"traceorder": "normal"})
    return styled(figure, "Top referrers", 100 + 34 * max(len(names), 3), barmode="stack")


def loop_words(reached: int, told: int) -> str:
    """How a referrer's loop stands: '2 reached · told', '2 reached · 1 not told yet'."""
    if not reached:
        return "none reached yet"
    untold = reached - told
    return f"{reached:,} reached · " + ("told" if not untold else f"{untold:,} not told yet")
