"""The review pages' period picker and filters, kept in the URL so a copied link reopens them."""

from __future__ import annotations

from datetime import date

import streamlit as st

from lib.core.errors import ValidationError
from lib.core.validation import EARLIEST_DATE, LATEST_DATE
from lib.core.vocab import CHANNEL_LABELS, CHANNELS, SOURCES
from lib.engine import review
from lib.engine.network import SOURCE_SHORT
from lib.engine.stats import Period
from lib.ui.text import literal
from lib.ui.widgets import wrapping

_VIEW_PARAMS = ("period", "from", "to", "as_of", "source", "channel")


def review_view(*, filters: bool = True) -> tuple[review.ReviewLink, Period]:
    """The period picker (and source/channel filters), kept in the URL query parameters.

    A copied link reopens the same view; a link's bad parameters are dropped with a warning.
    """
    parsed, problems = review.parse_link(st.query_params.to_dict())
    today = parsed.as_of or date.today()
    fallback = review.resolve_period(review.ReviewLink(period="4w"), today=today)
    state = st.session_state
    # Each layout keeps its own widget keys: with one key shared by the Dashboard's and the
    # Network's pickers, moving from one page to the other lost the period (None).
    k = "view" if filters else "view_compact"
    state.setdefault(f"{k}_period", parsed.period)
    state.setdefault(f"{k}_from", parsed.start or fallback.start)
    state.setdefault(f"{k}_to", parsed.end or today)
    state.setdefault(f"{k}_sources", list(parsed.sources))
    state.setdefault(f"{k}_channels", list(parsed.channels))

    picker, filter_area = st.columns([3, 2]) if filters else (st.container(), None)
    with picker, wrapping(f"{k}_period"):
        period = st.pills(
            "Period",
            list(review.PERIODS),
            format_func=review.PERIODS.get,
            required=True,
            key=f"{k}_period",
        )
        start = end = None
        if period == "custom":
            left, right, _ = st.columns([2, 2, 1])
            bounds = {"min_value": EARLIEST_DATE, "max_value": LATEST_DATE}
            start = left.date_input("From", key=f"{k}_from", **bounds)
            end = right.date_input("To", key=f"{k}_to", **bounds)
    picked_sources: list[str] = []
    picked_channels: list[str] = []
    if filter_area is not None:
        by_source, by_channel = filter_area.columns(2)
        picked_sources = by_source.multiselect(
            "Source",
            SOURCES,
            format_func=SOURCE_SHORT.get,
            key=f"{k}_sources",
            placeholder="All sources",
            help="How you found them.",
        )
        picked_channels = by_channel.multiselect(
            "Channel",
            CHANNELS,
            format_func=CHANNEL_LABELS.get,
            key=f"{k}_channels",
            placeholder="All channels",
            help="Only people you had a conversation with through these channels.",
        )
    view = review.ReviewLink(
        period=period,
        start=start,
        end=end,
        as_of=parsed.as_of,
        sources=tuple(s for s in SOURCES if s in picked_sources),
        channels=tuple(c for c in CHANNELS if c in picked_channels),
    )
    try:
        resolved = review.resolve_period(view)
    except ValidationError as exc:
        st.warning(f"Those dates don't make a period ({literal(exc)}); showing the last 4 weeks.")
        view = review.ReviewLink(period="4w", as_of=parsed.as_of)
        resolved = review.resolve_period(view)
    for problem in problems:
        st.warning(f"Part of this link was ignored — {literal(problem)}.")
    _set_query_params(review.link_params(view), owned=_VIEW_PARAMS)
    return view, resolved


def _set_query_params(params: dict[str, str], *, owned: tuple[str, ...]) -> None:
    """Make the URL hold exactly `params` among the `owned` keys (others are left alone)."""
    current = st.query_params
    for key in owned:
        if key in params and current.get(key) != params[key]:
            current[key] = params[key]
        elif key not in params and key in current:
            del current[key]
