"""Lazy exports for a package's ``__init__``: a public name is imported on first use.

This keeps ``import evidence_kb`` fast: pandas, networkx, bibtexparser and matplotlib load only
when a name that needs them is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from evidence_kb._deprecated import Moved, deprecated


def lazy_exports(
    package: str,
    exports: Mapping[str, str],
    namespace: dict[str, Any],
    *,
    moved: Moved | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return the module ``__getattr__`` and ``__dir__`` for ``{public name: module}``.

    A name is imported from its module when first asked for, then kept in ``namespace`` (the
    package's globals), so later uses cost nothing. ``moved`` lists names that left the public
    API of ``package`` (see :mod:`evidence_kb._deprecated`): they still work, with a
    ``DeprecationWarning`` that says what to use.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            return deprecated(package, name, moved or {})
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*exports, *(k for k in namespace if not k.startswith("_"))})

    return __getattr__, __dir__
