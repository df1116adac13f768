"""EPPI-Reviewer JSON exports: real files read with their counts, both round trips, bad input."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.io.eppi import eppi_schema, read_eppi_json, schema_problems
from evidence_kb.model.eppi import CARRY, eppi_counts, kept_fields

EPPI = Path(__file__).parent / "data" / "eppi"

# code sets, codes, references, code assignments, quotes: counted by hand in each file
CORPUS = {
    "hbcp_PAOutcomesTest.json": (1, 306, 5, 49, 51),
    "hbcp_MultipleOutcomes_1Dec19.json": (2, 5, 30, 226, 291),
    "hbcp_armified_testfile.json": (4, 14, 3, 16, 20),
    "infoqualitylab_risrs_trimmed.json": (1, 166, 25, 156, 0),
}


@pytest.mark.parametrize(("name", "expected"), CORPUS.items(), ids=list(CORPUS))
def test_real_exports_are_read_whole(name, expected):
    sets, codes, references, assignments, quotes = expected
    assert tuple(eppi_counts(read_eppi_json(EPPI / name)).values()) == expected
    kb = ekb.read_eppi(EPPI / name)
    assert kb.errors == []
    levels = kb.elements.level.value_counts()
    assert (levels["framework"], levels["code"]) == (sets, codes)
    assert len(kb.reference_records) == references
    assert len(kb.finding_records) == assignments
    coded = [
        kept_fields(f.notes).get("ItemAttributeFullTextDetails") or [] for f in kb.finding_records
    ]
    assert sum(map(len, coded)) == quotes
    assert kb.reviews.notes[0].startswith(
        f"EPPI-Reviewer export: {sets} code sets, {codes} codes, {references} references"
    )


def test_a_coded_pdf_quote_becomes_a_finding_with_its_document_and_page():
    kb = ekb.read_eppi(EPPI / "hbcp_PAOutcomesTest.json")
    finding = kb.findings.set_index("finding_id").loc["eppi-34576112-7138158"]
    assert finding.statement == "increase"  # the quote, without EPPI's [¬s] [¬e] markers
    assert finding.source == "Donnelly 2009.pdf, page 2"
    assert finding.element == "eppi-131167/7138158"
    assert finding.reference_keys == "eppi-34576112"
    assert finding.citation == "Donnelly (2009)"
    assert "additional text: To\rincrease PA" in finding.notes
    assert kb.element(finding.element).label_nl == "Increase"
    ref = kb.references.set_index("key").loc["eppi-34576112"]
    assert (ref.year, ref.entry_type) == (2009, "article")


def test_the_element_tree_keeps_the_code_hierarchy():
    kb = ekb.read_eppi(EPPI / "hbcp_PAOutcomesTest.json")
    elements = kb.elements.set_index("element_id")
    # "Mean age" sits under "Population" in the first code set
    assert elements.loc["eppi-131167/7138048", "parent"] == "eppi-131167/7138037"
    assert elements.loc["eppi-131167/7138037", "parent"] == "eppi-131167"
    assert elements.loc["eppi-131167", "label_nl"] == "New Prioritised Codeset"


def test_gap_map_and_evidence_work_on_an_eppi_review():
    kb = ekb.read_eppi(EPPI / "hbcp_MultipleOutcomes_1Dec19.json")
    grid = kb.gap_map()
    assert grid.to_numpy().sum() > 0
    evidence = kb.evidence("Outcome value")
    assert len(evidence) > 0


def _strip(node):
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k != CARRY}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def _codes(doc):
    found = {}

    def walk(node):
        for code in (node.get("Attributes") or {}).get("AttributesList") or []:
            found[code["AttributeId"]] = {k: v for k, v in code.items() if k != "Attributes"}
            walk(code)

    for code_set in doc["CodeSets"]:
        walk(code_set)
    return found


@pytest.mark.parametrize("name", CORPUS)
def test_eppi_to_kb_to_eppi_keeps_every_code_reference_and_assignment(name, tmp_path):
    before = read_eppi_json(EPPI / name)
    out = ekb.write_eppi(ekb.read_eppi(EPPI / name), tmp_path / "again.json")
    after = _strip(read_eppi_json(out))
    codes = _codes(after)
    assert {k: codes.get(k) for k in _codes(before)} == _codes(before)
    items = {item["ItemId"]: item for item in after["References"]}
    for item in before["References"]:
        again = items[item["ItemId"]]
        assert {k: again.get(k) for k in item if k != "Codes"} == {
            k: v for k, v in item.items() if k != "Codes"
        }
        was = collections.Counter(json.dumps(c, sort_keys=True) for c in item.get("Codes") or [])
        now = collections.Counter(json.dumps(c, sort_keys=True) for c in again["Codes"])
        assert was - now == collections.Counter()


def test_the_bundled_kb_round_trips_through_eppi_identically(tmp_path):
    kb = ekb.load()
    again = ekb.read_eppi(ekb.write_eppi(kb, tmp_path / "bundled.json"))
    assert (len(again.finding_records), len(again.element_records)) == (307, 87)
    assert len(again.reference_records) == 105
    for table in ("findings", "elements", "references", "reviews", "citations"):
        pd.testing.assert_frame_equal(getattr(kb, table), getattr(again, table))
    for table in ("crosswalk_table", "concept_table", "concept_tag_table"):
        pd.testing.assert_frame_equal(
            getattr(kb, table).reset_index(drop=True), getattr(again, table)
        )

    def edges(G):
        return sorted((u, v, d.get("kind")) for u, v, d in G.edges(data=True))

    assert edges(again.graph) == edges(kb.graph)


def test_the_written_export_is_valid_and_readable_by_eppi_tools(tmp_path):
    kb = ekb.load()
    doc = json.loads(ekb.write_eppi(kb, tmp_path / "x.json").read_text(encoding="utf-8"))
    assert schema_problems(doc, "x.json") == []
    items = {item["ItemId"]: item for item in doc["References"]}
    quotes = [
        q
        for item in items.values()
        for c in item["Codes"]
        for q in c["ItemAttributeFullTextDetails"]
    ]
    statements = set(kb.findings.statement)
    assert {q["Text"] for q in quotes} == statements  # every statement is a coded quote
    names = [s["SetName"] for s in doc["CodeSets"]]
    assert "evidence_kb charting" in names
    assert set(kb.elements.query("level == 'framework'").label_nl) <= set(names)


def test_cli_exports_eppi_on_request(tmp_path):
    from evidence_kb.cli import main

    assert main(["export", "--out", str(tmp_path), "--format", "eppi"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["eppi.json"]
    assert len(ekb.read_eppi(tmp_path / "eppi.json").finding_records) == 307


def _export(tmp_path, doc):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


SCREENING = {
    "CodeSets": [
        {
            "SetId": 1,
            "SetName": "Screening on title and abstract",
            "SetType": {"SetTypeName": "Screening"},
            "Attributes": {
                "AttributesList": [
                    {"AttributeId": 10, "AttributeName": "Include", "AttributeType": "Include"},
                    {
                        "AttributeId": 11,
                        "AttributeName": "Exclude: population",
                        "AttributeType": "Exclude",
                    },
                ]
            },
        },
        {
            "SetId": 2,
            "SetName": "Barriers",
            "Attributes": {"AttributesList": [{"AttributeId": 20, "AttributeName": "Trust"}]},
        },
    ],
    "References": [
        {
            "ItemId": 100,
            "Title": "A",
            "Codes": [{"AttributeId": 10}, {"AttributeId": 20, "AdditionalText": "Trust grew."}],
        },
        {"ItemId": 101, "Title": "B", "Codes": [{"AttributeId": 11}]},
        {"ItemId": 102, "Title": "C", "Codes": [{"AttributeId": 10}, {"AttributeId": 99}]},
    ],
}


def test_screening_codes_are_counts_not_findings(tmp_path):
    kb = ekb.read_eppi(_export(tmp_path, SCREENING))
    review = kb.review_records[0]
    assert (review.records_screened, review.records_included) == (3, 2)
    assert "Exclude: population: 1" in review.notes
    assert kb.findings.statement.tolist() == ["Trust grew."]
    # a code of no code set is kept in the reference's note and reported, not dropped
    assert kept_fields(kb.references.set_index("key").loc["eppi-102", "note"])["Codes"] == [
        {"AttributeId": 10},
        {"AttributeId": 99},
    ]
    assert "code 99 is in no code set" in kb.problems.message.str.cat()


def test_screening_codes_survive_the_round_trip(tmp_path):
    kb = ekb.read_eppi(_export(tmp_path, SCREENING))
    doc = _strip(read_eppi_json(ekb.write_eppi(kb, tmp_path / "again.json")))
    codes = {i["ItemId"]: [c["AttributeId"] for c in i["Codes"]] for i in doc["References"]}
    assert sorted(codes[100])[:2] == [10, 20]
    assert 11 in codes[101]
    assert sorted(codes[102])[:2] == [10, 99]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        pytest.param(
            {"CodeSets": [], "References": [{"ItemId": 7, "Codes": [{"AttributeId": "x"}]}]},
            "References[0] (ItemId 7): 'x' is not of type 'integer'",
            id="bad_attribute_id",
        ),
        pytest.param(
            {"CodeSets": [], "References": [{"Title": "no id"}]},
            "References[0]: 'ItemId' is a required property",
            id="missing_item_id",
        ),
        pytest.param({"items": []}, "not an EPPI-Reviewer JSON export", id="not_eppi"),
    ],
)
def test_malformed_exports_name_the_item_and_field(tmp_path, doc, expected):
    with pytest.raises(ekb.InputError) as err:
        ekb.read_eppi(_export(tmp_path, doc))
    assert expected in str(err.value)


def test_bad_input_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"CodeSets": [],\n "References": [,]}', encoding="utf-8")
    with pytest.raises(ekb.InputError, match=r"broken.json: line 2: not JSON"):
        ekb.read_eppi(path)


def test_characters_written_as_surrogate_pairs_are_joined(tmp_path):
    # some exports encode a character beyond U+FFFF as two UTF-8-encoded surrogates (CESU-8)
    text = json.dumps(
        {"CodeSets": [], "References": [{"ItemId": 1, "Title": "n=15 \U0001d45b"}]},
        ensure_ascii=False,
    )
    cesu = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    data = "".join(
        chr(0xD800 + ((ord(c) - 0x10000) >> 10)) + chr(0xDC00 + ((ord(c) - 0x10000) & 0x3FF))
        if ord(c) > 0xFFFF
        else c
        for c in cesu
    ).encode("utf-8", "surrogatepass")
    path = tmp_path / "cesu.json"
    path.write_bytes(data)
    kb = ekb.read_eppi(path)
    assert kb.reference_records[0].title == "n=15 \U0001d45b"


def test_the_schema_is_a_valid_json_schema():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(eppi_schema())


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(
        '{"CodeSets": [],\n"References": [{"ItemId": 1, "Title": "Café"}]}'.encode("latin-1")
    )
    with pytest.raises(ekb.InputError, match=r"latin1.json: line 2: byte \d+ .* is not UTF-8"):
        ekb.read_eppi(path)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="expected one of: factor"):
        ekb.read_eppi(EPPI / "hbcp_armified_testfile.json", kind="claim")


def test_findings_take_the_kind_asked_for():
    kb = ekb.read_eppi(EPPI / "hbcp_armified_testfile.json", kind="condition", review_id="mine")
    assert set(kb.findings.kind) == {"condition"}
    assert set(kb.findings.review) == {"mine"} == set(kb.reviews.review_id)


def test_a_code_without_quote_or_text_is_a_finding_named_by_its_code(tmp_path):
    doc = {
        "CodeSets": [
            {
                "SetId": 1,
                "SetName": "Design",
                "Attributes": {"AttributesList": [{"AttributeId": 5, "AttributeName": "RCT"}]},
            }
        ],
        "References": [
            {
                "ItemId": 9,
                "ShortTitle": "Lee (2020)",
                "Codes": [{"AttributeId": 5, "ItemAttributeFullTextDetails": [{"Text": None}]}],
            }
        ],
    }
    kb = ekb.read_eppi(_export(tmp_path, doc))
    finding = kb.finding_records[0]
    assert (finding.statement, finding.source, finding.citation) == (
        "RCT",
        "an unnamed document",
        "Lee (2020)",
    )
    assert "the statement is the code's name" in finding.notes


def test_duplicate_code_ids_are_an_error_naming_both_places(tmp_path):
    doc = {
        "CodeSets": [
            {
                "SetId": 1,
                "SetName": "A",
                "Attributes": {"AttributesList": [{"AttributeId": 5, "AttributeName": "x"}]},
            },
            {
                "SetId": 2,
                "SetName": "B",
                "Attributes": {"AttributesList": [{"AttributeId": 5, "AttributeName": "y"}]},
            },
        ],
        "References": [],
    }
    with pytest.raises(
        ekb.InputError,
        match=r"CodeSets\[1\]\.Attributes\.AttributesList\[0\] \(AttributeId 5\): AttributeId 5 is used by another code",
    ):
        ekb.read_eppi(_export(tmp_path, doc))
    kb = ekb.read_eppi(_export(tmp_path, doc), strict=False)
    assert kb.elements.label_nl.tolist() == ["A", "x", "B"]


# -- any export: a property test -------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t "), max_size=30
)


@st.composite
def eppi_exports(draw):
    """A small export: 1-3 code sets with nested codes, references with codes, arms and quotes."""
    next_id = iter(range(1000, 100_000))
    codes = []

    def tree(depth):
        nodes = []
        for _ in range(draw(st.integers(0 if depth else 1, 3 if depth < 2 else 0))):
            code = {
                "AttributeId": next(next_id),
                "AttributeName": draw(_TEXT),
                "AttributeType": draw(
                    st.sampled_from(["Selectable (show checkbox)", "Include", "Exclude"])
                ),
                "AttributeSetDescription": draw(_TEXT),
            }
            codes.append(code["AttributeId"])
            children = tree(depth + 1)
            if children or draw(st.booleans()):
                code["Attributes"] = {"AttributesList": children}
            nodes.append(code)
        return nodes

    sets = [
        {
            "SetId": next(next_id),
            "SetName": draw(_TEXT),
            "SetType": {"SetTypeName": draw(st.sampled_from(["Standard", "Screening"]))},
            "Attributes": {"AttributesList": tree(0)},
        }
        for _ in range(draw(st.integers(1, 3)))
    ]
    quote = st.builds(
        lambda text, pdf, page: {
            "ItemDocumentId": 7,
            "DocTitle": "paper.pdf",
            "Text": f'Page {page}:\n[¬s]"{text}[¬e]"' if pdf else text,
            "IsFromPDF": pdf,
            "TextFrom": 0,
            "TextTo": len(text),
        },
        _TEXT,
        st.booleans(),
        st.integers(1, 40),
    )
    code = st.builds(
        lambda attribute, text, arm, quotes: {
            "AttributeId": attribute,
            "AdditionalText": text,
            "ArmId": arm,
            "ArmTitle": f"arm {arm}" if arm else "",
            "ItemAttributeFullTextDetails": quotes,
        },
        st.sampled_from([*codes, 99]),
        _TEXT,
        st.integers(0, 2),
        st.lists(quote, max_size=2),
    )
    references = [
        {
            "ItemId": item_id,
            "Title": draw(_TEXT),
            "Authors": draw(_TEXT),
            "Year": draw(st.sampled_from(["", "2019", "n.d."])),
            "ParentTitle": draw(_TEXT),
            "URL": draw(_TEXT),
            "Codes": draw(st.lists(code, max_size=4)),
        }
        for item_id in draw(st.lists(st.integers(1, 999), unique=True, max_size=4))
    ]
    return {"CodeSets": sets, "References": references}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(doc=eppi_exports())
def test_any_export_keeps_every_code_reference_and_assignment(tmp_path, doc):
    path = _export(tmp_path, doc)
    kb = ekb.read_eppi(path, strict=False)
    assert [p for p in kb.errors if "is used by another code" not in p.message] == []
    counts = eppi_counts(doc)
    assert len(kb.element_records) == counts["code_sets"] + counts["codes"]
    assert len(kb.reference_records) == counts["references"]
    kept = sum(len(kept_fields(r.note).get("Codes") or []) for r in kb.reference_records)
    assert len(kb.finding_records) + kept == counts["code_assignments"]
    after = _strip(read_eppi_json(ekb.write_eppi(kb, tmp_path / "again.json")))
    assert {k: _codes(after).get(k) for k in _codes(doc)} == _codes(doc)
    sets = {
        s["SetId"]: {k: v for k, v in s.items() if k != "Attributes"} for s in after["CodeSets"]
    }
    for code_set in doc["CodeSets"]:
        assert sets[code_set["SetId"]] == {k: v for k, v in code_set.items() if k != "Attributes"}
    items = {item["ItemId"]: item for item in after["References"]}
    for item in doc["References"]:
        again = items[item["ItemId"]]
        assert {k: again[k] for k in item if k != "Codes"} == {
            k: v for k, v in item.items() if k != "Codes"
        }
        was = collections.Counter(json.dumps(c, sort_keys=True) for c in item["Codes"])
        now = collections.Counter(json.dumps(c, sort_keys=True) for c in again["Codes"])
        assert was - now == collections.Counter()
    # and the knowledge base read from EPPI comes back from its own export unchanged
    back = ekb.read_eppi(tmp_path / "again.json", strict=False)
    assert back.finding_records == kb.finding_records
    assert back.element_records == kb.element_records
    assert back.reference_records == kb.reference_records


def test_a_repeated_item_id_is_an_error_naming_both_items(tmp_path):
    doc = {"CodeSets": [], "References": [{"ItemId": 4, "Title": "A"}, {"ItemId": 4, "Title": "B"}]}
    with pytest.raises(
        ekb.InputError, match=r"References\[1\] \(ItemId 4\): ItemId 4 is also References\[0\]"
    ):
        ekb.read_eppi(_export(tmp_path, doc))


def test_charting_fields_are_codes_on_the_references_for_eppi_mapper(tmp_path):
    kb = ekb.load()
    doc = _strip(read_eppi_json(ekb.write_eppi(kb, tmp_path / "x.json")))
    charting = next(s for s in doc["CodeSets"] if s["SetName"] == "evidence_kb charting")
    groups = {
        g["AttributeName"]: g["Attributes"]["AttributesList"]
        for g in charting["Attributes"]["AttributesList"]
    }
    assert list(groups) == ["Review", "Kind", "Direction", "Side", "Paradigm", "Theme", "Topic"]
    assert {c["AttributeName"] for c in groups["Direction"]} == {"promoting", "hindering"}
    promoting = next(
        c["AttributeId"] for c in groups["Direction"] if c["AttributeName"] == "promoting"
    )
    # every reference cited by a promoting finding carries the code "promoting"
    cited = {
        key
        for f in kb.finding_records
        if f.direction is not None and f.direction.value == "promoting"
        for key in f.reference_keys
    }
    coded = {
        i.get("OldItemId")
        for i in doc["References"]
        if promoting in {c["AttributeId"] for c in i["Codes"]}
    }
    assert cited
    assert cited <= coded


def test_tables_plots_and_report_work_on_an_eppi_review(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    kb = ekb.read_eppi(EPPI / "hbcp_MultipleOutcomes_1Dec19.json")
    (review,) = kb.table_names()
    assert len(kb.table(review)) == 4  # the codes of the first code set, one row each
    framework = kb.elements.query("level == 'framework'").element_id.iloc[0]
    assert ekb.plot_gap_map(kb, framework=framework).get_title().startswith("Evidence gap map")
    page = ekb.write_report(kb, tmp_path / "report").read_text(encoding="utf-8")
    assert "Gilbody" in page
    assert ekb.write_tables(kb, tmp_path / "tables", formats=("md",))


def test_an_export_without_the_carried_records_is_a_plain_eppi_export(tmp_path):
    kb = ekb.load()
    path = ekb.write_eppi(kb, tmp_path / "plain.json", carry=False)
    assert "EvidenceKB" not in path.read_text(encoding="utf-8")
    plain = ekb.read_eppi(path)
    # every finding comes back as a coded quote with its statement and source; the charting
    # code set is a framework like the others, and its codes on the references findings too
    assert set(kb.findings.statement) <= set(plain.findings.statement)
    assert set(kb.findings.source) <= set(plain.findings.source)
    assert "evidence_kb charting" in set(plain.elements.label_nl)
    charting = plain.findings[plain.findings.statement.isin(["promoting", "hindering"])]
    assert len(charting) > 0
