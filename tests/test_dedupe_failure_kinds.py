"""One small case per failure kind of issue 13 (deduplication on data it was never tuned on)."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

from evidence_kb.citations.dedupe import find_duplicates, record_decisions
from evidence_kb.citations.dedupe import prepare as prepare_module
from evidence_kb.model.errors import InputError


def _record(rid: str, **fields: str) -> dict[str, str]:
    base = {
        "ID": rid,
        "title": "Social capital and the diffusion of telehealth in rural clinics",
        "author": "Bilbil, Ebru Tekin and Dillon, Sarah",
        "year": "2019",
        "journal": "Journal of Rural Health",
        "volume": "35",
        "number": "2",
        "pages": "201-214",
        "doi": "",
    }
    base.update(fields)
    return base


def _groups(records: list[dict[str, str]], **kwargs: object) -> set[frozenset[str]]:
    dupes = find_duplicates(pd.DataFrame(records), **kwargs)
    multi = dupes.groups[dupes.groups["group_size"] > 1]
    return {frozenset(g) for g in multi.groupby("group_id")["id"].apply(list)}


@pytest.mark.parametrize(
    "other",
    [
        "Tekin Bilbil, E. and Dillon, S.",  # family name with two words, initials
        "Ebru Tekin Bilbil; Sarah Dillon",  # given name first
        "bilbil ebru tekin dillon sarah",  # no separators at all
        "Bilbil and Dillon",  # family names only
    ],
)
def test_authors_written_differently_with_same_doi_and_title_are_merged(other):
    doi = "10.1111/jrh.12345"
    records = [_record("a", doi=doi), _record("b", doi=doi, author=other, pages="", number="")]
    assert _groups(records) == {frozenset({"a", "b"})}


def test_recurring_editor_columns_in_different_issues_are_kept_apart():
    column = {"title": "Editor's comments", "author": "Straub, Detmar", "pages": ""}
    records = [_record("a", **column, number="1"), _record("b", **column, number="2")]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.n_duplicate_groups == 0
    assert dupes.review["rule"].tolist() == ["issue"]  # listed for a person, with the veto


def test_same_author_volume_and_pages_but_other_issue_and_title_are_kept_apart():
    records = [
        _record("a"),
        _record("b", number="3", title="Broadband access and hospital closures in the plains"),
    ]
    assert _groups(records) == set()


@pytest.mark.parametrize(
    "notice",
    [
        "Corrigendum: Social capital and the diffusion of telehealth in rural clinics",
        "Social capital and the diffusion of telehealth in rural clinics (vol 35, pg 201, 2019)",
    ],
)
def test_erratum_and_original_are_kept_apart(notice):
    records = [_record("a"), _record("b", title=notice, pages="", number="4")]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.n_duplicate_groups == 0


def test_series_label_before_the_title_is_ignored():
    label = "SIM competition paper: " + _record("x")["title"]
    assert _groups([_record("a"), _record("b", title=label)]) == {frozenset({"a", "b"})}


def test_year_off_by_more_than_one_with_same_doi_volume_and_issue_is_merged():
    doi = "10.1111/jrh.12345"
    records = [_record("a", doi=doi), _record("b", doi=doi, year="2016")]
    assert _groups(records) == {frozenset({"a", "b"})}


def test_journal_names_in_two_languages_with_same_doi_are_merged():
    doi = "10.3205/zma001234"
    records = [
        _record("a", doi=doi, journal="GMS Journal for Medical Education"),
        _record("b", doi=doi, journal="GMS Zeitschrift fur Medizinische Ausbildung"),
    ]
    assert _groups(records) == {frozenset({"a", "b"})}


def test_special_issue_in_the_number_field_is_no_issue():
    records = [_record("a", number="Special Issue", pages=""), _record("b", pages="")]
    assert _groups(records) == {frozenset({"a", "b"})}


def test_missing_title_in_one_record_is_no_evidence_either_way():
    records = [_record("a"), _record("b", title="")]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.n_duplicate_groups == 1
    assert "title" not in dupes.pairs.loc[0, "agreed"].split(";")
    assert "title" not in dupes.pairs.loc[0, "contradicted"].split(";")


def _maybe_pair() -> list[dict[str, str]]:
    # same title, authors and year in two journals: an abstract and the paper, or one work?
    bare = {"volume": "", "number": "", "pages": ""}
    return [_record("a", **bare), _record("b", **bare, journal="Telemedicine Reports")]


def test_maybe_band_is_listed_for_review_and_decisions_are_honoured(tmp_path):
    dupes = find_duplicates(pd.DataFrame(_maybe_pair()))
    assert dupes.n_duplicate_groups == 0
    review = dupes.review
    assert review[["id_a", "id_b", "rule"]].values.tolist() == [["a", "b", "score"]]
    assert review.loc[0, "verdict"] == ""
    assert review.loc[0, "title_a"] == _record("a")["title"]
    decisions = tmp_path / "decisions.csv"
    decided = review.assign(verdict="same")
    written = record_decisions(decided, decisions)
    assert written.values.tolist() == [["a", "b", "same"]]
    again = find_duplicates(pd.DataFrame(_maybe_pair()), decisions=decisions)
    assert again.n_duplicate_groups == 1
    assert again.pairs["rule"].tolist() == ["manual"]
    assert again.review.empty
    # a later verdict on the same pair replaces the earlier one
    record_decisions(decided.assign(verdict="different"), decisions)
    assert decisions.read_text(encoding="utf-8").splitlines() == [
        "id_a,id_b,verdict",
        "a,b,different",
    ]
    assert find_duplicates(pd.DataFrame(_maybe_pair()), decisions=decisions).review.empty


def test_record_decisions_rejects_a_bad_verdict(tmp_path):
    review = pd.DataFrame({"id_a": ["a", "a"], "id_b": ["b", "c"], "verdict": ["", "yes"]})
    with pytest.raises(InputError, match=re.escape("line 3, column 'verdict'")):
        record_decisions(review, tmp_path / "d.csv")
    assert not (tmp_path / "d.csv").exists()


def test_large_block_is_split_with_a_warning_not_skipped(monkeypatch):
    monkeypatch.setattr(prepare_module, "_SMALL_BLOCK", 2)
    monkeypatch.setattr(prepare_module, "_LARGE_BLOCK", 5)
    # ten records by one author in one year share the key "first author + year"
    records = [
        _record(f"r{k}", title=f"Study number {k} of {'abc'[k % 3] * (k + 3)} outcomes")
        for k in range(8)
    ]
    records += [_record("x1"), _record("x2", pages="201-14")]
    with pytest.warns(UserWarning, match=r"shared by more than 5 records were split") as caught:
        groups = _groups(records)
    assert "(10 records)" in str(caught[0].message)
    assert groups == {frozenset({"x1", "x2"})}


def test_repeated_column_labels_are_an_error_naming_them():
    frame = pd.DataFrame([["a", "T1", "T2"]], columns=["ID", "title", "Title"])
    with pytest.raises(InputError, match=r"repeated column labels: 'title' and 'Title'"):
        find_duplicates(frame)
    frame = pd.DataFrame([["a", "x", "y"]], columns=["ID", "note", "note"])
    with pytest.raises(InputError, match=r"'note' and 'note'"):
        find_duplicates(frame)


def test_no_warning_on_ordinary_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _groups([_record("a"), _record("b")]) == {frozenset({"a", "b"})}
