"""The second process (evidence_kb._workers) changes nothing but the time: both paths agree.

``EVIDENCE_KB_WORKERS=force`` forks whatever the size, ``1`` never forks; each test loads or
builds the same knowledge base both ways and compares every table, record, problem (text and
order), node, edge and attribute, and the exceptions raised.
"""

from __future__ import annotations

import multiprocessing
import shutil
import threading
from pathlib import Path

import pandas.testing as pdt
import pytest

import evidence_kb as ekb
from evidence_kb import _workers
from evidence_kb._workers import WORKERS_ENV, beside, use_worker
from evidence_kb.graph import build_graph
from evidence_kb.io import kbdir
from evidence_kb.io.resources import bundled_data_dir
from evidence_kb.model.errors import InputError, Problem

DATA_DIR = Path(__file__).parent / "data"

needs_fork = pytest.mark.skipif(
    not _workers._fork_is_safe(), reason="forking is not safe here (not Linux, or threads)"
)


def _snapshot(directory: Path) -> dict:
    """Everything a load and a build produce, in a form that compares with ``==``."""
    kb = ekb.load(directory, strict=False)
    G = build_graph(kb)
    index = G.graph["index"]
    tables = {
        name: getattr(kb, name)
        for name in ("findings", "elements", "reviews", "references", "citations", "problems")
    }
    for name in ("findings", "references", "concepts", "tags", "element_tags", "cites"):
        tables[f"index.{name}"] = getattr(index, name)
    records = {
        name: [(type(r).__name__, r.model_dump()) for r in getattr(kb, name)]
        for name in ("finding_records", "element_records", "review_records", "reference_records")
    }
    plain = lambda attrs: {k: (type(v).__name__, v) for k, v in attrs.items()}  # noqa: E731
    return {
        "tables": tables,
        "records": records,
        "problem_list": list(kb.problem_list),
        "files": kb.files,
        "nodes": [(n, plain(a)) for n, a in G.nodes(data=True)],
        "edges": [(u, v, k, plain(a)) for u, v, k, a in G.edges(keys=True, data=True)],
        "index.problems": list(index.problems),
    }


def _assert_same(left: dict, right: dict) -> None:
    for name, table in left["tables"].items():
        pdt.assert_frame_equal(table, right["tables"][name], check_exact=True)
    for key in left:
        if key != "tables":
            assert left[key] == right[key], key


def _both_ways(monkeypatch, make):
    """``make()`` in one process and with the steps forced into a second one."""
    if not _workers._fork_is_safe():  # (threads left by an earlier test): nothing to compare
        pytest.skip("forking is not safe in this process now")
    in_child: list[bool] = []  # of each step started, whether it ran in a second process
    start = _workers.Pending.__init__

    def counted(self, *args, **kwargs):
        start(self, *args, **kwargs)
        in_child.append(self.in_child)

    monkeypatch.setattr(_workers.Pending, "__init__", counted)
    monkeypatch.setenv(WORKERS_ENV, "1")
    alone = make()
    assert in_child
    assert not any(in_child)
    in_child.clear()
    monkeypatch.setenv(WORKERS_ENV, "force")
    forked = make()
    assert any(in_child)  # the second path did run a step in a second process
    assert not multiprocessing.active_children()  # no worker left behind
    return alone, forked


def _kb_with_bib(tmp_path: Path, bib: bytes) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(DATA_DIR / "mini", target)
    (target / "references.bib").write_bytes(bib)
    return target


@needs_fork
@pytest.mark.parametrize(
    "directory",
    [pytest.param(bundled_data_dir(), id="bundled"), pytest.param(DATA_DIR / "mini", id="mini")],
)
def test_load_and_build_agree_in_one_and_two_processes(monkeypatch, directory):
    alone, forked = _both_ways(monkeypatch, lambda: _snapshot(directory))
    _assert_same(alone, forked)
    assert alone["nodes"]


@needs_fork
@pytest.mark.parametrize(
    "bad",
    [
        "references--broken_entry.bib",
        "references--unbalanced_braces.bib",
        "references--duplicate_key.bib",
        "findings--unknown_reference_key.csv",
    ],
)
def test_broken_files_give_the_same_problems_and_error(monkeypatch, broken_kb, bad):
    directory = broken_kb(bad)
    alone, forked = _both_ways(monkeypatch, lambda: _snapshot(directory))
    _assert_same(alone, forked)

    def strict_error():
        with pytest.raises(InputError) as err:
            ekb.load(directory)
        return str(err.value), err.value.problem_list

    alone_error, forked_error = _both_ways(monkeypatch, strict_error)
    assert alone_error == forked_error


@needs_fork
def test_a_wrong_encoding_is_reported_the_same_way(monkeypatch, tmp_path):
    text = (DATA_DIR / "mini" / "references.bib").read_text(encoding="utf-8")
    directory = _kb_with_bib(tmp_path, text.replace("}", "} % café", 1).encode("cp1252"))
    alone, forked = _both_ways(monkeypatch, lambda: _snapshot(directory))
    _assert_same(alone, forked)
    assert any("references.bib" in p.file for p in alone["problem_list"])

    def encoding_error():
        with pytest.raises(InputError) as err:
            ekb.load(directory)
        return str(err.value), err.value.problem_list

    assert encoding_error() == _both_ways(monkeypatch, encoding_error)[1]


@needs_fork
def test_two_reference_files_are_reported_in_the_same_place(monkeypatch, tmp_path):
    directory = _kb_with_bib(tmp_path, (DATA_DIR / "mini" / "references.bib").read_bytes())
    (directory / "references.json").write_text("[]", encoding="utf-8")
    alone, forked = _both_ways(monkeypatch, lambda: kbdir.read_kb_dir(directory).problems)
    assert alone == forked
    assert "exactly one reference file" in alone[0].message


def _raise_input_error(file: str) -> None:
    raise InputError([Problem(file, 3, "key", "x", "broken")], summary="1 error in x")


@needs_fork
def test_an_exception_in_the_child_reaches_the_caller_as_it_was():
    with beside(_raise_input_error, "a.bib", fork=True) as pending:
        assert pending.in_child
        with pytest.raises(InputError) as err:
            pending.result()
    with pytest.raises(InputError) as direct:
        _raise_input_error("a.bib")
    assert str(err.value) == str(direct.value)
    assert err.value.problem_list == direct.value.problem_list
    with (
        beside(bytes.decode, b"\xe9", "utf-8", fork=True) as pending,
        pytest.raises(UnicodeDecodeError, match="can't decode byte 0xe9"),
    ):
        pending.result()
    assert not multiprocessing.active_children()


@needs_fork
def test_a_step_that_comes_first_raises_before_the_block():
    for fork in (False, True):
        with pytest.raises(InputError), beside(_raise_input_error, "a", fork=fork, first=True):
            raise KeyError("the block's error comes later in the one-process order")
    with pytest.raises(KeyError), beside(_raise_input_error, "a", fork=True):
        raise KeyError("a step that comes after the block never ran in one process")
    assert not multiprocessing.active_children()


def test_a_child_is_used_only_when_it_pays_and_is_allowed(monkeypatch):
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    assert not use_worker(10, 1_000)
    assert use_worker(1_000, 1_000) == _workers._fork_is_safe()
    monkeypatch.setenv(WORKERS_ENV, "1")
    assert not use_worker(10**9, 1_000)
    monkeypatch.setenv(WORKERS_ENV, "force")
    assert use_worker(0, 1_000) == _workers._fork_is_safe()
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # a threaded process: never fork
    assert not use_worker(0, 1_000)


def _worker_in_a_pool(_: int) -> bool:
    return use_worker(0, 1_000)


@needs_fork
def test_a_pool_worker_loads_in_process(monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "force")
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_worker_in_a_pool, [0]) == [False]  # daemonic: may not have children
