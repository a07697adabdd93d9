"""The layer table of docs/ARCHITECTURE.md, read from the imports themselves.

Every `import` in `lib/` (at module level or inside a function: a lazy import is still a
dependency) is checked against the order of the layers: a module may import its own layer and
the layers below it, never one above. Within a layer the modules form no circle, and only
`lib/ui/` imports Streamlit. The table in ARCHITECTURE.md names the same layers in the same
order, so the document and the code cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "lib"

# Bottom to top. `lib/cli/` sits above them all (it parses and prints; it may call anything).
LAYERS = ("core", "store", "engine", "records", "io", "present", "ui")
TOP = "cli"
# Third-party packages a layer may not import, whatever its place: the UI library stays in
# lib/ui/, the charting library in lib/present/ and lib/ui/.
ONLY_IN = {"streamlit": {"ui"}, "plotly": {"present", "ui"}}


def module_name(path: Path) -> str:
    """`lib/io/importing/plan.py` → `lib.io.importing.plan`; a package is its `__init__`."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """The layer a `lib.*` module belongs to (`lib.cli` and its modules are the top)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in LAYERS:
        return TOP
    return parts[1]


@cache
def lib_modules() -> dict[str, Path]:
    """Every module of lib/, by dotted name."""
    return {module_name(path): path for path in sorted(LIB.rglob("*.py"))}


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The lib module an imported name lives in: `lib.x.y.func` → `lib.x.y`."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


@cache
def imports() -> dict[str, list[tuple[str, int]]]:
    """For each lib module, the names it imports (absolute, dotted) with their line numbers."""
    modules = lib_modules()
    found: dict[str, list[tuple[str, int]]] = {}
    for module, path in modules.items():
        names: list[tuple[str, int]] = []
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [(alias.name, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolve against this module's package
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                names += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
                names.append((base, node.lineno))
        found[module] = names
    return found


def lib_edges() -> dict[str, set[str]]:
    """Module → the lib modules it imports."""
    modules = lib_modules()
    return {
        module: {
            target
            for name, _ in names
            if name.startswith("lib.")
            and (target := resolve(name, modules)) is not None
            and target != module
        }
        for module, names in imports().items()
    }


def rank(layer: str) -> int:
    return len(LAYERS) if layer == TOP else LAYERS.index(layer)


def test_no_module_imports_a_higher_layer() -> None:
    modules = lib_modules()
    upward = []
    for module, names in imports().items():
        here = layer_of(module)
        for name, line in names:
            if not name.startswith("lib."):
                continue
            target = resolve(name, modules)
            if target is None or target == "lib":
                continue
            if rank(layer_of(target)) > rank(here):
                path = modules[module].relative_to(ROOT)
                upward.append(f"{path}:{line} ({here}) imports {target} ({layer_of(target)})")
    assert sorted(set(upward)) == []


def test_no_circles_between_modules() -> None:
    edges = lib_edges()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges.get(module, ())):
            if target.startswith(module + "."):
                continue  # a package importing its own submodules is no circle
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    # A submodule importing its package's other submodules through the package __init__ can
    # look like a circle only when the __init__ imports it back: that is a real circle too.
    assert circles == []


@pytest.mark.parametrize("package", sorted(ONLY_IN))
def test_third_party_libraries_stay_in_their_layers(package: str) -> None:
    allowed = ONLY_IN[package]
    modules = lib_modules()
    wrong = sorted(
        f"{modules[module].relative_to(ROOT)}:{line}"
        for module, names in imports().items()
        for name, line in names
        if (name == package or name.startswith(package + "."))
        and layer_of(module) not in allowed
        and layer_of(module) != TOP
    )
    assert wrong == []


def test_every_lib_folder_is_a_known_layer() -> None:
    folders = sorted(p.name for p in LIB.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted((*LAYERS, TOP))


def test_architecture_md_names_the_layers_in_their_order() -> None:
    """The layer table lists each `lib/<layer>/` row, top to bottom in the reverse order."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `lib/(\w+)/` \|", text, flags=re.MULTILINE)
    assert rows == list(LAYERS)


@pytest.mark.parametrize(
    ("folder", "limit"),
    [("pages", 300), ("lib", 450)],
)
def test_files_stay_at_reading_size(folder: str, limit: int) -> None:
    """A page reads at once (about 300 lines); a lib module stays one concern (about 450)."""
    long = sorted(
        f"{path.relative_to(ROOT)}: {n} lines"
        for path in (ROOT / folder).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > limit
    )
    assert long == []
