"""The pause of the cyclic garbage collector (evidence_kb._gc) leaves the collector as it was."""

import gc

import pytest

from evidence_kb._gc import gc_paused


@pytest.mark.parametrize("promote", [False, True])
def test_pause_restores_the_collector_and_freezes_nothing(promote):
    assert gc.isenabled()
    before = gc.get_freeze_count()  # some interpreter builds start with frozen objects (3.12)
    with gc_paused(promote=promote):
        assert not gc.isenabled()
        made = [[] for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == before  # promoted objects stay collectable
    assert made


def test_promote_moves_objects_to_the_oldest_generation():
    if gc.get_freeze_count():
        pytest.skip("the interpreter has frozen objects of its own: the move is skipped then")
    with gc_paused(promote=True):
        made = [[i] for i in range(1000)]
    assert gc.get_count()[0] < 1000  # not left in the youngest generation
    assert any(x is made[0] for x in gc.get_objects(generation=2))


def test_promote_leaves_objects_frozen_by_the_process_frozen():
    frozen = [[1]]
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        with gc_paused(promote=True):
            pass
        assert gc.get_freeze_count() == count  # not thawed
    finally:
        gc.unfreeze()
    assert frozen


def test_nested_pauses_keep_the_collector_off():
    with gc_paused(promote=True):
        with gc_paused(promote=True):
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
