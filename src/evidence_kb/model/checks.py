"""Checks of the optional tables of a knowledge base: concepts, concept tags and the crosswalk.

Pure functions over the rows as read (``io`` reads the files): each returns the problems it
finds, with the file's line numbers, so that :func:`evidence_kb.model.validate.validate_files`
reports them with the problems of every other file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from evidence_kb.model.cells import cell_text
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.rows import CsvRows
from evidence_kb.model.vocab import (
    CONCEPT_COLUMNS,
    CONCEPT_TAG_COLUMNS,
    CONCEPT_TAGS_FILE,
    CONCEPTS_FILE,
    CROSSWALK_COLUMNS,
    CROSSWALK_FILE,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RELATIONS",
    "as_text_table",
    "check_concept_tags",
    "check_concepts",
    "check_crosswalk",
    "checked_concept_tags",
    "checked_concepts",
    "checked_crosswalk",
    "table_frame",
]

RELATIONS = ("overlap", "difference", "relationship", "same_as")
_CONCEPT_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# where a link without a finding is stated: a line of a seed, or a page of a publication
_SOURCE_LINE = re.compile(r"\b(?:lines?|p\.|pp\.|pages?)\s*\d+", re.IGNORECASE)


def check_concepts(
    frame: pd.DataFrame, lines: list[int] | None, name: str = CONCEPTS_FILE
) -> list[Problem]:
    """Every problem of a vocabulary table: malformed or repeated ids, concepts without a pattern.

    ``lines`` are the file lines of the rows (``None`` for a table that has none).
    """
    problems = []
    seen: set[str] = set()
    for i, row in enumerate(frame.itertuples(index=False)):
        line = lines[i] if lines else None
        if not _CONCEPT_ID.match(row.concept_id):
            msg = f"{row.concept_id!r} is not a concept id: use lower-case words joined by '-'"
            problems.append(Problem(name, line, "concept_id", row.concept_id, msg))
        if row.concept_id in seen:
            msg = f"concept {row.concept_id!r} is defined twice"
            problems.append(Problem(name, line, "concept_id", row.concept_id, msg))
        seen.add(row.concept_id)
        if not any(p.strip() and not p.strip().startswith("!") for p in row.patterns.split(";")):
            msg = "a concept needs at least one pattern (word forms separated by ';')"
            problems.append(Problem(name, line, "patterns", row.patterns, msg))
    return problems


def check_concept_tags(
    frame: pd.DataFrame,
    lines: list[int] | None,
    name: str = CONCEPT_TAGS_FILE,
    *,
    concepts: Iterable[str] | None = None,
    findings: Iterable[str] | None = None,
) -> list[Problem]:
    """Every problem of a corrections table.

    An unknown action, a concept not in ``concepts`` or a missing reason is an error; a finding
    not in ``findings`` is a warning (the correction is skipped: it may be written for a bigger
    knowledge base).
    """
    known = set(concepts) if concepts is not None else None
    known_findings = set(findings) if findings is not None else None
    problems = []
    for i, row in enumerate(frame.itertuples(index=False)):
        line = lines[i] if lines else None
        if row.action not in ("add", "remove"):
            msg = f"got {row.action!r}, expected one of: add, remove"
            problems.append(Problem(name, line, "action", row.action, msg))
        if known is not None and row.concept_id not in known:
            hint = did_you_mean(row.concept_id, known) if known else " (there is no concepts.csv)"
            msg = f"{row.concept_id!r} is not a concept of concepts.csv{hint}"
            problems.append(Problem(name, line, "concept_id", row.concept_id, msg))
        if not row.reason.strip():
            msg = "say why the automatic tagging is wrong here"
            problems.append(Problem(name, line, "reason", row.reason, msg))
        if known_findings is not None and row.finding_id not in known_findings:
            msg = f"{row.finding_id!r} is not a finding of this knowledge base; skipped"
            problems.append(Problem(name, line, "finding_id", row.finding_id, msg, "warning"))
    return problems


def check_crosswalk(
    frame: pd.DataFrame,
    lines: list[int | None],
    name: str = CROSSWALK_FILE,
    *,
    elements: Iterable[str] | None = None,
    findings: Iterable[str] | None = None,
    left_out: Iterable[str] = (),
) -> tuple[list[bool], list[Problem], list[Problem]]:
    """Check every row of a crosswalk table.

    Returns
    -------
    (list of bool, list of Problem, list of Problem)
        Per row whether it is usable, the errors (an unknown relation, a link of an element to
        itself, a row with neither a finding nor a source line in its note) and the warnings
        (an element or finding not in ``elements`` / ``findings``: the row is left out).
        ``left_out`` are ids that are in the knowledge base's files but were left out because
        of their own errors; the warning says so.
    """
    known_elements = set(elements) if elements is not None else None
    known_findings = set(findings) if findings is not None else None
    dropped = set(left_out)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    keep = []
    for line, row in zip(lines, frame.itertuples(index=False), strict=True):
        ok = True
        if row.relation not in RELATIONS:
            msg = f"got {row.relation!r}, expected one of: {', '.join(RELATIONS)}"
            errors.append(Problem(name, line, "relation", row.relation, msg))
            ok = False
        if row.source_element == row.target_element:
            msg = "an element cannot be linked to itself"
            errors.append(Problem(name, line, "target_element", row.target_element, msg))
            ok = False
        cited = [f.strip() for f in row.finding_id.split(";") if f.strip()]
        if not cited and not _SOURCE_LINE.search(row.note):
            msg = (
                "no support: give the finding that states the link, or where it is stated in "
                "the note (e.g. '001 Tabel 1, line 97' or 'Smith 2020, p. 14')"
            )
            errors.append(Problem(name, line, "finding_id", row.finding_id, msg))
            ok = False
        if known_elements is not None:
            for column in ("source_element", "target_element"):
                value = getattr(row, column)
                if value not in known_elements:
                    msg = f"{_not_here(value, 'element', dropped)}; the link is left out"
                    warnings.append(Problem(name, line, column, value, msg, "warning"))
                    ok = False
        if ok and known_findings is not None:
            missing = [f for f in cited if f not in known_findings]
            if missing:
                msg = f"{_not_here(missing[0], 'finding', dropped)}; the link is left out"
                warnings.append(Problem(name, line, "finding_id", missing[0], msg, "warning"))
                ok = False
        keep.append(ok)
    return keep, errors, warnings


def _not_here(value: str, what: str, left_out: set[str]) -> str:
    if value in left_out:
        return f"{value!r} was left out of the knowledge base because of its errors"
    article = "an" if what[0] in "aeiou" else "a"
    return f"{value!r} is not {article} {what} of this knowledge base"


def as_text_table(source: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """A copy of ``source`` with every column of ``columns``, as stripped text."""
    frame = source.copy()
    for column in columns:
        frame[column] = [cell_text(v) for v in frame[column]] if column in frame else ""
    return frame


def table_frame(table: CsvRows, columns: tuple[str, ...]) -> pd.DataFrame:
    """The rows of a :class:`~evidence_kb.model.rows.CsvRows` as a DataFrame of stripped text."""
    import pandas as pd

    rows = [{c: (row.get(c) or "").strip() for c in columns} for row in table.rows]
    return pd.DataFrame(rows, columns=list(columns))


# -- a whole table checked: the valid rows, or an InputError ---------------------------------------
def checked_concepts(
    frame: pd.DataFrame, lines: list[int] | None = None, name: str = CONCEPTS_FILE
) -> pd.DataFrame:
    """The vocabulary ``frame`` as stripped text, sorted by ``concept_id``.

    Raises
    ------
    InputError
        If a concept id is malformed or repeated, or a concept has no patterns.
    """
    frame = as_text_table(frame, CONCEPT_COLUMNS)
    problems = check_concepts(frame, lines, name)
    if problems:
        raise InputError(problems)
    frame = frame[list(CONCEPT_COLUMNS)].sort_values("concept_id", kind="stable")
    return frame.reset_index(drop=True)


def checked_concept_tags(
    frame: pd.DataFrame,
    lines: list[int] | None = None,
    name: str = CONCEPT_TAGS_FILE,
    *,
    concepts: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The corrections ``frame`` as stripped text.

    Raises
    ------
    InputError
        For an unknown action, an unknown concept, or a row without a reason.
    """
    frame = as_text_table(frame, CONCEPT_TAG_COLUMNS)
    problems = check_concept_tags(frame, lines, name, concepts=concepts)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return frame[list(CONCEPT_TAG_COLUMNS)].reset_index(drop=True)


def checked_crosswalk(
    frame: pd.DataFrame,
    lines: list[int | None] | None = None,
    name: str = CROSSWALK_FILE,
    *,
    elements: Iterable[str] | None = None,
    findings: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The usable rows of the crosswalk ``frame`` (plus ``line``) and the warnings.

    Rows naming an element or finding not in ``elements`` / ``findings`` are left out with a
    warning (a crosswalk written for a bigger knowledge base still loads).

    Raises
    ------
    InputError
        For an unknown relation, a link of an element to itself, or a row with neither a
        finding nor a source line in its note.
    """
    import pandas as pd

    frame = as_text_table(frame, CROSSWALK_COLUMNS)
    lines = list(lines) if lines is not None else [None] * len(frame)
    keep, errors, warnings = check_crosswalk(
        frame, lines, name, elements=elements, findings=findings
    )
    if errors:
        raise InputError(errors + warnings)
    frame = frame.assign(line=[pd.NA if x is None else x for x in lines]).loc[keep]
    return frame.reset_index(drop=True), warnings
