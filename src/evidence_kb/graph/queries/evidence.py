"""The findings about an element, theme, condition or concept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from evidence_kb._gc import gc_paused
from evidence_kb.graph.queries.charting import charting_of, findings_where

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.graph.build import GraphIndex
    from evidence_kb.graph.queries.common import KBOrGraph
    from evidence_kb.model.charting import Charting

from evidence_kb.graph.queries.common import (
    EVIDENCE_COLUMNS,
    _descendants,
    _finding_concepts,
    _index,
    _resolve,
    _sorted,
    as_graph,
)


# -- evidence -------------------------------------------------------------------------------------
@gc_paused()
def evidence(
    kb: KBOrGraph,
    x: str,
    *,
    crosswalk: bool = True,
    where: Mapping[str, object] | None = None,
    charting: Charting | None = None,
) -> pd.DataFrame:
    """Return every finding about an element, theme, condition or concept.

    Parameters
    ----------
    kb
        A loaded knowledge base (``ekb.load()``, or any :class:`~evidence_kb.KBData`) or its graph.
    x
        An element id, Dutch or English label or alias ("Synergie", "liso/synergie", "Resultaten"),
        or a concept id or label ("trust", "vertrouwen"). Prefix ``concept:`` or ``element:`` to
        choose when a name is both.
    crosswalk
        Also list the findings that state a crosswalk link of the element (``via`` says
        ``crosswalk``): the only evidence for the TNO conditions, which no finding is about.
    where, charting
        Only the findings citing a charted study (``studies.csv``) with these values, such as
        ``{"design": "RCT", "country": ["USA", "UK"]}`` (one study matches every field; a list
        matches any of its values); ``charting`` defaults to ``kb.charting``.

    Returns
    -------
    pandas.DataFrame
        One row per finding (:data:`EVIDENCE_COLUMNS`): its review, element, theme, kind,
        direction, statement, citation as printed, resolved reference keys, source line, how it
        was reached (``via``: element, theme, part, side, concept, crosswalk) and its concepts;
        sorted by review and finding id.

    Examples
    --------
    >>> kb = ekb.load()
    >>> table = evidence(kb, "Synergie")
    >>> table.loc[
    ...     table["review"] == "werk-inkomen-2023", ["finding_id", "citation"]
    ... ].values.tolist()
    [['wi-010', 'Tosun, 2017 Camps & Torres, 2011']]
    >>> sorted(set(evidence(kb, "trust")["via"]))
    ['concept']
    """
    index = _index(as_graph(kb))
    findings = index.findings
    kind, key = _resolve(index, x)
    is_concept = kind == "concept"
    via = _via_concept(index, key) if is_concept else _via_element(index, key, crosswalk=crosswalk)
    chosen = findings[via != ""].assign(via=via[via != ""])
    if where:
        kept = findings_where(index, charting_of(kb, charting), where)
        chosen = chosen[chosen["finding_id"].isin(kept)]
    concepts = _finding_concepts(index, chosen["finding_id"])
    chosen = chosen.assign(concepts=[concepts.get(f, "") for f in chosen["finding_id"]])
    for column in EVIDENCE_COLUMNS:
        if column not in chosen:
            chosen = chosen.assign(**{column: ""})
    return _sorted(chosen[list(EVIDENCE_COLUMNS)], ["review", "finding_id"])


def _via_concept(index: GraphIndex, concept: str) -> pd.Series:
    """Per finding, ``"concept"`` if it is tagged with ``concept``, else ``""``."""
    import pandas as pd

    findings = index.findings
    via = pd.Series("", index=findings.index)
    tags = index.tags[index.tags["concept_id"] == concept]
    via[findings["finding_id"].isin(set(tags["finding_id"]))] = "concept"
    return via


def _via_element(index: GraphIndex, key: str, *, crosswalk: bool) -> pd.Series:
    """Per finding, how it is about element ``key`` (``""``: it is not).

    ``element``, ``theme``, ``part`` (an element below it), ``side`` (a comparison finding
    speaking for the framework ``key``) or ``crosswalk`` (it states a link of ``key``).
    """
    import pandas as pd

    findings = index.findings
    via = pd.Series("", index=findings.index)
    subtree = _descendants(index, key)
    targets = findings["target"]
    via[targets.isin(subtree)] = "part"
    via[findings["element"] == key] = "element"
    via[findings["theme"] == key] = "theme"
    if key in set(index.elements.loc[index.elements["level"] == "framework", "element_id"]):
        side = (targets == "") & findings["framework"].str.split(";").apply(lambda fs: key in fs)
        via[side & (via == "")] = "side"
    if crosswalk and len(index.crosswalk):
        cw = index.crosswalk
        linked = cw[(cw["source_element"] == key) | (cw["target_element"] == key)]
        stating = {f for cell in linked["finding_id"] for f in str(cell).split(";") if f}
        via[findings["finding_id"].isin(stating) & (via == "")] = "crosswalk"
    return via
