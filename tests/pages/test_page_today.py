"""The Today page: counts and due lists as of today, warm intros, and one-click steps."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.words import human_date
from lib.engine.due import TODAY_LISTS
from lib.engine.stats import due_lists
from lib.records.contacts import add_contact
from lib.records.events import log_attempt, log_event
from lib.store.db import open_database
from tests.pagekit import by_label, click, open_page, read_db, shown, shown_lines, unescape
from tests.support import write_demo

TITLES = ["To contact", "To thank", "Follow-up due", "Overdue"]


@pytest.fixture
def demo_app(app_env: Path) -> Path:
    return write_demo(app_env)


@pytest.fixture
def small_app(app_env: Path) -> dict[str, int]:
    """Ana (talked 30 days ago, owes a thank-you) and Ben, her warm referral."""
    database = open_database(app_env)
    today = date.today()
    ana = add_contact(
        database,
        {"full_name": "Ana Ruiz", "company": "Kestrel", "identified_on": today - timedelta(40)},
    )
    log_event(
        database, {"contact_id": ana, "kind": "contacted", "occurred_on": today - timedelta(30)}
    )
    ben = add_contact(
        database,
        {
            "full_name": "Ben Okafor",
            "title": "CFO",
            "referred_by": ana,
            "may_use_name": True,
            "identified_on": today - timedelta(30),
        },
    )
    database.close()
    return {"ana": ana, "ben": ben}


def test_an_empty_database_greets_with_adding_and_importing_first(app_env: Path) -> None:
    at = open_page("pages/work/today.py")
    assert at.title[0].value == "Welcome to Warm Leads"
    primary = [b.label for b in at.button if b.proto.type == "primary"]
    assert primary == ["Add a target", "Import your contacts"]
    assert [b.label for b in at.button] == [*primary, "Load the sample network"]
    assert "**Explore with the sample network (removable)**" in shown(at.markdown)


def test_loading_the_demo_fills_today_and_removing_it_empties_it(app_env: Path) -> None:
    at = click(open_page("pages/work/today.py"), "Load the sample network")
    assert at.title[0].value == "Today"
    assert shown(at.success)[0].startswith("Loaded the sample network: 50 fictional people and ")
    database = read_db(app_env)
    assert database.scalar("SELECT count(*) FROM contacts") == 50
    at = click(at, "Remove the sample network")
    assert shown(at.success)[0] == (
        "Removed the sample network: 50 people and 199 steps. "
        "Your own contacts and steps are untouched."
    )
    assert at.title[0].value == "Welcome to Warm Leads"
    assert read_db(app_env).scalar("SELECT count(*) FROM contacts") == 0


def test_counts_are_the_spec_due_lists_as_of_today(demo_app: Path) -> None:
    at = open_page("pages/work/today.py")
    expected = due_lists(read_db(demo_app), date.today())
    metrics = {m.label: m.value for m in at.metric}
    titles, lists = [*TITLES, "To update"], [*TODAY_LISTS, "close_loop"]
    assert metrics == {t: f"{len(expected[n]):,}" for t, n in zip(titles, lists, strict=True)}


def test_rows_say_who_why_and_the_warm_intro(small_app: dict[str, int]) -> None:
    at = open_page("pages/work/today.py")
    assert [s.value for s in at.subheader] == [
        "1 person to contact",
        "1 thank-you pending",
        "1 follow-up overdue",
        "Coming up (next 7 days)",
    ]
    texts = shown_lines(at.markdown)
    assert "Referred 30 days ago — not contacted yet" in texts
    assert "Talked with you and gave you a referral 30 days ago — no thank-you since" in texts
    assert "Last touch 30 days ago — 2 days past 4 weeks" in texts
    captions = shown_lines(at.caption)
    assert (
        ":material/local_fire_department: “Ana Ruiz suggested I get in touch” — "
        "you may use their name" in captions
    )
    assert "CFO" in captions
    log_links = [
        (link.proto.page, link.proto.query_string)
        for link in at.get("page_link")
        if link.value == "Talked — log the conversation"
    ]
    assert log_links == [
        ("log", f"contact={small_app['ben']}&step=conversation&channel=phone"),
        ("log", f"contact={small_app['ana']}&step=conversation&channel=phone"),
    ]


def test_thank_you_sent_logs_one_thank_you_in_place_then_the_card_leaves(
    small_app: dict[str, int], app_env: Path
) -> None:
    at = click(open_page("pages/work/today.py"), "Thank-you sent")
    # In place: the card stays where it was, its button greyed, "Logged" and Undo under it,
    # and nothing added above the lists (it would push the cards under the pointer).
    assert ":material/check: **Logged: thank-you sent** ·" in shown(at.markdown)
    assert [b.disabled for b in at.button if b.label == "Thank-you sent"] == [True]
    assert "0 thank-yous pending" in [s.value for s in at.subheader]
    assert shown(at.success) == []
    today = date.today()
    rows = (
        read_db(app_env)
        .execute(
            "SELECT contact_id, kind, occurred_on, channel FROM events WHERE kind = 'thank_you'"
        )
        .fetchall()
    )
    assert rows == [(small_app["ana"], "thank_you", today, "email")]
    assert {m.label: m.value for m in at.metric}["To thank"] == "0"
    at = expire_logged(at)  # a few seconds later the card has left its list
    assert "Thank-you sent" not in [b.label for b in at.button]
    assert "0 thank-yous pending" not in [s.value for s in at.subheader]


def test_undo_puts_the_card_back_as_it_was(small_app: dict[str, int], app_env: Path) -> None:
    at = click(click(open_page("pages/work/today.py"), "Thank-you sent"), "Undo")
    database = read_db(app_env)
    assert database.scalar("SELECT count(*) FROM events WHERE kind = 'thank_you'") == 0
    assert {m.label: m.value for m in at.metric}["To thank"] == "1"
    assert [b.disabled for b in at.button if b.label == "Thank-you sent"] == [False]
    assert not [m.value for m in at.markdown if "Logged:" in m.value]


def test_follow_up_sent_logs_a_follow_up_and_greys_the_card(
    small_app: dict[str, int], app_env: Path
) -> None:
    at = click(open_page("pages/work/today.py"), "Follow-up sent")
    assert {m.label: m.value for m in at.metric}["Overdue"] == "0"
    rows = read_db(app_env).execute("SELECT contact_id, kind FROM events ORDER BY id").fetchall()
    assert rows == [(small_app["ana"], "contacted"), (small_app["ana"], "follow_up")]
    # Ana's card (a call card too) stays: its call outcomes greyed with none picked.
    done = at.pills(key=f"try_follow_up_overdue_{small_app['ana']}_done")
    assert (done.value, done.disabled) == (None, True)
    assert ":material/check: **Logged: follow-up sent** ·" in shown(at.markdown)


def test_the_last_thank_you_due_adds_nothing_above_its_card_until_it_leaves(
    app_env: Path,
) -> None:
    database = open_database(app_env)
    today = date.today()
    ana = add_contact(database, {"full_name": "Ana Ruiz", "identified_on": today - timedelta(9)})
    log_event(database, {"contact_id": ana, "kind": "contacted", "occurred_on": today})
    database.close()
    nothing_due = "Nothing is due today. Add new targets or log a conversation to keep going."
    at = click(open_page("pages/work/today.py"), "Thank-you sent")
    assert {m.label: m.value for m in at.metric}["To thank"] == "0"
    assert nothing_due not in shown(at.success)  # it would push the card down
    assert ":material/check: **Logged: thank-you sent** ·" in shown(at.markdown)
    at = expire_logged(at)
    assert nothing_due in shown(at.success)


def test_long_lists_show_their_first_3_then_all_25_a_page(app_env: Path) -> None:
    database = open_database(app_env)
    for number in range(27):
        add_contact(
            database,
            {
                "full_name": f"Target {number}",
                "identified_on": date.today() - timedelta(40 - number),
            },
        )
    database.close()
    at = open_page("pages/work/today.py")
    names = [link.value for link in at.get("page_link") if "Target" in link.value]
    assert names == [f"**Target {n}**" for n in range(3)]
    assert len(at.get("pagination")) == 0
    at = click(at, "Show more (27 in all)")
    names = [link.value for link in at.get("page_link") if "Target" in link.value]
    assert names == [f"**Target {n}**" for n in range(25)]
    assert [b.label for b in at.button if b.label.startswith("Show")] == []
    at.get("pagination")[0].set_value(2).run()
    names = [link.value for link in at.get("page_link") if "Target" in link.value]
    assert names == ["**Target 25**", "**Target 26**"]
    adds = [link.proto.query_string for link in at.get("page_link") if link.value == "Add a target"]
    assert adds == ["add=1"]


def test_show_all_adds_the_rest_of_a_list_below_its_first_rows(app_env: Path) -> None:
    database = open_database(app_env)
    for number in range(7):
        add_contact(
            database,
            {
                "full_name": f"Target {number}",
                "identified_on": date.today() - timedelta(20 - number),
            },
        )
    database.close()
    at = open_page("pages/work/today.py")
    names = [link.value for link in at.get("page_link") if "Target" in link.value]
    assert names == [f"**Target {n}**" for n in range(3)]
    at = click(at, "Show all 7")
    names = [link.value for link in at.get("page_link") if "Target" in link.value]
    assert names == [f"**Target {n}**" for n in range(7)]  # the first three stay where they were
    assert [b.label for b in at.button if b.label.startswith("Show")] == []
    assert len(at.get("pagination")) == 0


def test_the_welcome_buttons_open_adding_and_importing(app_env: Path) -> None:
    at = click(open_page("pages/work/today.py"), "Add a target")
    assert at.title[0].value == "Contacts"
    at = click(open_page("pages/work/today.py"), "Import your contacts")
    assert at.title[0].value == "Import & export"


@pytest.fixture
def reachable(app_env: Path) -> int:
    """Cara, a target with a phone, an email and a LinkedIn profile."""
    database = open_database(app_env)
    cara = add_contact(
        database,
        {
            "full_name": "Cara Martin",
            "phone": "+1 (555) 010-2030",
            "email": "cara@kestrel.example",
            "linkedin_url": "https://www.linkedin.com/in/cara-martin",
            "identified_on": date.today() - timedelta(3),
        },
    )
    database.close()
    return cara


def test_rows_to_call_have_the_phone_as_a_tel_button_and_link_email_and_linkedin(
    reachable: int,
) -> None:
    at = open_page("pages/work/today.py")
    tel = [(unescape(b.proto.label), b.proto.url) for b in at.get("link_button")]
    assert tel == [("+1 (555) 010-2030", "tel:+15550102030")]
    assert (
        ":material/mail: [cara@kestrel.example](mailto:cara@kestrel.example) · "
        "[LinkedIn](https://www.linkedin.com/in/cara-martin)"
    ) in shown_lines(at.markdown)


def expire_logged(at: AppTest) -> AppTest:
    """What a few seconds do: the cards that said "Logged: …" show their outcomes again."""
    at.session_state["reach_logged"] = {}
    at.run()
    return at


def test_one_click_logs_an_attempt_in_place_then_the_row_says_tried(
    reachable: int, app_env: Path
) -> None:
    at = open_page("pages/work/today.py")
    at.pills(key=f"try_to_contact_{reachable}").set_value("voicemail").run()
    # In place: the pills greyed with the pick where it was, "Logged" and Undo under them,
    # and nothing added above the list (it would push the rows under the pointer).
    done = at.pills(key=f"try_to_contact_{reachable}_done")
    assert (done.value, done.disabled) == ("voicemail", True)
    assert ":material/voicemail: **Logged: voicemail** ·" in [m.value for m in at.markdown]
    assert shown(at.success) == []
    at = expire_logged(at)
    at.pills(key=f"try_to_contact_{reachable}").set_value("no_answer").run()
    today = date.today()
    assert f":material/phone_missed: Tried 2× · last {today:%a} {today.day} {today:%b} " in [
        c[: -len("(no answer)")] for c in shown_lines(at.caption)
    ]
    rows = read_db(app_env).execute("SELECT kind, outcome, channel FROM events ORDER BY id")
    assert rows.fetchall() == [("attempt", "voicemail", "phone"), ("attempt", "no_answer", "phone")]
    assert {m.label: m.value for m in at.metric}["To contact"] == "1"  # still not contacted
    at = click(at, "Undo")
    assert read_db(app_env).scalar("SELECT count(*) FROM events") == 1
    assert at.pills(key=f"try_to_contact_{reachable}").value is None  # ready for the next try


def test_wrong_number_asks_for_the_right_one_and_refuses_a_bad_one(
    reachable: int, app_env: Path
) -> None:
    at = open_page("pages/work/today.py")
    at.pills(key=f"try_to_contact_{reachable}").set_value("wrong_number").run()
    assert read_db(app_env).scalar("SELECT count(*) FROM events") == 0  # not logged yet
    by_label(at.text_input, "Their right number").set_value("call me")
    at = click(at, "Save the right number")
    assert shown(at.warning) == ["Phone: 'call me' is not a phone number"]
    database = read_db(app_env)
    assert database.scalar("SELECT count(*) FROM events") == 0
    assert database.scalar("SELECT phone FROM contacts") == "+1 (555) 010-2030"
    database.close()

    by_label(at.text_input, "Their right number").set_value("+44 20 7946 0958")
    at = click(at, "Save the right number")
    database = read_db(app_env)
    rows = database.execute("SELECT contact_id, kind, outcome, notes FROM events").fetchall()
    assert rows == [(reachable, "attempt", "wrong_number", "The wrong number: +1 (555) 010-2030")]
    assert database.scalar("SELECT phone FROM contacts") == "+44 20 7946 0958"
    database.close()
    assert [(unescape(b.proto.label), b.proto.url) for b in at.get("link_button")] == [
        ("+44 20 7946 0958", "tel:+442079460958")
    ]
    at = click(at, "Undo")  # the wrong number goes back on the card with the attempt gone
    database = read_db(app_env)
    assert database.scalar("SELECT count(*) FROM events") == 0
    assert database.scalar("SELECT phone FROM contacts") == "+1 (555) 010-2030"


def test_wrong_number_without_the_right_one_leaves_a_box_for_it(
    reachable: int, app_env: Path
) -> None:
    at = open_page("pages/work/today.py")
    at.pills(key=f"try_to_contact_{reachable}").set_value("wrong_number").run()
    at = click(at, "Don't know")
    database = read_db(app_env)
    assert database.scalar("SELECT phone FROM contacts") is None
    assert database.execute("SELECT outcome, notes FROM events").fetchall() == [
        ("wrong_number", "The wrong number: +1 (555) 010-2030")
    ]
    database.close()
    assert at.get("link_button") == [] or len(at.get("link_button")) == 0
    assert [t.label for t in at.text_input] == ["Add their phone number"]


def save_number(at: AppTest, box: str) -> AppTest:
    """Press "Save the number" in the form of the phone box keyed `box`."""
    form = box.removesuffix("_phone") + "_form"
    [button] = [b for b in at.button if b.label == "Save the number" and b.proto.form_id == form]
    button.click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_number_typed_on_a_card_makes_it_callable_in_one_rerun(
    small_app: dict[str, int], app_env: Path
) -> None:
    at = open_page("pages/work/today.py")
    # Ben (to contact) and Ana (a follow-up overdue) have no number: a box on each card.
    assert [t.label for t in at.text_input] == ["Add their phone number"] * 2
    box = f"phone_to_contact_{small_app['ben']}_phone"
    at.text_input(key=box).set_value("12")
    at = save_number(at, box)
    assert shown(at.error) == ["Phone: '12' is not a phone number"]
    database = read_db(app_env)
    assert database.execute("SELECT full_name, phone FROM contacts ORDER BY id").fetchall() == [
        ("Ana Ruiz", None),
        ("Ben Okafor", None),
    ]
    assert database.scalar("SELECT count(*) FROM events") == 1  # Ana's talk, as before
    database.close()

    at.text_input(key=box).set_value("+44 20 7946 0958")
    at = save_number(at, box)
    assert [(unescape(b.proto.label), b.proto.url) for b in at.get("link_button")] == [
        ("+44 20 7946 0958", "tel:+442079460958")
    ]
    assert len(at.text_input) == 1 and shown(at.error) == []  # Ana's box only
    database = read_db(app_env)
    assert database.execute("SELECT full_name, phone FROM contacts ORDER BY id").fetchall() == [
        ("Ana Ruiz", None),
        ("Ben Okafor", "+44 20 7946 0958"),
    ]


def test_a_call_back_asks_for_its_day_under_that_row_only(reachable: int, app_env: Path) -> None:
    database = open_database(app_env)
    other = add_contact(database, {"full_name": "Dev Rao", "phone": "+1 555 010 4040"})
    database.close()
    at = open_page("pages/work/today.py")
    assert len(at.date_input) == 0
    at.pills(key=f"try_to_contact_{reachable}").set_value("call_back").run()

    assert read_db(app_env).scalar("SELECT count(*) FROM events") == 0  # not logged yet
    assert [d.label for d in at.date_input] == ["Call back on"]
    tomorrow = date.today() + timedelta(1)
    assert at.date_input[0].value == tomorrow
    assert at.pills(key=f"try_to_contact_{other}").value is None
    friday = date.today() + timedelta(4)
    at.date_input[0].set_value(friday)
    at = click(at, "Log the call-back")

    rows = read_db(app_env).execute("SELECT contact_id, kind, outcome, call_back_on FROM events")
    assert rows.fetchall() == [(reachable, "attempt", "call_back", friday)]
    assert len(at.date_input) == 0  # the form closed
    assert f"call back {human_date(friday)}" in " ".join(shown(at.caption))


def test_a_call_back_can_be_cancelled_without_logging(reachable: int, app_env: Path) -> None:
    at = open_page("pages/work/today.py")
    at.pills(key=f"try_to_contact_{reachable}").set_value("call_back").run()
    at = click(at, "Cancel")

    assert len(at.date_input) == 0
    assert read_db(app_env).scalar("SELECT count(*) FROM events") == 0


def test_three_attempts_suggest_writing_instead(reachable: int, app_env: Path) -> None:
    database = open_database(app_env)
    for outcome in ("no_answer", "voicemail", "no_answer"):
        log_attempt(database, reachable, outcome)
    database.close()
    at = open_page("pages/work/today.py")
    assert [e.label for e in at.expander] == ["Write instead: 3 calls without a conversation"]
    assert len(at.code) == 0  # the message is built when the expander opens
    at.session_state[f"write_to_contact_{reachable}"] = True
    at.run()
    when = "Calls to Cara Martin have not got through: try an email or a LinkedIn message."
    assert when in shown(at.caption)
    assert len(at.code) == 1 and "Cara" in at.code[0].value


def test_coming_up_lists_follow_ups_and_thank_yous_with_their_days(app_env: Path) -> None:
    database = open_database(app_env)
    today = date.today()
    dan = add_contact(database, {"full_name": "Dan Wu", "identified_on": today - timedelta(30)})
    log_event(
        database, {"contact_id": dan, "kind": "contacted", "occurred_on": today - timedelta(18)}
    )
    log_event(
        database, {"contact_id": dan, "kind": "thank_you", "occurred_on": today - timedelta(18)}
    )
    eve = add_contact(database, {"full_name": "Eve Ito", "identified_on": today - timedelta(3)})
    log_event(
        database, {"contact_id": eve, "kind": "contacted", "occurred_on": today - timedelta(1)}
    )
    database.close()
    at = open_page("pages/work/today.py")
    due_day = today + timedelta(3)
    late_day = today + timedelta(3)
    texts = shown(at.markdown)
    assert f"**{due_day:%a} {due_day.day} {due_day:%b}**" in texts
    assert f"**{late_day:%a} {late_day.day} {late_day:%b}**" in texts
    captions = shown(at.caption)
    assert "Follow-up falls due" in captions and "Thank-you becomes late" in captions


def test_coming_up_shows_its_first_3_then_all(app_env: Path) -> None:
    database = open_database(app_env)
    today = date.today()
    for number in range(6):
        person = add_contact(
            database, {"full_name": f"Soon {number}", "identified_on": today - timedelta(30)}
        )
        for kind in ("contacted", "thank_you"):
            log_event(
                database,
                {"contact_id": person, "kind": kind, "occurred_on": today - timedelta(18)},
            )
    database.close()
    at = open_page("pages/work/today.py")
    names = [link.value for link in at.get("page_link") if link.value.startswith("Soon")]
    assert names == [f"Soon {n}" for n in range(3)]
    at = click(at, "Show all 6")
    names = [link.value for link in at.get("page_link") if link.value.startswith("Soon")]
    assert names == [f"Soon {n}" for n in range(6)]
