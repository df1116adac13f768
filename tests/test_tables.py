"""Published tables, evidence tables, their writers and the PRISMA diagrams.

The fidelity tests parse the table text copied verbatim from the seeds (tests/data/expected/,
see its README) into expected cells and compare them cell by cell with
``published_table(kb, name)``: every statement in its row, under its core element and theme,
with the same references or superscript numbers. The expected cells never come from the
knowledge base.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.publish import prisma, render, tables
from evidence_kb.publish.tables import (
    TABLE_NAMES,
    Cell,
    Item,
    Layout,
    Row,
    evidence_table,
    published_table,
)

EXPECTED = Path(__file__).parent / "data" / "expected"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPTS = re.compile(f"[{SUPERSCRIPT_DIGITS}]+(?:,[{SUPERSCRIPT_DIGITS}]+)*")


@pytest.fixture(scope="module")
def kb() -> ekb.KnowledgeBase:
    return ekb.load()


# -- reading the copied seed text ----------------------------------------------------------------
def seed_lines(name: str) -> list[tuple[int, str]]:
    """(line number in the seed, text) of every copied line of ``EXPECTED/<name>.txt``."""
    out, number = [], None
    for line in (EXPECTED / f"{name}.txt").read_text(encoding="utf-8").split("\n"):
        marker = re.fullmatch(r"# seed (\S+) lines (\d+)-(\d+)", line)
        if marker:
            number = int(marker[2])
            continue
        if number is not None:
            out.append((number, line))
            number += 1
    return out


def strip_html(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def norm(text: str) -> str:
    """Whitespace collapsed, one leading bullet mark ("•", "-", "–") removed."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^[•\-–]\s*", "", text)


def numbers(text: str) -> list[str]:
    return [n for n in re.split(r"[,\s]+", text) if n]


def dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


@dataclass
class Statement:
    """One bullet: its text, sub-bullets and superscript numbers (or citation)."""

    text: str
    subs: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        return (norm(self.text), [norm(s) for s in self.subs], dedupe(self.numbers))


def published_statements(cell: str) -> tuple[str, list[Statement]]:
    """Read a regenerated factor cell: plain text lines, then "• item" / "  - sub" lines.

    Superscript numbers stay in the text where they are (a moved number is a difference);
    ``numbers`` lists them too.
    """
    text, items = [], []
    for line in cell.split("\n"):
        if line.startswith("• "):
            nums = [
                n.translate(str.maketrans(SUPERSCRIPT_DIGITS, "0123456789"))
                for n in SUPERSCRIPTS.findall(line)
            ]
            items.append(Statement(line[2:], [], [x for n in nums for x in numbers(n)]))
        elif line.startswith("  - "):
            items[-1].subs.append(line[4:])
        elif line:
            text.append(line)
    return norm(" ".join(text)), items


def sup(digits: str) -> str:
    return digits.translate(str.maketrans("0123456789", SUPERSCRIPT_DIGITS))


# -- 002: the factor cells ------------------------------------------------------------------------
@dataclass
class ExpectedCell:
    themes: tuple[str, ...]
    column: str  # promoting, hindering or undivided (printed across both columns)
    line: int
    items: list[Statement] = field(default_factory=list)
    text: str = ""


class FactorCellParser(HTMLParser):
    """Read the factor cells of 002 Tabel 1 (one table line at a time) into expected cells.

    Bold texts outside a list are theme headings; an italic "Bevorderend werkt" or "Belemmerend
    werkt" starts that column's list; list items (and paragraphs under a label) are statements,
    nested list items their sub-bullets, ``<sup>`` their numbers. A paragraph or list under a
    heading without a label spans both columns. A "Belemmerend werkt" list printed after several
    themes of the same cell that each printed only a "Bevorderend werkt" list covers all of them.
    """

    LABELS: ClassVar[dict[str, str]] = {
        "bevorderend werkt": "promoting",
        "belemmerend werkt": "hindering",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.themes: list[tuple[str, int]] = []  # (heading, line), in print order
        self.cells: list[ExpectedCell] = []
        self.labels_seen: set[str] = set()
        self.theme: str | None = None
        self.column = "undivided"
        self.cell: ExpectedCell | None = None
        self.has: dict[str, set[str]] = {}  # theme -> columns it printed

    def feed_line(self, html_text: str, line: int) -> None:
        self.line, self.line_themes = line, [self.theme] if self.theme else []
        self.depth, self.open0, self.text0, self.sups0, self.in_sup = 0, [], "", [], False
        self.feed(html_text)
        self.close()
        self.reset()

    def _start_cell(self, column: str) -> None:
        themes = (self.theme,)
        if column == "hindering":  # one list for every theme of this line still without one
            pending = [
                t
                for t in self.line_themes
                if "promoting" in self.has.get(t, set())
                and "hindering" not in self.has.get(t, set())
            ]
            themes = tuple(pending) if len(pending) > 1 else themes
        for t in themes:
            self.has.setdefault(t, set()).add(column)
        self.column = column
        self.cell = ExpectedCell(themes, column, self.line)
        self.cells.append(self.cell)

    def _target(self) -> ExpectedCell:
        if (
            self.cell is None
            or self.cell.themes[-1] != self.theme
            or self.cell.column != self.column
        ):
            self._start_cell(self.column)
        return self.cell

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "li":
            self.depth += 1
            if self.depth == 1:
                self._target().items.append(Statement(""))
            else:
                self.cell.items[-1].subs.append("")
        elif tag == "sup":
            self.in_sup = True
        elif self.depth == 0 and tag in ("b", "i", "p"):
            self.open0.append((tag, len(self.text0)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.depth -= 1
        elif tag == "sup":
            self.in_sup = False
        elif self.depth == 0 and tag in ("b", "i", "p") and self.open0:
            _, start = self.open0.pop()
            text, self.text0 = norm(self.text0[start:]), self.text0[:start]
            if tag == "b" and text:  # a theme heading
                self.theme, self.column, self.cell = text, "undivided", None
                self.themes.append((text, self.line))
                self.line_themes.append(text)
            elif tag == "i" and text.casefold() in self.LABELS:
                self.labels_seen.add(text)
                self._start_cell(self.LABELS[text.casefold()])
            elif tag == "i":
                self.text0 += text
            elif tag == "p" and text:  # a paragraph: a statement under a label, else the cell text
                if self.column == "undivided" and not self.sups0:
                    self._target().text = text
                else:
                    self._target().items.append(Statement(text, [], self.sups0))
                self.sups0 = []

    def handle_data(self, data: str) -> None:
        if self.in_sup:  # the numbers, and in the text where they are printed
            target = self.cell.items[-1].numbers if self.depth else self.sups0
            target += numbers(data)
            data = sup(data.strip())
        if self.depth == 0 and self.in_sup:
            self.text0 += data
        elif self.depth == 1:
            self.cell.items[-1].text += data
        elif self.depth >= 2:
            self.cell.items[-1].subs[-1] += data
        else:
            self.text0 += data


def expected_pps() -> tuple[list[str], list[tuple[str, str, int]], list[ExpectedCell], set[str]]:
    """Header, (core element, theme, line) per theme, the expected cells, the labels printed."""
    unprinted = {}
    for line in (
        (EXPECTED / "pps-2023.unprinted-core-elements.tsv").read_text(encoding="utf-8").splitlines()
    ):
        if line and not line.startswith("#"):
            theme, core, _ = line.split("\t")
            unprinted[theme] = core
    parser = FactorCellParser()
    header, core, rows = [], None, []
    for number, text in seed_lines("pps-2023"):
        if "\t" not in text:
            continue
        cols = text.split("\t")
        if norm(strip_html(cols[0])) == "Kernelement":  # a new page: its core element is unknown
            header, core = [norm(strip_html(c)) for c in cols if c.strip()], None
            continue
        core = norm(strip_html(cols[0])) or core
        before = len(parser.themes)
        parser.feed_line(" ".join(cols[1:]), number)
        for theme, line in parser.themes[before:]:
            # a page without a core element prints none: the cell stays empty, except where
            # the table's notes say it continues the page before (PPS_CONTINUED)
            rows.append((core or (unprinted[theme] if theme in PPS_CONTINUED else ""), theme, line))
    return header, rows, parser.cells, parser.labels_seen


# Documented exception of the pps-2023 table (its notes say so): the themes of line 123 are
# under Synergie, which the page before prints. The line-102 hindering list, printed once for two
# themes, is one cell beside both rows (repeated in each row of the DataFrame).
PPS_CONTINUED = ("Samengebrachte middelen", "Tevredenheid")
PPS_SPAN_COLUMN = "Bevorderende en belemmerende factoren"


def compare_pps(table: pd.DataFrame) -> list[str]:
    header, rows, cells, labels = expected_pps()
    diffs = []
    columns = {"promoting": "Bevorderend werkt", "hindering": "Belemmerend werkt"}
    if header != ["Kernelement", PPS_SPAN_COLUMN] or set(columns.values()) != labels:
        diffs.append(
            f"header: printed {header} with labels {sorted(labels)}, got {list(table.columns)}"
        )
    got_rows = list(zip(table["Kernelement"], table["Thema"], strict=True))
    for i, (core, theme, line) in enumerate(rows):
        got = got_rows[i] if i < len(got_rows) else None
        if got != (core, theme):
            diffs.append(
                f"pps-2023 row {i} (seed line {line}): expected core element / theme "
                f"{(core, theme)!r}, got {got!r}"
            )
    if len(got_rows) != len(rows):
        diffs.append(f"pps-2023: {len(rows)} theme rows printed, {len(got_rows)} regenerated")
    by_theme = dict(zip(table["Thema"], table.to_dict("records"), strict=True))
    covered = set()
    for cell in cells:
        where = (
            f"pps-2023, theme {' + '.join(cell.themes)!r}, {cell.column} (seed line {cell.line})"
        )
        got_text, got_items, seen = "", [], set()
        for theme in cell.themes:
            row = by_theme.get(theme)
            if row is None:
                diffs.append(f"{where}: no regenerated row")
                continue
            names = [PPS_SPAN_COLUMN] if cell.column == "undivided" else [columns[cell.column]]
            covered |= {(theme, n) for n in names}
            value = row.get(names[0], "")
            if len(cell.themes) > 1 and seen and value not in seen:  # one list for several themes
                diffs.append(f"{where}: printed as one list, regenerated as different cells")
            if value in seen:  # one cell beside several rows, repeated in each (line 102)
                continue
            seen.add(value)
            text, items = published_statements(value)
            got_text, got_items = got_text or text, got_items + items
        if norm(cell.text) != got_text:
            diffs.append(
                f"{where}: text\n  expected: {norm(cell.text)!r}\n  got:      {got_text!r}"
            )
        for k in range(max(len(cell.items), len(got_items))):
            want = cell.items[k].key() if k < len(cell.items) else None
            got = got_items[k].key() if k < len(got_items) else None
            if want != got:
                diffs.append(f"{where}, item {k + 1}:\n  expected: {want!r}\n  got:      {got!r}")
    for row in table.to_dict("records"):
        for name in [*columns.values(), PPS_SPAN_COLUMN]:
            if row.get(name) and (row["Thema"], name) not in covered:
                diffs.append(
                    f"pps-2023, theme {row['Thema']!r}, {name}: "
                    f"regenerated but not printed: {row[name]!r}"
                )
    return diffs


# -- 001 and 000: one statement per row -----------------------------------------------------------
class StatementParser(HTMLParser):
    """A 001 statement cell: the text outside the list, each ``<li>`` a sub-bullet."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.statement, self.in_li = Statement(""), False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "li":
            self.in_li = True
            self.statement.subs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.in_li = False

    def handle_data(self, data: str) -> None:
        if self.in_li:
            self.statement.subs[-1] += data
        else:
            self.statement.text += data


def published_statement(cell: str) -> Statement:
    first, *rest = cell.split("\n")
    return Statement(first, [line.removeprefix("- ") for line in rest])


def compare_werk_inkomen(table: pd.DataFrame) -> list[str]:
    diffs, core, i = [], None, 0
    for number, text in seed_lines("werk-inkomen-2023"):
        if "\t" not in text:
            continue
        cols = text.split("\t")
        if cols[0] == "Kernelement":
            if list(table.columns) != cols:
                diffs.append(
                    f"header (seed line {number}): expected {cols}, got {list(table.columns)}"
                )
            continue
        core = norm(strip_html(cols[0])) or core  # an empty cell continues the core element above
        want = (core, StatementParser(cols[1]).statement.key(), norm(cols[2]))
        if i >= len(table):
            diffs.append(
                f"werk-inkomen-2023 row {i} (seed line {number}): missing; expected {want!r}"
            )
        else:
            row = table.iloc[i]
            got = (row.iloc[0], published_statement(row.iloc[1]).key(), norm(row.iloc[2]))
            for name, w, g in zip(table.columns, want, got, strict=True):
                if w != g:
                    diffs.append(
                        f"werk-inkomen-2023 row {i} (seed line {number}), column {name!r}:\n"
                        f"  expected: {w!r}\n  got:      {g!r}"
                    )
        i += 1
    if len(table) != i:
        diffs.append(f"werk-inkomen-2023: {i} rows printed, {len(table)} regenerated")
    return diffs


def expected_comparison(name: str) -> tuple[list[str], list[tuple[str, list[str], int]]]:
    """Header and rows ("group" or "row", cells, line) of a 000 table, read as printed."""
    header, rows, group = [], [], None
    for number, text in seed_lines(name):
        if "\t" not in text:
            continue
        cols = [norm(strip_html(c)) for c in text.split("\t")]
        if not header:
            header = cols
            continue
        if cols[0] and not any(cols[1:]):  # a group heading
            group = cols[0]
            rows.append(("group", [group], number))
            continue
        last = rows[-1] if rows and rows[-1][0] == "row" else None
        if name.endswith("tabel-3") and not cols[2] and last:  # continues the row above (line 156)
            last[1][:] = [
                " ".join(x for x in (a, b) if x) for a, b in zip(last[1], cols, strict=True)
            ]
            continue
        pairs = group in ("Overeenkomsten", "Verschillen")
        in_pair = pairs and last is not None and last[3] == 1
        if in_pair:  # second row of a theme: the THEMA cell is both rows' text
            theme = " ".join(x for x in (last[1][0], cols[0]) if x)
            last[1][0] = theme
            rows.append(("row", [theme, *cols[1:]], number, 2))
        else:
            theme = cols[0] or (last[1][0] if last else "")
            rows.append(("row", [theme, *cols[1:]], number, 1))
    return header, [(r[0], r[1], r[2]) for r in rows]


def compare_comparison(name: str, table: pd.DataFrame) -> list[str]:
    header, rows = expected_comparison(name)
    diffs = []
    if [c.casefold() for c in table.columns] != [c.casefold() for c in header]:
        diffs.append(f"{name} header: expected {header}, got {list(table.columns)}")
    for i in range(max(len(rows), len(table))):
        if i >= len(rows) or i >= len(table):
            diffs.append(f"{name} row {i}: {len(rows)} rows printed, {len(table)} regenerated")
            break
        kind, cells, line = rows[i]
        got = [norm(v) for v in table.iloc[i]]
        want = cells + [""] * (len(got) - 1) if kind == "group" else cells  # heading once
        for col, w, g in zip(table.columns, want, got, strict=True):
            if w != g:
                diffs.append(
                    f"{name} row {i} (seed line {line}), column {col!r}:\n"
                    f"  expected: {w!r}\n  got:      {g!r}"
                )
    return diffs


def compare(name: str, table: pd.DataFrame) -> list[str]:
    if name == "pps-2023":
        return compare_pps(table)
    if name == "werk-inkomen-2023":
        return compare_werk_inkomen(table)
    return compare_comparison(name, table)


# -- fidelity -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", TABLE_NAMES)
def test_published_table_matches_the_printed_table(kb, name):
    diffs = compare(name, published_table(kb, name))
    assert not diffs, f"{len(diffs)} difference(s) with the printed table:\n" + "\n".join(diffs)


@pytest.mark.parametrize(
    ("name", "row", "column", "expected"),
    [
        pytest.param(
            "pps-2023", 7, "Bevorderend werkt", "Vertrouwen draagt bij", id="pps_statement"
        ),
        pytest.param("pps-2023", 4, "Belemmerend werkt", "Hiërarchie", id="pps_shared_cell"),
        pytest.param(
            "werk-inkomen-2023",
            7,
            "Werkzaam element uit de literatuur",
            "Equippeer",
            id="wi_sub_bullet",
        ),
        pytest.param("lo-lnw-2026-tabel-2", 3, "THEMA", "Stimuleren van leren", id="lolnw_theme"),
        pytest.param(
            "lo-lnw-2026-tabel-3",
            0,
            "TOELICHTING ADVIESGROEP",
            "Was bestaande",
            id="lolnw_continued_row",
        ),
    ],
)
def test_a_changed_cell_fails_with_the_cell_and_both_texts(kb, name, row, column, expected):
    table = published_table(kb, name)
    assert expected in table.at[row, column]
    table.at[row, column] = table.at[row, column].replace(expected, "XXX")
    diffs = "\n".join(compare(name, table))
    assert "XXX" in diffs
    assert "expected:" in diffs
    assert "got:" in diffs


def test_a_changed_superscript_number_fails(kb):
    table = published_table(kb, "pps-2023")
    table.at[0, "Bevorderend werkt"] = table.at[0, "Bevorderend werkt"].replace(
        "leren¹⁵", "leren¹⁴", 1
    )
    assert any("'14'" in d for d in compare("pps-2023", table))


def test_pps_table_leaves_out_the_working_elements_listed_above_it(kb):
    table = published_table(kb, "pps-2023")
    text = table.to_string()
    assert "Investeer in informele relaties" not in text  # pps-002: a working element, not Tabel 1
    assert list(table.columns) == [
        "Kernelement",
        "Thema",
        "Bevorderend werkt",
        "Belemmerend werkt",
        PPS_SPAN_COLUMN,  # what the print writes across both direction columns, once
    ]
    gaps = table[table[PPS_SPAN_COLUMN] == "Geen relevante informatie gevonden"]
    assert (gaps["Bevorderend werkt"] == "").all()
    assert (gaps["Belemmerend werkt"] == "").all()
    assert set(gaps["Thema"]) == {
        "Tevredenheid",
        "Organiseren van een jaarlijkse bijeenkomst",
        "Randvoorwaarden voor het leren",
        "Financiële prikkels",
        "Implementatie strategieën",
    }


def test_unknown_table_name_suggests_the_closest(kb):
    with pytest.raises(ekb.UnknownIdError, match="did you mean 'pps-2023'"):
        published_table(kb, "pps-2032")


def test_published_layout_has_the_numbered_literature_list(kb):
    layout = tables.published_layout(kb, "pps-2023")
    # as printed: 17 numbered short forms (16 and 17 cited in the text only) and the footnote
    assert [e.number for e in layout.references] == list(range(1, 18))
    assert layout.references[7].in_text == "Kallio & Lappalainen, 2015"
    assert layout.references[1].apa == "Bednarz, Cavicchiolo et al., 2011"
    assert layout.references[13].apa == "Schippers, Mennens et al, 2023"
    assert layout.references_footnote == "* De nummers 1-15 zijn opgenomen in de scoping review"
    assert "Edelenbos" in "".join(t for t, _ in layout.references[4].full)


# -- evidence tables ------------------------------------------------------------------------------
def test_evidence_table_for_one_element_across_reviews(kb):
    ev = evidence_table(kb, element="Synergie")
    assert list(ev.table.columns) == [
        "Kernelement",
        "Thema",
        "Review",
        "Bevorderend werkt",
        "Belemmerend werkt",
        "Overig",
        "Over alle kolommen",  # a gap, written once: never under promoting or hindering
    ]
    assert set(ev.table["Kernelement"]) == {"Synergie"}
    # a finding without a direction (pps-005, a working element) is under Overig only
    samenwerking = ev.table[ev.table["Thema"] == "Samenwerking"].iloc[0]
    assert samenwerking["Overig"].startswith("• Houd er rekening mee dat er (grote) verschillen")
    assert "Houd er rekening mee" not in samenwerking["Bevorderend werkt"]
    assert "Houd er rekening mee" not in samenwerking["Belemmerend werkt"]
    assert samenwerking["Bevorderend werkt"].count("• ") == 4
    assert samenwerking["Belemmerend werkt"].count("• ") == 4
    tevredenheid = ev.table[ev.table["Thema"] == "Tevredenheid"].iloc[0]
    assert set(tevredenheid.iloc[3:6]) == {""}
    assert tevredenheid["Over alle kolommen"] == "Geen relevante informatie gevonden"
    assert {"Wildeman & Pannebakker, 2023", "de Wolff & Pannebakker, 2023"} <= set(
        ev.table["Review"]
    )
    text = ev.table.to_string()
    assert "(Tosun, 2017; Camps & Torres, 2011" in text  # author-year from the resolved references
    assert list(ev.references.columns) == ["number", "key", "in_text", "apa"]
    assert ev.references["number"].isna().all()
    assert ev.reference_list == sorted(ev.reference_list, key=str.casefold)


def test_evidence_table_by_direction_with_numbered_citations(kb):
    ev = evidence_table(
        kb, review="pps-2023", direction="hindering", citations="numbered", language="en"
    )
    assert list(ev.table.columns) == ["Core element", "Theme", "Hindering"]
    assert "Wanneer er onvoldoende ruimte is voor individuele reflectie²,⁶" in ev.table.to_string()
    assert "Wanneer een onafhankelijke partij (in de zorg)" not in ev.table.to_string()  # promoting
    windrum = ev.references[ev.references["key"] == "windrum2014"].iloc[0]
    assert windrum["number"] == 15  # the factsheet's own numbering
    assert ev.reference_list[0].startswith(f"{ev.references['number'].iloc[0]}. ")


def test_evidence_table_numbers_by_first_appearance_across_reviews(kb):
    ev = evidence_table(kb, element="liso/synergie", citations="numbered")
    assert list(ev.references["number"]) == list(range(1, len(ev.references) + 1))


@pytest.mark.parametrize(
    ("language", "et_al"), [("nl", "Tee e.a., 2021"), ("en", "Tee et al., 2021")]
)
def test_evidence_table_in_text_citations_in_either_language(kb, language, et_al):
    ev = evidence_table(kb, review="werk-inkomen-2023", language=language)
    assert et_al in set(ev.references["in_text"])
    assert f"({et_al})" in ev.table.to_string()


def test_evidence_table_rejects_bad_arguments(kb):
    with pytest.raises(ValueError, match="citations='vancouver'"):
        evidence_table(kb, citations="vancouver")
    with pytest.raises(ValueError, match="direction='positive'"):
        evidence_table(kb, direction="positive")
    with pytest.raises(ekb.UnknownIdError, match="did you mean 'pps-2023'"):
        evidence_table(kb, review="pps-2022")
    with pytest.raises(ekb.UnknownIdError):
        evidence_table(kb, element="Synergy-x")


class WithConcepts:
    """A knowledge base that has a concept vocabulary (and optionally finding tags)."""

    def __init__(self, kb, concepts, finding_concepts=None):
        self._kb, self.concepts = kb, concepts
        if finding_concepts is not None:
            self.finding_concepts = finding_concepts

    def __getattr__(self, name):
        return getattr(self._kb, name)


def test_evidence_table_for_a_concept_of_the_bundled_vocabulary(kb):
    ev = evidence_table(kb, concept="vertrouwen")
    tagged = set(kb.evidence("trust")["finding_id"])
    assert len(ev.table) > 0
    assert "Vertrouwen kan ook actief gestimuleerd worden" in ev.table.to_string()
    assert {"pps-052", "wi-010"} <= tagged


def test_evidence_table_for_a_concept_with_given_tags(kb):
    vocab = pd.DataFrame(
        {"concept_id": ["trust"], "label_nl": ["vertrouwen"], "label_en": ["trust"]}
    )
    tags = pd.DataFrame({"finding_id": ["pps-052", "wi-010"], "concept_id": ["trust", "trust"]})
    ev = evidence_table(WithConcepts(kb, vocab, tags), concept="Vertrouwen")
    assert len(ev.table) == 2
    assert "Vertrouwen kan ook actief gestimuleerd worden" in ev.table.to_string()
    with pytest.raises(ekb.UnknownIdError, match="did you mean 'trust'"):
        evidence_table(WithConcepts(kb, vocab, tags), concept="trusst")


def test_evidence_table_for_a_concept_tags_the_findings(kb):
    concepts = pytest.importorskip("evidence_kb.io.tables")
    ev = evidence_table(WithConcepts(kb, concepts.load_concepts()), concept="trust")
    text = ev.table.to_string()
    assert "Wantrouwen, want dit leidt tot instabiliteit" in text
    assert "Wanneer de LNW trekker initiatief neemt" not in text


def test_apa_citations_and_references():
    two = {"authors": "Kallio, K.; Lappalainen, I.", "year": 2015}
    many = {
        "authors": "Fuller, J.; Oster, C.; . . . Reed, R. L.",
        "year": 2015,
        "entry_type": "article",
        "title": "Testing a model",
        "container": "BMJ Open",
        "volume": "5",
        "issue": "11",
    }
    assert tables.in_text_citation(two) == "Kallio & Lappalainen, 2015"
    assert tables.in_text_citation(many, language="en") == "Fuller et al., 2015"
    assert tables.in_text_citation({"authors": "Wallner, C."}) == "Wallner, z.d."
    parts = tables.apa_reference(many)
    assert (
        "".join(t for t, _ in parts)
        == "Fuller, J., Oster, C., . . . Reed, R. L. (2015). Testing a model. BMJ Open, 5(11)."
    )
    assert [t for t, italic in parts if italic] == ["BMJ Open", "5"]
    book = tables.apa_reference(
        {"entry_type": "book", "authors": "Wenger, E.", "title": "Communities", "publisher": "CUP"},
        language="en",
    )
    assert "".join(t for t, _ in book) == "Wenger, E. (n.d.). Communities. CUP."
    assert book[1] == ("Communities.", True)


# -- writers --------------------------------------------------------------------------------------
def tiny_layout(statement: str = "Vertrouwen <script>alert(1)</script> & meer") -> Layout:
    return Layout(
        name="tiny",
        title="Tabel <b>1</b>",
        columns=("Kernelement", "Bevorderend werkt", "Belemmerend werkt"),
        rows=(
            Row((Cell("Onderlinge | relatie", italic=True, span=3),), group=True),
            Row(
                (
                    Cell("Synergie", bold=True),
                    Cell(items=(Item(statement, ("- eerste", "=1+1"), "2,11", True),)),
                    Cell(items=(Item("-5 graden", (), "Tosun, 2017"),), bullets=False),
                )
            ),
            Row((Cell("Synergie", bold=True), Cell("Geen relevante informatie gevonden", span=2))),
        ),
        merge=1,
    )


def test_html_escapes_statements_and_titles(kb, tmp_path):
    page = render.to_html(tiny_layout())
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in page
    assert "Tabel &lt;b&gt;1&lt;/b&gt;" in page
    assert '<td class="element" rowspan="2"><strong>Synergie</strong></td>' in page
    assert 'colspan="2"' in page
    assert "<sup>2,11</sup>" in page
    # and end to end: a knowledge base whose statement and review title contain a script
    data = tmp_path / "kb"
    shutil.copytree(kb.data_dir, data, ignore=shutil.ignore_patterns("staging"))
    for file, column, row_id in (
        ("findings.csv", "statement", "wi-001"),
        ("reviews.csv", "title", "werk-inkomen-2023"),
    ):
        with (data / file).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            if row_id in row.values():
                row[column] = "<script>alert('x')</script>" + row[column]
        with (data / file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    (path,) = render.write_tables(ekb.load(data), tmp_path / "out", formats=["html"])[-1:]
    page = path.read_text(encoding="utf-8")
    assert path.name == "werk-inkomen-2023.html"
    assert "<script>" not in page
    # the statement; the caption is the printed one, not the review title
    assert page.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 1


def test_markdown_keeps_the_structure_and_escapes():
    text = render.to_markdown(tiny_layout())
    assert "| Kernelement | Bevorderend werkt | Belemmerend werkt |" in text
    assert "*Onderlinge \\| relatie*" in text
    assert "&lt;script&gt;" in text
    assert "<sup>2,11</sup>" in text
    assert "| **Synergie** |" in text
    # a cell across both columns is written once, in the first, with a note under the table
    assert "|  | Geen relevante informatie gevonden |  |" in text
    assert "Over de kolommen Bevorderend werkt en Belemmerend werkt samen: Synergie." in text


def test_latex_escapes_and_spans():
    text = render.to_latex(tiny_layout())
    assert r"\begin{longtable}" in text
    assert r"\textsuperscript{2,11}" in text
    assert r"\& meer" in text
    assert r"\multicolumn{2}" in text
    assert r"\textit{Onderlinge | relatie}" in text


def test_csv_neutralises_formulas_but_keeps_list_items(tmp_path):
    path = render.write_table(tiny_layout(), tmp_path / "t.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == [
        "Kernelement",
        "Bevorderend werkt",
        "Belemmerend werkt",
        "Bevorderend werkt + Belemmerend werkt",  # the cell printed across both, once
    ]
    assert back.iloc[1, 2] == "'-5 graden (Tosun, 2017)"
    assert render._neutralise("=1+1") == "'=1+1"
    assert render._neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert render._neutralise("+31 6") == "'+31 6"
    assert render._neutralise("- een lijstitem") == "- een lijstitem"


def test_csv_round_trips_a_published_table(kb, tmp_path):
    path = render.write_table(tables.published_layout(kb, "pps-2023"), tmp_path / "pps.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(back, published_table(kb, "pps-2023"))


def test_docx_reads_back_with_merged_core_elements_and_superscripts(kb, tmp_path):
    import docx

    path = render.write_table(tables.published_layout(kb, "pps-2023"), tmp_path / "pps.docx")
    document = docx.Document(str(path))
    (grid,) = document.tables
    table = published_table(kb, "pps-2023")
    assert [c.text for c in grid.rows[0].cells] == list(table.columns[:4])
    assert len(grid.rows) == len(table) + 1
    assert [grid.cell(i + 1, 0).text for i in range(len(table))] == list(table["Kernelement"])
    assert grid.cell(1, 0)._tc is grid.cell(3, 0)._tc  # Community Context printed once for 3 themes
    assert (
        grid.cell(11, 2)._tc is grid.cell(11, 3)._tc
    )  # "Tevredenheid": one cell across both columns
    runs = [r for p in grid.cell(1, 2).paragraphs for r in p.runs]
    assert any(r.font.superscript and r.text == "15" for r in runs)
    assert any(r.bold for r in grid.cell(1, 0).paragraphs[0].runs)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Literatuur" in text
    assert "15. Windrum, 2014" in text  # the printed list: short forms
    assert "17. Pannebakker & Wildeman, 2023" in text
    assert "* De nummers 1-15 zijn opgenomen in de scoping review" in text


def test_write_tables_writes_every_table_in_every_format(kb, tmp_path):
    paths = render.write_tables(kb, tmp_path)
    names = [*TABLE_NAMES, "learning-communities"]  # a review without a printed table: its own
    assert sorted(p.name for p in paths) == sorted(
        f"{name}.{fmt}" for name in names for fmt in render.FORMATS
    )
    assert all(p.stat().st_size > 0 for p in paths)
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind
    with pytest.raises(ValueError, match="unknown format"):
        render.write_tables(kb, tmp_path / "none", formats=["md", "pdf"])
    assert not (tmp_path / "none").exists()


# -- PRISMA -------------------------------------------------------------------------------------
def test_prisma_draws_only_the_reported_counts(kb):
    ax = prisma.plot_prisma(kb, "lo-lnw-2026", language="en")
    texts = [t.get_text() for t in ax.texts]
    assert "Records identified" in texts
    assert "Studies included" in texts
    assert "Full texts assessed" not in texts
    assert "Added by experts" not in texts
    assert texts.count("n = 53") == 2
    assert "n = 10" in texts
    texts = [t.get_text() for t in prisma.plot_prisma(kb, "pps-2023").texts]
    assert "Toegevoegd door experts" in texts
    assert "n = 3" in texts


def test_write_prisma_writes_svg_and_png(kb, tmp_path):
    paths = prisma.write_prisma(kb, tmp_path)
    reviews = [
        r for r in kb.reviews["review_id"] if prisma.prisma_counts(kb, r)
    ]  # those reporting counts
    assert {"pps-2023", "werk-inkomen-2023", "lo-lnw-2026"} <= set(reviews)
    assert {p.name for p in paths} == {f"prisma-{r}.{f}" for r in reviews for f in ("svg", "png")}
    png = (tmp_path / "prisma-pps-2023.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert "<svg" in (tmp_path / "prisma-pps-2023.svg").read_text(encoding="utf-8")[:500]
    with pytest.raises(ekb.UnknownIdError):
        prisma.plot_prisma(kb, "pps-2032")


def test_plots_are_pyplot_figures_and_writers_leave_none_open(kb, tmp_path):
    import matplotlib.pyplot as plt

    plt.close("all")
    for ax in (
        prisma.plot_prisma(kb, "werk-inkomen-2023"),
        ekb.plot_gap_map(kb, framework="liso"),
        ekb.plot_evidence_by_direction(kb, framework="liso"),
        ekb.plot_crosswalk(kb),
    ):
        assert plt.fignum_exists(ax.figure.number)  # Jupyter shows pyplot figures
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png")
        assert buffer.getvalue().startswith(b"\x89PNG")
    plt.close("all")
    assert prisma.write_prisma(kb, tmp_path, review="pps-2023")
    assert plt.get_fignums() == []


# -- plots ------------------------------------------------------------------------------------


def test_gap_map_heatmap_shows_the_counts_of_the_query(kb):
    from evidence_kb.graph.queries import gap_map

    ax = ekb.plot_gap_map(kb, framework="liso")
    matrix = gap_map(kb, rows="element", cols="review", framework="liso")
    matrix = matrix.loc[:, matrix.sum(axis=0) > 0]
    shown = sorted(int(t.get_text()) for t in ax.texts if t.get_text().isdigit())
    assert shown == sorted(int(v) for v in matrix.to_numpy().ravel() if v)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(matrix.columns)


def test_evidence_by_direction_bars_add_up_to_the_findings(kb):
    ax = ekb.plot_evidence_by_direction(kb, framework="liso")
    total = sum(patch.get_width() for patch in ax.patches)
    liso = kb.findings[kb.findings["element"].str.startswith("liso/")]
    assert total == len(liso[liso["kind"] != "no_evidence"]) == len(liso) - 5


def test_crosswalk_drawing_has_a_node_per_linked_element(kb):
    from evidence_kb.io.tables import load_crosswalk

    crosswalk, _ = load_crosswalk(data_dir=kb.data_dir, elements=kb.elements["element_id"])
    ax = ekb.plot_crosswalk(kb)
    linked = set(crosswalk["source_element"]) | set(crosswalk["target_element"])
    labels = {" ".join(t.get_text().split()) for t in ax.texts}  # long labels wrap
    element_labels = dict(zip(kb.elements["element_id"], kb.elements["label_nl"], strict=True))
    assert {" ".join(element_labels[e].split()) for e in linked} <= labels
    # one box per linked element, in the column of its framework, no two boxes on one spot
    boxes = [t for t in ax.texts if t.get_bbox_patch() is not None]
    assert len(boxes) == len(linked)
    assert len({t.get_position() for t in boxes}) == len(boxes)
    assert {t.get_fontsize() for t in boxes} == {8}


def test_crosswalk_drawing_speaks_the_language_asked(kb):
    from evidence_kb.io.tables import load_crosswalk

    crosswalk, _ = load_crosswalk(data_dir=kb.data_dir, elements=kb.elements["element_id"])
    linked = set(crosswalk["source_element"]) | set(crosswalk["target_element"])
    ax = ekb.plot_crosswalk(kb, language="en")
    labels = {" ".join(t.get_text().split()) for t in ax.texts}
    elements = kb.elements.set_index("element_id").loc[sorted(linked)]
    translated = elements[elements["label_en"] != elements["label_nl"]]
    assert len(translated) > 3
    assert {" ".join(label.split()) for label in translated["label_en"]} <= labels
    assert not {" ".join(label.split()) for label in translated["label_nl"]} & labels
    assert ax.get_title() == "Crosswalk between the frameworks"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["overlap", "difference", "other relation"]
    dutch = ekb.plot_crosswalk(kb)  # the bundled reviews are Dutch
    assert dutch.get_title() == "Verbanden tussen de kaders"
    assert [t.get_text() for t in dutch.get_legend().get_texts()][1] == "verschil"


def test_show_wraps_and_escapes_long_statements(kb):
    frame = kb.evidence("Synergie")[["finding_id", "statement"]].copy()
    frame.loc[frame.index[0], "statement"] = "<script>alert(1)</script> " + "lang " * 40
    html = ekb.show(frame).to_html()
    assert "white-space: pre-wrap" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert ("lang " * 40).strip() in html  # the whole text, not cut
