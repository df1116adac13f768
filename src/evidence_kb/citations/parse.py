"""Split in-text citation strings into citations (authors, year, suffix) or superscript numbers.

The factsheets print citations in many ways: ``Kallio & Lappalaine, 2015``, ``Tee ea, 2021``,
``Klein et al., 2021;``, several citations with no separator at all
(``Kearney ea, 2012 Tosun, 2017 Camps & Torres, 2011``), year lists (``Wenger, 2000, 2005``),
prefixes (``naar: Hord, 1997``, ``zie ook``), and superscript numbers into a numbered list
(``2,11`` or ``4,12,15 3,5``). :func:`parse_citations` reads all of them and never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SUPERSCRIPTS = re.compile(r"^[\d\s,;]+$")
# a year ("2015", "2023a") or no date ("n.d.", "z.d."), standing alone
_YEAR = re.compile(
    r"(?<!\w)(?:(?P<year>\d{4})(?P<suffix>[a-z](?:\s?,\s?[a-z](?!\w))*)?(?!\w)"
    r"|(?P<undated>[nz]\.\s?d(?:\.|(?!\w))))",
    re.I,
)
_LEADING = re.compile(r"^[\s;,)]*(?:(?:and|en|&)\s+)?", re.I)
_PAGES = re.compile(r",?\s*\b(?:pp?|blz|p\.p)\.\s*\d+(?:\s*[-\u2013]\s*\d+)?")
_LETTER = re.compile(r"[^\W\d_]")
_PREFIXES = re.compile(
    r"^(?:(?:naar|zie ook|zie bijvoorbeeld|zie bijv\.|zie|bijv\.|bijvoorbeeld|e\.g\.|cf\.|"
    r"see also|see|"
    r"in|bron|source|o\.a\.)\s*:?\s+)+",
    re.I,
)
_ET_AL = re.compile(r"(?:,\s*)?\b(?:et\s+al\.?|e\.\s?a\.?|ea)(?=\W|$)\.?", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\ben\b)\s*")
_INITIALS = re.compile(r"^(?:[A-Z]\.\s*-?)+$")
_SUFFIX_LETTER = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Citation:
    """One citation: who and when (author-year), or a number into a numbered list.

    ``year`` is ``None`` both for a citation printed without a year (``"Mennens e.a."``) and
    for one printed as undated (``"Mennens, n.d."``); ``undated`` tells them apart.
    """

    text: str
    authors: tuple[str, ...] = ()
    et_al: bool = False
    year: int | None = None
    year_suffix: str = ""
    number: int | None = None
    prefix: str = ""
    undated: bool = False  # printed "n.d." or "z.d.": no date, on purpose

    def __hash__(self) -> int:
        # equal citations hash alike; the text (whose hash Python keeps) nearly decides it, and
        # the resolver looks a citation up once per finding that prints it
        return hash((self.text, self.year, self.number))

    def __str__(self) -> str:
        if self.number is not None:
            return f"[{self.number}]"
        names = " & ".join(self.authors[:2]) if len(self.authors) <= 2 else self.authors[0]
        if self.et_al or len(self.authors) > 2:
            names = f"{self.authors[0] if self.authors else '?'} et al."
        if self.year is not None:
            year = f"{self.year}{self.year_suffix}"
        else:
            year = "n.d." if self.undated else "no year"
        return f"{names}, {year}"


def parse_citations(text: str) -> list[Citation]:
    """Split a citation string as printed into :class:`Citation` records.

    Parenthetical (``"Kallio & Lappalainen, 2015"``) and narrative (``"Kallio en Lappalainen
    (2015)"``) forms are both read; a year list (``"Wenger, 2000, 2005"``, ``"Smith (2019,
    2020)"``) gives one citation per year; ``n.d.`` and ``z.d.`` give an undated citation.
    Parsing takes time linear in the length of the text.

    Parameters
    ----------
    text
        The citation cell as printed, e.g. ``"Kearney ea, 2012 Tosun, 2017"`` or ``"2,11"``.

    Returns
    -------
    list of Citation
        In printed order. Empty text gives an empty list; names without a year give one
        citation without a year (``year`` None, ``undated`` false), so it can be reported.
        Parsing never raises.

    Examples
    --------
    >>> [str(c) for c in parse_citations("Kearney ea, 2012 Tosun, 2017 Camps & Torres, 2011")]
    ['Kearney et al., 2012', 'Tosun, 2017', 'Camps & Torres, 2011']
    >>> [c.number for c in parse_citations("4,12,15 3,5")]
    [4, 12, 15, 3, 5]
    >>> c = parse_citations("zie ook Koopmans et al., 2023a;")[0]
    >>> c.authors, c.et_al, c.year, c.year_suffix, c.prefix
    (('Koopmans',), True, 2023, 'a', 'zie ook')
    >>> [str(c) for c in parse_citations("Wenger, 2000, 2005")]
    ['Wenger, 2000', 'Wenger, 2005']
    >>> [str(c) for c in parse_citations("Kallio en Lappalainen (2015) en Tee et al. (2021)")]
    ['Kallio & Lappalainen, 2015', 'Tee et al., 2021']
    >>> [str(c) for c in parse_citations("Schruijer, 2021a; 2021b; Wenger, 1998, p. 402")]
    ['Schruijer, 2021a', 'Schruijer, 2021b', 'Wenger, 1998']
    >>> [str(c) for c in parse_citations("Mennens, z.d.; Tosun")]
    ['Mennens, n.d.', 'Tosun, no year']
    """
    return list(_parse(" ".join(str(text).split())))


@lru_cache(maxsize=100_000)
def _parse(text: str) -> tuple[Citation, ...]:
    """Parse a whitespace-normalised citation string (cached: the same strings recur)."""
    return tuple(_parse_uncached(text))


def _parse_uncached(text: str) -> list[Citation]:
    """The citations of ``text``: of each ``;``-separated part on its own, where that is the same.

    The parts of a cell (a cell without ``;`` is one part) are parsed and cached one by one,
    without the spaces around them, which no citation keeps, when every part has a year and
    every part after the first names its authors before its first year: then no year list
    runs on across a ``;`` and the whole text reads as its parts one after the other. Any
    other text is read whole by :func:`_parse_text`. The same part recurs in many cells.
    """
    citations: list[Citation] = []
    for index, part in enumerate(text.split(";")):
        found, dated, named = part_citations(part.strip(" "))
        if not reads_as_parts(index, dated, named):
            return _parse_text(text)
        citations += found
    return citations


def reads_as_parts(index: int, dated: bool, named: bool) -> bool:
    """Whether part ``index`` of a cell (``dated`` and ``named`` as :func:`part_citations`
    says) leaves the cell to be read part by part: no year list runs on across its ``;``."""
    return dated and (not index or named)


@lru_cache(maxsize=100_000)
def part_citations(text: str) -> tuple[tuple[Citation, ...], bool, bool]:
    """The citations of one part of a cell, whether it has a year, and whether it names authors
    before it (cached: the same part recurs in many cells).

    The parts of a cell are its ``;``-separated parts once its whitespace is normalised, each
    without the spaces around it. When :func:`reads_as_parts` holds for every part, the
    citations of the cell are those of its parts one after the other (a resolver may cache by
    part); otherwise :func:`parse_citations` reads the cell whole.
    """
    plain = _PAGES.sub("", text) if "p." in text or "blz." in text else text
    first = _YEAR.search(plain)
    if first is None:
        return (), False, False
    gap = plain[: first.start()]
    named = bool(_LETTER.search(gap)) and bool(_split_authors(gap)[1])
    return tuple(_parse_text(text)), True, named


def _parse_text(text: str) -> list[Citation]:
    """One pass over the years in ``text``: the text before a year names its authors.

    Text between two years that names nobody (``", "``, ``"; "``, ``" and "``) continues the
    year list of the same authors.
    """
    if not text:
        return []
    if _SUPERSCRIPTS.match(text) and all(len(n) <= 3 for n in re.findall(r"\d+", text)):
        return [Citation(text=number, number=int(number)) for number in re.findall(r"\d+", text)]
    if "p." in text or "blz." in text:  # what every match of _PAGES contains
        text = _PAGES.sub("", text)  # page locators are not citations
    citations: list[Citation] = []
    # the open group: where its text starts, its authors, its year matches
    start, authors = 0, _NOBODY
    years: list[re.Match[str]] = []
    position = 0
    for match in _YEAR.finditer(text):
        *before, gap = text[position : match.start()].split(";")
        undated_names = [names for names in before if _LETTER.search(names)]
        named = _split_authors(gap) if _LETTER.search(gap) else _NOBODY
        if years and not undated_names and not named[1]:
            years.append(match)  # the same authors' next year: "2019, 2020", "2021a; 2021b"
        else:
            if years:
                citations += _group(text, start, authors, years)
            for names in undated_names:  # "...; Vansina & Vansina-Cobbaert; ..." has no year
                citations += _no_year(names)
            start, authors, years = match.start() - len(gap), named, [match]
        position = match.end()
    if years:
        citations += _group(text, start, authors, years)
    rest = text[position:]
    if _LETTER.search(rest):  # names without a year
        for names in rest.split(";"):
            citations += _no_year(names)
    elif rest.strip(" ;,.()") and not citations:  # a number that is no year: keep it, reported
        citations.append(Citation(text=rest.strip(" ;,.()")))
    return citations


_NOBODY: tuple[str, tuple[str, ...], bool] = ("", (), False)


def _group(
    text: str, start: int, authors: tuple[str, tuple[str, ...], bool], years: list[re.Match[str]]
) -> list[Citation]:
    """One citation per year (and per letter of "2019a, b") of one group of authors."""
    printed = text[start : _close_parenthesis(text, years[-1].end())]
    printed_years = tuple([year.group("year", "suffix", "undated") for year in years])
    return list(_group_citations(printed, authors, printed_years))


@lru_cache(maxsize=100_000)
def _group_citations(
    printed: str,
    authors: tuple[str, tuple[str, ...], bool],
    years: tuple[tuple[str | None, str | None, str | None], ...],
) -> tuple[Citation, ...]:
    """The citations of one group (cached: a work is cited the same way under many findings)."""
    printed = _printed(printed)
    prefix, names, et_al = authors
    citations = []
    for year, suffix_text, undated in years:
        suffixes = _SUFFIX_LETTER.findall((suffix_text or "").lower()) or [""]
        for suffix in suffixes:
            citations.append(
                Citation(
                    text=printed,
                    authors=names,
                    et_al=et_al,
                    year=int(year) if year else None,
                    year_suffix=suffix if year else "",
                    prefix=prefix,
                    undated=undated is not None,
                )
            )
    return tuple(citations)


def _no_year(text: str) -> list[Citation]:
    """A citation without a year, if ``text`` names anybody."""
    if not _LETTER.search(text):
        return []
    prefix, authors, et_al = _split_authors(text)
    if not authors:
        return []
    return [Citation(text=_printed(text), authors=authors, et_al=et_al, prefix=prefix)]


def _close_parenthesis(text: str, end: int) -> int:
    """``end``, moved past a ``)`` that closes the year just before it."""
    return end + 1 if text[end : end + 1] == ")" else end


def _printed(text: str) -> str:
    """The citation as printed, without the separators around it."""
    text = _LEADING.sub("", text).strip(" ;,")
    if text.count("(") < text.count(")") and text.endswith(")"):
        text = text[:-1]
    if text.count("(") > text.count(")") and text.startswith("("):
        text = text[1:]
    return text.strip(" ;,")


@lru_cache(maxsize=100_000)
def _split_authors(text: str) -> tuple[str, tuple[str, ...], bool]:
    """``(prefix, names, et_al)`` of the text before a year (cached: the same names recur)."""
    text = text.strip(" ;,.()")
    prefix = ""
    match = _PREFIXES.match(text)
    if match:
        prefix = match.group(0).strip(" :").lower()
        text = text[match.end() :]
    et_al = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    names = []
    for part in _AUTHOR_SPLIT.split(text):
        part = part.strip(" .;()")
        if _LETTER.search(part) and not _INITIALS.match(part + "."):
            names.append(part)
    return prefix, tuple(names), et_al
