"""Find duplicate bibliographic records and explain every decision.

The pipeline: :mod:`.prepare` (normalise, block), :mod:`.rules` (compare, score, vetoes),
:mod:`.groups` (decisions, union-find), :mod:`.find` (:func:`find_duplicates`, the entry point).
"""

from __future__ import annotations

from evidence_kb.citations.dedupe.find import Duplicates, find_duplicates
from evidence_kb.citations.dedupe.groups import record_decisions
from evidence_kb.citations.dedupe.rules import LEVELS, RULES, VETOES

__all__ = ["LEVELS", "RULES", "VETOES", "Duplicates", "find_duplicates", "record_decisions"]
