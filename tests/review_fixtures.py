"""A tiny network whose every review number is worked out by hand (as of TODAY, 2026-11-25).

    A  association, 2026-10-01: contacted by phone 10-05 and asked; thanked 10-07 (on time);
       followed up 10-30 (23 days: on schedule) and 11-10 (11 days: too soon).
    B  linkedin, 10-02: contacted by email 10-10; thanked 10-20 (late); followed up 11-20
       (31 days: late); opportunity 11-23.
    C  referred by A (warm), 10-05: contacted by video 11-24 (thank-you window still open).
    D  referred by A (name not shared), 10-05: nothing yet.
    E  referred by C (warm), 11-24: nothing yet.
    F  chamber, 11-23: nothing yet.

Stages as of TODAY: A followed up, B followed up, C asked (gave E), D, E, F targeted.
"""

from __future__ import annotations

from datetime import date

from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store.db import Database

TODAY = date(2026, 11, 25)


def build_tiny(db: Database) -> dict[str, int]:
    """Write the tiny network; return its ids by letter."""

    def person(name: str, identified: str, **more: object) -> int:
        return add_contact(
            db, {"full_name": name, "identified_on": identified, **more}, today=TODAY
        )

    def step(contact: int, kind: str, day: str, channel: str | None = None) -> None:
        log_event(
            db,
            {"contact_id": contact, "kind": kind, "occurred_on": day, "channel": channel},
            today=TODAY,
        )

    ids = {"A": person("Ana Ruiz", "2026-10-01", source="association", company="Atlas Freight")}
    ids["B"] = person("Ben Okafor", "2026-10-02", source="linkedin")
    ids["C"] = person("Chloé Martin", "2026-10-05", referred_by=ids["A"], may_use_name=True)
    ids["D"] = person("Dev Patel", "2026-10-05", referred_by=ids["A"], may_use_name=False)
    ids["E"] = person("Elif Yilmaz", "2026-11-24", referred_by=ids["C"], may_use_name=True)
    ids["F"] = person("Farah Haddad", "2026-11-23", source="chamber")
    step(ids["A"], "contacted", "2026-10-05", "phone")
    step(ids["A"], "referral_asked", "2026-10-05", "phone")
    step(ids["A"], "thank_you", "2026-10-07", "email")
    step(ids["A"], "follow_up", "2026-10-30", "email")
    step(ids["A"], "follow_up", "2026-11-10", "email")
    step(ids["B"], "contacted", "2026-10-10", "email")
    step(ids["B"], "thank_you", "2026-10-20", "email")
    step(ids["B"], "follow_up", "2026-11-20", "email")
    step(ids["B"], "opportunity", "2026-11-23", "email")
    step(ids["C"], "contacted", "2026-11-24", "video")
    return ids
