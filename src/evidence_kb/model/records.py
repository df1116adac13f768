"""Pydantic models of the knowledge-base records: Finding, Element, Review and Reference.

The models accept the cells of the CSV files as they are (empty string for "nothing",
``;``-separated lists) and turn them into typed values; ``model_dump`` gives them back.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from evidence_kb.model.vocab import LIST_SEPARATOR, Direction, Kind, Side

# Where a finding of a seeded review is printed: "<seed> <table or section>, line <n>[, item <k>]".
# Checked by :func:`evidence_kb.model.validate.check_findings` for the findings of a review whose
# ``source`` in reviews.csv names a seed document (SEED_PATTERN); other reviews write free text.
SOURCE_PATTERN = re.compile(r"^\d{3} .+, line \d+(-\d+)?(, item \d+)?$")
SEED_PATTERN = re.compile(r"^(\d{3})\b")
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _language_code(value: Any) -> Any:
    """A language as written (``"EN"``, ``" nl "``) as its code; empty is ``None`` (Dutch)."""
    value = _empty_to_none(value)
    return value.strip().casefold() if isinstance(value, str) else value


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(filter(None, map(str.strip, value.split(LIST_SEPARATOR))))
    return value


def _to_int(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if re.fullmatch(r"\d+", value):
            return int(value)
    return value


OptionalStr = Annotated[str | None, BeforeValidator(_empty_to_none)]
KeyList = Annotated[tuple[str, ...], BeforeValidator(_split_list)]
OptionalInt = Annotated[int | None, BeforeValidator(_to_int)]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Finding(_Record):
    """One finding: a statement from a review about an element of a framework.

    Examples
    --------
    >>> f = Finding(
    ...     finding_id="wi-001",
    ...     review="werk-inkomen-2023",
    ...     element="liso/synergie",
    ...     kind="factor",
    ...     direction="",
    ...     statement="Vertrouwen helpt.",
    ...     citation="Tosun, 2017",
    ...     reference_keys="tosun2017",
    ...     source="001 Tabel 1, line 97",
    ... )
    >>> f.direction is None, f.reference_keys
    (True, ('tosun2017',))
    """

    finding_id: str = Field(pattern=ID_PATTERN)
    review: str = Field(min_length=1)
    element: str = ""
    theme: str = ""
    topic: str = ""
    kind: Kind
    direction: Annotated[Direction | None, BeforeValidator(_empty_to_none)] = None
    side: Annotated[Side | None, BeforeValidator(_empty_to_none)] = None
    statement: str = Field(min_length=1)
    citation: str = ""
    paradigm: str = ""
    reference_keys: KeyList = ()
    source: str = Field(min_length=1)  # where a reader finds it; see SOURCE_PATTERN
    notes: str = ""
    # the statement as printed, where the print has more than ``statement`` and ``citation``
    # say: ``<i>``/``<sup>`` markup for emphasis and superscript numbers in their printed place
    printed: str = ""


class Element(_Record):
    """A node of a framework: the framework itself, a core element, theme, level or condition.

    It needs a label in at least one language: without ``label_nl``, ``label_en`` is used as
    the label (an English framework leaves ``label_nl`` empty or out).
    """

    element_id: str = Field(pattern=r"^[a-z0-9][a-z0-9/_.-]*$")
    framework: str = Field(min_length=1)
    parent: str = ""
    level: str = Field(min_length=1)
    label_nl: str = Field(min_length=1)
    label_en: str = ""
    aliases: KeyList = ()
    order: OptionalInt = None
    source: str = ""
    notes: str = ""

    @model_validator(mode="before")
    @classmethod
    def _label_in_either_language(cls, values: Any) -> Any:
        """Without a Dutch label the English one is the label (``label_nl``)."""
        if isinstance(values, dict) and not str(values.get("label_nl") or "").strip():
            values = {**values, "label_nl": str(values.get("label_en") or "")}
        return values


class Review(_Record):
    """A review (factsheet) with its question and its reported search and selection counts."""

    review_id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    authors: str = ""
    year: OptionalInt = None
    publisher: str = ""
    domain: str = ""
    research_question: str = ""
    databases: str = ""
    records_identified: OptionalInt = None
    records_screened: OptionalInt = None
    records_full_text: OptionalInt = None
    records_included: OptionalInt = None
    records_added: OptionalInt = None
    source: str = ""
    notes: str = ""
    language: Annotated[Literal["nl", "en"] | None, BeforeValidator(_language_code)] = None


class Reference(_Record):
    """A bibliographic reference, as read from BibTeX (or any other reader)."""

    key: str = Field(min_length=1)
    entry_type: str = "misc"
    authors: tuple[str, ...] = ()
    year: OptionalInt = None
    year_suffix: str = ""
    title: str = ""
    container: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    publisher: str = ""
    editor: str = ""  # the editors of the book a chapter is in, as printed ("J. Wilson")
    ids: tuple[str, ...] = ()  # other keys of the same work (biblatex "ids")
    # entries of the same work printed apart under another first author or title (biblatex
    # "related"): both stay, so that a citation of either form resolves
    related: tuple[str, ...] = ()
    source: str = ""  # where the printed reference is, e.g. "003 Bronnen, line 12"
    note: str = ""
    abstract: str = ""


# The one list of reference fields. Identity (``key``, ``ids``, ``related``, and the
# ``year_suffix`` that tells two works of one author and year apart) and provenance (``source``,
# ``note``) are not bibliographic data, so they stay out; the readers give the year's letter in
# a column of its own (:data:`~evidence_kb.io.fields.REFERENCE_COLUMNS`).
_NOT_BIBLIOGRAPHIC = frozenset({"key", "year_suffix", "ids", "related", "source", "note"})

#: The bibliographic fields of a :class:`Reference`, in order: what every reference reader
#: fills (the middle of :data:`~evidence_kb.io.fields.REFERENCE_COLUMNS`) and every writer writes.
REFERENCE_FIELDS = tuple(name for name in Reference.model_fields if name not in _NOT_BIBLIOGRAPHIC)

#: The BibTeX field of each :class:`Reference` attribute whose name differs, as written to and
#: reported in ``references.bib`` (``container`` is written as ``booktitle`` for a chapter or
#: conference paper and as ``howpublished`` for what is neither an article nor those).
BIBTEX_NAMES = {
    "authors": "author",
    "year_suffix": "yearsuffix",
    "container": "journal",
    "issue": "number",
}


def container_field(entry_type: str) -> str:
    """The BibTeX field a reference's ``container`` is written as, for its entry type.

    Examples
    --------
    >>> container_field("article"), container_field("incollection"), container_field("book")
    ('journal', 'booktitle', 'howpublished')
    """
    if entry_type == "article":
        return "journal"
    return "booktitle" if entry_type in ("incollection", "inproceedings") else "howpublished"


#: The fields of :data:`REFERENCE_FIELDS` that are plain text, copied from one format to another
#: as they are (``entry_type``, ``authors``, ``editor`` and ``year`` are mapped or parsed: the
#: editors are names, a list in RIS and CSL-JSON).
REFERENCE_TEXT_FIELDS = tuple(
    name for name in REFERENCE_FIELDS if name not in ("entry_type", "authors", "year", "editor")
)
