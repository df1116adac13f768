"""Step 4 of deduplication: a person's decisions, and groups by union-find without chaining."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from evidence_kb.citations.dedupe.prepare import _Prepared
from evidence_kb.model.errors import InputError, Problem

# --- step 4: decisions and groups ----------------------------------------------------------


def _read_decisions(
    decisions: pd.DataFrame | str | os.PathLike[str] | None, index: dict[str, int]
) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Return the ``same`` pairs and the ``different`` pairs as record positions (i < j)."""
    if decisions is None:
        return [], set()
    if isinstance(decisions, pd.DataFrame):
        table, source = decisions.astype(str), "decisions"
    elif isinstance(decisions, str | os.PathLike):
        source = str(decisions)
        table = pd.read_csv(Path(decisions), dtype=str, keep_default_na=False)
    else:
        kind = type(decisions).__name__
        msg = f"decisions must be a DataFrame or a path to a CSV file (got {kind})"
        raise TypeError(msg)
    columns = {str(c).strip().lower(): c for c in table.columns}
    missing = [c for c in ("id_a", "id_b", "verdict") if c not in columns]
    if missing:
        msg = f"missing column(s) {', '.join(missing)}; expected id_a, id_b, verdict"
        raise InputError([Problem(source, 1, None, None, msg)])
    problems: list[Problem] = []
    unknown: list[int] = []
    same: list[tuple[int, int]] = []
    different: set[tuple[int, int]] = set()
    rows = zip(*(table[columns[c]].tolist() for c in ("id_a", "id_b", "verdict")), strict=True)
    for line, (id_a, id_b, verdict) in enumerate(rows, start=2):
        id_a, id_b, verdict = id_a.strip(), id_b.strip(), verdict.strip().lower()
        if verdict not in ("same", "different"):
            msg = f"got {verdict!r}, expected one of: same, different"
            problems.append(Problem(source, line, "verdict", verdict, msg))
            continue
        if id_a == id_b:
            problems.append(
                Problem(source, line, "id_b", id_b, "id_a and id_b are the same record")
            )
            continue
        if id_a not in index or id_b not in index:
            unknown.append(line)
            continue
        a, b = sorted((index[id_a], index[id_b]))
        if verdict == "same":
            same.append((a, b))
        else:
            different.add((a, b))
    if problems:
        raise InputError(problems)
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

    def conflict(self, ra: int, rb: int) -> bool:
        """True if merging the two groups would join records known to be different works."""
        if self.kept_apart(ra, rb):
            return True
        if self.dois[ra] and self.dois[rb] and self.dois[ra].isdisjoint(self.dois[rb]):
            return True  # two DOIs: a chain of fuzzy matches must not join two works
        if ra in self.years and rb in self.years:
            (lo_a, hi_a), (lo_b, hi_b) = self.years[ra], self.years[rb]
            return max(hi_a, hi_b) - min(lo_a, lo_b) > 1  # a chain 2001-2002-2003
        return False

    def union(self, ra: int, rb: int) -> None:
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.dois[ra] |= self.dois.pop(rb)
        if rb in self.years:
            lo, hi = self.years.pop(rb)
            old_lo, old_hi = self.years.get(ra, (lo, hi))
            self.years[ra] = (min(lo, old_lo), max(hi, old_hi))
