"""The hints and small fixes a new user of an own review needs (issue 22, points 5-8).

Each test asserts the message a user sees. The knowledge base is a copy of
``tests/data/own_en`` (see its README) with one thing changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import evidence_kb as ekb
from evidence_kb.cli import main

from .conftest import DATA_DIR

OWN_EN = DATA_DIR / "own_en"
REVIEW = "psych-safety-2025"


@pytest.fixture
def own(tmp_path: Path) -> Path:
    target = tmp_path / "own_en"
    shutil.copytree(OWN_EN, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _errors(directory: Path) -> list[str]:
    with pytest.raises(ekb.InputError) as err:
        ekb.load(directory)
    return [str(p) for p in err.value.problem_list if p.severity == "error"]


# -- hints ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("barrier", "hindering"),
        ("positive", "promoting"),
        ("facilitator", "promoting"),
        ("bevorderend", "promoting"),
        ("Belemmerend", "hindering"),
    ],
)
def test_a_direction_word_names_the_direction_it_means(own, word, meant):
    _replace(own / "findings.csv", "factor,hindering,Leaders who", f"factor,{word},Leaders who")
    assert _errors(own) == [
        f"findings.csv: line 4, column 'direction': got {word!r}, expected one of: promoting, "
        f"hindering, or empty (did you mean {meant!r}? {word!r} reads as {meant})"
    ]


def test_a_label_used_as_an_element_id_names_the_id(own):
    _replace(
        own / "findings.csv",
        "ps-008,psych-safety-2025,tw/structure,",
        "ps-008,psych-safety-2025,Team Structure,",
    )
    assert (
        "findings.csv: line 9, column 'element': 'Team Structure' is not a framework element "
        "(did you mean 'tw/structure'? 'Team Structure' is its label; the element column takes "
        "the element id)" in _errors(own)
    )


def test_a_misspelt_label_used_as_a_theme_names_the_id_and_label(own):
    _replace(own / "findings.csv", "tw/structure,tw/structure/roles,", "tw/structure,Clear role,")
    assert _errors(own) == [
        "findings.csv: line 10, column 'theme': 'Clear role' is not a framework element (did you "
        "mean 'tw/structure/roles', labelled 'Clear roles'?)"
    ]


def test_a_semicolon_separated_csv_names_its_separator(own):
    text = (own / "findings.csv").read_text(encoding="utf-8")
    header, _, rest = text.partition("\n")
    (own / "findings.csv").write_text(header.replace(",", ";") + "\n" + rest, encoding="utf-8")
    (error,) = _errors(own)
    assert error.startswith("findings.csv: line 1: missing column(s) 'finding_id', 'review'")
    assert "(the header is separated by ';', not ','" in error
    assert "save it as 'CSV UTF-8 (comma delimited)'" in error


def test_a_cp1252_file_is_read_with_the_encoding_the_message_names(own, capsys):
    path = own / "findings.csv"
    text = path.read_text(encoding="utf-8").replace("rather than judge", "rather than judge – café")
    path.write_bytes(text.encode("cp1252"))
    (error,) = _errors(own)
    assert "pass encoding='cp1252' (ekb.load(path, encoding='cp1252')" in error
    assert "café" in ekb.load(own, encoding="cp1252").findings.loc[0, "statement"]
    assert main(["validate", str(own), "--encoding", "cp1252"]) == 0
    assert "OK: the knowledge base is valid." in capsys.readouterr().out


def test_an_alias_on_two_elements_is_a_warning_and_not_looked_up(own):
    _replace(
        own / "frameworks.csv", "Briefings and huddles,huddles,", "Briefings and huddles,coaching,"
    )
    kb = ekb.load(own)
    assert [str(p) for p in kb.problem_list] == [
        "frameworks.csv: line 16, column 'aliases': warning: alias 'coaching' is also an alias of "
        "'ps/leader/coaching': a lookup by this name cannot tell them apart (kb.element() refuses "
        "it); keep it on one element"
    ]
    with pytest.raises(ekb.UnknownIdError) as err:
        kb.element("coaching")
    assert str(err.value) == (
        "'coaching' is an alias of 2 elements: ps/leader/coaching, tw/communication/briefings; "
        "use an element id (and keep the alias on one element in frameworks.csv)"
    )
    assert kb.element("Team leader coaching").element_id == "ps/leader/coaching"


# -- defaults from the bundled data -----------------------------------------------------------------
def test_plots_default_to_the_knowledge_bases_own_framework():
    import matplotlib.pyplot as plt

    kb = ekb.load(OWN_EN)
    ax = ekb.plot_gap_map(kb)
    assert ax.get_title() == "Evidence gap map: ps x review"
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == [
        "Leader inclusiveness",
        "Speaking up",
    ]
    bars = ekb.plot_evidence_by_direction(kb)
    assert bars.get_xlabel() == "Number of findings"  # the review's language
    with pytest.raises(ekb.UnknownIdError) as err:
        ekb.plot_gap_map(kb, framework="liso")
    assert str(err.value) == "'liso' is not a framework; this knowledge base has: ps, tw"
    plt.close("all")


def test_an_evidence_table_shows_as_a_table_in_jupyter():
    table = ekb.load(OWN_EN).evidence_table(review=REVIEW)
    html = table._repr_html_()
    assert html.startswith('<div class="evidence-table">')
    assert "Core element</th>" in html
    assert "Findings: Psychological safety in hospital teams: a scoping review" in html
    assert "Blame-free incident reporting increased error reports." in html  # not cut short
    assert "Edmondson, A. C. (1999)" in html  # the reference list below the table
    assert "<body" not in html
    assert "body {" not in html


# -- small ones ------------------------------------------------------------------------------------
def test_findings_xlsx_gets_the_usual_file_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        ekb.init(tmp_path / "kb", excel=True)
        ekb.write_exports(ekb.load(OWN_EN), tmp_path / "export", formats=["xlsx"])
    finally:
        os.umask(umask)
    assert (tmp_path / "kb" / "findings.xlsx").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "export" / "findings.xlsx").stat().st_mode & 0o777 == 0o644


def test_a_merged_duplicate_keeps_the_fuller_author_name(tmp_path):
    record = (
        "TY  - JOUR\nAU  - {author}\nTI  - Psychological safety and learning behavior in work "
        "teams\nT2  - Administrative Science Quarterly\nPY  - 1999\n{extra}ER  - \n"
    )
    path = tmp_path / "export.ris"
    path.write_text(
        record.format(author="Edmondson, Amy", extra="")
        + "\n"
        + record.format(author="Edmondson, Amy C.", extra="VL  - 44\n"),
        encoding="utf-8",
    )
    refs = ekb.read_references(path)
    ekb.to_bibtex(
        refs, tmp_path / "references.bib", duplicates=ekb.find_duplicates(refs, id_column="id")
    )
    (merged,) = ekb.read_bibtex(tmp_path / "references.bib").records
    assert merged.authors == ("Edmondson, Amy C.",)
    assert merged.volume == "44"


def test_the_ris_export_has_no_numbering_line(tmp_path):
    ekb.write_exports(ekb.load(OWN_EN), tmp_path, formats=["ris"])
    lines = (tmp_path / "references.ris").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "TY  - JOUR"
    assert not [line for line in lines if line.rstrip(".").isdigit()]
    assert len(ekb.read_references(tmp_path / "references.ris")) == 5


def test_cli_gap_map_shows_the_element_names(capsys):
    assert main(["gap-map", "--data-dir", str(OWN_EN), "--framework", "ps", "--by", "country"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["element", "USA", "Ireland", "UK", "Netherlands", "South", "Korea"]
    assert lines[1].split() == ["ps/leader", "2", "1", "0", "0", "0"]


def test_a_command_piped_into_head_ends_quietly():
    command = [sys.executable, "-m", "evidence_kb", "citations", "--all", "--format", "json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stdout.read(10)  # then stop reading, as `head -c 10` does
        process.stdout.close()
        _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err
    assert b"BrokenPipeError" not in err


def test_the_terminal_shows_no_python_only_hint(own, capsys):
    _replace(own / "findings.csv", "factor,hindering,Leaders who", "factor,barrier,Leaders who")
    assert main(["tables", str(own), "--out", str(own / "out")]) == 1
    err = capsys.readouterr().err
    assert "column 'direction': got 'barrier'" in err
    assert "err.problems" not in err


def test_cli_evidence_where_filters_by_a_charting_field(capsys):
    args = ["evidence", "tw", "--data-dir", str(OWN_EN), "--format", "csv"]
    assert main([*args, "--where", "design=RCT", "--where", "setting=ICU"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["ps-007", "ps-009"]
    assert main([*args, "--where", "design=trial"]) == 1
    assert capsys.readouterr().err == (
        "error: where={'design': 'trial'}: 'trial' is not a value of design; values: RCT, "
        "cohort, cross-sectional, qualitative, mixed methods\n"
    )


def test_the_charting_files_are_read_in_the_encoding_given_like_every_table(own):
    """studies.csv and charting.csv (ASCII elsewhere) saved by Excel in Windows-1252."""
    _replace(own / "charting.csv", "South Korea", "South Korea;Curaçao")
    _replace(
        own / "studies.csv",
        "edmondson1999,cross-sectional,USA",
        "edmondson1999,cross-sectional,Curaçao",
    )
    for name in ("charting.csv", "studies.csv"):
        path = own / name
        path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    kb = ekb.load(own, encoding="cp1252")
    studies = kb.studies.set_index("reference")
    assert studies.at["edmondson1999", "country"] == "Curaçao"
