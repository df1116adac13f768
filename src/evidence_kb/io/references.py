"""Read references from the files researchers have, into one normalised DataFrame.

:func:`read_references` tells the format from the content (see
:func:`~evidence_kb.io.detect.detect_format`): BibTeX/biblatex, RIS, PubMed MEDLINE, Web of
Science plain text, EndNote tagged, Ovid (both layouts), RefWorks tagged, JSON (CSL-JSON,
Crossref, OpenAlex, Publish or Perish, search APIs such as PLOS and ERIC:
:mod:`evidence_kb.io.jsonrefs`), CSV/TSV tables exported by Scopus, Web of Science, IEEE Xplore,
SpringerLink, PubMed, Embase, Lens.org, Cochrane, CINAHL, Covidence, OpenAlex, RefWorks or
ASReview (:mod:`evidence_kb.io.reftables`), and a printed reference list (a ``.txt`` that is
nothing else).

What a file holds is compared with what comes out, so nothing is lost without a word: a record
that cannot be read is reported, never dropped silently; a record with no title, authors, year
or DOI, a record of another format inside the file, a table column that looks like a key field
but no map reads (``columns=`` reads it), and a file that gives no records or of which most
lines were not read are errors, so strict mode refuses the file.

Every reader gives the same columns, :data:`REFERENCE_COLUMNS`: ``entry_type`` from
:data:`~evidence_kb.io.fields.RECORD_TYPES` (the file's own type in ``raw_type``), ``authors``
joined by ``" and "`` (BibTeX style; a name holding " and " is braced), ``year`` as text,
``doi`` in lower case without resolver prefix, ``database`` where the file says it,
``source_file`` (the path as given), ``file`` and ``line`` (where the record starts) and
``raw`` (the record as written). The field maps of each format are data:
:mod:`evidence_kb.io.tablemaps` for tables and flat JSON records,
:data:`~evidence_kb.io.fields.CSL_FIELDS` for CSL-JSON, and the tag mappings of
:mod:`evidence_kb.io.tagged`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.io import tagged
from evidence_kb.io.bibtex import format_bibtex, parse_bibtex_entries
from evidence_kb.io.detect import FORMAT_NAMES, detect_format
from evidence_kb.io.fields import (
    REFERENCE_COLUMNS,
    export_advice,
    first_year,
    normalise_doi,
    normalise_type,
    year_letter,
)
from evidence_kb.io.jsonrefs import read_json
from evidence_kb.io.parsed import ColumnParser, Parser, ReferenceRows
from evidence_kb.io.refframe import ReferenceFrame
from evidence_kb.io.reflist import parse_reference_list
from evidence_kb.io.refrows import join_authors, references_from_frame, split_author_field
from evidence_kb.io.reftables import is_no_author, read_table
from evidence_kb.io.tablemaps import TABLE_COLUMNS, WOS_TABLE_COLUMNS
from evidence_kb.io.text import read_text, write_text
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.printed import PRINTED_FIELDS
from evidence_kb.model.records import REFERENCE_FIELDS, REFERENCE_TEXT_FIELDS, Reference

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.io.refframe import ReferenceFrame

__all__ = [  # REFERENCE_COLUMNS lives in io.fields, join_authors and split_author_field in
    # io.refrows; importable here as before
    "REFERENCE_COLUMNS",
    "join_authors",
    "read_references",
    "split_author_field",
    "to_bibtex",
]


def read_references(
    path: str | os.PathLike[str] | list[str | os.PathLike[str]] | tuple[Any, ...],
    *,
    format: str | None = None,
    strict: bool = True,
    encoding: str | None = None,
    columns: dict[str, str | None] | None = None,
) -> ReferenceFrame:
    """Read one or several reference files of any supported format into one DataFrame.

    Parameters
    ----------
    path
        A file, or a list of files read one after the other (rows concatenated, the problems
        of all kept). The format is told from the content (a ``.txt`` from PubMed, Web of
        Science or Ovid is read as what it holds).
    format
        Force a reader: ``"bibtex"``, ``"ris"``, ``"medline"``, ``"wos"``, ``"endnote"``,
        ``"ovid"``, ``"refworks"``, ``"csl-json"`` (any JSON), ``"csv"`` or ``"text"``.
    strict
        Raise :class:`~evidence_kb.InputError` when a record cannot be read, a non-empty file
        gives no records, most of its non-blank lines were not read, a record has no title,
        authors, year or DOI, or a table column that looks like a key field is read by no
        mapping (the default); otherwise return the readable records and keep the problems
        in ``refs.problems``.
    encoding
        Decode the files with this encoding instead of UTF-8 (``"cp1252"`` for files saved
        by Excel or Word on Windows).
    columns
        For tables and JSON records: header name -> field (``"authors"``, ``"year"``,
        ``"title"``, ``"container"``, ``"doi"``, ``"volume"``, ``"issue"``, ``"pages"``,
        ``"url"``, ``"publisher"``, ``"abstract"``, ``"entry_type"`` or ``"id"``), read before
        the built-in maps; ``None`` leaves a column out. For the table no map knows yet:
        ``columns={"Author/s": "authors"}``.

    Returns
    -------
    ReferenceFrame
        A :class:`pandas.DataFrame`, one row per record with :data:`REFERENCE_COLUMNS` (see the
        module docstring). ``refs.problems`` holds the problems met (warnings, and errors when
        not strict), ``refs.formats`` maps each file name to the format read. (``refs.attrs``
        holds the same two for one more release only: deprecated.)

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "list.txt"
    >>> _ = path.write_text(
    ...     "Tosun, J. (2017). Promoting youth employment. Public Money, 37(1), 39-46."
    ... )
    >>> read_references(path)[["authors", "year", "container", "pages", "line"]].values.tolist()
    [['Tosun, J.', '2017', 'Public Money', '39-46', 1]]
    """

    paths = list(path) if isinstance(path, list | tuple) else [path]
    if not paths:
        msg = "read_references needs at least one path"
        raise ValueError(msg)
    frame, problems, formats = _read_all([Path(p) for p in paths], format, encoding, columns)
    if strict and any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return ReferenceFrame.of(frame, problems, formats)


def _read_all(
    paths: list[Path],
    format: str | None,
    encoding: str | None,
    columns: dict[str, str | None] | None = None,
) -> tuple[pd.DataFrame, list[Problem], dict[str, str]]:
    """Read files one after the other: their rows in one frame, all problems, each format."""
    import pandas as pd

    frames, problems, formats = [], [], {}
    for path in paths:
        frame, found, kind = _read_one(path, format=format, encoding=encoding, columns=columns)
        frames.append(frame)
        problems.extend(found)
        formats[path.name] = kind
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame["line"] = frame["line"].astype("Int64")
    return frame, problems, formats


# the table column maps under their former names (they live in io.tablemaps)
_COLUMNS = TABLE_COLUMNS
_WOS_COLUMNS = WOS_TABLE_COLUMNS


def _read_bibtex(text: str, file_name: str) -> ReferenceRows:
    refs, problems = parse_bibtex_entries(text, file_name=file_name, keep_duplicates=True)
    raw_text = _entry_texts(text)
    rows = []
    for start, ref in refs:
        rows.append(
            {
                "id": ref.key,
                "entry_type": ref.entry_type,
                "authors": join_authors(ref.authors),
                "year": str(ref.year or ""),
                **{name: getattr(ref, name) for name in REFERENCE_TEXT_FIELDS},
                "year_suffix": ref.year_suffix,
                "line": start,
                "raw": raw_text(start),
            }
        )
    return ReferenceRows(rows, problems)


def _read_text_list(text: str, file_name: str) -> ReferenceRows:
    refs = parse_reference_list(text)
    rows, problems, ignored = [], [], 0
    for _, ref in refs.iterrows():
        if not ref["parsed"]:
            msg = f"{ref['note']}: {ref['raw'][:60]!r}"
            problems.append(Problem(file_name, int(ref["line"]), None, None, msg, "warning"))
            ignored += max(1, len([x for x in str(ref["raw"]).splitlines() if x.strip()]))
        rows.append(
            {
                "id": f"{file_name}:{ref['line']}",
                "entry_type": ref["entry_type"],
                "authors": join_authors(ref["authors"]),
                "year": "" if str(ref["year"]) == "<NA>" else str(ref["year"]),
                **{name: ref[name] for name in PRINTED_FIELDS},
                "line": int(ref["line"]),
                "raw": ref["raw"],
            }
        )
    return ReferenceRows(rows, problems, ignored)


#: The readers of the formats whose fields are named columns or keys, which ``columns=`` maps.
COLUMN_PARSERS: dict[str, ColumnParser] = {"csl-json": read_json, "csv": read_table}
#: The reader of each format (the keys of :data:`~evidence_kb.io.detect.FORMAT_NAMES` but
#: "json", which is read as "csl-json"), each ``parse(text, name) -> ReferenceRows``.
PARSERS: dict[str, Parser] = {
    "bibtex": _read_bibtex,
    "ris": tagged.read_ris,
    "medline": tagged.read_medline,
    "wos": tagged.read_wos,
    "endnote": tagged.read_endnote,
    "ovid": tagged.read_ovid,
    "refworks": tagged.read_refworks,
    **COLUMN_PARSERS,
    "text": _read_text_list,
}


def _read_one(
    path: Path,
    *,
    format: str | None,
    encoding: str | None,
    columns: dict[str, str | None] | None = None,
) -> tuple[pd.DataFrame, list[Problem], str]:
    """Read one file: its frame, its problems (with the strict-mode checks) and its format."""
    if format is not None and format not in PARSERS:
        msg = f"unknown format {format!r}; expected one of: {', '.join(PARSERS)}"
        raise ValueError(msg)
    text = read_text(path, encoding=encoding)
    kind = format or detect_format(text, path.suffix)
    if kind is None:
        msg = (
            f"cannot tell the format of this file: it is no BibTeX, RIS, MEDLINE, Web of "
            f"Science, EndNote, Ovid, CSL-JSON or table, and its extension {path.suffix!r} "
            "says nothing; pass format= (one of " + ", ".join(PARSERS) + "), or export the "
            "records again as RIS (XML exports of PubMed, Embase or EndNote are not read)"
        )
        raise InputError([Problem(path.name, None, None, None, msg)])
    if kind in COLUMN_PARSERS:
        parsed = COLUMN_PARSERS[kind](text, path.name, columns)
    else:
        parsed = PARSERS[kind](text, path.name)
    rows, problems = parsed.rows, list(parsed.problems)
    if columns and kind not in COLUMN_PARSERS:
        msg = f"columns= is for tables and JSON records; not used for {FORMAT_NAMES[kind]}"
        problems.append(Problem(path.name, None, None, None, msg, "warning"))
    if kind == "csl-json" and parsed.flavour not in ("csl-json", "crossref"):
        kind = "json"
    problems += _normalise(rows, path.name)
    problems += _check_coverage(text, rows, parsed.ignored, path.name, kind)
    return _frame(rows, path.name, str(path)), problems, kind


def _check_coverage(
    text: str, rows: list[dict[str, Any]], ignored: int, file_name: str, kind: str
) -> list[Problem]:
    """Errors for a non-empty file that gave no records, or whose lines were mostly ignored."""
    name = FORMAT_NAMES[kind]
    database = next((str(r.get("database")) for r in rows if r.get("database")), "")
    hint = f"is it another format? Pass format= to choose the reader, or {export_advice(database)}"
    if text.strip() and not rows:
        msg = f"no records found in this non-empty file (read as {name}); {hint}"
        return [Problem(file_name, None, None, None, msg)]
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines and ignored * 2 > lines:
        msg = (
            f"{ignored} of its {lines} non-blank lines were not read as {name} records "
            f"(only {len(rows)} record{'s' if len(rows) != 1 else ''} found); {hint}"
        )
        return [Problem(file_name, None, None, None, msg)]
    return []


def _normalise(rows: list[dict[str, Any]], file_name: str) -> list[Problem]:
    """Give every reader's rows the same shape: types, authors, DOIs, years, titles."""
    problems = []
    for row in rows:
        raw_type = str(row.get("entry_type") or "")
        row["raw_type"] = raw_type
        row["entry_type"] = normalise_type(raw_type)
        authors = row.get("authors") or ""
        if isinstance(authors, list | tuple):  # Zoological Record adds "(name@host)"
            names = [
                re.sub(r"\s*\([^()\s]+@[^()\s]+\)", "", str(a)) if "@" in str(a) else str(a)
                for a in authors
            ]
            authors = join_authors([a for a in names if not is_no_author(a)])
        elif is_no_author(str(authors)):
            authors = ""
        row["authors"] = authors
        doi = str(row.get("doi") or "")
        link = None if doi.strip() else re.search(r"doi\.org/(10\.\S+)", str(row.get("url") or ""))
        if link:  # ERIC, Google Scholar: the DOI only in the link
            doi = row["doi"] = link.group(1)
        if doi.strip():
            clean, ok = normalise_doi(doi)
            row["doi"] = clean
            if not ok:
                msg = f"{doi.strip()[:60]!r} does not look like a DOI (10.xxxx/...); kept as is"
                problems.append(Problem(file_name, row.get("line"), "doi", doi, msg, "warning"))
        if not any(str(row.get(f) or "").strip() for f in ("title", "authors", "doi", "year")):
            msg = (
                "record has no title, authors, year or DOI: check it in the file (a field "
                "the reader does not know, or a record cut in two?)"
            )
            problems.append(Problem(file_name, row.get("line"), None, None, msg))
        if re.fullmatch(r"no[- ](?:pagination[- ])?specified", str(row.get("pages") or ""), re.I):
            row["pages"] = ""  # Ovid's "No Pagination Specified" (SP "No", EP "Specified")
        year = str(row.get("year") or "").strip()
        if re.fullmatch(r"\d{4}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])", year):  # 20200315
            year = row["year"] = year[:4]
        if year and not re.fullmatch(r"\d{4}", year):
            found = first_year(year)
            if not row.get("year_suffix"):
                row["year_suffix"] = year_letter(year)  # 2023a: kept, as the writers write it
            if found and re.fullmatch(
                r"[\[(]?\d{4}[\])]?[a-z]?|\d{4}[-/.][\d/.-]*(?:T[\d:.]+Z?)?|\d{4}/+", year
            ):
                row["year"] = found
            elif found:
                msg = f"year {year!r} read as {found}"
                problems.append(Problem(file_name, row.get("line"), "year", year, msg, "warning"))
                row["year"] = found
    return problems


def _frame(rows: list[dict[str, Any]], file_name: str, source_file: str) -> pd.DataFrame:
    import pandas as pd

    for number, row in enumerate(rows, start=1):
        row["file"] = file_name
        row["source_file"] = source_file
        if not row.get("id"):
            row["id"] = f"{file_name}:{row.get('line') or number}"  # JSON items have no line
        for col in REFERENCE_COLUMNS:
            value = row.get(col)
            if col == "line":
                continue
            row[col] = (
                ""
                if value is None
                else " ".join(str(value).split())
                if col != "raw"
                else str(value)
            )
    frame = pd.DataFrame(rows, columns=REFERENCE_COLUMNS)
    frame["line"] = frame["line"].astype("Int64")
    return frame


def _entry_texts(text: str):
    """A function: the line of an entry -> its text, up to the next line that starts with ``@``.

    One pass over ``text`` finds the lines that start with ``@`` (their numbers and offsets);
    the text is not split into lines, which would hold the file several times over.
    """
    import bisect

    numbers: list[int] = []
    offsets: list[int] = []
    line, last = 1, 0
    for match in re.finditer(r"(?m)^[ \t]*@", text):
        line += text.count("\n", last, match.start())
        last = match.start()
        numbers.append(line)
        offsets.append(match.start())

    def entry_text(start: int) -> str:
        k = bisect.bisect_left(numbers, start)
        if k < len(numbers) and numbers[k] == start:
            begin = offsets[k]
        else:  # not at an "@" line: count the lines
            begin = 0
            for _ in range(start - 1):
                begin = text.find("\n", begin) + 1
        after = bisect.bisect_right(numbers, start)
        end = offsets[after] if after < len(numbers) else len(text)
        return "\n".join(text[begin:end].splitlines()).strip()

    return entry_text


def to_bibtex(
    refs: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    duplicates: Any = None,
    related: str | os.PathLike[str] | None = None,
) -> list[Problem]:
    """Write the rows of :func:`read_references` to ``path`` as BibTeX, ready for a knowledge base.

    Record types become BibTeX entry types (``chapter`` -> ``incollection``, ``conference
    paper`` -> ``inproceedings``, ``other`` -> ``misc``), every record gets an author-year key
    (``tosun2017``, then ``tosun2017b``), and ``source`` says which file and line it came from.
    Given the result of :func:`~evidence_kb.find_duplicates` on the same rows, each group of
    duplicates is written once, the keys of the others kept in its ``ids`` field. With
    ``related`` (a path, usually the knowledge base's ``related.csv``), the notices of
    ``duplicates.related`` (errata, retractions, ...) are written there with the keys of the
    BibTeX file in place of the record ids.

    Raises ``ValueError`` if ``related`` is given without ``duplicates``.

    Returns the problems met (a year that is not a number, ...); the records are written all
    the same.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "references.bib"
    >>> rows = pd.DataFrame(
    ...     [
    ...         {
    ...             "id": "x",
    ...             "entry_type": "chapter",
    ...             "authors": "Tosun, J.",
    ...             "year": "2017",
    ...             "title": "T",
    ...             "file": "a.ris",
    ...             "line": 1,
    ...         }
    ...     ]
    ... )
    >>> to_bibtex(rows, out)
    []
    >>> print(out.read_text().splitlines()[0])
    @incollection{tosun2017,
    """

    if related is not None and duplicates is None:
        msg = "related= needs duplicates= (the find_duplicates result whose notices it writes)"
        raise ValueError(msg)
    keyed, problems = _keyed_references(refs)
    if duplicates is not None:
        final = _merge_groups(keyed, duplicates.groups)
    else:
        final = [ref for _, ref in keyed]
    write_text(path, format_bibtex(final))
    if related is not None:
        write_text(related, _related_with_keys(keyed, duplicates).to_csv(index=False))
    return problems


def _related_with_keys(keyed: list[tuple[str, Any]], duplicates: Any) -> pd.DataFrame:
    """``duplicates.related`` with BibTeX keys for record ids: the notice's own key (an alias in
    ``ids`` when ``related="merge"`` put it in its work's entry), the work's written key."""
    groups = duplicates.groups
    group_of = dict(zip(groups["id"].astype(str), groups["group_id"].astype(str), strict=True))
    key_of_group: dict[str, str] = {}
    own_key = {}
    for record_id, ref in keyed:  # the first record of a group is the one written
        key_of_group.setdefault(group_of.get(record_id, record_id), ref.key)
        own_key[record_id] = ref.key
    table = duplicates.related.copy()
    table["id"] = [own_key[i] for i in table["id"].astype(str)]
    table["work_id"] = [key_of_group.get(w, "") if w else "" for w in table["work_id"]]
    return table


def _keyed_references(refs: pd.DataFrame) -> tuple[list[tuple[str, Any]], list[Problem]]:
    """Each row as a reference with an author-year key, after its record id; the problems.

    The source of each reference and the problems point to the file and line of the row.
    """
    frame = refs.copy().reset_index(drop=True)
    for col in REFERENCE_COLUMNS:
        if col not in frame.columns:
            frame[col] = None if col == "line" else ""
    rows = frame.to_dict("records")
    # stand-in ids give author-year keys; the row number as "line" finds each row again
    frame["id"] = [f"rows:{n}" for n in range(len(frame))]
    frame["line"] = list(range(len(frame)))
    references, problems = references_from_frame(frame, file_name="rows")
    keyed = []
    for ref in references:
        row = rows[int(ref.source.rsplit(" ", 1)[1])]
        line, source = row.get("line"), str(row.get("file") or "")
        if source and line is not None and str(line) not in ("<NA>", "nan", "None"):
            source = f"{source}, line {int(line)}"
        keyed.append((str(row.get("id", "")), ref.model_copy(update={"source": source})))
    return keyed, [_problem_of_row(p, rows) for p in problems]


def _problem_of_row(problem: Problem, rows: list[dict[str, Any]]) -> Problem:
    """A problem of row number ``problem.line``, at the file and line that row came from."""
    if problem.line is None:
        return problem
    row = rows[problem.line]
    return Problem(
        str(row.get("file") or "references"),
        row.get("line"),
        problem.column,
        problem.value,
        problem.message,
        problem.severity,
    )


def _merge_groups(keyed: list[tuple[str, Any]], groups: pd.DataFrame) -> list[Any]:
    """One reference per group of duplicates (the first), the others' keys in its ``ids``;
    what the first lacks or gives shorter comes from the others (:func:`_fuller_fields`)."""
    group_of = dict(zip(groups["id"].astype(str), groups["group_id"].astype(str), strict=True))
    kept: dict[str, int] = {}
    merged: list[Any] = []
    for record_id, ref in keyed:
        group = group_of.get(record_id, record_id)
        if group in kept:
            first = merged[kept[group]]
            update = {"ids": (*first.ids, ref.key), **_fuller_fields(first, ref)}
            merged[kept[group]] = first.model_copy(update=update)
        else:
            kept[group] = len(merged)
            merged.append(ref)
    return merged


def _fuller_fields(first: Reference, other: Reference) -> dict[str, Any]:
    """The fields of ``other`` that complete ``first``, a duplicate of it: the ones ``first``
    leaves empty, and authors written out more fully with the same family names and initials
    ("Edmondson, Amy C." over "Edmondson, Amy")."""
    update: dict[str, Any] = {}
    for name in REFERENCE_FIELDS:
        mine, theirs = getattr(first, name), getattr(other, name)
        if mine in (None, "", ()) and theirs not in (None, "", ()):
            update[name] = theirs
    if len(first.authors) == len(other.authors) and first.authors != other.authors:
        authors = tuple(
            b if _same_person(a, b) and len(b) > len(a) else a
            for a, b in zip(first.authors, other.authors, strict=True)
        )
        if authors != first.authors:
            update["authors"] = authors
    return update


def _same_person(a: str, b: str) -> bool:
    """Whether two written names agree on the family name and the initials they share."""
    family_a, _, given_a = a.partition(",")
    family_b, _, given_b = b.partition(",")
    if family_a.strip().casefold() != family_b.strip().casefold():
        return False
    initials_a = [w[0].casefold() for w in given_a.replace(".", " ").split() if w]
    initials_b = [w[0].casefold() for w in given_b.replace(".", " ").split() if w]
    shared = min(len(initials_a), len(initials_b))
    return initials_a[:shared] == initials_b[:shared]
