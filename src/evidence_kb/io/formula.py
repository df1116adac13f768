"""Spreadsheet formula injection: neutralise a text cell when writing, restore it when reading.

Used by the findings writer (:mod:`evidence_kb.io.export`) and the CSV and Excel readers
(:mod:`evidence_kb.io.csvfile`), which therefore do not import each other.
"""

from __future__ import annotations

__all__ = ["neutralise_cell", "restore_cell"]

# A cell that starts with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """Make a text cell safe for spreadsheets: prefix ``'`` if it could run as a formula.

    A cell that already starts with ``'`` gets one more, so :func:`restore_cell` is exact.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> restore_cell(neutralise_cell("- a list item")), neutralise_cell("Vertrouwen")
    ('- a list item', 'Vertrouwen')
    """
    if value.startswith((*_FORMULA_START, "'")):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell`."""
    if value.startswith("'") and value[1:].startswith((*_FORMULA_START, "'")):
        return value[1:]
    return value
