"""Form feedback: messages under the field they concern, and confirmations that survive a rerun."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.core.errors import ValidationError, WarmLeadsError
from lib.ui.text import escape_markdown, field_label


class FieldErrors:
    """Places under form fields where a ValidationError's message shows, next to its field.

    `labels` names the fields of a form that is not a contact's (a company's "name" is "Company").
    """

    def __init__(self, labels: dict[str, str] | None = None) -> None:
        self._slots: dict[str, Any] = {}
        self._labels = labels or {}

    def slot(self, *fields: str) -> None:
        """Reserve the place for these fields' messages here (call right after the widget)."""
        placeholder = st.empty()
        for name in fields:
            self._slots[name] = placeholder

    def show(self, error: WarmLeadsError) -> None:
        """Show the message at its field (or, for a problem with no field, the form's `*` slot)."""
        if isinstance(error, ValidationError):
            field, message = (
                error.field,
                f"{self._labels.get(error.field) or field_label(error.field)}: "
                f"{escape_markdown(error.reason)}",
            )
        else:
            field, message = "*", escape_markdown(str(error))
        target = self._slots.get(field) or self._slots.get("*")
        (target or st).error(message, icon=":material/error:")


class FormRound:
    """A form drawn afresh after each submit: its widgets' keys carry the round's number, so
    after `next()` the rerun draws new widgets (empty, or at the values the page gives them)
    instead of keeping what the user typed into the old ones."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._counter = f"{name}_round"

    @property
    def number(self) -> int:
        """How many times this form has been sent (and so drawn afresh) in this session."""
        return int(st.session_state.get(self._counter, 0))

    def key(self, *parts: object) -> str:
        """The widget key prefix for this round: `parts` (else the form's name), then the round."""
        return "_".join(str(part) for part in (*(parts or (self.name,)), self.number))

    def next(self) -> None:
        """Start the next round: every widget keyed by `key()` is new on the next run."""
        st.session_state[self._counter] = self.number + 1


def form_round(name: str) -> FormRound:
    """The rounds of the form `name` (the one way a page empties a form after a submit)."""
    return FormRound(name)


def every_problem(
    check: Callable[[dict[str, Any]], Any], data: dict[str, Any]
) -> list[ValidationError]:
    """Each field of `data` checked on its own by `check`: every field's problem, in order."""
    problems = []
    for name, value in data.items():
        try:
            check({name: value})
        except ValidationError as exc:
            problems.append(exc)
    return problems


def flash(
    message: str,
    *,
    kind: str = "success",
    undo: list[int] | None = None,
    referrals: list[int] | None = None,
) -> None:
    """Keep a confirmation to show after the rerun that follows a write.

    `undo`: the event ids an Undo button takes back; `referrals`: the contacts the same
    submit added, taken back with them (the callback then gets both lists).
    """
    st.session_state.setdefault("_flash", []).append((kind, message, undo, referrals))


def show_flash(undo: Callable[..., None] | None = None) -> None:
    """Show (once) the confirmations kept by `flash`, with an Undo button when offered."""
    for number, (kind, message, ids, referrals) in enumerate(st.session_state.pop("_flash", [])):
        box = st.container(horizontal=True, vertical_alignment="center")
        show = {"success": box.success, "warning": box.warning, "info": box.info}[kind]
        show(
            escape_markdown(message),
            icon={"success": ":material/check:", "warning": ":material/schedule:"}.get(
                kind, ":material/info:"
            ),
            width="stretch",
        )
        if ids and undo is not None:
            args = (ids, referrals) if referrals else (ids,)
            box.button("Undo", key=f"undo_{number}_{ids[0]}", on_click=undo, args=args)
