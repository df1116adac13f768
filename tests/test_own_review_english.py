"""A team's own English review: its own language, its own charting fields, one truth about gaps.

``tests/data/own_en`` is a made-up review of psychological safety in hospital teams with two
frameworks of its own that share an ``order`` value, English labels only, ``language`` ``en``
in ``reviews.csv``, a RIS bibliography and a charting form with the charted sources (see its
README).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main
from evidence_kb.graph.queries.cells import gap_cells
from evidence_kb.publish.report.data import report_data

from .conftest import DATA_DIR

OWN_EN = DATA_DIR / "own_en"
REVIEW = "psych-safety-2025"
TITLE = "Psychological safety in hospital teams: a scoping review"
BUNDLED_NAMES = ("LISO", "TNO", "Learning communit", "lerende organisatie", "Leernetwerk")
DUTCH_WORDS = ("Kernelement", "Bevorderend", "Belemmerend", "Literatuur", "Overig", " e.a.")


@pytest.fixture(scope="module")
def kb() -> ekb.KnowledgeBase:
    return ekb.load(OWN_EN)


@pytest.fixture
def own(tmp_path: Path) -> Path:
    target = tmp_path / "own_en"
    shutil.copytree(OWN_EN, target)
    return target


def _errors(err: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in err.value.problem_list if p.severity == "error"]


# -- language ----------------------------------------------------------------------------------
def test_an_element_with_an_english_label_only_is_labelled_in_english(kb):
    element = kb.element("Team leader coaching")
    assert element.element_id == "ps/leader/coaching"
    assert element.label_nl == "Team leader coaching"  # the label falls back to the other


def test_an_element_without_any_label_is_an_error_naming_both_columns(own):
    path = own / "frameworks.csv"
    path.write_text(path.read_text() + "tw/extra,tw,tw,core_element,,,9,protocol,\n")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert _errors(err) == [
        "frameworks.csv: line 18, column 'label_nl': is empty, and so is label_en; expected a "
        "label in at least one of the two"
    ]


def test_a_review_language_other_than_nl_or_en_is_an_error(own):
    path = own / "reviews.csv"
    path.write_text(path.read_text().replace(",en\n", ",english\n"))
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert _errors(err) == [
        "reviews.csv: line 2, column 'language': got 'english', expected one of: nl, en, or "
        "empty (Dutch)"
    ]


def test_the_review_table_is_in_the_review_language_with_its_title(kb, tmp_path):
    paths = ekb.write_tables(kb, tmp_path, formats=("md", "html", "docx"))
    names = ["charting-" + f for f in ("country", "design", "sample_size", "setting")]
    names += ["charting-year_published", REVIEW]
    assert [p.name for p in paths] == [f"{n}.{f}" for n in names for f in ("docx", "html", "md")]
    md = (tmp_path / f"{REVIEW}.md").read_text(encoding="utf-8")
    html = (tmp_path / f"{REVIEW}.html").read_text(encoding="utf-8")
    document = docx.Document(str(tmp_path / f"{REVIEW}.docx"))
    word = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    for text in (md, html, word):
        for header in ("Core element", "Theme", "Promoting", "Hindering", "Other", "References"):
            assert header in text
        assert TITLE in text
        assert "Appelbaum et al., 2016" in text  # APA in English: et al.
        assert not [w for w in (*DUTCH_WORDS, *BUNDLED_NAMES) if w in text]


def test_language_can_be_asked_for_and_is_checked(kb):
    dutch = kb.table(review=REVIEW, language="nl")
    assert list(dutch.columns) == [
        "Kernelement",
        "Thema",
        "Bevorderend werkt",
        "Belemmerend werkt",
        "Overig",
    ]
    assert kb.table(review=REVIEW).columns[0] == "Core element"
    with pytest.raises(ValueError, match="language='de' is not supported; use one of: 'nl', 'en'"):
        kb.table(review=REVIEW, language="de")  # type: ignore[arg-type]
    table = kb.evidence_table(review=REVIEW)
    assert table.layout.title == f"Findings: {TITLE}"
    assert "Appelbaum et al., 2016" in set(table.references["in_text"])


def test_the_cli_writes_english_tables_and_prisma_and_dutch_when_asked(kb, tmp_path, capsys):
    assert main(["tables", str(OWN_EN), "--out", str(tmp_path / "en"), "--format", "md"]) == 0
    svg = (tmp_path / "en" / f"prisma-{REVIEW}.svg").read_text(encoding="utf-8")
    assert "Added by experts" in svg
    assert "Toegevoegd" not in svg
    out = tmp_path / "nl"
    assert main(["tables", str(OWN_EN), "--out", str(out), "--language", "nl"]) == 0
    assert "Kernelement" in (out / f"{REVIEW}.md").read_text(encoding="utf-8")
    assert "Toegevoegd door experts" in (out / f"prisma-{REVIEW}.svg").read_text(encoding="utf-8")


def test_one_row_group_per_element_when_two_frameworks_share_an_order(kb):
    table = kb.table(review=REVIEW)
    elements = table["Core element"].tolist()
    assert elements == [
        "Leader inclusiveness",
        "Leader inclusiveness",
        "Speaking up",
        "Team learning",
        "Team structure",
        "Team structure",
        "Communication",
    ]
    groups = [e for i, e in enumerate(elements) if i == 0 or elements[i - 1] != e]
    assert len(groups) == len(set(groups))


def test_findings_from_excel_give_the_same_tables_and_gaps(kb, own):
    ekb.write_findings(kb.findings, own / "findings.xlsx")
    (own / "findings.csv").unlink()
    excel = ekb.load(own)
    pd.testing.assert_frame_equal(excel.table(review=REVIEW), kb.table(review=REVIEW))
    pd.testing.assert_frame_equal(excel.gaps(), kb.gaps())
    pd.testing.assert_frame_equal(excel.gap_map(by="country"), kb.gap_map(by="country"))


# -- one truth about gaps ------------------------------------------------------------------------
def _report_gaps(kb) -> set[tuple[str, str]]:
    """The cells the report marks as gaps: no finding, and not outside the review's levels."""
    maps = report_data(kb)["maps"]
    found = set()
    for fw, m in maps.items():
        for element, cells in m["cells"].items():
            for review, ids in cells.items():
                if element != fw and not ids and review not in m["outside"][element]:
                    found.add((element, review))
    return found


@pytest.mark.parametrize("directory", [OWN_EN, None], ids=["own_en", "bundled"])
def test_the_report_and_gaps_agree_cell_for_cell(directory):
    kb = ekb.load(directory)
    gaps = kb.gaps()
    listed = {
        (e, r) for e, r in gaps.loc[gaps.gap_type == "empty_cell", ["element", "review"]].values
    }
    assert listed == _report_gaps(kb)
    cells = gap_cells(kb)
    assert listed == {
        (e, r)
        for e, r, s in cells[["element", "review", "state"]].values
        if s == "empty" and e not in set(cells["framework"])
    }
    # the gap map counts what the report's cells hold: the findings in the element or below it
    counts = kb.gap_map(rows="element")
    shared = cells[cells["element"].isin(counts.index) & cells["review"].isin(counts.columns)]
    assert len(shared) > 0
    for element, review, n in shared[["element", "review", "n_findings"]].values:
        assert counts.loc[element, review] == n, (element, review)


def test_a_core_element_reported_through_theme_findings_is_a_gap_not_outside(kb):
    # every tw finding sits on a theme; its element column names the core element, so the
    # review reports on tw's core elements and Mutual support (no themes, no findings) is a gap
    assert ("tw/mutual", REVIEW) in _report_gaps(kb)
    gaps = kb.gaps()
    row = gaps[(gaps.gap_type == "empty_cell") & (gaps.element == "tw/mutual")].iloc[0]
    assert (
        row["detail"] == f"{REVIEW} reports on core_element elements of tw but has no finding here"
    )
    cells = gap_cells(kb).set_index(["element", "review"])
    assert cells.loc[("tw/mutual", REVIEW), "state"] == "empty"
    assert cells.loc[("ps/leader", REVIEW), ["state", "n_findings"]].tolist() == ["evidence", 3]


# -- charting ----------------------------------------------------------------------------------
def test_studies_are_loaded_with_their_declared_fields(kb):
    assert kb.studies.columns.tolist() == [
        "reference",
        "design",
        "country",
        "setting",
        "sample_size",
        "year_published",
        "line",
    ]
    assert kb.studies["reference"].tolist() == [
        "appelbaum2016",
        "edmondson1999",
        "kim2020",
        "nembhard2006",
        "odonovan2020",
    ]
    assert "charting:   5 fields (charting.csv), 5 studies (studies.csv)" in kb.summary()


def test_gap_map_by_a_charting_field_counts_findings_per_value(kb):
    table = kb.gap_map(framework="ps", by="country")
    assert table.columns.tolist() == ["USA", "Ireland", "UK", "Netherlands", "South Korea"]
    assert table.loc["ps/leader"].tolist() == [2, 1, 0, 0, 0]
    assert table.loc["ps/voice"].tolist() == [2, 0, 0, 0, 0]
    assert table.loc["ps/outcomes"].tolist() == [0, 0, 0, 0, 0]
    by_setting = kb.gap_map(framework="tw", by="setting")  # a list field: one count per value
    assert by_setting.loc["tw/structure"].to_dict() == {
        "ICU": 1,
        "surgery": 1,
        "emergency": 0,
        "general ward": 1,
    }
    pd.testing.assert_frame_equal(kb.gap_map(cols="design"), kb.gap_map(by="design"))


def test_a_finding_without_a_charted_reference_is_counted_as_not_charted(own):
    studies = own / "studies.csv"
    studies.write_text("".join(line for line in studies.open() if not line.startswith("kim2020")))
    table = ekb.load(own).gap_map(framework="tw", by="design")
    assert table.loc["tw/communication", "(not charted)"] == 1
    assert table.loc["tw/structure", "(not charted)"] == 1


def test_evidence_where_keeps_the_findings_of_matching_studies(kb):
    found = kb.evidence("Leader inclusiveness", where={"country": "USA"})
    assert found["finding_id"].tolist() == ["ps-001", "ps-002"]
    icu_rct = kb.evidence("tw", where={"design": "RCT", "setting": "ICU"})
    assert icu_rct["finding_id"].tolist() == ["ps-007", "ps-009"]
    with pytest.raises(ekb.UnknownIdError, match=re.escape("'desing' is not a charting field")):
        kb.evidence("ps", where={"desing": "RCT"})
    with pytest.raises(ValueError, match=re.escape("'trial' is not a value of design")):
        kb.evidence("ps", where={"design": "trial"})


def test_a_table_per_charting_field_counts_sources_and_findings_per_value(kb):
    assert kb.table_names() == (
        REVIEW,
        "charting-design",
        "charting-country",
        "charting-setting",
        "charting-sample_size",
        "charting-year_published",
    )
    table = kb.table("charting-setting")
    assert table.columns.tolist() == [
        "setting",
        "Number of sources",
        "Number of findings",
        "Sources",
    ]
    assert table.values.tolist() == [
        [
            "ICU",
            "3",
            "5",
            "• Appelbaum et al., 2016\n• Kim et al., 2020\n• Nembhard & Edmondson, 2006",
        ],
        ["surgery", "1", "2", "• O'Donovan & McAuliffe, 2020"],
        ["emergency", "1", "2", "• Appelbaum et al., 2016"],
        ["general ward", "2", "4", "• Edmondson, 1999\n• O'Donovan & McAuliffe, 2020"],
    ]
    layout = ekb.table_layouts(kb)["charting-setting"]
    assert layout.title == "Charting of the sources: setting (hospital setting(s) studied)"
    assert len(layout.references) == 5


def test_slicing_a_knowledge_base_without_charting_says_how_to_add_it():
    with pytest.raises(ekb.EvidenceKBError, match="this knowledge base has no charting: add"):
        ekb.load(DATA_DIR / "own").gap_map(by="country")


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        pytest.param(
            "studies.csv",
            lambda t: t.replace("year_published\n", "year_published,funding\n", 1).replace(
                "1999\n", "1999,NIH\n"
            ),
            "studies.csv: line 1, column 'funding': column 'funding' is not declared in "
            "charting.csv; add a row 'field,type,values,description' for it there (declared: "
            "design, country, setting, sample_size, year_published)",
            id="undeclared_column",
        ),
        pytest.param(
            "studies.csv",
            lambda t: t.replace("qualitative,Ireland", "qualitativ,Ireland"),
            "studies.csv: line 4, column 'design': got 'qualitativ', expected one of: RCT, "
            "cohort, cross-sectional, qualitative, mixed methods (did you mean 'qualitative'?)",
            id="value_outside_category",
        ),
        pytest.param(
            "studies.csv",
            lambda t: t.replace("kim2020,", "kim2021,"),
            "studies.csv: line 6, column 'reference': 'kim2021' is not a reference key (did you "
            "mean 'kim2020'?); expected the key (or an alias) of a reference",
            id="unknown_reference",
        ),
        pytest.param(
            "studies.csv",
            lambda t: t.replace(",24,2020", ",about 24,2020"),
            "studies.csv: line 4, column 'sample_size': got 'about 24', expected a number",
            id="not_a_number",
        ),
        pytest.param(
            "charting.csv",
            lambda t: t.replace("sample_size,number", "sample_size,integer"),
            "charting.csv: line 5, column 'type': got 'integer', expected one of: text, number, "
            "year, category, list",
            id="unknown_type",
        ),
    ],
)
def test_charting_problems_name_file_line_and_column(own, file, edit, expected):
    path = own / file
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert expected in _errors(err)


def test_studies_without_a_charting_form_is_an_error(own):
    (own / "charting.csv").unlink()
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert any(
        e.startswith(f"charting.csv: {own / 'charting.csv'} does not exist: the columns of")
        for e in _errors(err)
    )


# -- validate: citations that match nothing or are ambiguous -------------------------------------
def test_validate_warns_of_unmatched_and_ambiguous_citations(own, capsys):
    findings = own / "findings.csv"
    findings.write_text(
        findings.read_text().replace(
            '"Kim et al., 2020",Table 5 row 1', '"Lee, 2018",Table 5 row 1'
        )
    )
    ris = own / "references.ris"
    record = ris.read_text().split("\n\n")[0]  # Edmondson 1999, exported twice
    ris.write_text(ris.read_text() + "\n" + record.replace("10.2307/2666999", "") + "\n")
    assert main(["validate", str(own)]) == 0
    out = capsys.readouterr().out
    assert "problems:   0 errors, 3 warnings" in out
    assert (
        "findings.csv: line 8, column 'citation': warning: citation 'Lee, 2018' matches no "
        "reference in references.ris: no reference by Lee (2018) in the bibliography"
    ) in out
    ambiguous = [line for line in out.splitlines() if "is ambiguous" in line]
    assert len(ambiguous) == 2  # ps-001 and ps-006 cite Edmondson, 1999
    assert f"`evidence-kb dedupe {own / 'references.ris'}` finds the duplicates" in ambiguous[0]
    assert main(["validate", str(own), "--strict"]) == 1
    assert "INVALID (--strict): 3 warning(s)" in capsys.readouterr().out


# -- the whole report ------------------------------------------------------------------------------
def test_the_report_opens_in_english_and_names_only_its_own_frameworks(kb, tmp_path):
    html = ekb.write_report(kb, tmp_path).read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "The links the sources make between Psychological safety climate and Teamwork" in html
    assert not [name for name in BUNDLED_NAMES if name in html]


# -- init ----------------------------------------------------------------------------------------
def test_init_writes_no_bundled_framework_unless_asked(tmp_path, capsys):
    target = tmp_path / "psych-safety"
    assert main(["init", str(target), "--language", "en", "--charting"]) == 0
    assert sorted(p.name for p in target.iterdir()) == [
        "charting.csv",
        "findings.csv",
        "frameworks.csv",
        "reviews.csv",
        "studies.csv",
    ]
    written = "".join(p.read_text(encoding="utf-8") for p in target.iterdir())
    assert not [name for name in (*BUNDLED_NAMES, "liso", "side", "paradigm") if name in written]
    kb = ekb.load(target)
    assert kb.elements.empty
    assert kb.reviews.loc[0, "language"] == "en"
    assert [f.name for f in kb.charting.fields][:3] == ["design", "country", "setting"]
    assert main(["validate", str(target)]) == 0


def test_init_copies_the_bundled_frameworks_asked_for_and_names_the_others(tmp_path):
    ekb.init(tmp_path / "a", frameworks=["tno-lo"])
    assert set(ekb.load(tmp_path / "a").elements["framework"]) == {"tno-lo"}
    with pytest.raises(ekb.InputError) as err:
        ekb.init(tmp_path / "b", frameworks=["lisso"])
    assert _errors(err) == [
        "frameworks.csv: column 'framework': 'lisso' is not a bundled framework (did you mean "
        "'liso'?); bundled: lc, liso, liso-2025, tno-lo"
    ]


def test_no_bundled_framework_name_in_any_output(kb, tmp_path):
    paths = ekb.write_tables(kb, tmp_path / "tables")
    paths += ekb.write_prisma(kb, tmp_path / "tables")
    paths += ekb.write_exports(kb, tmp_path / "export")
    paths.append(ekb.write_report(kb, tmp_path / "report"))
    kb.gaps().to_csv(tmp_path / "gaps.csv")
    paths.append(tmp_path / "gaps.csv")
    texts = {
        p.name: p.read_text(encoding="utf-8", errors="replace")
        for p in map(Path, paths)
        if p.suffix in (".md", ".html", ".tex", ".csv", ".svg", ".bib", ".ris", ".json", ".qdc")
    }
    assert len(texts) > 10
    found = {name: [w for w in BUNDLED_NAMES if w in text] for name, text in texts.items()}
    assert {name: words for name, words in found.items() if words} == {}
