"""Finding people: search words, filters, pages, a contact's card, timeline and referral chain."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from lib.core.errors import NotFoundError, ValidationError
from lib.core.words import human_date
from lib.engine.directory import (
    Filters,
    contact_card,
    directory_table,
    find_contacts,
    picker_labels,
    referral_chain_up,
    referral_tree_down,
    search_contacts,
    search_words,
    step_choices,
    timeline,
    timeline_table,
    usually_pitched,
)
from lib.records.contacts import add_contact, set_archived
from lib.records.events import log_attempt, log_event
from lib.store.db import Database
from tests.conftest import TODAY


def person(db: Database, name: str, **fields) -> int:
    return add_contact(db, {"full_name": name, **fields}, today=TODAY)


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    ids = {
        "ana": person(db, "Ana Ruiz", company="Kestrel Software", title="Head of Operations"),
        "chloe": person(db, "Chloé Martin", company="Atlas Freight", notes="Met at the mixer"),
        "anand": person(db, "Anand Rao", company="Fjord Data", source="linkedin"),
        "manager": person(db, "Ben Okafor", title="Plant Manager", source="association"),
    }
    ids["old"] = person(db, "Olga Ivanova", company="Kestrel Software")
    set_archived(db, ids["old"], True)
    return ids


def names(db: Database, filters: Filters, **kwargs) -> list[str]:
    frame, _ = search_contacts(db, filters, TODAY, **kwargs)
    return list(frame["full_name"])


def test_search_words_are_lower_cased_and_split() -> None:
    assert search_words("  Ana   RUIZ ") == ["ana", "ruiz"]
    assert search_words("") == []
    assert search_words(None) == []


def test_a_search_longer_than_200_characters_is_refused() -> None:
    with pytest.raises(ValidationError, match="search: is too long"):
        search_words("x" * 201)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ana", ["Ana Ruiz", "Anand Rao"]),  # word starts: not "Manager"
        ("ana ruiz", ["Ana Ruiz"]),
        ("chloe", ["Chloé Martin"]),  # accents forgiven
        ("KESTREL", ["Ana Ruiz"]),  # archived Olga is hidden by default
        ("operations", ["Ana Ruiz"]),  # title
        ("mixer", ["Chloé Martin"]),  # notes
        ("nobody", []),
    ],
)
def test_search_matches_name_company_title_and_notes_at_word_starts(
    db: Database, people: dict[str, int], text: str, expected: list[str]
) -> None:
    assert names(db, Filters(text=text)) == expected


def test_search_by_id(db: Database, people: dict[str, int]) -> None:
    assert names(db, Filters(text=f"#{people['anand']}")) == ["Anand Rao"]
    assert names(db, Filters(text=str(people["anand"]))) == []  # a bare number is text


def test_archived_filter_shows_active_archived_or_all(db: Database, people: dict[str, int]) -> None:
    assert names(db, Filters(text="kestrel", archived="archived")) == ["Olga Ivanova"]
    assert names(db, Filters(text="kestrel", archived="all")) == ["Ana Ruiz", "Olga Ivanova"]


def test_source_and_stage_filters(db: Database, people: dict[str, int]) -> None:
    log_event(db, {"contact_id": people["ana"], "kind": "contacted"}, today=TODAY)
    assert names(db, Filters(sources=("linkedin", "association"))) == ["Anand Rao", "Ben Okafor"]
    assert names(db, Filters(stages=("contacted",))) == ["Ana Ruiz"]
    assert names(db, Filters(stages=("targeted",))) == ["Anand Rao", "Ben Okafor", "Chloé Martin"]


def test_due_filter_uses_the_spec_lists(db: Database, people: dict[str, int]) -> None:
    log_event(
        db,
        {"contact_id": people["ana"], "kind": "contacted", "occurred_on": TODAY - timedelta(30)},
        today=TODAY,
    )
    assert names(db, Filters(due="follow_up_overdue")) == ["Ana Ruiz"]
    assert names(db, Filters(due="thank_you_pending")) == ["Ana Ruiz"]
    assert names(db, Filters(due="to_contact")) == ["Anand Rao", "Ben Okafor", "Chloé Martin"]
    assert names(db, Filters(due="nothing_due", archived="all")) == ["Olga Ivanova"]


def test_pages_and_total(db: Database) -> None:
    for number in range(7):
        person(db, f"Person {number}")
    frame, total = search_contacts(db, Filters(), TODAY, page=2, page_size=3)
    assert total == 7
    assert list(frame["full_name"]) == ["Person 3", "Person 4", "Person 5"]
    frame, total = search_contacts(db, Filters(text="nobody"), TODAY)
    assert (len(frame), total) == (0, 0)


def test_sort_newest_first(db: Database) -> None:
    person(db, "Early", identified_on=TODAY - timedelta(5))
    person(db, "Late", identified_on=TODAY)
    assert names(db, Filters(sort="newest")) == ["Late", "Early"]


def test_directory_table_speaks_the_methods_words(db: Database, people: dict[str, int]) -> None:
    frame, _ = search_contacts(db, Filters(text="anand"), TODAY)
    table = directory_table(frame)
    assert list(table.index) == [people["anand"]]
    row = table.iloc[0]
    assert (row["Stage"], row["Due"]) == ("Targeted", "To contact")
    assert pd.isna(row["Last touch"])  # a date column, shown empty (the page's placeholder)
    assert row["Referred by"] == ""  # empty, never a grey "None"


def test_find_contacts_puts_name_matches_first_and_caps_the_list(db: Database) -> None:
    person(db, "Zed Zulu", title="Analyst")
    person(db, "Ana Zulu")
    assert list(find_contacts(db, "ana")["full_name"]) == ["Ana Zulu", "Zed Zulu"]
    for number in range(60):
        person(db, f"Many {number}")
    assert len(find_contacts(db, "many")) == 50
    assert list(find_contacts(db, "", limit=2)["full_name"]) == ["Many 59", "Many 58"]


def test_picker_labels_always_include_the_selected_contact(
    db: Database, people: dict[str, int]
) -> None:
    labels = picker_labels(db, "chloe", people["old"])
    assert labels == {
        people["old"]: f"Olga Ivanova — Kestrel Software (#{people['old']}, archived)",
        people["chloe"]: f"Chloé Martin — Atlas Freight (#{people['chloe']})",
    }


def test_contact_card_has_stage_referrer_and_counts(db: Database) -> None:
    ana = person(db, "Ana Ruiz")
    ben = person(db, "Ben Okafor", referred_by=ana, may_use_name=True)
    log_event(db, {"contact_id": ana, "kind": "contacted"}, today=TODAY)
    card = contact_card(db, ana, TODAY)
    assert (card["stage"], card["referred_count"], card["event_count"]) == (3, 1, 1)
    assert card["identified_on"] == TODAY
    other = contact_card(db, ben, TODAY)
    assert (other["referrer_name"], other["may_use_name"], other["stage"]) == ("Ana Ruiz", True, 1)
    with pytest.raises(NotFoundError):
        contact_card(db, 999, TODAY)


def test_timeline_tells_the_story_newest_first(db: Database) -> None:
    ana = person(db, "Ana Ruiz", identified_on=TODAY - timedelta(10), source="chamber")
    log_event(
        db,
        {
            "contact_id": ana,
            "kind": "contacted",
            "occurred_on": TODAY - timedelta(3),
            "channel": "phone",
            "notes": "Coffee",
        },
        today=TODAY,
    )
    person(db, "Ben Okafor", company="Atlas", referred_by=ana, identified_on=TODAY - timedelta(3))
    table = timeline_table(timeline(db, ana))
    assert table.to_dict("records") == [
        {
            "Date": human_date(TODAY - timedelta(3)),
            "Step": "Conversation (pitch delivered)",
            "Channel": "Phone",
            "Details": "Coffee",
        },
        {
            "Date": human_date(TODAY - timedelta(3)),
            "Step": "Gave a referral",
            "Channel": "",
            "Details": "Ben Okafor (Atlas)",
        },
        {
            "Date": human_date(TODAY - timedelta(10)),
            "Step": "Identified",
            "Channel": "",
            "Details": "Chamber of Commerce / Board of Trade",
        },
    ]


def test_referral_chain_up_and_down(db: Database) -> None:
    root = person(db, "Root")
    child = person(db, "Child", referred_by=root)
    grandchild = person(db, "Grandchild", referred_by=child, may_use_name=True)
    person(db, "Sibling", referred_by=root)
    up = referral_chain_up(db, grandchild)
    assert list(up["full_name"]) == ["Root", "Child"]
    down, total = referral_tree_down(db, root)
    assert total == 3
    assert list(zip(down["generation"], down["full_name"], strict=True)) == [
        (1, "Child"),
        (1, "Sibling"),
        (2, "Grandchild"),
    ]
    assert list(down["referred_by_name"]) == ["Root", "Root", "Child"]
    down, total = referral_tree_down(db, root, limit=1)
    assert (len(down), total) == (1, 3)
    assert referral_chain_up(db, root).empty


def test_a_page_past_the_end_gives_the_last_page(db: Database) -> None:
    for number in range(7):
        person(db, f"Person {number}")
    frame, total = search_contacts(db, Filters(), TODAY, page=9, page_size=3)
    assert total == 7
    assert list(frame["full_name"]) == ["Person 6"]
    assert list(frame["position"]) == [7]


def test_the_pitch_box_starts_as_most_conversations_were(db: Database) -> None:
    from lib.records.events import Conversation, log_conversation

    def log_talk(db: Database, contact: int, **details: object) -> None:
        talk = Conversation(contact, occurred_on=TODAY, channel="phone", **details)
        log_conversation(db, talk, today=TODAY)

    ana = person(db, "Ana Ruiz")
    assert usually_pitched(db) is True  # nothing logged: the method's first conversation
    for _ in range(2):
        log_talk(db, ana, pitch_delivered=False)
    assert usually_pitched(db) is True  # fewer than 3 logged
    log_talk(db, ana, pitch_delivered=True)
    assert usually_pitched(db) is False  # 2 of 3 without the pitch


def test_call_attempts_show_their_outcome_and_read_apart_in_the_picker(db: Database) -> None:
    ana = person(db, "Ana Ruiz", identified_on=TODAY - timedelta(10))
    first = log_attempt(db, ana, "no_answer", today=TODAY).event_ids[0]
    db.execute(
        "UPDATE events SET created_at = TIMESTAMP '2026-11-25 09:05:00' WHERE id = ?", [first]
    )
    second = log_attempt(db, ana, "no_answer", notes="rang out", today=TODAY).event_ids[0]
    db.execute(
        "UPDATE events SET created_at = TIMESTAMP '2026-11-25 16:40:00' WHERE id = ?", [second]
    )
    friday = TODAY + timedelta(days=2)
    third = log_attempt(db, ana, "call_back", call_back_on=friday, today=TODAY).event_ids[0]
    frame = timeline(db, ana)
    assert timeline_table(frame)["Details"].tolist() == [
        "no answer",
        "no answer — rang out",
        f"call back {friday:%a} {friday.day} {friday:%b}",
        "Other",  # found: where from
    ]
    day = f"{TODAY:%a} {TODAY.day} {TODAY:%b %Y}"
    assert step_choices(frame) == {
        first: f"{day} · Call attempt · no answer",
        second: f"{day} · Call attempt · no answer — rang out",
        third: f"{day} · Call attempt · call back {friday:%a} {friday.day} {friday:%b}",
    }
    db.execute("UPDATE events SET notes = NULL WHERE id = ?", [second])
    assert step_choices(timeline(db, ana)) == {
        first: f"{day} · Call attempt · no answer · logged 09:05",
        second: f"{day} · Call attempt · no answer · logged 16:40",
        third: f"{day} · Call attempt · call back {friday:%a} {friday.day} {friday:%b}",
    }
