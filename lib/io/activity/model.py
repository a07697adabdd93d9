"""What the activity readers give: calls, sent e-mails and meetings, as plain records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lib.core.errors import WarmLeadsError

# The activity formats, as `import-activity --format` names them.
FORMATS: tuple[str, ...] = ("calls-xml", "calls-csv", "mbox", "eml", "ics")
FORMAT_LABELS: dict[str, str] = {
    "calls-xml": "call log (SMS Backup & Restore XML)",
    "calls-csv": "call log (CSV)",
    "mbox": "mailbox (mbox)",
    "eml": "e-mail (.eml)",
    "ics": "calendar (ics)",
}
# Android's call types (CallLog.Calls.TYPE), as SMS Backup & Restore writes them.
CALL_TYPES: dict[int, str] = {
    1: "incoming",
    2: "outgoing",
    3: "missed",
    4: "voicemail",
    5: "rejected",
    6: "blocked",
    7: "answered elsewhere",
}


class ActivityFileError(WarmLeadsError):
    """A file that cannot be read as the activity format it claims (one line: why)."""


# SMS Backup & Restore writes its text messages beside the calls (sms-….xml): the file a user
# picks by mistake, so it is named for what it is.
SMS_BACKUP = (
    "it is SMS Backup & Restore's backup of text messages (<smses>), not of calls: choose the "
    "calls-….xml file it wrote beside it"
)


class UnknownActivityFormat(ActivityFileError):
    """A file whose content is none of the activity formats (the command line can name one)."""


@dataclass(frozen=True)
class Call:
    """One call of a call log: the number as written, when (UTC), seconds, Android type."""

    number: str
    at: datetime
    duration: int
    type: int

    @property
    def direction(self) -> str:
        """The call's type in words ("outgoing", "missed"…)."""
        return CALL_TYPES[self.type]


@dataclass(frozen=True)
class Mail:
    """One message: its id, when, subject, recipients' addresses and whether the user sent it."""

    message_id: str
    at: datetime
    subject: str
    recipients: tuple[str, ...]
    sent: bool


@dataclass(frozen=True)
class Meeting:
    """One calendar occurrence: its uid, start, title, the people's addresses, how it is held."""

    uid: str
    start: datetime | date
    summary: str
    addresses: tuple[str, ...]
    video: bool


Record = Call | Mail | Meeting
