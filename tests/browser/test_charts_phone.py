"""Charts on a phone (390 px wide): nothing drawn over a chart's title.

For every chart of the review pages, the title's box (from the DOM, after the chart is drawn
and the pointer rests on it, so hover toolbars show) must not overlap its legend, the plotly
toolbar, Streamlit's element toolbar, an axis title or a small chart's own title, and the
title must fit the chart's width. Screenshots go to tests/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOTS, open_page
from tests.support import write_demo

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Each review page and the charts it draws (their titles, in order).
PAGES = {
    "dashboard": ["From target to follow-up"],
    "weekly": ["Each week against your goals", "Conversations per week"],
    "network": ["The multiplier", "Who referred whom", "Top referrers"],
}
# Per chart: the title's box and the boxes that must stay off it, as the browser lays them out.
BOXES = """chart => {
  const box = el => { const r = el.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const all = sel => [...chart.querySelectorAll(sel)].map(box).filter(b => b.w && b.h);
  const wrapper = chart.closest('[data-testid=stElementContainer]') || chart.parentElement;
  return {
    title: all('.gtitle'),
    titleText: [...chart.querySelectorAll('.gtitle')].map(t => t.textContent),
    others: {
      legend: all('g.legend'),
      plotlyToolbar: all('.modebar-group'),
      streamlitToolbar: [...wrapper.querySelectorAll('[data-testid=stElementToolbar] button')]
        .map(box).filter(b => b.w && b.h),
      axisTitles: all('.xtitle, .ytitle'),
      subplotTitles: all('.annotation'),
    },
    chart: box(chart.querySelector('.main-svg')),
  };
}"""


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """The area two boxes share (0 when they only touch)."""
    width = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


def chart_boxes(page: Page, slug: str) -> list[dict]:
    """Each chart's boxes, with the pointer resting on the chart (and its screenshot)."""
    charts = page.locator("[data-testid=stPlotlyChart]")
    found = []
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.locator(".main-svg").first.wait_for()
        chart.hover(position={"x": 200, "y": 150})
        page.wait_for_timeout(300)
        found.append(chart.evaluate(BOXES))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        chart.screenshot(path=str(SCREENSHOTS / f"phone-{slug}-{i + 1}.png"))
    return found


def test_nothing_covers_a_charts_title_at_390_px(
    browser: object, streamlit_app: Callable[..., str], tmp_path: Path
) -> None:
    url = streamlit_app(write_demo(tmp_path / "network.duckdb"))
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    try:
        for slug, titles in PAGES.items():
            open_page(page, f"{url}/{slug}")
            page.locator("[data-testid=stPlotlyChart] .main-svg").first.wait_for()
            boxes = chart_boxes(page, slug)
            shown = [" ".join(chart["titleText"]) for chart in boxes]
            assert [any(text.startswith(title) for text in shown) for title in titles] == [
                True
            ] * len(titles), shown
            for chart in boxes:
                name = " ".join(chart["titleText"])
                assert chart["title"], f"{slug}: a chart without a title"
                edge = chart["chart"]["x"] + chart["chart"]["w"]
                if any(title["x"] + title["w"] > edge for title in chart["title"]):
                    problems.append(f"{slug}: the title {name!r} is cut at the right edge")
                for kind, others in chart["others"].items():
                    for title in chart["title"]:
                        if any(overlap(title, other) > 0 for other in others):
                            problems.append(f"{slug}: {kind} over the title {name!r}")
    finally:
        context.close()
    assert problems == []
