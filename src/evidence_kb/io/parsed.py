"""What a reference reader makes of one file's text: the shape every format's reader shares.

Each format has a reader ``parse(text, name) -> ReferenceRows`` (the text already decoded, the file
name for messages): :func:`~evidence_kb.io.tagged.read_ris` and its siblings,
:func:`~evidence_kb.io.reftables.read_table`, :func:`~evidence_kb.io.jsonrefs.read_json`, and
the BibTeX and printed-list readers of :mod:`evidence_kb.io.references`, which holds them in one
table, :data:`~evidence_kb.io.references.PARSERS`. Readers of tables and flat JSON records
also take ``columns=``, the user's column mapping. No reader raises for a bad record: every
problem is in ``problems``, and strict mode is decided by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from evidence_kb.model.errors import Problem

__all__ = ["ColumnParser", "Parser", "ReferenceRows"]


@dataclass
class ReferenceRows:
    """The rows read from one reference file, with every problem found.

    :class:`~evidence_kb.model.errors.Parsed` is what a parser of records returns (records and
    problems); these are the rows of a file before they become the frame of
    :func:`~evidence_kb.read_references`, with what the coverage check of the file needs.

    ``rows`` are dicts of the normalised reference fields (see
    :data:`~evidence_kb.io.fields.REFERENCE_COLUMNS`), ``ignored`` counts the lines that belong
    to no record (checked against the file's length, so that no part of a file is lost without
    a word), and ``flavour`` names the dialect within a format where there are several (JSON:
    ``csl-json``, ``openalex``, ...).
    """

    rows: list[dict[str, Any]]
    problems: list[Problem] = field(default_factory=list)
    ignored: int = 0
    flavour: str = ""


class Parser(Protocol):
    """A format's reader: the decoded text of one file and its name, to :class:`ReferenceRows`."""

    def __call__(self, text: str, name: str, /) -> ReferenceRows: ...


class ColumnParser(Protocol):
    """The reader of a format whose fields are named columns or keys (tables, flat JSON): a
    :class:`Parser` that also takes the user's mapping of those names to fields."""

    def __call__(
        self, text: str, name: str, columns: dict[str, str | None] | None = None, /
    ) -> ReferenceRows: ...
