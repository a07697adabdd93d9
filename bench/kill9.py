"""kill -9 in the middle of a burst of writes: every acknowledged write survives, none is half-done.

    python -m bench.kill9 [--trials 20] [--seed 1]

Each trial starts a writer process on a fresh database. The writer performs a
deterministic sequence of operations through the library (add a target, log a
step, log a whole conversation: several events and new referrals in one
transaction) and prints one line per operation *after* its commit returns.
The parent kills it with SIGKILL at a random moment, then reopens the file and
checks that

* the file opens (through `open_database`, as the app and the CLI do);
* every acknowledged operation is there with exactly the values written;
* the operations present are exactly the first m of the sequence, where m is
  the number acknowledged or one more (committed, killed before printing):
  nothing partial, nothing stray.

Operation i is recognisable on disk by its date (TODAY minus i+1 days), so the
check needs no help from the writer beyond its acknowledgements. In half of the
trials the writer lowers DuckDB's checkpoint threshold so that kills also land
during checkpoints, not only in the write-ahead log.
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/kill9.py` as well as `python -m bench.kill9`
    sys.path.insert(0, str(ROOT))

from lib.core.validation import (  # noqa: E402
    CONTACT_FIELDS,
    EVENT_FIELDS,
    clean_contact,
)
from lib.records.contacts import add_contact  # noqa: E402
from lib.records.events import Conversation, log_conversation, log_event  # noqa: E402
from lib.store.db import Database, open_database  # noqa: E402

TODAY = date(2026, 11, 25)
ANCHOR_DAY = date(2001, 1, 1)  # the anchor contact's day: never an operation's day
# What a person enters, from the one description of the columns (lib/core/columns.py).
CONTACT_COLUMNS = ", ".join(CONTACT_FIELDS)
EVENT_COLUMNS = ", ".join(EVENT_FIELDS)
# Text a job-seeker's notes really hold, and text that breaks careless code.
TEXTS = (
    "Met at the Chamber mixer; ask about the ops role",
    "مرحبا — نلتقي يوم الثلاثاء",  # Arabic, right to left
    "שלום\u200f (RTL mark) עם מספר 42",
    "emoji 👩🏽‍💻🤝🏳️‍🌈 and a ZWJ family 👨‍👩‍👧",
    "zero\u200bwidth\u200cjoin\u200dand\ufeffBOM",
    "Zalgo: Z̴̡̛a̶̢͝l̷̨̛g̸̡͠o̵̧͝",
    "line one\nline two\r\nline three\ttabbed",
    "<script>alert(1)</script> and [a link](javascript:alert(1))",
    "'; DROP TABLE contacts; --",
    "x" * 10_000,
    "日本語のメモ、とても長い" * 300,
)


def op_day(index: int) -> date:
    """The day that marks operation `index` on disk."""
    return TODAY - timedelta(days=index + 1)


@dataclass
class Operation:
    """One write the writer performs: what it is and the rows it must leave."""

    index: int
    kind: str  # "contact", "event" or "conversation"
    contact: dict[str, Any] | None = None
    event: dict[str, Any] | None = None
    conversation: Conversation | None = None

    def expected_contacts(self, anchor: int) -> list[tuple]:
        """The contact rows this operation writes, in insertion order (no ids)."""
        if self.kind == "contact":
            return [_contact_row(clean_contact(self.contact or {}, today=TODAY))]
        if self.kind == "conversation" and self.conversation:
            return [
                _contact_row(
                    clean_contact(
                        {
                            "source": "referral",
                            **person,
                            "referred_by": anchor,
                            "identified_on": op_day(self.index),
                        },
                        today=TODAY,
                    )
                )
                for person in self.conversation.referrals
            ]
        return []

    def expected_events(self, anchor: int) -> list[tuple]:
        """The event rows this operation writes, in insertion order (no ids)."""
        day = op_day(self.index)
        if self.kind == "event" and self.event:
            e = self.event
            return [(anchor, e["kind"], day, e["channel"], e["notes"].strip())]
        if self.kind == "conversation" and self.conversation:
            c = self.conversation
            rows = [(anchor, "contacted", day, c.channel, (c.notes or "").strip() or None)]
            if c.info_interview:
                rows.append((anchor, "info_interview", day, c.channel, None))
            if c.asked_for_referrals or c.referrals:
                rows.append((anchor, "referral_asked", day, c.channel, None))
            if c.thanked:
                rows.append((anchor, "thank_you", day, c.channel, None))
            return rows
        return []


def _contact_row(clean: dict[str, Any]) -> tuple:
    names = [n.strip() for n in CONTACT_COLUMNS.split(",")]
    defaults = {"archived": False}
    return tuple(clean.get(n, defaults.get(n)) for n in names)


def plan(seed: int, index: int, anchor: int) -> Operation:
    """Operation `index` of the writer's sequence for `seed` (the same in every process)."""
    rng = random.Random(f"{seed}:{index}")
    day = op_day(index)
    kind = rng.choice(("contact", "event", "conversation", "conversation"))
    if kind == "contact":
        return Operation(
            index,
            kind,
            contact={
                "full_name": f"  {rng.choice(TEXTS)[:150]} #{index} ",
                "company": rng.choice((None, "Kestrel Software", "Ünïcødé GmbH", "  ")),
                "email": rng.choice((None, f"person{index}@example.org")),
                "phone": rng.choice((None, "+1 (555) 010-2030 x12")),
                "notes": rng.choice(TEXTS),
                "source": rng.choice(("association", "chamber", "linkedin", "event")),
                "identified_on": day,
            },
        )
    if kind == "event":
        return Operation(
            index,
            kind,
            event={
                "contact_id": anchor,
                "kind": rng.choice(("note", "follow_up", "opportunity", "thank_you")),
                "occurred_on": day,
                "channel": rng.choice(("email", "phone", "video")),
                "notes": rng.choice(TEXTS),
            },
        )
    referrals = [
        {"full_name": f"Referral {index}.{k} {rng.choice(TEXTS)[:80]}", "notes": rng.choice(TEXTS)}
        for k in range(rng.randint(0, 4))
    ]
    return Operation(
        index,
        kind,
        conversation=Conversation(
            contact_id=anchor,
            occurred_on=day,
            channel=rng.choice(("phone", "in_person", "video")),
            info_interview=rng.random() < 0.5,
            asked_for_referrals=rng.random() < 0.7,
            referrals=referrals,
            thanked=rng.random() < 0.7,
            notes=rng.choice(TEXTS),
        ),
    )


def prepare(path: Path) -> int:
    """A fresh database holding the one contact every operation refers to; returns its id."""
    db = open_database(path)
    anchor = add_contact(db, {"full_name": "Ana Ruiz", "identified_on": ANCHOR_DAY}, today=TODAY)
    db.close()
    return anchor


def perform(db: Database, op: Operation) -> dict[str, Any]:
    """Write one operation through the library; return its acknowledgement."""
    contacts: list[int] = []
    events: list[int] = []
    if op.kind == "contact":
        contacts.append(add_contact(db, op.contact or {}, today=TODAY))
    elif op.kind == "event":
        events.append(log_event(db, op.event or {}, today=TODAY))
    elif op.conversation is not None:
        result = log_conversation(db, op.conversation, today=TODAY)
        contacts, events = result.referral_ids, result.event_ids
    return {"op": op.index, "contacts": contacts, "events": events}


def write_forever(path: Path, seed: int, anchor: int, small_checkpoints: bool) -> None:
    """The writer: perform operations 0, 1, 2 … and acknowledge each after its commit."""
    db = open_database(path)
    if small_checkpoints:
        db.execute("SET checkpoint_threshold = '256KB'")
    index = 0
    while True:
        print(json.dumps(perform(db, plan(seed, index, anchor))), flush=True)
        index += 1


@dataclass
class TrialResult:
    """What one kill -9 trial found."""

    acknowledged_ops: int = 0
    acknowledged_rows: int = 0
    rows_lost: int = 0
    ops_on_disk: int = 0
    small_checkpoints: bool = False
    problems: list[str] = field(default_factory=list)


def run_trial(workdir: Path, seed: int, rng: random.Random) -> TrialResult:
    """Start a writer, kill -9 it at a random moment, reopen the file and check it."""
    path = workdir / f"kill9-{seed}.duckdb"
    for stale in workdir.glob(f"{path.name}*"):
        stale.unlink()
    anchor = prepare(path)
    small_checkpoints = rng.random() < 0.5
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMLEADS_")}
    env["PYTHONPATH"] = str(ROOT)
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.kill9", "--writer", str(path), "--seed", str(seed)]
        + ["--anchor", str(anchor)]
        + (["--small-checkpoints"] if small_checkpoints else []),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    kill_after = rng.randint(1, 120)
    lines: list[str] = []
    while len(lines) < kill_after:
        line = writer.stdout.readline()
        if not line:
            break
        lines.append(line)
    time.sleep(rng.random() * 0.02)  # land anywhere in the next operation
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    # Lines already in the pipe were printed after their commit: they count too. They are
    # read through the same buffered stream as above: communicate() reads the raw pipes and
    # drops lines readline() had already buffered, which once made an acknowledged
    # operation look as if it had never been performed.
    rest = writer.stdout.read()
    errors = writer.stderr.read() if writer.stderr else ""
    lines += rest.splitlines(keepends=True)
    acks = [json.loads(line) for line in lines if line.endswith("\n")]
    result = TrialResult(acknowledged_ops=len(acks), small_checkpoints=small_checkpoints)
    if writer.returncode != -signal.SIGKILL:
        result.problems.append(f"writer ended by itself ({writer.returncode}): {errors[-500:]}")
    check(path, seed, anchor, acks, result)
    return result


def check(path: Path, seed: int, anchor: int, acks: list[dict], result: TrialResult) -> None:
    """Reopen the file and compare it with the operation sequence and the acknowledgements."""
    result.acknowledged_rows = sum(len(a["contacts"]) + len(a["events"]) for a in acks)
    try:
        db = open_database(path)
    except Exception as exc:  # the point of the check: anything here is a failure to report
        result.problems.append(f"the file does not open: {exc}")
        result.rows_lost = result.acknowledged_rows
        return
    try:
        contacts = db.execute(
            f"SELECT id, {CONTACT_COLUMNS} FROM contacts WHERE id <> ? ORDER BY id", [anchor]
        ).fetchall()
        events = db.execute(f"SELECT id, {EVENT_COLUMNS} FROM events ORDER BY id").fetchall()
        anchor_row = db.execute("SELECT full_name FROM contacts WHERE id = ?", [anchor]).fetchall()
    finally:
        db.close()
    if anchor_row != [("Ana Ruiz",)]:
        result.problems.append("the contact written before the burst is gone or changed")

    by_day: dict[date, dict[str, list[tuple]]] = {}
    for row in contacts:
        by_day.setdefault(row[11], {"contacts": [], "events": []})["contacts"].append(row)
    for row in events:
        by_day.setdefault(row[3], {"contacts": [], "events": []})["events"].append(row)
    index_of = {op_day(i): i for i in range(len(acks) + 2)}
    strays = sorted(day for day in by_day if day not in index_of)
    if strays:
        result.problems.append(f"rows on days no operation wrote: {strays[:5]}")
    present = sorted(index_of[day] for day in by_day if day in index_of)
    result.ops_on_disk = len(present)

    acked_by_op = {a["op"]: a for a in acks}
    lost = 0
    for index in range(len(acks) + 2):
        op = plan(seed, index, anchor)
        want_contacts, want_events = op.expected_contacts(anchor), op.expected_events(anchor)
        found = by_day.get(op_day(index), {"contacts": [], "events": []})
        got_contacts = [row[1:] for row in found["contacts"]]
        got_events = [row[1:] for row in found["events"]]
        whole = got_contacts == want_contacts and got_events == want_events
        empty = not got_contacts and not got_events
        ack = acked_by_op.get(index)
        if ack is not None:
            ids_match = [r[0] for r in found["contacts"]] == ack["contacts"] and [
                r[0] for r in found["events"]
            ] == ack["events"]
            if not (whole and ids_match):
                lost += sum(
                    1 for i in ack["contacts"] if i not in [r[0] for r in found["contacts"]]
                ) + sum(1 for i in ack["events"] if i not in [r[0] for r in found["events"]])
                result.problems.append(
                    f"acknowledged operation {index} ({op.kind}) is not exactly as written"
                )
        elif index == len(acks):
            if not (whole or empty):  # committed-but-unacknowledged is fine; half is not
                result.problems.append(f"operation {index} ({op.kind}) is half-written")
        elif not empty:
            result.problems.append(f"operation {index} was never performed but has rows")
    result.rows_lost = lost


def main(argv: list[str] | None = None) -> int:
    """Run the trials and print trials / acknowledged / lost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writer", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--anchor", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--small-checkpoints", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.writer:
        write_forever(Path(args.writer), args.seed, args.anchor, args.small_checkpoints)
        return 0

    import tempfile

    rng = random.Random(args.seed)
    totals = TrialResult()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="kill9-") as tmp:
        for trial in range(args.trials):
            result = run_trial(Path(tmp), args.seed * 1000 + trial, rng)
            totals.acknowledged_ops += result.acknowledged_ops
            totals.acknowledged_rows += result.acknowledged_rows
            totals.rows_lost += result.rows_lost
            failed += bool(result.problems)
            status = "ok" if not result.problems else "; ".join(result.problems)
            print(
                f"trial {trial + 1:>2}: acknowledged {result.acknowledged_ops:>3} operations "
                f"({result.acknowledged_rows:>4} rows), on disk {result.ops_on_disk:>3}, "
                f"checkpoints {'256KB' if result.small_checkpoints else 'default'}: {status}",
                flush=True,
            )
    print(
        f"trials {args.trials}, acknowledged operations {totals.acknowledged_ops}, "
        f"acknowledged rows {totals.acknowledged_rows}, rows lost {totals.rows_lost}, "
        f"trials with a problem {failed}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
