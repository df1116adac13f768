"""Build the evidence graph from the tables of a knowledge base.

Node ids are ``<kind>:<id>``: ``framework:liso``, ``element:liso/synergie``, ``concept:trust``,
``finding:pps-023``, ``reference:kallio2015``, ``review:pps-2023``. Every node has the attribute
``kind`` (its node type) and ``label``; the other attributes are the columns of its table, as
text ('' when empty), so the graph exports to GraphML and GEXF as it is.

Edges are typed by the attribute ``kind``, which is also the edge key (so
``G.edges["finding:pps-023", "element:liso/samenstelling/samenstelling-lnw", "promotes"]``):

=============  =======================  ===================================================
kind           from -> to               meaning
=============  =======================  ===================================================
part_of        element -> element       a theme, level or condition belongs to its parent;
               element -> framework     a top-level element to its framework
promotes       finding -> element       a promoting finding about the element (its theme if
hinders        finding -> element       it has one); ``about`` when it has no direction.
about          finding -> element       Comparison findings of 000 (no element) point to the
               finding -> framework     framework(s) of their side, with ``via="side"``
cites          finding -> reference     the finding's citation resolves to the reference
from_review    finding -> review        the review that reports the finding
mentions       finding -> concept       tagged (``origin`` auto or hand, ``matched`` words);
               element -> concept       also an element whose label names a concept
                                        (``origin="label"``)
maps_to        element -> element       a crosswalk link (``relation``, ``finding_id``,
                                        ``note``); key ``maps_to:<relation>``
=============  =======================  ===================================================

The builder also keeps the tables it used in ``G.graph["index"]`` (a :class:`GraphIndex`), so
that the queries can work on whole columns; the graph itself holds every fact.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb._gc import gc_paused
from evidence_kb._workers import beside, use_worker
from evidence_kb.graph.concepts import (
    ConceptTagger,
    tag_elements,
    tag_findings,
)
from evidence_kb.graph.crosswalk import SIDE_FRAMEWORKS
from evidence_kb.model.checks import checked_concept_tags, checked_concepts, checked_crosswalk
from evidence_kb.model.errors import Problem
from evidence_kb.model.vocab import (
    CONCEPT_COLUMNS,
    CONCEPT_TAG_COLUMNS,
    CROSSWALK_COLUMNS,
    ELEMENT_COLUMNS,
    FINDING_COLUMNS,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    import networkx as nx
    import pandas as pd

    from evidence_kb.model.data import KBData

    #: What a graph is built from: the loaded tables, or the same tables given one by one.
    GraphSource: TypeAlias = KBData | "GraphTables" | Mapping[str, pd.DataFrame | None]

__all__ = [
    "EDGE_KINDS",
    "NODE_KINDS",
    "GraphIndex",
    "GraphTables",
    "build_graph",
    "graph_tables",
    "node_id",
]

NODE_KINDS = ("framework", "element", "concept", "finding", "reference", "review")
EDGE_KINDS = (
    "part_of",
    "about",
    "promotes",
    "hinders",
    "cites",
    "from_review",
    "mentions",
    "maps_to",
)
DIRECTION_EDGE = {"promoting": "promotes", "hindering": "hinders"}
_STATUS_RANK = {"": 0, "resolved": 1, "corrected": 2, "ambiguous": 3, "unresolved": 4}


def node_id(kind: str, key: str) -> str:
    """Return the graph node id of a record.

    Examples
    --------
    >>> node_id("element", "liso/synergie")
    'element:liso/synergie'
    """
    return f"{kind}:{key}"


@dataclass(frozen=True, eq=False)
class GraphTables:
    """The tables a graph is built from (the ``kb_like`` of :func:`build_graph`)."""

    findings: pd.DataFrame
    elements: pd.DataFrame
    reviews: pd.DataFrame
    references: pd.DataFrame
    citations: pd.DataFrame | None = None
    data_dir: Path | None = None
    concepts: pd.DataFrame | None = None  # the vocabulary (concepts.csv); None: no concepts
    concept_tags: pd.DataFrame | None = None  # hand corrections (concept_tags.csv); None: none
    crosswalk: pd.DataFrame | None = None  # stated links (crosswalk.csv); None: none


@dataclass(frozen=True, eq=False)
class GraphIndex:
    """The tables behind a built graph, for the queries. Never modify them in place.

    ``findings`` has the extra columns ``framework`` (``;``-joined when a comparison finding
    speaks for two), ``target`` (the element or framework id its edge points to, '' if none)
    and ``citation_status`` (the worst status of its citations, '' if it has none).
    ``tags`` is the finding-concept table, ``element_tags`` the element-concept table,
    ``cites`` the finding-reference table (``finding_id``, ``key``; known references only).
    """

    findings: pd.DataFrame
    elements: pd.DataFrame
    reviews: pd.DataFrame
    references: pd.DataFrame
    concepts: pd.DataFrame
    tags: pd.DataFrame
    element_tags: pd.DataFrame
    cites: pd.DataFrame
    crosswalk: pd.DataFrame
    problems: tuple[Problem, ...] = field(default=())


def graph_tables(kb_like: GraphSource) -> GraphTables:
    """Return the tables of a KBData (``ekb.load()``), a :class:`GraphTables`, or a mapping.

    The optional tables are ``concepts``, ``concept_tags`` and ``crosswalk`` in a mapping, and
    ``concept_table``, ``concept_tag_table`` and ``crosswalk_table`` of a KnowledgeBase (the
    files of its directory, read by :func:`evidence_kb.load`). A table that is absent stays
    absent: no file is read here, and the bundled files never fill in.

    Raises
    ------
    TypeError
        If ``kb_like`` has no findings, elements, reviews and references tables.
    """
    if isinstance(kb_like, GraphTables):
        return kb_like
    get = kb_like.get if isinstance(kb_like, Mapping) else lambda name: getattr(kb_like, name, None)
    tables = {name: get(name) for name in ("findings", "elements", "reviews", "references")}
    missing = [name for name, table in tables.items() if table is None]
    if missing:
        msg = (
            f"cannot build a graph from {type(kb_like).__name__}: it has no {', '.join(missing)} "
            "table; pass a KnowledgeBase (ekb.load()) or a dict of DataFrames"
        )
        raise TypeError(msg)
    citations = get("citations")
    data_dir = get("data_dir")
    if isinstance(kb_like, Mapping):
        optional = {name: get(name) for name in ("concepts", "concept_tags", "crosswalk")}
    else:
        optional = {
            "concepts": get("concept_table"),
            "concept_tags": get("concept_tag_table"),
            "crosswalk": get("crosswalk_table"),
        }
    return GraphTables(
        **tables,
        **optional,
        citations=citations,
        data_dir=Path(data_dir) if isinstance(data_dir, str | os.PathLike) else None,
    )


def build_graph(
    kb_like: GraphSource,
    *,
    concepts: pd.DataFrame | None = None,
    concept_tags: pd.DataFrame | None = None,
    crosswalk: pd.DataFrame | None = None,
) -> nx.MultiDiGraph:
    """Build the typed evidence graph of a knowledge base.

    Parameters
    ----------
    kb_like
        A :class:`~evidence_kb.KBData` (``ekb.load()`` gives one), a :class:`GraphTables`, or a
        mapping with the DataFrames ``findings``, ``elements``, ``reviews``, ``references``
        (and optionally ``citations``, ``concepts``, ``concept_tags`` and ``crosswalk``).
    concepts, concept_tags, crosswalk
        The vocabulary, the hand corrections and the crosswalk, overriding those of
        ``kb_like``. By default the tables ``kb_like`` has (for a KnowledgeBase, the files of
        its directory); a table that neither gives is empty (no concepts, no links).

    Returns
    -------
    networkx.MultiDiGraph
        One node per framework, element, concept, finding, reference and review, and the typed
        edges described in this module's docstring.

    Examples
    --------
    >>> G = build_graph(ekb.load())
    >>> G.nodes["finding:pps-023"]["kind"], G.nodes["finding:pps-023"]["direction"]
    ('finding', 'promoting')
    >>> sorted({k for _, _, k in G.out_edges("finding:pps-023", keys=True)})
    ['cites', 'from_review', 'mentions', 'promotes']
    """
    with gc_paused(promote=True):  # see evidence_kb._gc
        return _build(graph_tables(kb_like), concepts, concept_tags, crosswalk)


def _build(
    t: GraphTables,
    concepts: pd.DataFrame | None,
    concept_tags: pd.DataFrame | None,
    crosswalk: pd.DataFrame | None,
) -> nx.MultiDiGraph:
    import networkx as nx
    import pandas as pd

    tables, problems = _tables(t, concepts, concept_tags, crosswalk)
    findings, elements = tables["findings"], tables["elements"]
    tagger = ConceptTagger(tables["concepts"])
    # many findings are tagged in a second process while this one makes the nodes and edges
    fork = use_worker(len(findings), TAG_WORKER_FINDINGS)
    tag_args = (findings, tables["concepts"], tables["concept_tags"], tagger)
    with beside(_tag_findings, *tag_args, fork=fork, first=True) as finding_tags:
        element_tags = tag_elements(elements, tables["concepts"], tagger=tagger)
        findings = _annotate_findings(findings, elements, t.citations)
        frameworks = set(elements.loc[elements["level"] == "framework", "element_id"])

        G = nx.MultiDiGraph(name="evidence graph")
        _add_nodes(G, {**tables, "findings": findings}, frameworks)
        edges = _structure_edges(elements, frameworks)
        finding_edges, cites = _finding_edges(findings, tables, frameworks)
        edges += finding_edges
        _add_edges(G, edges)  # in turn with the mention edges below: as one call would
        tags = finding_tags.result()
    _add_edges(G, _mention_edges(tags, element_tags, frameworks))
    _add_crosswalk(G, tables["crosswalk"], _element_node(frameworks))

    G.graph["index"] = GraphIndex(
        findings=findings,
        elements=elements,
        reviews=tables["reviews"],
        references=tables["references"],
        concepts=tables["concepts"],
        tags=tags,
        element_tags=element_tags,
        cites=pd.DataFrame(cites, columns=["finding_id", "key"]),
        crosswalk=tables["crosswalk"].drop(columns=["line"], errors="ignore"),
        problems=tuple(problems),
    )
    return G


# From this many findings on, tagging runs in a second process (see evidence_kb._workers): at
# 100,000 findings it takes some 1.5 s and making the nodes and edges beside it about 1 s; the
# process and pickling the tag table back cost about 0.1 s. Below 20,000 the gain is too small.
TAG_WORKER_FINDINGS = 20_000


def _tag_findings(
    findings: pd.DataFrame,
    concepts: pd.DataFrame,
    corrections: pd.DataFrame,
    tagger: ConceptTagger,
) -> pd.DataFrame:
    """:func:`tag_findings` with ``tagger``, its arguments positional (for ``beside``)."""
    return tag_findings(findings, concepts, corrections, tagger=tagger)


def _tables(
    t: GraphTables,
    concepts: pd.DataFrame | None,
    concept_tags: pd.DataFrame | None,
    crosswalk: pd.DataFrame | None,
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The tables the graph is made of, cleaned, and the problems of a crosswalk not checked yet."""
    tables = {
        "findings": _clean(t.findings, FINDING_COLUMNS),
        "elements": _clean(t.elements, ELEMENT_COLUMNS),
        "reviews": _clean(t.reviews),
        "references": _clean(t.references),
    }
    tables["concepts"] = checked_concepts(_first(concepts, t.concepts, CONCEPT_COLUMNS))
    tables["concept_tags"] = checked_concept_tags(
        _first(concept_tags, t.concept_tags, CONCEPT_TAG_COLUMNS),
        concepts=tables["concepts"]["concept_id"],
    )
    problems: list[Problem] = []
    crosswalk = _first(crosswalk, t.crosswalk, CROSSWALK_COLUMNS)
    if "line" not in crosswalk:  # a KnowledgeBase's crosswalk is checked when it loads
        crosswalk, warnings = checked_crosswalk(
            crosswalk,
            elements=tables["elements"]["element_id"],
            findings=tables["findings"]["finding_id"],
        )
        problems += warnings
    tables["crosswalk"] = crosswalk
    return tables, problems


# from, to, kind (the key), and the edge's attributes, ``kind`` first: a new dict per edge,
# which the graph keeps as the edge's attribute dict
_Edge = tuple[str, str, str, dict[str, str]]


def _element_node(frameworks: set[str]) -> Callable[[str], str]:
    """``element_id -> node id``: ``framework:<id>`` for a framework, else ``element:<id>``."""

    def element_node(element_id: str) -> str:
        return f"framework:{element_id}" if element_id in frameworks else f"element:{element_id}"

    return element_node


def _add_nodes(G: nx.MultiDiGraph, tables: dict[str, pd.DataFrame], frameworks: set[str]) -> None:
    """One node per element, concept, review, reference and finding, in that order."""

    for row in _records(tables["elements"]):
        kind = "framework" if row["element_id"] in frameworks else "element"
        node = node_id(kind, row["element_id"])
        G.add_node(node, kind=kind, label=row["label_nl"], **_element_attrs(row))
    for row in _records(tables["concepts"]):
        G.add_node(
            node_id("concept", row["concept_id"]), kind="concept", label=row["label_nl"], **row
        )
    for row in _records(tables["reviews"]):
        G.add_node(node_id("review", row["review_id"]), kind="review", label=row["title"], **row)
    references = tables["references"]
    if {"kind", "label"}.isdisjoint(references.columns):  # (else add_node's TypeError)
        # {"kind": "reference", "label": ..., **the columns}, as add_node would make it
        _put_nodes(
            G,
            (
                (
                    node_id("reference", row["key"]),
                    {"kind": "reference", "label": _reference_label(row), **row},
                )
                for row in _records(references)
            ),
        )
    else:
        for row in _records(references):
            node = node_id("reference", row["key"])
            G.add_node(node, kind="reference", label=_reference_label(row), **row)
    findings = tables["findings"]
    # {"kind": "finding", "label": id, "finding_kind": its kind, **the other columns}, made
    # from the columns at once (a later key of the same name keeps the place, as in a literal)
    other = [c for c in findings.columns if c not in ("target", "kind")]
    keys = ("kind", "label", "finding_kind", *other)
    ids, kinds = findings["finding_id"].tolist(), findings["kind"].tolist()
    nodes = (
        (f"finding:{finding_id}", dict(zip(keys, ("finding", finding_id, *values), strict=True)))
        for finding_id, *values in zip(
            ids, kinds, *(findings[c].tolist() for c in other), strict=True
        )
    )
    _put_nodes(G, nodes)


def _put_nodes(G: nx.MultiDiGraph, nodes: Iterable[tuple[str, dict]]) -> None:
    """``G.add_nodes_from(nodes)``: for a graph of plain dicts, each new node keeps the
    attribute dict made for it (not a copy made by one call per node)."""
    if not _plain_dicts(G):
        G.add_nodes_from(nodes)
        return
    succ, pred, attributes = G._succ, G._pred, G._node
    for node, attrs in nodes:
        if node in attributes:
            attributes[node].update(attrs)
        else:
            succ[node], pred[node], attributes[node] = {}, {}, attrs
    _forget_cached(G)


def _structure_edges(elements: pd.DataFrame, frameworks: set[str]) -> list[_Edge]:
    """``part_of``: each element to its parent."""
    element_node = _element_node(frameworks)
    return [
        (element_node(element), element_node(parent), "part_of", {"kind": "part_of"})
        for element, parent in zip(
            elements["element_id"].tolist(), elements["parent"].tolist(), strict=True
        )
        if parent
    ]


def _finding_edges(
    findings: pd.DataFrame, tables: dict[str, pd.DataFrame], frameworks: set[str]
) -> tuple[list[_Edge], list[tuple[str, str]]]:
    """``from_review``, ``promotes``/``hinders``/``about`` and ``cites`` edges of each finding,
    and the (finding, reference key) pairs of the ``cites`` edges."""
    element_node = _element_node(frameworks)
    # the node id of each known review, reference and element, made once: the edges share it
    review_node = {r: f"review:{r}" for r in tables["reviews"]["review_id"].tolist()}
    reference_node = {k: f"reference:{k}" for k in tables["references"]["key"].tolist()}
    target_node = {e: element_node(e) for e in tables["elements"]["element_id"].tolist()}
    edges: list[_Edge] = []
    cites: list[tuple[str, str]] = []
    columns = ("finding_id", "review", "direction", "target", "framework", "reference_keys")
    for finding_id, review, direction, target, framework_ids, keys in zip(
        *(findings[c].tolist() for c in columns), strict=True
    ):
        f = f"finding:{finding_id}"
        v = review_node.get(review)
        if v is not None:
            edges.append((f, v, "from_review", {"kind": "from_review"}))
        edge_kind = DIRECTION_EDGE.get(direction, "about")
        if target:
            v = target_node.get(target) or element_node(target)
            edges.append((f, v, edge_kind, {"kind": edge_kind}))
        else:
            edges += [
                (f, element_node(framework), edge_kind, {"kind": edge_kind, "via": "side"})
                for framework in framework_ids.split(";")
                if framework in frameworks
            ]
        for key in dict.fromkeys(keys.split(";")):
            v = reference_node.get(key)
            if v is not None:
                edges.append((f, v, "cites", {"kind": "cites"}))
                cites.append((finding_id, key))
    return edges, cites


def _mention_edges(
    tags: pd.DataFrame, element_tags: pd.DataFrame, frameworks: set[str]
) -> list[_Edge]:
    """``mentions``: a finding tagged with a concept, an element whose label names one."""
    element_node = _element_node(frameworks)
    concepts = tags["concept_id"].tolist()
    concept_node = {c: f"concept:{c}" for c in concepts}  # made once, shared by the edges
    edges: list[_Edge] = [
        (
            f"finding:{f}",
            concept_node[c],
            "mentions",
            {"kind": "mentions", "origin": o, "matched": m},
        )
        for f, c, o, m in zip(
            tags["finding_id"].tolist(),
            concepts,
            tags["origin"].tolist(),
            tags["matched"].tolist(),
            strict=True,
        )
    ]
    edges += [
        (
            element_node(e),
            f"concept:{c}",
            "mentions",
            {"kind": "mentions", "origin": "label", "matched": m},
        )
        for e, c, m in zip(
            *(element_tags[col].tolist() for col in ("element_id", "concept_id", "matched")),
            strict=True,
        )
    ]
    return edges


def _add_edges(G: nx.MultiDiGraph, edges: list[_Edge]) -> None:
    """``G.add_edge(u, v, kind, **attrs)`` for each edge, written into the adjacency.

    This is what :meth:`networkx.MultiDiGraph.add_edge` does for a graph of plain dicts (a node
    it does not know is added without attributes; a repeated key updates the attributes),
    without the cost of one method call per edge (0.5 million at 100,000 findings).
    """

    if not _plain_dicts(G):  # a subclass with its own dicts: let networkx do it
        for u, v, kind, attrs in edges:
            G.add_edge(u, v, kind, **attrs)
        return
    succ, pred, nodes = G._succ, G._pred, G._node
    for u, v, kind, attrs in edges:
        if u not in succ:
            succ[u], pred[u], nodes[u] = {}, {}, {}
        if v not in succ:
            succ[v], pred[v], nodes[v] = {}, {}, {}
        keydict = succ[u].get(v)
        if keydict is None:  # the edge's dict is kept as it is: each edge has its own
            succ[u][v] = pred[v][u] = {kind: attrs}
        elif kind in keydict:
            keydict[kind].update(attrs)
        else:
            keydict[kind] = attrs
    _forget_cached(G)


def _forget_cached(G: nx.MultiDiGraph) -> None:
    """Drop what networkx cached of ``G`` (3.3+ keeps backend conversions in
    ``G.__networkx_cache__``), as its own add methods do after a change; 3.2 caches nothing."""
    cache = getattr(G, "__networkx_cache__", None)
    if cache:
        cache.clear()


def _plain_dicts(G: nx.MultiDiGraph) -> bool:
    """Whether ``G`` keeps its nodes, adjacency and edges in plain dicts (networkx's default)."""
    factories = (
        G.adjlist_outer_dict_factory,
        G.adjlist_inner_dict_factory,
        G.node_dict_factory,
        G.node_attr_dict_factory,
        G.edge_key_dict_factory,
        G.edge_attr_dict_factory,
    )
    return all(factory is dict for factory in factories)


def _add_crosswalk(
    G: nx.MultiDiGraph, crosswalk: pd.DataFrame, element_node: Callable[[str], str]
) -> None:
    """One ``maps_to`` edge per (source, target, relation); the stating findings are joined."""
    merged: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    for row in crosswalk.itertuples(index=False):
        key = (element_node(row.source_element), element_node(row.target_element), row.relation)
        entry = merged.setdefault(key, {"finding_id": [], "note": []})
        entry["finding_id"] += [f for f in str(row.finding_id).split(";") if f]
        entry["note"].append(str(row.note))
    for (u, v, relation), entry in merged.items():
        G.add_edge(
            u,
            v,
            f"maps_to:{relation}",
            kind="maps_to",
            relation=relation,
            finding_id=";".join(dict.fromkeys(entry["finding_id"])),
            note=" | ".join(entry["note"]),
        )


def _first(
    given: pd.DataFrame | None, own: pd.DataFrame | None, columns: tuple[str, ...]
) -> pd.DataFrame:
    """``given``, else ``own``, else an empty table with ``columns``."""
    import pandas as pd

    if given is not None:
        return given
    return own if own is not None else pd.DataFrame(columns=list(columns))


def _annotate_findings(
    findings: pd.DataFrame, elements: pd.DataFrame, citations: pd.DataFrame | None
) -> pd.DataFrame:
    """Add ``framework``, ``target`` and ``citation_status`` to the findings table."""
    framework_of = dict(zip(elements["element_id"], elements["framework"], strict=True))
    targets, frameworks = [], []
    for element, theme, side in zip(
        findings["element"].tolist(),
        findings["theme"].tolist(),
        findings["side"].tolist(),
        strict=True,
    ):
        target = theme or element
        if target and target in framework_of:
            targets.append(target)
            frameworks.append(framework_of[target])
        else:
            targets.append("")
            frameworks.append(";".join(SIDE_FRAMEWORKS.get(side, ())))
    status: dict[str, str] = {}
    if citations is not None and len(citations):
        for finding_id, value in zip(
            citations["finding_id"].tolist(), citations["status"].fillna("").tolist(), strict=True
        ):
            if _STATUS_RANK.get(value, 0) > _STATUS_RANK.get(status.get(finding_id, ""), 0):
                status[finding_id] = value
    return findings.assign(
        framework=frameworks,
        target=targets,
        citation_status=[status.get(f, "") for f in findings["finding_id"].tolist()],
    )


def _clean(frame: pd.DataFrame, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy with the optional ``columns`` added, missing values as '' and text cells as str."""
    frame = frame.copy()
    for column in columns:
        if column not in frame:
            frame[column] = ""
    for column in frame.columns:
        series = frame[column]
        if series.dtype == object or str(series.dtype) in ("string", "str"):
            frame[column] = series.fillna("").astype(str)
        elif series.isna().any():
            frame[column] = series.astype(object).where(series.notna(), "")
    return frame


def _records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts of plain Python values (faster than ``to_dict``)."""
    columns = list(frame.columns)
    return [
        dict(zip(columns, values, strict=True))
        for values in zip(*(frame[c].tolist() for c in columns), strict=True)
    ]


def _element_attrs(row: dict) -> dict:
    attrs = dict(row)
    try:
        attrs["order"] = int(attrs.get("order") or 0)
    except (TypeError, ValueError):
        attrs["order"] = 0
    return attrs


def _reference_label(row: dict) -> str:
    """'Kallio & Lappalainen 2015', 'Reypens et al. 2016': family names from ``authors``."""
    names = [a.split(",")[0].strip() for a in str(row.get("authors", "")).split(";") if a.strip()]
    truncated = "others" in names  # BibTeX's "and others": print left names out
    names = [n for n in names if n != "others"] or [str(row.get("key", ""))]
    who = (
        f"{names[0]} et al."
        if truncated or len(names) > 2
        else names[0]
        if len(names) == 1
        else f"{names[0]} & {names[1]}"
    )
    return f"{who} {row.get('year', '')}{row.get('year_suffix', '')}".strip()
