"""User text is shown as typed: never markup, never a link unless http(s)/mailto/tel."""

from __future__ import annotations

import pytest

from lib.core.errors import ValidationError
from lib.ui.text import escape_markdown, field_label, markdown_link

Z = "\u2060"  # word joiner: only where Streamlit would make an emoji or a link of user text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Ana Ruiz", "Ana Ruiz"),
        ("O'Brien", "O'Brien"),
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        ("<b>hi</b>", r"\<b\>hi\</b\>"),
        (":red[alarm] :smile:", rf"\:red\[alarm\] \:{Z}smile\:"),
        ("$x^2$", r"\$x\^2\$"),
        ("# Heading", r"\# Heading"),
        ("www.evil.example", rf"ww{Z}w\.evil\.example"),
        ("http://evil.example", rf"http\:{Z}//evil\.example"),
        ("ben@x.example", rf"ben\@{Z}x\.example"),
        ("Call at 10:30: ask for Ben", r"Call at 10\:30\: ask for Ben"),  # nothing invisible
        ("@ben, see you", r"\@ben, see you"),
        ("&amp;", r"\&amp;"),
        ("two\nlines", "two lines"),
        (None, ""),
    ],
)
def test_escape_markdown(text: str | None, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def test_a_links_text_copies_exactly() -> None:
    """The text of a link is never autolinked: an address shown there gets no joiner."""
    for address in ("ana.ruiz@example.com", "https://www.linkedin.com/in/ana"):
        label = escape_markdown(address, link_text=True)
        assert Z not in label
        assert label.replace("\\", "") == address
    assert escape_markdown(":smile:", link_text=True) == rf"\:{Z}smile\:"


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
