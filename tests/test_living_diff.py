"""ekb.diff: exactly the scripted changes, no change for the same data saved differently, the gaps
and factsheet cells that changed, git revisions, and the command line."""

from __future__ import annotations

import csv
import html
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from living_edits import observed, read_rows, scripted_version, write_rows

BASE = ekb.bundled_data_dir()


@pytest.fixture(scope="module")
def base_kb():
    return ekb.load(BASE)


def _copy(tmp_path: Path, name: str = "kb") -> Path:
    target = tmp_path / name
    shutil.copytree(BASE, target)
    return target


# -- the scripted versions: precision and recall 1.0 ------------------------------------------
@pytest.mark.parametrize("seed", range(12))
def test_diff_reports_exactly_the_scripted_changes(tmp_path, seed):
    rng = random.Random(seed)
    expected = scripted_version(BASE, tmp_path / "v", seed, rng.randint(1, 20))
    result = ekb.diff(BASE, tmp_path / "v")
    assert observed(result.changes) == expected


def test_every_gap_transition_is_confirmed_on_both_sides(tmp_path):
    """The gaps the diff reports as opened are gaps of the new side only, closed of the old only."""
    checked = 0
    for seed in range(100, 106):
        scripted_version(BASE, tmp_path / str(seed), seed, 20)
        result = ekb.diff(BASE, tmp_path / str(seed))
        old = ekb.load(BASE).gaps()
        new = ekb.load(tmp_path / str(seed)).gaps()
        for gap in result.gaps.itertuples():
            key = (gap.gap_type, gap.element, gap.review)
            in_old = key in set(zip(old.gap_type, old.element, old.review, strict=True))
            in_new = key in set(zip(new.gap_type, new.element, new.review, strict=True))
            assert (in_old, in_new) == (
                (False, True) if gap.transition == "opened" else (True, False)
            )
            checked += 1
    assert checked > 0, "the scripted edits should open or close at least one gap"


def test_filling_an_empty_cell_is_a_gap_transition(tmp_path, base_kb):
    gap = base_kb.gaps().query("gap_type == 'empty_cell'").iloc[0]
    kb_dir = _copy(tmp_path)
    header, rows = read_rows(kb_dir / "findings.csv")
    template = next(r for r in rows if r["review"] == gap.review and r["element"] != r["review"])
    rows.append(
        template
        | {"finding_id": "new-001", "element": gap.element, "theme": "", "statement": "Nieuw"}
    )
    write_rows(kb_dir / "findings.csv", header, rows)
    result = ekb.diff(BASE, kb_dir)
    assert observed(result.changes) == {("findings", "added", "new-001", "")}
    filled = result.gaps.query("gap_type == 'empty_cell'")
    assert filled[["transition", "what", "element", "review"]].values.tolist() == [
        ["closed", "empty cell filled", gap.element, gap.review]
    ]


def test_changed_statement_shows_in_the_factsheet_table_and_html(tmp_path):
    kb_dir = _copy(tmp_path)
    header, rows = read_rows(kb_dir / "findings.csv")
    row = next(r for r in rows if r["review"] == "pps-2023" and r["direction"] == "promoting")
    old_statement = row["statement"]
    row["statement"] = "Een geheel nieuwe formulering van deze bevinding"
    write_rows(kb_dir / "findings.csv", header, rows)
    result = ekb.diff(BASE, kb_dir)
    assert result.changes[["change", "id", "column", "old"]].values.tolist() == [
        ["edited", row["finding_id"], "statement", old_statement]
    ]
    cells = result.tables.query("table == 'pps-2023'")
    assert len(cells) == 1
    assert "Een geheel nieuwe formulering" in cells.iloc[0]["new"]
    assert old_statement[:40] in cells.iloc[0]["old"]
    out = tmp_path / "out"
    paths = ekb.write_diff(result, out)
    assert {p.name for p in paths} == {
        "diff.md",
        "diff.html",
        "changes.csv",
        "gaps.csv",
        "table_cells.csv",
    }
    page = (out / "diff.html").read_text(encoding="utf-8")
    marked = re.findall(r'<td class="edited" title="was: ([^"]*)">([^<]*)</td>', page)
    assert len(marked) == 1  # the changed cell of the table, marked, with its old value
    assert "Een geheel nieuwe formulering" in marked[0][1]
    assert old_statement[:40] in html.unescape(marked[0][0])
    assert "Een geheel nieuwe formulering" in page
    assert pd.read_csv(out / "changes.csv")["id"].tolist() == [row["finding_id"]]


# -- the same data saved differently ------------------------------------------------------------
def _reorder_and_pad(kb_dir: Path) -> None:
    """Rows shuffled, CRLF line endings, every cell quoted, spaces around and inside text cells."""
    for name in ("findings.csv", "frameworks.csv", "reviews.csv"):
        header, rows = read_rows(kb_dir / name)
        random.Random(1).shuffle(rows)
        with (kb_dir / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
            writer.writerow(header)
            writer.writerows([_pad(c, r[c]) for c in header] for r in rows)


def _pad(column: str, cell: str) -> str:
    if column in ("statement", "notes", "label_en", "title") and cell:
        return f" {cell.replace(' ', '  ', 1)}  "
    return cell


def _excel_findings(kb_dir: Path) -> None:
    frame = pd.read_csv(kb_dir / "findings.csv", dtype=str, keep_default_na=False)
    frame.to_excel(kb_dir / "findings.xlsx", index=False)
    (kb_dir / "findings.csv").unlink()


def _findings_of_a_loaded_kb_as_excel(kb_dir: Path) -> None:
    """ekb.write_findings of a loaded knowledge base: reference_keys now hold what the citations
    resolve to, which an empty cell means anyway."""
    (kb_dir / "findings.csv").unlink()
    ekb.write_findings(ekb.load(BASE).findings, kb_dir / "findings.xlsx")


def _exported_references(kb_dir: Path, fmt: str) -> None:
    out = kb_dir.parent / "export"
    ekb.write_exports(ekb.load(BASE), out, formats=(fmt,))
    (kb_dir / "references.bib").unlink()
    name = {"ris": "references.ris", "csl-json": "references.json"}[fmt]
    shutil.copy(out / name, kb_dir / name)


def _bib_field_order_and_entry_order(kb_dir: Path) -> None:
    text = (kb_dir / "references.bib").read_text(encoding="utf-8")
    head, *blocks = text.split("\n@")
    shuffled = []
    for block in blocks:
        first, *fields = block.rstrip().rstrip("}").rstrip().split("\n")
        fields = [f.rstrip(",") for f in fields]
        fields.reverse()
        shuffled.append(first + "\n" + ",\n".join(fields) + "\n}")
    random.Random(2).shuffle(shuffled)
    (kb_dir / "references.bib").write_text(
        head + "\n@" + "\n\n@".join(shuffled) + "\n", encoding="utf-8"
    )


def _json_key_order(kb_dir: Path) -> None:
    _exported_references(kb_dir, "csl-json")
    items = json.loads((kb_dir / "references.json").read_text(encoding="utf-8"))
    items = [dict(reversed(list(item.items()))) for item in reversed(items)]
    (kb_dir / "references.json").write_text(json.dumps(items, indent=4), encoding="utf-8")


@pytest.mark.parametrize(
    "resave",
    [
        pytest.param(_reorder_and_pad, id="rows-reordered-crlf-whitespace"),
        pytest.param(_excel_findings, id="findings-csv-to-excel"),
        pytest.param(_findings_of_a_loaded_kb_as_excel, id="write-findings-of-loaded-kb"),
        pytest.param(lambda d: _exported_references(d, "ris"), id="bibtex-to-ris"),
        pytest.param(lambda d: _exported_references(d, "csl-json"), id="bibtex-to-csl-json"),
        pytest.param(_bib_field_order_and_entry_order, id="bibtex-field-and-entry-order"),
        pytest.param(_json_key_order, id="csl-json-key-order"),
    ],
)
def test_the_same_data_saved_differently_is_no_change(tmp_path, resave):
    kb_dir = _copy(tmp_path)
    resave(kb_dir)
    result = ekb.diff(BASE, kb_dir)
    assert result.changes.empty, result.changes.head().to_string()
    if (kb_dir / "references.bib").exists():
        # RIS and CSL-JSON cannot hold the aliases (biblatex ids) that the PPS superscript
        # numbers resolve through, so there the evidence itself differs; with BibTeX it is equal
        assert result.gaps.empty
        assert result.tables.empty


def test_ris_to_csl_json_is_no_change(tmp_path):
    ris, json_dir = _copy(tmp_path, "ris"), _copy(tmp_path, "json")
    _exported_references(ris, "ris")
    _exported_references(json_dir, "csl-json")
    assert ekb.diff(ris, json_dir).changes.empty


def test_a_real_edit_is_seen_through_a_format_change(tmp_path):
    kb_dir = _copy(tmp_path)
    _exported_references(kb_dir, "ris")
    text = (kb_dir / "references.ris").read_text(encoding="utf-8")
    title = ekb.load(BASE).references.set_index("key").at["kallio2015", "title"]
    (kb_dir / "references.ris").write_text(
        text.replace(title, title + " revisited"), encoding="utf-8"
    )
    result = ekb.diff(BASE, kb_dir)
    assert observed(result.changes) == {("references", "edited", "kallio2015", "title")}


# -- inputs: loaded knowledge bases, git revisions, errors --------------------------------------
def test_a_loaded_knowledge_base_against_itself_is_no_change(base_kb):
    result = ekb.diff(base_kb, base_kb)
    assert len(result) == 0
    assert repr(result) == "<Diff: 0 changes>"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_diff_against_a_git_revision(tmp_path):
    repo = tmp_path / "repo"
    kb_dir = repo / "data"
    shutil.copytree(BASE, kb_dir)
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "kb")
    header, rows = read_rows(kb_dir / "findings.csv")
    rows = [r for r in rows if r["finding_id"] != "wi-001"]
    write_rows(kb_dir / "findings.csv", header, rows)
    bare = ekb.diff("HEAD", kb_dir)
    assert observed(bare.changes) == {("findings", "removed", "wi-001", "")}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(repo)
        spelled = ekb.diff("HEAD:data", "data")
    assert observed(spelled.changes) == observed(bare.changes)


def test_an_unknown_revision_is_a_clear_error(tmp_path):
    with pytest.raises(ekb.InputError, match="no-such-revision"):
        ekb.diff("no-such-revision", BASE)


def test_a_side_with_errors_is_refused_naming_file_and_line(tmp_path):
    kb_dir = _copy(tmp_path)
    header, rows = read_rows(kb_dir / "findings.csv")
    rows[0]["element"] = "no/such/element"
    write_rows(kb_dir / "findings.csv", header, rows)
    with pytest.raises(ekb.InputError, match=r"findings.csv: line 2, column 'element'"):
        ekb.diff(BASE, kb_dir)
    lenient = ekb.diff(BASE, kb_dir, strict=False)
    assert ("findings", "removed", rows[0]["finding_id"], "") in observed(lenient.changes)


def test_the_command_prints_and_writes_the_diff(tmp_path, capsys):
    kb_dir = _copy(tmp_path)
    header, rows = read_rows(kb_dir / "reviews.csv")
    rows[0]["notes"] = "bijgewerkt"
    write_rows(kb_dir / "reviews.csv", header, rows)
    assert main(["diff", str(BASE), str(kb_dir), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "reviews edited: 1" in printed
    assert (tmp_path / "out" / "diff.html").exists()


def test_a_table_one_side_lacks_is_all_added_or_removed(tmp_path, base_kb):
    kb_dir = _copy(tmp_path)
    (kb_dir / "crosswalk.csv").unlink()
    result = ekb.diff(BASE, kb_dir)
    assert set(result.changes["table"]) == {"crosswalk"}
    assert set(result.changes["change"]) == {"removed"}
    assert len(result.changes) == len(base_kb.crosswalk_table)


def test_any_table_is_compared_by_its_id_column():
    from evidence_kb.living.diff import table_changes

    old = pd.DataFrame(
        {"study_id": ["s1", "s2", "s3"], "design": ["RCT", "cohort", "survey"], "line": [2, 3, 4]}
    )
    new = pd.DataFrame(
        {
            "study_id": ["s3", "s1", "s4"],
            "design": ["survey", "RCT (cluster)", "trial"],
            "line": [2, 3, 4],
        }
    )
    assert table_changes("studies", old, new)[["change", "id", "column"]].values.tolist() == [
        ["edited", "s1", "design"],  # the file line is where a row was read, not what it says
        ["removed", "s2", ""],
        ["added", "s4", ""],
    ]
    renamed = new.assign(study_id=["s3", "s1", "s2-b"], design=["survey", "RCT", "cohort"])
    assert table_changes("studies", old, renamed).values.tolist() == [
        ["studies", "edited", "s2-b", "study_id", "s2", "s2-b"]  # matched by its content
    ]


def test_reference_keys_written_out_are_compared_with_what_an_empty_cell_resolves_to(
    tmp_path, base_kb
):
    cited = base_kb.findings[base_kb.findings["reference_keys"].fillna("") != ""].iloc[0]
    kb_dir = _copy(tmp_path)
    header, rows = read_rows(kb_dir / "findings.csv")
    row = next(r for r in rows if r["finding_id"] == cited["finding_id"])
    row["reference_keys"] = cited["reference_keys"]  # the same as the empty cell resolves to
    write_rows(kb_dir / "findings.csv", header, rows)
    assert ekb.diff(BASE, kb_dir).changes.empty
    other = next(k for k in base_kb.references["key"] if k not in cited["reference_keys"])
    row["reference_keys"] = other  # a person's correction: another work
    write_rows(kb_dir / "findings.csv", header, rows)
    changes = ekb.diff(BASE, kb_dir).changes
    assert changes[["id", "column", "old", "new"]].values.tolist() == [
        [cited["finding_id"], "reference_keys", "", other]
    ]
