"""An uploaded activity file: imported under its own name from a temporary folder that goes;
the queue's counts for Today's line and for Import & export."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from lib.io.activity.apply import import_upload
from lib.io.activity.model import ActivityFileError
from lib.records.suggestions import called_back, confirm, count_to_confirm, open_by_batch
from lib.store.db import Database
from tests.io.activity_day import DAY, FIXTURES, TODAY, TZ, load_day_network

CALLS = "calls-20261208221431.xml"


@pytest.fixture
def network(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    load_day_network(db)
    return db


def test_an_upload_is_one_batch_named_by_the_files_own_name(network: Database, tmp_path: Path):
    data = (FIXTURES / CALLS).read_bytes()
    result = import_upload(network, f"../../{CALLS}", data, today=TODAY, tz=TZ)
    assert (result.file, result.format, result.batch_id, len(result.suggestions)) == (
        CALLS,
        "calls-xml",
        1,
        15,
    )
    assert network.execute("SELECT file FROM import_batches").fetchall() == [(CALLS,)]
    assert list(tmp_path.glob("warmleads-activity-*")) == []  # the upload's copy is gone


def test_a_bad_upload_writes_nothing_and_leaves_no_copy(network: Database, tmp_path: Path):
    with pytest.raises(ActivityFileError, match=r"^notes\.txt: it is none of the activity"):
        import_upload(network, "notes.txt", b"Dear diary\n", today=TODAY, tz=TZ)
    assert network.scalar("SELECT count(*) FROM import_batches") == 0
    assert list(tmp_path.glob("warmleads-activity-*")) == []


def test_the_counts_for_today_and_for_import_and_export(network: Database):
    import_upload(network, CALLS, (FIXTURES / CALLS).read_bytes(), today=TODAY, tz=TZ)
    assert count_to_confirm(network, TODAY) == 15
    assert count_to_confirm(network, DAY.replace(day=7)) == 0  # the day has not come yet
    confirm(network, 1, today=TODAY)
    assert count_to_confirm(network, TODAY) == 14
    assert open_by_batch(network) == {1: 14}
    assert called_back(network) == []
