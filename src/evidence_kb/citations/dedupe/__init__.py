"""Find duplicate bibliographic records and explain every decision.

The pipeline: :mod:`.prepare` (normalise, block), :mod:`.rules` (compare, score, vetoes),
:mod:`.groups` (decisions, union-find), :mod:`.find` (:func:`find_duplicates`, the entry point).
Notices (errata, retractions, replies, comments) and other versions (preprints, registry
records) are recognised by :mod:`.notices` and linked to the work they concern by
:mod:`.related` (``Duplicates.related``).
"""

from __future__ import annotations

from evidence_kb.citations.dedupe.find import Duplicates, find_duplicates
from evidence_kb.citations.dedupe.groups import record_decisions
from evidence_kb.citations.dedupe.notices import NOTICE_KINDS, VERSION_KINDS, notice_kind
from evidence_kb.citations.dedupe.related import RELATED_POLICIES
from evidence_kb.citations.dedupe.rules import LEVELS, RULES, VETOES

__all__ = [
    "LEVELS",
    "NOTICE_KINDS",
    "RELATED_POLICIES",
    "RULES",
    "VERSION_KINDS",
    "VETOES",
    "Duplicates",
    "find_duplicates",
    "notice_kind",
    "record_decisions",
]
