"""The evidence graph: its schema, the crosswalk, the queries, and the exports."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter

import networkx as nx
import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.graph import (
    EDGE_KINDS,
    build_graph,
    compare,
    concept_table,
    derive_comparison_links,
    evidence,
    gap_map,
    gaps,
    overlaps,
    read_node_link_json,
    shared_references,
    write_gexf,
    write_graph,
    write_graphml,
    write_node_link_json,
)
from evidence_kb.graph.queries import EVIDENCE_COLUMNS, GAP_COLUMNS, GAP_TYPES
from evidence_kb.io.tables import load_concepts, load_crosswalk

from .conftest import DATA_DIR

PPS_THEMES_WITHOUT_EVIDENCE = [
    "liso/synergie/tevredenheid",
    "liso/opbrengsten/jaarlijkse-bijeenkomst",
    "liso/opbrengsten/randvoorwaarden-leren",
    "liso/kennistransfer/financiele-prikkels",
    "liso/kennistransfer/implementatiestrategieen",
]


@pytest.fixture(scope="module")
def kb():
    return ekb.load()


@pytest.fixture(scope="module")
def G(kb):
    return build_graph(kb)


def _kinds(G, kind):
    return [n for n, d in G.nodes(data=True) if d["kind"] == kind]


# -- schema ---------------------------------------------------------------------------------------
def test_one_node_per_input_of_each_kind(G, kb):
    frameworks = kb.elements[kb.elements["level"] == "framework"]
    counts = Counter(d["kind"] for _, d in G.nodes(data=True))
    assert counts["framework"] == len(frameworks)
    assert counts["element"] == len(kb.elements) - len(frameworks)
    assert counts["finding"] == len(kb.findings)
    assert counts["reference"] == len(kb.references)
    assert counts["review"] == len(kb.reviews)
    assert counts["concept"] == len(load_concepts())
    assert G.number_of_nodes() == sum(counts.values())


@pytest.mark.parametrize(
    "node",
    [
        "framework:liso",
        "framework:tno-lo",
        "element:liso/synergie",
        "element:tno-lo/reflectie",
        "finding:pps-023",
        "concept:trust",
        "reference:kallio2015",
        "review:pps-2023",
    ],
)
def test_node_ids_are_readable(G, node):
    kind = node.split(":")[0]
    assert G.nodes[node]["kind"] == kind
    assert G.nodes[node]["label"]


def test_edge_keys_are_their_kinds(G):
    for u, _, key, data in G.edges(keys=True, data=True):
        assert data["kind"] in EDGE_KINDS
        assert key == data["kind"] or key == f"maps_to:{data['relation']}"
        assert G.nodes[u]["kind"] in {"finding", "element", "framework"}


def test_every_finding_has_its_edges(G, kb):
    findings = kb.findings.set_index("finding_id")
    references = set(kb.references["key"])
    for f in _kinds(G, "finding"):
        row = findings.loc[f.split(":", 1)[1]]
        out = Counter(k for _, _, k in G.out_edges(f, keys=True))
        assert out["from_review"] == 1
        assert G.has_edge(f, f"review:{row['review']}", "from_review")
        expected = {"promoting": "promotes", "hindering": "hinders"}.get(row["direction"], "about")
        about = [
            (v, k) for _, v, k in G.out_edges(f, keys=True) if k in ("about", "promotes", "hinders")
        ]
        assert about, f
        assert {k for _, k in about} == {expected}
        target = row["theme"] if isinstance(row["theme"], str) and row["theme"] else row["element"]
        if isinstance(target, str) and target:
            assert [v.split(":", 1)[1] for v, _ in about] == [target]
        else:  # a comparison finding of 000: the framework(s) of its side
            assert all(G.nodes[v]["kind"] == "framework" for v, _ in about)
        keys = {
            k
            for k in str(
                row["reference_keys"] if isinstance(row["reference_keys"], str) else ""
            ).split(";")
            if k
        }
        assert out["cites"] == len(keys & references)
        for _, v, k in G.out_edges(f, keys=True):
            if k == "mentions":
                assert G.nodes[v]["kind"] == "concept"


def test_every_element_is_part_of_its_parent(G, kb):
    for row in kb.elements.itertuples():
        kind = "framework" if row.level == "framework" else "element"
        node = f"{kind}:{row.element_id}"
        parents = [v for _, v, k in G.out_edges(node, keys=True) if k == "part_of"]
        if row.level == "framework":
            assert parents == []
        else:
            assert [p.split(":", 1)[1] for p in parents] == [row.parent]


def test_theme_findings_and_comparison_findings_point_where_expected(G):
    assert G.has_edge("finding:pps-023", "element:liso/samenstelling/samenstelling-lnw", "promotes")
    assert G.has_edge(
        "finding:pps-015",
        "element:liso/community-context/kwaliteit-samenwerkingsverband",
        "hinders",
    )
    assert G.has_edge("finding:wi-011", "element:liso/opbrengsten", "about")
    assert G.has_edge("finding:lolnw-010", "framework:tno-lo", "about")
    assert G.has_edge("finding:lolnw-011", "framework:liso-2025", "about")
    assert G.edges["finding:lolnw-011", "framework:liso-2025", "about"]["via"] == "side"


def test_concepts_are_mentioned_by_findings_and_labels(G):
    assert G.has_edge("finding:pps-015", "concept:trust", "mentions")
    assert G.edges["finding:pps-015", "concept:trust", "mentions"]["origin"] == "auto"
    assert G.edges["finding:wi-006", "concept:roles", "mentions"]["origin"] == "hand"
    assert not G.has_edge("finding:pps-048", "concept:context", "mentions")  # removed by hand
    assert (
        G.edges["element:tno-lo/reflectie", "concept:reflection", "mentions"]["origin"] == "label"
    )


def test_build_accepts_plain_tables(kb, G):
    tables = {
        "findings": kb.findings,
        "elements": kb.elements,
        "reviews": kb.reviews,
        "references": kb.references,
        "citations": kb.citations,
        "concepts": kb.concept_table,
        "concept_tags": kb.concept_tag_table,
        "crosswalk": kb.crosswalk_table.drop(columns=["line"]),
    }
    H = build_graph(tables)
    assert nx.utils.graphs_equal(
        nx.MultiDiGraph(H.edges(keys=True)), nx.MultiDiGraph(G.edges(keys=True))
    )


def test_build_refuses_what_is_not_a_knowledge_base():
    with pytest.raises(TypeError, match="has no findings, elements, reviews, references table"):
        build_graph(object())


def test_mini_kb_builds_and_skips_crosswalk_links_it_cannot_place(mini_kb, tmp_path):
    H = build_graph(mini_kb)
    assert len(_kinds(H, "finding")) == len(mini_kb.findings)
    assert _kinds(H, "concept") == []  # the mini knowledge base has no concepts.csv
    assert not [k for *_, k in H.edges(keys=True) if k.startswith("maps_to")]

    target = tmp_path / "kb"
    shutil.copytree(DATA_DIR / "mini", target)
    shutil.copy(ekb.bundled_data_dir() / "crosswalk.csv", target / "crosswalk.csv")
    kb = ekb.load(target)
    problems = [p for p in kb.problem_list if p.file == "crosswalk.csv"]
    assert problems
    assert all(p.severity == "warning" for p in problems)
    assert "is not an element of this knowledge base; the link is left out" in str(problems[0])
    assert len(_kinds(build_graph(kb), "finding")) == len(kb.findings)


def test_import_stays_light():
    code = "import sys, evidence_kb; print('networkx' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == "False"


# -- the crosswalk --------------------------------------------------------------------------------
def test_crosswalk_rows_for_another_knowledge_base_are_left_out_with_a_warning(tmp_path, kb):
    path = tmp_path / "crosswalk.csv"
    path.write_text(
        "source_element,target_element,relation,finding_id,note\n"
        "liso/synergie,liso-2025/synergie,overlap,lolnw-999,x\n"
        "liso/synergie,xyz/synergie,overlap,lolnw-009,x\n",
        encoding="utf-8",
    )
    rows, warnings = load_crosswalk(
        path, elements=kb.elements["element_id"], findings=kb.findings["finding_id"]
    )
    assert rows.empty
    assert [(w.line, w.column, w.severity) for w in warnings] == [
        (2, "finding_id", "warning"),
        (3, "target_element", "warning"),
    ]


def test_crosswalk_rows_are_all_supported(kb):
    crosswalk, warnings = load_crosswalk(
        elements=kb.elements["element_id"], findings=kb.findings["finding_id"]
    )
    assert warnings == []
    for row in crosswalk.itertuples():
        assert row.finding_id or re.search(r"\b00\d\b.*\blines? \d+", row.note), row


def test_crosswalk_holds_every_link_the_comparison_findings_state(kb):
    crosswalk, _ = load_crosswalk()
    stated = derive_comparison_links(kb.findings)
    have = set(
        crosswalk[["source_element", "target_element", "relation", "finding_id"]].itertuples(
            index=False, name=None
        )
    )
    for row in stated[["source_element", "target_element", "relation", "finding_id"]].itertuples(
        index=False, name=None
    ):
        assert row in have


def test_crosswalk_pairs_the_tno_conditions_with_the_liso_side(G):
    def linked(u, v):
        return any(k.startswith("maps_to") for k in G.get_edge_data(u, v, default={}))

    assert linked("element:tno-lo/reflectie", "element:liso/leerlessen/werkwijze-leren")
    assert linked(
        "element:tno-lo/ruimte-voor-variatie", "element:liso/samenstelling/samenstelling-lnw"
    )
    assert linked(
        "element:tno-lo/transparantie",
        "element:liso/community-context/kwaliteit-samenwerkingsverband",
    )
    edge = G.edges["element:liso/synergie", "element:liso-2025/synergie", "maps_to:same_as"]
    assert "000 2 Twee raamwerken, line 64" in edge["note"]
    assert set(
        G.edges["framework:tno-lo", "framework:liso-2025", "maps_to:overlap"]["finding_id"].split(
            ";"
        )
    ) == {
        "lolnw-006",
        "lolnw-007",
        "lolnw-008",
        "lolnw-009",
        "lolnw-010",
        "lolnw-011",
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param(
            "liso/synergie,liso-2025/synergie,same_as,,named in both",
            "no support",
            id="unsupported",
        ),
        pytest.param(
            "liso/synergie,liso-2025/synergie,similar,lolnw-009,x", "got 'similar'", id="relation"
        ),
        pytest.param(
            "liso/synergie,liso/synergie,same_as,lolnw-009,x",
            "cannot be linked to itself",
            id="self",
        ),
    ],
)
def test_bad_crosswalk_rows_are_refused(tmp_path, kb, row, message):
    path = tmp_path / "crosswalk.csv"
    path.write_text(
        "source_element,target_element,relation,finding_id,note\n" + row + "\n", encoding="utf-8"
    )
    with pytest.raises(ekb.InputError, match=re.escape(message)) as err:
        load_crosswalk(path, elements=kb.elements["element_id"], findings=kb.findings["finding_id"])
    assert "line 2" in str(err.value)


# -- queries never change the graph ---------------------------------------------------------------
def test_queries_leave_the_graph_and_its_tables_as_they_were(G):
    before = G.copy()
    index = G.graph["index"]
    frames = {
        name: getattr(index, name).copy() for name in ("findings", "elements", "tags", "crosswalk")
    }
    evidence(G, "Synergie")
    evidence(G, "trust")
    overlaps(G, "liso", "tno-lo")
    gaps(G)
    gap_map(G, rows="concept", cols="review", split_direction=True)
    compare(G, "werk-inkomen-2023", "pps-2023")
    shared_references(G)
    concept_table(G)
    assert nx.utils.graphs_equal(G, before)
    assert G.graph["index"] is index
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(getattr(index, name), frame)


def test_queries_accept_the_knowledge_base_and_build_its_graph_once(kb):
    from evidence_kb.graph.queries import as_graph

    assert as_graph(kb) is as_graph(kb)
    assert len(evidence(kb, "Synergie")) == len(evidence(as_graph(kb), "Synergie"))


# -- evidence -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["liso/opbrengsten", "Opbrengsten", "Outcomes", "Resultaten", "element:liso/opbrengsten"],
)
def test_evidence_finds_an_element_by_id_label_or_alias(G, name):
    table = evidence(G, name)
    assert list(table.columns) == list(EVIDENCE_COLUMNS)
    assert set(table["element"]) == {"liso/opbrengsten"}
    assert {"wi-011", "pps-068", "pps-072"} <= set(table["finding_id"])
    assert table.equals(table.sort_values(["review", "finding_id"]).reset_index(drop=True))


def test_evidence_for_a_theme_and_for_a_tno_condition(G):
    theme = evidence(G, "Leiderschap")
    assert set(theme["theme"]) == {"liso/organisatie/leiderschap"}
    assert set(theme["direction"]) == {"promoting", "hindering"}
    condition = evidence(G, "tno-lo/reflectie")
    assert set(condition["finding_id"]) == {"lolnw-010", "lolnw-011"}
    assert set(condition["via"]) == {"crosswalk"}


def test_evidence_for_a_concept_by_id_or_label(G):
    by_id = evidence(G, "trust")
    by_label = evidence(G, "vertrouwen")
    assert by_id.equals(by_label)
    assert {"pps-009", "pps-015", "pps-090", "pps-091", "wi-010"} <= set(by_id["finding_id"])
    assert "lolnw-009" not in set(by_id["finding_id"])  # 'vertrouwen in opbrengsten'
    assert set(by_id["via"]) == {"concept"}


def test_evidence_for_an_unknown_name_suggests_one(G):
    with pytest.raises(
        ekb.UnknownIdError,
        match=r"'Synergy2' is not an element, theme, condition or concept \(did you mean",
    ):
        evidence(G, "Synergy2")


# -- the three questions of the issue -------------------------------------------------------------
def test_where_liso_and_the_learning_organisation_overlap(kb):
    table = overlaps(kb, "liso", "lo")
    assert (table["framework_a"] == "liso").all()
    assert (table["framework_b"] == "tno-lo").all()
    assert table["strength"].between(0, 1).all()
    assert table.equals(
        table.sort_values(
            ["strength", "n_shared", "element_a", "element_b"], ascending=[False, False, True, True]
        ).reset_index(drop=True)
    )
    shared = {c for cell in table["shared_concepts"] for c in cell.split(";") if c}
    assert {"reflection", "heterogeneity", "cognitive-distance"} <= shared

    def pair(a, b):
        rows = table[(table["element_a"] == a) & (table["element_b"] == b)]
        assert len(rows) == 1, (a, b)
        return rows.iloc[0]

    reflection = pair("liso/leerlessen/werkwijze-leren", "tno-lo/reflectie")
    assert "reflection" in reflection["shared_concepts"]
    assert reflection["crosswalk"] == "overlap"
    variation = pair("liso/samenstelling/samenstelling-lnw", "tno-lo/ruimte-voor-variatie")
    assert "heterogeneity" in variation["shared_concepts"]
    distance = pair("liso/community-context/kwaliteit-samenwerkingsverband", "tno-lo/transparantie")
    assert "cognitive-distance" in distance["shared_concepts"]
    assert {"pps-006", "pps-008", "pps-013", "lolnw-010", "lolnw-011"} <= set(
        distance["supporting_findings"].split(";")
    )
    assert "De Wolff & Pannebakker, 2023" in distance["citations"]
    transfer = pair("liso/kennistransfer/kennistransfer-moederorganisatie", "tno-lo/omgeving")
    assert transfer["crosswalk"] == "relationship"
    assert set(transfer["supporting_findings"].split(";")) == {"lolnw-012", "lolnw-013"}
    # every pair says why
    assert (
        (table["shared_concepts"] != "")
        | (table["shared_references"] != "")
        | (table["crosswalk"] != "")
    ).all()


def test_overlap_strength_is_the_weighted_bipartite_projection(G):
    """The strengths equal networkx's overlap_weighted_projected_graph on the element-feature graph."""
    from networkx.algorithms import bipartite

    from evidence_kb.graph.queries.common import _index
    from evidence_kb.graph.queries.overlaps import _overlap_features

    index = _index(G)
    elements = index.elements
    nodes = elements.loc[elements["framework"].isin(("liso", "tno-lo")), "element_id"].tolist()
    features, _ = _overlap_features(index, nodes, "liso", "tno-lo")
    B = nx.Graph()
    B.add_nodes_from(nodes, bipartite=0)
    B.add_edges_from(
        (nodes[e], ("feature", f)) for e, f in zip(features.element, features.feature, strict=True)
    )
    projected = bipartite.overlap_weighted_projected_graph(B, nodes, jaccard=True)
    table = overlaps(G, "liso", "tno-lo")
    assert len(table) > 20
    for row in table.itertuples():
        assert row.strength == pytest.approx(
            projected.edges[row.element_a, row.element_b]["weight"], abs=1e-4
        )
    cross = [
        (u, v)
        for u, v in projected.edges
        if {u.split("/")[0], v.split("/")[0]} == {"liso", "tno-lo"}
    ]
    assert len(cross) == len(table)
    row = table[
        (table["element_a"] == "liso/synergie/machtsverhouding-conflicten")
        & (table["element_b"] == "tno-lo/reflectie")
    ].iloc[0]
    assert row["n_shared"] == 2  # the concept reflection and the crosswalk link


def test_overlaps_list_at_most_max_findings(G):
    table = overlaps(G, "liso", "tno-lo", max_findings=2)
    listed = table["supporting_findings"].str.split(";").str.len()
    assert (listed <= 2).all()
    assert (table["n_supporting"] >= listed).all()
    assert table["n_supporting"].max() > 2


def test_overlaps_between_liso_and_the_2025_werkwijze_and_a_bad_name(G):
    table = overlaps(G, "liso", "LISO-werkwijze")
    row = table[
        (table["element_a"] == "liso/synergie") & (table["element_b"] == "liso-2025/synergie")
    ]
    assert row["crosswalk"].tolist() == ["same_as"]
    with pytest.raises(ekb.UnknownIdError, match="'liso-2024' is not a framework"):
        overlaps(G, "liso-2024", "liso")


def test_which_pps_themes_have_no_evidence(kb):
    table = gaps(kb)
    assert list(table.columns) == list(GAP_COLUMNS)
    none = table[(table["gap_type"] == "no_evidence") & (table["review"] == "pps-2023")]
    assert none["element"].tolist() == PPS_THEMES_WITHOUT_EVIDENCE
    assert none["detail"].str.startswith("Geen relevante informatie gevonden").all()
    assert none["finding_ids"].tolist() == ["pps-067", "pps-071", "pps-074", "pps-083", "pps-084"]


def test_what_werk_en_inkomen_found_about_synergy_that_pps_did_not(kb):
    table = compare(kb, "werk-inkomen-2023", "pps-2023")
    synergy = table[
        (table["element"] == "liso/synergie") & (table["found_by"] == "werk-inkomen-2023")
    ]
    assert len(synergy) >= 1
    assert set(synergy["findings_werk-inkomen-2023"]) == {"wi-010"}
    assert set(synergy["citations_werk-inkomen-2023"]) == {"Tosun, 2017 Camps & Torres, 2011"}
    assert (synergy["n_pps-2023"] == 0).all()
    both = table[(table["element"] == "liso/synergie") & (table["found_by"] == "both")]
    assert "trust" in set(both["concept"])  # both reviews stress trust


# -- gaps, gap map, shared references -------------------------------------------------------------
def test_gaps_are_typed_and_sorted(G):
    table = gaps(G)
    assert set(table["gap_type"]) <= set(GAP_TYPES)
    rank = table["gap_type"].map({g: i for i, g in enumerate(GAP_TYPES)})
    assert rank.is_monotonic_increasing
    single = table[table["gap_type"] == "single_source"].set_index("element")
    assert "popp2014" in single.loc["liso/community-context/risicos-durven-nemen", "detail"]
    uncited = set(table.loc[table["gap_type"] == "uncited", "finding_ids"])
    assert {"pps-027", "pps-044"} <= uncited
    statuses = G.graph["index"].findings.set_index("finding_id")["citation_status"]
    unresolved = table.loc[table["gap_type"] == "unresolved_citation", "finding_ids"]
    assert all(statuses[f] in ("unresolved", "ambiguous") for f in unresolved)
    counterpart = table[
        (table["gap_type"] == "concept_without_counterpart")
        & (table["framework"] == "liso")
        & (table["other_framework"] == "tno-lo")
    ]
    assert "trust" in set(counterpart["concept"])  # 000 never names trust for the LO model
    assert "reflection" not in set(counterpart["concept"])


def test_empty_cells_name_their_element(G):
    table = gaps(G)
    empty = table[table["gap_type"] == "empty_cell"]
    assert len(empty) > 0
    assert (empty["element"] != "").all()
    lc = empty[empty["review"] == "learning-communities"]
    assert lc["element"].tolist()[:2] == ["lc/waardecreatie", "lc/kernprincipes"]
    assert lc["detail"].iloc[0] == (
        "learning-communities reports on core_element elements of lc but has no finding here"
    )


def test_gaps_for_one_pair_of_frameworks(G):
    table = gaps(G, frameworks=("liso", "lo"))
    counterpart = table[table["gap_type"] == "concept_without_counterpart"]
    assert set(counterpart["framework"]) | set(counterpart["other_framework"]) == {"liso", "tno-lo"}


def test_gap_map_counts_findings(G, kb):
    table = gap_map(G, framework="liso")
    liso = kb.findings[kb.findings["element"].fillna("").str.startswith("liso/")]
    evidence = liso[liso["kind"] != "no_evidence"]  # "Geen relevante informatie": not counted
    assert len(liso) - len(evidence) == 5
    assert int(table.to_numpy().sum()) == len(evidence)
    assert table.index.name == "element"
    assert table.columns.name == "review"
    assert table.loc["liso/synergie", "werk-inkomen-2023"] == 1
    split = gap_map(G, rows="element", cols="review", split_direction=True, framework="liso")
    assert split.columns.nlevels == 2
    assert split.T.groupby(level=0).sum().T.equals(table)
    themes = gap_map(G, rows="theme", framework="liso")
    assert (themes.loc[PPS_THEMES_WITHOUT_EVIDENCE, "pps-2023"] == 0).all()  # gaps, as reported
    assert table.loc["liso/synergie", "pps-2023"] == 17  # 18 rows, one "Geen relevante informatie"


def test_gap_map_by_concept_keeps_empty_rows(G):
    table = gap_map(G, rows="concept", cols="framework")
    assert list(table.index) == sorted(table.index)
    assert table.loc["trust", "liso"] > 0
    assert table.loc["trust", "tno-lo"] == 0
    with pytest.raises(ValueError, match="rows='colour'"):
        gap_map(G, rows="colour")


def test_shared_references(G):
    table = shared_references(G).set_index("key")
    assert table.loc["kallio2015", "reviews"] == "pps-2023;werk-inkomen-2023"
    assert table.loc["kearney2012", "n_reviews"] == 2
    assert (
        table.loc["marsick2000", "frameworks"] == "liso-2025;tno-lo"
    )  # cited on both sides of 000
    assert (table["n_reviews"].gt(1) | table["n_frameworks"].gt(1)).all()


def test_concept_table(G):
    table = concept_table(G).set_index("concept_id")
    assert table.loc["trust", "n_findings"] >= 10
    assert table.loc["roles", "n_hand"] == 1
    assert "tno-lo/reflectie" in table.loc["reflection", "elements"]


# -- export ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("writer", "reader"),
    [
        pytest.param(
            write_graphml, lambda p: nx.read_graphml(p, force_multigraph=True), id="graphml"
        ),
        pytest.param(write_gexf, nx.read_gexf, id="gexf"),
        pytest.param(write_node_link_json, read_node_link_json, id="json"),
    ],
)
def test_export_reads_back_and_answers_the_same(G, tmp_path, writer, reader):
    H = reader(writer(G, tmp_path / "graph"))
    assert H.is_directed()
    assert H.is_multigraph()
    assert set(H.nodes) == set(G.nodes)
    assert H.number_of_edges() == G.number_of_edges()
    assert H.nodes["finding:pps-023"]["statement"] == G.nodes["finding:pps-023"]["statement"]
    assert H.nodes["element:liso/synergie"]["kind"] == "element"
    for query in (lambda g: evidence(g, "Synergie"), lambda g: overlaps(g, "liso", "lo"), gaps):
        expected, got = query(G), query(H)
        assert got.astype(str).equals(expected.astype(str))


def test_write_graph_by_extension(G, tmp_path):
    assert write_graph(G, tmp_path / "g.gexf").read_text(encoding="utf-8").startswith("<?xml")
    with pytest.raises(ValueError, match=re.escape("cannot tell the format of 'g.txt'")):
        write_graph(G, tmp_path / "g.txt")


def test_the_fast_node_and_edge_writes_make_the_graph_networkx_makes(kb, G, monkeypatch):
    """build_graph writes nodes and edges into a plain graph's dicts; networkx's own add
    methods (used for any graph with other dicts) give the same graph, attributes and order."""
    from evidence_kb.graph import build as build_module

    monkeypatch.setattr(build_module, "_plain_dicts", lambda graph: False)
    H = build_graph(kb)
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    assert [list(H.pred[n]) for n in H] == [list(G.pred[n]) for n in G]


def test_the_fast_node_writes_keep_add_nodes_way_with_repeated_ids(kb, monkeypatch):
    """A reference key twice: the second row updates the node, as ``add_node`` does."""
    from evidence_kb.graph import build as build_module

    references = kb.references
    twice = pd.concat([references, references.iloc[:3].assign(title="again")], ignore_index=True)
    tables = {
        "findings": kb.findings,
        "elements": kb.elements,
        "reviews": kb.reviews,
        "references": twice,
    }
    G = build_graph(tables)
    monkeypatch.setattr(build_module, "_plain_dicts", lambda graph: False)
    H = build_graph(tables)
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert G.nodes[f"reference:{references['key'][0]}"]["title"] == "again"
    assert list(G.nodes[f"reference:{references['key'][0]}"])[:2] == ["kind", "label"]
    with pytest.raises(TypeError, match="kind"):  # a column named like an attribute it sets
        build_graph({**tables, "references": references.assign(kind="x")})
