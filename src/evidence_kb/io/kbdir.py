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
========================  ========  ========================================================

An optional file is the directory's own or it is absent: the files of the bundled knowledge
base never fill in for a missing one. :func:`read_kb_dir` reads what is there and reports every
missing or conflicting file at once, with its full path and how to fix it; a file that cannot be
read at all (bad encoding, a missing column) is reported and the other files are still read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from evidence_kb.io.csvfile import CsvRows, read_csv_rows, read_table_rows
from evidence_kb.io.refrows import references_from_frame
from evidence_kb.io.sources import SourceLists, read_sources_beside
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.records import Reference
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
    REQUIRED_CONCEPT_COLUMNS,
    REQUIRED_CROSSWALK_COLUMNS,
    REQUIRED_ELEMENT_COLUMNS,
    REQUIRED_FINDING_COLUMNS,
    REQUIRED_REVIEW_COLUMNS,
    REVIEW_COLUMNS,
    REVIEWS_FILE,
)

__all__ = ["KbFiles", "read_kb_dir", "references_from_frame"]


@dataclass
class KbFiles:
    """The files of one knowledge-base directory as read; ``None`` for a file that is absent
    (or could not be read: ``problems`` says why)."""

    data_dir: Path
    frameworks: CsvRows | None = None
    reviews: CsvRows | None = None
    findings: CsvRows | None = None
    references: list[Reference] | None = None
    references_file: str | None = None  # the name of the reference file read, if any
    concepts: CsvRows | None = None
    concept_tags: CsvRows | None = None
    crosswalk: CsvRows | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def findings_file(self) -> str:
        """The name of the findings file (``findings.csv`` or ``findings.xlsx``)."""
        return self.findings.path.name if self.findings is not None else FINDINGS_FILE


def read_kb_dir(data_dir: str | os.PathLike[str]) -> KbFiles:
    """Read every file of a knowledge-base directory (see the module docstring for the layout).

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
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        msg = (
            "is not a directory; expected a knowledge base with "
            f"{FRAMEWORKS_FILE}, {REVIEWS_FILE} and {FINDINGS_FILE} "
            f"(run `evidence-kb init {data_dir}` to start one)"
        )
        raise InputError([Problem(str(data_dir), None, None, None, msg)])
    files = KbFiles(data_dir=data_dir)
    problems = files.problems
    init = f"run `evidence-kb init {data_dir}` to write the missing files (it never overwrites)"

    here = sorted(p.name for p in data_dir.iterdir() if p.is_file())

    def required(name: str, what: str, columns: tuple[str, ...], required: tuple[str, ...]):
        path = data_dir / name
        if not path.exists():
            msg = (
                f"{path} does not exist{_closest(name, here)}: it holds {what}. Fix: {init}, or "
                f"write it with the header {','.join(columns)} (required: {', '.join(required)})"
            )
            problems.append(Problem(name, None, None, None, msg))
            return None
        return _read(problems, read_csv_rows, path, required=required, known=columns)

    files.frameworks = required(
        FRAMEWORKS_FILE,
        "the frameworks and their elements",
        ELEMENT_COLUMNS,
        REQUIRED_ELEMENT_COLUMNS,
    )
    files.reviews = required(
        REVIEWS_FILE, "the reviews, one row each", REVIEW_COLUMNS, REQUIRED_REVIEW_COLUMNS
    )

    # findings: exactly one of findings.csv and findings.xlsx
    present = [name for name in (FINDINGS_FILE, FINDINGS_XLSX_FILE) if (data_dir / name).exists()]
    if not present:
        msg = (
            f"{data_dir / FINDINGS_FILE} does not exist (nor {FINDINGS_XLSX_FILE})"
            f"{_closest(FINDINGS_FILE, here)}: it holds the "
            f"findings. Fix: {init}, or write it with the header {','.join(FINDING_COLUMNS)} "
            f"(required: {', '.join(REQUIRED_FINDING_COLUMNS)})"
        )
        problems.append(Problem(FINDINGS_FILE, None, None, None, msg))
    elif len(present) > 1:
        msg = (
            f"both {data_dir / FINDINGS_FILE} and {data_dir / FINDINGS_XLSX_FILE} exist; keep "
            "one of them (remove or rename the other): a knowledge base has one findings file"
        )
        problems.append(Problem(FINDINGS_XLSX_FILE, None, None, None, msg))
    else:
        files.findings = _read(
            problems,
            read_table_rows,
            data_dir / present[0],
            required=REQUIRED_FINDING_COLUMNS,
            known=FINDING_COLUMNS,
        )

    # references: at most one of references.bib, .ris, .json
    present = [name for name in REFERENCES_FILES if (data_dir / name).exists()]
    if len(present) > 1:
        msg = (
            f"{' and '.join(str(data_dir / name) for name in present)} all exist; keep exactly "
            "one reference file (merge them in your reference manager and export one)"
        )
        problems.append(Problem(present[0], None, None, None, msg))
    elif present:
        files.references_file = present[0]
        files.references = _read_references(data_dir / present[0], problems)

    # the optional tables of the concepts and the crosswalk
    for attribute, name, columns, needed in (
        ("concepts", CONCEPTS_FILE, CONCEPT_COLUMNS, REQUIRED_CONCEPT_COLUMNS),
        ("concept_tags", CONCEPT_TAGS_FILE, CONCEPT_TAG_COLUMNS, CONCEPT_TAG_COLUMNS),
        ("crosswalk", CROSSWALK_FILE, CROSSWALK_COLUMNS, REQUIRED_CROSSWALK_COLUMNS),
    ):
        if (data_dir / name).exists():
            table = _read(problems, read_csv_rows, data_dir / name, required=needed, known=columns)
            setattr(files, attribute, table)
    return files


def _closest(name: str, names: list[str]) -> str:
    """`` (there is 'framework.csv': rename it?)`` for a file name close to ``name``."""
    from evidence_kb.model.validate import did_you_mean

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
    path: Path, problems: list[Problem], sources: SourceLists | None = None
) -> list[Reference] | None:
    """The references of ``path``; their problems (and plausibility warnings) go to ``problems``.

    ``sources`` are the printed lists to compare a ``.bib`` with, as the load path read them
    (:func:`~evidence_kb.io.sources.read_kb_sources`); without them they are read here.
    """
    if path.suffix == ".bib":
        from evidence_kb.io.bibtex import check_references, field_lines, read_bibtex_entries

        result = _read(problems, read_bibtex_entries, path)
        if result is None:
            return None
        entries, bib_problems = result
        problems.extend(bib_problems)
        references = [entry.reference for entry in entries]
        if sources is None:
            sources = read_sources_beside(path)
        # warnings: fragments, cut titles, fields the printed lists have and the entry lacks
        problems.extend(
            check_references(references, path, sources=sources, lines=field_lines(entries))
        )
        return references
    from evidence_kb.io.references import read_references

    frame = _read(problems, read_references, path, strict=False)
    if frame is None:
        return None
    problems.extend(frame.problems)
    references, more = references_from_frame(frame, file_name=path.name)
    problems.extend(more)
    return references
