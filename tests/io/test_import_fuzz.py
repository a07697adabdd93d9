"""Garbage never crashes an importer and never leaves a partial import behind."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.core.errors import WarmLeadsError
from lib.io.exporters import NATIVE_COLUMNS
from lib.io.importing import FORMATS, apply_import, read_import
from lib.store.db import Database, open_database
from tests.conftest import TODAY

FIXTURES = Path(__file__).parents[1] / "fixtures"
LINKEDIN_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                   "Connected On"]  # fmt: skip
NATIVE_HEADER = list(NATIVE_COLUMNS)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "12 Mar 2023",
            "31/31/2020",
            "https://www.linkedin.com/in/x",
            "javascript:alert(1)",
            "a@b.co",
            "@",
            "=1+1",
            "'",
            '"',
            "\r\n",
            "contact",
            "event",
            "1",
            "2",
            "-1",
            "99999999999",
            "true",
            "thank_you",
            "2026-11-24",
            "2999-01-01",
            "x" * 400,
            "\x00",
            "🌿",
        ]
    ),
)


def as_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


@pytest.fixture
def fuzz_db(tmp_path: Path) -> Iterator[Database]:
    """One database for every example of a test: each example must leave it consistent."""
    database = open_database(tmp_path / "fuzz.duckdb")
    yield database
    database.close()


def snapshot(db: Database) -> tuple[int, int]:
    return (
        int(db.scalar("SELECT count(*) FROM contacts")),
        int(db.scalar("SELECT count(*) FROM events")),
    )


def import_or_refuse(db: Database, data: bytes, fmt: str | None = None) -> None:
    """Import; a refusal must be one of ours, and either way the counts must add up."""
    before = snapshot(db)
    try:
        parsed = read_import(data, format=fmt, today=TODAY)
    except WarmLeadsError:
        assert snapshot(db) == before
        return
    try:
        result = apply_import(db, parsed)
    except WarmLeadsError:
        assert snapshot(db) == before
        return
    contacts, events = snapshot(db)
    assert contacts == before[0] + result.new
    assert events == before[1] + result.events_added
    orphans = db.scalar(
        "SELECT count(*) FROM events WHERE contact_id NOT IN (SELECT id FROM contacts)"
    )
    dangling = db.scalar(
        "SELECT count(*) FROM contacts WHERE referred_by IS NOT NULL "
        "AND referred_by NOT IN (SELECT id FROM contacts)"
    )
    assert (orphans, dangling) == (0, 0)


@FUZZ
@given(data=st.binary(max_size=2000), fmt=st.sampled_from([None, *FORMATS]))
def test_random_bytes_never_crash_any_importer(fuzz_db: Database, data: bytes, fmt):
    import_or_refuse(fuzz_db, data, fmt)


@FUZZ
@given(
    rows=st.lists(st.lists(cell, min_size=0, max_size=9), max_size=15),
    preamble=st.lists(st.text(max_size=30), max_size=4),
)
def test_garbage_rows_under_a_linkedin_header_never_crash_or_half_import(
    fuzz_db: Database, rows, preamble
):
    data = "\n".join(preamble).encode("utf-8", errors="surrogatepass") + b"\n"
    import_or_refuse(fuzz_db, data + as_csv(LINKEDIN_HEADER, rows))


@FUZZ
@given(rows=st.lists(st.lists(cell, min_size=len(NATIVE_HEADER), max_size=len(NATIVE_HEADER))))
def test_garbage_rows_under_our_own_header_never_crash_or_half_import(fuzz_db: Database, rows):
    import_or_refuse(fuzz_db, as_csv(NATIVE_HEADER, rows))


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "BEGIN:VCARD",
                    "END:VCARD",
                    "VERSION:2.1",
                    "VERSION:4.0",
                    "FN:Ana Ruiz",
                    "N:;;;;",
                    "NOTE;ENCODING=QUOTED-PRINTABLE:caf=",
                    "=E9",
                    "EMAIL:not-an-email",
                    "URL:javascript:alert(1)",
                    " folded",
                    "ORG:;;",
                    "TEL;VALUE=uri:tel:",
                ]
            ),
            st.text(max_size=30),
        ),
        max_size=25,
    )
)
def test_garbage_vcards_never_crash_or_half_import(fuzz_db: Database, lines):
    data = "\r\n".join(["BEGIN:VCARD", *lines]).encode("utf-8", errors="surrogatepass")
    import_or_refuse(fuzz_db, data, "vcard")


@FUZZ
@given(cut=st.integers(min_value=0, max_value=2000), name=st.sampled_from(
    ["linkedin_connections.csv", "google_contacts_legacy.csv", "contacts_v21.vcf",
     "warmleads_export.csv"]
))  # fmt: skip
def test_a_file_cut_short_anywhere_never_crashes_or_half_imports(fuzz_db: Database, cut, name):
    data = (FIXTURES / name).read_bytes()
    import_or_refuse(fuzz_db, data[: cut % (len(data) + 1)])
