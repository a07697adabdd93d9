"""The referral multiplier: generations, the tree, top referrers, warm vs cold, sources."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from review_fixtures import TODAY, build_tiny

from lib.engine import network, stats
from lib.engine.stats import Scope
from lib.io.demo import load_demo
from lib.store.db import Database

ALL_TIME = stats.make_period(as_of=TODAY)


@pytest.fixture
def tiny(db: Database) -> dict[str, int]:
    return build_tiny(db)


@pytest.fixture
def network_2000(db: Database) -> Database:
    load_demo(db, contacts=2_000, today=TODAY)
    return db


def test_multiplier_against_the_ideal_times_three(tiny: dict[str, int], db: Database) -> None:
    frame = network.multiplier(db, ALL_TIME)
    assert frame["generation"].tolist() == [0, 1, 2]
    assert frame["contacts"].tolist() == [3, 2, 1]
    assert frame["ideal"].tolist() == [3, 9, 27]
    assert math.isnan(frame["ratio"][0])
    assert frame["ratio"].tolist()[1:] == [0.67, 0.5]


def test_multiplier_shows_three_generations_before_any_referral(db: Database) -> None:
    from lib.records.contacts import add_contact

    add_contact(db, {"full_name": "Only One", "identified_on": "2026-11-02"}, today=TODAY)
    frame = network.multiplier(db, ALL_TIME)
    assert frame["contacts"].tolist() == [1, 0, 0]
    assert frame["ideal"].tolist() == [1, 3, 9]


@pytest.mark.parametrize("start", [None, "2026-10-01", "2026-11-16"])
def test_multiplier_equals_the_stats_generations(network_2000: Database, start: str | None) -> None:
    period = stats.make_period(as_of=TODAY, start=start)
    expected = stats.referrals(network_2000, Scope(period))["generations"]
    counts = network.multiplier(network_2000, period)["contacts"].tolist()
    assert counts[: len(expected)] == expected
    assert not any(counts[len(expected) :])


def test_the_referral_tree_of_the_tiny_network(tiny: dict[str, int], db: Database) -> None:
    tree, summary = network.referral_tree(db, TODAY)
    a, c, d, e = (str(tiny[k]) for k in "ACDE")
    assert tree["id"].tolist() == [a, c, d, e]
    assert tree["parent"].tolist() == ["you", a, a, c]
    assert tree["label"].tolist() == ["Ana Ruiz", "Chloé Martin", "Dev Patel", "Elif Yilmaz"]
    assert tree["value"].tolist() == [4, 2, 1, 1]
    assert tree["stage"].tolist() == ["followed_up", "asked", "targeted", "targeted"]
    assert tree["generation"].tolist() == [0, 1, 1, 2]
    assert tree["referred"].tolist() == [2, 1, 0, 0]
    assert tree["warm"].tolist() == [1, 1, 0, 0]
    assert summary == network.TreeSummary(
        people=6, first_contacts=3, trees=1, trees_shown=1, people_in_trees=4, people_shown=4
    )


def test_the_tree_as_of_an_earlier_day_leaves_later_people_out(
    tiny: dict[str, int], db: Database
) -> None:
    tree, summary = network.referral_tree(db, "2026-11-01")
    assert tree["label"].tolist() == ["Ana Ruiz", "Chloé Martin", "Dev Patel"]
    assert tree["value"].tolist() == [3, 1, 1]
    assert (summary.people, summary.people_in_trees) == (4, 3)


def test_a_capped_tree_folds_the_rest_into_more(tiny: dict[str, int], db: Database) -> None:
    tree, summary = network.referral_tree(db, TODAY, max_people=2)
    a, c = str(tiny["A"]), str(tiny["C"])
    assert tree["id"].tolist() == [a, c, f"more-{a}", f"more-{c}"]
    assert tree["parent"].tolist() == ["you", a, a, c]
    assert tree["label"].tolist() == ["Ana Ruiz", "Chloé Martin", "+1 more", "+1 more"]
    assert tree["value"].tolist() == [4, 2, 1, 1]
    assert tree["stage"].tolist()[2:] == [None, None]
    assert (summary.people_shown, summary.people_in_trees) == (2, 4)


def test_a_redacted_tree_holds_no_names(tiny: dict[str, int], db: Database) -> None:
    tree, _ = network.referral_tree(db, TODAY, redact=True)
    assert tree["label"].tolist() == ["Referrer 1", "Referrer 2", "Referral", "Referral"]
    text = tree.to_csv()
    for name in ("Ana", "Chloé", "Dev", "Elif", "Ruiz", "Atlas"):
        assert name not in text


def test_a_large_tree_is_capped_and_every_branch_adds_up(network_2000: Database) -> None:
    tree, summary = network.referral_tree(network_2000, TODAY, max_people=120)
    people = tree[tree["stage"].notna()]
    assert len(people) == summary.people_shown == 120
    assert summary.people_in_trees > 120
    drawn = set(people["id"])
    assert set(tree["parent"]) <= drawn | {"you"}
    children = tree.groupby("parent")["value"].sum()
    for row in people.itertuples():
        assert children.get(row.id, 0) == row.value - 1
    roots = people[people["parent"] == "you"]
    assert len(roots) == summary.trees_shown
    assert int(tree["value"].sum()) > 0


def test_top_referrers_of_the_tiny_network(tiny: dict[str, int], db: Database) -> None:
    frame = network.top_referrers(db, ALL_TIME)
    # Ana's referral Chloé was reached on 11-24, after Ana's last follow-up (11-10): not told.
    columns = ["name", "referrals", "warm", "contacted", "reached", "told"]
    assert frame[columns].values.tolist() == [
        ["Ana Ruiz", 2, 1, 1, 1, 0],
        ["Chloé Martin", 1, 1, 0, 0, 0],
    ]
    assert frame["company"][0] == "Atlas Freight"
    assert pd.isna(frame["company"][1])


def test_redacted_top_referrers_are_numbered(tiny: dict[str, int], db: Database) -> None:
    frame = network.top_referrers(db, ALL_TIME, redact=True)
    assert frame["name"].tolist() == ["Referrer 1", "Referrer 2"]
    assert frame["company"].isna().all()


def test_top_referrers_add_up_to_the_referrals_received(network_2000: Database) -> None:
    period = stats.make_period(as_of=TODAY, start="2026-09-01")
    expected = stats.referrals(network_2000, Scope(period))
    frame = network.top_referrers(network_2000, period, limit=100_000)
    assert int(frame["referrals"].sum()) == expected["received"]
    assert int(frame["warm"].sum()) == expected["warm"]
    assert len(frame) == expected["givers"]
    assert frame["referrals"].is_monotonic_decreasing


def test_warm_vs_cold_of_the_tiny_network(tiny: dict[str, int], db: Database) -> None:
    frame = network.warm_vs_cold(db, ALL_TIME)
    assert frame[["kind", "targets", "contacted", "referred_someone"]].values.tolist() == [
        ["warm", 2, 1, 1],
        ["referred", 1, 0, 0],
        ["cold", 3, 2, 1],
    ]
    assert frame["contacted_share"].tolist() == [0.5, 0.0, 0.667]
    assert frame["referred_someone_share"].tolist() == [0.5, 0.0, 0.333]


def test_warm_vs_cold_keeps_all_three_groups_when_empty(db: Database) -> None:
    frame = network.warm_vs_cold(db, ALL_TIME)
    assert frame["kind"].tolist() == ["warm", "referred", "cold"]
    assert frame["targets"].tolist() == [0, 0, 0]
    assert frame["contacted_share"].tolist() == [0.0, 0.0, 0.0]


def test_results_by_source_of_the_tiny_network(tiny: dict[str, int], db: Database) -> None:
    frame = network.by_source(db, ALL_TIME)
    assert frame[["source", "targets", "contacted", "referrals"]].values.tolist() == [
        ["association", 1, 1, 2],
        ["chamber", 1, 0, 0],
        ["linkedin", 1, 1, 0],
        ["referral", 3, 1, 1],
    ]
    assert frame["referrals_per_target"].tolist() == [2.0, 0.0, 0.0, 0.33]
    assert network.best_source(frame) == (
        "Targets from referrals gave you the most referrals: 0.3 per target (3 targets)."
    )
    assert network.best_source(frame, min_targets=1) == (
        "Targets from association meetings gave you the most referrals: 2.0 per target (1 target)."
    )


@pytest.mark.parametrize("start", [None, "2026-10-15"])
def test_groups_add_up_to_the_funnel(network_2000: Database, start: str | None) -> None:
    period = stats.make_period(as_of=TODAY, start=start)
    funnel = stats.funnel(network_2000, Scope(period))["contacts"].tolist()
    sources = network.by_source(network_2000, period)
    groups = network.warm_vs_cold(network_2000, period)
    assert int(sources["targets"].sum()) == int(groups["targets"].sum()) == funnel[0]
    assert int(sources["contacted"].sum()) == int(groups["contacted"].sum()) == funnel[1]
