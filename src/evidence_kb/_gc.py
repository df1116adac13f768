"""Pause Python's cyclic garbage collector while many objects are made at once.

Loading a knowledge base or building its graph makes some ten Python objects per finding. The
cyclic collector would walk every live object many times meanwhile (it doubles the time at
100,000 findings), and nothing made there is cyclic garbage.

``gc_paused(promote=True)``, for a pause that makes long-lived data (a load, a graph), also
moves every tracked object to the oldest generation when the pause ends (``gc.freeze()`` then
``gc.unfreeze()``: two list splices, no walk). Otherwise the objects made during the pause all
sit in the youngest generation, and the first collections after it walk each of them twice
(young, then middle generation) on their way to the oldest: 0.3-0.5 s after a load and a build
at 100,000 findings. The trade-off: cyclic garbage that exists at that moment (made by the
caller before the pause, or during it) is freed at the next full collection rather than the
next young one, which is why queries, whose objects mostly die young, do not promote. Nothing
stays frozen (``gc.freeze()`` alone would keep the objects from ever being collected), and when
the process has frozen objects of its own (a server that calls ``gc.freeze()`` before forking),
the move is skipped, as ``gc.unfreeze()`` would thaw them too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, promote: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector (a context manager, and a decorator).

    With ``promote``, what exists when the pause ends moves to the oldest generation (see the
    module docstring). Nested pauses leave the collector off until the outermost one ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if promote and gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
