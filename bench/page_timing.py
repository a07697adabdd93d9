"""Time a Streamlit page in the browser itself, to the millisecond.

Playwright's `wait_for_selector` checks again after 0, 20, 50, 100, 100 ms and then every
500 ms, so a page that finished just after a check was timed up to half a second late: a
first page drawn 1.25 s after the request read as 1.65 s, and the error was larger the slower
the page (one check had passed, the next was 500 ms away). These helpers note the moment in
the page instead: a MutationObserver takes `performance.now()` when the condition first holds,
and Playwright only fetches that number afterwards.
"""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Locator, Page

WAIT_MS = 60_000

# Put in every new document of a context: notes when the first script run has ended with the
# page's title drawn (ms from the start of the navigation, which is when the request left).
_FIRST_PAGE = """(() => {
  const done = () => {
    const app = document.querySelector("[data-testid=stApp]");
    return app && app.getAttribute("data-test-script-state") === "notRunning"
      && document.querySelector("h1") !== null;
  };
  const watch = new MutationObserver(() => {
    if (window.__firstPage === undefined && done()) {
      window.__firstPage = performance.now();
      watch.disconnect();
    }
  });
  watch.observe(document, {subtree: true, childList: true, attributes: true});
})();"""

# Armed just before a click: notes when a script run has started and ended since, and every
# chart on the page has drawn its SVG. Returns the moment it was armed.
_ARM_RERUN = """() => {
  window.__rerun = undefined;
  const app = document.querySelector("[data-testid=stApp]");
  let ran = false;
  const drawn = () => {
    const charts = document.querySelectorAll("[data-testid=stPlotlyChart]").length;
    const svgs = document.querySelectorAll("[data-testid=stPlotlyChart] .main-svg").length;
    return svgs >= charts;
  };
  const watch = new MutationObserver((records) => {
    const state = app.getAttribute("data-test-script-state");
    if (state === "running" || records.some((r) => r.oldValue === "running")) ran = true;
    if (ran && state === "notRunning" && drawn()) {
      window.__rerun = performance.now();
      watch.disconnect();
    }
  });
  watch.observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeOldValue: true,
  });
  return performance.now();
}"""


def time_first_pages(context: BrowserContext) -> None:
    """Have every page this context opens note when its first script run is drawn."""
    context.add_init_script(_FIRST_PAGE)


def first_page_seconds(page: Page, url: str) -> float:
    """Open `url` and return the seconds from the request until its first page is drawn.

    The context must have been prepared with `time_first_pages`.
    """
    page.goto(url)
    page.wait_for_function("window.__firstPage !== undefined", timeout=WAIT_MS, polling=50)
    return page.evaluate("window.__firstPage") / 1000


def rerun_seconds(page: Page, target: Locator) -> float:
    """Click `target` and return the seconds until the rerun it starts is drawn, charts included."""
    armed = page.evaluate(_ARM_RERUN)
    target.click()
    page.wait_for_function("window.__rerun !== undefined", timeout=WAIT_MS, polling=50)
    return (page.evaluate("window.__rerun") - armed) / 1000
