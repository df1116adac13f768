"""Read every file of a knowledge-base directory, once.

A knowledge base is a directory of plain files:

========================  ========  ========================================================
file                      needed    what it holds
========================  ========  ========================================================
``frameworks.csv``        required  the frameworks and their elements
``reviews.csv``           required  the reviews, one row each
``findings.csv``          required  the findings; or ``findings.xlsx`` (one of the two)
``references.bib``        optional  the bibliography; or ``references.ris`` or
                                    ``references.json`` (CSL-JSON): at most one of the three
``concepts.csv``          optional  the concept vocabulary (no concepts without it)
``concept_tags.csv``      optional  hand corrections of the concept tagging
``crosswalk.csv``         optional  stated links between elements of different frameworks
``related.csv``           optional  notices (errata, retractions, replies, comments) and the
                                    reference each concerns (``find_duplicates(...).related``)
``charting.csv``          optional  the charting form: the fields charted per source
``studies.csv``           optional  the charted sources, one row per reference (needs the form)
========================  ========  ========================================================

An optional file is the directory's own or it is absent: the files of the bundled knowledge
base never fill in for a missing one. :func:`read_kb_dir` reads what is there and reports every
missing or conflicting file at once, with its full path and how to fix it; a file that cannot be
read at all (bad encoding, a missing column) is reported and the other files are still read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from evidence_kb._workers import Pending, beside, use_worker
from evidence_kb.io.bibtex import field_lines, loaded_reference_problems, read_bibtex_entries
from evidence_kb.io.csvfile import read_csv_rows, read_table_rows
from evidence_kb.io.references import read_references
from evidence_kb.io.refrows import references_from_frame
from evidence_kb.io.resources import bundled_data_dir
from evidence_kb.io.sources import SourceLists, read_kb_sources
from evidence_kb.model.charting import (
    CHARTING_COLUMNS,
    CHARTING_FILE,
    REQUIRED_CHARTING_COLUMNS,
    STUDIES_FILE,
)
from evidence_kb.model.data import KbFiles
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.records import Reference
from evidence_kb.model.rows import CsvRows
from evidence_kb.model.vocab import (
    CONCEPT_COLUMNS,
    CONCEPT_TAG_COLUMNS,
    CONCEPT_TAGS_FILE,
    CONCEPTS_FILE,
    CROSSWALK_COLUMNS,
    CROSSWALK_FILE,
    ELEMENT_COLUMNS,
    FINDING_COLUMNS,
    FINDINGS_FILE,
    FINDINGS_XLSX_FILE,
    FRAMEWORKS_FILE,
    REFERENCES_FILES,
    RELATED_COLUMNS,
    RELATED_FILE,
    REQUIRED_CONCEPT_COLUMNS,
    REQUIRED_CROSSWALK_COLUMNS,
    REQUIRED_ELEMENT_COLUMNS,
    REQUIRED_FINDING_COLUMNS,
    REQUIRED_RELATED_COLUMNS,
    REQUIRED_REVIEW_COLUMNS,
    REVIEW_COLUMNS,
    REVIEWS_FILE,
)

__all__ = [
    "KbFiles",
    "bundled_data_dir",
    "open_kb_dir",
    "read_kb_dir",
    "references_from_frame",
]


def read_kb_dir(data_dir: str | os.PathLike[str], *, encoding: str | None = None) -> KbFiles:
    """Read every file of a knowledge-base directory (see the module docstring for the layout).

    ``encoding`` decodes the text files (CSV, BibTeX, RIS, JSON) with another encoding than
    UTF-8, such as ``"cp1252"`` for files saved by Excel or Word on Windows.

    Returns
    -------
    KbFiles
        The tables as read, and every problem met while reading: missing required files, a
        findings file in two formats, more than one reference file, and each file's own
        problems (header, cell counts, encoding, broken entries).

    Raises
    ------
    InputError
        Only when ``data_dir`` is not a directory.
    """
    with open_kb_dir(data_dir, encoding=encoding) as files:
        return files


@contextmanager
def open_kb_dir(
    data_dir: str | os.PathLike[str], *, encoding: str | None = None
) -> Iterator[KbFiles]:
    """:func:`read_kb_dir`, with the references perhaps still being read in a second process.

    Inside the ``with`` block, ``files.take_references()`` waits for them (the validation asks
    for them only after it has made the records of the tables); at the end of the block they
    are taken if nobody asked (or, after an exception, their process is stopped).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        msg = (
            "is not a directory; expected a knowledge base with "
            f"{FRAMEWORKS_FILE}, {REVIEWS_FILE} and {FINDINGS_FILE} "
            f"(run `evidence-kb init {data_dir}` to start one)"
        )
        raise InputError([Problem(str(data_dir), None, None, None, msg)])
    files = KbFiles(data_dir=data_dir, encoding=encoding)
    here = sorted(p.name for p in data_dir.iterdir() if p.is_file())
    files.sources = read_kb_sources(data_dir)  # the printed lists of sources/, parsed once
    # a large .bib is parsed in a second process while this one reads the tables (and the
    # caller validates them); its problems still come after those of the tables, as when
    # read in turn
    with _reference_file(files) as references:
        files.frameworks = _read_required(
            files, here, FRAMEWORKS_FILE, "the frameworks and their elements", ELEMENT_COLUMNS
        )
        files.reviews = _read_required(
            files, here, REVIEWS_FILE, "the reviews, one row each", REVIEW_COLUMNS
        )
        files.findings = _read_findings(files, here)
        files.pending_references, files.references_at = references.result, len(files.problems)
        _read_optional(files)
        yield files
        files.take_references()


def _read_optional(files: KbFiles) -> None:
    """The optional tables of the directory, each when its file is there."""
    data_dir = files.data_dir
    for attribute, name, columns in (
        ("concepts", CONCEPTS_FILE, CONCEPT_COLUMNS),
        ("concept_tags", CONCEPT_TAGS_FILE, CONCEPT_TAG_COLUMNS),
        ("crosswalk", CROSSWALK_FILE, CROSSWALK_COLUMNS),
        ("related", RELATED_FILE, RELATED_COLUMNS),
        ("charting", CHARTING_FILE, CHARTING_COLUMNS),
        ("studies", STUDIES_FILE, None),  # the team's own columns, checked against charting.csv
    ):
        if (data_dir / name).exists():
            needed = _REQUIRED[name]
            table = _read(
                files.problems,
                read_csv_rows,
                data_dir / name,
                required=needed,
                known=columns,
                encoding=files.encoding,
            )
            setattr(files, attribute, table)
    if files.studies is not None and not (data_dir / CHARTING_FILE).exists():
        msg = (
            f"{data_dir / CHARTING_FILE} does not exist: the columns of {STUDIES_FILE} must be "
            "declared there, one row each (field,type,values,description)"
        )
        files.problems.append(Problem(CHARTING_FILE, None, None, None, msg))


# the columns each table must have
_REQUIRED = {
    FRAMEWORKS_FILE: REQUIRED_ELEMENT_COLUMNS,
    REVIEWS_FILE: REQUIRED_REVIEW_COLUMNS,
    FINDINGS_FILE: REQUIRED_FINDING_COLUMNS,
    CONCEPTS_FILE: REQUIRED_CONCEPT_COLUMNS,
    CONCEPT_TAGS_FILE: CONCEPT_TAG_COLUMNS,
    CROSSWALK_FILE: REQUIRED_CROSSWALK_COLUMNS,
    RELATED_FILE: REQUIRED_RELATED_COLUMNS,
    CHARTING_FILE: REQUIRED_CHARTING_COLUMNS,
    STUDIES_FILE: ("reference",),
}


def _init_hint(data_dir: Path) -> str:
    return f"run `evidence-kb init {data_dir}` to write the missing files (it never overwrites)"


def _read_required(
    files: KbFiles, here: list[str], name: str, what: str, columns: tuple[str, ...]
) -> CsvRows | None:
    """A required table, or ``None`` and a problem that says how to make it."""
    path = files.data_dir / name
    required = _REQUIRED[name]
    if not path.exists():
        msg = (
            f"{path} does not exist{_closest(name, here)}: it holds {what}. "
            f"Fix: {_init_hint(files.data_dir)}, or write it with the header "
            f"{','.join(columns)} (required: {', '.join(required)})"
        )
        files.problems.append(Problem(name, None, None, None, msg))
        return None
    return _read(
        files.problems,
        read_csv_rows,
        path,
        required=required,
        known=columns,
        encoding=files.encoding,
    )


def _read_findings(files: KbFiles, here: list[str]) -> CsvRows | None:
    """The findings: exactly one of findings.csv and findings.xlsx."""
    data_dir = files.data_dir
    present = [name for name in (FINDINGS_FILE, FINDINGS_XLSX_FILE) if (data_dir / name).exists()]
    if not present:
        msg = (
            f"{data_dir / FINDINGS_FILE} does not exist (nor {FINDINGS_XLSX_FILE})"
            f"{_closest(FINDINGS_FILE, here)}: it holds the findings. "
            f"Fix: {_init_hint(data_dir)}, or write it with the header "
            f"{','.join(FINDING_COLUMNS)} (required: {', '.join(REQUIRED_FINDING_COLUMNS)})"
        )
        files.problems.append(Problem(FINDINGS_FILE, None, None, None, msg))
        return None
    if len(present) > 1:
        msg = (
            f"both {data_dir / FINDINGS_FILE} and {data_dir / FINDINGS_XLSX_FILE} exist; keep "
            "one of them (remove or rename the other): a knowledge base has one findings file"
        )
        files.problems.append(Problem(FINDINGS_XLSX_FILE, None, None, None, msg))
        return None
    return _read(
        files.problems,
        read_table_rows,
        data_dir / present[0],
        required=REQUIRED_FINDING_COLUMNS,
        known=FINDING_COLUMNS,
        encoding=files.encoding,
    )


# A .bib from this size on is parsed in a second process (see evidence_kb._workers): at
# 5 MB (20,000 entries) reading it takes some 1.4 s, reading the CSV tables of 100,000
# findings beside it 0.7 s, and the process with the pickled references about 0.15 s; below
# 1 MB (4,000 entries) the gain is too small.
BIB_WORKER_BYTES = 1_000_000


@contextmanager
def _reference_file(files: KbFiles) -> Iterator[Pending[tuple[list[Reference] | None, list]]]:
    """The references: at most one of references.bib, .ris, .json, read when asked for.

    The pending result is ``(references, problems)``: the references (``None`` without a
    file) and their problems, which the caller adds to ``files.problems`` when it gets them.
    """
    present = [name for name in REFERENCES_FILES if (files.data_dir / name).exists()]
    conflict = []
    if len(present) > 1:
        msg = (
            f"{' and '.join(str(files.data_dir / name) for name in present)} all exist; keep "
            "exactly one reference file (merge them in your reference manager and export one)"
        )
        conflict.append(Problem(present[0], None, None, None, msg))
    path = files.data_dir / present[0] if len(present) == 1 else None
    if path is not None:
        files.references_file = path.name
    size = path.stat().st_size if path is not None and path.suffix == ".bib" else 0
    fork = use_worker(size, BIB_WORKER_BYTES)
    args = (path, files.sources, files.encoding, conflict)
    with beside(_references_of, *args, fork=fork) as pending:
        yield pending


def _references_of(
    path: Path | None,
    sources: SourceLists | None,
    encoding: str | None,
    problems: list[Problem],
) -> tuple[list[Reference] | None, list[Problem]]:
    """:func:`_read_references` of ``path`` (none: ``None``); ``problems`` and those it met."""
    if path is None:
        return None, problems
    return _read_references(path, problems, sources, encoding=encoding), problems


def _closest(name: str, names: list[str]) -> str:
    """`` (there is 'framework.csv': rename it?)`` for a file name close to ``name``."""

    hint = did_you_mean(name, [n for n in names if n != name])
    return hint.replace(" (did you mean ", " (there is ").replace("?)", ": rename it?)")


def _read(problems: list[Problem], reader, *args, **kwargs):
    """``reader(*args, **kwargs)``; a file-level InputError becomes problems and ``None``."""
    try:
        return reader(*args, **kwargs)
    except InputError as err:
        problems.extend(err.problem_list)
        return None


def _read_references(
    path: Path,
    problems: list[Problem],
    sources: SourceLists | None,
    *,
    encoding: str | None = None,
) -> list[Reference] | None:
    """The references of ``path``; their problems (and plausibility warnings) go to ``problems``.

    ``sources`` are the printed lists to compare a ``.bib`` with, as :func:`read_kb_dir` read
    them (``None``: the directory has none).
    """
    if path.suffix == ".bib":
        result = _read(problems, read_bibtex_entries, path, encoding=encoding)
        if result is None:
            return None
        entries, bib_problems = result
        problems.extend(bib_problems)
        references = [entry.reference for entry in entries]
        # warnings: fragments, cut titles, fields the printed lists have and the entry lacks
        lines = field_lines(entries)
        problems.extend(loaded_reference_problems(references, path, sources=sources, lines=lines))
        return references

    frame = _read(problems, read_references, path, strict=False, encoding=encoding)
    if frame is None:
        return None
    problems.extend(frame.problems)
    references, more = references_from_frame(frame, file_name=path.name)
    problems.extend(more)
    return references
