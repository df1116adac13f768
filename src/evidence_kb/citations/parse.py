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
_YEAR = r"(?:\d{4}[a-z]?|z\.\s?d\.|n\.\s?d\.)"
# an author part, then one or more years: "Camps & Torres, 2011" / "Wenger, 2000, 2005" / "Lau 2021"
_CITATION = re.compile(
    rf"(?P<authors>[^\d;()]*?[^\W\d_][^\d;()]*?)[\s,]+(?P<years>{_YEAR}(?:\s*,\s*{_YEAR}(?![^\W\d_]))*)",
)
_PREFIXES = re.compile(
    r"^(?:(?:naar|zie ook|zie bijvoorbeeld|zie bijv\.|zie|bijv\.|bijvoorbeeld|e\.g\.|cf\.|"
    r"see also|see|"
    r"in|bron|source|o\.a\.)\s*:?\s+)+",
    re.I,
)
_ET_AL = re.compile(r"\s*(?:,\s*)?\b(?:et\s+al\.?|e\.\s?a\.?|ea)(?=\W|$)\.?", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\ben\b)\s*")
_INITIALS = re.compile(r"^(?:[A-Z]\.\s*-?)+$")


@dataclass(frozen=True)
class Citation:
    """One citation: who and when (author-year), or a number into a numbered list."""

    text: str
    authors: tuple[str, ...] = ()
    et_al: bool = False
    year: int | None = None
    year_suffix: str = ""
    number: int | None = None
    prefix: str = ""

    def __str__(self) -> str:
        if self.number is not None:
            return f"[{self.number}]"
        names = " & ".join(self.authors[:2]) if len(self.authors) <= 2 else self.authors[0]
        if self.et_al or len(self.authors) > 2:
            names = f"{self.authors[0] if self.authors else '?'} et al."
        year = f"{self.year}{self.year_suffix}" if self.year else "n.d."
        return f"{names}, {year}"


def parse_citations(text: str) -> list[Citation]:
    """Split a citation string as printed into :class:`Citation` records.

    Parameters
    ----------
    text
        The citation cell as printed, e.g. ``"Kearney ea, 2012 Tosun, 2017"`` or ``"2,11"``.

    Returns
    -------
    list of Citation
        In printed order. Empty text gives an empty list; text with names but no year gives one
        citation without a year. Parsing never raises.

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
    >>> [str(c) for c in parse_citations("Schruijer, 2021a; 2021b; Wenger, 1998, p. 402")]
    ['Schruijer, 2021a', 'Schruijer, 2021b', 'Wenger, 1998']
    """
    return list(_parse(" ".join(str(text).split())))


@lru_cache(maxsize=100_000)
def _parse(text: str) -> tuple[Citation, ...]:
    """Parse a whitespace-normalised citation string (cached: the same strings recur)."""
    return tuple(_parse_uncached(text))


def _parse_uncached(text: str) -> list[Citation]:
    if not text:
        return []
    if _SUPERSCRIPTS.match(text) and all(len(n) <= 3 for n in re.findall(r"\d+", text)):
        return [Citation(text=number, number=int(number)) for number in re.findall(r"\d+", text)]
    # page locators are not citations; "2021a; 2021b" continues the same authors' year list
    text = re.sub(r",?\s*\b(?:pp?|blz|p\.p)\.\s*\d+(?:\s*[-–]\s*\d+)?", "", text)
    text = re.sub(rf"({_YEAR})\s*;\s*(?={_YEAR}(?:\W|$))", r"\1, ", text)
    citations: list[Citation] = []
    position = 0
    for match in _CITATION.finditer(text):
        position = match.end()
        prefix, authors, et_al = _split_authors(match.group("authors"))
        for year_text in re.split(r"\s*,\s*", match.group("years")):
            year_match = re.match(r"(\d{4})([a-z]?)", year_text)
            citations.append(
                Citation(
                    text=match.group(0).strip(" ;,"),
                    authors=authors,
                    et_al=et_al,
                    year=int(year_match.group(1)) if year_match else None,
                    year_suffix=year_match.group(2) if year_match else "",
                    prefix=prefix,
                )
            )
    rest = text[position:].strip(" ;,.()")
    if rest and re.search(r"[^\W\d_]", rest):  # names without a year
        prefix, authors, et_al = _split_authors(rest)
        if authors:
            citations.append(Citation(text=rest, authors=authors, et_al=et_al, prefix=prefix))
    elif rest and not citations:  # a bare year or number: keep it, so it is reported
        year = re.match(r"(\d{4})([a-z]?)$", rest)
        citations.append(
            Citation(
                text=rest,
                year=int(year.group(1)) if year else None,
                year_suffix=year.group(2) if year else "",
            )
        )
    return citations


def _split_authors(text: str) -> tuple[str, tuple[str, ...], bool]:
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
        part = part.strip(" .;")
        if part and not _INITIALS.match(part + "."):
            names.append(part)
    return prefix, tuple(names), et_al
