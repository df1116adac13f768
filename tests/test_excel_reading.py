"""findings.xlsx: every row and cell is read or reported, as the user sees it in Excel."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook

import evidence_kb as ekb
from evidence_kb.io import csvfile

from .conftest import DATA_DIR


@pytest.fixture
def own(tmp_path):
    """The own-review knowledge base with its findings as a workbook (rows as in the CSV)."""
    target = tmp_path / "own"
    shutil.copytree(DATA_DIR / "own", target)
    return target


def _rows(own) -> list[list[object]]:
    frame = pd.read_csv(own / "findings.csv", dtype=str, keep_default_na=False)
    (own / "findings.csv").unlink()
    return [list(frame.columns), *(list(r) for r in frame.itertuples(index=False))]


def _save(rows: list[list[object]], path) -> None:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)


def _rewrite(path, old: bytes, new: bytes, member: str = "xl/worksheets/sheet1.xml") -> None:
    """Replace bytes in one part of the workbook (as a damaged or hand-made file would be)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            out.writestr(item, re.sub(old, new, data) if item.filename == member else data)
    tmp.replace(path)


def test_rows_beyond_a_stale_dimension_tag_are_read(own):
    path = own / "findings.xlsx"
    _save(_rows(own), path)
    _rewrite(path, rb'<dimension ref="[^"]*"', b'<dimension ref="A1:I2"')  # says: 1 finding
    kb = ekb.load(own)
    assert list(kb.findings["finding_id"]) == ["jz-001", "jz-002", "jz-003"]


def test_a_value_without_a_header_is_an_error_naming_the_cell(own):
    rows = _rows(own)
    rows[2] = [*rows[2], "", "vergeten notitie"]  # column K of row 3; J is empty
    _save(rows, own / "findings.xlsx")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    [problem] = [p for p in err.value.problem_list if p.severity == "error"]
    assert str(problem) == (
        "findings.xlsx: line 3: cell K3 holds 'vergeten notitie' but its column has no header; "
        "give the column a name in row 1, or move the value"
    )
    kb = ekb.load(own, strict=False)
    assert list(kb.findings["finding_id"]) == ["jz-001", "jz-003"]


def test_numbers_and_dates_are_read_as_text_with_a_warning(own):
    rows = _rows(own)
    column = rows[0].index("source")
    rows[1][column] = 3.5  # Dutch Excel shows 3,5
    rows[2][column] = dt.datetime(2024, 3, 1)
    rows[3][column] = 14.0
    _save(rows, own / "findings.xlsx")
    kb = ekb.load(own)
    assert list(kb.findings["source"]) == ["3.5", "2024-03-01", "14"]
    warnings = [str(p) for p in kb.problem_list if p.column == "source"]
    assert warnings == [
        "findings.xlsx: line 2, column 'source': warning: cell I2 holds the number '3.5', read "
        "as that text; Excel may show it otherwise (e.g. '3,5'): format the column as text if "
        "it matters",
        "findings.xlsx: line 3, column 'source': warning: cell I3 holds the date '2024-03-01', "
        "read as that text; Excel may show it otherwise (e.g. '3,5'): format the column as text "
        "if it matters",
        "findings.xlsx: line 4, column 'source': warning: cell I4 holds the number '14', read "
        "as that text; Excel may show it otherwise (e.g. '3,5'): format the column as text if "
        "it matters",
    ]


def test_exported_findings_load_back_equal(own):
    kb = ekb.load(own)
    findings = kb.findings.copy()
    findings.loc[0, "statement"] = "=1+1 is geen formule"
    findings.loc[1, "statement"] = "- een opsomming"
    findings.loc[2, "statement"] = "'al geciteerd'"
    path = ekb.write_findings(findings, own / "findings.xlsx")
    (own / "findings.csv").unlink()
    again = ekb.load(own).findings
    assert list(again["statement"]) == list(findings["statement"])
    assert list(ekb.read_findings(path)["statement"]) == list(findings["statement"])


def test_a_file_that_is_no_workbook_is_an_input_error_naming_it(own):
    _rows(own)
    (own / "findings.xlsx").write_text("finding_id,review\n", encoding="utf-8")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    [problem] = err.value.problem_list
    assert problem.file == "findings.xlsx"
    assert problem.message.startswith("cannot read as an Excel workbook (.xlsx): File is not")


def test_a_damaged_workbook_is_an_input_error_naming_it(own):
    path = own / "findings.xlsx"
    _save(_rows(own), path)
    _rewrite(path, rb"<sheetData>", b"<sheetData><row")  # broken XML
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    [problem] = err.value.problem_list
    assert problem.file == "findings.xlsx"
    assert problem.message.startswith("cannot read as an Excel workbook (.xlsx)")


def test_the_size_limits_apply_to_workbooks(own, monkeypatch):
    path = own / "findings.xlsx"
    _save(_rows(own), path)
    with pytest.raises(ekb.InputError, match=r"more than the limit of 0 MB"):
        csvfile.read_xlsx_rows(path, required=("finding_id",), known=("finding_id",), max_bytes=10)
    monkeypatch.setattr(csvfile, "MAX_UNPACKED_BYTES", 1000)  # a zip bomb unpacks to far more
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    [problem] = err.value.problem_list
    assert problem.file == "findings.xlsx"
    assert "more than the limit of 0 MB; it is refused (a damaged file or a zip bomb)" in (
        problem.message
    )


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_a_truncated_workbook_is_an_input_error_naming_it(own, keep):
    path = own / "findings.xlsx"
    _save(_rows(own), path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    [problem] = err.value.problem_list
    assert problem.file == "findings.xlsx"
    assert problem.message.startswith("cannot read as an Excel workbook (.xlsx)")


# -- every sheet, merged cells, error values, escapes (issue 20) ------------------------------


def test_a_hidden_sheet_is_skipped_with_a_warning_and_the_visible_one_read(own):
    rows = _rows(own)
    book = Workbook()
    template = book.active
    template.title = "Sjabloon"
    template.append(rows[0])
    template.append(["tpl-1", *rows[1][1:]])  # a template row that is no finding
    template.sheet_state = "hidden"
    visible = book.create_sheet("Bevindingen")
    for row in rows:
        visible.append(row)
    book.save(own / "findings.xlsx")
    kb = ekb.load(own)
    assert list(kb.findings["finding_id"]) == [r[0] for r in rows[1:]]
    [warning] = [str(p) for p in kb.problem_list if "hidden" in p.message]
    assert "sheet 'Sjabloon' is hidden and was not read" in warning


def test_a_second_visible_sheet_with_data_is_refused_by_name(own):
    rows = _rows(own)
    book = Workbook()
    first = book.active
    first.title = "Review A"
    for row in rows[:2]:
        first.append(row)
    second = book.create_sheet("Review B")
    for row in [rows[0], *rows[2:]]:
        second.append(row)
    book.create_sheet("Leeg")  # an empty sheet holds nothing to lose
    book.save(own / "findings.xlsx")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    text = str(err.value)
    assert "sheet 'Review B' holds data, but findings are read from one sheet ('Review A'" in text
    assert "Leeg" not in text


def test_a_merged_theme_cell_fills_the_rows_below_it(own):
    rows = _rows(own)
    theme = rows[0].index("theme")
    rows[2][theme] = None  # a theme of two findings, typed once in a merged cell
    _save(rows, own / "findings.xlsx")
    book = __import__("openpyxl").load_workbook(own / "findings.xlsx")
    letter = chr(ord("A") + theme)
    book.active.merge_cells(f"{letter}2:{letter}3")
    source = rows[0].index("source")
    source_letter, next_letter = chr(ord("A") + source), chr(ord("A") + source + 1)
    book.active.merge_cells(f"{source_letter}4:{next_letter}4")  # across columns: the first's
    book.save(own / "findings.xlsx")
    kb = ekb.load(own)
    assert list(kb.findings["theme"])[:2] == [rows[1][theme]] * 2
    assert kb.findings["source"].iloc[2] == rows[3][source]
    [warning] = [str(p) for p in kb.problem_list if "merged" in p.message]
    assert f"cells {letter}2:{letter}3 are merged" in warning


def test_an_excel_error_value_is_an_error_naming_the_cell(own):
    rows = _rows(own)
    _save(rows, own / "findings.xlsx")
    column = rows[0].index("statement")
    letter = chr(ord("A") + column)
    _rewrite(
        own / "findings.xlsx",
        rf'<c r="{letter}3" t="inlineStr"><is><t>[^<]*</t></is></c>'.encode(),
        f'<c r="{letter}3" t="e"><v>#REF!</v></c>'.encode(),
    )
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert f"line 3, column 'statement': cell {letter}3 holds the error value '#REF!'" in str(
        err.value
    )
    kb = ekb.load(own, strict=False)
    assert "#REF!" not in set(kb.findings["statement"])


def test_escape_like_text_round_trips_through_excel(tmp_path):
    frame = pd.DataFrame(
        {"finding_id": ["f1", "f2"], "statement": ["code _x0041_ here", "_x005F_ and _x000B_"]}
    )
    path = ekb.write_findings(frame, tmp_path / "findings.xlsx")
    assert list(ekb.read_findings(path)["statement"]) == list(frame["statement"])


def test_the_findings_sheet_is_found_after_an_instructions_sheet_which_is_named(own):
    rows = _rows(own)
    book = Workbook()
    notes = book.active
    notes.title = "Uitleg"
    notes.append(["Vul per bevinding een rij in op het tweede blad."])
    findings = book.create_sheet("Bevindingen")
    for row in rows:
        findings.append(row)
    book.save(own / "findings.xlsx")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert "sheet 'Uitleg' holds data, but findings are read from one sheet ('Bevindingen')" in (
        str(err.value)
    )
    book["Uitleg"].sheet_state = "hidden"
    book.save(own / "findings.xlsx")
    kb = ekb.load(own)
    assert list(kb.findings["finding_id"]) == [r[0] for r in rows[1:]]
