"""Fetch Streamlit's widget code ahead of need, so pages open without waiting for it.

Streamlit's browser side loads each kind of widget's code the first time a page shows one
(`Metric.*.js`, `TextInput.*.js`, …), and draws a placeholder until it arrives. On a fresh
server those fetches wait behind the first script run, so on Today's first opening the metrics,
phone boxes and pager were filled in 0.26 s after the script had ended (bench_first_paint).
The script here asks for them as soon as the app's frame is drawn, before the page's own
elements arrive:

* `NOW`: the small chunks the first page's widgets need (Today's buttons, page links, pills,
  metrics, text boxes), at once;
* `LATER`: the other pages' widgets, plotly.js (`PlotlyChart.*.js`, 4.6 MB; compiling it
  took 0.72 s of Network's first visit) and the data grid (1.6 MB: Contacts, Import & export),
  once the app has had no script run for 1.5 s and the browser is idle: a page opened or a
  button pressed meanwhile puts them off, so they never start inside a page's drawing;
* then one chart of each kind the pages draw (bars, lines, the goals grid, the referral tree,
  the funnel), off screen and thrown away, one per idle moment: plotly's drawing code is
  compiled before the first chart page rather than inside its visit (bench_first_visit, one
  core busy: Network 1.24 → 0.90 s, Dashboard 0.84 → 0.58 s).

The script is fixed text: only chunk file names go in, each one Streamlit's build wrote, and it
loads files of this server's own (no other address is used). Each is imported from the same
address Streamlit's bundle uses, so the browser evaluates it once.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import streamlit as st

_CHUNKS = Path(st.__file__).parent / "static" / "static" / "js"
_HASHED = r"\.[A-Za-z0-9_-]+\.js"

# The widgets of the app's first page (Today), fetched at once.
NOW = ("Button", "ButtonGroup", "LinkButton", "Metric", "PageLink", "TextInput")
# The other pages' widgets and charts, fetched once the app has been idle a moment.
LATER = (
    "PlotlyChart",
    "DataFrame",
    "Table",
    "Pagination",
    "DateInput",
    "Selectbox",
    "Multiselect",
    "TextArea",
    "Checkbox",
    "NumberInput",
    "Radio",
    "FileUploader",
    "DownloadButton",
)

# Resolved against Streamlit's own bundle (index.*.js), as its lazy imports are.
# The style hides the line Streamlit draws between the page list and the sidebar's own
# content: the script is the only content there, and it shows nothing.
_SCRIPT = """<style>[data-testid=stSidebarNavSeparator] { display: none; }</style>
<script>
(() => {
  if (window.warmLeadsWidgetCode) return;
  window.warmLeadsWidgetCode = true;
  const bundle = document.querySelector('script[type=module][src*="/static/js/index."]');
  if (!bundle) return;
  const load = (names) => Promise.all(names.map(
    (name) => import(new URL("./" + name, bundle.src).href).catch(() => {})));
  load(NOW_NAMES);
  // The rest once the app has had no script run for 1.5 s and the browser is idle: a page
  // opened or a button pressed meanwhile puts it off until that run has ended.
  const app = document.querySelector("[data-testid=stApp]");
  if (!app) return;
  const busy = () => app.getAttribute("data-test-script-state") !== "notRunning";
  const idle = window.requestIdleCallback || ((run) => setTimeout(run, 200));
  let timer = null;
  const wait = () => {
    clearTimeout(timer);
    if (busy()) return;
    timer = setTimeout(() => idle(() => {
      if (busy()) return;
      watch.disconnect();
      load(LATER_NAMES).then(() => idle(() => warmCharts(0), {timeout: 5000}));
    }, {timeout: 5000}), 1500);
  };
  // Then each kind of chart the pages draw, once, off screen and thrown away, one kind per
  // idle moment: plotly's drawing code runs compiled on the first chart page, not for the
  // first time inside its visit. Put off while a script runs; stopped by an error.
  const SAMPLES = [
    [{type: "bar", x: ["a", "b"], y: [1, 2], text: ["1", "2"], textposition: "outside"},
     {type: "scatter", x: ["a", "b"], y: [2, 1], mode: "lines+markers+text", text: ["2", "1"]}],
    [{type: "bar", orientation: "h", y: [0, 1], x: [1, 2]}, {type: "bar", y: [0, 1], x: [1, 1]}],
    [{type: "heatmap", x: ["a", "b"], y: ["c", "d"], z: [[0, 1], [1, 0.5]],
      text: [["0", "1"], ["1", "2"]], texttemplate: "%{text}", showscale: false}],
    [{type: "sunburst", ids: ["you", "a", "b"], labels: ["You", "A", "B"],
      parents: ["", "you", "a"], values: [3, 2, 1], branchvalues: "total"}],
    [{type: "funnel", y: ["a", "b"], x: [2, 1], textinfo: "value+percent initial"}],
  ];
  window.warmLeadsChartsDrawn = [];  // the kinds drawn so far (a browser test reads it)
  const warmCharts = (k) => {
    const Plotly = window.Plotly;
    if (!Plotly || k >= SAMPLES.length) return;
    if (busy()) { setTimeout(() => warmCharts(k), 1000); return; }
    const box = document.createElement("div");
    box.style.cssText =
      "position:fixed;left:-10000px;top:0;width:480px;height:320px;visibility:hidden";
    document.body.appendChild(box);
    const layout = {title: {text: "a"}, legend: {orientation: "h"}, height: 320};
    Promise.resolve(Plotly.newPlot(box, SAMPLES[k], layout, {displayModeBar: false}))
      .then(() => {
        window.warmLeadsChartsDrawn.push(SAMPLES[k][0].type);
        idle(() => warmCharts(k + 1), {timeout: 5000});
      })
      .catch(() => {})
      .finally(() => { Plotly.purge(box); box.remove(); });
  };
  const watch = new MutationObserver(wait);
  watch.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  wait();
})();
</script>"""


@functools.cache
def chunk_names(widgets: tuple[str, ...]) -> tuple[str, ...]:
    """The file names of these widgets' chunks in Streamlit's build (one each, or left out)."""
    found = []
    for widget in widgets:
        pattern = re.compile(re.escape(widget) + _HASHED)
        names = [p.name for p in _CHUNKS.glob(f"{widget}.*.js") if pattern.fullmatch(p.name)]
        if len(names) == 1:
            found.append(names[0])
    return tuple(found)


@functools.cache
def preload_script() -> str:
    """The loading script with this Streamlit build's chunk names put in."""
    return _SCRIPT.replace("NOW_NAMES", json.dumps(chunk_names(NOW))).replace(
        "LATER_NAMES", json.dumps(chunk_names(LATER))
    )


def preload_widget_code() -> None:
    """Put the loading script at the foot of the sidebar (it shows nothing)."""
    with st.sidebar:
        st.html(preload_script(), unsafe_allow_javascript=True)
