"""The command line: exit codes 0/1/2, where --db may go, one-line errors, the stats JSON."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from lib.engine.stats import DUE_LISTS, WEEKLY_KINDS
from lib.store.db import open_database
from tests.conftest import ROOT, TODAY
from tests.processes import hold_open
from tests.support import digest, run_cli


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m lib.cli` as a user would, in a clean environment."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "lib.cli", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, **(env or {})},
    )


# ---------------------------------------------------------------- init


def test_init_creates_the_file_then_says_it_is_ready(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    assert run_cli(capsys, "init", "--db", str(db_path)) == (0, f"Created: {db_path}\n", "")
    before = digest(db_path)
    assert run_cli(capsys, "init", "--db", str(db_path)) == (0, f"Database ready: {db_path}\n", "")
    assert digest(db_path) == before


def test_demo_is_deterministic_by_seed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def loaded(name: str, seed: str) -> tuple[list[tuple], list[tuple]]:
        path = tmp_path / f"{name}.duckdb"
        code, out, _ = run_cli(
            capsys, "demo", "--contacts", "25", "--seed", seed, "--db", str(path)
        )
        assert code == 0 and out.startswith(f"Loaded the sample network into {path}: 25 contacts")
        db = open_database(path, read_only=True)
        try:
            return (
                db.execute("SELECT * EXCLUDE (created_at) FROM contacts ORDER BY id").fetchall(),
                db.execute("SELECT * EXCLUDE (created_at) FROM events ORDER BY id").fetchall(),
            )
        finally:
            db.close()

    first, again, other = loaded("a", "3"), loaded("b", "3"), loaded("c", "4")
    assert first == again
    assert first[0] != other[0] and first[1] != other[1]


# ---------------------------------------------------------------- where --db goes


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_may_come_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], demo_file: Path, where: str
) -> None:
    argv = ["stats", "--json", "--as-of", "2026-11-25"]
    argv = ["--db", str(demo_file), *argv] if where == "before" else [*argv, "--db", str(demo_file)]
    code, out, err = run_cli(capsys, *argv)
    assert (code, err) == (0, "")
    assert json.loads(out)["funnel"][0] == {"stage": "targeted", "contacts": 50}


def test_the_warmleads_db_variable_names_the_file(demo_file: Path, tmp_path: Path) -> None:
    done = cli("stats", "--json", env={"WARMLEADS_DB": str(demo_file)})
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["funnel"][0]["contacts"] == 50
    # --db wins over the variable.
    other = tmp_path / "other.duckdb"
    done = cli("init", "--db", str(other), env={"WARMLEADS_DB": str(demo_file)})
    assert (done.returncode, done.stdout) == (0, f"Created: {other}\n")


# ---------------------------------------------------------------- stats --json


def test_stats_json_is_one_object_with_the_specs_keys_and_types(demo_file: Path) -> None:
    done = cli("stats", "--json", "--as-of", "2026-11-25", "--db", str(demo_file))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.count("\n") == 1
    result = json.loads(done.stdout)
    assert list(result) == ["as_of", "period", "funnel", "referrals", "weekly", "due", "companies"]
    assert result["as_of"] == "2026-11-25"
    assert result["period"] == {"from": None, "to": None}
    assert [row["stage"] for row in result["funnel"]] == [
        "targeted",
        "contacted",
        "asked",
        "thanked",
        "followed_up",
    ]
    assert all(type(row["contacts"]) is int for row in result["funnel"])
    referrals = result["referrals"]
    assert list(referrals) == ["received", "warm", "givers", "generations"]
    assert all(type(referrals[k]) is int for k in ("received", "warm", "givers"))
    assert all(type(n) is int for n in referrals["generations"]) and referrals["generations"][-1]
    weekly_keys = ["week", "week_start", "targets", "referrals", *WEEKLY_KINDS]
    for row in result["weekly"]:
        assert list(row) == weekly_keys
        assert date.fromisoformat(row["week_start"]).weekday() == 0
        year, week, _ = date.fromisoformat(row["week_start"]).isocalendar()
        assert row["week"] == f"{year}-W{week:02d}"
        assert all(type(row[k]) is int for k in weekly_keys[2:])
    assert result["weekly"][-1]["week"] == "2026-W48"
    assert list(result["due"]) == list(DUE_LISTS)
    for ids in result["due"].values():
        assert ids and all(type(i) is int for i in ids) and ids == sorted(set(ids))


def test_stats_period_echoes_its_bounds(
    capsys: pytest.CaptureFixture[str], demo_file: Path
) -> None:
    code, out, _ = run_cli(
        capsys,
        "stats",
        "--json",
        "--db",
        str(demo_file),
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-20",
    )
    assert code == 0
    result = json.loads(out)
    assert result["period"] == {"from": "2026-11-01", "to": "2026-11-20"}
    assert result["as_of"] == date.today().isoformat()
    assert [row["week"] for row in result["weekly"]] == [
        "2026-W44",
        "2026-W45",
        "2026-W46",
        "2026-W47",
    ]


def test_stats_without_json_prints_a_readable_summary(
    capsys: pytest.CaptureFixture[str], demo_file: Path
) -> None:
    code, out, err = run_cli(capsys, "stats", "--as-of", "2026-11-25", "--db", str(demo_file))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Warm Leads — as of 2026-11-25"
    assert lines[3].split() == ["Targeted", "50", "100.0%"]
    assert "Weekly (last 8 weeks)" in lines


def test_stats_only_reads_the_file(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    before = digest(demo_file)
    assert run_cli(capsys, "stats", "--db", str(demo_file))[0] == 0
    assert digest(demo_file) == before


def test_a_reader_that_stops_early_is_not_an_error(demo_file: Path) -> None:
    """`stats --json | head -c 10`: the reader closes the pipe before the object is written."""
    reader_gone = subprocess.Popen(
        [sys.executable, "-m", "lib.cli", "stats", "--json", "--db", str(demo_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader_gone.stdout is not None
    reader_gone.stdout.close()
    _, err = reader_gone.communicate(timeout=60)
    assert (reader_gone.returncode, err) == (0, "")


# ---------------------------------------------------------------- bad input: exit 1, one line


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--from", "2026-11-30", "--to", "2026-11-01"],
            "from: Mon 30 Nov 2026 is after to Sun 1 Nov 2026",
        ),
        (
            ["--from", "2026-11-26", "--as-of", "2026-11-25"],
            "from: Thu 26 Nov 2026 is after as_of Wed 25 Nov 2026",
        ),
        (["--from", "2026-02-30"], "from: 2026-02-30 is not a real date"),
        (["--to", "2026-13-01"], "to: 2026-13-01 is not a real date"),
        (["--as-of", "yesterday"], "as_of: 'yesterday' is not a date (use YYYY-MM-DD)"),
        (["--as-of", "25/11/2026"], "as_of: '25/11/2026' is not a date (use YYYY-MM-DD)"),
        (["--from", "1899-12-31"], "from: Sun 31 Dec 1899 is too far in the past"),
    ],
)
def test_bad_dates_exit_1_with_one_line(
    capsys: pytest.CaptureFixture[str], demo_file: Path, argv: list[str], message: str
) -> None:
    assert run_cli(capsys, "stats", "--json", "--db", str(demo_file), *argv) == (
        1,
        "",
        f"error: {message}\n",
    )


def test_stats_on_a_missing_file_exits_1_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "missing.duckdb"
    assert run_cli(capsys, "stats", "--db", str(path)) == (
        1,
        "",
        f"error: no database at {path}: create one with `python -m lib.cli init` "
        "(or `demo` for a sample network)\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--contacts", "0"], "contacts: 0 is outside 1–10,000,000"),
        (["--contacts", "20000000"], "contacts: 20000000 is outside 1–10,000,000"),
        (["--events", "100000001"], "events: 100000001 is outside 0–100,000,000"),
    ],
)
def test_demo_of_an_impossible_size_exits_1_and_creates_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    path = tmp_path / "network.duckdb"
    assert run_cli(capsys, "demo", "--db", str(path), *argv) == (1, "", f"error: {message}\n")
    assert list(tmp_path.iterdir()) == []


DAMAGED = {
    "truncated": lambda good: good[:4096],
    "random bytes": lambda good: bytes((i * 7919 + 13) % 251 for i in range(20_000)),
    "a text file": lambda good: b"full_name,email\nAna Ruiz,ana@example.com\n",
    "an empty file": lambda good: b"",
}


@pytest.mark.parametrize("kind", DAMAGED)
@pytest.mark.parametrize("command", ["init", "demo", "stats"])
def test_a_damaged_file_exits_1_with_one_line_and_keeps_its_bytes(
    capsys: pytest.CaptureFixture[str], demo_file: Path, kind: str, command: str
) -> None:
    content = DAMAGED[kind](demo_file.read_bytes())
    demo_file.write_bytes(content)
    before = sorted(p.name for p in demo_file.parent.iterdir())
    code, out, err = run_cli(capsys, command, "--db", str(demo_file))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {demo_file} ") and err.count("\n") == 1
    assert "damaged" in err and "left untouched" in err
    assert demo_file.read_bytes() == content
    assert sorted(p.name for p in demo_file.parent.iterdir()) == before


@pytest.mark.parametrize("command", ["init", "demo"])
def test_a_file_locked_by_another_process_exits_1_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], held_file: Path, command: str
) -> None:
    before = digest(held_file)
    assert run_cli(capsys, command, "--db", str(held_file)) == (
        1,
        "",
        f"error: {held_file} is open in another Warm Leads process (the app or a command); "
        "close it there and try again\n",
    )
    assert digest(held_file) == before


@pytest.mark.parametrize(
    "command",
    [["stats"], ["stats", "--json"], ["imports", "--json"], ["export", "--format", "csv"]],
    ids=" ".join,
)
def test_a_command_that_only_reads_reads_the_snapshot_while_the_app_holds_the_file(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path, command: list[str]
) -> None:
    expected = run_cli(capsys, *command, "--db", str(demo_file), *_out(command, tmp_path, "a"))
    with hold_open(demo_file):  # the app: a Warm Leads process writing the file
        code, printed, err = run_cli(
            capsys, *command, "--db", str(demo_file), *_out(command, tmp_path, "b")
        )
    assert (code, printed.replace("b.out", "a.out")) == expected[:2]
    assert re.fullmatch(
        f"note: {re.escape(str(demo_file))} is open in another Warm Leads process; "
        r"reading the snapshot of \d\d:\d\d\n",
        err,
    )
    if command[0] == "export":
        assert (tmp_path / "b.out").read_bytes() == (tmp_path / "a.out").read_bytes()


def _out(command: list[str], folder: Path, name: str) -> list[str]:
    """An export's --out: a new file for each run."""
    return ["--out", str(folder / f"{name}.out")] if command[0] == "export" else []


@pytest.mark.parametrize("command", ["init", "demo", "stats"])
def test_another_apps_duckdb_file_exits_1_and_gains_no_tables(
    capsys: pytest.CaptureFixture[str], db_path: Path, command: str
) -> None:
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE orders (id INTEGER)")
    con.close()
    content = db_path.read_bytes()
    assert run_cli(capsys, command, "--db", str(db_path)) == (
        1,
        "",
        f"error: {db_path} has no contacts or events table: not a Warm Leads file\n",
    )
    assert db_path.read_bytes() == content


def test_a_file_that_cannot_be_created_exits_1_saying_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    path = blocker / "network.duckdb"
    assert run_cli(capsys, "init", "--db", str(path)) == (
        1,
        "",
        f"error: {path} could not be created ({blocker} is a file, not a folder)\n",
    )


# ---------------------------------------------------------------- usage errors: exit 2


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
        (["stats", "--json", "extra"], "unrecognized arguments: extra"),
        (["stats", "--db"], "argument --db: expected one argument"),
        (["stats", "--db", ""], "argument --db: the path is empty"),
        (["demo", "--contacts", "-3"], "argument --contacts: '-3' must not be negative"),
        (["demo", "--contacts", "1e9"], "argument --contacts: '1e9' is not a whole number"),
        (["demo", "--seed", "x"], "argument --seed: invalid int value: 'x'"),
        (["stats", "--from"], "argument --from: expected one argument"),
    ],
)
def test_usage_errors_exit_2_with_the_usage(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], complaint: str
) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("usage: python -m lib.cli") and complaint in err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- never a traceback

NASTY = [
    ["stats", "--from", "\udcff\udcfe"],  # undecodable bytes in argv
    ["stats", "--to", "2026-11-01T10:00"],
    ["stats", "--as-of", "-1"],
    ["stats", "--json", "--db", "/dev/null"],
    ["demo", "--contacts", "99999999999999999999999"],
    ["init", "--db", "/proc/self/network.duckdb"],
    ["--db", "/", "stats"],
]


@pytest.mark.parametrize("argv", NASTY, ids=[" ".join(a)[:40] for a in NASTY])
def test_nasty_arguments_never_show_a_traceback(argv: list[str]) -> None:
    done = cli(*argv)
    assert done.returncode in (1, 2), done
    assert "Traceback" not in done.stderr and done.stdout == ""
    if done.returncode == 1:
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1


def test_stats_json_imports_no_heavy_library(demo_db, db_path: Path) -> None:
    """`stats --json` loads DuckDB and the engine: no app or importer library."""
    demo_db.close()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "lib.cli", "stats", "--json"]
        + ["--db", str(db_path), "--as-of", TODAY.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["as_of"] == TODAY.isoformat()
    # -X importtime writes one line per module: "import time: self | cumulative | name".
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "lib" in imported and "duckdb" in imported  # the lines are what we think they are
    heavy = {"pandas", "plotly", "streamlit", "vobject", "icalendar", "numpy", "pyarrow"}
    assert imported & heavy == set()


# ---------------------------------------------------------------- target companies


def test_import_companies_then_companies_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    names = tmp_path / "targets.csv"
    names.write_text("City,Company\nOslo,Acme\nRome,ACME Inc.\nLima,Globex\n", encoding="utf-8")
    assert run_cli(capsys, "init", "--db", str(path))[0] == 0

    assert run_cli(capsys, "import-companies", str(names), "--db", str(path)) == (
        0,
        "Imported targets.csv: 2 companies added, 1 merged as the same company "
        "(ACME Inc. into Acme), 0 skipped\n",
        "",
    )
    code, out, err = run_cli(capsys, "companies", "--json", "--db", str(path))
    assert (code, err, out.count("\n")) == (0, "", 1)
    assert json.loads(out) == {
        "companies": [
            {"id": 1, "name": "Acme", "motivation": None, "posting": None, "people": 0,
             "advocates": 0, "ways_in": 0},
            {"id": 2, "name": "Globex", "motivation": None, "posting": None, "people": 0,
             "advocates": 0, "ways_in": 0},
        ]
    }  # fmt: skip


def test_import_companies_of_a_missing_file_exits_1_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "network.duckdb"
    assert run_cli(capsys, "init", "--db", str(path))[0] == 0
    missing = tmp_path / "nope.txt"
    assert run_cli(capsys, "import-companies", str(missing), "--db", str(path)) == (
        1,
        "",
        f"error: FILE: there is no file {missing}\n",
    )
    assert run_cli(capsys, "companies", "--db", str(path))[1] == (
        "No target companies yet: add them with `import-companies FILE` or in the app.\n"
    )
