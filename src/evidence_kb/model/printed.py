"""A printed reference split into fields: what :mod:`evidence_kb.io.reflist` produces.

The record lives here, below io, so that the plausibility checks of :mod:`evidence_kb.model`
can compare a bibliography with the printed lists without importing a reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence_kb.model.records import REFERENCE_TEXT_FIELDS
from evidence_kb.model.text import OTHERS

__all__ = ["OTHERS", "PRINTED_FIELDS", "ParsedReference"]


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
    publisher: str = ""
    editor: str = ""  # the editors of the book a chapter is in, as printed
    entry_type: str = "misc"
    style: str = "apa"
    parsed: bool = True
    note: str = ""


#: The text fields of a reference that a printed reference has too, in the order of
#: :data:`~evidence_kb.model.records.REFERENCE_TEXT_FIELDS`: what a bibliography is compared
#: with and merged by (``editor``, a name field, is merged alongside them).
PRINTED_FIELDS = tuple(
    name for name in REFERENCE_TEXT_FIELDS if name in ParsedReference.__dataclass_fields__
)
