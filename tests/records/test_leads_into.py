"""A referral tagged with the target company it leads into: its company text and link are
written with the conversation, checked first, and taken back with it."""

from __future__ import annotations

import pytest

from lib.core.errors import ValidationError
from lib.records.companies import add_company
from lib.records.contacts import add_contact
from lib.records.corrections import undo_logged
from lib.records.events import Conversation, log_conversation
from lib.store.db import Database
from tests.conftest import TODAY

REFERRALS = (
    "SELECT full_name, company, company_id, referred_by FROM contacts WHERE id > ? ORDER BY id"
)


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    """Ana (at no target) and the targets Acme and Globex."""
    return {
        "ana": add_contact(db, {"full_name": "Ana Ruiz", "company": "Soylent"}, today=TODAY),
        "acme": add_company(db, {"name": "Acme", "motivation": 5}).company_id,
        "globex": add_company(db, {"name": "Globex"}).company_id,
    }


def talk(ana: int, *referrals: dict) -> Conversation:
    return Conversation(ana, occurred_on=TODAY, channel="phone", referrals=referrals)


def test_a_tagged_referral_is_written_at_its_company(db: Database, people: dict) -> None:
    ana, acme, globex = people["ana"], people["acme"], people["globex"]
    logged = log_conversation(
        db,
        talk(
            ana,
            {"full_name": "Bo Lund", "leads_into": acme},  # no text: the company's name
            {"full_name": "Cy Moe", "company": "GLOBEX Inc.", "leads_into": globex},  # kept
            {"full_name": "Di Roe", "company": "Globex"},  # untagged: linked by its key
            {"full_name": "Ed Fox", "leads_into": None},
        ),
        today=TODAY,
    )
    assert db.execute(REFERRALS, [ana]).fetchall() == [
        ("Bo Lund", "Acme", acme, ana),
        ("Cy Moe", "GLOBEX Inc.", globex, ana),
        ("Di Roe", "Globex", globex, ana),
        ("Ed Fox", None, None, ana),
    ]
    assert logged.message.endswith(
        "4 new referrals added as targets: Bo Lund (Acme, cold); Cy Moe (GLOBEX Inc., cold); "
        "Di Roe (Globex, cold); Ed Fox (cold)."
    )
    # Undo takes the referrals back, links and all; the companies stay.
    undo_logged(db, logged.event_ids, logged.referral_ids)
    assert db.execute(REFERRALS, [ana]).fetchall() == []
    assert db.scalar("SELECT count(*) FROM companies") == 2


@pytest.mark.parametrize(
    ("referral", "message"),
    [
        (
            {"full_name": "Bo Lund", "company": "Globex", "leads_into": "acme"},
            "referral 1 company: Globex is not Acme, the target company chosen for them: "
            "leave one of the two blank",
        ),
        (
            {"full_name": "Bo Lund", "leads_into": 99},
            "referral 1 leads_into: there is no target company with id 99",
        ),
        (
            {"full_name": "", "leads_into": "acme"},
            "referral 1 full_name: is required (the person's name)",
        ),
        (
            {"full_name": "Bo Lund", "leads_into": "Acme"},
            "referral 1 leads_into: 'Acme' is not a target company id",
        ),
    ],
)
def test_a_bad_tag_writes_nothing(db: Database, people: dict, referral: dict, message: str):
    if referral["leads_into"] == "acme":
        referral = {**referral, "leads_into": people["acme"]}
    before = db.execute("SELECT count(*) FROM contacts").fetchone()
    with pytest.raises(ValidationError) as caught:
        log_conversation(db, talk(people["ana"], referral), today=TODAY)
    assert str(caught.value) == message
    assert db.execute("SELECT count(*) FROM contacts").fetchone() == before
    assert db.scalar("SELECT count(*) FROM events") == 0


def test_a_contact_added_at_a_target_company(db: Database, people: dict) -> None:
    new = add_contact(db, {"full_name": "Fay Orr"}, today=TODAY, company_id=people["globex"])
    assert db.execute(
        "SELECT company, company_id FROM contacts WHERE id = ?", [new]
    ).fetchone() == (
        "Globex",
        people["globex"],
    )
