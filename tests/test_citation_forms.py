"""The forms of an in-text citation: each resolves to the right year's work or is reported.

The bibliography here is made up so that every form has a wrong answer close by: Kallio has a
2015 and a 2018 work, Tee a 2021 and a 2022 work, Smith a 2019 and a 2020 work, and Jansen one
undated work beside a dated one.
"""

from __future__ import annotations

import shutil

import pytest

import evidence_kb as ekb
from evidence_kb.citations.resolve import CitationIndex
from evidence_kb.model.records import Reference

from .conftest import DATA_DIR


def _ref(key: str, authors: tuple[str, ...], year: int | None) -> Reference:
    return Reference(key=key, entry_type="article", authors=authors, year=year, title=key)


REFERENCES = [
    _ref("kallio2015", ("Kallio, Hanna", "Lappalainen, Kirsi"), 2015),
    _ref("kallio2018", ("Kallio, Hanna",), 2018),
    _ref("tee2021", ("Tee, Meng", "Cham, Tat", "Low, Mei", "Lau, Ai"), 2021),
    _ref("tee2022", ("Tee, Meng", "Cham, Tat", "Low, Mei"), 2022),
    _ref("smith2019", ("Smith, Jane",), 2019),
    _ref("smith2020", ("Smith, Jane",), 2020),
    _ref("jansen-nd", ("Jansen, Anna",), None),
    _ref("jansen2019", ("Jansen, Anna",), 2019),
]


@pytest.fixture(scope="module")
def index() -> CitationIndex:
    return CitationIndex(REFERENCES)


def _outcome(index: CitationIndex, text: str) -> list[tuple[str | None, str]]:
    return [(r.key, r.status) for r in index.resolve(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Kallio & Lappalainen, 2015", [("kallio2015", "resolved")], id="parenthetical"
        ),
        pytest.param(
            "Kallio en Lappalainen (2015)", [("kallio2015", "resolved")], id="narrative-en"
        ),
        pytest.param("Kallio (2018)", [("kallio2018", "resolved")], id="narrative-single"),
        pytest.param("Tee et al. (2021)", [("tee2021", "resolved")], id="narrative-et-al-2021"),
        pytest.param("Tee et al. (2022)", [("tee2022", "resolved")], id="narrative-et-al-2022"),
        pytest.param("Tee e.a. (2022, p. 4)", [("tee2022", "resolved")], id="narrative-page"),
        pytest.param(
            "Kallio en Lappalainen (2015) en Tee et al. (2021)",
            [("kallio2015", "resolved"), ("tee2021", "resolved")],
            id="two-narrative",
        ),
        pytest.param(
            "Smith, 2019, 2020",
            [("smith2019", "resolved"), ("smith2020", "resolved")],
            id="year-list",
        ),
        pytest.param(
            "Smith (2019, 2020)",
            [("smith2019", "resolved"), ("smith2020", "resolved")],
            id="year-list-narrative",
        ),
        pytest.param(
            "Smith, 2019; 2020",
            [("smith2019", "resolved"), ("smith2020", "resolved")],
            id="year-list-semicolon",
        ),
        pytest.param("Jansen, n.d.", [("jansen-nd", "resolved")], id="n.d."),
        pytest.param("Jansen (z.d.)", [("jansen-nd", "resolved")], id="z.d.-narrative"),
        pytest.param("Jansen, 2019", [("jansen2019", "resolved")], id="dated-beside-undated"),
        pytest.param("Smith, n.d.", [(None, "unresolved")], id="n.d.-without-undated-work"),
        pytest.param("Smith", [(None, "unresolved")], id="no-year"),
        pytest.param("Kallio et al.", [(None, "unresolved")], id="no-year-et-al"),
        pytest.param(
            "Smith, 2019; Jansen; Tee et al., 2021",
            [("smith2019", "resolved"), (None, "unresolved"), ("tee2021", "resolved")],
            id="no-year-between-two",
        ),
        pytest.param("(2019)", [(None, "unresolved")], id="no-author"),
    ],
)
def test_each_form_resolves_to_the_right_years_work(index, text, expected):
    assert _outcome(index, text) == expected


def test_a_year_one_off_is_corrected_with_a_note_never_silently(index):
    [resolution] = index.resolve("Kallio en Lappalainen (2016)")
    assert (resolution.key, resolution.status) == ("kallio2015", "corrected")
    assert resolution.notes == ("year printed 2016, reference has 2015",)


def test_a_narrative_citation_is_never_read_as_a_citation_without_year(index):
    [citation] = ekb.parse_citations("Kallio en Lappalainen (2015)")
    assert (citation.authors, citation.year, citation.undated) == (
        ("Kallio", "Lappalainen"),
        2015,
        False,
    )
    assert citation.text == "Kallio en Lappalainen (2015)"


def test_no_year_names_the_works_that_could_be_meant(index):
    [resolution] = index.resolve("Smith")
    assert resolution.notes == (
        "the citation has no year: expected 'Smith, 2021' or 'Smith, n.d.'; "
        "works by Smith: smith2019 (2019), smith2020 (2020)",
    )


def test_undated_resolves_only_to_undated_works(index):
    [resolution] = index.resolve("Smith, n.d.")
    assert resolution.notes == (
        "no undated reference by Smith in the bibliography; "
        "dated works by Smith: smith2019 (2019), smith2020 (2020)",
    )
    [citation] = ekb.parse_citations("Smith, z.d.")
    assert (citation.year, citation.undated, str(citation)) == (None, True, "Smith, n.d.")


def test_year_suffix_letters_after_one_year():
    citations = ekb.parse_citations("Schruijer, 2021a, b")
    assert [(c.year, c.year_suffix) for c in citations] == [(2021, "a"), (2021, "b")]


def test_a_long_cell_gives_every_citation():
    cell = "; ".join(f"Author{i:04d}, {1900 + i % 120}" for i in range(5000))
    citations = ekb.parse_citations(cell)
    assert len(citations) == 5000
    assert (citations[4321].authors, citations[4321].year) == (("Author4321",), 1900 + 4321 % 120)


# -- in a knowledge base: the warning names the file, the line and the cell ------------------------
def test_a_citation_without_year_is_kept_and_reported_at_load(tmp_path):
    own = tmp_path / "own"
    shutil.copytree(DATA_DIR / "own", own)
    findings = own / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    text = text.replace('"Smith, 2020",', '"Smith (2020); Jansen en de Vries",', 1)
    findings.write_text(text, encoding="utf-8")

    kb = ekb.load(own)
    rows = kb.citations[kb.citations["finding_id"] == "jz-001"]
    assert list(rows["citation"]) == ["Smith (2020)", "Jansen en de Vries"]
    assert list(rows["status"]) == ["resolved", "unresolved"]
    assert list(rows["key"].fillna("")) == ["smith2020", ""]
    assert kb.findings.set_index("finding_id").loc["jz-001", "reference_keys"] == "smith2020"
    [warning] = [p for p in kb.problem_list if p.column == "citation"]
    assert str(warning) == (
        "findings.csv: line 2, column 'citation': warning: citation 'Jansen en de Vries' has no "
        "year; expected e.g. 'Jansen, 2021', or 'Jansen, n.d.' for an undated work: it is left "
        "unresolved"
    )
    assert warning.value == "Smith (2020); Jansen en de Vries"
