"""The Companies page: adding, pasting and importing targets, duplicates, bad fields, edits,
archive, delete (people kept), merge and Undo; the scenario's numbers as the page shows them."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from lib.cli import main
from lib.records.companies import add_company, decode_names
from lib.records.contacts import add_contact
from lib.store.db import open_database
from tests.engine.test_target_companies import build
from tests.pagekit import by_label, click, open_page, read_db, shown

PAGE = "pages/work/companies.py"
NAMES = "Company names, one per line"


def companies(path: Path) -> list[tuple]:
    with read_db(path) as db:
        return db.execute(
            "SELECT id, name, key, website, motivation, posting, notes, archived "
            "FROM companies ORDER BY id"
        ).fetchall()


def people(path: Path) -> list[tuple]:
    with read_db(path) as db:
        return db.execute(
            "SELECT full_name, company, company_id FROM contacts ORDER BY id"
        ).fetchall()


def add(at, text: str):
    by_label(at.text_area, NAMES).input(text)
    return click(at, "Add companies")


def opened(at, company_id: int):
    """The page with one company's "People, ways in and changes" open."""
    at.session_state[f"company_{company_id}"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def cards(at) -> list[str]:
    """Each company's first line as the reader sees it."""
    return [text for text in shown(at.markdown) if "· Motivation" in text]


@pytest.fixture
def seeded(app_env: Path) -> Path:
    db = open_database(app_env)
    add_company(db, {"name": "Acme", "motivation": 5, "posting": 3})
    add_company(db, {"name": "Globex", "motivation": 4, "website": "https://globex.example"})
    add_company(db, {"name": "Globex Holdings"})
    add_contact(db, {"full_name": "Ana Ruiz", "company": "Acme Inc."})
    add_contact(db, {"full_name": "Ben Okafor", "company": "Globex Holdings"})
    db.close()
    return app_env


def test_an_empty_page_says_how_to_start(app_env: Path) -> None:
    at = open_page(PAGE)
    assert at.title[0].value == "Companies"
    assert shown(at.info)[0].startswith("**No target companies yet.** Add the employers")
    assert by_label(at.toggle, "Show company names in the shared view").value is False


def test_adding_one_company_writes_it_and_empties_the_form(app_env: Path) -> None:
    at = add(open_page(PAGE), "  Acme, Inc. ")
    assert companies(app_env) == [(1, "Acme, Inc.", "acme", None, None, None, None, False)]
    assert shown(at.success) == ["Added Acme, Inc. to your target companies."]
    assert by_label(at.text_area, NAMES).value == ""
    assert cards(at) == ["**Acme, Inc.** · Motivation – · Posting –"]
    assert "**No way in yet.** Ask each person you talk to: *Who do you know at Acme, Inc.?*" in (
        shown(at.markdown)
    )


def test_a_pasted_list_adds_each_name_and_merges_duplicates_with_a_message(seeded: Path) -> None:
    at = add(open_page(PAGE), "Initech\nACME inc\n\nHooli\nhooli")
    assert [row[1] for row in companies(seeded)] == [
        "Acme",
        "Globex",
        "Globex Holdings",
        "Initech",
        "Hooli",
    ]
    assert shown(at.success) == [
        "2 companies added, 2 merged as the same company (hooli into Hooli; ACME inc into Acme), "
        "0 skipped."
    ]


def test_one_duplicate_name_is_merged_into_the_company_it_matches(seeded: Path) -> None:
    at = add(open_page(PAGE), "ACME, Inc")
    assert len(companies(seeded)) == 3
    assert shown(at.info) == [
        "ACME, Inc is already a target company, as Acme (same name once case, punctuation and "
        "Inc./Ltd. go): merged into it."
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Company: is required: type a company's name, one per line"),
        ("   \n  ", "Company: is required: type a company's name, one per line"),
        ("-- !", "Company: '-- !' has no letter or digit"),
    ],
)
def test_an_empty_name_is_refused_and_nothing_written(
    app_env: Path, text: str, message: str
) -> None:
    at = add(open_page(PAGE), text)
    assert shown(at.error) == [message]
    assert companies(app_env) == []


def test_bad_fields_are_refused_with_the_field_named_and_nothing_written(seeded: Path) -> None:
    at = opened(open_page(PAGE), 1)
    by_label(at.text_input, "Motivation (1–5)").input("7")
    by_label(at.text_input, "Posting (1–3)").input("yes")
    by_label(at.text_input, "Website or LinkedIn page").input("javascript:alert(1)")
    at = click(at, "Save changes")
    assert shown(at.error) == [
        "Website: 'javascript:alert(1)' is not a web address (http:// or https://)",
        "Motivation: '7' is not a whole number from 1 to 5",
        "Posting: 'yes' is not a whole number from 1 to 3",
    ]
    assert companies(seeded)[0] == (1, "Acme", "acme", None, 5, 3, None, False)


def test_an_edit_saves_exactly_what_was_entered(seeded: Path) -> None:
    at = opened(open_page(PAGE), 2)
    by_label(at.text_input, "Motivation (1–5)").input("5")
    by_label(at.text_input, "Posting (1–3)").input("2")
    by_label(at.text_area, "Notes").input("Met their CTO at a meetup")
    at = click(at, "Save changes")
    assert shown(at.success) == ["Saved Globex."]
    assert companies(seeded)[1] == (
        2,
        "Globex",
        "globex",
        "https://globex.example",
        5,
        2,
        "Met their CTO at a meetup",
        False,
    )
    # Acme and Globex now tie on Motivation 5; Acme's Posting 3 comes first. Globex's website
    # links its name.
    assert cards(at) == [
        "**Acme** · Motivation 5 · Posting 3 (a posting for your role)",
        "**[Globex](https://globex.example)** · Motivation 5 · Posting 2 (a posting)",
        "**Globex Holdings** · Motivation – · Posting –",
    ]


def test_a_website_that_is_not_http_is_never_a_link(seeded: Path) -> None:
    with read_db(seeded) as db:  # written around the validation, as another tool might
        db.execute("UPDATE companies SET website = 'javascript:alert(1)' WHERE id = 1")
    at = open_page(PAGE)
    assert cards(at)[0] == "**Acme** · Motivation 5 · Posting 3 (a posting for your role)"


def test_archiving_takes_a_company_off_the_list_and_brings_it_back(seeded: Path) -> None:
    at = click(opened(open_page(PAGE), 1), "Archive")
    assert shown(at.success) == [
        "Archived Acme: off the target list; the people there stay linked to it."
    ]
    assert companies(seeded)[0][-1] is True
    assert [c.split(" · ")[0] for c in cards(at)] == [
        "**[Globex](https://globex.example)**",
        "**Globex Holdings**",
    ]
    by_label(at.toggle, "Show archived companies").set_value(True)
    at.run()
    assert (
        cards(at)[0] == "**Acme** · Motivation 5 · Posting 3 (a posting for your role) · *archived*"
    )
    at = click(opened(at, 1), "Bring back to the list")
    assert shown(at.success) == ["Acme is back on your target list."]
    assert companies(seeded)[0][-1] is False


def test_deleting_says_the_people_stay_and_keeps_them_with_their_text(seeded: Path) -> None:
    at = opened(open_page(PAGE), 1)
    assert (
        "Deleting Acme takes it off your target companies and keeps the people you know there "
        "(1), with their company as you wrote it: only their link to this target goes."
    ) in shown(at.caption)
    at = click(at, "Delete company")
    assert shown(at.success) == [
        "Deleted Acme; the people you knew there (1) are kept, with their company."
    ]
    assert [row[1] for row in companies(seeded)] == ["Globex", "Globex Holdings"]
    assert people(seeded) == [("Ana Ruiz", "Acme Inc.", None), ("Ben Okafor", "Globex Holdings", 3)]


def test_a_merge_moves_the_people_and_undo_brings_the_company_back(seeded: Path) -> None:
    at = opened(open_page(PAGE), 2)
    by_label(at.selectbox, "Merge another company into Globex").set_value(3)
    at = click(at.run(), "Merge")
    assert shown(at.success) == ["Merged Globex Holdings into Globex: 1 person moved."]
    assert [row[1] for row in companies(seeded)] == ["Acme", "Globex"]
    assert people(seeded)[1] == ("Ben Okafor", "Globex Holdings", 2)
    at = click(at, "Undo")
    assert shown(at.success) == ["Merge undone: Globex Holdings is back, with its people."]
    assert [row[1] for row in companies(seeded)] == ["Acme", "Globex", "Globex Holdings"]
    assert people(seeded)[1] == ("Ben Okafor", "Globex Holdings", 3)


def test_the_shared_view_setting_is_stored(seeded: Path) -> None:
    at = open_page(PAGE)
    by_label(at.toggle, "Show company names in the shared view").set_value(True)
    at.run()
    assert shown(at.success) == ["The shared view now names your target companies."]
    with read_db(seeded) as db:
        assert db.scalar("SELECT value FROM settings WHERE key = 'companies_in_shared_view'") == (
            "true"
        )


def test_a_long_list_draws_fifty_and_shows_more_on_request(app_env: Path) -> None:
    with open_database(app_env) as db:
        from lib.records.companies import import_companies

        import_companies(db, "\n".join(f"Firm {n:03}" for n in range(120)))
    at = open_page(PAGE)
    assert len(cards(at)) == 50
    assert "Showing the first 50 of 120 companies." in shown(at.caption)
    at = click(at, "Show more")
    assert len(cards(at)) == 100


def test_a_list_file_is_read_as_utf8_or_windows_1252() -> None:
    assert decode_names("\ufeffName\nNestlé\n".encode()) == "Name\nNestlé\n"
    assert decode_names("Nestlé\n".encode("cp1252")) == "Nestlé\n"


# ---------------------------------------------------------------- the hand-computed scenario

# Per company as the page shows it (docs/METHOD.md "Target companies"; the counts worked out
# in tests/engine/test_target_companies.py), in LAMP order.
SCENARIO = [
    (
        "**Globex** · Motivation 5 · Posting 3 (a posting for your role)",
        "4 people known (3 Asked for referrals, 1 Followed up) · 3 advocates · 2 ways in · "
        "last touch Sun 15 Nov 2026",
    ),
    (
        "**Acme** · Motivation 5 · Posting 3 (a posting for your role)",
        "4 people known (2 Targeted, 2 Asked for referrals) · 2 advocates · 2 ways in · "
        "last touch Sun 25 Oct 2026",
    ),
    (
        "**Umbrella** · Motivation 4 · Posting 1 (no posting)",
        "2 people known (1 Targeted, 1 Asked for referrals) · 1 advocate · 1 way in · "
        "last touch Thu 15 Oct 2026",
    ),
    (
        "**Initech** · Motivation 3 · Posting 3 (a posting for your role)",
        "2 people known (1 Targeted, 1 Asked for referrals) · 0 advocates · 1 way in · "
        "last touch —",
    ),
    (
        "**Hooli** · Motivation 2 · Posting 2 (a posting)",
        "2 people known (1 Targeted, 1 Asked for referrals) · 0 advocates · 1 way in · "
        "last touch Thu 5 Nov 2026",
    ),
]


@pytest.fixture
def scenario(app_env: Path) -> Path:
    with open_database(app_env) as db:
        build(db)
    return app_env


def test_the_scenario_per_company_as_the_page_shows_it(scenario: Path) -> None:
    at = open_page(PAGE)
    texts = shown(at.markdown)
    assert texts[0] == (
        "Target companies: 5 · with an advocate 3 · with a way in 5 · no way in yet 0"
    )
    assert cards(at) == [card for card, _ in SCENARIO]
    assert [texts[texts.index(card) + 1] for card, _ in SCENARIO] == [n for _, n in SCENARIO]
    assert [t for t in texts if t.startswith("**Next:**")] == [
        "**Next:** follow up with Kim and ask who else they know there",
        "**Next:** call Ben (not reached yet)",
        "**Next:** call Pia (not reached yet)",
        "**Next:** call Gus (not reached yet)",
        "**Next:** call Jon (not reached yet)",
    ]


def test_the_scenario_numbers_equal_stats_json(scenario: Path) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["stats", "--json", "--db", str(scenario)]) == 0
    expected = {c["id"]: c for c in json.loads(out.getvalue())["companies"]}
    at = open_page(PAGE)
    texts = shown(at.markdown)
    for company_id, (card, _) in zip((2, 1, 4, 3, 5), SCENARIO, strict=True):
        numbers = texts[texts.index(card) + 1]
        counts = expected[company_id]
        assert numbers.startswith(f"{counts['people']} people known")
        assert f" · {counts['advocates']} advocate" in numbers
        assert f" · {counts['ways_in']} way" in numbers


def test_one_company_opened_names_its_people_and_its_ways_in(scenario: Path) -> None:
    at = opened(open_page(PAGE), 1)
    texts = shown(at.markdown)
    start = texts.index("**People you know there**")
    assert texts[start : start + 8] == [
        "**People you know there**",
        "- **Cai** · Asked for referrals · advocate · last touch Sun 25 Oct 2026",
        "- **Ana** · Asked for referrals · advocate · last touch Mon 5 Oct 2026",
        "- **Ben** · Targeted · last touch —",
        "- **Ola** · Targeted · last touch —",
        "**Ways in**",
        "- **Eli** (Globex): referred by Cai",
        "- **Kim** (Globex): referred Cai",
    ]
