"""Widgets the daily pages share: a contact picker, contact links, ids from the URL, a pager."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from lib.core.errors import ValidationError
from lib.ui.data import query
from lib.ui.text import escape_markdown, field_label

ONE_BOX_LIMIT = 2_000  # contacts a picker lists in full (the browser filters them as you type)

# The Contacts table: what a 1366 px laptop screen shows whole (name, stage, what is due, last
# touch, who referred them); Company and Title follow, a sideways scroll away when narrower.
TABLE_ORDER = ("Name", "Stage", "Due", "Last touch", "Referred by", "Company", "Title", "Archived")
TABLE_WIDTHS = {"Name": 140, "Stage": 130, "Due": 190, "Last touch": 115, "Referred by": 125}


def query_id(name: str = "contact") -> int | None:
    """A positive integer id from the page's URL (`?contact=12`), else None."""
    raw = st.query_params.get(name)
    if raw is None or not str(raw).isdigit():
        return None
    number = int(raw)
    return number if 0 < number < 2**31 else None


def add_target_link(container: Any = None) -> None:
    """The way to the Contacts page's add-a-target form."""
    (container or st).page_link(
        "pages/work/contacts.py",
        label="Add a target",
        icon=":material/person_add:",
        query_params={"add": "1"},
    )


def contact_link(
    contact_id: int, name: str, *, icon: str | None = None, bold: bool = False
) -> None:
    """A link to a contact's own view on the Contacts page."""
    label = escape_markdown(name)
    st.page_link(
        "pages/work/contacts.py",
        label=f"**{label}**" if bold else label,
        icon=icon,
        query_params={"contact": str(contact_id)},
    )


def contact_picker(
    label: str,
    key: str,
    *,
    selected: int | None = None,
    nobody: str | None = None,
    help: str | None = None,
) -> int | None:
    """One box to type in and pick a contact from; returns the chosen contact's id.

    Up to ONE_BOX_LIMIT contacts, every one is an option and the box filters them as you type
    (name, company or #id). A larger network gets a search box first and at most 50 matches.
    With `nobody`, the list starts with that choice (returned as None), e.g. "No referrer".
    """
    nobody_id = 0  # never a contact id; a None option would read as "nothing picked yet"
    from lib.engine.directory import picker_labels
    from lib.records.contacts import count_contacts

    pick_col = st
    if query(count_contacts) <= ONE_BOX_LIMIT:
        labels: dict[int, str] = query(picker_labels, "", selected, ONE_BOX_LIMIT)
    else:
        search_col, pick_col = st.columns([2, 3], vertical_alignment="bottom")
        text = search_col.text_input(
            "Search contacts",
            key=f"{key}_search",
            placeholder="Name, company or #id",
            live="300ms",
        )
        try:
            labels = query(picker_labels, text, selected)
        except ValidationError as exc:
            search_col.error(f"{field_label(exc.field)}: {escape_markdown(exc.reason)}")
            labels = query(picker_labels, "", selected)
    if nobody is not None:
        labels = {nobody_id: nobody, **labels}
        selected = nobody_id if selected is None else selected
    options = list(labels)
    index = options.index(selected) if selected in labels else None
    # Keyed by the options: a new search is a new list, starting on the selected contact.
    signature = abs(hash(tuple(options))) % 10**12
    choice = pick_col.selectbox(
        label,
        options,
        index=index,
        format_func=labels.get,
        key=f"{key}_pick_{signature}",
        placeholder="No match"
        if not options
        else "Type a name, company or #id"
        if pick_col is st
        else f"Pick from {len(options)} shown",
        help=help,
    )
    return int(choice) if choice not in (None, nobody_id) else None


def current_page(key: str) -> int:
    """The page (from 1) the paged list `key` is on; `pager` turns it."""
    return int(st.session_state.get(f"{key}_page", 1))


def pager(key: str, total: int, page_size: int) -> None:
    """Page buttons under a list of `total` items (none for a single page)."""
    pages = max(1, math.ceil(total / page_size))
    if pages < 2:
        return

    def turn() -> None:
        st.session_state[f"{key}_page"] = st.session_state[f"{key}_pager"]

    # A list that shrank shows its last page (the query clamps the same way).
    st.pagination(
        pages,
        default=min(current_page(key), pages),
        key=f"{key}_pager",
        on_change=turn,
        width="stretch",
    )


def shows_all(key: str) -> bool:
    """Whether the list `key` shows all its rows (its "Show all" was pressed), not its first."""
    return bool(st.session_state.get(f"{key}_all"))


def list_foot(key: str, total: int, first: int, page_size: int) -> None:
    """Under a list cut to its `first` rows, "Show all 14"; once pressed, its pager."""
    if shows_all(key):
        pager(key, total, page_size)
    else:
        show_all_button(key, total, first, page_size)


def show_all_button(key: str, total: int, first: int, page_size: int) -> None:
    """ "Show all 14" under a list cut to its `first` rows (its rows above do not move)."""
    if shows_all(key) or total <= first:
        return
    st.button(
        f"Show all {total:,}" if total <= page_size else f"Show more ({total:,} in all)",
        key=f"{key}_show_all",
        type="tertiary",
        icon=":material/expand_more:",
        on_click=lambda: st.session_state.update({f"{key}_all": True}),
    )


# Streamlit keeps a row of pills or segments on one line and scrolls it sideways; on a
# phone that hides options ("Custom" off the screen, "This week" cut in half). A keyed
# container gets the CSS class `st-key-<key>` (Streamlit's documented hook for styling),
# and this fixed rule, put on every page by app.py, lets the rows inside containers keyed
# `wraps_…` wrap instead.
_WRAP_STYLE = (
    "<style>[class*='st-key-wraps_'] [data-testid=stButtonGroup] > div "
    "{ flex-wrap: wrap; row-gap: 0.5rem; }</style>"
)


def page_style() -> None:
    """The app's own fixed style rules (style only: Streamlit puts it where it takes no room)."""
    st.html(_WRAP_STYLE)


def wrapping(name: str) -> Any:
    """A container whose pills or segmented control wrap onto more lines on a narrow screen."""
    return st.container(key=f"wraps_{name}")


# No plotly toolbar: on a phone it lands on the chart's title, and a tap shows it; zooming by
# dragging and double-click to reset still work, and Streamlit's own toolbar offers full screen.
CHART_CONFIG = {"displayModeBar": False, "responsive": True}


def plain_table(frame: Any) -> None:
    """A small static table, every cell shown exactly as given (st.table reads Markdown in
    cells and headers), without the row numbers. For a dozen rows of counts: the data grid
    costs a page's first visit a third of a second more to draw."""
    shown = frame.rename(columns=escape_markdown)
    for column in shown.select_dtypes(exclude="number").columns:
        shown[column] = shown[column].map(escape_markdown)
    st.table(shown, hide_index=True)


def chart(figure: Any) -> None:
    """A plotly figure the width of its column, without plotly's toolbar."""
    st.plotly_chart(figure, width="stretch", config=CHART_CONFIG)
