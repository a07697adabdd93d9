"""The calling session page (AppTest): the queue's order, skip, an attempt, the end summary."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from lib import cli
from lib.core.words import human_date
from lib.records.companies import add_company
from lib.records.contacts import add_contact
from lib.store.db import open_database
from tests.pagekit import by_label, click, open_page, read_db, shown, unescape


@pytest.fixture
def two_targets(app_env: Path) -> dict[str, int]:
    database = open_database(app_env)
    today = date.today()
    ids = {
        "ana": add_contact(
            database,
            {"full_name": "Ana Ruiz", "phone": "555 0101", "identified_on": today - timedelta(5)},
        ),
        "ben": add_contact(
            database,
            {"full_name": "Ben Okafor", "phone": "555 0102", "identified_on": today - timedelta(2)},
        ),
    }
    database.close()
    return ids


def test_an_empty_day_says_nobody_to_call(app_env: Path) -> None:
    open_database(app_env).close()
    at = open_page("pages/work/call.py")
    assert shown(at.success) == [
        "Nobody to call today: no targets to contact and no follow-ups due by phone."
    ]


def test_skip_then_an_attempt_then_the_summary(two_targets: dict[str, int], app_env: Path) -> None:
    at = open_page("pages/work/call.py")
    assert "2 cold targets" in shown(at.markdown)
    at = click(at, "Start calling")
    assert shown(at.caption)[0] == "Call 1 of 2 · Cold target"
    assert [link.value for link in at.get("page_link")][0] == "**Ana Ruiz**"
    assert [(unescape(b.proto.label), b.proto.url) for b in at.get("link_button")] == [
        ("555 0101", "tel:5550101")
    ]
    at = click(at, "Skip")
    assert shown(at.caption)[0] == "Call 2 of 2 · Cold target"
    assert [t.label for t in at.text_input] == ["Their right number"]  # in "Wrong number"
    at = click(at, "Don't know")
    # The card stays, saying what was logged, until its few seconds are up or Next call.
    assert shown(at.caption)[0] == "Call 2 of 2 · Cold target"
    assert ":material/phone_disabled: **Logged: wrong number** ·" in [m.value for m in at.markdown]
    assert (
        by_label(at.button, "No answer").disabled
        and by_label(at.button, "Left a voicemail").disabled
    )
    at = click(at, "Next call")
    assert shown(at.success) == ["1 call: 1 wrong number; 0 new referrals."]
    database = read_db(app_env)
    rows = database.execute("SELECT contact_id, kind, outcome, notes FROM events").fetchall()
    assert rows == [(two_targets["ben"], "attempt", "wrong_number", "The wrong number: 555 0102")]
    assert database.scalar("SELECT phone FROM contacts WHERE id = ?", [two_targets["ben"]]) is None


def test_a_logged_card_moves_on_by_itself_after_a_few_seconds(
    two_targets: dict[str, int], app_env: Path
) -> None:
    at = click(click(open_page("pages/work/call.py"), "Start calling"), "No answer")
    assert shown(at.caption)[0] == "Call 1 of 2 · Cold target"
    at.session_state["reach_logged"] = {}  # what the few seconds do
    at.run()
    assert shown(at.caption)[0] == "Call 2 of 2 · Cold target"
    rows = read_db(app_env).execute("SELECT contact_id, outcome FROM events").fetchall()
    assert rows == [(two_targets["ana"], "no_answer")]


def test_undo_takes_the_attempt_back_on_the_same_card(
    two_targets: dict[str, int], app_env: Path
) -> None:
    at = click(click(open_page("pages/work/call.py"), "Start calling"), "No answer")
    assert shown(at.caption)[0] == "Call 1 of 2 · Cold target"
    assert read_db(app_env).scalar("SELECT count(*) FROM events") == 1
    at = click(at, "Undo")
    assert shown(at.caption)[0] == "Call 1 of 2 · Cold target"
    assert by_label(at.button, "No answer").disabled is False
    assert read_db(app_env).scalar("SELECT count(*) FROM events") == 0
    at = click(at, "Skip")
    at = click(at, "Skip")
    assert shown(at.success) == ["0 calls; 0 new referrals."]


@pytest.fixture
def eight_without_numbers(app_env: Path) -> list[int]:
    """Eight imported targets without a number (found first), then two with one."""
    database = open_database(app_env)
    today = date.today()
    ids = [
        add_contact(
            database,
            {
                "full_name": f"Nina Number{n}",
                "email": f"nina{n}@example.com",
                "identified_on": today - timedelta(20 - n),
            },
        )
        for n in range(8)
    ]
    ids += [
        add_contact(
            database,
            {"full_name": name, "phone": phone, "identified_on": today - timedelta(3)},
        )
        for name, phone in (("Ola Berg", "+44 20 7946 0958"), ("Pia Sand", "+44 20 7946 0959"))
    ]
    database.close()
    return ids


def test_people_with_a_number_come_first_and_the_rest_can_be_written_to(
    eight_without_numbers: list[int], app_env: Path
) -> None:
    at = open_page("pages/work/call.py")
    assert shown(at.info) == [
        "8 people have no number — add one, or write to them instead. "
        "They come after everyone you can call."
    ]
    at = click(at, "Start calling")
    assert [link.value for link in at.get("page_link")][0] == "**Ola Berg**"
    at = click(click(at, "Skip"), "Skip")
    assert shown(at.caption)[0] == "Call 3 of 10 · Cold target"
    assert [link.value for link in at.get("page_link")][0] == "**Nina Number0**"
    # No number: a box for it, no outcomes, and the email to write instead, open and ready.
    assert [t.label for t in at.text_input] == ["Add their phone number"]
    assert [b.label for b in at.button if b.label == "No answer"] == []
    assert [e.label for e in at.expander][-1] == "Write instead: no phone number"
    assert "No phone number for Nina Number0: write an email or a LinkedIn message." in shown(
        at.caption
    )
    assert at.code[0].value.startswith("Hi Nina,")
    assert "tried to reach you by phone" not in at.code[0].value
    at.text_input[0].set_value("+44 20 7946 0960")
    at = click(at, "Save the number")
    assert [(unescape(b.proto.label), b.proto.url) for b in at.get("link_button")] == [
        ("+44 20 7946 0960", "tel:+442079460960")
    ]
    assert by_label(at.button, "No answer").disabled is False
    assert shown(at.caption)[0] == "Call 3 of 10 · Cold target"  # the same card, now callable
    phone = read_db(app_env).scalar(
        "SELECT phone FROM contacts WHERE id = ?", [eight_without_numbers[0]]
    )
    assert phone == "+44 20 7946 0960"


def test_a_referral_given_during_the_session_is_the_next_call(
    two_targets: dict[str, int], app_env: Path
) -> None:
    at = click(
        click(open_page("pages/work/call.py"), "Start calling"), "Talked — log the conversation"
    )
    by_label(at.text_input, "Referral 1: name").set_value("Cleo Vance")
    by_label(at.checkbox, "Referral 1: may use their name").check()
    at = click(at, "Log conversation and go on")
    assert shown(at.caption)[0] == "Call 2 of 3 · Warm referral"
    assert [link.value for link in at.get("page_link")][0] == "**Cleo Vance**"
    warm = "“Ana Ruiz suggested I get in touch” — you may use their name"
    assert f":material/local_fire_department: {warm}" in shown(at.markdown)


@pytest.mark.parametrize(
    ("source", "words"),
    [("linkedin", "Found via LinkedIn"), ("event", "Found via event"), (None, "Found via other")],
)
def test_the_source_reads_as_its_label(app_env: Path, source: str | None, words: str) -> None:
    database = open_database(app_env)
    day = date.today() - timedelta(3)
    add_contact(
        database,
        {"full_name": "Ana Ruiz", "phone": "555 0101", "identified_on": day}
        | ({"source": source} if source else {}),
    )
    database.close()
    at = click(open_page("pages/work/call.py"), "Start calling")
    assert f"{words} on {human_date(day)}" in shown(at.caption)[1]


@pytest.fixture
def with_targets(app_env: Path) -> dict[str, int]:
    """Ana (at Soylent, no target) to call, and four target companies."""
    database = open_database(app_env)
    ids = {
        "ana": add_contact(
            database,
            {"full_name": "Ana Ruiz", "company": "Soylent", "phone": "555 0101"},
        ),
        **{
            name.lower(): add_company(database, {"name": name, "motivation": m}).company_id
            for name, m in [("Acme", 5), ("Globex", 4), ("Initech", 3), ("Hooli", 1)]
        },
    }
    database.close()
    return ids


def companies_json(path: Path) -> dict[str, int]:
    """`python -m lib.cli companies --json` (in this process): ways in by company name."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["companies", "--json", "--db", str(path)]) == 0
    return {c["name"]: c["ways_in"] for c in json.loads(out.getvalue())["companies"]}


def test_the_session_asks_about_the_target_companies_and_tags_a_referral(
    with_targets: dict[str, int], app_env: Path
) -> None:
    at = click(open_page("pages/work/call.py"), "Start calling")
    assert [e.label for e in at.expander][0] == "Your pitch and the referral question"
    assert shown(at.markdown)[-1] == (
        "**Then ask** — Thank you, Ana — this has been really helpful. Who do you know at "
        "Acme, Globex or Initech? … Anyone else who might be helpful for me to get in touch "
        "with? May I use your name when I reach out to them?"
    )
    at = click(at, "Talked — log the conversation")
    by_label(at.checkbox, "Asked for referrals — “Who do you know at Acme, Globex or Initech?”")
    into = by_label(at.selectbox, "Referral 1: leads into")
    assert (into.value, into.options) == (None, ["Acme", "Globex", "Initech", "Hooli"])
    assert companies_json(app_env)["Globex"] == 0
    by_label(at.text_input, "Referral 1: name").set_value("Cleo Vance")
    into.set_value(with_targets["globex"])
    at = click(at, "Log conversation and go on")
    assert read_db(app_env).execute(
        "SELECT full_name, company, company_id, referred_by FROM contacts WHERE id > ? ORDER BY id",
        [with_targets["ana"]],
    ).fetchall() == [("Cleo Vance", "Globex", with_targets["globex"], with_targets["ana"])]
    assert companies_json(app_env) == {"Acme": 0, "Globex": 1, "Initech": 0, "Hooli": 0}
