"""Charting: what a review records about each source (design, country, setting, population, ...).

Every scoping review charts its sources on a form declared in its protocol (the JBI
data-charting form). A knowledge base holds that form in ``charting.csv``, one row per field:

============  ==============================================================================
column        what goes in it
============  ==============================================================================
``field``     the column name in ``studies.csv`` (lower-case letters, digits and ``_``)
``type``      ``text``, ``number``, ``year``, ``category`` (one of ``values``) or ``list``
              (any number of ``values``, ``;``-separated)
``values``    the allowed values of a category or list, ``;``-separated (required for a
              category; a list without values takes any)
``description``  what the field records, in the team's words (optional)
============  ==============================================================================

and the charted sources in ``studies.csv``: one row per source, a ``reference`` column with
its reference key (or one of its aliases), then the declared fields. Every cell is checked
against its field; an undeclared column, a value outside its category or a key that is no
reference is an error with the file, line and column. A finding is joined to the studies of
the references it cites (:meth:`Charting.reference_values`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from evidence_kb.model.errors import EvidenceKBError, Problem, UnknownIdError
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.rows import CsvRows

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CHARTING_COLUMNS",
    "CHARTING_FILE",
    "CHARTING_TYPES",
    "NOT_CHARTED",
    "STUDIES_FILE",
    "Charting",
    "ChartingField",
    "UnknownValueError",
    "check_charting",
    "reference_names",
]

CHARTING_FILE = "charting.csv"
STUDIES_FILE = "studies.csv"
CHARTING_COLUMNS = ("field", "type", "values", "description")
REQUIRED_CHARTING_COLUMNS = ("field", "type")
CHARTING_TYPES = ("text", "number", "year", "category", "list")
STUDY_KEY = "reference"
NOT_CHARTED = "(not charted)"
"""The value of a finding none of whose references is in ``studies.csv``."""

_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")
_YEAR = re.compile(r"^\d{4}$")


class UnknownValueError(EvidenceKBError, ValueError):
    """A value that a charting field does not have (``where=``); the message lists its values."""


class ChartingField(NamedTuple):
    """One field of the charting form."""

    name: str
    type: str
    values: tuple[str, ...]
    description: str
    line: int


@dataclass(frozen=True, eq=False)
class Charting:
    """The charting form and the charted studies of a knowledge base.

    ``form`` has :data:`CHARTING_COLUMNS` and ``line``; ``studies`` one row per charted source:
    ``reference`` (the reference key), the fields, and ``line`` (of ``studies.csv``).
    """

    form: pd.DataFrame
    studies: pd.DataFrame
    fields: tuple[ChartingField, ...]

    def field(self, name: str) -> ChartingField:
        """The field ``name``, or an :class:`UnknownIdError` that lists the declared ones."""
        for f in self.fields:
            if f.name == name:
                return f
        names = [f.name for f in self.fields]
        msg = (
            f"{name!r} is not a charting field{did_you_mean(name, names)}; "
            f"charting.csv declares: {', '.join(names) or '(none)'}"
        )
        raise UnknownIdError(msg)

    def reference_values(self, name: str) -> dict[str, list[str]]:
        """``{reference key: [values]}`` of field ``name`` (a list field split at ``;``)."""
        field = self.field(name)
        out: dict[str, list[str]] = {}
        for key, cell in zip(self.studies[STUDY_KEY], self.studies[name], strict=True):
            values = _split(cell) if field.type == "list" else [cell] if cell else []
            out.setdefault(key, [])
            out[key] += [v for v in values if v not in out[key]]
        return out

    def value_order(self, name: str) -> list[str]:
        """The values of field ``name`` in the order of the form, then any others sorted."""
        field = self.field(name)
        found = {v for values in self.reference_values(name).values() for v in values}
        declared = list(field.values)
        return declared + sorted(found - set(declared), key=_sort_key)

    def matching(self, where: Mapping[str, object]) -> set[str]:
        """The reference keys of the studies whose fields have the values ``where`` asks for.

        Each condition is a value or a collection of values (any of them); a list field matches
        when one of its values does. Values are compared as text, case-insensitively.

        Raises
        ------
        UnknownIdError
            For a field the form does not declare.
        UnknownValueError
            For a value outside a category or list (with the allowed values); a ValueError.
        """
        keys = set(self.studies[STUDY_KEY])
        for name, wanted in where.items():
            field = self.field(name)
            asked = [wanted] if isinstance(wanted, str | int | float) else list(wanted)  # type: ignore[call-overload]
            texts = {_fold(a) for a in asked}
            if field.values:
                allowed = {_fold(v) for v in field.values}
                for a in asked:
                    if _fold(a) not in allowed:
                        msg = (
                            f"where={{{name!r}: {a!r}}}: {str(a)!r} is not a value of "
                            f"{name}{did_you_mean(str(a), field.values)}; "
                            f"values: {', '.join(field.values)}"
                        )
                        raise UnknownValueError(msg)
            values = self.reference_values(name)
            keys &= {k for k, vs in values.items() if texts & {_fold(v) for v in vs}}
        return keys


def _fold(value: object) -> str:
    text = str(value).strip().casefold()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def _sort_key(value: str) -> tuple[float, str]:
    try:
        return (float(value), value)
    except ValueError:
        return (float("inf"), value.casefold())


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


# -- checks ---------------------------------------------------------------------------------------
def check_charting(
    form: CsvRows | None, studies: CsvRows | None, references: Mapping[str, str]
) -> tuple[Charting | None, list[Problem]]:
    """Check ``charting.csv`` and ``studies.csv`` against each other and the references.

    Parameters
    ----------
    form, studies
        The two files as read (``None``: absent).
    references
        Every reference key and alias, with the key it stands for.

    Returns
    -------
    (Charting or None, problems)
        The form and the valid studies rows (``None`` if neither file is there), and every
        problem: each an error with file, line and column.
    """
    import pandas as pd

    if form is None and studies is None:
        return None, []
    problems: list[Problem] = []
    fields = _check_form(form, problems) if form is not None else []
    rows: list[dict[str, object]] = []
    if studies is not None:
        rows = _check_studies(studies, fields, references, problems)
    names = [f.name for f in fields]
    form_frame = pd.DataFrame(
        [(f.name, f.type, ";".join(f.values), f.description, f.line) for f in fields],
        columns=[*CHARTING_COLUMNS, "line"],
    )
    studies_frame = pd.DataFrame(rows, columns=[STUDY_KEY, *names, "line"])
    studies_frame = studies_frame.sort_values(STUDY_KEY, kind="stable").reset_index(drop=True)
    return Charting(form_frame, studies_frame, tuple(fields)), problems


def _check_form(form: CsvRows, problems: list[Problem]) -> list[ChartingField]:
    """The valid fields of ``charting.csv``; a problem for each invalid row."""
    name = form.path.name
    problems += form.problems
    fields: list[ChartingField] = []
    seen: dict[str, int] = {}
    for line, row in zip(form.lines, form.rows, strict=True):
        field, kind = (row.get("field") or "").strip(), (row.get("type") or "").strip()
        values = tuple(_split(row.get("values") or ""))
        before = len(problems)
        if not _FIELD.match(field) or field == STUDY_KEY:
            msg = (
                f"{field!r} is not a field name: expected lower-case letters, digits and '_' "
                f"(e.g. 'country'), other than {STUDY_KEY!r}"
            )
            problems.append(Problem(name, line, "field", field, msg))
        elif field in seen:
            msg = f"field {field!r} is declared twice (first on line {seen[field]})"
            problems.append(Problem(name, line, "field", field, msg))
        if kind not in CHARTING_TYPES:
            msg = (
                f"got {kind!r}, expected one of: {', '.join(CHARTING_TYPES)}"
                f"{did_you_mean(kind, CHARTING_TYPES)}"
            )
            problems.append(Problem(name, line, "type", kind, msg))
        elif kind == "category" and not values:
            msg = (
                "a category needs its allowed values, ';'-separated (e.g. 'RCT;cohort;qualitative')"
            )
            problems.append(Problem(name, line, "values", "", msg))
        if len(problems) == before:
            seen[field] = line
            fields.append(ChartingField(field, kind, values, (row.get("description") or ""), line))
    return fields


def _check_studies(
    studies: CsvRows,
    fields: list[ChartingField],
    references: Mapping[str, str],
    problems: list[Problem],
) -> list[dict[str, object]]:
    """The valid rows of ``studies.csv`` (reference as its key); a problem for each bad cell."""
    name = studies.path.name
    problems += studies.problems
    by_name = {f.name: f for f in fields}
    declared = list(by_name)
    for column in studies.columns:
        if column != STUDY_KEY and column not in by_name:
            msg = (
                f"column {column!r} is not declared in {CHARTING_FILE}"
                f"{did_you_mean(column, declared)}; add a row 'field,type,values,description' "
                f"for it there (declared: {', '.join(declared) or 'none'})"
            )
            problems.append(Problem(name, 1, column, column, msg))
    rows: list[dict[str, object]] = []
    first: dict[str, int] = {}
    for line, row in zip(studies.lines, studies.rows, strict=True):
        before = len(problems)
        cited = (row.get(STUDY_KEY) or "").strip()
        key = references.get(cited)
        if key is None:
            hint = did_you_mean(cited, references)
            what = "is empty" if not cited else f"{cited!r} is not a reference key"
            msg = f"{what}{hint}; expected the key (or an alias) of a reference"
            problems.append(Problem(name, line, STUDY_KEY, cited, msg))
        elif key in first:
            msg = f"reference {key!r} is charted twice (first on line {first[key]})"
            problems.append(Problem(name, line, STUDY_KEY, cited, msg))
        cells: dict[str, object] = {STUDY_KEY: key or cited}
        for field in fields:
            value = (row.get(field.name) or "").strip()
            problem = _check_value(field, value)
            if problem:
                problems.append(Problem(name, line, field.name, value, problem))
            cells[field.name] = value
        if len(problems) == before and key is not None:
            first[key] = line
            rows.append({**cells, "line": line})
    return rows


def _check_value(field: ChartingField, value: str) -> str:
    """What is wrong with ``value`` for ``field`` ('' if nothing; an empty cell is fine)."""
    if not value:
        return ""
    if field.type == "number":
        try:
            float(value.replace(",", ".") if value.count(",") == 1 and "." not in value else value)
        except ValueError:
            return f"got {value!r}, expected a number"
    elif field.type == "year" and not _YEAR.match(value):
        return f"got {value!r}, expected a year of four digits (e.g. 2021)"
    elif field.type in ("category", "list") and field.values:
        given = _split(value) if field.type == "list" else [value]
        if field.type == "category" and ";" in value:
            return f"got {value!r}: a category has one value; make {field.name} a list for several"
        for v in given:
            if v not in field.values:
                return (
                    f"got {v!r}, expected one of: {', '.join(field.values)}"
                    f"{did_you_mean(v, field.values)}"
                )
    return ""


def reference_names(keys: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """``{key or alias: key}`` from ``(key, aliases)`` pairs: what ``studies.csv`` may name."""
    names: dict[str, str] = {}
    for key, aliases in keys:
        names[key] = key
        for alias in aliases:
            names.setdefault(alias, key)
    return names
