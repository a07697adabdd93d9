"""The Pitch coach page: timing and flags as you write, saving, and the filled-in templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.io.demo import PITCH
from lib.records.companies import add_company, link_contacts
from lib.records.contacts import add_contact
from lib.records.settings import get_setting
from lib.store.db import open_database
from tests.pagekit import by_label, click, open_page, read_db, shown


@pytest.fixture
def ben(app_env: Path) -> int:
    database = open_database(app_env)
    ana = add_contact(database, {"full_name": "Ana Ruiz"})
    contact = add_contact(
        database,
        {
            "full_name": "Ben Okafor",
            "email": "ben@atlas.example",
            "referred_by": ana,
            "may_use_name": True,
        },
    )
    database.close()
    return contact


def pitch_box(at):
    return by_label(at.text_area, "Your elevator pitch")


def test_the_saved_pitch_is_timed(app_env: Path) -> None:
    database = open_database(app_env)
    from lib.records.settings import save_pitch

    save_pitch(database, PITCH)
    database.close()
    at = open_page("pages/work/pitch.py")
    assert pitch_box(at).value == PITCH
    assert {m.label: m.value for m in at.metric} == {"Words": "78", "Spoken time": "36 s"}
    assert shown(at.success) == [
        "Good: the right length, no “are you hiring?”, and it ends with a request."
    ]


def test_are_you_hiring_and_no_request_are_flagged_as_you_write(app_env: Path) -> None:
    at = open_page("pages/work/pitch.py")
    pitch_box(at).input("I'm a supply-chain analyst. Are you hiring?").run()
    assert {m.label: m.value for m in at.metric} == {"Words": "7", "Spoken time": "3 s"}
    assert shown(at.warning) == [
        "Too short: add about 58 words — who you are, what you offer.",
        "Drop “are you hiring?” — a “no” ends the conversation. Ask for their perspective "
        "or for people to talk to instead.",
        "End with a clear request: an informational interview, or “Who do you know that "
        "might be helpful for me to get in touch with?”",
    ]


def test_saving_the_pitch_and_your_name(app_env: Path) -> None:
    at = open_page("pages/work/pitch.py")
    pitch_box(at).input("My pitch. Could we talk?")
    by_label(at.text_input, "Your name, to sign the messages below").input("Sam Lee")
    at = click(at, "Save pitch")
    assert shown(at.success)[0] == "Saved your pitch."
    database = read_db(app_env)
    assert (get_setting(database, "pitch"), get_setting(database, "your_name")) == (
        "My pitch. Could we talk?",
        "Sam Lee",
    )


def test_a_pitch_too_long_to_save_writes_nothing(app_env: Path) -> None:
    at = open_page("pages/work/pitch.py")
    pitch_box(at).input("word " * 1001)
    at = click(at, "Save pitch")
    assert shown(at.error) == ["Pitch: is too long (5,004 characters; at most 5,000)"]
    assert get_setting(read_db(app_env), "pitch") is None


def test_templates_use_the_contacts_and_referrers_names(app_env: Path, ben: int) -> None:
    at = open_page("pages/work/pitch.py", contact=ben)
    bodies = [code.value for code in at.code]
    assert len(bodies) == 4
    assert bodies[0].startswith("Thank you, Ben — this has been really helpful.")
    assert bodies[1].startswith("Hi Ben, this is [your name]. Ana Ruiz suggested I get in touch")
    links = [button.proto.url for button in at.get("link_button")]
    assert len(links) == 2
    assert all(link.startswith("mailto:ben@atlas.example?subject=") for link in links)


def test_templates_ask_about_the_target_companies(app_env: Path, ben: int) -> None:
    database = open_database(app_env)
    for name, motivation in [("Hooli", 1), ("Acme", 5), ("Initech", 3), ("Globex", 4)]:
        add_company(database, {"name": name, "motivation": motivation})
    database.execute("UPDATE contacts SET company = 'Initech' WHERE id = ?", [ben])
    link_contacts(database)
    database.close()
    at = open_page("pages/work/pitch.py", contact=ben)
    bodies = [code.value for code in at.code]
    # Ben works at Initech, a target: who else there first, then the top two others.
    assert bodies[0] == (
        "Thank you, Ben — this has been really helpful. Who else do you know at Initech — and "
        "at Acme or Globex?\n"
        "… Anyone else who might be helpful for me to get in touch with?\n"
        "May I use your name when I reach out to them?"
    )
    assert (
        "\n\nWho else do you know at Initech — and at Acme or Globex? Any name is welcome.\n\n"
        in bodies[3]
    )
