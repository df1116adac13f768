"""Element pairs of two frameworks that share concepts, references or a stated link."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from evidence_kb._gc import gc_paused
from evidence_kb.graph.build import GraphIndex

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.graph.queries.common import KBOrGraph

from evidence_kb.graph.queries.common import _framework, _index, _sorted, as_graph


# -- overlaps -------------------------------------------------------------------------------------
@gc_paused()
def overlaps(
    kb: KBOrGraph, a: str, b: str, *, min_strength: float = 0.0, max_findings: int = 20
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
        A loaded knowledge base (``ekb.load()``, or any :class:`~evidence_kb.KBData`) or its graph.
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
    import pandas as pd

    index = _index(as_graph(kb))
    features, projection = _project(index, _framework(index, a), _framework(index, b))
    rows = _overlap_rows(index, projection, features, min_strength, max_findings)
    columns = [
        "framework_a", "element_a", "label_a", "framework_b", "element_b", "label_b", "strength",
        "crosswalk", "shared_concepts", "shared_references", "n_shared", "n_supporting",
        "supporting_findings", "citations",
    ]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    table["strength"] = table["strength"].round(4)
    return _sorted(
        table, ["strength", "n_shared", "element_a", "element_b"], [False, False, True, True]
    )


@dataclass(frozen=True)
class _Projection:
    """The elements of frameworks ``fa`` and ``fb`` projected onto each other through features.

    ``nodes`` are the elements (of ``fa``, then ``fb``), ``rows_a`` and ``rows_b`` their
    positions, ``incidence`` the node x feature matrix; ``shared`` and ``strength`` are the
    a x b matrices of shared features and their Jaccard index. ``links`` are the crosswalk
    links, as :func:`_overlap_features` returns them.
    """

    fa: str
    fb: str
    nodes: list[str]
    rows_a: Any
    rows_b: Any
    incidence: Any
    shared: Any
    strength: Any
    links: dict[tuple[str, str], list[tuple[str, list[str]]]]

    def pairs(self, min_strength: float) -> tuple[Any, Any]:
        """The overlapping pairs, as positions in ``rows_a`` and ``rows_b``.

        All pairs a x b, or each unordered pair once within one framework.
        """
        import numpy as np

        rows_a, rows_b = self.rows_a, self.rows_b
        ia, ib = np.nonzero(self.shared > 0)
        keep = (self.strength[ia, ib] >= min_strength) & (rows_a[ia] != rows_b[ib])
        if self.fa == self.fb:
            keep &= rows_a[ia] < rows_b[ib]
        return ia[keep], ib[keep]


def _project(index: GraphIndex, fa: str, fb: str) -> tuple[_Features, _Projection]:
    """The features of the elements of ``fa`` and ``fb``, and the projection through them."""
    import numpy as np

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
    shared = incidence[rows_a] @ incidence[rows_b].T
    degree = incidence.sum(axis=1)
    union = degree[rows_a][:, None] + degree[rows_b][None, :] - shared
    strength = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    projection = _Projection(fa, fb, nodes, rows_a, rows_b, incidence, shared, strength, links)
    return features, projection


def _overlap_rows(
    index: GraphIndex,
    p: _Projection,
    features: _Features,
    min_strength: float,
    max_findings: int,
) -> list[tuple]:
    """One row of the overlaps table per pair of ``p`` at least ``min_strength`` strong."""
    others = {int(n): p.rows_b for n in p.rows_a}
    others.update({int(n): p.rows_a for n in p.rows_b if p.fa != p.fb})
    citations = dict(
        zip(index.findings["finding_id"].tolist(), index.findings["citation"].tolist(), strict=True)
    )
    support = _OverlapSupport(features, others, p.incidence, citations)
    # codes follow the sorted names within each kind: sorting codes sorts names
    names = features.names
    concepts_of = _feature_sets(p.incidence, features, "concept")
    references_of = _feature_sets(p.incidence, features, "reference")
    elements = index.elements
    labels = dict(zip(elements["element_id"].tolist(), elements["label_nl"].tolist(), strict=True))
    out = []
    ia, ib = p.pairs(min_strength)
    for i, j in zip(ia.tolist(), ib.tolist(), strict=True):
        nu, nv = p.rows_a[i], p.rows_b[j]
        u, v = p.nodes[nu], p.nodes[nv]
        concepts = sorted(concepts_of[nu] & concepts_of[nv])
        references = sorted(references_of[nu] & references_of[nv])
        stated = p.links.get((u, v), [])
        stating = sorted({f for _, ids in stated for f in ids})
        listed, total = support.findings(nu, nv, first=stating, limit=max_findings)
        out.append((
            p.fa, u, labels.get(u, ""), p.fb, v, labels.get(v, ""), float(p.strength[i, j]),
            ";".join(sorted({r for r, _ in stated})),
            ";".join([names[c] for c in concepts]),
            ";".join([names[c] for c in references]),
            int(p.shared[i, j]), total, ";".join(listed), " | ".join(support.citations(listed)),
        ))  # fmt: skip
    return out


def _feature_sets(incidence: Any, features: _Features, kind: str) -> list[set[int]]:
    """Per node, the codes of its features of this kind."""
    import numpy as np

    kinds = np.array(features.kinds)
    return [
        set(np.flatnonzero((incidence[i] > 0) & (kinds == kind)).tolist())
        for i in range(len(incidence))
    ]


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

    links, link_rows = _crosswalk_links(index, wanted, fa, fb)
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


def _crosswalk_links(
    index: GraphIndex, wanted: set[str], fa: str, fb: str
) -> tuple[dict[tuple[str, str], list[tuple[str, list[str]]]], list[tuple[str, str]]]:
    """The crosswalk links between ``fa`` and ``fb`` among the ``wanted`` elements.

    Returns ``{(element_a, element_b): [(relation, finding ids)]}`` (both ways round within one
    framework) and the link features: ``(element, link name)`` for both ends of each link.
    """
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
    return links, link_rows


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
        bounds: Any = np.flatnonzero(np.r_[True, node[1:] != node[:-1], True]) if len(node) else []
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
