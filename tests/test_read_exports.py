"""Reading search exports: BibTeX quirks, format detection, field mapping, strict mode."""

from __future__ import annotations

import pytest

import evidence_kb as ekb
from evidence_kb.io.bibtex import clean_year, parse_bibtex
from evidence_kb.io.kbdir import references_from_frame


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- BibTeX ---------------------------------------------------------------------------------


def test_percent_inside_a_value_is_text():
    refs, _ = parse_bibtex(
        "@article{a, author={Doe, J.}, year=2019,\n"
        '  title={50% of {T}his}, note = "x % y"}\n'
        "% a real comment {\n"
    )
    assert (refs[0].title, refs[0].note) == ("50% of This", "x % y")


def test_braced_corporate_author_is_one_author():
    refs, _ = parse_bibtex(
        "@article{a, author={{Food and Agriculture Organization} and Smith, John},"
        " year=2019, title={T}}\n"
        "@article{b, author={{World Health Organization}}, year=2019, title={T}}\n"
    )
    assert refs[0].authors == ("Food and Agriculture Organization", "Smith, John")
    assert refs[1].authors == ("World Health Organization",)


def test_corporate_author_survives_read_references(tmp_path):
    path = _write(
        tmp_path,
        "c.bib",
        "@article{a, author={{Food and Agriculture Organization} and Smith, John},"
        " year=2019, title={T}}\n",
    )
    refs = ekb.read_references(path)
    assert refs.loc[0, "authors"] == "{Food and Agriculture Organization} and Smith, John"
    kb_refs, _ = references_from_frame(refs, file_name="c.bib")
    assert kb_refs[0].authors == ("Food and Agriculture Organization", "Smith, John")


def test_string_concatenation_is_expanded():
    refs, problems = parse_bibtex(
        '@string{j1 = "Journal of "}\n@string{j2 = {Things}}\n@string{j3 = j1 # j2}\n'
        '@article{a, author={Doe, J.}, year=2019, title={T}, journal = j1 # j2 # " Today",'
        " publisher = j3, month = jan # {~1}}\n"
    )
    assert refs[0].container == "Journal of Things Today"
    assert refs[0].publisher == "Journal of Things"
    assert problems == []


def test_biblatex_date_gives_the_year():
    refs, problems = parse_bibtex("@article{a, author={Doe, J.}, date={2020-05-01}, title={T}}")
    assert refs[0].year == 2020
    assert problems == []


@pytest.mark.parametrize(
    ("text", "year", "suffix", "severity"),
    [
        pytest.param("2019", 2019, "", None, id="plain"),
        pytest.param("2019a", 2019, "a", None, id="letter"),
        pytest.param("[2019]", 2019, "", "warning", id="brackets"),
        pytest.param("2019²", 2019, "", "warning", id="superscript"),
        pytest.param("2019*", 2019, "", "warning", id="asterisk"),
        pytest.param("2019-05", 2019, "", None, id="date"),
        pytest.param("²⁰¹⁹", None, "", "error", id="all-superscript"),
        pytest.param("twothousand", None, "", "error", id="words"),
    ],
)
def test_years_with_stray_marks(text, year, suffix, severity):
    refs, problems = parse_bibtex(
        f"@article{{a, author={{Doe, J.}}, year={{{text}}}, title={{T}}}}"
    )
    assert (refs[0].year, refs[0].year_suffix) == (year, suffix)
    year_problems = [p for p in problems if p.value == text]
    assert [p.severity for p in year_problems] == ([severity] if severity else [])
    if severity:
        assert text in year_problems[0].message
        assert year_problems[0].line == 1
    assert clean_year(text)[0] == year


def test_duplicate_keys_are_reported_not_dropped(tmp_path):
    path = _write(
        tmp_path,
        "dup.bib",
        "@article{a, author={Doe, J.}, year=2019, title={First}}\n"
        "@article{a, author={Roe, R.}, year=2020, title={Second}}\n",
    )
    refs = ekb.read_references(path)
    assert list(refs["title"]) == ["First", "Second"]
    assert list(refs["line"]) == [1, 2]
    [problem] = refs.attrs["problems"]
    assert (problem.line, problem.severity) == (2, "warning")
    assert "duplicate key 'a'" in problem.message
    # in a knowledge base a duplicate key stays an error
    _, problems = parse_bibtex(path.read_text())
    assert [p.severity for p in problems] == ["error"]
