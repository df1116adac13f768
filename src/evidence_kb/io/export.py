"""Write the knowledge base in the formats other tools read, and read findings back.

* references: BibTeX (with aliases in ``ids``), RIS (reference managers), CSL-JSON (Zotero);
* findings: CSV and Excel, with spreadsheet formula injection neutralised;
* the frameworks with their concepts as a REFI-QDA codebook (``.qdc``) for NVivo, ATLAS.ti and
  MAXQDA.

Every writer writes to a temporary file and renames it into place. Each format is read back in
the tests and compared with the original.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.bibtex import format_bibtex
from evidence_kb.io.csvfile import escape_xlsx, read_table_rows
from evidence_kb.io.eppi import format_eppi
from evidence_kb.io.fields import CSL_FIELDS
from evidence_kb.io.formula import neutralise_cell
from evidence_kb.io.guard import check_outputs
from evidence_kb.io.text import clean_control_characters, file_mode, write_text
from evidence_kb.model.records import Reference
from evidence_kb.model.vocab import EXPORT_FORMATS, FINDING_COLUMNS, OPTIONAL_EXPORT_FORMATS

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.model.data import KBData

_RIS_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "incollection": "CHAP",
    "inproceedings": "CONF",
    "misc": "GEN",
    "report": "RPRT",
    "phdthesis": "THES",
}
# Reference attribute -> rispy key, for the fields written as they are (rispy maps keys to tags)
_RIS_FIELDS = {
    "title": "title",
    "container": "secondary_title",
    "volume": "volume",
    "issue": "number",
    "doi": "doi",
    "publisher": "publisher",
    "abstract": "abstract",
}
_CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "misc": "document",
    "report": "report",
    "phdthesis": "thesis",
}


def findings_for_export(findings: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``findings`` with every text cell neutralised and missing values empty.

    Control characters (which Excel's XML cannot hold) are removed.
    """
    frame = findings.astype("object").where(findings.notna(), "")
    return frame.map(lambda v: neutralise_cell(clean_control_characters(str(v))))


def write_findings(findings: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write findings as ``.csv`` or ``.xlsx`` (chosen by the suffix), safe for spreadsheets.

    Read them back with :func:`read_findings` (or ``ekb.load`` on a directory).
    """
    import tempfile

    path = Path(path)
    frame = findings_for_export(findings)
    if path.suffix.lower() == ".csv":
        write_text(path, frame.to_csv(index=False, lineterminator="\n"))
    elif path.suffix.lower() == ".xlsx":
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".xlsx")
        os.close(fd)
        try:
            excel = frame.map(escape_xlsx)  # a literal _x0041_ stays that text in Excel
            excel.to_excel(tmp, index=False, sheet_name="findings", engine="openpyxl")
            Path(tmp).chmod(file_mode(path))  # mkstemp makes the file private (0600)
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    else:
        msg = f"cannot write findings as {path.suffix!r}; use .csv or .xlsx"
        raise ValueError(msg)
    return path


def read_findings(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read findings written by :func:`write_findings` (CSV or Excel) back into a DataFrame.

    Cells neutralised against formula injection are restored; nothing is validated here (use
    ``ekb.load`` on a knowledge-base directory for that).
    """
    import pandas as pd

    table = read_table_rows(path, required=("finding_id",), known=FINDING_COLUMNS)
    return pd.DataFrame(table.rows, columns=table.columns)  # the readers restore the cells


# -- references ---------------------------------------------------------------------------


INCOMPLETE_AUTHORS = "authors: the printed reference leaves some names out (et al.)"


def _named_authors(ref: Reference) -> tuple[list[str], bool]:
    """The authors that have a name, and whether the list is incomplete.

    BibTeX writes a list that print cut short ("et al.", an APA ellipsis) as ``and others``; RIS
    and CSL-JSON have no such marker, so "others" is left out of the names and said in a note.
    """
    names = [a for a in ref.authors if a.strip().lower() != "others"]
    return names, len(names) < len(ref.authors)


def format_ris(references: Iterable[Reference]) -> str:
    """Return references as RIS text (aliases and the source go into ``N1`` notes).

    Examples
    --------
    >>> print(
    ...     format_ris(
    ...         [
    ...             Reference(
    ...                 key="tosun2017",
    ...                 entry_type="article",
    ...                 authors=("Tosun, J.",),
    ...                 year=2017,
    ...                 title="Promoting",
    ...                 pages="39-46",
    ...             )
    ...         ]
    ...     ).strip()
    ... )
    TY  - JOUR
    ID  - tosun2017
    AU  - Tosun, J.
    PY  - 2017
    TI  - Promoting
    SP  - 39
    EP  - 46
    ER  -
    """
    import rispy

    class _Writer(rispy.RisWriter):
        """rispy's writer without its numbering line ("1.") before each record: a line outside
        any record, which some reference managers read as a broken record."""

        def set_header(self, count: int) -> str | None:
            return None

    return rispy.dumps([_ris_entry(ref) for ref in references], implementation=_Writer)


def _ris_entry(ref: Reference) -> dict[str, object]:
    """One reference as a rispy entry, its fields in the order written."""
    entry: dict[str, object] = {
        "type_of_reference": _RIS_TYPES.get(ref.entry_type, "GEN"),
        "id": ref.key,
    }
    authors, incomplete = _named_authors(ref)
    if authors:
        entry["authors"] = authors
    if ref.year is not None:
        entry["year"] = f"{ref.year}{ref.year_suffix}"  # 2023a, as printed and cited
    entry.update({key: getattr(ref, a) for a, key in _RIS_FIELDS.items() if getattr(ref, a)})
    if ref.pages:
        first, _, last = ref.pages.partition("-")
        entry["start_page"] = first
        if last:
            entry["end_page"] = last
    if ref.editor:  # RIS: the editors of the book a chapter is in are its A2 (secondary) authors
        entry["secondary_authors"] = [ref.editor]
    if ref.url:
        entry["urls"] = ref.url.split()  # a merged work keeps every printed URL
    notes = _notes(ref, incomplete) + ([f"source: {ref.source}"] if ref.source else [])
    if notes:
        entry["notes"] = notes
    return entry


def _notes(ref: Reference, incomplete: bool) -> list[str]:
    """The notes RIS and CSL-JSON carry for what they have no field for: aliases, cut lists."""
    return ([f"ids: {', '.join(ref.ids)}"] if ref.ids else []) + (
        [INCOMPLETE_AUTHORS] if incomplete else []
    )


_NAME_SUFFIXES = re.compile(r"(?i)^(jr|sr|jun|sen)\.?$|^(ii|iii|iv|v)$")


def csl_name(name: str) -> dict[str, str]:
    """One author as a CSL name: particles (``van den``) and a suffix (``Jr.``) apart.

    Examples
    --------
    >>> csl_name("van den Berg, Jan")
    {'family': 'Berg', 'given': 'Jan', 'non-dropping-particle': 'van den'}
    >>> csl_name("King, Jr., Martin"), csl_name("King, M., Jr.")["suffix"]
    ({'family': 'King', 'given': 'Martin', 'suffix': 'Jr.'}, 'Jr.')
    >>> csl_name("World Health Organization")
    {'literal': 'World Health Organization'}
    """
    parts = [p.strip() for p in name.split(",")]
    if len(parts) < 2 or not parts[0]:
        return {"literal": name.strip()}
    family, rest = parts[0], [p for p in parts[1:] if p]
    suffix = [p for p in rest if _NAME_SUFFIXES.match(p)]
    given = " ".join(p for p in rest if p not in suffix)
    words = family.split()
    lower = 0
    while lower < len(words) - 1 and words[lower][:1].islower():
        lower += 1  # "van den Berg": the lower-case words before the name are its particle
    out = {"family": " ".join(words[lower:]), "given": given}
    if lower:
        out["non-dropping-particle"] = " ".join(words[:lower])
    if suffix:
        out["suffix"] = " ".join(suffix)
    return out


def format_csl_json(references: Iterable[Reference]) -> str:
    """Return references as CSL-JSON (the format Zotero imports and exports)."""
    items = []
    for ref in references:
        item: dict[str, object] = {
            "id": ref.key,
            "type": _CSL_TYPES.get(ref.entry_type, "document"),
        }
        names, incomplete = _named_authors(ref)
        if names:
            item["author"] = [csl_name(name) for name in names]
        if ref.year is not None:
            item["issued"] = {"date-parts": [[ref.year]]}
            if ref.year_suffix:
                item["year-suffix"] = ref.year_suffix  # 2023a: CSL's variable for the letter
        for attr, variable in CSL_FIELDS.items():
            if getattr(ref, attr):
                item[variable] = getattr(ref, attr)
        if ref.editor:  # a name list in CSL-JSON; the editors as printed, one literal
            item["editor"] = [{"literal": ref.editor}]
        notes = _notes(ref, incomplete) + ([ref.source] if ref.source else [])
        if notes:
            item["note"] = "\n".join(notes)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


# -- REFI-QDA codebook --------------------------------------------------------------------

_QDC_NAMESPACE = uuid.UUID("6f1c5e9a-3b7d-4c2e-9a41-0e5b7d2f8c10")


def _guid(name: str) -> str:
    return str(uuid.uuid5(_QDC_NAMESPACE, name))


def format_codebook(elements: pd.DataFrame, concepts: pd.DataFrame | None = None) -> str:
    """Return the frameworks (and concepts) as a REFI-QDA codebook (``.qdc``, XML).

    Every framework becomes a top-level code with its elements nested as in ``frameworks.csv``;
    concepts, if given, become codes under a "Concepten" code. GUIDs are stable (derived from
    the ids), so a re-export updates the same codes in the QDA program.
    """
    from xml.etree import ElementTree as ET

    root = ET.Element("CodeBook", {"xmlns": "urn:QDA-XML:codebook:1.0", "origin": "evidence_kb"})
    codes = ET.SubElement(root, "Codes")
    nodes: dict[str, ET.Element] = {}
    depth = elements["element_id"].str.count("/")  # parents before their children
    rows = elements.assign(_depth=depth).sort_values(
        ["framework", "_depth", "order", "element_id"], na_position="first"
    )
    for row in rows.itertuples():
        parent = codes if not row.parent else nodes.get(row.parent, codes)
        code = ET.SubElement(
            parent,
            "Code",
            {"guid": _guid(f"element:{row.element_id}"), "name": row.label_nl, "isCodable": "true"},
        )
        description = f"{row.element_id}" + (f" ({row.label_en})" if row.label_en else "")
        ET.SubElement(code, "Description").text = description
        nodes[row.element_id] = code
    if concepts is not None and len(concepts):
        group = ET.SubElement(
            codes, "Code", {"guid": _guid("concepts"), "name": "Concepten", "isCodable": "false"}
        )
        for row in concepts.itertuples():
            code = ET.SubElement(
                group,
                "Code",
                {
                    "guid": _guid(f"concept:{row.concept_id}"),
                    "name": row.label_nl,
                    "isCodable": "true",
                },
            )
            ET.SubElement(code, "Description").text = f"{row.concept_id} ({row.label_en})"
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")  # XML cannot hold control characters
    return '<?xml version="1.0" encoding="utf-8"?>\n' + clean_control_characters(xml) + "\n"


def read_codebook(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Read a REFI-QDA codebook safely (defusedxml) into a flat list of codes with their parent."""
    from defusedxml import ElementTree as SafeET

    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    tree = SafeET.parse(str(path))
    out: list[dict[str, str]] = []

    def walk(node: object, parent: str) -> None:
        for code in node.findall("q:Code", ns):  # type: ignore[attr-defined]
            description = code.find("q:Description", ns)
            out.append(
                {
                    "guid": code.get("guid", ""),
                    "name": code.get("name", ""),
                    "parent": parent,
                    "description": description.text if description is not None else "",
                }
            )
            walk(code, code.get("guid", ""))

    walk(tree.getroot().find("q:Codes", ns), "")
    return out


def element_id_of(description: str) -> str:
    """Return the element id at the start of a codebook description."""
    return re.split(r"\s", description, maxsplit=1)[0]


def write_exports(
    kb: KBData, out_dir: str | os.PathLike[str], *, formats: Iterable[str] = EXPORT_FORMATS
) -> list[Path]:
    """Write the knowledge base in the formats other tools read; return the files written.

    ``bib``, ``ris``, ``csl-json``: the references; ``csv``, ``xlsx``: the findings;
    ``qdc``: the frameworks (and concepts, when the knowledge base has them) as a REFI-QDA
    codebook; ``eppi`` (only when asked for): the whole knowledge base as an EPPI-Reviewer JSON
    export (:mod:`evidence_kb.io.eppi`). A knowledge-base directory as ``out_dir`` (the one
    ``kb`` was loaded from, or any other) is refused with an ``InputError`` before anything is
    written.
    """

    out = Path(out_dir)
    formats = list(formats)
    known = (*EXPORT_FORMATS, *OPTIONAL_EXPORT_FORMATS)
    unknown = sorted(set(formats) - set(known))
    if unknown:
        msg = f"unknown export format(s) {', '.join(unknown)}; expected: {', '.join(known)}"
        raise ValueError(msg)
    references = kb.reference_records
    written = []
    texts = {
        "bib": ("references.bib", lambda: format_bibtex(references)),
        "ris": ("references.ris", lambda: format_ris(references)),
        "csl-json": ("references.json", lambda: format_csl_json(references)),
        "qdc": (
            "codebook.qdc",
            lambda: format_codebook(kb.elements, getattr(kb, "concepts", None)),
        ),
        "eppi": ("eppi.json", lambda: format_eppi(kb)),
    }
    names = [texts[fmt][0] if fmt in texts else f"findings.{fmt}" for fmt in formats]
    way_out = "pass another --out (out_dir); export never writes into a knowledge base"
    check_outputs((out / name for name in names), kb_dir=kb.data_dir, way_out=way_out)
    for fmt in formats:
        if fmt in texts:
            name, make = texts[fmt]
            write_text(out / name, make())
            written.append(out / name)
        else:
            written.append(write_findings(kb.findings, out / f"findings.{fmt}"))
    return written
