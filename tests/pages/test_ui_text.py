"""User text is shown as typed: never markup, never a link unless http(s)/mailto/tel."""

from __future__ import annotations

import re

import pytest

from lib.core.errors import ValidationError
from lib.ui.text import escape_markdown, field_label, markdown_link

INVISIBLE = ("\u2060", "\u200b", "\u200c", "\u200d", "\ufeff")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Ana Ruiz", "Ana Ruiz"),
        ("O'Brien", "O'Brien"),
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        ("<b>hi</b>", r"\<b\>hi\</b\>"),
        (":red[alarm] :smile:", r"\:red\[alarm\] \:smile\:"),
        ("$x^2$", r"\$x\^2\$"),
        ("# Heading", r"\# Heading"),
        ("www.evil.example", r"www\.evil\.example"),
        ("http://evil.example", r"http\://evil\.example"),
        ("ben@x.example", r"ben\@x\.example"),
        ("Call at 10:30: ask for Ben", r"Call at 10\:30\: ask for Ben"),  # nothing invisible
        ("@ben, see you", r"\@ben, see you"),
        ("&amp;", r"\&amp;"),
        ("two\nlines", "two lines"),
        (None, ""),
    ],
)
def test_escape_markdown(text: str | None, escaped: str) -> None:
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize(
    "text",
    [
        "ana.ruiz@example.com",
        "https://www.linkedin.com/in/ana",
        ":smile: at 10:30:",
        "www.x.example",
    ],
)
def test_escaped_text_reads_back_exactly_with_nothing_invisible(text: str) -> None:
    escaped = escape_markdown(text)
    assert [ch for ch in INVISIBLE if ch in escaped] == []
    assert re.sub(r"\\(.)", r"\1", escaped) == text  # what CommonMark shows


def test_an_escaped_colon_never_reads_as_an_emoji_shortcode() -> None:
    # Streamlit loads its emoji plugin only when the source matches this (its own test).
    shortcode = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")
    for text in (":smile:", ":tada: :+1:", "10:30:45", "a:b:c"):
        assert shortcode.search(escape_markdown(text)) is None


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://www.linkedin.com/in/ana", "[Ana](https://www.linkedin.com/in/ana)"),
        ("mailto:ana@x.example", "[Ana](mailto:ana@x.example)"),
        ("tel:+1 555 0100", "[Ana](tel:+1%20555%200100)"),
        ("https://x.example/a(b)", "[Ana](https://x.example/a%28b%29)"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("", None),
        (None, None),
    ],
)
def test_markdown_link_only_for_safe_schemes(url: str | None, link: str | None) -> None:
    assert markdown_link("Ana", url) == link


def test_field_labels_name_the_form_field() -> None:
    assert field_label("full_name") == "Name"
    assert field_label("referral 2 full_name") == "Referral 2 name"
    assert field_label("linkedin_url") == "LinkedIn URL"
    assert str(ValidationError("email", "x")) == "email: x"
