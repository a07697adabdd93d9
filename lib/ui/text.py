"""User text inside Markdown: escaped, linked only when safe; field names in the user's words."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from lib.core.validation import is_safe_link
from lib.core.vocab import CONTACT_FIELD_LABELS

# Any ASCII punctuation may be backslash-escaped in CommonMark; escaping these keeps user text
# from becoming Markdown links, emphasis, headings, lists, HTML, entities, colour directives
# (:red[...]), maths ($...$) or emoji: Streamlit loads its emoji plugin only for a source with
# `:word:` in it, and an escaped colon (`\:smile\:`) never reads as one. Nothing invisible is
# added, so copying shown text gives exactly what was typed. A bare web or email address in
# user text stays what Markdown makes of it: an http(s) or mailto link, never another scheme.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=^&@])")


# A field as the forms name it in a message: a contact's fields, then the steps' and settings'.
FIELD_LABELS: dict[str, str] = {
    **CONTACT_FIELD_LABELS,
    "occurred_on": "Date",
    "contact_id": "Contact",
    "channel": "Channel",
    "kind": "Step",
    "outcome": "Outcome",
    "call_back_on": "Call back on",
    "pitch": "Pitch",
    "your_name": "Your name",
    "search": "Search",
    "leads_into": "Leads into",
}


def escape_markdown(text: Any) -> str:
    """User text made safe to put inside Markdown: shown exactly as typed, never as markup."""
    value = "" if text is None else str(text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value).replace("\n", " ")


def literal(text: Any) -> str:
    """Text shown exactly as given inside Markdown: an inline code span, with no hidden characters.

    For values from a link or a file (a URL's query, an error naming a value): inside a code
    span nothing is a link, an image, emphasis, an emoji or a bare URL Streamlit would link.
    """
    value = ("" if text is None else str(text)).replace("\r", " ").replace("\n", " ")
    if not value.strip():
        return "` `"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", value)), default=0) + 1)
    # A span that starts or ends with a backtick or a space needs a space inside each fence
    # (CommonMark strips exactly one from each side).
    pad = " " if value[0] in "` " or value[-1] in "` " else ""
    return f"{fence}{pad}{value}{pad}{fence}"


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
