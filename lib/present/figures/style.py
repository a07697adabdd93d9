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


def styled(figure: go.Figure, title: str, height: int, **extra: object) -> go.Figure:
    """The figure with its title on the left, its legend above on the right, and `height`."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
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
