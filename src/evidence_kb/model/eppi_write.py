"""From the knowledge base's records to an EPPI-Reviewer JSON export (the reverse of
:mod:`evidence_kb.model.eppi`).

Frameworks become code sets, elements codes, references
items, findings coded quotes (``Text`` the statement, ``DocTitle`` the source) on every
reference they cite (or on an item standing for their review when they cite none). An
``evidence_kb charting`` code set holds the reviews and the charting fields of the findings
(:data:`CHARTED_FIELDS`) as codes, applied to the items, so EPPI-Mapper can draw them. Every
object also carries the knowledge-base record it was made from under ``EvidenceKB``
(a key EPPI's readers are expected to skip; ``write_eppi(carry=False)`` leaves it out), so
that reading the file back gives the same knowledge base.

A record read from EPPI (its EPPI fields kept on the last line of its notes) is written back as
it was read, but for the fields changed in the knowledge base since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from evidence_kb.model.eppi import (
    CARRY,
    CHARTING,
    kept_fields,
    reference_fields,
    statement_of,
    text_of,
)
from evidence_kb.model.records import Element, Finding, Reference, Review
from evidence_kb.model.tree import ElementTree

if TYPE_CHECKING:
    from evidence_kb.model.data import KBData

__all__ = ["CHARTED_FIELDS", "eppi_from_records"]

_TYPE_NAMES = {
    "article": "Journal, Article",
    "book": "Book, Whole",
    "incollection": "Book, Chapter",
    "inproceedings": "Conference Proceedings",
    "report": "Report",
    "phdthesis": "Dissertation",
}

_STANDARD = {"SetTypeName": "Standard", "SetTypeDescription": ""}


class _Ids:
    """New EPPI ids, above every id a record read from EPPI keeps."""

    def __init__(self, taken: list[int]) -> None:
        self.next = max(taken, default=0) + 1

    def new(self) -> int:
        self.next += 1
        return self.next - 1


def eppi_from_records(kb: KBData) -> dict[str, Any]:
    """An EPPI-Reviewer export (a dict) of the knowledge base (see the module docstring)."""
    kept = {e.element_id: kept_fields(e.notes) for e in kb.element_records}
    refs_kept = {r.key: kept_fields(r.note) for r in kb.reference_records}
    taken = [d.get(k) for d in kept.values() for k in ("SetId", "AttributeId", "AttributeSetId")]
    taken += [d.get("ItemId") for d in refs_kept.values()]
    ids = _Ids([t for t in taken if isinstance(t, int)])
    labels = {e.element_id: e.label_nl for e in kb.element_records}
    attribute_of: dict[str, int] = {}
    tree = ElementTree.from_records(kb.element_records)
    by_id = {e.element_id: e for e in kb.element_records}

    def below(element_id: str) -> list[Element]:  # the codes under a code set or code, in order
        return _ordered([by_id[c] for c in tree.children(element_id)])

    code_sets = [
        _code_set(e, below, kept, ids, attribute_of)
        for e in _ordered([e for e in kb.element_records if e.level == "framework"])
    ]
    charting, chart_ids = _charting_set(kb, ids)
    code_sets.append(charting)
    items: dict[str, dict[str, Any]] = {}
    for ref in kb.reference_records:
        items[ref.key] = _item(ref, refs_kept[ref.key], ids)
    for review in kb.review_records:
        items[f"review:{review.review_id}"] = _review_item(review, ids)
    documents: dict[tuple[int, str], int] = {}
    charted: dict[str, set[int]] = defaultdict(set)
    for finding in kb.finding_records:
        targets = [k for k in finding.reference_keys if k in items] or [f"review:{finding.review}"]
        attribute = attribute_of.get(finding.element) or chart_ids[f"review:{finding.review}"]
        for target in dict.fromkeys(targets):
            item = items[target]
            label = labels.get(finding.element, "")
            item["Codes"].append(_coded(finding, attribute, label, item["ItemId"], documents, ids))
            charted[target] |= {chart_ids[c] for c in _charted(finding)}
    for target, attribute_ids in charted.items():
        items[target]["Codes"] += [_plain_code(a) for a in sorted(attribute_ids)]
    references = [i for i in items.values() if i["Codes"] or "review_item" not in i[CARRY]]
    return {"CodeSets": code_sets, "References": references, CARRY: _carried(kb)}


def _ordered(elements: list[Element]) -> list[Element]:
    return sorted(elements, key=lambda e: (e.order is None, e.order or 0, e.element_id))


def _code_set(
    framework: Element,
    below: Callable[[str], list[Element]],
    kept: dict[str, dict[str, Any]],
    ids: _Ids,
    attribute_of: dict[str, int],
) -> dict[str, Any]:
    base = dict(kept[framework.element_id])
    set_id = base.get("SetId") or ids.new()
    was = text_of(base.get("SetName")).strip() or f"code set {set_id}"
    code_set = dict(base) or {"SetDescription": framework.label_en, "SetType": _STANDARD}
    code_set["SetId"] = set_id
    if not base or was != framework.label_nl:
        code_set["SetName"] = framework.label_nl
    tree = [_attribute(e, below, kept, ids, attribute_of) for e in below(framework.element_id)]
    if tree or "Attributes" in base:
        code_set["Attributes"] = {**base.get("Attributes", {}), "AttributesList": tree}
    code_set[CARRY] = {"element": framework.model_dump(mode="json")}
    return code_set


def _attribute(
    element: Element,
    below: Callable[[str], list[Element]],
    kept: dict[str, dict[str, Any]],
    ids: _Ids,
    attribute_of: dict[str, int],
) -> dict[str, Any]:
    base = dict(kept[element.element_id])
    attribute_id = base.get("AttributeId") or ids.new()
    attribute_of[element.element_id] = attribute_id
    attribute = dict(base) or _plain_attribute(
        attribute_id, element.label_nl, element.label_en, ids
    )
    attribute["AttributeId"] = attribute_id
    was = text_of(base.get("AttributeName")).strip() or f"code {attribute_id}"
    if not base or was != element.label_nl:
        attribute["AttributeName"] = element.label_nl
    codes = [_attribute(c, below, kept, ids, attribute_of) for c in below(element.element_id)]
    if codes or "Attributes" in base:
        attribute["Attributes"] = {**base.get("Attributes", {}), "AttributesList": codes}
    attribute[CARRY] = {"element": element.model_dump(mode="json")}
    return attribute


# the charting fields of a finding written as codes (besides its review): EPPI-Mapper's filters
CHARTED_FIELDS = ("kind", "direction", "side", "paradigm", "theme", "topic")


def _charted(finding: Finding) -> list[str]:
    """The charting codes of a finding (``field:value``), its review's first."""
    found = [f"review:{finding.review}"]
    for name in CHARTED_FIELDS:
        value = getattr(finding, name)
        if value:
            found.append(f"{name}:{getattr(value, 'value', value)}")
    return found


def _charting_set(kb: KBData, ids: _Ids) -> tuple[dict[str, Any], dict[str, int]]:
    """The code set of reviews and charting fields, and the id of each of its codes."""
    labels = {e.element_id: e.label_nl for e in kb.element_records}
    chart_ids: dict[str, int] = {}
    groups = []
    values: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
        "review": [
            (r.review_id, r.title, {"review": r.model_dump(mode="json")}) for r in kb.review_records
        ],
    }
    present = sorted({c for f in kb.finding_records for c in _charted(f)[1:]})
    for name in CHARTED_FIELDS:
        found = [c.split(":", 1)[1] for c in present if c.startswith(f"{name}:")]
        values[name] = [(v, labels.get(v, v), {}) for v in found]  # a theme is an element
    for group, entries in values.items():
        if not entries:
            continue
        codes = []
        for value, name, carry in entries:
            chart_ids[f"{group}:{value}"] = ids.new()
            code = _plain_attribute(chart_ids[f"{group}:{value}"], name, value, ids)
            code[CARRY] = carry
            codes.append(code)
        head = _plain_attribute(ids.new(), group.capitalize(), "", ids)
        head["AttributeType"] = "Not selectable (no checkbox)"
        head["Attributes"] = {"AttributesList": codes}
        groups.append(head)
    code_set = {
        "SetName": CHARTING,
        "SetId": ids.new(),
        "SetDescription": "The reviews and the charting fields of the findings (kind, direction, "
        "side, paradigm, theme, topic), from evidence_kb",
        "SetType": _STANDARD,
        "Attributes": {"AttributesList": groups},
        CARRY: {"charting": True},
    }
    return code_set, chart_ids


def _plain_attribute(attribute_id: int, name: str, description: str, ids: _Ids) -> dict[str, Any]:
    return {
        "AttributeSetId": ids.new(),
        "AttributeId": attribute_id,
        "AttributeName": name,
        "AttributeSetDescription": description,
        "AttributeType": "Selectable (show checkbox)",
        "AttributeTypeId": 2,
        "AttributeDescription": "",
        "OriginalAttributeID": 0,
        "ExtURL": "",
        "ExtType": "",
    }


def _plain_code(attribute_id: int) -> dict[str, Any]:
    return {
        "AttributeId": attribute_id,
        "AdditionalText": "",
        "ArmId": 0,
        "ArmTitle": "",
        "ItemAttributeFullTextDetails": [],
    }


# Reference field -> the EPPI field it is written to
_ITEM_FIELDS = {
    "title": "Title",
    "container": "ParentTitle",
    "authors": "Authors",
    "year": "Year",
    "entry_type": "TypeName",
    "volume": "Volume",
    "issue": "Issue",
    "pages": "Pages",
    "doi": "DOI",
    "url": "URL",
    "publisher": "Publisher",
}


# the fields every EPPI item has, which a reference of the knowledge base leaves empty
_EMPTY_ITEM_FIELDS = (
    "Month",
    "StandardNumber",
    "City",
    "Country",
    "Institution",
    "Edition",
    "Availability",
    "Comments",
    "ParentAuthors",
    "Keywords",
)


def _item(ref: Reference, base: dict[str, Any], ids: _Ids) -> dict[str, Any]:
    """The EPPI item of a reference. One read from EPPI keeps its fields as they were, but for
    those changed in the knowledge base since."""
    first = ref.authors[0].split(",")[0].strip() if ref.authors else ""
    fresh: dict[str, Any] = {
        "Title": ref.title,
        "ParentTitle": ref.container,
        "ShortTitle": f"{first} ({ref.year or 'n.d.'})",
        "Authors": "".join(f"{' '.join(a.replace(',', ' ', 1).split())}; " for a in ref.authors),
        "Year": "" if ref.year is None else str(ref.year),
        "TypeName": _TYPE_NAMES.get(ref.entry_type, "Generic"),
        "Volume": ref.volume,
        "Issue": ref.issue,
        "Pages": ref.pages,
        "DOI": ref.doi,
        "URL": ref.url,
        "Publisher": ref.publisher,
        "OldItemId": ref.key,
        "Abstract": "",
        **dict.fromkeys(_EMPTY_ITEM_FIELDS, ""),
        "ItemStatus": "I",
        "ItemStatusTooltip": "Included in review",
    }
    if not base:
        item = {"ItemId": ids.new(), **fresh}
    else:  # as read, but for the fields changed since
        item = dict(base)
        was = reference_fields(base, ref.key, "", "", [])
        for name, eppi_name in _ITEM_FIELDS.items():
            if getattr(ref, name) != was[name] and not (
                name == "authors" and ref.authors == tuple(was[name])
            ):
                item[eppi_name] = fresh[eppi_name]
    item["Codes"] = list(base.get("Codes", []))
    item[CARRY] = {"reference": ref.model_dump(mode="json")}
    return item


def _review_item(review: Review, ids: _Ids) -> dict[str, Any]:
    return {
        "ItemId": ids.new(),
        "Title": review.title,
        "ShortTitle": review.review_id,
        "Authors": review.authors,
        "Year": "" if review.year is None else str(review.year),
        "TypeName": "Report",
        "Publisher": review.publisher,
        "Abstract": review.research_question,
        "Codes": [],
        CARRY: {"review_item": review.review_id},
    }


def _coded(
    finding: Finding,
    attribute: int,
    label: str,
    item_id: int,
    documents: dict[tuple[int, str], int],
    ids: _Ids,
) -> dict[str, Any]:
    """The code assignment of one finding on one item, with its statement as the coded quote.

    A finding read from EPPI whose statement is unchanged is written as it was read.
    """
    base = kept_fields(finding.notes)
    if base and statement_of(base, label) == finding.statement:
        return {
            **base,
            "AttributeId": attribute,
            CARRY: {"finding": finding.model_dump(mode="json")},
        }
    document = documents.setdefault((item_id, finding.source), ids.new())
    direction = f", {finding.direction.value}" if finding.direction else ""
    return {
        "AttributeId": attribute,
        "AdditionalText": f"{finding.finding_id}: {finding.kind.value}{direction}",
        "ArmId": 0,
        "ArmTitle": "",
        "ItemAttributeFullTextDetails": [
            {
                "ItemDocumentId": document,
                "TextFrom": 0,
                "TextTo": 0,  # where in the document is not known: DocTitle says it
                "Text": finding.statement,
                "IsFromPDF": False,
                "DocTitle": finding.source,
                "ItemArm": "",
            }
        ],
        CARRY: {"finding": finding.model_dump(mode="json")},
    }


def _carried(kb: KBData) -> dict[str, Any]:
    """The knowledge base's optional tables (crosswalk, concepts), which EPPI has no place for."""
    tables = {
        "crosswalk": kb.crosswalk_table,
        "concepts": kb.concept_table,
        "concept_tags": kb.concept_tag_table,
    }
    return {
        "version": 1,
        "finding_order": [f.finding_id for f in kb.finding_records],
        **{
            name: table.astype(object).where(table.notna(), None).to_dict(orient="records")
            for name, table in tables.items()
            if table is not None
        },
    }
