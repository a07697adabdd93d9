"""The matching keys of lib/core/keys.py: which records count as the same person or company."""

from __future__ import annotations

import duckdb
import pytest

from lib.core.keys import (
    company_key,
    company_key_sql,
    email_key_sql,
    name_key_sql,
    name_words_sql,
    phone_key,
    url_key_sql,
)


def sql_keys(expression: str, values: list[str | None]) -> list[str | None]:
    """Each value's key, computed by DuckDB from `expression` over the column `v`."""
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT {expression} FROM "
        "(SELECT unnest(?::VARCHAR[]) AS v, generate_subscripts(?, 1) AS i) ORDER BY i",
        [values, values],
    ).fetchall()
    return [row[0] for row in rows]


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "phone",
    [
        "801.555.0142",
        "(801) 555-0142",
        "+1 801-555-0142",
        "+1 801-555-0142 ext. 12",
        "801-555-0142 x7",
        "tel:+18015550142",
        "tel:+1-801-555-0142;ext=12",
        "001 801 555 0142",
    ],
)
def test_every_form_of_a_number_has_one_phone_key(phone: str) -> None:
    assert phone_key(phone) == "+18015550142"


@pytest.mark.parametrize(
    ("phone", "key"),
    [
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+39 06 1234 5678", "+390612345678"),
        # Written with its country code, a number libphonenumber does not know still has one.
        ("+1 555-0100", "+15550100"),
        ("+1 (555) 010-2030", "+15550102030"),
    ],
)
def test_a_number_with_its_country_code_keys_in_that_country(phone: str, key: str) -> None:
    assert phone_key(phone) == key


@pytest.mark.parametrize(
    "phone",
    [
        None,
        "",
        "   ",
        "call me",
        "BusinessPhone",
        "+",
        # National numbers not valid in the default region: their country would be a guess.
        "555 0101",
        "020 7946 0958",
    ],
)
def test_a_phone_with_no_known_country_has_no_key(phone: str | None) -> None:
    assert phone_key(phone) is None


# ---------------------------------------------------------------- companies

COMPANIES = [
    ("Acme, Inc.", "acme"),
    ("ACME Inc", "acme"),
    ("Acme", "acme"),
    ("acme inc.", "acme"),
    ("Acme LLC", "acme"),
    ("Acme Ltd.", "acme"),
    ("Acme GmbH", "acme"),
    ("Acme Corp.", "acme"),
    ("Acme Co.", "acme"),
    ("Acme S.A.", "acme"),
    ("Acme PLC", "acme"),
    ("Acme AG", "acme"),
    ("Acme Co. Ltd", "acme"),
    ("Acme & Co.", "acme"),
    ("  Atlas   Freight Inc. ", "atlas freight"),
    ("Société Générale S.A.", "societe generale"),
    ("Müller-Lüdenscheidt GmbH", "muller ludenscheidt"),
    ("O'Reilly Media, Inc.", "oreilly media"),
    # Legal words go from the end only, and never the first word.
    ("Co-op Bank", "co op bank"),
    ("Inc.", "inc"),
    ("Acme Holdings Inc", "acme holdings"),
    (" ... ", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("name", "key"), COMPANIES)
def test_company_key_drops_case_accents_punctuation_and_legal_forms(
    name: str | None, key: str | None
) -> None:
    assert company_key(name) == key


def test_the_sql_company_key_is_the_same_as_the_python_one() -> None:
    names = [name for name, _ in COMPANIES]
    assert sql_keys(company_key_sql("v"), names) == [key for _, key in COMPANIES]


# ---------------------------------------------------------------- LinkedIn URLs, e-mails, names


def test_profile_urls_share_a_key_whatever_their_host_scheme_query_or_case() -> None:
    urls = [
        "https://www.linkedin.com/in/Ana-Ruiz/?trk=x",
        "linkedin.com/in/ana-ruiz",
        "  http://linkedin.com/in/ana-ruiz#about ",
        "https://www.linkedin.com/in/ana-ruiz-2",
        "",
        None,
    ]
    assert sql_keys(url_key_sql("v"), urls) == [
        "/in/ana-ruiz",
        "/in/ana-ruiz",
        "/in/ana-ruiz",
        "/in/ana-ruiz-2",
        None,
        None,
    ]


def test_email_keys_are_trimmed_and_lower_cased() -> None:
    emails = [" Ana.Ruiz@Example.COM ", "ana.ruiz@example.com", "  ", None]
    assert sql_keys(email_key_sql("v"), emails) == [
        "ana.ruiz@example.com",
        "ana.ruiz@example.com",
        None,
        None,
    ]


def test_name_keys_join_name_and_company_in_lower_case_with_single_spaces() -> None:
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT {name_key_sql('n', 'c')} FROM (VALUES "
        "('Ana  Ruiz', 'Blue Harbor'), (' ana ruiz ', 'BLUE  HARBOR'), ('Ana Ruiz', NULL)) t(n, c)"
    ).fetchall()
    assert rows == [("ana ruiz|blue harbor",), ("ana ruiz|blue harbor",), ("ana ruiz|",)]


def test_name_words_drop_accents_case_and_punctuation() -> None:
    names = ["José  O'Neil-Ruiz", "Ana Ruiz, PhD", "  "]
    assert sql_keys(name_words_sql("v"), names) == ["jose o neil ruiz", "ana ruiz phd", ""]
