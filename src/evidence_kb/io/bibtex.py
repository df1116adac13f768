"""Read and write BibTeX with bibtexparser v2, turning failed blocks into problems.

Reading keeps the line of every entry and field (:class:`BibEntry`), so the plausibility
warnings of :func:`check_references` point into the file without reading it again.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.io.sources import (
    CORRECTIONS_FILE,
    MANIFEST_FILE,
    read_sources,
    read_sources_beside,
)
from evidence_kb.io.text import (
    CONTROL_CHARACTERS,
    clean_control_characters,
    control_character_problem,
    read_text,
)
from evidence_kb.model.errors import InputError, Parsed, Problem, Severity
from evidence_kb.model.plausibility import reference_problems
from evidence_kb.model.records import BIBTEX_NAMES, Reference

if TYPE_CHECKING:
    from bibtexparser.model import Entry

    from evidence_kb.io.sources import SourceLists

# BibTeX field -> Reference attribute (the first field present wins)
_FIELD_MAP = {
    "title": ("title",),
    "container": (
        "journal",
        "booktitle",
        "journaltitle",
        "howpublished",
        "series",
        "institution",
        "school",
    ),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "doi": ("doi",),
    "url": ("url",),
    "publisher": ("publisher", "organization"),
    "editor": ("editor",),
    "abstract": ("abstract",),
    "source": ("source",),
    "note": ("note",),
    "year_suffix": ("yearsuffix",),
}


_LATEX_SIGNS = re.compile(r"[\\{}~$%&#^]|--|``|''|[!?]`")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@lru_cache(maxsize=1)
def _concatenation_middleware() -> object:
    """A middleware expanding ``@string`` concatenations (``journal = j1 # " Today"``).

    bibtexparser resolves a field that is one ``@string`` name, not a ``#`` concatenation of
    names, quoted and braced parts; this runs before it and joins the parts into one braced
    value.
    """
    from bibtexparser.middlewares.middleware import LibraryMiddleware

    class _ConcatenateStrings(LibraryMiddleware):
        @classmethod
        def metadata_key(cls) -> str:
            return "evidence_kb_concatenate_strings"

        def transform(self, library):
            strings = {key.lower(): str(s.value) for key, s in library.strings_dict.items()}
            for string in library.strings:
                string.value = _concatenate(str(string.value), strings)
                strings[string.key.lower()] = string.value
            for entry in library.entries:
                for field in entry.fields:
                    if isinstance(field.value, str) and "#" in field.value:
                        field.value = _concatenate(field.value, strings)
            return library

    return _ConcatenateStrings()


def _split_concatenation(value: str) -> list[str] | None:
    """The parts of ``a # "b" # {c}``, or ``None`` when ``#`` is not outside all enclosures."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(value):
        if value[i - 1 : i] == "\\":  # an escaped \{ \} \" \# is text
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:i].strip())
            start = i + 1
    if not parts:
        return None
    return [*parts, value[start:].strip()]


def _concatenate(value: str, strings: dict[str, str]) -> str:
    """Join the parts of a ``#`` concatenation into one braced value; others unchanged."""
    parts = _split_concatenation(value)
    if parts is None:
        return value
    out = []
    for part in parts:
        if len(part) >= 2 and part[0] + part[-1] in ('""', "{}"):
            out.append(part[1:-1])
        elif part.lower() in strings:
            inner = strings[part.lower()]
            out.append(
                inner[1:-1] if len(inner) >= 2 and inner[0] + inner[-1] in ('""', "{}") else inner
            )
        elif part.lower()[:3] in _MONTHS and len(part) == 3:
            out.append(part.capitalize())
        else:
            out.append(part)
    return "{" + "".join(out) + "}"


# a year as people and exports write it: "2019", "2019a", "[2019]", "(2019)", "2019²", "2019*"
_YEAR = re.compile(r"[\[(]?(\d{4})[\])]?([a-z])?")
_YEAR_MARKS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f*†‡§¶#^]+$")
_DATE_YEAR = re.compile(r"(\d{4})(?:[-/.][0-9/.-]*)?")


def clean_year(text: str) -> tuple[int | None, str, str]:
    """Read a year field: ``(year, suffix, note)``.

    ``"2019"`` gives ``(2019, "", "")``; ``"2019a"`` gives the suffix ``"a"``; ``"[2019]"``,
    ``"2019²"`` and a date such as ``"2019-05-01"`` give 2019 with a note saying what was left
    out; text that holds no clear year gives ``(None, "", reason)``.

    Examples
    --------
    >>> clean_year("2019a"), clean_year("2019²")[0], clean_year("twothousand")[0]
    ((2019, 'a', ''), 2019, None)
    """
    text = " ".join(text.split())
    if not text:
        return None, "", ""
    if re.fullmatch(r"\d{4}", text) and text.isascii():
        return int(text), "", ""
    match = _YEAR.fullmatch(text)
    if match:
        note = (
            ""
            if not match.group(0).startswith(("[", "("))
            else f"read {text!r} as {match.group(1)}"
        )
        return int(match.group(1)), match.group(2) or "", note
    stripped = _YEAR_MARKS.sub("", text)
    if stripped != text and re.fullmatch(r"\d{4}", stripped) and stripped.isascii():
        return int(stripped), "", f"stray mark after the year {text!r} left out; read as {stripped}"
    match = _DATE_YEAR.fullmatch(text)
    if match:
        return int(match.group(1)), "", ""
    return None, "", f"year {text!r} is not a number; expected four digits such as 2015"


def _parse_stack() -> list[Any]:
    """bibtexparser's parse stack as we use it (``@string`` concatenation, names, decoding)."""
    from bibtexparser import middlewares as mw
    from bibtexparser.middlewares.parsestack import default_parse_stack

    return [
        _concatenation_middleware(),
        *default_parse_stack(),
        # "Author = {A and B}" (Web of Science, EBSCO): names are split in lower-cased fields
        _lower_keys_middleware(),
        # names are split before decoding: "{Food and Agriculture Organization}" is one author
        mw.SeparateCoAuthors(),
        _decoding_middleware(),
    ]


# fields whose value is written as it is (biblatex's verbatim fields): no LaTeX decoding
_VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "pdf", "urldate"})


_VERBATIM_ESCAPES = re.compile(r"\\(textasciitilde\{\}|~\{\}|[%&#_$])")


def _verbatim(value: str) -> str:
    r"""A verbatim field as written: a ``~`` stays, escapes of special characters are undone.

    Examples
    --------
    >>> _verbatim(r"https://x.org/~me/50\%_a"), _verbatim(r"https://x.org/\textasciitilde{}me")
    ('https://x.org/~me/50%_a', 'https://x.org/~me')
    """
    if "\\" not in value:  # every escape starts with a backslash
        return value
    return _VERBATIM_ESCAPES.sub(lambda m: "~" if m.group(1)[0] in "t~" else m.group(1), value)


@lru_cache(maxsize=1)
def _lower_keys_middleware() -> object:
    """A middleware writing field names in lower case (the first of ``Title`` and ``title``).

    bibtexparser's own ``NormalizeFieldKeys`` keeps the last and logs; an entry with a field
    repeated in two spellings keeps the first here, as BibTeX does.
    """
    from bibtexparser.middlewares.middleware import BlockMiddleware

    class _LowerKeys(BlockMiddleware):
        @classmethod
        def metadata_key(cls) -> str:
            return "evidence_kb_lower_keys"

        def transform_entry(self, entry, library):
            seen: dict[str, object] = {}
            for field in entry.fields:
                field.key = field.key.lower()
                seen.setdefault(field.key, field)
            entry.fields = list(seen.values())
            return entry

    return _LowerKeys()


@lru_cache(maxsize=1)
def _decoding_middleware() -> object:
    """bibtexparser's LaTeX decoding, skipped for values that hold no LaTeX at all.

    Decoding runs pylatexenc's parser on every value, which dominates the load time of a large
    bibliography; most values are plain text and come out unchanged, so they skip it.
    """
    from bibtexparser.middlewares import LatexDecodingMiddleware

    class _FastLatexDecoding(LatexDecodingMiddleware):
        def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
            if not _LATEX_SIGNS.search(python_string):
                return python_string, ""
            # in a BibTeX value '%' is text (LaTeX would read the rest as a comment)
            python_string = _BARE_PERCENT.sub(r"\\%", python_string)
            return super()._transform_python_value_string(python_string)

        def transform_entry(self, entry, library):
            verbatim = {  # a URL's "~" and "%" are characters, not LaTeX
                f.key: f.value
                for f in entry.fields
                if f.key.lower() in _VERBATIM_FIELDS and isinstance(f.value, str)
            }
            entry = self._decode(entry, library)
            for field in entry.fields:
                if field.key in verbatim:
                    field.value = _verbatim(verbatim[field.key])
            return entry

        def _decode(self, entry, library):
            if _plain_entry(entry):  # what the loops below would do to it, without them
                for field in entry.fields:
                    if isinstance(field.value, list):
                        field.value = list(field.value)  # a new list (the setter resets enclosing)
                return entry
            errors: list[str] = []
            for field in entry.fields:  # lists of names: bibtexparser decodes strings only
                if isinstance(field.value, list):
                    field.value = self._transform_all_strings(field.value, errors)
            return super().transform_entry(entry, library)

    return _FastLatexDecoding()


def _plain_entry(entry: Entry) -> bool:
    """Whether no value of ``entry`` (text, or a list of names) holds a LaTeX sign.

    The values are searched joined by newlines, which no sign of :data:`_LATEX_SIGNS` spans.
    """
    texts: list[str] = []
    for field in entry.fields:
        value = field.value
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            texts += value
        else:
            return False
    return not _LATEX_SIGNS.search("\n".join(texts))


def parse_bibtex(text: str, *, file_name: str = "<string>") -> Parsed[Reference]:
    """Parse BibTeX text into references, reporting every block that failed.

    Broken entries (unbalanced braces, a missing comma), duplicate keys and entries without an
    author-or-title or a year become :class:`~evidence_kb.model.errors.Problem` records with the
    line of the entry; the other entries still load.

    Returns
    -------
    Parsed
        ``(records, problems)``: the references, and a problem per block that failed.

    Examples
    --------
    >>> refs, problems = parse_bibtex(
    ...     "@article{tosun2017, author={Tosun, J.}, year={2017}, title={T}}"
    ... )
    >>> refs[0].key, refs[0].authors, refs[0].year, problems
    ('tosun2017', ('Tosun, J.',), 2017, [])
    """
    entries, problems = parse_bibtex_entries(text, file_name=file_name)
    return Parsed([reference for _, reference in entries], problems)


@dataclasses.dataclass(frozen=True)
class BibEntry:
    """One entry as parsed: its line, the reference, and the line of each of its fields.

    ``field_lines`` maps the BibTeX field names (lower case) to their lines, ``"@"`` to the
    line of the entry itself: what a warning about a field points at.
    """

    line: int
    reference: Reference
    field_lines: dict[str, int] = dataclasses.field(default_factory=dict, compare=False, repr=False)


def parse_bibtex_entries(
    text: str, *, file_name: str = "<string>", keep_duplicates: bool = False
) -> tuple[list[tuple[int, Reference]], list[Problem]]:
    """Parse BibTeX text into ``(line, reference)`` pairs; see :func:`parse_bibtex`.

    With ``keep_duplicates=True`` an entry whose key repeats an earlier one is returned too
    (and reported as a warning), as search exports reuse keys.
    """
    entries, problems = parse_bibtex_located(
        text, file_name=file_name, keep_duplicates=keep_duplicates
    )
    return [(entry.line, entry.reference) for entry in entries], problems


def parse_bibtex_located(
    text: str, *, file_name: str = "<string>", keep_duplicates: bool = False
) -> tuple[list[BibEntry], list[Problem]]:
    """Parse BibTeX text into :class:`BibEntry` records (with the lines of their fields).

    See :func:`parse_bibtex_entries`; the same references and problems.
    """
    library = _parse_library(text)
    problems, duplicates = _failed_blocks(library, file_name, keep_duplicates=keep_duplicates)
    problems += _foreign_records(library, file_name)
    # each entry's fields by name, made once (for crossref, and for the entry's own reference)
    own_fields = {id(entry): _fields(entry) for entry in library.entries}
    all_fields = {entry.key: own_fields[id(entry)] for entry in library.entries}
    entries = sorted(
        [*((e.start_line, e) for e in library.entries), *duplicates], key=lambda pair: pair[0]
    )
    located = []
    for start, entry in entries:
        fields = own_fields.get(id(entry))
        fields = _fields(entry) if fields is None else dict(fields)  # which this changes
        values = _reference_values(entry, start + 1, all_fields, file_name, problems, fields)
        reference = _reference(values, start + 1, file_name, problems)
        if reference is None:
            continue
        lines = {"@": start + 1}
        for item in entry.fields:
            if item.start_line is not None:
                lines.setdefault(item.key.lower(), item.start_line + 1)
        located.append(BibEntry(start + 1, reference, lines))
    return located, problems


def _reference(
    values: dict[str, Any], line: int, file_name: str, problems: list[Problem]
) -> Reference | None:
    """The reference of ``values``; ``None`` and a problem at ``line`` if they are not one (an
    entry without a key, ``@article{, ...}``), so that the other entries still load."""
    from pydantic import ValidationError

    try:
        return Reference(**values)
    except ValidationError as err:
        for error in err.errors():
            field = str(error["loc"][0]) if error["loc"] else None
            if field == "key":
                msg = "the entry has no key: expected @type{key, ...}, as @article{jansen2021,"
            else:
                msg = f"field {field!r} cannot be read: {error['msg']}; the entry is left out"
            problems.append(Problem(file_name, line, field, str(error["input"])[:80], msg))
        return None


@contextmanager
def gc_running() -> Iterator[None]:
    """Run the cyclic garbage collector during a parse's middlewares, also inside a load that
    paused it (the splitter before them makes no cyclic garbage: see :func:`_parse_library`).

    bibtexparser's blocks and pylatexenc's nodes refer to each other: with the collector paused
    (``evidence_kb._gc.gc_paused``, around a load) their garbage piled up to some 50 times the
    size of a large file (``benchmarks/memory_benchmark.py``).

    The youngest generation is collected every :data:`_PARSE_GC_THRESHOLD` new objects rather
    than every 700: the garbage waiting meanwhile stays bounded (a few MB), and the parse of
    20,000 entries takes 0.1 s less (1.12 s -> 1.00 s), each collection walking what was made.
    """
    import gc

    enabled = gc.isenabled()
    threshold = gc.get_threshold()
    if not enabled and gc.get_freeze_count() == 0:
        # inside a paused load: what the load made so far (the findings' rows) is long-lived
        # and would be promoted when the pause ends; promote it now, so that the collections
        # of the parse do not walk it as young, twice (GC time of a load at 100k 0.14 -> 0.09 s)
        gc.freeze()
        gc.unfreeze()
    gc.set_threshold(max(threshold[0], _PARSE_GC_THRESHOLD), *threshold[1:])
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not enabled:
            gc.disable()


_PARSE_GC_THRESHOLD = 10_000


def _parse_library(text: str):
    """bibtexparser's library of ``text``, its logging silenced (we report failed blocks)."""
    from bibtexparser.splitter import Splitter

    loggers = [logging.getLogger(name) for name in ("bibtexparser", "bibtexparser.splitter")]
    states = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        # bibtexparser.parse_string(text, parse_stack=_parse_stack()) in its two steps: the
        # splitter makes no cyclic garbage (none in memory_benchmark's .bib either), so it runs
        # with the collector as the caller left it (paused in a load: 0.07 s less at 20,000
        # entries); the middlewares do make some (pylatexenc's nodes), and run with it on
        library = Splitter(bibstr=text).split()
        with gc_running():
            for middleware in _parse_stack():
                library = middleware.transform(library)
        return library
    finally:
        for logger, state in zip(loggers, states, strict=True):
            logger.disabled = state


def _failed_blocks(
    library, file_name: str, *, keep_duplicates: bool
) -> tuple[list[Problem], list[tuple[int, object]]]:
    """The problems of the blocks that failed, and the duplicate entries to keep (if asked)."""
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

    problems: list[Problem] = []
    duplicates: list[tuple[int, object]] = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            msg = (
                f"duplicate key {block.key!r}: each entry needs its own key "
                "(record other keys of the same work in its 'ids' field)"
            )
            if keep_duplicates:  # a failed block skips the middlewares: parse it again
                strings = "\n".join(s.raw for s in library.strings)
                again = bibtexparser.parse_string(
                    f"{strings}\n{block.ignore_error_block.raw}",  # type: ignore[union-attr]
                    parse_stack=_parse_stack(),
                ).entries
                duplicates.extend((block.start_line or 0, entry) for entry in again[:1])
                msg += "; the entry is kept as a separate record"
            severity: Severity = "warning" if keep_duplicates else "error"
            problems.append(Problem(file_name, line, "key", block.key, msg, severity))
        elif isinstance(block, DuplicateFieldKeyBlock):
            entry = _with_first_fields(block.ignore_error_block)
            names = ", ".join(sorted(block.duplicate_keys))
            msg = (
                f"entry {entry.key!r} repeats the field(s) {names} (Scopus writes funding_details "
                "once per funder): the first value is read, the others are kept in the file only"
            )
            problems.append(Problem(file_name, line, names, None, msg, "warning"))
            duplicates.append((block.start_line or 0, entry))
        else:
            first = block.raw.strip().splitlines()[0] if block.raw.strip() else ""
            msg = f"broken BibTeX entry {first[:60]!r}: {_broken_reason(block.error)}"
            problems.append(Problem(file_name, line, None, None, msg))
    return problems, duplicates


def _broken_reason(error: object) -> str:
    """What is wrong with a broken entry, in the reader's words (not the parser's)."""
    reason = str(getattr(error, "abort_reason", None) or error)
    unexpected = re.search(r"after entry key `([^`]*)`", reason)
    if unexpected:
        return (
            f"{unexpected.group(1)[:40]!r} stands where a field name and '=' are expected; "
            "check the braces {} and commas of the field before it"
        )
    reason = reason.split("bibtex:")[-1].strip().replace("\n", " ")
    return f"{reason}; check its braces {{}} and commas"


def _with_first_fields(entry):
    """An entry whose repeated fields keep their first value, run through the parse stack."""
    from bibtexparser import Library

    seen: dict[str, object] = {}
    for field in entry.fields:
        seen.setdefault(field.key.lower(), field)
    entry.fields = list(seen.values())
    library = Library([entry])
    for middleware in _parse_stack():
        library = middleware.transform(library)
    return library.entries[0]


# the first line of a record of another format: text bibtexparser keeps as a comment
_FOREIGN = {
    "RIS": re.compile(r"^\s*TY {1,2}- ?\S", re.MULTILINE),
    "MEDLINE": re.compile(r"^PMID- ?\d", re.MULTILINE),
    "EndNote": re.compile(r"^%0 \S", re.MULTILINE),
    "Web of Science": re.compile(r"^PT [A-Z]\s*$", re.MULTILINE),
}


def _foreign_records(library, file_name: str) -> list[Problem]:
    """Errors for records of another format between or after the entries (lost otherwise)."""
    problems = []
    for comment in library.comments:
        for name, sign in _FOREIGN.items():
            found = sign.search(comment.raw)
            if found:
                line = (comment.start_line or 0) + comment.raw[: found.start()].count("\n") + 1
                count = len(sign.findall(comment.raw))
                msg = (
                    f"{count} {name} record(s) from here on, in a BibTeX file: they are not read; "
                    f"save them as a file of their own (.ris, .nbib ...) and read both"
                )
                problems.append(Problem(file_name, line, None, None, msg))
    return problems


def _fields(entry) -> dict[str, Any]:
    """The fields of a parsed entry by name (lower case; the first of a name repeated)."""
    return {f.key.lower(): f.value for f in entry.fields}


def _reference_values(
    entry,
    line: int,
    all_fields: dict[str, dict],
    file_name: str,
    problems: list[Problem],
    fields: dict[str, Any],
) -> dict[str, Any]:
    """The values of the reference of one parsed entry, for :func:`_reference` (``fields``: its
    :func:`_fields`, changed here); its problems (crossref, year) go to ``problems``."""
    parent_key = str(fields.get("crossref", "")).strip()
    if parent_key:  # BibTeX crossref: inherit the fields this entry does not set itself
        parent = all_fields.get(parent_key)
        if parent is None:
            msg = f"crossref {parent_key!r} is not an entry of this file; nothing inherited"
            problems.append(Problem(file_name, line, "crossref", parent_key, msg, "warning"))
        else:
            for name, value in parent.items():
                target = "booktitle" if name == "title" else name
                fields.setdefault(target, value)
    values: dict[str, Any] = {"key": entry.key, "entry_type": entry.entry_type.lower()}
    for attr, names in _FIELD_MAP.items():
        for fname in names:
            value = fields.get(fname)
            if isinstance(value, list):  # a name list (editor), split by the name middleware
                value = " and ".join(value)
            if value is not None and str(value).strip():
                values[attr] = " ".join(str(value).split())
                break
    authors = fields.get("author") or fields.get("editor") or []
    if isinstance(authors, str):
        authors = [authors]
    values["authors"] = tuple(_listed_names([" ".join(a.split()) for a in authors]))
    year_text = str(fields.get("year") or fields.get("date") or "").strip()
    year, suffix, note = clean_year(year_text)
    if note:
        severity: Severity = "warning" if year else "error"
        problems.append(Problem(file_name, line, "year", year_text, note, severity))
    values["year"] = year
    if suffix and not values.get("year_suffix"):
        values["year_suffix"] = suffix
    values["pages"] = str(values.get("pages", "")).replace("--", "-").replace("–", "-")
    if not year:
        msg = f"entry {entry.key!r} has no year; it is cited as 'z.d.' (n.d.)"
        problems.append(Problem(file_name, line, "year", "", msg, "warning"))
    for name in ("ids", "related"):  # biblatex key lists
        keys = str(fields.get(name, ""))
        values[name] = tuple(i.strip() for i in keys.split(",") if i.strip())
    return values


_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")


def _listed_names(names: list[str]) -> list[str]:
    """Names of which one holds a comma-separated list, as Cochrane writes them, split.

    Cochrane's BibTeX writes ``Huey, SL, Mehta, NH, and Mehta, S``: BibTeX reads the part
    before "and" as one name with three commas. A part whose pieces alternate family name and
    initials is split into those names.

    Examples
    --------
    >>> _listed_names(["Huey, SL, Mehta, NH,", "Mehta, S"])
    ['Huey, SL', 'Mehta, NH', 'Mehta, S']
    >>> _listed_names(["de la Fontaine, Jr., Jean"])
    ['de la Fontaine, Jr., Jean']
    """
    out = []
    for name in names:
        if name.count(",") < 3:  # fewer than the four pieces of a list: the name as it is
            out.append(name)
            continue
        pieces = [p.strip() for p in name.rstrip(", ").split(",")]
        if (
            len(pieces) >= 4
            and len(pieces) % 2 == 0
            and all(_INITIALS.match(p) for p in pieces[1::2])
        ):
            out += [
                f"{family}, {given}"
                for family, given in zip(pieces[::2], pieces[1::2], strict=True)
            ]
        else:
            out.append(name)
    return out


def read_bibtex(path: str | os.PathLike[str], *, encoding: str | None = None) -> Parsed[Reference]:
    """Read a ``.bib`` file; see :func:`parse_bibtex`."""
    entries, problems = read_bibtex_entries(path, encoding=encoding)
    return Parsed([entry.reference for entry in entries], problems)


def read_bibtex_entries(
    path: str | os.PathLike[str], *, encoding: str | None = None
) -> tuple[list[BibEntry], list[Problem]]:
    """Read a ``.bib`` file into :class:`BibEntry` records (references with their lines).

    Control characters are reported with their line, then removed; see :func:`parse_bibtex`.
    """
    path = Path(path)
    text = read_text(path, encoding=encoding)
    cleaned: list[Problem] = []
    if CONTROL_CHARACTERS.search(text):  # reported with their line, then removed
        for number, line in enumerate(text.split("\n"), start=1):
            if CONTROL_CHARACTERS.search(line):
                cleaned.append(control_character_problem(path.name, number, None, line))
        text = clean_control_characters(text)
    entries, problems = parse_bibtex_located(text, file_name=path.name)
    return entries, cleaned + problems


def field_lines(entries: list[BibEntry]) -> dict[str, dict[str, int]]:
    """Entry key -> field -> line, for :func:`check_references` (the first entry of a key)."""
    lines: dict[str, dict[str, int]] = {}
    for entry in entries:
        lines.setdefault(entry.reference.key, entry.field_lines)
    return lines


def check_references(
    references: Sequence[Reference],
    path: str | os.PathLike[str],
    *,
    sources_dir: str | os.PathLike[str] | None = None,
    lines: dict[str, dict[str, int]] | None = None,
) -> list[Problem]:
    """Check the references read from ``path`` for the marks of a wrongly parsed list.

    The checks are :func:`evidence_kb.model.plausibility.reference_problems`; this reads what
    they need that the caller did not pass.

    Parameters
    ----------
    references
        The references of the file (see :func:`read_bibtex`).
    path
        The ``.bib`` file they come from; without ``lines``, it is parsed again for the lines
        of the fields, and only when there is something to report.
    sources_dir
        The printed reference lists (``manifest.csv`` and the lists) to compare each entry
        with; by default ``sources/`` beside ``path`` when it has a ``manifest.csv``. (The
        load path, which has read them already, calls :func:`loaded_reference_problems`.)
    lines
        :func:`field_lines` of the entries, when the caller parsed the file already.

    Returns
    -------
    list of Problem
        Warnings with the file name, the line of the entry's field, the field, its value and
        what looks wrong.
    """

    path = Path(path)
    sources = read_sources(sources_dir) if sources_dir else read_sources_beside(path)
    return loaded_reference_problems(references, path, sources=sources, lines=lines)


def loaded_reference_problems(
    references: Sequence[Reference],
    path: str | os.PathLike[str],
    *,
    sources: SourceLists | None,
    lines: dict[str, dict[str, int]] | None = None,
) -> list[Problem]:
    """:func:`check_references` with the printed lists as already read (``None``: there are
    none), so that a load reads ``sources/`` once."""
    path = Path(path)

    def read_lines() -> dict[str, dict[str, int]]:
        try:
            return field_lines(read_bibtex_entries(path)[0])
        except InputError:
            return {}

    return reference_problems(
        references,
        file_name=path.name,
        field_lines=lines if lines is not None else read_lines,
        printed=sources.entries_by_label() if sources is not None else None,
        printed_problem=_comparison_problem(sources) if sources is not None else "",
    )


def _comparison_problem(sources: SourceLists) -> str:
    """Why some printed lists are not compared with the entries, or ``""``."""

    problem = ""
    for name, error in sources.errors:
        if name == MANIFEST_FILE:
            first = error.problem_list[0] if isinstance(error, InputError) else error
            problem = (
                "entries not compared with the printed lists: "
                f"{sources.directory.name}/{MANIFEST_FILE} has problems, the first: {first}"
            )
        elif name != CORRECTIONS_FILE:
            problem = f"printed list {name!r} not compared: {error}"
    return problem


_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "$": r"\$",
    "~": r"\textasciitilde{}",
}


def _bib_value(value: str) -> str:
    r"""Escape text so that bibtexparser's LaTeX decoding gives it back unchanged.

    Special characters are escaped, and the ligatures ``--``, ````` ``, ``''``, ``!```, ``?```
    (which LaTeX turns into dashes, quotes and inverted marks) are kept apart with ``{}``.

    Examples
    --------
    >>> print(_bib_value("50% of A&B -- {x}"))
    50\% of A\&B -{}- \{x\}
    """
    out = []
    for i, char in enumerate(value):
        out.append(_LATEX_ESCAPES.get(char, char))
        following = value[i + 1 : i + 2]
        if (char in "-`'" and following == char) or (char in "!?" and following == "`"):
            out.append("{}")  # LaTeX ligatures: -- ``  '' !` ?`
    return "".join(out)


# The Reference attributes written after the authors, in the model's order (the key and the
# entry type head the entry); each as the field BIBTEX_NAMES gives, the container as the
# field of its entry type (_CONTAINER_FIELDS)
_WRITTEN = tuple(
    name for name in Reference.model_fields if name not in ("key", "entry_type", "authors")
)
_CONTAINER_FIELDS = {
    "article": "journal",
    "incollection": "booktitle",
    "inproceedings": "booktitle",
}


def _bibtex_entry(ref: Reference) -> Entry:
    """One reference as a bibtexparser entry, with its non-empty fields in the order written."""
    from bibtexparser.model import Entry, Field

    fields = []
    if ref.authors:
        names = " and ".join(_bib_name(name) for name in ref.authors)
        fields.append(Field(BIBTEX_NAMES["authors"], names))
    for attr in _WRITTEN:
        value = _bibtex_text(ref, attr)
        if not value:
            continue
        if attr == "container":
            name = _CONTAINER_FIELDS.get(ref.entry_type, "howpublished")
        else:
            name = BIBTEX_NAMES.get(attr, attr)
        # page ranges are written as BibTeX wants them ("39--46") and read back as "39-46";
        # a URL or DOI as it is (read verbatim), unless a brace or backslash needs escaping
        raw = attr == "pages" or (attr in ("url", "doi") and not re.search(r"[{}\\]", value))
        fields.append(Field(name, value if raw else _bib_value(value)))
    return Entry(ref.entry_type, ref.key, fields)


_AND = re.compile(r"\sand\s", re.IGNORECASE)


def _bib_name(name: str) -> str:
    r"""One author for BibTeX's author field: a name holding "and" is braced, so it stays one.

    Examples
    --------
    >>> _bib_name("Food and Agriculture Organization"), _bib_name("Smith, J.")
    ('{Food and Agriculture Organization}', 'Smith, J.')
    """
    value = _bib_value(name)
    return f"{{{value}}}" if _AND.search(name) else value


def _bibtex_text(ref: Reference, attr: str) -> str:
    """Attribute ``attr`` of ``ref`` as the text of its BibTeX field, before escaping."""
    value = getattr(ref, attr)
    if attr == "year":
        return str(value) if value is not None else ""
    if attr in ("ids", "related"):
        return ", ".join(value)
    if attr == "pages":
        return value.replace("-", "--") if value.count("-") == 1 else value
    return str(value)


def format_bibtex(references: list[Reference] | tuple[Reference, ...], *, header: str = "") -> str:
    """Return BibTeX text for ``references`` (sorted by key), written by bibtexparser.

    Unicode is kept as is (biblatex and modern BibTeX read UTF-8). Other keys of the same work
    go into the biblatex ``ids`` field; ``source`` says where the printed reference is.

    Examples
    --------
    >>> from evidence_kb.model.records import Reference
    >>> print(
    ...     format_bibtex(
    ...         [
    ...             Reference(
    ...                 key="tosun2017",
    ...                 entry_type="article",
    ...                 authors=("Tosun, J.",),
    ...                 year=2017,
    ...                 title="Promoting",
    ...             )
    ...         ]
    ...     )
    ... )
    @article{tosun2017,
      author = {Tosun, J.},
      year = {2017},
      title = {Promoting}
    }
    <BLANKLINE>
    """
    import bibtexparser
    from bibtexparser.model import ImplicitComment

    library = bibtexparser.Library()
    if header:
        library.add(ImplicitComment("\n".join(f"% {line}" for line in header.splitlines())))
    for ref in sorted(references, key=lambda r: r.key):
        library.add(_bibtex_entry(ref))
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    layout.block_separator = "\n\n"
    text = bibtexparser.write_string(library, bibtex_format=layout)
    return text.strip() + "\n"
