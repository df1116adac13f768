"""Pause Python's cyclic garbage collector while many objects are made at once.

Loading a knowledge base or building its graph makes some ten Python objects per finding. The
cyclic collector would walk every live object many times meanwhile (it doubles the time at
100,000 findings), and nothing made there is cyclic garbage.
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
            gc.enable()
