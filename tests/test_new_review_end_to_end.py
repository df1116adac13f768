"""A team's own review from scratch: init, findings in CSV or Excel, a RIS export, validate,
resolve, gaps and the published table, without reading or touching the bundled data."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main

from .conftest import DATA_DIR

RIS = DATA_DIR / "own" / "references.ris"  # Smith 2020 (article), Jansen & de Vries 2019 (book)
REVIEW = "jeugd-2026"
ROWS = [  # finding_id, element, theme, kind, direction, statement, citation, source
    (
        "jz-001",
        "liso/synergie",
        "",
        "factor",
        "promoting",
        "Vertrouwen helpt het netwerk.",
        "Smith (2020)",
        "Tabel 2 p. 14",
    ),
    (
        "jz-002",
        "liso/synergie",
        "",
        "factor",
        "hindering",
        "Wisselende deelnemers remmen.",
        "Jansen & de Vries, 2019",
        "interview 3",
    ),
    (
        "jz-003",
        "liso/opbrengsten",
        "",
        "outcome",
        "",
        "Professionals delen vaker kennis.",
        "Smith, 2020; Jansen en de Vries, 2019",
        "Tabel 4",
    ),
    (
        "jz-004",
        "liso/leerlessen",
        "",
        "no_evidence",
        "",
        "Geen relevante informatie gevonden",
        "",
        "Tabel 1",
    ),
]


def _bundled_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(ekb.bundled_data_dir().rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _findings_row(row: tuple[str, ...]) -> dict[str, str]:
    fid, element, theme, kind, direction, statement, citation, source = row
    return {
        "finding_id": fid,
        "review": REVIEW,
        "element": element,
        "theme": theme,
        "kind": kind,
        "direction": direction,
        "statement": statement,
        "citation": citation,
        "source": source,
    }


def _new_review(tmp_path: Path, excel: bool) -> Path:
    target = tmp_path / "jeugdzorg"
    ekb.init(
        target,
        review_id=REVIEW,
        title="Leernetwerken in de jeugdzorg",
        excel=excel,
        frameworks=["liso"],
    )
    shutil.copy(RIS, target / "references.ris")
    if excel:
        book = openpyxl.load_workbook(target / "findings.xlsx")
        sheet = book.active
        header = [c.value for c in sheet[1]]
        for row in ROWS:
            values = _findings_row(row)
            sheet.append([values.get(column, "") for column in header])
        book.save(target / "findings.xlsx")
    else:
        import csv

        with (target / "findings.csv").open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        with (target / "findings.csv").open("a", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            for row in ROWS:
                writer.writerow(_findings_row(row))
    return target


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "excel"])
def test_a_new_review_from_scratch(tmp_path, capsys, excel):
    before = _bundled_fingerprint()
    target = _new_review(tmp_path, excel)

    assert main(["validate", str(target)]) == 0
    assert "OK: the knowledge base is valid." in capsys.readouterr().out

    kb = ekb.load(target)
    assert sorted(kb.findings["finding_id"]) == ["jz-001", "jz-002", "jz-003", "jz-004"]
    assert set(kb.findings["review"]) == {REVIEW}  # nothing of the bundled reviews
    assert kb.concept_table is None
    assert kb.crosswalk_table is None

    # every citation resolves to the RIS export's records
    cited = kb.citations[["finding_id", "key", "status"]].values.tolist()
    assert sorted(cited) == [
        ["jz-001", "smith2020", "resolved"],
        ["jz-002", "jansen2019", "resolved"],
        ["jz-003", "jansen2019", "resolved"],
        ["jz-003", "smith2020", "resolved"],
    ]
    assert kb.resolve("Smith, 2020")["key"].tolist() == ["smith2020"]
    assert list(kb.evidence("Synergie")["finding_id"]) == ["jz-001", "jz-002"]

    # the gap the review reports is a gap, and is not counted as a finding
    gaps = kb.gaps()
    no_evidence = gaps[gaps["gap_type"] == "no_evidence"]
    assert no_evidence["element"].tolist() == ["liso/leerlessen"]
    assert kb.gap_map()[REVIEW].sum() == 3

    # the review's own table, in Markdown and Word
    out = tmp_path / "tables"
    assert (
        main(
            [
                "tables",
                str(target),
                "--review",
                REVIEW,
                "--out",
                str(out),
                "--format",
                "md",
                "--format",
                "docx",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [f"{REVIEW}.docx", f"{REVIEW}.md"]
    md = (out / f"{REVIEW}.md").read_text(encoding="utf-8")
    assert "Vertrouwen helpt het netwerk. (Smith, 2020)" in md
    document = docx.Document(str(out / f"{REVIEW}.docx"))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Kernelement", "Thema", "Bevorderend werkt", "Belemmerend werkt", "Overig"]
    synergie = next(r for r in rows if r[0] == "Synergie")
    assert synergie[2].startswith("Vertrouwen helpt het netwerk.")
    assert synergie[3].startswith("Wisselende deelnemers remmen.")
    references = "\n".join(p.text for p in document.paragraphs)
    assert "Smith, J. (2020). Trust in learning networks." in references

    assert _bundled_fingerprint() == before  # the bundled data was not touched
