"""Streamlit glue: the mode, the cached connection, a cursor per script run, cached queries.

The only module in lib/ that imports streamlit.
"""

from __future__ import annotations

import importlib
import math
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

import streamlit as st

from lib import report, review, snapshot
from lib.db import Database, open_database, open_view, resolve_db_path
from lib.errors import DatabaseError, DatabaseLockedError, ValidationError, WarmLeadsError
from lib.network import SOURCE_SHORT
from lib.stats import Period
from lib.validation import is_safe_link
from lib.vocab import CHANNEL_LABELS, CHANNELS, SOURCES

T = TypeVar("T")
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Mode:
    """How this app process runs: writable or read-only, names shown or redacted."""

    read_only: bool = False
    redact: bool = False


def app_mode(argv: list[str] | None = None) -> Mode:
    """The mode from `-- --read-only --redact` or WARMLEADS_READ_ONLY / WARMLEADS_REDACT."""
    args = sys.argv[1:] if argv is None else argv
    env = os.environ
    redact = "--redact" in args or env.get("WARMLEADS_REDACT", "").lower() in _TRUE
    read_only = "--read-only" in args or env.get("WARMLEADS_READ_ONLY", "").lower() in _TRUE
    return Mode(read_only=read_only or redact, redact=redact)


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> Database:
    # Keyed by path (cache_resource ignores globals): one writing connection per process.
    return open_database(path)


@st.cache_resource(show_spinner=False, max_entries=1)
def _view(path: str, freshness: tuple) -> Database:
    # Keyed by the files' sizes and times, so the next rerun after a new snapshot opens it.
    # The older view is dropped, not closed: a run still reading it finishes, and its copy
    # closes with its last cursor.
    return open_view(path)


def _root() -> Database:
    """The process's connection (read-only mode: its view of the newest copy); stops on error."""
    mode = app_mode()
    path = resolve_db_path()
    try:
        if mode.read_only:
            return _view(str(path), snapshot.freshness_key(path))
        return _connection(str(path))
    except DatabaseLockedError as exc:
        show_database_problem(str(exc), locked=True, read_only=mode.read_only)
    except DatabaseError as exc:
        show_database_problem(str(exc), locked=False, read_only=mode.read_only)
    raise AssertionError("unreachable")  # show_database_problem stops the script


def get_db() -> Database:
    """A cursor for this script run on the process's one connection; stops the page on error."""
    return _root().cursor()


def show_database_problem(message: str, *, locked: bool, read_only: bool = False) -> None:
    """A page that says what is wrong with the data file and what to do; then stop."""
    if read_only and locked:
        st.title("Nothing to show yet")
        st.info(message, icon="⏳")
        st.stop()
    st.title("Warm Leads can't open your data")
    st.error(message, icon="⚠️")
    if read_only:
        st.markdown(
            "This read-only view never changes the file. Start the main app "
            "(`streamlit run app.py`) on the same data, then reload this page."
        )
    elif locked:
        st.markdown(
            "Another Warm Leads window or command has the file open for writing. "
            "Close it (or stop that command), then reload this page. "
            "To look at the data while the main app runs, start a read-only view: "
            "`streamlit run app.py -- --read-only`."
        )
    else:
        st.markdown(
            "Your file has **not** been changed. Restore it from a backup "
            "(`*-backup-*.duckdb` beside it), or start the app on another file with "
            "`WARMLEADS_DB=/path/to/other.duckdb streamlit run app.py`."
        )
    st.stop()


def _resolve(name: str) -> Callable[..., Any]:
    module, _, attr = name.rpartition(":")
    return getattr(importlib.import_module(module), attr)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(name: str, path: str, version: int, args: tuple, kwargs: tuple) -> Any:
    return _resolve(name)(get_db(), *args, **dict(kwargs))


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call `fn(db, *args)` through Streamlit's cache, refreshed by every committed write."""
    db = _root()
    name = f"{fn.__module__}:{fn.__qualname__}"
    return _cached_call(name, str(db.path), db.data_version, args, tuple(sorted(kwargs.items())))


# A shared view shows viewers no tracebacks (they could quote data) and no developer menu.
SHARED_VIEW_OPTIONS: dict[str, str] = {
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
}


def protect_shared_view() -> None:
    """In read-only mode: generic error messages and the viewer toolbar, whatever was configured.

    The toolbar setting reaches browsers from the next rerun; the error setting at once.
    """
    for key, value in SHARED_VIEW_OPTIONS.items():
        if st.get_option(key) != value:
            st.set_option(key, value)


def read_only_banner() -> None:
    """The read-only view's banner: "Read-only view — data as of <time>" (or why there is none)."""
    view = _root().view
    if view is None:
        return
    note = " Names and details are hidden." if app_mode().redact else ""
    st.info(
        f"Read-only view — data as of {report.format_moment(view.as_of)}.{note}",
        icon=":material/visibility:",
    )


def report_download_button(period: Period) -> None:
    """A "Download report" button: the same self-contained HTML file as `lib.cli report`."""
    root = _root()
    redact = app_mode().redact
    st.download_button(
        "Download report",
        # Built on click, in another thread: it takes its own cursor.
        data=lambda: report.build_report(root.cursor(), period, redact=redact),
        file_name=report.file_name(period),
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help="One HTML file with the funnel, this week against your goals, the weekly trend, "
        "the multiplier and what is due. It opens offline: send it to your coach or mentor."
        + (" Counts only: no names." if redact else " It names the people who are due."),
    )


def clear_caches() -> None:
    """Forget cached connections and queries (tests call this between cases)."""
    st.cache_data.clear()
    st.cache_resource.clear()


# ---------------------------------------------------------------- the review pages' controls

_VIEW_PARAMS = ("period", "from", "to", "as_of", "source", "channel")


def review_view(*, filters: bool = True) -> tuple[review.View, Period]:
    """The period picker (and source/channel filters), kept in the URL query parameters.

    A copied link reopens the same view; a link's bad parameters are dropped with a warning.
    """
    parsed, problems = review.parse_view(st.query_params.to_dict())
    today = parsed.as_of or date.today()
    fallback = review.resolve_period(review.View(period="4w"), today=today)
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
    with picker:
        period = st.segmented_control(
            "Period",
            list(review.PERIODS),
            format_func=review.PERIODS.get,
            required=True,
            key=f"{k}_period",
        )
        start = end = None
        if period == "custom":
            left, right, _ = st.columns([2, 2, 1])
            start = left.date_input("From", key=f"{k}_from")
            end = right.date_input("To", key=f"{k}_to")
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
    view = review.View(
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
        st.warning(f"Those dates don't make a period ({exc}); showing the last 4 weeks.")
        view = review.View(period="4w", as_of=parsed.as_of)
        resolved = review.resolve_period(view)
    for problem in problems:
        st.warning(f"Part of this link was ignored — {problem}.")
    _set_query_params(review.view_params(view), owned=_VIEW_PARAMS)
    return view, resolved


def _set_query_params(params: dict[str, str], *, owned: tuple[str, ...]) -> None:
    """Make the URL hold exactly `params` among the `owned` keys (others are left alone)."""
    current = st.query_params
    for key in owned:
        if key in params and current.get(key) != params[key]:
            current[key] = params[key]
        elif key not in params and key in current:
            del current[key]


# --- Shared widgets for the daily pages (Today, Contacts, Log, Pitch coach) -----------------

# Any ASCII punctuation may be backslash-escaped in CommonMark; escaping these keeps user text
# from becoming Markdown links, emphasis, headings, lists, HTML, entities, colour directives
# (:red[...]) or maths ($...$). Bare URLs, emails and :emoji: need the word joiner below.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=^&@])")
_JOINER = "\u2060"  # word joiner: invisible, and no line break where it sits
_WWW = re.compile(r"www", re.IGNORECASE)
FIELD_LABELS: dict[str, str] = {
    "full_name": "Name",
    "company": "Company",
    "title": "Title",
    "email": "Email",
    "phone": "Phone",
    "linkedin_url": "LinkedIn URL",
    "notes": "Notes",
    "source": "Source",
    "referred_by": "Referred by",
    "may_use_name": "May use their name",
    "identified_on": "Identified on",
    "occurred_on": "Date",
    "contact_id": "Contact",
    "channel": "Channel",
    "kind": "Step",
    "pitch": "Pitch",
    "your_name": "Your name",
    "search": "Search",
}


def escape_markdown(text: Any) -> str:
    """User text made safe to put inside Markdown: shown exactly as typed, never as markup."""
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))
    # Streamlit turns `:smile:` into an emoji and bare www./http://, emails into links even
    # when escaped; an invisible word joiner after `:` and `@` and inside `www` stops it.
    value = value.replace(":", ":" + _JOINER).replace("@", "@" + _JOINER)
    return _WWW.sub(lambda m: m.group(0)[:2] + _JOINER + m.group(0)[2:], value).replace("\n", " ")


def require_writable() -> None:
    """Stop a page that writes when this process is a read-only view (it shows a pointer)."""
    if app_mode().read_only:
        st.title("Read-only view")
        st.info(
            "This shared view shows the review pages only (Dashboard, Weekly review, Network); "
            "nothing can be changed here."
        )
        st.stop()


def today() -> date:
    """The day the app works as of (the local date)."""
    return date.today()


def field_label(field: str) -> str:
    """A field's name as the form shows it (`referral 2 full_name` → `Referral 2 name`)."""
    prefix, _, name = field.rpartition(" ")
    label = FIELD_LABELS.get(name, name.replace("_", " "))
    if prefix:
        return f"{prefix.capitalize()} {label.lower()}"
    return label


class FieldErrors:
    """Places under form fields where a ValidationError's message shows, next to its field."""

    def __init__(self) -> None:
        self._slots: dict[str, Any] = {}

    def slot(self, *fields: str) -> None:
        """Reserve the place for these fields' messages here (call right after the widget)."""
        placeholder = st.empty()
        for name in fields:
            self._slots[name] = placeholder

    def show(self, error: WarmLeadsError) -> None:
        """Show the message at its field (or, for a problem with no field, the form's `*` slot)."""
        if isinstance(error, ValidationError):
            field, message = (
                error.field,
                f"{field_label(error.field)}: {escape_markdown(error.reason)}",
            )
        else:
            field, message = "*", escape_markdown(str(error))
        target = self._slots.get(field) or self._slots.get("*")
        (target or st).error(message, icon=":material/error:")


def flash(message: str, *, kind: str = "success", undo: list[int] | None = None) -> None:
    """Keep a confirmation to show after the rerun that follows a write."""
    st.session_state.setdefault("_flash", []).append((kind, message, undo))


def show_flash(undo: Callable[[list[int]], None] | None = None) -> None:
    """Show (once) the confirmations kept by `flash`, with an Undo button when offered."""
    for number, (kind, message, ids) in enumerate(st.session_state.pop("_flash", [])):
        box = st.container(horizontal=True, vertical_alignment="center")
        show = {"success": box.success, "warning": box.warning, "info": box.info}[kind]
        show(
            escape_markdown(message),
            icon=":material/check:" if kind == "success" else None,
            width="stretch",
        )
        if ids and undo is not None:
            box.button("Undo", key=f"undo_{number}_{ids[0]}", on_click=undo, args=(ids,))


def query_id(name: str = "contact") -> int | None:
    """A positive integer id from the page's URL (`?contact=12`), else None."""
    raw = st.query_params.get(name)
    if raw is None or not str(raw).isdigit():
        return None
    number = int(raw)
    return number if 0 < number < 2**31 else None


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
    """Search, then pick among at most 50 matches; returns the chosen contact's id.

    With `nobody`, the list starts with that choice (returned as None), e.g. "No referrer".
    """
    nobody_id = 0  # never a contact id; a None option would read as "nothing picked yet"
    from lib.directory import picker_labels

    search_col, pick_col = st.columns([2, 3], vertical_alignment="bottom")
    text = search_col.text_input(
        "Search contacts",
        key=f"{key}_search",
        placeholder="Name, company or #id",
        live="300ms",
    )
    try:
        labels: dict[int, str] = query(picker_labels, text, selected)
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
        placeholder="No match" if not options else f"Pick from {len(options)} shown",
        help=help,
    )
    return int(choice) if choice not in (None, nobody_id) else None


def welcome() -> None:
    """The empty database's greeting: the three ways to start."""
    from lib.demo import load_demo

    st.title("Welcome to Warm Leads")
    st.markdown(
        "Most jobs are filled through people. Warm Leads keeps your networking on track: "
        "who to **contact**, **thank** and **follow up** today — and how three referrals "
        "become nine, then twenty-seven. Start in one of three ways:"
    )
    add, upload, demo = st.columns(3, border=True)
    with add:
        st.subheader("Add a first target")
        st.caption("Someone from an association meeting, a mixer, LinkedIn or a referral.")
        st.page_link(
            "pages/work/contacts.py",
            label="Add a target",
            icon=":material/person_add:",
            query_params={"add": "1"},
        )
    with upload:
        st.subheader("Import a file")
        st.caption("Your LinkedIn connections, Google contacts, a vCard or a CSV file.")
        st.page_link(
            "pages/work/data.py", label="Import your contacts", icon=":material/upload_file:"
        )
    with demo:
        st.subheader("Explore the demo")
        st.caption("A sample network of 50 people, to see every step before adding your own.")
        if st.button("Load the demo network", icon=":material/science:", type="primary"):
            try:
                people, steps = load_demo(get_db())
            except ValidationError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                flash(f"Loaded the demo network: {people} people and {steps} logged steps.")
                st.rerun()


def markdown_link(label: Any, url: str | None) -> str | None:
    """A Markdown link for an http(s)/mailto/tel URL (label escaped), else None."""
    if not url or not is_safe_link(url):
        return None
    href = quote(url.strip(), safe=":/?#@!$&*+,;=%~.-_")
    return f"[{escape_markdown(label)}]({href})"


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
