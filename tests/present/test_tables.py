"""Network's tables: every count written beside its share, exactly the engine's numbers."""

from __future__ import annotations

import pandas as pd
import pytest
from review_fixtures import TODAY, build_tiny

from lib.engine import network, stats
from lib.present.tables import by_source_table, warm_cold_table
from lib.store.db import Database

ALL_TIME = stats.make_period(as_of=TODAY)


@pytest.fixture
def tiny(db: Database) -> dict[str, int]:
    return build_tiny(db)


def test_warm_vs_cold_writes_each_count_beside_its_share(
    tiny: dict[str, int], db: Database
) -> None:
    table = warm_cold_table(network.warm_vs_cold(db, ALL_TIME))
    assert table.to_dict("records") == [
        {
            "Kind of target": "Warm referrals",
            "Targets": "2",
            "Contacted": "1 (50%)",
            "Then referred someone": "1 (50%)",
        },
        {
            "Kind of target": "Referrals (name not shared)",
            "Targets": "1",
            "Contacted": "0 (0%)",
            "Then referred someone": "0 (0%)",
        },
        {
            "Kind of target": "Cold targets",
            "Targets": "3",
            "Contacted": "2 (67%)",
            "Then referred someone": "1 (33%)",
        },
    ]


def test_results_by_source_write_talks_and_referrals_per_target(
    tiny: dict[str, int], db: Database
) -> None:
    table = by_source_table(network.by_source(db, ALL_TIME))
    assert table.to_dict("records")[0] == {
        "Source": "Association",  # the short label: the table shares half the page
        "Targets": "1",
        "Talked to": "1 (100%)",
        "Referrals": "2",
        "Per target": "2.0",
    }
    assert list(table["Targets"]) == ["1", "1", "1", "3"]
    assert list(table["Talked to"]) == [
        "1 (100%)",
        "0 (0%)",
        "1 (100%)",
        "1 (33%)",
    ]
    assert list(table["Referrals"]) == ["2", "0", "0", "1"]
    assert list(table["Per target"]) == ["2.0", "0.0", "0.0", "0.3"]


def test_an_empty_group_shows_a_dash_not_a_share_of_nothing() -> None:
    groups = pd.DataFrame(
        {"label": ["Warm referrals"], "targets": [0], "contacted": [0], "referred_someone": [0]}
    )
    assert warm_cold_table(groups).iloc[0].tolist() == ["Warm referrals", "0", "—", "—"]
    sources = pd.DataFrame(
        {"short_label": ["LinkedIn"], "targets": [0], "contacted": [0], "referrals": [0]}
    )
    assert by_source_table(sources).iloc[0].tolist() == ["LinkedIn", "0", "—", "0", "—"]
