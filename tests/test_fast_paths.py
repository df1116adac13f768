"""Each fast path of the load gives what the general form it replaces gives, on tricky inputs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_kb.io.formula import has_guarded_cell

_GUARD_CASES = [
    "",
    "'",
    "'=",
    "'=SUM(A1)",
    '"\'=SUM(A1)"',
    "a,'-1\n",
    "a,b'-1\n",
    'a,"\'+1"',
    'a,x"\'+1"',
    "a;'@x",
    "a\t'\t",
    "a\n''=",
    "a\nx''=",
    "''=",
    '""\'=',
    'a,""\'=',
    "'\r",
    "a'\r",
    "x'x,'y\n'z",
]


# the rule in one pattern: a cell (at the start of the text or after , ; tab or a new line,
# perhaps quoted) that starts with the ' of neutralise_cell before what it guards
_GUARDED_CELL = re.compile(r"""(?:^|[,;\t\n])"?'[-=+@'\t\r]""")


@pytest.mark.parametrize("text", _GUARD_CASES)
def test_guarded_cell_fast_path_matches_the_pattern(text):
    assert has_guarded_cell(text) == (_GUARDED_CELL.search(text) is not None)


@given(st.text(alphabet="'\"=-+@,;\t\n\rab", max_size=12))
def test_guarded_cell_fast_path_matches_the_pattern_on_any_text(text):
    assert has_guarded_cell(text) == (_GUARDED_CELL.search(text) is not None)


# -- citations: a cell resolved part by part, and the keys that need no look-up ----------------

_TRICKY_CELLS = [
    "Tosun, 2017; Kearney ea, 2012",
    "Wenger, 2000; 2005",
    "Schruijer, 2021a; 2021b; Wenger, 1998, p. 402",
    "Mennens, z.d.; Tosun",
    "Tosun; Kearney ea, 2012",
    "4,12,15; 3,5",
    "2,11",
    "Tosun, 2017; 3",
    "  Tosun,   2017 ;  Kearney ea,  2012 ; ",
    ";",
    "",
    "Kallio en Lappalainen (2015) en Tee et al. (2021)",
    "zie ook Koopmans et al., 2023a; naar: Hord, 1997",
    "Wenger, 2000, 2005; Wenger, 2000",
    "Tee ea, 2021; Tee ea, 2021",
    "Tosun, 2017 p. 5; blz. 7",
    "2017; Tosun",
]


@pytest.fixture(scope="module")
def bundled():
    import evidence_kb as ekb

    return ekb.load()


def test_cells_resolve_part_by_part_as_whole(bundled):
    from evidence_kb.citations.parse import parse_citations
    from evidence_kb.citations.resolve import CitationIndex

    cells = [*_TRICKY_CELLS, *(f.citation for f in bundled.finding_records)]
    reviews = [None, *sorted({f.review for f in bundled.finding_records})]
    fast, general = (
        CitationIndex(bundled.reference_records),
        CitationIndex(bundled.reference_records),
    )
    for cell in cells:
        for review in reviews:
            assert fast.resolve(cell, review=review) == general._resolve_all(
                parse_citations(cell), review
            ), (cell, review)


def test_keys_of_the_resolved_citations_never_mismatch(bundled):
    from evidence_kb.citations.link import _Cell, _keys_mismatch
    from evidence_kb.citations.resolve import CitationIndex

    index = CitationIndex(bundled.reference_records)
    canonical = {alias: ref.key for ref in bundled.reference_records for alias in ref.ids}
    canonical.update({ref.key: ref.key for ref in bundled.reference_records})
    for cell in [*_TRICKY_CELLS, *(f.citation for f in bundled.finding_records)]:
        found = index.resolve(cell)
        keys = _Cell(found).resolved_keys
        if keys:
            assert _keys_mismatch(keys, found, canonical) is None, cell
        else:
            assert _keys_mismatch(("x", "y"), found, canonical) is None, cell


def _frame_by_rows(resolutions):
    """resolutions_frame as it was written before its rows were taken from the distinct ones."""
    import pandas as pd

    from evidence_kb.model.vocab import RESOLUTION_COLUMNS

    rows = [
        (
            r.citation.text,
            "; ".join(r.citation.authors),
            r.citation.year,
            r.citation.number,
            r.key,
            r.score,
            r.status,
            "; ".join(r.notes),
        )
        for r in resolutions
    ]
    columns = dict(zip(RESOLUTION_COLUMNS, map(list, zip(*rows, strict=True)), strict=False))
    frame = pd.DataFrame(columns if resolutions else [], columns=RESOLUTION_COLUMNS)
    for col in ("year", "number"):
        frame[col] = frame[col].astype("Int64")
    return frame


def test_resolutions_frame_takes_the_rows_it_would_make(bundled):
    import pandas as pd

    from evidence_kb.citations.resolve import CitationIndex, resolutions_frame

    index = CitationIndex(bundled.reference_records)
    found = [r for cell in _TRICKY_CELLS for r in index.resolve(cell, review="pps-2023")]
    everything = [r for f in bundled.finding_records for r in index.resolve(f.citation)]
    numbers = index.resolve("4,12,15 3,5", review="pps-2023")
    for resolutions in ([], found[:1], found, found + found, everything, numbers + numbers):
        pd.testing.assert_frame_equal(
            resolutions_frame(resolutions),
            _frame_by_rows(resolutions),
            check_exact=True,
            check_index_type=True,
        )


# -- plausibility: a plain "Family, A. B." has no mark of a wrongly split name ------------------

_NAMES = [
    "Tosun, J.",
    "Tosun, J. K.",
    "Tosun, J.K.",
    "Van, E.",
    "Van, Eldere J",
    "Etal, A.",
    "Et, A.",
    "Xu, A.",
    "Abc,  A.",
    "Abc, A. ",
    "Abc, A. -",
    "Abc, A.-B.",
    "Others, A.",
    "Eta, L.",
]


def _author_problem_in_full(name: str) -> str | None:
    """author_problem without its fast path for a plain name."""
    from evidence_kb.model import plausibility

    fast, plausibility._PLAIN_NAME = plausibility._PLAIN_NAME, re.compile(r"(?!)")
    try:
        return plausibility.author_problem.__wrapped__(name)
    finally:
        plausibility._PLAIN_NAME = fast


@pytest.mark.parametrize("name", _NAMES)
def test_plain_names_have_no_problem_in_full_either(name):
    from evidence_kb.model.plausibility import author_problem

    assert author_problem.__wrapped__(name) == _author_problem_in_full(name)


@given(
    st.from_regex(r"[A-Z][a-z]{2,6}, [A-Z]\.(?: [A-Z]\.){0,3}", fullmatch=True)
    | st.text(alphabet="EeTtAaLlVvNnDd ,.-", max_size=12)
)
def test_plain_names_have_no_problem_in_full_either_on_any_name(name):
    from evidence_kb.model.plausibility import author_problem

    assert author_problem.__wrapped__(name) == _author_problem_in_full(name)


# -- validation: rows validated a chunk at a time, as row by row -------------------------------


def _rows_one_by_one(table, model, columns):
    """rows_to_records as it was written before rows were validated in chunks."""
    from evidence_kb.model import validate

    wanted = frozenset(columns)
    return [
        (
            line,
            validate._row_record(
                table,
                model,
                columns,
                line,
                row,
                row if row.keys() <= wanted else validate._cells(row, columns),
            ),
        )
        for line, row in zip(table.lines, table.rows, strict=True)
    ]


@pytest.mark.parametrize("chunk", [1, 3, 2000])
def test_rows_validate_in_chunks_as_one_by_one(data_dir, monkeypatch, chunk):
    import copy

    from evidence_kb.io.csvfile import read_csv_rows
    from evidence_kb.model import validate
    from evidence_kb.model.records import Element, Finding
    from evidence_kb.model.vocab import ELEMENT_COLUMNS, FINDING_COLUMNS

    monkeypatch.setattr(validate, "_CHUNK", chunk)
    findings = read_csv_rows(data_dir / "mini" / "findings.csv", required=(), known=None)
    findings.rows[1] = {**findings.rows[1], "kind": "factr", "finding_id": "Bad Id"}
    findings.rows[4] = {**findings.rows[4], "extra": "x"}
    findings.rows[-1] = {**findings.rows[-1], "direction": "barrier"}
    elements = read_csv_rows(data_dir / "mini" / "frameworks.csv", required=(), known=None)
    elements.rows[2] = {**elements.rows[2], "label_nl": "", "label_en": ""}
    for table, model, columns in (
        (findings, Finding, FINDING_COLUMNS),
        (elements, Element, ELEMENT_COLUMNS),
    ):
        expected_table = copy.deepcopy(table)
        expected = _rows_one_by_one(expected_table, model, columns)
        assert validate.rows_to_records(table, model, columns=columns) == expected
        assert table.problems == expected_table.problems
        assert table.problems  # the invalid rows were reported
        again = validate.rows_to_records(copy.deepcopy(table), model, columns=columns)
        assert [(r.__dict__, r.model_fields_set) for _, r in again] == [
            (r.__dict__, r.model_fields_set) for _, r in expected
        ]
