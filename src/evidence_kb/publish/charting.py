"""A table per charting field: how the charted sources (``studies.csv``) spread over its values.

For a field such as ``design`` or ``country`` (declared in ``charting.csv``), one row per value
in the order of the form: the number of studies with that value, the number of findings that
cite them, and the studies themselves as author-year citations, with the APA reference list
below. A list field counts a study under each of its values. Cited references that no row of
``studies.csv`` charts get a last row of their own, "(not charted)", so that nothing is left
out. The tables are named ``charting-<field>`` among the
:func:`~evidence_kb.publish.tables.table_names`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_kb.graph.queries.charting import charting_of
from evidence_kb.model.cells import cell_text
from evidence_kb.model.charting import NOT_CHARTED, Charting
from evidence_kb.model.i18n import Language, review_language, word
from evidence_kb.publish.apa import apa_reference, in_text_citation
from evidence_kb.publish.layout import Cell, Item, Layout, ReferenceEntry, Row

if TYPE_CHECKING:
    from evidence_kb.model.data import KBData

__all__ = ["charting_layout", "charting_layouts"]

PREFIX = "charting-"


def charting_layouts(kb: KBData, *, language: Language | None = None) -> dict[str, Layout]:
    """Return the table of every charting field, by name (``charting-<field>``); ``{}`` for a
    knowledge base without ``charting.csv``."""
    charting: Charting | None = getattr(kb, "charting", None)
    if charting is None:
        return {}
    return {
        f"{PREFIX}{f.name}": charting_layout(kb, f.name, language=language) for f in charting.fields
    }


def charting_layout(kb: KBData, field: str, *, language: Language | None = None) -> Layout:
    """Return the table of one charting field (see the module docstring).

    Parameters
    ----------
    kb
        The knowledge base (with ``charting.csv`` and ``studies.csv``).
    field
        A field of the charting form.
    language
        ``"nl"`` or ``"en"``; by default the reviews' language (``reviews.csv``), else Dutch.
    """
    charting = charting_of(kb)
    declared = charting.field(field)
    language = review_language(language, kb.reviews.to_dict("records"))
    references = {r["key"]: r for r in kb.references.to_dict("records")}
    cited_by = _cited_by(kb)
    values = charting.reference_values(field)
    rows, listed = [], set()
    for value in charting.value_order(field):
        keys = sorted(k for k, vs in values.items() if value in vs)
        rows.append(_row(value, keys, cited_by, references, language))
        listed.update(keys)
    uncharted = sorted(k for k in cited_by if k not in values and k in references)
    if uncharted:
        rows.append(_row(NOT_CHARTED, uncharted, cited_by, references, language))
        listed.update(uncharted)
    title = f"{word('charting', language)}: {field}"
    if declared.description:
        title += f" ({declared.description})"
    entries = sorted(
        (
            ReferenceEntry(
                None,
                key,
                in_text_citation(references[key], language=language),
                tuple(apa_reference(references[key], language=language)),
            )
            for key in listed
            if key in references
        ),
        key=lambda e: (e.apa.casefold(), e.key),
    )
    return Layout(
        name=f"{PREFIX}{field}",
        title=title,
        columns=(
            field,
            word("n_studies", language),
            word("n_findings", language),
            word("studies", language),
        ),
        rows=tuple(rows),
        widths=(20, 10, 10, 60),
        references=tuple(entries),
        references_title=word("references", language),
        language=language,
    )


def _cited_by(kb: KBData) -> dict[str, set[str]]:
    """``{reference key: {finding ids}}``: the findings that cite each reference."""
    cited: dict[str, set[str]] = {}
    for finding_id, keys in zip(
        kb.findings["finding_id"], kb.findings["reference_keys"], strict=True
    ):
        for key in cell_text(keys).split(";"):
            if key:
                cited.setdefault(key, set()).add(finding_id)
    return cited


def _row(
    value: str,
    keys: list[str],
    cited_by: dict[str, set[str]],
    references: dict[str, dict],
    language: Language,
) -> Row:
    findings = {f for k in keys for f in cited_by.get(k, set())}
    items = tuple(
        Item(in_text_citation(references[k], language=language) if k in references else k)
        for k in keys
    )
    return Row(
        (
            Cell(value, bold=True),
            Cell(str(len(keys))),
            Cell(str(len(findings))),
            Cell(items=items),
        )
    )
