"""The evidence map: a shareable, self-contained HTML report of a knowledge base.

:func:`write_report` writes ``index.html``: the evidence gap map (elements x reviews, split into
promoting, hindering and other findings, with the gaps marked), the crosswalk between the
frameworks with the evidence behind every link, per review the factsheet table, the PRISMA-ScR
flow and the reference list with its duplicates, and filters and a search box that apply
everywhere. Dutch, with an English switch. Everything is inline, nothing is fetched: the file
works opened from disk and offline.

- :mod:`~evidence_kb.publish.report.data` gathers the data the page shows (``report_data``)
  and packs it for the page (``pack_data``, ``unpack_data``);
- :mod:`~evidence_kb.publish.report.build` renders and writes the page (``render_report``,
  ``write_report``) from ``report.html.j2``, ``report.css`` and ``report.js``.
"""

from __future__ import annotations

from evidence_kb.publish.report.build import render_report, write_report
from evidence_kb.publish.report.data import report_data

__all__ = ["render_report", "report_data", "write_report"]
