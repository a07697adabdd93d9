"""Today's first run loads only what Today uses: no chart code, no report, no pandas, no
importers (a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support import write_demo

ROOT = Path(__file__).resolve().parent.parent.parent

# What a fresh server has loaded before the first script run (Streamlit itself imports part of
# plotly to register its chart theme), then what the app's first run (Today) adds to it.
_FIRST_RUN = """
import json, sys
import streamlit
from streamlit.testing.v1 import AppTest
before = set(sys.modules)
at = AppTest.from_file("app.py", default_timeout=60)
at.run()
assert not at.exception, at.exception
assert [t.value for t in at.title] == ["Today"], [t.value for t in at.title]
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def first_run_modules(db_path: Path) -> list[str]:
    """The modules a fresh process imports while running the app's first page."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMLEADS_")}
    env["WARMLEADS_DB"] = str(db_path)
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_RUN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_todays_first_run_imports_no_chart_or_report_code(db_path: Path) -> None:
    loaded = first_run_modules(write_demo(db_path))

    assert "lib.engine.due" in loaded  # the run did load Today's own code
    assert [m for m in loaded if m == "plotly" or m.startswith(("plotly.", "_plotly"))] == []
    assert [m for m in loaded if m.startswith(("lib.present.figures", "lib.present.report"))] == []


def test_todays_first_run_imports_no_pandas_and_no_importers(db_path: Path) -> None:
    # Today reads its lists as rows (Database.rows), and the sample data's generator and the
    # importers load only when asked for: pandas alone is 0.3-0.45 s of a first visit.
    loaded = first_run_modules(write_demo(db_path))

    heavy = ("pandas", "numpy", "pyarrow")
    assert [m for m in loaded if m in heavy or m.startswith(tuple(f"{h}." for h in heavy))] == []
    assert [m for m in loaded if m.startswith(("lib.io.importing", "lib.io.demo."))] == []
    assert "lib.io.demo" not in loaded
