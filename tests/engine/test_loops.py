"""Closing the loop: the referrers to tell how it went, the update written for them, the
Dashboard's "Loops closed", and the report's figures (named, or numbered when redacted)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lib.engine import loops, stats
from lib.engine.loops import LoopsClosed, Reached
from lib.engine.stats import Scope
from lib.present import pitch, report
from lib.records.contacts import add_contact
from lib.records.events import log_event, log_step
from lib.store.db import Database
from tests.conftest import TODAY


@pytest.fixture
def ana(db: Database) -> dict[str, int]:
    """Ana referred Sam, Lee and Kit on 11-02 and was thanked on 11-03. Sam was reached on
    11-05, Lee on 11-20 (an informational interview, then an opportunity), Kit never. Ben
    referred Cy, reached on 11-10; Ben was followed up on 11-12, so he has been told."""

    def person(name: str, **more: object) -> int:
        return add_contact(db, {"full_name": name, "identified_on": "2026-11-02", **more})

    def step(who: int, kind: str, day: str) -> None:
        log_event(db, {"contact_id": who, "kind": kind, "occurred_on": day}, today=TODAY)

    ids = {"ana": person("Ana Ruiz", company="Atlas", email="ana@example.com")}
    ids["sam"] = person("Sam Ortiz", referred_by=ids["ana"], may_use_name=True)
    ids["lee"] = person("Lee Park", referred_by=ids["ana"], may_use_name=True)
    ids["kit"] = person("Kit Moss", referred_by=ids["ana"])
    ids["ben"] = person("Ben Okafor")
    ids["cy"] = person("Cy Dunn", referred_by=ids["ben"])
    step(ids["ana"], "contacted", "2026-11-02")
    step(ids["ana"], "thank_you", "2026-11-03")
    step(ids["sam"], "contacted", "2026-11-05")
    step(ids["lee"], "contacted", "2026-11-20")
    step(ids["lee"], "info_interview", "2026-11-20")
    step(ids["lee"], "opportunity", "2026-11-24")
    step(ids["kit"], "referral_asked", "2026-11-21")  # asking is not reaching
    step(ids["cy"], "contacted", "2026-11-10")
    step(ids["ben"], "follow_up", "2026-11-12")
    return ids


def test_open_loops_name_the_referrals_reached_since_the_last_update(
    db: Database, ana: dict[str, int]
) -> None:
    found, total = loops.open_loops(db, TODAY)
    assert total == 1 and [loop.id for loop in found] == [ana["ana"]]
    (loop,) = found
    assert (loop.full_name, loop.company, loop.email) == ("Ana Ruiz", "Atlas", "ana@example.com")
    assert loop.last_update == date(2026, 11, 3)
    assert loop.referrals == (
        Reached(ana["sam"], "Sam Ortiz", date(2026, 11, 5)),
        Reached(ana["lee"], "Lee Park", date(2026, 11, 20), True, True),
    )
    assert loop.since == date(2026, 11, 5)
    assert loops.spoke_with(loop.referrals) == (
        "you spoke with Sam Ortiz on Thu 5 Nov and Lee Park on Fri 20 Nov"
    )
    assert stats.due_lists(db, TODAY)["close_loop"] == [ana["ana"]]


def test_an_update_after_some_referrals_leaves_only_the_later_ones(
    db: Database, ana: dict[str, int]
) -> None:
    log_step(db, "follow_up", ana["ana"], occurred_on="2026-11-10", today=TODAY)
    (loop,), _ = loops.open_loops(db, TODAY)
    assert [r.full_name for r in loop.referrals] == ["Lee Park"]
    log_step(db, "thank_you", ana["ana"], occurred_on="2026-11-20", today=TODAY)
    assert loops.open_loops(db, TODAY) == ([], 0)  # on the day Lee was reached counts


def test_open_loops_page_longest_waiting_first(db: Database, ana: dict[str, int]) -> None:
    # Dee's referral Eli was reached on 11-01, before Ana's Sam (11-05): Dee comes first.
    dee = add_contact(db, {"full_name": "Dee Fox", "identified_on": "2026-11-01"})
    eli = add_contact(
        db, {"full_name": "Eli Hart", "referred_by": dee, "identified_on": "2026-11-01"}
    )
    log_event(db, {"contact_id": eli, "kind": "contacted", "occurred_on": "2026-11-01"})
    first, total = loops.open_loops(db, TODAY, page=1, page_size=1)
    assert total == 2 and [loop.full_name for loop in first] == ["Dee Fox"]
    second, _ = loops.open_loops(db, TODAY, page=2, page_size=1)
    assert [loop.full_name for loop in second] == ["Ana Ruiz"]
    past_the_end, _ = loops.open_loops(db, TODAY, page=9, page_size=1)
    assert past_the_end == second


def test_loops_closed_counts_referrals_reached_in_the_period(
    db: Database, ana: dict[str, int]
) -> None:
    # Reached: Sam 11-05 (Ana not told since), Lee 11-20 (not told), Cy 11-10 (Ben told 11-12).
    assert loops.loops_closed(db, Scope(stats.make_period(as_of=TODAY))) == LoopsClosed(3, 1, 2.0)
    # A period from 11-15 sees only Lee.
    since_15th = stats.make_period(as_of=TODAY, start="2026-11-15")
    assert loops.loops_closed(db, Scope(since_15th)) == LoopsClosed(1, 0, None)
    log_step(db, "thank_you", ana["ana"], occurred_on=TODAY, today=TODAY)
    # Sam told after 20 days, Lee after 5, Cy after 2: the median is 5.
    assert loops.loops_closed(db, Scope(stats.make_period(as_of=TODAY))) == LoopsClosed(3, 3, 5.0)
    # As of 11-11 Cy was reached but Ben not yet told; Lee not reached yet.
    assert loops.loops_closed(db, Scope(stats.make_period(as_of="2026-11-11"))) == LoopsClosed(
        2, 0, None
    )
    # The source filter applies to the referral.
    referral_only = loops.loops_closed(
        db, Scope(stats.make_period(as_of=TODAY), sources=["chamber"])
    )
    assert referral_only == LoopsClosed(0, 0, None)


@pytest.mark.parametrize(
    ("figure", "value", "note"),
    [
        (LoopsClosed(0, 0, None), "—", "no referral reached in this period"),
        (LoopsClosed(1, 0, None), "0 of 1", "no referrer told yet"),
        (LoopsClosed(1, 1, 1.0), "1 of 1", "told in 1 day (median)"),
        (LoopsClosed(4, 3, 2.5), "3 of 4", "told in 2.5 days (median)"),
    ],
)
def test_the_loops_card_words(figure: LoopsClosed, value: str, note: str) -> None:
    assert (loops.loops_value(figure), loops.loops_note(figure)) == (value, note)


def test_the_update_is_written_with_the_names_days_and_what_happened(
    db: Database, ana: dict[str, int]
) -> None:
    (loop,), _ = loops.open_loops(db, TODAY)
    thanks = pitch.update_message(loop.full_name, loop.referrals, "thank_you", "Jo Lane")
    assert thanks.subject == "Thank you, Ana — an update"
    assert thanks.body == (
        "Hi Ana,\n\n"
        "Thank you again for putting me in touch with Sam Ortiz and Lee Park. "
        "I spoke with Sam on Thu 5 Nov. I spoke with Lee on Fri 20 Nov, which led to "
        "an informational interview and an opportunity.\n\n"
        "Your introduction made all the difference, and I'll keep you posted on how things go."
        "\n\nWith thanks,\nJo Lane"
    )
    follow = pitch.update_message(loop.full_name, loop.referrals, "follow_up")
    assert follow.subject == "A quick update — and thank you"
    assert follow.body.startswith(
        "Hi Ana,\n\nA quick update on my search, and on the people you suggested. "
        "I spoke with Sam Ortiz on Thu 5 Nov."
    )
    assert "Who else do you know" in follow.body and follow.body.endswith("[your name]")


def test_pitch_coach_templates_carry_the_updates(db: Database, ana: dict[str, int]) -> None:
    reached = loops.referral_updates(db, ana["ana"], TODAY)
    assert [r.full_name for r in reached] == ["Sam Ortiz", "Lee Park"]
    given = ["Sam Ortiz", "Lee Park", "Kit Moss"]
    found = {t.key: t for t in pitch.templates("Ana Ruiz", referred=given, reached=reached)}
    thanks, follow = found["thank_you"].body, found["follow_up"].body
    assert "for suggesting I get in touch with Sam Ortiz, Lee Park and Kit Moss" in thanks
    assert "I spoke with Lee on Fri 20 Nov, which led to an informational" in thanks
    assert "[one or two lines of news" not in follow
    assert "on the people you suggested. I spoke with Sam Ortiz on Thu 5 Nov." in follow
    # Nobody reached yet: the follow-up keeps its blanks to fill in.
    plain = {t.key: t for t in pitch.templates("Ana Ruiz", referred=given)}
    assert "[How it went with Sam Ortiz, Lee Park and Kit Moss.]" in plain["follow_up"].body


def test_the_report_shows_loops_closed_named_or_numbered(db: Database, ana: dict[str, int]) -> None:
    period = stats.make_period(today=TODAY)
    when = datetime(2026, 11, 25, 9, 30).astimezone()
    named = report.build_report(db, period, generated_at=when)
    assert "<h2>Loops closed</h2>" in named
    assert (
        "<p>1 of 3 referrals reached in this period had their referrer told how it went "
        "(told in 2 days (median)).</p>"
    ) in named
    assert (
        '<th scope="row">Ana Ruiz</th><td class="num">3</td><td class="num">2</td>'
        "<td>2 reached · 2 not told yet</td>"
    ) in named
    redacted = report.build_report(db, period, redact=True, generated_at=when)
    assert "1 of 3 referrals reached" in redacted
    assert '<th scope="row">Referrer 1</th><td class="num">3</td>' in redacted
    for secret in ("Ana Ruiz", "Sam Ortiz", "Lee Park", "Ben Okafor", "ana@"):
        assert secret not in redacted


def test_the_contacts_page_filters_and_marks_referrers_to_update(
    db: Database, ana: dict[str, int]
) -> None:
    from lib.engine.directory import Filters, directory_table, search_contacts

    found, total = search_contacts(db, Filters(due="close_loop"), TODAY)
    assert total == 1 and found["full_name"].tolist() == ["Ana Ruiz"]
    # Her last touch (the thank-you on 11-03) was 22 days ago: a follow-up is due too.
    assert directory_table(found)["Due"].tolist() == ["Follow-up due · To update"]
    quiet, _ = search_contacts(db, Filters(due="nothing_due"), TODAY)
    assert "Ana Ruiz" not in quiet["full_name"].tolist()


def test_open_loops_are_the_close_loop_list_on_the_demo(demo_db: Database) -> None:
    found, total = loops.open_loops(demo_db, TODAY)
    listed = stats.due_lists(demo_db, TODAY)["close_loop"]
    assert sorted(loop.id for loop in found) == listed and total == len(listed) > 0
    for loop in found:  # each names only referrals reached after the last update
        assert all(
            loop.last_update is None or r.reached_on > loop.last_update for r in loop.referrals
        )


def test_an_update_names_a_referral_by_first_name_after_the_first_mention(
    db: Database, ana: dict[str, int]
) -> None:
    reached = loops.referral_updates(db, ana["ana"], TODAY)
    assert pitch.update_sentences(reached, mentioned=["Sam Ortiz"]).startswith(
        "I spoke with Sam on Thu 5 Nov. I spoke with Lee Park on Fri 20 Nov"
    )
    # Two people called Sam in one message keep their full names.
    assert pitch.update_sentences(reached, mentioned=["Sam Ortiz", "Sam Lee"]).startswith(
        "I spoke with Sam Ortiz on Thu 5 Nov."
    )
