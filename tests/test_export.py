"""Exports other tools read, each read back and compared with the original."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.io.export import (
    INCOMPLETE_AUTHORS,
    format_codebook,
    format_csl_json,
    format_ris,
    read_codebook,
)
from evidence_kb.io.formula import neutralise_cell, restore_cell
from evidence_kb.model.records import Reference

from .conftest import DATA_DIR


@pytest.fixture(scope="module")
def kb():
    return ekb.load()


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), "").astype(str)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_findings_round_trip(kb, tmp_path, suffix):
    path = ekb.write_findings(kb.findings, tmp_path / f"findings.{suffix}")
    back = ekb.read_findings(path)
    pd.testing.assert_frame_equal(back.astype(str), _as_text(kb.findings))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_exported_findings_are_safe_in_spreadsheets_and_restored(mini_kb, tmp_path, suffix):
    findings = mini_kb.findings.copy()
    findings.loc[0, "statement"] = '=HYPERLINK("http://evil.example","klik")'
    findings.loc[1, "statement"] = "- begint met een streepje"
    findings.loc[2, "statement"] = "@SUM(A1)"
    findings.loc[3, "statement"] = "'=a quote before a sign, as typed"  # restored exactly once
    path = ekb.write_findings(findings, tmp_path / f"findings.{suffix}")
    if suffix == "csv":
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        raw = pd.read_excel(path, dtype=str, keep_default_na=False)
    assert not raw["statement"].str.match(r"^[=+\-@]").any()
    back = ekb.read_findings(path)
    assert list(back["statement"][:4]) == list(findings["statement"][:4])


def test_neutralise_is_reversible_for_quotes():
    for value in ["'=1", "''", "'", "normal", "+31 6", "-", ""]:
        assert restore_cell(neutralise_cell(value)) == value


def test_knowledge_base_in_excel_loads_like_csv(mini_kb, tmp_path):
    target = tmp_path / "kb"
    shutil.copytree(DATA_DIR / "mini", target)
    ekb.write_findings(mini_kb.findings, target / "findings.xlsx")
    (target / "findings.csv").unlink()
    kb = ekb.load(target)
    pd.testing.assert_frame_equal(kb.findings, mini_kb.findings)


def test_excel_formula_cell_is_reported_with_row_and_column(mini_kb, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "kb"
    shutil.copytree(DATA_DIR / "mini", target)
    (target / "findings.csv").unlink()
    path = target / "findings.xlsx"
    mini_kb.findings.to_excel(path, index=False)
    workbook = load_workbook(path)
    workbook.active["I4"] = (
        "=CONCATENATE(A1,B1)"  # column I is 'statement', row 4 is the third finding
    )
    workbook.save(path)
    with pytest.raises(
        ekb.InputError,
        match=r"findings.xlsx: line 4, column 'statement': cell I4 holds the formula",
    ):
        ekb.load(target)


def _ref_fields(frame: pd.DataFrame) -> list[tuple]:
    return sorted(
        zip(
            frame["id"],
            frame["authors"],
            frame["year"],
            frame["title"],
            frame["pages"],
            strict=True,
        )
    )


def test_ris_round_trip(kb, tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(format_ris(kb.reference_records), encoding="utf-8")
    back = ekb.read_references(path)
    expected = [  # "others" (names print left out) is a note in RIS and CSL-JSON, not a name
        (
            r.key,
            " and ".join(a for a in r.authors if a != "others"),
            str(r.year or ""),
            r.title,
            r.pages,
        )
        for r in kb.reference_records
    ]
    assert _ref_fields(back) == sorted(expected)


def test_csl_json_round_trip(kb, tmp_path):
    path = tmp_path / "refs.json"
    path.write_text(format_csl_json(kb.reference_records), encoding="utf-8")
    back = ekb.read_references(path)
    expected = [  # "others" (names print left out) is a note in RIS and CSL-JSON, not a name
        (
            r.key,
            " and ".join(a for a in r.authors if a != "others"),
            str(r.year or ""),
            r.title,
            r.pages,
        )
        for r in kb.reference_records
    ]
    assert _ref_fields(back) == sorted(expected)


@pytest.mark.parametrize("fmt", [format_ris, format_csl_json])
def test_names_left_out_by_print_are_a_note_not_an_author(fmt):
    ref = Reference(
        key="elwyn2012", entry_type="article", authors=("Elwyn, G.", "others"), year=2012, title="T"
    )
    text = fmt([ref])
    assert "others" not in text
    assert "Elwyn" in text
    assert INCOMPLETE_AUTHORS in text


def test_bibtex_export_keeps_aliases(kb, tmp_path):
    [path] = ekb.write_exports(kb, tmp_path, formats=["bib"])
    refs, _ = ekb.read_bibtex(path)
    assert {r.key: r.ids for r in refs}["kallio2015"] == ("werk-inkomen-2023-2", "pps-2023-8")


def test_codebook_has_every_element_under_its_parent(kb, tmp_path):
    path = tmp_path / "codebook.qdc"
    path.write_text(format_codebook(kb.elements), encoding="utf-8")
    codes = read_codebook(path)
    assert len(codes) == len(kb.elements)
    by_guid = {c["guid"]: c for c in codes}
    ids = {c["description"].split()[0]: c for c in codes}
    synergie = ids["liso/synergie/samenwerking"]
    assert by_guid[synergie["parent"]]["description"].split()[0] == "liso/synergie"
    assert ids["liso/synergie"]["name"] == "Synergie"


def test_codebook_reader_refuses_entity_expansion(tmp_path):
    from defusedxml import EntitiesForbidden

    bomb = tmp_path / "bomb.qdc"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="&b;"/></Codes></CodeBook>'
    )
    with pytest.raises(EntitiesForbidden):
        read_codebook(bomb)


def test_cli_export_writes_every_format(tmp_path, capsys):
    from evidence_kb.cli import main

    assert main(["export", "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "codebook.qdc",
        "findings.csv",
        "findings.xlsx",
        "references.bib",
        "references.json",
        "references.ris",
    ]
