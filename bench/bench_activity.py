"""Activity imports at size, each in its own process: `python -m bench.bench_activity`.

Targets (issue 23): a 50 MB "SMS Backup & Restore" call log and a 1 GB mbox import
streamed, with a peak memory of at most 500 MB. The files are generated in a temporary
folder against a network of 2,000 people (phones and e-mails); one call in 20 and one sent
message in 10 is theirs. `--mbox-mb` sets the mbox's size (default 1,000).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 2_000
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def phone(i: int) -> str:
    return f"+1 801-{201 + i // 10_000:03d}-{i % 10_000:04d}"


def calls_file(path: Path, megabytes: float) -> Path:
    """A call log of about `megabytes` MB; every 20th call is to someone in the network."""
    limit = megabytes * 1e6
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"0\">\n")
        i = written = 0
        while written < limit:
            number = phone(i % PEOPLE) if i % 20 == 0 else f"+1385{5550000 + i % 9_000_000:07d}"
            when = int((START + timedelta(minutes=7 * i)).timestamp() * 1000)
            written += out.write(
                f'  <call number="{number}" duration="{(i * 37) % 900}" date="{when}" '
                f'type="{1 + i % 3}" presentation="1" subscription_id="null" '
                'post_dial_digits="" subscription_component_name="com.android.phone/com.'
                'android.services.telephony.TelephonyConnectionService" readable_date="'
                f'{when}" contact_name="null" />\n'
            )
            i += 1
        out.write("</calls>\n")
    return path


def mbox_file(path: Path, megabytes: float) -> Path:
    """An mbox of about `megabytes` MB of 4 KB messages; one in 10 is sent to a contact."""
    limit = megabytes * 1e6
    body = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 60 + "\n") * 1
    with path.open("w", encoding="utf-8") as out:
        i = written = 0
        while written < limit:
            when = START + timedelta(minutes=3 * i)
            to = f"person{i % PEOPLE}@example.com" if i % 10 == 0 else f"x{i}@elsewhere.example"
            labels = "Sent" if i % 10 == 0 else "Inbox,Category Updates"
            written += out.write(
                f"From {i}@xxx {when:%a %b %d %H:%M:%S +0000 %Y}\n"
                f"X-GM-THRID: {i}\nX-Gmail-Labels: {labels}\n"
                f"Message-ID: <m{i}@bench.example>\n"
                f"Date: {when:%a, %d %b %Y %H:%M:%S +0000}\n"
                f"From: Sam <sam@example.com>\nTo: {to}\nSubject: Message {i}\n"
                'MIME-Version: 1.0\nContent-Type: text/plain; charset="UTF-8"\n\n'
                f"{body}\n{body}\n{body}\n"
            )
            i += 1
    return path


def run_case(source: str) -> None:
    """Child process: a fresh network, one import; print seconds, peak MB, suggestions."""
    from lib.io.activity.apply import import_activity
    from lib.store.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.duckdb")
        try:
            db.con.executemany(
                "INSERT INTO contacts (id, full_name, email, phone, identified_on) "
                "VALUES (?, ?, ?, ?, DATE '2026-01-01')",
                [(i + 1, f"Person {i}", f"person{i}@example.com", phone(i)) for i in range(PEOPLE)],
            )
            started, cpu = time.perf_counter(), time.process_time()
            result = import_activity(db, source, today=datetime(2027, 1, 1).date(), tz=UTC)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            db.close()
    print(f"{took:.2f} {peak_rss_mb():.0f} {len(result.suggestions)} {cpu:.2f}")


def measure(source: Path) -> tuple[float, float, int, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_activity", "--child", str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), float(out[3])


def main() -> None:
    """Generate the files, import each in its own process, print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--calls-mb", type=float, default=50, help="size of the call log")
    parser.add_argument("--mbox-mb", type=float, default=1_000, help="size of the mbox")
    args = parser.parse_args()
    if args.child:
        run_case(args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        cases = [
            ("call log XML", calls_file(work / "calls.xml", args.calls_mb)),
            ("mbox", mbox_file(work / "all-mail.mbox", args.mbox_mb)),
        ]
        print(
            f"{'file':<14} {'size':>9} {'suggested':>9} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}"
        )
        for title, source in cases:
            took, peak, found, cpu = measure(source)
            size = source.stat().st_size / 1e6
            print(
                f"{title:<14} {size:>7.1f}MB {found:>9,} {took:>7.2f} {cpu:>7.2f} {peak:>8.0f}"
                "  target ≤ 500 MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
