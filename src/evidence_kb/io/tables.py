"""Read the optional tables of a knowledge base on their own: concepts, concept tags, crosswalk.

:func:`evidence_kb.load` reads them with the rest of a directory; these readers are for a table
outside one (a vocabulary to try, the bundled crosswalk). Each reads the file, checks it with
:mod:`evidence_kb.model.checks` and raises :class:`~evidence_kb.InputError` on an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.csvfile import read_csv_rows
from evidence_kb.io.kbdir import bundled_data_dir
from evidence_kb.model.checks import (
    checked_concept_tags,
    checked_concepts,
    checked_crosswalk,
    table_frame,
)
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.vocab import (
    CONCEPT_COLUMNS,
    CONCEPT_TAG_COLUMNS,
    CONCEPT_TAGS_FILE,
    CONCEPTS_FILE,
    CROSSWALK_COLUMNS,
    CROSSWALK_FILE,
    REQUIRED_CONCEPT_COLUMNS,
    REQUIRED_CROSSWALK_COLUMNS,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["load_concept_tags", "load_concepts", "load_crosswalk"]


def _default_path(name: str, data_dir: str | os.PathLike[str] | None) -> Path:
    """``data_dir/name`` (which may not exist); without ``data_dir`` the bundled file."""
    if data_dir is not None:
        return Path(data_dir) / name
    return bundled_data_dir() / name


def load_concepts(
    source: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Read and check the concept vocabulary.

    Parameters
    ----------
    source
        A path to a ``concepts.csv`` or a DataFrame with its columns. By default
        ``data_dir/concepts.csv``, or the bundled vocabulary when no ``data_dir`` is given.
    data_dir
        A knowledge base directory: its own ``concepts.csv``, or no concepts (an empty table)
        when it has none. The bundled vocabulary never fills in for a directory.

    Returns
    -------
    pandas.DataFrame
        One row per concept, sorted by ``concept_id``.

    Raises
    ------
    InputError
        If a concept id is malformed or repeated, or a concept has no patterns.

    Examples
    --------
    >>> vocab = load_concepts()
    >>> vocab.set_index("concept_id").loc["trust", "label_nl"]
    'vertrouwen'
    """
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return checked_concepts(source)
    path = Path(source) if source is not None else _default_path(CONCEPTS_FILE, data_dir)
    if source is None and not path.exists():
        return pd.DataFrame(columns=list(CONCEPT_COLUMNS))
    frame, lines = _read_table(path, CONCEPT_COLUMNS, REQUIRED_CONCEPT_COLUMNS)
    return checked_concepts(frame, lines, path.name)


def load_concept_tags(
    source: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    concepts: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read the hand corrections of the automatic tagging.

    Parameters
    ----------
    source
        A path to a ``concept_tags.csv`` or a DataFrame. By default ``data_dir/concept_tags.csv``,
        or the bundled file when no ``data_dir`` is given.
    data_dir
        A knowledge base directory: its own ``concept_tags.csv``, or none (an empty table).
    concepts
        The known concept ids; a row naming another concept is an error.

    Returns
    -------
    pandas.DataFrame
        Columns ``finding_id``, ``concept_id``, ``action`` (add/remove), ``reason``.

    Raises
    ------
    InputError
        For an unknown action, an unknown concept, or a row without a reason.
    """
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return checked_concept_tags(source, concepts=concepts)
    path = Path(source) if source is not None else _default_path(CONCEPT_TAGS_FILE, data_dir)
    if not path.exists():
        return pd.DataFrame(columns=list(CONCEPT_TAG_COLUMNS))
    frame, lines = _read_table(path, CONCEPT_TAG_COLUMNS, CONCEPT_TAG_COLUMNS)
    return checked_concept_tags(frame, lines, path.name, concepts=concepts)


def load_crosswalk(
    source: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    elements: Iterable[str] | None = None,
    findings: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and check the crosswalk.

    Parameters
    ----------
    source
        A path to a ``crosswalk.csv`` or a DataFrame. By default ``data_dir/crosswalk.csv``,
        or the bundled file when no ``data_dir`` is given.
    data_dir
        A knowledge base directory: its own ``crosswalk.csv``, or no links when it has none.
    elements
        The element ids of the knowledge base. Rows naming another element are left out with a
        warning (a crosswalk written for a bigger knowledge base still loads).
    findings
        The finding ids of the knowledge base. Rows citing another finding are left out with a
        warning too.

    Returns
    -------
    (pandas.DataFrame, list of Problem)
        The usable rows (the five columns plus ``line``, the line in the file) and the warnings.

    Raises
    ------
    InputError
        For an unknown relation, a link of an element to itself, or a row with neither a
        finding nor a source line in its note.
    """
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return checked_crosswalk(source, elements=elements, findings=findings)
    path = Path(source) if source is not None else _default_path(CROSSWALK_FILE, data_dir)
    if not path.exists():
        return pd.DataFrame(columns=[*CROSSWALK_COLUMNS, "line"]), []
    frame, lines = _read_table(path, CROSSWALK_COLUMNS, REQUIRED_CROSSWALK_COLUMNS)
    return checked_crosswalk(frame, list(lines), path.name, elements=elements, findings=findings)


def _read_table(
    path: Path, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[pd.DataFrame, list[int]]:
    """The rows of a CSV file as a frame of stripped text, and their lines; or an InputError."""
    table = read_csv_rows(path, required=required, known=columns)
    if any(p.severity == "error" for p in table.problems):
        raise InputError(table.problems)
    return table_frame(table, columns), list(table.lines)
