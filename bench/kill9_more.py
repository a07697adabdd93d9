"""kill -9 during a correction and during an export that replaces a file: never half-done.

    python -m bench.kill9_more [--trials 10] [--seed 1]

**Corrections.** A writer moves one conversation (its three steps and the two referrals it
added) back and forth between two days with `edit_event`, printing each move after its
commit; the parent kills it with SIGKILL at a random moment and reopens the file. The
conversation's steps and referrals must all stand on one day, the day of the last
acknowledged move or of the one after it (committed, killed before printing), never split.

**Exports under --force.** A writer replaces one CSV file again and again with
`write_export(..., force=True)`, alternating two databases whose exports differ, printing
after each. After the kill the file must be exactly one of the two exports, whole, and
the folder must hold nothing else but the temporary file of the write that was cut short.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/kill9_more.py` as well as `-m bench.kill9_more`
    sys.path.insert(0, str(ROOT))

from lib.io.exporters import write_export  # noqa: E402
from lib.records.contacts import add_contact  # noqa: E402
from lib.records.corrections import edit_event  # noqa: E402
from lib.records.events import Conversation, log_conversation  # noqa: E402
from lib.store.db import open_database  # noqa: E402

TODAY = date(2026, 11, 25)
DAYS = (date(2026, 11, 2), date(2026, 11, 3))  # the conversation moves between these


@dataclass
class TrialResult:
    """What one trial found."""

    acknowledged: int = 0
    problems: list[str] = field(default_factory=list)


def prepare_correction(path: Path) -> int:
    """A file with Dana's conversation on the first day; returns the conversation's first step."""
    with open_database(path) as db:
        dana = add_contact(db, {"full_name": "Dana Cole", "identified_on": "2026-10-20"})
        logged = log_conversation(
            db,
            Conversation(
                dana,
                occurred_on=DAYS[0],
                channel="phone",
                referrals=[{"full_name": "Eva Lind"}, {"full_name": "Finn Moe"}],
                thanked=True,
            ),
            today=TODAY,
        )
    return logged.event_ids[0]


def move_forever(path: Path, event_id: int) -> None:
    """The writer: move the conversation to the other day, over and over."""
    db = open_database(path)
    move = 0
    while True:
        day = DAYS[(move + 1) % 2]
        edit_event(db, event_id, {"occurred_on": day}, today=TODAY)
        print(json.dumps({"move": move, "day": day.isoformat()}), flush=True)
        move += 1


def check_correction(path: Path, acks: list[dict], result: TrialResult) -> None:
    """Every step and referral of the conversation stands on one allowed day."""
    with open_database(path) as db:
        steps = {row[0] for row in db.execute("SELECT occurred_on FROM events").fetchall()}
        referrals = {
            row[0]
            for row in db.execute(
                "SELECT identified_on FROM contacts WHERE referred_by IS NOT NULL"
            ).fetchall()
        }
        counts = db.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM contacts)"
        ).fetchone()
    if counts != (3, 3):
        result.problems.append(f"expected 3 steps and 3 people, found {counts}")
    if len(steps | referrals) != 1:
        result.problems.append(f"the conversation is split across {sorted(steps | referrals)}")
        return
    (day,) = steps | referrals
    last = date.fromisoformat(acks[-1]["day"]) if acks else DAYS[0]
    allowed = {last, DAYS[1] if last == DAYS[0] else DAYS[0]}
    if day not in allowed:
        result.problems.append(f"on {day}, not the last acknowledged day or the next")


def prepare_exports(folder: Path) -> tuple[Path, Path, bytes, bytes]:
    """Two databases whose CSV exports differ, and those two exports' bytes."""
    made = []
    for name, people in (("a", 3), ("b", 5)):
        path = folder / f"{name}.duckdb"
        with open_database(path) as db:
            for i in range(people):
                add_contact(db, {"full_name": f"Person {name}{i}", "notes": "x" * 2000})
            out = folder / f"{name}.csv"
            write_export(db, "csv", out, today=TODAY)
        made.append((path, out.read_bytes()))
    (first, first_bytes), (second, second_bytes) = made
    return first, second, first_bytes, second_bytes


def export_forever(first: Path, second: Path, target: Path) -> None:
    """The writer: replace `target` with the first database's export, then the second's …"""
    dbs = [open_database(first, read_only=True), open_database(second, read_only=True)]
    turn = 0
    while True:
        write_export(dbs[turn % 2], "csv", target, today=TODAY, force=True)
        print(json.dumps({"export": turn}), flush=True)
        turn += 1


def check_export(target: Path, wants: tuple[bytes, bytes], result: TrialResult) -> None:
    """The file is one export, whole; only the cut-short temporary file may lie beside it."""
    if target.read_bytes() not in wants:
        result.problems.append("the exported file is neither export whole")
    others = [p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")]
    if len(others) > 1:
        result.problems.append(f"more than one temporary file left: {others}")


def run(kind: str, workdir: Path, seed: int, rng: random.Random) -> TrialResult:
    """One trial of `kind` ("correction" or "export")."""
    folder = workdir / f"{kind}-{seed}"
    folder.mkdir()
    if kind == "correction":
        path = folder / "network.duckdb"
        argv = ["--move", str(path), str(prepare_correction(path))]
    else:
        first, second, *wants = prepare_exports(folder)
        target = folder / "out" / "network.csv"
        target.parent.mkdir()
        argv = ["--export", str(first), str(second), str(target)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMLEADS_")}
    env["PYTHONPATH"] = str(ROOT)
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.kill9_more", *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    lines = []
    for _ in range(rng.randint(1, 40)):
        line = writer.stdout.readline()
        if not line:
            break
        lines.append(line)
    time.sleep(rng.random() * 0.02)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    lines += writer.stdout.read().splitlines(keepends=True)  # printed after their commit
    errors = writer.stderr.read() if writer.stderr else ""
    acks = [json.loads(line) for line in lines if line.endswith("\n")]
    result = TrialResult(acknowledged=len(acks))
    if writer.returncode != -signal.SIGKILL:
        result.problems.append(f"writer ended by itself ({writer.returncode}): {errors[-500:]}")
    if kind == "correction":
        check_correction(Path(argv[1]), acks, result)
    else:
        check_export(Path(argv[3]), tuple(wants), result)
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the trials of both kinds; print what each found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--move", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--export", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.move:
        move_forever(Path(args.move[0]), int(args.move[1]))
        return 0
    if args.export:
        export_forever(*(Path(p) for p in args.export))
        return 0

    import tempfile

    rng = random.Random(args.seed)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="kill9-more-") as tmp:
        for kind in ("correction", "export"):
            for trial in range(args.trials):
                result = run(kind, Path(tmp), args.seed * 1000 + trial, rng)
                failed += bool(result.problems)
                status = "; ".join(result.problems) or "ok"
                print(
                    f"{kind} trial {trial + 1:>2}: acknowledged {result.acknowledged:>3}: {status}"
                )
    print(f"trials {2 * args.trials}, with a problem {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
