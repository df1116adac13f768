"""Control characters (Word's vertical tab, NUL): cleaned at load with a warning, never exported.

XML cannot hold C0 control characters other than tab, newline and carriage return, so Excel,
GraphML, GEXF, DOCX and the .qdc codebook would be corrupt or refused if one got through.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import zipfile

import networkx as nx
import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.graph.export import write_gexf, write_graphml
from evidence_kb.io.export import format_codebook
from evidence_kb.io.text import CONTROL_CHARACTERS
from evidence_kb.publish.render import to_csv, to_docx

from .conftest import DATA_DIR

DIRTY = "Onderling\x0bvertrouwen\x00 helpt\x1f."
CLEAN = "Onderling\nvertrouwen helpt."


@pytest.fixture
def dirty(tmp_path):
    """The own-review knowledge base with Word's vertical tab and a NUL in a statement."""
    target = tmp_path / "own"
    shutil.copytree(DATA_DIR / "own", target)
    findings = target / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(
        text.replace("Onderling vertrouwen helpt het netwerk.", DIRTY), encoding="utf-8"
    )
    return target


def test_csv_input_is_cleaned_with_a_warning_naming_file_line_and_column(dirty):
    kb = ekb.load(dirty)
    assert kb.findings.set_index("finding_id").loc["jz-001", "statement"] == CLEAN
    [warning] = [p for p in kb.problem_list if "control character" in p.message]
    assert (warning.file, warning.line, warning.column, warning.severity) == (
        "findings.csv",
        2,
        "statement",
        "warning",
    )
    assert warning.message.startswith("control character(s) \\x00, \\x0b, \\x1f removed")


def test_excel_input_is_cleaned_with_a_warning(dirty):
    frame = pd.read_csv(dirty / "findings.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "statement"] = "A@VT@B"
    (dirty / "findings.csv").unlink()
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    plain = dirty / "plain.xlsx"
    book.save(plain)
    # Excel stores Word's vertical tab as the escape _x000B_ (openpyxl refuses to write it)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(dirty / "findings.xlsx", "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            out.writestr(item, data.replace(b"@VT@", b"_x000B_"))
    plain.unlink()
    kb = ekb.load(dirty)
    assert kb.findings.set_index("finding_id").loc["jz-001", "statement"] == "A\nB"
    [warning] = [p for p in kb.problem_list if "control character" in p.message]
    assert (warning.file, warning.line, warning.column) == ("findings.xlsx", 2, "statement")


def test_bibtex_control_characters_are_reported_with_their_line_and_removed(dirty, tmp_path):
    (dirty / "references.ris").unlink()
    (dirty / "references.bib").write_text(
        "@article{smith2020,\n  author = {Smith, John},\n  title = {Trust\x0b in\x00 networks},\n"
        "  year = {2020}\n}\n",
        encoding="utf-8",
    )
    kb = ekb.load(dirty)
    [warning] = [p for p in kb.problem_list if p.file == "references.bib"]
    assert (warning.line, warning.severity) == (3, "warning")
    assert warning.message.startswith("control character(s) \\x00, \\x0b removed")
    [reference] = kb.reference_records
    assert reference.title == "Trust in networks"


def _exports_are_clean(out):
    for path in out.iterdir():
        if path.suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)  # opens
            text = "".join(frame.astype(str).to_numpy().ravel())
        else:
            text = path.read_text(encoding="utf-8")
        assert not CONTROL_CHARACTERS.search(text), path.name


def test_every_export_of_a_cleaned_knowledge_base_is_clean(dirty, tmp_path):
    kb = ekb.load(dirty)
    written = ekb.write_exports(kb, tmp_path / "out")
    assert {p.suffix for p in written} >= {".csv", ".xlsx", ".qdc"}
    _exports_are_clean(tmp_path / "out")


# -- each writer sanitises what it is handed ------------------------------------------------------
def test_excel_writer_removes_control_characters(tmp_path):
    findings = pd.DataFrame({"finding_id": ["x-1"], "statement": [DIRTY]})
    path = ekb.write_findings(findings, tmp_path / "findings.xlsx")
    assert list(pd.read_excel(path, dtype=str)["statement"]) == [CLEAN]


def test_csv_writer_removes_control_characters(tmp_path):
    findings = pd.DataFrame({"finding_id": ["x-1"], "statement": [DIRTY]})
    path = ekb.write_findings(findings, tmp_path / "findings.csv")
    assert list(pd.read_csv(path, dtype=str)["statement"]) == [CLEAN]


def _dirty_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("finding:x-1", kind="finding", statement=DIRTY, tags=["a\x0bb", "c"])
    G.add_node("element:e", kind="element", label="E\x00")
    G.add_edge("finding:x-1", "element:e", kind="about", note="\x07")
    return G


def test_graphml_writer_removes_control_characters(tmp_path):
    path = write_graphml(_dirty_graph(), tmp_path / "g.graphml")
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.nodes["finding:x-1"]["statement"] == CLEAN
    assert H.nodes["finding:x-1"]["tags"] == "a\nb;c"
    assert H.nodes["element:e"]["label"] == "E"


def test_gexf_writer_removes_control_characters(tmp_path):
    path = write_gexf(_dirty_graph(), tmp_path / "g.gexf")
    H = nx.read_gexf(path)
    assert H.nodes["finding:x-1"]["statement"] == CLEAN


def test_codebook_writer_removes_control_characters(tmp_path):
    elements = ekb.load(DATA_DIR / "own").elements.copy()
    elements.loc[0, "label_nl"] = "Jeugd\x0bzorg\x00"
    xml = format_codebook(elements)
    assert not CONTROL_CHARACTERS.search(xml)
    import xml.etree.ElementTree as ET

    ET.fromstring(xml.split("\n", 1)[1])  # parses
    assert "Jeugd\nzorg" in xml


def test_docx_and_csv_tables_remove_control_characters(dirty):
    kb = ekb.load(dirty)
    records = tuple(
        f.model_copy(update={"statement": DIRTY}) if f.finding_id == "jz-001" else f
        for f in kb.finding_records
    )
    kb = dataclasses.replace(kb, finding_records=records)
    table = ekb.evidence_table(kb, review="jeugd-2026")
    data = to_docx(table)
    from docx import Document

    document = Document(io.BytesIO(data))  # opens
    text = "\n".join(cell.text for t in document.tables for row in t.rows for cell in row.cells)
    assert "Onderling\nvertrouwen helpt" in text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert not CONTROL_CHARACTERS.search(body)
    assert not CONTROL_CHARACTERS.search(to_csv(table))
