"""Compare a bibliography entry with the printed reference it comes from, value by value.

This check does not use the parser that built the entry (:mod:`evidence_kb.io.reflist`): it reads
the printed line as a stream of words and the few marks print uses to separate the parts of a
reference (italics ``*…*``, parentheses, an empty ``()`` a reference manager left), and asks:

* is every printed word in some field of the entry? (a value a merge or a misparse dropped:
  a second URL, a publisher, an issue);
* is every field of the entry printed as one part, not across a mark that separates two parts
  (a book title that runs on past its italics into the pages and publisher, a series title and
  publisher on both sides of an empty ``()``)?
* is each value in the field it belongs in: no editors ``(Ed.)`` or ``Publisher:`` in a book
  title, no publisher (:data:`PUBLISHER_NAMES`) at the end of a title, a periodical's name as a
  journal, a book's ``Place: Publisher`` as its publisher?

The vocabularies here are general (publisher names, periodical words), shared with the parser
only as data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote

from evidence_kb.model.records import Reference, container_field

__all__ = [
    "PERIODICAL",
    "PUBLISHER_NAMES",
    "PUBLISHER_TAIL",
    "printed_value_problems",
    "printed_words",
]

#: The start of a publisher's name: a title that runs into one (``… philosophy Routledge & K.
#: Paul``) holds its publisher. A general list, not the bundled data's: extend it for your field.
PUBLISHER_NAMES = (
    "Routledge",
    "Springer",
    "Sage",
    "SAGE",
    "Wiley",
    "Elsevier",
    "Palgrave",
    "Macmillan",
    "Jossey-Bass",
    "Kogan Page",
    "Taylor & Francis",
    "Emerald",
    "Edward Elgar",
    "Bohn Stafleu van Loghum",
    "Van Gorcum",
    "Boom",
    "Coutinho",
    "Eburon",
    "Oxford University Press",
    "Cambridge University Press",
    "Harvard University Press",
)
#: Words that name a periodical: a container without volume that has one is a journal.
PERIODICAL = re.compile(
    r"\b(?:Tijdschrift|Journal|Review|Quarterly|Magazine|Bulletin|Zeitschrift|Revue|Gazette)\b"
)
PUBLISHER_TAIL = re.compile(
    r"\s+(?P<publisher>(?:" + "|".join(map(re.escape, PUBLISHER_NAMES)) + r")\b[^()]*?)\.?$"
)
_PLACE_PUBLISHER = re.compile(r"^[A-Za-z][\w .,'-]{0,40}:\s*\S.*$")

# words print adds around the fields: "In", "(Eds.)", "pp.", "Retrieved from", link parts
_GLUE = frozenset(
    [
        "in",
        "eds",
        "ed",
        "red",
        "reds",
        "hrsg",
        "pp",
        "p",
        "retrieved",
        "from",
        "geraadpleegd",
        "op",
        "van",
        "available",
        "at",
        "doi",
        "https",
        "http",
        "www",
        "org",
        "publisher",
        "et",
        "al",
        "ea",
        "e",
        "a",
        "and",
        "en",
        "title",
    ]
)
_WORD = re.compile(r"\*|\(|\)|[^\W_]+")


def _tokens(text: str) -> list[str]:
    """Lower-case words without accents, and the marks ``*``, ``(``, ``)`` as tokens."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return _WORD.findall(folded)


def _contiguous(stream: list[str], value: list[str]) -> bool:
    """Whether ``value`` is a run of ``stream`` (a mark of ``stream`` breaks a run)."""
    n = len(value)
    return any(stream[i : i + n] == value for i in range(len(stream) - n + 1))


def _in_order(stream: list[str], value: list[str]) -> bool:
    """Whether the words of ``value`` are all in ``stream``, in order (maybe apart)."""
    words = iter(t for t in stream if t not in "*()")
    return all(any(t == w for t in words) for w in value)


def printed_value_problems(ref: Reference, raw: str) -> list[tuple[str, str, str]]:
    """What the printed line ``raw`` has that ``ref`` does not hold where it should.

    Returns (field, value, message) triples: the entry's attribute, or for its container the
    BibTeX field it is written as (``journal``, ``booktitle``, ``howpublished``).

    Examples
    --------
    >>> ref = Reference(
    ...     key="p1958",
    ...     entry_type="book",
    ...     authors=("Polanyi, M.",),
    ...     year=1958,
    ...     title="Personal knowledge Routledge & K. Paul",
    ... )
    >>> raw = "Polanyi, M. (1958). Personal knowledge Routledge & K. Paul."
    >>> [m for _, _, m in printed_value_problems(ref, raw)]
    ["ends with the publisher 'Routledge & K. Paul': expected it in publisher"]
    """
    problems = _field_problems(ref)
    body = re.sub(r"^\s*(?:[-•]\s+|\d{1,3}[.)]\s+)", "", unquote(raw))  # "%2F" is "/"
    body = re.sub(r"\b[A-Z]{3,}=", "", body)  # a reference manager's field label: "TITLE="
    head = re.match(r"^(?P<authors>.*?)\(\s*(?:\d{4}[a-z]?|n\.d\.|z\.d\.)[^)]*\)", body)
    pages = set(_tokens(ref.pages)) | {"pp", "p"}
    # pages may be printed inside another part's parentheses ("(3rd ed., pp. 1-2)")
    stream = [t for t in _tokens(body[head.end() :] if head else body) if t not in pages]
    for attr in _PARTS:
        for piece in _pieces(getattr(ref, attr)):
            words = _tokens(piece)
            if words and _in_order(stream, words) and not _contiguous(stream, words):
                message = (
                    f"is not printed as one part: the print separates {piece!r} with italics "
                    "or parentheses, so it holds more than one field"
                )
                name = container_field(ref.entry_type) if attr == "container" else attr
                problems.append((name, getattr(ref, attr), message))
                break
    after_pages = re.search(r"\([^()]*\bpp?\.\s*[\w–-]+\)\.?\s*(?P<after>[^.()]+)", body)
    if after_pages and ref.container:  # APA: "Book (pp. 1-20). Publisher."
        words = _tokens(after_pages["after"].removeprefix("Publisher:"))
        if words and _contiguous(_tokens(ref.container), words):
            message = (
                f"holds {after_pages['after'].strip()!r}, printed after the pages: the publisher"
            )
            problems.append((container_field(ref.entry_type), ref.container, message))
    fields = (ref.title, ref.container, ref.publisher, ref.editor, ref.volume, ref.issue)
    known = set(printed_words((*fields, ref.pages, ref.doi, ref.url)))
    left = [
        t
        for t in stream
        if t not in "*()" and t not in known and t not in _GLUE and not _is_year(t, ref)
    ]
    if left:
        message = f"lacks printed words: {' '.join(dict.fromkeys(left))!r} are in no field"
        problems.append(("source", " ".join(left), message))
    if head:
        names = {t for a in ref.authors for t in _tokens(a)}
        missing = [
            t
            for t in _tokens(head["authors"])
            if t not in names
            and t not in _GLUE
            and t not in "*()"
            and not (len(t) <= 2 and any(k.startswith(t) for k in names))
        ]
        if missing:
            message = f"lacks printed author words: {' '.join(missing)!r}"
            problems.append(("authors", "; ".join(ref.authors), message))
    return problems


def _pieces(value: str) -> list[str]:
    """A value split at its own sentence ends (a title and subtitle, a publisher printed twice)."""
    return [p for p in re.split(r"(?<=[a-z)])\.\s+", value) if p.strip()]


_PARTS = ("title", "container", "publisher", "editor")


def _is_year(token: str, ref: Reference) -> bool:
    return ref.year is not None and token.startswith(str(ref.year))


def _field_problems(ref: Reference) -> list[tuple[str, str, str]]:
    """Values in a field they do not belong in, whatever the print."""
    found = []
    field = container_field(ref.entry_type)  # the BibTeX field the container is written as
    tail = PUBLISHER_TAIL.search(ref.title)
    if tail and tail.start() > 0:
        publisher = tail["publisher"].strip()
        found.append(
            ("title", ref.title, f"ends with the publisher {publisher!r}: expected it in publisher")
        )
    container = ref.container
    if re.search(r"\((?:Eds?|Reds?|Hrsg)\.?\)|^In:?\s", container):
        found.append(
            (field, container, "holds the editors ('In … (Ed.)'): expected them in editor")
        )
    if re.search(r"\bPublisher:", container):
        found.append((field, container, "holds 'Publisher:': expected it in publisher"))
    if ref.entry_type not in ("article", "incollection", "inproceedings") and container:
        if PERIODICAL.search(container):
            message = "names a periodical: expected an article with this as its journal"
            found.append((field, container, message))
        elif _PLACE_PUBLISHER.match(container):
            found.append((field, container, "is a place and publisher: expected it in publisher"))
    return found


def printed_words(values: Iterable[str]) -> list[str]:
    """The words of ``values`` as :func:`printed_value_problems` compares them."""
    return [t for v in values for t in _tokens(v) if t not in "*()"]
