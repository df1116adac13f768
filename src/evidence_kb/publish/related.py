"""What a reference list says after a work with notices: "Correction in ...", "Retracted in ...".

The notices come from the knowledge base's ``related.csv`` (``kb.related_table``): each row a
notice (erratum, retraction, ...) or another version (preprint, registry record) and the
reference it concerns. :func:`related_segments` gives the APA-style segments to append to the
work's reference, in Dutch or English, so that a reader of a factsheet or the report sees that a
cited work was corrected or retracted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from evidence_kb.model.cells import cell_text

if TYPE_CHECKING:
    from evidence_kb.model.data import KBData
    from evidence_kb.publish.layout import Language

__all__ = ["notices_by_work", "related_segments"]

# relation -> (Dutch, English) words that introduce the notice
_LABELS = {
    "retraction": ("Ingetrokken", "Retracted"),
    "concern": ("Uiting van zorg", "Expression of concern"),
    "erratum": ("Correctie", "Correction"),
    "reply": ("Reactie van de auteurs", "Authors' reply"),
    "comment": ("Commentaar", "Comment"),
    "preprint": ("Preprint", "Preprint"),
    "registration": ("Trialregistratie", "Trial registration"),
}
_ORDER = {relation: rank for rank, relation in enumerate(_LABELS)}


def notices_by_work(kb: KBData) -> dict[str, list[tuple[str, Mapping[str, Any]]]]:
    """``{work key: [(relation, notice reference), ...]}`` from ``kb.related_table``.

    Retractions come first, then concerns, errata, replies, comments and versions.
    """
    related = kb.related_table
    if related is None or related.empty:
        return {}
    refs = {r.key: r.model_dump() for r in kb.reference_records}
    found: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for row in related.itertuples(index=False):
        if row.work_id and row.id in refs:
            found.setdefault(row.work_id, []).append((row.relation, refs[row.id]))
    for notices in found.values():
        notices.sort(key=lambda n: (_ORDER.get(n[0], len(_ORDER)), cell_text(n[1].get("key"))))
    return found


def related_segments(
    notices: list[tuple[str, Mapping[str, Any]]], *, language: Language = "nl"
) -> list[tuple[str, bool]]:
    """``(text, italic)`` segments that follow a reference: one sentence per notice.

    Examples
    --------
    >>> notice = {
    ...     "container": "Brain Injury",
    ...     "volume": "27",
    ...     "issue": "3",
    ...     "pages": "377",
    ...     "year": 2013,
    ...     "doi": "",
    ... }
    >>> "".join(t for t, _ in related_segments([("erratum", notice)], language="en"))
    ' Correction in Brain Injury, 27(3), 377 (2013).'
    >>> "".join(t for t, _ in related_segments([("retraction", {"year": 2020})]))
    ' Ingetrokken (2020).'
    """
    parts: list[tuple[str, bool]] = []
    for relation, ref in notices:
        dutch, english = _LABELS.get(relation, (relation, relation))
        label = english if language == "en" else dutch
        get = {k: cell_text(ref.get(k)) for k in ("container", "volume", "issue", "pages", "doi")}
        year = cell_text(ref.get("year"))
        if get["container"]:
            parts.append((f" {label} in ", False))
            parts.append((get["container"], True))
            where = f", {get['volume']}" if get["volume"] else ""
            where += f"({get['issue']})" if get["issue"] else ""
            where += f", {get['pages']}" if get["pages"] else ""
            parts.append((where + (f" ({year})." if year else "."), False))
        else:
            parts.append((f" {label}" + (f" ({year})." if year else "."), False))
        if get["doi"]:
            parts.append((f" https://doi.org/{get['doi']}", False))
    return parts
