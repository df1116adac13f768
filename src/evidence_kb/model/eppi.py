"""From an EPPI-Reviewer JSON export to the knowledge base's records.

Reading (:func:`records_from_eppi`):

* each code set becomes a framework (element ``eppi-<SetId>``), each code an element
  ``eppi-<SetId>/<AttributeId>`` under its parent code, in the file's order;
* each reference becomes a :class:`~evidence_kb.model.records.Reference` with key
  ``eppi-<ItemId>``: title, authors, year, journal (``ParentTitle``), volume, issue, pages, DOI,
  URL, publisher and type mapped; the other fields (abstract, keywords, dates, status, outcomes
  ...) are kept in its ``note``;
* each code applied to a reference becomes a finding of the export's review: the statement is
  the coded quote (several quotes of one code are joined by a blank line) or, without a quote,
  the additional text, verbatim; the source is the document and its page or characters; the
  element is the code. Arm, additional text and ids are in the finding's ``notes``;
* codes of screening code sets (type *Screening*, or codes of type *Include* / *Exclude*) are
  not findings: they give the review's ``records_screened`` and ``records_included`` counts,
  and each reference keeps its screening codes in its note.

Whatever EPPI has that a record has no field for is kept, as it was, on the last line of the
record's notes (``eppi: {...}``), so a knowledge base read from EPPI is written back with every
code, reference and code assignment unchanged.

Writing is :mod:`evidence_kb.model.eppi_write`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from evidence_kb.model.errors import Problem
from evidence_kb.model.records import Element, Finding, Reference, Review
from evidence_kb.model.text import NAME_PARTICLES
from evidence_kb.model.vocab import Kind

__all__ = [
    "EppiTables",
    "author_name",
    "eppi_counts",
    "kept_fields",
    "quote_text",
    "records_from_eppi",
    "reference_fields",
    "statement_of",
    "text_of",
]

CARRY = "EvidenceKB"  # the key under which the writer keeps each object's own record
NOTE_PREFIX = "eppi: "  # the last line of a record's notes: the EPPI fields it has no place for
CHARTING = "evidence_kb charting"
_QUOTE = re.compile(r'^Page (\d+):\n\[¬s\]"(.*)\[¬e\]"$', re.DOTALL)
_TYPES = {  # EPPI-Reviewer TypeName -> entry_type
    "journal, article": "article",
    "article in a periodical": "article",
    "book, whole": "book",
    "book, chapter": "incollection",
    "conference proceedings": "inproceedings",
    "report": "report",
    "dissertation": "phdthesis",
}


@dataclass
class EppiTables:
    """The records read from one EPPI export, and every problem met."""

    elements: list[Element] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    carried: dict[str, Any] = field(default_factory=dict)  # the optional tables, when ours
    items: dict[int, str] = field(default_factory=dict)  # ItemId -> where it was met first

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class _Code:
    element_id: str
    name: str
    set_index: int
    screening: bool = False
    include: bool = False
    exclude: bool = False


# -- notes --------------------------------------------------------------------------------


def _note(text: str, kept: dict[str, Any]) -> str:
    """Human text, then the EPPI fields kept (one JSON line)."""
    line = NOTE_PREFIX + json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
    return f"{text.strip()}\n{line}" if text and text.strip() else line


def kept_fields(notes: str) -> dict[str, Any]:
    """The EPPI fields kept on the last line of ``notes`` (empty when there are none).

    Examples
    --------
    >>> kept_fields('a code\\neppi: {"AttributeId": 7}')
    {'AttributeId': 7}
    """
    last = notes.rpartition("\n")[2]
    if not last.startswith(NOTE_PREFIX):
        return {}
    try:
        kept = json.loads(last[len(NOTE_PREFIX) :])
    except json.JSONDecodeError:
        return {}
    return kept if isinstance(kept, dict) else {}


# -- reading ------------------------------------------------------------------------------


def quote_text(text: str) -> tuple[str, int | None]:
    """The words of a coded quote without EPPI's PDF markers, and its page (``None``: not a PDF).

    Examples
    --------
    >>> quote_text('Page 4:\\n[¬s]"26%[¬e]"')
    ('26%', 4)
    >>> quote_text("plain coded text")
    ('plain coded text', None)
    """
    match = _QUOTE.match(text)
    if match is None:
        return text, None
    return match.group(2).replace('"\n"', "\n"), int(match.group(1))


def author_name(text: str) -> str:
    """An EPPI-Reviewer author (``Family Given Middle``, no comma) as ``Family, Given Middle``.

    A name with a comma is kept; particles (van, de, von, ...) stay with the family name.

    Examples
    --------
    >>> author_name("Albright Cheryl L"), author_name("van der Berg Jan ")
    ('Albright, Cheryl L', 'van der Berg, Jan')
    >>> author_name("World Health Organization,"), author_name("Smith")
    ('World Health Organization,', 'Smith')
    """
    words = text.split()
    if "," in text or len(words) < 2:
        return " ".join(words)
    n = 1
    while n < len(words) - 1 and words[n - 1].lower() in NAME_PARTICLES:
        n += 1
    return f"{' '.join(words[:n])}, {' '.join(words[n:])}"


def statement_of(code: dict[str, Any], name: str) -> str:
    """The statement of a finding read from a code assignment: its quotes, or its additional
    text, or (with neither) the code's ``name``."""
    quotes = code.get("ItemAttributeFullTextDetails") or []
    texts = [quote_text(text_of(q.get("Text")))[0].strip() for q in quotes]
    return "\n\n".join(t for t in texts if t) or text_of(code.get("AdditionalText")).strip() or name


def eppi_counts(doc: dict[str, Any]) -> dict[str, int]:
    """How many code sets, codes, references, code assignments and coded quotes ``doc`` holds.

    Examples
    --------
    >>> eppi_counts({"CodeSets": [], "References": [{"ItemId": 1, "Codes": []}]})["references"]
    1
    """
    sets = doc.get("CodeSets") or []
    items = doc.get("References") or []
    assignments = [c for item in items for c in item.get("Codes") or []]
    return {
        "code_sets": len(sets),
        "codes": sum(len(_walk(s, "")) for s in sets),
        "references": len(items),
        "code_assignments": len(assignments),
        "quotes": sum(len(c.get("ItemAttributeFullTextDetails") or []) for c in assignments),
    }


def text_of(value: Any) -> str:
    """An EPPI text field as a string (``null`` as empty)."""
    return "" if value is None else str(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-._") or "eppi"


def records_from_eppi(
    doc: dict[str, Any], *, file: str, review_id: str | None = None, kind: Kind = Kind.OUTCOME
) -> EppiTables:
    """The knowledge-base records of an EPPI-Reviewer export (see the module docstring).

    Parameters
    ----------
    doc
        The parsed export (checked against the schema by :mod:`evidence_kb.io.eppi`).
    file
        The file's name, for sources and problems.
    review_id
        The id of the review the findings belong to; by default made from ``file``.
    kind
        The kind of every finding (EPPI-Reviewer codes have none).
    """
    out = EppiTables()
    review = review_id or _slug(file.rsplit(".", 1)[0])
    codes: dict[int, _Code] = {}
    charting: set[int] = set()
    for index, code_set in enumerate(doc.get("CodeSets") or []):
        _read_code_set(code_set, index, file, codes, charting, out)
    findings: dict[str, Finding] = {}
    screened: dict[int, list[_Code]] = {}
    for index, item in enumerate(doc.get("References") or []):
        _read_item(item, index, file, review, kind, codes, charting, findings, screened, out)
    out.findings = list(findings.values())
    _check_accounted(doc, file, out, screened)
    carried = doc.get(CARRY)
    if isinstance(carried, dict) and isinstance(carried.get("finding_order"), list):
        order = {finding_id: i for i, finding_id in enumerate(carried["finding_order"])}
        out.findings.sort(key=lambda f: order.get(f.finding_id, len(order)))
    if not out.reviews:
        out.reviews.append(_review(review, file, doc, screened))
    if isinstance(carried, dict):
        out.carried = carried
    return out


def _check_accounted(
    doc: dict[str, Any], file: str, out: EppiTables, screened: dict[int, list[_Code]]
) -> None:
    """Compare the code assignments of the file with what was made of them (a guard)."""
    if doc.get(CARRY):
        return  # a file this package wrote: its charting codes are made again, not read
    held = eppi_counts(doc)["code_assignments"]
    kept = sum(len(kept_fields(r.note).get("Codes") or []) for r in out.references)
    made = len(out.findings) + kept
    if made != held and not out.errors:
        msg = f"{held} code assignments in the file, {made} read (findings and kept codes)"
        out.problems.append(Problem(file, None, "Codes", None, msg))


def _record(model: type[Any], data: Any, file: str, where: str, out: EppiTables) -> Any:
    """``model(**data)``, or ``None`` with a problem naming the item and field."""
    try:
        return model(**data)
    except (ValidationError, TypeError) as err:
        details = (
            err.errors() if isinstance(err, ValidationError) else [{"loc": (), "msg": str(err)}]
        )
        for e in details:
            column = ".".join(map(str, e["loc"])) or None
            out.problems.append(Problem(file, None, column, None, f"{where}: {e['msg']}"))
        return None


def _read_code_set(
    code_set: dict[str, Any],
    index: int,
    file: str,
    codes: dict[int, _Code],
    charting: set[int],
    out: EppiTables,
) -> None:
    where = f"CodeSets[{index}] (SetId {code_set['SetId']})"
    own = code_set.get(CARRY) or {}
    if own.get("charting"):
        for code in _walk(code_set, f"CodeSets[{index}]"):
            charting.add(code[0]["AttributeId"])
            if "review" in (code[0].get(CARRY) or {}):
                review = _record(Review, code[0][CARRY]["review"], file, where, out)
                if review is not None:
                    out.reviews.append(review)
        return
    set_type = text_of((code_set.get("SetType") or {}).get("SetTypeName"))
    screening = set_type.lower() == "screening"
    framework = f"eppi-{code_set['SetId']}"
    kept = {k: v for k, v in code_set.items() if k not in (CARRY, "Attributes")}
    if "Attributes" in code_set:
        kept["Attributes"] = {**(code_set["Attributes"] or {}), "AttributesList": []}
    data = own.get("element") or {
        "element_id": framework,
        "framework": framework,
        "level": "framework",
        "label_nl": text_of(code_set["SetName"]).strip() or f"code set {code_set['SetId']}",
        "order": index + 1,
        "source": f"{file} {where}",
        "notes": _note(text_of(code_set.get("SetDescription")), kept),
    }
    element = _record(Element, data, file, where, out)
    if element is None:
        return
    out.elements.append(element)
    for attribute, path, parent in _walk(code_set, f"CodeSets[{index}]", element.element_id):
        _read_attribute(
            attribute, path, parent, element.framework, index, screening, file, codes, out
        )


def _walk(
    node: dict[str, Any], path: str, parent: str = ""
) -> list[tuple[dict[str, Any], str, str]]:
    """Every code under ``node``, depth first: (code, its place in the file, its parent's id)."""
    found = []
    children = (node.get("Attributes") or {}).get("AttributesList") or []
    for i, child in enumerate(children):
        here = f"{path}.Attributes.AttributesList[{i}]"
        found.append((child, here, parent))
        child_id = f"{parent.split('/')[0]}/{child['AttributeId']}" if parent else ""
        found += _walk(child, here, child_id)
    return found


def _read_attribute(
    attribute: dict[str, Any],
    path: str,
    parent: str,
    framework: str,
    set_index: int,
    screening: bool,
    file: str,
    codes: dict[int, _Code],
    out: EppiTables,
) -> None:
    attribute_id = attribute["AttributeId"]
    where = f"{path} (AttributeId {attribute_id})"
    if attribute_id in codes:
        msg = f"{where}: AttributeId {attribute_id} is used by another code too; ids must be unique"
        out.problems.append(Problem(file, None, "AttributeId", str(attribute_id), msg))
        return
    kept = {k: v for k, v in attribute.items() if k not in (CARRY, "Attributes")}
    if "Attributes" in attribute:
        kept["Attributes"] = {**(attribute["Attributes"] or {}), "AttributesList": []}
    data = (attribute.get(CARRY) or {}).get("element") or {
        "element_id": f"{framework}/{attribute_id}",
        "framework": framework,
        "parent": parent,
        "level": "code",
        "label_nl": text_of(attribute["AttributeName"]).strip() or f"code {attribute_id}",
        "order": int(path.rsplit("[", 1)[1].rstrip("]")) + 1,  # its place among its siblings
        "source": f"{file} {path}",
        "notes": _note(text_of(attribute.get("AttributeSetDescription")), kept),
    }
    element = _record(Element, data, file, where, out)
    if element is None:
        return
    out.elements.append(element)
    kind = text_of(attribute.get("AttributeType")).lower()
    include, exclude = kind.startswith("include"), kind.startswith("exclude")
    codes[attribute_id] = _Code(
        element.element_id,
        element.label_nl,
        set_index,
        screening or include or exclude,
        include,
        exclude,
    )


def _read_item(
    item: dict[str, Any],
    index: int,
    file: str,
    review: str,
    kind: Kind,
    codes: dict[int, _Code],
    charting: set[int],
    findings: dict[str, Finding],
    screened: dict[int, list[_Code]],
    out: EppiTables,
) -> None:
    item_id = item["ItemId"]
    where = f"References[{index}] (ItemId {item_id})"
    if item_id in out.items:
        msg = f"{where}: ItemId {item_id} is also {out.items[item_id]}; item ids must be unique"
        out.problems.append(Problem(file, None, "ItemId", str(item_id), msg))
        return
    out.items[item_id] = f"References[{index}]"
    own = item.get(CARRY) or {}
    kept_codes: list[dict[str, Any]] = []
    key = own.get("reference", {}).get("key") or f"eppi-{item_id}"
    for j, code in enumerate(item.get("Codes") or []):
        attribute_id = code["AttributeId"]
        place = f"{where}, Codes[{j}]"
        if CARRY in code:  # a finding this package wrote: its record, once
            finding = _record(Finding, code[CARRY]["finding"], file, place, out)
            if finding is not None:
                findings.setdefault(finding.finding_id, finding)
        elif attribute_id in charting:
            continue  # the charting codes a writer applied: made again from the findings
        elif attribute_id not in codes:
            msg = (
                f"{place}: code {attribute_id} is in no code set of the export; "
                "kept in the reference's note"
            )
            out.problems.append(
                Problem(file, None, "AttributeId", str(attribute_id), msg, "warning")
            )
            kept_codes.append(code)
        elif codes[attribute_id].screening:
            screened.setdefault(item_id, []).append(codes[attribute_id])
            kept_codes.append(code)
        else:
            finding = _finding(item, code, codes[attribute_id], review, kind, key, place)
            finding = _record(Finding, finding, file, place, out)
            if finding is not None:
                base, n = finding.finding_id, 2
                while finding.finding_id in findings:
                    finding = finding.model_copy(update={"finding_id": f"{base}-{n}"})
                    n += 1
                findings[finding.finding_id] = finding
    if own.get("review_item"):
        return
    if item.get("Outcomes"):
        msg = (
            f"{where}: {len(item['Outcomes'])} outcome(s) (effect sizes) kept in the "
            "reference's note; the knowledge base has no table for them"
        )
        out.problems.append(Problem(file, None, "Outcomes", None, msg, "warning"))
    data = own.get("reference") or reference_fields(item, key, file, where, kept_codes)
    reference = _record(Reference, data, file, where, out)
    if reference is not None:
        out.references.append(reference)


def reference_fields(
    item: dict[str, Any], key: str, file: str, where: str, kept_codes: list[dict[str, Any]]
) -> dict[str, Any]:
    """The fields of the :class:`Reference` of an EPPI item (``kept_codes``: the codes of the
    item that are no finding, kept in its note with its other EPPI fields)."""
    kept = {k: v for k, v in item.items() if k not in (CARRY, "Codes")}
    if "Codes" in item:
        kept["Codes"] = kept_codes
    year = text_of(item.get("Year")).strip()
    authors = [author_name(a) for a in text_of(item.get("Authors")).split(";") if a.strip()]
    return {
        "key": key,
        "entry_type": _TYPES.get(text_of(item.get("TypeName")).strip().lower(), "misc"),
        "authors": tuple(authors),
        "year": int(year) if year.isdigit() else None,
        "title": text_of(item.get("Title")).strip(),
        "container": text_of(item.get("ParentTitle")).strip(),
        "volume": text_of(item.get("Volume")).strip(),
        "issue": text_of(item.get("Issue")).strip(),
        "pages": text_of(item.get("Pages")).strip(),
        "doi": text_of(item.get("DOI")).strip().lower(),
        "url": text_of(item.get("URL")).strip(),
        "publisher": text_of(item.get("Publisher")).strip(),
        "source": f"{file} {where}",
        "note": _note("", kept),
    }


def _finding(
    item: dict[str, Any],
    code: dict[str, Any],
    target: _Code,
    review: str,
    kind: Kind,
    key: str,
    place: str,
) -> dict[str, Any]:
    quotes = code.get("ItemAttributeFullTextDetails") or []
    texts = [quote_text(text_of(q.get("Text")))[0].strip() for q in quotes]
    extra = text_of(code.get("AdditionalText")).strip()
    statement = statement_of(code, target.name)
    sources = [_quote_source(q) for q in quotes]
    label = text_of(item.get("ShortTitle")).strip() or text_of(item.get("Title")).strip()
    source = "; ".join(dict.fromkeys(sources)) or f"{label or 'item'} (EPPI item {item['ItemId']})"
    said = [f"{place}: code {target.name!r}"]
    if text_of(code.get("ArmTitle")).strip():
        said.append(f"arm {code['ArmTitle'].strip()!r}")
    if extra and (texts and any(texts)):
        said.append(f"additional text: {extra}")
    if not extra and not any(texts):
        said.append("no quote or additional text: the statement is the code's name")
    arm = f"-arm{code['ArmId']}" if code.get("ArmId") else ""
    return {
        "finding_id": f"eppi-{item['ItemId']}-{code['AttributeId']}{arm}",
        "review": review,
        "element": target.element_id,
        "kind": kind,
        "statement": statement,
        "citation": label,
        "reference_keys": (key,),
        "source": source,
        "notes": _note("; ".join(said), code),
    }


def _quote_source(quote: dict[str, Any]) -> str:
    number = quote.get("ItemDocumentId")
    unnamed = "an unnamed document" if number is None else f"document {number}"
    document = text_of(quote.get("DocTitle")).strip() or unnamed
    _, page = quote_text(text_of(quote.get("Text")))
    if page is not None:
        return f"{document}, page {page}"
    if quote.get("TextFrom") or quote.get("TextTo"):
        return f"{document}, characters {quote.get('TextFrom')}-{quote.get('TextTo')}"
    return document


def _review(
    review_id: str, file: str, doc: dict[str, Any], screened: dict[int, list[_Code]]
) -> Review:
    counts = Counter(code.name for item_codes in screened.values() for code in item_codes)
    included = sum(
        1
        for item_codes in screened.values()
        if any(c.include for c in item_codes) and not any(c.exclude for c in item_codes)
    )
    notes = "; ".join(f"{name}: {n}" for name, n in sorted(counts.items()))
    held = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in eppi_counts(doc).items())
    return Review(
        review_id=review_id,
        title=file.rsplit(".", 1)[0],
        records_screened=len(screened) if screened else None,
        records_included=included if screened else None,
        source=file,
        notes=f"EPPI-Reviewer export: {held}" + (f"; screening codes: {notes}" if notes else ""),
    )
