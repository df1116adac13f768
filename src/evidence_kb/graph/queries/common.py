"""What every query needs: the graph of a knowledge base, its tables, and name look-ups."""

from __future__ import annotations

import weakref
from collections import defaultdict
from typing import TYPE_CHECKING

from evidence_kb.graph.build import GraphIndex, build_graph
from evidence_kb.model.errors import UnknownIdError
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.tree import ElementTree

if TYPE_CHECKING:
    from typing import TypeAlias

    import networkx as nx
    import pandas as pd

    from evidence_kb.model.data import KBData

    #: What a query takes: a loaded knowledge base (``ekb.load()``, or any KBData) or its graph.
    KBOrGraph: TypeAlias = KBData | nx.MultiDiGraph


EVIDENCE_COLUMNS = (
    "finding_id",
    "review",
    "framework",
    "element",
    "theme",
    "topic",
    "kind",
    "direction",
    "side",
    "statement",
    "citation",
    "reference_keys",
    "citation_status",
    "source",
    "via",
    "concepts",
)
GAP_TYPES = (
    "no_evidence",  # the source says it found nothing ("Geen relevante informatie gevonden")
    "empty_cell",  # an element a review could have reported on, with no finding of that review
    "one_sided",  # evidence with a direction, all promoting or all hindering
    "single_source",  # all cited evidence rests on one reference
    "unresolved_citation",  # the citation did not resolve (kb.citations: unresolved, ambiguous)
    "retracted_citation",  # the finding cites a retracted work, or one with a concern (related.csv)
    "uncited",  # a factor, working element, outcome, condition or risk printed without citation
    "concept_without_counterpart",  # a concept in one framework, absent from a linked framework
)
GAP_COLUMNS = (
    "gap_type",
    "framework",
    "element",
    "review",
    "concept",
    "other_framework",
    "n_findings",
    "finding_ids",
    "detail",
)
FRAMEWORK_SHORTHANDS = {
    "lo": "tno-lo",
    "learning_organisation": "tno-lo",
    "learning-organisation": "tno-lo",
}
EVIDENCE_KINDS = ("factor", "working_element", "outcome", "condition", "risk")
_FINDING_EDGES = ("about", "promotes", "hinders")


# -- the graph and its tables ---------------------------------------------------------------------
_GRAPHS: dict[int, tuple[weakref.ref, nx.MultiDiGraph]] = {}


def as_graph(kb: KBOrGraph) -> nx.MultiDiGraph:
    """Return the evidence graph of ``kb`` (built once per knowledge base object).

    ``kb`` may be the graph itself, a KnowledgeBase (its ``graph`` property when it has one), or
    anything :func:`~evidence_kb.graph.build.build_graph` accepts.
    """
    import networkx as nx

    if isinstance(kb, nx.MultiDiGraph):
        return kb
    G = getattr(kb, "graph", None)
    if isinstance(G, nx.MultiDiGraph):
        return G
    hit = _GRAPHS.get(id(kb))
    if hit is not None and hit[0]() is kb:
        return hit[1]
    G = build_graph(kb)
    try:
        key = id(kb)
        ref = weakref.ref(kb, lambda _: _GRAPHS.pop(key, None))
    except TypeError:  # a dict cannot be weakly referenced: build again next time
        return G
    _GRAPHS[key] = (ref, G)
    return G


def _index(G: nx.MultiDiGraph) -> GraphIndex:
    """The tables of a graph: kept by the builder, or rebuilt from the nodes and edges."""
    index = G.graph.get("index")
    if isinstance(index, GraphIndex):
        return index
    return _index_from_graph(G)


def _index_from_graph(G: nx.MultiDiGraph) -> GraphIndex:
    import pandas as pd

    by_kind: dict[str, list[dict]] = defaultdict(list)
    for _, data in G.nodes(data=True):
        record = {k: ("" if v is None else v) for k, v in data.items()}
        if "networkx_key" in record and "key" not in record:  # GEXF renames the attribute 'key'
            record["key"] = record.pop("networkx_key")
        by_kind[data.get("kind", "")].append(record)
    findings = pd.DataFrame(by_kind["finding"])
    targets, tags, element_tags, crosswalk, cites = {}, [], [], [], []
    for u, v, data in G.edges(data=True):
        kind = data.get("kind")
        if kind in _FINDING_EDGES and data.get("via") != "side":
            targets[u.split(":", 1)[1]] = v.split(":", 1)[1]
        elif kind == "mentions":
            key, concept = u.split(":", 1)[1], v.split(":", 1)[1]
            if u.startswith("finding:"):
                tags.append((key, concept, data.get("origin", "auto"), data.get("matched", "")))
            else:
                element_tags.append((key, concept, data.get("matched", "")))
        elif kind == "cites":
            cites.append((u.split(":", 1)[1], v.split(":", 1)[1]))
        elif kind == "maps_to":
            crosswalk.append(
                (
                    u.split(":", 1)[1],
                    v.split(":", 1)[1],
                    data.get("relation", ""),
                    data.get("finding_id", ""),
                    data.get("note", ""),
                )
            )
    if len(findings):
        findings = findings.drop(columns=["kind", "label"]).rename(columns={"finding_kind": "kind"})
        findings["target"] = [targets.get(f, "") for f in findings["finding_id"]]
        findings = findings.sort_values("finding_id").reset_index(drop=True)
    elements = pd.DataFrame(by_kind["framework"] + by_kind["element"]).drop(
        columns=["kind", "label"], errors="ignore"
    )
    return GraphIndex(
        findings=findings,
        elements=elements,
        reviews=pd.DataFrame(by_kind["review"]).drop(columns=["kind", "label"], errors="ignore"),
        references=pd.DataFrame(by_kind["reference"]).drop(
            columns=["kind", "label"], errors="ignore"
        ),
        concepts=pd.DataFrame(by_kind["concept"]).drop(columns=["kind", "label"], errors="ignore"),
        tags=pd.DataFrame(tags, columns=["finding_id", "concept_id", "origin", "matched"]),
        element_tags=pd.DataFrame(element_tags, columns=["element_id", "concept_id", "matched"]),
        cites=pd.DataFrame(cites, columns=["finding_id", "key"]),
        crosswalk=pd.DataFrame(
            crosswalk,
            columns=["source_element", "target_element", "relation", "finding_id", "note"],
        ),
    )


# -- names ----------------------------------------------------------------------------------------
def _resolve(index: GraphIndex, name: str) -> tuple[str, str]:
    """Return ``("element", id)`` or ``("concept", id)`` for an id, label or alias (any case).

    Ids win over labels, and elements over concepts: "reflectie" is the TNO condition, while
    "reflection" (the concept id) or "concept:reflection" is the concept.
    """
    text = name.strip()
    prefix, _, rest = text.partition(":")
    if prefix in ("element", "framework", "concept") and rest:
        wanted, text = ("concept" if prefix == "concept" else "element"), rest
    else:
        wanted = None
    key = text.casefold()
    elements, concepts = index.elements, index.concepts
    element_ids = {e.casefold(): e for e in elements["element_id"]}
    concept_ids = {c.casefold(): c for c in concepts["concept_id"]}
    if wanted != "concept" and key in element_ids:
        return "element", element_ids[key]
    if wanted != "element" and key in concept_ids:
        return "concept", concept_ids[key]
    if wanted != "concept":
        candidates = []
        for row in elements.itertuples(index=False):
            names = [
                row.label_nl,
                getattr(row, "label_en", ""),
                *str(getattr(row, "aliases", "")).split(";"),
            ]
            names = [n.strip() for n in names if n and n.strip()]
            if key in {n.casefold() for n in names}:
                candidates.append((text in names, row.element_id))
        if candidates:
            # "Synergie" is LISO's element and "synergie" the 2025 one: the exact spelling
            # wins, then the element with the most findings below it
            counts = index.findings["target"].value_counts()
            best = max(
                candidates,
                key=lambda c: (
                    c[0],
                    sum(counts.get(e, 0) for e in _descendants(index, c[1])),
                    c[1],
                ),
            )
            return "element", best[1]
    if wanted != "element":
        for row in concepts.itertuples(index=False):
            if key in {row.label_nl.casefold(), str(row.label_en).casefold()}:
                return "concept", row.concept_id

    known = [
        *elements["element_id"],
        *elements["label_nl"],
        *concepts["concept_id"],
        *concepts["label_nl"],
    ]
    msg = f"{name!r} is not an element, theme, condition or concept{did_you_mean(text, known)}"
    raise UnknownIdError(msg)


def _framework(index: GraphIndex, name: str) -> str:
    """Return the framework id for a framework id, label, alias or shorthand ("lo")."""
    key = name.strip().casefold()
    if key in FRAMEWORK_SHORTHANDS:
        key = FRAMEWORK_SHORTHANDS[key]
    frameworks = index.elements[index.elements["level"] == "framework"]
    for row in frameworks.itertuples(index=False):
        names = [
            row.element_id,
            row.label_nl,
            getattr(row, "label_en", ""),
            *str(row.aliases).split(";"),
        ]
        if key in {n.strip().casefold() for n in names if n and n.strip()}:
            return row.element_id

    ids = sorted(frameworks["element_id"])
    msg = (
        f"{name!r} is not a framework{did_you_mean(name, ids)}; "
        f"this knowledge base has: {', '.join(ids) or '(no frameworks)'}"
    )
    raise UnknownIdError(msg)


def _descendants(index: GraphIndex, element_id: str) -> list[str]:
    """The element and everything below it (themes, conditions, ...), in tree order."""
    return ElementTree.from_frame(index.elements).descendants(element_id)


def _element_order(index: GraphIndex) -> dict[str, tuple]:
    """A sort key per element: its framework, then the printed order along its path."""
    rows = {r.element_id: r for r in index.elements.itertuples(index=False)}

    def order(row) -> int:
        try:
            return int(row.order)
        except (TypeError, ValueError):
            return 0

    keys: dict[str, tuple] = {}
    for element_id, row in rows.items():
        path, current, seen = [], row, set()
        while current is not None and current.element_id not in seen:
            seen.add(current.element_id)
            path.append((order(current), current.element_id))
            current = rows.get(current.parent) if current.parent else None
        path.reverse()
        keys[element_id] = (row.framework, *path)
    return keys


def _finding_concepts(index: GraphIndex, finding_ids) -> dict[str, str]:
    """``{finding_id: 'concept;concept'}`` for the given findings."""
    tags = index.tags
    tags = tags[tags["finding_id"].isin(set(finding_ids))]
    joined: dict[str, list[str]] = defaultdict(list)
    for finding_id, concept_id in zip(
        tags["finding_id"].tolist(), tags["concept_id"].tolist(), strict=True
    ):
        joined[finding_id].append(concept_id)
    return {f: ";".join(sorted(cs)) for f, cs in joined.items()}


def _sorted(
    frame: pd.DataFrame, by: list[str], ascending: bool | list[bool] = True
) -> pd.DataFrame:
    return frame.sort_values(by, ascending=ascending, kind="stable").reset_index(drop=True)
