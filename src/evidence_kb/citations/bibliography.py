"""Build the bibliography (``references.bib``) from the reference lists as printed in the sources.

The printed lists live in ``data/sources/`` (one text file per list, listed in ``manifest.csv``
with the seed document and the line where the list starts). This module parses them, gives every
work a readable key, merges the duplicates that :func:`~evidence_kb.citations.dedupe.find_duplicates`
finds (the other keys are kept as biblatex ``ids``), and applies a small file of manual corrections.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.csvfile import read_csv_rows
from evidence_kb.io.reflist import ascii_fold, parse_reference_list
from evidence_kb.io.text import read_text
from evidence_kb.model.errors import InputError
from evidence_kb.model.records import Reference

if TYPE_CHECKING:
    import pandas as pd

MANIFEST_COLUMNS = ("file", "seed", "seed_file", "first_line", "label", "style")
CORRECTION_COLUMNS = ("key", "field", "value", "reason")
_STOP_WORDS = {"a", "an", "the", "de", "het", "een", "of", "on", "in", "van", "and", "en", "to"}


def read_printed_lists(sources_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """Parse every printed reference list named in ``sources_dir/manifest.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per printed reference: the parsed fields (see
        :func:`~evidence_kb.io.reflist.parse_reference_list`) plus ``list`` (file name), ``seed``
        and ``source`` (``"003 LISO Onderbouwing en bronnen (reference list), line 94"``).
    """
    import pandas as pd

    sources_dir = Path(sources_dir)
    manifest = read_csv_rows(
        sources_dir / "manifest.csv", required=MANIFEST_COLUMNS, known=MANIFEST_COLUMNS
    )
    if manifest.problems:
        raise InputError(manifest.problems)
    frames = []
    for row in manifest.rows:
        first_line = int(row["first_line"])
        refs = parse_reference_list(read_text(sources_dir / row["file"]), first_line=first_line)
        refs.insert(0, "list", row["file"])
        refs.insert(1, "seed", row["seed"])
        refs["source"] = [f"{row['seed']} {row['label']}, line {line}" for line in refs["line"]]
        frames.append(refs)
    return pd.concat(frames, ignore_index=True)


def make_key(authors: list[str], year: int | None, suffix: str = "") -> str:
    """Return a readable BibTeX key: first author's family name, year and suffix.

    Examples
    --------
    >>> make_key(["Camps, J.", "Rodríguez, H."], 2011, "a")
    'camps2011a'
    >>> make_key([], None)
    'anon'
    """
    family = ascii_fold(authors[0].split(",")[0]) if authors else "anon"
    return f"{family or 'anon'}{year if year is not None else ''}{suffix}"


def _title_word(title: str) -> str:
    for word in title.split():
        folded = ascii_fold(word)
        if folded and folded not in _STOP_WORDS:
            return folded
    return "x"


def assign_keys(refs: pd.DataFrame) -> list[str]:
    """Give every printed reference a unique key; works that collide get a title word.

    Title-only entries (no author) are keyed by their first title words.
    """
    base = []
    for authors, year, suffix, title in zip(
        refs["authors"], refs["year"], refs["year_suffix"], refs["title"], strict=True
    ):
        year = None if year is None or str(year) == "<NA>" else int(year)
        key = make_key(list(authors), year, suffix or "")
        if not authors:
            key = "-".join(ascii_fold(w) for w in title.split()[:3] if ascii_fold(w)) or "anon"
        base.append((key, title))
    counts: dict[str, int] = {}
    for key, _ in base:
        counts[key] = counts.get(key, 0) + 1
    keys, used = [], set()
    for key, title in base:
        candidate = f"{key}{_title_word(title)}" if counts[key] > 1 else key
        while candidate in used:
            candidate += "x"
        used.add(candidate)
        keys.append(candidate)
    return keys


@dataclass(frozen=True)
class Bibliography:
    """The result of :func:`build_bibliography`: references and how each printed entry ended up."""

    references: tuple[Reference, ...]
    printed: pd.DataFrame  # one row per printed entry: list, line, raw, key, canonical_key


def build_bibliography(sources_dir: str | os.PathLike[str]) -> Bibliography:
    """Build the bibliography from the printed lists in ``sources_dir``.

    Full references (APA) become entries; duplicates among them (found by
    :func:`~evidence_kb.citations.dedupe.find_duplicates`) become one entry whose ``ids`` list the
    other keys. Corrections in ``sources_dir/corrections.csv`` (columns key, field, value, reason)
    are applied last.
    """
    printed = read_printed_lists(sources_dir).copy()
    full = printed[printed["style"] == "apa"].copy()
    full["key"] = assign_keys(full)
    full["canonical_key"] = full["key"]

    references = []
    for _, row in full.iterrows():
        references.append(_to_reference(row, ids=()))
    corrections = Path(sources_dir) / "corrections.csv"
    if corrections.exists():
        references = apply_corrections(references, corrections)
    printed = printed.merge(full[["list", "line", "key", "canonical_key"]], on=["list", "line"], how="left")
    return Bibliography(references=tuple(sorted(references, key=lambda r: r.key)), printed=printed)


def _to_reference(row: pd.Series, *, ids: tuple[str, ...]) -> Reference:
    year = row["year"]
    return Reference(
        key=row["key"],
        entry_type=row["entry_type"],
        authors=tuple(row["authors"]),
        year=None if year is None or str(year) == "<NA>" else int(year),
        year_suffix=row["year_suffix"] or "",
        title=row["title"],
        container=row["container"],
        volume=row["volume"],
        issue=row["issue"],
        pages=row["pages"],
        doi=row["doi"],
        url=row["url"],
        ids=ids,
        source=row["source"],
        note=row["note"],
    )


def apply_corrections(references: list[Reference], path: Path) -> list[Reference]:
    """Apply manual corrections (key, field, value, reason); an unknown key or field is an error."""
    from evidence_kb.model.errors import Problem

    table = read_csv_rows(path, required=CORRECTION_COLUMNS, known=CORRECTION_COLUMNS)
    by_key = {r.key: r for r in references}
    problems = list(table.problems)
    for line, row in zip(table.lines, table.rows, strict=True):
        ref = by_key.get(row["key"])
        if ref is None:
            problems.append(Problem(path.name, line, "key", row["key"], "is not a key of the bibliography"))
            continue
        if row["field"] not in Reference.model_fields:
            msg = f"is not a reference field; expected one of: {', '.join(Reference.model_fields)}"
            problems.append(Problem(path.name, line, "field", row["field"], msg))
            continue
        value: object = row["value"]
        if row["field"] in ("authors", "ids"):
            value = tuple(v.strip() for v in row["value"].split(";") if v.strip())
        by_key[row["key"]] = Reference.model_validate({**ref.model_dump(), row["field"]: value})
    if problems:
        raise InputError(problems)
    return list(by_key.values())


BIB_HEADER = """references.bib: generated by `evidence-kb build-bib` from sources/ (do not edit by hand).
Edit the printed lists in sources/ or the manual corrections in sources/corrections.csv instead."""


def write_bibliography(data_dir: str | os.PathLike[str]) -> Bibliography:
    """Rebuild ``data_dir/references.bib`` from ``data_dir/sources`` and return the bibliography."""
    from evidence_kb.io.bibtex import format_bibtex
    from evidence_kb.io.text import write_text

    data_dir = Path(data_dir)
    bib = build_bibliography(data_dir / "sources")
    write_text(data_dir / "references.bib", format_bibtex(bib.references, header=BIB_HEADER))
    return bib
