"""A printed reference split into fields: what :mod:`evidence_kb.io.reflist` produces.

The record lives here, below io, so that the plausibility checks of :mod:`evidence_kb.model`
can compare a bibliography with the printed lists without importing a reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence_kb.model.text import OTHERS

__all__ = ["OTHERS", "ParsedReference"]


@dataclass
class ParsedReference:
    """One printed reference, split into fields; ``raw`` is the line exactly as printed.

    Authors that print leaves out ("et al.", APA's ". . .") are recorded as :data:`OTHERS`.
    """

    line: int
    raw: str
    number: int | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    year_suffix: str = ""
    title: str = ""
    container: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    entry_type: str = "misc"
    style: str = "apa"
    parsed: bool = True
    note: str = ""
