"""The public API: one way per job, the record graph and publish take, and names that moved."""

from __future__ import annotations

import dataclasses
import warnings

import pytest

import evidence_kb as ekb
from evidence_kb.graph import gaps
from evidence_kb.model.data import KBData
from evidence_kb.model.tree import ElementTree
from evidence_kb.publish.tables import evidence_table


@pytest.fixture(scope="module")
def kb():
    return ekb.load()


def _data_only(kb) -> KBData:
    return KBData(**{f.name: getattr(kb, f.name) for f in dataclasses.fields(KBData)})


def test_the_facade_is_the_loaded_record_with_queries_on_top(kb):
    assert isinstance(kb, ekb.KBData)
    assert dataclasses.fields(type(kb)) == dataclasses.fields(KBData)  # no data of its own
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.files = ()


def test_graph_and_publish_work_on_the_record_without_the_facade(kb):
    data = _data_only(kb)
    assert not hasattr(data, "evidence")  # no query methods: only the tables
    pd = pytest.importorskip("pandas")
    pd.testing.assert_frame_equal(gaps(data), kb.gaps())
    table = evidence_table(data, element="Synergie").table
    pd.testing.assert_frame_equal(table, kb.evidence_table(element="Synergie").table)


def test_every_finding_keeps_the_line_it_came_from(kb):
    assert len(kb.finding_lines) == len(kb.finding_records)
    assert min(kb.finding_lines) >= 2  # the header is line 1


def test_element_tree_finds_by_id_label_or_alias_in_file_order(kb):
    tree = ElementTree.from_records(kb.element_records)
    assert tree.find("Resultaten") == kb.element("Resultaten").element_id == "liso/opbrengsten"
    assert tree.find("LISO/OPBRENGSTEN") == "liso/opbrengsten"
    below = tree.descendants("liso")
    assert below[0] == "liso"
    assert "liso/opbrengsten" in below
    with pytest.raises(ekb.UnknownIdError, match="did you mean"):
        tree.find("Resultatn")


def test_element_tree_survives_a_loop_in_the_parents():
    tree = ElementTree.from_rows([("a", "b", ["A"]), ("b", "a", ["B"])])
    assert tree.descendants("a") == ["a", "b"]
    assert tree.depth_first() == []  # no top row: nothing hangs from a framework


@pytest.mark.parametrize(
    ("module", "name", "hint"),
    [
        ("evidence_kb", "published_table", "kb.table(name)"),
        ("evidence_kb", "TABLE_NAMES", "ekb.table_names(kb)"),
        ("evidence_kb.graph", "load_concepts", "evidence_kb.io.tables.load_concepts"),
        ("evidence_kb.graph.concepts", "check_concepts", "evidence_kb.model.checks"),
        ("evidence_kb.graph.crosswalk", "load_crosswalk", "evidence_kb.io.tables"),
    ],
)
def test_names_that_left_the_public_api_still_work_with_a_warning(module, name, hint):
    package = __import__(module, fromlist=[name])
    with pytest.warns(DeprecationWarning, match=hint.replace("(", r"\(").replace(")", r"\)")):
        value = getattr(package, name)
    assert value is not None
    assert name not in package.__all__


def test_public_names_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ekb.__all__:
            getattr(ekb, name)


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="has no attribute 'nothing_here'"):
        _ = ekb.nothing_here
