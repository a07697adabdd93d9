"""User text inside Markdown: escaped, linked only when safe; field names in the user's words."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from lib.core.validation import is_safe_link

# Any ASCII punctuation may be backslash-escaped in CommonMark; escaping these keeps user text
# from becoming Markdown links, emphasis, headings, lists, HTML, entities, colour directives
# (:red[...]) or maths ($...$). Nothing invisible is added: what a user copies is what they typed.
# Streamlit's Markdown still turns a bare www./http(s) address or an email into an http(s) or
# mailto link (GFM autolinks: allowed schemes only) and a `:shortcode:` into an emoji; text where
# that must not happen goes through `st.text` (no Markdown at all) instead.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=^&@])")


FIELD_LABELS: dict[str, str] = {
    "full_name": "Name",
    "company": "Company",
    "title": "Title",
    "email": "Email",
    "phone": "Phone",
    "linkedin_url": "LinkedIn URL",
    "notes": "Notes",
    "source": "Source",
    "referred_by": "Referred by",
    "may_use_name": "May use their name",
    "identified_on": "Identified on",
    "occurred_on": "Date",
    "contact_id": "Contact",
    "channel": "Channel",
    "kind": "Step",
    "pitch": "Pitch",
    "your_name": "Your name",
    "search": "Search",
}


def escape_markdown(text: Any) -> str:
    """User text made safe to put inside Markdown: shown exactly as typed, never as markup."""
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))
    return value.replace("\n", " ")


def field_label(field: str) -> str:
    """A field's name as the form shows it (`referral 2 full_name` → `Referral 2 name`)."""
    prefix, _, name = field.rpartition(" ")
    label = FIELD_LABELS.get(name, name.replace("_", " "))
    if prefix:
        return f"{prefix.capitalize()} {label.lower()}"
    return label


def markdown_link(label: Any, url: str | None) -> str | None:
    """A Markdown link for an http(s)/mailto/tel URL (label escaped), else None."""
    if not url or not is_safe_link(url):
        return None
    href = quote(url.strip(), safe=":/?#@!$&*+,;=%~.-_")
    return f"[{escape_markdown(label)}]({href})"
