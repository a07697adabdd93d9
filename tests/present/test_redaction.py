"""Redaction: with --redact no name, email, phone, URL, company or note leaves the process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import streamlit as st
from sharing_helpers import REVIEW_PAGES, banner, run_page, sent_bytes
from streamlit.testing.v1 import AppTest

from lib import cli
from lib.engine import stats
from lib.io.demo import load_demo
from lib.present.report import build_report
from lib.records.contacts import add_contact
from lib.records.events import Conversation, log_conversation, log_event
from lib.store.db import Database, open_database, open_view
from lib.ui.mode import SHARED_VIEW_OPTIONS

# Every personal field of a few people who are due, who referred and were referred.
PEOPLE = [
    {
        "full_name": "Quillon Zarathustra",
        "company": "Xyloquartz Holdings",
        "email": "quillon.z@xyloquartz.example",
        "phone": "+1 (555) 0142-9917",
        "linkedin_url": "https://www.linkedin.com/in/quillon-zarathustra",
        "notes": "Prefers the Grebnitz cafe on Fridays",
        "source": "association",
    },
    {
        "full_name": "Ysolde Pemberquist",
        "company": "Marzipanov Freight",
        "email": "ysolde@marzipanov.example",
        "phone": "+44 20 7946 0381",
        "linkedin_url": "https://www.linkedin.com/in/ysolde-pemberquist",
        "notes": "Knows the Wembledorf plant manager",
        "source": "chamber",
    },
]
REFERRAL = {
    "full_name": "Ottilie Brankvoort",
    "company": "Fennimore Quillsby LLP",
    "email": "ottilie@quillsby.example",
    "phone": "555-0177-3141",
    "linkedin_url": "https://www.linkedin.com/in/ottilie-brankvoort",
    "notes": "Referred over the Haverlund breakfast",
    "may_use_name": True,
}
CONVERSATION_NOTE = "Talked about the Vorbaldine merger and Snickerwald's budget"
FOLLOW_UP_NOTE = "Sent the Trundlebury certificate update"
# What must never be shown: the distinctive part of every personal value.
SECRETS = [
    "Quillon", "Zarathustra", "Xyloquartz", "quillon.z@", "0142-9917", "quillon-zarathustra",
    "Grebnitz", "Ysolde", "Pemberquist", "Marzipanov", "ysolde@", "7946 0381", "Wembledorf",
    "Ottilie", "Brankvoort", "Quillsby", "0177-3141", "Haverlund", "Vorbaldine",
    "Snickerwald", "Trundlebury",
]  # fmt: skip


def write_people(db: Database, today: date) -> None:
    """Add the distinctive people: one overdue and referring, one due and unthanked."""
    long_ago, weeks_ago = today - timedelta(days=70), today - timedelta(days=24)
    quillon = add_contact(db, {**PEOPLE[0], "identified_on": long_ago}, today=today)
    log_conversation(
        db,
        Conversation(
            contact_id=quillon,
            occurred_on=long_ago + timedelta(days=2),
            channel="phone",
            notes=CONVERSATION_NOTE,
            asked_for_referrals=True,
            thanked=True,
            referrals=[REFERRAL],
        ),
        today=today,
    )
    log_event(
        db,
        {
            "contact_id": quillon,
            "kind": "follow_up",
            "occurred_on": long_ago + timedelta(days=30),
            "notes": FOLLOW_UP_NOTE,
        },
        today=today,
    )
    ysolde = add_contact(db, {**PEOPLE[1], "identified_on": weeks_ago}, today=today)
    log_event(
        db,
        {"contact_id": ysolde, "kind": "contacted", "occurred_on": weeks_ago, "notes": "Hi"},
        today=today,
    )


def leaks(text: bytes | str) -> list[str]:
    """The secrets found in what was sent (case-insensitive)."""
    haystack = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    haystack = haystack.lower()
    return [secret for secret in SECRETS if secret.lower() in haystack]


@pytest.fixture
def personal_file(db_path: Path) -> Path:
    """A demo network plus the distinctive people, closed (a snapshot published)."""
    database = open_database(db_path)
    load_demo(database)
    write_people(database, date.today())
    database.close()
    return db_path


@pytest.fixture
def redacted_app(
    app_env: Path, personal_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The app started with WARMLEADS_REDACT=1 on the personal file."""
    monkeypatch.setenv("WARMLEADS_REDACT", "1")
    saved = {key: st.get_option(key) for key in SHARED_VIEW_OPTIONS}
    yield personal_file
    for key, value in saved.items():
        st.set_option(key, value)


def test_the_leak_finder_sees_tables_charts_and_help_text() -> None:
    # If this fails, the page checks below could pass while a page leaks.
    def page() -> None:
        import pandas as pd
        import plotly.graph_objects as go
        import streamlit as st

        st.dataframe(pd.DataFrame({"who": ["Quillon Zarathustra"]}))
        st.plotly_chart(go.Figure(go.Bar(x=[1], y=[1], hovertext=["Xyloquartz Holdings"])))
        st.metric("People", 3, help="Ottilie Brankvoort")

    at = AppTest.from_function(page)
    at.run()
    found = leaks(sent_bytes(at))
    assert found == ["Quillon", "Zarathustra", "Xyloquartz", "Ottilie", "Brankvoort"]


@pytest.mark.parametrize("page", REVIEW_PAGES)
def test_no_page_shows_personal_details_when_redacted(redacted_app: Path, page: str) -> None:
    at = run_page(page)
    assert not at.exception, at.exception
    assert leaks(sent_bytes(at)) == [], f"{page} shows personal details"
    if page == REVIEW_PAGES[0]:
        assert "Names and details are hidden" in banner(at)


def test_redacting_implies_read_only(redacted_app: Path) -> None:
    at = run_page(REVIEW_PAGES[0])
    assert banner(at).startswith("Read-only view")


def test_the_redacted_report_holds_aggregates_only(personal_file: Path) -> None:
    view = open_view(personal_file)
    period = stats.make_period()
    redacted = build_report(view, period, redact=True)
    named = build_report(view, period, redact=False)
    view.close()
    assert leaks(redacted) == []
    assert "Aggregates only" in redacted
    # The same report unredacted names who is due: the check above can fail.
    assert "Ysolde Pemberquist — Marzipanov Freight" in named


def test_the_report_command_with_redact_writes_no_personal_details(
    personal_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    code = cli.main(["report", "--db", str(personal_file), "--out", str(out), "--redact"])
    assert code == 0
    assert leaks(out.read_bytes()) == []
