"""Data safety at size: `python -m bench.bench_safety [--sizes 10000:100000 100000:1000000]`.

For each size (contacts:events) it runs the real commands, each in its own process:

1. `export --format csv` of the demo network;
2. `import` of that file into an empty database, then `export --format csv` again, and
   compares the two files byte for byte (the export is "everything, re-importable");
3. `report --as-of 2200-12-31` and `export --format ics --as-of 2200-12-31` (the last day
   the product accepts: once 84 s and 1.36 GB at 9999-12-31);
4. `export --out` onto the database itself, which must exit 1 with the file unchanged.

Prints wall time and peak memory (the child's maximum resident set, via GNU time) of
each step.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import demo_file

ROOT = Path(__file__).resolve().parent.parent


def cli(*argv: str) -> tuple[int, float, float, str]:
    """Run `python -m lib.cli ARGV`: exit code, seconds, the child's peak MB, last stderr line.

    Through GNU time (`%M`, the child's own maximum resident set): a child forked straight
    from this process would report this process's size when it is the larger.
    """
    with tempfile.TemporaryDirectory() as folder:
        peak_file, errors = Path(folder) / "peak", Path(folder) / "stderr"
        started = time.perf_counter()
        with errors.open("w") as stream:
            code = subprocess.run(
                ["/usr/bin/time", "-f", "%M", "-o", str(peak_file),
                 sys.executable, "-m", "lib.cli", *argv],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=stream,
                check=False,
            ).returncode  # fmt: skip
        seconds = time.perf_counter() - started
        peak = int(peak_file.read_text().split()[-1]) / 1024
        last = (errors.read_text().strip().splitlines() or [""])[-1]
    return code, seconds, peak, last


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_size(contacts: int, events: int, work: Path) -> None:
    source, _ = demo_file(contacts, events)
    first, second = work / "first.csv", work / "second.csv"
    empty = work / "restored.duckdb"
    print(f"\n{contacts:,} contacts, {events:,} events")

    code, seconds, peak, _ = cli("export", "--db", str(source), "--format", "csv",
                                 "--out", str(first), "--force")  # fmt: skip
    size = first.stat().st_size / 1e6
    print(
        f"  export csv                {seconds:7.1f} s {peak:7.0f} MB  exit {code}, {size:.1f} MB"
    )
    code, seconds, peak, last = cli("import", "--db", str(empty), str(first))
    print(f"  import into an empty file {seconds:7.1f} s {peak:7.0f} MB  exit {code}  {last}")
    if code == 0:
        code, seconds, peak, _ = cli("export", "--db", str(empty), "--format", "csv",
                                     "--out", str(second), "--force")  # fmt: skip
        same = digest(first) == digest(second)
        print(
            f"  export again              {seconds:7.1f} s {peak:7.0f} MB  byte-identical: {same}"
        )
    for argv in (
        ["report", "--out", str(work / "far.html"), "--as-of", "2200-12-31"],
        ["export", "--format", "ics", "--out", str(work / "far.ics"), "--as-of", "2200-12-31"],
    ):
        code, seconds, peak, _ = cli(*argv, "--db", str(source), "--force")
        out = Path(argv[argv.index("--out") + 1])
        size = out.stat().st_size / 1e6 if out.exists() else 0
        print(f"  {argv[0]:<6} at 2200-12-31      {seconds:7.1f} s {peak:7.0f} MB  exit {code}, "
              f"{size:.1f} MB")  # fmt: skip
    before = digest(source)
    code, seconds, _, last = cli("export", "--db", str(source), "--format", "csv",
                                 "--out", str(source), "--force")  # fmt: skip
    print(f"  export onto the database  exit {code}, unchanged: {digest(source) == before}")
    print(f"    {last}")


def main() -> None:
    """Run each size and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10000:100000", "100000:1000000"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warmleads-safety-") as folder:
        for size in args.sizes:
            contacts, events = (int(n) for n in size.split(":"))
            work = Path(folder) / size.replace(":", "-")
            work.mkdir()
            one_size(contacts, events, work)


if __name__ == "__main__":
    main()
