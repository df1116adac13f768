"""Start a knowledge base for a new review: :func:`init` writes a skeleton that validates.

The skeleton has the three required files (see :mod:`evidence_kb.io.kbdir`):

- ``frameworks.csv``: a copy of the bundled frameworks (LISO, LISO-werkwijze 2025, the TNO
  model of the learning organisation, Learning communities), so their elements are ready to use;
  add the rows of your own framework, or remove the ones you do not need;
- ``reviews.csv``: one row for the new review, to fill in (its title is marked ``TODO``);
- ``findings.csv`` (or ``findings.xlsx`` with ``excel=True``): the header only; one row per
  finding goes below it.

No reference file is written: put your reference manager's export beside them as
``references.bib``, ``references.ris`` or ``references.json`` (exactly one). The bundled concept
vocabulary is copied only on request (``with_concepts=True``); no concept corrections or
crosswalk are copied, as those are about the bundled findings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from evidence_kb.io.export import write_findings
from evidence_kb.io.resources import bundled_data_dir
from evidence_kb.io.text import write_text
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.records import ID_PATTERN
from evidence_kb.model.vocab import (
    CONCEPTS_FILE,
    FINDINGS_FILE,
    FINDINGS_XLSX_FILE,
    FRAMEWORKS_FILE,
    REVIEW_COLUMNS,
    REVIEWS_FILE,
    SKELETON_FINDING_COLUMNS,
)

__all__ = ["init"]

TODO_TITLE = "TODO: the title of the review"


def init(
    path: str | os.PathLike[str],
    *,
    review_id: str | None = None,
    title: str | None = None,
    with_concepts: bool = False,
    excel: bool = False,
) -> list[Path]:
    """Write the skeleton of a new knowledge base into ``path`` (created if needed).

    A file that exists is never overwritten: it is kept, and only the missing files are
    written (``findings.csv`` is not written when ``findings.xlsx`` exists). ``evidence-kb
    validate`` passes on the result.

    Parameters
    ----------
    path
        The directory of the new knowledge base.
    review_id
        The id of the review row (lower-case letters, digits, ``-``, ``_``, ``.``); by default
        made from the directory name.
    title
        The title of the review; by default ``"TODO: the title of the review"``.
    with_concepts
        Also copy the bundled concept vocabulary (``concepts.csv``), to tag the findings with
        its concepts.
    excel
        Write the findings header as ``findings.xlsx`` (for a team that keeps its findings in
        Excel) instead of ``findings.csv``.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    InputError
        If every file of the skeleton exists already (nothing to write), if ``path`` is a file,
        or if ``review_id`` is not a valid id.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> new = pathlib.Path(tempfile.mkdtemp()) / "my-review"
    >>> [p.name for p in ekb.init(new)]
    ['frameworks.csv', 'reviews.csv', 'findings.csv']
    >>> ekb.load(new).findings.shape[0]
    0
    """
    path = Path(path)
    review_id = _check_target(path, review_id)
    contents = _contents(bundled_data_dir(), review_id, title, with_concepts, excel)
    existing = _existing(path, contents)
    path.mkdir(parents=True, exist_ok=True)
    return [
        _write(path, name, content) for name, content in contents.items() if name not in existing
    ]


def _check_target(path: Path, review_id: str | None) -> str:
    """The id of the new review (by default from the directory name), checked, as is ``path``."""
    if path.exists() and not path.is_dir():
        msg = "is a file; expected a directory (new or existing) for the knowledge base"
        raise InputError([Problem(str(path), None, None, None, msg)])
    review_id = review_id if review_id is not None else _slug(path.name)
    if not re.match(ID_PATTERN, review_id):
        msg = f"got {review_id!r}, expected lower-case letters, digits, '-', '_' or '.'"
        raise InputError([Problem(REVIEWS_FILE, None, "review_id", review_id, msg)])
    return review_id


def _contents(
    bundled: Path, review_id: str, title: str | None, with_concepts: bool, excel: bool
) -> dict[str, Callable[[], str]]:
    """The files of the skeleton, each with a function that returns its text.

    ``findings.xlsx`` is written as a workbook, not as text (see :func:`_write`).
    """
    contents = {
        FRAMEWORKS_FILE: lambda: (bundled / FRAMEWORKS_FILE).read_text(encoding="utf-8"),
        REVIEWS_FILE: lambda: _csv([REVIEW_COLUMNS, _review_row(review_id, title or TODO_TITLE)]),
        FINDINGS_XLSX_FILE if excel else FINDINGS_FILE: lambda: _csv([SKELETON_FINDING_COLUMNS]),
    }
    if with_concepts:
        contents[CONCEPTS_FILE] = lambda: (bundled / CONCEPTS_FILE).read_text(encoding="utf-8")
    return contents


def _existing(path: Path, contents: dict[str, Callable[[], str]]) -> list[str]:
    """The files of the skeleton that exist; an error if all of them do (nothing to write)."""
    existing = [name for name in contents if _exists(path, name)]
    if len(existing) == len(contents):
        problems = [
            Problem(
                name,
                None,
                None,
                None,
                f"{path / name} exists; init never overwrites a file (nothing was written)",
            )
            for name in existing
        ]
        raise InputError(problems, summary=f"{path} already has every file of the skeleton")
    return existing


def _write(path: Path, name: str, content: Callable[[], str]) -> Path:
    """Write one file of the skeleton into ``path``; return its path."""
    if name == FINDINGS_XLSX_FILE:
        import pandas as pd

        write_findings(pd.DataFrame(columns=list(SKELETON_FINDING_COLUMNS)), path / name)
    else:
        write_text(path / name, content())
    return path / name


def skeleton_files(*, with_concepts: bool = False, excel: bool = False) -> tuple[str, ...]:
    """The names of the files :func:`init` writes."""
    names = (FRAMEWORKS_FILE, REVIEWS_FILE, FINDINGS_XLSX_FILE if excel else FINDINGS_FILE)
    return (*names, CONCEPTS_FILE) if with_concepts else names


def _exists(path: Path, name: str) -> bool:
    if name in (FINDINGS_FILE, FINDINGS_XLSX_FILE):  # one findings file, in either format
        return (path / FINDINGS_FILE).exists() or (path / FINDINGS_XLSX_FILE).exists()
    return (path / name).exists()


def _slug(name: str) -> str:
    """A review id made from a directory name: ``"My Review 2026"`` -> ``"my-review-2026"``."""
    slug = re.sub(r"[^a-z0-9_.]+", "-", name.casefold()).strip("-_.")
    return slug or "my-review"


def _review_row(review_id: str, title: str) -> list[str]:
    values = {"review_id": review_id, "title": title}
    return [values.get(column, "") for column in REVIEW_COLUMNS]


def _csv(rows: list) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
