"""The bundled knowledge base says what the source tables say, row for row.

The expected numbers were counted by hand from the source documents (../shared/seeds), not from
data/findings.csv: if a row goes missing or moves to another element, theme or direction, a test
here fails.
"""

from __future__ import annotations

import re

import pytest

import evidence_kb as ekb

from .conftest import DATA_DIR


@pytest.fixture(scope="module")
def findings():
    return ekb.load().findings


def _count(frame, **where):
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return len(frame)


# 001 Werk & Inkomen, Tabel 1 and Vervolg tabel 1: rows per core element
WI_ROWS = {
    "liso/community-context": 2,
    "liso/samenstelling": 4,
    "liso/organisatie": 3,
    "liso/synergie": 1,
    "liso/opbrengsten": 4,
    "liso/leerlessen": 1,
    "liso/kennistransfer": 1,
    "liso/fasering": 1,
}


@pytest.mark.parametrize(("element", "n"), WI_ROWS.items())
def test_werk_inkomen_rows_per_core_element(findings, element, n):
    assert _count(findings, review="werk-inkomen-2023", element=element) == n


# 002 PPS, Tabel 1 (all continuation pages): (element, theme label) -> promoting, hindering,
# outcome, no_evidence. Organisatie line 102 prints one hindering list for two themes; it is
# split 2 / 4 by content (see data/README.md).
PPS_TABLE = {
    ("liso/community-context", "kwaliteit-samenwerkingsverband"): (5, 6, 0, 0),
    ("liso/community-context", "strategische-koers"): (1, 1, 0, 0),
    ("liso/community-context", "risicos-durven-nemen"): (1, 1, 0, 0),
    ("liso/samenstelling", "samenstelling-lnw"): (6, 7, 0, 0),
    ("liso/organisatie", "randvoorwaarden-processen"): (2, 2, 0, 0),
    ("liso/organisatie", "leiderschap"): (3, 4, 0, 0),
    ("liso/organisatie", "communicatie"): (2, 2, 0, 0),
    ("liso/synergie", "samenwerking"): (4, 4, 0, 0),
    ("liso/synergie", "machtsverhouding-conflicten"): (3, 1, 0, 0),
    ("liso/synergie", "samengebrachte-middelen"): (2, 2, 0, 0),
    ("liso/synergie", "tevredenheid"): (0, 0, 0, 1),
    ("liso/opbrengsten", "resultaten-lnw"): (0, 0, 3, 0),
    ("liso/opbrengsten", "jaarlijkse-bijeenkomst"): (0, 0, 0, 1),
    ("liso/opbrengsten", "resultaten-samenwerkingsverband"): (1, 1, 0, 0),
    ("liso/opbrengsten", "randvoorwaarden-leren"): (0, 0, 0, 1),
    ("liso/leerlessen", "werkwijze-leren"): (4, 4, 0, 0),
    ("liso/kennistransfer", "financiele-prikkels"): (0, 0, 0, 1),
    ("liso/kennistransfer", "implementatiestrategieen"): (0, 0, 0, 1),
    ("liso/kennistransfer", "kennistransfer-moederorganisatie"): (1, 1, 0, 0),
    ("liso/fasering", "formeren"): (2, 1, 0, 0),
    ("liso/fasering", "onderhoud"): (1, 1, 0, 0),
}


@pytest.mark.parametrize(("where", "counts"), PPS_TABLE.items(), ids=[t for _, t in PPS_TABLE])
def test_pps_table_rows_per_theme_and_direction(findings, where, counts):
    element, theme = where
    table = findings[(findings["review"] == "pps-2023") & (findings["kind"] != "working_element")]
    rows = table[(table["element"] == element) & (table["theme"] == f"{element}/{theme}")]
    got = (
        _count(rows, kind="factor", direction="promoting"),
        _count(rows, kind="factor", direction="hindering"),
        _count(rows, kind="outcome"),
        _count(rows, kind="no_evidence"),
    )
    assert got == counts


def test_pps_totals_and_new_working_elements(findings):
    pps = findings[findings["review"] == "pps-2023"]
    assert len(pps) == 91
    assert _count(pps, kind="working_element") == 7  # the seven listed above Tabel 1
    assert _count(pps, kind="no_evidence") == 5
    gaps = pps[pps["kind"] == "no_evidence"]
    assert set(gaps["statement"]) == {"Geen relevante informatie gevonden"}


# 000 LO vs LNW: table -> kind -> rows
LO_LNW = {
    "Tabel 1": {"relationship": 5},
    "Tabel 2": {"overlap": 6, "difference": 12, "relationship": 2},
    "Tabel 3": {"advice": 5},
}


@pytest.mark.parametrize(("table", "kinds"), LO_LNW.items())
def test_lo_lnw_rows_per_table_and_kind(findings, table, kinds):
    rows = findings[
        (findings["review"] == "lo-lnw-2026") & findings["source"].str.startswith(f"000 {table},")
    ]
    assert rows["kind"].value_counts().to_dict() == kinds


def test_lo_lnw_sides(findings):
    rows = findings[findings["review"] == "lo-lnw-2026"]
    assert rows["side"].value_counts().to_dict() == {
        "both": 11,
        "learning_network": 10,
        "learning_organisation": 9,
    }


SOURCE = re.compile(r"^(000|001|002|003|004) .+, line \d+(-\d+)?(, item \d+)?$")


def test_every_finding_points_to_a_document_table_and_line(findings):
    assert findings["source"].str.match(SOURCE).all()
    # no two findings claim the same bullet
    assert not findings["source"].duplicated().any()


SEEDS = {path.name[:3]: path for path in (DATA_DIR / "seeds").glob("00*.txt")}


def _plain(text: str) -> str:
    text = re.sub(r"<sup>[^<]*</sup>", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&amp;", "&").replace("•", " ").replace("*", "")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed_lines():
    return {seed: path.read_text(encoding="utf-8").splitlines() for seed, path in SEEDS.items()}


def test_every_statement_is_printed_on_its_source_line(findings, seed_lines):
    """Provenance: the first words of each statement are on the line its ``source`` names.

    The seeds are copied verbatim into tests/data/seeds. A statement that crosses a page break
    may start on the line before or continue over the next two (a blank line can split a
    bullet in the extracted text), so the line and its neighbours
    are searched.
    """
    misplaced = []
    for row in findings.itertuples():
        match = re.match(r"^(\d{3}) .+, line (\d+)", row.source)
        seed, line = match.group(1), int(match.group(2))
        lines = seed_lines[seed]
        window = _plain(" ".join(lines[max(line - 2, 0) : line + 3]))
        first = _plain(row.statement.splitlines()[0].removeprefix("- "))[:40]
        if first not in window:
            misplaced.append(f"{row.finding_id}: {first!r} not on {seed} line {line}")
    assert misplaced == []


def test_learning_communities_kinds_and_directions(findings):
    """004 has no evidence tables: its stated outcomes, conditions and risks (hand counted)."""
    lc = findings[findings["review"] == "learning-communities"]
    counts = lc.fillna({"direction": ""}).groupby(["kind", "direction"]).size().to_dict()
    assert counts == {
        ("condition", ""): 13,
        ("condition", "promoting"): 92,
        ("outcome", ""): 47,
        ("risk", ""): 10,
        ("risk", "hindering"): 7,
    }


def test_learning_communities_outcomes_per_level(findings):
    outcomes = findings[
        (findings["review"] == "learning-communities") & (findings["kind"] == "outcome")
    ]
    level = (
        outcomes["element"]
        .str.extract(r"^lc/opbrengsten(?:/(micro|meso|macro))?")[0]
        .fillna("spans levels")
    )
    assert level.value_counts().to_dict() == {
        "meso": 25,
        "micro": 10,
        "macro": 9,
        "spans levels": 3,
    }
