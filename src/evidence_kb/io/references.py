"""Read references from the files researchers have, into one normalised DataFrame.

:func:`read_references` picks the reader from the file: BibTeX (``.bib``), RIS (``.ris``, or a
``.txt`` export that starts with a ``TY  -`` tag, as EndNote and Ovid write them), CSL-JSON
(``.json``, as Zotero exports it), CSV (a Scopus export, or a plain table such as the
deduplication benchmark's), and a plain-text reference list as printed in a factsheet (other
``.txt`` files). Every record keeps the line where it starts and its original text; a record
that cannot be read is reported, never dropped silently.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.io.text import read_text
from evidence_kb.model.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

REFERENCE_COLUMNS = [
    "id",
    "entry_type",
    "authors",
    "year",
    "title",
    "container",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
    "publisher",
    "abstract",
    "file",
    "line",
    "raw",
]

# Column names of a Scopus CSV export -> our fields
_SCOPUS = {
    "Authors": "authors",
    "Author full names": None,
    "Title": "title",
    "Year": "year",
    "Source title": "container",
    "Volume": "volume",
    "Issue": "issue",
    "DOI": "doi",
    "Link": "url",
    "Publisher": "publisher",
    "Abstract": "abstract",
    "Document Type": "entry_type",
    "EID": "id",
}
# Plain CSV (e.g. the deduplication benchmark): lower-cased column -> our field
_PLAIN = {
    "id": "id",
    "key": "id",
    "entrytype": "entry_type",
    "entry_type": "entry_type",
    "type": "entry_type",
    "author": "authors",
    "authors": "authors",
    "title": "title",
    "year": "year",
    "journal": "container",
    "booktitle": "container",
    "container": "container",
    "source": "container",
    "volume": "volume",
    "number": "issue",
    "issue": "issue",
    "pages": "pages",
    "doi": "doi",
    "url": "url",
    "publisher": "publisher",
    "abstract": "abstract",
}


def read_references(
    path: str | os.PathLike[str], *, format: str | None = None, strict: bool = True
) -> pd.DataFrame:
    """Read a reference file of any supported format into a normalised DataFrame.

    Parameters
    ----------
    path
        A ``.bib``, ``.ris``, ``.json`` (CSL-JSON), ``.csv`` (Scopus or plain) or ``.txt``
        (RIS, or a printed reference list) file.
    format
        Force a reader: ``"bibtex"``, ``"ris"``, ``"csl-json"``, ``"csv"`` or ``"text"``.
    strict
        Raise :class:`~evidence_kb.InputError` when a record cannot be read (the default);
        otherwise return the readable records and keep the problems in ``frame.attrs["problems"]``.

    Returns
    -------
    pandas.DataFrame
        One row per record with :data:`REFERENCE_COLUMNS`: ``authors`` joined by ``" and "``
        (BibTeX style), ``year`` as text, ``file`` and ``line`` (where the record starts) and
        ``raw`` (the record as written in the file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "list.txt"
    >>> _ = path.write_text(
    ...     "Tosun, J. (2017). Promoting youth employment. Public Money, 37(1), 39-46."
    ... )
    >>> read_references(path)[["authors", "year", "container", "pages", "line"]].values.tolist()
    [['Tosun, J.', '2017', 'Public Money', '39-46', 1]]
    """
    path = Path(path)
    text = read_text(path)
    kind = format or _detect(path, text)
    readers = {
        "bibtex": _read_bibtex,
        "ris": _read_ris,
        "csl-json": _read_csl_json,
        "csv": _read_csv,
        "text": _read_text_list,
    }
    if kind not in readers:
        msg = f"unknown format {kind!r}; expected one of: {', '.join(readers)}"
        raise ValueError(msg)
    rows, problems = readers[kind](text, path.name)
    frame = _frame(rows, path.name)
    errors = [p for p in problems if p.severity == "error"]
    if strict and errors:
        raise InputError(problems)
    frame.attrs["problems"] = problems
    return frame


def _detect(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".bib", ".bibtex"):
        return "bibtex"
    if suffix in (".ris", ".nbib", ".enw") or re.match(r"\s*TY  - ", text):
        return "ris"
    if suffix == ".json":
        return "csl-json"
    if suffix == ".csv":
        return "csv"
    if suffix == ".txt":
        return "text"
    msg = (
        f"{path.name}: cannot tell the format from the extension {suffix!r}; "
        "use .bib, .ris, .json, .csv or .txt, or pass format="
    )
    raise InputError([Problem(path.name, None, None, None, msg)])


def _frame(rows: list[dict[str, Any]], file_name: str) -> pd.DataFrame:
    import pandas as pd

    for number, row in enumerate(rows, start=1):
        row.setdefault("file", file_name)
        if not row.get("id"):
            row["id"] = f"{file_name}:{row.get('line', number)}"
        for col in REFERENCE_COLUMNS:
            value = row.get(col)
            if col == "line":
                continue
            row[col] = (
                ""
                if value is None
                else " ".join(str(value).split())
                if col != "raw"
                else str(value)
            )
    frame = pd.DataFrame(rows, columns=REFERENCE_COLUMNS)
    frame["line"] = frame["line"].astype("Int64")
    return frame


def _read_bibtex(text: str, file_name: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    from evidence_kb.io.bibtex import parse_bibtex_entries

    refs, problems = parse_bibtex_entries(text, file_name=file_name, keep_duplicates=True)
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines, start=1) if line.lstrip().startswith("@")]
    rows = []
    for start, ref in refs:
        end = next((s for s in starts if s > start), len(lines) + 1)
        rows.append(
            {
                "id": ref.key,
                "entry_type": ref.entry_type,
                "authors": join_authors(ref.authors),
                "year": str(ref.year or ""),
                "title": ref.title,
                "container": ref.container,
                "volume": ref.volume,
                "issue": ref.issue,
                "pages": ref.pages,
                "doi": ref.doi,
                "url": ref.url,
                "publisher": ref.publisher,
                "line": start,
                "raw": "\n".join(lines[start - 1 : end - 1]).strip(),
            }
        )
    return rows, problems


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


_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -( |$)")


def _read_ris(text: str, file_name: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Split the file into records at ``TY`` tags and parse each with rispy.

    Lines outside a record (EndNote and Ovid write headers and blank lines) are reported as
    warnings; a record without its ``ER`` end tag (a truncated file) is loaded with an error.
    """
    import rispy

    problems: list[Problem] = []
    records: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        tag = _RIS_TAG.match(line)
        if tag and tag.group(1) == "TY":
            if current is not None:
                problems.append(_truncated(file_name, records[-1][0]))
            current = [line]
            records.append((number, current))
        elif current is not None:
            current.append(line)
            if tag and tag.group(1) == "ER":
                current = None
        elif line.strip():
            msg = f"line outside any record is ignored: {line.strip()[:60]!r}"
            problems.append(Problem(file_name, number, None, line.strip()[:60], msg, "warning"))
    if current is not None:
        problems.append(_truncated(file_name, records[-1][0]))

    rows = []
    for start, lines in records:
        chunk = "\n".join(lines)
        if not any(_RIS_TAG.match(line) and line.startswith("ER") for line in lines):
            chunk += "\nER  - \n"
        try:
            [entry] = rispy.loads(chunk)
        except (ValueError, KeyError, IndexError) as err:  # rispy raises these on bad records
            problems.append(
                Problem(file_name, start, None, None, f"cannot read this RIS record: {err}")
            )
            continue
        for tag, values in (entry.get("unknown_tag") or {}).items():
            msg = f"unknown RIS tag {tag!r} is ignored (value {'; '.join(values)[:40]!r})"
            problems.append(Problem(file_name, start, tag, None, msg, "warning"))
        pages = entry.get("start_page", "")
        if entry.get("end_page"):
            pages = f"{pages}-{entry['end_page']}"
        year = str(entry.get("year") or entry.get("publication_year") or entry.get("date") or "")
        rows.append(
            {
                "id": entry.get("id") or entry.get("accession_number") or "",
                "entry_type": entry.get("type_of_reference", ""),
                "authors": " and ".join(entry.get("authors", []) or entry.get("first_authors", [])),
                "year": (re.search(r"\d{4}", year) or [""])[0],
                "title": entry.get("title") or entry.get("primary_title", ""),
                "container": entry.get("secondary_title")
                or entry.get("journal_name")
                or entry.get("alternate_title1", ""),
                "volume": entry.get("volume", ""),
                "issue": entry.get("number", ""),
                "pages": pages,
                "doi": entry.get("doi", ""),
                "url": "; ".join(entry.get("urls", [])),
                "publisher": entry.get("publisher", ""),
                "abstract": entry.get("abstract", ""),
                "line": start,
                "raw": "\n".join(lines).strip(),
            }
        )
    return rows, problems


def _truncated(file_name: str, start: int) -> Problem:
    msg = (
        "record has no 'ER  -' end tag: the file may be truncated; "
        "it was read up to the next record"
    )
    return Problem(file_name, start, None, None, msg)


def _read_csl_json(text: str, file_name: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as err:
        msg = f"not valid JSON: {err.msg} (column {err.colno})"
        return [], [Problem(file_name, err.lineno, None, None, msg)]
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list):
        msg = f"expected a list of CSL-JSON items, got {type(items).__name__}"
        return [], [Problem(file_name, 1, None, None, msg)]
    rows, problems = [], []
    for number, item in enumerate(items, start=1):
        where = f"item {number}"
        if not isinstance(item, dict):
            msg = f"{where}: expected an object, got {type(item).__name__}"
            problems.append(Problem(file_name, None, None, None, msg))
            continue
        authors, bad = [], False
        for person in item.get("author", []) or []:
            if not isinstance(person, dict):
                bad = True
                continue
            name = person.get("literal") or ", ".join(
                p for p in (person.get("family", ""), person.get("given", "")) if p
            )
            authors.append(str(name))
        if bad or not isinstance(item.get("author", []), list):
            msg = (
                f"{where} ({item.get('id', '?')}): "
                "'author' must be a list of {family, given} objects"
            )
            problems.append(Problem(file_name, None, "author", None, msg))
            continue
        issued = item.get("issued", {})
        year = ""
        if isinstance(issued, dict):
            parts = issued.get("date-parts") or [[]]
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                year = str(parts[0][0])
            elif issued.get("raw"):
                year = (re.search(r"\d{4}", str(issued["raw"])) or [""])[0]
        elif issued:
            msg = f"{where} ({item.get('id', '?')}): 'issued' must be an object with 'date-parts'"
            problems.append(Problem(file_name, None, "issued", str(issued), msg))
            continue
        rows.append(
            {
                "id": str(item.get("id", "")),
                "entry_type": str(item.get("type", "")),
                "authors": " and ".join(authors),
                "year": year,
                "title": item.get("title", ""),
                "container": item.get("container-title", ""),
                "volume": item.get("volume", ""),
                "issue": item.get("issue", ""),
                "pages": item.get("page", ""),
                "doi": item.get("DOI", ""),
                "url": item.get("URL", ""),
                "publisher": item.get("publisher", ""),
                "abstract": item.get("abstract", ""),
                "line": None,
                "raw": json.dumps(item, ensure_ascii=False),
            }
        )
    return rows, problems


def _read_csv(text: str, file_name: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    text = text.replace("\r\n", "\n")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [Problem(file_name, 1, None, None, "file is empty: expected a header row")]
    scopus = "Source title" in header or "EID" in header
    mapping = _SCOPUS if scopus else {h: _PLAIN.get(h.lower()) for h in header}
    if not any(mapping.get(h) == "title" for h in header):
        msg = f"no title column; the header has: {', '.join(header)}"
        return [], [Problem(file_name, 1, None, None, msg)]
    rows, problems = [], []
    previous = reader.line_num
    lines = text.split("\n")
    for cells in reader:
        start, previous = previous + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            msg = f"expected {len(header)} cells (as in the header), found {len(cells)}"
            problems.append(Problem(file_name, start, None, None, msg))
            continue
        row: dict[str, Any] = {"line": start, "raw": "\n".join(lines[start - 1 : reader.line_num])}
        for name, value in zip(header, cells, strict=True):
            field = mapping.get(name)
            if field and not row.get(field):
                row[field] = value
        if scopus:
            record = dict(zip(header, cells, strict=True))
            first, last = record.get("Page start", ""), record.get("Page end", "")
            row["pages"] = (
                f"{first}-{last}" if first and last else first or record.get("Art. No.", "")
            )
            row["authors"] = " and ".join(
                a.strip() for a in row.get("authors", "").split(";") if a.strip()
            )
        rows.append(row)
    return rows, problems


def _read_text_list(text: str, file_name: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    from evidence_kb.io.reflist import parse_reference_list

    refs = parse_reference_list(text)
    rows, problems = [], []
    for _, ref in refs.iterrows():
        if not ref["parsed"]:
            msg = f"{ref['note']}: {ref['raw'][:60]!r}"
            problems.append(Problem(file_name, int(ref["line"]), None, None, msg, "warning"))
        rows.append(
            {
                "id": f"{file_name}:{ref['line']}",
                "entry_type": ref["entry_type"],
                "authors": " and ".join(ref["authors"]),
                "year": "" if str(ref["year"]) == "<NA>" else str(ref["year"]),
                "title": ref["title"],
                "container": ref["container"],
                "volume": ref["volume"],
                "issue": ref["issue"],
                "pages": ref["pages"],
                "doi": ref["doi"],
                "url": ref["url"],
                "line": int(ref["line"]),
                "raw": ref["raw"],
            }
        )
    return rows, problems
