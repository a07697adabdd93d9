"""Dashboard render times at 100,000 contacts / 1,000,000 events (AppTest, median of 5).

    python -m bench.bench_dashboard [--contacts N] [--events M]

First render: empty Streamlit caches (a fresh connection and every query run).
Warm rerun: the same session rerun with nothing changed (cached queries).
Targets for the Dashboard: first ≤ 1.5 s, warm ≤ 0.2 s. Weekly review and Network are
printed for reference.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.common import demo_file, median_seconds, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "Dashboard": ROOT / "pages" / "review" / "dashboard.py",
    "Weekly review": ROOT / "pages" / "review" / "weekly.py",
    "Network": ROOT / "pages" / "review" / "network.py",
}


def first_render(page: Path) -> AppTest:
    """Run the page once on empty caches; fail loudly if it raised."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(page), default_timeout=120).run()
    if at.exception:
        raise RuntimeError(f"{page.name} raised: {at.exception[0].message}")
    return at


def main() -> None:
    """Build (once) the demo file, then time each page's first render and warm rerun."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()

    path, built = demo_file(args.contacts, args.events)
    os.environ["WARMLEADS_DB"] = str(path)
    print(f"database: {path.name} ({args.contacts:,} contacts, {args.events:,} events)")
    if built == built:  # NaN when it already existed
        print(f"built in {built:.1f} s")
    print(f"{'page':<15}{'first render':>14}{'warm rerun':>12}")
    for name, page in PAGES.items():
        first_render(page)  # warm up imports and the OS file cache
        first = median_seconds(lambda page=page: first_render(page))
        session = first_render(page)
        warm = median_seconds(session.run)
        print(f"{name:<15}{first:>12.3f} s{warm:>10.3f} s")
    st.cache_resource.clear()
    print(f"peak memory of this process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
