"""Pause Python's cyclic garbage collector while many objects are made at once.

Loading a knowledge base or building its graph makes some ten Python objects per finding. The
cyclic collector would walk every live object many times meanwhile (it doubles the time at
100,000 findings), and nothing made there is cyclic garbage.

When the pause ends, the objects made during it are moved to the oldest generation at once
(``gc.freeze()`` then ``gc.unfreeze()``: two list splices, no walk). Otherwise they all sit in
the youngest generation, and the first collections after the pause walk each of them twice
(young, then middle generation) before they reach the oldest: 0.3-0.5 s after a load and a
build at 100,000 findings. The trade-off: cyclic garbage made by the caller just before the
pause also moves to the oldest generation, so it is freed at the next full collection rather
than the next young one. Nothing stays frozen (``gc.freeze()`` alone would keep the objects
from ever being collected), and when the process has frozen objects of its own (a server that
calls ``gc.freeze()`` before forking), the move is skipped, as ``gc.unfreeze()`` would thaw them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (a context manager, and a decorator)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:  # see the module docstring
                gc.freeze()
                gc.unfreeze()
            gc.enable()
