"""What every figure shares: the neutral grey, the title and legend layout, whole-number axes.

One colour per stage (lib.core.vocab.STAGE_COLORS) in every chart. No background or
font colour is fixed here, so Streamlit's light and dark themes both apply.
User text (names, companies) is escaped: plotly reads a few HTML tags in labels.
"""

from __future__ import annotations

import html
import math

import plotly.graph_objects as go

NEUTRAL = "#8C8C8C"  # ideal curves, "+N more" branches: readable on light and dark
# Colours for things with no order of their own (target companies): distinct from each other
# and from NEUTRAL, readable on light and dark (Tableau 10 without its grey).
CATEGORY_COLORS: tuple[str, ...] = (
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
)


def styled(figure: go.Figure, title: str, height: int, **extra: object) -> go.Figure:
    """The figure with its title at the top left, its legend below the chart, and `height`.

    On a phone (390 px) a legend beside the title ran over it; below the axis, in the
    figure's own space, it wraps onto as many rows as it needs and pushes nothing.
    """
    figure.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 10},
            "automargin": True,
        },
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "xanchor": "left",
            "x": 0,
        },
        hoverlabel={"align": "left"},
        **extra,
    )
    return figure


def whole_numbers(top: float) -> dict[str, object]:
    """Axis settings that tick at round whole numbers (no '1, 1, 2, 2' on small counts)."""
    rough = max(top / 4, 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    return {"tick0": 0, "dtick": step, "tickformat": ",d", "rangemode": "tozero"}


def escape(text: object) -> str:
    """User text made safe for a plotly label (plotly reads a few HTML tags)."""
    return html.escape(str(text), quote=False)
