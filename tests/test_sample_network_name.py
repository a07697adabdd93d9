"""One name for the sample data wherever a person reads it: "the sample network" (the CLI's
command stays `demo`, as SPEC.md names it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from lib.cli.parser import build_parser

ROOT = Path(__file__).resolve().parent.parent
OTHER_NAMES = re.compile(r"\bdemo (network|data)\b|\bsample data\b", re.IGNORECASE)
# Stored in the file, never shown: the sample network's import batch names its "file" so.
STORED = {"sample data"}


def shown_strings(path: Path) -> list[str]:
    """The string constants of a module a person may read: all but docstrings and comments."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and node.value not in STORED
    ]


CODE = sorted(
    [*ROOT.glob("lib/**/*.py"), *ROOT.glob("pages/**/*.py"), ROOT / "app.py", ROOT / "run.py"]
)


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_app_or_cli_text_names_the_sample_network_otherwise(path: Path) -> None:
    assert [text for text in shown_strings(path) if OTHER_NAMES.search(text)] == []


@pytest.mark.parametrize(
    "path",
    [ROOT / "README.md", *sorted(ROOT.glob("docs/*.md"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_document_names_the_sample_network_otherwise(path: Path) -> None:
    assert OTHER_NAMES.findall(path.read_text()) == []


def test_the_cli_help_says_sample_network_and_keeps_the_demo_command() -> None:
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.choices and "demo" in a.choices]
    helps = [parser.format_help(), *(sub.format_help() for sub in commands.choices.values())]
    assert [h for h in helps if OTHER_NAMES.search(h)] == []
    assert "load the sample network" in commands.choices["demo"].format_help().lower() or (
        "load the sample network" in parser.format_help()
    )
