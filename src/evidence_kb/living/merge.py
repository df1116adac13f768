"""Several coders on one table: a three-way merge at row x column level, and git's merge driver.

Git merges ``findings.csv`` line by line, so two coders who edit different cells of nearby rows
(or one cell of a statement that spans lines) get a conflict that is none. :func:`merge` merges
by row id and column instead:

- a cell changed on one side only takes that side's value; changed the same way on both, that
  value; changed two ways, it is a **conflict** (ours stays in the file until someone decides);
- a row added on one side is added (after the row it follows there); a row deleted on one side
  and left alone on the other is deleted; deleted on one side and edited on the other, it is a
  conflict on the whole row (column ``(row)``), and the edited row stays;
- cells that differ only in whitespace or line endings are equal;
- given the knowledge-base directory (the git driver uses the file's own), the merged table is
  validated with the files beside it: a row combined from both sides that does not validate
  keeps ours, and theirs' changes to it are conflicts whose ``reason`` is the error;
- a column theirs added is added; a column one side removed is kept.

Conflicts are resolved as duplicate pairs are: the conflicts file (``findings.conflicts.csv``
beside the table) has an empty ``verdict`` column; write ``ours``, ``theirs`` or ``base`` (or
``value`` and the value itself in ``value``) and run :func:`resolve_conflicts`, or pass the file
as ``decisions=`` to a later merge.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.rawtable import (
    RawTable,
    format_raw_table,
    parse_raw_table,
    read_conflicts_file,
    read_raw_table,
    remove_file,
    write_conflicts_file,
    write_raw_table,
)
from evidence_kb.io.revision import replaced_file
from evidence_kb.kb import stored_data
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.vocab import FINDINGS_FILE, FRAMEWORKS_FILE

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONFLICT_COLUMNS",
    "Merge",
    "conflicts_path",
    "merge",
    "merge_files",
    "resolve_conflicts",
]

CONFLICT_COLUMNS = ("id", "column", "reason", "base", "ours", "theirs", "verdict", "value")
DECISION_COLUMNS = ("id", "column", "ours", "theirs", "verdict", "value")  # what a decision needs
CLASH = "changed two ways"
ROW_CLASH = "deleted on one side, edited on the other"
VERDICTS = ("ours", "theirs", "base", "value")
ROW = (
    "(row)"  # the column of a conflict about a whole row: deleted on one side, edited on the other
)
DELETED = "(deleted)"
_SPACE = re.compile(r"\s+")

TableSource = str | os.PathLike[str] | RawTable


@dataclass
class Merge:
    """The result of :func:`merge`: the merged table and the cells that clash.

    ``conflicts`` has :data:`CONFLICT_COLUMNS`, one row per cell changed two ways (or row
    deleted on one side and edited on the other), with the base, ours and theirs values;
    ``verdict`` and ``value`` are empty until a person (or ``decisions=``) fills them in.
    """

    table: RawTable
    conflict_rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def conflicts(self) -> pd.DataFrame:
        """The unresolved conflicts, one row each (see the class docstring)."""
        import pandas as pd

        return pd.DataFrame(self.conflict_rows, columns=list(CONFLICT_COLUMNS), dtype=str)

    @property
    def text(self) -> str:
        """The merged table as CSV text."""
        return format_raw_table(self.table)

    @property
    def frame(self) -> pd.DataFrame:
        """The merged table as a DataFrame of text."""
        import pandas as pd

        return pd.DataFrame(self.table.rows, columns=self.table.header, dtype=str)

    def __repr__(self) -> str:
        return f"<Merge: {len(self.table.rows)} rows, {len(self.conflict_rows)} conflicts>"


def _same(a: str, b: str) -> bool:
    return a == b or _SPACE.sub(" ", a).strip() == _SPACE.sub(" ", b).strip()


def _table(source: TableSource | pd.DataFrame, label: str) -> RawTable:
    """A version as a :class:`RawTable`: a CSV file, a knowledge-base directory (its
    ``findings.csv``), a DataFrame (missing values as empty cells) or a RawTable."""
    import pandas as pd

    if isinstance(source, RawTable):
        return source
    if isinstance(source, pd.DataFrame):
        frame = source.astype("string").fillna("")
        rows = [dict(zip(frame.columns, row, strict=True)) for row in frame.to_numpy()]
        return RawTable(f"findings ({label})", [str(c) for c in frame.columns], rows)
    path = Path(source)
    if path.is_dir():
        path = path / FINDINGS_FILE
    return read_raw_table(path, name=f"{path.name} ({label})")


def _keyed(table: RawTable, id_column: str) -> dict[str, dict[str, str]]:
    """The rows of ``table`` by id; a missing id column or a repeated id is an InputError."""
    if id_column not in table.header:
        msg = f"has no column {id_column!r} to match rows by; the header has: {table.header}"
        raise InputError([Problem(table.name, 1, None, None, msg)])
    rows: dict[str, dict[str, str]] = {}
    problems = []
    lines = table.lines if len(table.lines) == len(table.rows) else [None] * len(table.rows)
    for line, row in zip(lines, table.rows, strict=True):
        key = row[id_column].strip()
        if not key or key in rows:
            what = "is empty" if not key else f"{key!r} is used by an earlier row too"
            msg = f"the id {what}: every row needs its own {id_column} to be merged"
            problems.append(Problem(table.name, line, id_column, key, msg))
        rows[key] = row
    if problems:
        raise InputError(problems)
    return rows


def _decided(decisions: pd.DataFrame | None) -> dict[tuple[str, str, str, str], str]:
    """The decisions as (id, column, ours, theirs) -> the value chosen."""
    if decisions is None:
        return {}
    missing = [c for c in DECISION_COLUMNS if c not in decisions.columns]
    if missing:
        msg = f"missing column(s) {missing}; expected {', '.join(DECISION_COLUMNS)}"
        raise InputError([Problem("decisions", 1, None, None, msg)])
    chosen = {}
    problems = []
    for i, row in enumerate(decisions.fillna("").to_dict("records"), start=2):
        verdict = str(row["verdict"]).strip().lower()
        if not verdict:
            continue
        if verdict not in VERDICTS:
            msg = f"got {verdict!r}, expected one of: {', '.join(VERDICTS)}"
            problems.append(Problem("decisions", i, "verdict", verdict, msg))
            continue
        value = row[verdict] if verdict != "value" else row["value"]
        key = (row["id"], row["column"], _norm(row["ours"]), _norm(row["theirs"]))
        chosen[key] = str(value)
    if problems:
        raise InputError(problems)
    return chosen


def _norm(value: object) -> str:
    return _SPACE.sub(" ", str(value)).strip()


def merge(
    base: TableSource | pd.DataFrame,
    ours: TableSource | pd.DataFrame,
    theirs: TableSource | pd.DataFrame,
    *,
    id_column: str | None = None,
    decisions: str | os.PathLike[str] | pd.DataFrame | None = None,
    kb_dir: str | os.PathLike[str] | None = None,
) -> Merge:
    """Merge two versions of a table (``findings.csv`` or any CSV with an id column) cell by cell.

    Parameters
    ----------
    base, ours, theirs
        The common ancestor and the two versions: CSV files, knowledge-base directories (their
        ``findings.csv``), DataFrames or :class:`RawTable`.
    id_column
        The column rows are matched by; by default the first column (``finding_id``).
    decisions
        A conflicts file (or DataFrame) with verdicts filled in: each decided conflict takes the
        chosen value, on this and every later merge that meets the same clash.
    kb_dir
        The knowledge-base directory the table belongs to (the git driver passes the file's
        own): the merged table is validated with the files beside it, and a row combined from
        both sides that does not validate (say, one coder moved a finding to another element,
        the other gave it a theme of the old one) keeps ours, theirs' changes to it listed as
        conflicts with the reason.

    Returns
    -------
    Merge
        ``.table`` (the merged rows, in ours' order, rows added by theirs after the row they
        follow there), ``.text``, ``.frame`` and ``.conflicts``.

    Raises
    ------
    InputError
        If a version cannot be read as CSV, lacks the id column or repeats an id.
    """
    tables = [_table(t, label) for t, label in ((base, "base"), (ours, "ours"), (theirs, "theirs"))]
    id_column = id_column or tables[1].header[0]
    b, o, t = (_keyed(table, id_column) for table in tables)
    if decisions is not None and not hasattr(decisions, "columns"):
        decisions = read_conflicts_file(decisions)
    chosen = _decided(decisions)
    header = [*tables[1].header]
    header += [c for c in tables[2].header if c not in header and c not in tables[0].header]
    merged = RawTable(tables[1].name, header, newline=tables[1].newline)
    result = Merge(merged)
    kept: dict[str, dict[str, str]] = {}
    for key in [*o, *(k for k in t if k not in o)]:
        row = _merge_row(key, b.get(key), o.get(key), t.get(key), header, result, chosen)
        if row is not None:
            kept[key] = row
    merged.rows = [kept[key] for key in _order(list(o), list(t), kept)]
    if kb_dir is not None:
        _validate(result, (b, o, t), Path(kb_dir), chosen, id_column)
    return result


def _validate(
    result: Merge,
    versions: tuple[dict[str, dict[str, str]], ...],
    kb_dir: Path,
    chosen: dict[tuple[str, str, str, str], str],
    id_column: str,
) -> None:
    """Validate the merged table with the knowledge base beside it; a row combined from both
    sides that has an error keeps ours, theirs' changes to it become conflicts."""
    name = result.table.name.split(" (")[0]
    if not (kb_dir / FRAMEWORKS_FILE).exists():
        return  # not a knowledge base: nothing to validate against
    with replaced_file(kb_dir, name, result.text) as folder:
        data = stored_data(folder, strict=False)
    bad = {p.line: p.message for p in data.problem_list if p.severity == "error" and p.file == name}
    if not bad:
        return
    base, ours, theirs = versions
    lines = parse_raw_table(result.text, name).lines
    already = _invalid_ids(result, (ours, theirs), kb_dir, name, id_column)
    for line, row in zip(lines, result.table.rows, strict=True):
        key = row[id_column]
        mine, other = ours.get(key), theirs.get(key)
        if line not in bad or mine is None or other is None or row in (mine, other):
            continue  # a row as one side has it: the merge did not make it
        if key in already:
            continue  # invalid on one side already: not the merge's doing
        old = base.get(key, {})
        reason = f"the merged row does not validate: {bad[line]}"
        for col in result.table.header:
            x, y, z = old.get(col, ""), mine.get(col, ""), other.get(col, "")
            if not _same(z, x) and not _same(z, y):
                row[col] = _conflict(key, col, x, y, z, result, chosen, reason)
            else:
                row[col] = y if col in mine else row[col]


def _invalid_ids(
    result: Merge,
    sides: tuple[dict[str, dict[str, str]], ...],
    kb_dir: Path,
    name: str,
    id_column: str,
) -> set[str]:
    """The ids of rows with an error in ours or theirs as they are (validated the same way)."""
    invalid: set[str] = set()
    for rows in sides:
        table = RawTable(name, result.table.header, list(rows.values()), newline="\n")
        text = format_raw_table(table)
        with replaced_file(kb_dir, name, text) as folder:
            data = stored_data(folder, strict=False)
        lines = parse_raw_table(text, name).lines
        bad = {p.line for p in data.problem_list if p.severity == "error" and p.file == name}
        invalid |= {
            row[id_column] for line, row in zip(lines, table.rows, strict=True) if line in bad
        }
    return invalid


def _merge_row(
    key: str,
    base: dict[str, str] | None,
    ours: dict[str, str] | None,
    theirs: dict[str, str] | None,
    header: list[str],
    result: Merge,
    chosen: dict[tuple[str, str, str, str], str],
) -> dict[str, str] | None:
    """The merged row ``key`` (``None``: deleted); its conflicts are added to ``result``."""
    if ours is None or theirs is None:
        present = ours if ours is not None else theirs or {}
        if base is None:
            return dict(present)  # added on one side
        edited = [c for c in header if not _same(present.get(c, ""), base.get(c, ""))]
        if not edited:
            return None  # deleted on one side, untouched on the other
        what = f"edited: {', '.join(edited)}"
        sides = (what, DELETED) if ours is not None else (DELETED, what)
        value = _conflict(key, ROW, "", sides[0], sides[1], result, chosen, ROW_CLASH)
        return None if value == DELETED else dict(present)
    base = base or {}
    row = {}
    for col in header:
        x, y, z = base.get(col, ""), ours.get(col, ""), theirs.get(col, "")
        if _same(y, z) or _same(z, x):
            row[col] = y
        elif _same(y, x):
            row[col] = z
        else:
            row[col] = _conflict(key, col, x, y, z, result, chosen)
    return row


def _conflict(
    key: str,
    column: str,
    base: str,
    ours: str,
    theirs: str,
    result: Merge,
    chosen: dict[tuple[str, str, str, str], str],
    reason: str = CLASH,
) -> str:
    """The value of a clashing cell: a decision's, or ours (and the clash is recorded)."""
    decided = chosen.get((key, column, _norm(ours), _norm(theirs)))
    if decided is not None:
        return decided
    result.conflict_rows.append(
        {"id": key, "column": column, "reason": reason, "base": base, "ours": ours,
         "theirs": theirs, "verdict": "", "value": ""}
    )  # fmt: skip
    return ours


def _order(ours: list[str], theirs: list[str], kept: dict[str, dict[str, str]]) -> list[str]:
    """Ours' order, each row only theirs has placed after the row it follows in theirs."""
    order = [key for key in ours if key in kept]
    placed = set(order)
    previous: str | None = None
    for key in theirs:
        if key in kept and key not in placed:
            at = order.index(previous) + 1 if previous is not None else 0
            order.insert(at, key)
            placed.add(key)
        if key in placed:
            previous = key
    return order


# -- files: git's merge driver and resolving conflicts -----------------------------------------
def conflicts_path(path: str | os.PathLike[str]) -> Path:
    """Where the conflicts of a table go: ``findings.csv`` -> ``findings.conflicts.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.conflicts.csv")


def merge_files(
    base: str | os.PathLike[str],
    ours: str | os.PathLike[str],
    theirs: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    id_column: str | None = None,
) -> Merge:
    """Git's merge driver: merge into ``ours`` (git's ``%A``), conflicts beside ``path``.

    ``path`` is the file's path in the work tree (git's ``%P``); the conflicts go to
    :func:`conflicts_path` of it, and a decided conflicts file there is honoured.
    """
    where = conflicts_path(path)
    name = Path(path).name
    tables = [
        read_raw_table(p, name=f"{name} ({label})")
        for p, label in ((base, "base"), (ours, "ours"), (theirs, "theirs"))
    ]
    decisions = read_conflicts_file(where) if where.exists() else None
    kb_dir = Path(path).parent
    result = merge(*tables, id_column=id_column, decisions=decisions, kb_dir=kb_dir)
    write_raw_table(ours, result.table)
    if result.conflict_rows:
        write_conflicts_file(result.conflicts, where)
    return result


def resolve_conflicts(
    path: str | os.PathLike[str], conflicts: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Apply the verdicts of a conflicts file to the merged table ``path``.

    Each conflict with a verdict (``ours``, ``theirs``, ``base``, or ``value`` with the value)
    sets its cell (or keeps or deletes its row); the conflicts file keeps only the undecided
    ones, and is removed when none is left.

    Returns
    -------
    pandas.DataFrame
        The conflicts still undecided.
    """
    where = Path(conflicts) if conflicts is not None else conflicts_path(path)
    decisions = read_conflicts_file(where)
    chosen = _decided(decisions)
    table = read_raw_table(path)
    rows = _keyed(table, table.header[0])
    open_rows = []
    for record in decisions.fillna("").to_dict("records"):
        key = (record["id"], record["column"], _norm(record["ours"]), _norm(record["theirs"]))
        if key not in chosen:
            open_rows.append(record)
        elif record["column"] == ROW:
            if chosen[key] == DELETED:
                rows.pop(record["id"], None)
        elif record["id"] in rows:
            rows[record["id"]][record["column"]] = chosen[key]
    table.rows = list(rows.values())
    write_raw_table(path, table)
    remaining = decisions.iloc[0:0].reindex(columns=list(CONFLICT_COLUMNS))
    if open_rows:
        import pandas as pd

        remaining = pd.DataFrame(open_rows, columns=list(CONFLICT_COLUMNS))
        write_conflicts_file(remaining, where)
    else:
        remove_file(where)
    return remaining
