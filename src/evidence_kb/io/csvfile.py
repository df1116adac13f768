"""Read a CSV file or an Excel sheet into rows that remember the line they came from.

The standard library's :mod:`csv` does the parsing; this module adds what researchers need when
a file comes from Excel or a colleague: physical line numbers (the header is line 1, a quoted
cell may span lines), a check that every row has as many cells as the header, and clear
messages for unbalanced quotes and unknown or missing columns.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kb.io.formula import has_guarded_cell, restore_cell
from evidence_kb.io.text import (
    CONTROL_CHARACTERS,
    MAX_BYTES,
    check_size,
    clean_control_characters,
    control_character_problem,
    read_text,
)
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.rows import CsvRows

__all__ = [
    "CsvRows",
    "escape_xlsx",
    "read_csv_rows",
    "read_table_rows",
    "read_xlsx_rows",
]  # CsvRows: model.rows


def _check_header(
    result: CsvRows, *, required: tuple[str, ...], known: tuple[str, ...] | None
) -> None:
    """Refuse a header without a required column or with a column twice; warn of unknown ones
    (``known=None``: any column is known)."""
    name, header = result.path.name, result.columns
    missing = [col for col in required if col not in header]
    if missing:
        msg = (
            f"missing column(s) {', '.join(map(repr, missing))}; "
            f"the header has: {', '.join(header)}"
        )
        separator = next((s for s in (";", "\t") if any(s in col for col in header)), None)
        if separator is not None and len(header) < len(required):
            msg += (
                f" (the header is separated by {separator!r}, not ',': a spreadsheet in a Dutch "
                "or other European setting saves CSV that way; save it as 'CSV UTF-8 "
                "(comma delimited)', or as .xlsx where a findings.xlsx is accepted)"
            )
        raise InputError([Problem(name, 1, None, None, msg)])
    duplicated = sorted({col for col in header if header.count(col) > 1})
    if duplicated:
        msg = f"column(s) {', '.join(map(repr, duplicated))} appear more than once in the header"
        raise InputError([Problem(name, 1, None, None, msg)])
    if known is None:
        return
    for col in header:
        if known is not None and col not in known:
            msg = f"unknown column {col!r} is ignored; known columns: {', '.join(known)}"
            result.problems.append(Problem(name, 1, col, col, msg, "warning"))


def read_csv_rows(
    path: str | os.PathLike[str],
    *,
    required: tuple[str, ...],
    known: tuple[str, ...] | None,
    encoding: str | None = None,
    delimiter: str | None = ",",
) -> CsvRows:
    """Read ``path``; rows with the wrong number of cells become problems, not data.

    ``delimiter=None`` takes the separator the header line uses most: a comma, a semicolon (as
    Excel writes CSV with Dutch settings) or a tab.

    File-level failures (missing file, bad encoding, a missing required column, an
    unterminated quote) raise :class:`~evidence_kb.InputError` at once, because no row of such a
    file can be trusted. Row-level problems are collected in ``CsvRows.problems``.
    """
    path = Path(path)
    name = path.name
    text = read_text(path, encoding=encoding)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # a cell may be as long as the file may be (the csv module's default stops at 131,072
    # characters); raised here, so that no reader depends on another having run first
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    if delimiter is None:  # the separator the header uses most (Dutch Excel writes ";")
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(
            [Problem(name, 1, None, None, "file is empty: expected a header row")]
        ) from None
    except csv.Error as err:
        raise InputError([Problem(name, 1, None, None, f"cannot read the header: {err}")]) from None
    header = [cell.strip() for cell in header]
    result = CsvRows(path=path, columns=header)
    _check_header(result, required=required, known=known)

    _read_rows(result, reader, dirty=CONTROL_CHARACTERS.search(text) is not None)
    if has_guarded_cell(text):  # a cell the library guarded for spreadsheets ('=..., '-...)
        for row in result.rows:
            for column, value in row.items():
                row[column] = restore_cell(value)
    return result


def _read_rows(result: CsvRows, reader, *, dirty: bool) -> None:
    """Append the rows of ``reader`` to ``result``; ``dirty``: the text has control characters."""
    name, header = result.path.name, result.columns
    width = len(header)
    rows, lines = result.rows, result.lines
    previous_end = reader.line_num
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not any(map(str.strip, cells)):
                continue  # blank line
            if len(cells) != width:
                msg = (
                    f"expected {width} cells (as in the header), found {len(cells)}; "
                    "check for a missing or extra comma, or an unquoted comma inside a cell"
                )
                result.problems.append(Problem(name, start, None, None, msg))
                continue
            row = dict(zip(header, cells, strict=True))
            # a cell is a part of the text: without control characters in the text, none has any
            rows.append(_clean_row(result, start, row) if dirty else row)
            lines.append(start)
    except csv.Error as err:
        line = previous_end + 1
        msg = f'{err}: check for a quote (") that is opened but never closed'
        raise InputError([Problem(name, line, None, None, msg)]) from None


def _clean_row(result: CsvRows, line: int, row: dict[str, str]) -> dict[str, str]:
    """``row`` without control characters; a warning for each cell that had some."""
    for column, value in row.items():
        if CONTROL_CHARACTERS.search(value):
            result.problems.append(control_character_problem(result.path.name, line, column, value))
            row[column] = clean_control_characters(value)
    return row


MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # 1 GiB: a workbook that unpacks to more is refused


def read_xlsx_rows(
    path: str | os.PathLike[str],
    *,
    required: tuple[str, ...],
    known: tuple[str, ...],
    max_bytes: int = MAX_BYTES,
) -> CsvRows:
    """Read the findings sheet of an Excel workbook like :func:`read_csv_rows` (row 1 = header).

    The findings are the first visible sheet with the findings header (an instructions sheet
    before it is fine only if it is hidden or empty). A hidden sheet (a template, a lookup list)
    is skipped with a warning naming it; another visible sheet that holds anything is an error
    naming it (move its rows to the findings sheet, or hide it), so that no row is left out
    without a word. In a workbook of several sheets every problem names the sheet.

    Every row is read, whatever the sheet's stored dimension says. A merged cell (a theme
    spanning the rows below it) gives its value to every row it covers, with a warning. A
    number or a date becomes the text it stands for (``3.5``, ``2024-03-01``) with a warning,
    since Excel may show it otherwise (``3,5``); a cell that holds a formula or an error value
    (``#REF!``), or a value in a column without a header, is an error naming the cell. Excel's
    escapes (``_x000B_``) are undone, and a cell neutralised against formula injection by
    :func:`~evidence_kb.write_findings` (``'=...``) is read back as it was. A damaged
    workbook, one larger than ``max_bytes`` or one that unpacks to more than
    :data:`MAX_UNPACKED_BYTES` raises :class:`~evidence_kb.InputError` naming the file.
    """
    path = Path(path)
    _check_workbook(path, max_bytes)
    sheet, skipped = _findings_sheet(path, required)
    rows = sheet.rows
    if not rows:
        msg = f"sheet {sheet.title!r} is empty: expected a header row in row 1"
        raise InputError([Problem(path.name, 1, None, None, msg)])
    header = [_cell_text(c.value).strip() for c in rows[0]]
    while header and not header[-1]:
        header.pop()
    columns = [(i, column) for i, column in enumerate(header) if column]
    result = CsvRows(path=path, columns=[column for _, column in columns])
    result.problems += skipped
    _check_header(result, required=required, known=known)
    named = dict(columns)
    result.problems += _merged_warnings(path.name, sheet)
    for cells in rows[1:]:
        if not cells:
            continue
        number = cells[0].row
        values = _sheet_row(result, sheet, named, number, cells)
        if not any(v.strip() for v in values.values()):
            continue
        result.rows.append(_clean_row(result, number, values))
        result.lines.append(number)
    return result


@dataclass
class _Sheet:
    """One worksheet as read: its title, rows of cells, and the merged cells' values."""

    title: str
    rows: list
    merged: dict[tuple[int, int], Any]  # (row, column) of a cell merged below -> the top cell
    ranges: list[tuple[str, int, int, Any]]  # merged ranges: text, first row, last row, cell
    of: str = ""  # " of sheet 'X'" in a workbook of several sheets, for the messages


def _findings_sheet(path: Path, required: tuple[str, ...]) -> tuple[_Sheet, list[Problem]]:
    """The findings sheet of a workbook, and the warnings about the hidden sheets skipped.

    The findings sheet is the first visible one whose first row holds the ``required``
    columns (else the first visible one, whose header is then reported); any other visible
    sheet that holds anything is an error naming it.
    """
    sheets = _workbook_sheets(path)
    visible = [s for s, state in sheets if state == "visible"]
    problems = [
        Problem(
            path.name,
            None,
            None,
            s.title,
            f"sheet {s.title!r} is hidden and was not read (unhide it and move its rows into "
            "the findings sheet if they are findings)",
            "warning",
        )
        for s, state in sheets
        if state != "visible"
    ]
    if not visible:
        msg = "the workbook has no visible sheet; expected one sheet of findings"
        raise InputError([Problem(path.name, None, None, None, msg)])
    findings = next((s for s in visible if _has_header(s, required)), visible[0])
    others = [s for s in visible if s is not findings and _has_values(s)]
    if len(sheets) > 1:
        findings.of = f" of sheet {findings.title!r}"
    if others:
        raise InputError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    s.title,
                    f"sheet {s.title!r} holds data, but findings are read from one sheet "
                    f"({findings.title!r}): move its rows into sheet {findings.title!r}, or "
                    "hide or delete the sheet",
                )
                for s in others
            ]
        )
    return findings, problems


def _has_header(sheet: _Sheet, required: tuple[str, ...]) -> bool:
    """Whether the first row of ``sheet`` names every ``required`` column."""
    if not sheet.rows:
        return False
    header = {_cell_text(c.value).strip() for c in sheet.rows[0]}
    return all(column in header for column in required)


def _has_values(sheet: _Sheet) -> bool:
    return any(c.value is not None and str(c.value).strip() for row in sheet.rows for c in row)


def _workbook_sheets(path: Path) -> list[tuple[_Sheet, str]]:
    """Every sheet of a workbook with its state (``visible``, ``hidden``, ``veryHidden``)."""
    import zipfile
    import zlib

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, data_only=False)
        sheets = []
        for ws in workbook.worksheets:
            merged: dict[tuple[int, int], Any] = {}
            ranges = []
            for cell_range in ws.merged_cells.ranges:
                top = ws.cell(cell_range.min_row, cell_range.min_col)
                ranges.append((cell_range.coord, cell_range.min_row, cell_range.max_row, top))
                for row in range(cell_range.min_row + 1, cell_range.max_row + 1):
                    # down its first column only: a cell merged across columns belongs to the
                    # first of them, as Excel shows it
                    merged[(row, cell_range.min_col)] = top
            rows = [list(row) for row in ws.iter_rows()]
            sheets.append((_Sheet(ws.title, rows, merged, ranges), ws.sheet_state))
        workbook.close()
    except (
        zipfile.BadZipFile,
        OSError,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        SyntaxError,  # also the XML parsers' errors
        EOFError,
        NotImplementedError,  # an unsupported compression method
        zlib.error,
        InvalidFileException,
    ) as err:
        msg = f"cannot read as an Excel workbook (.xlsx): the file is damaged ({err})"
        raise InputError([Problem(path.name, None, None, None, msg)]) from None
    return sheets


def _merged_warnings(name: str, sheet: _Sheet) -> list[Problem]:
    """A warning per merged range over several rows: its value is read into each of them."""
    problems = []
    for coord, first, last, top in sheet.ranges:
        value = _cell_text(getattr(top, "value", None))
        if last > first and value.strip() and first > 1:
            msg = (
                f"cells {coord}{sheet.of} are merged; {value[:40]!r} is read into each of rows "
                f"{first}-{last}"
            )
            problems.append(Problem(name, first, None, value, msg, "warning"))
    return problems


def _sheet_row(
    result: CsvRows, sheet: _Sheet, named: dict[int, str], number: int, cells
) -> dict[str, str]:
    """One sheet row as ``{column: text}``; formulas, errors, numbers, stray cells: problems."""
    name = result.path.name
    values = dict.fromkeys(result.columns, "")
    for index, cell in enumerate(cells):
        cell = sheet.merged.get((number, index + 1), cell)
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        where = f"cell {cells[index].coordinate}{sheet.of}"
        column = named.get(index)
        if column is None:
            msg = (
                f"{where} holds {_cell_text(value)[:40]!r} but its column has no "
                "header; give the column a name in row 1, or move the value"
            )
            result.problems.append(Problem(name, number, None, _cell_text(value), msg))
            continue
        if cell.data_type in ("f", "e"):
            kind = "formula" if cell.data_type == "f" else "error value"
            msg = f"{where} holds the {kind} {str(value)[:40]!r}; expected text (paste values only)"
            result.problems.append(Problem(name, number, column, str(value), msg))
            values[column] = str(value)
            continue
        text = _cell_text(value)
        if not isinstance(value, str):
            kind = "date" if hasattr(value, "isoformat") else "number"
            msg = (
                f"{where} holds the {kind} {text!r}, read as that text; Excel may "
                "show it otherwise (e.g. '3,5'): format the column as text if it matters"
            )
            result.problems.append(Problem(name, number, column, text, msg, "warning"))
        values[column] = restore_cell(_unescape(text))
    return values


def _check_workbook(path: Path, max_bytes: int) -> None:
    """Refuse a missing, oversized or non-zip workbook, or one that unpacks to too much."""
    import zipfile

    name = path.name
    check_size(path, max_bytes, advice="split it, or save it as CSV")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as err:
        msg = (
            f"cannot read as an Excel workbook (.xlsx): {err}; save it from Excel as "
            "'Excel Workbook (.xlsx)' or as CSV UTF-8"
        )
        raise InputError([Problem(name, None, None, None, msg)]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        msg = (
            f"the workbook unpacks to {unpacked / 1e6:.0f} MB, more than the limit of "
            f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB; it is refused (a damaged file or a zip bomb)"
        )
        raise InputError([Problem(name, None, None, None, msg)])


def _cell_text(value: object) -> str:
    """The text of a cell value: ``3.5`` -> ``"3.5"``, ``3.0`` -> ``"3"``, a date -> ISO."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


_XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ESCAPE_START = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # an underscore that starts an escape


def escape_xlsx(text: str) -> str:
    """Escape a literal ``_xHHHH_`` as Excel does (``_x005F_xHHHH_``), so that it reads back.

    Examples
    --------
    >>> escape_xlsx("_x0041_"), _unescape(escape_xlsx("_x0041_"))
    ('_x005F_x0041_', '_x0041_')
    """
    if "_x" not in text:
        return text
    return _ESCAPE_START.sub("_x005F_", text)


def _unescape(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escape (``_x000B_`` is Word's vertical tab, ``_x005F_`` a ``_``)."""
    if "_x" not in text:
        return text
    return _XLSX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_table_rows(
    path: str | os.PathLike[str],
    *,
    required: tuple[str, ...],
    known: tuple[str, ...],
    encoding: str | None = None,
) -> CsvRows:
    """Read a ``.csv`` or ``.xlsx`` table, chosen by the suffix (``encoding``: of a CSV)."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_rows(path, required=required, known=known)
    return read_csv_rows(path, required=required, known=known, encoding=encoding)
