"""Read the tables search tools export (CSV, semicolon CSV, TSV) into reference rows.

The header says which column holds which field (:mod:`evidence_kb.io.tablemaps`, or the
user's ``columns=`` mapping). What the file holds is compared with what comes out:

- a column no mapping takes is reported by name (unless :data:`NOT_READ_COLUMNS` lists it);
  one that looks like authors, year, title, journal or DOI, for a field the table lacks,
  is an error naming the ``columns=`` mapping that would read it;
- a row with more cells than the header is aligned where the extra cells are (on the
  columns whose content can be checked: years, DOIs, links, Scopus EIDs), or refused when
  that cannot be told; a row with fewer cells is an error;
- lines before the header (Embase's ``SEARCH QUERY`` preamble) and a second header row in
  the middle are skipped with a warning, never read as records.

The same layout reads flat JSON records (:mod:`evidence_kb.io.jsonrefs`).
"""

from __future__ import annotations

import ast
import csv
import io
import re
import sys
from dataclasses import dataclass
from itertools import accumulate
from pathlib import PurePath
from typing import Any

from evidence_kb.io.detect import TITLE_COLUMNS, table_delimiter
from evidence_kb.io.fields import clean_title, export_advice, first_year
from evidence_kb.io.parsed import ReferenceRows
from evidence_kb.io.tablemaps import (
    NOT_READ_COLUMNS,
    NUMBERED_COLUMN,
    PAGE_PAIRS,
    REPEATING_COLUMNS,
    RIS_TABLE_COLUMNS,
    TABLE_COLUMNS,
    WOS_TABLE_COLUMNS,
    key_field_of,
)
from evidence_kb.io.text import MAX_BYTES
from evidence_kb.model.errors import Problem

#: the fields a ``columns=`` mapping may name (``None`` or ``""`` leaves a column out)
MAPPED_FIELDS = tuple(TABLE_COLUMNS)
# Embase's "Source": "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014"
_EMBASE_SOURCE = re.compile(
    r"^(?P<journal>.+?) \((?P<year>\d{4})\)(?: (?P<volume>[^:\s(]+)(?::(?P<issue>\S+))?)?"
    r"(?: \((?P<pages>[^)]*)\))?"
)
# what a cell of a column holding this field looks like (to align rows with extra cells)
_CELL_CHECKS = {
    "year": re.compile(r"\d{4}"),
    "doi": re.compile(r"(?:https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+", re.IGNORECASE),
    "url": re.compile(r"https?://\S+"),
    "eid": re.compile(r"2-s2\.0-\d+"),
    "page start": re.compile(r"[A-Za-z]?\d+"),
    "page end": re.compile(r"[A-Za-z]?\d+"),
    "cited by": re.compile(r"\d+"),
    "pubmed id": re.compile(r"\d+"),
    "issn": re.compile(r"[\dXx-]{8,9}(?:[;,] ?[\dXx-]{8,9})*"),
}
_NO_AUTHOR = re.compile(r"^\[?(?:no author name available|anonymous|anon\.?)\]?$", re.IGNORECASE)
_SURNAME_INITIALS = re.compile(r"^[\w'’-]+(?: [\w'’-]+)* (?:[A-Z]\.?-?)+$")
_INITIALS_SURNAME = re.compile(r"^(?:[A-Z]{1,3}\.? )+[\w'’-]+(?: [\w'’-]+)*$")  # Google Scholar
_HEADER_SEARCH = 40  # rows searched for the header (preambles are shorter)


def check_columns(columns: dict[str, str | None] | None) -> dict[str, str | None]:
    """The user's ``columns=`` mapping with lower-cased names; unknown fields are an error."""
    checked: dict[str, str | None] = {}
    for name, target in (columns or {}).items():
        if target and target not in MAPPED_FIELDS:
            msg = (
                f"columns={{{name!r}: {target!r}}}: {target!r} is not a field; expected one of "
                f"{', '.join(MAPPED_FIELDS)} (or None to leave the column out)"
            )
            raise ValueError(msg)
        checked[name.strip().lower()] = target or None
    return checked


def read_table(
    text: str, file_name: str, columns: dict[str, str | None] | None = None
) -> ReferenceRows:
    """A table (comma, semicolon or tab) exported by a database or a screening tool.

    The file name's extension decides between comma and tab where the header leaves a doubt
    (``.tsv``, ``.tab``); ``columns`` maps the file's column names to fields (``None`` reads a
    column into ``raw`` only)."""
    suffix = PurePath(file_name).suffix
    csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, MAX_BYTES)))
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    user = check_columns(columns)
    delimiter = table_delimiter(text, suffix, extra_titles=_titles_of(user))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, problems = _table_records(reader, file_name)
    if not records:
        if problems:
            return ReferenceRows([], problems)
        msg = "file is empty: expected a header row"
        return ReferenceRows([], [Problem(file_name, 1, None, None, msg)])
    at = _header_index(records, user)
    start, _, header = records[at]
    header = [h.strip().lstrip("\ufeff") for h in header]
    if at:
        first = ", ".join(c for c in records[0][2] if c.strip())[:60]
        msg = f"{start - 1} line(s) before the header skipped (from line 1: {first!r})"
        problems.append(Problem(file_name, start, None, None, msg, "warning"))
    layout = TableLayout.of(header, user)
    body = [cells for _, _, cells in records[at + 1 :]]
    problems += layout.column_problems(file_name, body, line=start, user=user)
    if "title" not in layout.where:
        msg = f"no title column; the header has: {', '.join(header)}"
        if layout.database:
            msg += f"; {export_advice(layout.database)}"
        return ReferenceRows([], [*problems, Problem(file_name, start, None, None, msg)])
    lines = text.split("\n")
    rows = []
    for first_line, last_line, cells in records[at + 1 :]:
        if [c.strip().lower() for c in cells] == layout.columns:
            msg = "a second header row is skipped (were two exports pasted into one file?)"
            problems.append(Problem(file_name, first_line, None, None, msg, "warning"))
            continue
        swallowed = layout.swallowed_rows(cells, delimiter)
        if swallowed:
            msg = (
                f"this row runs to line {last_line} and holds {swallowed} line(s) that look like "
                'rows of their own: a quote (") is not closed; check the quotes of this row'
            )
            problems.append(Problem(file_name, first_line, None, None, msg))
        aligned, found = layout.align(cells, file_name, first_line)
        problems += found
        if aligned is None:
            continue
        raw = "\n".join(lines[first_line - 1 : last_line])
        rows.append(layout.row(aligned, line=first_line, raw=raw))
    return ReferenceRows(rows, problems)


def _titles_of(user: dict[str, str | None]) -> set[str]:
    return {name for name, target in user.items() if target == "title"}


def _header_index(records: list[tuple[int, int, list[str]]], user: dict[str, str | None]) -> int:
    """The row that is the header: the first naming a title column (else the first row)."""
    titles = TITLE_COLUMNS | set(TABLE_COLUMNS["title"]) | _titles_of(user)
    for index, (_, _, cells) in enumerate(records[:_HEADER_SEARCH]):
        if titles & {c.strip().lstrip("\ufeff").lower() for c in cells}:
            return index
    return 0


@dataclass(frozen=True)
class TableLayout:
    """What a header says: the columns of each field, the database, the columns not read."""

    columns: list[str]  # the header, lower-cased
    where: dict[str, list[int]]  # field -> its column, then columns of the same name
    database: str
    unread: list[int]  # columns no mapping takes
    names: tuple[str, ...] = ()  # the header as written

    @classmethod
    def of(cls, header: list[str], user: dict[str, str | None] | None = None) -> TableLayout:
        """The layout of a table with this header (``user`` maps names to fields first)."""
        lower = [h.strip().lower() for h in header]
        user = user or {}
        wos = {"pt", "ut"} <= set(lower)
        ris = not wos and "ty" in lower and bool({"ti", "t1"} & set(lower))
        where: dict[str, list[int]] = {}
        for index, name in enumerate(lower):  # the user's mapping first
            target = user.get(name)
            if target:
                where.setdefault(target, []).append(index)
        maps = WOS_TABLE_COLUMNS if wos else RIS_TABLE_COLUMNS if ris else TABLE_COLUMNS
        for target, aliases in maps.items():
            alias = next((n for n in aliases if n in lower and n not in user), None)
            if target not in where and alias is not None:
                where[target] = [i for i, n in enumerate(lower) if n == alias]
        taken = {i for indexes in where.values() for i in indexes}
        paged = {n for pair in PAGE_PAIRS for n in pair} | {"source", "open url link"}
        skip = {*user, *paged}
        unread = [i for i, name in enumerate(lower) if i not in taken and name not in skip]
        names = tuple(h.strip() for h in header)
        return cls(lower, where, _table_database(set(lower), wos), unread, names)

    def column_problems(
        self,
        file_name: str,
        rows: list[list[str]],
        noun: str = "column",
        line: int | None = 1,
        user: dict[str, str | None] | None = None,
    ) -> list[Problem]:
        """The columns no mapping takes: errors for those that look like a missing key field.

        Also a warning for the names of ``user`` (the ``columns=`` mapping) the header lacks.
        """
        problems, reported = [], []
        absent = [name for name in user or {} if name not in self.columns]
        if absent:
            msg = f"columns= names {', '.join(map(repr, absent))}, which the header does not have"
            problems.append(Problem(file_name, line, None, None, msg, "warning"))
        for index in self.unread:
            name = self.names[index] if self.names else self.columns[index]
            if not name.strip():  # an unnamed column: reported when it holds values
                if any(index < len(r) and r[index].strip() for r in rows):
                    reported.append(f"unnamed {noun} {index + 1}")
                continue
            field = key_field_of(name) or _field_by_content(rows, index)
            if field is not None and field not in self.where:
                msg = (
                    f"{noun} {name!r} looks like {field} but no mapping reads it, so every record "
                    f"would lack its {field}: pass columns={{{name!r}: {field!r}}} (or "
                    f"{{{name!r}: None}} to leave it out)"
                )
                if self.database:
                    msg += f"; or {export_advice(self.database)}"
                problems.append(Problem(file_name, line, name, None, msg))
            elif not _not_read(name.lower()):
                reported.append(name)
        if reported:
            more = f" and {len(reported) - 15} more" if len(reported) > 15 else ""
            msg = (
                f"{noun}(s) not read (kept in 'raw'): {', '.join(reported[:15])}{more}; pass "
                "columns= to read one as a field"
            )
            problems.append(Problem(file_name, line, None, None, msg, "warning"))
        return problems

    def swallowed_rows(self, cells: list[str], delimiter: str) -> int:
        """How many lines inside the cells of a row read as rows of the table themselves.

        A quote left open makes the csv module read on, rows and all, into one cell: those
        records would vanish into another's field. A line counts when it has as many cells
        as the header and its year (when the table has a year column) is a year.
        """
        width, year = len(self.columns), self.where.get("year", [None])[0]
        if width < 3 or (year is None and width < 5):
            return 0
        count = 0
        for cell in cells:
            for line in cell.split("\n")[1:] if "\n" in cell else ():
                inner = next(csv.reader([line], delimiter=delimiter), [])
                if len(inner) == width and (year is None or first_year(inner[year])):
                    count += 1
        return count

    def align(
        self, cells: list[str], file_name: str, line: int
    ) -> tuple[list[str] | None, list[Problem]]:
        """The cells of a row as wide as the header, or ``None`` when it cannot be read."""
        width = len(self.columns)
        if len(cells) < width:
            msg = f"expected {width} cells (as in the header), found {len(cells)}"
            return None, [Problem(file_name, line, None, None, msg)]
        if len(cells) == width:
            return cells, []
        extra = len(cells) - width
        at = self._insertion(cells, extra)
        if at is None:
            msg = (
                f"{len(cells)} cells but the header has {width}, and where the extra cells "
                "belong cannot be told: check the row's quotes and delimiters"
            )
            return None, [Problem(file_name, line, None, None, msg)]
        dropped = "; ".join(c for c in cells[at : at + extra] if c.strip())[:40]
        if not dropped:  # empty cells: nothing is lost (Scopus pads its funding texts)
            return cells[:at] + cells[at + extra :], []
        after = f"after column {self.columns[at - 1]!r}" if at else "before the first column"
        msg = (
            f"{len(cells)} cells but the header has {width}: the extra cell(s) {after} "
            f"are left out ({dropped!r}); the other cells are read in their columns"
        )
        return cells[:at] + cells[at + extra :], [
            Problem(file_name, line, None, None, msg, "warning")
        ]

    def _insertion(self, cells: list[str], extra: int) -> int | None:
        """Where ``extra`` surplus cells sit: the place whose alignment fits the columns best.

        Columns whose cells can be checked (years, DOIs, links, ...) score the candidate
        places; among places that score alike, one right after a numbered column ("Funding
        Text 2") wins, else the one where the fields read do not depend on the choice.
        """
        width = len(self.columns)
        # how each column's cell fits, read in place (before the extra cells) or shifted
        head = [self._fits(index, cells[index]) for index in range(width)]
        tail = [self._fits(index, cells[index + extra]) for index in range(width)]
        before = [0, *accumulate(head)]  # score of the cells left of each place
        after = [*reversed([*accumulate(reversed(tail))]), 0]  # and of those right of it
        scores = [before[at] + after[at] for at in range(width + 1)]
        best = max(scores)
        tied = [at for at, score in enumerate(scores) if score == best]
        if len(tied) == 1:
            return tied[0]
        numbered = [at for at in tied if at and _repeating(self.columns[at - 1])]
        if len(numbered) == 1:
            return numbered[0]
        read = sorted({i for indexes in self.where.values() for i in indexes})
        readings = {tuple((cells[:at] + cells[at + extra :])[i] for i in read) for at in tied}
        return tied[-1] if len(readings) == 1 else None

    def _fits(self, index: int, value: str) -> int:
        """+1 when a cell fits its column's check, -1 when it does not, 0 without either."""
        value = value.strip()
        name = self.columns[index]
        if not value:
            return 0
        if name == "source" and self.database == "Scopus":
            return 1 if value == "Scopus" else -1
        check = _CELL_CHECKS.get(name) or _CELL_CHECKS.get(self._field(index) or "")
        if check is None:
            return 0
        return 1 if check.fullmatch(value) else -1

    def _field(self, index: int) -> str | None:
        return next((f for f, indexes in self.where.items() if index in indexes), None)

    def row(self, cells: list[str], *, line: int, raw: str) -> dict[str, Any]:
        """The row of one record of the table (``cells`` as wide as the header)."""
        record = dict(zip(self.columns, cells, strict=False))
        row: dict[str, Any] = {"line": line, "raw": raw, "database": self.database}
        for target, indexes in self.where.items():
            row[target] = next((cells[i].strip() for i in indexes if cells[i].strip()), "")
        if not row.get("pages"):
            row["pages"] = _table_pages(record)
        comma_names = self.database in ("PubMed", "Embase") or "author names" in self.columns
        authors = str(row.get("authors", ""))
        if self.database == "SpringerLink":
            authors = unglue_names(authors)
        row["authors"] = split_names(authors, comma=comma_names)
        if self.database == "Embase":
            _embase_source(row, record)
        if row.get("title") and self.database in ("PubMed",):
            row["title"] = clean_title(row["title"])
        return row


def _repeating(name: str) -> bool:
    """Whether extra cells of a row may spill from this column ("Funding Text 2")."""
    return bool(NUMBERED_COLUMN.match(name)) or name in REPEATING_COLUMNS


def _not_read(name: str) -> bool:
    """Whether a column is one the tools write that holds no reference field."""
    numbered = NUMBERED_COLUMN.match(name)
    return name in NOT_READ_COLUMNS or bool(
        numbered and numbered.group(1).strip() in NOT_READ_COLUMNS
    )


def _field_by_content(rows: list[list[str]], index: int) -> str | None:
    """``"doi"`` or ``"year"`` when most non-empty cells of a column look like one."""
    values = [r[index].strip() for r in rows[:200] if index < len(r) and r[index].strip()]
    for field, least in (("doi", 1), ("year", 2)):  # one DOI says it; one number does not
        check = _CELL_CHECKS[field]
        fits = sum(1 for v in values if check.fullmatch(v) and (field != "year" or first_year(v)))
        if len(values) >= least and fits * 10 >= len(values) * 8:
            return field
    return None


def _table_records(
    reader: Any, file_name: str
) -> tuple[list[tuple[int, int, list[str]]], list[Problem]]:
    """The non-blank rows, each with its first and last line and its cells.

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


def _table_pages(record: dict[str, str]) -> str:
    """The pages of a table without a pages column: a first and last page, or an article number."""
    pairs = sorted(PAGE_PAIRS, key=lambda pair: pair[1] not in record)  # whole pairs first
    for first, last in pairs:
        if record.get(first, "").strip():
            return _join_pages(record[first].strip(), record.get(last, "").strip())
    return record.get("art. no.", "").strip()


def _join_pages(first: str, last: str) -> str:
    return f"{first}-{last}" if first and last and "-" not in first else first or last


def _table_database(columns: set[str], wos: bool) -> str:
    """The database whose export has these (lower-cased) columns, or ``""``."""
    if wos:
        return "Web of Science"
    if "lens id" in columns:
        return "Lens.org"
    if "author names" in columns and any(c.startswith("emtree") for c in columns):
        return "Embase"
    if "publication id" in columns and "pubyear" in columns:
        return "Dimensions"
    if "eid" in columns or "source title" in columns:
        return "Scopus"
    if "document title" in columns and "publication title" in columns:
        return "IEEE Xplore"
    if "item title" in columns or "item doi" in columns:
        return "SpringerLink"
    if "pmid" in columns and "journal/book" in columns:
        return "PubMed"
    if "covidence #" in columns:
        return "Covidence"
    if any(c.startswith("authorships.") for c in columns):
        return "OpenAlex"
    return ""


def split_names(value: str, *, comma: bool = False) -> list[str] | str:
    """Author names of a table cell: a Python-style list, ``;``-separated, or ``, ``-separated.

    A cell already in BibTeX style (``" and "``) is kept. Names separated by ``, `` are split
    when the database writes them so (``comma``), or when every part is a whole name
    ("Phillips J.C., Braun R." or "Joseph Rottman, Erran Carmel"), never "Smith, John".
    Scopus's "[No author name available]" is no name.

    Examples
    --------
    >>> split_names("Phillips J.C., Braun R., Wang W.")
    ['Phillips J.C.', 'Braun R.', 'Wang W.']
    >>> split_names("Smith, John"), split_names("[No author name available]")
    ('Smith, John', [])
    """
    value = value.strip()
    if _NO_AUTHOR.match(value):
        return []
    if value.startswith("[") and value.endswith("]"):
        try:
            names = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            names = None
        if isinstance(names, list):
            return [str(n) for n in names if not _NO_AUTHOR.match(str(n).strip())]
    for separator in (";", "|"):  # OpenAlex's CSV joins names with "|"
        if separator in value:
            names = [n.strip() for n in value.split(separator)]
            return [n for n in names if n and not _NO_AUTHOR.match(n)]
    if " and " in value:
        return value
    parts = [n.strip() for n in value.split(", ") if n.strip()]
    if comma and len(parts) > 1:
        if not any("." in n for n in parts[:-1]):  # PubMed ends its list with a period
            parts[-1] = parts[-1].rstrip(".")
        return parts
    if len(parts) > 1 and (
        all(_SURNAME_INITIALS.match(p) for p in parts)
        or all(_INITIALS_SURNAME.match(p) for p in parts)
    ):
        return parts
    if len(parts) > 2 and all(_whole_name(p) for p in parts):
        return parts
    return value


def unglue_names(value: str) -> str:
    """SpringerLink's author cell, names written without a separator, as ``;``-separated names.

    A name is cut where a lower-case letter or period meets the capital of the next name;
    the cut is kept only when every part is a whole name (two words or more), so "McIntosh"
    stays one word.

    Examples
    --------
    >>> unglue_names("Araz R. AlievNigar T. Ismayilova"), unglue_names("John McIntosh")
    ('Araz R. Aliev; Nigar T. Ismayilova', 'John McIntosh')
    """
    parts = re.split(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])", value)
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return "; ".join(p.strip() for p in parts)
    return value


def is_no_author(name: str) -> bool:
    """Whether an author name is a database's stand-in for none ("[Anonymous]", ...)."""
    return bool(_NO_AUTHOR.match(name.strip()))


def _whole_name(part: str) -> bool:
    """Whether a part of a comma-separated cell is a whole name, not a family or given name."""
    words = part.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words)


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
