"""A team's own review: init, one loader for every file, all problems at once, no bundled data.

The knowledge base of ``tests/data/own`` is a made-up review with its own framework, free-text
sources and a RIS export as its bibliography (see its README).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main
from evidence_kb.io.tables import load_concepts

from .conftest import DATA_DIR

OWN = DATA_DIR / "own"
FRAMEWORKS_HEADER = "element_id,framework,parent,level,label_nl\n"


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """A copy of the own-review knowledge base to change."""
    target = tmp_path / "own"
    shutil.copytree(OWN, target)
    return target


def _errors(err: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in err.value.problem_list if p.severity == "error"]


# -- missing and conflicting files -----------------------------------------------------------------
def test_every_missing_file_is_reported_at_once_with_its_path_and_the_fix(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ekb.InputError) as err:
        ekb.load(empty)
    errors = _errors(err)
    assert [e.split(":")[0] for e in errors] == ["frameworks.csv", "reviews.csv", "findings.csv"]
    assert errors[0].startswith(f"frameworks.csv: {empty / 'frameworks.csv'} does not exist")
    assert errors[2].startswith(
        f"findings.csv: {empty / 'findings.csv'} does not exist (nor findings.xlsx)"
    )
    for error in errors:
        assert f"run `evidence-kb init {empty}` to write the missing files" in error
    assert "required: review_id, title" in errors[1]

    assert main(["validate", str(empty)]) == 1
    out = capsys.readouterr().out
    assert out.count("does not exist") == 3
    assert "INVALID: 3 error(s)" in out


def test_findings_in_csv_and_in_excel_is_an_error_naming_both(own):
    ekb.write_findings(ekb.load(own).findings, own / "findings.xlsx")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert _errors(err) == [
        f"findings.xlsx: both {own / 'findings.csv'} and {own / 'findings.xlsx'} exist; keep one "
        "of them (remove or rename the other): a knowledge base has one findings file"
    ]
    (own / "findings.csv").unlink()
    assert list(ekb.load(own).findings["finding_id"]) == ["jz-001", "jz-002", "jz-003"]


def test_two_reference_files_is_an_error(own):
    shutil.copy(DATA_DIR / "mini" / "references.bib", own / "references.bib")
    with pytest.raises(ekb.InputError, match="keep exactly one reference file"):
        ekb.load(own)


def test_a_file_that_cannot_be_read_does_not_hide_the_problems_of_the_others(own):
    (own / "reviews.csv").write_text("review_id\njeugd-2026\n", encoding="utf-8")
    (own / "frameworks.csv").write_text(
        FRAMEWORKS_HEADER + "jz,jz,,framework,JZ\njz/a,jz,jz/x,core_element,A\n", encoding="utf-8"
    )
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert _errors(err)[:2] == [
        "reviews.csv: line 1: missing column(s) 'title'; the header has: review_id",
        "frameworks.csv: line 3, column 'parent': parent 'jz/x' is not an element_id in this file "
        "(did you mean 'jz/a'?)",
    ]


# -- a RIS bibliography ------------------------------------------------------------------------------
def test_references_ris_loads_with_readable_keys_and_citations_resolve():
    kb = ekb.load(OWN)
    refs = kb.references.set_index("key")
    assert list(refs.index) == ["jansen2019", "smith2020"]
    assert refs.loc["jansen2019", "authors"] == "Jansen, Anna; de Vries, Piet"
    assert refs.loc["jansen2019", "entry_type"] == "book"
    assert refs.loc["smith2020", "doi"] == "10.1000/jn.2020.1"
    assert refs.loc["smith2020", "source"] == "references.ris, line 1"
    citations = kb.citations
    assert set(citations["status"]) == {"resolved"}
    assert list(citations["key"]) == ["smith2020", "jansen2019", "smith2020", "jansen2019"]
    assert kb.errors == []


def test_references_json_loads_too(own):
    (own / "references.ris").unlink()
    (own / "references.json").write_text(
        '[{"id": "smith2020", "type": "article-journal", "title": "Trust",'
        ' "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2020]]}}]',
        encoding="utf-8",
    )
    kb = ekb.load(own, strict=False)
    assert list(kb.references["key"]) == ["smith2020"]
    assert kb.references.loc[0, "entry_type"] == "article"
    statuses = kb.citations.set_index("citation")["status"].to_dict()
    assert statuses["Smith, 2020"] == "resolved"
    assert statuses["Jansen & de Vries, 2019"] == "unresolved"


def test_no_reference_file_is_a_warning_when_findings_cite(own):
    (own / "references.ris").unlink()
    kb = ekb.load(own)
    [warning] = [p for p in kb.problem_list if p.severity == "warning"]
    assert warning.message.startswith(
        f"no reference file in {own}: the citations of 3 finding(s) cannot be resolved"
    )


# -- optional files are the directory's own or absent -----------------------------------------------
def test_a_directory_without_concepts_or_crosswalk_gets_none_of_the_bundled_ones():
    kb = ekb.load(OWN)
    assert kb.concept_table is None
    assert kb.concept_tag_table is None
    assert kb.crosswalk_table is None
    assert kb.concepts.empty
    kinds = {d["kind"] for _, d in kb.graph.nodes(data=True)}
    assert "concept" not in kinds
    assert not [k for *_, k in kb.graph.edges(keys=True) if k.startswith("maps_to")]
    with pytest.raises(ekb.UnknownIdError):
        kb.evidence("reflection")  # a concept of the bundled vocabulary only
    summary = kb.summary()
    assert "concepts:   none: no concepts.csv in this directory" in summary
    assert "crosswalk:  none: no crosswalk.csv in this directory (optional)" in summary


def test_the_bundled_knowledge_base_keeps_its_own_optional_files():
    kb = ekb.load()
    assert len(kb.concept_table) == len(load_concepts())
    assert len(kb.crosswalk_table) > 0
    assert "hand corrections (concept_tags.csv)" in kb.summary()


def test_the_directory_s_own_concepts_tag_its_findings(own):
    (own / "concepts.csv").write_text(
        "concept_id,label_nl,patterns\ntrust,vertrouwen,vertrouw*\n", encoding="utf-8"
    )
    kb = ekb.load(own)
    assert list(kb.concepts["concept_id"]) == ["trust"]
    assert list(kb.evidence("trust")["finding_id"]) == ["jz-001"]


# -- validate checks every file ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "crosswalk.csv",
            "source_element,target_element,relation,finding_id,note\n"
            "jz/samenwerking,jz/opbrengsten,overlap,jz-001,x\n"
            "jz/samenwerking,jz/opbrengsten,similar,jz-001,x\n",
            "crosswalk.csv: line 3, column 'relation': got 'similar', expected one of: overlap, "
            "difference, relationship, same_as",
            id="crosswalk_relation",
        ),
        pytest.param(
            "crosswalk.csv",
            "source_element,target_element,relation,finding_id,note\njz/samenwerking,overlap\n",
            "crosswalk.csv: line 2: expected 5 cells (as in the header), found 2",
            id="crosswalk_cells",
        ),
        pytest.param(
            "crosswalk.csv",
            "source_element,relation\n",
            "crosswalk.csv: line 1: missing column(s) 'target_element'",
            id="crosswalk_header",
        ),
        pytest.param(
            "concepts.csv",
            "concept_id,label_nl,patterns\ntrust,vertrouwen,vertrouw*\nTrust Me,x,\n",
            "concepts.csv: line 3, column 'concept_id': 'Trust Me' is not a concept id",
            id="concept_id",
        ),
        pytest.param(
            "concept_tags.csv",
            "finding_id,concept_id,action,reason\njz-001,trust,add,\n",
            "concept_tags.csv: line 2, column 'concept_id': 'trust' is not a concept of "
            "concepts.csv (there is no concepts.csv)",
            id="concept_tags_without_concepts",
        ),
    ],
)
def test_validate_checks_the_optional_files_with_file_line_and_column(
    own, capsys, name, text, expected
):
    (own / name).write_text(text, encoding="utf-8")
    assert main(["validate", str(own)]) == 1
    out = capsys.readouterr().out
    assert expected in out
    assert "INVALID" in out
    with pytest.raises(ekb.InputError, match="error"):
        ekb.load(own)


def test_a_broken_crosswalk_row_is_left_out_and_the_good_ones_kept(own):
    (own / "crosswalk.csv").write_text(
        "source_element,target_element,relation,finding_id,note\n"
        "jz/samenwerking,jz/opbrengsten,overlap,jz-001,x\n"
        "jz/samenwerking,jz/opbrengsten,similar,jz-001,x\n"
        "jz/samenwerking,jz/elders,overlap,jz-001,x\n",
        encoding="utf-8",
    )
    kb = ekb.load(own, strict=False)
    assert list(kb.crosswalk_table["line"]) == [2]
    assert [(p.line, p.severity) for p in kb.problem_list if p.file == "crosswalk.csv"] == [
        (3, "error"),
        (4, "warning"),
    ]


# -- every check on every row, in one pass ----------------------------------------------------------
def test_every_check_runs_on_every_row_even_one_with_an_invalid_cell(own):
    rows = (
        "finding_id,review,element,kind,statement,source\n"
        "jz-001,jeugd-2026,jz/samenwerking,outcome,A.,p. 1\n"
        "jz-001,jeugd-2062,jz/samenwerkin,outcom,B.,p. 2\n"
        "JZ 3,jeugd-2026,jz/opbrengsten,factor,,\n"
    )
    (own / "findings.csv").write_text(rows, encoding="utf-8")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    found = [(p.line, p.column) for p in err.value.problem_list if p.severity == "error"]
    assert sorted(found) == [
        (3, "element"),  # unknown element, although the kind is invalid too
        (3, "finding_id"),  # duplicate id
        (3, "kind"),
        (3, "review"),  # unknown review
        (4, "direction"),  # a factor without direction, although the id is invalid
        (4, "finding_id"),
        (4, "source"),
        (4, "statement"),
    ]
    messages = _errors(err)
    assert (
        "findings.csv: line 4, column 'source': is empty; expected where a reader finds the "
        "finding (e.g. 'Table 2, p. 14')" in messages
    )


# -- source: free text, strict only where the review names a seed -----------------------------------
def test_source_is_free_text_for_a_review_without_a_seed():
    sources = ekb.load(OWN).findings.set_index("finding_id")["source"]
    assert sources.to_dict() == {
        "jz-001": "Table 2 p. 14",
        "jz-002": "interview 3",
        "jz-003": "Tabel 4",
    }


def test_source_of_a_seeded_review_names_that_seed(own):
    (own / "reviews.csv").write_text(
        'review_id,title,source\njeugd-2026,Jeugd,"007 Methode, line 3"\n', encoding="utf-8"
    )
    (own / "findings.csv").write_text(
        "finding_id,review,element,kind,statement,source\n"
        'jz-001,jeugd-2026,jz/opbrengsten,outcome,A.,"007 Tabel 1, line 9"\n'
        'jz-002,jeugd-2026,jz/opbrengsten,outcome,B.,"001 Tabel 1, line 9"\n'
        "jz-003,jeugd-2026,jz/opbrengsten,outcome,C.,Tabel 1\n",
        encoding="utf-8",
    )
    (own / "references.ris").unlink()
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert _errors(err) == [
        "findings.csv: line 3, column 'source': names seed document '001', but review "
        "'jeugd-2026' comes from seed 007 (reviews.csv)",
        "findings.csv: line 4, column 'source': got 'Tabel 1', expected '<seed> <table or "
        "section>, line <n>[, item <k>]' (e.g. '007 Tabel 1, line 97, item 2'): review "
        "'jeugd-2026' names its seed document 007 in reviews.csv",
    ]


# -- the framework hierarchy ------------------------------------------------------------------------
HIERARCHY = [
    pytest.param(
        "jz/a,jz,jz/a,core_element,A\n",
        ["frameworks.csv: line 3, column 'parent': element 'jz/a' cannot be its own parent"],
        id="own_parent",
    ),
    pytest.param(
        "jz/a,jz,jz/c,core_element,A\njz/b,jz,jz/a,theme,B\njz/c,jz,jz/b,theme,C\n",
        [
            "frameworks.csv: line 3, column 'parent': the parents form a cycle: jz/a -> jz/c -> "
            "jz/b -> jz/a (lines 3, 4, 5); every chain of parents must end at a framework row"
        ],
        id="cycle",
    ),
    pytest.param(
        "lc,lc,,framework,LC\nlc/a,lc,lc,core_element,A\njz/b,jz,lc/a,theme,B\n",
        [
            "frameworks.csv: line 5, column 'parent': parent 'lc/a' belongs to framework 'lc' "
            "(line 4), not to 'jz'; an element and its parent are in the same framework"
        ],
        id="other_framework",
    ),
    pytest.param(
        "jz/a,jz,,core_element,A\n",
        [
            "frameworks.csv: line 3, column 'parent': is empty; expected the parent element (the "
            "framework id for a top-level element)"
        ],
        id="no_parent",
    ),
    pytest.param(
        "lc,lc,jz,framework,LC\n",
        [
            "frameworks.csv: line 3, column 'parent': a framework row has no parent; expected an "
            "empty cell"
        ],
        id="framework_with_parent",
    ),
]


@pytest.mark.parametrize(("rows", "expected"), HIERARCHY)
def test_framework_hierarchy_errors_name_the_lines(own, rows, expected):
    (own / "frameworks.csv").write_text(
        FRAMEWORKS_HEADER + "jz,jz,,framework,JZ\n" + rows, encoding="utf-8"
    )
    (own / "findings.csv").write_text(
        "finding_id,review,element,kind,statement,source\n", encoding="utf-8"
    )
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert _errors(err) == expected


def test_a_cycle_is_left_out_in_lenient_mode_and_queries_return(own):
    (own / "frameworks.csv").write_text(
        FRAMEWORKS_HEADER
        + "jz,jz,,framework,JZ\njz/samenwerking,jz,jz,core_element,Samenwerking\n"
        + "jz/a,jz,jz/b,core_element,A\njz/b,jz,jz/a,theme,B\njz/c,jz,jz/b,theme,C\n",
        encoding="utf-8",
    )
    (own / "findings.csv").write_text(
        "finding_id,review,element,kind,statement,source\n"
        "jz-001,jeugd-2026,jz/samenwerking,outcome,A.,p. 1\n"
        "jz-002,jeugd-2026,jz/b,outcome,B.,p. 2\n",
        encoding="utf-8",
    )
    kb = ekb.load(own, strict=False)
    assert set(kb.elements["element_id"]) == {"jz", "jz/samenwerking"}
    assert list(kb.findings["finding_id"]) == ["jz-001"]
    left_out = [(p.file, p.line) for p in kb.problem_list if p.message.startswith("left out")]
    assert left_out == [
        ("frameworks.csv", 5),  # line 4 has the error of the cycle; 5 and 6 hang below it
        ("frameworks.csv", 6),
        ("findings.csv", 3),
    ]
    assert list(kb.evidence("jz")["finding_id"]) == ["jz-001"]


# -- init -------------------------------------------------------------------------------------------
def test_init_writes_a_skeleton_that_validates(tmp_path, capsys):
    target = tmp_path / "Jeugd Zorg"
    assert main(["init", str(target), "--frameworks", "liso,tno-lo"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {target / 'frameworks.csv'}" in out
    assert sorted(p.name for p in target.iterdir()) == [
        "findings.csv",
        "frameworks.csv",
        "reviews.csv",
    ]
    assert main(["validate", str(target)]) == 0
    assert "OK: the knowledge base is valid." in capsys.readouterr().out
    kb = ekb.load(target)
    assert kb.reviews.loc[0, "review_id"] == "jeugd-zorg"
    assert kb.reviews.loc[0, "title"] == "TODO: the title of the review"
    assert kb.findings.empty
    assert "liso/synergie" in set(kb.elements["element_id"])  # the bundled frameworks, copied
    assert set(kb.elements["framework"]) == {"liso", "tno-lo"}  # only those asked for
    assert kb.concept_table is None
    assert kb.crosswalk_table is None
    assert (target / "findings.csv").read_text(encoding="utf-8") == (
        "finding_id,review,element,theme,topic,kind,direction,statement,citation,"
        "reference_keys,source,notes\n"  # the generic columns: no side or paradigm
    )


def test_init_then_a_finding_and_a_ris_export_resolve(tmp_path):
    target = tmp_path / "kb"
    written = ekb.init(
        target, review_id="jeugd-2026", title="Leernetwerken in de jeugdzorg", frameworks=["liso"]
    )
    assert [p.name for p in written] == ["frameworks.csv", "reviews.csv", "findings.csv"]
    shutil.copy(OWN / "references.ris", target / "references.ris")
    with (target / "findings.csv").open("a", encoding="utf-8") as f:
        f.write(
            "jz-001,jeugd-2026,liso/synergie,,,factor,promoting,Vertrouwen helpt.,"
            '"Smith, 2020",,Tabel 2 p. 14,\n'
        )
    kb = ekb.load(target)
    assert kb.citations.loc[0, ["key", "status"]].tolist() == ["smith2020", "resolved"]
    assert list(kb.evidence("Synergie")["finding_id"]) == ["jz-001"]


def test_init_never_overwrites_a_file(tmp_path, capsys):
    target = tmp_path / "kb"
    ekb.init(target)
    (target / "reviews.csv").write_text("review_id,title\nmine,Mine\n", encoding="utf-8")
    (target / "findings.csv").unlink()
    assert main(["init", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {target / 'findings.csv'}" in out
    assert f"kept  {target / 'reviews.csv'} (it exists; init never overwrites a file)" in out
    assert (target / "reviews.csv").read_text(encoding="utf-8") == "review_id,title\nmine,Mine\n"

    assert main(["init", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"error: {target} already has every file of the skeleton" in err
    assert f"reviews.csv: {target / 'reviews.csv'} exists; init never overwrites a file" in err
    assert (target / "reviews.csv").read_text(encoding="utf-8") == "review_id,title\nmine,Mine\n"


def test_init_leaves_findings_in_excel_alone(tmp_path):
    target = tmp_path / "kb"
    target.mkdir()
    ekb.write_findings(ekb.load(OWN).findings.iloc[:0], target / "findings.xlsx")
    written = ekb.init(target)
    assert [p.name for p in written] == ["frameworks.csv", "reviews.csv"]
    assert ekb.load(target).errors == []


def test_init_with_concepts_copies_the_vocabulary_only(tmp_path):
    target = tmp_path / "kb"
    ekb.init(target, with_concepts=True)
    assert (target / "concepts.csv").read_bytes() == (
        ekb.bundled_data_dir() / "concepts.csv"
    ).read_bytes()
    assert not (target / "concept_tags.csv").exists()
    assert not (target / "crosswalk.csv").exists()
    assert ekb.load(target).errors == []


def test_init_refuses_a_bad_review_id_and_a_file_as_directory(tmp_path):
    with pytest.raises(ekb.InputError, match="got 'Mijn Review', expected lower-case letters"):
        ekb.init(tmp_path / "kb", review_id="Mijn Review")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ekb.InputError, match="is a file; expected a directory"):
        ekb.init(tmp_path / "file")


def test_problems_frame_of_a_missing_file_has_no_line(tmp_path):
    (tmp_path / "kb").mkdir()
    kb = ekb.load(tmp_path / "kb", strict=False)
    assert kb.problems["line"].isna().all()
    assert isinstance(kb.problems, pd.DataFrame)
    assert len(kb.findings) == 0


def test_records_without_an_id_get_readable_keys_that_do_not_collide(own):
    (own / "references.ris").unlink()
    (own / "references.json").write_text(
        '[{"title": "A", "author": [{"family": "Smith", "given": "J."}],'
        ' "issued": {"date-parts": [[2020]]}},'
        ' {"title": "B", "author": [{"family": "Smith", "given": "J."}],'
        ' "issued": {"date-parts": [[2020]]}},'
        ' {"id": "smith2020b", "title": "C", "issued": {"date-parts": [[2021]]}}]',
        encoding="utf-8",
    )
    kb = ekb.load(own, strict=False)
    assert kb.references.set_index("key")["title"].to_dict() == {
        "smith2020": "A",
        "smith2020c": "B",
        "smith2020b": "C",
    }


def test_a_finding_of_a_review_that_was_left_out_is_left_out_with_a_warning(own):
    (own / "reviews.csv").write_text(
        "review_id,title,year\njeugd-2026,Jeugd,twintig\n", encoding="utf-8"
    )
    kb = ekb.load(own, strict=False)
    assert kb.findings.empty
    assert next(str(p) for p in kb.problem_list if p.file == "findings.csv") == (
        "findings.csv: line 2, column 'review': warning: left out: review 'jeugd-2026' was left "
        "out of reviews.csv (see its errors)"
    )


def test_a_correction_for_an_unknown_finding_is_a_warning(own):
    (own / "concepts.csv").write_text(
        "concept_id,label_nl,patterns\ntrust,vertrouwen,vertrouw*\n", encoding="utf-8"
    )
    (own / "concept_tags.csv").write_text(
        "finding_id,concept_id,action,reason\njz-999,trust,add,typo\njz-002,trust,add,'samen'\n",
        encoding="utf-8",
    )
    kb = ekb.load(own)
    [warning] = [p for p in kb.problem_list if p.file == "concept_tags.csv"]
    assert str(warning) == (
        "concept_tags.csv: line 2, column 'finding_id': warning: 'jz-999' is not a finding of "
        "this knowledge base; skipped"
    )
    assert list(kb.evidence("trust")["finding_id"]) == ["jz-001", "jz-002"]


def test_a_missing_file_names_a_file_that_looks_like_it(own):
    (own / "findings.csv").rename(own / "finding.csv")
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert _errors(err)[0].startswith(
        f"findings.csv: {own / 'findings.csv'} does not exist (nor findings.xlsx) "
        "(there is 'finding.csv': rename it?): it holds the findings."
    )


def test_reference_keys_without_a_reference_file_are_errors(own):
    (own / "references.ris").unlink()
    (own / "findings.csv").write_text(
        "finding_id,review,element,kind,statement,source,reference_keys\n"
        "jz-001,jeugd-2026,jz/opbrengsten,outcome,A.,p. 1,smith2020\n",
        encoding="utf-8",
    )
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    assert _errors(err) == [
        "findings.csv: line 2, column 'reference_keys': there is no reference file to look this "
        "key up in; add references.bib, references.ris or references.json"
    ]


def test_an_unreadable_reference_file_is_one_problem_not_one_per_key(own):
    (own / "references.ris").write_bytes(b"TY  - JOUR\nAU  - M\xfcller\nER  - \n")
    (own / "findings.csv").write_text(
        "finding_id,review,element,kind,statement,source,reference_keys\n"
        "jz-001,jeugd-2026,jz/opbrengsten,outcome,A.,p. 1,muller2020\n",
        encoding="utf-8",
    )
    with pytest.raises(ekb.InputError) as err:
        ekb.load(own)
    [error] = _errors(err)
    assert error.startswith("references.ris: line 2: byte 0xfc is not valid UTF-8")


def test_init_for_excel_writes_findings_xlsx_that_validates(tmp_path, capsys):
    target = tmp_path / "kb"
    assert (
        main(["init", str(target), "--excel", "--review-id", "jeugd-2026", "--frameworks", "liso"])
        == 0
    )
    assert f"wrote {target / 'findings.xlsx'}" in capsys.readouterr().out
    assert not (target / "findings.csv").exists()
    kb = ekb.load(target)
    assert kb.files == ("frameworks.csv", "reviews.csv", "findings.xlsx")
    assert kb.findings.empty
    assert kb.errors == []
    findings = ekb.load(OWN).findings.assign(review="jeugd-2026", element="liso/synergie", theme="")
    ekb.write_findings(findings, target / "findings.xlsx")
    shutil.copy(OWN / "references.ris", target / "references.ris")
    kb = ekb.load(target)
    assert list(kb.findings["finding_id"]) == ["jz-001", "jz-002", "jz-003"]
    assert set(kb.citations["status"]) == {"resolved"}
