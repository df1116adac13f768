"""A search update: add the new records of a search export to a knowledge base's references.

:func:`update` reads the export (any format :func:`~evidence_kb.read_references` reads), finds
the duplicates between it and the references the knowledge base has (and inside the export) with
:func:`~evidence_kb.find_duplicates`, and then, per record of the export:

- ``already present``: a duplicate of a reference the knowledge base has, or the record an
  earlier update added from the same file and line (never added twice);
- ``duplicate in file``: a duplicate of an earlier record of the same export (added once);
- ``to review``: in a pair near the threshold; not added until a person decides (the pairs go
  to ``EXPORT.review.csv`` in the knowledge base; fill in ``verdict`` and pass the file as
  ``decisions=`` when you run the update again);
- ``added``: new, appended to the reference file with an author-year key.

Every run adds a line to ``update_log.csv`` (date, file, counts, the keys added). The references
already there stay as they are, so ``ekb.diff`` between before and after lists exactly the
references added, and reverting the reference file (``git checkout``) undoes an update.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.citations.dedupe import find_duplicates
from evidence_kb.io.decisions import check_review_output, write_decisions_file
from evidence_kb.io.kbupdate import append_references, append_update_log
from evidence_kb.io.references import read_references
from evidence_kb.io.refrows import references_from_frame
from evidence_kb.living.diff import stored_data
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.records import Reference
from evidence_kb.model.vocab import REFERENCES_FILES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RECORD_COLUMNS", "Update", "update"]

RECORD_COLUMNS = ("record", "file", "line", "title", "status", "key")
# what find_duplicates compares (provenance and keys are left out)
COMPARED = ("id", "entry_type", "authors", "year", "title", "container", "volume", "issue",
            "pages", "doi", "url", "publisher", "abstract")  # fmt: skip
STATUSES = ("added", "already present", "duplicate in file", "to review")


@dataclass(frozen=True)
class Update:
    """What :func:`update` did (or would do, with ``dry_run``).

    Attributes
    ----------
    records
        One row per record of the export: ``record`` (its id in the export), ``file``,
        ``line``, ``title``, ``status`` (added, already present, duplicate in file, to review)
        and ``key`` (the key it was added under, or the knowledge base's key it duplicates).
    review
        The pairs for a person (``find_duplicates``' review table, ``kb:KEY`` for the knowledge
        base's references and ``new:N`` for the export's N-th record).
    log
        The line written to ``update_log.csv``.
    """

    records: pd.DataFrame
    review: pd.DataFrame
    log: dict[str, object]
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many records of the export got each status."""
        return {status: int((self.records["status"] == status).sum()) for status in STATUSES}

    def __repr__(self) -> str:
        return "<Update: " + ", ".join(f"{n} {s}" for s, n in self.counts().items()) + ">"


def update(
    kb_dir: str | os.PathLike[str],
    export: str | os.PathLike[str],
    *,
    decisions: str | os.PathLike[str] | pd.DataFrame | None = None,
    dry_run: bool = False,
    encoding: str | None = None,
) -> Update:
    """Add the new records of a search export to a knowledge base (see the module docstring).

    Parameters
    ----------
    kb_dir
        The knowledge-base directory; its reference file (``references.bib``, ``.ris`` or
        ``.json``) gains the new records (``references.bib`` is started if it has none).
    export
        The search export: RIS, BibTeX, CSL-JSON, MEDLINE, Web of Science, Scopus CSV, ...
    decisions
        A person's verdicts on earlier review pairs (the ``.review.csv`` with ``verdict``
        filled in); they decide those pairs on this run.
    dry_run
        Only report what would be done; write nothing.
    encoding
        The export's encoding, if not UTF-8 (``"cp1252"``).

    Raises
    ------
    InputError
        If the knowledge base has errors, or the export cannot be read (naming file and line).
    """
    import pandas as pd

    data_dir = Path(kb_dir)
    export = Path(export)
    stored = stored_data(data_dir)
    known = stored.references
    # the reference file the directory was read from (references.bib when it has none yet)
    read = [name for name in REFERENCES_FILES if name in stored.files]
    reference_file = data_dir / (read[0] if read else REFERENCES_FILES[0])
    new = read_references(export, encoding=encoding)
    problems = list(getattr(new, "problems", []))
    new = new.reset_index(drop=True)
    status, key, review = _classify(known, new, export.name, decisions)
    added = [i for i, s in enumerate(status) if s == "added"]
    references = _new_references(new.iloc[added], export.name, known, problems)
    for i, ref in zip(added, references, strict=True):
        key[i] = ref.key
    for i, s in enumerate(status):
        if s == "duplicate in file":  # the key its first record was added under
            key[i] = key[int(key[i].removeprefix("new:"))]
    records = pd.DataFrame(
        {
            "record": new["id"].astype(str),
            "file": export.name,
            "line": new.get("line"),
            "title": new["title"],
            "status": status,
            "key": key,
        },
        columns=list(RECORD_COLUMNS),
    )
    review_file = data_dir / f"{export.stem}.review.csv"
    log: dict[str, object] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "file": str(export),
        "records": len(new),
        "added": len(added),
        "already_present": status.count("already present"),
        "duplicates_in_file": status.count("duplicate in file"),
        "to_review": status.count("to review"),
        "added_keys": ";".join(ref.key for ref in references),
        "review_file": review_file.name if len(review) else "",
    }
    if not dry_run:
        if len(review) and decisions is None:  # a person's verdicts are never written over
            way_out = f"pass it as decisions= (--decisions {review_file}) or move it away"
            check_review_output(review_file, way_out=way_out)
        append_references(reference_file, references)
        if len(review):
            write_decisions_file(review, review_file)
        append_update_log(data_dir, log)
    return Update(records, review.reset_index(drop=True), log, problems)


def _classify(
    known: pd.DataFrame,
    new: pd.DataFrame,
    file_name: str,
    decisions: str | os.PathLike[str] | pd.DataFrame | None,
) -> tuple[list[str], list[str], pd.DataFrame]:
    """Each export record's status and key (``new:N`` for a duplicate in the file), and the
    pairs left for a person, from ``find_duplicates`` over the references and the export."""
    import pandas as pd

    ids = [f"new:{n}" for n in range(len(new))]
    combined = pd.concat(
        [
            known.assign(id=["kb:" + str(k) for k in known["key"]]),
            new.rename(columns={"id": "record"}).assign(id=ids),
        ],
        ignore_index=True,
    )
    columns = [c for c in COMPARED if c in combined.columns]
    dupes = find_duplicates(
        combined[columns].astype("string").fillna(""), id_column="id", decisions=decisions
    )
    review = dupes.review[
        dupes.review["id_a"].str.startswith("new:") | dupes.review["id_b"].str.startswith("new:")
    ]
    status, key = _statuses(ids, dupes.groups, review)
    # a record an earlier update added from this export is present, however little it says
    earlier = _sources(known)
    for i, line in enumerate(new.get("line", pd.Series([None] * len(new)))):
        found = earlier.get(f"{file_name}, line {line}")
        if found is not None and status[i] != "already present":
            status[i], key[i] = "already present", found
    held = {new_id for i, new_id in enumerate(ids) if status[i] == "to review"}
    return status, key, review[review["id_a"].isin(held) | review["id_b"].isin(held)]


def _sources(known: pd.DataFrame) -> dict[str, str]:
    """The references by each place they were read from (``file, line N``)."""
    found: dict[str, str] = {}
    for key, source in zip(known["key"], known["source"].fillna(""), strict=True):
        for place in str(source).split("; "):
            found.setdefault(place.strip(), str(key))
    return found


def _statuses(
    ids: list[str], groups: pd.DataFrame, review: pd.DataFrame
) -> tuple[list[str], list[str]]:
    """The status of each export record, and the knowledge-base key a present one duplicates."""
    group_of = dict(zip(groups["id"], groups["group_id"], strict=True))
    known_in: dict[object, str] = {}
    for record_id, group in group_of.items():
        if str(record_id).startswith("kb:"):
            known_in.setdefault(group, str(record_id)[3:])
    held = set(review["id_a"]) | set(review["id_b"])
    seen: dict[object, str] = {}
    status, keys = [], []
    for record_id in ids:
        group = group_of[record_id]
        if group in known_in:
            status.append("already present")
            keys.append(known_in[group])
        elif record_id in held:
            status.append("to review")
            keys.append("")
        elif group in seen:
            status.append("duplicate in file")
            keys.append(seen[group])
        else:
            status.append("added")
            keys.append("")
            seen[group] = record_id
    return status, keys


def _new_references(
    rows: pd.DataFrame, file_name: str, known: pd.DataFrame, problems: list[Problem]
) -> list[Reference]:
    """The records to add as references, with author-year keys the knowledge base has not used."""
    if rows.empty:
        return []
    frame = rows.assign(id="")  # a key the export gave (RIS ID 1, 2, ...) is not a citation key
    references, more = references_from_frame(frame, file_name=file_name)
    problems.extend(more)
    if len(references) != len(rows):
        msg = f"{len(rows) - len(references)} new record(s) could not be made references"
        raise InputError([*more, Problem(file_name, None, None, None, msg)])
    used = set(known["key"].astype(str))
    for aliases in known["ids"].fillna("").astype(str):
        used |= {a.strip() for a in aliases.split(";") if a.strip()}
    out = []
    for ref in references:
        key, suffix = ref.key, ord("b")
        while key in used:
            key, suffix = f"{ref.key}{chr(suffix)}", suffix + 1
        used.add(key)
        out.append(ref.model_copy(update={"key": key}))
    return out
