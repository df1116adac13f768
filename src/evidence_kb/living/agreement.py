"""Agreement between two coders who coded the same findings (dual coding).

Cohen's kappa comes from scikit-learn (:func:`sklearn.metrics.cohen_kappa_score`) and
Krippendorff's alpha from the ``krippendorff`` package (nominal level); both are optional
dependencies: ``pip install "evidence_kb[agreement]"``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.export import read_findings
from evidence_kb.model.data import KBData
from evidence_kb.model.errors import EvidenceKBError, InputError, Problem
from evidence_kb.model.vocab import FINDINGS_FILE, FINDINGS_XLSX_FILE

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Agreement", "agreement"]

SUMMARY_COLUMNS = ("column", "n", "agreement", "kappa", "alpha")
ELEMENT_COLUMNS = ("element", "n_a", "n_b", "n_both", "agreement", "kappa", "alpha")


@dataclass(frozen=True)
class Agreement:
    """Agreement of two codings (made by :func:`agreement`).

    Attributes
    ----------
    summary
        Per column: ``n`` (rows both coded), ``agreement`` (share of equal codes), ``kappa``
        (Cohen) and ``alpha`` (Krippendorff, nominal).
    by_element
        Per element: how many rows each coder put under it (``n_a``, ``n_b``), under it by both
        (``n_both``), and agreement, kappa and alpha of "under this element or not" over all
        rows. Empty when ``element`` is not among the columns.
    disagreements
        The rows on which the coders differ in any compared column, with both codes
        (``COLUMN_a``, ``COLUMN_b``).
    """

    summary: pd.DataFrame
    by_element: pd.DataFrame
    disagreements: pd.DataFrame


def _frame(source: str | os.PathLike[str] | KBData | pd.DataFrame, label: str) -> pd.DataFrame:
    import pandas as pd

    if isinstance(source, KBData):
        return source.findings
    if isinstance(source, pd.DataFrame):
        return source
    path = Path(source)
    if path.is_dir():  # a knowledge base: its findings file, CSV or Excel
        path = next(
            (path / n for n in (FINDINGS_FILE, FINDINGS_XLSX_FILE) if (path / n).exists()),
            path / FINDINGS_FILE,
        )
    return read_findings(path)


def _scores(a: list[str], b: list[str]) -> tuple[float, float, float]:
    """Observed agreement, Cohen's kappa and Krippendorff's alpha (nominal) of two codings."""
    try:
        import krippendorff
        import numpy as np
        from sklearn.metrics import cohen_kappa_score
    except ImportError as err:
        msg = (
            f"agreement needs scikit-learn and krippendorff ({err.name} is missing): "
            'pip install "evidence_kb[agreement]"'
        )
        raise EvidenceKBError(msg) from None
    if not a:
        return float("nan"), float("nan"), float("nan")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    labels = sorted(set(a) | set(b))
    if len(labels) < 2:  # one code only: chance agreement is total, neither statistic is defined
        return observed, float("nan"), float("nan")
    kappa = float(cohen_kappa_score(a, b, labels=labels))
    codes = {label: i for i, label in enumerate(labels)}
    data = np.array([[codes[x] for x in a], [codes[y] for y in b]], dtype=float)
    alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return observed, kappa, alpha


def agreement(
    a: str | os.PathLike[str] | KBData | pd.DataFrame,
    b: str | os.PathLike[str] | KBData | pd.DataFrame,
    *,
    columns: list[str] | tuple[str, ...] = ("element", "direction"),
    on: str = "finding_id",
) -> Agreement:
    """Compare two coders' findings: Cohen's kappa and Krippendorff's alpha per column and element.

    Parameters
    ----------
    a, b
        The two codings: findings files (CSV or Excel), knowledge-base directories, loaded
        knowledge bases or DataFrames.
    columns
        The coded columns to compare; an empty cell is a code of its own ("not coded").
    on
        The column that says which rows are the same finding in both codings.

    Returns
    -------
    Agreement
        ``.summary``, ``.by_element`` and ``.disagreements``.

    Raises
    ------
    InputError
        If a coding lacks ``on`` or a column, repeats an id, or the codings share no id; rows
        only one coder has are named in the message.
    """
    import pandas as pd

    first, second = _frame(a, "a"), _frame(b, "b")
    _check(first, second, columns, on)
    cells = [*dict.fromkeys([on, *columns])]
    left = first[cells].astype("string").fillna("")
    right = second[cells].astype("string").fillna("")
    both = left.merge(right, on=on, how="outer", suffixes=("_a", "_b"), indicator=True)
    only = both[both["_merge"] != "both"]
    if not only.empty:
        names = ", ".join(
            f"{row[on]} ({row['_merge'].split('_')[0]})" for _, row in only.head(10).iterrows()
        )
        msg = f"{len(only)} row(s) coded by one coder only (left = a, right = b): {names}"
        raise InputError([Problem("codings", None, on, None, msg)])
    both = both.drop(columns="_merge").sort_values(on, kind="stable").reset_index(drop=True)
    coded = [col for col in columns if col != on]
    summary = [
        (col, len(both), *_scores(both[f"{col}_a"].tolist(), both[f"{col}_b"].tolist()))
        for col in coded
    ]
    by_element = _by_element(both) if "element" in coded else []
    differ = pd.Series(False, index=both.index)
    for col in coded:
        differ |= both[f"{col}_a"] != both[f"{col}_b"]
    return Agreement(
        pd.DataFrame(summary, columns=list(SUMMARY_COLUMNS)),
        pd.DataFrame(by_element, columns=list(ELEMENT_COLUMNS)),
        both[differ].reset_index(drop=True),
    )


def _check(first: pd.DataFrame, second: pd.DataFrame, columns, on: str) -> None:
    """Refuse codings without the id or a coded column, or with an id twice (all at once)."""
    problems = []
    for label, frame in (("a", first), ("b", second)):
        for col in (on, *columns):
            if col not in frame.columns:
                msg = f"coding {label} has no column {col!r}; it has: {', '.join(frame.columns)}"
                problems.append(Problem(f"coding {label}", None, col, None, msg))
        if on in frame.columns and frame[on].duplicated().any():
            repeated = sorted(set(frame.loc[frame[on].duplicated(), on].astype(str)))
            msg = f"ids used twice: {', '.join(repeated[:10])}"
            problems.append(Problem(f"coding {label}", None, on, None, msg))
    if problems:
        raise InputError(problems)


def _by_element(both: pd.DataFrame) -> list[tuple]:
    """Per element: rows each coder put under it, under it by both, and the scores of "under
    this element or not" over all rows."""
    rows = []
    ea, eb = both["element_a"].tolist(), both["element_b"].tolist()
    for element in sorted(set(ea) | set(eb)):
        xs = [str(e == element) for e in ea]
        ys = [str(e == element) for e in eb]
        n_both = sum(x == y == "True" for x, y in zip(xs, ys, strict=True))
        rows.append((element, xs.count("True"), ys.count("True"), n_both, *_scores(xs, ys)))
    return rows
