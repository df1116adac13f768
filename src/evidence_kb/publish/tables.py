"""The factsheet tables as published, and evidence tables in the same layout for any selection.

A table is computed as a :class:`Layout`: a header, rows of :class:`Cell` objects (a label, or
statements as :class:`Item` bullets with their citation) and the matching reference list.
:meth:`Layout.to_frame` turns it into a DataFrame; :mod:`evidence_kb.publish.render` writes it as
Markdown, HTML, Word, LaTeX or CSV. Everything comes from the knowledge base: which findings a
table holds (the table named in their ``source``), their order (``finding_id``), the labels of
core elements and themes (``kb.elements``) and the citations (as printed, or rendered from the
resolved references).

A published table is printed as the source prints it: its printed caption (``Layout.caption``,
with ``<i>`` markup) and column headers, empty cells empty, superscripts and italics where
printed (the findings' ``printed`` column); where it knowingly differs from the print,
``Layout.notes`` says how and why. A numbered literature list is printed as its short forms
with its footnote (``ReferenceEntry.full`` keeps the APA reference).

DataFrame convention: a cell printed across several rows (a core element beside several rows)
is repeated in every row it covers, as :func:`pandas.read_html` reads such a table. A cell
printed across several columns is written once: a group heading such as "Onderlinge relatie"
in the first column, as printed; a gap or undirected list across the direction columns
("Geen relevante informatie gevonden") in a column of its own (``Layout.span_column``), never
under promoting or hindering. Items of a list start with ``"• "``, their sub-items with
``"  - "``; superscript numbers are written with Unicode superscript digits (``"…leren¹⁵"``,
``"…smeermiddel⁹,¹²,¹⁵"``), where the print has them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from evidence_kb.model.errors import UnknownIdError
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.i18n import review_language
from evidence_kb.model.tree import ElementTree
from evidence_kb.model.vocab import counts_as_evidence

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.model.data import KBData

from evidence_kb.graph.queries.common import _index, as_graph
from evidence_kb.model.cells import cell_text
from evidence_kb.publish.apa import apa_reference, in_text_citation
from evidence_kb.publish.charting import charting_layouts
from evidence_kb.publish.layout import (
    WORDS,
    Cell,
    Item,
    Language,
    Layout,
    ReferenceEntry,
    Row,
    plain_text,
)
from evidence_kb.publish.related import notices_by_work, related_segments

__all__ = [
    "TABLE_NAMES",
    "Cell",
    "EvidenceTable",
    "Item",
    "Layout",
    "Row",
    "apa_reference",
    "evidence_table",
    "in_text_citation",
    "published_layout",
    "published_table",
    "review_layout",
    "table_layout",
    "table_layouts",
    "table_names",
]


# -- published tables ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    review: str
    number: int  # the table number as printed ("Tabel 1")
    layout: Literal["statements", "factors", "comparison"]
    columns: tuple[str, ...]
    caption: str  # as printed, with <i> markup
    # element id -> the name this factsheet prints; used only if kb.elements knows that name
    labels: tuple[tuple[str, str], ...] = ()
    groups: bool = False  # group heading rows by kind (relationship, overlap, difference)
    last: Literal["citation", "paradigm"] = "citation"
    widths: tuple[float, ...] = ()
    # where the table knowingly differs from the print, and why (shown under the table)
    notes: tuple[str, ...] = ()
    # the DataFrame column of a cell printed across the direction columns
    span_column: str = ""
    # themes (element ids) printed on a page without their core element: that cell stays empty
    unprinted_core: tuple[str, ...] = ()
    # the printed literature list: short numbered forms (author, year) and its footnote
    short_references: bool = False
    references_footnote: str = ""
    references_title: str = ""  # the heading of the printed list ("Referenties")
    title: str = ""  # the factsheet's title: a review that shares only the id is another review


_WI_TITLE = "Samen leren en innoveren in het domein Werk & Inkomen"
_PPS_TITLE = "Samen leren en innoveren in leernetwerken met publieke en private partijen"
_LO_TITLE = (
    "Lerende organisaties en Leernetwerken in het sociaal domein: Hoe verschillen ze, "
    "overlappen ze en versterken ze elkaar?"
)

_PPS_SHORT = (
    "Kernelement | Thema | Bevorderend werkt | Belemmerend werkt: the print has two columns, "
    "Kernelement | Bevorderende en belemmerende factoren, with the theme headings and the "
    "labels Bevorderend werkt / Belemmerend werkt inside the second; the table gives each a "
    "column. A list printed under a theme without either label (a gap, or the outcomes of "
    "'Resultaten van het LNW') spans both direction columns (in a DataFrame or CSV: the column "
    "'Bevorderende en belemmerende factoren')."
)
_SPECS: dict[str, _Spec] = {
    "werk-inkomen-2023": _Spec(
        "werk-inkomen-2023",
        1,
        "statements",
        ("Kernelement", "Werkzaam element uit de literatuur", "Verwijzing"),
        caption=(
            "Tabel 1. Wat is bekend uit de wetenschappelijke literatuur over wat werkt bij het "
            "voeren van organisatie-overstijgende leernetwerken per kernelement."
        ),
        widths=(18, 60, 22),
        notes=(
            "The print splits the table over two pages, the second captioned 'Vervolg tabel 1'; "
            "it is one table here, and the caption is printed above it, not below.",
        ),
        short_references=True,  # "Referenties": six numbered short forms (001 lines 99-104)
        references_title="Referenties",
        title=_WI_TITLE,
    ),
    "pps-2023": _Spec(
        "pps-2023",
        1,
        "factors",
        ("Kernelement", "Thema", "Bevorderend werkt", "Belemmerend werkt"),
        caption=(
            "Tabel 1 Wat is bekend uit over wat werkt bij een Publiek-Private Samenwerking in "
            "een leernetwerk (LNW), per kernelement van het LISO-framework"
        ),
        labels=(
            ("liso/community-context", "Community Context"),
            ("liso/opbrengsten", "Resultaten"),
        ),
        widths=(13, 17, 35, 35),
        notes=(
            _PPS_SHORT,
            "Seed 002 line 102 prints one Belemmerend werkt list below the themes "
            "'Randvoorwaarden processen organisatie LNW' and 'Leiderschap': it is one cell beside "
            "both rows (in a DataFrame or CSV repeated in both, as a core element is).",
            "Bullet marks: every item has one; the print shows none on the page of lines 110-114 "
            "and prints the one hindering statement of line 114 as a paragraph. Sub-items are "
            "marked '-'; the print numbers those of line 131 '1)', '2)', '3)' in their text.",
            "The print leaves the core element empty on the pages of lines 123 and 131-134; so "
            "does the table for lines 131-134 (line 123 continues Synergie from the page before).",
        ),
        span_column="Bevorderende en belemmerende factoren",
        unprinted_core=(
            "liso/leerlessen/werkwijze-leren",
            "liso/kennistransfer/financiele-prikkels",
            "liso/kennistransfer/implementatiestrategieen",
            "liso/kennistransfer/kennistransfer-moederorganisatie",
        ),
        short_references=True,
        references_footnote="* De nummers 1-15 zijn opgenomen in de scoping review",
        references_title="Literatuur*",
        title=_PPS_TITLE,
    ),
    "lo-lnw-2026-tabel-1": _Spec(
        "lo-lnw-2026",
        1,
        "comparison",
        ("THEMA", "TOELICHTING", "VERWIJZING"),
        caption=(
            'Tabel 1. <i>Overzicht resultaten scoping review "Hoe verschillen, overlappen en '
            'versterken de begrippen leernetwerken en de lerende organisatie elkaar?"</i>'
        ),
        groups=True,
        widths=(27, 53, 20),
        title=_LO_TITLE,
    ),
    "lo-lnw-2026-tabel-2": _Spec(
        "lo-lnw-2026",
        2,
        "comparison",
        ("THEMA", "TOELICHTING", "VERWIJZING"),
        caption=(
            "Tabel 2. <i>Overzicht resultaten expertsessie binnen TNO “Hoe verschillen, "
            "overlappen en versterken de begrippen LO en LEERNETWERKEN elkaar?”</i>"
        ),
        groups=True,
        widths=(27, 53, 20),
        title=_LO_TITLE,
    ),
    "lo-lnw-2026-tabel-3": _Spec(
        "lo-lnw-2026",
        3,
        "comparison",
        ("THEMA", "TOELICHTING ADVIESGROEP", "PARADIGMA"),
        caption="Tabel 3. Overzicht commentaar en aanvullingen adviesgroep",
        last="paradigm",
        widths=(24, 54, 22),
        title=_LO_TITLE,
    ),
}
TABLE_NAMES: tuple[str, ...] = tuple(_SPECS)
"""The names of the published tables, for :func:`published_table`."""

_SOURCE = re.compile(r"^(?P<seed>\d{3}) (?P<section>.*?), line (?P<line>\d+)")


def _in_table(source: str, number: int) -> bool:
    """Whether a ``source`` (``"002 Tabel 1 (vervolg 2) …, line 110"``) is in Tabel ``number``."""
    match = _SOURCE.match(source)
    if match is None:
        return False
    return re.match(rf"(?i)(?:vervolg )?tabel {number}\b", match["section"]) is not None


def published_layout(kb: KBData, name: str) -> Layout:
    """Return the :class:`Layout` of a published table (see :func:`published_table`)."""
    spec = _SPECS.get(name)
    if spec is None:
        hint = did_you_mean(name, TABLE_NAMES)
        msg = f"{name!r} is not a published table{hint}; known: {', '.join(TABLE_NAMES)}"
        raise UnknownIdError(msg)
    findings = [
        f
        for f in _findings(kb)
        if f["review"] == spec.review and _in_table(f["source"], spec.number)
    ]
    ctx = _Context(kb, "nl", dict(spec.labels))
    if spec.layout == "factors":
        cite = _Citer(ctx, "printed", _printed_numbers(ctx, spec.review, findings))
        _, rows = _factor_rows(
            ctx, findings, cite, show_review=False, directions=("promoting", "hindering")
        )
        rows = _join_printed_lists([_unprinted_core(row, spec, ctx) for row in rows], findings)
    elif spec.layout == "statements":
        cite = _Citer(ctx, "author-year")
        rows = _statement_rows(ctx, findings, cite)
    else:
        cite = _Citer(ctx, "author-year")
        rows = _comparison_rows(spec, findings, cite)
    numbered = spec.layout == "factors"
    references = cite.reference_entries(numbered=numbered)
    footnote = ""
    if spec.short_references:
        references, footnote = _short_references(ctx, spec, references)
    return Layout(
        name=name,
        title=plain_text(spec.caption.replace("<sup>", "").replace("</sup>", "")),
        columns=spec.columns,
        rows=tuple(rows),
        merge=2 if spec.layout == "factors" else 1,
        widths=spec.widths,
        references=references,
        references_title=spec.references_title or WORDS["nl"]["references"],
        caption=spec.caption,
        notes=spec.notes,
        span_column=spec.span_column,
        references_footnote=footnote,
    )


def _unprinted_core(row: Row, spec: _Spec, ctx: _Context) -> Row:
    """The row with its core element cell emptied where the print leaves it empty."""
    from dataclasses import replace

    unprinted = {ctx.label(theme) for theme in spec.unprinted_core}
    if len(row.cells) < 2 or row.cells[1].text not in unprinted:
        return row
    return replace(row, cells=(replace(row.cells[0], text=""), *row.cells[1:]))


def _join_printed_lists(rows: list[Row], findings: list[dict[str, str]]) -> list[Row]:
    """Join the cells of adjacent rows that hold one printed list (one ``source`` but for its
    ", item <k>"), as the print has it: one list below two themes (002 line 102)."""
    from dataclasses import replace

    source = {f["finding_id"]: re.sub(r",\s*item \d+$", "", f["source"]) for f in findings}

    def printed_list(row: Row, col: int) -> str:
        """The one printed list a direction cell holds, or ''."""
        if col >= len(row.cells) or row.cells[col].span != 1 or not row.cells[col].items:
            return ""
        lists = {source.get(item.finding_id, "") for item in row.cells[col].items}
        return lists.pop() if len(lists) == 1 else ""

    out = list(rows)
    for col in range(2, max((len(r.cells) for r in rows), default=0)):
        i = 0
        while i < len(out):
            name, j = printed_list(out[i], col), i + 1
            while name and j < len(out) and printed_list(out[j], col) == name:
                j += 1
            if j - i > 1:  # rows i..j-1 print one list in this column
                items = sorted(
                    (item for r in out[i:j] for item in r.cells[col].items),
                    key=lambda item: item.finding_id,
                )
                joined = replace(out[i].cells[col], items=tuple(items), joined=True)
                for k in range(i, j):
                    cells = out[k].cells
                    out[k] = replace(out[k], cells=(*cells[:col], joined, *cells[col + 1 :]))
            i = j
    return out


def _short_references(
    ctx: _Context, spec: _Spec, entries: tuple[ReferenceEntry, ...]
) -> tuple[tuple[ReferenceEntry, ...], str]:
    """The review's numbered literature list as printed: every entry of it (also those only
    the text cites) in its printed short form (``"Edelenbos & Klijn, 2007"``), and its footnote.

    The short form is the line of the printed list (``kb.sources``) when the knowledge base has
    it, else the reference's in-text citation. Each entry keeps the full APA reference in
    ``full``. Cited references outside the printed list keep their full reference.
    """
    numbers = _printed_numbers(ctx, spec.review, [])
    printed = _printed_lines(ctx.kb, spec.review)
    cited = {e.key: e for e in entries}
    out = []
    for key, number in sorted(numbers.items(), key=lambda kv: kv[1]):
        ref = ctx.references[key]
        short = printed.get(number) or in_text_citation(ref, language="nl")
        full = cited[key].parts if key in cited else tuple(apa_reference(ref, language="nl"))
        out.append(ReferenceEntry(number, key, short, ((short, False),), full=full))
    out += [e for key, e in cited.items() if key not in numbers]
    return tuple(out), spec.references_footnote


def _printed_lines(kb: KBData, review: str) -> dict[int, str]:
    """number -> the text of that entry of ``review``'s printed numbered list (``kb.sources``)."""
    lists = getattr(getattr(kb, "sources", None), "lists", ()) or ()
    out = {}
    for printed in lists:
        if printed.review != review:
            continue
        for entry in printed.entries:
            if entry.number is not None:
                out[entry.number] = re.sub(r"^\s*\d+\.\s*", "", entry.raw).strip()
    return out


def _statement_rows(ctx: _Context, findings: list[dict[str, str]], cite: _Citer) -> list[Row]:
    """Rows of element | statement | citation as printed, one per finding."""
    rows = []
    for f in findings:
        cite.keys(f)  # collect the references in table order
        rows.append(
            Row(
                (
                    Cell(ctx.label(f["element"]), bold=True),
                    Cell(items=(_item(f),), bullets=False),
                    Cell(f["citation"]),
                )
            )
        )
    return rows


def _comparison_rows(spec: _Spec, findings: list[dict[str, str]], cite: _Citer) -> list[Row]:
    """Rows of topic | statement | citation (or paradigm), under a heading per kind if grouped."""
    rows = []
    kind = None
    for f in findings:
        cite.keys(f)
        if spec.groups and f["kind"] != kind:
            kind = f["kind"]
            heading = Cell(WORDS["nl"].get(kind, kind), italic=True, span=len(spec.columns))
            rows.append(Row((heading,), group=True))
        rows.append(
            Row((Cell(f["topic"]), Cell(items=(_item(f),), bullets=False), Cell(f[spec.last])))
        )
    return rows


def published_table(kb: KBData, name: str) -> pd.DataFrame:
    """Return a table of a factsheet as published, regenerated from the knowledge base.

    Parameters
    ----------
    kb
        The knowledge base (:func:`evidence_kb.load`).
    name
        One of :data:`TABLE_NAMES`: ``"werk-inkomen-2023"`` (Tabel 1, both parts: Kernelement |
        Werkzaam element uit de literatuur | Verwijzing), ``"pps-2023"`` (Tabel 1: Kernelement |
        Thema | Bevorderend werkt | Belemmerend werkt, superscript numbers into the factsheet's
        numbered literature list), ``"lo-lnw-2026-tabel-1"``, ``"-tabel-2"`` (Thema |
        Toelichting | Verwijzing, with the group heading rows as printed) and ``"-tabel-3"``
        (Thema | Toelichting adviesgroep | Paradigma).

    Returns
    -------
    pandas.DataFrame
        One row per printed row; cells across rows repeated, across columns written once
        (see the module docstring).

    Raises
    ------
    UnknownIdError
        If ``name`` is not a published table.

    Examples
    --------
    >>> table = published_table(ekb.load(), "werk-inkomen-2023")
    >>> list(table.columns)
    ['Kernelement', 'Werkzaam element uit de literatuur', 'Verwijzing']
    >>> table.iloc[0]["Verwijzing"]
    'Kallio & Lappalainen, 2015'
    """
    return published_layout(kb, name).to_frame()


# -- the tables of any knowledge base ----------------------------------------------------------
def table_layouts(
    kb: KBData, *, review: str | None = None, language: Language | None = None
) -> dict[str, Layout]:
    """Return every table this knowledge base can publish, by name (or those of one review).

    A review with a bundled published layout (:data:`TABLE_NAMES`) gets that layout, under its
    name, when it is that factsheet's review (same id, and the same title or only findings from
    its printed tables) and the knowledge base holds findings of that printed table; a team's
    review that only shares the id gets its own evidence table, so that none of its findings is
    dropped. Any other review (a team's own review, or one without a printed table) gets the
    evidence table of its findings (:func:`evidence_table` for that review) under its review
    id: Kernelement | Thema | Bevorderend werkt | Belemmerend werkt | Overig, with author-year
    citations and the reference list. A review without findings gets a table with the header
    only. With ``charting.csv``, every charting field has a table, ``charting-<field>``.

    Parameters
    ----------
    kb
        The knowledge base.
    review
        Only the tables of this review.
    language
        ``"nl"`` or ``"en"`` for the review tables; by default each review's ``language``
        (``reviews.csv``), else Dutch. The printed factsheet tables stay as printed.

    Raises
    ------
    UnknownIdError
        If ``review`` is not a review of ``kb``.

    Examples
    --------
    >>> list(table_layouts(ekb.load(), review="lo-lnw-2026"))
    ['lo-lnw-2026-tabel-1', 'lo-lnw-2026-tabel-2', 'lo-lnw-2026-tabel-3']
    """
    reviews = list(_review_ids(kb))
    if review is not None:
        _select_reviews(kb, review)
        reviews = [review]
    findings = _findings(kb)
    layouts: dict[str, Layout] = {}
    for review_id in reviews:
        mine = [f for f in findings if f["review"] == review_id]
        specs = {name: spec for name, spec in _SPECS.items() if spec.review == review_id}
        # the factsheet's own review: its title, or every finding from one of its printed tables
        title = _same_text(_review(kb, review_id).get("title"))
        own = any(_same_text(spec.title) == title for spec in specs.values()) or all(
            any(_in_table(f["source"], spec.number) for spec in specs.values()) for f in mine
        )
        printed = [
            name
            for name, spec in specs.items()
            if own and any(_in_table(f["source"], spec.number) for f in mine)
        ]
        for name in printed:
            layouts[name] = published_layout(kb, name)
        if not printed:
            layouts[review_id] = review_layout(kb, review_id, language=language)
    return layouts | (charting_layouts(kb, language=language) if review is None else {})


def _same_text(text: object) -> str:
    """``text`` for comparing titles: case and spacing do not count."""
    return " ".join(str(text or "").split()).casefold()


def table_names(kb: KBData, *, review: str | None = None) -> tuple[str, ...]:
    """Return the names of the tables this knowledge base can publish (see :func:`table_layouts`).

    Examples
    --------
    >>> names = table_names(ekb.load())
    >>> names[:2], len(names)
    (('learning-communities', 'lo-lnw-2026-tabel-1'), 6)
    """
    return tuple(table_layouts(kb, review=review))


def review_layout(kb: KBData, review: str, *, language: Language | None = None) -> Layout:
    """Return the table of one review's findings, for a review without a published layout.

    The rows are the review's elements and themes; the columns promoting, hindering and
    "Overig" (findings without a direction); citations author-year with the reference list.
    The layout is named after the review and titled with its title and authors. ``language``
    defaults to the review's own (``reviews.csv``), else Dutch.
    """
    from dataclasses import replace

    _select_reviews(kb, review)
    language = _language(kb, language, review)
    layout = evidence_table(kb, review=review, language=language).layout
    row = _review(kb, review)
    label = _review_label(row, language)
    title = row.get("title") or review
    words = WORDS[language]
    named = label and label not in (title, review)  # authors and year, not the id again
    full = f"{words['evidence']}: {title}" + (f" ({label})" if named else "")
    return replace(layout, name=review, title=full)


def table_layout(
    kb: KBData,
    name: str | None = None,
    *,
    review: str | None = None,
    language: Language | None = None,
) -> Layout:
    """Return one table this knowledge base can publish, by ``name`` or by ``review``.

    Parameters
    ----------
    kb
        The knowledge base.
    name
        One of :func:`table_names` ``(kb)``.
    review
        A review id: its table (the one of :func:`table_names` for that review). A review
        with several printed tables needs ``name`` too.
    language
        The language of a review table (see :func:`table_layouts`).

    Raises
    ------
    UnknownIdError
        For a name this knowledge base cannot publish (a bundled table of a review it does not
        hold, a typo) or an unknown review.
    ValueError
        If neither is given, or ``review`` has several tables and no ``name`` says which.
    """
    if name is None and review is None:
        msg = f"give a table name or review=; this knowledge base has: {_names_text(kb)}"
        raise ValueError(msg)
    layouts = table_layouts(kb, review=review, language=language)
    if name is None:
        if len(layouts) > 1:
            msg = f"review {review!r} has {len(layouts)} tables; pass one as name: " + ", ".join(
                layouts
            )
            raise ValueError(msg)
        return next(iter(layouts.values()))
    if name not in layouts:
        known = tuple(layouts) if review is not None else table_names(kb)
        where = f"review {review!r}" if review is not None else "this knowledge base"
        extra = " (a table of the bundled knowledge base)" if name in TABLE_NAMES else ""
        hint = did_you_mean(name, known)
        msg = f"{name!r} is not a table of {where}{extra}{hint}; known: {', '.join(known)}"
        raise UnknownIdError(msg)
    return layouts[name]


def _names_text(kb: KBData) -> str:
    return ", ".join(table_names(kb)) or "(no reviews)"


def _review_ids(kb: KBData) -> list[str]:
    return [cell_text(r) for r in kb.reviews["review_id"]]


# -- evidence tables for any selection ---------------------------------------------------------
@dataclass(frozen=True, eq=False)
class EvidenceTable:
    """An evidence table: ``table`` (DataFrame), ``references`` (DataFrame) and the ``layout``.

    ``references`` has the columns ``number`` (empty for author-year citations), ``key``,
    ``in_text`` and ``apa`` (the APA 7 reference); :attr:`reference_list` gives the list as printed.
    """

    table: pd.DataFrame
    references: pd.DataFrame
    layout: Layout = field(repr=False)

    @property
    def reference_list(self) -> list[str]:
        """The reference list as printed under the table (numbered when citations are numbered)."""
        return [f"{e.number}. {e.apa}" if e.number else e.apa for e in self.layout.references]

    def __repr__(self) -> str:
        size = f"{len(self.table)} rows, {len(self.references)} references"
        return f"<EvidenceTable {self.layout.title!r}: {size}>"

    def _repr_html_(self) -> str:
        """The whole table, statements wrapped, with its reference list: as Jupyter shows it."""
        import html

        styled = (
            self.table.style.hide(axis="index")
            .set_caption(html.escape(self.layout.title))
            .set_properties(**{"white-space": "pre-wrap", "text-align": "left"})
        )
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.reference_list)
        heading = html.escape(self.layout.references_title)
        refs = f"<p><b>{heading}</b></p><ol>{items}</ol>" if items else ""
        return f'<div class="evidence-table">{styled.to_html()}{refs}</div>'


def evidence_table(
    kb: KBData,
    *,
    element: str | None = None,
    concept: str | None = None,
    review: str | Iterable[str] | None = None,
    direction: str | None = None,
    citations: Literal["author-year", "numbered"] = "author-year",
    language: Language | None = None,
) -> EvidenceTable:
    """Return the evidence for any selection in the factsheet layout, with its reference list.

    Rows are core element | theme (| review, when the selection spans several reviews) |
    promoting | hindering | other ("Overig"), ordered by framework, element and theme order.
    Findings without a direction (outcomes, conditions without one, comparisons) are in the
    "Overig" column, never under promoting or hindering; a theme the review says it found
    nothing about has a row of its own with "Geen relevante informatie gevonden" across the
    three columns. With ``direction`` there is only that column.

    Parameters
    ----------
    kb
        The knowledge base.
    element
        An element id, label or alias (``"Synergie"``): its findings and those of its themes.
    concept
        A concept id or label of ``kb.concepts`` (the vocabulary of ``data/concepts.csv``): the
        findings tagged with it (``kb.finding_concepts`` if present, else the tags of
        ``kb.graph``: the vocabulary's tagging with the directory's own hand corrections).
        A directory without ``concepts.csv`` has no concepts: every concept is unknown
        (``UnknownIdError``).
    review
        One review id or several.
    direction
        ``"promoting"`` or ``"hindering"``: only that column.
    citations
        ``"author-year"`` (APA in-text, from the resolved references: "Kallio & Lappalainen,
        2015", "Tee e.a., 2021") or ``"numbered"`` (superscript numbers into the reference list:
        the review's own printed numbering when one review with a numbered list is selected,
        else in order of first appearance).
    language
        ``"nl"`` (Dutch headers, "e.a.", "z.d.") or ``"en"`` ("et al.", "n.d."); statements
        stay verbatim. By default the language of the selected review (``reviews.csv``
        column ``language``; of all reviews when they name one), else Dutch.

    Raises
    ------
    UnknownIdError
        For an unknown element, review or concept.
    ValueError
        For an unknown ``direction``, ``citations`` or ``language`` value.

    Examples
    --------
    >>> ev = evidence_table(ekb.load(), element="Synergie", citations="author-year")
    >>> list(ev.table.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['Kernelement', 'Thema', 'Review', 'Bevorderend werkt', 'Belemmerend werkt', 'Overig',
     'Over alle kolommen']
    >>> ev.references["in_text"].iloc[0]
    'Bednarz e.a., 2011'
    """
    _check("citations", citations, ("author-year", "numbered"))
    if direction is not None:
        _check("direction", direction, ("promoting", "hindering"))
    reviews = _select_reviews(kb, review)
    one_review = next(iter(reviews)) if reviews and len(reviews) == 1 else None
    language = _language(kb, language, one_review)
    findings = _select_findings(kb, reviews, element, concept, direction)
    titles = ", ".join(_review(kb, r).get("title") or r for r in sorted(reviews or []))
    what = [w for w in (element, concept, titles, direction) if w]
    layout = _evidence_layout(kb, findings, what, direction, citations, language)
    return EvidenceTable(layout.to_frame(), _references_frame(layout.references), layout)


def _select_findings(
    kb: KBData,
    reviews: set[str] | None,
    element: str | None,
    concept: str | None,
    direction: str | None,
) -> list[dict[str, str]]:
    """The findings of the ``reviews``, about ``element``, tagged ``concept``, in ``direction``.

    ``None`` selects all; an element selects its findings and those of the elements below it.
    """
    findings = _findings(kb)
    if reviews is not None:
        findings = [f for f in findings if f["review"] in reviews]
    if element is not None:
        ids = _descendants(kb, element)
        findings = [f for f in findings if f["element"] in ids or f["theme"] in ids]
    if concept is not None:
        tagged = _concept_findings(kb, concept)
        findings = [f for f in findings if f["finding_id"] in tagged]
    if direction is not None:
        findings = [f for f in findings if f["direction"] == direction]
    return findings


def _evidence_layout(
    kb: KBData,
    findings: list[dict[str, str]],
    what: list[str],
    direction: str | None,
    citations: str,
    language: Language,
) -> Layout:
    """The layout of an evidence table of ``findings``, titled after ``what`` was selected."""
    ctx = _Context(kb, language, {})
    used_reviews = list(dict.fromkeys(f["review"] for f in findings))
    numbering = _printed_numbers(ctx, used_reviews[0], findings) if len(used_reviews) == 1 else {}
    cite = _Citer(ctx, citations, numbering)
    directions = (direction,) if direction else ("promoting", "hindering")
    columns, rows = _factor_rows(
        ctx,
        findings,
        cite,
        show_review=len(used_reviews) > 1,
        directions=directions,
        by_element=True,
        other=direction is None,
    )
    words = WORDS[language]
    n_values = len(directions) + (direction is None)
    return Layout(
        name="evidence",
        title=f"{words['evidence']}: {'; '.join(what) or words['all']}",
        columns=columns,
        rows=tuple(rows),
        merge=len(columns) - n_values,
        widths=(13, 16, 13)[: len(columns) - n_values] + (58 / n_values,) * n_values,
        references=cite.reference_entries(numbered=citations == "numbered"),
        references_title=words["references"],
        language=language,
        span_column=words["across"],
    )


# -- building blocks ---------------------------------------------------------------------------
def _check(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        msg = f"{name}={value!r} is not supported; use one of: {', '.join(map(repr, allowed))}"
        raise ValueError(msg)


def _language(kb: KBData, language: str | None, review: str | None) -> Language:
    """The language asked for, else the review's (``reviews.csv``), else Dutch."""
    return review_language(language, kb.reviews.to_dict("records"), review)


def _findings(kb: KBData) -> list[dict[str, str]]:
    frame = kb.findings.sort_values("finding_id", kind="stable")
    return [{k: cell_text(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _review(kb: KBData, review_id: str) -> dict[str, str]:
    rows = kb.reviews[kb.reviews["review_id"] == review_id].to_dict("records")
    return {k: cell_text(v) for k, v in rows[0].items()} if rows else {"review_id": review_id}


def _review_label(review: Mapping[str, str], language: Language = "nl") -> str:
    """``"Wildeman & Pannebakker, 2023"`` for a review row."""
    fields = {
        "authors": review.get("authors", ""),
        "year": review.get("year", ""),
        "title": review.get("title", ""),
    }
    return (
        in_text_citation(fields, language=language)
        if fields["authors"]
        else review.get("review_id", "")
    )


def _select_reviews(kb: KBData, review: str | Iterable[str] | None) -> set[str] | None:
    if review is None:
        return None
    wanted = {review} if isinstance(review, str) else set(review)
    known = set(kb.reviews["review_id"])
    for r in sorted(wanted - known):
        msg = f"{r!r} is not a review{did_you_mean(r, known)}; known: {', '.join(sorted(known))}"
        raise UnknownIdError(msg)
    return wanted


def _descendants(kb: KBData, element: str) -> set[str]:
    """The element named ``element`` (id, label or alias) and every element below it."""
    tree = ElementTree.from_records(kb.element_records)  # file order: the first label wins
    return set(tree.descendants(tree.find(element)))


def _concept_findings(kb: KBData, concept: str) -> set[str]:
    """The findings tagged with ``concept`` (an id or label of ``kb.concepts``)."""
    vocab = getattr(kb, "concepts", None)
    if vocab is None:
        msg = (
            f"{concept!r} is not a concept of this knowledge base: it has no concepts yet "
            "(concept tagging, data/concepts.csv, comes with the knowledge graph)"
        )
        raise UnknownIdError(msg)
    id_column = "concept_id" if "concept_id" in vocab else "concept"
    names = [c for c in (id_column, "label_nl", "label_en", "aliases") if c in vocab]
    wanted = concept.strip().casefold()
    ids = {
        cell_text(row[id_column])
        for row in vocab.to_dict("records")
        if wanted in {v.strip().casefold() for c in names for v in cell_text(row[c]).split(";")}
    }
    if not ids:
        known = sorted({cell_text(v) for v in vocab[id_column]})
        msg = f"{concept!r} is not a concept{did_you_mean(concept, known)}"
        raise UnknownIdError(msg)
    tags = vocab if "finding_id" in vocab else _concept_tags(kb)
    column = "concept_id" if "concept_id" in tags else "concept"
    return {cell_text(f) for f, c in zip(tags["finding_id"], tags[column], strict=True) if c in ids}


def _concept_tags(kb: KBData) -> pd.DataFrame:
    """(finding_id, concept_id) pairs: ``kb.finding_concepts`` if the knowledge base has them,
    else the tags of its graph (the vocabulary's automatic tags with the hand corrections the
    loader read, ``kb.concept_tag_table``; no file is read here)."""
    tags = getattr(kb, "finding_concepts", None)
    if tags is not None:
        return tags

    return _index(as_graph(kb)).tags


def _item(f: Mapping[str, str], citation: str = "", superscript: bool = False) -> Item:
    lines = f["statement"].split("\n")
    subs = tuple(line.strip().removeprefix("- ").strip() for line in lines[1:] if line.strip())
    printed: tuple[str, ...] = ()
    in_place = False
    if f.get("printed"):  # the statement as printed: emphasis, superscripts where printed
        in_place = superscript and citation == f["citation"]
        marked = f["printed"] if in_place else re.sub(r"<sup>.*?</sup>", "", f["printed"])
        printed = tuple(line.strip().removeprefix("- ").strip() for line in marked.split("\n"))
        printed = tuple(line for line in printed if line)
    return Item(lines[0].strip(), subs, citation, superscript, f["finding_id"], printed, in_place)


class _Context:
    """Lookups shared while one table is built: elements, labels, references."""

    def __init__(self, kb: KBData, language: Language, printed: dict[str, str]) -> None:
        self.kb, self.language = kb, language
        self.elements = {
            e["element_id"]: {k: cell_text(v) for k, v in e.items()}
            for e in kb.elements.to_dict("records")
        }
        self.printed = {}
        for element_id, name in printed.items():  # only names kb.elements knows for that element
            e = self.elements.get(element_id, {})
            if name in {e.get("label_nl"), *e.get("aliases", "").split(";")}:
                self.printed[element_id] = name
        self.references = {r["key"]: r for r in kb.references.to_dict("records")}
        reviews = kb.reviews.sort_values(["year", "review_id"]).to_dict("records")
        self.reviews = {r["review_id"]: {k: cell_text(v) for k, v in r.items()} for r in reviews}

    def label(self, element_id: str) -> str:
        if element_id in self.printed:
            return self.printed[element_id]
        e = self.elements.get(element_id)
        if e is None:
            return element_id
        return (
            e["label_en"] if self.language == "en" and e.get("label_en") else e["label_nl"]
        ) or element_id

    def rank(self, element_id: str) -> tuple[tuple[float, str], ...]:
        """The printed order along the element's path from its framework, ids breaking ties:
        the elements of two frameworks with the same ``order`` never interleave."""
        path: list[tuple[float, str]] = []
        current, seen = self.elements.get(element_id), set()
        if current is None:
            return ((math.inf, element_id),)
        while current is not None and current["element_id"] not in seen:
            seen.add(current["element_id"])
            path.append((float(current.get("order") or 0), current["element_id"]))
            current = self.elements.get(current["parent"]) if current["parent"] else None
        return tuple(reversed(path))


class _Citer:
    """Renders the citation of a finding and remembers the references cited, in order.

    ``numbering`` (a review's printed list) is used when it covers every cited reference;
    otherwise references are numbered in order of first appearance.
    """

    def __init__(self, ctx: _Context, style: str, numbering: dict[str, int] | None = None) -> None:
        self.ctx, self.style = ctx, style
        self.numbering = dict(numbering or {})
        self.appearance: dict[str, int] = {}

    def keys(self, f: Mapping[str, str]) -> list[str]:
        keys = [k for k in f["reference_keys"].split(";") if k in self.ctx.references]
        for key in keys:
            self.appearance.setdefault(key, len(self.appearance) + 1)
        return keys

    def number(self, key: str) -> int:
        return self.numbering.get(key) or self.appearance[key]

    def __call__(self, f: Mapping[str, str]) -> tuple[str, bool]:
        keys = self.keys(f)
        if self.style == "printed":
            return f["citation"], True
        if self.style == "numbered" and keys:
            return ",".join(str(n) for n in sorted({self.number(k) for k in keys})), True
        if keys:
            lang = self.ctx.language
            return "; ".join(
                in_text_citation(self.ctx.references[k], language=lang) for k in keys
            ), False
        return f["citation"], False

    def reference_entries(self, *, numbered: bool) -> tuple[ReferenceEntry, ...]:
        lang = self.ctx.language
        entries = []
        notices = notices_by_work(self.ctx.kb)  # "Correction in ...", from related.csv
        for key in self.appearance:
            ref = self.ctx.references[key]
            related = related_segments(notices.get(key, []), language=lang)
            entries.append(
                ReferenceEntry(
                    self.number(key) if numbered else None,
                    key,
                    in_text_citation(ref, language=lang),
                    tuple(apa_reference(ref, language=lang) + related),
                )
            )
        if numbered:
            return tuple(sorted(entries, key=lambda e: (e.number or 0, e.key)))
        return tuple(sorted(entries, key=lambda e: (e.apa.casefold(), e.key)))


def _printed_numbers(
    ctx: _Context, review: str, findings: Iterable[Mapping[str, str]]
) -> dict[str, int]:
    """The numbers of ``review``'s printed literature list (aliases ``<review>-<n>``), if that
    list holds every reference the ``findings`` cite; else ``{}``."""
    pattern = re.compile(rf"{re.escape(review)}-(\d+)")
    numbers = {}
    for key, ref in ctx.references.items():
        for alias in cell_text(ref.get("ids")).split(";"):
            match = pattern.fullmatch(alias.strip())
            if match:
                numbers[key] = int(match[1])
    cited = {k for f in findings for k in f["reference_keys"].split(";") if k in ctx.references}
    return numbers if cited <= set(numbers) else {}


def _factor_rows(
    ctx: _Context,
    findings: list[dict[str, str]],
    cite: _Citer,
    *,
    show_review: bool,
    directions: tuple[str, ...],
    by_element: bool = False,
    other: bool = False,
) -> tuple[tuple[str, ...], list[Row]]:
    """Rows of core element | theme (| review) | one column per direction (| other).

    With ``other``, findings without one of the ``directions`` (outcomes, comparisons) go to a
    last column, "Overig"; otherwise (the printed factsheets) they span the direction columns.
    """
    words = WORDS[ctx.language]
    rows = []
    for (element, theme, review), members in _factor_groups(ctx, findings, show_review, by_element):
        lead = [
            Cell(ctx.label(element), bold=True),
            Cell(ctx.label(theme) if theme in ctx.elements else theme, bold=True),
        ]
        if show_review:
            lead.append(
                Cell(_review_label(ctx.reviews.get(review, {"review_id": review}), ctx.language))
            )
        if other:
            rows += _rows_with_other(lead, members, cite, directions)
        else:
            rows += _printed_factor_rows(lead, members, cite, directions)
    columns = (
        words["element"],
        words["theme"],
        *([words["review"]] if show_review else []),
        *(words[d] for d in directions),
        *([words["other"]] if other else []),
    )
    return columns, rows


def _factor_groups(
    ctx: _Context, findings: list[dict[str, str]], show_review: bool, by_element: bool
) -> list[tuple[tuple[str, str, str], list[dict[str, str]]]]:
    """The findings grouped by (element, theme or topic, review if shown), one group per row.

    Groups come in the order of their first finding, or ``by_element``: in framework, element,
    theme and review order.
    """
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for f in findings:
        key = (f["element"], f["theme"] or f["topic"], f["review"] if show_review else "")
        groups.setdefault(key, []).append(f)
    keys = list(groups)
    if by_element:
        review_rank = {r: i for i, r in enumerate(ctx.reviews)}
        keys.sort(
            key=lambda k: (
                ctx.rank(k[0]),
                ctx.rank(k[1]),
                review_rank.get(k[2], 0),
                groups[k][0]["finding_id"],
            )
        )
    return [(key, groups[key]) for key in keys]


def _direction_cells(
    members: list[dict[str, str]], cite: _Citer, directions: tuple[str, ...]
) -> list[Cell]:
    """One cell per direction, with the findings of that direction as items."""
    return [
        Cell(items=tuple(_item(f, *cite(f)) for f in members if f["direction"] == d))
        for d in directions
    ]


def _undivided(members: list[dict[str, str]], directions: tuple[str, ...]) -> list[dict[str, str]]:
    """The evidence without one of the ``directions`` (outcomes, comparisons)."""
    return [
        f for f in members if counts_as_evidence(f["kind"]) and f["direction"] not in directions
    ]


def _rows_with_other(
    lead: list[Cell], members: list[dict[str, str]], cite: _Citer, directions: tuple[str, ...]
) -> list[Row]:
    """A gap across the table; the rest side by side, the undirected findings under Overig."""
    gaps = [f["statement"] for f in members if not counts_as_evidence(f["kind"])]
    rows = []
    if gaps:
        rows.append(Row((*lead, Cell("\n".join(gaps), span=len(directions) + 1))))
    if len(gaps) < len(members):
        cells = _direction_cells(members, cite, directions)
        undivided_items = tuple(_item(f, *cite(f)) for f in _undivided(members, directions))
        rows.append(Row((*lead, *cells, Cell(items=undivided_items))))
    return rows


def _printed_factor_rows(
    lead: list[Cell], members: list[dict[str, str]], cite: _Citer, directions: tuple[str, ...]
) -> list[Row]:
    """As the factsheets print them: gaps and undirected findings across the direction columns,
    in a row of their own above the row with the findings side by side."""
    gaps = [f["statement"] for f in members if not counts_as_evidence(f["kind"])]
    undivided = _undivided(members, directions)
    rows = []
    if gaps or undivided:
        items = tuple(_item(f, *cite(f)) for f in undivided)
        rows.append(Row((*lead, Cell("\n".join(gaps), items=items, span=len(directions)))))
    if any(f["direction"] in directions for f in members):
        rows.append(Row((*lead, *_direction_cells(members, cite, directions))))
    return rows


def _references_frame(entries: Iterable[ReferenceEntry]) -> pd.DataFrame:
    import pandas as pd

    data = [{"number": e.number, "key": e.key, "in_text": e.in_text, "apa": e.apa} for e in entries]
    frame = pd.DataFrame(data, columns=["number", "key", "in_text", "apa"])
    frame["number"] = frame["number"].astype("Int64")
    return frame
