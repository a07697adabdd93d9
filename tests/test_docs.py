"""docs/METHOD.md stays true: everything the code defines for a user is named in it.

As sqlite-utils and datasette do, the documentation is tested against the code itself: every
command of `build_parser()` and its options, every key of a real `stats --json` object
(nested keys included, and the example's keys equal the real ones), every due list, event
kind, attempt outcome, weekly goal and stage, and every `METHOD.md "section"` the code
cites. A name added to the code without the document fails here.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lib.cli import build_parser, main
from lib.core import vocab
from lib.io.demo import load_demo
from lib.records.settings import GOAL_PRESETS
from lib.store.db import open_database
from tests.conftest import ROOT, TODAY

METHOD = ROOT / "docs" / "METHOD.md"
TEXT = METHOD.read_text(encoding="utf-8")


def sections(text: str = TEXT) -> dict[str, str]:
    """Each heading's title → its text, subsections included (a `##` runs to the next `##`)."""
    found: dict[str, str] = {}
    heads = list(re.finditer(r"^(#{2,4}) (.+)$", text, re.MULTILINE))
    for i, head in enumerate(heads):
        level = len(head.group(1))
        end = next(
            (h.start() for h in heads[i + 1 :] if len(h.group(1)) <= level),
            len(text),
        )
        found[head.group(2).strip()] = text[head.end() : end]
    return found


SECTIONS = sections()


def section(title: str) -> str:
    assert title in SECTIONS, f"docs/METHOD.md has no section {title!r}"
    return SECTIONS[title]


def named(key: str, text: str) -> bool:
    """Whether `key` is written as code (`key`, or "key" in the JSON example) in `text`."""
    return f"`{key}`" in text or f'"{key}"' in text


# ---------------------------------------------------------------- the command line


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Every command of the CLI and its parser."""
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def command_text(name: str) -> str:
    """The bullets of "The command line" that start with this command."""
    bullets = re.split(r"\n(?=- )", section("The command line"))
    mine = [b for b in bullets if b.startswith(f"- `{name} ") or b.startswith(f"- `{name}`")]
    assert mine, f'docs/METHOD.md "The command line" has no bullet for `{name}`'
    return "\n".join(mine)


def options(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Each long option and each positional's metavar, but --help and the common --db."""
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or "--db" in action.option_strings:
            continue
        if action.option_strings:
            yield max(action.option_strings, key=len)
        else:
            yield action.metavar or action.dest


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_its_bullet_naming_each_of_its_options(name: str) -> None:
    text = command_text(name)
    missing = [o for o in options(subcommands()[name]) if not re.search(rf"{o}\b", text)]
    assert missing == [], f"`{name}`'s bullet in docs/METHOD.md lacks {missing}"


def test_the_command_line_section_names_db_and_the_three_exit_codes() -> None:
    text = section("The command line")
    assert "`--db PATH`" in text and "`WARMLEADS_DB`" in text
    for code in ("**0**", "**1**", "**2**"):
        assert code in text


def test_no_bullet_names_a_command_the_cli_does_not_have() -> None:
    listed = re.findall(r"^- `([a-z-]+)[ `]", section("The command line"), re.MULTILINE)
    assert set(listed) <= set(subcommands()), set(listed) - set(subcommands())


# ---------------------------------------------------------------- the stats --json object


def key_tree(value: Any) -> Any:
    """The keys of a JSON value, nested: dicts by key, lists as the union of their items."""
    if isinstance(value, dict):
        return {key: key_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        merged: dict[str, Any] = {}
        for item in value:
            tree = key_tree(item)
            if isinstance(tree, dict):
                merged.update(tree)
        return [merged] if merged else []
    return None


def all_keys(tree: Any) -> Iterator[str]:
    if isinstance(tree, dict):
        for key, sub in tree.items():
            yield key
            yield from all_keys(sub)
    elif isinstance(tree, list):
        for sub in tree:
            yield from all_keys(sub)


@pytest.fixture(scope="module")
def real_stats(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`stats --json` of the demo network, as the CLI prints it."""
    path = tmp_path_factory.mktemp("docs") / "network.duckdb"
    db = open_database(path)
    load_demo(db, today=TODAY)
    db.close()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["stats", "--json", "--db", str(path), "--as-of", TODAY.isoformat()]) == 0
    return json.loads(out.getvalue())


def example() -> dict[str, Any]:
    block = re.search(r"```json\n(.*?)```", section("The stats --json object"), re.DOTALL)
    assert block, 'docs/METHOD.md "The stats --json object" has no ```json example'
    return json.loads(block.group(1))


def test_the_json_example_has_exactly_the_keys_of_a_real_object(real_stats: dict) -> None:
    assert key_tree(example()) == key_tree(real_stats)
    assert list(example()) == list(real_stats)  # the top-level order too
    assert list(example()["due"]) == list(real_stats["due"])


def test_every_key_of_a_real_object_is_named_in_the_document(real_stats: dict) -> None:
    missing = sorted({k for k in all_keys(key_tree(real_stats)) if not named(k, TEXT)})
    assert missing == []


# ---------------------------------------------------------------- the vocabularies

VOCABULARIES = [
    ("Stages", vocab.STAGES),
    ("The records", vocab.EVENT_KINDS),
    ("The records", vocab.CHANNELS),
    ("The records", vocab.SOURCES),
    ("Call attempts", vocab.ATTEMPT_OUTCOME.order),
    ("Due lists", vocab.DUE_LISTS),
    ("Coming up", vocab.COMING_UP.order),
    ("The calling session", vocab.WARMTH.order),
    ("Weekly counts", vocab.WEEKLY_KINDS),
    ("Weekly goals", vocab.GOAL_KEYS),
    ("The stats --json object", vocab.DUE_LISTS),
]


@pytest.mark.parametrize(
    ("title", "keys"), VOCABULARIES, ids=[f"{t}-{k[0]}" for t, k in VOCABULARIES]
)
def test_every_key_of_the_vocabulary_is_named_in_its_section(
    title: str, keys: tuple[str, ...]
) -> None:
    text = section(title)
    assert [key for key in keys if not named(key, text)] == []


def test_the_due_lists_and_event_kinds_are_listed_in_the_method_order() -> None:
    due = section("Due lists").split("\n### ")[0]  # the lists themselves, not "Coming up"
    bullets = re.findall(r"^- `([a-z_]+)`:", due, re.MULTILINE)
    assert bullets == list(vocab.DUE_LISTS)
    kinds = re.search(r"The event kinds, in the method's order: (.*?)\.\s", TEXT, re.DOTALL)
    assert kinds, 'docs/METHOD.md "The records" does not list the event kinds in order'
    assert re.findall(r"`([a-z_]+)`", kinds.group(1)) == list(vocab.EVENT_KINDS)


def test_the_goal_table_is_the_presets() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \| (\d+) \| (\d+) \|$", section("Weekly goals"), re.M)
    table = {key: (int(a), int(b)) for key, a, b in rows}
    presets = {k: (GOAL_PRESETS["searching"][k], GOAL_PRESETS["employed"][k]) for k in table}
    assert list(table) == list(vocab.GOAL_KEYS)
    assert table == presets


# ---------------------------------------------------------------- citations from the code

CITATION = re.compile(r"METHOD\.md[\"']?,?\s+[\"'“]([^\"'”\n]+)[\"'”]")


def citations() -> Iterator[tuple[str, str]]:
    for folder in ("lib", "pages", "bench", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "test_docs.py":  # its own docstring names the pattern
                continue
            for match in CITATION.finditer(path.read_text(encoding="utf-8")):
                yield str(path.relative_to(ROOT)), match.group(1)
    for name in ("app.py", "run.py", "docs/ARCHITECTURE.md", "README.md"):
        path = ROOT / name
        if path.exists():
            for match in CITATION.finditer(path.read_text(encoding="utf-8")):
                yield name, match.group(1)


def test_every_section_the_code_cites_exists() -> None:
    cited = list(citations())
    assert len(cited) > 10  # the pattern still finds them
    assert [(where, title) for where, title in cited if title not in SECTIONS] == []


def test_nothing_is_described_as_still_to_come() -> None:
    for phrase in ("Coming in other issues", "is being added", "in its own issue"):
        assert phrase not in TEXT


# ---------------------------------------------------------------- the README and docs/

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_every_document_in_docs_is_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {Path(target).name for target in LINK.findall(readme)}
    documents = {path.name for path in (ROOT / "docs").glob("*.md")}
    assert documents - linked == set()


@pytest.mark.parametrize(
    "document", ["README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))]
)
def test_every_relative_link_leads_to_a_file(document: str) -> None:
    path = ROOT / document
    targets = [t for t in LINK.findall(path.read_text(encoding="utf-8")) if ":" not in t]
    assert [t for t in targets if not (path.parent / t).exists()] == []


def test_the_readme_stays_a_front_door() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 300
