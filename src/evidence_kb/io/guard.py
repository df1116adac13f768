"""The one rule every writer keeps: a person's files are never written over by accident.

Before a writer writes ``path``, :func:`check_output` refuses (with the path and the way out)

* a file this command read (the input of ``dedupe``, its ``--decisions`` file, a file of the
  knowledge base being published): writing over it would lose what a person typed;
* a file directly inside a knowledge-base directory (one that holds ``frameworks.csv`` or
  ``reviews.csv``, or the directory the knowledge base was loaded from): only ``init``,
  ``build-bib`` and ``to_bibtex`` are meant to change one;
* with ``kb_names=True`` (tables named after a review id, graphs, single tables), a file
  named like one of a knowledge base's own files (``findings.csv``, ``references.bib``, ...),
  so that no output can later be mistaken for, or copied over, one.

The writers that write several files check them all before writing the first.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.vocab import (
    CONCEPT_TAGS_FILE,
    CONCEPTS_FILE,
    CROSSWALK_FILE,
    FINDINGS_FILE,
    FINDINGS_XLSX_FILE,
    FRAMEWORKS_FILE,
    REFERENCES_FILES,
    RELATED_FILE,
    REVIEWS_FILE,
)

__all__ = ["KB_FILE_NAMES", "check_output", "check_outputs", "is_kb_dir"]

KB_FILE_NAMES = frozenset(
    {
        FRAMEWORKS_FILE,
        REVIEWS_FILE,
        FINDINGS_FILE,
        FINDINGS_XLSX_FILE,
        *REFERENCES_FILES,
        CONCEPTS_FILE,
        CONCEPT_TAGS_FILE,
        CROSSWALK_FILE,
        RELATED_FILE,
    }
)
"""The names of a knowledge base's own files."""

_KB_MARKERS = (FRAMEWORKS_FILE, REVIEWS_FILE)  # the required files no export ever writes


def is_kb_dir(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a knowledge-base directory (it holds frameworks.csv or reviews.csv)."""
    path = Path(path)
    return any((path / name).is_file() for name in _KB_MARKERS)


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name one file (also through links or a different spelling)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def check_output(
    path: str | os.PathLike[str],
    *,
    read: Iterable[str | os.PathLike[str]] = (),
    kb_dir: str | os.PathLike[str] | None = None,
    kb_names: bool = False,
    way_out: str = "choose another output path",
) -> Path:
    """Refuse to write ``path`` if the rule of the module docstring forbids it; return it.

    Parameters
    ----------
    path
        The file about to be written.
    read
        The files this command read.
    kb_dir
        The directory of the knowledge base being written from (its own files are read).
    kb_names
        Refuse a knowledge-base file name (for files named after the data, e.g. a review id).
    way_out
        What the person can do instead (an option to pass), for the message.

    Raises
    ------
    InputError
        Naming ``path``, the reason and the way out; nothing has been written.
    """
    path = Path(path)
    reason = None
    if any(_same(path, Path(other)) for other in read):
        reason = "is a file this command reads; writing it would lose its contents"
    elif (kb_dir is not None and _same(path.parent, Path(kb_dir))) or is_kb_dir(path.parent):
        reason = (
            f"is inside the knowledge base {path.parent}; only init, build-bib and to_bibtex "
            "change a knowledge base"
        )
    elif kb_names and path.name in KB_FILE_NAMES:
        reason = (
            "has the name of a knowledge-base file (rename the review, or write another format)"
        )
    if reason is None:
        return path
    msg = f"refused to write this file: it {reason}; nothing was written: {way_out}"
    raise InputError([Problem(str(path), None, None, None, msg)])


def check_outputs(paths: Iterable[str | os.PathLike[str]], **options: object) -> list[Path]:
    """:func:`check_output` for each path (all before any is written); return them."""
    return [check_output(path, **options) for path in paths]  # type: ignore[arg-type]
