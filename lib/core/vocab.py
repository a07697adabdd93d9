"""The method's fixed words: stages, event kinds, channels and sources (SPEC.md)."""

from __future__ import annotations

STAGES: tuple[str, ...] = ("targeted", "contacted", "asked", "thanked", "followed_up")
STAGE_LABELS: dict[str, str] = {
    "targeted": "Targeted",
    "contacted": "Contacted",
    "asked": "Asked for referrals",
    "thanked": "Thanked",
    "followed_up": "Followed up",
}
# One colour per stage, used by every chart (readable on light and dark themes).
STAGE_COLORS: dict[str, str] = {
    "targeted": "#4C78A8",
    "contacted": "#F58518",
    "asked": "#54A24B",
    "thanked": "#B279A2",
    "followed_up": "#2F8F89",  # teal: the best stage is never alarm-red
}

EVENT_KINDS: tuple[str, ...] = (
    "contacted",
    "info_interview",
    "referral_asked",
    "thank_you",
    "follow_up",
    "opportunity",
    "note",
)
EVENT_LABELS: dict[str, str] = {
    "contacted": "Conversation (pitch delivered)",
    "info_interview": "Informational interview",
    "referral_asked": "Asked for referrals",
    "thank_you": "Thank-you sent",
    "follow_up": "Follow-up sent",
    "opportunity": "Opportunity",
    "note": "Note",
}
# Events that count as a touch for the follow-up clock (SPEC "last touch").
TOUCH_KINDS: tuple[str, ...] = (
    "contacted",
    "info_interview",
    "referral_asked",
    "thank_you",
    "follow_up",
    "opportunity",
)
# Events after which a thank-you is owed (SPEC "thank_you_pending").
THANKS_OWED_KINDS: tuple[str, ...] = ("contacted", "info_interview", "referral_asked")

CHANNELS: tuple[str, ...] = ("phone", "in_person", "email", "linkedin", "video", "event", "other")
CHANNEL_LABELS: dict[str, str] = {
    "phone": "Phone",
    "in_person": "In person",
    "email": "Email",
    "linkedin": "LinkedIn",
    "video": "Video call",
    "event": "At an event",
    "other": "Other",
}

SOURCES: tuple[str, ...] = ("association", "chamber", "linkedin", "referral", "event", "other")
SOURCE_LABELS: dict[str, str] = {
    "association": "Industry / professional association",
    "chamber": "Chamber of Commerce / Board of Trade",
    "linkedin": "LinkedIn",
    "referral": "Referral",
    "event": "Event",
    "other": "Other",
}

# The SPEC's follow-up window: every 3–4 weeks.
FOLLOW_UP_MIN_DAYS = 21
FOLLOW_UP_MAX_DAYS = 28
