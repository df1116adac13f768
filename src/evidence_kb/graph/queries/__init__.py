"""Questions to the evidence graph, each answered as a sorted DataFrame.

Every function takes ``kb``: a :class:`~evidence_kb.KnowledgeBase`, the graph that
:func:`~evidence_kb.graph.build.build_graph` returns (also one read back from GraphML or JSON), or
a mapping of tables. None of them changes the graph or its tables.

- :func:`evidence`: the findings about an element, theme, condition or concept.
- :func:`overlaps`: element pairs of two frameworks that share concepts, references or a link.
- :func:`gaps`: the evidence gaps, typed.
- :func:`gap_map`: a matrix of finding counts (an evidence gap map).
- :func:`~evidence_kb.graph.queries.cells.gap_cells`: every element x review cell with its
  state, the one source of the gaps of ``gaps()``, ``gap_map()`` and the report.
- :func:`compare`: per element, what one review found that another did not.
- :func:`shared_references`: references behind findings of more than one review or framework.
- :func:`concept_table`: the vocabulary with how often each concept is found.
"""

from __future__ import annotations

# used by the tests to check the overlap strength against networkx
from evidence_kb.graph.queries.common import (
    EVIDENCE_COLUMNS,
    GAP_COLUMNS,
    GAP_TYPES,
    as_graph,
)
from evidence_kb.graph.queries.compare import compare, concept_table, shared_references
from evidence_kb.graph.queries.evidence import evidence
from evidence_kb.graph.queries.gaps import gap_map, gaps
from evidence_kb.graph.queries.overlaps import overlaps

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
