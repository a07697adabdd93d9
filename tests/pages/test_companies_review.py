"""Target companies on the review pages: the Dashboard's line (equal to `stats --json`), the
Network's tree coloured by target company, and the redacted shared view (counts only, names
only when the user allows them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import cli
from lib.records.companies import delete_company
from lib.records.settings import set_companies_in_shared_view
from lib.store.db import open_database
from tests.conftest import TODAY
from tests.support import write_demo

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = str(ROOT / "pages" / "review" / "dashboard.py")
NETWORK = str(ROOT / "pages" / "review" / "network.py")
# The demo's five target companies, in LAMP order (lib/io/demo.py).
DEMO_TARGETS = [
    "Kestrel Software",
    "Northwind Analytics",
    "Blue Harbor Logistics",
    "Solstice Robotics",
    "Meridian Foods",
]


def run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(page, default_timeout=120)
    at.query_params.update({"as_of": TODAY.isoformat(), **params})
    at.run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    parts: list[str] = []

    def walk(node: object) -> None:
        if (proto := getattr(node, "proto", None)) is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return "\n".join(parts)


def tree_figure(at: AppTest) -> dict:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return next(s for s in specs if s["data"][0]["type"] == "sunburst")


def coloured_by_company(at: AppTest) -> AppTest:
    next(r for r in at.radio if r.label == "Colour the referral tree by").set_value("company")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def demo_file(app_env: Path) -> Path:
    return write_demo(app_env, TODAY)


def test_the_dashboard_line_equals_stats_json(
    demo_file: Path, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(["stats", "--json", "--db", str(demo_file), "--as-of", TODAY.isoformat()]) == 0
    companies = json.loads(capsys.readouterr().out)["companies"]
    advocate = sum(1 for c in companies if c["advocates"])
    way_in = sum(1 for c in companies if c["advocates"] or c["ways_in"])
    line = (
        f"Target companies: {len(companies)} · with an advocate {advocate} · "
        f"with a way in {way_in} · no way in yet {len(companies) - way_in}"
    )
    assert line == "Target companies: 5 · with an advocate 5 · with a way in 5 · no way in yet 0"
    at = run(DASHBOARD)
    assert [m.value for m in at.markdown if "Target companies" in m.value] == [
        f":material/business: {line}"
    ]


def test_the_dashboard_says_nothing_of_companies_when_there_are_none(demo_file: Path) -> None:
    with open_database(demo_file) as db:
        for company_id in range(1, 6):
            delete_company(db, company_id)
    at = run(DASHBOARD)
    assert "Target companies" not in page_text(at)


def test_the_tree_coloured_by_target_company_names_them_in_its_legend(demo_file: Path) -> None:
    at = run(NETWORK)
    stages = tree_figure(at)
    assert [t["name"] for t in stages["data"][1:]][0] == "Targeted"
    at = coloured_by_company(at)
    tree = tree_figure(at)
    legend = [t["name"] for t in tree["data"][1:]]
    assert legend[-1] == "No target company"
    assert legend[:-1] == [name for name in DEMO_TARGETS if name in legend]
    assert len(legend) >= 3
    colors = tree["data"][0]["marker"]["colors"][1:]
    assert "#8C8C8C" in colors  # people at no target company
    caption = [c.value for c in at.caption if "colour shows" in c.value]
    assert caption[0].endswith("colour shows the target company each person is at (grey: none).")


def test_the_network_caption_says_the_ideal_is_drawn_as_grey_dots(demo_file: Path) -> None:
    at = run(NETWORK)
    captions = [c.value for c in at.caption]
    assert any(
        c.endswith(
            "Grey dots: the ideal, where everyone refers three; a triangle "
            "stands for an ideal above the chart, its number written beside it."
        )
        for c in captions
    )
    assert not any("Dashed" in c for c in captions)


@pytest.fixture
def shared(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WARMLEADS_READ_ONLY", "1")
    monkeypatch.setenv("WARMLEADS_REDACT", "1")
    return demo_file


def test_the_shared_view_hides_company_names_by_default(shared: Path) -> None:
    dashboard = run(DASHBOARD)
    assert "Target companies: 5 · with an advocate 5" in page_text(dashboard)
    network = coloured_by_company(run(NETWORK))
    legend = [t["name"] for t in tree_figure(network)["data"][1:]]
    assert legend[-1] == "No target company"
    assert all(name.startswith("Target company ") for name in legend[:-1])
    text = page_text(dashboard) + page_text(network)
    assert [name for name in DEMO_TARGETS if name in text] == []


def test_the_shared_view_names_companies_when_the_user_allows_it(
    demo_file: Path, monkeypatch
) -> None:
    with open_database(demo_file) as db:
        set_companies_in_shared_view(db, True)
    monkeypatch.setenv("WARMLEADS_READ_ONLY", "1")
    monkeypatch.setenv("WARMLEADS_REDACT", "1")
    network = coloured_by_company(run(NETWORK))
    legend = [t["name"] for t in tree_figure(network)["data"][1:]]
    assert legend[:-1] == [name for name in DEMO_TARGETS if name in legend]
    assert len(legend) >= 3
    # People stay unnamed all the same.
    labels = tree_figure(network)["data"][0]["labels"][1:]
    assert set(labels) <= {"Referrer " + str(n) for n in range(1, 200)} | {"Referral"} | {
        label for label in labels if label.startswith("+")
    }
