"""Questions to the evidence graph, each answered as a sorted DataFrame.

Every function takes ``kb``: a :class:`~evidence_kb.KnowledgeBase`, the graph that
:func:`~evidence_kb.graph.build.build_graph` returns (also one read back from GraphML or JSON), or
a mapping of tables. None of them changes the graph or its tables.

- :func:`evidence`: the findings about an element, theme, condition or concept.
- :func:`overlaps`: element pairs of two frameworks that share concepts, references or a link.
- :func:`gaps`: the evidence gaps, typed.
- :func:`gap_map`: a matrix of finding counts (an evidence gap map).
- :func:`compare`: per element, what one review found that another did not.
- :func:`shared_references`: references behind findings of more than one review or framework.
- :func:`concept_table`: the vocabulary with how often each concept is found.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from evidence_kb._gc import gc_paused
from evidence_kb.graph.build import GraphIndex, build_graph
from evidence_kb.model.errors import UnknownIdError

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = [
    "EVIDENCE_COLUMNS",
    "GAP_COLUMNS",
    "GAP_TYPES",
    "as_graph",
    "compare",
    "concept_table",
    "evidence",
    "gap_map",
    "gaps",
    "overlaps",
    "shared_references",
]

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


def as_graph(kb: Any) -> nx.MultiDiGraph:
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
    from evidence_kb.model.validate import did_you_mean

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
    from evidence_kb.model.validate import did_you_mean

    msg = f"{name!r} is not a framework{did_you_mean(name, list(frameworks['element_id']))}"
    raise UnknownIdError(msg)


def _descendants(index: GraphIndex, element_id: str) -> list[str]:
    """The element and everything below it (themes, conditions, ...), in tree order."""
    children = defaultdict(list)
    for element, parent in zip(index.elements["element_id"], index.elements["parent"], strict=True):
        if parent:
            children[parent].append(element)
    out, stack = [], [element_id]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children.get(current, [])))
    return out


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


# -- evidence -------------------------------------------------------------------------------------
@gc_paused()
def evidence(kb: Any, x: str, *, crosswalk: bool = True) -> pd.DataFrame:
    """Return every finding about an element, theme, condition or concept.

    Parameters
    ----------
    kb
        A KnowledgeBase, its graph, or its tables.
    x
        An element id, Dutch or English label or alias ("Synergie", "liso/synergie", "Resultaten"),
        or a concept id or label ("trust", "vertrouwen"). Prefix ``concept:`` or ``element:`` to
        choose when a name is both.
    crosswalk
        Also list the findings that state a crosswalk link of the element (``via`` says
        ``crosswalk``): the only evidence for the TNO conditions, which no finding is about.

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
    import pandas as pd

    G = as_graph(kb)
    index = _index(G)
    findings = index.findings
    kind, key = _resolve(index, x)
    via = pd.Series("", index=findings.index)
    if kind == "concept":
        tags = index.tags[index.tags["concept_id"] == key]
        via[findings["finding_id"].isin(set(tags["finding_id"]))] = "concept"
    else:
        subtree = _descendants(index, key)
        targets = findings["target"]
        via[targets.isin(subtree)] = "part"
        via[findings["element"] == key] = "element"
        via[findings["theme"] == key] = "theme"
        if key in set(index.elements.loc[index.elements["level"] == "framework", "element_id"]):
            side = (targets == "") & findings["framework"].str.split(";").apply(
                lambda fs: key in fs
            )
            via[side & (via == "")] = "side"
        if crosswalk and len(index.crosswalk):
            cw = index.crosswalk
            linked = cw[(cw["source_element"] == key) | (cw["target_element"] == key)]
            stating = {f for cell in linked["finding_id"] for f in str(cell).split(";") if f}
            via[findings["finding_id"].isin(stating) & (via == "")] = "crosswalk"
    chosen = findings[via != ""].assign(via=via[via != ""])
    concepts = _finding_concepts(index, chosen["finding_id"])
    chosen = chosen.assign(concepts=[concepts.get(f, "") for f in chosen["finding_id"]])
    for column in EVIDENCE_COLUMNS:
        if column not in chosen:
            chosen = chosen.assign(**{column: ""})
    return _sorted(chosen[list(EVIDENCE_COLUMNS)], ["review", "finding_id"])


# -- overlaps -------------------------------------------------------------------------------------
@gc_paused()
def overlaps(
    kb: Any, a: str, b: str, *, min_strength: float = 0.0, max_findings: int = 20
) -> pd.DataFrame:
    """Return the pairs of elements of frameworks ``a`` and ``b`` that share evidence.

    Two elements overlap when they share a concept (named by their labels or by the findings
    about them), a reference cited by findings about both, or an explicit crosswalk link. Each
    element is a node of a bipartite graph whose other nodes are these features; the strength of
    a pair is the weight of its edge in the weighted projection of that graph onto the elements,
    the Jaccard index of their feature sets, exactly as
    :func:`networkx.algorithms.bipartite.overlap_weighted_projected_graph` computes it. (It is
    computed as a matrix product, which gives the same numbers in a fraction of the time.)

    Parameters
    ----------
    kb
        A KnowledgeBase, its graph, or its tables.
    a, b
        Framework ids, labels or aliases (``"liso"``, ``"tno-lo"``, ``"lo"``, ``"LISO-werkwijze"``).
    min_strength
        Leave out weaker pairs.
    max_findings
        List at most this many supporting findings per pair (``n_supporting`` counts them all).

    Returns
    -------
    pandas.DataFrame
        ``framework_a``, ``element_a``, ``label_a``, ``framework_b``, ``element_b``, ``label_b``,
        ``strength`` (0-1), ``crosswalk`` (the stated relations), ``shared_concepts``,
        ``shared_references``, ``n_shared``, ``n_supporting``, ``supporting_findings`` (first
        the findings that state the crosswalk link, then those behind a shared concept or
        reference, by id) and ``citations`` (as printed, of the listed findings), sorted by
        strength.

    Examples
    --------
    >>> table = overlaps(ekb.load(), "liso", "lo")
    >>> row = table[
    ...     (table.element_a == "liso/community-context/kwaliteit-samenwerkingsverband")
    ...     & (table.element_b == "tno-lo/transparantie")
    ... ].iloc[0]
    >>> row.crosswalk, "cognitive-distance" in row.shared_concepts
    ('overlap', True)
    """
    import numpy as np
    import pandas as pd

    G = as_graph(kb)
    index = _index(G)
    fa, fb = _framework(index, a), _framework(index, b)
    elements = index.elements
    in_a = elements.loc[elements["framework"] == fa, "element_id"].tolist()
    in_b = elements.loc[elements["framework"] == fb, "element_id"].tolist()
    nodes = list(dict.fromkeys(in_a + in_b))
    position = {e: i for i, e in enumerate(nodes)}
    rows_a = np.array([position[e] for e in in_a], dtype=int)
    rows_b = np.array([position[e] for e in in_b], dtype=int)

    features, links = _overlap_features(index, nodes, fa, fb)
    incidence = np.zeros((len(nodes), len(features.names)), dtype=np.float32)
    incidence[features.element, features.feature] = 1.0
    shared_count = incidence[rows_a] @ incidence[rows_b].T
    degree = incidence.sum(axis=1)
    union = degree[rows_a][:, None] + degree[rows_b][None, :] - shared_count
    strength = np.divide(shared_count, union, out=np.zeros_like(shared_count), where=union > 0)

    # the pairs: a x b, or each unordered pair once within one framework
    ia, ib = np.nonzero(shared_count > 0)
    keep = (strength[ia, ib] >= min_strength) & (rows_a[ia] != rows_b[ib])
    if fa == fb:
        keep &= rows_a[ia] < rows_b[ib]
    ia, ib = ia[keep], ib[keep]

    others = {int(n): rows_b for n in rows_a}
    others.update({int(n): rows_a for n in rows_b if fa != fb})
    citations = dict(
        zip(index.findings["finding_id"].tolist(), index.findings["citation"].tolist(), strict=True)
    )
    support = _OverlapSupport(features, others, incidence, citations)
    # codes follow the sorted names within each kind: sorting codes sorts names
    names = features.names
    kinds = np.array(features.kinds)
    concepts_of = [
        set(np.flatnonzero((incidence[i] > 0) & (kinds == "concept")).tolist())
        for i in range(len(nodes))
    ]
    references_of = [
        set(np.flatnonzero((incidence[i] > 0) & (kinds == "reference")).tolist())
        for i in range(len(nodes))
    ]
    labels = dict(zip(elements["element_id"].tolist(), elements["label_nl"].tolist(), strict=True))
    out = []
    for i, j in zip(ia.tolist(), ib.tolist(), strict=True):
        nu, nv = rows_a[i], rows_b[j]
        u, v = nodes[nu], nodes[nv]
        concepts = sorted(concepts_of[nu] & concepts_of[nv])
        references = sorted(references_of[nu] & references_of[nv])
        stated = links.get((u, v), [])
        stating = sorted({f for _, ids in stated for f in ids})
        listed, total = support.findings(nu, nv, first=stating, limit=max_findings)
        out.append((
            fa, u, labels.get(u, ""), fb, v, labels.get(v, ""), float(strength[i, j]),
            ";".join(sorted({r for r, _ in stated})),
            ";".join([names[c] for c in concepts]),
            ";".join([names[c] for c in references]),
            int(shared_count[i, j]), total, ";".join(listed), " | ".join(support.citations(listed)),
        ))  # fmt: skip
    columns = [
        "framework_a", "element_a", "label_a", "framework_b", "element_b", "label_b", "strength",
        "crosswalk", "shared_concepts", "shared_references", "n_shared", "n_supporting",
        "supporting_findings", "citations",
    ]  # fmt: skip
    table = pd.DataFrame(out, columns=columns)
    table["strength"] = table["strength"].round(4)
    return _sorted(
        table, ["strength", "n_shared", "element_a", "element_b"], [False, False, True, True]
    )


def _owners(findings: pd.DataFrame) -> pd.DataFrame:
    """``finding_id``, ``element``: the element a finding is about, or its side's framework(s)."""
    import pandas as pd

    owner = findings["target"].where(findings["target"] != "", findings["framework"])
    owned = findings[["finding_id"]].assign(element=owner)
    several = owner.str.contains(";", regex=False)
    if several.any():  # comparison findings about both frameworks
        split = owned[several].assign(element=owned.loc[several, "element"].str.split(";"))
        owned = pd.concat([owned[~several], split.explode("element")], ignore_index=True)
    return owned


@dataclass(frozen=True)
class _Features:
    """What the elements of an overlap query carry, one entry per (element, feature, finding).

    ``element`` holds node positions, ``feature`` feature codes, ``finding`` the finding behind
    the entry ('' for a label or a crosswalk link). ``names`` and ``kinds`` (concept, reference,
    link) describe each feature code.
    """

    element: Any
    feature: Any
    finding: Any
    names: list[str]
    kinds: list[str]


def _overlap_features(
    index: GraphIndex, nodes: list[str], fa: str, fb: str
) -> tuple[_Features, dict[tuple[str, str], list[tuple[str, list[str]]]]]:
    """The features of each element of ``nodes``, and the crosswalk links between ``fa`` and ``fb``.

    Features are concepts (named by the element's label, or by a finding about it), references
    (cited by a finding about it), and each crosswalk link between the two frameworks (shared by
    exactly its two ends). A finding is about the element its edge points at (a theme's findings
    are the theme's, not its core element's); comparison findings count for their side's
    framework. The links come as ``{(element_a, element_b): [(relation, finding ids)]}``.
    """
    import numpy as np
    import pandas as pd

    wanted = set(nodes)
    owned = _owners(index.findings)
    owned = owned[owned["element"].isin(wanted)]
    found = set(owned["finding_id"])
    tags = index.tags[index.tags["finding_id"].isin(found)]
    by_concept = owned.merge(tags[["finding_id", "concept_id"]], on="finding_id")
    by_reference = owned.merge(index.cites[index.cites["finding_id"].isin(found)], on="finding_id")
    labelled = index.element_tags[index.element_tags["element_id"].isin(wanted)]

    framework_of = dict(
        zip(
            index.elements["element_id"].tolist(), index.elements["framework"].tolist(), strict=True
        )
    )
    links: dict[tuple[str, str], list[tuple[str, list[str]]]] = defaultdict(list)
    link_rows = []
    crosswalk = index.crosswalk
    for u, v, relation, cell in zip(
        *(
            crosswalk[c].tolist()
            for c in ("source_element", "target_element", "relation", "finding_id")
        ),
        strict=True,
    ):
        if u not in wanted or v not in wanted:
            continue
        if framework_of[u] == fb and framework_of[v] == fa and fa != fb:
            u, v = v, u
        if not (framework_of[u] == fa and framework_of[v] == fb):
            continue
        name = f"{u}|{v}|{relation}"
        link_rows += [(u, name), (v, name)]
        stating = [f for f in str(cell).split(";") if f]
        links[(u, v)].append((relation, stating))
        if fa == fb:
            links[(v, u)].append((relation, stating))

    concept_names = sorted(set(by_concept["concept_id"]) | set(labelled["concept_id"]))
    reference_codes, reference_names = pd.factorize(by_reference["key"], sort=True)
    link_names = sorted({name for _, name in link_rows})
    n_concepts, n_references = len(concept_names), len(reference_names)
    concept_index, node_index = pd.Index(concept_names), pd.Index(nodes)
    no_finding = np.full(len(labelled) + len(link_rows), "", dtype=object)
    features = _Features(
        element=np.concatenate([
            node_index.get_indexer(by_concept["element"]),
            node_index.get_indexer(by_reference["element"]),
            node_index.get_indexer(labelled["element_id"]),
            node_index.get_indexer([u for u, _ in link_rows]),
        ]),
        feature=np.concatenate([
            concept_index.get_indexer(by_concept["concept_id"]),
            n_concepts + reference_codes,
            concept_index.get_indexer(labelled["concept_id"]),
            n_concepts + n_references + pd.Index(link_names).get_indexer([n for _, n in link_rows]),
        ]),
        finding=np.concatenate([
            by_concept["finding_id"].to_numpy(dtype=object),
            by_reference["finding_id"].to_numpy(dtype=object),
            no_finding,
        ]),
        names=[*concept_names, *reference_names.tolist(), *link_names],
        kinds=["concept"] * n_concepts + ["reference"] * n_references + ["link"] * len(link_names),
    )  # fmt: skip
    return features, links


class _OverlapSupport:
    """The findings behind an overlap: those of one element that carry a feature of the other.

    Per element, a boolean matrix (elements of the other framework x its findings) is computed
    once, the first time a pair needs it.
    """

    def __init__(
        self,
        features: _Features,
        others: dict[int, Any],
        incidence: Any,
        citations: dict[str, str],
    ) -> None:
        import numpy as np
        import pandas as pd

        rows = features.finding != ""
        node = features.element[rows]
        codes, names = pd.factorize(features.finding[rows], sort=True)
        self._names = np.asarray(names, dtype=object)
        carried = features.feature[rows]
        # the nodes that share a finding (comparison findings about both frameworks)
        shared = pd.Series(node).groupby(codes).transform("nunique").to_numpy() > 1
        self._sharing = set(node[shared].tolist())
        order = np.lexsort((codes, node))
        node, codes, carried = node[order], codes[order], carried[order]
        self._per_node: dict[int, tuple] = {}
        bounds = np.flatnonzero(np.r_[True, node[1:] != node[:-1], True]) if len(node) else []
        for start, end in pairwise(bounds):
            c = codes[start:end]
            starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
            self._per_node[int(node[start])] = (c[starts], starts, carried[start:end])
        self._others = others
        self._incidence = incidence
        self._matrices: dict[int, tuple | None] = {}
        self._citation = citations

    def _matrix(self, node: int) -> tuple | None:
        import numpy as np

        if node not in self._matrices:
            entry = self._per_node.get(node)
            if entry is None:
                self._matrices[node] = None
            else:
                codes, starts, features = entry
                others = self._others[node]
                hit = self._incidence[np.ix_(others, features)] > 0
                carried = np.logical_or.reduceat(hit, starts, axis=1)
                where = {o: k for k, o in enumerate(others.tolist())}
                self._matrices[node] = (codes, carried, where)
        return self._matrices[node]

    def findings(self, u: int, v: int, *, first: list[str], limit: int) -> tuple[list[str], int]:
        """The first ``limit`` supporting finding ids (``first`` leading) and their number."""
        import numpy as np

        parts = []
        for node, other in ((u, v), (v, u)):
            matrix = self._matrix(node)
            if matrix is not None and other in matrix[2]:
                codes, carried, where = matrix
                parts.append(codes[carried[where[other]]])  # sorted: codes follow the ids
        if not parts:
            return first[:limit], len(first)
        total = sum(len(part) for part in parts)
        if len(parts) == 2 and u in self._sharing and v in self._sharing:
            # the same finding can support both ends only if it is about both: count it once
            total -= len(np.intersect1d(parts[0], parts[1], assume_unique=True))
        head = np.concatenate([part[: limit + len(first)] for part in parts])
        head = np.unique(head)
        leading = set(first)
        rest = [n for n in self._names[head].tolist() if n not in leading]
        if leading:
            total -= int(np.isin(self._names[np.concatenate(parts)], list(leading)).sum())
        return (first + rest)[:limit], len(first) + total

    def citations(self, finding_ids: list[str]) -> list[str]:
        """The citations of these findings as printed, each once."""
        return [c for c in dict.fromkeys(self._citation.get(f, "") for f in finding_ids) if c]


# -- gaps -----------------------------------------------------------------------------------------
@gc_paused()
def gaps(kb: Any, *, frameworks: tuple[str, str] | None = None) -> pd.DataFrame:
    """Return the evidence gaps of a knowledge base, one row per gap, typed.

    Parameters
    ----------
    kb
        A KnowledgeBase, its graph, or its tables.
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
    import pandas as pd

    G = as_graph(kb)
    index = _index(G)
    findings = index.findings
    elements = index.elements
    framework_of = dict(
        zip(elements["element_id"].tolist(), elements["framework"].tolist(), strict=True)
    )
    parts = []

    # what the review itself says it did not find
    rows = findings[findings["kind"] == "no_evidence"]
    parts.append(
        _gap_rows(
            "no_evidence",
            rows,
            element=rows["target"],
            detail=rows["statement"] + " (" + rows["source"] + ")",
        )
    )

    # every finding with an element, once for the element and once for each element above it
    located = findings.loc[
        findings["target"] != "", ["finding_id", "review", "target", "direction", "framework"]
    ]
    ancestors = _ancestors(index)
    above = located.assign(element=located["target"].map(ancestors)).explode("element")
    above = above[above["element"].notna()]

    # element x review cells that the review could have filled
    level_of = dict(zip(elements["element_id"].tolist(), elements["level"].tolist(), strict=True))
    used = pd.concat(
        [
            findings.loc[findings["element"] != "", ["review", "element"]],
            findings.loc[findings["theme"] != "", ["review", "theme"]].set_axis(
                ["review", "element"], axis=1
            ),
        ]
    )
    used = used[used["element"].isin(framework_of)]
    scope = used.assign(
        framework=used["element"].map(framework_of), level=used["element"].map(level_of)
    )[["review", "framework", "level"]].drop_duplicates()
    candidates = scope.merge(
        elements.loc[elements["level"] != "framework", ["element_id", "framework", "level"]],
        on=["framework", "level"],
    ).rename(columns={"element_id": "element"})
    covered = above[["review", "element"]].drop_duplicates()
    empty = candidates.merge(covered, on=["review", "element"], how="left", indicator=True)
    empty = empty[empty["_merge"] == "left_only"]
    parts.append(
        _gap_rows(
            "empty_cell",
            empty,
            finding_ids="",
            n_findings=0,
            detail=empty["review"]
            + " reports on "
            + empty["level"]
            + " elements of "
            + empty["framework"]
            + " but has no finding here",
        )
    )

    # one-sided evidence: an element (with what is below it) with a single direction
    directed = above[above["direction"].isin(("promoting", "hindering"))]
    n_directions = directed.groupby("element")["direction"].nunique()
    one = directed[directed["element"].isin(n_directions.index[n_directions == 1])]
    rows = []
    for element, group in one.groupby("element", sort=False):
        counts = group["review"].value_counts().sort_index()
        per_review = ", ".join(f"{r} {n}" for r, n in counts.items())
        ids = sorted(set(group["finding_id"]))
        rows.append(
            (
                framework_of[element],
                element,
                len(ids),
                ";".join(ids),
                f"only {group['direction'].iloc[0]} evidence ({per_review})",
            )
        )
    parts.append(_gap_frame("one_sided", rows))

    # single-source evidence: all cited findings of an element rest on one reference
    cited = above[["finding_id", "element"]].merge(index.cites, on="finding_id")
    n_keys = cited.groupby("element")["key"].nunique()
    single = cited[cited["element"].isin(n_keys.index[n_keys == 1])]
    rows = []
    for element, group in single.groupby("element", sort=False):
        ids = sorted(set(group["finding_id"]))
        rows.append(
            (
                framework_of[element],
                element,
                len(ids),
                ";".join(ids),
                f"all {len(ids)} cited finding(s) rest on " + group["key"].iloc[0],
            )
        )
    parts.append(_gap_frame("single_source", rows))

    # citations
    rows = findings[findings["citation_status"].isin(("unresolved", "ambiguous"))]
    parts.append(
        _gap_rows(
            "unresolved_citation",
            rows,
            element=rows["target"],
            detail=rows["citation_status"] + ": '" + rows["citation"] + "'",
        )
    )
    rows = findings[
        findings["kind"].isin(EVIDENCE_KINDS) & (findings["citation"].str.strip() == "")
    ]
    parts.append(
        _gap_rows(
            "uncited",
            rows,
            element=rows["target"],
            detail=rows["kind"] + " printed without a citation (" + rows["source"] + ")",
        )
    )

    # concepts with no counterpart in a linked framework
    if frameworks is not None:
        pairs = {
            tuple(sorted((_framework(index, frameworks[0]), _framework(index, frameworks[1]))))
        }
    else:
        cw = index.crosswalk
        pairs = {
            tuple(sorted((framework_of[u], framework_of[v])))
            for u, v in zip(
                cw["source_element"].tolist(), cw["target_element"].tolist(), strict=True
            )
            if u in framework_of and v in framework_of and framework_of[u] != framework_of[v]
        }
    profiles = _framework_concepts(index)
    rows = []
    for fa, fb in sorted(pairs):
        for this, other in ((fa, fb), (fb, fa)):
            named, elsewhere = profiles.get(this, {}), profiles.get(other, {})
            for concept in sorted(set(named) - set(elsewhere)):
                ids = sorted(set(named[concept]))
                rows.append(
                    (
                        this,
                        concept,
                        other,
                        len(ids),
                        ";".join(ids),
                        f"named in {this} ({len(ids)} finding(s)), not in {other}",
                    )
                )
    columns = ["framework", "concept", "other_framework", "n_findings", "finding_ids", "detail"]
    counterpart = pd.DataFrame(rows, columns=columns)
    parts.append(counterpart.assign(gap_type="concept_without_counterpart"))

    table = pd.concat([p for p in parts if len(p)], ignore_index=True)
    table = table.reindex(columns=list(GAP_COLUMNS)).fillna("")
    table["n_findings"] = table["n_findings"].astype(int)
    rank = {g: i for i, g in enumerate(GAP_TYPES)}
    order = _element_order(index)
    element_rank = {e: i for i, e in enumerate(sorted(order, key=order.get))}
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


def _gap_frame(gap_type: str, rows: list[tuple]) -> pd.DataFrame:
    """Gap rows for elements: ``(framework, element, n_findings, finding_ids, detail)`` each."""
    import pandas as pd

    columns = ["framework", "element", "n_findings", "finding_ids", "detail"]
    return pd.DataFrame(rows, columns=columns).assign(gap_type=gap_type)


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
    framework_of = dict(
        zip(
            index.elements["element_id"].tolist(), index.elements["framework"].tolist(), strict=True
        )
    )
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
    kb: Any,
    rows: str = "element",
    cols: str = "review",
    split_direction: bool = False,
    *,
    framework: str | None = None,
) -> pd.DataFrame:
    """Return an evidence gap map: the number of findings per row and column value.

    Parameters
    ----------
    kb
        A KnowledgeBase, its graph, or its tables.
    rows, cols
        What to count by, each one of ``element`` (the finding's element), ``theme`` (its theme,
        else its element), ``framework``, ``review``, ``concept``, ``kind``, ``direction``.
        For ``element`` and ``theme`` every element of the frameworks that have findings is a
        row, also when the count is 0: the empty rows are the gaps.
    split_direction
        Split every column into promoting, hindering and none (a two-level column index).
    framework
        Keep only the elements (and findings) of this framework.

    Returns
    -------
    pandas.DataFrame
        Integer counts; the index is named after ``rows``, the columns after ``cols``.

    Examples
    --------
    >>> table = gap_map(ekb.load(), framework="liso")
    >>> (
    ...     int(table.loc["liso/synergie", "werk-inkomen-2023"]),
    ...     int(table.loc["liso/synergie", "pps-2023"]),
    ... )
    (1, 18)
    """
    import pandas as pd

    for name, value in (("rows", rows), ("cols", cols)):
        if value not in _AXES:
            msg = f"{name}={value!r}: expected one of {', '.join(_AXES)}"
            raise ValueError(msg)
    G = as_graph(kb)
    index = _index(G)
    findings = index.findings
    order = _element_order(index)
    wanted = _framework(index, framework) if framework else None
    if wanted:
        findings = findings[findings["framework"].str.split(";").apply(lambda fs: wanted in fs)]
    long = findings[
        ["finding_id", "review", "kind", "direction", "framework", "element", "target"]
    ].assign(
        theme=findings["target"],
        direction=findings["direction"].replace("", "none"),
    )
    long = long.assign(framework=long["framework"].str.split(";")).explode("framework")
    if "concept" in (rows, cols):
        long = long.merge(
            index.tags[["finding_id", "concept_id"]], on="finding_id", how="left"
        ).rename(columns={"concept_id": "concept"})
    keys = [rows, cols] + (
        ["direction"] if split_direction and "direction" not in (rows, cols) else []
    )
    long = long[[*dict.fromkeys([*keys, "finding_id"])]].dropna()
    long = long[(long[rows] != "") & (long[cols] != "")]
    counts = long.drop_duplicates().groupby(keys).size()
    table = counts.unstack(keys[1:], fill_value=0) if len(keys) > 1 else counts.to_frame("n")
    table = table.reindex(_axis_values(index, rows, findings, wanted, order), fill_value=0)
    if cols in ("element", "theme", "concept", "framework"):
        wanted_cols = _axis_values(index, cols, findings, wanted, order)
        if split_direction:
            cols_index = pd.MultiIndex.from_product(
                [wanted_cols, ["promoting", "hindering", "none"]]
            )
            table = table.reindex(columns=cols_index, fill_value=0)
        else:
            table = table.reindex(columns=wanted_cols, fill_value=0)
    elif split_direction:
        present = table.columns.get_level_values(0).unique()
        cols_index = pd.MultiIndex.from_product(
            [sorted(present), ["promoting", "hindering", "none"]]
        )
        table = table.reindex(columns=cols_index, fill_value=0)
    else:
        table = table.reindex(columns=sorted(table.columns), fill_value=0)
    table = table.fillna(0).astype(int)
    table.index.name = rows
    table.columns.names = [cols, "direction"] if split_direction else [cols]
    return table


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


# -- compare --------------------------------------------------------------------------------------
@gc_paused()
def compare(kb: Any, review_a: str, review_b: str) -> pd.DataFrame:
    """Per element and concept: what ``review_a`` found that ``review_b`` did not, and back.

    Parameters
    ----------
    kb
        A KnowledgeBase, its graph, or its tables.
    review_a, review_b
        Review ids.

    Returns
    -------
    pandas.DataFrame
        One row per (element, concept) that either review has findings for: ``found_by`` is
        ``review_a``, ``review_b`` or ``both``; with the findings and citations of each side.
        Findings without any concept are listed with an empty concept (they cannot be matched
        to the other review). Sorted by element, then ``found_by`` (a, b, both), then concept.

    Examples
    --------
    >>> table = compare(ekb.load(), "werk-inkomen-2023", "pps-2023")
    >>> synergy = table[
    ...     (table.element == "liso/synergie") & (table.found_by == "werk-inkomen-2023")
    ... ]
    >>> synergy[["concept", "findings_werk-inkomen-2023"]].values.tolist()
    [['learning-culture', 'wi-010']]
    """
    import pandas as pd

    G = as_graph(kb)
    index = _index(G)
    known = set(index.reviews["review_id"]) if len(index.reviews) else set(index.findings["review"])
    for review in (review_a, review_b):
        if review not in known:
            from evidence_kb.model.validate import did_you_mean

            msg = f"{review!r} is not a review{did_you_mean(review, sorted(known))}"
            raise UnknownIdError(msg)
    findings = index.findings
    findings = findings[
        findings["review"].isin((review_a, review_b))
        & (findings["element"] != "")
        & (findings["kind"] != "no_evidence")  # "nothing found" is not something found
    ]
    tagged = findings[["finding_id", "review", "element", "citation"]].merge(
        index.tags[["finding_id", "concept_id"]], on="finding_id", how="left"
    )
    tagged["concept_id"] = tagged["concept_id"].fillna("")
    order = _element_order(index)
    rows = []
    for (element, concept), group in tagged.groupby(["element", "concept_id"], sort=False):
        a = group[group["review"] == review_a]
        b = group[group["review"] == review_b]
        if concept == "":  # untagged findings: listed per review, never matched
            none = group.iloc[0:0]
            sides = [(review_a, a, none)] if len(a) else []
            if len(b):
                sides.append((review_b, none, b))
        else:
            found_by = "both" if len(a) and len(b) else review_a if len(a) else review_b
            sides = [(found_by, a, b)]
        for found_by, part_a, part_b in sides:
            rows.append(
                {
                    "element": element,
                    "concept": concept,
                    "found_by": found_by,
                    "n_a": len(part_a),
                    "n_b": len(part_b),
                    "findings_a": ";".join(sorted(part_a["finding_id"])),
                    "findings_b": ";".join(sorted(part_b["finding_id"])),
                    "citations_a": " | ".join(c for c in dict.fromkeys(part_a["citation"]) if c),
                    "citations_b": " | ".join(c for c in dict.fromkeys(part_b["citation"]) if c),
                }
            )
    columns = [
        "element",
        "concept",
        "found_by",
        "n_a",
        "n_b",
        "findings_a",
        "findings_b",
        "citations_a",
        "citations_b",
    ]
    table = pd.DataFrame(rows, columns=columns)
    rank = {review_a: 0, review_b: 1, "both": 2}
    table = table.assign(
        _element=table["element"].map(lambda e: order.get(e, ("~", e))),
        _found=table["found_by"].map(rank),
    )
    table = _sorted(table, ["_element", "_found", "concept"]).drop(columns=["_element", "_found"])
    return table.rename(
        columns={
            "n_a": f"n_{review_a}",
            "n_b": f"n_{review_b}",
            "findings_a": f"findings_{review_a}",
            "findings_b": f"findings_{review_b}",
            "citations_a": f"citations_{review_a}",
            "citations_b": f"citations_{review_b}",
        }
    )


# -- shared references ----------------------------------------------------------------------------
@gc_paused()
def shared_references(kb: Any) -> pd.DataFrame:
    """Return the references that support findings of more than one review or framework.

    A finding counts for the framework of its element, or for the side it speaks for (000);
    a comparison finding about both sides counts for its review only.

    Returns
    -------
    pandas.DataFrame
        ``key``, ``authors``, ``year``, ``title``, ``n_reviews``, ``reviews``,
        ``n_frameworks``, ``frameworks``, ``n_findings``, ``finding_ids``, ``elements``; sorted
        by the number of reviews, then frameworks, then findings (most first), then key.

    Examples
    --------
    >>> table = shared_references(ekb.load())
    >>> table.set_index("key").loc["kallio2015", "reviews"]
    'pps-2023;werk-inkomen-2023'
    """
    import pandas as pd

    G = as_graph(kb)
    index = _index(G)
    columns = ["finding_id", "review", "framework", "side", "target"]
    cited = index.cites.merge(index.findings[columns], on="finding_id")
    # a comparison finding about both frameworks would make every reference it cites "shared":
    # it counts for its review, not for a framework
    cited = cited.assign(framework=cited["framework"].where(cited["side"] != "both", ""))
    sets: dict[str, dict[str, set[str]]] = {
        c: defaultdict(set) for c in ("review", "framework", "finding_id", "target")
    }
    keys = cited["key"].tolist()
    for column, grouped in sets.items():
        for k, v in zip(keys, cited[column].tolist(), strict=True):
            if v:
                grouped[k].add(v)
    shared = sorted(
        k for k in sets["review"] if len(sets["review"][k]) > 1 or len(sets["framework"][k]) > 1
    )
    table = pd.DataFrame({"key": shared})
    for name, column, count in (
        ("reviews", "review", "n_reviews"),
        ("frameworks", "framework", "n_frameworks"),
        ("finding_ids", "finding_id", "n_findings"),
        ("elements", "target", None),
    ):
        table[name] = [";".join(sorted(sets[column].get(k, ()))) for k in shared]
        if count:
            table[count] = [len(sets[column].get(k, ())) for k in shared]
    refs = index.references
    meta = [c for c in ("key", "authors", "year", "title") if c in refs]
    if "key" in meta:
        table = table.merge(refs[meta], on="key", how="left")
    columns = ["key", "authors", "year", "title", "n_reviews", "reviews", "n_frameworks",
               "frameworks", "n_findings", "finding_ids", "elements"]  # fmt: skip
    table = table.reindex(columns=columns).fillna("")
    return _sorted(
        table, ["n_reviews", "n_frameworks", "n_findings", "key"], [False, False, False, True]
    )


def _join_by(frame: pd.DataFrame, key: str, value: str) -> dict[str, str]:
    """``{key: 'value;value'}``: the distinct non-empty values of each key, sorted."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for k, v in zip(frame[key].tolist(), frame[value].tolist(), strict=True):
        if v:
            grouped[k].add(v)
    return {k: ";".join(sorted(vs)) for k, vs in sorted(grouped.items())}


# -- concepts -------------------------------------------------------------------------------------
@gc_paused()
def concept_table(kb: Any) -> pd.DataFrame:
    """Return the concept vocabulary with how many findings and elements name each concept.

    Returns
    -------
    pandas.DataFrame
        The columns of ``concepts.csv`` plus ``n_findings``, ``n_hand`` (added by hand),
        ``frameworks`` (where it is found) and ``elements`` (elements whose label names it),
        sorted by ``concept_id``.
    """
    G = as_graph(kb)
    index = _index(G)
    tags = index.tags
    n_findings = tags.groupby("concept_id")["finding_id"].nunique()
    n_hand = tags[tags["origin"] == "hand"].groupby("concept_id")["finding_id"].nunique()
    located = tags[["finding_id", "concept_id"]].merge(
        index.findings[["finding_id", "framework"]], on="finding_id"
    )
    located = located.assign(framework=located["framework"].str.split(";")).explode("framework")
    where = _join_by(located, "concept_id", "framework")
    labelled = _join_by(index.element_tags, "concept_id", "element_id")
    concepts = index.concepts["concept_id"]
    table = index.concepts.assign(
        n_findings=concepts.map(n_findings).fillna(0).astype(int),
        n_hand=concepts.map(n_hand).fillna(0).astype(int),
        frameworks=[where.get(c, "") for c in concepts],
        elements=[labelled.get(c, "") for c in concepts],
    )
    return _sorted(table, ["concept_id"])
