"""Build the bibliography (``references.bib``) from the reference lists as printed in the sources.

The printed lists live in ``data/sources/`` (one text file per list, listed in ``manifest.csv``
with the seed document and the line where the list starts); :mod:`evidence_kb.io.sources` reads
and parses them once. This module gives every work a readable key, merges the duplicates that
:func:`~evidence_kb.citations.dedupe.find_duplicates`
finds (the other keys are kept as biblatex ``ids``; the merged entry keeps every field that one
of the printed records has, see :func:`merge_printed`), and applies a small file of manual
corrections.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.citations.dedupe import find_duplicates
from evidence_kb.citations.resolve import CitationIndex, family_name
from evidence_kb.io.bibtex import format_bibtex
from evidence_kb.io.csvfile import read_csv_rows
from evidence_kb.io.sources import (
    CORRECTION_COLUMNS,
    MANIFEST_COLUMNS,
    SourceLists,
    read_printed_lists,
    read_sources,
)
from evidence_kb.io.text import write_text
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.printed import PRINTED_FIELDS
from evidence_kb.model.records import Reference
from evidence_kb.model.rows import CsvRows
from evidence_kb.model.text import OTHERS, ascii_fold, make_key

__all__ = [  # MANIFEST_COLUMNS, CORRECTION_COLUMNS, read_printed_lists: io.sources; make_key: model
    "BIB_HEADER",
    "CORRECTION_COLUMNS",
    "MANIFEST_COLUMNS",
    "Bibliography",
    "apply_corrections",
    "build_bibliography",
    "make_key",
    "merge_printed",
    "read_printed_lists",
    "write_bibliography",
]

if TYPE_CHECKING:
    import pandas as pd

_STOP_WORDS = {"a", "an", "the", "de", "het", "een", "of", "on", "in", "van", "and", "en", "to"}


def _title_word(title: str) -> str:
    for word in title.split():
        folded = ascii_fold(word)
        if folded and folded not in _STOP_WORDS:
            return folded
    return "x"


def _year(value: object) -> int | None:
    return None if value is None or str(value) == "<NA>" else int(str(value))


@dataclass(frozen=True)
class Bibliography:
    """The result of :func:`build_bibliography`: references and how each printed entry ended up."""

    references: tuple[Reference, ...]
    printed: (
        pd.DataFrame
    )  # one row per printed entry: list, line, raw, ..., key (the entry it became)
    pairs: pd.DataFrame  # the duplicate pairs found among the printed references, with evidence


def _records_for_dedupe(full: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {
            "ID": full["entry_id"],
            "title": full["title"],
            "year": [str(y) if _year(y) is not None else "" for y in full["year"]],
            "author": [" and ".join(a) for a in full["authors"]],
            "journal": full["container"],
            "volume": full["volume"],
            "number": full["issue"],
            "pages": full["pages"],
            "doi": full["doi"],
        }
    )


def _canonical_keys(groups: dict[str, list[pd.Series]]) -> dict[str, str]:
    """Choose one readable key per group of duplicates.

    First author + year; where two different works collide: the printed year suffix if it tells
    them apart (Koopmans 2023a/2023b), else the second author (Camps & Torres vs Camps &
    Rodríguez), else the first title word.
    """
    base = {}
    for gid, rows in groups.items():
        rep = rows[0]
        if rep["authors"]:
            base[gid] = make_key(list(rep["authors"]), _year(rep["year"]))
        else:
            words = [ascii_fold(w) for w in rep["title"].split()[:3]]
            base[gid] = "-".join(w for w in words if w) or "anon"
    by_base: dict[str, list[str]] = {}
    for gid, key in base.items():
        by_base.setdefault(key, []).append(gid)
    keys: dict[str, str] = {}
    for key, gids in by_base.items():
        if len(gids) == 1:
            keys[gids[0]] = key
            continue
        suffixes = [{r["year_suffix"] for r in groups[gid]} for gid in gids]
        if all(len(s) == 1 and next(iter(s)) for s in suffixes) and len(
            {next(iter(s)) for s in suffixes}
        ) == len(gids):
            for gid, s in zip(gids, suffixes, strict=True):
                keys[gid] = key + next(iter(s))
            continue
        for gid in gids:
            rep = groups[gid][0]
            authors = list(rep["authors"])
            named = [a for a in authors if a != OTHERS]
            second = ascii_fold(family_name(named[1])) if len(named) > 1 else ""
            keys[gid] = (
                make_key([family_name(authors[0]) + second], _year(rep["year"])) if authors else key
            )
        taken = [keys[g] for g in gids]
        for gid in gids:
            if taken.count(keys[gid]) > 1:
                keys[gid] = f"{keys[gid]}{_title_word(groups[gid][0]['title'])}"
    return keys


def _fullness(row: pd.Series) -> tuple[int, int, int]:
    """How full a printed record is: filled fields, named authors, title length."""
    return (
        sum(bool(row[f]) for f in PRINTED_FIELDS),
        sum(a != OTHERS for a in row["authors"]),
        len(row["title"]),
    )


def _extends(longer: str, shorter: str) -> bool:
    """Whether ``longer`` is ``shorter`` with more text after it (a title cut at its subtitle).

    Examples
    --------
    >>> _extends(
    ...     "From learning organization to learning community: Sustainability",
    ...     "From learning organization to learning community",
    ... )
    True
    >>> _extends("Trust in networks", "Trust in governance networks")
    False
    """
    a, b = ascii_fold(longer), ascii_fold(shorter)
    return bool(b) and len(a) > len(b) and a.startswith(b)


def _more_authors(candidate: list[str], current: list[str]) -> bool:
    """Whether ``candidate`` names every author of ``current``, in order, and more."""
    mine = [ascii_fold(family_name(a)) for a in current if a != OTHERS]
    theirs = [ascii_fold(family_name(a)) for a in candidate if a != OTHERS]
    return len(theirs) > len(mine) and theirs[: len(mine)] == mine


def _fuller_names(current: list[str], candidate: list[str]) -> list[str]:
    """``current`` with each name that ``candidate`` prints fuller (the same family name, given
    names written out where ``current`` has initials: "Andriessen, Daan" for "Andriessen, D.")."""
    if len(candidate) != len(current):
        return current
    out = []
    for mine, theirs in zip(current, candidate, strict=True):
        same_family = ascii_fold(family_name(mine)) == ascii_fold(family_name(theirs))
        given_mine = mine.partition(",")[2].replace(".", " ").split()
        given_theirs = theirs.partition(",")[2].replace(".", " ").split()
        fuller = (
            same_family
            and len(given_theirs) == len(given_mine)
            and all(
                a[:1].casefold() == b[:1].casefold() and len(b) >= len(a)
                for a, b in zip(given_mine, given_theirs, strict=True)
            )
            and len("".join(given_theirs)) > len("".join(given_mine))
        )
        out.append(theirs if fuller else mine)
    return out


def _urls(*values: str) -> str:
    """Every URL of the printed records, once each, in order (space-separated)."""
    return " ".join(dict.fromkeys(u for value in values for u in value.split()))


def merge_printed(rows: list[pd.Series]) -> dict[str, Any]:
    """Merge printed records of one work into the fullest record, dropping no printed value.

    The record with the most fields (then the most authors, the longest title) is the base; a
    field it lacks is taken from the first other record that has it, a title or author list
    that another record prints longer (the same start with more after it: a subtitle, the names
    after "et al.") is taken from that record, and so are names another record prints with
    full given names. Every printed URL is kept (``url`` holds them space-separated). Other
    values that disagree stay the base's.
    """
    ordered = sorted(rows, key=_fullness, reverse=True)  # stable: printed order breaks ties
    merged = ordered[0].to_dict()
    notes = [merged["note"]] if merged["note"] else []
    for other in ordered[1:]:
        for name in (*PRINTED_FIELDS, "editor"):
            if not merged[name] and other[name]:
                merged[name] = other[name]
                if name == "container":
                    merged["entry_type"] = other["entry_type"]
        merged["url"] = _urls(merged["url"], other["url"])
        if _extends(other["title"], merged["title"]):
            merged["title"] = other["title"]
        if _more_authors(list(other["authors"]), list(merged["authors"])):
            merged["authors"] = list(other["authors"])
        merged["authors"] = _fuller_names(list(merged["authors"]), list(other["authors"]))
        if other["note"] and other["note"] not in notes:
            notes.append(other["note"])
    merged["note"] = "; ".join(notes)
    return merged


def build_bibliography(sources: str | os.PathLike[str] | SourceLists) -> Bibliography:
    """Build the bibliography from the printed lists in ``sources``.

    Full references (APA) become entries. Duplicates among them, within a list or across lists,
    are found by :func:`~evidence_kb.citations.dedupe.find_duplicates` and become one entry: its
    ``ids`` keep the other keys the work was printed under, its ``source`` every place it is
    printed. Short entries of numbered lists (``8. Kallio & Lappalainen, 2015``) are resolved
    to the entry they name and recorded as its alias ``<review>-<number>``; a short entry that
    names no full reference becomes an entry of its own. Corrections in
    ``sources/corrections.csv`` (columns key, field, value, reason) are applied last.

    Parameters
    ----------
    sources
        The ``sources/`` folder, or what :func:`~evidence_kb.io.sources.read_sources` read from
        it (then nothing is read here).

    Raises
    ------
    InputError
        When the manifest, a list or the corrections cannot be read, or a correction names an
        unknown key or field.
    """

    if not isinstance(sources, SourceLists):
        sources = read_sources(sources)
    printed = read_printed_lists(sources).copy()
    printed["entry_id"] = [
        f"{f}:{n}" for f, n in zip(printed["list"], printed["line"], strict=True)
    ]
    full = printed[printed["style"] != "short"]
    dupes = find_duplicates(_records_for_dedupe(full), id_column="ID")
    group_of = dict(zip(dupes.groups["id"], dupes.groups["group_id"], strict=True))

    groups: dict[str, list[pd.Series]] = {}
    for _, row in full.iterrows():
        groups.setdefault(group_of[row["entry_id"]], []).append(row)
    for gid, rows in groups.items():  # the fullest record first, then printed order
        groups[gid] = sorted(rows, key=_fullness, reverse=True)
    references, entry_key = _full_entries(groups)
    _short_entries(printed[printed["style"] == "short"], references, entry_key)

    refs = _link_same_works(list(references.values()))
    sources.raise_errors()  # an unreadable corrections.csv
    if sources.corrections is not None:
        refs = apply_corrections(refs, sources.corrections)
    printed["key"] = printed["entry_id"].map(entry_key)
    return Bibliography(
        references=tuple(sorted(refs, key=lambda r: r.key)), printed=printed, pairs=dupes.pairs
    )


def _full_entries(
    groups: dict[str, list[pd.Series]],
) -> tuple[dict[str, Reference], dict[str, str]]:
    """One reference per group of full printed entries, and the key each entry became."""
    keys = _canonical_keys(groups)
    printed_keys: dict[str, set[str]] = {}
    for gid, rows in groups.items():
        for row in rows:
            printed_key = make_key(list(row["authors"]), _year(row["year"]), row["year_suffix"])
            printed_keys.setdefault(printed_key, set()).add(gid)
    canonical = set(keys.values())
    references: dict[str, Reference] = {}
    entry_key: dict[str, str] = {}
    for gid, rows in groups.items():
        key = keys[gid]
        ids = tuple(
            sorted(
                k for k, owners in printed_keys.items() if owners == {gid} and k not in canonical
            )
        )
        places = sorted(rows, key=lambda r: (r["seed"], r["line"]))
        source = "; ".join(r["source"] for r in places)
        reference = _to_reference(merge_printed(rows), key=key, ids=ids, source=source)
        if len({r["year_suffix"] for r in rows}) > 1:  # "2011a" and "2011b" of one work
            reference = reference.model_copy(update={"year_suffix": ""})
        references[key] = reference
        for row in rows:
            entry_key[row["entry_id"]] = key
    return references, entry_key


def _link_same_works(refs: list[Reference]) -> list[Reference]:
    """Link entries that the prints show to be one work printed two ways (biblatex ``related``).

    Two entries of one year are one work when the title of one is the other's title or its
    subtitle (``"Het Liso handboek: verbeter samen …"`` and ``"Verbeter samen …"``) and the
    first author of one is an author of the other (``Pannebakker et al.`` of ``Dorp, M. van,
    Pannebakker, N., …``). They are linked, not merged: each printed form stays an entry, so a
    citation of either ("Dorp et al., 2025", "Pannebakker et al., 2025") resolves.
    """
    related: dict[str, set[str]] = {}
    for i, a in enumerate(refs):
        for b in refs[i + 1 :]:
            if a.year is None or a.year != b.year or not a.authors or not b.authors:
                continue
            if _same_work(a, b) or _same_work(b, a):
                related.setdefault(a.key, set()).add(b.key)
                related.setdefault(b.key, set()).add(a.key)
    return [
        r.model_copy(update={"related": tuple(sorted(related[r.key]))}) if r.key in related else r
        for r in refs
    ]


def _same_work(longer: Reference, shorter: Reference) -> bool:
    """Whether ``shorter`` is ``longer`` printed with its subtitle as title, by one of its
    authors."""
    full, short = ascii_fold(longer.title), ascii_fold(shorter.title)
    subtitle = ascii_fold(longer.title.partition(":")[2])
    if not short or len(short) < 20 or short not in (full, subtitle):
        return False
    families = {ascii_fold(family_name(a)) for a in longer.authors if a != OTHERS}
    return ascii_fold(family_name(shorter.authors[0])) in families


def _short_entries(
    short: pd.DataFrame, references: dict[str, Reference], entry_key: dict[str, str]
) -> None:
    """Resolve the short printed entries to the references they name (as an alias), or add them."""

    index = CitationIndex(references.values())
    for _, row in short.iterrows():
        alias = f"{row['review']}-{row['number']}"
        cited = row["raw"].split(" ", 1)[-1] if row["number"] is not None else row["raw"]
        resolved = [r.key for r in index.resolve(cited) if r.key]
        if len(resolved) == 1:
            ref = references[resolved[0]]
            references[ref.key] = ref.model_copy(update={"ids": (*ref.ids, alias)})
            entry_key[row["entry_id"]] = ref.key
            continue
        key = make_key(list(row["authors"]), _year(row["year"]), row["year_suffix"])
        while key in references:
            key += "x"
        note = f"only the short form is printed ({row['raw']}); no full reference in the sources"
        references[key] = _to_reference(row, key=key, ids=(alias,), source=row["source"], note=note)
        entry_key[row["entry_id"]] = key


def _to_reference(
    row: pd.Series | dict[str, Any], *, key: str, ids: tuple[str, ...], source: str, note: str = ""
) -> Reference:
    return Reference(
        key=key,
        entry_type=row["entry_type"] if row["style"] != "short" else "misc",
        authors=tuple(row["authors"]),
        year=_year(row["year"]),
        year_suffix=row["year_suffix"] or "",
        **{name: row[name] for name in PRINTED_FIELDS},
        editor=row["editor"],
        ids=ids,
        source=source,
        note=note or row["note"],
    )


def apply_corrections(
    references: list[Reference], corrections: CsvRows | str | os.PathLike[str]
) -> list[Reference]:
    """Apply manual corrections (key, field, value, reason); an unknown key or field is an error.

    ``corrections`` is the table as read (``SourceLists.corrections``) or the path of the CSV.
    """
    if not isinstance(corrections, CsvRows):
        corrections = read_csv_rows(
            corrections, required=CORRECTION_COLUMNS, known=CORRECTION_COLUMNS
        )
    name = corrections.path.name
    by_key = {r.key: r for r in references}
    problems = list(corrections.problems)
    for line, row in zip(corrections.lines, corrections.rows, strict=True):
        ref = by_key.get(row["key"])
        if ref is None:
            problems.append(
                Problem(name, line, "key", row["key"], "is not a key of the bibliography")
            )
            continue
        if row["field"] not in Reference.model_fields:
            msg = f"is not a reference field; expected one of: {', '.join(Reference.model_fields)}"
            problems.append(Problem(name, line, "field", row["field"], msg))
            continue
        value: object = row["value"]
        if row["field"] in ("authors", "ids"):
            value = tuple(v.strip() for v in row["value"].split(";") if v.strip())
        by_key[row["key"]] = Reference.model_validate({**ref.model_dump(), row["field"]: value})
    if problems:
        raise InputError(problems)
    return list(by_key.values())


BIB_HEADER = """references.bib: generated by `evidence-kb build-bib` from sources/ (do not edit).
Edit the printed lists in sources/ or the manual corrections in sources/corrections.csv instead."""


def write_bibliography(data_dir: str | os.PathLike[str]) -> Bibliography:
    """Rebuild ``data_dir/references.bib`` from ``data_dir/sources`` and return the bibliography."""

    data_dir = Path(data_dir)
    bib = build_bibliography(read_sources(data_dir / "sources"))
    write_text(data_dir / "references.bib", format_bibtex(bib.references, header=BIB_HEADER))
    return bib
