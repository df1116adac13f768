"""Names that left the public API keep working for one release, with a warning naming the new way.

A package or module lists them as ``{old name: (module that still defines it, what to use)}``
and hands them to :func:`deprecated` from its ``__getattr__``.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping
from typing import Any

Moved = Mapping[str, tuple[str, str]]  # old name -> (module that defines it, what to use now)


def deprecated(package: str, name: str, moved: Moved) -> Any:
    """Return ``name`` of ``package`` that left its public API, with a ``DeprecationWarning``.

    Any other name is an ``AttributeError``, as for a module without ``__getattr__``.
    """
    if name not in moved:
        msg = f"module {package!r} has no attribute {name!r}"
        raise AttributeError(msg)
    module, use = moved[name]
    warnings.warn(
        f"{package}.{name} is deprecated and goes in the next release; use {use}",
        DeprecationWarning,
        stacklevel=3,
    )
    return getattr(importlib.import_module(module), name)


def moved_to(module: str, *names: str) -> dict[str, tuple[str, str]]:
    """``{name: (module, 'module.name')}`` for names that now live in ``module``."""
    return {name: (module, f"{module}.{name}") for name in names}
