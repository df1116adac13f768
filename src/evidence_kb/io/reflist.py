"""Parse a plain-text reference list as printed in a factsheet (APA style or a short numbered list).

Each non-empty line is one reference (a reference that wraps over lines in a PDF should be joined
first). Two forms are understood:

* APA: ``Kallio, K., & Lappalainen, I. (2015). Title. Journal, 19(5), 400-413. doi:10...``
* short, as in the factsheets' numbered lists: ``2. Kallio & Lappalaine, 2015`` or
  ``4. Tee, Cham, Low, & Lau 2021``.

Nothing is dropped: a line that fits neither form is returned with ``parsed=False`` and a note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    import pandas as pd

_NUMBER = re.compile(r"^\s*(?P<number>\d{1,3})[.)]\s+")
_APA_HEAD = re.compile(
    r"^(?P<authors>.+?)\s*\((?P<year>\d{4})(?P<suffix>[a-z]?)(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$"
)
_NO_DATE = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>n\.d\.|z\.d\.)\)\.?\s*(?P<rest>.*)$")
_SHORT = re.compile(r"^(?P<authors>[^()]+?),?\s+(?P<year>\d{4})(?P<suffix>[a-z]?)\s*\.?$")
_DOI = re.compile(
    r"(?:doi:\s*(?:https?://(?:dx\.)?doi\.org/)?|https?://(?:dx\.)?doi\.org/)"
    r"(?P<doi>10\.\S+?)[.,;]?(?:\s|$)",
    re.I,
)
_URL = re.compile(r"(?:Retrieved from|Geraadpleegd (?:op|van)|Available at:?)\s+(?P<url>\S+)", re.I)
_BARE_URL = re.compile(r"(?P<url>https?://\S+)")
_VOLUME = re.compile(
    r",\s*(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?\s*(?:,\s*(?P<pages>[A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+|[A-Za-z]?\d+))?\s*\.?\s*$"
)
# initials, possibly followed by the family-name particles that APA puts after them ("R. van de")
_INITIALS = re.compile(
    r"^(?:[A-Z][a-z]?\.\s*-?\s*)+(?:(?:van|de|der|den|von|du|la|le|ten|ter|da)\s*)*$|^[A-Z]{1,3}$"
)


@dataclass
class ParsedReference:
    """One printed reference, split into fields; ``raw`` is the line exactly as printed."""

    line: int
    raw: str
    number: int | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    year_suffix: str = ""
    title: str = ""
    container: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    entry_type: str = "misc"
    style: str = "apa"
    parsed: bool = True
    note: str = ""


def split_authors(text: str) -> list[str]:
    """Split an author list (APA or short form) into names, ``"Family, I."`` where possible.

    Examples
    --------
    >>> split_authors("Kallio, K., & Lappalainen, I.")
    ['Kallio, K.', 'Lappalainen, I.']
    >>> split_authors("Tee, Cham, Low, & Lau")
    ['Tee', 'Cham', 'Low', 'Lau']
    >>> split_authors("Bednarz, F., Cavicchiolo, E., Marchi, S., Tomassini, M.")
    ['Bednarz, F.', 'Cavicchiolo, E.', 'Marchi, S.', 'Tomassini, M.']
    >>> split_authors("Koopmans, L., Bergh, R. van de, & Torre, W. van der")
    ['Koopmans, L.', 'Bergh, R. van de', 'Torre, W. van der']
    """
    text = re.sub(r"\s+(?:&|and|en)\s+", ", ", text.strip().rstrip(","))
    text = re.sub(r",?\s*\b(?:et al\.?|e\.\s?a\.?)(?=\W|$)", "", text)
    text = text.replace(", ,", ",").replace("&", ",")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    names: list[str] = []
    for part in parts:
        if names and _INITIALS.match(part) and "," not in names[-1]:
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return [n.rstrip(".") if "," not in n else n for n in names]


def _split_title(rest: str) -> tuple[str, str]:
    """Split ``Title. Container, 1(2), 3-4.`` at the first sentence end of the title."""
    match = re.search(r"(?<=[^A-Z\s][.?!])\s+(?=[A-Z0-9(\"“‘'])", rest)
    if not match:
        return rest.strip().rstrip("."), ""
    title = rest[: match.start()].strip()
    return title.rstrip("."), rest[match.end() :].strip()


def parse_reference(text: str, *, line: int = 1) -> ParsedReference:
    """Parse one printed reference.

    Examples
    --------
    >>> r = parse_reference(
    ...     "Tosun, J. (2017). Promoting youth employment through "
    ...     "multi-organizational governance. Public Money & Management, 37(1), 39-46. "
    ...     "doi:10.1080/09540962.2016.1249230"
    ... )
    >>> r.authors, r.year, r.container, r.volume, r.issue, r.pages
    (['Tosun, J.'], 2017, 'Public Money & Management', '37', '1', '39-46')
    >>> r.doi
    '10.1080/09540962.2016.1249230'
    >>> parse_reference("4. Tee, Cham, Low, & Lau 2021").authors
    ['Tee', 'Cham', 'Low', 'Lau']
    """
    raw = text.strip()
    ref = ParsedReference(line=line, raw=raw)
    # list bullets, Markdown emphasis and <angle-bracketed> links are layout, not content
    body = re.sub(r"^[-•*]\s+", "", raw)
    body = re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"\1", body)
    body = re.sub(r"<(https?://[^>]+)>", r"\1", body)
    number = _NUMBER.match(body)
    if number:
        ref.number = int(number.group("number"))
        body = body[number.end() :]

    doi = _DOI.search(body)
    if doi:
        ref.doi = unquote(doi.group("doi")).rstrip(".")
    url = _URL.search(body) or (None if doi else _BARE_URL.search(body))
    if url:
        ref.url = url.group("url").rstrip(".")

    head = _APA_HEAD.match(body) or _NO_DATE.match(body)
    if head:
        ref.authors = split_authors(head.group("authors"))
        year = head.group("year")
        ref.year = int(year) if year.isdigit() else None
        ref.year_suffix = head.groupdict().get("suffix") or ""
        rest = _strip_locators(head.group("rest"))
        ref.title, container = _split_title(rest)
        _fill_container(ref, container)
        return ref

    short = _SHORT.match(body)
    if short:
        ref.style = "short"
        ref.authors = split_authors(short.group("authors"))
        ref.year = int(short.group("year"))
        ref.year_suffix = short.group("suffix")
        return ref

    # No author-date head: an organisation's page or a title-only entry. Keep it whole.
    rest = _strip_locators(body)
    ref.title, container = _split_title(rest)
    _fill_container(ref, container)
    ref.parsed = False
    ref.note = "no author and year found; kept as a title-only entry"
    return ref


def _strip_locators(text: str) -> str:
    text = _DOI.sub(" ", text)
    text = _URL.sub(" ", text)
    text = re.sub(r"doi:\s*https?://\S+", " ", text, flags=re.I)
    text = _BARE_URL.sub(" ", text)
    return " ".join(text.split())


def _fill_container(ref: ParsedReference, container: str) -> None:
    container = container.strip().rstrip(".").strip()
    if not container:
        ref.entry_type = "misc" if ref.url else "book"
        return
    volume = _VOLUME.search(container)
    if volume:
        ref.volume = volume.group("volume")
        ref.issue = (volume.group("issue") or "").strip()
        ref.pages = re.sub(r"\s*[-–]\s*", "-", volume.group("pages") or "")
        container = container[: volume.start()]
        ref.entry_type = "article"
    elif re.search(r"\bIn\b.*\(Eds?\.\)|^In ", container):
        ref.entry_type = "incollection"
    else:
        ref.entry_type = "book" if ":" in container else "misc"
    ref.container = container.strip().rstrip(".,").strip()


def parse_reference_list(text: str, *, first_line: int = 1) -> pd.DataFrame:
    """Parse a printed reference list, one reference per non-empty line.

    Parameters
    ----------
    text
        The list as printed (APA entries or a short numbered list).
    first_line
        The line number of the first line of ``text`` in its document, so that ``line`` points
        into the original.

    Returns
    -------
    pandas.DataFrame
        One row per reference with ``line``, ``raw`` (the line as printed), ``number``,
        ``authors`` (list), ``year``, ``year_suffix``, ``title``, ``container``, ``volume``,
        ``issue``, ``pages``, ``doi``, ``url``, ``entry_type``, ``style``, ``parsed``, ``note``.

    Examples
    --------
    >>> refs = parse_reference_list("1. Camps & Torres, 2011\\n\\n2. Tosun, 2017")
    >>> refs[["line", "number", "year"]].to_dict("records")
    [{'line': 1, 'number': 1, 'year': 2011}, {'line': 3, 'number': 2, 'year': 2017}]
    """
    import pandas as pd

    rows = [
        asdict(parse_reference(line, line=first_line + offset))
        for offset, line in enumerate(text.splitlines())
        if line.strip()
    ]
    columns = list(ParsedReference.__dataclass_fields__)
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("number", "year"):
        frame[col] = frame[col].astype("Int64")
    return frame


@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    """Return ``text`` without accents, lower-cased, letters and digits only.

    Examples
    --------
    >>> ascii_fold("Rodríguez")
    'rodriguez'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())
