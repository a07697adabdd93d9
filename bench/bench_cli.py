"""Benchmark `python -m lib.cli stats --json` against bare DuckDB scripts on the same file.

    python -m bench.bench_cli [--contacts 100000] [--events 1000000] [--repeat 5]

Each command runs as its own process (interpreter start, imports, open, query, print) and
the table shows the median wall and CPU time (user + system) of `--repeat` runs, the
commands taking turns so that load from other work falls on all of them alike:

- the CLI: `python -m lib.cli stats --json --as-of …` (the whole object of docs/METHOD.md);
- a bare DuckDB script computing the same answer: only `import duckdb, json`, the same SQL
  text the engine runs (pasted into the script), the same JSON out — so the ratio is what
  the CLI adds (our imports, opening and migration checks, Python around the SQL);
- a bare DuckDB script running one query (`SELECT count(*) FROM events`): the floor of any
  process that opens the file at all.

Target: the CLI within 1.2× of the bare script computing the same answer. The demo file is
built once under bench/ (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import demo_file  # noqa: E402 - needs the path above
from lib.core.vocab import DUE_LISTS, STAGES, WEEKLY_KINDS  # noqa: E402
from lib.engine import stats  # noqa: E402

TARGET_RATIO = 1.2
AS_OF = date(2026, 11, 25)  # fixed, so every run computes the same answer

ONE_QUERY = """\
import duckdb
print(duckdb.connect({path!r}, read_only=True).execute("SELECT count(*) FROM events").fetchall())
"""

# The same answer with nothing but duckdb: the engine's SQL, pasted in by `same_answer_script`.
SAME_ANSWER = """\
import datetime, json
import duckdb

con = duckdb.connect({path!r}, read_only=True)
params = {{"t": datetime.date.fromisoformat({day!r}), "from": None}}
weekly = con.execute({weekly!r}, params)
columns = [c[0] for c in weekly.description]
rows = [{{k: v for k, v in zip(columns, r) if k in {weekly_keys!r}}} for r in weekly.fetchall()]
funnel = con.execute({funnel!r}, params).fetchone()
received, warm, givers = con.execute({referral_counts!r}, params).fetchone()
generations = dict(con.execute({generations!r}, params).fetchall())
due = con.execute({due!r}, params).fetchone()
print(json.dumps({{
    "as_of": {day!r}, "period": {{"from": None, "to": None}},
    "funnel": [{{"stage": s, "contacts": n}} for s, n in zip({stages!r}, funnel)],
    "referrals": {{"received": received, "warm": warm, "givers": givers,
                  "generations": [generations.get(g, 0)
                                  for g in range(max(generations, default=-1) + 1)]}},
    "weekly": [{{**r, "week_start": r["week_start"].isoformat()}} for r in rows],
    "due": {{n: ids or [] for n, ids in zip({due_lists!r}, due)}},
}}))
"""


def same_answer_script(path: Path) -> str:
    """A bare DuckDB script that computes the `stats --json` object with the engine's SQL."""
    period = stats.make_period(as_of=AS_OF)
    weekly_sql, _ = stats._weekly_query(stats.Scope(period))
    cohort = (
        "cohort AS (SELECT c.id, c.referred_by, c.may_use_name FROM contacts c "
        "WHERE c.identified_on <= $t AND ($from::DATE IS NULL OR c.identified_on >= $from::DATE))"
    )
    return SAME_ANSWER.format(
        path=str(path),
        day=AS_OF.isoformat(),
        weekly=weekly_sql,
        funnel=f"WITH {stats.STAGED_SQL} SELECT "
        + ", ".join(f"count(*) FILTER (WHERE stage >= {k})" for k in range(1, 6))
        + " FROM cohort",
        referral_counts=f"WITH {cohort} SELECT count(*) FILTER (WHERE referred_by IS NOT NULL), "
        "count(*) FILTER (WHERE referred_by IS NOT NULL AND may_use_name), "
        "count(DISTINCT referred_by) FROM cohort",
        generations=f"WITH {cohort}, {stats.GENERATIONS_SQL} SELECT g.generation, count(*) "
        "FROM cohort JOIN generations g USING (id) GROUP BY ALL",
        due="SELECT "
        + ", ".join(f"list(id ORDER BY id) FILTER (WHERE {name})" for name in DUE_LISTS)
        + f" FROM ({stats.DUE_SQL})",
        stages=list(STAGES),
        due_lists=list(DUE_LISTS),
        # The weekly query also counts calls for the review pages; the JSON keeps the counts of
        # docs/METHOD.md "Weekly counts".
        weekly_keys=["week", "week_start", "targets", "referrals", *WEEKLY_KINDS],
    )


def run_once(command: list[str]) -> tuple[float, float, str]:
    """One run of a command: wall seconds, CPU seconds (user + system) and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def timed(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float, str]]:
    """Median wall and CPU time per command; the commands take turns, so load hits all alike."""
    runs: dict[str, list[tuple[float, float, str]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(run_once(command))
    return {
        name: (
            statistics.median(r[0] for r in results),
            statistics.median(r[1] for r in results),
            results[-1][2],
        )
        for name, results in runs.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path, built = demo_file(args.contacts, args.events)
    if not math.isnan(built):  # NaN: the file was already there
        print(f"built {path.name} in {built:.1f} s")
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare_same_answer.py"
        bare.write_text(same_answer_script(path), encoding="utf-8")
        commands = {
            "python -m lib.cli stats --json": [
                python,
                "-m",
                "lib.cli",
                "stats",
                "--json",
                "--db",
                str(path),
                "--as-of",
                AS_OF.isoformat(),
            ],  # fmt: skip
            "bare DuckDB, the same answer": [python, str(bare)],
            "bare DuckDB, one query (count)": [python, "-c", ONE_QUERY.format(path=str(path))],
        }
        run_once(commands["bare DuckDB, one query (count)"])  # warm the page cache
        results = timed(commands, args.repeat)
    cli_seconds, cli_cpu, cli_out = results["python -m lib.cli stats --json"]
    same_seconds, same_cpu, same_out = results["bare DuckDB, the same answer"]
    if json.loads(cli_out) != json.loads(same_out):
        print("the bare script's answer differs from the CLI's", file=sys.stderr)
        return 1
    print(
        f"{args.contacts:,} contacts / {args.events:,} events; "
        f"medians of {args.repeat} runs of each process, taking turns\n"
    )
    print(f"{'':<34} {'wall':>8} {'CLI ÷':>6} {'CPU':>8} {'CLI ÷':>6}")
    for name, (seconds, cpu, _) in results.items():
        print(
            f"{name:<34} {seconds:6.3f} s {cli_seconds / seconds:5.2f}× "
            f"{cpu:6.3f} s {cli_cpu / cpu:5.2f}×"
        )
    ratio = cli_seconds / same_seconds
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(
        f"\ntarget: CLI wall time ≤ {TARGET_RATIO}× the bare script computing the same answer: "
        f"{ratio:.2f}× ({verdict}; CPU {cli_cpu / same_cpu:.2f}×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
