"""Find duplicate bibliographic records and explain every decision.

The work runs in four steps, each a private function below:

1. ``_prepare``: every field is normalised once (:mod:`evidence_kb.citations.normalize`).
2. ``_candidate_pairs``: blocking. Each record gets a handful of keys (DOI, title prefix,
   first author + year, rare title words, volume + first page); only records that share a key
   are compared, so the work grows with the number of records, not with its square.
3. ``_compare`` and ``_decide``: field-aware comparison gives evidence per field (agrees,
   contradicts, unknown), and a small set of named rules (:data:`RULES`) turns evidence into
   a verdict. Vetoes come first: a DOI, volume, page range, year, venue kind or numbered title
   that contradicts blocks every rule.
4. ``_group``: accepted pairs become groups by union-find. A merge that would put two
   different DOIs, or years more than one apart, into one group is refused (no chaining), and
   a person's decisions (``same`` / ``different``) override the rules on every run.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from evidence_kb.citations.normalize import (
    is_missing,
    normalize_doi,
    normalize_number,
    normalize_pages,
    normalize_title,
    normalize_venue,
    normalize_year,
    parse_authors,
    strip_doi_version,
    venue_kind,
)
from evidence_kb.model.errors import InputError, Problem

__all__ = ["RULES", "Duplicates", "find_duplicates"]

#: Every rule that can declare two records duplicates, with the reason it is sound for
#: bibliographic records in general. Rules are tried in this order; the first that fires
#: names the pair. None of them fires if a veto applies (see ``_decide``).
RULES: dict[str, str] = {
    "manual": "A person decided that the two records are the same work.",
    "doi_match": (
        "Same DOI and a similar (or missing) title, authors not contradicting. A DOI names one "
        "work; the title check guards against a DOI copied onto the wrong record."
    ),
    "doi_version": (
        "Same DOI apart from a version suffix (.pub2/.pub3, v1/v2), near-identical title and "
        "agreeing authors: versions of a living review or preprint are one work in a search."
    ),
    "title_author_pages": (
        "Similar title, agreeing authors and the same first page (year equal, or one apart "
        "with the same volume): pages pin an article down within its issue."
    ),
    "title_volume_pages": (
        "Similar title, same volume and same first page, year at most one apart: the citation "
        "locator is the same even when author lists are garbled (group authors, swapped names)."
    ),
    "venue_volume_pages_authors": (
        "Same venue, volume, page range and authors: journal + volume + pages identify an "
        "article, so a translated or truncated title does not matter."
    ),
    "title_author_year_venue": (
        "Similar title (or one a prefix of the other, e.g. an appended subtitle or note), "
        "agreeing authors and the same venue, in the same year or, with the same volume, one "
        "year apart (a volume spans a known year; the year field is often an online date)."
    ),
    "title_author_year": (
        "Near-identical title of four or more words, agreeing authors and the same year, with no "
        "venue, volume or page evidence against it (records with sparse metadata). Two named "
        "journals that do not match count against it (an abstract in one journal and the paper "
        "in another); two proceedings do not, as conference names vary too much."
    ),
    "online_first": (
        "Years one apart with near-identical title, the same author list and venue, where one "
        "record has no volume yet: the online-first and the issue version of one article "
        "(their page numbers may differ, since online-first pages run 1-n)."
    ),
}

_RULE_ORDER = {name: rank for rank, name in enumerate(RULES)}

# Canonical field -> accepted column names (compared case-insensitively).
_COLUMN_ALIASES = {
    "title": ("title",),
    "year": ("year", "date"),
    "author": ("author", "authors"),
    "pages": ("pages", "page"),
    "volume": ("volume",),
    "number": ("number", "issue"),
    "journal": ("journal", "container", "container_title", "journal_title"),
    "booktitle": ("booktitle",),
    "doi": ("doi",),
    "abstract": ("abstract",),
    "note": ("note",),
    "url": ("url",),
}

# Titles that name a kind of item rather than one work; they need DOI or volume + pages.
_GENERIC_TITLE = re.compile(
    r"^(editorials?|introduction|preface|foreword|errat(um|a)|corrections?|corrigend(um|a)|"
    r"retraction|replies|reply|response|(authors? )?reply|letters?|comments?|commentary|"
    r"book reviews?|reviews?|news|in memoriam|obituary|abstracts?|index|contents|"
    r"table of contents|front matter|back matter|acknowledge?ments?|announcements?|"
    r"call for papers|reviewers|conference report|meeting report|untitled)$"
    r"|^(introduction to the (minitrack|mini track|special issue|track|symposium|workshop)|"
    r"letter to the editor|erratum|correction to|corrigendum|reply to|response to|comment on|"
    r"editorial|book review|retraction|notice of retraction|expression of concern|"
    r"in memoriam)\b"
)
_BOILERPLATE_WORDS = frozenset({"volume", "vol", "paper", "issue", "number", "no", "article"})
# Roman numerals ii-xx as title words ("phase iii"); "v", "x" and "i" are too often letters.
_ROMAN_VALUE = {
    "ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "xi": 11, "xii": 12,
    "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18, "xix": 19, "xx": 20,
}  # fmt: skip
_ORDINAL_CONTEXT = frozenset({"part", "phase", "type", "stage", "grade", "class", "study"})
_VENUE_STOPWORDS = frozenset({"of", "the", "and", "in", "for", "on", "de", "la", "et", "und"})

_SMALL_BLOCK = 40  # compare all pairs in blocks up to this size
_LARGE_BLOCK = 3000  # bigger blocks are skipped: the key carries too little information
_BLOCK_TITLE_CUTOFF = 80.0  # in blocks between the two sizes, only titles at least this similar


@dataclass(frozen=True)
class Duplicates:
    """The result of :func:`find_duplicates`.

    Attributes
    ----------
    groups : pandas.DataFrame
        One row per input record: ``id``, ``group_id`` (the smallest id of its group, so it
        is stable across runs) and ``group_size``; sorted by ``group_id`` and ``id``.
    pairs : pandas.DataFrame
        One row per pair that joined two records: ``id_a`` < ``id_b``, ``rule`` (a key of
        :data:`RULES`), ``score`` (0-1, mean field similarity), ``agreed`` and ``contradicted``
        (field names joined by ``;``) and ``source`` (``"rule"`` or ``"manual"``).
    """

    groups: pd.DataFrame
    pairs: pd.DataFrame

    @property
    def n_records(self) -> int:
        """Number of input records."""
        return len(self.groups)

    @property
    def n_duplicate_groups(self) -> int:
        """Number of groups with more than one record."""
        return int(self.groups.loc[self.groups["group_size"] > 1, "group_id"].nunique())

    def summary(self) -> str:
        """Return a short text: records, groups, records to remove, pairs per rule.

        Examples
        --------
        >>> recs = pd.DataFrame(
        ...     {
        ...         "ID": ["a", "b"],
        ...         "title": ["A study of x in y", "A study of x in y"],
        ...         "doi": ["10.1000/x", "10.1000/X"],
        ...     }
        ... )
        >>> print(find_duplicates(recs).summary())
        2 records, 1 groups of duplicates, 1 records to remove
        pairs by rule: doi_match 1
        """
        removable = self.n_records - self.groups["group_id"].nunique()
        counts = self.pairs["rule"].value_counts().sort_index()
        by_rule = ", ".join(f"{rule} {n}" for rule, n in counts.items()) or "none"
        return (
            f"{self.n_records} records, {self.n_duplicate_groups} groups of duplicates, "
            f"{removable} records to remove\npairs by rule: {by_rule}"
        )

    def __repr__(self) -> str:
        groups = self.n_duplicate_groups
        return f"<Duplicates: {self.n_records} records, {groups} groups of duplicates>"

    def _repr_html_(self) -> str:
        """Show the summary and the first pairs, with their evidence, in Jupyter."""
        from html import escape

        summary = escape(self.summary()).replace("\n", "<br>")
        pairs = self.pairs.head(50).to_html(index=False, escape=True)
        more = len(self.pairs) - 50
        tail = f"<p>... {more} more pairs in <code>.pairs</code></p>" if more > 0 else ""
        return f"<div><p>{summary}</p>{pairs}{tail}</div>"


# --- step 1: prepare -------------------------------------------------------------------------


def _resolve_columns(records: pd.DataFrame, id_column: str) -> tuple[str, dict[str, str]]:
    by_lower: dict[str, str] = {}
    for column in records.columns:
        by_lower.setdefault(str(column).lower(), column)
    id_actual = id_column if id_column in records.columns else by_lower.get(id_column.lower())
    if id_actual is None:
        msg = (
            f"records have no id column {id_column!r} "
            f"(columns: {', '.join(map(str, records.columns))}); "
            "pass id_column= to name the column that identifies each record"
        )
        raise KeyError(msg)
    found = {}
    for field, aliases in _COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in by_lower and by_lower[alias] != id_actual:
                found[field] = by_lower[alias]
                break
    return id_actual, found


@dataclass
class _Prepared:
    ids: list[str]
    title: list[str]
    authors: list[tuple[tuple[str, str], ...]]
    year: list[int | None]
    doi: list[str]
    doi_base: list[str]
    pages: list[tuple[str, str]]
    volume: list[str]
    number: list[str]
    venue: list[str]
    abstract: list[str]
    generic: list[bool]


def _is_generic(title: str, venue: str) -> bool:
    if not title:
        return False
    words = title.split()
    if len(words) <= 3 or _GENERIC_TITLE.match(title):
        return True
    # "Communications of the AIS Volume 52 Paper 41": the venue's name, not a title
    rest = set(words) - set(venue.split()) - _BOILERPLATE_WORDS - _VENUE_STOPWORDS
    return bool(venue) and all(w.isdigit() for w in rest)


def _prepare(records: pd.DataFrame, id_column: str) -> _Prepared:
    id_actual, cols = _resolve_columns(records, id_column)
    ids = [str(v).strip() if not is_missing(v) else "" for v in records[id_actual].tolist()]
    problems = [
        Problem("records", row + 2, id_actual, None, "the record has no id")
        for row, v in enumerate(ids)
        if not v
    ]
    seen: dict[str, int] = {}
    for row, v in enumerate(ids):
        if v and v in seen:
            msg = f"id {v!r} is used by more than one record (first at line {seen[v] + 2})"
            problems.append(Problem("records", row + 2, id_actual, v, msg))
        seen.setdefault(v, row)
    if problems:
        raise InputError(problems, summary=f"records: {len(problems)} problems with record ids")

    n = len(ids)

    def column(field: str) -> list[object]:
        return records[cols[field]].tolist() if field in cols else [None] * n

    doi = [normalize_doi(v) for v in column("doi")]
    for extra in ("note", "url"):  # a DOI sometimes hides in another field
        if extra in cols:
            doi = [d or normalize_doi(v) for d, v in zip(doi, column(extra), strict=True)]
    journal, booktitle = column("journal"), column("booktitle")
    venue = [
        normalize_venue(j if not is_missing(j) else b)
        for j, b in zip(journal, booktitle, strict=True)
    ]
    title = [normalize_title(v) for v in column("title")]
    return _Prepared(
        ids=ids,
        title=title,
        authors=[tuple(parse_authors(v)[:15]) for v in column("author")],
        year=[normalize_year(v) for v in column("year")],
        doi=doi,
        doi_base=[strip_doi_version(d) for d in doi],
        pages=[normalize_pages(v) for v in column("pages")],
        volume=[normalize_number(v) for v in column("volume")],
        number=[normalize_number(v) for v in column("number")],
        venue=venue,
        abstract=[normalize_title(v)[:500] for v in column("abstract")],
        generic=[_is_generic(t, v) for t, v in zip(title, venue, strict=True)],
    )


# --- step 2: blocking ------------------------------------------------------------------------


def _blocking_keys(prep: _Prepared, i: int) -> list[str]:
    """Return the keys of record ``i``; records sharing any key become candidate pairs."""
    keys = []
    if prep.doi_base[i]:
        keys.append("d:" + prep.doi_base[i])
    title = prep.title[i]
    compact = title.replace(" ", "")
    # a generic title ("Editorial") would make huge blocks and can only match on DOI, pages
    # or authors, which have keys of their own
    if len(compact) >= 12 and not prep.generic[i]:
        keys.append("t:" + compact[:25])  # catches appended subtitles and notes
        keys.append("e:" + compact[-25:])  # catches prefixes such as "re:" or a typo at the start
        words = sorted({w for w in title.split() if len(w) > 3}, key=lambda w: (-len(w), w))[:3]
        if len(words) == 3:
            keys.append("w:" + " ".join(sorted(words)))  # word order or a typo elsewhere
    if prep.authors[i] and prep.year[i]:
        keys.append(f"a:{prep.authors[i][0][0]}:{prep.year[i]}")  # titles that differ more
    first_page = prep.pages[i][0]
    if prep.volume[i] and first_page and first_page != "1":
        keys.append(f"p:{prep.volume[i]}:{first_page}")  # translated titles
    return keys


def _candidate_pairs(prep: _Prepared) -> np.ndarray:
    """Return an (n, 2) int array of record positions ``i < j`` that share a blocking key."""
    keys, positions = [], []
    for i in range(len(prep.ids)):
        for key in _blocking_keys(prep, i):
            keys.append(key)
            positions.append(i)
    blocks = pd.DataFrame({"key": keys, "pos": positions}).drop_duplicates()
    size = blocks.groupby("key")["pos"].transform("size")
    small = blocks[(size >= 2) & (size <= _SMALL_BLOCK)]
    joined = small.merge(small, on="key")
    joined = joined[joined["pos_x"] < joined["pos_y"]]
    found = [joined[["pos_x", "pos_y"]].to_numpy(dtype=np.int64)]
    large = blocks[(size > _SMALL_BLOCK) & (size <= _LARGE_BLOCK)]
    for _, block in large.groupby("key"):
        pos = np.sort(block["pos"].to_numpy())
        titles = [prep.title[p] for p in pos]
        scores = process.cdist(
            titles, titles, scorer=fuzz.ratio, score_cutoff=_BLOCK_TITLE_CUTOFF, workers=1
        )
        a, b = np.nonzero(np.triu(scores, k=1))
        found.append(np.column_stack([pos[a], pos[b]]))
    pairs = np.concatenate(found).astype(np.int64)
    n = max(len(prep.ids), 1)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.column_stack([codes // n, codes % n])


# --- step 3: compare and decide ------------------------------------------------------------


@dataclass(slots=True)
class _Evidence:
    """What the fields of two records say about each other."""

    title: float  # fuzz.ratio of the normalised titles, 0-100 (0 if one is missing)
    title_prefix: bool  # the shorter title (4+ words) starts the longer one
    title_missing: bool
    numbers_conflict: bool  # "part 1" / "part 2", "volume 52 paper 41" / "... paper 45"
    authors: float | None  # share of the shorter author list found in the other
    first_author: bool | None
    same_author_list: bool
    n_authors: int  # length of the shorter author list
    year_diff: int | None
    doi: str  # "same", "version", "differ" or ""
    pages: str  # "agree", "differ" or "" (unknown, or damaged but compatible)
    last_page: bool  # both records give the same last page
    volume: str  # "agree", "differ" or ""
    number: str  # "agree", "differ" or ""; issue numbers are too noisy to veto
    venue: str  # "agree", "differ" (journal/conference/workshop), "conference", "other", ""
    abstract: str  # "agree", "differ" or ""
    generic: bool  # a title such as "Editorial" that does not identify a work
    one_without_volume: bool  # exactly one record lacks a volume: online first?

    @property
    def authors_agree(self) -> bool:
        if self.authors is None:
            return False
        return (bool(self.first_author) and self.authors >= 0.6) or self.authors >= 0.8

    @property
    def authors_contradict(self) -> bool:
        return self.authors is not None and not self.first_author and self.authors < 0.34

    def fields(self) -> tuple[str, str]:
        """Return the ;-joined names of the fields that agreed and that contradicted."""
        verdicts = {
            "title": "agree"
            if self.title >= 90 or self.title_prefix
            else ("differ" if self.title < 60 and not self.title_missing else ""),
            "author": "agree"
            if self.authors_agree
            else ("differ" if self.authors_contradict else ""),
            "year": ""
            if self.year_diff is None
            else ("agree" if self.year_diff == 0 else "differ"),
            "doi": {"same": "agree", "version": "agree", "differ": "differ"}.get(self.doi, ""),
            "pages": self.pages,
            "volume": self.volume,
            "number": self.number,
            "venue": "agree"
            if self.venue == "agree"
            else ("differ" if self.venue == "differ" else ""),
            "abstract": self.abstract,
        }
        agreed = ";".join(f for f, v in verdicts.items() if v == "agree")
        contradicted = ";".join(f for f, v in verdicts.items() if v == "differ")
        return agreed, contradicted

    def score(self) -> float:
        """Mean similarity over the fields that both records have, 0-1."""
        parts = [] if self.title_missing else [self.title / 100]
        if self.authors is not None:
            parts.append(self.authors)
        if self.year_diff is not None:
            parts.append({0: 1.0, 1: 0.5}.get(self.year_diff, 0.0))
        weights = {"agree": 1.0, "same": 1.0, "version": 0.9, "differ": 0.0}
        weights |= {"other": 0.5, "conference": 0.5}
        parts += [weights[v] for v in (self.doi, self.pages, self.volume, self.venue) if v]
        return round(sum(parts) / len(parts), 3) if parts else 0.0


def _title_numbers(title: str) -> frozenset[str]:
    words = title.split()
    found = set()
    for k, word in enumerate(words):
        if word.isdigit():
            found.add(str(int(word)))
        elif word in _ROMAN_VALUE:
            found.add(str(_ROMAN_VALUE[word]))
        elif word == "i" and k and words[k - 1] in _ORDINAL_CONTEXT:
            found.add("1")
    return frozenset(found)


@lru_cache(maxsize=200_000)
def _family_match(a: str, b: str) -> bool:
    """Same family name, allowing truncation, lost accents and small typos."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    return shortest >= 4 and fuzz.ratio(a, b) >= 80


def _share(x: tuple[str, ...], y: tuple[str, ...]) -> float:
    ys = set(y)
    hits = sum(1 for f in x if f in ys or any(_family_match(f, g) for g in y))
    return hits / len(x)


def _author_evidence(
    a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]
) -> tuple[float | None, bool | None, bool]:
    if not a or not b:
        return None, None, False
    fa, fb = tuple(f for f, _ in a), tuple(f for f, _ in b)
    if len(fa) != len(fb):  # a shorter list is often cut ("et al.", first three authors)
        score = _share(fa, fb) if len(fa) < len(fb) else _share(fb, fa)
    else:
        score = min(_share(fa, fb), _share(fb, fa))
    return score, _family_match(fa[0], fb[0]), len(fa) == len(fb) and score == 1.0


def _abbreviates_word(short: str, word: str) -> bool:
    """True if ``short`` abbreviates ``word``: a prefix ("gynecol"), or the first letter
    and then letters in order ("dtsch" for "deutsche")."""
    if word.startswith(short):
        return True
    if short[0] != word[0] or len(short) < 3:
        return False
    rest = iter(word[1:])
    return all(ch in rest for ch in short[1:])


def _abbreviates(short: str, long: str) -> bool:
    """True if the words of ``short`` abbreviate words of ``long`` in order ("j gynecol oncol")."""
    s = [w for w in short.split() if w not in _VENUE_STOPWORDS]
    words = [w for w in long.split() if w not in _VENUE_STOPWORDS]
    if not s:
        return False
    if len(s) == 1:
        if len(s[0]) > 2 and s[0] == "".join(w[0] for w in words):
            return True  # an initialism such as "pnas" or "bmj"
        if len(s[0]) > 3 and s[0] in long.replace(" ", ""):
            return True  # "aizheng" in "ai zheng aizheng chinese journal of cancer"
    k = 0
    for word in s:
        while k < len(words) and not _abbreviates_word(word, words[k]):
            k += 1
        if k == len(words):
            return False
        k += 1
    return True


@lru_cache(maxsize=100_000)
def _venue_evidence(a: str, b: str) -> str:
    if not a or not b:
        return ""
    if a == b or _abbreviates(a, b) or _abbreviates(b, a):
        return "agree"
    kind_a, kind_b = venue_kind(a), venue_kind(b)
    if kind_a and kind_b and kind_a != kind_b:
        return "differ"
    # proceedings are named in too many ways ("AMCIS 2017 Proceedings") to tell them apart
    return "conference" if kind_a == kind_b == "conference" else "other"


_ARTICLE_NUMBER = re.compile(r"[a-z]+\d{3,}$")


def _pages_evidence(a: tuple[str, str], b: tuple[str, str]) -> str:
    (first_a, last_a), (first_b, last_b) = a, b
    if not first_a or not first_b:
        return ""
    if first_a == first_b:
        return "agree"
    if first_a.isdigit() and first_b.isdigit():
        lo_a, lo_b = int(first_a), int(first_b)
        hi_a = int(last_a) if last_a.isdigit() else lo_a
        hi_b = int(last_b) if last_b.isdigit() else lo_b
        if lo_a <= hi_b and lo_b <= hi_a:
            return ""  # overlapping ranges: one field lists several ranges
    for x in (first_a, last_a):
        for y in (first_b, last_b):
            if x and y and (x.endswith(y) or y.endswith(x)):
                return ""  # a damaged range ("Suppl-29" for "S417-S429")
    for number, other in ((first_a, first_b), (first_b, first_a)):
        if not number.startswith("s") and _ARTICLE_NUMBER.match(number) and other.isdigit():
            return ""  # an electronic article number ("e1234", BMJ's "a1754") beside print pages
    return "differ"


def _title_prefix(a: str, b: str) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 20 or short.count(" ") < 3:
        return False
    return long.startswith(short) or fuzz.ratio(short, long[: len(short)]) >= 95


def _compare(prep: _Prepared, i: int, j: int, title_score: float) -> _Evidence:
    ta, tb = prep.title[i], prep.title[j]
    numbers_a, numbers_b = _title_numbers(ta), _title_numbers(tb)
    authors, first, same_list = _author_evidence(prep.authors[i], prep.authors[j])
    ya, yb = prep.year[i], prep.year[j]
    da, db = prep.doi[i], prep.doi[j]
    doi = ""
    if da and db:
        doi = (
            "same"
            if da == db
            else ("version" if prep.doi_base[i] == prep.doi_base[j] else "differ")
        )
    va, vb = prep.volume[i], prep.volume[j]
    volume = ""
    if va.isdigit() and vb.isdigit():
        volume = "agree" if va == vb else "differ"
    na, nb = prep.number[i], prep.number[j]
    # online-first versions carry provisional pages 1-n and no volume yet
    ahead_of_print = (not va and prep.pages[i][0] == "1") or (not vb and prep.pages[j][0] == "1")
    aa, ab = prep.abstract[i], prep.abstract[j]
    abstract = ""
    if aa and ab:
        similarity = fuzz.ratio(aa, ab)
        abstract = "agree" if similarity >= 90 else ("differ" if similarity < 50 else "")
    venue_a, venue_b = sorted((prep.venue[i], prep.venue[j]))
    return _Evidence(
        title=title_score if ta and tb else 0.0,
        title_prefix=bool(ta and tb) and _title_prefix(ta, tb),
        title_missing=not ta or not tb,
        numbers_conflict=bool(numbers_a and numbers_b)
        and not (numbers_a <= numbers_b or numbers_b <= numbers_a),
        authors=authors,
        first_author=first,
        same_author_list=same_list,
        n_authors=min(len(prep.authors[i]), len(prep.authors[j])),
        year_diff=abs(ya - yb) if ya is not None and yb is not None else None,
        doi=doi,
        pages=_pages_evidence(prep.pages[i], prep.pages[j]) if not ahead_of_print else "",
        last_page=bool(prep.pages[i][1]) and prep.pages[i][1] == prep.pages[j][1],
        volume=volume,
        number=("agree" if na == nb else "differ") if na and nb else "",
        venue=_venue_evidence(venue_a, venue_b),
        abstract=abstract,
        generic=prep.generic[i] or prep.generic[j],
        one_without_volume=bool(va) != bool(vb),
    )


def _decide(e: _Evidence) -> str | None:
    """Return the name of the first rule in :data:`RULES` that accepts the pair, or None."""
    # Vetoes: evidence that two records are different works, whatever else agrees.
    if e.doi == "differ" or e.numbers_conflict or e.venue == "differ" or e.volume == "differ":
        return None
    if e.year_diff is not None and e.year_diff > 1:
        return None
    title_similar = e.title >= 90 or e.title_prefix
    title_near = e.title >= 97
    if e.doi == "same":
        ok = (title_similar or e.title_missing) and not e.authors_contradict
        return "doi_match" if ok else None
    if e.doi == "version":
        return "doi_version" if e.title >= 95 and e.authors_agree else None
    online_first = (
        e.year_diff == 1
        and e.one_without_volume
        and title_near
        and e.same_author_list
        and e.venue == "agree"
    )
    if e.pages == "differ":
        # Differing pages veto a match; the one exception is an online-first record (no volume
        # yet, pages 1-n) against its issue version, which is recognised by everything else.
        return "online_first" if online_first else None
    year_same = e.year_diff == 0
    year_near = e.year_diff is None or e.year_diff <= 1
    pages, volume = e.pages == "agree", e.volume == "agree"
    if title_similar and e.authors_agree and pages and (year_same or (year_near and volume)):
        return "title_author_pages"
    if title_similar and volume and pages and year_near:
        return "title_volume_pages"
    if (
        e.venue == "agree"
        and volume
        and pages
        and e.last_page
        and e.authors_agree
        and e.first_author
        and year_near
    ):
        return "venue_volume_pages_authors"
    if e.generic:
        return None
    if (
        title_similar
        and e.authors_agree
        and e.venue == "agree"
        and (year_same or (year_near and volume))
    ):
        return "title_author_year_venue"
    if title_near and e.authors_agree and year_same and e.venue in ("", "agree", "conference"):
        return "title_author_year"
    return "online_first" if online_first else None


def _could_match(prep: _Prepared, i: int, j: int, title_score: float) -> bool:
    """Cheap filter: can any rule accept this candidate pair at all?"""
    if title_score >= 90:
        return True
    if prep.doi_base[i] and prep.doi_base[i] == prep.doi_base[j]:
        return True
    first_page = prep.pages[i][0]
    if first_page and first_page == prep.pages[j][0] and prep.volume[i] == prep.volume[j]:
        return True
    return _title_prefix(prep.title[i], prep.title[j])


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


def _pair_row(
    prep: _Prepared, i: int, j: int, rule: str, e: _Evidence, source: str
) -> dict[str, object]:
    agreed, contradicted = e.fields()
    id_a, id_b = sorted((prep.ids[i], prep.ids[j]))
    return {
        "id_a": id_a,
        "id_b": id_b,
        "rule": rule,
        "score": e.score(),
        "agreed": agreed,
        "contradicted": contradicted,
        "source": source,
    }


def _evidence_for(prep: _Prepared, i: int, j: int) -> _Evidence:
    if prep.ids[j] < prep.ids[i]:  # compare in id order so that row order cannot matter
        i, j = j, i
    return _compare(prep, i, j, fuzz.ratio(prep.title[i], prep.title[j]))


def find_duplicates(
    records: pd.DataFrame,
    *,
    id_column: str = "ID",
    decisions: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> Duplicates:
    """Find records that describe the same work and group them.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per record. Known columns, matched case-insensitively: ``title``,
        ``author`` (or ``authors``), ``year``, ``journal`` (or ``container``), ``booktitle``,
        ``volume``, ``number`` (or ``issue``), ``pages``, ``doi`` and ``abstract``; ``note``
        and ``url`` are searched for a DOI when ``doi`` is empty. Other columns, such as
        ``ENTRYTYPE``, are ignored (exports set entry types too inconsistently to use them);
        any known column may be missing.
    id_column : str, default "ID"
        The column with a unique id per record (matched case-insensitively).
    decisions : DataFrame, path to a CSV file, or None
        A person's verdicts with columns ``id_a``, ``id_b``, ``verdict`` (``same`` or
        ``different``). They override the rules: ``same`` pairs are always in one group,
        ``different`` pairs never. Decisions about ids not in ``records`` are ignored with a
        warning, so one file can serve a growing set of records.

    Returns
    -------
    Duplicates
        ``.groups`` (one row per record) and ``.pairs`` (why records were joined).

    Raises
    ------
    KeyError
        If ``records`` has no ``id_column``.
    InputError
        If ids are missing or repeated, or decisions are malformed or contradict each other.

    Examples
    --------
    >>> recs = pd.DataFrame(
    ...     {
    ...         "ID": ["a", "b", "c"],
    ...         "title": [
    ...             "Trust in sharing platforms",
    ...             "Trust in Sharing Platforms.",
    ...             "Another work",
    ...         ],
    ...         "author": ["Smith, J. and Jones, K.", "J. Smith; K. Jones", "Smith, J."],
    ...         "year": [2020, 2020, 2020],
    ...         "journal": ["J Inf Syst", "Journal of Information Systems", ""],
    ...         "volume": ["12", "12", ""],
    ...         "pages": ["73-76", "73-6", ""],
    ...     }
    ... )
    >>> dupes = find_duplicates(recs)
    >>> dupes
    <Duplicates: 3 records, 1 groups of duplicates>
    >>> dupes.groups.to_dict("list")
    {'id': ['a', 'b', 'c'], 'group_id': ['a', 'a', 'c'], 'group_size': [2, 2, 1]}
    >>> dupes.pairs.loc[0, ["rule", "agreed"]].tolist()
    ['title_author_pages', 'title;author;year;pages;volume;venue']
    """
    if not isinstance(records, pd.DataFrame):
        msg = f"records must be a pandas DataFrame (got {type(records).__name__})"
        raise TypeError(msg)
    prep = _prepare(records, id_column)
    index = {record_id: pos for pos, record_id in enumerate(prep.ids)}
    same, different = _read_decisions(decisions, index)

    candidates = _candidate_pairs(prep)
    if len(candidates):
        scores = process.cpdist(
            [prep.title[i] for i in candidates[:, 0]],
            [prep.title[j] for j in candidates[:, 1]],
            scorer=fuzz.ratio,
            workers=1,
        )
    else:
        scores = np.empty(0)
    accepted: list[tuple[int, int, str, _Evidence]] = []
    for (i, j), title_score in zip(candidates.tolist(), scores.tolist(), strict=True):
        if (i, j) in different or not _could_match(prep, i, j, title_score):
            continue
        e = _evidence_for(prep, i, j)
        rule = _decide(e)
        if rule is not None:
            accepted.append((i, j, rule, e))

    groups, rows = _group(prep, accepted, same, different)
    return Duplicates(groups=_groups_frame(prep, groups), pairs=_pairs_frame(rows))


def _group(
    prep: _Prepared,
    accepted: list[tuple[int, int, str, _Evidence]],
    same: list[tuple[int, int]],
    different: set[tuple[int, int]],
) -> tuple[_UnionFind, list[dict[str, object]]]:
    """Join records into groups: a person's 'same' first, then rule pairs, strongest first."""
    groups = _UnionFind(prep, different)
    rows = []
    for i, j in sorted(set(same)):
        ra, rb = groups.find(i), groups.find(j)
        if ra != rb:
            if groups.kept_apart(ra, rb):
                msg = (
                    f"decisions contradict each other: 'same' decisions join {prep.ids[i]!r} "
                    f"and {prep.ids[j]!r} into one group that holds a 'different' pair"
                )
                raise InputError([Problem("decisions", None, None, None, msg)])
            groups.union(ra, rb)
        rows.append(_pair_row(prep, i, j, "manual", _evidence_for(prep, i, j), "manual"))
    manual = {(r["id_a"], r["id_b"]) for r in rows}
    # the order (rule, score, ids) does not depend on the order of the input rows
    accepted = sorted(
        accepted,
        key=lambda t: (_RULE_ORDER[t[2]], -t[3].score(), *sorted((prep.ids[t[0]], prep.ids[t[1]]))),
    )
    for i, j, rule, e in accepted:
        ra, rb = groups.find(i), groups.find(j)
        if ra != rb:
            if groups.conflict(ra, rb):
                continue
            groups.union(ra, rb)
        row = _pair_row(prep, i, j, rule, e, "rule")
        if (row["id_a"], row["id_b"]) not in manual:
            rows.append(row)
    return groups, rows


def _groups_frame(prep: _Prepared, groups: _UnionFind) -> pd.DataFrame:
    roots = [groups.find(i) for i in range(len(prep.ids))]
    smallest: dict[int, str] = {}
    for root, record_id in zip(roots, prep.ids, strict=True):
        if root not in smallest or record_id < smallest[root]:
            smallest[root] = record_id
    frame = pd.DataFrame({"id": prep.ids, "group_id": [smallest[r] for r in roots]})
    frame["group_size"] = frame.groupby("group_id")["id"].transform("size").astype("int64")
    return frame.sort_values(["group_id", "id"], ignore_index=True)


def _pairs_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    columns = ["id_a", "id_b", "rule", "score", "agreed", "contradicted", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["score"] = frame["score"].astype("float64")
    return frame.sort_values(["id_a", "id_b"], ignore_index=True)
