"""The layout of a table as the factsheets print it: rows of cells, cells of bulleted items.

:meth:`Layout.to_frame` turns it into a DataFrame; :mod:`evidence_kb.publish.render` writes it.

Text printed in italics or as superscript inside a statement or caption is kept as a small
inline markup, ``<i>…</i>`` and ``<sup>…</sup>`` (nothing else): :func:`runs` splits such a
text into styled runs for the writers that can show them (HTML, Markdown, Word, LaTeX), and
:func:`plain_text` gives the text a DataFrame or CSV holds (italics dropped, superscript numbers
as Unicode superscript digits).
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
_MARKUP = re.compile(r"<(/?)(i|sup)>")


@dataclass(frozen=True)
class Run:
    """A piece of inline text and its style."""

    text: str
    italic: bool = False
    sup: bool = False


def runs(text: str) -> list[Run]:
    """Split a text with ``<i>``/``<sup>`` markup into styled runs (other text is kept as is).

    Examples
    --------
    >>> [(r.text, r.italic, r.sup) for r in runs("op <i>intra</i>-niveau<sup>2</sup>")]
    [('op ', False, False), ('intra', True, False), ('-niveau', False, False), ('2', False, True)]
    """
    out: list[Run] = []
    italic = sup = False
    pos = 0
    for match in _MARKUP.finditer(text):
        if match.start() > pos:
            out.append(Run(text[pos : match.start()], italic, sup))
        opening = not match[1]
        if match[2] == "i":
            italic = opening
        else:
            sup = opening
        pos = match.end()
    if pos < len(text):
        out.append(Run(text[pos:], italic, sup))
    return [Run(r.text.replace("\ue000", "<"), r.italic, r.sup) for r in out]


def _escape(text: str) -> str:
    """Text without markup, made safe for :func:`runs` (a literal ``<i>`` stays text)."""
    return text.replace("<", "\ue000")


def plain_text(text: str) -> str:
    """The text without markup: italics dropped, superscripts as Unicode superscript digits.

    Examples
    --------
    >>> plain_text("van het netwerk<sup>5,9,12</sup> en <i>actief</i>")
    'van het netwerk⁵,⁹,¹² en actief'
    """
    return "".join(r.text.translate(_SUPERSCRIPT) if r.sup else r.text for r in runs(text))


# -- the layout ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One statement in a cell: its first line, its sub-bullets and its citation."""

    text: str
    subitems: tuple[str, ...] = ()
    citation: str = ""
    superscript: bool = False  # print the citation as superscript numbers after the text
    finding_id: str = ""
    # the statement as printed, with <i>/<sup> markup (lines as text and subitems); when set,
    # the citation is in it where the print has it and is not added after the text
    printed: tuple[str, ...] = ()
    in_place: bool = False  # ``printed`` holds the citation where the print has it

    def lines(self) -> tuple[str, tuple[str, ...]]:
        """Return the first line (with its citation) and the sub-items, as markup."""
        if self.printed:
            text, subs = self.printed[0], self.printed[1:]
        else:
            text, subs = _escape(self.text), tuple(_escape(s) for s in self.subitems)
        if self.citation and not self.in_place:
            cite = _escape(self.citation)
            text += f"<sup>{cite}</sup>" if self.superscript else f" ({cite})"
        return text, subs

    def plain(self, bullet: str = "• ") -> str:
        """Return the item as plain text (superscripts as Unicode superscript digits)."""
        if self.printed:
            text, subs = self.lines()
            indent = "  - " if bullet else "- "
            return "\n".join(
                [f"{bullet}{plain_text(text)}", *(indent + plain_text(s) for s in subs)]
            )
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
    """A table cell: a ``text`` and/or a list of ``items``, spanning ``span`` columns.

    ``text`` may hold ``<i>``/``<sup>`` markup (see :func:`runs`).
    """

    text: str = ""
    items: tuple[Item, ...] = ()
    bullets: bool = True  # mark each item with a bullet (a single-statement cell has none)
    span: int = 1
    bold: bool = False
    italic: bool = False
    # one printed cell over several rows beside different themes (a list printed once for two
    # themes): the rows hold equal cells marked ``joined``, printed once (see Layout.rowspans)
    joined: bool = False

    def plain(self) -> str:
        """Return the cell as plain text, one item (and one sub-item) per line."""
        parts = [plain_text(self.text)] if self.text else []
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
    parts: tuple[tuple[str, bool], ...]  # (text, italic) segments of the reference as listed
    # the full APA reference, when ``parts`` is a printed short form (a numbered list)
    full: tuple[tuple[str, bool], ...] = ()

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
    # the caption as printed, with <i>/<sup> markup; the plain ``title`` when empty
    caption: str = ""
    # where and why this table knowingly differs from the print (a published table), or notes
    notes: tuple[str, ...] = ()
    # the DataFrame column of a cell that spans several columns (default: their names joined)
    span_column: str = ""
    # a reference list printed as short numbered forms (author, year) with this footnote
    references_footnote: str = ""

    @property
    def caption_markup(self) -> str:
        """The caption with its markup (the title when no printed caption is known)."""
        return self.caption or _escape(self.title)

    def span_name(self, first: int, span: int) -> str:
        """The DataFrame column of a cell spanning ``span`` columns from column ``first``."""
        covered = self.columns[first : first + span]
        return self.span_column or " + ".join(covered)

    def to_frame(self) -> pd.DataFrame:
        """Return the table as a DataFrame.

        A cell printed across several rows (a core element) is repeated in every row. A cell
        printed across several columns is written once: a group heading in the first column
        (the others empty, as printed); any other spanning cell (a gap or an undirected list
        across both direction columns) in a column of its own, named by :meth:`span_name`,
        with the columns it covers empty, so that it is never read as one of them.
        """
        import pandas as pd

        n = len(self.columns)
        data, extra = [], []
        for row in self.rows:
            values = [""] * n
            spanning: dict[str, str] = {}
            col = 0
            for cell in row.cells:
                if col >= n:
                    break
                if cell.span > 1 and not row.group:
                    spanning[self.span_name(col, cell.span)] = cell.plain()
                else:
                    values[col] = cell.plain()
                col += cell.span
            for name in spanning:
                if name not in extra:
                    extra.append(name)
            data.append((values, spanning))
        rows = [values + [spanning.get(name, "") for name in extra] for values, spanning in data]
        return pd.DataFrame(rows, columns=[*self.columns, *extra])

    def rowspans(self) -> list[list[int]]:
        """Return, per row and column, how many rows the cell spans (0: covered by the one above).

        Only the first ``merge`` columns merge, and a column merges only where every column
        before it merges too; group rows break every run. A ``joined`` cell merges with the
        equal joined cell above it in any column.
        """
        spans = [[1] * len(row.cells) for row in self.rows]
        self._join_marked(spans)
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

    def _join_marked(self, spans: list[list[int]]) -> None:
        """Merge each ``joined`` cell with the equal joined cell in the row above it."""
        starts: dict[int, int] = {}  # cell index -> row where its run starts
        for i, row in enumerate(self.rows):
            for col, cell in enumerate(row.cells):
                start = starts.get(col)
                above = self.rows[i - 1].cells if i else ()
                if (
                    cell.joined
                    and start is not None
                    and col < len(above)
                    and above[col] == cell
                    and not row.group
                ):
                    spans[start][col] += 1
                    spans[i][col] = 0
                else:
                    starts[col] = i
            for col in range(len(row.cells), max(starts, default=-1) + 1):
                starts.pop(col, None)
