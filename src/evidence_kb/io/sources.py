"""Read the ``sources/`` folder once: the manifest, the printed reference lists, the corrections.

``sources/`` holds the reference lists as printed in the seed documents (one text file per
list), ``manifest.csv`` naming each list with its seed, label and first line, and an optional
``corrections.csv``. :func:`read_sources` reads and parses all of it into a
:class:`SourceLists` record; the bibliography (:mod:`evidence_kb.citations.bibliography`), the
plausibility checks and the report all work from that record and never read the folder again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.csvfile import read_csv_rows
from evidence_kb.io.reflist import parse_reference_entries, reference_frame
from evidence_kb.io.text import read_text
from evidence_kb.model.errors import InputError
from evidence_kb.model.printed import ParsedReference
from evidence_kb.model.rows import CsvRows

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CORRECTIONS_FILE",
    "CORRECTION_COLUMNS",
    "MANIFEST_COLUMNS",
    "MANIFEST_FILE",
    "PrintedList",
    "SourceLists",
    "read_kb_sources",
    "read_printed_lists",
    "read_sources",
    "read_sources_beside",
]

MANIFEST_FILE = "manifest.csv"
CORRECTIONS_FILE = "corrections.csv"
MANIFEST_COLUMNS = ("file", "seed", "seed_file", "first_line", "label", "style", "review")
CORRECTION_COLUMNS = ("key", "field", "value", "reason")


@dataclass(frozen=True)
class PrintedList:
    """One printed reference list of the manifest, parsed (one record per non-empty line)."""

    file: str
    seed: str
    label: str
    review: str
    first_line: int
    entries: tuple[ParsedReference, ...]

    def frame(self) -> pd.DataFrame:
        """The list as a table: the parsed fields plus ``list``, ``seed``, ``review``, ``source``.

        ``source`` names the place, e.g. ``"003 LISO Onderbouwing en bronnen (reference list),
        line 94"``.
        """
        refs = reference_frame(list(self.entries))
        refs.insert(0, "list", self.file)
        refs.insert(1, "seed", self.seed)
        refs["review"] = self.review
        refs["source"] = [f"{self.seed} {self.label}, line {line}" for line in refs["line"]]
        return refs


@dataclass(frozen=True)
class SourceLists:
    """The ``sources/`` folder as read by :func:`read_sources`.

    Reading never stops at a broken file: what could be read is here, and each file that could
    not be read is in ``errors`` as ``(file name, exception)``, in the order met (the manifest
    first). :meth:`raise_errors` raises the first of them, for callers that need all of it.
    """

    directory: Path
    manifest: CsvRows | None = None
    lists: tuple[PrintedList, ...] = ()
    corrections: CsvRows | None = None  # None: there is no corrections.csv (or see errors)
    errors: tuple[tuple[str, Exception], ...] = field(default=())

    @cached_property
    def printed(self) -> pd.DataFrame:
        """Every printed reference of every list: see :func:`read_printed_lists`."""
        import pandas as pd

        return pd.concat([printed.frame() for printed in self.lists], ignore_index=True)

    def entries_by_label(self) -> dict[str, dict[int, ParsedReference]]:
        """label -> line -> printed reference (a later list with the same label wins)."""
        return {
            printed.label: {entry.line: entry for entry in printed.entries}
            for printed in self.lists
        }

    def raise_errors(self, *, corrections: bool = True) -> None:
        """Raise the first error met while reading, if any (an :class:`InputError` mostly).

        With ``corrections=False`` an unreadable ``corrections.csv`` is left for later.
        """
        for name, error in self.errors:
            if corrections or name != CORRECTIONS_FILE:
                raise error


def read_sources(sources_dir: str | os.PathLike[str]) -> SourceLists:
    """Read ``manifest.csv``, every printed list it names and ``corrections.csv``, once.

    Parameters
    ----------
    sources_dir
        The ``sources/`` folder of a knowledge base.

    Returns
    -------
    SourceLists
        The parsed lists and corrections, and the errors of the files that could not be read
        (a missing manifest, a missing column, a list file that is not there, a ``first_line``
        that is no number); nothing is raised for them.
    """
    directory = Path(sources_dir)
    errors: list[tuple[str, Exception]] = []
    manifest = None
    try:
        manifest = read_csv_rows(
            directory / MANIFEST_FILE, required=MANIFEST_COLUMNS, known=MANIFEST_COLUMNS
        )
    except InputError as err:  # a missing file or column, a bad encoding
        errors.append((MANIFEST_FILE, err))
    if manifest is not None and manifest.problems:
        errors.append((MANIFEST_FILE, InputError(manifest.problems)))
    lists = []
    for row in manifest.rows if manifest is not None else []:
        try:
            text = read_text(directory / row["file"])
            first_line = int(row["first_line"])
        except (OSError, ValueError) as err:  # InputError is a ValueError
            errors.append((row["file"], err))
            continue
        entries = tuple(parse_reference_entries(text, first_line=first_line))
        lists.append(
            PrintedList(row["file"], row["seed"], row["label"], row["review"], first_line, entries)
        )
    corrections = None
    if (directory / CORRECTIONS_FILE).exists():
        try:
            corrections = read_csv_rows(
                directory / CORRECTIONS_FILE, required=CORRECTION_COLUMNS, known=CORRECTION_COLUMNS
            )
        except InputError as err:
            errors.append((CORRECTIONS_FILE, err))
    return SourceLists(directory, manifest, tuple(lists), corrections, tuple(errors))


def read_kb_sources(data_dir: str | os.PathLike[str]) -> SourceLists | None:
    """:func:`read_sources` of ``data_dir/sources``, or ``None`` when it has no manifest.

    A knowledge base whose bibliography is not built from printed lists has no
    ``sources/manifest.csv``; the load path calls this once and passes the result on.
    """
    sources_dir = Path(data_dir) / "sources"
    if not (sources_dir / MANIFEST_FILE).is_file():
        return None
    return read_sources(sources_dir)


def read_sources_beside(path: str | os.PathLike[str]) -> SourceLists | None:
    """:func:`read_kb_sources` of the directory of ``path`` (a ``references.bib``)."""
    return read_kb_sources(Path(path).parent)


def read_printed_lists(sources: str | os.PathLike[str] | SourceLists) -> pd.DataFrame:
    """Parse every printed reference list named in ``sources_dir/manifest.csv``.

    Parameters
    ----------
    sources
        The ``sources/`` folder, or what :func:`read_sources` read from it.

    Returns
    -------
    pandas.DataFrame
        One row per printed reference: the parsed fields (see
        :func:`~evidence_kb.io.reflist.parse_reference_list`) plus ``list`` (file name), ``seed``
        and ``source`` (``"003 LISO Onderbouwing en bronnen (reference list), line 94"``).

    Raises
    ------
    InputError
        When the manifest or a list it names cannot be read.
    """
    if not isinstance(sources, SourceLists):
        sources = read_sources(sources)
    sources.raise_errors(corrections=False)
    return sources.printed
