"""Load the chart code while a page sits idle, so the first page with a chart opens fast.

Streamlit fetches its plotly.js chunk (`PlotlyChart.*.js`, 4.6 MB) the first time a page
shows a chart, and compiling it then took most of that visit (Network: 1.50 s, 0.72 s of it
in main-thread long tasks; bench_first_visit). Once the first page has finished drawing and
the browser is idle, a script imports the same module, so a later chart finds it ready.
It waits for the page's script run to end (the app's `data-test-script-state`): on a fresh
server the first run takes seconds, the browser sits idle meanwhile, and compiling the chunk
then landed inside the first page's own drawing.

The script is fixed text: only the chunk's file name is put in, and only when it is a name
Streamlit's build writes. It loads a file of this server's own (no other address is used).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import streamlit as st

_CHUNKS = Path(st.__file__).parent / "static" / "static" / "js"
_CHUNK_NAME = re.compile(r"PlotlyChart\.[A-Za-z0-9_-]+\.js")

# Resolved against Streamlit's own bundle (index.*.js), as its lazy imports are, so both
# name the same module and the browser evaluates it once.
# The style hides the line Streamlit draws between the page list and the sidebar's own
# content: the script is the only content there, and it shows nothing.
_SCRIPT = """<style>[data-testid=stSidebarNavSeparator] { display: none; }</style>
<script>
(() => {
  if (window.warmLeadsChartCode) return;
  window.warmLeadsChartCode = true;
  const bundle = document.querySelector('script[type=module][src*="/static/js/index."]');
  if (!bundle) return;
  const url = new URL("./CHUNK", bundle.src).href;
  const load = () => import(url).catch(() => {});
  const idle = window.requestIdleCallback || ((run) => setTimeout(run, 200));
  const later = () => setTimeout(() => idle(load, {timeout: 5000}), 1500);
  const app = document.querySelector("[data-testid=stApp]");
  const state = () => app.getAttribute("data-test-script-state");
  if (!app || state() === null || state() === "notRunning") return later();
  const watch = new MutationObserver(() => {
    if (state() === "notRunning") { watch.disconnect(); later(); }
  });
  watch.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
})();
</script>"""


@functools.cache
def chart_chunk() -> str | None:
    """The file name of Streamlit's plotly chunk, when its build has exactly one."""
    names = [p.name for p in _CHUNKS.glob("PlotlyChart.*.js") if _CHUNK_NAME.fullmatch(p.name)]
    return names[0] if len(names) == 1 else None


def preload_chart_code() -> None:
    """Put the loading script at the foot of the sidebar (it shows nothing)."""
    name = chart_chunk()
    if name is None:
        return
    with st.sidebar:
        st.html(_SCRIPT.replace("CHUNK", name), unsafe_allow_javascript=True)
