"""Names that moved keep working for one release, with a warning that names the new home."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping
from typing import Any


def moved(module: str, name: str, new_homes: Mapping[str, str]) -> Any:
    """Return ``name`` from its new module (``new_homes[name]``) with a ``DeprecationWarning``.

    For a module's ``__getattr__``: any other name is an ``AttributeError`` as usual.
    """
    home = new_homes.get(name)
    if home is None:
        msg = f"module {module!r} has no attribute {name!r}"
        raise AttributeError(msg)
    warnings.warn(
        f"{module}.{name} moved to {home}.{name}; the old name goes in the next release",
        DeprecationWarning,
        stacklevel=3,
    )
    return getattr(importlib.import_module(home), name)
