"""Files that ship with the package: the bundled knowledge base and package data files.

Other layers get their text from here (the dedupe weights, the report's template, script and
styles) instead of opening package files themselves.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from evidence_kb.model.vocab import FINDINGS_FILE

__all__ = ["bundled_data_dir", "read_package_text"]


def read_package_text(package: str, name: str) -> str:
    """The text (UTF-8) of the file ``name`` of ``package``, e.g. ``weights.json``.

    Examples
    --------
    >>> "threshold" in read_package_text("evidence_kb.citations.dedupe", "weights.json")
    True
    """
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def bundled_data_dir() -> Path:
    """Return the directory of the knowledge base that ships with the package."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "data"  # inside the wheel
    if (installed / FINDINGS_FILE).exists():
        return installed
    return package.parents[1] / "data"  # a source checkout or an editable install
