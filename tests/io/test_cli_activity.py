"""`import-activity`, `suggestions` and `confirm-suggestions` on the command line: exact
JSON, exact lines, exit 1 and nothing written for a bad file."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.core.words import human_date
from lib.io.activity.apply import ActivityResult
from lib.io.activity.rules import Ignored
from lib.store.db import open_database
from tests.io.activity_day import DAY, FIXTURES, ME, TODAY, load_day_network
from tests.io.test_activity_readers import BAD_FILES
from tests.support import run_cli

CALLS = str(FIXTURES / "calls-20261208221431.xml")


@pytest.fixture
def network(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The day's network in a closed file; today is the day after, in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("lib.cli.activity.today", lambda: TODAY)
    with open_database(db_path) as db:
        load_day_network(db)
    yield str(db_path)
    monkeypatch.undo()
    time.tzset()


def test_import_activity_json_is_one_object_sorted_by_day_then_contact(capsys, network: str):
    code, out, err = run_cli(capsys, "import-activity", CALLS, "--json", "--db", network)
    assert (code, err) == (0, "")
    found = json.loads(out)
    assert found["ignored"] == {"unmatched": 40, "already_logged": 0, "duplicates": 0}
    assert found["suggestions"][0] == {
        "contact_id": 1,
        "kind": "attempt",
        "occurred_on": "2026-12-08",
        "channel": "phone",
        "outcome": "no_answer",
    }
    assert found["suggestions"][-1] == {
        "contact_id": 15,
        "kind": "contacted",
        "occurred_on": "2026-12-08",
        "channel": "phone",
    }
    assert out.count("\n") == 1


def test_import_activity_says_what_it_suggested_and_how_to_undo_it(capsys, network: str):
    code, out, err = run_cli(capsys, "import-activity", CALLS, "--db", network)
    assert code == 0
    assert out == (
        "Suggested 15 steps from calls-20261208221431.xml, a call log (SMS Backup & Restore "
        "XML). Ignored 40 calls with numbers not in your network.\n"
    )
    assert err == (
        "  review them with: python -m lib.cli suggestions; undo the import with: "
        "python -m lib.cli undo-import 1\n"
    )
    again = run_cli(capsys, "import-activity", CALLS, "--json", "--db", network)
    assert json.loads(again[1]) == {
        "suggestions": [],
        "ignored": {"unmatched": 40, "already_logged": 0, "duplicates": 15},
    }


def test_a_dry_run_writes_nothing(capsys, network: str):
    code, out, _ = run_cli(capsys, "import-activity", CALLS, "--dry-run", "--db", network)
    assert (code, out.split(" from ")[0]) == (0, "Would suggest 15 steps")
    assert run_cli(capsys, "suggestions", "--db", network) == (
        0,
        "No suggestions to confirm.\n",
        "",
    )


def test_suggestions_lists_the_queue_and_confirm_all_attempts_logs_the_calls(capsys, network: str):
    mbox = str(FIXTURES / "all-mail.mbox")
    run_cli(capsys, "import-activity", mbox, "--my-address", ME, "--db", network)
    run_cli(capsys, "import-activity", CALLS, "--db", network)
    code, out, _ = run_cli(capsys, "suggestions", "--db", network)
    lines = out.splitlines()
    assert (code, lines[0], lines[1], len(lines)) == (0, "19 to confirm", human_date(DAY), 21)
    assert lines[2] == (
        "  #5     Ana Ruiz: Call attempt (no answer) — call 0 s outgoing, Tue 8 Dec 09:02"
    )
    assert "  #2     Dana Whitfield: Thank-you sent — " in out
    listed = json.loads(run_cli(capsys, "suggestions", "--json", "--db", network)[1])
    assert len(listed) == 19 and listed[0]["occurred_on"] == "2026-12-08"

    code, out, _ = run_cli(capsys, "confirm-suggestions", "--all-attempts", "--db", network)
    assert (code, out.splitlines()[-1]) == (0, "Confirmed 11 call attempts.")
    assert len(json.loads(run_cli(capsys, "suggestions", "--json", "--db", network)[1])) == 8


def test_confirm_suggestions_without_what_to_confirm_is_refused(capsys, network: str):
    assert run_cli(capsys, "confirm-suggestions", "--db", network) == (
        1,
        "",
        "error: confirm-suggestions: say what to confirm: --all-attempts\n",
    )


@pytest.mark.parametrize(("name", "text", "fmt", "message"), BAD_FILES)
def test_a_bad_file_exits_1_with_one_line_and_writes_nothing(
    capsys, network: str, tmp_path: Path, name: str, text: str, fmt: str | None, message: str
):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    argv = ["import-activity", str(path), "--db", network] + (["--format", fmt] if fmt else [])
    hint = "; name its format with --format" if "none of the activity formats" in message else ""
    assert run_cli(capsys, *argv) == (
        1,
        "",
        f"error: {name}: {message}; nothing imported{hint}\n",
    )
    with open_database(network) as db:
        assert db.scalar("SELECT count(*) FROM suggestions") == 0
        assert db.scalar("SELECT count(*) FROM import_batches") == 0


def test_a_missing_file_creates_no_database(capsys, tmp_path: Path):
    db = tmp_path / "new.duckdb"
    code, _, err = run_cli(capsys, "import-activity", str(tmp_path / "x.xml"), "--db", str(db))
    assert (code, err) == (
        1,
        f"error: file: {tmp_path / 'x.xml'} does not exist or is not a file\n",
    )
    assert not db.exists()


def test_an_activity_import_is_listed_and_undone_like_any_import(capsys, network: str):
    run_cli(capsys, "import-activity", CALLS, "--db", network)
    code, out, _ = run_cli(capsys, "imports", "--json", "--db", network)
    [batch] = json.loads(out)
    assert (batch["file"], batch["format"], batch["undone_at"]) == (
        "calls-20261208221431.xml",
        "calls-xml",
        None,
    )
    assert run_cli(capsys, "undo-import", "1", "--db", network) == (
        0,
        "Undid import #1 (calls-20261208221431.xml): removed 0 contacts, emptied 0 filled "
        "fields, took back 15 open suggestions.\n",
        "",
    )
    assert run_cli(capsys, "suggestions", "--db", network)[1] == "No suggestions to confirm.\n"


def test_imports_lists_an_activity_import_by_what_waits_to_be_confirmed(capsys, network: str):
    run_cli(capsys, "import-activity", CALLS, "--db", network)
    code, out, _ = run_cli(capsys, "imports", "--db", network)
    assert code == 0
    assert out.endswith(
        "  calls-20261208221431.xml (calls-xml): 15 suggested steps still to confirm\n"
    )
    run_cli(capsys, "confirm-suggestions", "--all-attempts", "--db", network)
    out = run_cli(capsys, "imports", "--db", network)[1]
    assert out.endswith("(calls-xml): 4 suggested steps still to confirm\n"), out


@pytest.mark.parametrize(
    ("fmt", "ignored", "dry_run", "line"),
    [
        (
            "calls-csv",
            Ignored(unmatched=1, already_logged=2, duplicates=3),
            False,
            "Suggested 0 steps from f, a call log (CSV). Ignored 1 call with numbers not in your "
            "network, 2 already logged and 3 seen in an earlier import.",
        ),
        (
            "eml",
            Ignored(already_logged=1),
            True,
            "Would suggest 0 steps from f, an e-mail (.eml). Ignored 1 already logged.",
        ),
        (
            "ics",
            Ignored(unmatched=2, duplicates=1),
            False,
            "Suggested 0 steps from f, a calendar (ics). Ignored 2 meetings with no one in your "
            "network and 1 seen in an earlier import.",
        ),
    ],
)
def test_the_summary_names_only_what_was_ignored(fmt, ignored, dry_run, line):
    assert ActivityResult("f", fmt, ignored=ignored, dry_run=dry_run).summary() == line
