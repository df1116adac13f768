"""The command line: every everyday job, with consistent options and useful output."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from evidence_kb.cli import build_parser, main

from .conftest import DATA_DIR


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert set(commands) >= {
        "validate",
        "citations",
        "dedupe",
        "evidence",
        "overlaps",
        "gaps",
        "gap-map",
        "compare",
        "tables",
        "report",
        "export",
        "export-graph",
        "build-bib",
    }
    for name, sub in commands.items():
        assert "example:" in sub.format_help(), name


def test_evidence_as_csv_lists_the_findings_of_an_element(capsys):
    out = run(capsys, "evidence", "Synergie", "--format", "csv")
    from io import StringIO

    frame = pd.read_csv(StringIO(out), dtype=str, keep_default_na=False)
    assert {"pps-2023", "werk-inkomen-2023"} == set(frame["review"])
    assert "wi-010" in set(frame["finding_id"])


def test_gaps_of_one_type_as_json(capsys):
    rows = json.loads(run(capsys, "gaps", "--type", "no_evidence", "--format", "json"))
    assert len(rows) == 5
    assert {r["review"] for r in rows} == {"pps-2023"}


def test_gap_map_table_and_csv(capsys):
    assert "pps-2023" in run(capsys, "gap-map", "--framework", "liso")
    out = run(capsys, "gap-map", "--framework", "liso", "--format", "csv")
    assert out.splitlines()[0].startswith("element,")


def test_overlaps_between_two_frameworks(capsys):
    out = run(capsys, "overlaps", "liso", "tno-lo", "--format", "csv")
    assert "tno-lo/reflectie" in out


def test_queries_read_another_knowledge_base_with_data_dir(capsys):
    out = run(
        capsys, "evidence", "Synergie", "--data-dir", str(DATA_DIR / "mini"), "--format", "csv"
    )
    assert "wi-003" in out
    assert "wi-010" not in out


def test_citations_report(capsys):
    out = run(capsys, "citations")
    assert out.startswith("citations: ")
    assert "Kallio & Lappalaine, 2015" in out


def test_tables_export_and_graph_files(tmp_path, capsys):
    run(capsys, "tables", "--out", str(tmp_path / "tables"), "--format", "md", "--no-prisma")
    assert (tmp_path / "tables" / "pps-2023.md").exists()
    run(capsys, "export-graph", "--out", str(tmp_path / "graph.graphml"))
    assert (tmp_path / "graph.graphml").stat().st_size > 0


def test_dedupe_writes_groups_and_pairs(tmp_path, capsys):
    source = DATA_DIR / "refs" / "plain.csv"
    out = run(capsys, "dedupe", str(source), "--out", str(tmp_path / "plain"))
    assert "1 groups of duplicates" in out
    pairs = pd.read_csv(tmp_path / "plain.pairs.csv")
    assert list(pairs[["id_a", "id_b"]].iloc[0]) == ["id_0000001", "id_0000002"]
    review = pd.read_csv(tmp_path / "plain.review.csv")
    assert list(review.columns[:4]) == ["id_a", "id_b", "rule", "score"]
    assert "pairs to review" in out


def test_dedupe_writes_the_notices_with_their_work_and_can_merge_them(tmp_path, capsys):
    source = tmp_path / "export.csv"
    source.write_text(
        "ID,title,year,author,pages,volume,journal\n"
        "p1,Telehealth in rural clinics: a cluster trial,2019,"
        '"Bilbil, E. and Dillon, S.",201-214,35,Journal of Rural Health\n'
        "n1,Correction to: Telehealth in rural clinics: a cluster trial,2020,"
        '"Bilbil, E. and Dillon, S.",99,36,Journal of Rural Health\n',
        encoding="utf-8",
    )
    out = run(capsys, "dedupe", str(source), "--out", str(tmp_path / "link"))
    assert "1 notices, 0 without their work" in out
    related = pd.read_csv(tmp_path / "link.related.csv", keep_default_na=False)
    assert related[["id", "work_id", "relation"]].values.tolist() == [["n1", "p1", "erratum"]]
    assert "0 groups of duplicates" in out
    out = run(capsys, "dedupe", str(source), "--out", str(tmp_path / "merge"), "--related", "merge")
    assert "1 groups of duplicates" in out


def test_unknown_element_is_a_clear_error(capsys):
    assert main(["evidence", "Synergy-x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv", [["validate", "/no/such/dir"], ["tables", "/no/such/dir", "--out", "x"]]
)
def test_missing_directory_is_an_error_not_a_traceback(capsys, argv):
    assert main(argv) == 1
    assert "is not a directory" in capsys.readouterr().err
