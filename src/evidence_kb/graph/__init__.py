"""The evidence graph: frameworks, elements, concepts, findings, references and reviews.

Build it with :func:`build_graph` (``kb.graph`` does so once per knowledge base), then ask it
questions; every query returns a sorted DataFrame and leaves the graph as it was::

    import evidence_kb as ekb
    from evidence_kb import graph

    kb = ekb.load()
    graph.evidence(kb, "Synergie")  # findings + citations, sorted
    graph.overlaps(kb, "liso", "tno-lo")  # element pairs, shared concepts, strength
    graph.gaps(kb)  # typed evidence gaps
    graph.gap_map(kb, rows="element", cols="review")  # counts per element and review
    graph.compare(kb, "werk-inkomen-2023", "pps-2023")
    graph.shared_references(kb)

Modules: :mod:`~evidence_kb.graph.concepts` (vocabulary and tagging),
:mod:`~evidence_kb.graph.crosswalk` (stated links between frameworks),
:mod:`~evidence_kb.graph.build` (nodes and edges; the schema is in its docstring),
:mod:`~evidence_kb.graph.queries` (pure functions), :mod:`~evidence_kb.graph.export`
(GraphML, GEXF, node-link JSON). networkx is imported by these modules only, never by
``import evidence_kb``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_kb._deprecated import moved_to
from evidence_kb._lazy import lazy_exports

_EXPORTS = {
    "build_graph": "evidence_kb.graph.build",
    "graph_tables": "evidence_kb.graph.build",
    "node_id": "evidence_kb.graph.build",
    "GraphIndex": "evidence_kb.graph.build",
    "GraphTables": "evidence_kb.graph.build",
    "NODE_KINDS": "evidence_kb.graph.build",
    "EDGE_KINDS": "evidence_kb.graph.build",
    "ConceptTagger": "evidence_kb.graph.concepts",
    "tag_findings": "evidence_kb.graph.concepts",
    "tag_elements": "evidence_kb.graph.concepts",
    "derive_comparison_links": "evidence_kb.graph.crosswalk",
    "as_graph": "evidence_kb.graph.queries",
    "evidence": "evidence_kb.graph.queries",
    "overlaps": "evidence_kb.graph.queries",
    "gaps": "evidence_kb.graph.queries",
    "gap_map": "evidence_kb.graph.queries",
    "compare": "evidence_kb.graph.queries",
    "shared_references": "evidence_kb.graph.queries",
    "concept_table": "evidence_kb.graph.queries",
    "write_graph": "evidence_kb.graph.export",
    "write_graphml": "evidence_kb.graph.export",
    "write_gexf": "evidence_kb.graph.export",
    "write_node_link_json": "evidence_kb.graph.export",
    "read_node_link_json": "evidence_kb.graph.export",
}

__all__ = sorted(_EXPORTS)


# moved in 0.2 (they read files, so they live in io now): still here, with a DeprecationWarning
_MOVED = moved_to("evidence_kb.io.tables", "load_concepts", "load_concept_tags", "load_crosswalk")

__getattr__, __dir__ = lazy_exports("evidence_kb.graph", _EXPORTS, globals(), moved=_MOVED)


if TYPE_CHECKING:
    from evidence_kb.graph.build import (
        EDGE_KINDS,
        NODE_KINDS,
        GraphIndex,
        GraphTables,
        build_graph,
        graph_tables,
        node_id,
    )
    from evidence_kb.graph.concepts import (
        ConceptTagger,
        tag_elements,
        tag_findings,
    )
    from evidence_kb.graph.crosswalk import derive_comparison_links
    from evidence_kb.graph.export import (
        read_node_link_json,
        write_gexf,
        write_graph,
        write_graphml,
        write_node_link_json,
    )
    from evidence_kb.graph.queries import (
        as_graph,
        compare,
        concept_table,
        evidence,
        gap_map,
        gaps,
        overlaps,
        shared_references,
    )
