"""The layout of a table as the factsheets print it: rows of cells, cells of bulleted items.

:meth:`Layout.to_frame` turns it into a DataFrame; :mod:`evidence_kb.publish.render` writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


# the words live in their one home, evidence_kb.model.i18n; importable from here as before
from evidence_kb.model.i18n import WORDS as WORDS
from evidence_kb.model.i18n import Language as Language

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


# -- the layout ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One statement in a cell: its first line, its sub-bullets and its citation."""

    text: str
    subitems: tuple[str, ...] = ()
    citation: str = ""
    superscript: bool = False  # print the citation as superscript numbers after the text
    finding_id: str = ""

    def plain(self, bullet: str = "• ") -> str:
        """Return the item as plain text (superscripts as Unicode superscript digits)."""
        if not self.citation:
            cite = ""
        elif self.superscript:
            cite = self.citation.translate(_SUPERSCRIPT)
        else:
            cite = f" ({self.citation})"
        indent = "  - " if bullet else "- "
        return "\n".join([f"{bullet}{self.text}{cite}", *(indent + s for s in self.subitems)])


@dataclass(frozen=True)
class Cell:
    """A table cell: a plain ``text`` and/or a list of ``items``, spanning ``span`` columns."""

    text: str = ""
    items: tuple[Item, ...] = ()
    bullets: bool = True  # mark each item with a bullet (a single-statement cell has none)
    span: int = 1
    bold: bool = False
    italic: bool = False

    def plain(self) -> str:
        """Return the cell as plain text, one item (and one sub-item) per line."""
        parts = [self.text] if self.text else []
        parts += [item.plain("• " if self.bullets else "") for item in self.items]
        return "\n".join(parts)


@dataclass(frozen=True)
class Row:
    """A table row; ``group`` rows are headings that span the whole table."""

    cells: tuple[Cell, ...]
    group: bool = False


@dataclass(frozen=True)
class ReferenceEntry:
    """One entry of a table's reference list: number (or None), key, in-text form, APA parts."""

    number: int | None
    key: str
    in_text: str
    parts: tuple[tuple[str, bool], ...]  # (text, italic) segments of the APA reference

    @property
    def apa(self) -> str:
        """The APA reference as plain text."""
        return re.sub(r"\s+", " ", "".join(text for text, _ in self.parts)).strip()


@dataclass(frozen=True)
class Layout:
    """A table ready to render: title, header, rows, merged leading columns, references."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    merge: int = 0  # leading columns whose repeated values are printed once (a row span)
    widths: tuple[float, ...] = ()  # relative column widths
    references: tuple[ReferenceEntry, ...] = ()
    references_title: str = ""
    language: Language = "nl"

    def to_frame(self) -> pd.DataFrame:
        """Return the table as a DataFrame, spanned cells repeated (see the module docstring)."""
        import pandas as pd

        n = len(self.columns)
        data = []
        for row in self.rows:
            values = [value for cell in row.cells for value in [cell.plain()] * cell.span]
            data.append((values + [""] * n)[:n])
        return pd.DataFrame(data, columns=list(self.columns))

    def rowspans(self) -> list[list[int]]:
        """Return, per row and column, how many rows the cell spans (0: covered by the one above).

        Only the first ``merge`` columns merge, and a column merges only where every column
        before it merges too; group rows break every run.
        """
        spans = [[1] * len(row.cells) for row in self.rows]
        for col in range(self.merge):
            start = None
            for i, row in enumerate(self.rows):
                same = (
                    start is not None
                    and not row.group
                    and col < len(row.cells)
                    and row.cells[col].span == 1
                    and all(spans[i][c] == 0 for c in range(col))
                    and row.cells[col].plain() == self.rows[start].cells[col].plain()
                )
                if same and start is not None:  # (same implies a start; said for mypy)
                    spans[start][col] += 1
                    spans[i][col] = 0
                else:
                    start = None if row.group or col >= len(row.cells) else i
        return spans
