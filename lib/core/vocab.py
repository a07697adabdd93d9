"""The method's words, each defined once: key, order, label, short label and help.

Every page, chart, report and CLI table reads its labels from here (docs/METHOD.md says
what each word means). The keys are the method's and are stored in the file; the labels are
what a job-seeker reads. A vocabulary is ordered: iterating it gives the method's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from lib.core.columns import CONTACT_LABELS, CONTACTS


@dataclass(frozen=True)
class Term:
    """One word of the method: the stored key and how the product shows it."""

    key: str
    label: str  # full label: list titles, form options, legends
    short: str = ""  # short label: metric cards, table cells, chart axes (defaults to label)
    help: str = ""  # a few words saying what it is
    advice: str = ""  # what to do about it, where the product gives advice
    color: str = ""  # chart colour, where the word has one
    plural: str = ""  # a group of them, as a chart names it (defaults to label + "s")

    def __post_init__(self) -> None:
        if not self.short:
            object.__setattr__(self, "short", self.label)
        if not self.plural:
            object.__setattr__(self, "plural", self.label + "s")


class Terms(Mapping[str, Term]):
    """An ordered vocabulary of terms, looked up by key."""

    def __init__(self, *terms: Term) -> None:
        self._terms = {term.key: term for term in terms}

    def __getitem__(self, key: str) -> Term:
        return self._terms[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    @property
    def order(self) -> tuple[str, ...]:
        """The keys in order."""
        return tuple(self._terms)

    @property
    def labels(self) -> dict[str, str]:
        """key → label, in order."""
        return {key: term.label for key, term in self._terms.items()}

    @property
    def shorts(self) -> dict[str, str]:
        """key → short label, in order."""
        return {key: term.short for key, term in self._terms.items()}

    def label(self, key: str) -> str:
        """The label of `key` (the key itself, tidied, for a word this vocabulary lacks)."""
        term = self._terms.get(key)
        return term.label if term else str(key).replace("_", " ").capitalize()

    def short(self, key: str) -> str:
        """The short label of `key`."""
        term = self._terms.get(key)
        return term.short if term else self.label(key)


_SQL_WORD = re.compile(r"[a-z][a-z0-9_]*")


def sql_words(keys: Iterable[str]) -> str:
    """Vocabulary keys as an SQL list of literals: `'phone', 'in_person'` (for `x IN (…)`).

    The one place our fixed words are pasted into SQL; anything but a plain lower-case key
    (never user input) is refused.
    """
    words = list(keys)
    bad = [word for word in words if not _SQL_WORD.fullmatch(word)]
    if bad or not words:
        raise ValueError(f"not vocabulary keys for SQL: {bad or 'none given'}")
    return ", ".join(f"'{word}'" for word in words)


# ---------------------------------------------------------------- stages (docs/METHOD.md "Stages")

# One colour per stage in every chart; the best stage is teal, never alarm-red.
STAGE = Terms(
    Term("targeted", "Targeted", help="identified as someone to contact", color="#4C78A8"),
    Term("contacted", "Contacted", help="reached, pitch delivered", color="#F58518"),
    Term(
        "asked", "Asked for referrals", "Asked", help="asked who else to talk to", color="#54A24B"
    ),
    Term("thanked", "Thanked", help="thanked for their help", color="#B279A2"),
    Term("followed_up", "Followed up", help="sent an update 3–4 weeks on", color="#2F8F89"),
)

# ------------------------------------------------------ event kinds (docs/METHOD.md "The records")

EVENT_KIND = Terms(
    Term("contacted", "Conversation (pitch delivered)", "Conversation"),
    Term("info_interview", "Informational interview"),
    Term("referral_asked", "Asked for referrals", "Referral ask"),
    Term("thank_you", "Thank-you sent", "Thank-you"),
    Term("follow_up", "Follow-up sent", "Follow-up"),
    Term("opportunity", "Opportunity"),
    Term("attempt", "Call attempt", "Attempt", help="tried to reach them; did not talk"),
    Term("note", "Note"),
)
# A conversation logged without the pitch says so at the start of its notes.
PITCH_NOT_DELIVERED = "Pitch not delivered."
# How an attempt ended (events.outcome; docs/METHOD.md "Call attempts": it reaches no stage).
ATTEMPT_OUTCOME = Terms(
    Term("no_answer", "No answer", "no answer", help="rang out"),
    Term("voicemail", "Left a voicemail", "voicemail", help="left a message on their voicemail"),
    Term("message", "Left a message (LinkedIn/email)", "message", help="wrote instead"),
    Term("wrong_number", "Wrong number", "wrong number", help="the number is not theirs"),
    Term("call_back", "Asked to call back later", "call back", help="call again on a set day"),
)
ATTEMPT_OUTCOMES: tuple[str, ...] = ATTEMPT_OUTCOME.order
# Attempts before suggesting another channel (an email or a LinkedIn message).
ATTEMPTS_BEFORE_SWITCH = 3
# What "Coming up (next 7 days)" on Today lists.
COMING_UP = Terms(
    Term("follow_up_due", "Follow-up falls due", "Follow-up due"),
    Term("follow_up_overdue", "Follow-up becomes overdue", "Overdue"),
    Term("thank_you_late", "Thank-you becomes late", "Thanks late"),
    Term("call_back", "Call back (they asked)", "Call back"),
)
# A contact's timeline also shows two moments that are not events.
TIMELINE = Terms(
    *EVENT_KIND.values(),
    Term("referral_given", "Gave a referral"),
    Term("identified", "Identified"),
)

# The Log page's forms: one per real moment, in the method's order.
LOG_FORM = Terms(
    Term(
        "conversation",
        "Conversation",
        help="You made contact: pitch, informational interview, referrals, thanks.",
    ),
    Term("thank_you", "Thank-you note", help="The thank-you email a few days after they helped."),
    Term(
        "follow_up",
        "Follow-up",
        help="Your update every 3–4 weeks, ending with a request and a thank-you.",
    ),
    Term("opportunity", "Opportunity", help="A job lead the network produced."),
    Term("note", "Note", help="Anything worth remembering about them."),
)

# ----------------------------------------------------------- due lists (docs/METHOD.md "Due lists")

# The method's follow-up window: every 3–4 weeks.
FOLLOW_UP_MIN_DAYS = 21
FOLLOW_UP_MAX_DAYS = 28

DUE_LIST = Terms(
    Term(
        "to_contact",
        "To contact",
        help="targets not yet contacted",
        advice="Targets you have not contacted yet — warm referrals first. Call or meet, "
        "deliver your pitch, ask for referrals.",
    ),
    Term(
        "follow_up_due",
        "Follow-ups due",
        "Follow-up due",
        help="last touch 3–4 weeks ago",
        advice=f"Last touch {FOLLOW_UP_MIN_DAYS}–{FOLLOW_UP_MAX_DAYS} days ago — "
        "send an update by email, ask for anyone else, say thank you.",
    ),
    Term(
        "follow_up_overdue",
        "Follow-ups overdue",
        "Overdue",
        help="last touch over 4 weeks ago",
        advice=f"More than {FOLLOW_UP_MAX_DAYS} days since the last touch — "
        "longest first. An update now keeps the connection warm.",
    ),
    Term(
        "thank_you_pending",
        "Thank-you pending",
        "To thank",
        help="helped, not yet thanked",
        advice="They talked with you or gave you a name and have not been thanked "
        "since — oldest first. A short email is enough.",
    ),
    Term(
        "close_loop",
        "Tell them how it went",
        "To update",
        help="their referral was reached; not told since",
        advice="You have talked with someone they referred, and have not written to them "
        "since. Thank them again and say how it went — a referrer who hears back keeps "
        "referring; one who never hears back stops.",
    ),
)
# A due list's count as a heading or sentence says it (`words.counted`): "1 follow-up due".
DUE_COUNTED: dict[str, tuple[str, str]] = {
    "to_contact": ("person to contact", "people to contact"),
    "follow_up_due": ("follow-up due", "follow-ups due"),
    "follow_up_overdue": ("follow-up overdue", "follow-ups overdue"),
    "thank_you_pending": ("thank-you pending", "thank-yous pending"),
    "close_loop": ("referrer to tell how it went", "referrers to tell how it went"),
}
# The Dashboard's figure for close_loop: how often the referrer heard how it went.
LOOPS_CLOSED = Term(
    "loops_closed",
    "Loops closed",
    help="Of the referrals you reached in this period, how many had their referrer thanked "
    "or followed up afterwards, and the median days it took. A referrer who hears how it "
    "went keeps referring; one who never hears back stops.",
)
# The Contacts page's due filter adds one choice that is not a list.
NOTHING_DUE = Term("nothing_due", "Nothing due")

# ---------------------------------------------------------------- weekly measures and goals

# One count per ISO week (docs/METHOD.md "Weekly counts"); goals are set on some of them.
WEEKLY = Terms(
    Term("targets", "New targets", "Targets", help="contacts identified", color="#4C78A8"),
    Term("referrals", "Referrals received", "Referrals", help="referrals given to you"),
    Term("contacted", "Conversations", "Talks", help="pitches delivered", color="#F58518"),
    Term("info_interview", "Informational interviews", "Interviews", color="#F58518"),
    Term("referral_asked", "Referral asks", "Asks", help="times you asked", color="#54A24B"),
    Term("thank_you", "Thank-yous", "Thanks", color="#B279A2"),
    Term("follow_up", "Follow-ups", color="#2F8F89"),
    Term("opportunity", "Opportunities", "Opps"),
    Term("attempt", "Call attempts", "Attempts", help="tries that did not reach them"),
    # Measures of the calling habit, beyond the JSON's counts (docs/METHOD.md "Weekly counts").
    Term("phone_talks", "Conversations by phone", "By phone", help="pitches delivered by phone"),
    Term(
        "calls",
        "Calls made",
        "Calls",
        help="call attempts + conversations by phone",
        color="#72B7B2",
    ),
)
# Conversations by phone ÷ calls made, per week.
REACH_RATE = Term("reach_rate", "Reach rate", help="conversations by phone ÷ calls made")
# How first contacts were made: by voice (the method's advice) or in writing.
FIRST_CONTACT = Terms(
    Term("voice", "Phone or in person", "By voice", color="#54A24B"),
    Term("written", "Email or LinkedIn", "In writing", color="#E45756"),
    Term("other", "Video, event or other", "Other", color="#BAB0AC"),
)
VOICE_CHANNELS: tuple[str, ...] = ("phone", "in_person")
WRITTEN_CHANNELS: tuple[str, ...] = ("email", "linkedin")
GOAL_KEYS: tuple[str, ...] = (
    "targets",
    "contacted",
    "info_interview",
    "referral_asked",
    "thank_you",
    "follow_up",
    "calls",
)

# ---------------------------------------------------------------- channels and sources

CHANNEL = Terms(
    Term("phone", "Phone"),
    Term("in_person", "In person"),
    Term("email", "Email"),
    Term("linkedin", "LinkedIn"),
    Term("video", "Video call"),
    Term("event", "At an event"),
    Term("other", "Other"),
)

SOURCE = Terms(
    Term(
        "association",
        "Industry / professional association",
        "Association",
        help="association meetings",
    ),
    Term(
        "chamber",
        "Chamber of Commerce / Board of Trade",
        "Chamber",
        help="Chamber of Commerce / Board of Trade mixers",
    ),
    Term("linkedin", "LinkedIn", help="LinkedIn"),
    Term("referral", "Referral", help="referrals"),
    Term("event", "Event", help="events"),
    Term("other", "Other", help="other sources"),
)

# How warm a person is to call: a referral whose referrer said you may use their name is warm;
# other referrals and the targets you found yourself open cold; someone you have talked to
# gets a follow-up. The network page compares warm, referred and cold; the calling session
# calls warm referrals first, then cold targets (other referrals among them), then follow-ups.
WARMTH = Terms(
    Term("warm", "Warm referral", help="a referral whose referrer said you may use their name"),
    Term(
        "referred",
        "Referral (name not shared)",
        help="a referral whose referrer did not clear using their name",
        plural="Referrals (name not shared)",
    ),
    Term("cold", "Cold target", help="no referrer's name to open with"),
    Term("follow_up", "Follow-up by phone", help="last touch over 3 weeks ago"),
)

# ---------------------------------------------------------------- file formats

# What `import` reads (detected from the content when not named) and what `export` writes.
IMPORT_FORMAT = Terms(
    Term("linkedin", "LinkedIn connections"),
    Term("google", "Google Contacts"),
    Term("outlook", "Outlook CSV"),
    Term("thunderbird", "Thunderbird address book"),
    Term("yahoo", "Yahoo Mail contacts"),
    Term("vcard", "vCard"),
    Term("csv", "Warm Leads CSV"),
)
# The format recorded for the sample network's import batch (import_batches.format).
DEMO_FORMAT = "demo"
EXPORT_FORMAT = Terms(
    Term("csv", "Warm Leads CSV", help="everything, re-importable"),
    Term("vcard", "vCard 3.0", help="contacts for your address book"),
    Term("ics", "Calendar (ics)", help="reminders for what is due"),
)

# ---------------------------------------------------------------- derived views

STAGES: tuple[str, ...] = STAGE.order
STAGE_LABELS: dict[str, str] = STAGE.labels
STAGE_COLORS: dict[str, str] = {key: term.color for key, term in STAGE.items()}
EVENT_KINDS: tuple[str, ...] = EVENT_KIND.order
EVENT_LABELS: dict[str, str] = EVENT_KIND.labels
CHANNELS: tuple[str, ...] = CHANNEL.order
CHANNEL_LABELS: dict[str, str] = CHANNEL.labels
SOURCES: tuple[str, ...] = SOURCE.order
SOURCE_LABELS: dict[str, str] = SOURCE.labels
DUE_LISTS: tuple[str, ...] = DUE_LIST.order

# Events that count as a touch for the follow-up clock (docs/METHOD.md "Due lists": last touch).
TOUCH_KINDS: tuple[str, ...] = (
    "contacted",
    "info_interview",
    "referral_asked",
    "thank_you",
    "follow_up",
    "opportunity",
)
# Events after which a thank-you is owed (docs/METHOD.md "Due lists": thank_you_pending).
THANKS_OWED_KINDS: tuple[str, ...] = ("contacted", "info_interview", "referral_asked")
# Events that reach someone (docs/METHOD.md "Stages": they reach `contacted`).
REACHED_KINDS: tuple[str, ...] = ("contacted", "info_interview", "opportunity")
# Events that tell a referrer how it went (docs/METHOD.md "close_loop"): a thank-you or a follow-up.
UPDATE_KINDS: tuple[str, ...] = ("thank_you", "follow_up")
# Kinds of event that are a conversation: the channel filter keeps people talked to that way.
CONVERSATION_KINDS: tuple[str, ...] = ("contacted", "info_interview")
# Weekly rows count every kind but notes.
WEEKLY_KINDS: tuple[str, ...] = tuple(kind for kind in EVENT_KINDS if kind != "note")

# A contact's fields as the forms name them (the edit form, and an edit conflict's table).
CONTACT_FIELD_LABELS: dict[str, str] = {
    name: CONTACT_LABELS[name] for name in CONTACTS.names(entered=True)
}  # the user's word for each field they give (lib/core/columns.py holds them)
