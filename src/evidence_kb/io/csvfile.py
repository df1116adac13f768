"""Read a CSV file into rows that remember the line they came from.

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
from dataclasses import dataclass, field
from pathlib import Path

from evidence_kb.io.text import (
    CONTROL_CHARACTERS,
    clean_control_characters,
    control_character_problem,
    read_text,
)
from evidence_kb.model.errors import InputError, Problem


@dataclass
class CsvRows:
    """The rows of a CSV file as ``{column: cell}`` dicts, each with its first physical line."""

    path: Path
    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _check_header(result: CsvRows, *, required: tuple[str, ...], known: tuple[str, ...]) -> None:
    """Refuse a header without a required column or with a column twice; warn of unknown ones."""
    name, header = result.path.name, result.columns
    missing = [col for col in required if col not in header]
    if missing:
        msg = (
            f"missing column(s) {', '.join(map(repr, missing))}; "
            f"the header has: {', '.join(header)}"
        )
        raise InputError([Problem(name, 1, None, None, msg)])
    duplicated = sorted({col for col in header if header.count(col) > 1})
    if duplicated:
        msg = f"column(s) {', '.join(map(repr, duplicated))} appear more than once in the header"
        raise InputError([Problem(name, 1, None, None, msg)])
    for col in header:
        if col not in known:
            msg = f"unknown column {col!r} is ignored; known columns: {', '.join(known)}"
            result.problems.append(Problem(name, 1, col, col, msg, "warning"))


def read_csv_rows(
    path: str | os.PathLike[str],
    *,
    required: tuple[str, ...],
    known: tuple[str, ...],
    encoding: str | None = None,
) -> CsvRows:
    """Read ``path``; rows with the wrong number of cells become problems, not data.

    File-level failures (missing file, bad encoding, a missing required column, an
    unterminated quote) raise :class:`~evidence_kb.InputError` at once, because no row of such a
    file can be trusted. Row-level problems are collected in ``CsvRows.problems``.
    """
    path = Path(path)
    name = path.name
    text = read_text(path, encoding=encoding).replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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

    previous_end = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            line = previous_end + 1
            msg = f'{err}: check for a quote (") that is opened but never closed'
            raise InputError([Problem(name, line, None, None, msg)]) from None
        start = previous_end + 1
        previous_end = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue  # blank line
        if len(cells) != len(header):
            msg = (
                f"expected {len(header)} cells (as in the header), found {len(cells)}; "
                "check for a missing or extra comma, or an unquoted comma inside a cell"
            )
            result.problems.append(Problem(name, start, None, None, msg))
            continue
        result.rows.append(_clean_row(result, start, dict(zip(header, cells, strict=True))))
        result.lines.append(start)
    return result


def _clean_row(result: CsvRows, line: int, row: dict[str, str]) -> dict[str, str]:
    """``row`` without control characters; a warning for each cell that had some."""
    for column, value in row.items():
        if CONTROL_CHARACTERS.search(value):
            result.problems.append(control_character_problem(result.path.name, line, column, value))
            row[column] = clean_control_characters(value)
    return row


def read_xlsx_rows(
    path: str | os.PathLike[str], *, required: tuple[str, ...], known: tuple[str, ...]
) -> CsvRows:
    """Read the first sheet of an Excel workbook like :func:`read_csv_rows` (row 1 = header).

    Numbers and dates become text as Excel shows them; a cell that holds a formula is a problem
    (its value would be whatever Excel last computed, or nothing), not data.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    name = path.name
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as err:
        msg = f"cannot open as an Excel workbook (.xlsx): {err}"
        raise InputError([Problem(name, None, None, None, msg)]) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows()
    try:
        header = ["" if c.value is None else str(c.value).strip() for c in next(rows)]
    except StopIteration:
        raise InputError(
            [Problem(name, 1, None, None, "sheet is empty: expected a header row")]
        ) from None
    while header and not header[-1]:
        header.pop()
    result = CsvRows(path=path, columns=header)
    _check_header(result, required=required, known=known)
    for number, cells in enumerate(rows, start=2):
        values = []
        for column, cell in zip(header, cells, strict=False):
            value = cell.value
            if cell.data_type == "f":
                msg = (
                    f"cell holds the formula {str(value)[:40]!r}; expected text (paste values only)"
                )
                result.problems.append(Problem(name, number, column, str(value), msg))
            values.append("" if value is None else _unescape(str(value)))
        values += [""] * (len(header) - len(values))
        if not any(v.strip() for v in values):
            continue
        row = dict(zip(header, values[: len(header)], strict=True))
        result.rows.append(_clean_row(result, number, row))
        result.lines.append(number)
    workbook.close()
    return result


_XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escape (``_x000B_`` is Word's vertical tab, ``_x005F_`` a ``_``)."""
    if "_x" not in text:
        return text
    return _XLSX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_table_rows(
    path: str | os.PathLike[str], *, required: tuple[str, ...], known: tuple[str, ...]
) -> CsvRows:
    """Read a ``.csv`` or ``.xlsx`` table, chosen by the suffix."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_rows(path, required=required, known=known)
    return read_csv_rows(path, required=required, known=known)
