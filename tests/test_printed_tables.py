"""The published tables in every written format, read back and compared with the print.

``tests/test_tables.py`` compares the DataFrame of each table (``kb.table(name)``) cell by cell
with the seed table, read with its own small parsers. Here every other format (CSV, Markdown,
HTML, Word, LaTeX) is read back with a reader of its own (not the project's writers) and
compared cell by cell with that DataFrame, so a difference with the print in any format fails.
The captions are read from the seed lines that print them. Deliberate differences are the
table's notes (``layout.notes``); the tests name each one they rely on.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.io.formula import restore_cell
from evidence_kb.publish import render, tables
from evidence_kb.publish.apa import apa_name, apa_reference
from evidence_kb.publish.tables import TABLE_NAMES

SEEDS = Path(__file__).parent / "data" / "seeds"
SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FORMATS = ("csv", "md", "html", "docx", "tex")

# where each caption is printed: (seed file prefix, line)
CAPTIONS = {
    "werk-inkomen-2023": ("001", 85),
    "pps-2023": ("002", 87),
    "lo-lnw-2026-tabel-1": ("000", 111),
    "lo-lnw-2026-tabel-2": ("000", 121),
    "lo-lnw-2026-tabel-3": ("000", 152),
}
# the columns a cell printed across the direction columns covers (pps-2023: Bevorderend werkt
# and Belemmerend werkt, the note "Kernelement | Thema | Bevorderend werkt | ...")
SPANS = {"pps-2023": (2, 2)}


@pytest.fixture(scope="module")
def kb() -> ekb.KnowledgeBase:
    return ekb.load()


def seed_line(prefix: str, line: int) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")[line - 1]


def canon(text: str) -> str:
    """A cell's words: list marks at line starts dropped, whitespace collapsed."""
    lines = [re.sub(r"^\s*(?:[•\-–]\s+)", "", line) for line in text.split("\n")]
    return " ".join(" ".join(lines).split())


# -- the expected grid, from the DataFrame -------------------------------------------------------
def expected_grid(layout: tables.Layout, frame: pd.DataFrame, *, repeat: bool) -> list[list[str]]:
    """The DataFrame as a grid of the printed columns: a spanning cell in its first column, and
    (``repeat=False``) a cell covered by the one above empty, as Markdown and LaTeX print it."""
    n = len(layout.columns)
    spans = layout.rowspans()
    grid = []
    for i, row in enumerate(frame.itertuples(index=False)):
        values = [canon(v) for v in list(row)[:n]]
        for extra in list(row)[n:]:
            if extra:
                first, _ = SPANS.get(layout.name, (n - len(layout.columns[2:]), 0))
                values[first] = canon(extra)
        if not repeat:
            values = [v if j >= len(spans[i]) or spans[i][j] else "" for j, v in enumerate(values)]
        grid.append(values)
    return grid


# -- readers, one per format -----------------------------------------------------------------------
class HtmlTable(HTMLParser):
    """Header, caption and body grid of the first table; rowspans repeated, colspans once."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.caption, self.header, self.rows = "", [], []
        self.cell: list[str] | None = None
        self.where, self.sup, self.em = "", False, []
        self.pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows left)
        self.emphasis: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("caption", "th", "td"):
            self.cell, self.where, self.attrs = [], tag, attrs
        elif tag == "tr":
            self.row = []
        elif tag == "sup":
            self.sup = True
        elif tag == "em":
            self.em.append("")
        elif tag in ("li", "p", "br") and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "sup":
            self.sup = False
        elif tag == "em" and self.em:
            self.emphasis.append(self.em.pop())
        elif tag == "caption":
            self.caption, self.cell = "".join(self.cell), None
        elif tag == "th":
            self.header.append(canon("".join(self.cell)))
            self.cell = None
        elif tag == "td":
            text = canon("".join(self.cell))
            self._place(text, int(self.attrs.get("colspan", 1)), int(self.attrs.get("rowspan", 1)))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.where == "td":
            self._place(None, 0, 0)
            self.rows.append(self.row)
            self.row = None

    def _place(self, text, colspan, rowspan):
        while len(self.row) in self.pending:  # columns covered by a cell above
            col = len(self.row)
            value, left = self.pending.pop(col)
            self.row.append(value)
            if left > 1:
                self.pending[col] = (value, left - 1)
        if text is None:
            return
        col = len(self.row)
        self.row += [text] + [""] * (colspan - 1)
        if rowspan > 1:
            self.pending[col] = (text, rowspan - 1)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data.translate(SUP) if self.sup else data)
        if self.em:
            self.em[-1] += data


def read_markdown(text: str) -> tuple[str, list[str], list[list[str]]]:
    lines = text.split("\n")
    caption = lines[0]

    def cells(line: str) -> list[str]:
        parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        out = []
        for part in parts:
            part = re.sub(r"<sup>(.*?)</sup>", lambda m: m[1].translate(SUP), part)
            part = part.replace("<br>", "\n").replace("&nbsp;", " ")
            part = re.sub(r"(?<!\\)\*", "", part)
            part = re.sub(r"\\(.)", r"\1", part)
            out.append(canon(html.unescape(part)))
        return out

    table = [line for line in lines if line.startswith("| ")]
    return caption, cells(table[0]), [cells(line) for line in table[1:]]


def read_docx(path: Path) -> tuple[str, list[str], list[list[str]], list[str]]:
    import docx

    document = docx.Document(str(path))
    (grid,) = document.tables
    italic = [r.text for p in document.paragraphs for r in p.runs if r.italic]

    def text(cell) -> str:
        out = []
        for p in cell.paragraphs:
            out.append(
                "".join(r.text.translate(SUP) if r.font.superscript else r.text for r in p.runs)
            )
            italic.extend(r.text for r in p.runs if r.italic)
        return canon("\n".join(out))

    rows = []
    for r in range(len(grid.rows)):
        values = []
        for c in range(len(grid.columns)):
            cell = grid.cell(r, c)
            merged_left = c > 0 and grid.cell(r, c - 1)._tc is cell._tc
            values.append("" if merged_left else text(cell))
        rows.append(values)
    return document.paragraphs[0].text, rows[0], rows[1:], italic


def read_latex(text: str) -> tuple[str, list[str], list[list[str]]]:
    def plain(tex: str) -> str:
        tex = re.sub(r"\\textsuperscript\{([^}]*)\}", lambda m: m[1].translate(SUP), tex)
        tex = tex.replace(r"\newline ", "\n").replace(r"\textbullet~", "• ")
        tex = tex.replace(r"\hspace*{1em}--~", "- ")
        tex = re.sub(r"\\(?:cellcolor|textcolor|color)\{[^}]*\}", "", tex)
        tex = re.sub(
            r"\\multicolumn\{\d+\}\{(?:[^{}]|\{[^{}]*\}|\{[^{}]*\{[^{}]*\}[^{}]*\})*\}", "", tex
        )
        tex = re.sub(r"\\text(?:bf|it)|\\emph|\\noindent", "", tex)
        for escaped, char in (("\\&", "&"), ("\\%", "%"), ("\\_", "_"), ("\\#", "#"), ("\\$", "$")):
            tex = tex.replace(escaped, char)
        return canon(tex.replace("{", "").replace("}", ""))

    def cells(line: str) -> list[str]:
        line = re.sub(r"\s*\\\\\s*(?:\\hline|(?:\\cline\{[^}]*\})*)\s*$", "", line)
        out = []
        for part in re.split(r"(?<!\\)&", line):
            span = re.match(r"\s*\\multicolumn\{(\d+)\}", part)
            out += [plain(part)] + [""] * ((int(span[1]) if span else 1) - 1)
        return out

    lines = text.split("\n")
    caption = plain(next(line for line in lines if line.startswith(r"\noindent\textbf")))
    start = lines.index(r"\endhead")
    header = cells(lines[start - 2].removeprefix(r"\rowcolor{navy}"))
    end = lines.index(r"\end{longtable}")
    return caption, header, [cells(line) for line in lines[start + 1 : end]]


def written(layout: tables.Layout, fmt: str, tmp_path: Path) -> tuple[str, list, list, list]:
    """(caption, header, rows, italic texts) of ``layout`` written as ``fmt`` and read back."""
    path = render.write_table(layout, tmp_path / f"{layout.name}.{fmt}")
    if fmt == "docx":
        return read_docx(path)
    text = path.read_text(encoding="utf-8-sig")
    if fmt == "html":
        page = HtmlTable(text)
        return canon(page.caption), page.header, page.rows, page.emphasis
    if fmt == "md":
        caption, header, rows = read_markdown(text)
        italic = re.findall(r"(?<!\\)\*([^*|]+?)(?<!\\)\*", text.replace("**", ""))
        return caption, header, rows, italic
    caption, header, rows = read_latex(text)
    return caption, header, rows, re.findall(r"\\emph\{([^}]*)\}", text)


# -- every format, every cell ------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", TABLE_NAMES)
def test_every_format_holds_the_cells_of_the_printed_table(kb, name, fmt, tmp_path):
    layout = tables.published_layout(kb, name)
    frame = layout.to_frame()  # compared with the seed table by tests/test_tables.py
    if fmt == "csv":
        path = render.write_table(layout, tmp_path / f"{name}.csv")
        back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        # the one CSV convention: a leading "'" that spreadsheets hide, so that no cell runs as
        # a formula (a cell printed with a leading "'" gets one more)
        pd.testing.assert_frame_equal(back.map(restore_cell), frame)
        return
    _, header, rows, _ = written(layout, fmt, tmp_path)
    assert header == [canon(c) for c in layout.columns]
    want = expected_grid(layout, frame, repeat=fmt in ("html", "docx"))
    diffs = [
        f"row {i}, column {layout.columns[j]!r}:\n  expected: {w!r}\n  got:      {g!r}"
        for i, (want_row, got_row) in enumerate(zip(want, rows, strict=False))
        for j, (w, g) in enumerate(zip(want_row, got_row, strict=True))
        if w != g
    ]
    assert len(rows) == len(want)
    assert not diffs, f"{fmt}: {len(diffs)} cell(s) differ:\n" + "\n".join(diffs)


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "tex"])
@pytest.mark.parametrize("name", TABLE_NAMES)
def test_every_format_prints_the_printed_caption(kb, name, fmt, tmp_path):
    printed = seed_line(*CAPTIONS[name]).replace("*", "")
    layout = tables.published_layout(kb, name)
    assert layout.title == printed
    caption, *_ = written(layout, fmt, tmp_path)
    assert canon(caption.replace("*", "")) == canon(printed)


def test_the_table_titles_are_not_the_review_titles(kb):
    for name in TABLE_NAMES:
        title = tables.published_layout(kb, name).title
        assert "e.a., 20" not in title
        assert "Pannebakker, 2023)" not in title
    assert tables.published_layout(kb, "pps-2023").title.startswith("Tabel 1 Wat is bekend uit")


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "tex"])
def test_emphasis_is_kept_where_the_format_can_carry_it(kb, fmt, tmp_path):
    # 000 line 133-134: <i>intra</i> / <i>inter</i>; 000 line 121: the caption; 002 line 91, 112
    _, _, _, italic = written(tables.published_layout(kb, "lo-lnw-2026-tabel-2"), fmt, tmp_path)
    words = {canon(t) for t in italic}
    assert {"intra", "inter"} <= words
    assert any(w.startswith("Overzicht resultaten expertsessie") for w in words)
    _, _, _, italic = written(tables.published_layout(kb, "pps-2023"), fmt, tmp_path)
    words = {canon(t) for t in italic}
    assert {"teveel op elkaar lijken", "actief gestimuleerd"} <= words


# -- spanning cells ---------------------------------------------------------------------------------
def test_a_cell_across_both_directions_is_written_once(kb, tmp_path):
    frame = kb.table("pps-2023")
    span = "Bevorderende en belemmerende factoren"
    across = frame[frame[span] != ""]
    # the five gaps of 002 and the undirected outcomes of "Resultaten van het LNW" (line 124)
    assert sorted(across["Thema"]) == sorted(
        [
            "Tevredenheid",
            "Resultaten van het LNW",
            "Organiseren van een jaarlijkse bijeenkomst",
            "Randvoorwaarden voor het leren",
            "Financiële prikkels",
            "Implementatie strategieën",
        ]
    )
    assert (across["Bevorderend werkt"] == "").all()
    assert (across["Belemmerend werkt"] == "").all()
    for fmt in ("md", "html", "docx", "tex"):
        _, _, rows, _ = written(tables.published_layout(kb, "pps-2023"), fmt, tmp_path)
        for row in rows:
            if row[1] in set(across["Thema"]):
                assert row[3] == "", (fmt, row)
    text = render.to_markdown(tables.published_layout(kb, "pps-2023"))
    assert "Over de kolommen Bevorderend werkt en Belemmerend werkt samen: " in text


def test_empty_core_element_cells_stay_empty(kb):
    # 002 lines 131-134: a page printed without core elements (a note of the table says so)
    frame = kb.table("pps-2023")
    rows = dict(zip(frame["Thema"], frame["Kernelement"], strict=True))
    for theme in (
        "Werkwijze leren/ Expliciteren van leerlessen",
        "Financiële prikkels",
        "Implementatie strategieën",
        "Kennistransfer LNW naar moederorganisatie",
    ):
        assert rows[theme] == ""
    assert rows["Samengebrachte middelen"] == "Synergie"  # line 123: the documented exception
    notes = " ".join(tables.published_layout(kb, "pps-2023").notes)
    assert "lines 123 and 131-134" in notes
    assert "line 102" in notes  # the hindering list printed once for two themes


def test_a_list_printed_once_for_two_themes_is_one_cell(kb):
    # 002 line 102: one Belemmerend werkt list below "Randvoorwaarden processen organisatie
    # LNW" and "Leiderschap"
    layout = tables.published_layout(kb, "pps-2023")
    frame = layout.to_frame()
    rows = frame.set_index("Thema")
    hindering = rows.loc["Randvoorwaarden processen organisatie LNW", "Belemmerend werkt"]
    assert hindering == rows.loc["Leiderschap", "Belemmerend werkt"]  # repeated, as row spans are
    assert hindering.count("• ") == 6
    assert hindering.startswith("• Hiërarchie tussen de netwerkliden²,¹¹")
    page = render.to_html(layout)
    assert page.count('rowspan="2"><ul><li>Hiërarchie tussen de netwerkliden') == 1
    md = render.to_markdown(layout)
    assert "Eén cel over meerdere rijen: Belemmerend werkt van Organisatie / Randvoorwaarden" in md


def test_superscripts_are_where_the_print_has_them(kb):
    text = kb.table("pps-2023").to_string()
    assert "van het LNW⁸;" in text  # 002 line 123, not "LNW;⁸"
    assert "van het LNW¹²." in text  # 002 line 124, not "LNW.¹²"
    assert "van het netwerk⁵,⁹,¹² Vertrouwen kan ook actief gestimuleerd worden:" in text  # 112
    assert "- doordat gezamenlijk problemen opgelost worden⁵." in text  # 112, a sub-item
    assert "- zodat iedere deelnemer zich verantwoordelijk voelt.¹³" in text  # 101 item 6


def test_theme_heading_and_subtitle_are_two_lines(kb):
    frame = kb.table("lo-lnw-2026-tabel-2")
    assert list(frame.columns) == ["THEMA", "TOELICHTING", "VERWIJZING"]
    themes = [t for t in frame["THEMA"] if t]
    assert "Systeemaanpak\nZowel de lerende organisatie als leernetwerken werken vanuit een " in (
        "\n".join(themes)
    )
    # the five printed over two rows (000 lines 125-130, 141-145) keep the line break; those
    # printed as one line keep it too
    assert sum("\n" in t for t in set(themes)) == 5
    assert "Ontwikkelperspectief\nNormatief, ontwikkelingsgericht" in themes
    assert "Scope Intra-organisatieel vs. inter-organisatieel" in themes
    page = render.to_html(tables.published_layout(kb, "lo-lnw-2026-tabel-2"))
    assert "Systeemaanpak<br>Zowel de lerende" in page
    # 000 Tabel 3, lines 155-156: "Startsituatie" above "Gevestigde organisaties vs. …"
    first = kb.table("lo-lnw-2026-tabel-3")["THEMA"].iloc[0]
    assert first == "Startsituatie\nGevestigde organisaties vs. relatief nieuwe leernetwerken"


# -- the APA list -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Dorp, M. van", "Dorp, M. van", id="van"),
        pytest.param("Bergh, Rob van den", "Bergh, R. van den", id="van_den"),
        pytest.param("Torre, W. van der", "Torre, W. van der", id="van_der"),
        pytest.param("Wolff, M. de", "Wolff, M. de", id="de"),
        pytest.param("Horst, Anne ter", "Horst, A. ter", id="ter"),
        pytest.param("Vries, De", "Vries, D.", id="capitalised_given_name"),
    ],
)
def test_apa_keeps_name_particles_as_words(name, expected):
    assert apa_name(name) == expected


def test_the_lo_lnw_list_prints_the_particles_as_printed(kb):
    refs = [e.apa for e in tables.published_layout(kb, "lo-lnw-2026-tabel-2").references]
    text = "\n".join(refs)
    assert "Dorp, M. van, Pannebakker, N." in text
    assert "Bergh, R. van de, & Torre, W. van der (2023b)" in text
    assert "M. V." not in text
    assert "V. D." not in text


def test_apa_prints_volume_issue_and_pages_without_a_journal():
    ref = {
        "entry_type": "article",
        "authors": "Tee, P.; Cham, T.",
        "year": 2021,
        "title": "The role of organisational career management",
        "volume": "9",
        "issue": "3",
        "pages": "41--58",
        "url": "https://example.org/30570",
    }
    text = "".join(t for t, _ in apa_reference(ref))
    assert text == (
        "Tee, P., & Cham, T. (2021). The role of organisational career management. "
        "9(3), 41–58. https://example.org/30570"
    )
    assert "  " not in text
    assert ("9", True) in apa_reference(ref)  # the volume in italics


@pytest.mark.parametrize(
    ("booktitle", "editors", "book", "publisher"),
    [
        pytest.param(
            "In: J. Wilson (Ed.), Human resource development: Learning and training for "
            "individuals and organisations. Publisher: London: Kogan Page",
            "J. Wilson (Ed.), ",
            "Human resource development: Learning and training for individuals and organisations",
            " London: Kogan Page.",
            id="poell2005",
        ),
        pytest.param(
            "In Blackmore, C. (Ed.). Social Learning Systems and Communities of Practice. "
            "London: Springer",
            "Blackmore, C. (Ed.), ",
            "Social Learning Systems and Communities of Practice",
            " London: Springer.",
            id="wenger2010",
        ),
        pytest.param("Handbook of networks", "", "Handbook of networks", "", id="plain"),
    ],
)
def test_apa_never_puts_editors_or_publisher_in_the_book_title(booktitle, editors, book, publisher):
    ref = {
        "entry_type": "incollection",
        "authors": "Poell, R.",
        "year": 2005,
        "title": "Learning organizations",
        "container": booktitle,
        "pages": "99--110",
    }
    parts = apa_reference(ref)
    assert [t for t, italic in parts if italic] == [book]
    assert "".join(t for t, _ in parts).endswith(f"In {editors}{book} (pp. 99–110).{publisher}")


def test_a_numbered_list_prints_its_short_forms_and_footnote(kb, tmp_path):
    layout = tables.published_layout(kb, "pps-2023")
    lines = (SEEDS / "002_0fb753f0db172bf6.txt").read_text(encoding="utf-8").split("\n")
    printed = lines[169:186]  # seed lines 170-186
    assert [f"{e.number}. {e.apa}" for e in layout.references] == printed
    assert layout.references_title == "Literatuur*"
    md = render.to_markdown(layout)
    assert "16\\. Pannebakker & Wildeman, 2021" in md.replace("&amp;", "&")
    assert md.rstrip().endswith("\\* De nummers 1-15 zijn opgenomen in de scoping review")
    page = render.to_html(layout)
    assert '<li value="17">Pannebakker &amp; Wildeman, 2023</li>' in page
    assert "De nummers 1-15 zijn opgenomen in de scoping review" in page


# -- the printed column is checked ---------------------------------------------------------------
def test_a_printed_statement_that_is_not_the_statement_is_reported(kb, tmp_path):
    import shutil

    data = tmp_path / "kb"
    shutil.copytree(kb.data_dir, data, ignore=shutil.ignore_patterns("staging"))
    path = data / "findings.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("het eindresultaat van het LNW<sup>8</sup>;", "het resultaat<sup>9</sup>;")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(data)
    problems = err.value.problems
    rows = problems[problems["column"] == "printed"]
    messages = list(rows["message"])
    assert any("without its markup is not the statement" in m for m in messages)
    assert any("prints superscripts ['9'], the citation has ['8']" in m for m in messages)
    assert set(rows["file"]) == {"findings.csv"}


def test_the_werk_inkomen_list_is_printed_as_its_numbered_short_forms(kb):
    layout = tables.published_layout(kb, "werk-inkomen-2023")
    lines = (SEEDS / "001_f27e1b29d8703e30.txt").read_text(encoding="utf-8").split("\n")
    assert layout.references_title == "Referenties"  # 001 line 97
    assert [f"{e.number}. {e.apa}" for e in layout.references] == lines[98:104]  # lines 99-104
    assert all(e.full for e in layout.references)  # the full APA reference stays with each
