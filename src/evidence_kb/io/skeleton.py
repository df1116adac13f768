"""Start a knowledge base for a new review: :func:`init` writes a skeleton that validates.

The skeleton has the three required files (see :mod:`evidence_kb.io.kbdir`):

- ``frameworks.csv``: the header, for the rows of your own framework(s); with ``frameworks=``
  also the rows of those bundled frameworks (``liso``, ``liso-2025``, ``tno-lo``, ``lc``), so
  their elements are ready to use;
- ``reviews.csv``: one row for the new review, to fill in (its title is marked ``TODO``; its
  ``language``, ``nl`` or ``en``, is that of its tables, diagrams and report);
- ``findings.csv`` (or ``findings.xlsx`` with ``excel=True``): the header of the generic
  columns only (not the bundled review's ``side`` and ``paradigm``); one row per finding goes
  below it.

With ``charting=True`` it also writes a charting form (``charting.csv``: design, country,
setting, population, sample size and year of each source, after the JBI data-charting form;
change it to your protocol's) and the header of ``studies.csv``.

No reference file is written: put your reference manager's export beside them as
``references.bib``, ``references.ris`` or ``references.json`` (exactly one). The bundled concept
vocabulary is copied only on request (``with_concepts=True``); no concept corrections or
crosswalk are copied, as those are about the bundled findings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from evidence_kb.io.export import write_findings
from evidence_kb.io.resources import bundled_data_dir
from evidence_kb.io.text import write_text
from evidence_kb.model.charting import CHARTING_COLUMNS, CHARTING_FILE, STUDIES_FILE
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.i18n import check_language
from evidence_kb.model.records import ID_PATTERN
from evidence_kb.model.vocab import (
    CONCEPTS_FILE,
    ELEMENT_COLUMNS,
    FINDINGS_FILE,
    FINDINGS_XLSX_FILE,
    FRAMEWORKS_FILE,
    REVIEW_COLUMNS,
    REVIEWS_FILE,
    SKELETON_FINDING_COLUMNS,
)

__all__ = ["init"]

TODO_TITLE = "TODO: the title of the review"
# the findings columns of any review: not the bundled review's side and paradigm
GENERIC_FINDING_COLUMNS = tuple(
    c for c in SKELETON_FINDING_COLUMNS if c not in ("side", "paradigm")
)
# a starting charting form after the JBI data-charting form: field, type, values, description
STARTING_FORM = (
    ("design", "text", "", "study design as reported (e.g. RCT, cohort, qualitative)"),
    ("country", "text", "", "country or countries where the study took place"),
    ("setting", "text", "", "the setting or context of the study"),
    ("population", "text", "", "the participants and their number"),
    ("sample_size", "number", "", "number of participants"),
    ("year_published", "year", "", "year of publication"),
)


def init(
    path: str | os.PathLike[str],
    *,
    review_id: str | None = None,
    title: str | None = None,
    with_concepts: bool = False,
    excel: bool = False,
    frameworks: Iterable[str] = (),
    language: str | None = None,
    charting: bool = False,
) -> list[Path]:
    """Write the skeleton of a new knowledge base into ``path`` (created if needed).

    A file that exists is never overwritten (nor is ``findings.csv`` written beside a
    ``findings.xlsx``): only the missing files are written. ``evidence-kb validate`` passes.

    Parameters
    ----------
    path
        The directory of the new knowledge base.
    review_id
        The id of the review row; by default made from the directory name.
    title
        The title of the review; by default ``"TODO: the title of the review"``.
    with_concepts, excel
        Also copy the bundled concept vocabulary (``concepts.csv``); write the findings header
        as ``findings.xlsx`` (for a team that keeps its findings in Excel), not ``findings.csv``.
    frameworks, language, charting
        Bundled frameworks to copy into ``frameworks.csv``, by id (default none: the header
        only; an unknown id lists the bundled ones); the review's language (``"nl"``, ``"en"``;
        default empty: Dutch); also write ``charting.csv`` (a starting form) and ``studies.csv``.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    InputError
        If every file exists already (nothing to write), ``path`` is a file or ``review_id``
        is not a valid id (lower-case letters, digits, ``-``, ``_``, ``.``).

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
    review = _review_row(review_id, title, check_language(language) if language else "")
    contents = _contents(bundled_data_dir(), review, with_concepts, excel, tuple(frameworks))
    contents.update(_charting_files() if charting else {})
    existing = _existing(path, contents)
    path.mkdir(parents=True, exist_ok=True)
    return [_write(path, n, content) for n, content in contents.items() if n not in existing]


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
    bundled: Path, review: list[str], with_concepts: bool, excel: bool, frameworks: tuple[str, ...]
) -> dict[str, Callable[[], str]]:
    """The files of the skeleton, each with a function that returns its text.

    ``findings.xlsx`` is written as a workbook, not as text (see :func:`_write`).
    """
    contents = {
        FRAMEWORKS_FILE: _framework_rows(bundled, frameworks),
        REVIEWS_FILE: lambda: _csv([REVIEW_COLUMNS, review]),
        FINDINGS_XLSX_FILE if excel else FINDINGS_FILE: lambda: _csv([GENERIC_FINDING_COLUMNS]),
    }
    if with_concepts:
        contents[CONCEPTS_FILE] = lambda: (bundled / CONCEPTS_FILE).read_text(encoding="utf-8")
    return contents


def _charting_files() -> dict[str, Callable[[], str]]:
    """``charting.csv`` (the starting form) and the header of ``studies.csv``."""
    return {
        CHARTING_FILE: lambda: _csv([CHARTING_COLUMNS, *STARTING_FORM]),
        STUDIES_FILE: lambda: _csv([["reference", *(f[0] for f in STARTING_FORM)]]),
    }


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

        write_findings(pd.DataFrame(columns=list(GENERIC_FINDING_COLUMNS)), path / name)
    else:
        write_text(path / name, content())
    return path / name


def skeleton_files(
    *, with_concepts: bool = False, excel: bool = False, charting: bool = False
) -> tuple[str, ...]:
    """The names of the files :func:`init` writes."""
    names: tuple[str, ...] = (
        FRAMEWORKS_FILE,
        REVIEWS_FILE,
        FINDINGS_XLSX_FILE if excel else FINDINGS_FILE,
    )
    names = (*names, CONCEPTS_FILE) if with_concepts else names
    return (*names, CHARTING_FILE, STUDIES_FILE) if charting else names


def _framework_rows(bundled: Path, wanted: tuple[str, ...]) -> Callable[[], str]:
    """``frameworks.csv``: the header and the rows of the ``wanted`` bundled frameworks.

    Raises
    ------
    InputError
        For an id that is not a bundled framework (listing the bundled ones).
    """
    import csv
    import io

    if not wanted:
        return lambda: _csv([ELEMENT_COLUMNS])
    text = (bundled / FRAMEWORKS_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    known = sorted({row["framework"] for row in rows})
    unknown = [f for f in wanted if f not in known]
    if unknown:
        problems = [
            Problem(
                FRAMEWORKS_FILE,
                None,
                "framework",
                f,
                f"{f!r} is not a bundled framework{did_you_mean(f, known)}; "
                f"bundled: {', '.join(known)}",
            )
            for f in unknown
        ]
        raise InputError(problems)
    chosen = [
        [row.get(c, "") for c in ELEMENT_COLUMNS] for row in rows if row["framework"] in wanted
    ]
    return lambda: _csv([ELEMENT_COLUMNS, *chosen])


def _exists(path: Path, name: str) -> bool:
    if name in (FINDINGS_FILE, FINDINGS_XLSX_FILE):  # one findings file, in either format
        return (path / FINDINGS_FILE).exists() or (path / FINDINGS_XLSX_FILE).exists()
    return (path / name).exists()


def _slug(name: str) -> str:
    """A review id made from a directory name: ``"My Review 2026"`` -> ``"my-review-2026"``."""
    slug = re.sub(r"[^a-z0-9_.]+", "-", name.casefold()).strip("-_.")
    return slug or "my-review"


def _review_row(review_id: str, title: str | None, language: str) -> list[str]:
    values = {"review_id": review_id, "title": title or TODO_TITLE, "language": language}
    return [values.get(column, "") for column in REVIEW_COLUMNS]


def _csv(rows: list) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
