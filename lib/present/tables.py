"""Small tables of counts, laid out to be read as they are: frame in, display frame out.

Every number is written out, each count beside its share of the row's targets ("8 (80%)"),
so a phone, which has no hover, shows all of it. They replaced two of Network's five charts:
a static table costs a page's first visit a fraction of a chart's drawing (bench_first_visit).
The page shows them with `lib.ui.widgets.plain_table`, which escapes every cell.
"""

from __future__ import annotations

import pandas as pd

from lib.core.words import percent

NONE = "—"


def _share(part: int, whole: int) -> str:
    """'8 (80%)', or '—' when there is nothing to take a share of."""
    return f"{part:,} ({percent(part, whole)})" if whole else NONE


def warm_cold_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Warm referrals, other referrals and cold targets: how many, contacted, then referring.

    `groups` is `lib.engine.network.warm_vs_cold`.
    """
    rows = []
    for row in groups.itertuples():
        targets = int(row.targets)
        rows.append(
            {
                "Kind of target": row.label,
                "Targets": f"{targets:,}",
                "Contacted": _share(int(row.contacted), targets),
                "Then referred someone": _share(int(row.referred_someone), targets),
            }
        )
    return pd.DataFrame(
        rows, columns=["Kind of target", "Targets", "Contacted", "Then referred someone"]
    )


def by_source_table(sources: pd.DataFrame) -> pd.DataFrame:
    """Per source (its short label): targets, how many you talked to, the referrals they gave.

    `sources` is `lib.engine.network.by_source`.
    """
    rows = []
    for row in sources.itertuples():
        targets, referrals = int(row.targets), int(row.referrals)
        rows.append(
            {
                "Source": row.short_label,
                "Targets": f"{targets:,}",
                "Talked to": _share(int(row.contacted), targets),
                "Referrals": f"{referrals:,}",
                "Per target": f"{referrals / targets:.1f}" if targets else NONE,
            }
        )
    return pd.DataFrame(rows, columns=["Source", "Targets", "Talked to", "Referrals", "Per target"])
