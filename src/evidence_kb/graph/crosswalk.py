"""The crosswalk: links between elements of different frameworks that the sources state.

``data/crosswalk.csv`` holds one row per stated link:

- ``source_element``, ``target_element``: element ids (a framework's own id for a link between
  whole frameworks, e.g. ``tno-lo`` and ``liso-2025``);
- ``relation``: ``overlap``, ``difference``, ``relationship`` or ``same_as``;
- ``finding_id``: the finding(s) that state the link, ``;``-separated;
- ``note``: why, quoting the source; a row without a finding must say where the link is
  stated (a line, ``<seed> <section>, line <n>``, or a page, ``p. 14``), so that no link is
  made up.

Two kinds of rows live in the file. The links between whole frameworks follow mechanically from
the comparison findings of 000 (:func:`derive_comparison_links` re-derives them, and a test keeps
the file in step). The links between single elements are judgement calls, each explained in
its note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evidence_kb._deprecated import deprecated, moved_to
from evidence_kb.model.checks import RELATIONS
from evidence_kb.model.vocab import (
    CROSSWALK_COLUMNS,
    CROSSWALK_FILE,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COMPARISON_REVIEW",
    "CROSSWALK_COLUMNS",
    "CROSSWALK_FILE",
    "RELATIONS",
    "SIDE_FRAMEWORKS",
    "derive_comparison_links",
]

COMPARISON_REVIEW = "lo-lnw-2026"

# Which framework each side of the 000 comparison speaks for: the TNO model of the learning
# organisation, and the LISO-werkwijze that 000 presents for learning networks (Figuur 1, line 66;
# "het raamwerk van leernetwerken", Tabel 2 line 130 and 136).
SIDE_FRAMEWORKS: dict[str, tuple[str, ...]] = {
    "learning_organisation": ("tno-lo",),
    "learning_network": ("liso-2025",),
    "both": ("tno-lo", "liso-2025"),
}
_COMPARISON_KINDS = ("overlap", "difference", "relationship")


def derive_comparison_links(findings: pd.DataFrame) -> pd.DataFrame:
    """Derive the framework-level links that the comparison findings of 000 state.

    The overlap and difference rows of 000 Tabel 2 come in pairs that share a THEMA (``topic``):
    one row for the learning organisation, one for learning networks. Each pair is one link
    between the two frameworks (``SIDE_FRAMEWORKS``). Each relationship row, about both, is a
    link of its own. Advice rows (Tabel 3) comment on these and add none.

    Returns
    -------
    pandas.DataFrame
        Crosswalk rows (``source_element`` the learning-organisation framework), sorted.

    Examples
    --------
    >>> kb = ekb.load()
    >>> links = derive_comparison_links(kb.findings)
    >>> links.query("finding_id == 'lolnw-010;lolnw-011'")[
    ...     ["source_element", "target_element", "relation"]
    ... ].values.tolist()
    [['tno-lo', 'liso-2025', 'overlap']]
    """
    import pandas as pd

    (lo,) = SIDE_FRAMEWORKS["learning_organisation"]
    (lnw,) = SIDE_FRAMEWORKS["learning_network"]
    rows = []
    comparisons = findings[findings["kind"].isin(_COMPARISON_KINDS)]
    comparisons = comparisons[comparisons["element"].fillna("") == ""]
    for (kind, topic), group in comparisons.groupby(["kind", "topic"], sort=False, dropna=False):
        ids = sorted(group["finding_id"])
        sides = set(group["side"].fillna(""))
        if kind == "relationship" or sides == {"both"}:
            rows += [(lo, lnw, "relationship", f, f"{topic}") for f in ids]
        elif {"learning_organisation", "learning_network"} <= sides:
            rows.append((lo, lnw, kind, ";".join(ids), f"{topic}"))
    frame = pd.DataFrame(rows, columns=list(CROSSWALK_COLUMNS))
    return frame.sort_values(["relation", "finding_id"], kind="stable").reset_index(drop=True)


# names that moved in 0.2: the reader to io.tables, the check to model.checks
_MOVED = {
    **moved_to("evidence_kb.io.tables", "load_crosswalk"),
    **moved_to("evidence_kb.model.checks", "check_crosswalk"),
}


def __getattr__(name: str) -> Any:
    return deprecated(__name__, name, _MOVED)
