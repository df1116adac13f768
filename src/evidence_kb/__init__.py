"""evidence_kb: a queryable, validated knowledge base of scoping-review evidence.

>>> import evidence_kb as ekb
>>> kb = ekb.load()  # the bundled knowledge base
>>> kb.findings.shape[1] > 5
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_kb._lazy import lazy_exports
from evidence_kb._version import __version__

# Public name -> module that defines it. Modules are imported on first use, so that
# `import evidence_kb` stays fast (pandas, networkx and bibtexparser load only when needed).
_EXPORTS = {
    "KnowledgeBase": "evidence_kb.kb",
    "load": "evidence_kb.kb",
    "init": "evidence_kb.io.skeleton",
    "bundled_data_dir": "evidence_kb.io.kbdir",
    "KBData": "evidence_kb.model.data",
    "Finding": "evidence_kb.model.records",
    "Element": "evidence_kb.model.records",
    "Review": "evidence_kb.model.records",
    "Reference": "evidence_kb.model.records",
    "Kind": "evidence_kb.model.vocab",
    "Direction": "evidence_kb.model.vocab",
    "Side": "evidence_kb.model.vocab",
    "Problem": "evidence_kb.model.errors",
    "EvidenceKBError": "evidence_kb.model.errors",
    "InputError": "evidence_kb.model.errors",
    "UnknownIdError": "evidence_kb.model.errors",
    "parse_bibtex": "evidence_kb.io.bibtex",
    "format_bibtex": "evidence_kb.io.bibtex",
    "read_references": "evidence_kb.io.references",
    "to_bibtex": "evidence_kb.io.references",
    "parse_reference_list": "evidence_kb.io.reflist",
    "parse_citations": "evidence_kb.citations.parse",
    "Citation": "evidence_kb.citations.parse",
    "find_duplicates": "evidence_kb.citations.dedupe",
    "Duplicates": "evidence_kb.citations.dedupe",
    "record_decisions": "evidence_kb.citations.dedupe",
    "build_bibliography": "evidence_kb.citations.bibliography",
    "write_exports": "evidence_kb.io.export",
    "write_tables": "evidence_kb.publish.render",
    "write_table": "evidence_kb.publish.render",
    "table_names": "evidence_kb.publish.tables",
    "table_layouts": "evidence_kb.publish.tables",
    "evidence_table": "evidence_kb.publish.tables",
    "EvidenceTable": "evidence_kb.publish.tables",
    "plot_prisma": "evidence_kb.publish.prisma",
    "write_prisma": "evidence_kb.publish.prisma",
    "write_report": "evidence_kb.publish.report",
    "show": "evidence_kb.publish.display",
    "render_report": "evidence_kb.publish.report",
    "plot_gap_map": "evidence_kb.publish.plots",
    "plot_evidence_by_direction": "evidence_kb.publish.plots",
    "plot_crosswalk": "evidence_kb.publish.plots",
    "write_findings": "evidence_kb.io.export",
    "read_findings": "evidence_kb.io.export",
    "read_bibtex": "evidence_kb.io.bibtex",
    "read_eppi": "evidence_kb.kb",
    "write_eppi": "evidence_kb.io.eppi",
    "diff": "evidence_kb.living.diff",
    "Diff": "evidence_kb.living.diff",
    "write_diff": "evidence_kb.living.report",
    "update": "evidence_kb.living.update",
    "Update": "evidence_kb.living.update",
    "merge": "evidence_kb.living.merge",
    "Merge": "evidence_kb.living.merge",
    "resolve_conflicts": "evidence_kb.living.merge",
    "agreement": "evidence_kb.living.agreement",
    "Agreement": "evidence_kb.living.agreement",
}

__all__ = sorted([*_EXPORTS, "__version__"])


# one way per job: these left the public API in 0.2 and warn until the next release
_MOVED = {
    "published_table": ("evidence_kb.publish.tables", "kb.table(name)"),
    "TABLE_NAMES": ("evidence_kb.publish.tables", "ekb.table_names(kb)"),
}

__getattr__, __dir__ = lazy_exports("evidence_kb", _EXPORTS, globals(), moved=_MOVED)


if TYPE_CHECKING:  # for type checkers and IDEs
    from evidence_kb.citations.bibliography import build_bibliography
    from evidence_kb.citations.dedupe import Duplicates, find_duplicates, record_decisions
    from evidence_kb.citations.parse import Citation, parse_citations
    from evidence_kb.io.bibtex import format_bibtex, parse_bibtex, read_bibtex
    from evidence_kb.io.eppi import write_eppi
    from evidence_kb.io.export import read_findings, write_exports, write_findings
    from evidence_kb.io.kbdir import bundled_data_dir
    from evidence_kb.io.references import read_references, to_bibtex
    from evidence_kb.io.reflist import parse_reference_list
    from evidence_kb.io.skeleton import init
    from evidence_kb.kb import KnowledgeBase, load, read_eppi
    from evidence_kb.living.agreement import Agreement, agreement
    from evidence_kb.living.diff import Diff, diff
    from evidence_kb.living.merge import Merge, merge, resolve_conflicts
    from evidence_kb.living.report import write_diff
    from evidence_kb.living.update import Update, update
    from evidence_kb.model.data import KBData
    from evidence_kb.model.errors import EvidenceKBError, InputError, Problem, UnknownIdError
    from evidence_kb.model.records import Element, Finding, Reference, Review
    from evidence_kb.model.vocab import Direction, Kind, Side
    from evidence_kb.publish.display import show
    from evidence_kb.publish.plots import plot_crosswalk, plot_evidence_by_direction, plot_gap_map
    from evidence_kb.publish.prisma import plot_prisma, write_prisma
    from evidence_kb.publish.render import write_table, write_tables
    from evidence_kb.publish.report import render_report, write_report
    from evidence_kb.publish.tables import (
        EvidenceTable,
        evidence_table,
        table_layouts,
        table_names,
    )
