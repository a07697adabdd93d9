"""One vocabulary: every label of a stage, due list, event kind or weekly measure is written once.

Pages, charts, the report and the CLI read their words from lib/core/vocab.py; a second copy
of a label elsewhere is how "Thank-you pending" and "Thank-yous pending" drifted apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lib.core import vocab

ROOT = Path(__file__).resolve().parents[1]
VOCABULARIES = {
    "stage": vocab.STAGE,
    "due list": vocab.DUE_LIST,
    "event kind": vocab.EVENT_KIND,
    "weekly measure": vocab.WEEKLY,
    "log form": vocab.LOG_FORM,
}


def string_constants() -> dict[str, list[str]]:
    """Every string literal in lib/, pages/ and app.py (outside the vocabulary), by value."""
    found: dict[str, list[str]] = {}
    files = [ROOT / "app.py", *(ROOT / "lib").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]
    for path in files:
        if path == ROOT / "lib" / "core" / "vocab.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(node.value.strip(), []).append(where)
    return found


LABELS = sorted(
    {
        (kind, text)
        for kind, terms in VOCABULARIES.items()
        for term in terms.values()
        for text in {term.label, term.short}
        # One-word labels that are also ordinary words ("Note", "Opportunity") are not
        # worth a test; every longer label is the vocabulary's alone.
        if " " in text or "-" in text
    }
)


@pytest.mark.parametrize(("kind", "label"), LABELS, ids=[label for _, label in LABELS])
def test_a_label_is_written_only_in_the_vocabulary(kind: str, label: str) -> None:
    copies = string_constants().get(label, [])
    assert copies == [], f"the {kind} label {label!r} is written again at {copies}"


def test_every_spec_word_has_a_term() -> None:
    assert vocab.STAGES == ("targeted", "contacted", "asked", "thanked", "followed_up")
    assert set(vocab.DUE_LISTS) == {
        "to_contact",
        "follow_up_due",
        "follow_up_overdue",
        "thank_you_pending",
        "close_loop",
    }
    assert set(vocab.WEEKLY_KINDS) <= set(vocab.WEEKLY)
    assert set(vocab.GOAL_KEYS) <= set(vocab.WEEKLY)


def test_sql_words_quotes_vocabulary_keys_and_refuses_anything_else() -> None:
    assert vocab.sql_words(vocab.VOICE_CHANNELS) == "'phone', 'in_person'"
    assert vocab.sql_words(vocab.WARMTH) == "'warm', 'referred', 'cold', 'follow_up'"
    for bad in (["phone", "x' OR 1=1 --"], ["Phone"], []):
        with pytest.raises(ValueError):
            vocab.sql_words(bad)
