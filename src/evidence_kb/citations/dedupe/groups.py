"""Step 4 of deduplication: a person's decisions, and groups by union-find without chaining."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from evidence_kb.citations.dedupe.prepare import _Prepared
from evidence_kb.io.decisions import (
    DECISION_COLUMNS,
    Decision,
    check_decisions,
    decisions_lock,
    read_decisions_file,
    write_decisions_file,
)
from evidence_kb.model.errors import InputError, Problem

# --- step 4: decisions and groups ----------------------------------------------------------


def _decisions(decisions: pd.DataFrame | str | os.PathLike[str]) -> tuple[list[Decision], str]:
    """The checked decisions of a table or a file, and the name to report them under."""
    if isinstance(decisions, str | os.PathLike):
        return read_decisions_file(decisions), str(decisions)
    if not isinstance(decisions, pd.DataFrame):
        kind = type(decisions).__name__
        msg = f"decisions must be a DataFrame or a path to a CSV file (got {kind})"
        raise TypeError(msg)
    source = "decisions"
    columns = {str(c).strip().lower(): c for c in decisions.columns}
    missing = [c for c in DECISION_COLUMNS if c not in columns]
    if missing:
        msg = f"missing column(s) {', '.join(missing)}; expected id_a, id_b, verdict"
        raise InputError([Problem(source, 1, None, None, msg)])
    values = (decisions[columns[c]].tolist() for c in DECISION_COLUMNS)
    rows = ((line, *row) for line, row in enumerate(zip(*values, strict=True), start=2))
    return check_decisions(rows, source), source


def _read_decisions(
    decisions: pd.DataFrame | str | os.PathLike[str] | None, index: dict[str, int]
) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Return the ``same`` pairs and the ``different`` pairs as record positions (i < j)."""
    if decisions is None:
        return [], set()
    checked, source = _decisions(decisions)
    unknown: list[int] = []
    same: list[tuple[int, int]] = []
    different: set[tuple[int, int]] = set()
    for d in checked:
        if d.id_a not in index or d.id_b not in index:
            unknown.append(d.line)
            continue
        a, b = sorted((index[d.id_a], index[d.id_b]))
        if d.verdict == "same":
            same.append((a, b))
        else:
            different.add((a, b))
    if unknown:
        lines = ", ".join(map(str, unknown[:10])) + (" ..." if len(unknown) > 10 else "")
        warnings.warn(
            f"{source}: {len(unknown)} decisions name records that are not in the input "
            f"and were ignored (lines {lines})",
            stacklevel=3,
        )
    return same, different


class _UnionFind:
    """Groups with the facts needed to refuse a merge: DOIs, years, 'different' decisions."""

    def __init__(self, prep: _Prepared, different: set[tuple[int, int]]) -> None:
        n = len(prep.ids)
        self.parent = list(range(n))
        self.members = {i: [i] for i in range(n)}
        self.dois = {i: {prep.doi_base[i]} - {""} for i in range(n)}
        self.years: dict[int, tuple[int, int]] = {
            i: (year, year) for i, year in enumerate(prep.year) if year is not None
        }
        self.apart: dict[int, set[int]] = {}
        for a, b in different:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def kept_apart(self, ra: int, rb: int) -> bool:
        """True if a person decided that a member of one group differs from one of the other."""
        small, other = (ra, rb) if len(self.members[ra]) <= len(self.members[rb]) else (rb, ra)
        return any(
            self.find(y) == other for x in self.members[small] for y in self.apart.get(x, ())
        )

    def conflict(self, ra: int, rb: int, span: int | None) -> bool:
        """True if merging the two groups would join records known to be different works.

        ``span`` is the number of years between the two records of the pair that asks for the
        merge: the group may span that many years (at least one), not more, so that a chain
        2001-2002-2003 of one-year steps is refused while a pair whose DOI, volume and issue
        agree across a wrong year is not.
        """
        if self.kept_apart(ra, rb):
            return True
        if self.dois[ra] and self.dois[rb] and self.dois[ra].isdisjoint(self.dois[rb]):
            return True  # two DOIs: a chain of fuzzy matches must not join two works
        if ra in self.years and rb in self.years:
            (lo_a, hi_a), (lo_b, hi_b) = self.years[ra], self.years[rb]
            allowed = max(1, span or 0, hi_a - lo_a, hi_b - lo_b)
            return max(hi_a, hi_b) - min(lo_a, lo_b) > allowed
        return False

    def union(self, ra: int, rb: int, span: int | None = None) -> None:
        """Merge the groups of roots ``ra`` and ``rb``."""
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.dois[ra] |= self.dois.pop(rb)
        if rb in self.years:
            lo, hi = self.years.pop(rb)
            old_lo, old_hi = self.years.get(ra, (lo, hi))
            self.years[ra] = (min(lo, old_lo), max(hi, old_hi))


def record_decisions(review: pd.DataFrame, path: str | os.PathLike[str]) -> pd.DataFrame:
    """Write a person's verdicts into the decisions file that :func:`find_duplicates` reads.

    Parameters
    ----------
    review : pandas.DataFrame
        Rows with ``id_a``, ``id_b`` and ``verdict`` (``same`` or ``different``), such as
        ``Duplicates.review`` or its CSV (``FILE.review.csv``) after a person filled in the
        verdicts. Rows with an empty verdict are not decided yet and are left out.
    path : str or path-like
        The decisions CSV. It is created if it does not exist; a pair already in it gets the
        new verdict, other pairs are kept. The file is replaced atomically, so a failure while
        writing leaves the old file as it was, and under a lock, so that processes recording
        decisions into one file at the same time lose none.

    Returns
    -------
    pandas.DataFrame
        The decisions now in the file (``id_a`` < ``id_b``, ``verdict``), sorted by ids.

    Raises
    ------
    InputError
        If a verdict is neither ``same`` nor ``different``, a pair is given both (the rows are
        named), or a column is missing; or if the decisions file is not a valid one (its file
        and line are named). Nothing is written then.
    """
    checked, _ = _decisions(review)
    new = {(d.id_a, d.id_b): d.verdict for d in checked}
    target = Path(path)
    with decisions_lock(target):  # another process recording at once waits, loses nothing
        old = {}
        if target.exists():  # the file must be valid before it is changed
            old = {(d.id_a, d.id_b): d.verdict for d in read_decisions_file(target)}
        merged = old | new
        frame = pd.DataFrame(
            [(a, b, v) for (a, b), v in sorted(merged.items())], columns=list(DECISION_COLUMNS)
        )
        write_decisions_file(frame, target)  # atomic: a failure keeps the old file
    return frame
