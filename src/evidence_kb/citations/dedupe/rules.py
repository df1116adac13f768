"""Step 3 of deduplication: compare two prepared records field by field and decide.

Field-aware evidence (agrees, contradicts, unknown) per field, then the named rules of
:data:`RULES`; vetoes (DOI, volume, pages, year, venue kind, numbered titles) come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from evidence_kb.citations.dedupe.prepare import (
    _ORDINAL_CONTEXT,
    _ROMAN_VALUE,
    _VENUE_STOPWORDS,
    _Prepared,
)
from evidence_kb.citations.normalize import (
    venue_kind,
)

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
