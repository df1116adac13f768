"""Error types and the :class:`Problem` record that every validation step produces.

Problems come back one way: a reader returns a result with ``.problems`` (a :class:`Parsed`
named tuple of records and problems, or a :class:`~evidence_kb.io.refframe.ReferenceFrame`),
and under ``strict`` it raises :class:`InputError`, whose ``.problems`` lists them all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Generic, Literal, NamedTuple, TypeVar

if TYPE_CHECKING:
    import pandas as pd

Severity = Literal["error", "warning"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input record, with enough context to fix it.

    ``line`` counts physical lines of the file, the header being line 1; it is ``None`` for
    problems that concern a whole file.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        level = "" if self.severity == "error" else "warning: "
        return f"{self.file}: {prefix + ': ' if prefix else ''}{level}{self.message}"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Return problems as a DataFrame sorted by file and line."""
    import pandas as pd

    columns = ["file", "line", "column", "value", "message", "severity"]
    frame = pd.DataFrame([asdict(p) for p in problems], columns=columns)
    frame["line"] = frame["line"].astype("Int64")
    return frame.sort_values(["file", "line"], kind="stable", na_position="first").reset_index(
        drop=True
    )


class EvidenceKBError(Exception):
    """Base class of every error this library raises on purpose."""


class InputError(EvidenceKBError, ValueError):
    """One or more input records are invalid; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem], *, summary: str | None = None) -> None:
        self.problem_list = list(problems)
        errors = [p for p in self.problem_list if p.severity == "error"]
        files = sorted({p.file for p in errors})
        head = (
            summary
            or f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {', '.join(files)}"
        )
        lines = [head, *(f"  {p}" for p in errors[:50])]
        if len(errors) > 50:
            lines.append(f"  ... and {len(errors) - 50} more")
        lines.append("All problems: err.problems (DataFrame: file, line, column, value, message)")
        super().__init__("\n".join(lines))

    @property
    def problems(self) -> pd.DataFrame:
        """Every problem as a DataFrame (file, line, column, value, message, severity)."""
        return problems_frame(self.problem_list)


class UnknownIdError(EvidenceKBError, KeyError):
    """An element, review, concept or reference id that the knowledge base does not know."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class Parsed(NamedTuple, Generic[T]):
    """What a reader parsed: the ``records`` and the ``problems`` met on the way.

    A tuple, so ``records, problems = parse_bibtex(text)`` works as well as ``.problems``.
    """

    records: list[T]
    problems: list[Problem]
