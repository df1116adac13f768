"""Publishing a team's own review: its table, gaps that exclude "no evidence" rows, APA initials,
a knowledge base without findings, and plots that a notebook shows.

``tests/data/own_review`` is a made-up review with its own framework (see its README).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main
from evidence_kb.publish import table_layout, table_names, write_table

from .conftest import DATA_DIR

OWN = DATA_DIR / "own_review"
REVIEW = "jeugd-2026"
GAP = "Geen relevante informatie gevonden"


@pytest.fixture(scope="module")
def kb() -> ekb.KnowledgeBase:
    return ekb.load(OWN)


def test_the_review_s_table_has_its_elements_directions_and_citations(kb):
    assert table_names(kb) == (REVIEW,) == kb.table_names()
    table = kb.table(review=REVIEW)
    assert list(table.columns) == [
        "Kernelement",
        "Thema",
        "Bevorderend werkt",
        "Belemmerend werkt",
        "Overig",
        "Over alle kolommen",  # the gap row's text, once: in none of the columns it spans
    ]
    rows = table.to_dict("records")
    assert [(r["Kernelement"], r["Thema"]) for r in rows] == [
        ("Samenwerking", "Vertrouwen"),
        ("Samenwerking", "Rollen"),
        ("Opbrengsten", ""),
    ]
    trust, roles, outcomes = rows
    assert trust["Bevorderend werkt"] == (
        "• Onderling vertrouwen helpt het netwerk. (Kallio & Lappalainen, 2015)"
    )
    assert trust["Belemmerend werkt"] == (
        "• Wisselende deelnemers remmen het vertrouwen. (de Vries & Kallio, 2019)"
    )
    assert trust["Overig"] == ""
    assert set(roles.values()) >= {GAP}
    assert roles["Over alle kolommen"] == GAP
    assert roles["Bevorderend werkt"] == roles["Belemmerend werkt"] == roles["Overig"] == ""
    # the outcome has no direction: under Overig only, never in both factor columns
    assert outcomes["Bevorderend werkt"] == outcomes["Belemmerend werkt"] == ""
    assert outcomes["Overig"] == (
        "• Professionals delen vaker kennis. (Kallio & Lappalainen, 2015; de Vries & Kallio, 2019)"
    )
    assert kb.table(REVIEW).equals(table)


def test_the_reference_list_prints_initials_not_full_given_names(kb):
    layout = table_layout(kb, review=REVIEW)
    assert [e.apa for e in layout.references] == [
        "de Vries, P. J., & Kallio, H.-M. (2019). Samen leren in de jeugdzorg. "
        "Uitgeverij Voorbeeld.",
        "Kallio, H.-M., & Lappalainen, P. (2015). Social workers in learning networks. "
        "Journal of Social Work, 15, 1–15.",
    ]
    assert "Hanna-Maija" not in str(layout.references)


def test_a_bundled_table_name_is_not_a_table_of_the_own_review(kb):
    with pytest.raises(ekb.UnknownIdError, match="'pps-2023' is not a table of this knowledge"):
        kb.table("pps-2023")
    with pytest.raises(ekb.UnknownIdError, match="'jeugd-2025' is not a review"):
        kb.table(review="jeugd-2025")
    with pytest.raises(ValueError, match=r"give a table name or review=; .*: jeugd-2026"):
        kb.table()


def test_write_tables_writes_the_review_s_table_and_no_bundled_names(kb, tmp_path):
    paths = ekb.write_tables(kb, tmp_path, review=REVIEW, formats=["md", "docx"])
    assert [p.name for p in paths] == [f"{REVIEW}.docx", f"{REVIEW}.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{REVIEW}.docx", f"{REVIEW}.md"]
    md = (tmp_path / f"{REVIEW}.md").read_text(encoding="utf-8")
    assert "| Kernelement | Thema | Bevorderend werkt | Belemmerend werkt | Overig |" in md
    assert "• Onderling vertrouwen helpt het netwerk. (Kallio &amp; Lappalainen, 2015)" in md
    assert md.startswith("**Bevindingen: Leernetwerken in de jeugdzorg (Jansen, 2026)**")
    document = docx.Document(str(tmp_path / f"{REVIEW}.docx"))
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0] == ["Kernelement", "Thema", "Bevorderend werkt", "Belemmerend werkt", "Overig"]
    outcome = next(r for r in cells if r[0] == "Opbrengsten")
    assert outcome[2] == outcome[3] == ""
    assert outcome[4].startswith("Professionals delen vaker kennis.")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kallio, H.-M., & Lappalainen, P. (2015)." in text


def test_write_table_is_public(kb, tmp_path):
    path = ekb.write_table(kb.evidence_table(review=REVIEW), tmp_path / "ev.md")
    assert path.read_text(encoding="utf-8").count("| **Samenwerking** |") == 1
    assert write_table is ekb.write_table


def test_cli_tables_for_the_review(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["tables", str(OWN), "--review", REVIEW, "--out", str(out), "--format", "md"])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{REVIEW}.md"]
    assert f"wrote {out / (REVIEW + '.md')}" in capsys.readouterr().out


def test_gaps_do_not_count_no_evidence_rows_and_empty_cells_name_the_element(kb):
    table = kb.gaps()
    assert table[["gap_type", "element", "n_findings"]].values.tolist() == [
        ["no_evidence", "jz/samenwerking/rollen", 1],
        ["empty_cell", "jz/borging", 0],
    ]
    assert table["detail"].iloc[1] == (
        "jeugd-2026 reports on core_element elements of jz but has no finding here"
    )
    by_element = kb.gap_map()
    assert by_element[REVIEW].to_dict() == {
        "jz/samenwerking": 2,  # jz-004 ("Geen relevante informatie gevonden") is not counted
        "jz/opbrengsten": 1,
        "jz/borging": 0,
    }
    themes = kb.gap_map(rows="theme")
    assert themes.loc["jz/samenwerking/rollen", REVIEW] == 0
    assert "no_evidence" not in kb.gap_map(rows="kind").index
    ax = ekb.plot_gap_map(kb, framework="jz")
    assert sorted(t.get_text() for t in ax.texts if t.get_text().isdigit()) == ["1", "2"]


def test_a_knowledge_base_without_findings_builds_and_publishes(tmp_path):
    ekb.init(tmp_path / "new")
    kb = ekb.load(tmp_path / "new")
    assert len(kb.findings) == 0
    assert kb.graph.number_of_nodes() > 0
    assert kb.gaps().empty
    assert kb.gap_map().empty
    (review,) = kb.reviews["review_id"]
    paths = ekb.write_tables(kb, tmp_path / "out", review=review, formats=["md", "docx"])
    assert [p.name for p in paths] == [f"{review}.docx", f"{review}.md"]
    md = (tmp_path / "out" / f"{review}.md").read_text(encoding="utf-8")
    assert "| Kernelement | Thema | Bevorderend werkt | Belemmerend werkt | Overig |" in md


def test_a_notebook_shows_a_plot_as_an_image(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            f"import sys\nsys.path.insert(0, {str(Path(ekb.__file__).parents[1])!r})\n"
            f"import evidence_kb as ekb\nkb = ekb.load({str(OWN)!r})\n"
            "ax = ekb.plot_gap_map(kb, framework='jz')"
        )
    ]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute(
        cwd=str(Path(__file__).parents[1])
    )
    outputs = notebook.cells[0].outputs
    assert any("image/png" in o.get("data", {}) for o in outputs), outputs
