"""Time a Streamlit page in the browser itself: until its last change is drawn.

Two faults of the obvious way, both measured on the app's first page:

* Playwright's `wait_for_selector` checks again after 0, 20, 50, 100, 100 ms and then every
  500 ms, so a page that finished just after a check was timed up to half a second late (a
  page ready at 1.25 s read as 1.65 s).
* The script's end (`data-test-script-state=notRunning`) is not the end of drawing: widgets
  whose code Streamlit loads on first use (a metric, a text box, the pager) are drawn as
  placeholders and filled in when it arrives, 0.26 s later on Today's first opening.

So the page notes the time itself: a MutationObserver keeps the moment of the latest change
to the page's body, and once the script has ended and nothing has changed for `QUIET_MS`,
that moment is the answer. Playwright only fetches the number afterwards.
"""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Locator, Page

WAIT_MS = 60_000
QUIET_MS = 500

# Shared by both scripts: `window.__drawnWhen(ready, done)` calls `done(moment)` with the time
# of the last change to the body once the page has been still for QUIET_MS and
# `ready(sawRunning, stillFor)` holds (sawRunning: a script run was seen under way).
_WATCH = """
window.__drawnWhen = (ready, done) => {
  let last = null;
  let sawRunning = false;
  const watch = new MutationObserver((records) => {
    if (!records.some((r) => !document.head.contains(r.target))) return;
    last = performance.now();
    if (!window.__scriptEnded()) sawRunning = true;
  });
  watch.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const check = setInterval(() => {
    if (last === null) return;
    const stillFor = performance.now() - last;
    if (stillFor < QUIET_MS || !ready(sawRunning, stillFor)) return;
    clearInterval(check);
    watch.disconnect();
    done(last);
  }, 25);
};
window.__scriptEnded = () => {
  const app = document.querySelector("[data-testid=stApp]");
  return app !== null && app.getAttribute("data-test-script-state") === "notRunning";
};
""".replace("QUIET_MS", str(QUIET_MS))

# Put in every new document of a context: the first page is drawn when its script has ended,
# its title is there and nothing has changed since (ms from the start of the navigation).
_FIRST_PAGE = (
    "(() => {"
    + _WATCH
    + """
  window.__drawnWhen(
    () => window.__scriptEnded() && document.querySelector("h1") !== null,
    (moment) => { window.__firstPage = moment; },
  );
})();"""
)

# Armed just before a click: the rerun it starts is drawn when something has changed, the
# script has ended, every chart has its SVG and nothing has changed since. A run too quick to
# be seen under way (the browser may apply its start and end together) needs 2 s of stillness,
# so a change the click itself made (a focus ring) is not taken for the rerun.
_ARM_RERUN = """() => {
  window.__rerun = undefined;
  const charts = () =>
    document.querySelectorAll("[data-testid=stPlotlyChart]").length
    <= document.querySelectorAll("[data-testid=stPlotlyChart] .main-svg").length;
  window.__drawnWhen(
    (sawRunning, stillFor) =>
      window.__scriptEnded() && charts() && (sawRunning || stillFor >= 2000),
    (moment) => { window.__rerun = moment; },
  );
  return performance.now();
}"""


def time_first_pages(context: BrowserContext) -> None:
    """Have every page this context opens note when its first page is drawn."""
    context.add_init_script(_FIRST_PAGE)


def first_page_seconds(page: Page, url: str) -> float:
    """Open `url` and return the seconds from the request until its first page is drawn.

    The context must have been prepared with `time_first_pages`.
    """
    page.goto(url)
    page.wait_for_function("window.__firstPage !== undefined", timeout=WAIT_MS, polling=50)
    return page.evaluate("window.__firstPage") / 1000


def rerun_seconds(page: Page, target: Locator) -> float:
    """Click `target` and return the seconds until the rerun it starts is drawn, charts included.

    The page must have been opened in a context prepared with `time_first_pages`.
    """
    armed = page.evaluate(_ARM_RERUN)
    target.click()
    page.wait_for_function("window.__rerun !== undefined", timeout=WAIT_MS, polling=50)
    return (page.evaluate("window.__rerun") - armed) / 1000
