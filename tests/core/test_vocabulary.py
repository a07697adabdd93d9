"""One vocabulary: every label of a stage, due list, event kind or weekly measure is written once.

Pages, charts, the report and the CLI read their words from lib/core/vocab.py; a second copy
of a label elsewhere is how "Thank-you pending" and "Thank-yous pending" drifted apart.
Every vocabulary in vocab.py (each `Terms`, and each lone `Term`) is guarded, found by reading
the module, so a new one is guarded the day it is written.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from lib.core import vocab
from lib.core.words import in_sentence

ROOT = Path(__file__).resolve().parents[2]
VOCAB_FILE = ROOT / "lib" / "core" / "vocab.py"
# Every vocabulary by its name in vocab.py: a `Terms`, or a lone `Term` (as `Terms` of one).
VOCABULARIES: dict[str, vocab.Terms] = {
    name: value if isinstance(value, vocab.Terms) else vocab.Terms(value)
    for name, value in vars(vocab).items()
    if isinstance(value, vocab.Terms | vocab.Term)
}
# Labels still written again in lib/ or pages/ when this test learnt to read every vocabulary;
# strict, so the entry must go once the copy is replaced by a read from vocab.py.
KNOWN_COPIES: dict[tuple[str, str], str] = {}


@cache
def string_constants() -> dict[str, list[str]]:
    """Every string literal in lib/, pages/ and app.py (outside the vocabulary), by value."""
    found: dict[str, list[str]] = {}
    files = [ROOT / "app.py", *(ROOT / "lib").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]
    for path in files:
        if path == VOCAB_FILE:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(node.value.strip(), []).append(where)
    return found


LABELS = sorted(
    {
        (name, text)
        for name, terms in VOCABULARIES.items()
        for term in terms.values()
        for text in {term.label, term.short}
        # One-word labels that are also ordinary words ("Note", "Opportunity") are not
        # worth a test; every longer label is the vocabulary's alone.
        if " " in text or "-" in text
    }
)


def label_case(name: str, label: str) -> object:
    """One (vocabulary, label) case, expected to fail while a known copy remains."""
    known = KNOWN_COPIES.get((name, label))
    marks = [pytest.mark.xfail(strict=True, reason=f"written again in {known}")] if known else []
    return pytest.param(name, label, id=f"{name}:{label}", marks=marks)


def test_every_vocabulary_in_vocab_py_is_guarded() -> None:
    written = {
        target.id
        for node in ast.parse(VOCAB_FILE.read_text()).body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in {"Terms", "Term"}
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    assert set(VOCABULARIES) == written
    assert {"STAGE", "DUE_LIST", "EVENT_KIND", "WEEKLY", "LOG_FORM"} <= written
    assert set(KNOWN_COPIES) <= set(LABELS)


@pytest.mark.parametrize(("name", "label"), [label_case(name, label) for name, label in LABELS])
def test_a_label_is_written_only_in_the_vocabulary(name: str, label: str) -> None:
    copies = string_constants().get(label, [])
    assert copies == [], f"the {name} label {label!r} is written again at {copies}"


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


@pytest.mark.parametrize(
    ("label", "words"),
    [("LinkedIn", "LinkedIn"), ("Event", "event"), ("Association", "association"), ("", "")],
)
def test_a_label_inside_a_sentence_keeps_a_names_capitals(label: str, words: str) -> None:
    assert in_sentence(label) == words
