"""Today's "Tell them how it went" list: who, the referrals reached, the update written, and
one click that logs it (as a thank-you or a follow-up) and takes the referrer off the list."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.words import short_date
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store.db import open_database
from tests.pagekit import click, open_page, read_db, shown, shown_lines

TITLE = "1 referrer to tell how it went"  # the section's heading with one referrer


@pytest.fixture
def referrer(app_env: Path) -> dict[str, int]:
    """Ana (talked and thanked 19-20 days ago) referred Sam and Lee; both reached since."""
    database = open_database(app_env)
    today = date.today()

    def ago(days: int) -> date:
        return today - timedelta(days)

    ana = add_contact(
        database,
        {
            "full_name": "Ana Ruiz",
            "email": "ana@example.com",
            "phone": "+1 555 0101",
            "linkedin_url": "https://www.linkedin.com/in/ana-ruiz",
            "identified_on": ago(20),
        },
    )
    sam = add_contact(
        database, {"full_name": "Sam Ortiz", "referred_by": ana, "identified_on": ago(20)}
    )
    lee = add_contact(
        database, {"full_name": "Lee Park", "referred_by": ana, "identified_on": ago(20)}
    )
    for who, kind, days in (
        (ana, "contacted", 20),
        (ana, "referral_asked", 20),
        (ana, "thank_you", 19),
        (sam, "contacted", 3),
        (sam, "info_interview", 3),
        (lee, "contacted", 2),
    ):
        log_event(database, {"contact_id": who, "kind": kind, "occurred_on": ago(days)})
    database.close()
    return {"ana": ana, "sam": sam, "lee": lee}


def update_events(path: Path, contact_id: int) -> list[tuple]:
    return (
        read_db(path)
        .execute(
            "SELECT kind, occurred_on, channel FROM events WHERE contact_id = ? "
            "AND kind IN ('thank_you', 'follow_up') ORDER BY id",
            [contact_id],
        )
        .fetchall()
    )


def open_update(contact_id: int) -> AppTest:
    """Today with this referrer's "Write the update" opened (its content is built on opening)."""
    at = open_page("pages/work/today.py")
    at.session_state[f"loop_{contact_id}"] = True
    return at.run()


def test_the_referrers_row_carries_their_phone_email_and_linkedin(
    referrer: dict[str, int],
) -> None:
    at = open_page("pages/work/today.py")
    links = [m.value for m in at.markdown if ":material/call:" in m.value]
    assert links == [
        ":material/call: [\\+1 555 0101](tel:+15550101) · "
        ":material/mail: [ana\\@example\\.com](mailto:ana@example.com) · "
        "[LinkedIn](https://www.linkedin.com/in/ana-ruiz)"
    ]


def test_the_referrer_is_listed_with_the_referrals_reached(referrer: dict[str, int]) -> None:
    at = open_page("pages/work/today.py")
    assert len(at.code) == 0  # "Write the update" is closed: its message is not built yet
    at.session_state[f"loop_{referrer['ana']}"] = True
    at.run()
    assert TITLE in [s.value for s in at.subheader]
    assert {m.label: m.value for m in at.metric}["To update"] == "1"
    today = date.today()
    sam_day, lee_day = short_date(today - timedelta(3)), short_date(today - timedelta(2))
    assert f"You spoke with Sam Ortiz on {sam_day} and Lee Park on {lee_day}." in shown(at.markdown)
    captions = shown_lines(at.caption)
    assert "Sam Ortiz: an informational interview" in captions
    assert f"You last wrote to them on {(today - timedelta(19)):%a} " in " ".join(captions)
    (body,) = [c.value for c in at.code]
    assert body.startswith(
        "Hi Ana,\n\nThank you again for putting me in touch with Sam Ortiz and Lee Park. "
        f"I spoke with Sam on {sam_day}, which led to an informational interview."
    )


def test_logging_the_thank_you_takes_the_referrer_off(
    referrer: dict[str, int], app_env: Path
) -> None:
    at = click(open_update(referrer["ana"]), "Log: thank-you sent today")
    assert shown(at.success) == [
        f"Logged: thank-you sent to Ana Ruiz on {_human_today()} by email."
    ]
    assert all("to tell how it went" not in s.value for s in at.subheader)
    assert {m.label: m.value for m in at.metric}["To update"] == "0"
    assert update_events(app_env, referrer["ana"]) == [
        ("thank_you", date.today() - timedelta(19), None),
        ("thank_you", date.today(), "email"),
    ]


def test_a_follow_up_sent_too_soon_warns_and_still_logs(
    referrer: dict[str, int], app_env: Path
) -> None:
    at = open_update(referrer["ana"])
    at.button_group(key=f"loop_kind_{referrer['ana']}").set_value("follow_up").run()
    assert at.code[0].value.startswith(
        "Hi Ana,\n\nA quick update on my search, and on the people you suggested."
    )
    assert shown(at.warning) == [
        "If you send it today: too soon — could become a nuisance: only 19 days since the "
        "last touch (every 21–28 days is the rhythm)."
    ]
    at = click(at, "Log: follow-up sent today")
    assert shown(at.warning)[-1].startswith("Logged anyway — too soon — could become a nuisance")
    assert update_events(app_env, referrer["ana"])[-1] == ("follow_up", date.today(), "email")
    assert all("to tell how it went" not in s.value for s in at.subheader)


def _human_today() -> str:
    from lib.core.words import human_date

    return human_date(date.today())


def test_pitch_coach_fills_the_referrers_messages_with_how_it_went(
    referrer: dict[str, int],
) -> None:
    at = open_page("pages/work/pitch.py", contact=referrer["ana"])
    thanks, follow_up = (code.value for code in at.code[2:4])
    sam_day = short_date(date.today() - timedelta(3))
    assert "for suggesting I get in touch with Sam Ortiz and Lee Park." in thanks
    assert f"I spoke with Sam on {sam_day}, which led to an informational interview." in thanks
    assert follow_up.startswith(
        "Hi Ana,\n\nA quick update on my search, and on the people you suggested. "
        f"I spoke with Sam Ortiz on {sam_day}, which led to an informational interview."
    )
