"""Property tests (Hypothesis): round trips lose nothing, parsers never crash, dedupe is stable."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evidence_kb as ekb
from evidence_kb.io.bibtex import format_bibtex, parse_bibtex
from evidence_kb.io.export import format_csl_json, format_ris, write_findings
from evidence_kb.io.fields import normalise_doi
from evidence_kb.model.data import records_frame as _frame
from evidence_kb.model.vocab import FINDING_COLUMNS

from .strategies import findings, references

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    st.lists(findings(), min_size=1, max_size=5, unique_by=lambda f: f.finding_id),
    st.sampled_from(["csv", "xlsx"]),
)
def test_findings_written_and_read_back_are_identical(records, suffix):
    frame = _frame(tuple(records), FINDING_COLUMNS, "finding_id")
    with tempfile.TemporaryDirectory() as tmp:
        back = ekb.read_findings(write_findings(frame, Path(tmp) / f"findings.{suffix}"))
    expected = frame.astype(object).where(frame.notna(), "").astype(str)
    pd.testing.assert_frame_equal(back.astype(str), expected)
    rebuilt = [ekb.Finding.model_validate(dict(row)) for row in back.to_dict("records")]
    assert sorted(rebuilt, key=lambda f: f.finding_id) == sorted(
        records, key=lambda f: f.finding_id
    )


@SETTINGS
@given(st.lists(references(), min_size=1, max_size=5, unique_by=lambda r: r.key))
def test_bibtex_round_trip(refs):
    back, problems = parse_bibtex(format_bibtex(refs))
    assert [p for p in problems if p.severity == "error"] == []
    assert back == sorted(refs, key=lambda r: r.key)


def _summary(frame: pd.DataFrame) -> list[tuple]:
    return sorted(
        zip(
            frame["id"],
            frame["authors"],
            frame["year"],
            frame["title"],
            frame["pages"],
            frame["doi"],
            strict=True,
        )
    )


@SETTINGS
@given(
    st.lists(references(), min_size=1, max_size=5, unique_by=lambda r: r.key),
    st.sampled_from(["ris", "json"]),
)
def test_ris_and_csl_json_round_trip(refs, fmt):
    text = format_ris(refs) if fmt == "ris" else format_csl_json(refs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"refs.{fmt}"
        path.write_text(text, encoding="utf-8")
        back = ekb.read_references(path)
    expected = [
        (
            r.key,
            " and ".join(r.authors),
            str(r.year or ""),
            r.title,
            r.pages,
            normalise_doi(r.doi)[0],
        )
        for r in refs
    ]  # DOIs are normalised when read (lower case, no trailing punctuation)
    assert _summary(back) == sorted(expected)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parsing_a_citation_never_raises(text):
    for citation in ekb.parse_citations(text):
        assert isinstance(citation.text, str)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parsing_a_reference_list_never_raises(text):
    frame = ekb.parse_reference_list(text)
    assert len(frame) == sum(1 for line in text.splitlines() if line.strip())


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_resolving_never_raises(text):
    kb = _bundled()
    result = kb.resolve(text, review="pps-2023")
    assert set(result["status"]) <= {"resolved", "corrected", "ambiguous", "unresolved"}


_KB = []


def _bundled():
    if not _KB:
        _KB.append(ekb.load())
    return _KB[0]


def _records(refs) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": [r.key for r in refs],
            "title": [r.title for r in refs],
            "author": [" and ".join(r.authors) for r in refs],
            "year": [str(r.year or "") for r in refs],
            "journal": [r.container for r in refs],
            "volume": [r.volume for r in refs],
            "pages": [r.pages for r in refs],
            "doi": [r.doi for r in refs],
        }
    )


@SETTINGS
@given(st.lists(references(), min_size=1, max_size=8, unique_by=lambda r: r.key), st.randoms())
def test_deduplication_is_symmetric_stable_and_complete(refs, random):
    # add exact and noisy copies so there is something to find
    copies = [
        r.model_copy(update={"key": r.key + "dup", "title": r.title.upper()}) for r in refs[:3]
    ]
    records = _records([*refs, *copies])
    groups = ekb.find_duplicates(records).groups
    shuffled = records.sample(frac=1, random_state=random.randint(0, 10**6)).reset_index(drop=True)
    again = ekb.find_duplicates(shuffled).groups
    # every input record is in exactly one group
    assert sorted(groups["id"]) == sorted(records["ID"])
    # the order of the input does not change the groups
    pd.testing.assert_frame_equal(groups, again)
    # idempotent: deduplicating one record per group finds nothing more
    representatives = records[records["ID"].isin(groups["group_id"])]
    assert ekb.find_duplicates(representatives).groups["group_size"].max() == 1
