"""Steps 1 and 2 of deduplication: normalise every field once, then block.

Blocking gives each record a handful of keys (DOI, title prefix, first author + year, rare
title words, volume + first page); only records that share a key are compared.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from evidence_kb.citations.dedupe.notices import (
    cited_locator,
    notice_kind,
    notice_locators,
    trial_ids,
    version_kind,
)
from evidence_kb.citations.normalize import (
    fold_accents,
    is_missing,
    normalize_doi,
    normalize_number,
    normalize_pages,
    normalize_title,
    normalize_venue,
    normalize_year,
    parse_authors,
    strip_doi_version,
)
from evidence_kb.model.errors import InputError, Problem

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
    "note": ("note", "notes"),
    "url": ("url",),
    "type": ("type", "publication_type", "document_type", "raw_type", "entrytype", "entry_type"),
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
    # recurring columns: "Editor's comments", "Remarks from the editor", "Issue information"
    r"|^(?=(\S+ ){0,5}\S+$).*\b(editors?|editorial|guest editors?)\b"
    r"|^(issue information|masthead|in this issue|cover( image)?|about the cover)$"
)
# "SIM competition paper: Title": a series label before a colon, dropped for comparison
_SERIES_PREFIX = re.compile(r"^\s*([^:]{2,40}):\s*(\S.*)$")
# an issue field that names no issue ("Special issue", "Suppl.", "SI")
_NOT_AN_ISSUE = re.compile(r"special|suppl|\bsi\b|spec\b|\bs\d|\bsup\b", re.IGNORECASE)
_AUTHOR_STOPWORDS = frozenset(
    {
        "and",
        "et",
        "al",
        "others",
        "jr",
        "sr",
        "van",
        "von",
        "der",
        "den",
        "de",
        "la",
        "le",
        "du",
        "del",
        "da",
        "di",
        "dos",
        "das",
    }
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
_LARGE_BLOCK = 3000  # bigger blocks are split by a second key (year, first author), with a warning
_BLOCK_TITLE_CUTOFF = 80.0  # in blocks between the two sizes, only titles at least this similar


# --- step 1: prepare -------------------------------------------------------------------------


def _check_labels(records: pd.DataFrame) -> None:
    """Refuse repeated column labels: which of two 'title' columns to use cannot be guessed."""
    known = {alias for aliases in _COLUMN_ALIASES.values() for alias in aliases}
    seen: dict[str, list[str]] = {}
    for column in records.columns:
        label = str(column)
        key = label.lower() if label.lower() in known else label
        seen.setdefault(key, []).append(label)
    repeated = [labels for labels in seen.values() if len(labels) > 1]
    if repeated:
        names = "; ".join(" and ".join(repr(x) for x in labels) for labels in repeated)
        msg = (
            f"repeated column labels: {names}; rename or drop the repeated columns "
            "so that each field has one column"
        )
        raise InputError([Problem("records", 1, None, None, msg)])


def _resolve_columns(records: pd.DataFrame, id_column: str) -> tuple[str, dict[str, str]]:
    _check_labels(records)
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
    core: list[str]  # the title without a series label ("sim competition paper: ...")
    notice: list[str]  # the kind of notice or version (NOTICE_KINDS, VERSION_KINDS), or ""
    subject: list[str]  # a notice's subject: the title of the work it concerns
    trials: list[frozenset[str]]  # trial registry ids named in title, abstract, note, url
    cites: list[tuple[str, str, int | None]]  # volume, page, year a notice's title cites
    marks: list[tuple[tuple[str, str], ...]]  # volume, page where a work's notices appear
    author_tokens: list[frozenset[str]]  # every name word of the author field, any order


def _is_generic(title: str, venue: str) -> bool:
    if not title:
        return False
    words = title.split()
    if len(words) <= 3 or _GENERIC_TITLE.match(title):
        return True
    # "Communications of the AIS Volume 52 Paper 41": the venue's name, not a title
    rest = set(words) - set(venue.split()) - _BOILERPLATE_WORDS - _VENUE_STOPWORDS
    return bool(venue) and all(w.isdigit() for w in rest)


def _core_title(raw: object, title: str) -> str:
    """Drop a short series label before a colon ("SIM competition paper: X" -> "x")."""
    if not title or not isinstance(raw, str):
        return title
    match = _SERIES_PREFIX.match(raw)
    if match is None or len(match.group(1).split()) > 4:
        return title
    rest = normalize_title(match.group(2))
    return rest if rest.count(" ") >= 3 else title


def _issue(value: object) -> str:
    """The issue number, or "" when the field names no issue ("Special issue", "Suppl 2")."""
    if isinstance(value, str) and _NOT_AN_ISSUE.search(value):
        return ""
    return normalize_number(value)


_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _author_tokens(value: object) -> frozenset[str]:
    """Every name word of an author field (2+ letters, initials dropped), in any order.

    Robust to the ways one list is written: "Bilbil, Ebru Tekin" / "Tekin Bilbil, E.",
    "taylor h dillon s van wingen m", given and family name swapped, full names or initials.
    """
    if is_missing(value):
        return frozenset()
    return _author_tokens_cached(str(value))


@lru_cache(maxsize=100_000)
def _author_tokens_cached(text: str) -> frozenset[str]:
    shouting = text.upper() == text
    tokens = set()
    for word in _NAME_WORD.findall(text):
        if not shouting and len(word) <= 3 and word.isupper():
            continue  # Vancouver initials ("QJ")
        folded = fold_accents(word).lower().replace("'", "").replace("’", "")
        if len(folded) >= 2 and folded.isalpha() and folded not in _AUTHOR_STOPWORDS:
            tokens.add(folded)
    return frozenset(tokens)


def _kinds(
    raw_title: list[object],
    title: list[str],
    column: Callable[[str], list[object]],
    doi: list[str],
    venue: list[object],
) -> list[tuple[str, str]]:
    """``(kind, subject)`` per record: a notice (title, note, type, pages) or else a version
    (venue, DOI, URL, type), with the title of the work it concerns; ``("", "")`` for a work."""
    types, notes = column("type"), column("note")
    kinds = [
        notice_kind(t, note=n, entry_type=k, pages=p)
        for t, n, k, p in zip(raw_title, notes, types, column("pages"), strict=True)
    ]
    for i, (v, d, u, k) in enumerate(zip(venue, doi, column("url"), types, strict=True)):
        if not kinds[i][0]:
            version = version_kind(venue=v, doi=d, url=u, entry_type=k)
            kinds[i] = (version, title[i]) if version else kinds[i]
    return kinds


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
    raw_title = column("title")
    title = [normalize_title(v) for v in raw_title]
    raw_authors = column("author")
    notes, urls = column("note"), column("url")
    raw_venue = [j if not is_missing(j) else b for j, b in zip(journal, booktitle, strict=True)]
    kinds = _kinds(raw_title, title, column, doi, raw_venue)
    any_notice = any(kind for kind, _ in kinds)
    registry = any(kind == "registration" for kind, _ in kinds)
    return _Prepared(
        ids=ids,
        title=title,
        authors=[tuple(parse_authors(v)[:15]) for v in raw_authors],
        year=[normalize_year(v) for v in column("year")],
        doi=doi,
        doi_base=[strip_doi_version(d) for d in doi],
        pages=[normalize_pages(v) for v in column("pages")],
        volume=[normalize_number(v) for v in column("volume")],
        number=[_issue(v) for v in column("number")],
        venue=venue,
        abstract=[normalize_title(v)[:500] for v in column("abstract")],
        generic=[_is_generic(t, v) for t, v in zip(title, venue, strict=True)],
        core=[_core_title(r, t) for r, t in zip(raw_title, title, strict=True)],
        notice=[kind for kind, _ in kinds],
        subject=[subject for _, subject in kinds],
        cites=[
            cited_locator(t) if k else ("", "", None)
            for t, (k, _) in zip(raw_title, kinds, strict=True)
        ],
        # what only matters when the input has notices, or registry records, to link
        marks=[
            notice_locators(t, n) if any_notice else ()
            for t, n in zip(raw_title, notes, strict=True)
        ],
        trials=[
            trial_ids(t, a, n, u) if registry else frozenset()
            for t, a, n, u in zip(raw_title, column("abstract"), notes, urls, strict=True)
        ],
        author_tokens=[_author_tokens(v) for v in raw_authors],
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


def _similar_titles(prep: _Prepared, pos: np.ndarray) -> np.ndarray:
    """Pairs of ``pos`` (sorted) whose titles are at least ``_BLOCK_TITLE_CUTOFF`` similar."""
    titles = [prep.title[p] for p in pos]
    found = []
    for start in range(0, len(pos), _LARGE_BLOCK):  # row chunks keep the matrix small
        scores = process.cdist(
            titles[start : start + _LARGE_BLOCK],
            titles,
            scorer=fuzz.ratio,
            score_cutoff=_BLOCK_TITLE_CUTOFF,
            workers=1,
        )
        a, b = np.nonzero(scores)
        a = a + start
        keep = a < b
        found.append(np.column_stack([pos[a[keep]], pos[b[keep]]]))
    return np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)


def _secondary_key(prep: _Prepared, i: int) -> str:
    first = prep.authors[i][0][0][:4] if prep.authors[i] else ""
    return f"{prep.year[i]}:{first}"


def _candidate_pairs(prep: _Prepared) -> np.ndarray:
    """Return an (n, 2) int array of record positions ``i < j`` that share a blocking key.

    Blocks of up to ``_SMALL_BLOCK`` records give all their pairs; bigger ones only pairs with
    similar titles. A block of more than ``_LARGE_BLOCK`` records (a key that carries little
    information, such as a title shared by thousands of records) is split by year and first
    author, with a warning, so that nothing is skipped and the work stays bounded.
    """
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
    large = blocks[size > _SMALL_BLOCK]
    split: list[tuple[str, int]] = []
    for key, block in large.groupby("key"):
        pos = np.sort(block["pos"].to_numpy())
        if len(pos) <= _LARGE_BLOCK:
            found.append(_similar_titles(prep, pos))
            continue
        split.append((str(key), len(pos)))
        parts: dict[str, list[int]] = {}
        for p in pos.tolist():
            parts.setdefault(_secondary_key(prep, p), []).append(p)
        for part in parts.values():
            if len(part) > 1:
                found.append(_similar_titles(prep, np.array(part, dtype=np.int64)))
    if split:
        split.sort(key=lambda t: -t[1])
        shown = ", ".join(f"{key[2:]!r} ({n:,} records)" for key, n in split[:3])
        warnings.warn(
            f"{len(split)} blocking key(s) shared by more than {_LARGE_BLOCK:,} records were "
            f"split by year and first author before comparing: {shown}"
            + (" ..." if len(split) > 3 else ""),
            stacklevel=3,
        )
    pairs = np.concatenate(found).astype(np.int64)
    n = max(len(prep.ids), 1)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.column_stack([codes // n, codes % n])
