"""The one validation step of a load: the files as read (:class:`KbFiles`) in, :class:`KBData` out.

Every check runs on every row of every file (the row checks of :mod:`evidence_kb.model.validate`,
the links between files, the optional tables of :mod:`evidence_kb.model.checks`), and every
problem is collected. The records kept are the valid ones: a record whose parent, element,
theme or review was left out is left out too, with a warning that says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evidence_kb.model import validate
from evidence_kb.model.charting import check_charting, reference_names
from evidence_kb.model.checks import (
    check_concept_tags,
    check_concepts,
    check_crosswalk,
    table_frame,
)
from evidence_kb.model.data import KBData, KbFiles
from evidence_kb.model.errors import Problem
from evidence_kb.model.records import Element, Finding, Review
from evidence_kb.model.related import check_related
from evidence_kb.model.vocab import (
    CONCEPT_COLUMNS,
    CONCEPT_TAG_COLUMNS,
    CROSSWALK_COLUMNS,
    ELEMENT_COLUMNS,
    FINDING_COLUMNS,
    FRAMEWORKS_FILE,
    RELATED_COLUMNS,
    REVIEW_COLUMNS,
    REVIEWS_FILE,
)

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.model.rows import CsvRows

__all__ = ["error_summary", "validate_files"]

Lined = list[tuple[int, Any]]  # (file line, record) pairs


@dataclass
class _Parsed:
    """Every row of the three required tables as a record (partial where a cell is invalid)."""

    elements: list[tuple[int, Element]]
    reviews: list[tuple[int, Review]]
    findings: list[tuple[int, Finding]]


def validate_files(files: KbFiles) -> KBData:
    """Validate every table of a knowledge-base directory against itself and the others.

    Returns
    -------
    KBData
        The valid records and optional tables, and every problem (of reading and of checking)
        in ``problem_list``. Citations are not resolved yet (``citation_table`` is ``None``):
        that is the next step, :func:`evidence_kb.citations.link.link_citations`.
    """
    problems = files.problems
    parsed = _Parsed(
        elements=_records(files.frameworks, Element, ELEMENT_COLUMNS),
        reviews=_records(files.reviews, Review, REVIEW_COLUMNS),
        findings=_records(files.findings, Finding, FINDING_COLUMNS),
    )
    files.take_references()  # the records above need no references: made while they are read
    _check_tables(files, parsed)
    for table in (files.frameworks, files.reviews, files.findings):
        if table is not None:
            problems += table.problems
    elements = _kept_elements(parsed.elements, files.frameworks, problems)
    reviews = _kept(parsed.reviews, files.reviews)
    findings = _kept_findings(parsed.findings, files, elements, reviews, problems)
    concepts, tags = _concept_tables(files, findings, problems)
    crosswalk = _crosswalk_table(files, parsed, elements, findings, problems)
    related = _related_table(files, problems)
    references = reference_names((r.key, r.ids) for r in files.references or ())
    charting, charting_problems = check_charting(files.charting, files.studies, references)
    problems += charting_problems
    return KBData(
        data_dir=files.data_dir,
        finding_records=tuple(f for _, f in findings),
        element_records=tuple(e for _, e in elements),
        review_records=tuple(r for _, r in reviews),
        reference_records=tuple(files.references or ()),
        problem_list=tuple(problems),
        concept_table=concepts,
        concept_tag_table=tags,
        crosswalk_table=crosswalk,
        related_table=related,
        charting=charting,
        files=files.names,
        finding_lines=tuple(line for line, _ in findings),
        sources=files.sources,
    )


def error_summary(data: KBData) -> str:
    """``3 error(s) in DIR: findings.csv, frameworks.csv``: the first line of an InputError."""
    errors = data.errors
    names = sorted({p.file for p in errors})
    return f"{len(errors)} error(s) in {data.data_dir}: {', '.join(names)}"


def _check_tables(files: KbFiles, parsed: _Parsed) -> None:
    """The checks across the rows of one table and across tables; problems go to each table."""
    if files.frameworks is not None:
        problems = files.frameworks.problems
        validate.check_unique(parsed.elements, "element_id", FRAMEWORKS_FILE, problems)
        validate.check_elements(parsed.elements, FRAMEWORKS_FILE, problems)
    if files.reviews is not None:
        validate.check_unique(parsed.reviews, "review_id", REVIEWS_FILE, files.reviews.problems)
    if files.findings is None:
        return
    name = files.findings_file
    validate.check_unique(parsed.findings, "finding_id", name, files.findings.problems)
    references = files.references
    validate.check_findings(
        parsed.findings,
        file_name=name,
        elements=_by_id(parsed.elements, "element_id") if files.frameworks is not None else None,
        reviews=_by_id(parsed.reviews, "review_id") if files.reviews is not None else None,
        references={r.key: r for r in references} if references is not None else None,
        references_file=files.references_file,
        problems=files.findings.problems,
    )
    if references is None and files.references_file is None:
        cited = sum(1 for _, f in parsed.findings if f.citation)
        if cited:
            msg = (
                f"no reference file in {files.data_dir}: the citations of {cited} finding(s) "
                "cannot be resolved; add references.bib, references.ris or references.json"
            )
            files.problems.append(Problem("references.bib", None, None, None, msg, "warning"))


def _records(table: CsvRows | None, model: type, columns: tuple[str, ...]) -> Lined:
    return [] if table is None else validate.rows_to_records(table, model, columns=columns)


def _by_id(records: Lined, attribute: str) -> dict[str, Any]:
    """``{id: record}``, the first record of each id (invalid ids left out)."""
    index: dict[str, Any] = {}
    for _, record in records:
        value = getattr(record, attribute)
        if value is not None:
            index.setdefault(value, record)
    return index


def _kept(records: Lined, table: CsvRows | None) -> Lined:
    """The records of the lines of ``table`` without an error."""
    if table is None:
        return list(records)
    bad = {p.line for p in table.problems if p.severity == "error"}
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
    elements: Lined,
    reviews: Lined,
    problems: list[Problem],
) -> list[tuple[int, Finding]]:
    """The valid findings whose element, theme and review were kept."""
    kept = _kept(findings, files.findings)
    element_ids = {e.element_id for _, e in elements}
    review_ids = {r.review_id for _, r in reviews}
    result = []
    check_review = files.reviews is not None
    for line, f in kept:
        if (
            (not f.element or f.element in element_ids)
            and (not f.theme or f.theme in element_ids)
            and (not check_review or f.review in review_ids)
        ):  # the common case, without the list below
            result.append((line, f))
            continue
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


def _concept_tables(
    files: KbFiles, findings: Lined, problems: list[Problem]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The valid rows of concepts.csv and concept_tags.csv (``None`` for a file not there)."""
    concepts = tags = None
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
            frame,
            table.lines,
            table.path.name,
            concepts=known,
            findings={f.finding_id for _, f in findings},
        )
        problems += found
        tags = _drop_lines(frame, table.lines, found, warnings_too=True)
    return concepts, tags


def _crosswalk_table(
    files: KbFiles, parsed: _Parsed, elements: Lined, findings: Lined, problems: list[Problem]
) -> pd.DataFrame | None:
    """The usable rows of crosswalk.csv, with their ``line`` (``None`` for no file)."""
    table = files.crosswalk
    if table is None:
        return None
    frame = table_frame(table, CROSSWALK_COLUMNS)
    element_ids = {e.element_id for _, e in elements}
    finding_ids = {f.finding_id for _, f in findings}
    left_out = ({e.element_id for _, e in parsed.elements} - element_ids) | (
        {f.finding_id for _, f in parsed.findings} - finding_ids
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
    return frame.assign(line=table.lines).loc[keep].reset_index(drop=True)


def _related_table(files: KbFiles, problems: list[Problem]) -> pd.DataFrame | None:
    """The usable rows of related.csv, keys made canonical (``None`` for no file)."""
    table = files.related
    if table is None:
        return None
    frame = table_frame(table, RELATED_COLUMNS)
    kept, errors = check_related(frame, table.lines, files.references or (), table.path.name)
    problems += table.problems + errors
    return kept


def _drop_lines(
    frame: pd.DataFrame, lines: list[int], found: list[Problem], *, warnings_too: bool = False
) -> pd.DataFrame:
    """The rows of ``frame`` (one per line of ``lines``) without a problem."""
    bad = {p.line for p in found if warnings_too or p.severity == "error"}
    return frame.loc[[line not in bad for line in lines]]
