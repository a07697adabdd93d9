"""The pitch coach: word count, spoken time, the two classic mistakes, and the templates."""

from __future__ import annotations

from datetime import date

import pytest

from lib.core.errors import ValidationError
from lib.engine.companies import Aim
from lib.engine.loops import Reached
from lib.io.demo import PITCH
from lib.present.pitch import (
    check_pitch,
    count_words,
    mailto_link,
    templates,
    update_message,
)
from lib.records.settings import get_pitch, get_your_name, save_pitch
from lib.store.db import Database


def test_the_demo_pitch_is_in_range_and_ends_with_a_request() -> None:
    check = check_pitch(PITCH)
    assert check.words == 78
    assert check.seconds == pytest.approx(36.0)
    assert (check.in_range, check.asks_if_hiring, check.ends_with_request) == (True, False, True)
    assert check.advice == []


def test_words_count_contractions_and_hyphens_once() -> None:
    assert count_words("I'm a supply-chain analyst — really.") == 5
    assert count_words("") == 0


@pytest.mark.parametrize(
    ("words", "seconds", "in_range"),
    [(64, 29.5, False), (65, 30.0, True), (130, 60.0, True), (131, 60.5, False)],
)
def test_spoken_time_at_130_words_a_minute(words: int, seconds: float, in_range: bool) -> None:
    check = check_pitch(" ".join(["word"] * words))
    assert check.words == words
    assert check.seconds == pytest.approx(seconds, abs=0.3)
    assert check.in_range is in_range


def test_too_short_and_too_long_say_by_how_much() -> None:
    short = check_pitch("I am an analyst. Could we meet for coffee?")
    assert short.advice[0] == "Too short: add about 56 words — who you are, what you offer."
    long = check_pitch("word " * 140 + "Could we meet?")
    assert long.advice[0] == "Too long: cut about 13 words to stay under a minute."


@pytest.mark.parametrize(
    "text",
    [
        "I'm an analyst. Are you hiring?",
        "I'm an analyst. Is your company hiring right now?",
        "I'm an analyst. Do you have any openings?",
        "I'm an analyst; are there positions on your team? Thanks.",
    ],
)
def test_are_you_hiring_is_flagged(text: str) -> None:
    assert check_pitch(text).asks_if_hiring is True


def test_a_hiring_question_is_not_the_clear_request() -> None:
    assert check_pitch("I'm an analyst. Are you hiring?").ends_with_request is False


@pytest.mark.parametrize(
    ("closing", "asks"),
    [
        ("Who do you know that might be helpful for me to get in touch with?", True),
        ("I'd value twenty minutes of your perspective.", True),
        ("Would you have time for coffee next week.", True),
        ("I have eight years of experience in freight.", False),
        ("Thanks for listening!", False),
    ],
)
def test_a_pitch_must_end_with_a_request(closing: str, asks: bool) -> None:
    check = check_pitch(f"I'm a supply-chain analyst. {closing}")
    assert check.ends_with_request is asks
    ends = any(a.startswith("End with a clear request") for a in check.advice)
    assert ends is not asks


def test_the_pitch_and_your_name_are_saved_together(db: Database) -> None:
    save_pitch(db, "  My pitch.  ", " Sam Lee ")
    assert (get_pitch(db), get_your_name(db)) == ("My pitch.", "Sam Lee")


def test_a_pitch_over_5000_characters_is_refused_and_nothing_saved(db: Database) -> None:
    with pytest.raises(ValidationError, match="pitch: is too long"):
        save_pitch(db, "x" * 5001, "Sam")
    assert (get_pitch(db), get_your_name(db)) == ("", "")


def test_templates_fill_the_contact_referrer_and_referrals() -> None:
    ask, intro, thanks, follow = templates(
        "Ben Okafor", "Ana Ruiz", True, ["Chloé Martin", "Dev Rao"], "Sam Lee"
    )
    assert ask.body.startswith("Thank you, Ben — this has been really helpful.")
    assert "May I use your name" in ask.body
    assert intro.body.startswith("Hi Ben, this is Sam Lee. Ana Ruiz suggested I get in touch")
    assert "suggesting I get in touch with Chloé Martin and Dev Rao" in thanks.body
    assert thanks.subject == "Thank you, Ben"
    assert thanks.body.endswith("With thanks,\nSam Lee")
    assert "Who else do you know" in follow.body
    assert follow.subject == "A quick update — and thank you"


def test_a_referrer_who_did_not_clear_their_name_is_not_dropped() -> None:
    _, intro, *_ = templates("Ben Okafor", "Ana Ruiz", False)
    assert "Ana" not in intro.body
    assert intro.when.startswith("Ana Ruiz referred Ben Okafor but did not clear using their name")
    _, cold, *_ = templates("Ben Okafor")
    assert cold.body.startswith("Hi Ben, this is [your name].")


def test_mailto_link_encodes_subject_and_body() -> None:
    link = mailto_link("ben@atlas.example", "Thank you, Ben", "Hi Ben,\n\nA & B")
    assert link == (
        "mailto:ben@atlas.example?subject=Thank%20you%2C%20Ben&body=Hi%20Ben%2C%0A%0AA%20%26%20B"
    )


@pytest.mark.parametrize("email", [None, "", "not an address", "x@y"])
def test_no_mailto_link_without_a_valid_address(email: str | None) -> None:
    assert mailto_link(email, "Hi", "Body") is None


# Real endings of pitches: ten that ask for something (as a question, a wish or an offer of
# time), ten that do not.
REQUESTS = [
    "I'd really value hearing who you think I should talk to next.",
    "Would you have ten minutes next week to tell me how you got into the field…",
    "I was wondering who you think I should talk to next.",
    "If you know anyone working on payments, I'd be grateful for an introduction.",
    "I'm hoping you could point me to one or two people I should meet.",
    "It would mean a lot to hear who else you think I should speak with.",
    "Who do you know that might be helpful for me to get in touch with?",
    "Could we find twenty minutes for a coffee in the next couple of weeks.",
    "I’d love to hear your perspective on where the industry is heading.",
    "I'd appreciate any names of people I should be talking to. Thanks!",
]
NOT_REQUESTS = [
    "That's a bit about me.",
    "I'm excited to bring that experience to a product team.",
    "I'd love to move into product management in fintech.",
    "Thanks for listening.",
    "I want to work somewhere that ships every week.",
    "My goal is a data role at a mission-driven company.",
    "I'm looking forward to the next chapter.",
    "I think I'd be a great fit for a team like yours.",
    "Are you hiring right now?",
    "In short, I turn messy data into decisions people trust. Thank you!",
]


@pytest.mark.parametrize(
    ("closing", "asks"),
    [(text, True) for text in REQUESTS] + [(text, False) for text in NOT_REQUESTS],
)
def test_a_request_is_recognised_however_it_is_phrased(closing: str, asks: bool) -> None:
    check = check_pitch(f"I'm a supply-chain analyst with eight years in freight. {closing}")
    assert check.ends_with_request is asks


def test_the_templates_and_the_update_ask_about_the_target_companies() -> None:
    aim = Aim("Initech", ("Acme", "Globex"))
    ask, _, _, follow = templates("Ben Okafor", aim=aim)
    assert ask.body == (
        "Thank you, Ben — this has been really helpful. Who else do you know at Initech — and "
        "at Acme or Globex?\n"
        "… Anyone else who might be helpful for me to get in touch with?\n"
        "May I use your name when I reach out to them?"
    )
    question = "Who else do you know at Initech — and at Acme or Globex? Any name is welcome."
    assert f"\n\n{question}\n\n" in follow.body
    sam = Reached(7, "Sam Ortiz", date(2026, 11, 24))
    update = update_message("Ben Okafor", [sam], "follow_up", aim=Aim(None, ("Acme",)))
    assert "\n\nWho else do you know at Acme? Any name is welcome.\n\n" in update.body
