"""The domain rules for bibliographic text, in one place: accents, initials, DOIs, years, keys.

Readers (:mod:`evidence_kb.io`), checks (:mod:`evidence_kb.model`) and matching
(:mod:`evidence_kb.citations`) all use these, so that a name, a DOI or a year reads the same
everywhere. Standard library only; every function is pure and never raises on odd input.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

__all__ = [
    "DOI",
    "DOI_RESOLVER",
    "INITIAL",
    "INITIALS_RUN",
    "NAME_PARTICLES",
    "OTHERS",
    "PLACEHOLDERS",
    "YEAR",
    "ascii_fold",
    "fold_accents",
    "is_initials",
    "is_missing",
    "make_key",
    "normalize_doi",
    "normalize_year",
]

#: Lower-case words that belong to a family name without being it ("van der Berg", "de Vries",
#: "von", "dos"): an APA list keeps them as words ("Dorp, M. van"), and a name written family
#: first without a comma ("van der Berg Jan") keeps them with the family name.
NAME_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "zu", "vander"}
    | {"du", "da", "di", "del", "della", "des", "dos", "das", "la", "le"}
)

OTHERS = "others"
"""BibTeX's name for the authors a printed list leaves out ("et al.", APA's ". . .")."""

#: Values that exports use for "we do not know" (compared after lower-casing).
PLACEHOLDERS = frozenset(
    {
        "",
        "unknown",
        "anonymous",
        "anon",
        "n/a",
        "na",
        "nan",
        "<na>",
        "nat",
        "none",
        "null",
        "[no title]",
        "no title",
        "untitled",
        "[untitled]",
        "-",
    }
)


def is_missing(value: object) -> bool:
    """Return True for None, NaN, blank strings and placeholders such as ``"UNKNOWN"``.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(" UNKNOWN "), is_missing("Smith")
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return str(value).strip().lower() in PLACEHOLDERS


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value).strip()


# -- accents ----------------------------------------------------------------------------------

# Letters that NFKD does not decompose into ASCII.
_EXTRA_ASCII = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
        "’": "'",
        "‘": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
        "α": " alpha ",
        "β": " beta ",
        "γ": " gamma ",
        "δ": " delta ",
        "κ": " kappa ",
        "μ": " mu ",
        "ω": " omega ",
    }
)
_EXTRA_LETTERS = re.compile("[" + re.escape("".join(map(chr, _EXTRA_ASCII))) + "]")
_NOT_KEY = re.compile(r"[^a-z0-9]")
# the combining diacritical marks (U+034F, the grapheme joiner, is not a mark: combining() is 0)
_DIACRITICS = re.compile("[\u0300-\u034e\u0350-\u036f]")


@lru_cache(maxsize=200_000)
def fold_accents(text: str) -> str:
    """Return ``text`` without accents: the one accent fold of the package (case is kept).

    Letters that Unicode does not decompose are spelled out (``ß`` -> ``ss``, ``ø`` -> ``o``),
    typographic apostrophes and dashes become plain ones.

    Examples
    --------
    >>> fold_accents("Rodríguez"), fold_accents("Ørsted"), fold_accents("Risico’s")
    ('Rodriguez', 'Orsted', "Risico's")
    """
    if text.isascii():
        return text
    if _EXTRA_LETTERS.search(text):
        text = text.translate(_EXTRA_ASCII)
    decomposed = unicodedata.normalize("NFKD", text)
    folded = _DIACRITICS.sub("", decomposed)  # the common marks at once (ë -> e + ¨ -> e)
    if folded.isascii() or not any(map(unicodedata.combining, folded)):
        return folded
    return "".join(ch for ch in folded if not unicodedata.combining(ch))  # marks of other scripts


@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    """Return ``text`` folded (:func:`fold_accents`), lower-cased, letters and digits only.

    Examples
    --------
    >>> ascii_fold("Rodríguez"), ascii_fold("Van der Berg-Ørsted")
    ('rodriguez', 'vanderbergorsted')
    """
    return _NOT_KEY.sub("", fold_accents(text).lower())


# -- names ------------------------------------------------------------------------------------

INITIAL = r"[A-Z][a-z]?\."
"""One initial as print writes it: a capital, at most one small letter, a period (``J.``,
``Th.``)."""
INITIALS_RUN = rf"(?:{INITIAL}\s*-?\s*)+"
"""Initials in a row as print writes them, a hyphen allowed: ``K. H.``, ``J.-P.``, ``J. -``."""
_DATABASE_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}$|^[A-Za-z]\.$|^[A-Z]\.(?:-?[A-Z]\.)+$")


def is_initials(token: str) -> bool:
    """Whether one word of a name is initials as databases write them: ``AB``, ``A.B.``, ``j.``.

    Examples
    --------
    >>> is_initials("AB"), is_initials("Q.-J."), is_initials("Abrahao"), is_initials("ABCD")
    (True, True, False, False)
    """
    return bool(_DATABASE_INITIALS.match(token))


def make_key(authors: list[str] | tuple[str, ...], year: int | None, suffix: str = "") -> str:
    """Return a readable BibTeX key: first author's family name, year and suffix.

    Examples
    --------
    >>> make_key(["Camps, J.", "Rodríguez, H."], 2011, "a")
    'camps2011a'
    >>> make_key([], None)
    'anon'
    """
    family = ascii_fold(authors[0].split(",")[0]) if authors else "anon"
    return f"{family or 'anon'}{year if year is not None else ''}{suffix}"


# -- DOIs ---------------------------------------------------------------------------------------

DOI = re.compile(r"10\.\d{4,9}/\S+")
"""A DOI: ``10.``, a registrant code of four to nine digits, ``/`` and a suffix."""
DOI_RESOLVER = r"(?:https?://)?(?:(?:dx\.|www\.)?doi\.org/|doi\.acm\.org/)"
"""A resolver in front of a DOI (``https://doi.org/``), as a regular expression."""
_DOI_JUNK = re.compile(r"(/(abstract|full|html|pdf|epdf|fulltext|meta))+$|[.,;:)\]}>'\"]+$")


def normalize_doi(doi: object) -> str:
    """Return the DOI lower-cased, stripped, without a resolver prefix; ``""`` if there is none.

    Trailing punctuation and landing-page suffixes such as ``/abstract`` are removed, and
    percent-escapes are decoded, so a DOI copied from a URL equals the one from a database.

    Examples
    --------
    >>> normalize_doi("https://doi.org/10.1000/XYZ.12 ")
    '10.1000/xyz.12'
    >>> normalize_doi("doi:10.1002/abc%2F1.x/abstract.")
    '10.1002/abc/1.x'
    >>> normalize_doi("not a doi"), normalize_doi(None)
    ('', '')
    >>> normalize_doi(normalize_doi("DOI: 10.1000/XYZ.12")) == normalize_doi("10.1000/xyz.12")
    True
    """
    text = _text(doi)
    if not text:
        return ""
    match = DOI.search(unquote(text).lower())
    if match is None:
        return ""
    value = match.group(0)
    while True:
        stripped = _DOI_JUNK.sub("", value)
        if stripped == value:
            break
        value = stripped
    suffix = value.partition("/")[2]
    return value if suffix else ""


# -- years --------------------------------------------------------------------------------------

YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
"""A plausible publication year, 1500-2099, not part of a longer number."""


def normalize_year(value: object) -> int | None:
    """Return the publication year as an int, or None if the value holds no plausible year.

    Examples
    --------
    >>> normalize_year("2010a"), normalize_year(2010.0), normalize_year("in press")
    (2010, 2010, None)
    """
    if isinstance(value, int | float) and value == value:
        value = str(int(value))
    match = YEAR.search(_text(value))
    return int(match.group(1)) if match else None
