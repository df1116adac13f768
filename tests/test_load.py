"""Loading and validating a knowledge base: the good case and one bad file per kind of problem."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main


def test_mini_kb_loads_every_record(mini_kb):
    assert len(mini_kb.findings) == 10
    assert len(mini_kb.references) == 5
    assert len(mini_kb.elements) == 8
    assert list(mini_kb.reviews["review_id"]) == ["pps-2023", "werk-inkomen-2023"]
    assert mini_kb.errors == []


def test_findings_keep_multiline_statements_and_lists(mini_kb):
    row = mini_kb.findings.set_index("finding_id").loc["wi-002"]
    assert row["statement"].splitlines() == [
        "Randvoorwaarden op het niveau van processen zijn belangrijk:",
        "- Zorg voor heldere rollen",
        "- Zorg voor voldoende tijd",
    ]
    assert (
        mini_kb.findings.set_index("finding_id").loc["wi-001", "reference_keys"]
        == "kallio2015;camps2011a"
    )


def test_dutch_characters_survive(mini_kb):
    statement = mini_kb.findings.set_index("finding_id").loc["lolnw-002", "statement"]
    assert "(€ ë ï)" in statement


def test_repr_summarises(mini_kb):
    assert repr(mini_kb) == (
        "<KnowledgeBase: 2 reviews, 10 findings, 5 references, 8 elements, 0 errors, 0 warnings>"
    )


def test_records_are_pydantic_models(mini_kb):
    finding = next(f for f in mini_kb.finding_records if f.finding_id == "pps-002")
    assert finding.direction is ekb.Direction.HINDERING
    assert ekb.Finding.model_validate(finding.model_dump()) == finding


def test_element_lookup_by_id_label_and_alias(mini_kb):
    assert mini_kb.element("Resultaten").element_id == "liso/opbrengsten"
    assert mini_kb.element("synergy").element_id == "liso/synergie"
    assert mini_kb.element("liso/organisatie").label_nl == "Organisatie"
    with pytest.raises(ekb.UnknownIdError, match="did you mean"):
        mini_kb.element("Synergi")


BAD_CASES = [
    pytest.param(
        "findings--unknown_element.csv",
        "findings.csv: line 6, column 'element': 'liso/synergy' is not a framework element "
        "(did you mean 'liso/synergie'?)",
        id="unknown_element",
    ),
    pytest.param(
        "findings--unknown_theme.csv",
        "findings.csv: line 6, column 'theme': 'liso/synergie/samenwerkin' is not a framework "
        "element (did you mean 'liso/synergie/samenwerking'?)",
        id="unknown_theme",
    ),
    pytest.param(
        "findings--unknown_review.csv",
        "findings.csv: line 6, column 'review': 'werk-inkomen-2032' is not a review in reviews.csv "
        "(did you mean 'werk-inkomen-2023'?)",
        id="unknown_review",
    ),
    pytest.param(
        "findings--bad_kind.csv",
        "findings.csv: line 6, column 'kind': got 'working-elemnt', expected one of: factor, "
        "working_element, outcome, condition, risk, overlap, difference, relationship, advice, "
        "no_evidence (did you mean 'working_element'?)",
        id="bad_kind",
    ),
    pytest.param(
        "findings--bad_direction.csv",
        "findings.csv: line 6, column 'direction': got 'postive', expected one of: promoting, "
        "hindering, or empty",
        id="bad_direction",
    ),
    pytest.param(
        "findings--empty_statement.csv",
        "findings.csv: line 6, column 'statement': is empty; expected text",
        id="empty_statement",
    ),
    pytest.param(
        "findings--duplicate_id.csv",
        "findings.csv: line 6, column 'finding_id': duplicate finding_id 'wi-001': already used on line 2",
        id="duplicate_id",
    ),
    pytest.param(
        "findings--unknown_reference_key.csv",
        "findings.csv: line 6, column 'reference_keys': 'tosun2071' is not in references.bib "
        "(did you mean 'tosun2017'?)",
        id="unknown_reference_key",
    ),
    pytest.param(
        "findings--bad_source.csv",
        "findings.csv: line 6, column 'source': got 'Tabel 1', expected '<seed> <table or "
        "section>, line <n>[, item <k>]' (e.g. '001 Tabel 1, line 97, item 2'): review "
        "'werk-inkomen-2023' names its seed document 001 in reviews.csv",
        id="bad_source",
    ),
    pytest.param(
        "findings--wrong_cell_count.csv",
        "findings.csv: line 6: expected 14 cells (as in the header), found 15",
        id="wrong_cell_count",
    ),
    pytest.param(
        "findings--unbalanced_quote.csv",
        "findings.csv: line 6: ',' expected after '\"': check for a quote (\") that is opened but never closed",
        id="unbalanced_quote",
    ),
    pytest.param(
        "findings--missing_column.csv",
        "findings.csv: line 1: missing column(s) 'statement'",
        id="missing_column",
    ),
    pytest.param(
        "findings--cp1252.csv",
        "findings.csv: line 12: byte 0x80 is not valid UTF-8: it looks like Windows-1252",
        id="cp1252",
    ),
    pytest.param(
        "frameworks--unknown_parent.csv",
        "frameworks.csv: line 6, column 'parent': parent 'liso/synergi' is not an element_id in "
        "this file (did you mean 'liso/synergie'?)",
        id="unknown_parent",
    ),
    pytest.param(
        "reviews--duplicate_review.csv",
        "reviews.csv: line 3, column 'review_id': duplicate review_id 'werk-inkomen-2023': already used on line 2",
        id="duplicate_review",
    ),
    pytest.param(
        "references--duplicate_key.bib",
        "references.bib: line 21, column 'key': duplicate key 'tosun2017'",
        id="duplicate_bibtex_key",
    ),
    pytest.param(
        "references--broken_entry.bib",
        "references.bib: line 21: broken BibTeX entry '@article{kallio2015,'",
        id="broken_bibtex_entry",
    ),
]


@pytest.mark.parametrize(("bad_name", "expected"), BAD_CASES)
def test_bad_file_is_reported_with_file_line_and_fix(broken_kb, bad_name, expected):
    kb_dir = broken_kb(bad_name)
    with pytest.raises(ekb.InputError) as err:
        ekb.load(kb_dir)
    assert expected in str(err.value), str(err.value)
    assert isinstance(err.value, ValueError)
    assert not err.value.problems.empty


def test_every_problem_is_reported_not_just_the_first(broken_kb):
    with pytest.raises(ekb.InputError) as err:
        ekb.load(broken_kb("findings--several_problems.csv"))
    problems = err.value.problems
    assert list(zip(problems["line"], problems["column"], strict=True)) == [
        (6, "element"),
        (9, "direction"),
    ]
    assert "2 error(s)" in str(err.value)


def test_non_strict_load_keeps_good_rows_and_reports_bad_ones(broken_kb):
    kb = ekb.load(broken_kb("findings--several_problems.csv"), strict=False)
    assert len(kb.findings) == 8
    assert "wi-003" not in set(kb.findings["finding_id"])
    assert len(kb.errors) == 2
    assert isinstance(kb.problems, pd.DataFrame)


def test_broken_bibtex_entry_does_not_hide_the_others(broken_kb):
    kb = ekb.load(broken_kb("references--broken_entry.bib"), strict=False)
    assert {"tosun2017", "camps2011a", "tee2021", "butterfoss2007"} <= set(kb.references["key"])


def test_alias_key_is_a_warning_naming_the_main_key(broken_kb):
    kb = ekb.load(broken_kb("findings--alias_reference_key.csv"))
    [warning] = [p for p in kb.problem_list if p.severity == "warning"]
    assert warning.message == "'camps2011b' is an alias; use the main key 'camps2011a'"


def test_utf8_with_bom_and_windows_line_ends_loads_the_same(broken_kb, mini_kb):
    kb = ekb.load(broken_kb("findings--utf8_bom_crlf.csv"))
    pd.testing.assert_frame_equal(kb.findings, mini_kb.findings)


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ekb.InputError, match="is not a directory"):
        ekb.load(tmp_path / "nope")


def test_bundled_knowledge_base_is_valid():
    kb = ekb.load()
    assert kb.errors == []
    assert len(kb.findings) > 0


def test_cli_validate_points_at_the_broken_row(broken_kb, capsys):
    code = main(["validate", str(broken_kb("findings--unknown_element.csv"))])
    out = capsys.readouterr().out
    assert code == 1
    assert "findings.csv: line 6, column 'element'" in out
    assert "INVALID: 1 error(s)" in out


def test_cli_validate_bundled_passes(capsys):
    assert main(["validate"]) == 0
    assert "OK: the knowledge base is valid." in capsys.readouterr().out


def test_load_works_from_any_working_directory(tmp_path):
    code = "import evidence_kb as ekb; kb = ekb.load(); print(len(kb.findings) > 0)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.stdout.strip() == "True", result.stderr


def test_import_is_lazy():
    code = "import sys, evidence_kb; print('pandas' in sys.modules, 'networkx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False False", result.stderr


def test_error_message_lists_problems_and_how_to_see_all(broken_kb):
    with pytest.raises(ekb.InputError) as err:
        ekb.load(broken_kb("findings--bad_direction.csv"))
    assert re.search(r"All problems: err\.problems", str(err.value))


def test_notebook_display_lists_reviews_and_escapes_text(mini_kb):
    html = mini_kb._repr_html_()
    assert "<b>werk-inkomen-2023</b>" in html
    assert "Werk &amp; Inkomen" in html  # the title's & is escaped
    assert "5 references" in html


def test_duplicates_display_shows_summary_and_pairs():
    records = pd.DataFrame(
        {
            "ID": ["a", "b"],
            "title": ["A <b>study</b> of x in y"] * 2,
            "doi": ["10.1000/x", "10.1000/X"],
        }
    )
    html = ekb.find_duplicates(records)._repr_html_()
    assert "1 groups of duplicates" in html
    assert "<td>score</td>" in html


def test_the_findings_view_holds_what_model_dump_gives():
    """kb.findings is made by column; its cells are those of each record's JSON dump."""
    kb = ekb.load()
    frame = kb.findings.set_index("finding_id")
    for record in kb.finding_records:
        dumped = record.model_dump(mode="json")
        row = frame.loc[record.finding_id]
        for column in ("kind", "direction", "side", "statement", "reference_keys"):
            value = dumped[column]
            value = ";".join(value) if isinstance(value, list) else value
            assert (pd.isna(row[column]) and value is None) or row[column] == value, column
