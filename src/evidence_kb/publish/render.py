"""Write tables as Markdown, self-contained HTML, Word (.docx), LaTeX and CSV.

Every writer takes a :class:`~evidence_kb.publish.tables.Layout` (or an
:class:`~evidence_kb.publish.tables.EvidenceTable`) and keeps its structure: core elements in
bold and printed once beside their rows, statements as bullet lists with superscript numbers
(and italics) where printed, promoting and hindering side by side, group headings across the
table, the printed caption above it, and the table's notes and the reference list below it. A
cell across several columns is merged in HTML, Word and LaTeX; Markdown, which cannot merge,
writes it once in the first of them and names those rows under the table; CSV writes it once,
in a column of its own (:meth:`~evidence_kb.publish.layout.Layout.to_frame`).
:func:`write_table` writes one table; :func:`write_tables` writes every table a knowledge base
can publish (:func:`~evidence_kb.publish.tables.table_names`) in every format.

Escaping: every statement, label and title is escaped for its format (``html.escape`` for HTML
and Markdown, backslashes for LaTeX and Markdown syntax). CSV cells that a spreadsheet would run
as a formula are neutralised with a leading ``'``: cells starting with ``=``, ``+``, ``@``, a
tab or carriage return, or with ``-`` followed by something other than a space. A cell starting
with ``"- "`` is a list item (the knowledge base writes sub-bullets that way) and stays as it is;
spreadsheets do not run it as a formula because ``"- "`` followed by text is not a number.
"""

from __future__ import annotations

import html
import io
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.io.export import neutralise_cell
from evidence_kb.io.guard import check_output
from evidence_kb.io.text import clean_control_characters, write_bytes, write_text
from evidence_kb.model.vocab import TABLE_FORMATS
from evidence_kb.publish.layout import runs
from evidence_kb.publish.tables import (
    Cell,
    EvidenceTable,
    Item,
    Layout,
    table_layouts,
)

if TYPE_CHECKING:
    from evidence_kb.model.data import KBData
    from evidence_kb.model.i18n import Language

__all__ = [
    "FORMATS",
    "to_csv",
    "to_docx",
    "to_html",
    "to_latex",
    "to_markdown",
    "write_table",
    "write_tables",
]

FORMATS = TABLE_FORMATS
"""The formats :func:`write_tables` knows, by file extension."""

NAVY, LIGHT, LINE = "1F3864", "DCE6F2", "9DB3D6"  # factsheet colours: header, core element, rules


def _layout(table: Layout | EvidenceTable) -> Layout:
    return table.layout if isinstance(table, EvidenceTable) else table


def _grid(layout: Layout) -> list[list[tuple[int, Cell, int]]]:
    """Per row: (first column, cell, rows spanned) for every cell not covered by the one above."""
    spans = layout.rowspans()
    grid = []
    for row, row_spans in zip(layout.rows, spans, strict=True):
        col, cells = 0, []
        for cell, rowspan in zip(row.cells, row_spans, strict=True):
            if rowspan:
                cells.append((col, cell, rowspan))
            col += cell.span
        grid.append(cells)
    return grid


# -- Markdown ----------------------------------------------------------------------------------
def _md(text: str) -> str:
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", text).replace("\n", "<br>")


def _md_runs(markup: str) -> str:
    """Markdown of a text with ``<i>``/``<sup>`` markup: *emphasis* and <sup>numbers</sup>."""
    out = []
    for run in runs(markup):
        text = _md(run.text)
        if run.sup:
            text = f"<sup>{text}</sup>"
        if run.italic and text.strip():
            text = f"*{text}*"
        out.append(text)
    return "".join(out)


def _md_item(item: Item, bullet: bool) -> str:
    text, subs = item.lines()
    lines = [("• " if bullet else "") + _md_runs(text)]
    lines += [("&nbsp;&nbsp;- " if bullet else "• ") + _md_runs(s) for s in subs]
    return "<br>".join(lines)


def _md_cell(cell: Cell) -> str:
    parts = [_md_runs(cell.text)] if cell.text else []
    parts += [_md_item(item, cell.bullets) for item in cell.items]
    text = "<br>".join(parts)
    if text and cell.bold:
        text = f"**{text}**"
    if text and cell.italic:
        text = f"*{text}*"
    return text


def to_markdown(table: Layout | EvidenceTable) -> str:
    """Return the table as a GitHub-flavoured Markdown pipe table, with its reference list."""
    layout = _layout(table)
    n = len(layout.columns)
    lines = [
        f"**{_md_runs(layout.caption_markup)}**",
        "",
        "| " + " | ".join(_md(c) for c in layout.columns) + " |",
        "|" + "---|" * n,
    ]
    spanning: dict[str, list[str]] = {}  # a cell across columns is written once, in the first
    joined: list[str] = []  # a cell across rows beside different themes: in the first row
    for row, cells in zip(layout.rows, _grid(layout), strict=True):
        values = [""] * n
        for col, cell, rowspan in cells:
            values[col] = _md_cell(cell)
            label = " / ".join(c.plain() for c in row.cells[:col] if c.plain())
            if cell.span > 1 and not row.group:
                covered = " en ".join(layout.columns[col : col + cell.span])
                spanning.setdefault(covered, []).append(label.replace("\n", " "))
            if cell.joined and rowspan > 1:
                joined.append(
                    f"{layout.columns[col]} van {label} (en de {rowspan - 1} rij(en) eronder)"
                )
        lines.append("| " + " | ".join(values) + " |")
    for covered, labels in spanning.items():
        lines += ["", _md(f"Over de kolommen {covered} samen: {'; '.join(labels)}.")]
    for text in joined:
        lines += ["", _md(f"Eén cel over meerdere rijen: {text}.")]
    for note in layout.notes:
        lines += ["", f"*{_md('Noot')}:* {_md(note)}"]
    if layout.references:
        lines += ["", f"**{_md(layout.references_title)}**", ""]
        for entry in layout.references:
            text = "".join(
                f"*{_md(t)}*" if italic and t.strip() else _md(t) for t, italic in entry.parts
            )
            lines += [(f"{entry.number}\\. " if entry.number else "") + text.strip(), ""]
        if layout.references_footnote:
            lines += [_md(layout.references_footnote), ""]
    return "\n".join(lines).rstrip() + "\n"


# -- HTML --------------------------------------------------------------------------------------
_CSS = f"""
body {{ font-family: "Segoe UI", Calibri, Arial, sans-serif; font-size: 10pt; color: #1a1a1a;
       margin: 2em auto; max-width: 1150px; }}
caption {{ caption-side: top; text-align: left; font-weight: 600; color: #{NAVY};
           padding: 0 0 .6em; }}
table.factsheet {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
table.factsheet th {{ background: #{NAVY}; color: #fff; text-align: left; padding: .5em .6em; }}
table.factsheet td {{ border: 1px solid #{LINE}; padding: .45em .6em; vertical-align: top; }}
table.factsheet td.element {{ background: #{LIGHT}; font-weight: 700; }}
table.factsheet tr.group td {{ background: #EEF3FA; font-style: italic; font-weight: 600; }}
table.factsheet p {{ margin: 0 0 .3em; }}
table.factsheet ul {{ margin: 0; padding-left: 1.1em; }}
table.factsheet ul.sub {{ list-style-type: "- "; padding-left: 1.2em; }}
table.factsheet li {{ margin: 0 0 .3em; }}
sup {{ font-size: .72em; line-height: 0; }}
.references {{ margin-top: 1.5em; font-size: 9pt; }}
.references h2 {{ font-size: 11pt; color: #{NAVY}; }}
.references li {{ margin-bottom: .3em; }}
.references ul {{ list-style: none; padding-left: 2em; }}
.references ul li {{ text-indent: -2em; }}
"""


def _h(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _h_runs(markup: str) -> str:
    """HTML of a text with ``<i>``/``<sup>`` markup (everything else escaped)."""
    out = []
    for run in runs(markup):
        text = _h(run.text)
        if run.sup:
            text = f"<sup>{text}</sup>"
        out.append(f"<em>{text}</em>" if run.italic else text)
    return "".join(out)


def _html_item(item: Item, bullets: bool) -> str:
    text, sub_lines = item.lines()
    subs = "".join(f"<li>{_h_runs(s)}</li>" for s in sub_lines)
    # sub-items of a bullet are dashed; those of a single statement get the bullets
    return _h_runs(text) + (
        (f'<ul class="sub">{subs}</ul>' if bullets else f"<ul>{subs}</ul>") if subs else ""
    )


def _html_cell(cell: Cell) -> str:
    text = _h_runs(cell.text)
    if text and cell.italic:
        text = f"<em>{text}</em>"
    if text and cell.bold:
        text = f"<strong>{text}</strong>"
    parts = [f"<p>{text}</p>" if cell.items else text] if text else []
    if cell.bullets and cell.items:
        parts.append(
            "<ul>" + "".join(f"<li>{_html_item(i, True)}</li>" for i in cell.items) + "</ul>"
        )
    else:
        parts += [
            f"<p>{_html_item(i, False)}</p>" if not i.subitems else _html_item(i, False)
            for i in cell.items
        ]
    return "".join(parts)


def to_html(table: Layout | EvidenceTable) -> str:
    """Return a self-contained HTML page (inline CSS, no scripts) with the table and references."""
    layout = _layout(table)
    widths = layout.widths or (100 / len(layout.columns),) * len(layout.columns)
    total = sum(widths)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{layout.language}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_h(layout.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<table class="factsheet">',
        f"<caption>{_h_runs(layout.caption_markup)}</caption>",
        "<colgroup>",
        *(f'<col style="width:{w / total * 100:.1f}%">' for w in widths),
        "</colgroup>",
        "<thead><tr>"
        + "".join(f'<th scope="col">{_h(c)}</th>' for c in layout.columns)
        + "</tr></thead>",
        "<tbody>",
    ]
    for row, cells in zip(layout.rows, _grid(layout), strict=True):
        tds = []
        for col, cell, rowspan in cells:
            attrs = (f' colspan="{cell.span}"' if cell.span > 1 else "") + (
                f' rowspan="{rowspan}"' if rowspan > 1 else ""
            )
            klass = ' class="element"' if cell.bold and not row.group and col == 0 else ""
            tds.append(f"<td{klass}{attrs}>{_html_cell(cell)}</td>")
        out.append(('<tr class="group">' if row.group else "<tr>") + "".join(tds) + "</tr>")
    out += ["</tbody>", "</table>"]
    if layout.notes:
        out += ['<section class="notes">', *(f"<p>Noot: {_h(n)}</p>" for n in layout.notes)]
        out.append("</section>")
    if layout.references:
        tag = "ol" if any(e.number for e in layout.references) else "ul"
        out += [
            '<section class="references">',
            f"<h2>{_h(layout.references_title)}</h2>",
            f"<{tag}>",
        ]
        for e in layout.references:
            text = "".join(f"<em>{_h(t)}</em>" if italic else _h(t) for t, italic in e.parts)
            value = f' value="{e.number}"' if e.number else ""
            out.append(f"<li{value}>{text}</li>")
        out.append(f"</{tag}>")
        if layout.references_footnote:
            out.append(f'<p class="footnote">{_h(layout.references_footnote)}</p>')
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# -- Word --------------------------------------------------------------------------------------
def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _docx_cell(target, cell: Cell, *, header: bool = False) -> None:
    from docx.shared import Pt, RGBColor

    def para(first: bool, style: str | None = None):
        p = target.paragraphs[0] if first else target.add_paragraph()
        if style:
            p.style = style
        p.paragraph_format.space_after = Pt(2)
        return p

    def run(p, markup: str) -> None:
        for piece in runs(markup):
            r = p.add_run(clean_control_characters(piece.text))
            r.bold = cell.bold or header or None
            r.italic = cell.italic or piece.italic or None
            r.font.superscript = piece.sup or None
            r.font.size = Pt(8.5)
            if header:
                r.font.color.rgb = RGBColor.from_string("FFFFFF")

    first = True
    if cell.text:
        for line in (cell.text if not header else cell.text.replace("<", "\ue000")).split("\n"):
            run(para(first), line)
            first = False
    for item in cell.items:
        p = para(first, "List Bullet" if cell.bullets else None)
        first = False
        text, subs = item.lines()
        run(p, text)
        for sub in subs:
            run(para(False, "List Bullet 2" if cell.bullets else "List Bullet"), sub)


def to_docx(table: Layout | EvidenceTable) -> bytes:
    """Return a Word document (A4 landscape) with the table and its references, as bytes."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt, RGBColor

    layout = _layout(table)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    doc.styles["Normal"].font.name = "Calibri"
    title = doc.add_paragraph()
    for piece in runs(layout.caption_markup):
        title_run = title.add_run(clean_control_characters(piece.text))
        title_run.bold, title_run.font.size = True, Pt(11)
        title_run.italic = piece.italic or None
        title_run.font.color.rgb = RGBColor.from_string(NAVY)
    _docx_table(doc, layout)
    for note in layout.notes:
        note_run = doc.add_paragraph().add_run(clean_control_characters(f"Noot: {note}"))
        note_run.font.size = Pt(8.5)
    if layout.references:
        _docx_references(doc, layout)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_table(doc: Any, layout: Layout) -> None:
    """The table: a navy header row repeated on every page, merged cells, fixed widths."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    n = len(layout.columns)
    grid = doc.add_table(rows=1 + len(layout.rows), cols=n)
    grid.style = "Table Grid"
    widths = layout.widths or (1,) * n
    usable = 26.7
    cm = [usable * w / sum(widths) for w in widths]
    for i, name in enumerate(layout.columns):
        _docx_cell(grid.cell(0, i), Cell(name), header=True)
        _shade(grid.cell(0, i), NAVY)
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    placed = []
    for r, (row, cells) in enumerate(zip(layout.rows, _grid(layout), strict=True), start=1):
        for col, cell, rowspan in cells:
            span = n - col if row.group else cell.span
            target = grid.cell(r, col)
            end = grid.cell(r + rowspan - 1, col + span - 1)
            merged = target.merge(end) if end._tc is not target._tc else target
            placed.append((merged, cell, row.group, col))
    for target, cell, group, col in placed:
        _docx_cell(target, cell)
        if group:
            _shade(target, "EEF3FA")
        elif cell.bold and col == 0:
            _shade(target, LIGHT)
    grid.autofit = False
    for i, column in enumerate(
        grid.columns
    ):  # the grid widths (LibreOffice) and each cell's (Word)
        column.width = Cm(cm[i])
        for c in column.cells:
            c.width = Cm(cm[i])


def _docx_references(doc: Any, layout: Layout) -> None:
    """The reference list below the table, numbered if the table cites by number."""
    from docx.shared import Pt, RGBColor

    heading = doc.add_paragraph()
    heading.paragraph_format.space_before = Pt(12)
    head_run = heading.add_run(layout.references_title)
    head_run.bold, head_run.font.color.rgb = True, RGBColor.from_string(NAVY)
    for e in layout.references:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(2)
        for text, italic in ([(f"{e.number}. ", False)] if e.number else []) + list(e.parts):
            ref_run = p.add_run(clean_control_characters(text))
            ref_run.italic, ref_run.font.size = italic or None, Pt(9)
    if layout.references_footnote:
        foot = doc.add_paragraph().add_run(clean_control_characters(layout.references_footnote))
        foot.font.size = Pt(8.5)


# -- LaTeX -------------------------------------------------------------------------------------
_TEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _tex(text: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in text).replace("\n", r"\newline ")


def _tex_runs(markup: str) -> str:
    """LaTeX of a text with ``<i>``/``<sup>`` markup: ``\\emph``, ``\\textsuperscript``."""
    out = []
    for run in runs(markup):
        text = _tex(run.text)
        if run.sup:
            text = rf"\textsuperscript{{{text}}}"
        out.append(rf"\emph{{{text}}}" if run.italic else text)
    return "".join(out)


def _tex_cell(cell: Cell) -> str:
    parts = [_tex_runs(cell.text)] if cell.text else []
    for item in cell.items:
        text, subs = item.lines()
        parts.append((r"\textbullet~" if cell.bullets else "") + _tex_runs(text))
        parts += [
            (r"\hspace*{1em}--~" if cell.bullets else r"\textbullet~") + _tex_runs(s) for s in subs
        ]
    body = r"\newline ".join(parts)
    if body and cell.bold:
        body = rf"\textbf{{{body}}}"
    return rf"\textit{{{body}}}" if body and cell.italic else body


def _tex_rule(next_cells: list[tuple[int, Cell, int]] | None, n: int) -> str:
    """``\\hline``, or ``\\cline`` around the columns the next row leaves to a cell above."""
    if next_cells is None:
        return r"\hline"
    open_columns = set()
    for col, cell, _ in next_cells:
        open_columns |= set(range(col, col + cell.span))
    if len(open_columns) == n:
        return r"\hline"
    ranges, start = [], None
    for col in [*range(n), n]:
        if col in open_columns and start is None:
            start = col
        elif col not in open_columns and start is not None:
            ranges.append(rf"\cline{{{start + 1}-{col}}}")
            start = None
    return "".join(ranges)


def to_latex(table: Layout | EvidenceTable) -> str:
    """Return a standalone LaTeX document (``longtable``, A4 landscape) with the table."""
    layout = _layout(table)
    n = len(layout.columns)
    widths = layout.widths or (1,) * n
    fractions = [0.96 * w / sum(widths) for w in widths]
    spec = "".join(rf">{{\raggedright\arraybackslash}}p{{{f:.3f}\linewidth}}" for f in fractions)
    out = [
        r"\documentclass[a4paper,10pt]{article}",
        r"\usepackage[T1]{fontenc}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage{lmodern}",
        r"\usepackage[landscape,margin=1.5cm]{geometry}",
        r"\usepackage{longtable,array}",
        r"\usepackage[table]{xcolor}",
        rf"\definecolor{{navy}}{{HTML}}{{{NAVY}}}",
        rf"\definecolor{{light}}{{HTML}}{{{LIGHT}}}",
        r"\begin{document}",
        r"\small",
        rf"\noindent\textbf{{\color{{navy}}{_tex_runs(layout.caption_markup)}}}",
        "",
        rf"\begin{{longtable}}{{{spec}}}",
        r"\hline",
        r"\rowcolor{navy}"
        + " & ".join(rf"\textcolor{{white}}{{\textbf{{{_tex(c)}}}}}" for c in layout.columns)
        + r" \\",
        r"\hline",
        r"\endhead",
    ]
    grid = _grid(layout)
    for i, (row, cells) in enumerate(zip(layout.rows, grid, strict=True)):
        rule = _tex_rule(grid[i + 1] if i + 1 < len(grid) else None, n)
        if row.group:
            out.append(
                rf"\multicolumn{{{n}}}{{l}}{{\cellcolor{{light}}{_tex_cell(row.cells[0])}}}"
                rf" \\ {rule}"
            )
        else:
            out.append(" & ".join(_tex_values(cells, fractions)) + rf" \\ {rule}")
    out.append(r"\end{longtable}")
    out += [rf"\noindent Noot: {_tex(note)}\par" for note in layout.notes]
    if layout.references:
        out += ["", rf"\subsection*{{{_tex(layout.references_title)}}}", r"\begin{description}"]
        for e in layout.references:
            text = "".join(rf"\textit{{{_tex(t)}}}" if italic else _tex(t) for t, italic in e.parts)
            label = f"[{e.number}.]" if e.number else "[]"
            out.append(rf"\item{label} {text}")
        out.append(r"\end{description}")
        if layout.references_footnote:
            out.append(rf"\noindent {_tex(layout.references_footnote)}\par")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _tex_values(cells: list[tuple[int, Cell, int]], fractions: list[float]) -> list[str]:
    """The LaTeX of one row's columns: a cell spanning columns as a ``\\multicolumn``, a column
    covered by a cell above as empty."""
    values, col = [], 0
    placed = {c: (cell, span) for c, cell, span in cells}
    while col < len(fractions):
        cell, _ = placed.get(col, (None, 0))
        if cell is None:  # covered by a core element printed above
            values.append("")
            col += 1
            continue
        text = _tex_cell(cell)
        if cell.span > 1:
            width = sum(fractions[col : col + cell.span])
            column = rf">{{\raggedright\arraybackslash}}p{{{width:.3f}\linewidth}}"
            text = rf"\multicolumn{{{cell.span}}}{{{column}}}{{{text}}}"
        values.append(text)
        col += cell.span
    return values


# -- CSV ---------------------------------------------------------------------------------------
def _neutralise(value: object) -> object:
    """Neutralise a cell a spreadsheet would run as a formula; a "- " list item is text."""
    if not isinstance(value, str):
        return value
    value = clean_control_characters(value)
    return value if value.startswith("- ") else neutralise_cell(value)


def to_csv(table: Layout | EvidenceTable) -> str:
    """Return the table as CSV (the DataFrame of :meth:`Layout.to_frame`), formulas neutralised."""
    frame = _layout(table).to_frame()
    return frame.map(_neutralise).to_csv(index=False, lineterminator="\n")


# -- files ---------------------------------------------------------------------------------------
_WRITERS: dict[str, Callable[[Layout | EvidenceTable], str | bytes]] = {
    "md": to_markdown,
    "html": to_html,
    "docx": to_docx,
    "tex": to_latex,
    "csv": to_csv,
}


def _check_formats(formats: Iterable[str]) -> list[str]:
    formats = [f.lower().lstrip(".") for f in ([formats] if isinstance(formats, str) else formats)]
    bad = [f for f in formats if f not in _WRITERS]
    if bad:
        msg = f"unknown format(s) {', '.join(map(repr, bad))}; use any of: {', '.join(FORMATS)}"
        raise ValueError(msg)
    return formats


def write_table(
    table: Layout | EvidenceTable, path: str | os.PathLike[str], *, format: str | None = None
) -> Path:
    """Write one table to ``path`` in ``format`` (default: the file extension); return the path.

    ``table`` is a :class:`Layout` (``table_layout(kb, ...)``) or an :class:`EvidenceTable`
    (``kb.evidence_table(...)``). The file is written to a temporary file first and then
    renamed, so a failure never leaves half a file. A path inside a knowledge-base directory, or
    named like a knowledge base's own file (``findings.csv``), is refused
    (:func:`~evidence_kb.io.guard.check_output`).

    Examples
    --------
    >>> import tempfile
    >>> ev = ekb.load().evidence_table(element="Synergie")
    >>> write_table(ev, Path(tempfile.mkdtemp()) / "synergie.docx").suffix
    '.docx'
    """
    path = check_output(path, kb_names=True, way_out="write the table to another path")
    (fmt,) = _check_formats([format or path.suffix])
    data = _WRITERS[fmt](table)
    if isinstance(data, bytes):
        write_bytes(path, data)
    elif fmt == "csv":
        write_text(path, "\ufeff" + data)  # with a byte-order mark, so that Excel reads UTF-8
    else:
        write_text(path, data)
    return path


def write_tables(
    kb: KBData,
    out_dir: str | os.PathLike[str],
    *,
    review: str | None = None,
    formats: Iterable[str] = FORMATS,
    language: Language | None = None,
) -> list[Path]:
    """Write every table ``kb`` can publish in every format to ``out_dir/<name>.<format>``.

    The tables are those of :func:`~evidence_kb.publish.tables.table_names`: a review's
    printed layout when the bundled knowledge base has one and ``kb`` holds its findings, else
    the review's evidence table named after the review id. A team's own directory therefore
    gets the tables of its own reviews, never empty files named after the bundled tables.

    Parameters
    ----------
    kb
        The knowledge base.
    out_dir
        The directory (created if needed). Each file is written to a temporary file first and
        then renamed, so a failure never leaves half a file.
    review
        Only the tables of this review (an ``UnknownIdError`` for an unknown one).
    formats
        Any of ``"md"``, ``"html"``, ``"docx"``, ``"tex"``, ``"csv"``.
    language
        ``"nl"`` or ``"en"`` for the review tables; by default each review's own language
        (``reviews.csv``), else Dutch.

    Returns
    -------
    list of pathlib.Path
        The files written, sorted.

    Raises
    ------
    ValueError
        For an unknown format (before anything is written).
    UnknownIdError
        For an unknown ``review`` (before anything is written).
    InputError
        If ``out_dir`` is a knowledge-base directory (the loaded one or another), or a table
        would be named like a knowledge base's own file (a review with id ``findings``), before
        anything is written.
    """
    formats = _check_formats(formats)
    out_dir = Path(out_dir)
    layouts = table_layouts(kb, review=review, language=language)
    paths = {(name, fmt): out_dir / f"{name}.{fmt}" for name in layouts for fmt in formats}
    for path in paths.values():
        check_output(
            path, kb_dir=kb.data_dir, kb_names=True, way_out="pass another --out (out_dir)"
        )
    return sorted(
        write_table(layouts[name], path, format=fmt) for (name, fmt), path in paths.items()
    )
