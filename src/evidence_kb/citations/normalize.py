"""Pure functions that bring bibliographic fields into a comparable form.

Every function accepts whatever a reader produced (``str``, ``None``, a float NaN from pandas,
an ``int`` year) and never raises on odd input: a value that cannot be understood becomes the
empty value of its kind (``""``, ``("", "")``, ``[]`` or ``None``). The string normalisers are
idempotent: applying one twice gives the same result as applying it once.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from evidence_kb.model.text import (
    _EXTRA_ASCII,
    PLACEHOLDERS,
    fold_accents,
    is_initials,
    is_missing,
    normalize_doi,
    normalize_year,
)

_ascii_fold = fold_accents  # its former private name (dedupe.prepare, the benchmarks)

__all__ = [
    "PLACEHOLDERS",
    "fold_accents",
    "is_missing",
    "normalize_doi",
    "normalize_family",
    "normalize_number",
    "normalize_pages",
    "normalize_title",
    "normalize_venue",
    "normalize_year",
    "parse_authors",
    "strip_doi_version",
    "venue_kind",
]

_TAG = re.compile(r"<[^>]{0,200}>")
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\s*|\\.")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}\b)")
_UNCLOSED_BRACKET = re.compile(r"(?<=\S)\s*\[[^\]]*$")
_TRAILING_BRACKET = re.compile(r"\s*\[[^\[\]]*\]\s*\.?\s*$")
_DOI_VERSION = re.compile(r"(\.pub\d+|v\d+)$")
_PAGE_TOKEN = re.compile(r"[a-z]*\d+[a-z]*|\b[ivxlcdm]+\b")
_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "do",
        "du",
        "la",
        "le",
        "ten",
        "ter",
        "st",
        "y",
        "al",
        "el",
        "bin",
        "zu",
        "vom",
        "het",
        "t",
    }
)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value).strip()


def strip_doi_version(doi: str) -> str:
    """Return a normalised DOI without a version suffix (Cochrane ``.pub2``, arXiv ``v3``).

    Versions of a living document (an updated Cochrane review, a revised preprint) are one work
    for deduplication, so they share this key.

    Examples
    --------
    >>> strip_doi_version("10.1002/14651858.cd002273.pub3")
    '10.1002/14651858.cd002273'
    >>> strip_doi_version("10.48550/arxiv.2101.00001v2")
    '10.48550/arxiv.2101.00001'
    """
    return _DOI_VERSION.sub("", doi)


def _plain(text: str) -> str:
    """Unescape HTML, drop tags and LaTeX commands, fold to lower-case ASCII words."""
    text = _TAG.sub(" ", html.unescape(text))
    text = _LATEX_CMD.sub("", text).replace("{", "").replace("}", "")
    text = fold_accents(text).lower().replace("&", " and ").replace("'", "")
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def normalize_title(title: object) -> str:
    """Return a title as lower-case ASCII words separated by single spaces.

    HTML entities and tags, LaTeX braces, accents and punctuation are removed. Database notes
    in square brackets at the end (``[Chinese]``, ``[Article in German]``), also when cut off
    before the closing bracket, are dropped. A title in brackets (MEDLINE's mark for a
    translated title) is unwrapped, and an original-language title after it is dropped.

    Examples
    --------
    >>> normalize_title("Efficacy of <i>batroxobin</i> in VCI. [Chinese]")
    'efficacy of batroxobin in vci'
    >>> normalize_title("[Über die Lähmung &amp; Aphasie]")
    'uber die lahmung and aphasie'
    >>> normalize_title("[Chest tubes in trauma] Drenajes en trauma [Erratum appears in J Surg")
    'chest tubes in trauma'
    >>> normalize_title("UNKNOWN"), normalize_title("Among 10,000 women")
    ('', 'among 10000 women')
    >>> normalize_title(normalize_title("A {B}-cell study: part 2.")) == normalize_title(
    ...     "a b cell study part 2"
    ... )
    True
    """
    text = _text(title)
    if not text:
        return ""
    text = text.strip().rstrip(".").strip()
    if text.startswith("["):
        # MEDLINE brackets an English translation; the original title may follow it
        end = text.find("]")
        text = text[1:] if end < 0 else (text[1:end] if end > 1 else text[end + 1 :])
    text = _UNCLOSED_BRACKET.sub("", text)  # a note cut off by a length limit
    while True:
        stripped = _TRAILING_BRACKET.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    plain = _THOUSANDS.sub("", _plain(text))  # "10,000" and "10 000" -> "10000"
    return "" if plain in PLACEHOLDERS else plain


def _expand_last_page(first: str, last: str) -> str:
    """Expand an abbreviated last page (``1217-24`` -> ``1224``, ``S600-1`` -> ``s601``)."""
    head = re.match(r"([a-z]*)(\d+)$", first)
    tail = re.match(r"([a-z]*)(\d+)$", last)
    if head is None or tail is None:
        return last
    digits_first, digits_last = head.group(2), tail.group(2)
    if tail.group(1) and tail.group(1) != head.group(1):
        return last
    if len(digits_last) < len(digits_first):
        digits_last = digits_first[: len(digits_first) - len(digits_last)] + digits_last
    return head.group(1) + digits_last


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {month: number for number, month in enumerate(_MONTH_NAMES, start=1)}
_EXTENT = re.compile(r"^\s*\d+\s*(p|pp|pages)\.?\s*$")  # "215 p": a thesis's page count
_EXCEL_DATE = re.compile(r"^\s*(\d{1,2})-([a-z]{3})\s*$|^\s*([a-z]{3})-(\d{1,2})\s*$")


def _excel_pages(match: re.Match[str]) -> str:
    """Undo a spreadsheet that read "1-6" as a date and wrote "01-Jun"."""
    day, month, month2, number = match.groups()
    if month is not None and month in _MONTHS:
        return f"{int(day)}-{_MONTHS[month]}"
    if month2 is not None and month2 in _MONTHS:
        return f"{_MONTHS[month2]}-{int(number)}"
    return match.group(0)


def normalize_pages(pages: object) -> tuple[str, str]:
    """Return ``(first, last)`` page, lower-case, with an abbreviated last page expanded.

    Only the first range counts (``"1217-24; discussion 1224-5"``). A single page or an
    article number gives ``(page, "")``; missing pages give ``("", "")``. A range that a
    spreadsheet turned into a date (``"01-Jun"`` for ``"1-6"``) is turned back. A page
    count such as ``"215 p"`` (the extent of a thesis or book) is no location: ``("", "")``.

    Examples
    --------
    >>> normalize_pages("73-76"), normalize_pages("73--76"), normalize_pages("73-6")
    (('73', '76'), ('73', '76'), ('73', '76'))
    >>> normalize_pages("pp. S600–S601"), normalize_pages("e0123"), normalize_pages(None)
    (('s600', 's601'), ('e0123', ''), ('', ''))
    >>> normalize_pages("1217-24; discussion 1224-5"), normalize_pages("01-Jun")
    (('1217', '1224'), ('1', '6'))
    >>> normalize_pages("215 p"), normalize_pages("p. 215")
    (('', ''), ('215', ''))
    """
    text = _text(pages).lower().translate(_EXTRA_ASCII)
    text = _EXCEL_DATE.sub(lambda m: _excel_pages(m), text)
    if not text or "no pagination" in text or _EXTENT.match(text):
        return ("", "")
    text = re.sub(r"\b(pp?|pages?)\b\.?", " ", text)
    if not text.strip():
        return ("", "")
    tokens = _PAGE_TOKEN.findall(re.split(r"[;,]", text)[0])
    if not tokens:
        return ("", "")

    def strip_zeros(token: str) -> str:
        return str(int(token)) if token.isdigit() else token

    first = strip_zeros(tokens[0])
    last = strip_zeros(tokens[1]) if len(tokens) > 1 else ""
    last = _expand_last_page(first, last) if last else ""
    return (first, "" if last == first else last)


def normalize_number(value: object) -> str:
    """Return the first integer in a volume or issue field as a string, else its plain text.

    Examples
    --------
    >>> normalize_number("4 (1) (no pagination)"), normalize_number(20.0), normalize_number("Pt A")
    ('4', '20', 'pt a')
    """
    if isinstance(value, float) and value == value and value.is_integer():
        return str(int(value))
    text = _text(value)
    match = re.search(r"\d+", text)
    if match:
        return str(int(match.group(0)))
    return _plain(text)


_QUALIFIER = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def normalize_venue(venue: object) -> str:
    """Return a journal or proceedings name as lower-case ASCII words, without a leading "the".

    Qualifiers in brackets, which name an edition rather than a venue (``"BMJ (Online)"``,
    ``"PLoS ONE [Electronic Resource]"``), are dropped.

    Examples
    --------
    >>> (
    ...     normalize_venue("The Annals of Thoracic Surgery"),
    ...     normalize_venue("Jpen: J. Parenter. & Enteral Nutr."),
    ... )
    ('annals of thoracic surgery', 'jpen j parenter and enteral nutr')
    >>> normalize_venue("BMJ (Clinical research ed.)") == normalize_venue("BMJ [Online]")
    True
    """
    text = _QUALIFIER.sub(" ", _text(venue))
    plain = _plain(text)
    return plain[4:] if plain.startswith("the ") else plain


_VENUE_KINDS = (
    ("workshop", re.compile(r"\bworkshops?\b")),
    ("journal", re.compile(r"\b(journal|j|transactions|trans|letters|review|reviews|bulletin)\b")),
    (
        "conference",
        re.compile(r"\b(conference|conf|symposium|congress|proceedings|proc|meeting)\b"),
    ),
)


def venue_kind(venue: str) -> str:
    """Return ``"workshop"``, ``"journal"``, ``"conference"`` or ``""`` for a normalised venue.

    Examples
    --------
    >>> venue_kind("journal of digital studies"), venue_kind("workshop of digital studies")
    ('journal', 'workshop')
    >>> venue_kind("amcis 2017 proceedings"), venue_kind("cancer")
    ('conference', '')
    """
    for kind, pattern in _VENUE_KINDS:
        if pattern.search(venue):
            return kind
    return ""


def normalize_family(family: object) -> str:
    """Return a family name as one lower-case ASCII word without particles.

    Particles (``van der``, ``de``, ``von``) are dropped unless nothing else is left; hyphens,
    apostrophes and spaces are removed, so ``"O’Neill"`` and ``"ONeill"`` agree.

    Examples
    --------
    >>> normalize_family("van der Berg"), normalize_family("O’Neill"), normalize_family("Le")
    ('berg', 'oneill', 'le')
    >>> normalize_family("Macías-Díaz"), normalize_family(normalize_family("De Luna"))
    ('maciasdiaz', 'luna')
    >>> normalize_family("Wright Jr."), normalize_family("Mu?oz")
    ('wright', 'muoz')
    """
    words = _plain(_text(family).replace("'", "").replace("’", "")).split()
    kept = [w for w in words if w not in _PARTICLES and w not in _SUFFIXES]
    return "".join(kept or words)


# --- authors -------------------------------------------------------------------------------

_MEDLINE_RUN = re.compile(r"[A-Z]\.[A-Z][a-z'’]")
_MEDLINE_NAME = re.compile(r"\s*(.+?)\s((?:[A-Z]\.\s?-?)+)")
_ETAL = re.compile(r"\bet\.?\s*al\b\.?|\band others\b", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+|\s*&\s*", re.IGNORECASE)


def _initials_of(given: str) -> str:
    letters: list[str] = []
    for token in re.split(r"[\s.]+", given.strip()):
        if not token:
            continue
        folded = fold_accents(token)
        if is_initials(token) and token.upper() == token:
            letters.extend(ch for ch in folded if ch.isalpha())
        else:
            letters.extend(part[0] for part in folded.split("-") if part and part[0].isalpha())
    return "".join(letters).lower()


def _name_order(tokens: list[str]) -> str:
    """Return "family_first", "given_first" or "" from where the initials stand."""
    if len(tokens) < 2:
        return ""
    if is_initials(tokens[-1]) and not is_initials(tokens[0]):
        return "family_first"
    if is_initials(tokens[0]) and not is_initials(tokens[-1]):
        return "given_first"
    return ""


def _split_name(part: str, default_order: str, *, full_given: bool) -> tuple[str, str]:
    """Split one person's name; ``full_given`` says the list spells given names out."""
    part = part.strip(" ,;")
    if "," in part:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if not pieces:
            return ("", "")
        given = pieces[-1] if len(pieces) > 1 else ""
        return (normalize_family(pieces[0]), _initials_of(given))
    tokens = part.split()
    if not tokens:
        return ("", "")
    order = _name_order(tokens) or default_order
    if order == "family_first":
        cut = 1
        while cut < len(tokens) - 1 and tokens[cut - 1].lower() in _PARTICLES:
            cut += 1  # "van der Berg J"
        if not full_given:  # Vancouver: everything before the initials is the family name
            while cut < len(tokens) and not is_initials(tokens[cut]):
                cut += 1
        return (normalize_family(" ".join(tokens[:cut])), _initials_of(" ".join(tokens[cut:])))
    cut = 1
    while cut < len(tokens) - 1 and is_initials(tokens[cut]):
        cut += 1
    if not is_initials(tokens[0]):
        cut = len(tokens) - 1
        # keep particles with the family name: "Ludwig van Beethoven"
        while cut > 1 and tokens[cut - 1].lower() in _PARTICLES:
            cut -= 1
    return (normalize_family(" ".join(tokens[cut:])), _initials_of(" ".join(tokens[:cut])))


def _split_list(text: str) -> list[str]:
    """Split an author list into one string per person, whatever the export style."""
    if ";" in text:
        return text.split(";")
    if _AND.search(text):
        parts = _AND.split(text)
        if all(p.strip(" ,").count(",") <= 1 for p in parts):
            return parts  # BibTeX: "Zhai, Q. J. and Yue, X. Y."
        # APA or Vancouver with a final "&"/"and": "Smith, J., Jones, K., & Wu, X."
        text = ", ".join(p.strip(" ,") for p in parts)
    if _MEDLINE_RUN.search(text) and "," not in text:
        return [" ".join(m) for m in _MEDLINE_NAME.findall(text)]
    if "," in text:
        pieces = [p.strip() for p in text.split(",") if p.strip()]
        if all(len(p.split()) >= 2 and is_initials(p.split()[-1]) for p in pieces):
            return pieces  # Vancouver: "Abrahao B, Parigi P"
        if len(pieces) % 2 == 0 and all(
            len(pieces[i].split()) <= 3 for i in range(0, len(pieces), 2)
        ):
            return [f"{pieces[i]}, {pieces[i + 1]}" for i in range(0, len(pieces), 2)]
        return pieces
    return [text]


@lru_cache(maxsize=100_000)
def _parse_authors_cached(text: str) -> tuple[tuple[str, str], ...]:
    text = _ETAL.sub(" ", html.unescape(text)).replace("\n", " ").strip(" ,;")
    if is_missing(text):
        return ()
    parts = [p.strip() for p in _split_list(text)]
    parts = [p for p in parts if p and not is_missing(p)]
    bare = [p.split() for p in parts if "," not in p]
    votes = [_name_order(tokens) for tokens in bare]
    family_first = votes.count("family_first") > votes.count("given_first")
    default = "family_first" if family_first else "given_first"
    # "Omulo Sylvia", "Njenga M. Kariuki": given names are spelled out, the family is one word
    full_given = any(len(t) >= 2 and not is_initials(t[-1]) and not is_initials(t[0]) for t in bare)
    names = (_split_name(p, default, full_given=full_given) for p in parts)
    return tuple(n for n in names if n[0])


def parse_authors(authors: object) -> list[tuple[str, str]]:
    """Return the authors as ``(family, initials)`` pairs, both normalised and lower-case.

    Understands BibTeX (``"Zhai, Q. J. and Yue, X. Y."``), semicolon lists in either name
    order (``"B. Abrahao; P. Parigi"``), Vancouver (``"Abrahao B, Parigi P"``), APA
    (``"Kallio, K., & Lappalainen, P."``) and MEDLINE runs without separators
    (``"Tan A.Schulze A."``). "et al." and placeholders such as ``"UNKNOWN"`` are dropped.
    A name without comma and without initials is read in the order that the other names of
    the list show, and "given family" when they show none.

    Examples
    --------
    >>> parse_authors("Zhai, Q. J. and Yue, X. Y.")
    [('zhai', 'qj'), ('yue', 'xy')]
    >>> parse_authors("B. Abrahao; P. Parigi") == parse_authors("Abrahao B, Parigi P")
    True
    >>> parse_authors("Kallio, K., & Lappalainen, P.")
    [('kallio', 'k'), ('lappalainen', 'p')]
    >>> parse_authors("Tan A.Schulze A.O'Donnell C. P.")
    [('tan', 'a'), ('schulze', 'a'), ('odonnell', 'cp')]
    >>> parse_authors("van der Berg, Jan and Ludwig van Beethoven"), parse_authors("UNKNOWN")
    ([('berg', 'j'), ('beethoven', 'l')], [])
    """
    text = _text(authors)
    return list(_parse_authors_cached(text)) if text else []
