"""The Possible duplicates tab: pairs that look like one person, a merge (or "different
people") for one pair, and the latest merges with Undo."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lib.core.errors import WarmLeadsError
from lib.core.words import counted, human_moment
from lib.records import duplicates
from lib.store.db import Database
from lib.ui.data import query
from lib.ui.forms import flash
from lib.ui.text import escape_markdown

ERROR = ":material/error:"


def show(db: Database, day: date) -> None:
    """Possible duplicates, then the latest merges."""
    _duplicates(db)
    _merges(db)


def _duplicates(db: Database) -> None:
    """Possible duplicate pairs, a merge (or "different people") for one, and undo."""
    pairs = query(duplicates.find_duplicates)
    if pairs.empty:
        st.info(
            "No possible duplicates: no two contacts share an email or LinkedIn URL or have "
            "very similar names at the same company."
        )
        return
    total = int(pairs["total"].iloc[0])
    more = f" (the first {len(pairs):,} are listed)" if total > len(pairs) else ""
    noun = "pair looks" if total == 1 else "pairs look"
    st.markdown(f"**{total:,}** {noun} like the same person{more}.")
    st.dataframe(
        pairs[["a_id", "a_name", "a_company", "b_id", "b_name", "b_company", "reasons"]].rename(
            columns={
                "a_id": "#",
                "a_name": "Name",
                "a_company": "Company",
                "b_id": "Other #",
                "b_name": "Other name",
                "b_company": "Other company",
                "reasons": "Why",
            }
        ),
        hide_index=True,
    )
    labels = [
        f"#{r.a_id} {r.a_name} / #{r.b_id} {r.b_name} ({r.reasons})" for r in pairs.itertuples()
    ]
    pick = st.selectbox("Pair to resolve", range(len(pairs)), format_func=labels.__getitem__)
    pair = pairs.iloc[pick]
    people = {int(pair[f"{s}_id"]): pair for s in ("a", "b")}
    side = {int(pair["a_id"]): "a", int(pair["b_id"]): "b"}

    def describe(contact_id: int) -> str:
        s = side[contact_id]
        company = pair[f"{s}_company"]
        events = int(pair[f"{s}_events"])
        where = f", {company}" if isinstance(company, str) else ""
        return escape_markdown(
            f"#{contact_id} {pair[f'{s}_name']}{where} ({counted(events, 'event')})"
        )

    ids = sorted(people, key=lambda i: -int(pair[f"{side[i]}_events"]))
    keep = st.radio(
        "Keep (the other's events, referrals and missing details move to it)",
        ids,
        format_func=describe,
        horizontal=True,
        key=f"keep-{pick}",
    )
    other = next(i for i in people if i != keep)
    merge_col, differ_col, _ = st.columns([1, 1, 2])
    if merge_col.button(f"Merge #{other} into #{keep}", type="primary"):
        try:
            merged = duplicates.merge_contacts(db, keep, other)
        except WarmLeadsError as exc:
            st.error(escape_markdown(exc), icon=ERROR)
            return
        removed_name = str(pair[f"{side[other]}_name"])
        flash(merged.summary(removed_name) + ". You can undo it below.")
        st.rerun()
    if differ_col.button("They are different people"):
        duplicates.mark_not_duplicates(db, keep, other)
        st.rerun()


def _merges(db: Database) -> None:
    """The latest merges, each with an Undo until it is undone."""
    merges = query(duplicates.recent_merges)
    if merges.empty:
        return
    st.subheader("Recent merges")
    for merge in merges.itertuples():
        text_col, button_col = st.columns([5, 1])
        when = human_moment(pd.Timestamp(merge.merged_at).to_pydatetime())
        kept = merge.kept_name if isinstance(merge.kept_name, str) else "a deleted contact"
        undone = not pd.isna(merge.undone_at)
        text_col.markdown(
            f"{when} · {escape_markdown(merge.removed_name)} (#{merge.removed_id}) merged into "
            f"{escape_markdown(kept)} (#{merge.kept_id})" + (" · *undone*" if undone else "")
        )
        if not undone and button_col.button("Undo", key=f"undo-{merge.id}"):
            try:
                duplicates.undo_merge(db, int(merge.id))
            except WarmLeadsError as exc:
                st.error(escape_markdown(exc), icon=ERROR)
                return
            flash(f"Merge undone: {merge.removed_name} is back.")
            st.rerun()
