"""The closed vocabularies and the column names of the knowledge-base files.

Everything a researcher may need to look up ("which kinds are allowed?") lives here, in one
data-only module, re-exported by :mod:`evidence_kb`.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a finding is."""

    FACTOR = "factor"  # a promoting or hindering factor (bevorderend / belemmerend)
    WORKING_ELEMENT = "working_element"  # werkzaam element
    OUTCOME = "outcome"  # opbrengst / resultaat
    CONDITION = "condition"  # a stated condition for success
    RISK = "risk"  # a stated risk or pitfall
    OVERLAP = "overlap"  # overeenkomst between two frameworks
    DIFFERENCE = "difference"  # verschil between two frameworks
    RELATIONSHIP = "relationship"  # onderlinge relatie between two frameworks
    ADVICE = "advice"  # comment of an advisory group
    NO_EVIDENCE = "no_evidence"  # "Geen relevante informatie gevonden": an evidence gap


NOT_EVIDENCE_KINDS = frozenset({Kind.NO_EVIDENCE})
"""Kinds of finding that say nothing was found. They mark a gap and are never counted as
evidence: not in the gap map, its plot, the report's counts or a table's evidence columns."""


def counts_as_evidence(kind: str) -> bool:
    """Whether a finding of this ``kind`` counts as evidence (see :data:`NOT_EVIDENCE_KINDS`).

    Examples
    --------
    >>> counts_as_evidence("factor"), counts_as_evidence("no_evidence")
    (True, False)
    """
    return kind not in NOT_EVIDENCE_KINDS


class Direction(StrEnum):
    """Whether a factor helps or hinders (empty in the files when neither)."""

    PROMOTING = "promoting"  # bevorderend
    HINDERING = "hindering"  # belemmerend


# words a team may write for a direction, and the direction they mean (for "did you mean")
DIRECTION_WORDS = {
    "positive": "promoting",
    "facilitator": "promoting",
    "facilitating": "promoting",
    "facilitates": "promoting",
    "enabler": "promoting",
    "enabling": "promoting",
    "helps": "promoting",
    "bevorderend": "promoting",
    "bevorderend werkt": "promoting",
    "stimulerend": "promoting",
    "+": "promoting",
    "negative": "hindering",
    "barrier": "hindering",
    "obstacle": "hindering",
    "inhibitor": "hindering",
    "inhibiting": "hindering",
    "hinders": "hindering",
    "belemmerend": "hindering",
    "belemmerend werkt": "hindering",
    "remmend": "hindering",
    "-": "hindering",
}


class Side(StrEnum):
    """Which framework a comparison finding speaks for."""

    LEARNING_ORGANISATION = "learning_organisation"
    LEARNING_NETWORK = "learning_network"
    BOTH = "both"


FINDINGS_FILE = "findings.csv"
FRAMEWORKS_FILE = "frameworks.csv"
REVIEWS_FILE = "reviews.csv"
REFERENCES_FILE = "references.bib"
FINDINGS_XLSX_FILE = "findings.xlsx"  # a team may keep its findings in Excel instead
REFERENCES_FILES = ("references.bib", "references.ris", "references.json")  # at most one
CONCEPTS_FILE = "concepts.csv"
CONCEPT_TAGS_FILE = "concept_tags.csv"
CROSSWALK_FILE = "crosswalk.csv"
RELATED_FILE = "related.csv"

FINDING_COLUMNS = (
    "finding_id",
    "review",
    "element",
    "theme",
    "topic",
    "kind",
    "direction",
    "side",
    "statement",
    "citation",
    "paradigm",
    "reference_keys",
    "source",
    "notes",
    "printed",
)
# The columns ``init`` writes: ``printed`` is only for a finding whose print has more than its
# statement and citation say (emphasis, superscripts inside the text), and is added when needed.
SKELETON_FINDING_COLUMNS = tuple(c for c in FINDING_COLUMNS if c != "printed")
# Columns a findings file must have; the others may be missing (they are then empty).
REQUIRED_FINDING_COLUMNS = ("finding_id", "review", "element", "kind", "statement", "source")

ELEMENT_COLUMNS = (
    "element_id",
    "framework",
    "parent",
    "level",
    "label_nl",
    "label_en",
    "aliases",
    "order",
    "source",
    "notes",
)
REQUIRED_ELEMENT_COLUMNS = ("element_id", "framework", "parent", "level")  # + a label: nl or en

REVIEW_COLUMNS = (
    "review_id",
    "title",
    "authors",
    "year",
    "publisher",
    "domain",
    "research_question",
    "databases",
    "records_identified",
    "records_screened",
    "records_full_text",
    "records_included",
    "records_added",
    "source",
    "notes",
    "language",  # of the review's outputs: nl or en (empty: Dutch); see model.i18n
)
REQUIRED_REVIEW_COLUMNS = ("review_id", "title")

CONCEPT_COLUMNS = ("concept_id", "label_nl", "label_en", "patterns", "description", "source")
REQUIRED_CONCEPT_COLUMNS = ("concept_id", "patterns")
CONCEPT_TAG_COLUMNS = ("finding_id", "concept_id", "action", "reason")
CROSSWALK_COLUMNS = ("source_element", "target_element", "relation", "finding_id", "note")
# how each in-text citation was resolved (citations.resolve), and the finding it belongs to
RESOLUTION_COLUMNS = ("citation", "authors", "year", "number", "key", "score", "status", "notes")
CITATION_COLUMNS = ("finding_id", "review", *RESOLUTION_COLUMNS)
REQUIRED_CROSSWALK_COLUMNS = ("source_element", "target_element", "relation")
# related.csv: one row per notice (an erratum, retraction, ...) and the work it concerns, as
# find_duplicates(...).related gives it; id and work_id are reference keys
RELATED_COLUMNS = ("id", "work_id", "relation", "score", "evidence")
REQUIRED_RELATED_COLUMNS = ("id", "work_id", "relation")
NOTICE_RELATIONS = (
    "erratum",
    "retraction",
    "concern",
    "reply",
    "comment",
    "preprint",
    "registration",
)
# the relations that put a work's findings in doubt: validate warns, gaps() lists them
DOUBT_RELATIONS = ("retraction", "concern")

LIST_SEPARATOR = ";"  # separates keys inside reference_keys and aliases cells

# the formats the writers know: every export (io.export) and every published table (publish.render)
EXPORT_FORMATS = ("bib", "ris", "csl-json", "csv", "xlsx", "qdc")
# written only when asked for (``--format eppi``): the whole knowledge base as an
# EPPI-Reviewer JSON export (io.eppi), the file EPPI-Mapper draws evidence and gap maps from
OPTIONAL_EXPORT_FORMATS = ("eppi",)
TABLE_FORMATS = ("md", "html", "docx", "tex", "csv")
