"""Pure figures: DataFrame in, plotly Figure out. No database, no Streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.vocab import STAGE_COLORS, STAGE_LABELS


def funnel_figure(funnel: pd.DataFrame, *, title: str = "From target to follow-up") -> go.Figure:
    """The five-stage funnel with counts, % of previous and % of targets."""
    stages = list(funnel["stage"])
    counts = [int(n) for n in funnel["contacts"]]
    figure = go.Figure(
        go.Funnel(
            y=[STAGE_LABELS[s] for s in stages],
            x=counts,
            textinfo="value+percent previous+percent initial",
            marker={"color": [STAGE_COLORS[s] for s in stages]},
            connector={"line": {"width": 0}},
            hovertemplate="%{y}: %{x} contacts<br>%{percentPrevious} of previous step"
            "<br>%{percentInitial} of targets<extra></extra>",
        )
    )
    figure.update_layout(title=title, margin={"l": 10, "r": 10, "t": 50, "b": 10}, height=380)
    return figure
