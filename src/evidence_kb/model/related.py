"""``related.csv``: notices (errata, retractions, replies, comments) and the work each concerns.

The table is what :func:`evidence_kb.find_duplicates` gives as ``.related`` (columns
:data:`~evidence_kb.model.vocab.RELATED_COLUMNS`), with reference keys as ids. Loading checks it
(:func:`check_related`); after the citations are resolved, every finding that cites a retracted
work, or one with an expression of concern, gets a warning naming both
(:func:`doubtful_citations`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from evidence_kb.model.errors import Problem
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.vocab import DOUBT_RELATIONS, NOTICE_RELATIONS, RELATED_FILE

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.model.records import Finding, Reference

__all__ = ["check_related", "doubtful_citations", "doubts"]

_DOUBT_WORDS = {"retraction": "is retracted", "concern": "has an expression of concern"}


def check_related(
    frame: pd.DataFrame,
    lines: Sequence[int | None],
    references: Iterable[Reference],
    name: str = RELATED_FILE,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row of ``related.csv``; return the usable rows (keys made canonical), errors.

    ``id`` must be a reference key (or one of its ``ids``: a notice merged into its work's entry
    is one of the work's ``ids``), ``work_id`` a reference key or empty (a notice whose work is
    not in the bibliography), ``relation`` one of
    :data:`~evidence_kb.model.vocab.NOTICE_RELATIONS`. Each bad cell is an error with its line.
    """
    key_of = {}
    for ref in references:
        key_of[ref.key] = ref.key
        for alias in ref.ids:
            key_of.setdefault(alias, ref.key)
    errors: list[Problem] = []
    keep: list[bool] = []
    ids, works = [], []  # the notice's own key, and the work's canonical key
    for line, row in zip(lines, frame.itertuples(index=False), strict=True):
        ok = True
        if row.relation not in NOTICE_RELATIONS:
            msg = f"got {row.relation!r}, expected one of: {', '.join(NOTICE_RELATIONS)}"
            errors.append(Problem(name, line, "relation", row.relation, msg))
            ok = False
        for column in ("id", "work_id"):
            value = getattr(row, column)
            if (value or column == "id") and value not in key_of:
                hint = did_you_mean(value, key_of)
                msg = f"{value!r} is not a key of the references{hint}"
                errors.append(Problem(name, line, column, value, msg))
                ok = False
        notice, work = key_of.get(row.id, row.id), key_of.get(row.work_id, row.work_id)
        # a notice merged into its work's entry (related="merge") is an alias of it: kept
        if ok and row.id == row.work_id:
            msg = "a notice cannot concern itself"
            errors.append(Problem(name, line, "work_id", row.work_id, msg))
            ok = False
        keep.append(ok)
        ids.append(row.id if notice == work else notice)
        works.append(work)
    table = frame.assign(id=ids, work_id=works, line=list(lines)).loc[keep]
    return table.reset_index(drop=True), errors


def doubts(related: pd.DataFrame | None) -> dict[str, list[tuple[str, str]]]:
    """``{work key: [(relation, notice key), ...]}`` for retractions and expressions of concern."""
    found: dict[str, list[tuple[str, str]]] = {}
    if related is None:
        return found
    for row in related.itertuples(index=False):
        if row.relation in DOUBT_RELATIONS and row.work_id:
            found.setdefault(row.work_id, []).append((row.relation, row.id))
    return found


def doubt_text(key: str, notices: list[tuple[str, str]]) -> str:
    """``'kallio2015', which is retracted (retraction notice 'kallio2016' in related.csv)``."""
    said = [
        f"{_DOUBT_WORDS[relation]} ({relation} notice {notice!r} in {RELATED_FILE})"
        for relation, notice in sorted(notices)
    ]
    return f"{key!r}, which " + " and ".join(said)


def doubtful_citations(
    findings: Sequence[Finding],
    lines: Sequence[int | None],
    related: pd.DataFrame | None,
    file_name: str,
) -> list[Problem]:
    """A warning for every finding that cites a retracted work (or one with a concern)."""
    by_work: Mapping[str, list[tuple[str, str]]] = doubts(related)
    if not by_work:
        return []
    problems = []
    for line, finding in zip(lines, findings, strict=True):
        for key in finding.reference_keys:
            if key in by_work:
                msg = (
                    f"finding {finding.finding_id!r} cites {doubt_text(key, by_work[key])}: "
                    "check whether the finding still stands"
                )
                problems.append(
                    Problem(file_name, line, "citation", finding.citation, msg, "warning")
                )
    return problems
