"""The report's "Target companies": names when not redacted; counts only when redacted,
unless the setting `companies_in_shared_view` allows company names (never people's)."""

from __future__ import annotations

from datetime import datetime

import pytest

from lib.core.errors import ValidationError
from lib.engine.stats import make_period
from lib.present.report import build_report
from lib.records.companies import add_company
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.records.settings import (
    companies_in_shared_view,
    company_names_shown,
    set_companies_in_shared_view,
)
from lib.store.db import Database
from tests.conftest import TODAY

SUMMARY = "Target companies: 2 · with an advocate 1 · with a way in 1 · no way in yet 1"
ACME_ROW = "<tr><td>Acme</td><td>5</td><td>3</td><td>1</td><td>1</td><td>0</td></tr>"


@pytest.fixture
def targets(db: Database) -> Database:
    add_company(db, {"name": "Acme", "motivation": 5, "posting": 3})
    add_company(db, {"name": "Zebra Dynamics"})
    ana = add_contact(db, {"full_name": "Ana Ruiz", "company": "Acme Inc"}, today=TODAY)
    log_event(db, {"contact_id": ana, "kind": "contacted", "occurred_on": "2026-11-20"})
    return db


def report(db: Database, *, redact: bool) -> str:
    period = make_period(as_of=TODAY)
    return build_report(db, period, redact=redact, generated_at=datetime(2026, 11, 25, 9))


def test_the_setting_is_off_by_default_and_takes_only_yes_or_no(db: Database):
    assert companies_in_shared_view(db) is False
    assert (company_names_shown(db, redact=False), company_names_shown(db, redact=True)) == (
        True,
        False,
    )
    set_companies_in_shared_view(db, True)
    assert company_names_shown(db, redact=True) is True
    with pytest.raises(ValidationError) as caught:
        set_companies_in_shared_view(db, "yes")
    assert str(caught.value) == "companies_in_shared_view: 'yes' is not yes or no"


def test_the_full_report_names_the_companies_and_the_next_step(targets: Database):
    page = report(targets, redact=False)
    assert f"<h2>Target companies</h2><p>{SUMMARY}</p>" in page
    assert ACME_ROW in page
    assert "Next: follow up with Ana Ruiz and ask who else they know there" in page
    assert "Zebra Dynamics" in page


def test_a_redacted_report_shows_counts_only(targets: Database):
    page = report(targets, redact=True)
    assert f"<h2>Target companies</h2><p>{SUMMARY}</p></section>" in page
    assert "Acme" not in page and "Zebra" not in page and "Ana Ruiz" not in page


def test_a_redacted_report_names_companies_when_allowed_but_never_people(targets: Database):
    set_companies_in_shared_view(targets, True)
    page = report(targets, redact=True)
    assert ACME_ROW in page and "Zebra Dynamics" in page
    assert "Ana Ruiz" not in page and '<tr class="next">' not in page


def test_no_target_companies_no_section(db: Database):
    assert "Target companies" not in report(db, redact=False)
