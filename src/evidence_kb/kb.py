"""The :class:`KnowledgeBase` facade: load the files of a knowledge base, validate, and query."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb._gc import gc_paused
from evidence_kb.citations.resolve import CitationIndex, resolutions_frame
from evidence_kb.io.csvfile import CsvRows
from evidence_kb.io.kbdir import KbFiles, read_kb_dir
from evidence_kb.model import validate
from evidence_kb.model.errors import InputError, Problem, UnknownIdError, problems_frame
from evidence_kb.model.records import Element, Finding, Reference, Review
from evidence_kb.model.vocab import (
    CONCEPT_COLUMNS,
    CONCEPT_TAG_COLUMNS,
    CONCEPTS_FILE,
    CROSSWALK_COLUMNS,
    CROSSWALK_FILE,
    ELEMENT_COLUMNS,
    FINDING_COLUMNS,
    FINDINGS_FILE,
    FRAMEWORKS_FILE,
    REVIEW_COLUMNS,
    REVIEWS_FILE,
)

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from evidence_kb.publish.tables import EvidenceTable


def bundled_data_dir() -> Path:
    """Return the directory of the knowledge base that ships with the package."""
    here = Path(__file__).resolve().parent
    installed = here / "data"  # inside the wheel
    if (installed / FINDINGS_FILE).exists():
        return installed
    return here.parents[1] / "data"  # a source checkout or an editable install


@dataclass(frozen=True)
class KnowledgeBase:
    """Findings, references, frameworks and reviews of one knowledge base, validated.

    Create it with :func:`evidence_kb.load`. The tables are pandas DataFrames sorted by id;
    the validated records are kept as pydantic models in ``finding_records`` and friends.
    """

    data_dir: Path
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
    files: tuple[str, ...] = field(default=())  # the names of the files read

    @property
    def citations(self) -> pd.DataFrame:
        """One row per in-text citation of every finding: how it was resolved and why.

        Columns: ``finding_id``, ``review``, ``citation``, ``authors``, ``year``, ``number``,
        ``key``, ``score``, ``status`` (resolved, corrected, ambiguous, unresolved), ``notes``.
        """
        return self.citation_table.copy()

    @cached_property
    def _citation_index(self) -> CitationIndex:
        return CitationIndex(self.reference_records)

    def resolve(self, text: str, *, review: str | None = None) -> pd.DataFrame:
        """Resolve a citation string against the bibliography.

        Parameters
        ----------
        text
            A citation as printed: ``"Tee ea, 2021"``, ``"Kearney ea, 2012 Tosun, 2017"``, or
            superscript numbers such as ``"2,11"`` (which need ``review``).
        review
            The review whose numbered literature list superscript numbers point into.

        Returns
        -------
        pandas.DataFrame
            One row per citation: ``citation``, ``authors``, ``year``, ``number``, ``key``,
            ``score`` (0-1), ``status`` and ``notes`` (year off by one, misspelt author,
            ambiguous keys, not found).

        Examples
        --------
        >>> kb = ekb.load()
        >>> kb.resolve("Tee ea, 2021")[["key", "status"]].values.tolist()
        [['tee2021', 'resolved']]
        >>> kb.resolve("Haneberg & Aaboen, 2021")[["key", "notes"]].values.tolist()
        [['haneberg2022', 'year printed 2021, reference has 2022']]
        """
        return resolutions_frame(self._citation_index.resolve(text, review=review))

    # -- tables -------------------------------------------------------------------------------
    @cached_property
    def findings(self) -> pd.DataFrame:
        """One row per finding, with the columns of ``findings.csv`` (lists joined by ``;``)."""
        return _frame(self.finding_records, FINDING_COLUMNS, "finding_id")

    @cached_property
    def elements(self) -> pd.DataFrame:
        """One row per framework element (frameworks, core elements, themes, conditions)."""
        return _frame(self.element_records, ELEMENT_COLUMNS, "element_id")

    @cached_property
    def reviews(self) -> pd.DataFrame:
        """One row per review, with its question and search and selection counts."""
        return _frame(self.review_records, REVIEW_COLUMNS, "review_id")

    @cached_property
    def references(self) -> pd.DataFrame:
        """One row per reference of the bibliography (authors joined by ``; ``)."""
        columns = tuple(Reference.model_fields)
        return _frame(self.reference_records, columns, "key")

    @property
    def problems(self) -> pd.DataFrame:
        """Every problem found while loading (errors and warnings), one row each."""
        return problems_frame(list(self.problem_list))

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problem_list if p.severity == "error"]

    # -- lookups ------------------------------------------------------------------------------
    @cached_property
    def _element_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for e in self.element_records:
            for name in (e.label_nl, e.label_en, *e.aliases):
                if name:
                    index.setdefault(name.casefold(), e.element_id)
        for e in self.element_records:  # ids win over labels
            index[e.element_id.casefold()] = e.element_id
        return index

    def element(self, name: str) -> Element:
        """Return the element with this id, Dutch or English label, or alias (any case).

        Raises
        ------
        UnknownIdError
            If nothing matches; the message suggests the closest names.
        """
        element_id = self._element_index.get(name.strip().casefold())
        if element_id is None:
            hint = validate.did_you_mean(name, sorted(self._element_index))
            msg = f"{name!r} is not an element id, label or alias{hint}"
            raise UnknownIdError(msg)
        return next(e for e in self.element_records if e.element_id == element_id)

    # -- the evidence graph and its queries ----------------------------------------------------
    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The typed evidence graph (built once): frameworks, elements, concepts, findings,
        references and reviews; see :func:`evidence_kb.graph.build_graph` for the schema."""
        from evidence_kb.graph.build import build_graph

        return build_graph(self)

    @cached_property
    def concepts(self) -> pd.DataFrame:
        """The concept vocabulary (``concepts.csv``) with how many findings each concept tags.

        Empty when the knowledge base directory has no ``concepts.csv``.
        """
        from evidence_kb.graph.queries import concept_table

        return concept_table(self.graph)

    def evidence(self, x: str, *, crosswalk: bool = True) -> pd.DataFrame:
        """All findings for an element, theme, condition or concept (id, label or alias).

        Examples
        --------
        >>> kb = ekb.load()
        >>> found = kb.evidence("Synergie")
        >>> sorted(set(found["review"]))
        ['pps-2023', 'werk-inkomen-2023']
        """
        from evidence_kb.graph.queries import evidence

        return evidence(self.graph, x, crosswalk=crosswalk)

    def overlaps(
        self, a: str, b: str, *, min_strength: float = 0.0, max_findings: int = 20
    ) -> pd.DataFrame:
        """Pairs of elements of frameworks ``a`` and ``b`` that share concepts, references or a
        stated crosswalk link, with a strength score and the findings behind each pair."""
        from evidence_kb.graph.queries import overlaps

        return overlaps(self.graph, a, b, min_strength=min_strength, max_findings=max_findings)

    def gaps(self, *, frameworks: tuple[str, str] | None = None) -> pd.DataFrame:
        """The evidence gaps, one row each, with their type (see :func:`evidence_kb.graph.gaps`)."""
        from evidence_kb.graph.queries import gaps

        return gaps(self.graph, frameworks=frameworks)

    def gap_map(
        self,
        rows: str = "element",
        cols: str = "review",
        split_direction: bool = False,
        *,
        framework: str | None = None,
    ) -> pd.DataFrame:
        """An evidence gap map: the number of findings per ``rows`` x ``cols`` cell."""
        from evidence_kb.graph.queries import gap_map

        return gap_map(self.graph, rows, cols, split_direction, framework=framework)

    def compare(self, review_a: str, review_b: str) -> pd.DataFrame:
        """Per element, what one review found that the other did not."""
        from evidence_kb.graph.queries import compare

        return compare(self.graph, review_a, review_b)

    def shared_references(self) -> pd.DataFrame:
        """References that support findings in more than one review or framework."""
        from evidence_kb.graph.queries import shared_references

        return shared_references(self.graph)

    def write_graph(self, path: str | os.PathLike[str], *, format: str | None = None) -> Path:
        """Write the graph as GraphML, GEXF or node-link JSON (by ``format`` or the extension)."""
        from evidence_kb.graph.export import write_graph

        return write_graph(self.graph, path, format=format)

    # -- published tables ---------------------------------------------------------------------
    def table(self, name: str | None = None, *, review: str | None = None) -> pd.DataFrame:
        """Return a table this knowledge base can publish, by name or by review.

        ``name`` is one of :meth:`table_names` (the bundled printed tables, regenerated from the
        data, and a table per review without a printed layout, named after the review);
        ``review=`` gives that review's table: for a team's own review, its findings per
        element and theme in the columns promoting, hindering and "Overig" (no direction).
        See :func:`evidence_kb.publish.tables.table_layout`.

        Examples
        --------
        >>> ekb.load().table("pps-2023").columns.tolist()
        ['Kernelement', 'Thema', 'Bevorderend werkt', 'Belemmerend werkt']
        >>> ekb.load().table(review="learning-communities").columns.tolist()[2:]
        ['Bevorderend werkt', 'Belemmerend werkt', 'Overig']
        """
        from evidence_kb.publish.tables import table_layout

        return table_layout(self, name, review=review).to_frame()

    def table_names(self, *, review: str | None = None) -> tuple[str, ...]:
        """Return the names of the tables this knowledge base can publish (:meth:`table`)."""
        from evidence_kb.publish.tables import table_names

        return table_names(self, review=review)

    def evidence_table(
        self,
        *,
        element: str | None = None,
        concept: str | None = None,
        review: str | None = None,
        direction: str | None = None,
        citations: str = "author-year",
        language: str = "nl",
    ) -> EvidenceTable:
        """Evidence for any selection in the factsheet layout, with its APA reference list.

        See :func:`evidence_kb.publish.tables.evidence_table`.
        """
        from evidence_kb.publish.tables import evidence_table

        return evidence_table(
            self,
            element=element,
            concept=concept,
            review=review,
            direction=direction,
            citations=citations,
            language=language,
        )

    # -- display ------------------------------------------------------------------------------
    def summary(self) -> str:
        """Return a few lines that say what is in the knowledge base."""
        n_err = len(self.errors)
        n_warn = len(self.problem_list) - n_err
        frameworks = sorted({e.framework for e in self.element_records})
        reviews = [r.review_id for r in self.review_records]
        lines = [
            f"Knowledge base in {self.data_dir}",
            f"  files:      {', '.join(self.files) or '(none)'}",
            f"  reviews:    {len(self.review_records)} ({', '.join(reviews)})",
            f"  findings:   {len(self.finding_records)}",
            f"  references: {len(self.reference_records)}",
            f"  elements:   {len(self.element_records)} in {len(frameworks)} frameworks "
            f"({', '.join(frameworks)})",
            f"  concepts:   {self._optional_summary(self.concept_table, CONCEPTS_FILE)}",
            f"  crosswalk:  {self._optional_summary(self.crosswalk_table, CROSSWALK_FILE)}",
            f"  problems:   {n_err} errors, {n_warn} warnings",
        ]
        return "\n".join(lines)

    def _optional_summary(self, table: pd.DataFrame | None, name: str) -> str:
        if table is not None:
            what = "concepts" if name == CONCEPTS_FILE else "links"
            extra = ""
            if name == CONCEPTS_FILE and self.concept_tag_table is not None:
                extra = f", {len(self.concept_tag_table)} hand corrections (concept_tags.csv)"
            return f"{len(table)} {what} ({name}){extra}"
        if name == CONCEPTS_FILE:
            return (
                f"none: no {name} in this directory, so findings are not tagged with concepts "
                f"(optional; `evidence-kb init {self.data_dir} --with-concepts` adds the "
                "bundled vocabulary)"
            )
        return f"none: no {name} in this directory (optional)"

    def _repr_html_(self) -> str:
        """Show the knowledge base in Jupyter: one row per review, then the totals."""
        from html import escape

        counts = self.findings.groupby("review").size()
        kinds = self.findings.groupby(["review", "kind"]).size()
        rows = []
        for review in self.review_records:
            per_kind = ", ".join(
                f"{n} {kind.replace('_', ' ')}"
                for (r, kind), n in kinds.items()
                if r == review.review_id
            )
            rows.append(
                f"<tr><td><b>{escape(review.review_id)}</b></td><td>{escape(review.title)}</td>"
                f"<td style='text-align:right'>{counts.get(review.review_id, 0)}</td>"
                f"<td>{escape(per_kind)}</td></tr>"
            )
        n_err = len(self.errors)
        frameworks = ", ".join(sorted({e.framework for e in self.element_records}))
        status = self.citations["status"].value_counts()
        return (
            "<div><p><b>Knowledge base</b> "
            f"<code>{escape(str(self.data_dir))}</code></p>"
            "<table><thead><tr><th>review</th><th>title</th><th>findings</th><th>by kind</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p>{len(self.reference_records)} references; {len(self.element_records)} elements in "
            f"{escape(frameworks)}; citations: {status.get('resolved', 0)} resolved, "
            f"{status.get('corrected', 0)} corrected, {status.get('ambiguous', 0)} ambiguous, "
            f"{status.get('unresolved', 0)} unresolved; "
            f"{n_err} errors, {len(self.problem_list) - n_err} warnings.</p></div>"
        )

    def __repr__(self) -> str:
        n_err = len(self.errors)
        return (
            f"<KnowledgeBase: {len(self.review_records)} reviews, "
            f"{len(self.finding_records)} findings, "
            f"{len(self.reference_records)} references, {len(self.element_records)} elements, "
            f"{n_err} errors, {len(self.problem_list) - n_err} warnings>"
        )


def _frame(records: tuple, columns: tuple[str, ...], sort_by: str) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for record in records:
        row = record.model_dump(mode="json")
        for key, value in row.items():
            if isinstance(value, list):
                row[key] = "; ".join(value) if key == "authors" else ";".join(value)
            elif value is None:
                row[key] = pd.NA
        rows.append({col: row.get(col) for col in columns})
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.sort_values(sort_by, kind="stable").reset_index(drop=True)


def load(path: str | os.PathLike[str] | None = None, *, strict: bool = True) -> KnowledgeBase:
    """Load and validate a knowledge base directory.

    Parameters
    ----------
    path
        A directory with ``frameworks.csv``, ``reviews.csv`` and ``findings.csv`` (or
        ``findings.xlsx``), and optionally one reference file (``references.bib``,
        ``references.ris`` or ``references.json``), ``concepts.csv``, ``concept_tags.csv`` and
        ``crosswalk.csv``: see :mod:`evidence_kb.io.kbdir`. An optional file that the directory
        does not have is absent (the bundled one never fills in). By default the knowledge base
        bundled with the package.
    strict
        If true (the default), raise :class:`~evidence_kb.InputError` listing every error. If
        false, load the valid records and keep the problems in ``kb.problems``.

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    InputError
        If ``path`` is not a directory, and in strict mode when any file has an error (or a
        required file is missing): every problem of every file is listed with file and line.

    Examples
    --------
    >>> kb = load()
    >>> kb.errors
    []
    """
    with gc_paused():  # many small objects, no cyclic garbage: see evidence_kb._gc
        return _load(Path(path) if path is not None else bundled_data_dir(), strict=strict)


def _load(data_dir: Path, *, strict: bool) -> KnowledgeBase:
    files = read_kb_dir(data_dir)  # every file, once; missing and conflicting files reported
    problems = files.problems

    elements = _records(files.frameworks, Element, ELEMENT_COLUMNS)
    reviews = _records(files.reviews, Review, REVIEW_COLUMNS)
    findings = _records(files.findings, Finding, FINDING_COLUMNS)
    references = files.references or []
    if files.frameworks is not None:
        validate.check_unique(elements, "element_id", FRAMEWORKS_FILE, files.frameworks.problems)
        validate.check_elements(elements, FRAMEWORKS_FILE, files.frameworks.problems)
    if files.reviews is not None:
        validate.check_unique(reviews, "review_id", REVIEWS_FILE, files.reviews.problems)
    if files.findings is not None:
        name = files.findings_file
        validate.check_unique(findings, "finding_id", name, files.findings.problems)
        validate.check_findings(
            findings,
            file_name=name,
            elements=_by_id(elements, "element_id") if files.frameworks is not None else None,
            reviews=_by_id(reviews, "review_id") if files.reviews is not None else None,
            references={r.key: r for r in references} if files.references is not None else None,
            references_file=files.references_file,
            problems=files.findings.problems,
        )
        if files.references is None and files.references_file is None:
            cited = sum(1 for _, f in findings if f.citation)
            if cited:
                msg = (
                    f"no reference file in {data_dir}: the citations of {cited} finding(s) cannot "
                    "be resolved; add references.bib, references.ris or references.json"
                )
                problems.append(Problem("references.bib", None, None, None, msg, "warning"))
    for table in (files.frameworks, files.reviews, files.findings):
        if table is not None:
            problems += table.problems

    # the valid records; a record whose parent or element was left out is left out too
    kept_elements = _kept_elements(elements, files.frameworks, problems)
    kept_reviews = _kept(reviews, files.reviews)
    kept_findings = _kept_findings(findings, files, kept_elements, kept_reviews, problems)
    concepts, concept_tags, crosswalk = _optional_tables(
        files, elements, findings, kept_elements, kept_findings, problems
    )

    if strict and any(p.severity == "error" for p in problems):
        raise InputError(problems, summary=_error_summary(problems, data_dir))

    kept_findings, citation_table = _resolve_citations(kept_findings, references)
    problems += _citation_problems(kept_findings, files.findings_file)
    return KnowledgeBase(
        data_dir=data_dir,
        citation_table=citation_table,
        finding_records=tuple(f for _, f in kept_findings),
        element_records=tuple(e for _, e in kept_elements),
        review_records=tuple(r for _, r in kept_reviews),
        reference_records=tuple(references),
        problem_list=tuple(problems),
        concept_table=concepts,
        concept_tag_table=concept_tags,
        crosswalk_table=crosswalk,
        files=_file_names(files),
    )


def _records(table: CsvRows | None, model: type, columns: tuple[str, ...]) -> list:
    return [] if table is None else validate.rows_to_records(table, model, columns=columns)


def _by_id(records: list[tuple[int, Any]], attribute: str) -> dict[str, Any]:
    """``{id: record}``, the first record of each id (invalid ids left out)."""
    index: dict[str, Any] = {}
    for _, record in records:
        value = getattr(record, attribute)
        if value is not None:
            index.setdefault(value, record)
    return index


def _error_lines(table: CsvRows | None) -> set[int | None]:
    if table is None:
        return set()
    return {p.line for p in table.problems if p.severity == "error"}


def _kept(records: list[tuple[int, Any]], table: CsvRows | None) -> list[tuple[int, Any]]:
    bad = _error_lines(table)
    return [(line, r) for line, r in records if line not in bad]


def _kept_elements(
    elements: list[tuple[int, Element]], table: CsvRows | None, problems: list[Problem]
) -> list[tuple[int, Element]]:
    """The valid elements whose chain of parents ends at a valid framework row."""
    kept = _kept(elements, table)
    while True:  # drop the children of what was dropped, until nothing changes
        ids = {e.element_id for _, e in kept}
        orphans = [(line, e) for line, e in kept if e.level != "framework" and e.parent not in ids]
        if not orphans:
            return kept
        for line, e in orphans:
            msg = f"left out: its parent {e.parent!r} was left out because of its errors"
            problems.append(Problem(FRAMEWORKS_FILE, line, "parent", e.parent, msg, "warning"))
        kept = [item for item in kept if item not in orphans]


def _kept_findings(
    findings: list[tuple[int, Finding]],
    files: KbFiles,
    elements: list[tuple[int, Element]],
    reviews: list[tuple[int, Review]],
    problems: list[Problem],
) -> list[tuple[int, Finding]]:
    """The valid findings whose element, theme and review were kept."""
    kept = _kept(findings, files.findings)
    element_ids = {e.element_id for _, e in elements}
    review_ids = {r.review_id for _, r in reviews}
    result = []
    for line, f in kept:
        cells = [
            (column, value, FRAMEWORKS_FILE)
            for column, value in (("element", f.element), ("theme", f.theme))
            if value and value not in element_ids
        ]
        if files.reviews is not None and f.review not in review_ids:
            cells.append(("review", f.review, REVIEWS_FILE))
        if cells:
            column, value, source = cells[0]
            msg = f"left out: {column} {value!r} was left out of {source} (see its errors)"
            problems.append(Problem(files.findings_file, line, column, value, msg, "warning"))
            continue
        result.append((line, f))
    return result


def _optional_tables(
    files: KbFiles,
    elements: list[tuple[int, Element]],
    findings: list[tuple[int, Finding]],
    kept_elements: list[tuple[int, Element]],
    kept_findings: list[tuple[int, Finding]],
    problems: list[Problem],
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
    """Check concepts.csv, concept_tags.csv and crosswalk.csv; return their valid rows.

    Each is ``None`` when the directory has no such file (the bundled one never fills in).
    """
    from evidence_kb.graph.concepts import check_concept_tags, check_concepts, table_frame
    from evidence_kb.graph.crosswalk import check_crosswalk

    concepts = tags = crosswalk = None
    finding_ids = {f.finding_id for _, f in kept_findings}
    element_ids = {e.element_id for _, e in kept_elements}
    if files.concepts is not None:
        table = files.concepts
        frame = table_frame(table, CONCEPT_COLUMNS)
        found = table.problems + check_concepts(frame, table.lines, table.path.name)
        problems += found
        concepts = _drop_lines(frame, table.lines, found).sort_values("concept_id", kind="stable")
        concepts = concepts.reset_index(drop=True)
    if files.concept_tags is not None:
        table = files.concept_tags
        frame = table_frame(table, CONCEPT_TAG_COLUMNS)
        known = concepts["concept_id"] if concepts is not None else ()
        found = table.problems + check_concept_tags(
            frame, table.lines, table.path.name, concepts=known, findings=finding_ids
        )
        problems += found
        tags = _drop_lines(frame, table.lines, found, warnings_too=True)
    if files.crosswalk is not None:
        table = files.crosswalk
        frame = table_frame(table, CROSSWALK_COLUMNS)
        left_out = ({e.element_id for _, e in elements} - element_ids) | (
            {f.finding_id for _, f in findings} - finding_ids
        )
        keep, errors, warnings = check_crosswalk(
            frame,
            list(table.lines),
            table.path.name,
            elements=element_ids,
            findings=finding_ids,
            left_out=left_out - {None},
        )
        problems += table.problems + errors + warnings
        crosswalk = frame.assign(line=table.lines).loc[keep].reset_index(drop=True)
    return concepts, tags, crosswalk


def _drop_lines(
    frame: pd.DataFrame, lines: list[int], found: list[Problem], *, warnings_too: bool = False
) -> pd.DataFrame:
    """The rows of ``frame`` (one per line of ``lines``) without a problem."""
    bad = {p.line for p in found if warnings_too or p.severity == "error"}
    return frame.loc[[line not in bad for line in lines]]


def _file_names(files: KbFiles) -> tuple[str, ...]:
    """The names of the files the knowledge base was read from."""
    tables = [files.frameworks, files.reviews, files.findings]
    tables += [files.concepts, files.concept_tags, files.crosswalk]
    names = [t.path.name for t in tables if t is not None]
    if files.references is not None and files.references_file:
        names.append(files.references_file)
    return tuple(names)


def _resolve_citations(
    findings: list[tuple[int, Finding]], references: list[Reference]
) -> tuple[list[tuple[int, Finding]], pd.DataFrame]:
    """Resolve every finding's citation; fill ``reference_keys`` where the file left it empty."""
    index = CitationIndex(references)
    cache: dict[tuple[str, str], list] = {}  # the same citation is printed under many findings
    resolved, owners, results = [], [], []
    for line, finding in findings:
        key = (finding.citation, finding.review)
        if key not in cache:
            cache[key] = index.resolve(finding.citation, review=finding.review)
        found = cache[key]
        owners += [(finding.finding_id, finding.review)] * len(found)
        results += found
        if not finding.reference_keys and found:
            keys = tuple(dict.fromkeys(r.key for r in found if r.key))
            finding = finding.model_copy(update={"reference_keys": keys})
        resolved.append((line, finding))
    table = resolutions_frame(results)
    table.insert(0, "finding_id", [o[0] for o in owners])
    table.insert(1, "review", [o[1] for o in owners])
    return resolved, table


def _citation_problems(findings: list[tuple[int, Finding]], file_name: str) -> list[Problem]:
    """A warning for each citation printed without a year or without an author.

    Such a citation stays in ``kb.citations`` as unresolved: any year's work could be meant.
    """
    from evidence_kb.citations.parse import parse_citations

    problems = []
    for line, finding in findings:
        for citation in parse_citations(finding.citation):
            if citation.number is not None:
                continue
            if not citation.authors:
                why = "no author; expected e.g. 'Jansen, 2021'"
            elif citation.year is None and not citation.undated:
                name = citation.authors[0]
                why = (
                    f"no year; expected e.g. '{name}, 2021', or '{name}, n.d.' for an undated work"
                )
            else:
                continue
            msg = f"citation {citation.text!r} has {why}: it is left unresolved"
            problems.append(Problem(file_name, line, "citation", finding.citation, msg, "warning"))
    return problems


def _error_summary(problems: list[Problem], data_dir: Path) -> str:
    errors = [p for p in problems if p.severity == "error"]
    files = sorted({p.file for p in errors})
    return f"{len(errors)} error(s) in {data_dir}: {', '.join(files)}"
