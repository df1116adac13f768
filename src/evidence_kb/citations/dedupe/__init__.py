"""Find duplicate bibliographic records and explain every decision.

The pipeline: :mod:`.prepare` (normalise, block), :mod:`.rules` (compare, decide),
:mod:`.groups` (decisions, union-find), :mod:`.find` (:func:`find_duplicates`, the entry point).
"""

from __future__ import annotations

from evidence_kb.citations.dedupe.find import Duplicates, find_duplicates
from evidence_kb.citations.dedupe.rules import RULES

__all__ = ["RULES", "Duplicates", "find_duplicates"]
