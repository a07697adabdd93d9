"""No user or URL text reaches Markdown unescaped: every st.* call that renders Markdown in
pages/, lib/ui/ and app.py is read (AST) and each value put into its text must go through an
escaper, be app-made (a constant, a count, a vocabulary label) or be on the reviewed list.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lib.ui.text import literal
from tests.conftest import ROOT

# Streamlit calls whose text (first argument, body=, help=, label=) is rendered as Markdown;
# any other call's help= is a tooltip, rendered as Markdown too.
MARKDOWN_CALLS = frozenset(
    {
        "markdown", "write", "caption", "info", "warning", "error", "success", "toast",
        "title", "header", "subheader", "expander", "popover", "page_link", "radio", "checkbox",
        "toggle", "button", "selectbox", "multiselect", "text_input", "text_area", "date_input",
        "number_input", "pills", "segmented_control", "download_button", "link_button",
    }
)  # fmt: skip
TEXT_KEYWORDS = ("body", "help", "label")
# The escaping helpers (lib/ui/text.py): what they return shows user text as text.
ESCAPERS = frozenset({"escape_markdown", "literal", "markdown_link"})
# Functions that build text from dates, counts and labels only, never from user text.
APP_TEXT = frozenset(
    {"human_moment", "human_date", "short_date", "describe_period", "len", "ceil", "field_label",
     "goals_summary", "counted"}
)  # fmt: skip
# Changing a text's case keeps it app text (or user text).
CASE_METHODS = frozenset({"lower", "upper", "capitalize", "title"})
# Values that mention these come from a link, a file or an error message: always escaped.
FROM_OUTSIDE = ("query_params", "exc", "problem", "params", "uploaded", "full_name")

# Reviewed: each value below holds no user or URL text (file, expression) → why.
REVIEWED: dict[tuple[str, str], str] = {
    ("lib/ui/data.py", "note"): "a fixed sentence",
    ("lib/ui/data.py", "updated"): "a time, HH:MM",
    ("lib/ui/forms.py", "message"): "built from escape_markdown() just above",
    ("lib/ui/gate.py", "title"): "fixed titles passed by _refuse()",
    ("lib/ui/gate.py", "message"): "fixed sentences passed by _refuse()",
    ("pages/review/dashboard.py", "filtered"): "vocabulary labels of the picked filters",
    ("pages/review/network.py", "shown"): "a count",
    ("pages/review/network.py", "summary.first_contacts - summary.trees"): "a count",
    ("pages/review/network.py", "summary.first_contacts"): "a count",
    ("pages/review/network.py", "period.day"): "a date",
    ("pages/review/network.py", "advice"): "best_source(): a source label and counts",
    ("pages/review/weekly.py", "this_week"): "a date",
    ("pages/review/weekly.py", "current_streak"): "a count",
    ("pages/review/weekly.py", "best_streak"): "a count",
    ("pages/work/contacts.py", "first"): "a count",
    ("pages/work/contacts.py", "first + len(frame) - 1"): "a count",
    ("lib/ui/person.py", "'  \\n'.join(lines)"): "lines made with markdown_link/escape",
    ("lib/ui/person.py", "total"): "a count",
    ("lib/ui/person.py", "direct"): "a count",
    ("lib/ui/person.py", "steps"): "a count and a noun",
    ("lib/ui/person.py", "kept"): "a count and a noun",
    ("lib/ui/person.py", "warm"): "a fixed marker",
    ("lib/ui/person.py", "contact_id"): "an integer id",
    ("lib/ui/person.py", "step.action"): "due.next_steps(): vocabulary labels",
    ("lib/ui/person.py", "when"): "a human date",
    ("lib/ui/data_tabs/import_tab.py", "plan.label"): "the format's label",
    ("lib/ui/reach.py", "why"): "a count of calls, or fixed words",
    ("lib/ui/contact_form.py", "_label('source')"): "a column label",
    ("lib/ui/contact_form.py", "_label('identified_on')"): "a column label",
    ("lib/ui/contact_form.py", "_label('notes')"): "a column label",
    ("lib/ui/contact_form.py", "label"): "a column label",
    ("lib/ui/gate.py", "outcome.message"): "fixed sentences with a number of seconds",
    ("lib/ui/data_tabs/duplicates_tab.py", "other"): "an integer id",
    ("lib/ui/data_tabs/duplicates_tab.py", "keep"): "an integer id",
    ("lib/ui/data_tabs/import_tab.py", "label"): "counts in fixed words",
    ("lib/ui/data_tabs/import_tab.py", "len(rows) - PROBLEMS_SHOWN"): "a count",
    ("lib/ui/reach.py", "term.label"): "a vocabulary label",
    ("lib/ui/step_editor.py", "yes"): "fixed words and a vocabulary label",
    ("lib/ui/step_editor.py", "fields['notes']"): "a fixed field label",
    ("pages/review/weekly.py", "words"): "the preset's fixed name",
    ("lib/ui/referrals.py", "row"): "a row number",
    ("lib/ui/referrals.py", "warm_label"): "a fixed label with a row number",
    ("lib/ui/conversation_form.py", "asked_label(contact_id)"): "asked_label() escapes the names",
    ("pages/work/call.py", "asked_label(person['id'])"): "asked_label() escapes the names",
    ("lib/ui/data_tabs/import_tab.py", "_what_it_brought(batch)"): "counts in fixed words",
    ("lib/ui/suggestions.py", "queue_title(count)"): "a count in fixed words",
    ("lib/ui/suggestions.py", "queue_title(len(due))"): "a count in fixed words",
    ("lib/ui/suggestions.py", "label"): "a count of files in fixed words",
    ("pages/work/log.py", "label"): "fixed field labels",
    ("pages/work/today.py", "label"): "a vocabulary label",
    ("lib/ui/data_tabs/import_tab.py", "note"): "decoding notes, fixed sentences",
    ("lib/ui/data_tabs/import_tab.py", "title"): "counts in fixed words",
    ("lib/ui/data_tabs/import_tab.py", "LINKEDIN_STEPS"): "fixed instructions",
    ("lib/ui/data_tabs/export_tab.py", "note"): "export notes, fixed sentences",
    ("lib/ui/data_tabs/export_tab.py", "title"): "fixed export titles and counts",
    ("lib/ui/data_tabs/duplicates_tab.py", "total"): "a count",
    ("lib/ui/data_tabs/duplicates_tab.py", "noun"): "a fixed noun",
    ("lib/ui/data_tabs/duplicates_tab.py", "more"): "a count",
    ("lib/ui/data_tabs/duplicates_tab.py", "when"): "a date",
    ("lib/ui/data_tabs/duplicates_tab.py", "merge.removed_id"): "an integer id",
    ("lib/ui/data_tabs/duplicates_tab.py", "merge.kept_id"): "an integer id",
    ("pages/work/log.py", "stage"): "a stage label",
    ("pages/work/log.py", "warning"): "follow_up_warning(): counts and a fixed sentence",
    ("pages/work/pitch.py", "advice"): "pitch advice: counts and fixed sentences",
    ("pages/work/pitch.py", "message.title"): "fixed message titles",
    ("pages/work/today.py", "label.lower()"): "a due list's label",
    ("pages/review/dashboard.py", "card.help"): "a measure's help from the vocabulary",
    ("lib/ui/widgets.py", "label"): "the page link's label: escape_markdown(name) just above",
    ("lib/ui/close_loop.py", "'  \\n'.join(notes)"): "each through escape_markdown() just above",
    ("lib/ui/reach.py", "tried"): "intro_and_tries_lines(): an icon and escape_markdown()",
    ("lib/ui/widgets.py", "total"): "a count",
    ("pages/work/today.py", "'  \\n'.join(lines)"): "escape_markdown(why_due()) and links_line()",
    (
        "pages/work/today.py",
        "'  \\n'.join(notes)",
    ): "escape_markdown(place), intro_and_tries_lines()",
    ("lib/ui/close_loop.py", "label.lower()"): "an event kind's label",
    ("lib/ui/close_loop.py", "links"): "links_line(): markdown_link() for each part",
    ("lib/ui/reach.py", "term.label.lower()"): "an attempt outcome's label",
    ("lib/ui/reach.py", "template.title"): "fixed message titles",
    ("lib/ui/reach.py", "links"): "links_line(): markdown_link() for each part",
    ("lib/ui/logged.py", "entry.icon"): "a Material icon name: OUTCOME_ICONS or the step's check",
    ("pages/work/call.py", "position"): "a count",
    ("pages/work/call.py", "total"): "a count",
    ("pages/work/call.py", "group.label"): "a call group's label",
    (
        "pages/work/call.py",
        "' · '.join((counted(n, WARMTH.label(key).lower()) for key, n in groups.items() if n))",
    ): "counts of call groups",
    ("pages/work/call.py", "summary_words(done)"): "counts and outcome labels",
    ("lib/ui/companies.py", "summarize(companies).line()"): "counts in fixed words",
    (
        "lib/ui/companies.py",
        "summarize([c for c in companies if not c.archived]).line()",
    ): "counts in fixed words",
    ("lib/ui/companies.py", "shown"): "a count",
    ("lib/ui/companies.py", "name"): "web_link() (markdown_link) or escape_markdown() just above",
    (
        "lib/ui/companies.py",
        "levels_words(company)",
    ): "Motivation and Posting: numbers, fixed words",
    ("lib/ui/companies.py", "archived"): "a fixed marker",
    ("lib/ui/company_edit.py", "advocate"): "a fixed marker",
    ("lib/ui/company_edit.py", "line"): "ways_in_lines(): escape_markdown() for each part",
    ("pages/work/call.py", "links"): "links_line(): markdown_link() for each part",
    ("pages/work/call.py", "seconds"): "a count",
    ("pages/work/today.py", "more"): "a count",
    ("lib/ui/welcome.py", "sample_words(status.contacts, status.events)"): "counts in words",
    ("lib/ui/data_tabs/import_tab.py", "new_targets_link(new)"): "a count in fixed words",
    ("lib/ui/data_tabs/import_tab.py", "undone"): "a time the database recorded, in fixed words",
    ("lib/ui/widgets.py", "help"): "the picker's help, fixed text passed by the pages",
}


def _is_vocabulary(node: ast.expr) -> bool:
    """A vocabulary from lib.core.vocab (an upper-case name), or one of its terms."""
    if isinstance(node, ast.Subscript):  # DUE_LIST[name]: a term
        node = node.value
    return isinstance(node, ast.Name) and node.id.isupper()


def _is_app_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in CASE_METHODS:
            return _is_app_text(func.value)  # WEEKLY.label(key).lower(): still the label
        if isinstance(func, ast.Attribute) and _is_vocabulary(func.value):
            return True  # DUE_LIST.label(name), EVENT_KIND.short(kind): vocabulary labels
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in APP_TEXT
    if isinstance(node, ast.Attribute) and _is_vocabulary(node.value):
        return True  # LOG_FORM[step].help, DUE_LIST[name].advice: a term's words
    if isinstance(node, ast.Subscript):  # VOCAB_LABELS[key]: the one vocabulary
        base = node.value
        name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
        return name.isupper()
    if isinstance(node, ast.Attribute):  # pitch.WORDS_PER_MINUTE: a module's constant
        return node.attr.isupper()
    return isinstance(node, ast.Name) and node.id.isupper() and node.id != "LINKEDIN_STEPS"


def unescaped(node: ast.expr) -> list[ast.expr]:
    """The parts of a Markdown text expression that no escaper or app-made rule covers."""
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.JoinedStr):
        return [p for v in node.values if isinstance(v, ast.FormattedValue) for p in unescaped(v)]
    if isinstance(node, ast.FormattedValue):
        return unescaped(node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return unescaped(node.left) + unescaped(node.right)
    if isinstance(node, ast.BoolOp):
        return [p for v in node.values for p in unescaped(v)]
    if isinstance(node, ast.IfExp):
        return unescaped(node.body) + unescaped(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in ESCAPERS:
            return []
    if _is_app_text(node):
        return []
    return [node]


def markdown_values(source: str) -> list[tuple[int, str, ast.expr]]:
    """(line, call name, value) for every Markdown-rendering call's unescaped value."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr in MARKDOWN_CALLS:
            texts = [*node.args[:1], *(k.value for k in node.keywords if k.arg in TEXT_KEYWORDS)]
        else:
            texts = [k.value for k in node.keywords if k.arg == "help"]
        for text in texts:
            found += [(node.lineno, node.func.attr, part) for part in unescaped(text)]
    return found


def sources() -> list[Path]:
    return sorted([*ROOT.glob("pages/**/*.py"), *ROOT.glob("lib/ui/**/*.py"), ROOT / "app.py"])


def test_the_walk_sees_the_markdown_calls_and_flags_an_unescaped_value() -> None:
    planted = (
        "st.warning(f'Part of this link was ignored — {problem}.')\n"
        "col.error(message)\n"
        "st.caption(f'{escape_markdown(name)} {literal(value)}', help=exc.reason)\n"
    )
    flagged = [(line, call, ast.unparse(v)) for line, call, v in markdown_values(planted)]
    assert flagged == [
        (1, "warning", "problem"),
        (2, "error", "message"),
        (3, "caption", "exc.reason"),
    ]
    calls = sum(
        1
        for path in sources()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in MARKDOWN_CALLS
    )
    assert calls > 100  # every page's titles, captions and messages


def test_every_user_or_url_value_in_markdown_goes_through_an_escaper() -> None:
    problems = []
    seen = set()
    for path in sources():
        name = path.relative_to(ROOT).as_posix()
        for line, call, value in markdown_values(path.read_text()):
            key = (name, ast.unparse(value))
            seen.add(key)
            if key not in REVIEWED:
                problems.append(f"{name}:{line}: st.{call}(… {key[1]} …) is not escaped")
    assert problems == []
    assert set(REVIEWED) - seen == set(), "reviewed values no longer used: drop them"


def test_no_reviewed_value_comes_from_a_link_a_file_or_an_error() -> None:
    outside = [key for key in REVIEWED if any(word in key[1] for word in FROM_OUTSIDE)]
    assert outside == []


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("![x](http://127.0.0.1:9/x.png)", "`![x](http://127.0.0.1:9/x.png)`"),
        ("**Session expired** [sign in](http://x/)", "`**Session expired** [sign in](http://x/)`"),
        ("a `tick` here", "``a `tick` here``"),
        ("`edge", "`` `edge ``"),
        (" padded", "`  padded `"),  # CommonMark strips one space from each side
        ("two\nlines", "`two lines`"),
        ("", "` `"),
        (None, "` `"),
    ],
)
def test_literal_makes_a_code_span_that_shows_the_text_as_typed(
    text: str | None, markdown: str
) -> None:
    assert literal(text) == markdown
    assert "\u2060" not in literal(text)
