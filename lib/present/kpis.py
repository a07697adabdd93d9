"""The dashboard's KPI cards in words: the engine counts (`scorecard.kpis`), this words them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from lib.core.vocab import FOLLOW_UP_MAX_DAYS, FOLLOW_UP_MIN_DAYS, WEEKLY
from lib.core.words import percent, short_date
from lib.engine.scorecard import THANK_YOU_DAYS


@dataclass(frozen=True)
class Card:
    """One KPI card, ready for `st.metric`."""

    label: str
    value: str
    delta: str | None
    help: str
    delta_color: str = "normal"  # "off": a note rather than a change


def _referrals_note(now: dict[str, int], filtered: bool) -> str:
    """The warm share; with none, the method's nudge only for someone who never got a name."""
    if now["referrals"]:
        return f"{percent(now['warm'], now['referrals'])} warm"
    if not now.get("referrals_by_t"):
        return "none yet: ask in every conversation"
    return "none given by these people" if filtered else "none in this period"


def kpi_cards(
    now: dict[str, int],
    other: dict[str, int] | None,
    against: str,
    *,
    cumulative: bool = False,
    as_of: date | None = None,
    filtered: bool = False,
) -> list[Card]:
    """The six KPI cards. Counts carry a delta against `other` (named by `against`): the
    change from the previous period, or with `cumulative` the part of `now` that `other` is
    (e.g. "+3 this week" on all time). `as_of` (the period's last day) dates open thank-yous;
    `filtered` says the counts keep only some sources or channels."""

    def change(key: str) -> str | None:
        if other is None:
            return None
        amount = other[key] if cumulative else now[key] - other[key]
        if amount == 0:
            return f"none {against}" if cumulative else f"same as {against.removeprefix('vs ')}"
        return f"{amount:+,} {against}"

    def note_color(text: str | None) -> str:
        return "off" if text is None or text.startswith(("none ", "same ")) else "normal"

    thanks_note = (
        f"{now['thanks_on_time']:,} of {now['thanks_judged']:,} within {THANK_YOU_DAYS} days"
        if now["thanks_judged"]
        else "no conversation to judge yet"
    )
    if now.get("thanks_open"):
        due_by = (as_of or date.today()) + timedelta(days=now.get("thanks_open_due_in", 0))
        if now["thanks_judged"]:  # short enough for the card's note on a laptop
            thanks_note = (
                f"{now['thanks_on_time']:,} of {now['thanks_judged']:,} on time · "
                f"{now['thanks_open']:,} open, due {short_date(due_by)}"
            )
        else:
            thanks_note = f"{now['thanks_open']:,} open, due by {short_date(due_by)}"
    follow_note = (
        f"{now['follow_ups_on_schedule']:,} of {now['follow_ups']:,}"
        + (f", {now['follow_ups_too_soon']:,} too soon" if now["follow_ups_too_soon"] else "")
        if now["follow_ups"]
        else "no follow-up sent"
    )
    cards = [
        Card(
            WEEKLY.label("targets"),
            f"{now['targets']:,}",
            change("targets"),
            "People you identified as targets in this period (the funnel's first bar).",
        ),
        Card(
            WEEKLY.label("contacted"),
            f"{now['conversations']:,}",
            change("conversations"),
            "Pitches delivered: 'contacted' steps logged in this period.",
        ),
        Card(
            WEEKLY.label("referrals"),
            f"{now['referrals']:,}",
            _referrals_note(now, filtered),
            "Names people gave you in this period (filtered: names given by the people the "
            "filters keep); warm ones may use the referrer's name.",
            "off",
        ),
        Card(
            "Thank-you on time",
            percent(now["thanks_on_time"], now["thanks_judged"]),
            thanks_note,
            f"Conversations thanked within {THANK_YOU_DAYS} days. Conversations from the "
            f"last {THANK_YOU_DAYS} days count once thanked or once the window closes.",
            "off",
        ),
        Card(
            "Follow-ups on schedule",
            percent(now["follow_ups_on_schedule"], now["follow_ups"]),
            follow_note,
            f"Follow-ups sent {FOLLOW_UP_MIN_DAYS}–{FOLLOW_UP_MAX_DAYS} days after the last "
            "touch. Sooner can become a nuisance; later lets the contact go cold.",
            "off",
        ),
        Card(
            WEEKLY.label("opportunity"),
            f"{now['opportunities']:,}",
            change("opportunities"),
            "Opportunities logged in this period (roles heard about, introductions to teams).",
        ),
    ]
    return [
        replace(card, delta_color=note_color(card.delta)) if card.delta_color == "normal" else card
        for card in cards
    ]
