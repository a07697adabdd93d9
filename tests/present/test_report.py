"""The HTML report: one self-contained file with the funnel, goals, trend, multiplier and due."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs
from streamlit.testing.v1 import AppTest
from writer_process import Writer

from lib import cli
from lib.engine import network, stats
from lib.engine.stats import Scope
from lib.present import report
from lib.present.figures.network import multiplier_figure
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.records.settings import DEFAULT_GOALS
from lib.store.db import Database, open_database
from tests.conftest import TODAY

GENERATED = datetime(2026, 11, 25, 9, 30).astimezone()


def make_report(db: Database, *, redact: bool = False, **bounds: str) -> str:
    period = stats.make_period(today=TODAY, **bounds)
    return report.build_report(db, period, redact=redact, generated_at=GENERATED)


def goal_row(page: str, label: str) -> tuple[int, int]:
    match = re.search(
        rf'<th scope="row">{re.escape(label)}</th><td class="num">([\d,]+)</td>'
        r'<td class="num">([\d,]+)</td>',
        page,
    )
    assert match, f"no goal row {label!r}"
    return int(match.group(1).replace(",", "")), int(match.group(2).replace(",", ""))


def due_tile(page: str, title: str) -> int:
    match = re.search(rf'<div class="value">([\d,]+)</div><div class="label">{title}</div>', page)
    assert match, f"no tile {title!r}"
    return int(match.group(1).replace(",", ""))


def test_the_report_is_one_self_contained_page(demo_db: Database) -> None:
    page = make_report(demo_db)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<script") == 4  # plotly.js once, then one per chart
    assert "Plotly.newPlot" in page
    assert re.search(r"<(script|img|iframe)[^>]*\ssrc=", page) is None
    markup = page.replace(get_plotlyjs(), "")
    assert "<link" not in markup and "@import" not in markup and "url(" not in markup
    for chart in ("funnel", "trend", "multiplier"):
        assert f'id="{chart}"' in page


def test_the_report_says_when_it_was_made_and_for_which_period(demo_db: Database) -> None:
    page = make_report(demo_db, start="2026-11-01", end="2026-11-25")
    assert "Period: Sun 1 Nov – Wed 25 Nov 2026" in page
    assert "Generated Wed 25 Nov 2026, 09:30" in page
    assert "Period: All time, up to Wed 25 Nov 2026" in make_report(demo_db)


def test_the_week_is_set_against_the_goals(db: Database) -> None:
    # TODAY is Wednesday 25 Nov 2026: its ISO week 2026-W48 began on Monday the 23rd.
    for n, day in enumerate(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-22"]):
        contact = add_contact(db, {"full_name": f"Person {n}", "identified_on": day}, today=TODAY)
        log_event(db, {"contact_id": contact, "kind": "contacted", "occurred_on": day}, today=TODAY)
    page = make_report(db)
    assert "This week (2026-W48, from Mon 23 Nov 2026)" in page
    assert goal_row(page, "New targets") == (3, DEFAULT_GOALS["targets"])
    assert goal_row(page, "Conversations") == (3, DEFAULT_GOALS["contacted"])
    assert goal_row(page, "Follow-ups") == (0, DEFAULT_GOALS["follow_up"])


def test_the_due_counts_match_the_due_lists(demo_db: Database) -> None:
    page = make_report(demo_db)
    due = stats.due_lists(demo_db, TODAY)
    assert due_tile(page, "Follow-ups overdue") == len(due["follow_up_overdue"])
    assert due_tile(page, "Follow-ups due") == len(due["follow_up_due"])
    assert due_tile(page, "Thank-you pending") == len(due["thank_you_pending"])
    assert due_tile(page, "To contact") == len(due["to_contact"])


def test_an_empty_database_gives_a_report_that_says_so(db: Database) -> None:
    page = make_report(db)
    assert "No targets identified in this period yet." in page
    assert 'id="funnel"' not in page
    assert due_tile(page, "To contact") == 0


def test_names_in_the_report_are_text_never_markup(db: Database) -> None:
    sneaky = {"full_name": "<img src=x onerror=alert(1)>", "company": "<b>Co</b>"}
    add_contact(db, sneaky, today=TODAY)
    page = make_report(db)
    assert "&lt;img src=x onerror=alert(1)&gt; — &lt;b&gt;Co&lt;/b&gt;" in page
    assert "<img" not in page and "<b>Co" not in page


def test_the_unredacted_report_names_the_most_urgent_of_each_list(db: Database) -> None:
    for n in range(10):
        add_contact(db, {"full_name": f"Target {n}", "identified_on": "2026-11-01"}, today=TODAY)
    page = make_report(db)
    assert "Target 0" in page and "Target 7" in page and "Target 8" not in page
    assert "and 2 more" in page
    assert "share it only with people you trust" in page


def test_the_redacted_report_names_nobody(db: Database) -> None:
    add_contact(db, {"full_name": "Target Person", "company": "Acme Widgets"}, today=TODAY)
    page = make_report(db, redact=True)
    assert "Target Person" not in page and "Acme Widgets" not in page
    assert "Who is next" not in page
    assert "Aggregates only: no names, emails, phones, URLs, companies or notes." in page


def test_the_report_draws_the_apps_multiplier(demo_db: Database) -> None:
    page = make_report(demo_db)
    generations = stats.referrals(demo_db, Scope(stats.make_period(today=TODAY)))["generations"]
    app = multiplier_figure(network.multiplier_frame(generations))
    # The app's bars and ideal curve, as plotly writes them into the page (JSON, \u-escaped).
    assert json.dumps(app.data[1].name) in page
    assert json.dumps(list(app.data[0].text)).replace(" ", "") in page.replace(" ", "")


def test_the_report_command_writes_the_file(demo_db: Database, db_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:  # fmt: skip
    demo_db.close()
    out = tmp_path / "report.html"
    code = cli.main(["report", "--db", str(db_path), "--out", str(out), "--to", "2026-11-25"])
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Wrote the report to {out} (4.")
    assert printed.rstrip().endswith("MB, opens offline): All time, up to Wed 25 Nov 2026")
    assert 'id="funnel"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "{tmp}/missing/report.html"],
         "error: cannot write {tmp}/missing/report.html: the folder {tmp}/missing does not exist"),
        (["--out", "{tmp}"], "error: {tmp} is a folder; give a file name"),
        (["--out", "{tmp}/r.html", "--from", "2026-11-30", "--to", "2026-11-01"],
         "error: from: Mon 30 Nov 2026 is after to Sun 1 Nov 2026"),
        (["--out", "{tmp}/r.html", "--to", "someday"],
         "error: to: 'someday' is not a date (use YYYY-MM-DD)"),
    ],
)  # fmt: skip
def test_bad_report_options_say_what_is_wrong_and_write_nothing(
    demo_db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
    args: list[str], message: str,
) -> None:  # fmt: skip
    demo_db.close()
    before = sorted(tmp_path.iterdir())
    argv = ["report", "--db", str(db_path), *(a.format(tmp=tmp_path) for a in args)]
    assert cli.main(argv) == 1
    assert capsys.readouterr().err.strip() == message.format(tmp=tmp_path)
    assert sorted(tmp_path.iterdir()) == before


def test_the_report_command_works_while_the_app_has_the_file_open(
    demo_db: Database, db_path: Path, tmp_path: Path
) -> None:
    today = date.today()  # the writer adds its target today
    to_contact = len(stats.due_lists(demo_db, today)["to_contact"])
    demo_db.close()
    writer = Writer(db_path)
    try:
        writer.add("Written While Open")
        writer.send("wait")
        out = tmp_path / "report.html"
        argv = ["report", "--db", str(db_path), "--out", str(out), "--to", today.isoformat()]
        assert cli.main(argv) == 0
    finally:
        writer.stop()
    assert due_tile(out.read_text(encoding="utf-8"), "To contact") == to_contact + 1


def test_the_download_button_offers_the_report(app_env: Path) -> None:
    database = open_database(app_env)
    database.close()

    def page() -> None:
        from lib.engine import stats
        from lib.ui.data import report_download_button

        report_download_button(stats.make_period())

    at = AppTest.from_function(page)
    at.run()
    assert not at.exception, at.exception
    (button,) = at.get("download_button")
    assert button.proto.label == "Download report"
    assert "opens offline" in button.proto.help
    assert "names the people who are due" in button.proto.help
