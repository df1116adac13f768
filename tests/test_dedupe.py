"""Tests for evidence_kb.citations.dedupe (and the normalisers it relies on)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_kb.citations.dedupe import RULES, Duplicates, find_duplicates
from evidence_kb.citations.normalize import (
    normalize_doi,
    normalize_title,
    parse_authors,
)
from evidence_kb.model.errors import InputError

DATA_DIR = Path(__file__).parent / "data"
HARD_CASES = json.loads((DATA_DIR / "hard_cases.json").read_text(encoding="utf-8"))["cases"]
SPECIAL = DATA_DIR / "dedup_special_cases"
WEIGHTS = Path(__file__).parents[1] / "src/evidence_kb/citations/dedupe/weights.json"


def _groups(dupes: Duplicates) -> set[frozenset[str]]:
    """The duplicate groups (size > 1) as a set of frozensets of ids."""
    multi = dupes.groups[dupes.groups["group_size"] > 1]
    return {frozenset(g) for g in multi.groupby("group_id")["id"].apply(list)}


def _record(rid: str, **fields: str) -> dict[str, str]:
    base = {
        "ID": rid,
        "title": "Reputation offsets trust judgments based on social biases among Airbnb users",
        "author": "Abrahao, Bruno and Parigi, Paolo and Gupta, Alok",
        "year": "2017",
        "journal": "Proceedings of the National Academy of Sciences",
        "volume": "114",
        "number": "37",
        "pages": "9848--9853",
        "ENTRYTYPE": "article",
    }
    base.update(fields)
    return base


# --- the labelled cases --------------------------------------------------------------------


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in HARD_CASES])
def test_hard_case(case):
    records = pd.DataFrame([case["record_a"], case["record_b"]])
    dupes = find_duplicates(records)
    found = dupes.n_duplicate_groups == 1
    assert found == case["expected_duplicate"], case["note"]
    assert len(dupes.pairs) == int(case["expected_duplicate"])


def test_hard_cases_are_all_there():
    assert len(HARD_CASES) == 25


def test_special_cases_dataset_groups_exactly():
    records = pd.read_csv(SPECIAL / "records_pre_merged.csv", dtype=str)
    truth = pd.read_csv(SPECIAL / "merged_record_ids.csv")["merged_ids"]
    expected = {frozenset(s.split(";")) for s in truth}
    assert _groups(find_duplicates(records)) == expected


# --- the shape of the result ---------------------------------------------------------------


def _all_hard_case_records() -> pd.DataFrame:
    rows = []
    for k, case in enumerate(HARD_CASES):
        for side in ("record_a", "record_b"):
            record = dict(case[side])
            record["ID"] = f"c{k:02d}-{record['ID']}"
            rows.append(record)
    return pd.DataFrame(rows).drop_duplicates("ID")


def test_every_record_is_in_exactly_one_group():
    records = pd.read_csv(SPECIAL / "records_pre_merged.csv", dtype=str)
    groups = find_duplicates(records).groups
    assert sorted(groups["id"]) == sorted(records["ID"])
    assert groups["id"].is_unique
    sizes = groups.groupby("group_id")["id"].transform("size")
    assert (sizes == groups["group_size"]).all()
    # the group id is the smallest id of the group, so it is stable between runs
    assert (
        groups.groupby("group_id")["id"].min() == groups.groupby("group_id")["id"].min().index
    ).all()


def test_result_tables_are_sorted_with_documented_columns():
    dupes = find_duplicates(_all_hard_case_records())
    assert list(dupes.groups.columns) == ["id", "group_id", "group_size"]
    assert list(dupes.pairs.columns) == [
        "id_a",
        "id_b",
        "rule",
        "score",
        "agreed",
        "contradicted",
        "source",
    ]
    assert dupes.groups.equals(dupes.groups.sort_values(["group_id", "id"], ignore_index=True))
    assert dupes.pairs.equals(dupes.pairs.sort_values(["id_a", "id_b"], ignore_index=True))
    assert (dupes.pairs["id_a"] < dupes.pairs["id_b"]).all()
    assert set(dupes.pairs["rule"]) <= set(RULES)
    threshold = json.loads(WEIGHTS.read_text(encoding="utf-8"))["threshold_bits"]
    assert (dupes.pairs.loc[dupes.pairs["rule"] == "score", "score"] >= threshold).all()


def test_repr_and_summary():
    records = pd.read_csv(SPECIAL / "records_pre_merged.csv", dtype=str)
    dupes = find_duplicates(records)
    assert repr(dupes) == "<Duplicates: 12 records, 3 groups of duplicates>"
    assert dupes.summary().startswith("12 records, 3 groups of duplicates, 3 records to remove")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_row_order_does_not_change_the_result(seed):
    records = _all_hard_case_records()
    reference = find_duplicates(records)
    shuffled = find_duplicates(records.sample(frac=1, random_state=seed))
    pd.testing.assert_frame_equal(shuffled.groups, reference.groups)
    pd.testing.assert_frame_equal(shuffled.pairs, reference.pairs)


def test_empty_input():
    dupes = find_duplicates(pd.DataFrame({"ID": [], "title": []}))
    assert dupes.groups.empty
    assert dupes.pairs.empty
    assert repr(dupes) == "<Duplicates: 0 records, 0 groups of duplicates>"


# --- columns and ids -----------------------------------------------------------------------


def test_id_column_is_configurable():
    records = pd.DataFrame([_record("x"), _record("y")]).rename(columns={"ID": "key"})
    dupes = find_duplicates(records, id_column="key")
    assert _groups(dupes) == {frozenset({"x", "y"})}


def test_lower_case_and_alias_columns_are_understood():
    records = pd.DataFrame([_record("x"), _record("y", pages="9848-53")])
    records.columns = [c.lower() for c in records.columns]
    records = records.rename(
        columns={"number": "issue", "journal": "container", "author": "authors"}
    )
    dupes = find_duplicates(records)
    assert _groups(dupes) == {frozenset({"x", "y"})}
    agreed = dupes.pairs.loc[0, "agreed"].split(";")
    assert agreed == ["title", "author", "year", "pages", "volume", "number", "venue"]


def test_missing_id_column_names_the_columns():
    records = pd.DataFrame([_record("x")]).drop(columns="ID")
    with pytest.raises(KeyError, match=r"no id column 'ID'.*pass id_column="):
        find_duplicates(records)


def test_repeated_ids_are_reported_with_their_lines():
    records = pd.DataFrame([_record("x"), _record("y"), _record("x")])
    with pytest.raises(InputError, match=re.escape("line 4, column 'ID'")) as err:
        find_duplicates(records)
    assert "used by more than one record" in str(err.value)


def test_records_must_be_a_dataframe():
    with pytest.raises(TypeError, match="pandas DataFrame"):
        find_duplicates([_record("x")])  # type: ignore[arg-type]


# --- rules and vetoes ----------------------------------------------------------------------


def test_author_formats_and_abbreviated_pages_still_match():
    records = pd.DataFrame(
        [
            _record("a"),
            _record(
                "b",
                author="Abrahao B, Parigi P, Gupta A",
                pages="9848-53",
                journal="Proc Natl Acad Sci U S A",
            ),
            _record(
                "c", author="B. Abrahao; P. Parigi; A. Gupta", title=_record("")["title"].upper()
            ),
        ]
    )
    dupes = find_duplicates(records)
    assert _groups(dupes) == {frozenset({"a", "b", "c"})}
    assert set(dupes.pairs["source"]) == {"rule"}


def test_different_dois_are_never_merged():
    records = pd.DataFrame(
        [
            _record("a", doi="10.1073/pnas.1604234114"),
            _record("b", doi="10.1073/pnas.9999999999"),
        ]
    )
    assert _groups(find_duplicates(records)) == set()


def test_no_chaining_across_different_dois():
    # b has no DOI and matches both a and c; a and c carry different DOIs.
    records = pd.DataFrame(
        [
            _record("a", doi="10.1000/one"),
            _record("b"),
            _record("c", doi="10.1000/two"),
        ]
    )
    groups = _groups(find_duplicates(records))
    assert not any({"a", "c"} <= g for g in groups)
    assert len(groups) == 1


def test_same_doi_but_different_work_is_not_merged():
    records = pd.DataFrame(
        [
            _record("a", doi="10.1000/one"),
            _record(
                "b",
                doi="10.1000/one",
                title="A longitudinal analysis of major misperceptions",
                author="Annabi, Hala and McGann, Sean",
                year="2019",
            ),
        ]
    )
    assert _groups(find_duplicates(records)) == set()


@pytest.mark.parametrize("title", ["Editorial", "Letter to the editor", "Erratum", "Reply"])
def test_generic_titles_need_more_than_a_title(title):
    common = {"title": title, "author": "Smith, John", "journal": "The Lancet", "year": "2020"}
    records = pd.DataFrame(
        [
            _record("a", **common, volume="", number="", pages=""),
            _record("b", **common, volume="", number="", pages=""),
        ]
    )
    assert _groups(find_duplicates(records)) == set()
    located = pd.DataFrame([_record("a", **common), _record("b", **common)])
    assert _groups(find_duplicates(located)) == {frozenset({"a", "b"})}


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"volume": "115"}, id="volume"),
        pytest.param({"pages": "1201-1210", "number": ""}, id="pages"),
        pytest.param({"year": "2014", "volume": "", "number": "", "pages": ""}, id="year"),
        pytest.param({"title": _record("")["title"] + ": part II"}, id="numbered_title"),
        pytest.param({"journal": "Workshop on Digital Studies"}, id="venue_kind"),
    ],
)
def test_a_contradicting_field_vetoes_the_match(change):
    first = _record("a", title=_record("")["title"] + ": part 1")
    records = pd.DataFrame([first, _record("b", **{"title": first["title"], **change})])
    assert _groups(find_duplicates(records)) == set()


def test_differing_pages_with_everything_else_in_one_issue_are_a_match():
    # the same title, author list, year, journal, volume and issue: one abstract printed twice
    # in a supplement (stroke id_0000014 / id_0000015: "e8-e9" and "e3"), or a page typo
    records = pd.DataFrame([_record("a", pages="e8-e9"), _record("b", pages="e3")])
    dupes = find_duplicates(records)
    assert _groups(dupes) == {frozenset({"a", "b"})}
    assert dupes.pairs.iloc[0]["contradicted"] == "pages"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"number": ""}, id="no-issue"),
        pytest.param({"number": "38"}, id="other-issue"),
        pytest.param({"author": "Abrahao, Bruno and Parigi, Paolo"}, id="fewer-authors"),
        pytest.param({"journal": ""}, id="no-journal"),
        pytest.param({"title": "Editorial"}, id="generic-title"),
    ],
)
def test_differing_pages_are_a_veto_unless_all_else_places_both_in_one_issue(change):
    records = pd.DataFrame([_record("a"), _record("b", pages="e3", **change)])
    if "title" in change:
        records.loc[0, "title"] = change["title"]
    assert _groups(find_duplicates(records)) == set()


def test_online_first_year_is_tolerated_only_with_strong_evidence():
    online = _record("b", year="2016", volume="", number="", pages="1-6")
    assert _groups(find_duplicates(pd.DataFrame([_record("a"), online]))) == {frozenset({"a", "b"})}
    other_authors = dict(online, author="Abrahao, Bruno")
    assert _groups(find_duplicates(pd.DataFrame([_record("a"), other_authors]))) == set()


def test_pairs_explain_agreement_and_contradiction():
    records = pd.DataFrame([_record("a", number="37"), _record("b", number="38")])
    pair = find_duplicates(records).pairs.iloc[0]
    assert pair["rule"] == "score"
    assert pair["agreed"].split(";") == ["title", "author", "year", "pages", "volume", "venue"]
    assert pair["contradicted"] == "number"


# --- decisions -----------------------------------------------------------------------------


def _three() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _record("a"),
            _record("b"),
            _record("c", title="Something else entirely about trust", author="Other, Person"),
        ]
    )


def test_decision_different_splits_a_rule_match():
    decisions = pd.DataFrame({"id_a": ["b"], "id_b": ["a"], "verdict": ["different"]})
    dupes = find_duplicates(_three(), decisions=decisions)
    assert _groups(dupes) == set()
    assert dupes.pairs.empty


def test_decision_same_joins_what_rules_keep_apart(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text("id_a,id_b,verdict\na,c,same\n", encoding="utf-8")
    dupes = find_duplicates(_three(), decisions=path)
    assert _groups(dupes) == {frozenset({"a", "b", "c"})}
    manual = dupes.pairs[dupes.pairs["source"] == "manual"]
    assert manual[["id_a", "id_b", "rule"]].values.tolist() == [["a", "c", "manual"]]
    # the same file works when given as a string path
    assert _groups(find_duplicates(_three(), decisions=str(path))) == _groups(dupes)


def test_decision_different_is_respected_through_a_chain():
    records = pd.DataFrame([_record("a"), _record("b"), _record("c")])
    decisions = pd.DataFrame({"id_a": ["a"], "id_b": ["c"], "verdict": ["different"]})
    groups = _groups(find_duplicates(records, decisions=decisions))
    assert not any({"a", "c"} <= g for g in groups)


def test_bad_verdict_is_reported_with_line_and_expected_values():
    decisions = pd.DataFrame({"id_a": ["a", "a"], "id_b": ["b", "c"], "verdict": ["same", "maybe"]})
    with pytest.raises(InputError, match=re.escape("line 3, column 'verdict'")) as err:
        find_duplicates(_three(), decisions=decisions)
    assert "expected one of: same, different" in str(err.value)


def test_decisions_need_their_columns():
    with pytest.raises(InputError, match="missing column"):
        find_duplicates(_three(), decisions=pd.DataFrame({"id_a": ["a"], "id_b": ["b"]}))


def test_decisions_about_unknown_records_warn():
    decisions = pd.DataFrame({"id_a": ["a"], "id_b": ["zzz"], "verdict": ["same"]})
    with pytest.warns(UserWarning, match="1 decisions name records that are not in the input"):
        find_duplicates(_three(), decisions=decisions)


def test_contradicting_decisions_are_an_error():
    decisions = pd.DataFrame(
        {"id_a": ["a", "b", "a"], "id_b": ["b", "c", "c"], "verdict": ["same", "same", "different"]}
    )
    with pytest.raises(InputError, match="decisions contradict each other"):
        find_duplicates(_three(), decisions=decisions)


# --- normalisers: properties ---------------------------------------------------------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_normalize_title_is_idempotent(title):
    once = normalize_title(title)
    assert normalize_title(once) == once


@settings(max_examples=300, deadline=None)
@given(_text)
def test_normalize_doi_is_idempotent(doi):
    once = normalize_doi("10.1000/" + doi)
    assert normalize_doi(once) == once


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Smith", "van der Berg", "O'Neill", "Zhang", "Müller"]),
            st.sampled_from(["John", "J.", "Q. J.", "Anna-Maria"]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_author_styles_parse_to_the_same_families(people):
    bibtex = " and ".join(f"{family}, {given}" for family, given in people)
    semicolons = "; ".join(f"{family}, {given}" for family, given in people)
    expected = [family for family, _ in parse_authors(bibtex)]
    assert [family for family, _ in parse_authors(semicolons)] == expected
    assert len(expected) == len(people)
