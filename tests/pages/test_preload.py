"""The widget-code preload: every chunk it names is in this Streamlit build, and Today's are
fetched at once."""

from __future__ import annotations

from pathlib import Path

from lib.ui import preload
from tests.pagekit import open_page
from tests.support import write_demo


def drawn_kinds(node: object) -> set[str]:
    """The kinds of element in an AppTest tree (its classes' names: Button, Metric, …)."""
    kinds = {type(node).__name__}
    children = getattr(node, "children", None) or {}
    for child in children.values() if isinstance(children, dict) else children:
        kinds |= drawn_kinds(child)
    return kinds


def test_every_preloaded_widget_has_exactly_one_chunk_in_this_streamlit_build() -> None:
    # A Streamlit upgrade that renames a chunk fails here instead of losing the preload.
    for widgets in (preload.NOW, preload.LATER):
        names = preload.chunk_names(widgets)
        assert [name.split(".")[0] for name in names] == list(widgets)
        assert all((preload._CHUNKS / name).is_file() for name in names)


def test_the_script_names_only_those_chunks_and_no_address() -> None:
    script = preload.preload_script()
    for name in preload.chunk_names(preload.NOW) + preload.chunk_names(preload.LATER):
        assert f'"{name}"' in script
    assert "http" not in script
    assert "NOW_NAMES" not in script and "LATER_NAMES" not in script


def test_every_widget_today_draws_from_a_lazy_chunk_is_fetched_at_once(app_env: Path) -> None:
    write_demo(app_env)
    at = open_page("pages/work/today.py")
    lazy = {
        kind
        for kind in drawn_kinds(at._tree)
        if kind != "Html" and list(preload._CHUNKS.glob(f"{kind}.*.js"))
    }
    assert lazy == set(preload.NOW)
