"""The files a search update writes: new references appended, and a line in the update log.

New references are appended to the knowledge base's reference file in its own format (BibTeX
and RIS gain entries at the end; a CSL-JSON list gains items), so the entries already there stay
byte for byte as they were and a diff shows only what the update added.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from evidence_kb.io.bibtex import format_bibtex
from evidence_kb.io.export import format_csl_json, format_ris
from evidence_kb.io.text import read_text, write_text
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.records import Reference

__all__ = ["UPDATE_LOG", "UPDATE_LOG_COLUMNS", "append_references", "append_update_log"]

UPDATE_LOG = "update_log.csv"
UPDATE_LOG_COLUMNS = (
    "date",
    "file",
    "records",
    "added",
    "already_present",
    "duplicates_in_file",
    "to_review",
    "added_keys",
    "review_file",
)


def append_references(path: str | os.PathLike[str], references: list[Reference]) -> None:
    """Append ``references`` to the reference file ``path`` (``.bib``, ``.ris`` or ``.json``).

    A file that does not exist yet is written (BibTeX, for ``references.bib``).
    """
    path = Path(path)
    if not references:
        return
    old = read_text(path) if path.exists() else ""
    if path.suffix == ".bib":
        sep = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
        write_text(path, old + sep + format_bibtex(references))
    elif path.suffix == ".ris":
        sep = "" if not old or old.endswith("\n") else "\n"
        write_text(path, old + sep + format_ris(references))
    elif path.suffix == ".json":
        items = json.loads(old) if old.strip() else []
        if not isinstance(items, list):
            msg = "expected a CSL-JSON list of items to add to"
            raise InputError([Problem(path.name, 1, None, None, msg)])
        items += json.loads(format_csl_json(references))
        write_text(path, json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    else:
        msg = f"cannot add references to a {path.suffix!r} file; use .bib, .ris or .json"
        raise InputError([Problem(path.name, None, None, None, msg)])


def append_update_log(data_dir: str | os.PathLike[str], entry: dict[str, object]) -> Path:
    """Add one line (:data:`UPDATE_LOG_COLUMNS`) to ``update_log.csv`` in ``data_dir``."""
    path = Path(data_dir) / UPDATE_LOG
    old = read_text(path) if path.exists() else ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(UPDATE_LOG_COLUMNS), lineterminator="\n")
    if not old:
        writer.writeheader()
    writer.writerow({col: entry.get(col, "") for col in UPDATE_LOG_COLUMNS})
    write_text(path, old + buffer.getvalue())
    return path
