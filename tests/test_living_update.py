"""ekb.update: a search export added to a knowledge base's references, duplicates never twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main

BASE = ekb.bundled_data_dir()
EXPORT = Path(__file__).parent / "data" / "living" / "search_update.ris"


@pytest.fixture
def kb_dir(tmp_path):
    target = tmp_path / "kb"
    shutil.copytree(BASE, target)
    return target


def test_update_adds_the_new_works_once_and_leaves_pairs_for_a_person(kb_dir):
    result = ekb.update(kb_dir, EXPORT)
    assert result.records[["status", "key"]].values.tolist() == [
        ["to review", ""],
        ["added", "kallio2016"],
        ["added", "tosun2017b"],
        ["added", "nieuw2025"],
        ["duplicate in file", "nieuw2025"],
        ["already present", "tosun2017"],
    ]
    assert result.review[["id_a", "id_b"]].values.tolist() == [["kb:kallio2015", "new:0"]]
    review = pd.read_csv(kb_dir / "search_update.review.csv", dtype=str, keep_default_na=False)
    assert review["verdict"].tolist() == [""]
    log = pd.read_csv(kb_dir / "update_log.csv", dtype=str, keep_default_na=False)
    assert log[
        ["file", "records", "added", "already_present", "duplicates_in_file", "to_review"]
    ].values.tolist() == [[str(EXPORT), "6", "3", "1", "1", "1"]]
    assert log["added_keys"].tolist() == ["kallio2016;tosun2017b;nieuw2025"]
    kb = ekb.load(kb_dir)
    assert kb.errors == []
    assert len(kb.references) == len(ekb.load(BASE).references) + 3


def test_the_diff_of_an_update_is_exactly_what_it_added(kb_dir):
    ekb.update(kb_dir, EXPORT)
    changes = ekb.diff(BASE, kb_dir).changes  # the files: only the references added
    assert changes[["table", "change", "id"]].values.tolist() == [
        ["references", "added", "kallio2016"],
        ["references", "added", "nieuw2025"],
        ["references", "added", "tosun2017b"],
    ]
    # the loaded knowledge bases show what it means for the evidence: with a second Tosun
    # (2017), the citations "Tosun, 2017" no longer resolve to one work
    resolved = ekb.diff(ekb.load(BASE), ekb.load(kb_dir)).changes.query("table == 'findings'")
    assert set(resolved["column"]) == {"reference_keys"}
    assert all("tosun2017" in old.split(";") for old in resolved["old"])
    assert not any("tosun2017" in new.split(";") for new in resolved["new"])


def test_a_second_run_adds_nothing_and_honours_the_verdicts(kb_dir):
    ekb.update(kb_dir, EXPORT)
    review = pd.read_csv(kb_dir / "search_update.review.csv", dtype=str, keep_default_na=False)
    review["verdict"] = "same"
    again = ekb.update(kb_dir, EXPORT, decisions=review)
    assert again.counts() == {
        "added": 0,
        "already present": 6,
        "duplicate in file": 0,
        "to review": 0,
    }
    assert again.records["key"].tolist()[0] == "kallio2015"
    assert len(pd.read_csv(kb_dir / "update_log.csv")) == 2


def test_a_dry_run_writes_nothing(kb_dir):
    before = {p.name: p.read_bytes() for p in kb_dir.iterdir() if p.is_file()}
    result = ekb.update(kb_dir, EXPORT, dry_run=True)
    assert result.counts()["added"] == 3
    assert {p.name: p.read_bytes() for p in kb_dir.iterdir() if p.is_file()} == before


def test_a_ris_knowledge_base_gets_ris_entries(kb_dir, tmp_path):
    ekb.write_exports(ekb.load(BASE), tmp_path / "export", formats=("ris",))
    (kb_dir / "references.bib").unlink()
    shutil.copy(tmp_path / "export" / "references.ris", kb_dir / "references.ris")
    ekb.update(kb_dir, EXPORT)
    kb = ekb.load(kb_dir, strict=False)
    assert {"kallio2016", "tosun2017b", "nieuw2025"} <= set(kb.references["key"])


def test_an_unreadable_export_is_refused_with_its_name(kb_dir, tmp_path):
    bad = tmp_path / "broken.ris"
    bad.write_text("this is not a reference export\nat all\n", encoding="utf-8")
    with pytest.raises(ekb.InputError, match=r"broken\.ris"):
        ekb.update(kb_dir, bad)
    assert not (kb_dir / "update_log.csv").exists()


def test_the_update_command(kb_dir, capsys):
    assert main(["update", str(kb_dir), str(EXPORT)]) == 0
    out = capsys.readouterr().out
    assert "6 records: 3 added, 1 already present, 1 duplicate in file, 1 to review" in out


def test_verdicts_filled_in_are_never_written_over(kb_dir):
    ekb.update(kb_dir, EXPORT)
    review_file = kb_dir / "search_update.review.csv"
    review = pd.read_csv(review_file, dtype=str, keep_default_na=False)
    review.assign(verdict="same").to_csv(review_file, index=False)
    before = (kb_dir / "references.bib").read_bytes()
    with pytest.raises(ekb.InputError, match="refused to write this file"):
        ekb.update(kb_dir, EXPORT)  # the verdicts were not passed as decisions
    assert (kb_dir / "references.bib").read_bytes() == before
    assert len(pd.read_csv(kb_dir / "update_log.csv")) == 1
