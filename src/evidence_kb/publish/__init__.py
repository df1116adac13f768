"""Results going out: the published factsheet tables, evidence tables for any selection, their
writers (Markdown, HTML, Word, LaTeX, CSV) and PRISMA-ScR flow diagrams.

- :mod:`evidence_kb.publish.tables` computes a table as a layout of rows and cells:
  ``table_layout(kb, name)`` (or ``review=``) one of the tables ``table_names(kb)`` lists,
  ``evidence_table`` the evidence of any selection in the same layout;
- :mod:`evidence_kb.publish.render` writes a layout in each format (``write_table`` one
  table, ``write_tables`` every table of ``table_names(kb)``);
- :mod:`evidence_kb.publish.prisma` draws the search and selection counts of a review
  (``plot_prisma``, ``write_prisma``).

The top layer of the pipeline below ``kb``: it imports model, io, citations and graph, and takes
the loaded record (:class:`~evidence_kb.model.data.KBData`) or the graph, never the facade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_kb._lazy import lazy_exports

# Public name -> module; imported on first use (pandas, matplotlib and python-docx load late).
_EXPORTS = {
    "EvidenceTable": "evidence_kb.publish.tables",
    "Layout": "evidence_kb.publish.tables",
    "evidence_table": "evidence_kb.publish.tables",
    "published_layout": "evidence_kb.publish.tables",
    "review_layout": "evidence_kb.publish.tables",
    "table_layout": "evidence_kb.publish.tables",
    "table_layouts": "evidence_kb.publish.tables",
    "table_layouts_by_review": "evidence_kb.publish.tables",
    "table_names": "evidence_kb.publish.tables",
    "FORMATS": "evidence_kb.publish.render",
    "to_csv": "evidence_kb.publish.render",
    "to_docx": "evidence_kb.publish.render",
    "to_html": "evidence_kb.publish.render",
    "to_latex": "evidence_kb.publish.render",
    "to_markdown": "evidence_kb.publish.render",
    "write_table": "evidence_kb.publish.render",
    "write_tables": "evidence_kb.publish.render",
    "plot_prisma": "evidence_kb.publish.prisma",
    "write_prisma": "evidence_kb.publish.prisma",
    "plot_gap_map": "evidence_kb.publish.plots",
    "plot_evidence_by_direction": "evidence_kb.publish.plots",
    "plot_crosswalk": "evidence_kb.publish.plots",
}

__all__ = sorted(_EXPORTS)

# one way per job: a table by name is table_layout(kb, name) (or kb.table(name)), the names
# of a knowledge base's tables are table_names(kb)
_MOVED = {
    "published_table": ("evidence_kb.publish.tables", "kb.table(name) or table_layout(kb, name)"),
    "TABLE_NAMES": ("evidence_kb.publish.tables", "table_names(kb)"),
}

__getattr__, __dir__ = lazy_exports("evidence_kb.publish", _EXPORTS, globals(), moved=_MOVED)

if TYPE_CHECKING:  # for type checkers and IDEs
    from evidence_kb.publish.plots import plot_crosswalk, plot_evidence_by_direction, plot_gap_map
    from evidence_kb.publish.prisma import plot_prisma, write_prisma
    from evidence_kb.publish.render import (
        FORMATS,
        to_csv,
        to_docx,
        to_html,
        to_latex,
        to_markdown,
        write_table,
        write_tables,
    )
    from evidence_kb.publish.tables import (
        EvidenceTable,
        Layout,
        evidence_table,
        published_layout,
        review_layout,
        table_layout,
        table_layouts,
        table_layouts_by_review,
        table_names,
    )
