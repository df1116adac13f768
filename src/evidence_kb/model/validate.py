"""Turn CSV rows into validated records and check them against each other.

Every check appends :class:`~evidence_kb.model.errors.Problem` records instead of raising, so a
researcher sees all problems of a file at once, each with its line, column, value and a
"did you mean" hint where one exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError, create_model

from evidence_kb.model.errors import Problem
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.records import (
    SEED_PATTERN,
    SOURCE_PATTERN,
    Element,
    Finding,
    Reference,
    Review,
)
from evidence_kb.model.rows import CsvRows
from evidence_kb.model.vocab import DIRECTION_WORDS, Direction, Kind, Side

M = TypeVar("M", bound=BaseModel)

_ENUM_HINTS = {
    "kind": Kind,
    "direction": Direction,
    "side": Side,
}


def rows_to_records(
    table: CsvRows, model: type[M], *, columns: tuple[str, ...]
) -> list[tuple[int, M]]:
    """Validate each row with ``model``; a cell that fails becomes a problem in ``table.problems``.

    Every row gives a record, so that the checks across rows and files see every row: a row
    with invalid cells gives a partial record (built with ``model_construct``) whose invalid
    fields are ``None``. The caller keeps only the rows without errors.
    """
    records: list[tuple[int, M]] = []
    wanted = frozenset(columns)
    batch = _list_adapter(model)
    for start in range(0, len(table.rows), _CHUNK):
        lines = table.lines[start : start + _CHUNK]
        rows = table.rows[start : start + _CHUNK]
        # a row of wanted columns only is validated as it is (the model reads no order)
        values = [row if row.keys() <= wanted else _cells(row, columns) for row in rows]
        try:  # a chunk of valid rows in one call into pydantic-core (the common case) ...
            records += zip(lines, batch.validate_python(values), strict=True)
        except ValidationError:  # ... one with an invalid row row by row, for its problems
            for line, row, value in zip(lines, rows, values, strict=True):
                records.append((line, _row_record(table, model, columns, line, row, value)))
    return records


_CHUNK = 2000  # rows validated in one call (a chunk with an invalid row is validated again)


@cache
def _list_adapter(model: type[M]) -> TypeAdapter[list[M]]:
    """Validates a list of rows as ``model`` records, each as ``model.model_validate`` would."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _row_record(
    table: CsvRows,
    model: type[M],
    columns: tuple[str, ...],
    line: int,
    row: Mapping[str, str],
    values: Mapping[str, str],
) -> M:
    """The record of one row; a cell that fails becomes a problem in ``table.problems``."""
    try:
        return model.model_validate(values)
    except ValidationError as err:
        values = _cells(row, columns)
        bad = set()
        for error in err.errors():
            column = str(error["loc"][0]) if error["loc"] else None
            bad.add(column)
            value = row.get(column, "") if column else ""
            table.problems.append(
                Problem(table.path.name, line, column, value, _explain(column, value, error))
            )
        return _partial(model, values, bad)


def _cells(row: Mapping[str, str], columns: tuple[str, ...]) -> dict[str, str]:
    """The cells of ``row`` in ``columns``, in the order of ``columns``."""
    return {col: row[col] for col in columns if col in row}


def _partial(model: type[M], values: Mapping[str, str], bad: set[str | None]) -> M:
    """A record of the valid cells of a row, validated one field at a time; the others None."""
    good: dict[str, Any] = {}
    for name, value in values.items():
        if name in bad:
            continue
        try:
            good[name] = getattr(_field_model(model, name).model_validate({name: value}), name)
        except ValidationError:  # only if a field's validity depends on another: keep it out
            bad = {*bad, name}
    return model.model_construct(**good, **{name: None for name in bad if name})


@cache
def _field_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    """A model with the one field ``name`` of ``model`` (same type, constraints and config)."""
    info = model.model_fields[name]
    field: dict[str, Any] = {name: (info.annotation, info)}
    return create_model(f"{model.__name__}_{name}", __config__=model.model_config, **field)


def _explain(column: str | None, value: str, error: Mapping[str, object]) -> str:
    if column in _ENUM_HINTS:
        allowed = [e.value for e in _ENUM_HINTS[column]]
        optional = "" if column == "kind" else ", or empty"
        hint = did_you_mean(value, allowed)
        if column == "direction" and not hint:
            hint = _direction_hint(value)
        return f"got {value!r}, expected one of: {', '.join(allowed)}{optional}{hint}"
    if column == "language":
        return f"got {value!r}, expected one of: nl, en, or empty (Dutch)"
    if error.get("type") == "string_too_short":
        if column == "source":
            return "is empty; expected where a reader finds the finding (e.g. 'Table 2, p. 14')"
        if column == "label_nl":
            return "is empty, and so is label_en; expected a label in at least one of the two"
        return "is empty; expected text"
    if error.get("type") == "string_pattern_mismatch":
        return (
            f"got {value!r}, expected lower-case letters, digits, '-', '_' or '.' (e.g. 'pps-001')"
        )
    return f"got {value!r}: {error.get('msg')}"


def _direction_hint(value: str) -> str:
    """``" (did you mean 'hindering'? 'barrier' reads as hindering)"`` for a word that means a
    direction (:data:`~evidence_kb.model.vocab.DIRECTION_WORDS`, misspelt or not)."""
    from rapidfuzz import fuzz, process

    word = value.strip().casefold()
    match = process.extractOne(word, list(DIRECTION_WORDS), scorer=fuzz.ratio, score_cutoff=80)
    if match is None:
        return ""
    meant = DIRECTION_WORDS[match[0]]
    return f" (did you mean {meant!r}? {value!r} reads as {meant})"


def check_unique(
    records: list[tuple[int, M]], attribute: str, file_name: str, problems: list[Problem]
) -> None:
    """Report every record whose ``attribute`` repeats an earlier record's value."""
    seen: dict[str, int] = {}
    for line, record in records:
        value = getattr(record, attribute)
        if value is None:  # the cell is invalid, and already reported
            continue
        if value in seen:
            msg = f"duplicate {attribute} {value!r}: already used on line {seen[value]}"
            problems.append(Problem(file_name, line, attribute, value, msg))
        else:
            seen[value] = line


def shared_aliases(elements: Iterable[Element]) -> dict[str, list[str]]:
    """``{alias (casefolded): [element ids]}`` for every alias that more than one element lists."""
    owners: dict[str, list[str]] = {}
    for e in elements:
        for alias in e.aliases or ():
            ids = owners.setdefault(alias.casefold(), [])
            if e.element_id and e.element_id not in ids:
                ids.append(e.element_id)
    return {alias: ids for alias, ids in owners.items() if len(ids) > 1}


def _check_shared_aliases(
    records: list[tuple[int, Element]], file_name: str, problems: list[Problem]
) -> None:
    """A warning for each element after the first that lists an alias another one lists."""
    shared = shared_aliases(e for _, e in records)
    for line, element in records:
        for alias in element.aliases or ():
            owners = shared.get(alias.casefold(), [])
            if owners and element.element_id != owners[0]:
                msg = (
                    f"alias {alias!r} is also an alias of {owners[0]!r}: a lookup by this name "
                    "cannot tell them apart (kb.element() refuses it); keep it on one element"
                )
                problems.append(Problem(file_name, line, "aliases", alias, msg, "warning"))


def check_elements(
    records: list[tuple[int, Element]], file_name: str, problems: list[Problem]
) -> None:
    """Check the hierarchy of the frameworks: parents exist, stay in their framework, no cycles.

    A framework row has no parent; every other element has a parent (the framework id for a
    top-level element) of the same framework, and following parents always ends at a framework
    row: an element that is its own parent or a chain of parents that loops is an error.
    """
    first: dict[str, tuple[int, Element]] = {}
    for line, element in records:
        if element.element_id is not None:
            first.setdefault(element.element_id, (line, element))
    ids = set(first)
    _check_shared_aliases(records, file_name, problems)
    frameworks = {i for i, (_, e) in first.items() if e.level == "framework"}
    for line, element in records:
        if element.element_id is None or element.level is None:
            continue
        if element.level == "framework":
            if element.parent:
                msg = "a framework row has no parent; expected an empty cell"
                problems.append(Problem(file_name, line, "parent", element.parent, msg))
            if element.framework is not None and element.framework != element.element_id:
                msg = (
                    f"a framework row names itself: expected framework {element.element_id!r}, "
                    f"its element_id"
                )
                problems.append(Problem(file_name, line, "framework", element.framework, msg))
            continue
        parent = element.parent
        if not parent:
            msg = "is empty; expected the parent element (the framework id for a top-level element)"
            problems.append(Problem(file_name, line, "parent", "", msg))
        elif parent == element.element_id:
            msg = f"element {parent!r} cannot be its own parent"
            problems.append(Problem(file_name, line, "parent", parent, msg))
        elif parent not in ids:
            msg = f"parent {parent!r} is not an element_id in this file" + did_you_mean(parent, ids)
            problems.append(Problem(file_name, line, "parent", parent, msg))
        else:
            parent_line, parent_record = first[parent]
            theirs, ours = parent_record.framework, element.framework
            if theirs is not None and ours is not None and theirs != ours:
                msg = (
                    f"parent {parent!r} belongs to framework {theirs!r} (line {parent_line}), "
                    f"not to {ours!r}; an element and its parent are in the same framework"
                )
                problems.append(Problem(file_name, line, "parent", parent, msg))
        if element.framework is not None and element.framework not in frameworks:
            msg = (
                f"framework {element.framework!r} has no row with level 'framework'"
                + did_you_mean(element.framework, frameworks)
            )
            problems.append(Problem(file_name, line, "framework", element.framework, msg))
    _check_cycles(first, file_name, problems)


def _check_cycles(
    first: Mapping[str, tuple[int, Element]], file_name: str, problems: list[Problem]
) -> None:
    """Report each loop of parents once, at the line of its first element, naming every line."""
    parent_of = {
        i: e.parent
        for i, (_, e) in first.items()
        if e.level != "framework" and e.parent in first and e.parent != i
    }
    done: set[str] = set()
    for start in parent_of:
        path: list[str] = []
        on_path: set[str] = set()
        node = start
        while node in parent_of and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parent_of[node]
        if node in on_path:  # the walk came back to an element of this walk: a loop
            loop = path[path.index(node) :]
            loop = sorted(loop, key=lambda i: first[i][0])
            chain = " -> ".join(_loop_order(loop[0], parent_of))
            lines = ", ".join(str(first[i][0]) for i in loop)
            line, element = first[loop[0]]
            msg = (
                f"the parents form a cycle: {chain} (lines {lines}); "
                "every chain of parents must end at a framework row"
            )
            problems.append(Problem(file_name, line, "parent", element.parent, msg))
        done.update(path)


def _loop_order(start: str, parent_of: Mapping[str, str]) -> list[str]:
    """``[start, parent, grandparent, ..., start]`` around a loop."""
    chain = [start]
    node = parent_of[start]
    while node != start:
        chain.append(node)
        node = parent_of[node]
    return [*chain, start]


def seed_of(review: Review) -> str:
    """The seed document a review comes from (``"001"``), or ``""`` for a review without one.

    A review names its seed when its ``source`` in reviews.csv starts with the seed's number.

    Examples
    --------
    >>> seed_of(Review(review_id="wi", title="W", source="001 Methodie, line 58"))
    '001'
    >>> seed_of(Review(review_id="mine", title="My review", source="protocol v2"))
    ''
    """
    match = SEED_PATTERN.match(review.source or "")
    return match.group(1) if match else ""


def check_findings(
    records: list[tuple[int, Finding]],
    *,
    file_name: str,
    elements: Mapping[str, Element] | None,
    reviews: Mapping[str, Review] | None,
    references: Mapping[str, Reference] | None,
    references_file: str | None = "references.bib",
    problems: list[Problem],
) -> None:
    """Check each finding against the frameworks, the reviews and the bibliography.

    A table that could not be read is passed as ``None``, and the checks against it are skipped
    (its own problem says why); ``references`` is ``None`` with ``references_file`` ``None``
    when the directory has no reference file, and then a reference key is an error. Invalid
    cells of a finding are ``None`` (see :func:`rows_to_records`) and skip only the checks that
    need them.

    ``source`` is free text, except for a review whose reviews.csv ``source`` names a seed
    document (:func:`seed_of`): its findings give ``<seed> <table or section>, line <n>[, item
    <k>]`` with the review's seed number.
    """
    element_ids = list(elements or ())
    refs = references or {}
    alias_to_key = {alias: ref.key for ref in refs.values() for alias in ref.ids}
    flagged = {(p.line, p.column) for p in problems if p.file == file_name}  # invalid cells
    seeds = {review_id: seed_of(review) for review_id, review in (reviews or {}).items()}
    for line, f in records:
        if reviews is not None and f.review is not None and f.review not in reviews:
            msg = f"{f.review!r} is not a review in reviews.csv" + did_you_mean(f.review, reviews)
            problems.append(Problem(file_name, line, "review", f.review, msg))
        if elements is not None:
            _check_element(line, f, elements, element_ids, file_name, problems)
        if f.kind is not None and not f.element and f.kind not in _COMPARISON_KINDS:
            msg = f"is empty; a finding of kind {f.kind.value!r} needs the element it is about"
            problems.append(Problem(file_name, line, "element", "", msg))
        if f.kind is Kind.FACTOR and f.direction is None and (line, "direction") not in flagged:
            msg = "is empty; a factor is either promoting or hindering"
            problems.append(Problem(file_name, line, "direction", "", msg))
        if reviews is not None and f.review in reviews and f.source is not None:
            _check_source(line, f, seeds[f.review], file_name, problems)
        if f.printed and f.statement is not None:
            _check_printed(line, f, file_name, problems)
        if references is None:  # no reference file, or one that could not be read
            if f.reference_keys and references_file is None:
                msg = (
                    "there is no reference file to look this key up in; add references.bib, "
                    "references.ris or references.json"
                )
                key = f.reference_keys[0]
                problems.append(Problem(file_name, line, "reference_keys", key, msg))
            continue
        for key in f.reference_keys or ():
            if key in refs:
                continue
            if key in alias_to_key:
                msg = f"{key!r} is an alias; use the main key {alias_to_key[key]!r}"
                problems.append(Problem(file_name, line, "reference_keys", key, msg, "warning"))
                continue
            msg = f"{key!r} is not in {references_file}" + did_you_mean(key, refs)
            problems.append(Problem(file_name, line, "reference_keys", key, msg))


def _check_element(
    line: int,
    f: Finding,
    elements: Mapping[str, Element],
    element_ids: list[str],
    file_name: str,
    problems: list[Problem],
) -> None:
    if f.element and f.element not in elements:
        msg = f"{f.element!r} is not a framework element" + _element_hint(
            f.element, "element", elements, element_ids
        )
        problems.append(Problem(file_name, line, "element", f.element, msg))
    if f.theme:
        theme = elements.get(f.theme)
        if theme is None:
            msg = f"{f.theme!r} is not a framework element" + _element_hint(
                f.theme, "theme", elements, element_ids
            )
            problems.append(Problem(file_name, line, "theme", f.theme, msg))
        elif f.element and theme.parent != f.element:
            msg = f"theme {f.theme!r} belongs to {theme.parent!r}, not to element {f.element!r}"
            problems.append(Problem(file_name, line, "theme", f.theme, msg))


def _element_hint(
    value: str, column: str, elements: Mapping[str, Element], element_ids: list[str]
) -> str:
    """A "did you mean" for an element: the id of the element ``value`` is the label or alias of
    (as ``kb.element()`` finds it), else the closest id, else the id of the closest label."""
    names: dict[str, tuple[str, str]] = {}  # casefolded name: (element id, name as written)
    for element_id, e in elements.items():
        for name in (e.label_nl, e.label_en, *(e.aliases or ())):
            if name:
                names.setdefault(name.casefold(), (element_id, name))
    found, _ = names.get(value.strip().casefold(), (None, ""))
    if found is not None:
        return (
            f" (did you mean {found!r}? {value!r} is its label; the {column} column takes the "
            "element id)"
        )
    hint = did_you_mean(value, element_ids)
    if hint:
        return hint
    from rapidfuzz import fuzz, process

    match = process.extractOne(value.casefold(), list(names), scorer=fuzz.ratio, score_cutoff=80)
    if match is None:
        return ""
    element_id, label = names[match[0]]
    return f" (did you mean {element_id!r}, labelled {label!r}?)"


def _check_source(
    line: int, f: Finding, seed: str, file_name: str, problems: list[Problem]
) -> None:
    """The source of a finding of a review from seed document ``seed`` ('' if none)."""
    if not seed:
        return
    if not SOURCE_PATTERN.match(f.source):
        msg = (
            f"got {f.source!r}, expected '<seed> <table or section>, line <n>[, item <k>]' "
            f"(e.g. '{seed} Tabel 1, line 97, item 2'): review {f.review!r} names its seed "
            f"document {seed} in reviews.csv"
        )
        problems.append(Problem(file_name, line, "source", f.source, msg))
    elif not f.source.startswith(f"{seed} "):
        msg = (
            f"names seed document {f.source[:3]!r}, but review {f.review!r} comes from seed "
            f"{seed} (reviews.csv)"
        )
        problems.append(Problem(file_name, line, "source", f.source, msg))


_MARKUP = re.compile(r"<(/?)([a-z]+)>")


def _check_printed(line: int, f: Finding, file_name: str, problems: list[Problem]) -> None:
    """``printed`` is ``statement`` with ``<i>``/``<sup>`` markup, its superscripts the citation's.

    Compared independently of the writers: tags must be ``<i>`` or ``<sup>`` and balanced; the
    text outside ``<sup>`` (whitespace and list marks aside) must be the statement; and the
    numbers in ``<sup>`` must be those of ``citation``.
    """
    tags = _MARKUP.findall(f.printed)
    stack: list[str] = []
    for closing, tag in tags:
        if tag not in ("i", "sup"):
            msg = f"has <{closing}{tag}>; only <i>…</i> and <sup>…</sup> mark the printed text"
            problems.append(Problem(file_name, line, "printed", f.printed, msg))
            return
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            msg = f"closes </{tag}> that is not open; expected balanced <i>/<sup> markup"
            problems.append(Problem(file_name, line, "printed", f.printed, msg))
            return
    if stack:
        msg = f"leaves <{stack[-1]}> open; expected balanced <i>/<sup> markup"
        problems.append(Problem(file_name, line, "printed", f.printed, msg))
        return
    sups = re.findall(r"<sup>(.*?)</sup>", f.printed)
    text = _MARKUP.sub("", re.sub(r"<sup>.*?</sup>", "", f.printed))

    def words(value: str) -> str:
        return " ".join(re.sub(r"(?m)^\s*-\s+", "", value).split())

    if words(text) != words(f.statement):
        mine, theirs = words(text), words(f.statement)
        at = next(
            (i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b),
            min(len(mine), len(theirs)),
        )
        msg = (
            f"without its markup is not the statement: from character {at + 1} it reads "
            f"{mine[at : at + 30]!r}, the statement {theirs[at : at + 30]!r}"
        )
        problems.append(Problem(file_name, line, "printed", f.printed, msg))
    printed_numbers = {n for s in sups for n in re.findall(r"\d+", s)}
    cited = set(re.findall(r"\d+", f.citation)) if sups else set()
    if printed_numbers != cited:
        msg = (
            f"prints superscripts {sorted(printed_numbers, key=int)}, the citation has "
            f"{sorted(cited, key=int)}; expected the same numbers"
        )
        problems.append(Problem(file_name, line, "printed", f.printed, msg))


_COMPARISON_KINDS = {Kind.OVERLAP, Kind.DIFFERENCE, Kind.RELATIONSHIP, Kind.ADVICE}
