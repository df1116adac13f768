"""The rows of a table file as read: what the io readers produce and model validates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evidence_kb.model.errors import Problem

__all__ = ["CsvRows"]


@dataclass
class CsvRows:
    """The rows of a CSV file as ``{column: cell}`` dicts, each with its first physical line."""

    path: Path
    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
