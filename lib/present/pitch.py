"""The elevator pitch: timing and flags, and the method's message templates filled with names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from lib.core.errors import ValidationError
from lib.core.validation import clean_email
from lib.core.vocab import LOG_FORM
from lib.core.words import first_name, short_date
from lib.engine.companies import Aim
from lib.engine.loops import Reached, join_names, what_happened

WORDS_PER_MINUTE = 130
MIN_SECONDS = 30
MAX_SECONDS = 60
YOUR_NAME_PLACEHOLDER = "[your name]"
NO_AIM = Aim()  # no target companies: the plain referral question

_WORD = re.compile(r"[\w’'-]+", re.UNICODE)
# "Are you hiring?" and its cousins: a "no" is a dead end.
_HIRING = re.compile(
    r"\b(are|is) (you|your (company|team|firm)|they|anyone) (currently |still |now )?hiring\b"
    r"|\b(any|are there|do you have( any)?) (job )?(openings|vacancies|positions|jobs|roles)\b"
    r"|\bhiring right now\b",
    re.IGNORECASE,
)
# A closing sentence that asks for something: a polite request, a question put as a wish
# ("…who you think I should talk to next"), or an offer of time ("would you have ten minutes…").
# A wish about yourself ("I'd love to move into fintech") is not one.
_REQUEST = re.compile(
    r"\b(would|could|can|will|might) (you|we)\b|\bwould it be\b|\b(may|could|can) i\b"
    r"|\bif you (would|could|can|know|have|had|are|were|think|might)\b|\byou (might|could)\b"
    r"|\bwho (do |else do |else )?you (think|know|would|'d|might|suggest|recommend)\b"
    r"|\bwho else\b|\b(who|anyone|someone|people|whom) (i|to) (should )?"
    r"(talk|speak|meet|reach|contact|get in touch|call)\b"
    r"|\b(point|introduce|connect|refer) me\b|\bput me in touch\b"
    r"|\bi(?:'d| would) (really |so |very much |greatly |truly )?(value|appreciate|welcome|"
    r"be (very |so |really |most )?grateful|"
    r"love to (hear|get your|learn from you|talk|chat|meet))\b"
    r"|\bi(?:'m| am| was) (hoping|wondering)\b|\bit would (mean a lot|be great|help)\b"
    r"|\bplease\b|\blet's\b|\bare you open to\b|\bhappy to meet\b|\bdo you have\b",
    re.IGNORECASE,
)
# A last line that only thanks ("Thanks!", "Thank you for listening."): the request, if any,
# is the sentence before it.
_COURTESY = re.compile(r"^(many )?(thanks|thank you|cheers)\b[^.!?]{0,30}[.!?]*$", re.IGNORECASE)


def ends_with_request(text: str) -> bool:
    """True when the pitch's closing sentence asks for something (not whether they are hiring)."""
    sentences = _sentences(text.replace("’", "'"))
    closing = sentences[-2:] if len(sentences) > 1 and _COURTESY.match(sentences[-1]) else []
    for sentence in closing or sentences[-1:]:
        asks = sentence.endswith("?") or bool(_REQUEST.search(sentence))
        if asks and not _HIRING.search(sentence):
            return True
    return False


@dataclass(frozen=True)
class PitchCheck:
    """How a pitch measures up to the method: length, timing and the two classic mistakes."""

    words: int
    seconds: float
    in_range: bool
    asks_if_hiring: bool
    ends_with_request: bool
    advice: list[str] = field(default_factory=list)


def count_words(text: str) -> int:
    """Spoken words in a text (contractions and hyphenated words count once)."""
    return len(_WORD.findall(text or ""))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", (text or "").strip()) if s.strip()]


def last_sentence(text: str) -> str:
    """The final sentence of a text (what the listener hears last)."""
    sentences = _sentences(text)
    return sentences[-1] if sentences else ""


def check_pitch(text: str) -> PitchCheck:
    """Word count, spoken time at 130 words/min, and flags for "are you hiring" and no request."""
    words = count_words(text)
    seconds = words * 60 / WORDS_PER_MINUTE
    in_range = MIN_SECONDS <= seconds <= MAX_SECONDS
    hiring = bool(_HIRING.search(text or ""))
    request = ends_with_request(text or "")
    advice = []
    if words and seconds < MIN_SECONDS:
        short = round(MIN_SECONDS * WORDS_PER_MINUTE / 60) - words
        advice.append(f"Too short: add about {short} words — who you are, what you offer.")
    if seconds > MAX_SECONDS:
        cut = words - MAX_SECONDS * WORDS_PER_MINUTE // 60
        advice.append(f"Too long: cut about {cut} words to stay under a minute.")
    if hiring:
        advice.append(
            "Drop “are you hiring?” — a “no” ends the conversation. Ask for their "
            "perspective or for people to talk to instead."
        )
    if words and not request:
        advice.append(
            "End with a clear request: an informational interview, or "
            "“Who do you know that might be helpful for me to get in touch with?”"
        )
    return PitchCheck(words, seconds, in_range, hiring, request, advice)


@dataclass(frozen=True)
class Template:
    """One message ready to copy: what it is for, a subject when it is an email, the text."""

    key: str
    title: str
    when: str
    body: str
    subject: str | None = None


def templates(
    contact_name: str,
    referrer_name: str | None = None,
    may_use_name: bool | None = None,
    referred: Sequence[str] = (),
    your_name: str = "",
    reached: Sequence[Reached] = (),
    aim: Aim = NO_AIM,
) -> list[Template]:
    """The referral question, warm-intro opener, thank-you note and follow-up, names filled in.

    `referred` names the people this contact gave you; `reached` are those you have talked
    with since: the thank-you and the follow-up tell them how it went. `aim`: the target
    companies the referral questions name (`lib.engine.companies.referral_aim`).
    """
    first = first_name(contact_name) or contact_name
    me = your_name.strip() or YOUR_NAME_PLACEHOLDER
    if referrer_name and may_use_name:
        opener = (
            f"Hi {first}, this is {me}. {referrer_name} suggested I get in touch — "
            f"{first_name(referrer_name)} thought you'd be a good person to talk to about "
            "where the industry is heading. Do you have a few minutes?"
        )
        when = f"First call with {contact_name}: open with {referrer_name}'s name."
    elif referrer_name:
        opener = (
            f"Hi {first}, this is {me}. I'm reaching out to people who know the industry well, "
            "and your name came up. Do you have a few minutes?"
        )
        when = (
            f"{referrer_name} referred {contact_name} but did not clear using their name: "
            "open without it."
        )
    else:
        opener = (
            f"Hi {first}, this is {me}. I'm reaching out to people who know the industry well "
            "and would value your perspective. Do you have a few minutes?"
        )
        when = f"Nobody referred {contact_name}: a cold opener (a warm referral works better)."
    names = _join(list(referred)[:3])
    thanks_for = (
        f"and for suggesting I get in touch with {names}" if names else "and for your advice"
    )
    news = update_sentences(reached)
    thanks_news = update_sentences(reached, mentioned=list(referred)[:3])
    return [
        Template(
            "referral_question",
            "Ask for referrals",
            f"At the end of your conversation with {contact_name}.",
            f"Thank you, {first} — this has been really helpful. {aim.question()}\n"
            + (
                "… Anyone else who might be helpful for me to get in touch with?\n"
                if aim.names
                else "… Anyone else?\n"
            )
            + "May I use your name when I reach out to them?",
        ),
        Template("warm_intro", "Warm-intro opener", when, opener),
        Template(
            "thank_you",
            LOG_FORM.label("thank_you"),
            f"By email a few days after talking with {contact_name}.",
            f"Hi {first},\n\n"
            f"Thank you again for taking the time to talk with me {thanks_for}. "
            + (f"{thanks_news}\n\n" if thanks_news else "")
            + "Your perspective gave me a clearer picture of where I can be useful, "
            "and I'll keep you posted on how things go.\n\n"
            f"With thanks,\n{me}",
            subject=f"Thank you, {first}",
        ),
        Template(
            "follow_up",
            "Follow-up update",
            f"Every 3–4 weeks, by email, to keep {contact_name} in the loop.",
            f"Hi {first},\n\n"
            + (
                f"A quick update on my search, and on the people you suggested. {news}"
                if news
                else "A quick update on my search: [one or two lines of news — a conversation, "
                "a course, a lead]." + (f" [How it went with {names}.]" if names else "")
            )
            + f"\n\n{aim.question(again=True)} Any name is welcome.\n\n"
            f"Thank you again for your help,\n{me}",
            subject="A quick update — and thank you",
        ),
    ]


def written_intro(
    contact_name: str,
    referrer_name: str | None = None,
    may_use_name: bool | None = None,
    your_name: str = "",
    *,
    tried: bool = True,
) -> Template:
    """After calls that did not get through (`tried`), or for someone with no phone number:
    the opener as an email or LinkedIn message."""
    first = first_name(contact_name) or contact_name
    me = your_name.strip() or YOUR_NAME_PLACEHOLDER
    if referrer_name and may_use_name:
        why = f"{referrer_name} suggested I get in touch with you"
    else:
        why = "I'm reaching out to people who know the industry well, and would value your view"
    when = (
        f"Calls to {contact_name} have not got through: try an email or a LinkedIn message."
        if tried
        else f"No phone number for {contact_name}: write an email or a LinkedIn message."
    )
    return Template(
        "written_intro",
        "Write instead",
        when,
        f"Hi {first},\n\n{why}.{' I tried to reach you by phone.' if tried else ''} "
        "Would you have 15 minutes "
        "for a short call this week or next? Any time that suits you works for me.\n\n"
        f"Thank you,\n{me}",
        subject=f"{first}, 15 minutes this week?",
    )


def _join(names: list[str]) -> str:
    return join_names(names) if names else ""


def update_sentences(reached: Sequence[Reached], *, mentioned: Sequence[str] = ()) -> str:
    """How it went with each referral: 'I spoke with Sam Ortiz on Tue 24 Nov, which led to
    an informational interview.' ('' when none was reached).

    A referral already named in the message (`mentioned`) is called by first name, unless
    another referral in it shares that first name.
    """
    people = [*mentioned, *(r.full_name for r in reached)]
    firsts = [first_name(name) or name for name in dict.fromkeys(people)]
    sentences = []
    for referral in reached:
        name = referral.full_name
        first = first_name(name) or name
        if name in mentioned and firsts.count(first) == 1:
            name = first
        what = what_happened(referral)
        sentences.append(
            f"I spoke with {name} on {short_date(referral.reached_on)}"
            + (f", which led to {what}." if what else ".")
        )
    return " ".join(sentences)


def update_message(
    referrer_name: str,
    reached: Sequence[Reached],
    kind: str,
    your_name: str = "",
    aim: Aim = NO_AIM,
) -> Template:
    """The message that tells a referrer how their referrals went, as a thank-you or a
    follow-up, with the names, the days and what came of each (a follow-up asks again,
    aimed at `aim`'s target companies)."""
    first = first_name(referrer_name) or referrer_name
    me = your_name.strip() or YOUR_NAME_PLACEHOLDER
    names = _join([r.full_name for r in reached])
    if kind == "thank_you":
        news = update_sentences(reached, mentioned=[r.full_name for r in reached])
        return Template(
            "thank_you",
            LOG_FORM.label("thank_you"),
            f"Thank {referrer_name} again now that you have talked with {names}.",
            f"Hi {first},\n\n"
            f"Thank you again for putting me in touch with {names}. {news}\n\n"
            "Your introduction made all the difference, and I'll keep you posted on how "
            f"things go.\n\nWith thanks,\n{me}",
            subject=f"Thank you, {first} — an update",
        )
    news = update_sentences(reached)
    return Template(
        "follow_up",
        "Follow-up update",
        f"Your update to {referrer_name}: how it went with {names}.",
        f"Hi {first},\n\n"
        f"A quick update on my search, and on the people you suggested. {news}\n\n"
        f"{aim.question(again=True)} Any name is welcome.\n\n"
        f"Thank you again for your help,\n{me}",
        subject="A quick update — and thank you",
    )


def mailto_link(email: str | None, subject: str | None, body: str) -> str | None:
    """A `mailto:` link that opens the message in an email app, or None without a valid address."""
    try:
        address = clean_email(email)
    except ValidationError:
        return None
    if address is None:
        return None
    query = f"body={quote(body)}"
    if subject:
        query = f"subject={quote(subject)}&{query}"
    return f"mailto:{quote(address, safe='@')}?{query}"
