"""One vocabulary for what every reference reader returns: record types, DOIs, years, titles.

The readers of :mod:`evidence_kb.io.references` map each format's fields to the same columns;
this module holds the format-side clean-ups, so a DOI or a record type reads the same whichever
database it came from. The rules themselves (DOI, year) are those of :mod:`evidence_kb.model.text`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from evidence_kb.model.records import REFERENCE_FIELDS
from evidence_kb.model.text import DOI_RESOLVER, normalize_doi, normalize_year

#: The columns of :func:`~evidence_kb.read_references`, whichever format was read: the record's
#: id, the bibliographic fields of a reference
#: (:data:`~evidence_kb.model.records.REFERENCE_FIELDS`, the last of them ``abstract``), then
#: what the file adds (type as written, database) and where the record stands (file, line, text
#: as written). ``year_suffix`` keeps the letter of a year such as ``2023a`` (a second work of the
#: same authors and year, as printed and cited), so that no reader drops it.
REFERENCE_COLUMNS = [
    "id",
    *REFERENCE_FIELDS,
    "year_suffix",
    "raw_type",
    "database",
    "source_file",
    "file",
    "line",
    "raw",
]

#: CSL-JSON (and Crossref) variable of each plain-text reference field; read and written alike
CSL_FIELDS = {
    "title": "title",
    "container": "container-title",
    "volume": "volume",
    "issue": "issue",
    "pages": "page",
    "doi": "DOI",
    "url": "URL",
    "publisher": "publisher",
    "abstract": "abstract",
}

#: The record types of :func:`~evidence_kb.read_references` (column ``entry_type``); the
#: type as the file wrote it stays in ``raw_type``.
RECORD_TYPES = (
    "article",
    "book",
    "chapter",
    "conference paper",
    "thesis",
    "report",
    "web page",
    "other",
)

# lower-cased type names of RIS, BibTeX, CSL-JSON, Crossref, MEDLINE, Web of Science, EndNote,
# Scopus, IEEE, Springer and Ovid -> record type
_TYPE_NAMES = {
    "article": (
        "jour",
        "ejour",
        "jfull",
        "mgzn",
        "news",
        "abst",
        "inpr",
        "article",
        "journal",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "journal-article",
        "j",
        "review",
        "letter",
        "editorial",
        "note",
        "erratum",
        "magazine-article",
        "newspaper-article",
        "journal article",
        "journalarticle",
        "magazinearticle",
        "newspaperarticle",
        "magazine article",
        "newspaper article",
        "electronic article",
        "article in press",
        "early access",
        "ieee journals",
        "ieee magazines",
        "ieee early access articles",
        "review article",
        "research article",
        "letter to the editor",
        "comparative study",
        "historical article",
    ),
    "book": (
        "book",
        "ebook",
        "edbook",
        "b",
        "monograph",
        "books",
        "edited-book",
        "reference-book",
        "edited book",
        "whole book",
        "electronic book",
        "book series",
    ),
    "chapter": (
        "chap",
        "echap",
        "chapter",
        "incollection",
        "inbook",
        "book-chapter",
        "book-section",
        "book section",
        "booksection",
        "book chapter",
        "electronic book section",
    ),
    "conference paper": (
        "conf",
        "cpaper",
        "inproceedings",
        "proceedings",
        "paper-conference",
        "proceedings-article",
        "conference",
        "conference paper",
        "conferencepaper",
        "conference proceedings",
        "proceedings paper",
        "conference review",
        "ieee conferences",
        "conference abstract",
    ),
    "thesis": (
        "thes",
        "thesis",
        "phdthesis",
        "mastersthesis",
        "dissertation",
        "dissertation/thesis",
        "doctoral thesis",
        "master's thesis",
    ),
    "report": (
        "rprt",
        "report",
        "techreport",
        "standard",
        "govdoc",
        "technical report",
        "government document",
        "working paper",
    ),
    "web page": (
        "elec",
        "web",
        "webpage",
        "online",
        "post-weblog",
        "post",
        "blog",
        "blogpost",
        "web page",
        "electronic source",
    ),
}
_TYPES = {name: kind for kind, names in _TYPE_NAMES.items() for name in names}


def normalise_type(raw: str) -> str:
    """The record type (one of :data:`RECORD_TYPES`) of a type as a file writes it.

    Several types separated by ``;`` (Web of Science's ``Article; Proceedings Paper``) give
    the first one known.

    Examples
    --------
    >>> normalise_type("JOUR"), normalise_type("inproceedings"), normalise_type("Book Section")
    ('article', 'conference paper', 'chapter')
    >>> normalise_type("Proceedings Paper; Article"), normalise_type(""), normalise_type("MAP")
    ('conference paper', 'other', 'other')
    """
    for part in re.split(r"[;|]", str(raw)):
        kind = _TYPES.get(" ".join(part.lower().replace("_", " ").split()))
        if kind:
            return kind
    return "other"


_DOI_PREFIX = re.compile(rf"^{DOI_RESOLVER}|^doi\s*[:=]?\s*", re.IGNORECASE)
_SHORT_DOI = re.compile(r"^10/[a-z0-9]+$")


def normalise_doi(text: str) -> tuple[str, bool]:
    """A DOI as ``10.xxxx/...`` in lower case, and whether it looks like a DOI at all.

    A full DOI is normalised as everywhere else (:func:`~evidence_kb.model.text.normalize_doi`:
    resolver prefixes, URL escapes, trailing punctuation and publisher page suffixes such as
    ``/full/html`` dropped); a short DOI (``10/abcd``) stays as it is; any
    other text is kept, lower-cased, with ``False``.

    Examples
    --------
    >>> normalise_doi("https://doi.org/10.1108/JSTP-09-2013-0198.")
    ('10.1108/jstp-09-2013-0198', True)
    >>> normalise_doi("doi: 10.1002/sres.1067/full/html")
    ('10.1002/sres.1067', True)
    >>> normalise_doi("10/bfgk"), normalise_doi("S0140-6736(21)02252-2 [pii]")
    (('10/bfgk', True), ('s0140-6736(21)02252-2 [pii]', False))
    """
    value = " ".join(unquote(str(text)).split()).lower()
    if not value:
        return "", True
    doi = normalize_doi(value)
    if doi:
        return doi, True
    value = _DOI_PREFIX.sub("", value).strip().rstrip(".,;: ")
    return value, bool(_SHORT_DOI.match(value))


def first_year(text: str) -> str:
    """The first plausible four-digit year (1500-2099) in ``text``, or ``""``.

    Examples
    --------
    >>> first_year("2020 Feb"), first_year("2014//"), first_year("SEP"), first_year("20100520")
    ('2020', '2014', '', '')
    """
    year = normalize_year(str(text))
    return "" if year is None else str(year)


def year_letter(text: str) -> str:
    """The letter of a year such as ``2023a`` (a second work of one author and year), or ``""``.

    Examples
    --------
    >>> year_letter("2023a"), year_letter("(2019b)"), year_letter("2020/05/01/"), year_letter("")
    ('a', 'b', '', '')
    """
    found = _YEAR_LETTER.fullmatch(str(text).strip())
    return found[1] if found else ""


_YEAR_LETTER = re.compile(r"[\[(]?\d{4}[\])]?([a-z])[\])]?/*")


def clean_title(title: str) -> str:
    """A title without the final period and bracketed labels databases add.

    MEDLINE and Ovid end every title with ``.`` (a question keeps its ``?``); Ovid appends
    labels such as ``[Review]``.

    Examples
    --------
    >>> clean_title("Spinosaurus is not an aquatic dinosaur.")
    'Spinosaurus is not an aquatic dinosaur'
    >>> clean_title("Effects of support systems: a systematic review.[Review]")
    'Effects of support systems: a systematic review'
    """
    title = " ".join(str(title).split())
    title = re.sub(r"\s*\[[A-Za-z ,]+\]$", "", title)
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


#: the export to choose, per database or tool, when a file of it cannot be read
EXPORT_ADVICE = {
    "Scopus": "export from Scopus as RIS, or as CSV with all information",
    "Web of Science": "export from Web of Science as 'Plain text file' or RIS, full record",
    "PubMed": "save from PubMed in 'PubMed' format (.nbib) or as CSV",
    "Embase": "export from Embase as RIS",
    "IEEE Xplore": "export from IEEE Xplore as RIS or CSV",
    "SpringerLink": "export from SpringerLink as CSV",
    "Lens.org": "export from Lens.org as RIS or CSV",
    "Covidence": "export from Covidence as RIS",
    "OpenAlex": "download from OpenAlex as RIS or CSV",
    "Google Scholar": "export from Publish or Perish as RIS or CSV",
    "Ovid": "export from Ovid as RIS (citation manager: RIS)",
    "ERIC": "export from ERIC as RIS",
    "PLOS": "export from PLOS as RIS",
}


def export_advice(database: str) -> str:
    """What to export instead, for a file of ``database`` that cannot be read.

    Examples
    --------
    >>> export_advice("Scopus")
    'this looks like a Scopus export: export from Scopus as RIS, or as CSV with all information'
    >>> export_advice("")
    'export the records again as RIS or BibTeX'
    """
    advice = EXPORT_ADVICE.get(database)
    if advice is None:
        return "export the records again as RIS or BibTeX"
    return f"this looks like a {database} export: {advice}"
