"""Browser tests: Debian's Chromium, driven by Playwright, against a real `streamlit run app.py`.

Fixtures and helpers:

* `browser_type_launch_args` (overrides pytest-playwright's): launches /usr/bin/chromium
  offline, so the plugin's `browser`, `context` and `page` fixtures use it. Without
  Chromium the tests skip with a message saying how to enable them, and fail when
  `CI` is set: in CI a missing browser is a failure, never a skip.
* `streamlit_app(db_path, *app_args, env=None) -> url`: starts the app (`run.py`, the
  README's launcher) on a free port with WARMLEADS_DB set, waits for `/_stcore/health`,
  and stops it after the test.
  `app_args` go to the script after `--` (e.g. `"--read-only"`).
* `guard`: records every request, websocket and dialog of the test's page; fails the
  test when anything leaves 127.0.0.1 (such requests are also blocked) or a dialog opens.
  `streamlit_app.stop(url)` stops one early; `streamlit_app.app(url).process` is its leader.
* `open_page(page, url)`, `settle(page)`: wait for the script's end and for every element
  to be drawn (`drawn(page)`); `main_text(page)`, `metrics(page)`, `funnel_counts(page)`,
  `nav_links(page)`, `screenshot(page, name)`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from tests.processes import ROOT, free_port, python_env, stop_group

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "tests" / "screenshots"
APP_READY = "[data-testid=stApp][data-test-script-state=notRunning]"
PLACEHOLDER = "[data-testid=stSkeleton]"  # an element whose widget code has not arrived yet
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
WAIT = 30_000  # ms: long enough for a rerun on a busy 2-core machine
HEALTH_TIMEOUT = 90  # seconds; a cold start on a busy 2-core machine takes ~10


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_chromium() -> None:
    """Skip (locally) or fail (in CI) when Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    if _ci():
        pytest.fail(f"CI is set but {CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip("install Debian's chromium (apt-get install -y chromium) to run the browser tests")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at Debian's Chromium and kept offline."""
    require_chromium()
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A desktop-sized window, so screenshots show the page as a user sees it."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}}


def is_local(url: str) -> bool:
    """True for requests that stay on this machine (127.0.0.1, localhost, data:, blob:)."""
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or (parsed.hostname or "") in LOCAL_HOSTS


@dataclass
class Guard:
    """What a page did: every request and websocket URL, dialogs, uncaught script errors."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def offsite(self) -> list[str]:
        """Requests that tried to leave 127.0.0.1."""
        return [url for url in self.requests if not is_local(url)]

    def assert_clean(self) -> None:
        """No request left the machine and no dialog opened."""
        assert self.offsite == [], f"requests left 127.0.0.1: {self.offsite[:5]}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


@pytest.fixture
def guard(page: Page) -> Iterator[Guard]:
    """Watch the test's page; fail the test if anything leaves 127.0.0.1 or a dialog opens."""
    seen = Guard()
    page.context.on("request", lambda request: seen.requests.append(request.url))
    page.on("websocket", lambda socket: seen.requests.append(socket.url))
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # Recorded above, and never let out: the test machine has no business on the network.
    page.context.route(lambda url: not is_local(url), lambda route: route.abort())
    yield seen
    if seen.offsite or seen.dialogs:
        pytest.fail(f"offsite requests {seen.offsite[:5]}; dialogs {seen.dialogs}")


@dataclass
class RunningApp:
    """One `streamlit run app.py` process."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        """What the server printed so far (for failure messages)."""
        return self.log.read_text(errors="replace")[-4000:]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def start_streamlit(
    db_path: Path, app_args: tuple[str, ...], env: dict[str, str] | None, logs: Path
) -> RunningApp:
    """Start the app on a free port and wait until its health check says ok."""
    for _attempt in range(3):  # a free port can be taken between choosing and binding it
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = logs / f"streamlit-{port}.log"
        command = [  # the README's launcher: `streamlit run app.py`, as a user starts it
            sys.executable,
            "run.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ]
        if app_args:
            command += ["--", *app_args]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=python_env(WARMLEADS_DB=str(db_path), **(env or {})),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # so teardown stops it and anything it started
            )
        app = RunningApp(url, process, log)
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if _healthy(url):
                return app
            time.sleep(0.25)
        stop_group(process)
        if "already in use" not in app.output():
            pytest.fail(f"streamlit did not become healthy on {url}:\n{app.output()}")
    pytest.fail(f"streamlit found no free port:\n{app.output()}")


class AppServers:
    """`streamlit_app(db_path, *app_args, env=None) -> url`; `.app(url)`, `.stop(url)` too."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, RunningApp] = {}

    def __call__(self, db_path: Path, *app_args: str, env: dict[str, str] | None = None) -> str:
        app = start_streamlit(db_path, app_args, env, self.logs)
        self.running[app.url] = app
        return app.url

    def app(self, url: str) -> RunningApp:
        """The running server behind `url` (its process, for a test that kills it)."""
        return self.running[url]

    def stop(self, url: str) -> None:
        """Stop the server behind `url`, so the test may open its file."""
        stop_group(self.running.pop(url).process)

    def stop_all(self) -> None:
        """Stop every server this test started."""
        for url in list(self.running):
            self.stop(url)


@pytest.fixture
def streamlit_app(tmp_path: Path) -> Iterator[AppServers]:
    """Factory: `streamlit_app(db_path, *app_args, env=None)` starts the app, returns its URL."""
    servers = AppServers(tmp_path)
    yield servers
    servers.stop_all()


def open_page(page: Page, url: str, *, timeout: float = 60_000) -> None:
    """Load `url` and wait until the app's script has run to the end and all of it is drawn."""
    page.goto(url)
    page.wait_for_selector(APP_READY, timeout=timeout)
    drawn(page, timeout=timeout)


def drawn(page: Page, *, timeout: float = 60_000) -> None:
    """Wait until no element waits for its widget code (Streamlit loads each kind's on first use).

    Until a kind's code arrives, Streamlit draws a placeholder in its place: a page link, a
    metric or a button can still be missing after the script has ended (CI once read a
    contact's page without its "Referred by" link).
    """
    page.wait_for_function(
        f"() => !document.querySelector({PLACEHOLDER!r})", timeout=timeout, polling=100
    )


def settle(page: Page, *, timeout: float = 60_000) -> None:
    """Wait for the rerun an interaction started to finish (it may take a moment to start).

    Finished means idle twice, a quarter second apart: on a loaded machine a rerun can start
    late, and a page that calls st.rerun() is idle for a moment between its two runs.
    """
    page.wait_for_timeout(400)
    deadline = time.monotonic() + timeout / 1000
    while True:
        page.wait_for_selector(APP_READY, timeout=timeout)
        page.wait_for_timeout(250)
        if page.locator(APP_READY).count() or time.monotonic() > deadline:
            drawn(page, timeout=timeout)
            return


def main_text(page: Page) -> str:
    """The main area's visible text, as a user would copy it."""
    return page.inner_text("[data-testid=stMain]")


def funnel_counts(page: Page) -> list[int]:
    """The funnel bars' counts, top to bottom, as drawn."""
    bars = page.locator("[data-testid=stPlotlyChart] .funnellayer .point text")
    bars.first.wait_for(timeout=WAIT)
    first_lines = bars.evaluate_all(
        "texts => texts.map(t => (t.querySelector('tspan') || t).textContent)"
    )
    return [int(re.match(r"[\d,]+", line).group().replace(",", "")) for line in first_lines]


def metrics(page: Page) -> dict[str, str]:
    """Every st.metric on the page: label → value."""
    found = {}
    for text in page.locator("[data-testid=stMetric]").all_inner_texts():
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        found[lines[0]] = lines[1]
    return found


def nav_links(page: Page) -> list[tuple[str, str]]:
    """(label, absolute URL) of every page in the sidebar navigation, in order."""
    page.wait_for_selector("[data-testid=stSidebarNav] a")
    links = page.locator("[data-testid=stSidebarNav] a")
    found = []
    for i in range(links.count()):
        link = links.nth(i)
        label = link.inner_text().strip().splitlines()[-1].strip()  # the icon comes first
        href = link.evaluate("a => a.href")
        found.append((label, href))
    return found


def page_slug(label: str) -> str:
    """A file-name-safe name for an app page from its navigation label."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to tests/screenshots/NAME.png (git-ignored) and return it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # The script has finished, but widgets still paint over their grey placeholders.
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
    return path
