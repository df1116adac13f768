"""The evidence gaps, typed, and the evidence gap map (a matrix of finding counts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from evidence_kb._gc import gc_paused
from evidence_kb.graph.build import GraphIndex
from evidence_kb.graph.queries.cells import grid_of
from evidence_kb.graph.queries.charting import charting_of, finding_values
from evidence_kb.model.charting import NOT_CHARTED, Charting
from evidence_kb.model.related import doubt_text, doubts
from evidence_kb.model.vocab import NOT_EVIDENCE_KINDS

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.graph.queries.common import KBOrGraph

from evidence_kb.graph.queries.common import (
    EVIDENCE_KINDS,
    GAP_COLUMNS,
    GAP_TYPES,
    _element_order,
    _framework,
    _index,
    _sorted,
    as_graph,
)


# -- gaps -----------------------------------------------------------------------------------------
@gc_paused()
def gaps(kb: KBOrGraph, *, frameworks: tuple[str, str] | None = None) -> pd.DataFrame:
    """Return the evidence gaps of a knowledge base, one row per gap, typed.

    Parameters
    ----------
    kb
        A loaded knowledge base (``ekb.load()``, or any :class:`~evidence_kb.KBData`) or its graph.
    frameworks
        For ``concept_without_counterpart``: the pair of frameworks to compare. By default every
        pair that the crosswalk links.

    Returns
    -------
    pandas.DataFrame
        :data:`GAP_COLUMNS`, sorted by gap type (in the order of :data:`GAP_TYPES`), framework,
        element and review. The gap types:

        - ``no_evidence``: the review printed "Geen relevante informatie gevonden";
        - ``empty_cell``: an element of a framework and level the review reports on, with no
          finding of that review in it or below it;
        - ``one_sided``: an element whose findings with a direction (its own and those below
          it) are all promoting or all hindering;
        - ``single_source``: an element whose cited findings all rest on one reference;
        - ``unresolved_citation``: a finding whose citation did not resolve (status unresolved
          or ambiguous in ``kb.citations``);
        - ``retracted_citation``: a finding that cites a work that is retracted, or has an
          expression of concern, by the knowledge base's ``related.csv`` (the detail names the
          work and the notice; only when ``kb`` is a knowledge base, a bare graph has no
          ``related.csv``);
        - ``uncited``: a factor, working element, outcome, condition or risk printed without a
          citation;
        - ``concept_without_counterpart``: a concept of one framework that a linked framework
          never names (by element label or finding).

    Examples
    --------
    >>> table = gaps(ekb.load())
    >>> for element in table.loc[table.gap_type == "no_evidence", "element"]:
    ...     print(element)
    liso/synergie/tevredenheid
    liso/opbrengsten/jaarlijkse-bijeenkomst
    liso/opbrengsten/randvoorwaarden-leren
    liso/kennistransfer/financiele-prikkels
    liso/kennistransfer/implementatiestrategieen
    """
    index = _index(as_graph(kb))
    findings = index.findings
    if findings.empty:  # a new review without findings yet: text columns, not float ones
        findings = findings.astype(object)
    framework_of = _framework_of(index)
    above = _findings_above(index, findings)
    parts = [
        _no_evidence_gaps(findings),
        _empty_cell_gaps(index),
        _one_sided_gaps(above, framework_of),
        _single_source_gaps(index, above, framework_of),
        _unresolved_citation_gaps(findings),
        _retracted_citation_gaps(index, findings, getattr(kb, "related_table", None)),
        _uncited_gaps(findings),
        _counterpart_gaps(index, framework_of, frameworks),
    ]
    return _sorted_gaps(index, parts)


def _no_evidence_gaps(findings: pd.DataFrame) -> pd.DataFrame:
    """``no_evidence``: what the review itself says it did not find."""
    rows = findings[findings["kind"] == "no_evidence"]
    return _gap_rows(
        "no_evidence",
        rows,
        element=rows["target"],
        detail=rows["statement"] + " (" + rows["source"] + ")",
    )


def _findings_above(index: GraphIndex, findings: pd.DataFrame) -> pd.DataFrame:
    """Every finding with an element, once for the element and once for each element above it.

    The columns are those of the finding (``finding_id``, ``review``, ``target``, ``direction``,
    ``framework``) and the ``element`` it counts for.
    """
    located = findings.loc[
        findings["target"] != "", ["finding_id", "review", "target", "direction", "framework"]
    ]
    above = located.assign(element=located["target"].map(_ancestors(index))).explode("element")
    return above[above["element"].notna()]


def _empty_cell_gaps(index: GraphIndex) -> pd.DataFrame:
    """``empty_cell``: element x review cells that the review could have filled, but did not.

    The cells are those of :func:`~evidence_kb.graph.queries.cells.gap_cells` in state
    ``empty``, the ones the report marks as gaps: the review reports on the element's level or
    one below it (by element or theme) and has no finding in it or below it.
    """
    cells = grid_of(index).cells
    empty = cells[(cells["state"] == "empty") & (cells["element"] != cells["framework"])]
    return _gap_rows(
        "empty_cell",
        empty,
        element=empty["element"],
        finding_ids="",
        n_findings=0,
        detail=empty["review"]
        + " reports on "
        + empty["levels"].str.replace(";", " and ", regex=False)
        + " elements of "
        + empty["framework"]
        + " but has no finding here",
    )


def _one_sided_gaps(above: pd.DataFrame, framework_of: dict[str, str]) -> pd.DataFrame:
    """``one_sided``: an element (with what is below it) whose evidence has a single direction."""
    directed = above[above["direction"].isin(("promoting", "hindering"))]
    n_directions = directed.groupby("element")["direction"].nunique()
    one = directed[directed["element"].isin(n_directions.index[n_directions == 1])]
    return _element_gaps("one_sided", one, framework_of, _one_sided_detail)


def _one_sided_detail(group: pd.DataFrame) -> str:
    counts = group["review"].value_counts().sort_index()
    per_review = ", ".join(f"{r} {n}" for r, n in counts.items())
    return f"only {group['direction'].iloc[0]} evidence ({per_review})"


def _single_source_gaps(
    index: GraphIndex, above: pd.DataFrame, framework_of: dict[str, str]
) -> pd.DataFrame:
    """``single_source``: all cited findings of an element rest on one reference."""
    cited = above[["finding_id", "element"]].merge(index.cites, on="finding_id")
    n_keys = cited.groupby("element")["key"].nunique()
    single = cited[cited["element"].isin(n_keys.index[n_keys == 1])]
    return _element_gaps(
        "single_source",
        single,
        framework_of,
        lambda group: (
            f"all {group['finding_id'].nunique()} cited finding(s) rest on " + group["key"].iloc[0]
        ),
    )


def _unresolved_citation_gaps(findings: pd.DataFrame) -> pd.DataFrame:
    """``unresolved_citation``: a finding whose citation is unresolved or ambiguous."""
    rows = findings[findings["citation_status"].isin(("unresolved", "ambiguous"))]
    return _gap_rows(
        "unresolved_citation",
        rows,
        element=rows["target"],
        detail=rows["citation_status"] + ": '" + rows["citation"] + "'",
    )


def _retracted_citation_gaps(
    index: GraphIndex, findings: pd.DataFrame, related: pd.DataFrame | None
) -> pd.DataFrame:
    """``retracted_citation``: a finding citing a retracted work (or one with a concern)."""
    by_work = doubts(related)
    cites = index.cites[index.cites["key"].isin(list(by_work))]
    if cites.empty:
        return findings.iloc[:0]
    said = {key: doubt_text(key, notices) for key, notices in by_work.items()}
    detail = cites.groupby("finding_id")["key"].agg(
        lambda keys: "cites " + "; ".join(said[k] for k in sorted(set(keys)))
    )
    rows = findings[findings["finding_id"].isin(detail.index)]
    return _gap_rows(
        "retracted_citation",
        rows,
        element=rows["target"],
        detail=rows["finding_id"].map(detail),
    )


def _uncited_gaps(findings: pd.DataFrame) -> pd.DataFrame:
    """``uncited``: evidence (a factor, outcome, ...) printed without a citation."""
    rows = findings[
        findings["kind"].isin(EVIDENCE_KINDS) & (findings["citation"].str.strip() == "")
    ]
    return _gap_rows(
        "uncited",
        rows,
        element=rows["target"],
        detail=rows["kind"] + " printed without a citation (" + rows["source"] + ")",
    )


def _counterpart_gaps(
    index: GraphIndex, framework_of: dict[str, str], frameworks: tuple[str, str] | None
) -> pd.DataFrame:
    """``concept_without_counterpart``: a concept one framework names, a linked one never."""
    import pandas as pd

    profiles = _framework_concepts(index)
    rows = []
    for fa, fb in sorted(_linked_frameworks(index, framework_of, frameworks)):
        for this, other in ((fa, fb), (fb, fa)):
            named, elsewhere = profiles.get(this, {}), profiles.get(other, {})
            for concept in sorted(set(named) - set(elsewhere)):
                ids = sorted(set(named[concept]))
                detail = f"named in {this} ({len(ids)} finding(s)), not in {other}"
                rows.append((this, concept, other, len(ids), ";".join(ids), detail))
    columns = ["framework", "concept", "other_framework", "n_findings", "finding_ids", "detail"]
    return pd.DataFrame(rows, columns=columns).assign(gap_type="concept_without_counterpart")


def _linked_frameworks(
    index: GraphIndex, framework_of: dict[str, str], frameworks: tuple[str, str] | None
) -> set[tuple[str, ...]]:
    """The pairs of frameworks to compare: ``frameworks``, else every pair the crosswalk links."""
    if frameworks is not None:
        pair = (_framework(index, frameworks[0]), _framework(index, frameworks[1]))
        return {tuple(sorted(pair))}
    cw = index.crosswalk
    return {
        tuple(sorted((framework_of[u], framework_of[v])))
        for u, v in zip(cw["source_element"].tolist(), cw["target_element"].tolist(), strict=True)
        if u in framework_of and v in framework_of and framework_of[u] != framework_of[v]
    }


def _sorted_gaps(index: GraphIndex, parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The gap rows as one table of :data:`GAP_COLUMNS`, sorted by type, framework and element."""
    import pandas as pd

    table = pd.concat(
        [pd.DataFrame(columns=list(GAP_COLUMNS)), *(p for p in parts if len(p))],
        ignore_index=True,
    )
    table = table.reindex(columns=list(GAP_COLUMNS)).fillna("")
    table["n_findings"] = table["n_findings"].astype(int)
    rank = {g: i for i, g in enumerate(GAP_TYPES)}
    order = _element_order(index)
    element_rank = {e: i for i, e in enumerate(sorted(order, key=lambda e: order[e]))}
    table = table.assign(
        _type=table["gap_type"].map(rank),
        _element=table["element"].map(element_rank).fillna(-1),
    )
    table = _sorted(
        table, ["_type", "framework", "_element", "review", "concept", "other_framework"]
    )
    return table.drop(columns=["_type", "_element"])


def _gap_rows(gap_type: str, rows: pd.DataFrame, **columns: Any) -> pd.DataFrame:
    """One gap row per row of ``rows`` (its ``framework``, ``review`` and ``finding_id``)."""
    present = [c for c in ("framework", "review", "finding_id") if c in rows]
    frame = rows[present].rename(columns={"finding_id": "finding_ids"})
    return frame.assign(gap_type=gap_type, **{"n_findings": 1, **columns})


def _element_gaps(
    gap_type: str,
    frame: pd.DataFrame,
    framework_of: dict[str, str],
    detail: Callable[[pd.DataFrame], str],
) -> pd.DataFrame:
    """One gap row per element of ``frame``, with its findings and ``detail(group)``."""
    rows = []
    for element, group in frame.groupby("element", sort=False):
        ids = sorted(set(group["finding_id"]))
        rows.append((framework_of[element], element, len(ids), ";".join(ids), detail(group)))
    return _gap_frame(gap_type, rows)


def _gap_frame(gap_type: str, rows: list[tuple]) -> pd.DataFrame:
    """Gap rows for elements: ``(framework, element, n_findings, finding_ids, detail)`` each."""
    import pandas as pd

    columns = ["framework", "element", "n_findings", "finding_ids", "detail"]
    return pd.DataFrame(rows, columns=columns).assign(gap_type=gap_type)


def _framework_of(index: GraphIndex) -> dict[str, str]:
    """Each element with its framework."""
    elements = index.elements
    return dict(zip(elements["element_id"].tolist(), elements["framework"].tolist(), strict=True))


def _ancestors(index: GraphIndex) -> dict[str, list[str]]:
    """Each element with the elements above it (not the framework row)."""
    parent = dict(
        zip(index.elements["element_id"].tolist(), index.elements["parent"].tolist(), strict=True)
    )
    level = dict(
        zip(index.elements["element_id"].tolist(), index.elements["level"].tolist(), strict=True)
    )
    out = {}
    for element in parent:
        chain, current, seen = [], element, set()
        while current and current in parent and current not in seen:
            seen.add(current)
            if level[current] != "framework":
                chain.append(current)
            current = parent[current]
        out[element] = chain
    return out


def _framework_concepts(index: GraphIndex) -> dict[str, dict[str, list[str]]]:
    """``{framework: {concept: [finding ids]}}``: the concepts each framework names.

    A concept named only by an element label has an empty list.
    """
    framework_of = _framework_of(index)
    profiles: dict[str, dict[str, list[str]]] = defaultdict(dict)
    labelled = index.element_tags
    for element, concept in zip(
        labelled["element_id"].tolist(), labelled["concept_id"].tolist(), strict=True
    ):
        if element in framework_of:
            profiles[framework_of[element]].setdefault(concept, [])
    frameworks_of = dict(
        zip(
            index.findings["finding_id"].tolist(), index.findings["framework"].tolist(), strict=True
        )
    )
    for finding_id, concept in zip(
        index.tags["finding_id"].tolist(), index.tags["concept_id"].tolist(), strict=True
    ):
        for framework in frameworks_of.get(finding_id, "").split(";"):
            if framework:
                profiles[framework].setdefault(concept, []).append(finding_id)
    return profiles


# -- gap map --------------------------------------------------------------------------------------
_AXES = ("element", "theme", "framework", "review", "concept", "kind", "direction")


@gc_paused()
def gap_map(
    kb: KBOrGraph,
    rows: str = "element",
    cols: str = "review",
    split_direction: bool = False,
    *,
    framework: str | None = None,
    by: str | None = None,
    charting: Charting | None = None,
) -> pd.DataFrame:
    """Return an evidence gap map: the number of findings per row and column value.

    A "Geen relevante informatie gevonden" row (kind ``no_evidence``) is a gap: its cell stays 0.

    Parameters
    ----------
    kb
        A loaded knowledge base (``ekb.load()``, or any :class:`~evidence_kb.KBData`) or its graph.
    rows, cols
        What to count by: ``element`` (the findings in the element or below it: the cells of
        :func:`~evidence_kb.graph.queries.cells.gap_cells`, as in the report and ``gaps()``),
        ``theme`` (where a finding sits: its theme, else its element), ``framework``,
        ``review``, ``concept``, ``kind``, ``direction``. For ``element`` and ``theme`` every
        element of the frameworks with findings is a row, also when its count is 0.
    split_direction
        Split every column into promoting, hindering and none (a two-level column index).
    framework
        Keep only the elements (and findings) of this framework.
    by, charting
        A charting field (``charting.csv``), such as ``"country"``: its values (in the form's
        order) are the columns. A finding counts once for each value of the studies it cites,
        else under "(not charted)". ``charting`` defaults to ``kb.charting``.

    Returns
    -------
    pandas.DataFrame
        Integer counts; the index is named after ``rows``, the columns after ``cols``.

    Examples
    --------
    >>> table = gap_map(ekb.load(), framework="liso")
    >>> table.loc["liso/synergie", ["werk-inkomen-2023", "pps-2023"]].tolist()
    [1, 17]
    """
    by = _charting_field(kb, cols, by, charting)
    _check_axes(rows=rows, cols=cols if by is None else "review")
    index = _index(as_graph(kb))
    wanted = _framework(index, framework) if framework else None
    findings = _gap_map_findings(index, wanted)
    order = _element_order(index)
    chart = charting_of(kb, charting) if by is not None else None
    if by is not None and chart is not None:  # the field's values as a column of the findings
        values = finding_values(index, chart, by).rename(columns={"value": by})
        findings, cols = findings.merge(values, on="finding_id", how="left"), by
    split = split_direction and "direction" not in (rows, cols)
    keys = [rows, cols, *(["direction"] if split else [])]
    table = _gap_map_counts(index, findings, keys).unstack(keys[1:], fill_value=0)
    table = table.reindex(_axis_values(index, rows, findings, wanted, order), fill_value=0)
    columns = _columns(index, table, cols, findings, (wanted, order), split_direction, chart)
    return _finished(table, rows, cols, columns, split_direction)


def _columns(
    index: GraphIndex,
    table: pd.DataFrame,
    cols: str,
    findings: pd.DataFrame,
    scope: tuple[str | None, dict],
    split_direction: bool,
    chart: Charting | None,
) -> list:
    """The columns of a gap map: a charting field's values in the form's order, every element,
    concept or framework (also those without findings), else the values found."""
    if chart is not None:
        return chart.value_order(cols) + [NOT_CHARTED] * (NOT_CHARTED in set(findings[cols]))
    if cols in ("element", "theme", "concept", "framework"):
        return _axis_values(index, cols, findings, *scope)
    return sorted(table.columns.unique(0) if split_direction else table.columns)


def _charting_field(kb: Any, cols: str, by: str | None, charting: Charting | None) -> str | None:
    """``by``, or ``cols`` when it names a charting field (``cols="country"``)."""
    known = charting if charting is not None else getattr(kb, "charting", None)
    if by is None and cols not in _AXES and known is not None:
        return cols if cols in {f.name for f in known.fields} else None
    return by


def _finished(
    table: pd.DataFrame, rows: str, cols: str, columns: list, split_direction: bool
) -> pd.DataFrame:
    """The counts in ``columns`` (split by direction), integers, with the axes named."""
    table = table.reindex(columns=_directions(columns) if split_direction else columns)
    table = table.fillna(0).astype(int)
    table.index.name = rows
    table.columns.names = [cols, "direction"] if split_direction else [cols]
    return table


def _check_axes(**axes: str) -> None:
    """Refuse a gap map axis that is not one of :data:`_AXES`."""
    for name, value in axes.items():
        if value not in _AXES:
            msg = f"{name}={value!r}: expected one of {', '.join(_AXES)}"
            raise ValueError(msg)


def _directions(columns: list) -> pd.MultiIndex:
    """Each column split into promoting, hindering and none."""
    import pandas as pd

    return pd.MultiIndex.from_product([columns, ["promoting", "hindering", "none"]])


def _gap_map_findings(index: GraphIndex, framework: str | None) -> pd.DataFrame:
    """The findings a gap map counts: no ``no_evidence`` rows; only ``framework``'s, if given."""
    findings = index.findings
    findings = findings[~findings["kind"].isin(NOT_EVIDENCE_KINDS)]  # a gap, not a finding
    if findings.empty:  # no findings (yet): text columns, not float ones
        findings = findings.astype(object)
    if framework:
        mine = findings["framework"].str.split(";").apply(lambda fs: framework in fs)
        findings = findings[mine.astype(bool)]
    return findings


def _gap_map_counts(index: GraphIndex, findings: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The number of distinct findings per value of ``keys`` (the rows, the columns, ...).

    A finding of several frameworks counts once for each; with ``concept`` among the keys,
    once for each of its concepts. Empty row and column values are left out.
    """
    rows, cols = keys[0], keys[1]
    base = ["finding_id", "review", "kind", "direction", "framework", "element", "target"]
    long = findings[[*dict.fromkeys([*base, *(k for k in keys if k in findings)])]].assign(
        theme=findings["target"],
        direction=findings["direction"].replace("", "none"),
    )
    long = long.assign(framework=long["framework"].str.split(";")).explode("framework")
    if rows == "element":  # a finding counts for its place and every element above it
        above = _ancestors(index)
        chains = {t: above.get(t) or [t] for t in long["target"].unique()}
        long = long.assign(element=long["target"].map(chains))
        long = long.explode("element")
    if "concept" in (rows, cols):
        long = long.merge(
            index.tags[["finding_id", "concept_id"]], on="finding_id", how="left"
        ).rename(columns={"concept_id": "concept"})
    long = long[[*dict.fromkeys([*keys, "finding_id"])]].dropna()
    long = long[(long[rows] != "") & (long[cols] != "")]
    return long.drop_duplicates().groupby(keys).size()


def _axis_values(
    index: GraphIndex, axis: str, findings: pd.DataFrame, framework: str | None, order
) -> list:
    if axis in ("element", "theme"):
        elements = index.elements
        frameworks = (
            {framework}
            if framework
            else {f for cell in findings["framework"] for f in str(cell).split(";") if f}
        )
        chosen = elements[
            elements["framework"].isin(frameworks) & (elements["level"] != "framework")
        ]
        if axis == "element":
            top = set(elements.loc[elements["level"] == "framework", "element_id"])
            used = set(findings["element"])
            chosen = chosen[chosen["parent"].isin(top) | chosen["element_id"].isin(used)]
            extra = sorted(e for e in used & top if e in set(elements["element_id"]))
        else:
            extra = []
        return extra + sorted(chosen["element_id"], key=lambda e: order.get(e, ("~", e)))
    if axis == "concept":
        return sorted(index.concepts["concept_id"])
    if axis == "framework":
        return sorted({f for cell in findings["framework"] for f in str(cell).split(";") if f})
    if axis == "direction":
        return ["promoting", "hindering", "none"]
    values = sorted(set(findings[axis]) - {""})
    return values
