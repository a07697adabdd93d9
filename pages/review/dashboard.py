"""Dashboard: the funnel and the KPIs of a period, filtered by source and channel."""

import streamlit as st

from lib.core.vocab import FIRST_CONTACT, REACH_RATE, WEEKLY
from lib.engine import review, scorecard, stats
from lib.present import kpis
from lib.present.figures.funnel import funnel_figure
from lib.ui.close_loop import loops_closed_card
from lib.ui.companies import companies_line
from lib.ui.data import query, report_download_button
from lib.ui.mode import app_mode
from lib.ui.review_view import review_view
from lib.ui.widgets import chart

st.title("Dashboard")
if not query(review.has_records):
    if app_mode().read_only:
        st.info("Nothing to show yet: this shared view has no targets.")
    else:
        st.info(
            "**No targets yet.** Open **Today** in the sidebar to add your first target, "
            "import your LinkedIn connections, or load the sample network. Every number here "
            "fills in as you log conversations, referrals, thank-yous and follow-ups."
        )
    st.stop()

view, period = review_view(filters=True)
compare_with, against, cumulative = review.comparison(view, period)
scope = view.scope(period)
now = query(scorecard.kpis, scope)
other = query(scorecard.kpis, view.scope(compare_with))
funnel = query(stats.funnel, scope)

filtered = " · filtered" if view.sources or view.channels else ""
st.caption(review.describe_period(view, period) + filtered)
companies_line(period.day)  # counts only: the shared view may show it as it is
cards = kpis.kpi_cards(
    now, other, against, cumulative=cumulative, as_of=period.day, filtered=bool(filtered)
)
for column, card in zip([*st.columns(3), *st.columns(3)], cards, strict=True):
    column.metric(
        card.label,
        card.value,
        card.delta,
        delta_color=card.delta_color,
        delta_arrow="off" if card.delta_color == "off" else "auto",
        help=card.help,
        border=True,
    )
with st.columns(3)[0]:
    loops_closed_card(scope)

calls = query(scorecard.calls_in_period, scope)
firsts = query(scorecard.first_contacts, period)
reached = sum(firsts.values())
made, rate, voice, written = st.columns(2) + st.columns(2)
made.metric(WEEKLY.label("calls"), f"{calls['calls']:,}", help=WEEKLY["calls"].help, border=True)
rate.metric(
    REACH_RATE.label,
    "—" if calls["reach_rate"] is None else f"{calls['reach_rate']:.0%}",
    help=REACH_RATE.help,
    border=True,
)
for column, how in ((voice, "voice"), (written, "written")):
    share = f" ({firsts[how] / reached:.0%})" if reached else ""
    column.metric(
        f"First contact: {FIRST_CONTACT.short(how).lower()}",
        f"{firsts[how]:,}{share}",
        help=f"People first reached {FIRST_CONTACT.label(how).lower()} in this period's cohort.",
        border=True,
    )
if firsts["written"] > firsts["voice"]:
    st.warning(
        "Most first contacts were made in writing. The method's advice: call or meet — "
        "an email is easy to ignore.",
        icon=":material/call:",
    )

if int(funnel["contacts"].iloc[0]) == 0:
    st.info(
        "No targets were identified in this period, so the funnel is empty. "
        "Pick a longer period (or All time), or clear the filters."
    )
else:
    chart(funnel_figure(funnel))
    st.caption(
        "The funnel follows the people identified in the period, at the furthest step "
        "they reached by the end of it. Each bar: the people, and their share of the "
        "targets; hover for the share of the step before."
    )

report_download_button(period)
