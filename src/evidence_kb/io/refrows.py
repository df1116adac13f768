"""The rows of :func:`~evidence_kb.read_references` as :class:`Reference` records with keys.

The author field of those rows (names joined by ``" and "``, as BibTeX does) and the mapping
of record types to BibTeX entry types live here, used by the knowledge-base loader
(:mod:`evidence_kb.io.kbdir`) and by :func:`~evidence_kb.to_bibtex`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from evidence_kb.model.errors import Problem
from evidence_kb.model.records import REFERENCE_TEXT_FIELDS, Reference
from evidence_kb.model.text import make_key

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["join_authors", "references_from_frame", "split_author_field"]


def join_authors(names: list[str] | tuple[str, ...]) -> str:
    """Join names with ``" and "`` as BibTeX does; a name holding " and " is braced.

    Examples
    --------
    >>> join_authors(["Food and Agriculture Organization", "Smith, J."])
    '{Food and Agriculture Organization} and Smith, J.'
    """
    cleaned = (" ".join(str(n).split()) for n in names)
    return " and ".join(f"{{{n}}}" if " and " in n else n for n in cleaned if n)


def split_author_field(text: str) -> list[str]:
    """Split ``authors`` of :func:`read_references` into names (braces keep a name whole).

    Examples
    --------
    >>> split_author_field("{Food and Agriculture Organization} and Smith, J.")
    ['Food and Agriculture Organization', 'Smith, J.']
    """
    names, depth, start = [], 0, 0
    text = str(text)
    for i, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and text.startswith(" and ", i):
            names.append(text[start:i])
            start = i + 5
    names.append(text[start:])
    out = []
    for name in (n.strip() for n in names):
        if name.startswith("{") and name.endswith("}"):
            name = name[1:-1].strip()
        if name:
            out.append(name)
    return out


# RIS (TY) and CSL-JSON (type) record types -> BibTeX entry types; others become "misc"
_ENTRY_TYPES = {
    "jour": "article",
    "article-journal": "article",
    "article": "article",
    "book": "book",
    "chap": "incollection",
    "chapter": "incollection",
    "conf": "inproceedings",
    "cpaper": "inproceedings",
    "paper-conference": "inproceedings",
    "rprt": "techreport",
    "report": "techreport",
    "thes": "phdthesis",
    "thesis": "phdthesis",
    "elec": "online",
    "web": "online",
    "webpage": "online",
    "web page": "online",  # the record types of read_references
    "conference paper": "inproceedings",
}


def references_from_frame(
    frame: pd.DataFrame, *, file_name: str
) -> tuple[list[Reference], list[Problem]]:
    """Turn the rows of :func:`~evidence_kb.read_references` into references with keys.

    A record keeps the key its file gives (RIS ``ID``, CSL-JSON ``id``); a record without one
    gets a readable key, first author's family name and year (``tosun2017``, then
    ``tosun2017b`` for a second work). A repeated key or a year that is not a number is an
    error; a record without a year is loaded with a warning, as in BibTeX.
    """
    from pydantic import ValidationError

    references: list[Reference] = []
    problems: list[Problem] = []
    keys: set[str] = set()
    given = {str(k).strip() for k in frame["id"]}  # generated keys stay clear of these
    for row in frame.to_dict("records"):
        line = None if row["line"] is None or str(row["line"]) == "<NA>" else int(row["line"])
        authors = tuple(split_author_field(str(row["authors"])))
        year_text = str(row["year"]).strip()
        year = int(year_text) if re.fullmatch(r"\d{1,4}", year_text) else None
        key = str(row["id"]).strip()
        if not key or key.startswith(f"{file_name}:"):  # read_references' stand-in id
            key = base = make_key(list(authors), year)
            suffix = ord("b")
            while key in keys or key in given:
                key, suffix = f"{base}{chr(suffix)}", suffix + 1
        elif key in keys:
            msg = f"duplicate key {key!r}: each record needs its own ID"
            problems.append(Problem(file_name, line, "key", key, msg))
            continue
        if year_text and year is None:
            msg = f"year {year_text!r} is not a number; expected four digits such as 2015"
            problems.append(Problem(file_name, line, "year", year_text, msg))
        elif not year_text:
            msg = f"record {key!r} has no year; it is cited as 'z.d.' (n.d.)"
            problems.append(Problem(file_name, line, "year", "", msg, "warning"))
        keys.add(key)
        text: dict[str, Any] = {name: str(row[name]) for name in REFERENCE_TEXT_FIELDS}
        editor = row.get("editor")
        text["editor"] = "" if editor is None or editor != editor else str(editor)  # NaN
        try:
            reference = Reference(
                key=key,
                entry_type=_ENTRY_TYPES.get(str(row["entry_type"]).lower(), "misc"),
                authors=authors,
                year=year,
                year_suffix=_suffix(row.get("year_suffix")) if year is not None else "",
                **text,
                source=f"{file_name}, line {line}" if line is not None else file_name,
            )
        except ValidationError as err:
            msg = f"record {key!r} cannot be read: {err.errors()[0]['msg']}"
            problems.append(Problem(file_name, line, None, None, msg))
            continue
        references.append(reference)
    return references, problems


def _suffix(value: Any) -> str:
    """The letter of a year such as ``2023a`` as a cell of the frame holds it (NaN: none)."""
    return "" if value is None or value != value else str(value).strip()
