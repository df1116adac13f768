"""What changed in the evidence between two versions of a knowledge base.

:func:`diff` compares every table of two knowledge bases (findings, elements, reviews,
references, the optional tables, and any table a later version adds) row by row and cell by
cell. Rows are matched by their id; a row whose id changed is matched by its content (all other
cells equal, or all but one). The same data saved differently is no change: rows in another
order, findings as CSV or Excel, references as BibTeX, RIS or CSL-JSON, whitespace, line endings
and the order of keys in a list. Provenance columns (the file line a row was read from, the
printed reference list a reference came from) are not compared.

On top of the cell changes, :class:`Diff` says what they mean for the evidence: ``.gaps`` the
gaps that opened or closed (computed on both sides), ``.tables`` the factsheet cells that
changed.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.citations.resolve import CitationIndex
from evidence_kb.io.revision import revision_dir
from evidence_kb.kb import KnowledgeBase, knowledge_base, stored_data
from evidence_kb.model.data import KBData
from evidence_kb.model.records import Finding

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "CHANGE_COLUMNS",
    "Diff",
    "changes_between",
    "diff",
    "knowledge_base",
    "stored_data",
    "table_changes",
]

KBSource = str | os.PathLike[str] | KBData

CHANGE_COLUMNS = ("table", "change", "id", "column", "old", "new")
GAP_COLUMNS = ("transition", "what", "gap_type", "element", "review", "finding_ids", "detail")
TABLE_CHANGE_COLUMNS = ("table", "row", "label", "column", "change", "old", "new")

# the id column(s) of each table; a table not listed uses ``<singular>_id`` or its first column
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "findings": ("finding_id",),
    "elements": ("element_id",),
    "reviews": ("review_id",),
    "references": ("key",),
    "concepts": ("concept_id",),
    "concept_tags": ("finding_id", "concept_id"),
    "crosswalk": ("source_element", "target_element", "relation"),
}
# the column whose change moves a row to another place (a finding to another element)
MOVE_COLUMNS = {"findings": "element"}
# the column that names a row for a reader (shown for added and removed rows)
LABEL_COLUMNS = {
    "findings": "statement",
    "elements": "label_nl",
    "reviews": "title",
    "references": "title",
}
# where a row was read from, not what it says: never compared
PROVENANCE = {"line", "lines", "file", "source_file", "raw"}
TABLE_PROVENANCE = {"references": {"source"}}
# cells that hold a list (separated by ";"): compared as sets
LIST_COLUMNS = {"reference_keys", "aliases", "ids"}
# between reference files of two formats, a column one side has no value in at all is a field
# that format's reader does not give (RIS and CSL-JSON: aliases, year suffixes, notes, editors,
# related works) and is not compared: see _not_held
# the typed gaps about an element in a review, whose opening and closing a diff reports
GAP_TYPES = ("no_evidence", "empty_cell", "one_sided", "single_source")
_GAP_WORDS = {
    ("empty_cell", "closed"): "empty cell filled",
    ("empty_cell", "opened"): "cell emptied",
    ("single_source", "closed"): "a second source",
    ("single_source", "opened"): "down to a single source",
    ("one_sided", "closed"): "now two-sided",
    ("one_sided", "opened"): "now one-sided",
    ("no_evidence", "closed"): "'no relevant information' withdrawn",
    ("no_evidence", "opened"): "'no relevant information' recorded",
}
_SPACE = re.compile(r"\s+")


# -- loading the two sides ---------------------------------------------------------------------
@contextmanager
def _opened(source: KBSource, other: KBSource, strict: bool) -> Iterator[KBData]:
    """The stored data of one side: a loaded knowledge base, a directory or a git revision."""
    if isinstance(source, KBData):
        yield source
    elif Path(source).is_dir():
        yield stored_data(source, strict=strict)
    else:
        like = other if not isinstance(other, KBData) and Path(other).is_dir() else None
        with revision_dir(str(source), like=like) as folder:
            yield stored_data(folder, strict=strict)


# -- the tables of a knowledge base, generically -----------------------------------------------
def data_tables(data: KBData) -> dict[str, pd.DataFrame]:
    """Every table of ``data`` by name: the record tables, then the optional ones.

    The record tables are the DataFrame properties of :class:`KBData` (``findings``,
    ``elements``, ...); the optional ones its ``*_table`` fields (``concept_table`` is
    ``concepts``). The citation table is derived, not stored, and is left out.
    """
    tables: dict[str, pd.DataFrame] = {}
    for name, attribute in vars(KBData).items():
        if isinstance(attribute, cached_property):
            tables[name] = getattr(data, name)
    for f in dataclasses.fields(KBData):
        if f.name.endswith("_table") and f.name != "citation_table":
            frame = getattr(data, f.name)
            if frame is not None:
                stem = f.name.removesuffix("_table")
                tables[{"concept": "concepts", "concept_tag": "concept_tags"}.get(stem, stem)] = (
                    frame
                )
    return tables


def _id_columns(name: str, frame: pd.DataFrame) -> tuple[str, ...]:
    if name in ID_COLUMNS and set(ID_COLUMNS[name]) <= set(frame.columns):
        return ID_COLUMNS[name]
    singular = f"{name[:-3]}y_id" if name.endswith("ies") else f"{name.removesuffix('s')}_id"
    if singular in frame.columns:
        return (singular,)
    return (str(frame.columns[0]),)


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The cells of a column as text (an object array); a missing value is ``""``."""
    import numpy as np
    import pandas as pd

    if column not in frame.columns:  # a column this version of the table does not have
        return np.full(len(frame), "", dtype=object)
    values = frame[column]
    if not isinstance(values.dtype, pd.StringDtype):  # numbers, or text mixed with numbers
        values = values.astype("string")
    return values.to_numpy(dtype=object, na_value="")


@dataclass
class _Side:
    """One table of one side: its cells as text, by row id."""

    ids: list[str]
    columns: dict[str, np.ndarray]
    position: dict[str, int]


def _side(frame: pd.DataFrame, id_columns: tuple[str, ...], compared: list[str]) -> _Side:
    keys = [_text(frame, col) for col in id_columns]
    ids = list(keys[0]) if len(keys) == 1 else [" | ".join(p) for p in zip(*keys, strict=True)]
    position = {row_id: i for i, row_id in enumerate(ids)}
    if len(position) < len(ids):  # no usable id: the whole row is its identity
        whole = [*id_columns, *(c for c in compared if c in frame)]
        ids = [" | ".join(cells) for cells in zip(*(_text(frame, c) for c in whole), strict=True)]
        position = {row_id: i for i, row_id in enumerate(ids)}
    columns = {col: _text(frame, col) for col in compared}
    return _Side(ids, columns, position)


def _normal(column: str, value: str) -> str:
    """The form two cells are compared in: whitespace and line endings, list order, DOI case."""
    value = _SPACE.sub(" ", value).strip()
    if column in LIST_COLUMNS:
        return ";".join(sorted(part.strip() for part in value.split(";") if part.strip()))
    if column == "doi":
        return value.lower()
    if column == "url":  # several URLs: separated by spaces or "; ", in any order
        return " ".join(sorted(re.split(r"[\s;]+", value)))
    if column == "authors":  # "others" (et al.) is a BibTeX marker the other formats drop
        return "; ".join(a for a in value.split("; ") if a.strip() != "others")
    return value


def _same(column: str, a: str, b: str) -> bool:
    return a == b or _normal(column, a) == _normal(column, b)


# -- one table ---------------------------------------------------------------------------------
class _ResolvedKeys:
    """The reference keys each finding's citation resolves to on one side: what a load puts in
    an empty ``reference_keys`` cell, so that a file with them written out equals one without."""

    def __init__(self, data: KBData) -> None:
        self.data = data

    @cached_property
    def _index(self) -> CitationIndex:
        return CitationIndex(self.data.reference_records)

    @cached_property
    def _findings(self) -> dict[str, Finding]:
        return {f.finding_id: f for f in self.data.finding_records}

    def __call__(self, finding_id: str) -> str:
        finding = self._findings.get(finding_id)
        if finding is None:
            return ""
        found = self._index.resolve(finding.citation, review=finding.review)
        return ";".join(dict.fromkeys(r.key for r in found if r.key))


def _table_changes(
    name: str,
    old: pd.DataFrame,
    new: pd.DataFrame,
    skip: set[str],
    resolved: tuple[_ResolvedKeys, _ResolvedKeys] | None = None,
) -> list[tuple[str, ...]]:
    """The changes of one table: (table, change, id, column, old, new) tuples."""
    import numpy as np
    import pandas as pd

    id_columns = _id_columns(name, new if len(new.columns) else old)
    ignored = PROVENANCE | TABLE_PROVENANCE.get(name, set()) | skip | set(id_columns)
    compared = [c for c in dict.fromkeys([*old.columns, *new.columns]) if c not in ignored]
    a, b = _side(old, id_columns, compared), _side(new, id_columns, compared)
    index_a, index_b = pd.Index(a.ids), pd.Index(b.ids)
    in_a = index_a.get_indexer(index_b)  # each new row's position in the old table, or -1
    removed = [a.ids[i] for i in np.flatnonzero(index_b.get_indexer(index_a) == -1)]
    added = [b.ids[j] for j in np.flatnonzero(in_a == -1)]
    out: list[tuple[str, ...]] = []
    merged = _merged(name, a, b, removed) if "ids" in compared else {}
    for old_id, new_id in merged.items():
        out.append((name, "merged", old_id, id_columns[0], old_id, new_id))
    renamed = _renamed(a, b, [i for i in removed if i not in merged], added, compared)
    for old_id, new_id in renamed.items():
        out.append((name, "edited", new_id, id_columns[0], old_id, new_id))
    common = np.flatnonzero(in_a >= 0)
    at_a = np.concatenate([in_a[common], [a.position[o] for o in renamed]]).astype(np.intp)
    at_b = np.concatenate([common, [b.position[n] for n in renamed.values()]]).astype(np.intp)
    aliases_gained = _aliases_gained(merged, a)
    for col in compared:
        left, right = a.columns[col][at_a], b.columns[col][at_b]
        change = "moved" if MOVE_COLUMNS.get(name) == col else "edited"
        for k in np.flatnonzero(left != right):  # cells equal as text are skipped in C
            x, y, new_id = left[k], right[k], b.ids[at_b[k]]
            if _same(col, x, y):
                continue
            if col == "ids" and _only_gained(x, y, aliases_gained.get(new_id, set())):
                continue
            if col == "reference_keys" and resolved is not None and not (x and y):
                filled_x = x or resolved[0](a.ids[at_a[k]])  # an empty cell: what it resolves to
                filled_y = y or resolved[1](new_id)
                if _same(col, filled_x, filled_y):
                    continue
            out.append((name, change, new_id, col, x, y))
    label = LABEL_COLUMNS.get(name, compared[0] if compared else "")
    gone = set(merged) | set(renamed)
    for row_id in removed:
        if row_id not in gone:
            text = a.columns[label][a.position[row_id]] if label in a.columns else ""
            out.append((name, "removed", row_id, "", text, ""))
    for row_id in added:
        if row_id not in set(renamed.values()):
            text = b.columns[label][b.position[row_id]] if label in b.columns else ""
            out.append((name, "added", row_id, "", "", text))
    return out


def _merged(name: str, a: _Side, b: _Side, removed: list[str]) -> dict[str, str]:
    """Removed rows that became an alias (``ids``) of a row of the new side: old id -> new id."""
    owner: dict[str, str] = {}
    for row_id, cell in zip(b.ids, b.columns["ids"], strict=True):
        for alias in _normal("ids", cell).split(";"):
            if alias:
                owner.setdefault(alias, row_id)
    return {row_id: owner[row_id] for row_id in removed if row_id in owner}


def _aliases_gained(merged: dict[str, str], a: _Side) -> dict[str, set[str]]:
    """The aliases each row gains by a merge: the merged key and that row's own aliases."""
    gained: dict[str, set[str]] = defaultdict(set)
    for old_id, new_id in merged.items():
        own = _normal("ids", a.columns["ids"][a.position[old_id]])
        gained[new_id] |= {old_id, *filter(None, own.split(";"))}
    return gained


def _only_gained(x: str, y: str, gained: set[str]) -> bool:
    before = set(filter(None, _normal("ids", x).split(";")))
    after = set(filter(None, _normal("ids", y).split(";")))
    return bool(gained) and after - gained == before - gained


def _renamed(
    a: _Side, b: _Side, removed: list[str], added: list[str], compared: list[str]
) -> dict[str, str]:
    """Removed and added rows that are one row whose id changed: equal in every compared cell,
    or (second pass) in all cells but one. Old id -> new id."""
    if not removed or not added or not compared:
        return {}

    def signature(side: _Side, row_id: str) -> tuple[str, ...]:
        return tuple(_normal(c, side.columns[c][side.position[row_id]]) for c in compared)

    old_sigs = {row_id: signature(a, row_id) for row_id in removed}
    new_sigs = {row_id: signature(b, row_id) for row_id in added}
    renamed: dict[str, str] = {}
    drops: list[int | None] = [None, *range(len(compared))] if len(compared) > 2 else [None]
    for drop in drops:  # first exact, then leaving out one column at a time

        def key(sig: tuple[str, ...], drop: int | None = drop) -> tuple[str, ...]:
            return sig if drop is None else sig[:drop] + sig[drop + 1 :]

        waiting: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for row_id, sig in new_sigs.items():
            if row_id not in renamed.values():
                waiting[key(sig)].append(row_id)
        taken = set(renamed.values())
        for row_id, sig in old_sigs.items():
            if row_id in renamed:
                continue
            candidates = [n for n in waiting.get(key(sig), []) if n not in taken]
            if candidates:
                renamed[row_id] = candidates[0]
                taken.add(candidates[0])
    return renamed


def _not_held(old: KBData, new: KBData) -> set[str]:
    """Reference columns that one side's file format does not give, when the formats differ:
    those with no value at all on that side and some on the other."""
    formats = [
        {Path(name).suffix for name in data.files if name.startswith("references.")}
        for data in (old, new)
    ]
    if formats[0] == formats[1]:
        return set()
    empty = [
        {col for col in data.references.columns if (_text(data.references, col) == "").all()}
        for data in (old, new)
    ]
    return empty[0] ^ empty[1]


def table_changes(name: str, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The changes between two versions of one table, as in ``Diff.changes``.

    The id column is the table's known one (:data:`ID_COLUMNS`), else ``<singular>_id``
    (``studies`` -> ``study_id``), else the first column; a table whose ids repeat is compared
    by whole rows.

    Examples
    --------
    >>> import pandas as pd
    >>> old = pd.DataFrame({"study_id": ["s1", "s2"], "design": ["RCT", "cohort"]})
    >>> new = pd.DataFrame({"study_id": ["s2", "s1"], "design": ["case study", "RCT"]})
    >>> table_changes("studies", old, new).values.tolist()
    [['studies', 'edited', 's2', 'design', 'cohort', 'case study']]
    """
    import pandas as pd

    rows = sorted(_table_changes(name, old, new, set()), key=lambda r: (r[2], r[3], r[1]))
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def changes_between(old: KBData, new: KBData) -> pd.DataFrame:
    """The cell changes between two knowledge bases (the ``.changes`` of :func:`diff`)."""
    import pandas as pd

    old_tables, new_tables = data_tables(old), data_tables(new)
    rows: list[tuple[str, ...]] = []
    for name in dict.fromkeys([*old_tables, *new_tables]):
        empty = pd.DataFrame()
        first, second = old_tables.get(name, empty), new_tables.get(name, empty)
        skip = _not_held(old, new) if name == "references" else set()
        keys = (_ResolvedKeys(old), _ResolvedKeys(new)) if name == "findings" else None
        rows += _table_changes(name, first, second, skip, keys)
    order = {name: i for i, name in enumerate(dict.fromkeys([*old_tables, *new_tables]))}
    rows.sort(key=lambda r: (order[r[0]], r[2], r[3], r[1]))
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


# -- what the changes mean: gaps and factsheet tables ------------------------------------------
def gap_transitions(old: KnowledgeBase, new: KnowledgeBase) -> pd.DataFrame:
    """The gaps (:data:`GAP_TYPES`) that closed or opened, computed on both sides."""
    import pandas as pd

    key = ["gap_type", "framework", "element", "review", "concept", "other_framework"]
    before = old.gaps().query("gap_type in @GAP_TYPES")
    after = new.gaps().query("gap_type in @GAP_TYPES")
    both = before.merge(after, on=key, how="outer", indicator=True, suffixes=("_old", "_new"))
    rows = []
    for side, transition in (("left_only", "closed"), ("right_only", "opened")):
        suffix = "_old" if transition == "closed" else "_new"
        for gap in both[both["_merge"] == side].itertuples(index=False):
            g = gap._asdict()
            rows.append(
                (
                    transition,
                    _GAP_WORDS[(g["gap_type"], transition)],
                    g["gap_type"],
                    g["element"],
                    g["review"],
                    g[f"finding_ids{suffix}"],
                    g[f"detail{suffix}"],
                )
            )
    frame = pd.DataFrame(rows, columns=list(GAP_COLUMNS))
    return frame.sort_values(["element", "review", "gap_type"], kind="stable").reset_index(
        drop=True
    )


def _table_frames(kb: KnowledgeBase) -> dict[str, pd.DataFrame]:
    return {name: kb.table(name) for name in kb.table_names()}


def table_cell_changes(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The cells of the regenerated factsheet tables that changed.

    Rows are aligned as a text diff aligns lines (:class:`difflib.SequenceMatcher`): equal
    rows match, a replaced block is compared row by row, the rest are added or removed rows.
    ``row`` is the row's number in the new table (in the old one for a removed row).
    """
    import difflib

    import pandas as pd

    out: list[tuple[Any, ...]] = []
    for name in dict.fromkeys([*old, *new]):
        a = old.get(name, pd.DataFrame())
        b = new.get(name, pd.DataFrame())
        columns = list(dict.fromkeys([*a.columns, *b.columns]))
        rows_a = [tuple(_cell(r, c) for c in columns) for r in a.to_dict("records")]
        rows_b = [tuple(_cell(r, c) for c in columns) for r in b.to_dict("records")]
        same_a = [tuple(_SPACE.sub(" ", v).strip() for v in row) for row in rows_a]
        same_b = [tuple(_SPACE.sub(" ", v).strip() for v in row) for row in rows_b]
        matcher = difflib.SequenceMatcher(None, same_a, same_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
            for i, j in pairs:
                for k, col in enumerate(columns):
                    if same_a[i][k] != same_b[j][k]:
                        out.append(
                            (name, j + 1, rows_b[j][0], col, "edited", rows_a[i][k], rows_b[j][k])
                        )
            for j in range(j1 + len(pairs), j2):
                out += [
                    (name, j + 1, rows_b[j][0], c, "added", "", v)
                    for c, v in zip(columns, rows_b[j], strict=True)
                    if v
                ]
            for i in range(i1 + len(pairs), i2):
                out += [
                    (name, i + 1, rows_a[i][0], c, "removed", v, "")
                    for c, v in zip(columns, rows_a[i], strict=True)
                    if v
                ]
    return pd.DataFrame(out, columns=list(TABLE_CHANGE_COLUMNS))


def _cell(row: dict[str, Any], column: str) -> str:
    value = row.get(column, "")
    return "" if value is None or value != value else str(value)


# -- the result --------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Diff:
    """The changes between two versions of a knowledge base (made by :func:`diff`).

    Attributes
    ----------
    changes
        One row per change: ``table``, ``change`` (added, removed, edited, moved, merged),
        ``id``, ``column``, ``old``, ``new``. ``moved``: a finding whose element changed;
        ``merged``: a reference that became an alias (biblatex ``ids``) of another, ``new``
        naming it; an id that changed is an ``edited`` row of the id column.
    gaps
        The evidence gaps that closed or opened (:data:`GAP_TYPES`), computed on both sides:
        ``transition``, ``what`` (``empty cell filled``, ``a second source``, ...),
        ``gap_type``, ``element``, ``review``, ``finding_ids``, ``detail``.
    tables
        The factsheet cells that changed: ``table``, ``row``, ``label`` (the row's first
        cell), ``column``, ``change`` (edited, added, removed), ``old``, ``new``.
    """

    old: KBData
    new: KBData
    changes: pd.DataFrame

    @cached_property
    def old_kb(self) -> KnowledgeBase:
        """The old side, queryable (citations resolved)."""
        return knowledge_base(self.old)

    @cached_property
    def new_kb(self) -> KnowledgeBase:
        """The new side, queryable (citations resolved)."""
        return knowledge_base(self.new)

    @cached_property
    def gaps(self) -> pd.DataFrame:
        return gap_transitions(self.old_kb, self.new_kb)

    @cached_property
    def old_tables(self) -> dict[str, pd.DataFrame]:
        """The factsheet tables of the old side, regenerated."""
        return _table_frames(self.old_kb)

    @cached_property
    def new_tables(self) -> dict[str, pd.DataFrame]:
        """The factsheet tables of the new side, regenerated."""
        return _table_frames(self.new_kb)

    @cached_property
    def tables(self) -> pd.DataFrame:
        return table_cell_changes(self.old_tables, self.new_tables)

    def counts(self) -> dict[str, int]:
        """The number of changes per ``table change`` (``{"findings edited": 3, ...}``)."""
        counted = self.changes.groupby(["table", "change"], sort=True).size()
        return {f"{table} {change}": int(n) for (table, change), n in counted.items()}

    def __len__(self) -> int:
        return len(self.changes)

    def __repr__(self) -> str:
        parts = ", ".join(f"{n} {what}" for what, n in self.counts().items())
        return f"<Diff: {len(self.changes)} changes{': ' + parts if parts else ''}>"


def diff(old: KBSource, new: KBSource, *, strict: bool = True) -> Diff:
    """Compare two versions of a knowledge base.

    Parameters
    ----------
    old, new
        Each a knowledge-base directory, a git revision of one (``"HEAD~1:data"``, or a bare
        ``"HEAD~1"`` when the other side is a directory in a git work tree: that directory as
        it was), or a loaded knowledge base (``ekb.load(...)``). Directories and revisions are
        compared as their files hold them; when one side is a loaded knowledge base, whose
        findings carry the reference keys their citations resolve to, the other side's
        citations are resolved too.
    strict
        If true (the default), a side with an error in its files is refused; if false, the
        valid records of each side are compared.

    Returns
    -------
    Diff
        ``.changes`` (one row per changed cell, added, removed, moved or merged row), ``.gaps``
        (gap transitions) and ``.tables`` (changed factsheet cells); see :class:`Diff`.

    Raises
    ------
    InputError
        If a side cannot be read (or, under ``strict``, has errors), naming the file and line.

    Examples
    --------
    >>> kb = ekb.load()
    >>> len(ekb.diff(kb, kb).changes)
    0
    """
    with _opened(old, new, strict) as first, _opened(new, old, strict) as second:
        if (first.citation_table is None) != (second.citation_table is None):
            # one side is a loaded knowledge base: resolve the other's citations too, so that
            # the reference keys of the findings are compared at the same stage
            first, second = knowledge_base(first), knowledge_base(second)
        return Diff(first, second, changes_between(first, second))
