"""Read and write BibTeX with bibtexparser v2, turning failed blocks into problems."""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from pathlib import Path

from evidence_kb.io.text import read_text
from evidence_kb.model.errors import Problem
from evidence_kb.model.records import Reference

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
    "source": ("source",),
    "note": ("note",),
    "year_suffix": ("yearsuffix",),
}


_LATEX_SIGNS = re.compile(r"[\\{}~$%&#^]|--|``|''|[!?]`")


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
            return super()._transform_python_value_string(python_string)

    return _FastLatexDecoding()


def parse_bibtex(
    text: str, *, file_name: str = "<string>"
) -> tuple[list[Reference], list[Problem]]:
    """Parse BibTeX text into references, reporting every block that failed.

    Broken entries (unbalanced braces, a missing comma), duplicate keys and entries without an
    author-or-title or a year become :class:`~evidence_kb.model.errors.Problem` records with the
    line of the entry; the other entries still load.

    Examples
    --------
    >>> refs, problems = parse_bibtex(
    ...     "@article{tosun2017, author={Tosun, J.}, year={2017}, title={T}}"
    ... )
    >>> refs[0].key, refs[0].authors, refs[0].year, problems
    ('tosun2017', ('Tosun, J.',), 2017, [])
    """
    import bibtexparser
    from bibtexparser import middlewares as mw
    from bibtexparser.model import DuplicateBlockKeyBlock

    # bibtexparser logs each failed block; we report them ourselves, with our line numbers
    loggers = [logging.getLogger(name) for name in ("bibtexparser", "bibtexparser.splitter")]
    states = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        library = bibtexparser.parse_string(
            text,
            append_middleware=[_decoding_middleware(), mw.SeparateCoAuthors()],
        )
    finally:
        for logger, state in zip(loggers, states, strict=True):
            logger.disabled = state
    problems: list[Problem] = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            msg = (
                f"duplicate key {block.key!r}: each entry needs its own key "
                "(record other keys of the same work in its 'ids' field)"
            )
            problems.append(Problem(file_name, line, "key", block.key, msg))
        else:
            first = block.raw.strip().splitlines()[0] if block.raw.strip() else ""
            error = block.error
            reason = getattr(error, "abort_reason", None) or str(error)
            reason = reason.split("bibtex:")[-1].strip().replace("\n", " ")
            msg = f"broken BibTeX entry {first[:60]!r}: {reason}; check its braces {{}} and commas"
            problems.append(Problem(file_name, line, None, None, msg))

    references = []
    all_fields = {
        entry.key: {f.key.lower(): f.value for f in entry.fields} for entry in library.entries
    }
    for entry in library.entries:
        fields = dict(all_fields[entry.key])
        line = entry.start_line + 1
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
        values: dict[str, object] = {"key": entry.key, "entry_type": entry.entry_type.lower()}
        for attr, names in _FIELD_MAP.items():
            for fname in names:
                if fname in fields and str(fields[fname]).strip():
                    values[attr] = " ".join(str(fields[fname]).split())
                    break
        authors = fields.get("author") or fields.get("editor") or []
        if isinstance(authors, str):
            authors = [authors]
        values["authors"] = tuple(" ".join(a.split()) for a in authors)
        year = str(fields.get("year", "")).strip()
        if year and not year.isdigit():
            msg = f"year {year!r} is not a number; expected four digits such as 2015"
            problems.append(Problem(file_name, line, "year", year, msg))
            year = ""
        values["year"] = int(year) if year else None
        values["pages"] = str(values.get("pages", "")).replace("--", "-").replace("–", "-")
        if not year:
            msg = f"entry {entry.key!r} has no year; it is cited as 'z.d.' (n.d.)"
            problems.append(Problem(file_name, line, "year", "", msg, "warning"))
        ids = str(fields.get("ids", ""))
        values["ids"] = tuple(i.strip() for i in ids.split(",") if i.strip())
        references.append(Reference(**values))
    return references, problems


def read_bibtex(
    path: str | os.PathLike[str], *, encoding: str | None = None
) -> tuple[list[Reference], list[Problem]]:
    """Read a ``.bib`` file; see :func:`parse_bibtex`."""
    from evidence_kb.io.text import (
        CONTROL_CHARACTERS,
        clean_control_characters,
        control_character_problem,
    )

    path = Path(path)
    text = read_text(path, encoding=encoding)
    cleaned: list[Problem] = []
    if CONTROL_CHARACTERS.search(text):  # reported with their line, then removed
        for number, line in enumerate(text.split("\n"), start=1):
            if CONTROL_CHARACTERS.search(line):
                cleaned.append(control_character_problem(path.name, number, None, line))
        text = clean_control_characters(text)
    references, problems = parse_bibtex(text, file_name=path.name)
    return references, cleaned + problems


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
    from bibtexparser.model import Entry, Field, ImplicitComment

    library = bibtexparser.Library()
    if header:
        library.add(ImplicitComment("\n".join(f"% {line}" for line in header.splitlines())))
    for ref in sorted(references, key=lambda r: r.key):
        fields = []
        if ref.authors:
            fields.append(Field("author", _bib_value(" and ".join(ref.authors))))
        values = {
            "year": str(ref.year) if ref.year is not None else "",
            "yearsuffix": ref.year_suffix,
            "title": ref.title,
            "journal"
            if ref.entry_type == "article"
            else "booktitle"
            if ref.entry_type in ("incollection", "inproceedings")
            else "howpublished": ref.container,
            "volume": ref.volume,
            "number": ref.issue,
            "pages": ref.pages.replace("-", "--") if ref.pages.count("-") == 1 else ref.pages,
            "doi": ref.doi,
            "url": ref.url,
            "publisher": ref.publisher,
            "ids": ", ".join(ref.ids),
            "source": ref.source,
            "note": ref.note,
        }
        # page ranges are written as BibTeX wants them ("39--46") and read back as "39-46"
        fields += [
            Field(name, v if name == "pages" else _bib_value(v)) for name, v in values.items() if v
        ]
        library.add(Entry(ref.entry_type, ref.key, fields))
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    layout.block_separator = "\n\n"
    text = bibtexparser.write_string(library, bibtex_format=layout)
    return text.strip() + "\n"
