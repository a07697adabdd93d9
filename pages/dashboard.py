"""Dashboard: the funnel of the current data."""

import streamlit as st

from lib import stats
from lib.figures import funnel_figure
from lib.ui import query

st.title("Dashboard")
period = stats.make_period()
funnel = query(stats.funnel, period)
if int(funnel["contacts"].iloc[0]) == 0:
    st.info(
        "No targets yet. Add your first target, import your LinkedIn connections, "
        "or load the demo network with `python -m lib.cli demo`."
    )
else:
    st.plotly_chart(funnel_figure(funnel), width="stretch")
