"""Read and write the decisions file of deduplication (``id_a, id_b, verdict``).

The file holds a person's verdicts on pairs of records; :mod:`evidence_kb.citations.dedupe`
applies them. It is read like every other table of the library (:func:`read_csv_rows`: UTF-8
or a clear error naming the byte, every row as wide as the header or an error naming the line),
with a header in any case (``ID_A``), commas or semicolons (Excel with Dutch settings) between
the cells, other columns (a filled-in ``FILE.review.csv``) ignored and
cells neutralised against formula injection restored. A verdict other than ``same``,
``different`` or empty, a pair of one record with itself, or one pair given both verdicts is an
error naming the file and the lines.

Writing is atomic (a failure leaves the old file as it was) and happens under a lock
(:func:`decisions_lock`), so that several processes recording decisions at once lose none.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.csvfile import read_csv_rows
from evidence_kb.io.formula import spreadsheet_csv
from evidence_kb.io.text import write_text
from evidence_kb.model.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DECISION_COLUMNS",
    "Decision",
    "check_decisions",
    "check_review_output",
    "decisions_lock",
    "read_decisions_file",
    "write_decisions_file",
]

DECISION_COLUMNS = ("id_a", "id_b", "verdict")
VERDICTS = ("same", "different")
LOCK_TIMEOUT = 120.0  # seconds to wait for another process that is writing the file


@dataclass(frozen=True)
class Decision:
    """One decided pair: ``id_a`` < ``id_b``, the verdict, and the line it was read from."""

    id_a: str
    id_b: str
    verdict: str
    line: int


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def check_decisions(
    rows: Iterable[tuple[int, object, object, object]], source: str
) -> list[Decision]:
    """Check ``(line, id_a, id_b, verdict)`` rows and return the decided ones.

    Rows with an empty verdict are not decided yet and are left out; a pair repeated with the
    same verdict counts once.

    Raises
    ------
    InputError
        Every bad verdict, pair of a record with itself and pair given both verdicts, each with
        ``source`` and its line (the header being line 1).
    """
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Decision] = {}
    for line, raw_a, raw_b, raw_verdict in rows:
        if _blank(raw_verdict):
            continue  # not decided yet (a review table with empty verdicts)
        verdict = str(raw_verdict).strip().lower()
        id_a = "" if _blank(raw_a) else str(raw_a).strip()
        id_b = "" if _blank(raw_b) else str(raw_b).strip()
        if verdict not in VERDICTS:
            msg = f"got {verdict!r}, expected one of: same, different (or empty: not decided)"
            problems.append(Problem(source, line, "verdict", verdict, msg))
            continue
        if not id_a or not id_b:
            column = "id_a" if not id_a else "id_b"
            msg = "a decided pair needs both ids (id_a and id_b)"
            problems.append(Problem(source, line, column, "", msg))
            continue
        if id_a == id_b:
            msg = "id_a and id_b are the same record"
            problems.append(Problem(source, line, "id_b", id_b, msg))
            continue
        a, b = sorted((id_a, id_b))
        earlier = seen.get((a, b))
        if earlier is not None and earlier.verdict != verdict:
            msg = (
                f"the pair {a}, {b} is {verdict!r} here and {earlier.verdict!r} on line "
                f"{earlier.line}; keep one verdict"
            )
            problems.append(Problem(source, line, "verdict", verdict, msg))
            continue
        seen.setdefault((a, b), Decision(a, b, verdict, line))
    if problems:
        raise InputError(problems)
    return list(seen.values())


def read_decisions_file(path: str | os.PathLike[str]) -> list[Decision]:
    """Read and check the decisions CSV (see the module docstring); return the decided pairs.

    Raises
    ------
    InputError
        For an undecodable, empty or ragged file, a missing column, a bad verdict or a pair
        given both verdicts, naming the file and the line.
    """
    path = Path(path)
    table = read_csv_rows(path, required=(), known=None, delimiter=None)  # "," or Excel's ";"
    by_lower: dict[str, str] = {}
    for column in table.columns:
        if column.lower() in by_lower:
            msg = f"columns {by_lower[column.lower()]!r} and {column!r} are the same column"
            raise InputError([Problem(str(path), 1, column, column, msg)])
        by_lower[column.lower()] = column
    missing = [c for c in DECISION_COLUMNS if c not in by_lower]
    if missing:
        msg = (
            f"missing column(s) {', '.join(missing)}; expected id_a, id_b, verdict "
            f"(the header has: {', '.join(table.columns) or 'nothing'})"
        )
        raise InputError([Problem(str(path), 1, None, None, msg)])
    problems = [p for p in table.problems if p.severity == "error"]
    if problems:  # a row with too few or too many cells: which verdict it holds is unknown
        raise InputError([Problem(str(path), *_where(p)) for p in problems])
    names = [by_lower[c] for c in DECISION_COLUMNS]
    rows = (
        (line, *(row[name] for name in names))  # (read_csv_rows restores guarded cells)
        for line, row in zip(table.lines, table.rows, strict=True)
    )
    return check_decisions(rows, str(path))  # type: ignore[arg-type]


def check_review_output(path: str | os.PathLike[str], *, way_out: str) -> None:
    """Refuse to replace a review file in which a person has filled in verdicts.

    ``dedupe`` rewrites ``FILE.review.csv`` on every run; a copy whose verdicts were filled in
    but not yet passed as decisions would be lost. A file that cannot be read as decisions is
    refused too: it is not the empty review this command wrote.
    """
    path = Path(path)
    if not path.is_file():
        return
    try:
        decided = len(read_decisions_file(path))
    except InputError:
        decided = -1
    if decided == 0:
        return
    what = f"holds {decided} verdict(s) a person filled in" if decided > 0 else "was changed"
    msg = f"refused to write this file: it {what}; nothing was written: {way_out}"
    raise InputError([Problem(str(path), None, None, None, msg)])


def _where(problem: Problem) -> tuple[int | None, str | None, str | None, str]:
    return problem.line, problem.column, problem.value, problem.message


def _lock_path(path: Path) -> Path:
    """The lock of ``path``: in the temporary directory, so the folder of the file stays clean."""
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:20]
    return Path(tempfile.gettempdir()) / f"evidence-kb-decisions-{digest}.lock"


@contextmanager
def decisions_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the lock of a decisions file while reading, merging and writing it.

    Another process that records decisions into the same file waits (up to
    :data:`LOCK_TIMEOUT` seconds) instead of writing over what this one wrote.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(_lock_path(Path(path)), mode=0o666)
    try:
        with lock.acquire(timeout=LOCK_TIMEOUT):
            yield
    except Timeout:
        msg = (
            f"another process has been writing this decisions file for {LOCK_TIMEOUT:.0f} s; "
            "try again when it has finished"
        )
        raise InputError([Problem(str(path), None, None, None, msg)]) from None


def write_decisions_file(decisions: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the decisions CSV atomically (a temporary file renamed into place).

    Cells that a spreadsheet would run as a formula are neutralised (and restored on reading).
    Hold :func:`decisions_lock` around the read-merge-write.
    """
    write_text(path, spreadsheet_csv(decisions))
    return Path(path)
