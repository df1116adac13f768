"""Citations and reference lists in APA 7 style, in Dutch ("e.a.", "z.d.") or English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

from evidence_kb.citations.resolve import family_name
from evidence_kb.model.cells import cell_text
from evidence_kb.model.records import REFERENCE_TEXT_FIELDS
from evidence_kb.model.text import NAME_PARTICLES
from evidence_kb.publish.layout import WORDS, Language


# -- citations and references in APA 7 style ---------------------------------------------------
def _authors(value: Any) -> list[str]:
    return [a.strip() for a in cell_text(value).split(";") if a.strip()]


def _names(authors: list[str]) -> tuple[list[str], bool]:
    """The author names, and whether print left some out (``"others"``, ``". . . Reed, R. L."``)."""
    names, gap = [], False
    for author in authors:
        if author.strip().lower() == "others":  # BibTeX's "and others": names left out
            gap = True
            continue
        name = re.sub(r"^(?:(?:\.\s*){3}|…\s*)", "", author).strip()
        gap = gap or name != author
        if family_name(name).strip(" .…&"):
            names.append(name)
        else:
            gap = True
    return names, gap


def _year(ref: Mapping[str, Any], language: Language) -> str:
    year = cell_text(ref.get("year"))
    year = year[:-2] if year.endswith(".0") else year
    suffix = cell_text(ref.get("year_suffix"))
    if not year:
        return WORDS[language]["no_date"] + (f"-{suffix}" if suffix else "")
    return year + suffix


def in_text_citation(ref: Mapping[str, Any], *, language: Language = "nl") -> str:
    """Return the APA 7 parenthetical citation of a reference, without the parentheses.

    Examples
    --------
    >>> in_text_citation({"authors": "Kallio, A.; Lappalainen, P.", "year": 2015})
    'Kallio & Lappalainen, 2015'
    >>> ref = {"authors": "Tee, P. K.; Cham, T.-H.; Low, M. P.; Lau, T.-C.", "year": 2021}
    >>> in_text_citation(ref), in_text_citation(ref, language="en")
    ('Tee e.a., 2021', 'Tee et al., 2021')
    """
    authors, gap = _names(_authors(ref.get("authors")))
    names = [family_name(a) for a in authors]
    if not authors:
        who = cell_text(ref.get("title")) or "?"
    elif gap or len(names) > 2:  # three or more authors, or a list printed with names left out
        who = f"{names[0]} {WORDS[language]['et_al']}"
    elif len(names) == 1:
        who = names[0]
    else:
        who = f"{names[0]} & {names[1]}"
    return f"{who}, {_year(ref, language)}"


def apa_name(name: str) -> str:
    """Return ``"Family, Given"`` with the given names as initials, as APA 7 prints them.

    A reference manager's full given names become initials; a hyphenated name keeps its
    hyphen; a name without a comma (an organisation) stays as it is.

    Examples
    --------
    >>> apa_name("Kallio, Hanna-Maija"), apa_name("de Vries, Piet Jan"), apa_name("Tee, P. K.")
    ('Kallio, H.-M.', 'de Vries, P. J.', 'Tee, P. K.')
    >>> apa_name("Kerngroep Learning Communities")
    'Kerngroep Learning Communities'

    Name particles written after the given names, as Dutch lists print them, stay words:

    >>> apa_name("Dorp, Marieke van"), apa_name("Torre, W. van der"), apa_name("Bergh, R. van de")
    ('Dorp, M. van', 'Torre, W. van der', 'Bergh, R. van de')
    """
    family, comma, given = name.partition(",")
    if not comma or not given.strip():
        return name
    words = []
    for word in given.replace(".", ". ").split():
        if word in NAME_PARTICLES:  # lower case only: "De" or "Van" as a given name is a name
            words.append(word)
            continue
        parts = [p for p in word.split("-") if p.strip(".")]
        if parts:
            words.append("-".join(p[0].upper() + "." for p in parts))
    return f"{family.strip()}, {' '.join(words)}" if words else family.strip()


def _apa_authors(authors: list[str], language: Language = "nl") -> str:
    names, gap = _names(authors)
    names = [apa_name(n) for n in names]
    if len(names) == 1 and not gap:
        return names[0]
    if authors[-1].strip().lower() == "others":  # printed with "et al.": the rest is unknown
        return ", ".join(names) + " " + WORDS[language]["et_al"]
    if gap or len(names) > 20:  # APA 7: the first 19 (or as many as printed), ". . .", the last one
        return ", ".join(names[: min(19, len(names) - 1)]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def apa_reference(ref: Mapping[str, Any], *, language: Language = "nl") -> list[tuple[str, bool]]:
    """Return an APA 7 reference as ``(text, italic)`` segments.

    Articles italicise the journal and volume, books and reports the title, chapters the book.

    Examples
    --------
    >>> ref = {
    ...     "entry_type": "article",
    ...     "authors": "Tosun, J.",
    ...     "year": 2017,
    ...     "title": "Promoting youth employment",
    ...     "container": "Public Money & Management",
    ...     "volume": "37",
    ...     "issue": "1",
    ...     "pages": "39-46",
    ...     "doi": "10.1080/1",
    ... }
    >>> "".join(text for text, _ in apa_reference(ref))
    'Tosun, J. (2017). Promoting youth employment. Public Money & Management, 37(1), 39–46. https://doi.org/10.1080/1'
    """
    get = {k: cell_text(ref.get(k)) for k in _APA_FIELDS}
    authors = _authors(ref.get("authors"))
    year = f"({_year(ref, language)}). "
    title = _sentence(get["title"])
    pages = get["pages"].replace("--", "–").replace("-", "–")
    parts: list[tuple[str, bool]] = (
        [(_apa_authors(authors, language) + " " + year, False)] if authors else []
    )
    kind = get["entry_type"].lower()
    if kind == "article":
        parts.append((title + " ", False) if authors else (title + " " + year, False))
        parts += _journal(get, pages)
    elif kind in {"incollection", "inbook", "inproceedings"}:
        parts.append((title + " ", False) if authors else (title + " " + year, False))
        parts += _book_of_chapter(get["container"], pages, cell_text(ref.get("editor")))
    else:  # book, report, thesis, misc
        parts.append((title, True))
        if not authors:
            parts.append((" " + year.strip(), False))
        if get["container"]:
            parts.append((" " + _sentence(get["container"]), False))
    if get["publisher"] and get["publisher"] not in get["container"]:
        parts.append((" " + _sentence(get["publisher"]), False))
    link = f"https://doi.org/{get['doi']}" if get["doi"] else get["url"]
    if link:
        parts.append((" " + link, False))
    return parts


_APA_FIELDS = ("entry_type", *REFERENCE_TEXT_FIELDS)  # the fields a reference is written from


def _journal(get: Mapping[str, str], pages: str) -> list[tuple[str, bool]]:
    """The journal of an article, italic with its volume: ``Journal, 37(1), 39–46.``

    Without a journal, the volume, issue and pages are printed all the same (``37(1), 39–46.``).
    """
    if not any(get[k] for k in ("container", "volume", "issue")) and not pages:
        return []
    parts = [(get["container"], True)] if get["container"] else []
    if get["volume"]:
        parts += [(", " if parts else "", False), (get["volume"], True)]
    if get["issue"]:
        parts.append((f"({get['issue']})", False))
    if pages:
        parts.append((f", {pages}" if parts else pages, False))
    parts.append((".", False))
    return [(text, italic) for text, italic in parts if text]


_EDITORS = re.compile(r"^(?P<editors>[^()]+\((?:Eds?|Reds?|Hrsg)\.\))[.,]?\s+(?P<book>.+)$")
_PUBLISHER = re.compile(
    r"^(?P<book>.+?)\.\s+(?:Publisher:\s*)?(?P<publisher>[A-Z][\w .'-]*:\s*[^:]+)$"
)


def _book_of_chapter(container: str, pages: str, editor: str = "") -> list[tuple[str, bool]]:
    """The book a chapter is in, italic: ``In E. Editor (Ed.), Book (pp. 1–20). Publisher.``

    Editors and a publisher that a bibliography left inside the book title
    (``"J. Wilson (Ed.), Book. Publisher: London: Kogan Page"``) are printed before and after
    the title, never in it.
    """
    book = re.sub(r"^In:?\s+", "", container).rstrip(".")
    if not book:
        return []
    editors = publisher = ""
    if editor:
        several = re.search(r"&| and |;", editor)
        editors = f"{editor} ({'Eds.' if several else 'Ed.'}), "
    match = _EDITORS.match(book)
    if match:
        editors, book = match["editors"].strip() + ", ", match["book"]
    match = _PUBLISHER.match(book)
    if match:
        book, publisher = match["book"], " " + _sentence(match["publisher"])
    edition = re.search(r"\s*\((?P<edition>[^()]*\bed\.)\)$", book)  # "Book (3rd ed.)"
    details = [edition["edition"]] if edition else []
    book = book[: edition.start()] if edition else book
    details += [f"pp. {pages}"] if pages else []
    pp = f" ({', '.join(details)})." if details else "."
    return [("In " + editors, False), (book, True), (pp + publisher, False)]
