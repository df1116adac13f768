"""Readers for the tagged export formats: RIS, MEDLINE, Web of Science, EndNote, RefWorks, Ovid.

All write one field per line behind a short tag (``TI  - ``, ``TI  - `` padded to four,
``TI ``, ``%T ``, ``T1 ``, or a label line in Ovid), with continuation lines for long values.
One small splitter (:func:`split_records`) cuts the text into records and fields, keeping the
line of each; a mapping per format turns the fields into the columns of
:func:`~evidence_kb.read_references`. Lines outside any record are reported and counted, so
strict mode can refuse a file that was mostly not read; the first line of a record of another
format (a MEDLINE record in a RIS file) and a RIS record that lost its ``TY`` line are errors,
so no record leaves the file unseen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from evidence_kb.io.fields import clean_title, first_year, year_letter
from evidence_kb.io.parsed import ReferenceRows
from evidence_kb.model.errors import Problem


@dataclass
class TaggedRecord:
    """One record: its first line, its fields in order and its text as written."""

    line: int
    fields: list[tuple[str, list[str]]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    ended: bool = False

    def items(self, *tags: str) -> list[str]:
        """Every value line of the first of ``tags`` present (continuations are items)."""
        for tag in tags:
            found = [part for name, parts in self.fields if name == tag for part in parts]
            found = [" ".join(v.split()) for v in found if v.strip()]
            if found:
                return found
        return []

    def values(self, *tags: str) -> list[str]:
        """Each occurrence of the first of ``tags`` present, continuation lines joined."""
        for tag in tags:
            found = [
                " ".join(" ".join(parts).split()) for name, parts in self.fields if name == tag
            ]
            found = [v for v in found if v]
            if found:
                return found
        return []

    def text(self, *tags: str) -> str:
        """The first value of the first of ``tags`` present, or ``""``."""
        found = self.values(*tags)
        return found[0] if found else ""


@dataclass(frozen=True)
class Dialect:
    """How one tagged format writes its lines."""

    name: str
    tag: re.Pattern[str]  # group 1: the tag, group 2: the value
    start: frozenset[str]  # tags that open a record
    end: frozenset[str] = frozenset()  # tags that close one (RIS ER, WoS ER)
    blank_ends: bool = False  # a blank line closes the record (MEDLINE, EndNote)
    header: frozenset[str] = frozenset()  # tags allowed outside records (WoS FN, VR, EF)
    needs_end: bool = False  # a record without its end tag is an error (truncated file)


RIS = Dialect(
    "RIS",  # four-letter tags too: APA PsycINFO writes "PMID  - " among the RIS tags
    re.compile(r"^([A-Z][A-Z0-9]{1,3}) {1,2}-(?: (.*)|\s*)$"),
    frozenset({"TY"}),
    end=frozenset({"ER"}),
    needs_end=True,
)
MEDLINE = Dialect(
    "MEDLINE",
    re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$"),  # "PMID-22664220" too
    frozenset({"PMID"}),
    blank_ends=True,
)
WOS = Dialect(
    "Web of Science",
    re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$"),
    frozenset({"PT"}),
    end=frozenset({"ER"}),
    header=frozenset({"FN", "VR", "EF"}),
    needs_end=True,
)
ENDNOTE = Dialect(
    "EndNote",
    re.compile(r"^%([0-9A-Za-z@!#$&()*+^~>\]|?])(?: (.*))?$"),
    frozenset({"0"}),
    blank_ends=True,
)
REFWORKS = Dialect(
    "RefWorks",
    re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$"),
    frozenset({"RT"}),
    blank_ends=True,
)
# the first line of a record of each format: met in a file of another format, it is a record
# that would be lost (a MEDLINE record pasted into a RIS file, RIS appended to a .bib, ...)
FOREIGN_STARTS = {
    "RIS": re.compile(r"^\s*TY {1,2}- ?\S"),
    "MEDLINE": re.compile(r"^PMID- ?\d"),
    "EndNote": re.compile(r"^%0 \S"),
    "BibTeX": re.compile(r"^\s*@[A-Za-z]+\s*[{(]"),
    "Web of Science": re.compile(r"^PT [A-Z]\s*$"),
}


def split_records(
    text: str, dialect: Dialect, file_name: str
) -> tuple[list[TaggedRecord], list[Problem], int]:
    """Cut ``text`` into records of ``(tag, [value line, continuation lines...])`` fields.

    Returns the records, the problems (lines outside any record are warnings; a record
    without its end tag, where the format has one, is an error when the file ends inside it;
    the first line of a record of another format is an error) and the number of non-blank
    lines that belong to no record. In a RIS file, tag lines after a record's end that hold a
    title, authors, year or DOI are a record that lost its ``TY`` line: read, and an error.
    """
    splitter = _Splitter(dialect, file_name, text)
    for number, line in enumerate(text.splitlines(), start=1):
        splitter.feed(number, line)
    splitter.close(last=True)
    return splitter.records, splitter.problems, splitter.ignored


# tags that make lines after a RIS record's end a record of their own (that lost its TY)
_KEY_TAGS = {
    "RIS": frozenset({"TI", "T1", "AU", "A1", "PY", "Y1", "DO"}),
    "Web of Science": frozenset({"TI", "AU", "AF", "PY", "DI"}),
}
_START_LINES = {"RIS": "TY  - ", "Web of Science": "PT "}


class _Splitter:
    """The state of :func:`split_records` while it reads the lines of one file."""

    def __init__(self, dialect: Dialect, file_name: str, text: str) -> None:
        self.dialect, self.file_name = dialect, file_name
        self.records: list[TaggedRecord] = []
        self.problems: list[Problem] = []
        self.ignored = 0
        self.current: TaggedRecord | None = None
        self.untyped: TaggedRecord | None = None  # tag lines after a RIS record's end
        self.foreign = [s for name, s in FOREIGN_STARTS.items() if name != dialect.name]
        # in a file whose records end with a tag (RIS, WoS), tag lines after a record's end
        # that hold key fields are a record that lost its first line
        start = FOREIGN_STARTS.get(dialect.name)
        self.typed = bool(
            start and dialect.name in _KEY_TAGS and re.search(start.pattern, text, re.M)
        )

    def feed(self, number: int, line: str) -> None:
        """Read one line."""
        dialect, current = self.dialect, self.current
        match = dialect.tag.match(line)
        if match and current is not None and match.group(1) not in dialect.start:
            tag = match.group(1)  # a field of the current record (most lines)
            current.lines.append(line)
            if tag in dialect.end:
                current.ended = True
                self.settle_untyped()
                self.current = None
            else:
                current.fields.append((tag, [match.group(2) or ""]))
        elif match and not (current is None and any(s.match(line) for s in self.foreign)):
            tag, value = match.group(1), match.group(2) or ""
            if _opens(dialect, tag, current):
                self.close()
                current = self.current = TaggedRecord(number)
                self.records.append(current)
            elif current is None and self.typed and tag not in dialect.end | dialect.header:
                current = self.current = self.untyped = TaggedRecord(number)
                self.records.append(current)
            elif current is None:
                if tag not in dialect.header and tag not in dialect.end:
                    self.outside(number, line)
                return
            current.lines.append(line)
            if tag in dialect.end:
                current.ended = True
                self.settle_untyped()
                self.current = None
                return
            current.fields.append((tag, [value]))
        elif not line.strip():
            if current is not None and dialect.blank_ends:
                self.current = None
            elif current is not None:
                current.lines.append(line)
        elif current is not None and current.fields:
            current.lines.append(line)
            current.fields[-1][1].append(line.strip())
        else:
            self.outside(number, line)

    def outside(self, number: int, line: str) -> None:
        """A line outside any record: ignored, or an error when a foreign record starts."""
        self.ignored += 1
        name = next((n for n, s in FOREIGN_STARTS.items() if s.match(line)), None)
        value = line.strip()[:60]
        if name and name != self.dialect.name:
            msg = (
                f"a {name} record starts here, in a file read as {self.dialect.name}: it is "
                "not read; export all records in one format, or save them as separate files"
            )
            self.problems.append(Problem(self.file_name, number, None, value, msg))
        else:
            msg = f"line outside any record is ignored: {value!r}"
            self.problems.append(Problem(self.file_name, number, None, value, msg, "warning"))

    def settle_untyped(self) -> None:
        """Keep tag lines after a record's end as a record (an error), or ignore them."""
        record, self.untyped = self.untyped, None
        if record is None:
            return
        tags = [name for name, _ in record.fields]
        if _KEY_TAGS[self.dialect.name] & set(tags):
            first = _START_LINES[self.dialect.name]
            msg = (
                f"record without its {first!r} line (it starts with {tags[0]!r}): read "
                "without a type; was the line lost when the file was edited?"
            )
            self.problems.append(Problem(self.file_name, record.line, tags[0], None, msg))
            return
        self.records.remove(record)
        for number, line in enumerate(record.lines, start=record.line):
            if line.strip() and not re.match(r"ER(?: {1,2}-|\s*$)", line):
                self.outside(number, line)

    def close(self, *, last: bool = False) -> None:
        """End the current record (a new one starts, or the file ends)."""
        record, dialect = self.current, self.dialect
        if record is not None and record is self.untyped:
            self.settle_untyped()
            if record not in self.records:
                return
        if record is not None and dialect.needs_end and not record.ended:
            tag = "ER  -" if dialect is RIS else "/".join(sorted(dialect.end))
            if last:  # the file ends inside a record
                msg = f"record has no '{tag}' end tag: the file may be truncated"
                self.problems.append(Problem(self.file_name, record.line, None, None, msg))
            else:
                msg = f"record has no '{tag}' end tag; it was read up to the next record"
                self.problems.append(
                    Problem(self.file_name, record.line, None, None, msg, "warning")
                )


def _opens(dialect: Dialect, tag: str, current: TaggedRecord | None) -> bool:
    """Whether a line with ``tag`` opens a new record.

    Where a blank line ends a record (MEDLINE, EndNote, RefWorks), any tag after it opens
    one, and a start tag opens one only when the record has its own already: AIS eLibrary
    writes ``%T`` before ``%0``.
    """
    if current is None:
        return tag in dialect.start or dialect.blank_ends
    if tag not in dialect.start:
        return False
    return not dialect.blank_ends or any(name in dialect.start for name, _ in current.fields)


def _row(record: TaggedRecord, **values: Any) -> dict[str, Any]:
    values.setdefault("line", record.line)
    values.setdefault("raw", "\n".join(record.lines).strip())
    return values


def _pages(first: str, last: str) -> str:
    if first and last and "-" not in first:
        return f"{first}-{last}"
    return first or last


# RIS tags that rispy does not list but that Web of Science, Scopus, EndNote, Rayyan and
# Ovid write (read or safely ignored)
_RIS_EXTRA_TAGS = set(
    re.findall(
        r"\w\w",
        "BT CP CT ED IN JI J9 M2 PA PI PU SV U1 U2 U3 U4 U5 WE FU FX AR LB EF DI DT TC Z9 "
        "PG GA UT PM OA HC HP DS PD BP BE SO SC WC EM OI RI NR VO L3 PS",
    )
) | {"PMID"}
_DOI_LIKE = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+", re.IGNORECASE)


def _names(values: list[str]) -> list[str]:
    """Author names, one per value or several in a value separated by ``;``."""
    return [name.strip() for value in values for name in value.split(";") if name.strip()]


def _ris_doi(rec: TaggedRecord, urls: list[str]) -> str:
    """The DOI of a RIS record: ``DO``, else a DOI in ``L3``/``M3`` (EBSCO, CINAHL) or a link."""
    doi = rec.text("DO", "DI")
    if doi:
        return doi
    for value in rec.values("L3", "M3"):
        if _DOI_LIKE.fullmatch(value.strip()):
            return value.strip()
    return next((u for u in urls if "doi.org/" in u), "")


def read_ris(text: str, file_name: str) -> ReferenceRows:
    """RIS (``TY  - `` ... ``ER  - ``; one space before the dash is read too)."""
    import rispy

    known = set(rispy.TAG_KEY_MAPPING) | _RIS_EXTRA_TAGS
    records, problems, ignored = split_records(text, RIS, file_name)
    rows = []
    for rec in records:
        for tag in dict.fromkeys(name for name, _ in rec.fields):
            if tag not in known:
                value = "; ".join(rec.values(tag))
                msg = f"unknown RIS tag {tag!r} is ignored (value {value[:40]!r})"
                problems.append(Problem(file_name, rec.line, tag, None, msg, "warning"))
        kind = rec.text("TY")
        title_tags = ("TI", "T1", "CT") + (("BT",) if kind.upper() in ("BOOK", "EDBOOK") else ())
        container_tags = ("T2", "JF", "JO", "JA", "J2", "BT", "T3")
        accession = rec.text("AN")
        database = rec.text("DB", "DP")
        if not database and accession.upper().startswith("WOS:"):
            database = "Web of Science"
        urls = rec.items("UR")
        if not database and any("scopus.com" in u for u in urls):
            database = "Scopus"
        doi = _ris_doi(rec, urls)
        rows.append(
            _row(
                rec,
                id=rec.text("ID") or accession,
                entry_type=kind,
                authors=_names(rec.items("AU", "A1")),
                year=next(
                    (y for y in map(first_year, rec.values("PY", "Y1", "DA", "Y2")) if y), ""
                ),
                year_suffix=year_letter(rec.text("PY", "Y1")),
                title=rec.text(*title_tags) or rec.text("ST"),
                container=rec.text(*container_tags),
                volume=rec.text("VL", "VO"),
                issue=rec.text("IS", "CP"),
                pages=_pages(rec.text("SP"), rec.text("EP")) or rec.text("PS"),
                doi=doi,
                url="; ".join(urls),
                publisher=rec.text("PB", "PU"),
                abstract=rec.text("AB", "N2"),
                database=database,
            )
        )
    return ReferenceRows(rows, problems, ignored)


def read_medline(text: str, file_name: str) -> ReferenceRows:
    """PubMed's MEDLINE format (``.nbib``, or PubMed's ``.txt``): ``PMID- ``, ``TI  - ``."""
    records, problems, ignored = split_records(text, MEDLINE, file_name)
    rows = []
    for rec in records:
        ids = rec.values("LID") + rec.values("AID")
        doi = next((i.removesuffix(" [doi]") for i in ids if i.endswith("[doi]")), "")
        doi = doi or next((i for i in ids if _DOI_LIKE.fullmatch(i.strip())), "")
        types = rec.values("PT")
        kind = next((t for t in types if t.lower() == "journal article"), types[0] if types else "")
        if rec.text("BTI") and not rec.text("TI"):
            kind = "Book" if not rec.text("CTI") else "Chapter"
        rows.append(
            _row(
                rec,
                id=rec.text("PMID"),
                entry_type=kind,
                authors=rec.values("FAU", "AU"),
                year=first_year(rec.text("DP")),
                title=clean_title(rec.text("TI", "BTI")),
                container=rec.text("JT", "TA") or (rec.text("BTI") if rec.text("TI") else ""),
                volume=rec.text("VI"),
                issue=rec.text("IP"),
                pages=rec.text("PG"),
                doi=doi,
                publisher=rec.text("PB"),
                abstract=rec.text("AB"),
                database="PubMed",
            )
        )
    return ReferenceRows(rows, problems, ignored)


def read_wos(text: str, file_name: str) -> ReferenceRows:
    """Web of Science plain text (``FN Clarivate Analytics``, ``PT J`` ... ``ER``)."""
    records, problems, ignored = split_records(text, WOS, file_name)
    rows = []
    for rec in records:
        kind = rec.text("DT") or {"J": "Journal", "B": "Book", "S": "Series", "P": "Patent"}.get(
            rec.text("PT"), rec.text("PT")
        )
        rows.append(
            _row(
                rec,
                id=rec.text("UT"),
                entry_type=kind,
                authors=_names(rec.items("AF", "AU")),
                year=first_year(rec.text("PY")) or first_year(rec.text("EA")),
                title=rec.text("TI"),
                container=rec.text("SO", "SE"),
                volume=rec.text("VL"),
                issue=rec.text("IS"),
                pages=_pages(rec.text("BP"), rec.text("EP")) or rec.text("AR"),
                doi=rec.text("DI"),
                publisher=rec.text("PU"),
                abstract=rec.text("AB"),
                database="Web of Science",
            )
        )
    return ReferenceRows(rows, problems, ignored)


def read_endnote(text: str, file_name: str) -> ReferenceRows:
    """EndNote tagged export (``%0 Journal Article``, ``%A``, ``%T`` ...; ``.enw``, ``.txt``)."""
    records, problems, ignored = split_records(text, ENDNOTE, file_name)
    rows = []
    for rec in records:
        kind = rec.text("0")
        container_tags = ("J", "B") if kind.lower() != "book" else ("S",)
        rows.append(
            _row(
                rec,
                id=rec.text("F", "M"),
                entry_type=kind,
                authors=rec.values("A"),
                year=first_year(rec.text("D", "7")),
                title=rec.text("T"),
                container=rec.text(*container_tags),
                volume=rec.text("V"),
                issue=rec.text("N"),
                pages=rec.text("P"),
                doi=rec.text("R"),
                url="; ".join(rec.values("U")),
                publisher=rec.text("I"),
                abstract=rec.text("X"),
                database=rec.text("W"),
            )
        )
    return ReferenceRows(rows, problems, ignored)


def read_refworks(text: str, file_name: str) -> ReferenceRows:
    """RefWorks tagged export (``RT Journal Article``, ``A1``, ``T1``, ``JF``, ``YR`` ...)."""
    records, problems, ignored = split_records(text, REFWORKS, file_name)
    rows = []
    for rec in records:
        rows.append(
            _row(
                rec,
                id=rec.text("ID"),
                entry_type=rec.text("RT"),
                authors=_names(rec.values("A1")),
                year=first_year(rec.text("YR", "FD")),
                title=rec.text("T1"),
                container=rec.text("JF", "JO", "T2"),
                volume=rec.text("VO"),
                issue=rec.text("IS"),
                pages=_pages(rec.text("SP"), rec.text("OP")),
                doi=rec.text("DO"),
                url="; ".join(rec.values("UL", "LK")),
                publisher=rec.text("PB"),
                abstract=rec.text("AB"),
                database=rec.text("DS"),
            )
        )
    return ReferenceRows(rows, problems, ignored)


_OVID_RECORD = re.compile(r"^<\s*(\d+)\s*\.?\s*>\s*$")  # "<1>", or "<1. >" (tagged layout)
_OVID_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
_OVID_TAGS = {
    "TI": "title",
    "AU": "authors",
    "FA": "authors full name",
    "AF": "authors full name",
    "SO": "source",
    "JN": "journal name",
    "JT": "journal name",
    "YR": "year of publication",
    "DP": "date of publication",
    "DO": "doi",
    "AN": "accession number",
    "UI": "unique identifier",
    "PT": "publication type",
    "AB": "abstract",
    "PB": "publisher",
    "UR": "url",
    "DB": "database",
}
_OVID_SOURCE = re.compile(  # "J Name. 12(3):45-67" or Embase's "J Name. 34(2) (pp 210-218), 2020."
    r"^(?P<journal>.+?)\.\s+(?:Vol\.?\s*)?(?P<volume>[\w-]+)(?:\s*\((?P<issue>[^)]*)\))?"
    r"(?:(?::|, pp?\.?\s*)(?P<pages>[\w-]+)|\s*\(pp?\.?\s*(?P<pages2>[^)]+)\))"
)


def read_ovid(text: str, file_name: str) -> ReferenceRows:
    """Ovid's labelled export: ``<1>`` opens a record, a label line precedes indented values."""
    records, problems, ignored = _split_ovid(text, file_name)
    return ReferenceRows([_ovid_row(rec) for rec in records], problems, ignored)


def _split_ovid(text: str, file_name: str) -> tuple[list[TaggedRecord], list[Problem], int]:
    """Cut Ovid's export into records of ``(label, [value lines])`` fields.

    As :func:`split_records` does for the tagged formats; labels are lower-cased, and the
    tags of MEDLINE-style lines named by ``_OVID_TAGS``.
    """
    records: list[TaggedRecord] = []
    problems: list[Problem] = []
    ignored = 0
    current: TaggedRecord | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if _OVID_RECORD.match(line):
            current = TaggedRecord(number, lines=[line])
            records.append(current)
        elif current is None:
            if line.strip():
                ignored += 1
                msg = f"line outside any record is ignored: {line.strip()[:60]!r}"
                problems.append(Problem(file_name, number, None, line.strip()[:60], msg, "warning"))
        elif not line.strip():
            current.lines.append(line)
        elif line[0].isspace():
            current.lines.append(line)
            if current.fields:
                current.fields[-1][1].append(line.strip())
        else:
            current.lines.append(line)
            tagged = _OVID_TAG.match(line)  # Ovid's MEDLINE-style "TI  - " lines
            if tagged:
                label = _OVID_TAGS.get(tagged.group(1), tagged.group(1).lower())
                current.fields.append((label, [tagged.group(2)]))
            else:
                current.fields.append((line.strip().rstrip(":").lower(), []))
    return records, problems, ignored


def _ovid_row(rec: TaggedRecord) -> dict[str, Any]:
    """The row of one Ovid record; journal, volume, issue and pages from its "Source"."""
    source = rec.text("source")
    parts = _OVID_SOURCE.match(source)
    journal = parts.group("journal") if parts else source.rstrip(". ")
    year = (
        first_year(rec.text("year of publication", "publication year"))
        or first_year(source)
        or first_year(rec.text("date of publication", "date created", "status"))
    )
    return _row(
        rec,
        id=rec.text("accession number", "unique identifier").rstrip("."),
        entry_type=re.split(r"[:.]", rec.text("publication type", "document type"))[0],
        authors=_ovid_authors(rec),
        year=year,
        title=clean_title(rec.text("title")),
        container=rec.text("journal name") or journal,
        volume=parts.group("volume") if parts else "",
        issue=(parts.group("issue") or "") if parts else "",
        pages=(parts.group("pages") or parts.group("pages2")) if parts else "",
        doi=rec.text("doi number", "digital object identifier (doi)", "doi"),
        url=rec.text("link to the ovid full text or citation", "url"),
        publisher=rec.text("publisher"),
        abstract=rec.text("abstract"),
        database=rec.text("database") or "Ovid",
    )


# academic degrees Ovid writes after a name, separated like names ("Bunkers, S RN; PhD; FAAN")
_DEGREES = frozenset(
    [
        "phd",
        "md",
        "rn",
        "faan",
        "msc",
        "ms",
        "ma",
        "bsc",
        "ba",
        "mph",
        "drph",
        "frcp",
        "facs",
        "mbbs",
        "dphil",
        "edd",
        "psyd",
        "dnp",
        "aprn",
        "bsn",
        "msn",
        "np",
        "cns",
        "do",
        "pharmd",
        "dds",
    ]
)


def _ovid_authors(rec: TaggedRecord) -> list[str]:
    """The author names of an Ovid record, ``;``-separated, without affiliation numbers."""
    authors = []
    for value in rec.values("authors full name", "authors", "author"):
        for name in value.split(";"):
            name = re.sub(r"\s+\d+(?:\s*,\s*\d+)*$", "", name.strip()).strip()
            name = _without_degrees(re.sub(r"[\s*+†‡§¶#]+$", "", name))
            if name and name.lower().strip(".") not in _DEGREES:
                authors.append(name)
    return authors


def _is_degree(word: str) -> bool:
    """Whether a word is a degree as written after a name: "MD", "PhD" (not the name "Ba")."""
    word = word.strip(".")
    if word.lower() not in _DEGREES:
        return False
    return word.isupper() or any(c.isupper() for c in word[1:])


def _without_degrees(name: str) -> str:
    """``Verbeek, Jan MD`` or ``van Vugt, Arie MD, PhD`` without the degrees after the name.

    A degree is left out only when a given name (a word, not initials) stays before it.

    Examples
    --------
    >>> _without_degrees("van Vugt, Arie MD, PhD"), _without_degrees("Smith, MA")
    ('van Vugt, Arie', 'Smith, MA')
    >>> _without_degrees("Nguyen, Thi Ba")
    'Nguyen, Thi Ba'
    """
    family, comma, given = name.partition(",")
    words = given.replace(",", " ").split()
    while len(words) > 1 and _is_degree(words[-1]):
        words.pop()
    if not comma or not any(len(w) > 2 and not w.isupper() for w in words):
        return name
    return f"{family}, {' '.join(words)}"
