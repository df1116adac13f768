"""ekb.merge and the git merge driver: two coders on findings.csv, merged by row and column."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.io.rawtable import (
    format_raw_table,
    read_conflicts_file,
    read_raw_table,
    write_raw_table,
)

sys.path.insert(0, str(Path(__file__).parent))
from living_merges import clash_set, simulate

BASE = ekb.bundled_data_dir()


@pytest.fixture(scope="module")
def base_table():
    return read_raw_table(BASE / "findings.csv")


def test_reading_and_writing_keeps_the_file_byte_for_byte(base_table):
    assert format_raw_table(base_table) == (BASE / "findings.csv").read_text(encoding="utf-8")


def test_simulated_two_coder_merges_have_no_false_conflict(base_table):
    """200 simulations (1,000 in benchmarks/living_checks.py): every cell as expected, every
    same-cell clash reported with both values, nothing else reported."""
    clashes = 0
    for seed in range(200):
        sim = simulate(base_table, seed)
        result = ekb.merge(base_table, sim.ours, sim.theirs)
        merged = {row["finding_id"]: row for row in result.table.rows}
        assert merged == sim.expected, seed
        assert clash_set(result.conflicts) == sim.clashes, seed
        clashes += len(sim.clashes)
    assert clashes > 20, "the simulation should make real clashes too"


def test_different_cells_of_one_multiline_statement_row_merge(base_table):
    ours, theirs = copy.deepcopy(base_table), copy.deepcopy(base_table)
    ours.rows[0]["statement"] += "\nEen tweede regel\nen een derde"
    theirs.rows[0]["notes"] = "gecontroleerd door B"
    theirs.rows[1]["statement"] += "\nook hier een regel erbij"
    result = ekb.merge(base_table, ours, theirs)
    assert result.conflicts.empty
    assert result.table.rows[0]["statement"].endswith("en een derde")
    assert result.table.rows[0]["notes"] == "gecontroleerd door B"
    assert result.table.rows[1]["statement"].endswith("regel erbij")


def test_a_clash_keeps_ours_and_reports_both_values(base_table):
    ours, theirs = copy.deepcopy(base_table), copy.deepcopy(base_table)
    i = next(i for i, r in enumerate(base_table.rows) if r["direction"] == "promoting")
    fid = base_table.rows[i]["finding_id"]
    ours.rows[i]["direction"], theirs.rows[i]["direction"] = "hindering", ""
    result = ekb.merge(base_table, ours, theirs)
    assert result.conflicts[["id", "column", "base", "ours", "theirs"]].values.tolist() == [
        [fid, "direction", "promoting", "hindering", ""]
    ]
    assert result.table.rows[i]["direction"] == "hindering"
    decided = result.conflicts.assign(verdict="theirs")
    again = ekb.merge(base_table, ours, theirs, decisions=decided)
    assert again.conflicts.empty
    assert again.table.rows[i]["direction"] == ""


def test_deleted_against_edited_is_a_row_conflict(base_table):
    ours, theirs = copy.deepcopy(base_table), copy.deepcopy(base_table)
    ours.rows[2]["notes"] = "bijgewerkt"
    del theirs.rows[2]
    result = ekb.merge(base_table, ours, theirs)
    assert result.conflicts[["column", "ours", "theirs"]].values.tolist() == [
        ["(row)", "edited: notes", "(deleted)"]
    ]
    assert base_table.rows[2]["finding_id"] in {r["finding_id"] for r in result.table.rows}


def test_a_repeated_id_is_an_error_naming_file_and_line(tmp_path, base_table):
    ours = copy.deepcopy(base_table)
    ours.rows[5]["finding_id"] = ours.rows[4]["finding_id"]
    write_raw_table(tmp_path / "ours.csv", ours)
    with pytest.raises(ekb.InputError, match=r"ours.csv \(ours\): line \d+, column 'finding_id'"):
        ekb.merge(BASE / "findings.csv", tmp_path / "ours.csv", BASE / "findings.csv")


# -- through git ------------------------------------------------------------------------------
def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def _repo(tmp_path: Path) -> Path:
    """A repository holding the bundled knowledge base, with the driver registered as the
    README says (the driver run with this Python, so the test uses this checkout)."""
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo / "data")
    _git(repo, "init", "-q", "-b", "main")
    (repo / ".gitattributes").write_text("findings.csv merge=evidence-kb\n", encoding="utf-8")
    driver = f"{sys.executable} -m evidence_kb merge-driver %O %A %B %P"
    _git(repo, "config", "merge.evidence-kb.driver", driver)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    return repo


def _commit_version(repo: Path, branch: str, table, start: str = "main") -> None:
    _git(repo, "checkout", "-q", "-b", branch, start)
    write_raw_table(repo / "data" / "findings.csv", table)
    _git(repo, "commit", "-qam", branch)


@pytest.mark.parametrize("seed", [3, 7, 11, 19])
def test_git_merge_with_the_driver_equals_ekb_merge(tmp_path, base_table, seed):
    repo = _repo(tmp_path)
    sim = simulate(base_table, seed)
    _commit_version(repo, "theirs", sim.theirs)
    _commit_version(repo, "ours", sim.ours, start="main")
    done = _git(repo, "merge", "--no-edit", "theirs")
    expected = ekb.merge(base_table, sim.ours, sim.theirs, kb_dir=BASE)  # as the driver does
    assert (repo / "data" / "findings.csv").read_text(encoding="utf-8") == expected.text
    conflicts = repo / "data" / "findings.conflicts.csv"
    if sim.clashes:
        assert done.returncode != 0, "git must stop on a real clash"
        assert clash_set(read_conflicts_file(conflicts)) == sim.clashes
    else:
        assert done.returncode == 0, done.stdout + done.stderr
        assert not conflicts.exists()
        assert ekb.load(repo / "data").errors == []  # the merged file validates


def test_a_clash_through_git_is_resolved_with_verdicts(tmp_path, base_table):
    repo = _repo(tmp_path)
    ours, theirs = copy.deepcopy(base_table), copy.deepcopy(base_table)
    ours.rows[0]["notes"], theirs.rows[0]["notes"] = "A zegt dit", "B zegt dat"
    ours.rows[1]["topic"] = "alleen A"
    theirs.rows[2]["topic"] = "alleen B"
    _commit_version(repo, "theirs", theirs)
    _commit_version(repo, "ours", ours, start="main")
    done = _git(repo, "merge", "--no-edit", "theirs")
    assert done.returncode != 0
    conflicts = repo / "data" / "findings.conflicts.csv"
    table = read_conflicts_file(conflicts)
    assert table[["column", "ours", "theirs"]].values.tolist() == [
        ["notes", "A zegt dit", "B zegt dat"]
    ]
    table.assign(verdict="value", value="A en B samen").to_csv(conflicts, index=False)
    remaining = ekb.resolve_conflicts(repo / "data" / "findings.csv")
    assert remaining.empty
    assert not conflicts.exists()
    merged = ekb.load(repo / "data")
    assert merged.errors == []
    rows = merged.findings.set_index("finding_id")
    assert rows.at[base_table.rows[0]["finding_id"], "notes"] == "A en B samen"
    assert rows.at[base_table.rows[1]["finding_id"], "topic"] == "alleen A"
    assert rows.at[base_table.rows[2]["finding_id"], "topic"] == "alleen B"


def test_a_clash_on_formula_like_values_is_safe_in_a_spreadsheet_and_resolved_exactly(
    tmp_path, base_table
):
    from evidence_kb.living.merge import merge_files

    kb = tmp_path / "data"
    shutil.copytree(BASE, kb)
    ours, theirs = copy.deepcopy(base_table), copy.deepcopy(base_table)
    ours.rows[0]["notes"], theirs.rows[0]["notes"] = "=HYPERLINK(1)", "- B's version"
    paths = {}
    for label, table in (("base", base_table), ("ours", ours), ("theirs", theirs)):
        paths[label] = tmp_path / f"{label}.csv"
        write_raw_table(paths[label], table)
    merge_files(paths["base"], paths["ours"], paths["theirs"], kb / "findings.csv")
    conflicts = kb / "findings.conflicts.csv"
    raw = conflicts.read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in raw  # guarded on disk
    assert "'- B's version" in raw
    table = read_conflicts_file(conflicts)
    assert table[["ours", "theirs"]].values.tolist() == [["=HYPERLINK(1)", "- B's version"]]
    shutil.copy(paths["ours"], kb / "findings.csv")  # the merged file, as git leaves it
    table.assign(verdict="theirs").to_csv(conflicts, index=False)
    assert ekb.resolve_conflicts(kb / "findings.csv").empty
    notes = read_raw_table(kb / "findings.csv").rows[0]["notes"]
    assert notes == "- B's version"


def test_a_merged_row_that_does_not_validate_keeps_ours_and_is_a_conflict(tmp_path, base_table):
    """Ours moves a finding to another element, theirs gives it another theme of the old one:
    no cell clashes, but the combined row is invalid, so it is a conflict with the reason."""
    kb = ekb.load(BASE)
    elements, findings = kb.elements, kb.findings
    has_themes = set(elements[elements["level"] == "theme"]["parent"])
    themed = findings[
        (findings["theme"].fillna("") == "") & findings["element"].isin(has_themes)
    ].iloc[0]
    other_theme = elements[elements["parent"] == themed["element"]]["element_id"].iloc[0]
    other_element = next(
        e
        for e in findings[findings["review"] == themed["review"]]["element"]
        if e != themed["element"]
    )
    i = next(i for i, r in enumerate(base_table.rows) if r["finding_id"] == themed["finding_id"])
    ours, theirs = copy.deepcopy(base_table), copy.deepcopy(base_table)
    ours.rows[i]["element"] = other_element
    theirs.rows[i]["theme"] = other_theme
    theirs.rows[i + 1]["notes"] = "een gewone wijziging elders"
    plain = ekb.merge(base_table, ours, theirs)
    assert plain.conflicts.empty  # cell by cell there is no clash ...
    result = ekb.merge(base_table, ours, theirs, kb_dir=BASE)  # ... but the row does not validate
    assert result.conflicts[["id", "column", "ours", "theirs"]].values.tolist() == [
        [themed["finding_id"], "theme", "", other_theme]
    ]
    assert result.conflicts["reason"].str.startswith("the merged row does not validate").all()
    merged = {r["finding_id"]: r for r in result.table.rows}
    assert merged[themed["finding_id"]] == ours.rows[i]
    assert merged[base_table.rows[i + 1]["finding_id"]]["notes"] == "een gewone wijziging elders"
    kb_dir = tmp_path / "kb"
    shutil.copytree(BASE, kb_dir)
    (kb_dir / "findings.csv").write_text(result.text, encoding="utf-8")
    assert ekb.load(kb_dir).errors == []


def test_dataframes_and_directories_merge_too(tmp_path, base_table):
    base = pd.read_csv(BASE / "findings.csv", dtype=str, keep_default_na=False)
    ours, theirs = base.copy(), base.copy()
    ours.loc[0, "notes"] = "A"
    theirs.loc[1, "notes"] = "B"
    result = ekb.merge(base, ours, theirs)
    assert result.conflicts.empty
    assert result.frame.loc[[0, 1], "notes"].tolist() == ["A", "B"]
    assert ekb.merge(BASE, BASE, BASE).text == format_raw_table(base_table)
