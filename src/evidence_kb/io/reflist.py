"""Parse a plain-text reference list as printed in a factsheet (APA style or a short numbered list).

Each non-empty line is one reference (a reference that wraps over lines in a PDF should be joined
first). Two forms are understood:

* APA: ``Kallio, K., & Lappalainen, I. (2015). Title. Journal, 19(5), 400-413. doi:10...``
* short, as in the factsheets' numbered lists: ``2. Kallio & Lappalaine, 2015`` or
  ``4. Tee, Cham, Low, & Lau 2021``.

Nothing is dropped: a line that fits neither form is returned with ``parsed=False`` and a note.

A chapter's container is split the APA way, ``In Editors (Eds.), Book (3rd ed., pp. 1-20).
Publisher``: the editors go to ``editor``, the book to ``container``, what follows the pages (or
an empty ``()`` a reference manager left) to ``publisher``. A book's ``Place: Publisher`` is its
``publisher``; a publisher printed against the title without a full stop (``Title Routledge &
K. Paul``) is split off when it starts with a known publisher name
(:data:`~evidence_kb.model.printed_values.PUBLISHER_NAMES`); a
container that names a periodical (``Tijdschrift voor HRM``) makes the entry an article.

Author lists keep what print leaves out: APA 7's ellipsis (``"A, B., . . . Z."``, 21 or more
authors) and a trailing "et al." are recorded as the BibTeX name :data:`OTHERS` in the place where
names are missing (``("A", "B", "others", "Z")``, ``("Pannebakker", "others")``), never as a name.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import TYPE_CHECKING
from urllib.parse import unquote

from evidence_kb.model.printed import ParsedReference
from evidence_kb.model.printed_values import PERIODICAL, PUBLISHER_NAMES, PUBLISHER_TAIL
from evidence_kb.model.text import DOI_RESOLVER, INITIAL, INITIALS_RUN, OTHERS, ascii_fold

if TYPE_CHECKING:
    import pandas as pd

__all__ = [  # OTHERS, ParsedReference and ascii_fold live in model; importable here as before
    "OTHERS",
    "PUBLISHER_NAMES",
    "ParsedReference",
    "ascii_fold",
    "parse_reference",
    "parse_reference_entries",
    "parse_reference_list",
    "reference_frame",
    "split_authors",
]

_NUMBER = re.compile(r"^\s*(?P<number>\d{1,3})[.)]\s+")
_APA_HEAD = re.compile(
    r"^(?P<authors>.+?)\s*\((?P<year>\d{4})(?P<suffix>[a-z]?)(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$"
)
_NO_DATE = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>n\.d\.|z\.d\.)\)\.?\s*(?P<rest>.*)$")
_SHORT = re.compile(r"^(?P<authors>[^()]+?),?\s+(?P<year>\d{4})(?P<suffix>[a-z]?)\s*\.?$")
_DOI = re.compile(
    rf"(?:doi:\s*(?:{DOI_RESOLVER})?|{DOI_RESOLVER})(?P<doi>10\.\S+?)[.,;]?(?:\s|$)", re.I
)
_URL = re.compile(r"(?:Retrieved from|Geraadpleegd (?:op|van)|Available at:?)\s+(?P<url>\S+)", re.I)
_BARE_URL = re.compile(r"(?P<url>https?://\S+)")
_VOLUME = re.compile(
    r"(?:^|,)\s*(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?\s*(?:,\s*(?P<pages>[A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+|[A-Za-z]?\d+))?\s*\.?\s*$"
)
# initials, possibly followed by the family-name particles that APA puts after them ("R. van de")
_INITIALS = re.compile(
    rf"^{INITIALS_RUN}(?:(?:van|de|der|den|von|du|la|le|ten|ter|da)\s*)*$|^[A-Z]{{1,3}}$"
)
# initials run into the next family name when print lost a comma: "Totterdill, P. Boermans, S."
_INITIALS_THEN_NAME = re.compile(rf"^(?P<initials>(?:{INITIAL}\s*)+)(?P<name>[A-Z][^\s.,]+.*)$")
# a hyphenated initial printed with a space ("J. -P." for J.-P.), or cut after the hyphen ("J. -.")
_HYPHEN_INITIAL = re.compile(r"\b([A-Z])\.\s*-\s*([A-Z])\.")
_CUT_INITIAL = re.compile(r"\b([A-Z])\.\s*-\s*\.?(?=\s*(?:,|&|$))")
# APA 7's ellipsis between the 19th and the last author, and "et al." ("e.a." in Dutch)
_ELLIPSIS = re.compile(r"(?:(?<=^)|(?<=[\s,&]))(?:\.\s?){2}\.(?=\s|$)|…")
_ET_AL = re.compile(r",?\s*\b(?:[Ee]t\.?\s*al\.?|e\.\s?a\.?)(?=\W|$)")  # not "E. A." initials
# a sentence end that starts the part after the title: a capital, digit or quote; a US place
# ("washington, DC: Publisher", printed in lower case); or a volume glued to the title ("x.9(3),")
_TITLE_END = re.compile(
    r"(?<=[^A-Z\s][.?!])\s+(?=[A-Z0-9(\"“‘'])"
    r"|(?<=[^A-Z\s][.?!])\s+(?=[A-Za-z][a-z]+(?:\s[A-Za-z][a-z]+){0,2},\s[A-Z]{2}:\s)"
    r"|(?<=[a-z]\.)(?=\d+\s*\([^)]*\)\s*,)"
)
_EMPHASIS = re.compile(r"(?<![\w*])\*([^*]+)\*(?![\w*])")
# the pages of a chapter: "(pp. 301-319)", "(3rd ed., pp. 415-434)", ", pp. 179-198"
_CHAPTER_PAGES = re.compile(r"(?:,\s*)?\bpp?\.\s*(?P<pages>[A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+)")
_PAGES_ONLY = re.compile(r",\s*(?:,\s*)?(?P<pages>[A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+)\s*\.?\s*$")


_PUBLISHER_TAIL = PUBLISHER_TAIL
_PERIODICAL = PERIODICAL
# a place and publisher: "Leiden: TNO", "Cham, Switzerland: Springer", "washington, DC: IBM"
_PLACE_PUBLISHER = re.compile(r"^[A-Za-z][\w .,'-]{0,40}:\s*\S.*$")
# the editors of a chapter's book: "In: J. Wilson (Ed.), Book", "In Blackmore, C. (Ed.). Book"
_EDITORS = re.compile(
    r"^In:?\s+(?P<editors>[^()]+?)\s*\((?:Eds?|Reds?|Hrsg)\.?\)[.,]?\s*(?P<book>.*)$"
)
_EMPTY_PARENS = "\u241f"  # where a reference manager printed an empty "()" before the publisher


def split_authors(text: str) -> list[str]:
    """Split an author list (APA or short form) into names, ``"Family, I."`` where possible.

    Names that print leaves out become :data:`OTHERS` where they are missing: at the end for
    "et al.", before the last author for APA's ellipsis ``". . ."``.

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
    >>> split_authors("Elwyn, G., Kinnersley, P., . . . Barry, M.")
    ['Elwyn, G.', 'Kinnersley, P.', 'others', 'Barry, M.']
    >>> split_authors("Pannebakker et al.")
    ['Pannebakker', 'others']
    >>> split_authors("Dingyloudi, F., & Strijbos, J. -P.")
    ['Dingyloudi, F.', 'Strijbos, J.-P.']
    >>> split_authors("Dhondt, S., Totterdill, P. Boermans, S., & Ziauberyte-Jakstiene")
    ['Dhondt, S.', 'Totterdill, P.', 'Boermans, S.', 'Ziauberyte-Jakstiene']
    >>> split_authors("Daan Andriessen, Marlies Welbie, & Martine Ganzevles")
    ['Andriessen, Daan', 'Welbie, Marlies', 'Ganzevles, Martine']
    """
    text = _HYPHEN_INITIAL.sub(r"\1.-\2.", text.strip().rstrip(","))
    text = _CUT_INITIAL.sub(r"\1.", text)
    truncated = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    names: list[str] = []
    for i, segment in enumerate(_ELLIPSIS.split(text)):
        if i:
            names.append(OTHERS)
        names += _split_names(segment)
    if names and names[0] == OTHERS:  # an ellipsis with nothing before it names nobody
        names = names[1:]
    if truncated and names:
        names.append(OTHERS)
    return _given_first(names)


_GIVEN_FAMILY = re.compile(
    r"^(?P<given>[A-Z][^\W\d_]+) (?P<family>[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?)$"
)


def _given_first(names: list[str]) -> list[str]:
    """Names printed given name first ("Daan Andriessen, Marlies Welbie") as "Family, Given".

    Only a list of two or more names that are all two words (given and family name) is turned:
    a single name of two words may be an organisation ("World Bank").
    """
    named = [n for n in names if n != OTHERS]
    if len(named) < 2 or not all(_GIVEN_FAMILY.match(n) for n in named):
        return names
    out = []
    for name in names:
        match = _GIVEN_FAMILY.match(name)
        out.append(f"{match['family']}, {match['given']}" if match else name)
    return out


def _split_names(text: str) -> list[str]:
    text = re.sub(r"\s+(?:&|and|en)\s+", ", ", text.strip().strip(",").strip())
    text = text.replace("&", ",")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    inverted = any(_INITIALS.match(p) for p in parts)  # "Family, I." order
    names: list[str] = []
    for part in parts:
        bare_family = bool(names) and "," not in names[-1] and "." not in names[-1]
        glued = _INITIALS_THEN_NAME.match(part)
        if names and _INITIALS.match(part) and "," not in names[-1]:
            names[-1] = f"{names[-1]}, {part}"
        elif inverted and bare_family and glued:  # a lost comma: "Totterdill, P. Boermans, S."
            names[-1] = f"{names[-1]}, {glued.group('initials').strip()}"
            names.append(glued.group("name"))
        else:
            names.append(part)
    return [n.rstrip(".") if "," not in n else n for n in names]


def _split_title(rest: str) -> tuple[str, str]:
    """Split ``Title. Container, 1(2), 3-4.`` at the sentence end that closes the title.

    A title printed in italics (``*Title*``, Markdown) ends where the italics end. Otherwise the
    title ends at the first sentence end outside parentheses (``(6. Aufl. ed.)`` stays in it)
    that starts the next part: a capital, a digit, a quote, a place such as ``washington, DC:``
    or a volume printed against the title (``academia.9(3), 41-58``).
    """
    italic = re.match(r"^\*(?P<title>[^*]+)\*(?P<after>.*)$", rest.strip())
    if italic:
        after = _plain(italic.group("after")).strip(" .,")
        return italic.group("title").strip().rstrip("."), after
    rest = _plain(rest)
    for match in _TITLE_END.finditer(rest):
        before = rest[: match.start()]
        if before.count("(") > before.count(")"):
            continue
        return before.strip().rstrip("."), rest[match.end() :].strip()
    return rest.strip().rstrip("."), ""


def _plain(text: str) -> str:
    """``text`` without Markdown emphasis."""
    return _EMPHASIS.sub(r"\1", text)


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
    # list bullets and <angle-bracketed> links are layout, not content; Markdown emphasis
    # (*italics*) is kept until the title is split off, as it shows where a title ends
    marked = re.sub(r"^[-•*]\s+", "", raw)
    marked = re.sub(r"<(https?://[^>]+)>", r"\1", marked)
    body = _plain(marked)
    number = _NUMBER.match(body)
    if number:
        ref.number = int(number.group("number"))
        body = body[number.end() :]
        marked = _NUMBER.sub("", marked, count=1)
    _fill_locators(ref, body)
    head = _APA_HEAD.match(marked) or _NO_DATE.match(marked)
    short = None if head else _SHORT.match(body)
    if head:
        _fill_apa(ref, head)
    elif short:
        ref.style = "short"
        ref.authors = split_authors(short.group("authors"))
        ref.year = int(short.group("year"))
        ref.year_suffix = short.group("suffix")
    else:  # no author-date head: an organisation's page or a title-only entry; kept whole
        ref.title, container = _split_title(_strip_locators(marked))
        _fill_container(ref, container)
        ref.parsed = False
        ref.note = "no author and year found; kept as a title-only entry"
    return ref


def _fill_locators(ref: ParsedReference, body: str) -> None:
    """The DOI and the URL of a printed reference (a bare URL only when there is no DOI)."""
    doi = _DOI.search(body)
    if doi:
        ref.doi = unquote(doi.group("doi")).rstrip(".")
    url = _URL.search(body) or (None if doi else _BARE_URL.search(body))
    if url:
        ref.url = url.group("url").rstrip(".")


def _fill_apa(ref: ParsedReference, head: re.Match[str]) -> None:
    """Authors, year, title and container of an APA reference, from its author-date head."""
    authors = _plain(head.group("authors"))
    ref.authors = split_authors(authors)
    cut = _CUT_INITIAL.search(_HYPHEN_INITIAL.sub("", authors))
    if cut:
        ref.note = (
            f"an initial is printed cut after its hyphen ({cut.group(0).strip()!r}); "
            f"recorded as {cut.group(1) + '.'!r}"
        )
    year = head.group("year")
    ref.year = int(year) if year.isdigit() else None
    ref.year_suffix = head.groupdict().get("suffix") or ""
    rest = _strip_locators(head.group("rest"))
    before, marker, after = rest.partition(_EMPTY_PARENS)  # the title ends before an empty "()"
    ref.title, container = _split_title(before)
    _fill_container(ref, f"{container} {marker} {after}" if marker else container)


def _strip_locators(text: str) -> str:
    text = _DOI.sub(" ", text)
    text = _URL.sub(" ", text)
    text = re.sub(r"doi:\s*https?://\S+", " ", text, flags=re.I)
    text = _BARE_URL.sub(" ", text)
    # an empty "()" left by a reference manager: what follows it is the publisher
    text = re.sub(r"\s*\(\s*\)\.?", f" {_EMPTY_PARENS} ", text)
    text = re.sub(
        r"\b[A-Z]{3,}=", "", text
    )  # a reference manager's field label: "TITLE=Hoge hakken"
    return " ".join(text.split())


def _fill_container(ref: ParsedReference, container: str) -> None:
    container = container.strip().rstrip(".").strip()
    container, _, after_parens = container.partition(_EMPTY_PARENS)
    container = container.strip().rstrip(".,").strip()
    publisher = after_parens.strip().strip(".").strip()
    if not container and not publisher:
        ref.entry_type = "misc" if ref.url else "book"
        _title_publisher(ref)
        return
    chapter = _CHAPTER_PAGES.search(container)
    volume = None if chapter else _VOLUME.search(container) or _PAGES_ONLY.search(container)
    if chapter:
        ref.pages = re.sub(r"\s*[-–]\s*", "-", chapter.group("pages"))
        head, tail = container[: chapter.start()], container[chapter.end() :]
        head = re.sub(
            r"\(\s*([^()]*?)[\s,]*$", r"(\1)", head
        )  # "(3rd ed., pp. 1-2)" -> "(3rd ed.)"
        head = re.sub(r"\s*\(\s*\)", "", head).strip().rstrip(".,").strip()
        tail = tail.strip().lstrip(")").strip(" .,")
        publisher = publisher or re.sub(r"^Publisher:\s*", "", tail)
        container = _chapter_book(ref, head)
        ref.entry_type = "incollection"
    elif volume:
        found = volume.groupdict()
        ref.volume = found.get("volume") or ""
        ref.issue = (found.get("issue") or "").strip()
        ref.pages = re.sub(r"\s*[-–]\s*", "-", found.get("pages") or "")
        container = container[: volume.start()]
        ref.entry_type = "article"
    elif re.search(r"\bIn\b.*\(Eds?\.\)|^In ", container):
        container = _chapter_book(ref, container)
        ref.entry_type = "incollection"
    elif _PLACE_PUBLISHER.match(container) and not _PERIODICAL.search(container):
        # a book's "Place: Publisher" (printed twice around an empty "()": both kept)
        container, publisher = "", ". ".join(p for p in (container, publisher) if p)
        ref.entry_type = "book"
    elif publisher:  # "Title. Book () Publisher": the book of a chapter; "Title. () Publisher"
        ref.entry_type = "incollection" if container else "book"
    elif _PERIODICAL.search(container):
        ref.entry_type = "article"
    else:
        ref.entry_type = "book" if ":" in container else "misc"
    if not publisher and ref.entry_type == "incollection":  # "Book. London: Springer"
        match = re.match(r"^(?P<book>.+?)\.\s+(?P<publisher>[A-Z][^.:]*:\s*[^.]+)$", container)
        if match:
            container, publisher = match["book"], match["publisher"]
    ref.container = container.strip().rstrip(".,").strip()
    ref.publisher = re.sub(r"^Publisher:\s*", "", publisher).strip().rstrip(".,").strip()
    if not ref.container and not ref.publisher:
        _title_publisher(ref)


def _chapter_book(ref: ParsedReference, text: str) -> str:
    """The book of a chapter, its editors (``In X (Ed.), Book``) put in ``ref.editor``."""
    editors = _EDITORS.match(text.strip())
    if editors:
        ref.editor = editors["editors"].strip().rstrip(",")
        return editors["book"].strip()
    return re.sub(r"^In:?\s+", "", text.strip())


def _title_publisher(ref: ParsedReference) -> None:
    """A publisher printed against the title without a full stop (``… Routledge & K. Paul``)."""
    match = _PUBLISHER_TAIL.search(ref.title)
    if match and match.start() > 0:
        ref.publisher = match["publisher"].strip().rstrip(".")
        ref.title = ref.title[: match.start()].strip().rstrip(".,")
        ref.entry_type = "book"


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
    return reference_frame(parse_reference_entries(text, first_line=first_line))


def parse_reference_entries(text: str, *, first_line: int = 1) -> list[ParsedReference]:
    """Parse a printed reference list into records, one per non-empty line.

    The records of :func:`parse_reference_list`, before they become a table.
    """
    return [
        parse_reference(line, line=first_line + offset)
        for offset, line in enumerate(text.splitlines())
        if line.strip()
    ]


def reference_frame(entries: list[ParsedReference]) -> pd.DataFrame:
    """The table of :func:`parse_reference_list` for parsed records (one row each)."""
    import pandas as pd

    columns = list(ParsedReference.__dataclass_fields__)
    frame = pd.DataFrame([asdict(entry) for entry in entries], columns=columns)
    for col in ("number", "year"):
        frame[col] = frame[col].astype("Int64")
    return frame
