"""related.csv in a knowledge base: notices linked to their work, retracted citations flagged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import evidence_kb as ekb
from evidence_kb.citations.dedupe import find_duplicates

DATA_DIR = Path(__file__).parent / "data"

RETRACTION = """
@article{kallio2016,
  author = {Kallio, K. and Lappalainen, I.},
  year = {2016},
  title = {Retraction notice to 'Organizational learning in an innovation network'},
  journal = {Journal of Service Theory and Practice},
  volume = {26},
  number = {3},
  pages = {401},
  doi = {10.1108/JSTP-09-2016-0001}
}
"""


@pytest.fixture
def kb_with_retraction(tmp_path: Path) -> Path:
    """The mini knowledge base with a retraction notice of kallio2015 and its related.csv."""
    target = tmp_path / "kb"
    shutil.copytree(DATA_DIR / "mini", target)
    bib = target / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + RETRACTION, encoding="utf-8")
    dupes = find_duplicates(ekb.read_references(bib), id_column="id")
    dupes.related.to_csv(target / "related.csv", index=False)
    return target


def test_find_duplicates_links_the_retraction_notice_of_a_bibliography(kb_with_retraction):
    related = (kb_with_retraction / "related.csv").read_text(encoding="utf-8").splitlines()
    assert related[0] == "id,work_id,relation,score,evidence"
    assert related[1].startswith("kallio2016,kallio2015,retraction,")


def test_a_finding_citing_a_retracted_work_is_a_warning_naming_both(kb_with_retraction):
    kb = ekb.load(kb_with_retraction)
    warnings = [p.message for p in kb.problem_list if "retracted" in p.message]
    assert warnings == [
        "finding 'wi-001' cites 'kallio2015', which is retracted (retraction notice "
        "'kallio2016' in related.csv): check whether the finding still stands"
    ]
    problem = next(p for p in kb.problem_list if "retracted" in p.message)
    assert (problem.file, problem.line, problem.severity) == ("findings.csv", 2, "warning")


def test_gaps_list_the_finding_that_cites_a_retracted_work(kb_with_retraction):
    kb = ekb.load(kb_with_retraction)
    gaps = kb.gaps()
    rows = gaps[gaps["gap_type"] == "retracted_citation"]
    assert rows["finding_ids"].tolist() == ["wi-001"]
    assert "cites 'kallio2015', which is retracted" in rows["detail"].iloc[0]
    assert "'kallio2016'" in rows["detail"].iloc[0]


def test_without_related_csv_nothing_is_flagged(mini_kb):
    assert "retracted_citation" not in set(mini_kb.gaps()["gap_type"])
    assert mini_kb.related_table is None


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            "kallio2016,kallio2051,retraction",
            "line 2, column 'work_id': 'kallio2051' is not a key of the references "
            "(did you mean 'kallio2015'?)",
            id="unknown_work",
        ),
        pytest.param(
            "kallio2016,kallio2015,withdrawn",
            "line 2, column 'relation': got 'withdrawn', expected one of: erratum, retraction, "
            "concern, reply, comment",
            id="unknown_relation",
        ),
        pytest.param(
            "kallio2015,kallio2015,erratum",
            "line 2, column 'work_id': a notice cannot concern itself",
            id="itself",
        ),
    ],
)
def test_a_bad_related_row_is_reported_with_file_line_and_column(kb_with_retraction, row, expected):
    (kb_with_retraction / "related.csv").write_text(f"id,work_id,relation\n{row}\n")
    with pytest.raises(ekb.InputError, match=re.escape(expected)):
        ekb.load(kb_with_retraction)


def test_a_notice_without_its_work_is_kept_and_not_an_error(kb_with_retraction):
    (kb_with_retraction / "related.csv").write_text("id,work_id,relation\nkallio2016,,erratum\n")
    kb = ekb.load(kb_with_retraction)
    assert kb.related_table[["id", "work_id", "relation"]].values.tolist() == [
        ["kallio2016", "", "erratum"]
    ]


def test_the_reference_list_says_the_work_is_retracted_and_where(kb_with_retraction):
    kb = ekb.load(kb_with_retraction)
    ev = ekb.evidence_table(kb, review="werk-inkomen-2023", language="en")
    kallio = ev.references[ev.references["key"] == "kallio2015"].iloc[0]
    assert kallio["apa"].endswith(
        "Retracted in Journal of Service Theory and Practice, 26(3), 401 (2016). "
        "https://doi.org/10.1108/JSTP-09-2016-0001"
    )
    dutch = ekb.evidence_table(kb, review="werk-inkomen-2023", language="nl")
    assert "Ingetrokken in Journal of Service Theory" in " ".join(dutch.reference_list)


def test_the_report_shows_the_retraction_with_the_reference(kb_with_retraction):
    from evidence_kb.publish.report.data import report_data

    refs = report_data(ekb.load(kb_with_retraction))["references"]
    text = "".join(t for t, _ in refs["kallio2015"]["apa_nl"])
    assert "Ingetrokken in Journal of Service Theory and Practice, 26(3), 401 (2016)." in text
    assert "Ingetrokken" not in "".join(t for t, _ in refs["tosun2017"]["apa_nl"])


def test_a_notice_in_the_bibliography_without_related_csv_is_a_warning(kb_with_retraction):
    (kb_with_retraction / "related.csv").unlink()
    kb = ekb.load(kb_with_retraction)
    messages = [p.message for p in kb.problem_list if p.file == "references.bib"]
    assert any(
        m.startswith("'kallio2016' looks like a notice (retraction: ") and "related.csv" in m
        for m in messages
    )
    assert "retracted_citation" not in set(kb.gaps()["gap_type"])  # unknown without the link


@pytest.mark.parametrize("policy", ["link", "merge"])
def test_to_bibtex_writes_related_csv_with_the_keys_it_gives(kb_with_retraction, policy):
    bib, related = kb_with_retraction / "references.bib", kb_with_retraction / "related.csv"
    refs = ekb.read_references(bib)
    refs["id"] = [f"export-{n}" for n in range(len(refs))]  # record ids of a search export
    dupes = find_duplicates(refs, id_column="id", related=policy)
    ekb.to_bibtex(refs, bib, duplicates=dupes, related=related)
    rows = (related.read_text(encoding="utf-8").splitlines()[1]).split(",")
    assert rows[:3] == ["kallio2016", "kallio2015", "retraction"]
    findings = kb_with_retraction / "findings.csv"  # new author-year keys: camps2011a is camps2011
    text = findings.read_text(encoding="utf-8").replace("camps2011a", "camps2011")
    findings.write_text(text, encoding="utf-8")
    kb = ekb.load(kb_with_retraction)
    assert any("'kallio2015', which is retracted" in p.message for p in kb.problem_list)
    assert not [p for p in kb.problem_list if p.file == "related.csv"]
    assert ("kallio2016" in kb.references["key"].tolist()) == (policy == "link")


def test_to_bibtex_refuses_related_without_duplicates(tmp_path):
    refs = ekb.read_references(DATA_DIR / "mini" / "references.bib")
    with pytest.raises(ValueError, match="related= needs duplicates="):
        ekb.to_bibtex(refs, tmp_path / "references.bib", related=tmp_path / "related.csv")
