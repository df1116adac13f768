"""Resolve in-text citations to the references of a bibliography, explaining every decision.

A citation is matched on its first author's family name (fuzzy, with rapidfuzz, accents and
hyphenated double names understood), the other named authors, the year (one year off is allowed,
with a note: online-first versus issue year) and the year suffix (2023a is not 2023b). Superscript
numbers are looked up in the numbered literature list of the review they come from: the
bibliography records number ``n`` of review ``R`` as the alias ``R-n`` of the work it names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from evidence_kb.citations.parse import (
    Citation,
    parse_citations,
    part_citations,
    reads_as_parts,
)
from evidence_kb.io.reflist import ascii_fold
from evidence_kb.model.records import Reference
from evidence_kb.model.vocab import RESOLUTION_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

THRESHOLD = 0.8  # a match needs at least this score (0..1)
NAME_CUTOFF = 80  # rapidfuzz ratio for two family names to count as the same name


@dataclass(frozen=True)
class Resolution:
    """The outcome for one citation: the key (or None), a score and the reasons."""

    citation: Citation
    key: str | None
    score: float
    status: str  # resolved, corrected, ambiguous, unresolved
    notes: tuple[str, ...] = ()


def family_name(author: str) -> str:
    """Return the family name of ``"Family, I."`` or ``"I. Family"`` as printed.

    Examples
    --------
    >>> family_name("Dorp, M. van")
    'Dorp'
    >>> family_name("Lappalainen")
    'Lappalainen'
    """
    author = author.strip()
    if "," in author:
        return author.split(",")[0].strip()
    return author


def _fold(name: str) -> str:
    return ascii_fold(name)


_PARTICLES = {"van", "der", "den", "de", "het", "ter", "ten", "von", "la", "le", "du", "da"}


@lru_cache(maxsize=65536)
def _name_keys(name: str) -> frozenset[str]:
    """The folded forms a family name is found under: whole, without particles, each part."""
    parts = [_fold(p) for p in name.replace("-", " ").split()]
    core = [p for p in parts if p and p not in _PARTICLES]
    keys = {_fold(name), "".join(core), *core}
    return frozenset(k for k in keys if k)


def name_similarity(cited: str, printed: str) -> float:
    """Return 0..100: how well a cited family name matches a reference's family name.

    A hyphenated double name matches either part ("Dunn-Butterfoss" cites Butterfoss), and a
    Dutch particle may be missing on one side ("Van Es" and "Es").

    Examples
    --------
    >>> name_similarity("Dunn-Butterfoss", "Butterfoss")
    100.0
    >>> round(name_similarity("Lappalaine", "Lappalainen"))
    95
    >>> name_similarity("Van der Veen", "Veen")
    100.0
    """
    a, b = _fold(cited), _fold(printed)
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    parts_a = {_fold(p) for p in cited.replace("-", " ").split()} - {""}
    parts_b = {_fold(p) for p in printed.replace("-", " ").split()} - {""}
    core_a, core_b = parts_a - _PARTICLES, parts_b - _PARTICLES
    if core_a and core_b and (core_a <= core_b or core_b <= core_a):
        return 100.0
    return float(fuzz.ratio(a, b))


class CitationIndex:
    """An index of references for fast citation look-up (by year, then by name).

    Parameters
    ----------
    references
        The bibliography. Aliases (``ids``) are looked up too, e.g. ``pps-2023-8`` for
        number 8 of the PPS review's numbered literature list.
    """

    def __init__(self, references: Iterable[Reference]) -> None:
        self.references = {r.key: r for r in references}
        self.alias = {alias: r.key for r in self.references.values() for alias in r.ids}
        # family names of the authors; "others" (names print left out) is no name
        self._families = {
            key: tuple(family_name(a) for a in ref.authors if a != "others")
            for key, ref in self.references.items()
        }
        # year -> folded first-author family name (and each part of a double name) -> references
        self.by_year: dict[int | None, dict[str, list[Reference]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for ref in self.references.values():
            families = self._families[ref.key]
            if not families:
                continue
            for name in _name_keys(families[0]):
                self.by_year[ref.year][name].append(ref)
        self._names_of_year = {year: list(names) for year, names in self.by_year.items()}
        self._cache: dict[tuple[Citation, str | None], Resolution] = {}
        # part of a cell -> its resolutions, whether it reads as a first part, as a later one
        self._parts: dict[str, tuple[tuple[Resolution, ...], bool, bool]] = {}

    def canonical(self, key: str) -> str | None:
        """Return the main key for a key or alias, or None."""
        if key in self.references:
            return key
        return self.alias.get(key)

    def resolve_citation(self, citation: Citation, *, review: str | None = None) -> Resolution:
        """Resolve one parsed citation."""
        if citation.number is not None:
            if review is None:
                note = "a superscript number needs the review whose numbered list it points into"
                return Resolution(citation, None, 0.0, "unresolved", (note,))
            key = self.alias.get(f"{review}-{citation.number}")
            if key is None:
                note = f"number {citation.number} is not in the numbered list of {review}"
                return Resolution(citation, None, 0.0, "unresolved", (note,))
            return Resolution(citation, key, 1.0, "resolved")
        if not citation.authors:
            return Resolution(citation, None, 0.0, "unresolved", ("no author in the citation",))
        if citation.year is None and not citation.undated:
            return self._no_year(citation)

        scored = [c for ref in self._pool(citation) if (c := self._score(citation, ref))]
        scored.sort(key=lambda c: (-c[0], c[1]))
        candidates = [c for c in scored if c[0] >= THRESHOLD]
        if not candidates:
            year = citation.year if citation.year is not None else "n.d."
            note = f"no reference by {citation.authors[0]} ({year}) in the bibliography"
            if citation.undated:
                note = f"no undated reference by {citation.authors[0]} in the bibliography"
                works = self._works_by(citation)
                if works:
                    note += f"; dated works by {citation.authors[0]}: {works}"
                return Resolution(citation, None, 0.0, "unresolved", (note,))
            if scored:
                near_score, near_key, near_notes = scored[0]
                why = "; ".join(near_notes) or "too different"
                note += f"; closest is {near_key} (score {near_score:.2f}: {why})"
            return Resolution(citation, None, 0.0, "unresolved", (note,))
        best_score, best_key, notes = candidates[0]
        rivals = [c for c in candidates[1:] if best_score - c[0] < 0.05]
        if rivals:
            keys = ", ".join([best_key, *(c[1] for c in rivals)])
            note = f"ambiguous between {keys}"
            return Resolution(citation, None, best_score, "ambiguous", (note, *notes))
        status = "corrected" if notes else "resolved"
        return Resolution(citation, best_key, round(best_score, 3), status, tuple(notes))

    def _no_year(self, citation: Citation) -> Resolution:
        """A citation printed without a year is unresolved: any year's work could be meant."""
        note = (
            f"the citation has no year: expected '{citation.authors[0]}, 2021' "
            f"or '{citation.authors[0]}, n.d.'"
        )
        works = self._works_by(citation)
        if works:
            note += f"; works by {citation.authors[0]}: {works}"
        return Resolution(citation, None, 0.0, "unresolved", (note,))

    def _works_by(self, citation: Citation, limit: int = 5) -> str:
        """``"tee2021 (2021), tee2022 (2022)"``: the works of any year by the first author."""
        first = citation.authors[0]
        refs = [
            ref
            for ref in self._pool(citation, years=list(self.by_year))
            if name_similarity(first, self._families[ref.key][0]) >= NAME_CUTOFF
        ]
        refs.sort(key=lambda r: (r.year is None, r.year or 0, r.key))
        shown = [f"{r.key} ({r.year if r.year is not None else 'n.d.'})" for r in refs[:limit]]
        more = f" and {len(refs) - limit} more" if len(refs) > limit else ""
        return ", ".join(shown) + more

    def _pool(self, citation: Citation, years: list[int | None] | None = None) -> list[Reference]:
        """References whose year is within one of the citation's and whose name is close.

        An undated citation ("n.d.") is looked up among the undated references only.
        """
        if years is None:
            years = (
                [None]
                if citation.year is None
                else [citation.year, citation.year - 1, citation.year + 1]
            )
        wanted = _name_keys(citation.authors[0])
        buckets = [self.by_year[year] for year in years if year in self.by_year]
        pool = {ref.key: ref for names in buckets for name in wanted for ref in names.get(name, ())}
        if pool:  # the name as printed: a misspelt look-alike could only score lower
            return list(pool.values())
        for year in years:
            choices = self._names_of_year.get(year)
            if not choices:
                continue
            names = self.by_year[year]
            for name in wanted:
                for match, _, _ in process.extract(
                    name, choices, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=None
                ):
                    for ref in names[match]:
                        pool[ref.key] = ref
        return list(pool.values())

    def _score(self, citation: Citation, ref: Reference) -> tuple[float, str, list[str]] | None:
        families = self._families[ref.key]
        if not families:
            return None
        notes: list[str] = []
        first = name_similarity(citation.authors[0], families[0])
        if first < NAME_CUTOFF:
            return None
        if first < 100:
            notes.append(f"author printed {citation.authors[0]!r}, reference has {families[0]!r}")

        others = citation.authors[1:]
        coauthors = 1.0
        if others:
            found = 0
            for name in others:
                best = max((name_similarity(name, f) for f in families[1:]), default=0.0)
                if best >= NAME_CUTOFF:
                    found += 1
                    if best < 100:
                        match = max(families[1:], key=lambda f: name_similarity(name, f))
                        notes.append(f"author printed {name!r}, reference has {match!r}")
            coauthors = found / len(others)
        elif not citation.et_al and len(families) > 2:
            coauthors = (
                0.8  # "Kearney, 2012" for a work with three or more authors: APA says et al.
            )
        if citation.et_al and len(families) < 3 and "others" not in ref.authors:
            notes.append(f"cited with 'et al.' but the reference has {len(families)} author(s)")
            suffix_confirms = bool(citation.year_suffix) and citation.year_suffix == ref.year_suffix
            if len(families) == 1 and not suffix_confirms:
                coauthors = 0.0  # "Wenger et al., 2011" is not Wenger's single-author 2011 work

        if ref.year == citation.year:
            year_score = 1.0
        else:
            year_score = 0.5
            notes.append(f"year printed {citation.year}, reference has {ref.year}")
        if citation.year_suffix and ref.year_suffix and citation.year_suffix != ref.year_suffix:
            return None

        score = 0.5 * first / 100 + 0.25 * coauthors + 0.25 * year_score
        return score, ref.key, notes

    def resolve(self, text: str, *, review: str | None = None) -> list[Resolution]:
        """Parse ``text`` and resolve each citation in it."""
        # the common cell reads part by part ("A, 2019; B et al., 2020"), and its parts recur
        # in other cells: resolve each part once (parse_citations would read the cell whole)
        out: list[Resolution] = []
        parts = self._parts
        for index, part in enumerate(" ".join(str(text).split()).split(";")):
            # (keyed by the part as split: the spaces around it change nothing)
            entry = parts.get(part)
            if entry is None:
                found, dated, named = part_citations(part.strip(" "))
                if any(c.number is not None for c in found):  # numbers depend on the review
                    dated = False  # (a part with a year has none: this only keeps it general)
                entry = parts[part] = (
                    tuple(self._resolve_all(found, None)),
                    reads_as_parts(0, dated, named),
                    reads_as_parts(1, dated, named),
                )
            if not entry[2 if index else 1]:
                return self._resolve_all(parse_citations(text), review)
            out += entry[0]
        return out

    def _resolve_all(self, citations: Iterable[Citation], review: str | None) -> list[Resolution]:
        """The resolution of each of ``citations`` (each distinct citation resolved once)."""
        out = []
        cache = self._cache
        for citation in citations:
            # only numbers depend on the review; an author-year citation resolves the same anywhere
            key = (citation, review if citation.number is not None else None)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self.resolve_citation(citation, review=review)
            out.append(found)
        return out


def resolutions_frame(resolutions: list[Resolution]) -> pd.DataFrame:
    """Return resolutions as a DataFrame with the columns of :data:`RESOLUTION_COLUMNS`."""
    import numpy as np
    import pandas as pd

    # the resolver hands out one object per distinct resolution: make its row once, a frame of
    # the distinct rows, and take each resolution's row from it (in C, not per cell in Python)
    position: dict[int, int] = {}  # the list keeps every object alive: an id is not reused
    rows: list[tuple[object, ...]] = []
    for r in resolutions:
        if id(r) not in position:
            position[id(r)] = len(rows)
            c = r.citation
            authors, notes = "; ".join(c.authors), "; ".join(r.notes)
            rows.append((c.text, authors, c.year, c.number, r.key, r.score, r.status, notes))
    # built by column (faster than one dict per row); no rows: object columns, as from no dicts
    columns = dict(zip(RESOLUTION_COLUMNS, map(list, zip(*rows, strict=True)), strict=False))
    frame = pd.DataFrame(columns if resolutions else [], columns=RESOLUTION_COLUMNS)
    if len(rows) < len(resolutions):
        taken = np.fromiter(
            map(position.__getitem__, map(id, resolutions)), dtype=np.intp, count=len(resolutions)
        )
        frame = frame.take(taken).reset_index(drop=True)
    for col in ("year", "number"):
        frame[col] = frame[col].astype("Int64")
    return frame
