"""The cells of the evidence gap map: one definition for ``gaps()``, the report and the tables.

A finding is *placed* on its theme, else its element (``target`` in the graph); a comparison
finding without an element is placed on the framework(s) it speaks for. The cell of an element
and a review holds the findings of that review placed on the element or anywhere below it; the
cell of a framework itself holds only the findings placed on the framework.

A review *reports on* a level (core element, theme, ...) of a framework when one of its findings
names an element of that level there, as its element or its theme. Every cell has a state:

- ``evidence``: at least one finding that counts as evidence;
- ``no_evidence``: only "Geen relevante informatie gevonden" rows (see
  :data:`~evidence_kb.model.vocab.NOT_EVIDENCE_KINDS`);
- ``empty``: no finding, although the review reports on a level of the element or of one below
  it: a gap (``gaps()`` lists it as ``empty_cell``);
- ``outside``: no finding, and the review reports on no level of the element's subtree.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from evidence_kb.graph.queries.common import _index, as_graph
from evidence_kb.model.cells import cell_text
from evidence_kb.model.vocab import NOT_EVIDENCE_KINDS

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.graph.build import GraphIndex
    from evidence_kb.graph.queries.common import KBOrGraph

__all__ = ["CELL_COLUMNS", "CELL_STATES", "GapGrid", "gap_cells", "gap_grid", "grid_of"]

CELL_STATES = ("evidence", "no_evidence", "empty", "outside")
"""The states of a gap-map cell, in the order of the module docstring."""

CELL_COLUMNS = (
    "framework",
    "element",
    "depth",
    "review",
    "state",
    "n_findings",
    "finding_ids",
    "levels",
)
"""The columns of :func:`gap_cells`."""


class GapGrid(NamedTuple):
    """The gap map of every framework: ``rows`` and ``reviews`` per framework, and the cells.

    ``rows[fw]`` lists ``(element, depth)`` depth first in printed order (the framework's own
    row first, when findings are placed on it); ``reviews[fw]`` the reviews with a finding in
    the framework, in review order; ``cells`` is :func:`gap_cells`' table.
    """

    rows: dict[str, list[tuple[str, int]]]
    reviews: dict[str, list[str]]
    cells: pd.DataFrame


def gap_cells(kb: KBOrGraph) -> pd.DataFrame:
    """Return every element x review cell of the gap maps with its state and findings.

    Parameters
    ----------
    kb
        A loaded knowledge base or its graph.

    Returns
    -------
    pandas.DataFrame
        :data:`CELL_COLUMNS`: per framework, its rows depth first in printed order and per row
        the reviews with a finding in that framework. ``state`` is one of :data:`CELL_STATES`,
        ``n_findings`` counts the evidence (not the "no relevant information" rows),
        ``finding_ids`` (``;``-joined) holds every finding of the cell, ``levels`` the levels
        the review reports on within the row's subtree.

    Examples
    --------
    >>> cells = gap_cells(ekb.load())
    >>> cell = cells[(cells.element == "liso/synergie") & (cells.review == "pps-2023")]
    >>> cell[["state", "n_findings"]].values.tolist()
    [['evidence', 17]]
    """
    return gap_grid(kb).cells


def gap_grid(kb: KBOrGraph) -> GapGrid:
    """Return the rows, review columns and cells of every framework's gap map (:class:`GapGrid`)."""
    return grid_of(_index(as_graph(kb)))


def grid_of(index: GraphIndex) -> GapGrid:
    """:func:`gap_grid` from a graph's tables."""
    import pandas as pd

    elements = {
        e["element_id"]: {k: cell_text(v) for k, v in e.items()}
        for e in index.elements.to_dict("records")
    }
    children = _children(elements)
    placed, levels = _placements(index, elements)
    review_rank = {r: i for i, r in enumerate(_review_order(index))}
    frameworks = sorted(
        (e for e, row in elements.items() if row["level"] == "framework"),
        key=lambda e: (_number(elements[e]["order"]), e),
    )
    grid_rows: dict[str, list[tuple[str, int]]] = {}
    grid_reviews: dict[str, list[str]] = {}
    records = []
    for fw in frameworks:
        rows = _depth_first(fw, children, placed)
        subtree = {e: _subtree(children, e) if e != fw else [fw] for e, _ in rows}
        reviews = {review for e, _ in rows for _, review, _ in placed.get(e, [])}
        columns = sorted(reviews, key=lambda r: (review_rank.get(r, len(review_rank)), r))
        grid_rows[fw], grid_reviews[fw] = rows, columns
        reports = {review: frozenset(levels.get((fw, review), ())) for review in columns}
        for element, depth in rows:
            by_review: dict[str, list[tuple[str, bool]]] = defaultdict(list)
            for e in subtree[element]:
                for fid, review, evidence in placed.get(e, []):
                    by_review[review].append((fid, evidence))
            reach = frozenset(elements[e]["level"] for e in subtree[element])
            for review in columns:
                reported = reports[review] & reach
                mine = by_review.get(review)  # most cells of a large map have none
                state = _state(mine) if mine else ("empty" if reported else "outside", 0, "")
                records.append((fw, element, depth, review, *state, _levels(reported)))
    cells = pd.DataFrame(records, columns=list(CELL_COLUMNS))
    cells["depth"] = cells["depth"].astype(int)
    cells["n_findings"] = cells["n_findings"].astype(int)
    return GapGrid(grid_rows, grid_reviews, cells)


def _state(mine: list[tuple[str, bool]]) -> tuple[str, int, str]:
    """``(state, n_findings, finding_ids)`` of a cell with findings."""
    ids = ";".join(sorted({fid for fid, _ in mine}))
    n_evidence = len({fid for fid, evidence in mine if evidence})
    return ("evidence", n_evidence, ids) if n_evidence else ("no_evidence", 0, ids)


@cache
def _levels(reported: frozenset[str]) -> str:
    return ";".join(sorted(reported))


def _number(value: str) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def _children(elements: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """Each element's children in printed order (``order``, then id: never interleaved)."""
    children: dict[str, list[str]] = defaultdict(list)
    for element_id in sorted(elements, key=lambda e: (_number(elements[e]["order"]), e)):
        parent = elements[element_id]["parent"]
        if parent and parent != element_id:
            children[parent].append(element_id)
    return children


def _placements(
    index: GraphIndex, elements: dict[str, dict[str, str]]
) -> tuple[dict[str, list[tuple[str, str, bool]]], dict[tuple[str, str], set[str]]]:
    """Where each finding sits, ``{place: [(finding_id, review, is_evidence)]}``, and the levels
    each review reports on per framework, ``{(framework, review): {level}}``."""
    placed: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    levels: dict[tuple[str, str], set[str]] = defaultdict(set)
    findings = index.findings
    columns = ("finding_id", "review", "kind", "element", "theme", "target", "framework")
    level_of = {e: (row["framework"], row["level"]) for e, row in elements.items()}
    for fid, review, kind, element, theme, target, fws in zip(
        *(findings[c].tolist() for c in columns), strict=True
    ):
        target = _text(target)
        places = [target] if target else [f for f in _text(fws).split(";") if f in elements]
        for place in places:
            placed[place].append((fid, review, kind not in NOT_EVIDENCE_KINDS))
        for named in (_text(element), _text(theme), *places):
            if named in level_of:
                framework, level = level_of[named]
                levels[(framework, review)].add(level)
    return placed, levels


def _text(value: object) -> str:
    """A cell as text: the graph's tables hold text already ('' when empty)."""
    return value if isinstance(value, str) else cell_text(value)


def _review_order(index: GraphIndex) -> list[str]:
    """The reviews by year (undated last), source and id: the column order of the gap maps."""
    reviews = [{k: cell_text(v) for k, v in r.items()} for r in index.reviews.to_dict("records")]
    reviews.sort(key=lambda r: (r.get("year") or "9999", r.get("source", ""), r["review_id"]))
    return [r["review_id"] for r in reviews]


def _depth_first(
    fw: str, children: dict[str, list[str]], placed: dict[str, list]
) -> list[tuple[str, int]]:
    """The rows of a framework's gap map: ``(element, depth)``, depth first in printed order."""
    rows: list[tuple[str, int]] = [(fw, 0)] if placed.get(fw) else []
    todo = [(child, 1) for child in reversed(children.get(fw, []))]
    seen = {fw}
    while todo:
        element, depth = todo.pop()
        if element in seen:
            continue
        seen.add(element)
        rows.append((element, depth))
        todo += [(child, depth + 1) for child in reversed(children.get(element, []))]
    return rows


def _subtree(children: dict[str, list[str]], element: str) -> list[str]:
    """``element`` and every element below it."""
    found, todo, seen = [], [element], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        found.append(current)
        todo += children.get(current, [])
    return found
