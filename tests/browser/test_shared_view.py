"""The shared view as an outsider meets it: a passphrase before any data, tries limited, crafted
links shown as text, a mistyped flag refused, and a write in the app showing by itself.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from lib.store.passphrase import set_passphrase
from tests.browser.conftest import (
    HEALTH_TIMEOUT,
    WAIT,
    AppServers,
    Guard,
    _healthy,
    funnel_counts,
    main_text,
    nav_links,
    open_page,
    screenshot,
    settle,
)
from tests.browser.test_read_only_side_by_side import SECRET_FIRST, SECRET_LAST, demo_file
from tests.processes import ROOT, free_port, python_env, stop_group

pytestmark = pytest.mark.browser

PASSPHRASE = "copper lantern 2026"
SECRETS = (SECRET_FIRST, SECRET_LAST, "Ada Quill", "Bo Feather")
LIVE_SECONDS = 10  # the promise: a write shows in an open view within 10 s


@pytest.fixture
def share_cli(tmp_path: Path) -> Iterator:
    """Factory: `share_cli(db_path, *args)` runs `python -m lib.cli share` and returns its URL."""
    started: list[subprocess.Popen[bytes]] = []

    def start(db_path: Path, *args: str) -> str:
        port = free_port()
        log = tmp_path / f"share-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "lib.cli", "share", "--db", str(db_path)]
                + ["--port", str(port), *args],
                cwd=ROOT,
                env=python_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if _healthy(url):
                return url
            time.sleep(0.25)
        pytest.fail(f"`lib.cli share` did not start on {url}:\n{log.read_text()[-3000:]}")

    yield start
    for process in started:
        stop_group(process)


class Frames:
    """Every websocket frame the server sent to the page, as text (protobuf bytes decoded)."""

    def __init__(self, page: Page) -> None:
        self.received: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:  # noqa: ANN001 (playwright's WebSocket)
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        self.received.append(text)

    def holding(self, words: tuple[str, ...]) -> list[str]:
        joined = "\n".join(self.received)
        return [word for word in words if word in joined]


def enter(page: Page, passphrase: str) -> None:
    field = page.get_by_label("Passphrase")
    field.fill(passphrase)
    page.get_by_role("button", name="Open the view").click()
    settle(page)


def test_with_a_passphrase_no_contact_data_reaches_the_browser_before_it(
    page: Page, guard: Guard, share_cli, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    expected = demo_file(path)
    set_passphrase(path, PASSPHRASE)
    frames = Frames(page)
    url = share_cli(path)  # not redacted: only the passphrase stands between names and viewer

    open_page(page, url)
    expect(page.get_by_label("Passphrase")).to_be_visible(timeout=WAIT)
    screenshot(page, "shared-view-passphrase")
    assert nav_links_count(page) == 0
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    expect(page.get_by_role("button", name="Open the view")).to_be_in_viewport()
    screenshot(page, "shared-view-passphrase-390")
    page.set_viewport_size({"width": 1400, "height": 900})
    enter(page, "not the passphrase")
    expect(page.get_by_text("That is not the passphrase.")).to_be_visible(timeout=WAIT)
    for word in (*SECRETS, "Read-only view"):
        assert word not in page.content(), word
    assert frames.holding(SECRETS) == []
    assert frames.received, "no websocket frame was recorded: the check would prove nothing"

    enter(page, PASSPHRASE)
    expect(page.get_by_text("Read-only view — data as of")).to_be_visible(timeout=WAIT)
    assert funnel_counts(page) == expected
    assert [label for label, _ in nav_links(page)] == ["Dashboard", "Weekly review", "Network"]
    page.locator("[data-testid=stSidebarNav] a", has_text="Network").click()  # same session
    settle(page)
    expect(page.get_by_role("heading", name="Network")).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(800)
    screenshot(page, "shared-view-unlocked-network")
    assert frames.holding(SECRETS) != []  # once in, the names do arrive: the check can see them
    guard.assert_clean()


def nav_links_count(page: Page) -> int:
    return page.locator("[data-testid=stSidebarNav] a").count()


def test_the_sixth_try_in_a_minute_is_refused_even_when_right(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    demo_file(path)
    set_passphrase(path, PASSPHRASE)
    url = streamlit_app(path, "--read-only")

    open_page(page, url)
    for n in range(5):
        enter(page, f"guess number {n}")
        expect(page.get_by_text("That is not the passphrase.")).to_be_visible(timeout=WAIT)
    enter(page, PASSPHRASE)
    expect(page.get_by_text("Too many wrong tries. Try again in")).to_be_visible(timeout=WAIT)
    screenshot(page, "shared-view-too-many-tries")
    assert page.get_by_text("Read-only view — data as of").count() == 0
    for word in SECRETS:
        assert word not in page.content()
    guard.assert_clean()


class Listener:
    """A local web server that records every request it gets (where a crafted link points)."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_crafted_link_values_show_as_plain_text_and_fetch_nothing(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path, listener: Listener
) -> None:
    path = tmp_path / "network.duckdb"
    demo_file(path)
    image = f"![x](http://127.0.0.1:{listener.port}/x.png)"
    phishing = f"**Session expired** [sign in](http://127.0.0.1:{listener.port}/)"
    writable = streamlit_app(path)
    open_page(page, writable)  # publishes the snapshot the view reads
    viewer = streamlit_app(path, "--read-only")

    for app, label in ((writable, "app"), (viewer, "view")):
        for slug, param, value, shown in (
            ("dashboard", "source", image, f"source: {image} is not one of"),
            ("dashboard", "period", phishing, f"period: '{phishing}' is not one of"),
            ("network", "source", image, f"source: {image} is not one of"),
            ("weekly", "as_of", phishing, f"as_of: '{phishing}' is not a date"),
        ):
            open_page(page, f"{app}/{slug}?{param}={quote(value)}")
            warning = page.locator("[data-testid=stAlertContentWarning]").first
            expect(warning).to_contain_text(shown, timeout=WAIT)
            main = page.locator("[data-testid=stMain]")
            assert main.locator(f"img[src*='{listener.port}']").count() == 0
            assert main.locator(f"a[href*='{listener.port}']").count() == 0
            assert main.locator("[data-testid=stAlertContentWarning] strong").count() == 0
            if slug == "dashboard" and param == "period":
                screenshot(page, f"crafted-link-{label}-{slug}")
    page.wait_for_timeout(1500)  # an image would have been fetched by now
    assert listener.hits == []
    assert "Session expired" in main_text(page)
    guard.assert_clean()


@pytest.mark.parametrize(
    ("args", "env", "told"),
    [
        (("--redact=1",), {}, "unknown option '--redact=1' after `--`"),
        (("--redacted",), {}, "unknown option '--redacted' after `--`"),
        ((), {"WARMLEADS_REDACT": "y"}, "WARMLEADS_REDACT='y' is not understood"),
        ((), {"WARMLEADS_READ_ONLY": "2"}, "WARMLEADS_READ_ONLY='2' is not understood"),
    ],
    ids=["--redact=1", "--redacted", "WARMLEADS_REDACT=y", "WARMLEADS_READ_ONLY=2"],
)
def test_a_mistyped_flag_or_setting_refuses_to_start(
    page: Page,
    guard: Guard,
    streamlit_app: AppServers,
    tmp_path: Path,
    args: tuple[str, ...],
    env: dict[str, str],
    told: str,
) -> None:
    path = tmp_path / "network.duckdb"
    demo_file(path)
    url = streamlit_app(path, *args, env=env)

    for slug in ("", "/contacts", "/dashboard"):
        open_page(page, f"{url}{slug}")
        expect(page.get_by_role("heading", name="Warm Leads did not start")).to_be_visible(
            timeout=WAIT
        )
        assert told in main_text(page)
        assert nav_links_count(page) == 0
        assert page.locator("[data-testid=stForm], [data-testid=stPlotlyChart]").count() == 0
        for word in SECRETS:
            assert word not in page.content()
    screenshot(page, f"refused-{(args or tuple(env))[0].strip('-').lower()}")
    assert f"error: {told}" in streamlit_app.app(url).output()
    guard.assert_clean()


def test_a_write_in_the_app_shows_in_an_open_shared_view_with_no_interaction(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    expected = demo_file(path)
    writable = streamlit_app(path)
    open_page(page, writable)
    viewer_url = streamlit_app(path, "--read-only")
    viewer = page.context.new_page()
    open_page(viewer, f"{viewer_url}/dashboard")
    assert funnel_counts(viewer) == expected
    expect(viewer.get_by_text("Newer data shows here by itself.")).to_be_visible(timeout=WAIT)

    open_page(page, f"{writable}/contacts?add=1")
    page.get_by_label("Name *").fill("Wren Okafor")
    settle(page)
    page.get_by_role("button", name="Add target").click()
    expect(page.get_by_text("Added Wren Okafor as a target")).to_be_visible(timeout=WAIT)
    written = time.monotonic()

    # No reload, no click: the open view's funnel grows by one on its own.
    viewer.wait_for_function(
        """n => {
            const bar = document.querySelector(
                '[data-testid=stPlotlyChart] .funnellayer .point text');
            return bar && parseInt(bar.textContent.replace(/,/g, '')) === n;
        }""",
        arg=expected[0] + 1,
        timeout=LIVE_SECONDS * 1000,
    )
    took = time.monotonic() - written
    assert took < LIVE_SECONDS
    settle(viewer)
    assert funnel_counts(viewer) == [expected[0] + 1, *expected[1:]]
    expect(viewer.get_by_text("Updated ")).to_be_visible(timeout=WAIT)
    screenshot(viewer, "shared-view-live-after-write")
    print(f"the write showed in the open view after {took:.1f} s")
    guard.assert_clean()


# ----------------------------------------- the limit holds, whoever the headers claim (25.2)


@pytest.fixture
def bare_streamlit(tmp_path: Path) -> Iterator:
    """Factory: `bare_streamlit(db_path, *app_args)`: a bare `streamlit run app.py` (no run.py).

    Its web server believes X-Forwarded-For from 127.0.0.1 (uvicorn's default): only the gate's
    own reading of the socket stands between a spoofed header and a fresh count.
    """
    started: list[subprocess.Popen[bytes]] = []

    def start(db_path: Path, *app_args: str) -> str:
        port = free_port()
        log = tmp_path / f"bare-{port}.log"
        start.logs[f"http://127.0.0.1:{port}"] = log
        command = [sys.executable, "-m", "streamlit", "run", "app.py"]
        command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
        command += ["--server.headless", "true", "--server.fileWatcherType", "none"]
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*command, "--", *app_args],
                cwd=ROOT,
                env=python_env(WARMLEADS_DB=str(db_path)),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        start.processes[url] = process
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if _healthy(url):
                return url
            time.sleep(0.25)
        pytest.fail(f"streamlit did not start on {url}:\n{log.read_text()[-3000:]}")

    start.processes = {}
    start.logs = {}
    yield start
    for process in started:
        stop_group(process)


def test_a_new_forwarded_address_per_connection_gets_no_new_tries(
    page: Page, guard: Guard, bare_streamlit, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    demo_file(path)
    set_passphrase(path, PASSPHRASE)
    url = bare_streamlit(path, "--read-only")

    for n in range(6):  # a new connection (and session) each time, claiming a new address
        page.set_extra_http_headers({"X-Forwarded-For": f"203.0.113.{n + 1}"})
        open_page(page, url)
        enter(page, PASSPHRASE if n == 5 else f"guess number {n}")
        told = "Too many wrong tries. Try again in" if n == 5 else "That is not the passphrase."
        expect(page.get_by_text(told)).to_be_visible(timeout=WAIT)
    assert page.get_by_text("Read-only view — data as of").count() == 0
    for word in SECRETS:
        assert word not in page.content()
    # A bare `streamlit run` keeps its metrics route; after the first visit it reports nothing.
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as response:
        assert response.read() == b"# EOF\n"
    guard.assert_clean()


# ---------------------------------------------- nothing before the passphrase (22, 25.9)

PAGE_NAMES = ("Calling session", "Pitch coach", "Import & export", "Weekly review")


def identifiers() -> tuple[str, ...]:
    """The absolute path of app.py and this installation's ids (as Streamlit computes them)."""
    from streamlit.runtime.metrics_util import Installation

    found = Installation.instance()
    ids = (found.installation_id, found.installation_id_v3, found.installation_id_v4)
    return (str(ROOT / "app.py"), *(i for i in ids if i))


def test_the_phone_link_shows_nothing_before_its_passphrase_and_a_bookmark_gets_the_form(
    page: Page, guard: Guard, streamlit_app: AppServers, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    demo_file(path)
    set_passphrase(path, "amber tram 4417 lantern", "phone")
    set_passphrase(path, PASSPHRASE)  # the coach's: it must not open the writable app
    frames = Frames(page)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    url = streamlit_app(path, "--phone")  # run.py on 127.0.0.1, guarded as on the network

    open_page(page, f"{url}/contacts")  # a bookmark
    expect(page.get_by_label("Passphrase")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name="Open Warm Leads")).to_be_in_viewport()
    page.wait_for_timeout(1000)  # a "Page not found" dialog would be up by now
    assert page.get_by_text("Page not found").count() == 0
    assert nav_links_count(page) == 0
    screenshot(page, "phone-link-passphrase-390")
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Open Warm Leads").click()
    settle(page)
    expect(page.get_by_text("That is not the passphrase.")).to_be_visible(timeout=WAIT)
    assert frames.received, "no websocket frame was recorded: the check would prove nothing"
    assert frames.holding(SECRETS) == []
    assert frames.holding(PAGE_NAMES) == []
    assert frames.holding(identifiers()) == []

    page.get_by_label("Passphrase").fill("amber tram 4417 lantern")
    page.get_by_role("button", name="Open Warm Leads").click()
    settle(page)
    expect(page.get_by_role("heading", name="Contacts").first).to_be_visible(timeout=WAIT)
    assert page.get_by_text("Page not found").count() == 0
    open_page(page, f"{url}/today")  # a new connection: the same browser tab asks again
    expect(page.get_by_label("Passphrase")).to_be_visible(timeout=WAIT)
    assert frames.holding(SECRETS) != []  # once in, names did arrive: the check can see them
    assert frames.holding(identifiers()) == []  # and never the path or the ids
    guard.assert_clean()


def test_a_bookmarked_shared_view_page_gets_the_form_then_the_page(
    page: Page, guard: Guard, share_cli, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    demo_file(path)
    set_passphrase(path, PASSPHRASE)
    frames = Frames(page)
    url = share_cli(path)

    open_page(page, f"{url}/network")
    expect(page.get_by_label("Passphrase")).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(1000)
    assert page.get_by_text("Page not found").count() == 0
    assert frames.holding(PAGE_NAMES) == []
    assert frames.holding(identifiers()) == []
    enter(page, PASSPHRASE)
    expect(page.get_by_role("heading", name="Network")).to_be_visible(timeout=WAIT)
    guard.assert_clean()


def test_a_bare_streamlit_run_without_the_phone_passphrase_refuses_and_ends(
    page: Page, guard: Guard, bare_streamlit, tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    demo_file(path)
    set_passphrase(path, PASSPHRASE)  # the coach's does not count
    url = bare_streamlit(path, "--phone")  # as on the network: no code of ours ran before

    open_page(page, f"{url}/contacts")
    expect(page.get_by_role("heading", name="Warm Leads did not start")).to_be_visible(timeout=WAIT)
    for word in SECRETS:
        assert word not in page.content()
    assert bare_streamlit.processes[url].wait(timeout=30) == 1  # the server ends itself
    assert (
        "error: the phone link (--phone) does not start without the phone passphrase; set one "
        "(python -m lib.cli phone --set-passphrase)\n"
    ) in bare_streamlit.logs[url].read_text()
    guard.assert_clean()
