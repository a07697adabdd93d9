"""The Log page: each form writes exactly its rows; bad input writes nothing and says why."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import cli
from lib.records.companies import add_company
from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store.db import open_database
from tests.pagekit import APP, by_label, click, open_page, pick_contact, read_db, shown


@pytest.fixture
def ana(app_env: Path) -> int:
    database = open_database(app_env)
    contact = add_contact(database, {"full_name": "Ana Ruiz", "company": "Kestrel"})
    database.close()
    return contact


def counts(path: Path) -> tuple[int, int]:
    database = read_db(path)
    return (
        database.scalar("SELECT count(*) FROM contacts"),
        database.scalar("SELECT count(*) FROM events"),
    )


def say(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def choose_step(at, step: str):
    at.segmented_control[0].set_value(step).run()
    assert not at.exception, at.exception
    return at


def test_a_conversation_with_two_referrals_creates_both_referrals(app_env: Path, ana: int) -> None:
    at = open_page("pages/work/log.py", contact=ana)
    by_label(at.checkbox, "It was an informational interview").check()
    by_label(at.text_input, "Referral 1: name").input("Ben Okafor")
    by_label(at.text_input, "Referral 1: company").input("Atlas Freight")
    at.checkbox(key="conversation_0_r1w").check()
    by_label(at.text_input, "Referral 2: name").input("Chloé Martin")
    by_label(at.checkbox, "Thanked them at the time").check()
    by_label(at.text_area, "Notes").input("Coffee after the mixer")
    at = click(at, "Log conversation")
    today = date.today()
    database = read_db(app_env)
    assert database.execute(
        "SELECT contact_id, kind, occurred_on, channel, notes FROM events ORDER BY id"
    ).fetchall() == [
        (ana, "contacted", today, "phone", "Coffee after the mixer"),
        (ana, "info_interview", today, "phone", None),
        (ana, "referral_asked", today, "phone", None),
        (ana, "thank_you", today, "phone", None),
    ]
    assert database.execute(
        "SELECT full_name, company, referred_by, may_use_name, source, identified_on "
        "FROM contacts WHERE id <> ? ORDER BY id",
        [ana],
    ).fetchall() == [
        ("Ben Okafor", "Atlas Freight", ana, True, "referral", today),
        ("Chloé Martin", None, ana, False, "referral", today),
    ]
    assert shown(at.success) == [
        f"Logged for Ana Ruiz on {say(today)} by phone: conversation with your pitch, "
        "informational interview, asked for referrals, thanked at the time. 2 new referrals "
        "added as targets: Ben Okafor (Atlas Freight, may use Ana's name); Chloé Martin (cold)."
    ]
    # The form is fresh for the next conversation; the contact stays chosen.
    assert by_label(at.text_input, "Referral 1: name").value == ""
    assert by_label(at.selectbox, "Contact").value == ana


def test_a_backfilled_conversation_keeps_its_date(app_env: Path, ana: int) -> None:
    at = open_page("pages/work/log.py", contact=ana)
    earlier = date.today() - timedelta(days=9)
    by_label(at.date_input, "Date").set_value(earlier)
    by_label(at.selectbox, "Channel").set_value("in_person")
    at = click(at, "Log conversation")
    rows = read_db(app_env).execute("SELECT kind, occurred_on, channel FROM events").fetchall()
    assert rows == [("contacted", earlier, "in_person")]


@pytest.mark.parametrize(
    ("fill", "message"),
    [
        ({"contact": None}, "Contact: is required"),
        ({"referral": "B" * 201}, "Referral 1 name: is too long (201 characters; at most 200)"),
        ({"company_only": "Atlas"}, "Referral 1 name: is required (the person's name)"),
        ({"notes": "x" * 20_001}, "Notes: is too long (20,001 characters; at most 20,000)"),
    ],
)
def test_a_bad_conversation_writes_nothing(
    app_env: Path, ana: int, fill: dict, message: str
) -> None:
    at = open_page("pages/work/log.py", **({} if "contact" in fill else {"contact": ana}))
    if "referral" in fill:
        by_label(at.text_input, "Referral 1: name").input(fill["referral"])
    if "company_only" in fill:
        by_label(at.text_input, "Referral 1: company").input(fill["company_only"])
    if "notes" in fill:
        by_label(at.text_area, "Notes").input(fill["notes"])
    at = click(at, "Log conversation")
    assert shown(at.error) == [message]
    assert counts(app_env) == (1, 0)
    assert at.success == []


def test_more_referral_rows_writes_nothing_and_keeps_what_was_typed(
    app_env: Path, ana: int
) -> None:
    at = open_page("pages/work/log.py", contact=ana)
    by_label(at.text_input, "Referral 1: name").input("Ben Okafor")
    at = click(at, "More referral rows")
    assert by_label(at.text_input, "Referral 6: name").value == ""
    assert by_label(at.text_input, "Referral 1: name").value == "Ben Okafor"
    assert counts(app_env) == (1, 0)


def test_picking_a_contact_puts_it_in_the_link(app_env: Path, ana: int) -> None:
    at = pick_contact(open_page("pages/work/log.py"), ana)
    assert at.query_params["contact"] == str(ana)
    assert "Ana Ruiz — Targeted. Next: make contact and deliver your pitch." in shown(at.caption)


def test_a_thank_you_note(app_env: Path, ana: int) -> None:
    at = choose_step(open_page("pages/work/log.py", contact=ana), "thank_you")
    by_label(at.text_area, "Notes").input("Emailed after the call")
    at = click(at, "Log thank-you note")
    rows = read_db(app_env).execute("SELECT kind, channel, notes FROM events").fetchall()
    assert rows == [("thank_you", "email", "Emailed after the call")]
    assert shown(at.success) == [
        f"Logged: thank-you sent to Ana Ruiz on {say(date.today())} by email."
    ]


def test_a_follow_up_too_soon_warns_and_is_still_logged(app_env: Path, ana: int) -> None:
    database = open_database(app_env)
    log_event(
        database,
        {"contact_id": ana, "kind": "contacted", "occurred_on": date.today() - timedelta(days=5)},
    )
    database.close()
    at = choose_step(open_page("pages/work/log.py", contact=ana), "follow_up")
    expected = (
        "too soon — could become a nuisance: only 5 days since the last touch "
        "(every 21–28 days is the rhythm)"
    )
    assert shown(at.warning) == [f"If you send it today: {expected}. You can still log it."]
    at = click(at, "Log follow-up")
    assert counts(app_env) == (1, 2)
    assert shown(at.warning)[0] == f"Logged anyway — {expected}."


@pytest.mark.parametrize(
    ("step", "label", "button", "message"),
    [
        (
            "opportunity",
            "The lead *",
            "Log opportunity",
            "Notes: is required — describe the lead (role, company, who to contact)",
        ),
        ("note", "Note *", "Log note", "Notes: is required — write the note"),
    ],
)
def test_an_opportunity_or_note_needs_words(
    app_env: Path, ana: int, step: str, label: str, button: str, message: str
) -> None:
    at = click(choose_step(open_page("pages/work/log.py", contact=ana), step), button)
    assert shown(at.error) == [message]
    assert counts(app_env) == (1, 0)
    by_label(at.text_area, label).input("Planning role at Atlas, ask for Dev")
    at = click(at, button)
    rows = read_db(app_env).execute("SELECT kind, notes FROM events").fetchall()
    assert rows == [(step, "Planning role at Atlas, ask for Dev")]


def test_the_step_comes_from_the_link(app_env: Path, ana: int) -> None:
    at = open_page("pages/work/log.py", contact=ana, step="follow_up")
    assert at.segmented_control[0].value == "follow_up"
    assert [b.label for b in at.button] == ["Log follow-up"]


def test_an_empty_database_sends_you_to_add_a_target(app_env: Path) -> None:
    at = open_page("pages/work/log.py")
    assert shown(at.info) == ["Nobody to log a step for yet: add your first target."]


@pytest.mark.parametrize("page", ["today", "contacts", "log", "suggestions", "pitch"])
def test_a_writing_page_run_in_a_read_only_view_writes_nothing_and_says_so(
    app_env: Path, ana: int, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv("WARMLEADS_READ_ONLY", "1")
    # Run the page on its own, as Streamlit does for a deep link before app.py has run once.
    at = AppTest.from_file(
        str(Path(APP).parent / "pages" / "work" / f"{page}.py"), default_timeout=60
    )
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Read-only view"]
    assert at.button == [] and at.text_input == []


def test_today_reflects_a_logged_conversation_on_the_next_run(app_env: Path, ana: int) -> None:
    at = open_page("pages/work/log.py", contact=ana)
    by_label(at.text_input, "Referral 1: name").input("Ben Okafor")
    at.checkbox(key="conversation_0_r1w").check()
    click(at, "Log conversation")
    at.switch_page("pages/work/today.py").run()
    assert {m.label: m.value for m in at.metric} == {
        "To contact": "1",  # Ben; Ana is contacted now
        "To thank": "1",  # Ana: not thanked at the time
        "Follow-up due": "0",
        "Overdue": "0",
        "To update": "0",  # Ben, her referral, is not reached yet
    }
    warm = "“Ana Ruiz suggested I get in touch” — you may use their name"
    warm = f":material/local_fire_department: {warm}"
    assert warm in shown(at.caption)


def test_undo_takes_back_a_conversation_with_its_referrals_while_on_the_page(
    app_env: Path, ana: int
) -> None:
    before = counts(app_env)
    at = open_page("pages/work/log.py", contact=ana)
    by_label(at.text_input, "Referral 1: name").input("Ben Okafor")
    at = click(at, "Log conversation")
    assert counts(app_env) == (before[0] + 1, before[1] + 2)
    # Another rerun on the page (choosing a step) keeps the Undo on offer.
    at = choose_step(at, "note")
    at = click(at, "Undo")
    assert counts(app_env) == before
    assert shown(at.info) == ["Undone: the steps were removed. 1 new referral removed."]
    assert [b.label for b in at.button if b.label == "Undo"] == []


def test_the_undo_is_gone_after_leaving_the_page(app_env: Path, ana: int) -> None:
    at = open_page("pages/work/log.py", contact=ana)
    at = click(at, "Log conversation")
    assert [b.label for b in at.button if b.label == "Undo"] == ["Undo"]
    at.switch_page("pages/work/today.py").run()
    at.switch_page("pages/work/log.py").run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button if b.label == "Undo"] == []
    assert counts(app_env)[1] == 1  # the step stays


def test_a_second_tap_on_the_emptied_form_logs_nothing_more(app_env: Path, ana: int) -> None:
    """Log conversation tapped again as the form empties: one conversation, one referral."""
    at = open_page("pages/work/log.py", contact=ana)
    by_label(at.text_input, "Referral 1: name").input("Ben Okafor")
    at = click(at, "Log conversation")
    at = click(at, "Log conversation")  # within seconds: the same tap
    assert counts(app_env) == (2, 2)
    assert [b.label for b in at.button if b.label == "Undo"] == ["Undo"]  # the first's, still
    assert shown(at.success)[0].startswith("Logged for Ana Ruiz on ")
    at.session_state["log_last"]["at"] -= 6  # seconds later it is a new conversation
    at = click(at, "Log conversation")
    assert counts(app_env) == (2, 3)  # a conversation alone this time


def test_another_step_for_the_same_person_at_once_is_logged(app_env: Path, ana: int) -> None:
    at = click(open_page("pages/work/log.py", contact=ana), "Log conversation")
    at = click(choose_step(at, "thank_you"), "Log thank-you note")
    rows = read_db(app_env).execute("SELECT kind FROM events ORDER BY id").fetchall()
    assert rows == [("contacted",), ("thank_you",)]


@pytest.fixture
def targets(app_env: Path, ana: int) -> dict[str, int]:
    """Three target companies (Ana is at Kestrel, not one of them)."""
    database = open_database(app_env)
    ids = {
        name: add_company(database, {"name": name, "motivation": m}).company_id
        for name, m in [("Initech", 3), ("Acme", 5), ("Globex", 4)]
    }
    database.close()
    return ids


def companies_json(path: Path) -> dict[str, tuple[int, int]]:
    """`python -m lib.cli companies --json` (in this process): (people, ways in) by name."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["companies", "--json", "--db", str(path)]) == 0
    return {c["name"]: (c["people"], c["ways_in"]) for c in json.loads(out.getvalue())["companies"]}


def test_the_conversation_form_asks_about_the_targets_and_tags_referrals(
    app_env: Path, ana: int, targets: dict[str, int]
) -> None:
    at = open_page("pages/work/log.py", contact=ana)
    asked = by_label(
        at.checkbox, "Asked for referrals — “Who do you know at Acme, Globex or Initech?”"
    )
    into = by_label(at.selectbox, "Referral 1: leads into")
    assert into.options == ["Acme", "Globex", "Initech"]
    assert [s.value for s in at.selectbox if s.label.endswith("leads into")] == [None] * 3
    assert companies_json(app_env) == {"Acme": (0, 0), "Globex": (0, 0), "Initech": (0, 0)}
    asked.check()
    by_label(at.text_input, "Referral 1: name").input("Ben Okafor")
    into.set_value(targets["Acme"])
    by_label(at.text_input, "Referral 2: name").input("Chloé Martin")
    by_label(at.text_input, "Referral 2: company").input("Atlas Freight")
    at = click(at, "Log conversation")
    database = read_db(app_env)
    assert database.execute(
        "SELECT full_name, company, company_id, referred_by FROM contacts "
        "WHERE id <> ? ORDER BY id",
        [ana],
    ).fetchall() == [
        ("Ben Okafor", "Acme", targets["Acme"], ana),
        ("Chloé Martin", "Atlas Freight", None, ana),
    ]
    assert shown(at.success)[0].endswith(
        "2 new referrals added as targets: Ben Okafor (Acme, cold); Chloé Martin (Atlas Freight, "
        "cold)."
    )
    assert companies_json(app_env) == {"Acme": (1, 1), "Globex": (0, 0), "Initech": (0, 0)}
    # Undo takes the referral back, and the way in with it.
    at = click(at, "Undo")
    assert companies_json(app_env) == {"Acme": (0, 0), "Globex": (0, 0), "Initech": (0, 0)}


def test_a_referral_tagged_with_another_company_writes_nothing(
    app_env: Path, ana: int, targets: dict[str, int]
) -> None:
    at = open_page("pages/work/log.py", contact=ana)
    by_label(at.text_input, "Referral 1: name").input("Ben Okafor")
    by_label(at.text_input, "Referral 1: company").input("Globex")
    by_label(at.selectbox, "Referral 1: leads into").set_value(targets["Acme"])
    at = click(at, "Log conversation")
    assert shown(at.error) == [
        "Referral 1 company: Globex is not Acme, the target company chosen for them: leave one "
        "of the two blank"
    ]
    assert counts(app_env) == (1, 0)


def test_without_target_companies_the_form_asks_the_plain_question(app_env: Path, ana: int) -> None:
    at = open_page("pages/work/log.py", contact=ana)
    by_label(
        at.checkbox,
        "Asked for referrals — “Who do you know that might be helpful for me to get in touch "
        "with?”",
    )
    assert [s.label for s in at.selectbox] == ["Contact", "Channel"]  # no "Leads into"


def test_a_target_named_like_markup_is_quoted_as_typed(app_env: Path, ana: int) -> None:
    database = open_database(app_env)
    add_company(database, {"name": "*Acme* [win](https://e.example)"})
    database.close()
    at = open_page("pages/work/log.py", contact=ana)
    [label] = [c.label for c in at.checkbox if c.label.startswith("Asked for referrals")]
    assert label == (
        "Asked for referrals — “Who do you know at \\*Acme\\* \\[win\\]\\(https\\://e\\.example\\)?”"
    )
