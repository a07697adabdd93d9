"""Network: the referral multiplier, the referral tree, top referrers, warm vs cold, sources.

Warm vs cold and the sources are tables (every count written, readable on a phone): as two
more charts they cost the first visit 0.3 s more to draw (bench_first_visit)."""

import streamlit as st

from lib.engine import network, review
from lib.present.figures.network import (
    multiplier_figure,
    referral_tree_figure,
    top_referrers_figure,
)
from lib.present.tables import by_source_table, warm_cold_table
from lib.ui.companies import tree_companies
from lib.ui.data import query
from lib.ui.mode import app_mode
from lib.ui.review_view import review_view
from lib.ui.widgets import chart, plain_table

st.title("Network")
redact = app_mode().redact
if not query(review.has_records):
    st.info(
        "**Your network is empty.** Each target you add starts generation 0; each name they "
        "give you becomes generation 1. Three people who each refer three give nine, who each "
        "refer three give twenty-seven."
    )
    st.stop()

view, period = review_view(filters=False)
st.caption(review.describe_period(view, period))

generations = query(network.multiplier, period)
if int(generations["contacts"].sum()) == 0:
    st.info("No targets were identified in this period. Pick a longer period, or All time.")
    st.stop()

left, right = st.columns(2)
with left:
    chart(multiplier_figure(generations))
    if int(generations["contacts"].iloc[1:].sum()) == 0:
        st.info(
            "No referrals yet. End every conversation with: *“Who do you know that might be "
            "helpful for me to get in touch with?”* and log each name as referred by them."
        )
    else:
        st.caption(
            "Bars: people per generation (×: how many each person in the generation before "
            "referred on average). Grey dots: the ideal, where everyone refers three; a "
            "triangle stands for an ideal above the chart, its number written beside it."
        )
with right:
    st.markdown("**Warm vs cold**")
    plain_table(warm_cold_table(query(network.warm_vs_cold, period)))
    st.caption(
        "Of the period's targets: how many you contacted, and how many then referred someone. "
        "Warm referrals may use the referrer's name."
    )

tree, summary = query(network.referral_tree, period.day, redact=redact)
if summary.trees == 0:
    st.info(
        "**No referral chains yet.** When someone you talked to gives you a name, the chain "
        "starts here: you in the centre, their referrals around them."
    )
else:
    companies = tree_companies(period.day, redact=redact)
    chart(referral_tree_figure(tree, companies=companies))
    shown = (
        f"All {summary.people_in_trees:,} people in referral chains are drawn"
        if summary.people_shown == summary.people_in_trees
        else f"Showing the {summary.trees_shown:,} largest of {summary.trees:,} referral chains "
        f"({summary.people_shown:,} of {summary.people_in_trees:,} people); "
        "smaller branches are folded into “+N more”"
    )
    st.caption(
        f"{shown}. {summary.first_contacts - summary.trees:,} of your "
        f"{summary.first_contacts:,} first contacts have not referred anyone yet. "
        f"Everyone identified by {period.day:%-d %b %Y}; colour shows "
        + (
            "each person's furthest step."
            if companies is None
            else "the target company each person is at (grey: none)."
        )
    )

left, right = st.columns(2)
with left:
    referrers = query(network.top_referrers, period, redact=redact)
    if referrers.empty:
        st.info("No one has referred a target in this period yet.")
    else:
        chart(top_referrers_figure(referrers))
with right:
    st.markdown("**Results by source**")
    sources = query(network.by_source, period)
    plain_table(by_source_table(sources))
    advice = network.best_source(sources)
    st.caption(advice or "Where your targets came from, and what each source led to.")
