"""Turn CSV rows into validated records and check them against each other.

Every check appends :class:`~evidence_kb.model.errors.Problem` records instead of raising, so a
researcher sees all problems of a file at once, each with its line, column, value and a
"did you mean" hint where one exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz, process

from evidence_kb.io.csvfile import CsvRows
from evidence_kb.model.errors import Problem
from evidence_kb.model.records import Element, Finding, Reference
from evidence_kb.model.vocab import Direction, Kind, Side

M = TypeVar("M", bound=BaseModel)

_ENUM_HINTS = {
    "kind": Kind,
    "direction": Direction,
    "side": Side,
}


def did_you_mean(value: str, choices: Iterable[str], *, cutoff: float = 75) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""`` if none is close.

    Examples
    --------
    >>> did_you_mean("postive", ["promoting", "positive"])
    " (did you mean 'positive'?)"
    >>> did_you_mean("zzz", ["promoting"])
    ''
    """
    choices = list(choices)
    if not value or not choices:
        return ""
    match = process.extractOne(value, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return f" (did you mean {match[0]!r}?)" if match else ""


def rows_to_records(
    table: CsvRows, model: type[M], *, columns: tuple[str, ...]
) -> list[tuple[int, M]]:
    """Validate each row with ``model``; invalid rows become problems in ``table.problems``."""
    records: list[tuple[int, M]] = []
    for line, row in zip(table.lines, table.rows, strict=True):
        values = {col: row[col] for col in columns if col in row}
        try:
            records.append((line, model.model_validate(values)))
        except ValidationError as err:
            for error in err.errors():
                column = str(error["loc"][0]) if error["loc"] else None
                value = row.get(column, "") if column else ""
                table.problems.append(
                    Problem(table.path.name, line, column, value, _explain(column, value, error))
                )
    return records


def _explain(column: str | None, value: str, error: Mapping[str, object]) -> str:
    if column in _ENUM_HINTS:
        allowed = [e.value for e in _ENUM_HINTS[column]]
        optional = "" if column == "kind" else ", or empty"
        return (
            f"got {value!r}, expected one of: {', '.join(allowed)}{optional}"
            f"{did_you_mean(value, allowed)}"
        )
    if error.get("type") == "string_too_short":
        return "is empty; expected text"
    if error.get("type") == "string_pattern_mismatch":
        return (
            f"got {value!r}, expected lower-case letters, digits, '-', '_' or '.' (e.g. 'pps-001')"
        )
    return f"got {value!r}: {error.get('msg')}"


def check_unique(
    records: list[tuple[int, M]], attribute: str, file_name: str, problems: list[Problem]
) -> None:
    """Report every record whose ``attribute`` repeats an earlier record's value."""
    seen: dict[str, int] = {}
    for line, record in records:
        value = getattr(record, attribute)
        if value in seen:
            msg = f"duplicate {attribute} {value!r}: already used on line {seen[value]}"
            problems.append(Problem(file_name, line, attribute, value, msg))
        else:
            seen[value] = line


def check_elements(
    records: list[tuple[int, Element]], file_name: str, problems: list[Problem]
) -> None:
    """Check that every parent exists and that framework ids are consistent."""
    ids = {r.element_id for _, r in records}
    frameworks = {r.element_id for _, r in records if r.level == "framework"}
    for line, element in records:
        if element.level == "framework":
            continue
        if element.parent not in ids:
            msg = f"parent {element.parent!r} is not an element_id in this file" + did_you_mean(
                element.parent, ids
            )
            problems.append(Problem(file_name, line, "parent", element.parent, msg))
        if element.framework not in frameworks:
            msg = (
                f"framework {element.framework!r} has no row with level 'framework'"
                + did_you_mean(element.framework, frameworks)
            )
            problems.append(Problem(file_name, line, "framework", element.framework, msg))


def check_findings(
    records: list[tuple[int, Finding]],
    *,
    file_name: str,
    elements: Mapping[str, Element],
    reviews: Iterable[str],
    references: Mapping[str, Reference],
    problems: list[Problem],
) -> None:
    """Check each finding against the frameworks, the reviews and the bibliography."""
    review_ids = set(reviews)
    element_ids = list(elements)
    alias_to_key = {alias: ref.key for ref in references.values() for alias in ref.ids}
    for line, f in records:
        if f.review not in review_ids:
            msg = f"{f.review!r} is not a review in reviews.csv" + did_you_mean(
                f.review, review_ids
            )
            problems.append(Problem(file_name, line, "review", f.review, msg))
        if f.element and f.element not in elements:
            msg = f"{f.element!r} is not a framework element" + did_you_mean(f.element, element_ids)
            problems.append(Problem(file_name, line, "element", f.element, msg))
        if not f.element and f.kind not in _COMPARISON_KINDS:
            msg = f"is empty; a finding of kind {f.kind.value!r} needs the element it is about"
            problems.append(Problem(file_name, line, "element", "", msg))
        if f.theme:
            theme = elements.get(f.theme)
            if theme is None:
                msg = f"{f.theme!r} is not a framework element" + did_you_mean(f.theme, element_ids)
                problems.append(Problem(file_name, line, "theme", f.theme, msg))
            elif f.element and theme.parent != f.element:
                msg = f"theme {f.theme!r} belongs to {theme.parent!r}, not to element {f.element!r}"
                problems.append(Problem(file_name, line, "theme", f.theme, msg))
        if f.kind is Kind.FACTOR and f.direction is None:
            msg = "is empty; a factor is either promoting or hindering"
            problems.append(Problem(file_name, line, "direction", "", msg))
        for key in f.reference_keys:
            if key in references:
                continue
            if key in alias_to_key:
                msg = f"{key!r} is an alias; use the main key {alias_to_key[key]!r}"
                problems.append(Problem(file_name, line, "reference_keys", key, msg, "warning"))
                continue
            msg = f"{key!r} is not in references.bib" + did_you_mean(key, references)
            problems.append(Problem(file_name, line, "reference_keys", key, msg))


_COMPARISON_KINDS = {Kind.OVERLAP, Kind.DIFFERENCE, Kind.RELATIONSHIP, Kind.ADVICE}
