"""Two browser tabs writing at once both land: one connection, a cursor per script run."""

from __future__ import annotations

import threading
from pathlib import Path

from lib.records.contacts import add_contact
from lib.records.events import Conversation, log_conversation
from lib.store.db import open_database
from tests.conftest import TODAY


def test_two_sessions_logging_conversations_at_once_all_land(db_path: Path) -> None:
    shared = open_database(db_path)
    people = [add_contact(shared, {"full_name": f"Person {n}"}, today=TODAY) for n in range(2)]
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def session(contact_id: int) -> None:
        cursor = shared.cursor()  # what lib.ui.data.get_db gives each script run
        start.wait()
        try:
            for number in range(15):
                referral = {"full_name": f"Referral {contact_id}-{number}"}
                talk = Conversation(contact_id, referrals=[referral])
                log_conversation(cursor, talk, today=TODAY)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=session, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert shared.scalar("SELECT count(*) FROM contacts") == 2 + 30
    assert shared.scalar("SELECT count(*) FROM events") == 30 * 2
    assert shared.data_version == 2 + 30
    shared.close()
