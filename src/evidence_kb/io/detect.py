"""Tell the format of a reference file from its content, with the extension as a tie-breaker.

Search databases write their exports as ``.txt`` whatever the format inside (PubMed MEDLINE,
Web of Science plain text, Ovid, RIS from EndNote or Rayyan), and a ``.ris`` may hold PubMed's
MEDLINE. :func:`detect_format` therefore looks at the lines first; a ``.txt`` is read as a
printed reference list only when nothing else matches.
"""

from __future__ import annotations

import json
import re

#: Reader names and the names messages use for them.
FORMAT_NAMES = {
    "bibtex": "BibTeX/biblatex",
    "ris": "RIS",
    "medline": "PubMed MEDLINE (.nbib)",
    "wos": "Web of Science plain text",
    "endnote": "EndNote tagged (%0)",
    "ovid": "Ovid",
    "refworks": "RefWorks tagged (RT, A1, T1)",
    "csl-json": "CSL-JSON",
    "json": "JSON (OpenAlex, Publish or Perish, search API)",
    "csv": "CSV/TSV table",
    "text": "printed reference list",
}

# A line that only this format writes (checked in this order)
_SIGNATURES = {
    "ovid": re.compile(r"^<\s*\d+\s*\.?\s*>\s*$", re.MULTILINE),
    "ris": re.compile(r"^\s*TY {1,2}- ?", re.MULTILINE),
    "medline": re.compile(r"^(?:PMID- ?\d|PMC +- ?\S|OWN - NLM|FAU - \S)", re.MULTILINE),
    "wos": re.compile(r"^(?:FN (?:Clarivate|Thomson|ISI)|PT [A-Z]\s*$)", re.MULTILINE),
    "refworks": re.compile(r"^RT [A-Z][a-z].*\n(?:[A-Z][A-Z0-9] .*\n)*?(?:A1|T1) ", re.MULTILINE),
    # "%0 Journal Article", or two tag lines (AIS eLibrary writes records without "%0")
    "endnote": re.compile(r"^%0 \S|^%[A-Z] \S.*\n%[0-9A-Z] \S", re.MULTILINE),
    "bibtex": re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE),
}
_BY_SUFFIX = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".biblatex": "bibtex",
    ".ris": "ris",
    ".nbib": "medline",
    ".medline": "medline",
    ".isi": "wos",
    ".ciw": "wos",
    ".enw": "endnote",
    ".enl": "endnote",
    ".ovd": "ovid",
    ".cgi": "ovid",
    ".json": "csl-json",
    ".csljson": "csl-json",
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "text",
}
# header cells that name a title column in the tables search tools export
TITLE_COLUMNS = {
    "title",
    "title primary",
    "display_name",
    "title_display",
    "titles",
    "document title",
    "article title",
    "item title",
    "primary title",
    "primary_title",
    "ti",
}


def detect_format(text: str, suffix: str = "") -> str | None:
    """The reader for ``text`` (a key of :data:`FORMAT_NAMES`), or ``None`` when unknown.

    The format the extension names wins when its lines are there too; otherwise the first
    format whose lines are found; otherwise a table with a title column; otherwise the
    extension's format (a ``.txt`` is a printed reference list).

    Examples
    --------
    >>> detect_format("PMID- 123\\nTI  - A title", ".txt")
    'medline'
    >>> detect_format("TY - JOUR\\nTI - A title\\nER - ", ".txt")
    'ris'
    >>> detect_format("Title;Authors;Year\\nA;B;2020", ".txt")
    'csv'
    >>> detect_format("Tosun, J. (2017). Promoting youth employment.", ".txt")
    'text'
    """
    suffix = suffix.lower()
    text = text.lstrip("\ufeff")
    start = text.lstrip()[:1]
    if start and start in "[{":
        try:
            json.loads(text)
        except ValueError:
            if suffix == ".json":
                return "csl-json"  # the reader reports where the JSON breaks
        else:
            return "csl-json"
    own = _BY_SUFFIX.get(suffix)
    if own in _SIGNATURES and _SIGNATURES[own].search(text):
        return own
    if own == "csv":
        return "csv"
    for kind, signature in _SIGNATURES.items():
        if signature.search(text):
            return kind
    if sniff_delimiter(text) is not None:
        return "csv"
    return own


def sniff_delimiter(text: str, extra_titles: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The delimiter (comma, semicolon or tab) of a table whose header names a title column.

    The header is the first of the first 40 non-blank lines that names one (Embase writes a
    search preamble before it).

    Examples
    --------
    >>> sniff_delimiter("Authors\\tTitle\\tYear\\n"), sniff_delimiter("Some prose, with commas")
    ('\\t', None)
    """
    titles = TITLE_COLUMNS | extra_titles
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()][:40]
    for line in lines:
        best = None
        for delimiter in ("\t", ";", ","):
            cells = [c.strip().strip('"').strip().lower() for c in line.split(delimiter)]
            found = len(cells) > 1 and titles & set(cells)
            if found and (best is None or len(cells) > best[1]):
                best = (delimiter, len(cells))
        if best:
            return best[0]
    return None


def table_delimiter(
    text: str, suffix: str = "", extra_titles: set[str] | frozenset[str] = frozenset()
) -> str:
    """The delimiter of a table known to be one: sniffed, else tab for ``.tsv``, else comma."""
    sniffed = sniff_delimiter(text, extra_titles)
    if sniffed:
        return sniffed
    first = next((line for line in text.splitlines() if line.strip()), "")
    if suffix.lower() in (".tsv", ".tab") or first.count("\t") > max(first.count(","), 0):
        return "\t"
    if first.count(";") > first.count(","):
        return ";"
    return ","
