"""In-text citations, reference lists, the bundled bibliography and the reference readers."""

from __future__ import annotations

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.citations.bibliography import build_bibliography
from evidence_kb.io.bibtex import format_bibtex, parse_bibtex

from .conftest import DATA_DIR

REPO_DATA = DATA_DIR.parents[1] / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Kallio & Lappalaine, 2015", ["Kallio & Lappalaine, 2015"], id="ampersand"),
        pytest.param("Tee ea, 2021", ["Tee et al., 2021"], id="ea"),
        pytest.param("Pannebakker e.a., 2021", ["Pannebakker et al., 2021"], id="e.a."),
        pytest.param("Klein et al., 2021;", ["Klein et al., 2021"], id="et-al-trailing-semicolon"),
        pytest.param("Kegler en Swan, 2011", ["Kegler & Swan, 2011"], id="en"),
        pytest.param("Kegler and Swan, 2011", ["Kegler & Swan, 2011"], id="and"),
        pytest.param(
            "Kearney ea, 2012 Tosun, 2017 Camps & Torres, 2011",
            ["Kearney et al., 2012", "Tosun, 2017", "Camps & Torres, 2011"],
            id="no-separator",
        ),
        pytest.param("Koopmans et al., 2023a", ["Koopmans et al., 2023a"], id="year-suffix"),
        pytest.param("Wenger, 2000, 2005", ["Wenger, 2000", "Wenger, 2005"], id="year-list"),
        pytest.param("naar: Hord, 1997", ["Hord, 1997"], id="naar"),
        pytest.param("zie ook Tosun, 2017", ["Tosun, 2017"], id="zie-ook"),
        pytest.param("zie bijvoorbeeld Tosun, 2017", ["Tosun, 2017"], id="zie-bijvoorbeeld"),
        pytest.param("Mennens e.a.", ["Mennens et al., no year"], id="missing-year"),
        pytest.param("Mennens, z.d.", ["Mennens, n.d."], id="undated"),
        pytest.param("Tee, Cham, Low, & Lau 2021", ["Tee et al., 2021"], id="no-comma-before-year"),
        pytest.param("4,12,15 3,5", ["[4]", "[12]", "[15]", "[3]", "[5]"], id="superscripts"),
        pytest.param("", [], id="empty"),
    ],
)
def test_parse_citations(text, expected):
    assert [str(c) for c in ekb.parse_citations(text)] == expected


def test_parse_citations_keeps_prefix_and_authors():
    [citation] = ekb.parse_citations("zie ook Marsick, Bitterman & Van der Veen, 2000")
    assert citation.prefix == "zie ook"
    assert citation.authors == ("Marsick", "Bitterman", "Van der Veen")


@pytest.fixture(scope="module")
def bundled():
    return ekb.load()


LABELLED = pd.read_csv(DATA_DIR / "citations_labelled.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("row", LABELLED.to_dict("records"), ids=list(LABELLED["citation"]))
def test_labelled_citations_resolve_right(bundled, row):
    result = bundled.resolve(row["citation"], review=row["review"] or None)
    keys = [k for k in result["key"] if isinstance(k, str)]
    expected = [k for k in row["expected_keys"].split(";") if k]
    assert keys == expected, result.to_string()
    statuses = set(result["status"])
    worst = next(s for s in ("unresolved", "ambiguous", "corrected", "resolved") if s in statuses)
    assert worst == row["expected_status"], result.to_string()


def test_resolution_explains_corrections(bundled):
    [row] = bundled.resolve("Kallio & Lappalaine, 2015").to_dict("records")
    assert row["notes"] == "author printed 'Lappalaine', reference has 'Lappalainen'"
    [row] = bundled.resolve("Pannebakker & Wildeman, 2022").to_dict("records")
    assert row["notes"].startswith("ambiguous between pannebakker2021, pannebakker2023")


def test_every_bundled_citation_is_resolved_or_reported(bundled):
    table = bundled.citations
    assert set(table["status"]) <= {"resolved", "corrected", "ambiguous", "unresolved"}
    reported = table[table["status"] != "resolved"]
    assert (reported["notes"].str.len() > 0).all()
    # every finding with a citation has its reference keys filled from the resolution
    findings = bundled.findings.set_index("finding_id")
    for finding_id, group in table[table["key"].notna()].groupby("finding_id"):
        assert set(findings.loc[finding_id, "reference_keys"].split(";")) == set(group["key"])


def test_superscripts_of_pps_resolve_through_the_numbered_list(bundled):
    findings = bundled.findings.set_index("finding_id")
    pps_with_citation = findings[(findings["review"] == "pps-2023") & (findings["citation"] != "")]
    assert (pps_with_citation["reference_keys"] != "").all()


# -- bibliography ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bibliography():
    return build_bibliography(REPO_DATA / "sources")


def test_references_bib_is_reproducible_from_the_printed_lists(bibliography):
    from evidence_kb.citations.bibliography import BIB_HEADER

    expected = (REPO_DATA / "references.bib").read_text(encoding="utf-8")
    assert format_bibtex(bibliography.references, header=BIB_HEADER) == expected


def test_duplicates_in_printed_lists_become_one_entry_with_aliases(bibliography):
    refs = {r.key: r for r in bibliography.references}
    # the same paper printed twice as 2011a and 2011b (003 lines 44 and 46)
    assert refs["campsrodriguez2011"].source.count("line") == 2
    assert refs["wenger2000"].ids[:2] == ("wenger2000a", "wenger2000b")
    # the same work in two lists (003 and 000)
    assert "000 LO vs LNW 2026 Referenties, line 178" in refs["butterfoss2007"].source
    assert (
        "003 LISO Onderbouwing en bronnen (reference list), line 36"
        in refs["butterfoss2007"].source
    )


def test_different_works_that_look_alike_stay_apart(bibliography):
    keys = {r.key for r in bibliography.references}
    assert {"keglersteckler1998factors", "keglersteckler1998multiple"} <= keys  # same authors, year
    assert {"koopmans2023a", "koopmans2023b"} <= keys
    assert {"tee2021", "tee2022"} <= keys
    assert {"campsrodriguez2011", "campstorres2011"} <= keys


def test_every_printed_entry_ends_up_in_the_bibliography(bibliography):
    printed = bibliography.printed
    assert printed["key"].notna().all()
    aliases = {alias for r in bibliography.references for alias in r.ids}
    assert {f"werk-inkomen-2023-{n}" for n in range(1, 7)} <= aliases
    assert {f"pps-2023-{n}" for n in range(1, 18)} <= aliases


def test_bibtex_round_trip(bibliography):
    refs, problems = parse_bibtex(format_bibtex(bibliography.references))
    assert tuple(refs) == bibliography.references
    assert [p.severity for p in problems] == ["warning", "warning"]  # two entries without a year


# -- reference readers ----------------------------------------------------------------------

REFS = DATA_DIR / "refs"


@pytest.mark.parametrize(
    ("name", "n", "first"),
    [
        pytest.param(
            "sample.bib", 2, ("Kallio, Kirsi and Lappalainen, Inka", "2015", 1), id="bibtex"
        ),
        pytest.param(
            "endnote.ris", 2, ("Kallio, K. and Lappalainen, I.", "2015", 4), id="ris-bom-crlf"
        ),
        pytest.param(
            "zotero.json", 2, ("Kallio, Kirsi and Lappalainen, Inka", "2015", None), id="csl-json"
        ),
        pytest.param("scopus.csv", 2, ("Kallio K. and Lappalainen I.", "2015", 2), id="scopus"),
        pytest.param("plain.csv", 2, ("Zhai, Q. J. and Yue, X. Y.", "2010", 2), id="plain-csv"),
        pytest.param("list.txt", 3, ("Kallio, K. and Lappalainen, I.", "2015", 1), id="apa-text"),
    ],
)
def test_read_references(name, n, first):
    refs = ekb.read_references(REFS / name)
    assert len(refs) == n
    row = refs.iloc[0]
    line = None if pd.isna(row["line"]) else int(row["line"])
    assert (row["authors"], row["year"], line) == first
    assert row["raw"]


def test_ris_stray_lines_are_warnings():
    refs = ekb.read_references(REFS / "endnote.ris")
    assert [p.line for p in refs.problems] == [1, 2]
    assert refs.iloc[0]["pages"] == "505-529"


def test_truncated_ris_is_an_error_naming_the_record():
    with pytest.raises(
        ekb.InputError, match=r"truncated.ris: line 7: record has no 'ER  -' end tag"
    ):
        ekb.read_references(REFS / "truncated.ris")
    refs = ekb.read_references(REFS / "truncated.ris", strict=False)
    assert list(refs["title"]) == [
        "The role of organisational career management",
        "Coalitions and partnerships in comm",
    ]


def test_csl_json_wrong_types_are_reported_and_the_rest_loads():
    with pytest.raises(ekb.InputError) as err:
        ekb.read_references(REFS / "wrong_types.json")
    assert "item 2 (bad2021): 'author' must be a list" in str(err.value)
    assert "item 3 (bad2022): 'issued' must be an object" in str(err.value)
    assert list(ekb.read_references(REFS / "wrong_types.json", strict=False)["id"]) == ["ok2020"]


def test_read_references_feeds_find_duplicates():
    refs = ekb.read_references(REFS / "plain.csv")
    dupes = ekb.find_duplicates(refs, id_column="id")
    assert dupes.groups["group_id"].nunique() == 1
