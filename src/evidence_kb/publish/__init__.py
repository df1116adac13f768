"""Results going out: the published factsheet tables, evidence tables for any selection, their
writers (Markdown, HTML, Word, LaTeX, CSV) and PRISMA-ScR flow diagrams.

- :mod:`evidence_kb.publish.tables` computes a table (``published_table``,
  ``evidence_table``, ``table_layout`` for any review) as a layout of rows and cells;
  ``table_names(kb)`` says which tables a knowledge base can publish;
- :mod:`evidence_kb.publish.render` writes a layout in each format (``write_table`` one
  table, ``write_tables`` every table of ``table_names(kb)``);
- :mod:`evidence_kb.publish.prisma` draws the search and selection counts of a review
  (``plot_prisma``, ``write_prisma``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_kb._lazy import lazy_exports

# Public name -> module; imported on first use (pandas, matplotlib and python-docx load late).
_EXPORTS = {
    "TABLE_NAMES": "evidence_kb.publish.tables",
    "EvidenceTable": "evidence_kb.publish.tables",
    "Layout": "evidence_kb.publish.tables",
    "evidence_table": "evidence_kb.publish.tables",
    "published_layout": "evidence_kb.publish.tables",
    "published_table": "evidence_kb.publish.tables",
    "review_layout": "evidence_kb.publish.tables",
    "table_layout": "evidence_kb.publish.tables",
    "table_layouts": "evidence_kb.publish.tables",
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

__all__ = [
    "FORMATS",
    "TABLE_NAMES",
    "EvidenceTable",
    "Layout",
    "evidence_table",
    "plot_crosswalk",
    "plot_evidence_by_direction",
    "plot_gap_map",
    "plot_prisma",
    "published_layout",
    "published_table",
    "review_layout",
    "table_layout",
    "table_layouts",
    "table_names",
    "to_csv",
    "to_docx",
    "to_html",
    "to_latex",
    "to_markdown",
    "write_prisma",
    "write_table",
    "write_tables",
]

__getattr__, __dir__ = lazy_exports("evidence_kb.publish", _EXPORTS, globals())

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
        TABLE_NAMES,
        EvidenceTable,
        Layout,
        evidence_table,
        published_layout,
        published_table,
        review_layout,
        table_layout,
        table_layouts,
        table_names,
    )
