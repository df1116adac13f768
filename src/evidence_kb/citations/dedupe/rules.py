"""Step 3 of deduplication: compare two prepared records field by field, score and decide.

Every field of a pair gets an agreement level (:data:`LEVELS`: ``exact``, ``high``, ...,
``differ``, ``missing``). Each level carries a weight in bits, ``log2(m / u)``, where ``m`` is
how often the level occurs between two records of one work and ``u`` how often between two
different works that blocking put side by side (Fellegi and Sunter, 1969). The weights are a
small data table, ``weights.json`` beside this module, fitted on labelled search exports by
``benchmarks/dedup_weights.py``. A pair's score is the sum of its fields' weights; pairs at or
above the threshold are duplicates, pairs in the band below it are listed for review.

Hard constraints (:data:`VETOES`) come first: evidence that two records are different works,
whatever the score says.
"""

from __future__ import annotations

import json
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
from evidence_kb.citations.normalize import venue_kind
from evidence_kb.io.resources import read_package_text

#: How a pair can be decided, with what the name means in ``Duplicates.pairs["rule"]``.
RULES: dict[str, str] = {
    "manual": "A person decided that the two records are the same work.",
    "score": (
        "The sum of the field weights (bits of evidence, see weights.json) reached the "
        "threshold, and no veto applies."
    ),
    "notice": (
        "related='merge': a notice (erratum, retraction, reply, comment, ...) joined to the "
        "group of the work it concerns; 'agreed' holds the evidence of the link."
    ),
}

#: Hard constraints: each one keeps a pair apart whatever its score, with the reason.
VETOES: dict[str, str] = {
    "doi": "Both records have a DOI and the DOIs differ (apart from a version suffix).",
    "doi_title": (
        "Same DOI but clearly different titles: a DOI copied onto the wrong record (or a DOI "
        "shared by a whole issue) does not make two papers one."
    ),
    "notice": (
        "One record is a notice (erratum, retraction, expression of concern, reply or comment: "
        "'Corrigendum: ...', '(vol 360, pg 542, 2009)', 'Reactie op ...') and the other is "
        "not, or is a notice of another kind; the same for a preprint or a trial registry "
        "record against the publication: each is a record of its own, linked to the work it "
        "concerns in Duplicates.related."
    ),
    "title_author": (
        "Both the titles and the author lists disagree: two works, whatever the journal, "
        "volume and pages say (a typo in a locator, or two papers on one page)."
    ),
    "numbered_title": (
        "The titles carry different numbers: 'part 1' / 'part 2', 'phase II' / 'III'."
    ),
    "venue_kind": (
        "One record is in a journal, the other in a conference or workshop (and no shared DOI): "
        "a conference paper and its journal version are two works."
    ),
    "volume": "Both records give a volume and the volumes differ (and no shared DOI).",
    "issue": (
        "The issue numbers (both 1-99) differ while the title is generic ('Editor's "
        "comments'), a record has no pages, or the titles differ: recurring columns of one "
        "volume, or two papers with the same pages in two issues, are told apart by their issue."
    ),
    "pages": (
        "The page ranges contradict each other (and no shared DOI), except for an online-first "
        "record without volume against its issue version, and except when every other field "
        "places both in one issue (the same title, author list, year, journal, volume and "
        "issue): one abstract printed twice in a supplement, or a page typo; the pages' weight "
        "then counts in the score."
    ),
    "generic_title": (
        "A generic title ('Editorial', 'Reply') and nothing that locates the item: neither DOI "
        "nor volume with pages agree."
    ),
}

#: The agreement levels of each field, strongest agreement first.
LEVELS: dict[str, tuple[str, ...]] = {
    "title": ("exact", "high", "mid", "low", "differ", "generic", "missing"),
    "author": ("all", "subset", "most", "some", "none", "missing"),
    "year": ("same", "one", "online", "two", "more", "missing"),
    "doi": ("same", "version", "differ", "missing"),
    "pages": ("range", "first", "compatible", "differ", "missing"),
    "volume": ("same", "differ", "missing"),
    "number": ("same", "differ", "missing"),
    "venue": ("same", "other", "conference", "kind", "missing"),
}


@dataclass(frozen=True)
class _Weights:
    weight: dict[str, dict[str, float]]  # field -> level -> bits
    threshold: float  # bits; a pair at or above it is a duplicate
    band: float  # bits below the threshold that are listed for review


@lru_cache(maxsize=1)
def _weights() -> _Weights:
    """The weight table shipped with the package (``weights.json``)."""
    text = read_package_text("evidence_kb.citations.dedupe", "weights.json")
    return _weights_from(json.loads(text))


def _weights_from(table: dict) -> _Weights:
    weight = {
        field: {level: float(entry["bits"]) for level, entry in spec["levels"].items()}
        for field, spec in table["fields"].items()
    }
    for field, levels in LEVELS.items():
        missing = set(levels) - set(weight.get(field, {}))
        if missing:
            msg = f"weights.json: field {field!r} has no weight for level(s) {sorted(missing)}"
            raise ValueError(msg)
    return _Weights(weight, float(table["threshold_bits"]), float(table["review_band_bits"]))


# --- step 3: compare and decide ------------------------------------------------------------


@dataclass(slots=True)
class _Evidence:
    """What the fields of two records say about each other."""

    levels: dict[str, str]  # field -> agreement level (see LEVELS)
    title: float  # similarity of the titles, 0-100 (0 if one is missing)
    veto: str  # the name of the veto that applies, or ""
    abstract: str  # "agree", "differ" or "" (shown, not scored)
    bits: float = 0.0  # the score: sum of the weights

    def fields(self) -> tuple[str, str]:
        """Return the ;-joined names of the fields that agreed and that contradicted."""
        agree = {"exact", "high", "all", "most", "same", "range", "first", "version"}
        differ = {"differ", "none", "more", "two", "kind"}
        verdicts = dict(self.levels)
        verdicts["abstract"] = {"agree": "same", "differ": "differ"}.get(self.abstract, "")
        agreed = ";".join(f for f, v in verdicts.items() if v in agree)
        contradicted = ";".join(f for f, v in verdicts.items() if v in differ)
        return agreed, contradicted

    def score(self) -> float:
        """The score in bits, rounded to two decimals."""
        return round(self.bits, 2)


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


def _token_share(x: frozenset[str], y: frozenset[str]) -> float:
    """Share of the name words of the shorter field found (allowing typos) in the other."""
    small, big = (x, y) if len(x) <= len(y) else (y, x)
    hits = len(small & big)
    if hits < len(small):
        rest = big - small
        hits += sum(1 for a in small - big if any(_family_match(a, b) for b in rest))
    return hits / len(small)


def _authors_level(prep: _Prepared, i: int, j: int) -> str:
    """Agreement of two author fields, robust to the ways one list is written.

    Two views are taken and the better one counts: the parsed family names (in order, the
    shorter list against the longer one, since lists are often cut) and the bare name words
    of the whole field, in any order (for swapped given and family names, names without
    separators, full names against initials).
    """
    a, b = prep.authors[i], prep.authors[j]
    ta, tb = prep.author_tokens[i], prep.author_tokens[j]
    if not (a or ta) or not (b or tb):
        return "missing"
    share, first, same_length = 0.0, False, len(a) == len(b)
    if a and b:
        fa, fb = tuple(f for f, _ in a), tuple(f for f, _ in b)
        if len(fa) != len(fb):
            share = _share(fa, fb) if len(fa) < len(fb) else _share(fb, fa)
        else:
            share = min(_share(fa, fb), _share(fb, fa))
        first = _family_match(fa[0], fb[0])
    if ta and tb:
        words = _token_share(ta, tb)
        if words > share:
            share = words
            same_length = same_length or len(ta) == len(tb)
            # the first author's family name is among the other field's name words
            first = first or any(f in tb for f, _ in a[:1]) or any(f in ta for f, _ in b[:1])
    if share >= 0.999 and first:
        return "all" if same_length else "subset"  # a list cut after some authors
    if share >= 0.6:
        return "most"
    if share >= 0.3:
        return "some"
    return "none"


def _title_level(prep: _Prepared, i: int, j: int, score: float) -> tuple[str, float]:
    ta, tb = prep.title[i], prep.title[j]
    if not ta or not tb:
        return "missing", 0.0
    if prep.core[i] != ta or prep.core[j] != tb:  # a series label on one side
        score = max(score, fuzz.ratio(prep.core[i], prep.core[j]))
    if prep.generic[i] or prep.generic[j]:
        return ("generic" if score >= 85 else "differ"), score
    if ta == tb or prep.core[i] == prep.core[j]:
        return "exact", 100.0
    if score >= 95 or _title_prefix(ta, tb):
        return "high", score
    if score >= 85:
        return "mid", score
    return ("low" if score >= 70 else "differ"), score


def _compare(
    prep: _Prepared, i: int, j: int, title_score: float, weights: _Weights | None = None
) -> _Evidence:
    """Agreement levels of every field of records ``i`` and ``j``, the veto and the score."""
    title, similarity = _title_level(prep, i, j, title_score)
    ya, yb = prep.year[i], prep.year[j]
    year = "missing"
    if ya is not None and yb is not None:
        year = ("same", "one", "two")[abs(ya - yb)] if abs(ya - yb) <= 2 else "more"
        if year == "one" and bool(prep.volume[i]) != bool(prep.volume[j]):
            year = "online"  # an online-first record (no volume yet) and its issue version
    da, db = prep.doi[i], prep.doi[j]
    doi = "missing"
    if da and db:
        doi = (
            "same"
            if da == db
            else ("version" if prep.doi_base[i] == prep.doi_base[j] else "differ")
        )
    va, vb = prep.volume[i], prep.volume[j]
    volume = "missing"
    if va.isdigit() and vb.isdigit():
        volume = "same" if va == vb else "differ"
    na, nb = prep.number[i], prep.number[j]
    number = ("same" if na == nb else "differ") if na and nb else "missing"
    # online-first versions carry provisional pages 1-n and no volume yet
    ahead_of_print = (not va and prep.pages[i][0] == "1") or (not vb and prep.pages[j][0] == "1")
    pages = _pages_level(prep.pages[i], prep.pages[j])
    if ahead_of_print and pages == "differ":
        pages = "compatible"
    venue_a, venue_b = sorted((prep.venue[i], prep.venue[j]))
    # proceedings are named in too many ways ("AMCIS 2017 Proceedings") to tell apart: a level
    # of their own, while two journals that do not match are "other"
    venue = {"agree": "same", "differ": "kind", "": "missing", "conference": "conference"}.get(
        _venue_evidence(venue_a, venue_b), "other"
    )
    aa, ab = prep.abstract[i], prep.abstract[j]
    abstract = ""
    if aa and ab:
        abstract_score = fuzz.ratio(aa, ab)
        abstract = "agree" if abstract_score >= 90 else ("differ" if abstract_score < 50 else "")
    levels = {
        "title": title,
        "author": _authors_level(prep, i, j),
        "year": year,
        "doi": doi,
        "pages": pages,
        "volume": volume,
        "number": number,
        "venue": venue,
    }
    e = _Evidence(levels=levels, title=similarity, veto="", abstract=abstract)
    e.veto = _veto(prep, i, j, e)
    if weights is not None:
        e.bits = sum(weights.weight[field][level] for field, level in levels.items())
    return e


def _pages_level(a: tuple[str, str], b: tuple[str, str]) -> str:
    verdict = _pages_evidence(a, b)
    if verdict == "agree":
        return "range" if a[1] and a[1] == b[1] else "first"
    if verdict == "differ":
        return "differ"
    return "compatible" if a[0] and b[0] else "missing"


def _veto(prep: _Prepared, i: int, j: int, e: _Evidence) -> str:
    """Return the name of the first veto of :data:`VETOES` that applies, or ""."""
    lv = e.levels
    if lv["doi"] == "differ":
        return "doi"
    same_doi = lv["doi"] in ("same", "version")
    if same_doi and lv["title"] == "differ" and e.title < 60:
        return "doi_title"
    if prep.notice[i] != prep.notice[j]:
        return "notice"
    if lv["title"] == "differ" and lv["author"] == "none":
        return "title_author"
    numbers_a, numbers_b = _title_numbers(prep.title[i]), _title_numbers(prep.title[j])
    if numbers_a and numbers_b and not (numbers_a <= numbers_b or numbers_b <= numbers_a):
        return "numbered_title"
    if same_doi:
        return ""
    if lv["venue"] == "kind":
        return "venue_kind"
    if lv["volume"] == "differ":
        return "volume"
    no_pages = not prep.pages[i][0] or not prep.pages[j][0]
    generic = lv["title"] in ("generic", "missing") or prep.generic[i] or prep.generic[j]
    # issue fields above 99 are more often record or accession numbers than issues
    plausible = prep.number[i].isdigit() and int(prep.number[i]) <= 99
    plausible = plausible and prep.number[j].isdigit() and int(prep.number[j]) <= 99
    if (
        lv["number"] == "differ"
        and plausible
        and (generic or no_pages or lv["title"] in ("low", "differ"))
    ):
        return "issue"
    if lv["pages"] == "differ" and not _one_issue(lv):
        online_first = lv["year"] == "online" or (
            lv["year"] == "same" and bool(prep.volume[i]) != bool(prep.volume[j])
        )
        if not online_first:
            return "pages"
    if generic and not (lv["volume"] == "same" and lv["pages"] in ("range", "first")):
        return "generic_title"
    return ""


def _one_issue(levels: dict[str, str]) -> bool:
    """Every field but the pages says one item of one issue: the same (not generic) title,
    the same author list, year, journal, volume and issue number."""
    return (
        levels["title"] in ("exact", "high")
        and levels["author"] == "all"
        and levels["year"] == "same"
        and levels["venue"] == "same"
        and levels["volume"] == "same"
        and levels["number"] == "same"
    )


def _decide(e: _Evidence, weights: _Weights) -> str | None:
    """Return "score" if the pair is a duplicate, else None."""
    if e.veto:
        return None
    return "score" if e.bits >= weights.threshold else None


def _could_match(prep: _Prepared, i: int, j: int, title_score: float) -> bool:
    """Cheap filter: can the pair reach the review band at all?

    Pairs whose titles are far apart need something else that identifies a work: a DOI, the
    same volume and first page, one title missing, or a series label or subtitle on one side.
    """
    if title_score >= 70:
        return True
    if prep.doi_base[i] and prep.doi_base[i] == prep.doi_base[j]:
        return True
    if not prep.title[i] or not prep.title[j]:
        return True
    first_page = prep.pages[i][0]
    if first_page and first_page == prep.pages[j][0] and prep.volume[i] == prep.volume[j]:
        return True
    if prep.core[i] != prep.title[i] or prep.core[j] != prep.title[j]:
        return True
    return _title_prefix(prep.title[i], prep.title[j])
