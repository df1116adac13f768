"""A CSV table read and written as it is, cell for cell: for merging versions of one file.

The knowledge-base readers (:mod:`evidence_kb.io.csvfile`) clean cells as they read; a merge
must give back every cell as the coder wrote it, so it reads the raw cells here. The line ending
of the file (``\\n`` or ``\\r\\n``) is kept; cells are quoted only where CSV needs it, as pandas
and the other writers of the package do.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.csvfile import read_csv_rows
from evidence_kb.io.formula import spreadsheet_csv
from evidence_kb.io.text import read_text, write_text
from evidence_kb.model.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RawTable",
    "format_raw_table",
    "parse_raw_table",
    "read_conflicts_file",
    "read_raw_table",
    "remove_file",
    "write_conflicts_file",
    "write_raw_table",
]


@dataclass
class RawTable:
    """The header, the rows (``{column: cell}``), each row's first line, and the line ending."""

    name: str
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    newline: str = "\n"


def parse_raw_table(text: str, name: str) -> RawTable:
    """Parse CSV ``text``; ``name`` is the file it came from, for the messages.

    Raises
    ------
    InputError
        For an empty text, an unbalanced quote, a row with more or fewer cells than the header,
        or a column named twice, with the line.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(
            [Problem(name, 1, None, None, "file is empty: expected a header")]
        ) from None
    except csv.Error as err:
        raise InputError([Problem(name, 1, None, None, f"cannot read the header: {err}")]) from None
    twice = sorted({col for col in header if header.count(col) > 1})
    if twice:
        msg = f"column(s) {', '.join(map(repr, twice))} appear more than once in the header"
        raise InputError([Problem(name, 1, None, None, msg)])
    table = RawTable(name, header, newline=newline)
    problems: list[Problem] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if cells and len(cells) != len(header):
                msg = f"expected {len(header)} cells as in the header, got {len(cells)}"
                problems.append(Problem(name, line, None, None, msg))
            elif cells:
                table.rows.append(dict(zip(header, cells, strict=True)))
                table.lines.append(line)
            line = reader.line_num + 1
    except csv.Error as err:
        problems.append(Problem(name, line, None, None, f"cannot read this row: {err}"))
    if problems:
        raise InputError(problems)
    return table


def read_raw_table(path: str | os.PathLike[str], *, name: str | None = None) -> RawTable:
    """Read a CSV file's cells as they are (see :func:`parse_raw_table`)."""
    path = Path(path)
    return parse_raw_table(read_text(path), name or path.name)


def format_raw_table(table: RawTable) -> str:
    """The CSV text of ``table``: its header, rows and line ending."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=table.newline)
    writer.writerow(table.header)
    writer.writerows([row.get(col, "") for col in table.header] for row in table.rows)
    return buffer.getvalue()


def write_raw_table(path: str | os.PathLike[str], table: RawTable) -> None:
    """Write ``table`` to ``path`` (atomically)."""
    write_text(path, format_raw_table(table))


def remove_file(path: str | os.PathLike[str]) -> None:
    """Remove ``path`` if it exists (a conflicts file once every conflict is decided)."""
    Path(path).unlink(missing_ok=True)


def read_conflicts_file(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A merge's conflicts file as a table of text (no cell read as a number or as missing),
    read like every CSV a person edits: the spreadsheet guard undone, a ragged row refused.

    Raises
    ------
    InputError
        For a row with more or fewer cells than the header, with its line.
    """
    import pandas as pd

    table = read_csv_rows(path, required=(), known=None, delimiter=None)  # "," or Excel's ";"
    errors = [p for p in table.problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    return pd.DataFrame(table.rows, columns=table.columns, dtype=str)


def write_conflicts_file(conflicts: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a merge's conflicts file atomically, safe to open in a spreadsheet (a value that
    starts with ``=``, ``-`` ... is guarded, and :func:`read_conflicts_file` restores it)."""
    write_text(path, spreadsheet_csv(conflicts))
    return Path(path)
