"""Read references from the files researchers have, into one normalised DataFrame.

:func:`read_references` tells the format from the content (see
:func:`~evidence_kb.io.detect.detect_format`): BibTeX/biblatex, RIS, PubMed MEDLINE, Web of
Science plain text, EndNote tagged, Ovid, CSL-JSON (a list, an object keyed by id, or a
Crossref API answer), CSV/TSV tables exported by Scopus, Web of Science, IEEE Xplore,
SpringerLink, PubMed, Embase or ASReview, and a printed reference list (a ``.txt`` that is
nothing else). Every record keeps the line where it starts and its original text; a record
that cannot be read is reported, never dropped silently; and a file that gives no records,
or of which most lines were not read, is refused in strict mode.

Every reader gives the same columns, :data:`REFERENCE_COLUMNS`: ``entry_type`` from
:data:`~evidence_kb.io.fields.RECORD_TYPES` (the file's own type in ``raw_type``), ``authors``
joined by ``" and "`` (BibTeX style; a name holding " and " is braced), ``year`` as text,
``doi`` in lower case without resolver prefix, ``database`` where the file says it,
``source_file`` (the path as given), ``file`` and ``line`` (where the record starts) and
``raw`` (the record as written). The field maps of each format are data: ``_COLUMNS`` and
``_WOS_COLUMNS`` for tables, :data:`~evidence_kb.io.fields.CSL_FIELDS` for CSL-JSON, and the
tag mappings of :mod:`evidence_kb.io.tagged`.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.io import tagged
from evidence_kb.io.bibtex import format_bibtex, parse_bibtex_entries
from evidence_kb.io.detect import FORMAT_NAMES, detect_format, table_delimiter
from evidence_kb.io.fields import (
    CSL_FIELDS,
    REFERENCE_COLUMNS,
    clean_title,
    first_year,
    normalise_doi,
    normalise_type,
)
from evidence_kb.io.guard import check_output
from evidence_kb.io.refframe import ReferenceFrame
from evidence_kb.io.reflist import parse_reference_list
from evidence_kb.io.refrows import join_authors, references_from_frame, split_author_field
from evidence_kb.io.text import MAX_BYTES, read_text, write_text
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.printed import PRINTED_FIELDS
from evidence_kb.model.records import REFERENCE_TEXT_FIELDS

if TYPE_CHECKING:
    from _csv import Reader

    import pandas as pd

    from evidence_kb.io.refframe import ReferenceFrame

__all__ = [  # REFERENCE_COLUMNS lives in io.fields, join_authors and split_author_field in
    # io.refrows; importable here as before
    "REFERENCE_COLUMNS",
    "join_authors",
    "read_references",
    "split_author_field",
    "to_bibtex",
]

# Table columns (lower-cased) of Scopus, Web of Science, IEEE Xplore, SpringerLink, PubMed,
# Embase, ASReview and plain tables -> our field; the first column present wins
_COLUMNS = {
    "id": ("id", "key", "record_id", "eid", "pmid", "ut (unique wos id)", "accession number"),
    "entry_type": (
        "entry_type",
        "entrytype",
        "type",
        "document type",
        "type_of_reference",
        "content type",
        "publication type",
        "document identifier",
    ),
    "authors": ("authors", "author", "author names", "first_authors", "author full names"),
    "year": ("year", "publication year", "publication_year", "pubyear", "date", "year published"),
    "title": ("title", "document title", "article title", "item title", "primary_title", "titles"),
    "container": (
        "source title",
        "journal",
        "journal/book",
        "publication title",
        "journal title",
        "secondary_title",
        "journal_name",
        "booktitle",
        "container",
        "source",
    ),
    "volume": ("volume", "journal volume"),
    "issue": ("issue", "number", "journal issue"),
    "pages": ("pages", "page range"),
    "doi": ("doi", "item doi"),
    "url": ("url", "link", "urls"),
    "publisher": ("publisher",),
    "abstract": ("abstract",),
}
_PAGE_PAIRS = (("page start", "page end"), ("start page", "end page"), ("start_page", "end_page"))
# Web of Science's tab-delimited export names its columns by tag
_WOS_COLUMNS = {
    "id": ("ut",),
    "entry_type": ("dt", "pt"),
    "authors": ("af", "au"),
    "year": ("py",),
    "title": ("ti",),
    "container": ("so",),
    "volume": ("vl",),
    "issue": ("is",),
    "doi": ("di",),
    "publisher": ("pu",),
    "abstract": ("ab",),
}
# Embase's "Source": "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014"
_EMBASE_SOURCE = re.compile(
    r"^(?P<journal>.+?) \((?P<year>\d{4})\)(?: (?P<volume>[^:\s(]+)(?::(?P<issue>\S+))?)?"
    r"(?: \((?P<pages>[^)]*)\))?"
)


def read_references(
    path: str | os.PathLike[str] | list[str | os.PathLike[str]] | tuple[Any, ...],
    *,
    format: str | None = None,
    strict: bool = True,
    encoding: str | None = None,
) -> ReferenceFrame:
    """Read one or several reference files of any supported format into one DataFrame.

    Parameters
    ----------
    path
        A file, or a list of files read one after the other (rows concatenated, the problems
        of all kept). The format is told from the content (a ``.txt`` from PubMed, Web of
        Science or Ovid is read as what it holds).
    format
        Force a reader: ``"bibtex"``, ``"ris"``, ``"medline"``, ``"wos"``, ``"endnote"``,
        ``"ovid"``, ``"csl-json"``, ``"csv"`` or ``"text"``.
    strict
        Raise :class:`~evidence_kb.InputError` when a record cannot be read, a non-empty file
        gives no records, or most of its non-blank lines were not read (the default);
        otherwise return the readable records and keep the problems in ``refs.problems``.
    encoding
        Decode the files with this encoding instead of UTF-8 (``"cp1252"`` for files saved
        by Excel or Word on Windows).

    Returns
    -------
    ReferenceFrame
        A :class:`pandas.DataFrame`, one row per record with :data:`REFERENCE_COLUMNS` (see the
        module docstring). ``refs.problems`` holds the problems met (warnings, and errors when
        not strict), ``refs.formats`` maps each file name to the format read. (``refs.attrs``
        holds the same two for one more release only: deprecated.)

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

    paths = list(path) if isinstance(path, list | tuple) else [path]
    if not paths:
        msg = "read_references needs at least one path"
        raise ValueError(msg)
    frame, problems, formats = _read_all([Path(p) for p in paths], format, encoding)
    if strict and any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return ReferenceFrame.of(frame, problems, formats)


def _read_all(
    paths: list[Path], format: str | None, encoding: str | None
) -> tuple[pd.DataFrame, list[Problem], dict[str, str]]:
    """Read files one after the other: their rows in one frame, all problems, each format."""
    import pandas as pd

    frames, problems, formats = [], [], {}
    for path in paths:
        frame, found, kind = _read_one(path, format=format, encoding=encoding)
        frames.append(frame)
        problems.extend(found)
        formats[path.name] = kind
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame["line"] = frame["line"].astype("Int64")
    return frame, problems, formats


_READERS = ("bibtex", "ris", "medline", "wos", "endnote", "ovid", "csl-json", "csv", "text")


def _read_one(
    path: Path, *, format: str | None, encoding: str | None
) -> tuple[pd.DataFrame, list[Problem], str]:
    """Read one file: its frame, its problems (with the strict-mode checks) and its format."""
    if format is not None and format not in _READERS:
        msg = f"unknown format {format!r}; expected one of: {', '.join(_READERS)}"
        raise ValueError(msg)
    text = read_text(path, encoding=encoding)
    kind = format or detect_format(text, path.suffix)
    if kind is None:
        msg = (
            f"cannot tell the format of this file: it is no BibTeX, RIS, MEDLINE, Web of "
            f"Science, EndNote, Ovid, CSL-JSON or table, and its extension {path.suffix!r} "
            "says nothing; pass format= (one of " + ", ".join(_READERS) + "), or export the "
            "records again as RIS (XML exports of PubMed, Embase or EndNote are not read)"
        )
        raise InputError([Problem(path.name, None, None, None, msg)])
    readers = {
        "bibtex": _read_bibtex,
        "ris": tagged.read_ris,
        "medline": tagged.read_medline,
        "wos": tagged.read_wos,
        "endnote": tagged.read_endnote,
        "ovid": tagged.read_ovid,
        "csl-json": _read_csl_json,
        "csv": lambda t, n: _read_csv(t, n, path.suffix),
        "text": _read_text_list,
    }
    rows, problems, ignored = readers[kind](text, path.name)
    problems = list(problems)
    problems += _normalise(rows, path.name)
    problems += _check_coverage(text, rows, ignored, path.name, kind)
    return _frame(rows, path.name, str(path)), problems, kind


def _check_coverage(
    text: str, rows: list[dict[str, Any]], ignored: int, file_name: str, kind: str
) -> list[Problem]:
    """Errors for a non-empty file that gave no records, or whose lines were mostly ignored."""
    name = FORMAT_NAMES[kind]
    hint = (
        "is it another format? Pass format= to choose the reader, or export the records "
        "again as RIS or BibTeX"
    )
    if text.strip() and not rows:
        msg = f"no records found in this non-empty file (read as {name}); {hint}"
        return [Problem(file_name, None, None, None, msg)]
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines and ignored * 2 > lines:
        msg = (
            f"{ignored} of its {lines} non-blank lines were not read as {name} records "
            f"(only {len(rows)} record{'s' if len(rows) != 1 else ''} found); {hint}"
        )
        return [Problem(file_name, None, None, None, msg)]
    return []


def _normalise(rows: list[dict[str, Any]], file_name: str) -> list[Problem]:
    """Give every reader's rows the same shape: types, authors, DOIs, years, titles."""
    problems = []
    for row in rows:
        raw_type = str(row.get("entry_type") or "")
        row["raw_type"] = raw_type
        row["entry_type"] = normalise_type(raw_type)
        authors = row.get("authors") or ""
        if isinstance(authors, list | tuple):
            authors = join_authors([str(a) for a in authors])
        row["authors"] = authors
        doi = str(row.get("doi") or "")
        if doi.strip():
            clean, ok = normalise_doi(doi)
            row["doi"] = clean
            if not ok:
                msg = f"{doi.strip()[:60]!r} does not look like a DOI (10.xxxx/...); kept as is"
                problems.append(Problem(file_name, row.get("line"), "doi", doi, msg, "warning"))
        if not any(str(row.get(f) or "").strip() for f in ("title", "authors", "doi", "year")):
            msg = "record has no title, authors, year or DOI: check it in the file"
            problems.append(Problem(file_name, row.get("line"), None, None, msg, "warning"))
        year = str(row.get("year") or "").strip()
        if year and not re.fullmatch(r"\d{4}", year):
            found = first_year(year)
            if found and re.fullmatch(r"[\[(]?\d{4}[\])]?[a-z]?|\d{4}[-/.][\d/.-]*|\d{4}/+", year):
                row["year"] = found
            elif found:
                msg = f"year {year!r} read as {found}"
                problems.append(Problem(file_name, row.get("line"), "year", year, msg, "warning"))
                row["year"] = found
    return problems


def _frame(rows: list[dict[str, Any]], file_name: str, source_file: str) -> pd.DataFrame:
    import pandas as pd

    for number, row in enumerate(rows, start=1):
        row["file"] = file_name
        row["source_file"] = source_file
        if not row.get("id"):
            row["id"] = f"{file_name}:{row.get('line') or number}"  # JSON items have no line
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


def _read_bibtex(text: str, file_name: str) -> tuple[list[dict[str, Any]], list[Problem], int]:

    refs, problems = parse_bibtex_entries(text, file_name=file_name, keep_duplicates=True)
    raw_text = _entry_texts(text)
    rows = []
    for start, ref in refs:
        rows.append(
            {
                "id": ref.key,
                "entry_type": ref.entry_type,
                "authors": join_authors(ref.authors),
                "year": str(ref.year or ""),
                **{name: getattr(ref, name) for name in REFERENCE_TEXT_FIELDS},
                "line": start,
                "raw": raw_text(start),
            }
        )
    return rows, problems, 0


def _entry_texts(text: str):
    """A function: the line of an entry -> its text, up to the next line that starts with ``@``.

    One pass over ``text`` finds the lines that start with ``@`` (their numbers and offsets);
    the text is not split into lines, which would hold the file several times over.
    """
    import bisect

    numbers: list[int] = []
    offsets: list[int] = []
    line, last = 1, 0
    for match in re.finditer(r"(?m)^[ \t]*@", text):
        line += text.count("\n", last, match.start())
        last = match.start()
        numbers.append(line)
        offsets.append(match.start())

    def entry_text(start: int) -> str:
        k = bisect.bisect_left(numbers, start)
        if k < len(numbers) and numbers[k] == start:
            begin = offsets[k]
        else:  # not at an "@" line: count the lines
            begin = 0
            for _ in range(start - 1):
                begin = text.find("\n", begin) + 1
        after = bisect.bisect_right(numbers, start)
        end = offsets[after] if after < len(numbers) else len(text)
        return "\n".join(text[begin:end].splitlines()).strip()

    return entry_text


def _read_csl_json(text: str, file_name: str) -> tuple[list[dict[str, Any]], list[Problem], int]:
    """CSL-JSON: a list of items, an object keyed by id, one item, or a Crossref API answer."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        msg = f"not valid JSON: {err.msg} (column {err.colno})"
        return [], [Problem(file_name, err.lineno, None, None, msg)], 0
    items, shape_problem = _csl_items(data)
    if shape_problem:
        return [], [Problem(file_name, 1, None, None, shape_problem)], 0
    rows, problems = [], []
    for number, item in enumerate(items, start=1):
        row, problem = _csl_row(item, f"item {number}", file_name)
        if problem is None:
            rows.append(row)
        else:
            problems.append(problem)
    return rows, problems, 0


def _csl_row(item: Any, where: str, file_name: str) -> tuple[dict[str, Any], Problem | None]:
    """The row of one CSL-JSON item, or the problem that keeps it out."""
    if not isinstance(item, dict):
        msg = f"{where}: expected an object, got {type(item).__name__}"
        return {}, Problem(file_name, None, None, None, msg)
    label = f"{where} ({item.get('id', '?')})"
    authors = _csl_authors(item.get("author", []))
    if authors is None:
        msg = f"{label}: 'author' must be a list of {{family, given}} objects"
        return {}, Problem(file_name, None, "author", None, msg)
    issued = item.get("issued") or item.get("published-print") or item.get("published") or {}
    if not isinstance(issued, dict):
        msg = f"{label}: 'issued' must be an object with 'date-parts'"
        return {}, Problem(file_name, None, "issued", str(issued), msg)
    row = {
        "id": str(item.get("id", "")),
        "entry_type": str(item.get("type", "")),
        "authors": authors,
        "year": _csl_year(issued),
        **{name: _first(item.get(variable)) for name, variable in CSL_FIELDS.items()},
        "abstract": re.sub(r"<[^>]+>", "", _first(item.get("abstract"))),
        "database": "Crossref" if "indexed" in item or "member" in item else "",
        "line": None,
        "raw": json.dumps(item, ensure_ascii=False),
    }
    return row, None


def _csl_authors(value: Any) -> list[str] | None:
    """The names of a CSL ``author`` list, or None when it is not a list of objects."""
    if not isinstance(value, list) or not all(isinstance(person, dict) for person in value):
        return None
    return [_csl_name(person) for person in value]


def _csl_name(person: dict[str, Any]) -> str:
    """One CSL name as ``"van den Berg, Jan"``, ``"King, Jr., Martin"`` or a literal name."""
    literal = person.get("literal") or person.get("name")
    if literal:
        return str(literal)
    family = " ".join(
        str(person[part]).strip()
        for part in ("dropping-particle", "non-dropping-particle", "family")
        if person.get(part)
    )
    parts = [family, str(person.get("suffix") or "").strip(), str(person.get("given") or "")]
    if not parts[1]:
        parts.pop(1)
    return ", ".join(p.strip() for p in parts if p.strip())


def _csl_year(issued: dict[str, Any]) -> str:
    """The year of a CSL date: its first date part, or the first year of its raw text."""
    parts = issued.get("date-parts") or [[]]
    first = parts[0] if isinstance(parts, list) and parts else None
    if isinstance(first, list) and first and str(first[0] or "").strip():  # [[null]]: no year
        return str(first[0])
    literal = issued.get("raw") or issued.get("literal")
    return first_year(str(literal)) if literal else ""


def _first(value: Any) -> str:
    """A CSL or Crossref value as text (Crossref writes titles as lists)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def _csl_items(data: Any) -> tuple[list[Any], str]:
    """The items of a CSL-JSON document, or a message saying which shape was expected."""
    if isinstance(data, list):
        return data, ""
    if not isinstance(data, dict):
        return [], f"expected a list of CSL-JSON items, got {type(data).__name__}"
    message = data.get("message")
    if isinstance(message, dict):  # a Crossref API answer: one work, or a list of them
        if "items" in message:
            items = message["items"]
            if isinstance(items, list):
                return items, ""
            return [], f"'message.items' must be a list of works, got {type(items).__name__}"
        return [message], ""
    if isinstance(data.get("items"), list):
        return data["items"], ""
    if any(key in data for key in ("title", "type", "author", "DOI")):
        return [data], ""
    values = list(data.values())
    if values and all(isinstance(v, dict) for v in values):  # an object keyed by id
        return [{"id": key, **value} for key, value in data.items()], ""
    msg = (
        "expected CSL-JSON: a list of items, an object keyed by item id, or a Crossref API "
        f"answer; got an object with keys {', '.join(list(data)[:5])}"
    )
    return [], msg


def _read_csv(
    text: str, file_name: str, suffix: str = ".csv"
) -> tuple[list[dict[str, Any]], list[Problem], int]:
    """A table (comma, semicolon or tab) exported by a database or a screening tool."""
    csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, MAX_BYTES)))
    delimiter = table_delimiter(text, suffix)
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n"), newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        return [], [Problem(file_name, 1, None, None, "file is empty: expected a header row")], 0
    except csv.Error as err:
        return [], [Problem(file_name, 1, None, None, f"cannot read the header: {err}")], 0
    table = _Table.of(header)
    if "title" not in table.where:
        msg = f"no title column; the header has: {', '.join(header)}"
        return [], [Problem(file_name, 1, None, None, msg)], 0
    lines = text.replace("\r\n", "\n").split("\n")
    records, read_problems = _table_records(reader, file_name)
    rows, problems = [], []
    for start, end, cells in records:
        problems += _width_problems(cells, len(header), file_name, start)
        cells = cells + [""] * (len(header) - len(cells))
        rows.append(table.row(cells, line=start, raw="\n".join(lines[start - 1 : end])))
    return rows, problems + read_problems, 0


@dataclass(frozen=True)
class _Table:
    """What the header of a table says: the field of each column and the database."""

    columns: list[str]  # the header, lower-cased
    where: dict[str, int]  # field -> column number (the first column present of the field's)
    database: str

    @classmethod
    def of(cls, header: list[str]) -> _Table:
        """The layout of a table with this header."""
        lower = [h.lower() for h in header]
        wos = {"pt", "ut"} <= set(lower)
        where = {}
        for target, names in (_WOS_COLUMNS if wos else _COLUMNS).items():
            index = next((lower.index(n) for n in names if n in lower), None)
            if index is not None:
                where[target] = index
        return cls(lower, where, _table_database(set(lower), wos))

    def row(self, cells: list[str], *, line: int, raw: str) -> dict[str, Any]:
        """The row of one record of the table (``cells`` as wide as the header)."""
        record = dict(zip(self.columns, cells, strict=False))
        row: dict[str, Any] = {"line": line, "raw": raw, "database": self.database}
        for target, index in self.where.items():
            row[target] = cells[index].strip()
        if "pages" not in row:
            row["pages"] = _table_pages(record)
        comma_names = self.database in ("PubMed", "Embase") or "author names" in self.columns
        row["authors"] = _split_names(str(row.get("authors", "")), comma=comma_names)
        if self.database == "Embase":
            _embase_source(row, record)
        if row.get("title") and self.database in ("PubMed",):
            row["title"] = clean_title(row["title"])
        return row


def _table_records(
    reader: Reader, file_name: str
) -> tuple[list[tuple[int, int, list[str]]], list[Problem]]:
    """The non-blank rows after the header, each with its first and last line and its cells.

    A row the csv module cannot read ends the table; the problem says where.
    """
    records: list[tuple[int, int, list[str]]] = []
    previous = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records, []
        except csv.Error as err:
            msg = f"cannot read this row: {err}; check its quotes"
            return records, [Problem(file_name, previous + 1, None, None, msg)]
        start, previous = previous + 1, reader.line_num
        if any(c.strip() for c in cells):
            records.append((start, previous, cells))


def _width_problems(cells: list[str], width: int, file_name: str, line: int) -> list[Problem]:
    """A row with more cells than the header (a warning) or fewer (an error)."""
    if len(cells) > width:
        extra = "; ".join(c for c in cells[width:] if c.strip())[:40]
        msg = (
            f"{len(cells)} cells but the header has {width}: the cells beyond the "
            f"header are left out ({extra!r})"
        )
        return [Problem(file_name, line, None, None, msg, "warning")]
    if len(cells) < width:
        msg = f"expected {width} cells (as in the header), found {len(cells)}"
        return [Problem(file_name, line, None, None, msg)]
    return []


def _table_pages(record: dict[str, str]) -> str:
    """The pages of a table without a pages column: a first and last page, or an article number."""
    for first, last in (*_PAGE_PAIRS, ("bp", "ep")):
        if record.get(first, "").strip():
            return _join_pages(record[first].strip(), record.get(last, "").strip())
    return record.get("art. no.", "").strip()


def _join_pages(first: str, last: str) -> str:
    return f"{first}-{last}" if first and last and "-" not in first else first or last


def _table_database(columns: set[str], wos: bool) -> str:
    """The database whose export has these (lower-cased) columns, or ``""``."""
    if wos:
        return "Web of Science"
    if "eid" in columns or "source title" in columns:
        return "Scopus"
    if "document title" in columns and "publication title" in columns:
        return "IEEE Xplore"
    if "item title" in columns or "item doi" in columns:
        return "SpringerLink"
    if "pmid" in columns and "journal/book" in columns:
        return "PubMed"
    if "author names" in columns and any(c.startswith("emtree") for c in columns):
        return "Embase"
    return ""


def _split_names(value: str, *, comma: bool = False) -> list[str] | str:
    """Author names of a table cell: a Python-style list, ``;``-separated, or ``, ``-separated.

    A cell already in BibTeX style (``" and "``) is kept.
    """
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        try:
            names = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            names = None
        if isinstance(names, list):
            return [str(n) for n in names]
    if ";" in value:
        return [n.strip() for n in value.split(";") if n.strip()]
    if comma and ", " in value:
        names = [n.strip() for n in value.split(", ") if n.strip()]
        if not any("." in n for n in names[:-1]):  # PubMed ends its list with a period
            names[-1] = names[-1].rstrip(".")
        return names
    return value


def _embase_source(row: dict[str, Any], record: dict[str, str]) -> None:
    """Journal, year, volume, issue and pages from Embase's one "Source" cell; DOI from its link."""
    match = _EMBASE_SOURCE.match(record.get("source", ""))
    if match:
        row["container"] = match.group("journal")
        row["year"] = row.get("year") or match.group("year")
        row["volume"] = row.get("volume") or match.group("volume") or ""
        row["issue"] = row.get("issue") or match.group("issue") or ""
        row["pages"] = row.get("pages") or match.group("pages") or ""
    link = re.search(r"[?&]id=doi:([^&]+)", record.get("open url link", ""))
    if link and not row.get("doi"):
        row["doi"] = link.group(1)


def _read_text_list(text: str, file_name: str) -> tuple[list[dict[str, Any]], list[Problem], int]:

    refs = parse_reference_list(text)
    rows, problems, ignored = [], [], 0
    for _, ref in refs.iterrows():
        if not ref["parsed"]:
            msg = f"{ref['note']}: {ref['raw'][:60]!r}"
            problems.append(Problem(file_name, int(ref["line"]), None, None, msg, "warning"))
            ignored += max(1, len([x for x in str(ref["raw"]).splitlines() if x.strip()]))
        rows.append(
            {
                "id": f"{file_name}:{ref['line']}",
                "entry_type": ref["entry_type"],
                "authors": join_authors(ref["authors"]),
                "year": "" if str(ref["year"]) == "<NA>" else str(ref["year"]),
                **{name: ref[name] for name in PRINTED_FIELDS},
                "line": int(ref["line"]),
                "raw": ref["raw"],
            }
        )
    return rows, problems, ignored


def to_bibtex(
    refs: pd.DataFrame, path: str | os.PathLike[str], *, duplicates: Any = None
) -> list[Problem]:
    """Write the rows of :func:`read_references` to ``path`` as BibTeX, ready for a knowledge base.

    Record types become BibTeX entry types (``chapter`` -> ``incollection``, ``conference
    paper`` -> ``inproceedings``, ``other`` -> ``misc``), every record gets an author-year key
    (``tosun2017``, then ``tosun2017b``), and ``source`` says which file and line it came from.
    Given the result of :func:`~evidence_kb.find_duplicates` on the same rows, each group of
    duplicates is written once, the keys of the others kept in its ``ids`` field.

    Returns the problems met (a year that is not a number, ...); the records are written all
    the same. Writing over a file the rows were read from (``source_file``) is refused with an
    ``InputError``: the export keeps what the file has and the rows do not (comments, fields).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "references.bib"
    >>> rows = pd.DataFrame(
    ...     [
    ...         {
    ...             "id": "x",
    ...             "entry_type": "chapter",
    ...             "authors": "Tosun, J.",
    ...             "year": "2017",
    ...             "title": "T",
    ...             "file": "a.ris",
    ...             "line": 1,
    ...         }
    ...     ]
    ... )
    >>> to_bibtex(rows, out)
    []
    >>> print(out.read_text().splitlines()[0])
    @incollection{tosun2017,
    """

    read = {str(f) for f in refs.get("source_file", ()) if str(f).strip()}
    check_output(path, read=read, way_out="write the BibTeX to another file")
    keyed, problems = _keyed_references(refs)
    if duplicates is not None:
        final = _merge_groups(keyed, duplicates.groups)
    else:
        final = [ref for _, ref in keyed]
    write_text(path, format_bibtex(final))
    return problems


def _keyed_references(refs: pd.DataFrame) -> tuple[list[tuple[str, Any]], list[Problem]]:
    """Each row as a reference with an author-year key, after its record id; the problems.

    The source of each reference and the problems point to the file and line of the row.
    """
    frame = refs.copy().reset_index(drop=True)
    for col in REFERENCE_COLUMNS:
        if col not in frame.columns:
            frame[col] = None if col == "line" else ""
    rows = frame.to_dict("records")
    # stand-in ids give author-year keys; the row number as "line" finds each row again
    frame["id"] = [f"rows:{n}" for n in range(len(frame))]
    frame["line"] = list(range(len(frame)))
    references, problems = references_from_frame(frame, file_name="rows")
    keyed = []
    for ref in references:
        row = rows[int(ref.source.rsplit(" ", 1)[1])]
        line, source = row.get("line"), str(row.get("file") or "")
        if source and line is not None and str(line) not in ("<NA>", "nan", "None"):
            source = f"{source}, line {int(line)}"
        keyed.append((str(row.get("id", "")), ref.model_copy(update={"source": source})))
    return keyed, [_problem_of_row(p, rows) for p in problems]


def _problem_of_row(problem: Problem, rows: list[dict[str, Any]]) -> Problem:
    """A problem of row number ``problem.line``, at the file and line that row came from."""
    if problem.line is None:
        return problem
    row = rows[problem.line]
    return Problem(
        str(row.get("file") or "references"),
        row.get("line"),
        problem.column,
        problem.value,
        problem.message,
        problem.severity,
    )


def _merge_groups(keyed: list[tuple[str, Any]], groups: pd.DataFrame) -> list[Any]:
    """One reference per group of duplicates (the first), the others' keys in its ``ids``."""
    group_of = dict(zip(groups["id"].astype(str), groups["group_id"].astype(str), strict=True))
    kept: dict[str, int] = {}
    merged: list[Any] = []
    for record_id, ref in keyed:
        group = group_of.get(record_id, record_id)
        if group in kept:
            first = merged[kept[group]]
            merged[kept[group]] = first.model_copy(update={"ids": (*first.ids, ref.key)})
        else:
            kept[group] = len(merged)
            merged.append(ref)
    return merged
