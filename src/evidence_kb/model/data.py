"""The two records a load passes along: the files as read, and the knowledge base as validated.

Loading runs in one straight line, each step in its own layer::

    io.kbdir.read_kb_dir(path)      -> KbFiles   the rows of every file, and the reading problems
    model.validate.validate_files() -> KBData    validated records, optional tables, all problems
    citations.link.link_citations() -> KBData    every finding's citation resolved

:class:`KBData` is frozen: graph and publish take it (or the graph built from it), never the
:class:`~evidence_kb.KnowledgeBase` facade, which is a thin layer of query methods on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.model.errors import Problem, problems_frame
from evidence_kb.model.records import Element, Finding, Reference, Review
from evidence_kb.model.rows import CsvRows
from evidence_kb.model.vocab import (
    CITATION_COLUMNS,
    ELEMENT_COLUMNS,
    FINDING_COLUMNS,
    FINDINGS_FILE,
    REVIEW_COLUMNS,
)

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.model.charting import Charting

__all__ = ["KBData", "KbFiles"]


@dataclass
class KbFiles:
    """The files of one knowledge-base directory as read; ``None`` for a file that is absent
    (or could not be read: ``problems`` says why)."""

    data_dir: Path
    frameworks: CsvRows | None = None
    reviews: CsvRows | None = None
    findings: CsvRows | None = None
    references: list[Reference] | None = None
    references_file: str | None = None  # the name of the reference file read, if any
    concepts: CsvRows | None = None
    concept_tags: CsvRows | None = None
    crosswalk: CsvRows | None = None
    related: CsvRows | None = None
    charting: CsvRows | None = None  # charting.csv: the charting form (model.charting)
    studies: CsvRows | None = None  # studies.csv: the charted sources
    sources: Any = None  # io.sources.SourceLists: the printed lists of sources/, read once
    encoding: str | None = None  # of the text files; None: UTF-8
    problems: list[Problem] = field(default_factory=list)
    # references still being read beside the tables (io.kbdir.open_kb_dir): a function that
    # waits for them and returns (references, problems); their problems go at references_at
    pending_references: Callable[[], tuple[list[Reference] | None, list[Problem]]] | None = None
    references_at: int = 0

    def take_references(self) -> None:
        """Wait for the references read beside the tables, if they are still being read.

        Their problems take their place among the reading problems (after those of the
        tables, before those of the optional files), as when the files are read in turn.
        """
        if self.pending_references is None:
            return
        references, problems = self.pending_references()
        self.pending_references = None
        self.references = references
        self.problems[self.references_at : self.references_at] = problems

    @property
    def findings_file(self) -> str:
        """The name of the findings file (``findings.csv`` or ``findings.xlsx``)."""
        return self.findings.path.name if self.findings is not None else FINDINGS_FILE

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the files that were read."""
        tables = [self.frameworks, self.reviews, self.findings]
        tables += [self.concepts, self.concept_tags, self.crosswalk, self.related]
        tables += [self.charting, self.studies]
        names = [t.path.name for t in tables if t is not None]
        if self.references is not None and self.references_file:
            names.append(self.references_file)
        return tuple(names)


@dataclass(frozen=True, eq=False)
class KBData:
    """The validated tables of one knowledge base: records, optional tables and problems.

    The records are pydantic models; the DataFrame views (``findings``, ``elements``,
    ``reviews``, ``references``) are made on first use and sorted by id. Two loads of the same
    files are two objects (identity, not equality, so a graph can be cached per object).
    """

    data_dir: Path | None
    finding_records: tuple[Finding, ...]
    element_records: tuple[Element, ...]
    review_records: tuple[Review, ...]
    reference_records: tuple[Reference, ...]
    problem_list: tuple[Problem, ...] = field(default=())
    citation_table: pd.DataFrame | None = field(default=None, repr=False)
    # the optional files of the directory as loaded (valid rows); None: the directory has none
    concept_table: pd.DataFrame | None = field(default=None, repr=False)
    concept_tag_table: pd.DataFrame | None = field(default=None, repr=False)
    crosswalk_table: pd.DataFrame | None = field(default=None, repr=False)
    # related.csv: notices (errata, retractions, ...) and the work each concerns, by key
    related_table: pd.DataFrame | None = field(default=None, repr=False)
    # charting.csv and studies.csv as loaded (model.charting.Charting); None: neither is there
    charting: Charting | None = field(default=None, repr=False)
    files: tuple[str, ...] = field(default=())  # the names of the files read
    finding_lines: tuple[int, ...] = field(default=())  # the file line of each finding record
    # what io read from sources/ (io.sources.SourceLists: manifest, printed lists, corrections)
    # once at load, for the bibliography checks and the report; None: the directory has none
    sources: Any = field(default=None, repr=False)

    @cached_property
    def findings(self) -> pd.DataFrame:
        """One row per finding, with the columns of ``findings.csv`` (lists joined by ``;``)."""
        return records_frame(self.finding_records, FINDING_COLUMNS, "finding_id")

    @cached_property
    def elements(self) -> pd.DataFrame:
        """One row per framework element (frameworks, core elements, themes, conditions)."""
        return records_frame(self.element_records, ELEMENT_COLUMNS, "element_id")

    @cached_property
    def reviews(self) -> pd.DataFrame:
        """One row per review, with its question and search and selection counts."""
        return records_frame(self.review_records, REVIEW_COLUMNS, "review_id")

    @cached_property
    def references(self) -> pd.DataFrame:
        """One row per reference of the bibliography (authors joined by ``; ``)."""
        return records_frame(self.reference_records, tuple(Reference.model_fields), "key")

    @property
    def citations(self) -> pd.DataFrame:
        """One row per in-text citation of every finding: how it was resolved and why.

        Columns: ``finding_id``, ``review``, ``citation``, ``authors``, ``year``, ``number``,
        ``key``, ``score``, ``status`` (resolved, corrected, ambiguous, unresolved), ``notes``.
        """
        if self.citation_table is None:
            import pandas as pd

            return pd.DataFrame(columns=list(CITATION_COLUMNS))
        return self.citation_table.copy()

    @property
    def problems(self) -> pd.DataFrame:
        """Every problem found while loading (errors and warnings), one row each."""
        return problems_frame(list(self.problem_list))

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problem_list if p.severity == "error"]


def records_frame(records: tuple[Any, ...], columns: tuple[str, ...], sort_by: str) -> pd.DataFrame:
    """A DataFrame of pydantic records: lists joined (authors by ``; ``), ``None`` as ``NA``.

    The cells are those of ``record.model_dump(mode="json")`` (an enum as its value), made by
    column, the values of each field over all records rather than one dict per record.
    """
    import pandas as pd

    if not records:
        return pd.DataFrame([], columns=list(columns))
    fields = type(records[0]).model_fields
    own = [col for col in columns if col in fields]
    cells = dict(zip(own, _transposed(records, own), strict=True))
    none = [None] * len(records)  # a column the records have no field for, as dict.get gives
    data = {col: _column(list(cells[col]), col) if col in cells else none for col in columns}
    frame = pd.DataFrame(data, columns=list(columns))
    return frame.sort_values(sort_by, kind="stable").reset_index(drop=True)


def _transposed(records: tuple[Any, ...], names: list[str]) -> list[tuple[Any, ...]]:
    """The values of each field in ``names`` over all ``records`` (C loops, no dict per record)."""
    if len(names) < 2:  # attrgetter of one name gives the value itself, not a 1-tuple
        return [tuple(map(attrgetter(name), records)) for name in names]
    return list(zip(*map(attrgetter(*names), records), strict=True))


def _column(values: list[Any], name: str) -> list[Any]:
    """The cells of one column, as ``model_dump(mode="json")`` makes them (see above)."""
    import pandas as pd

    kinds = set(map(type, values))
    if kinds <= {str, int}:  # the common case: nothing to change
        return values
    if all(kind is type(None) or issubclass(kind, Enum) for kind in kinds):  # kind, direction
        # ``_value_``: what the ``value`` property returns, without a property call per cell
        return [pd.NA if value is None else value._value_ for value in values]
    joiner = "; " if name == "authors" else ";"
    if kinds == {tuple}:  # reference_keys, aliases, authors, ids
        return list(map(joiner.join, values))
    out: list[Any] = []
    for value in values:
        if value is None:
            value = pd.NA
        elif isinstance(value, tuple | list):
            value = joiner.join(value)
        elif isinstance(value, Enum):
            value = value.value
        out.append(value)
    return out
