"""The realistic day of tests/fixtures/activity/: the network its files are matched against.

Tuesday 8 December 2026: 15 calls to people in the network (9 unanswered, 2 voicemails,
4 conversations) and 40 to numbers that are not; 3 thank-yous and a follow-up sent among
30 unrelated messages; a coffee meeting and a declined invitation.
"""

from __future__ import annotations

from datetime import UTC, date

from lib.records.contacts import add_contact
from lib.records.events import log_event
from lib.store.db import Database

FIXTURES = __import__("pathlib").Path(__file__).parents[1] / "fixtures" / "activity"
DAY = date(2026, 12, 8)
TODAY = date(2026, 12, 9)
TZ = UTC
ME = "sam.rivera@example.com"
# (name, phone, e-mail), ids 1… in this order.
PEOPLE: list[tuple[str, str | None, str | None]] = [
    ("Ana Ruiz", "+1 801-555-0101", None),
    ("Ben Okafor", "+1 801-555-0102", None),
    ("Carla Mendes", "+1 801-555-0103", None),
    ("Dev Patel", "+1 801-555-0104", None),
    ("Erin Walsh", "+1 801-555-0105", None),
    ("Femi Adeyemi", "+1 801-555-0106", None),
    ("Grace Lin", "+1 801-555-0107", None),
    ("Hugo Brandt", "+1 801-555-0108", None),
    ("Ivy Chen", "+1 801-555-0109", None),
    ("Jon Berg", "+1 801-555-0110", None),  # voicemail
    ("Kira Novak", "+1 801-555-0111", None),  # voicemail
    ("Farah Haddad", "+1 801-555-0112", "farah@haddad.example"),  # talked, then thanked
    ("Liam Osei", "+1 801-555-0113", None),
    ("Maya Rossi", "+1 801-555-0114", None),
    ("Noah Kim", "+1 801-555-0115", None),
    ("Dana Whitfield", None, "dana@whitfield.example"),  # talked on 4 Dec: thank-you
    ("Eli Moreau", None, "Eli.Moreau@moreau.example"),  # talked on 7 Dec: thank-you
    ("Gus Almeida", None, "gus@almeida.example"),  # talked 10 Nov, thanked: follow-up
    ("Hana Sato", None, "hana@sato.example"),  # coffee on the day
    ("Ivo Petrov", None, "ivo@petrov.example"),  # organised the invitation Sam declined
]


def load_day_network(db: Database) -> None:
    """The 20 people of the day (ids 1–20) and the steps logged before it."""
    for name, phone, email in PEOPLE:
        add_contact(
            db,
            {"full_name": name, "phone": phone, "email": email, "identified_on": "2026-11-01"},
            today=TODAY,
        )
    for contact_id, kind, day in (
        (16, "contacted", "2026-12-04"),
        (17, "contacted", "2026-12-07"),
        (18, "contacted", "2026-11-10"),
        (18, "thank_you", "2026-11-11"),
    ):
        log_event(db, {"contact_id": contact_id, "kind": kind, "occurred_on": day}, today=TODAY)
