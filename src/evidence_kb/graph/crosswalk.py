"""The crosswalk: links between elements of different frameworks that the sources state.

``data/crosswalk.csv`` holds one row per stated link:

- ``source_element``, ``target_element``: element ids (a framework's own id for a link between
  whole frameworks, e.g. ``tno-lo`` and ``liso-2025``);
- ``relation``: ``overlap``, ``difference``, ``relationship`` or ``same_as``;
- ``finding_id``: the finding(s) that state the link, ``;``-separated;
- ``note``: why, quoting the source; a row without a finding must say where the link is
  stated (a line, ``<seed> <section>, line <n>``, or a page, ``p. 14``), so that no link is
  made up.

Two kinds of rows live in the file. The links between whole frameworks follow mechanically from
the comparison findings of 000 (:func:`derive_comparison_links` re-derives them, and a test keeps
the file in step). The links between single elements are judgement calls, each explained in
its note.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.model.cells import cell_text
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.vocab import (
    CROSSWALK_COLUMNS,
    CROSSWALK_FILE,
    REQUIRED_CROSSWALK_COLUMNS,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COMPARISON_REVIEW",
    "CROSSWALK_COLUMNS",
    "CROSSWALK_FILE",
    "RELATIONS",
    "SIDE_FRAMEWORKS",
    "check_crosswalk",
    "derive_comparison_links",
    "load_crosswalk",
]

RELATIONS = ("overlap", "difference", "relationship", "same_as")
COMPARISON_REVIEW = "lo-lnw-2026"

# Which framework each side of the 000 comparison speaks for: the TNO model of the learning
# organisation, and the LISO-werkwijze that 000 presents for learning networks (Figuur 1, line 66;
# "het raamwerk van leernetwerken", Tabel 2 line 130 and 136).
SIDE_FRAMEWORKS: dict[str, tuple[str, ...]] = {
    "learning_organisation": ("tno-lo",),
    "learning_network": ("liso-2025",),
    "both": ("tno-lo", "liso-2025"),
}
_COMPARISON_KINDS = ("overlap", "difference", "relationship")
# where a link without a finding is stated: a line of a seed, or a page of a publication
_SOURCE_LINE = re.compile(r"\b(?:lines?|p\.|pp\.|pages?)\s*\d+", re.IGNORECASE)


def load_crosswalk(
    source: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    elements: Iterable[str] | None = None,
    findings: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and check the crosswalk.

    Parameters
    ----------
    source
        A path to a ``crosswalk.csv`` or a DataFrame. By default ``data_dir/crosswalk.csv``,
        or the bundled file when no ``data_dir`` is given.
    data_dir
        A knowledge base directory: its own ``crosswalk.csv``, or no links when it has none.
    elements
        The element ids of the knowledge base. Rows naming another element are left out with a
        warning (a crosswalk written for a bigger knowledge base still loads).
    findings
        The finding ids of the knowledge base. Rows citing another finding are left out with a
        warning too.

    Returns
    -------
    (pandas.DataFrame, list of Problem)
        The usable rows (the five columns plus ``line``, the line in the file) and the warnings.

    Raises
    ------
    InputError
        For an unknown relation, a link of an element to itself, or a row with neither a
        finding nor a source line in its note.
    """
    import pandas as pd

    name = CROSSWALK_FILE
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        for column in CROSSWALK_COLUMNS:
            frame[column] = [cell_text(v) for v in frame[column]] if column in frame else ""
        lines: list[int | None] = [None] * len(frame)
    else:
        path = Path(source) if source is not None else _default_path(data_dir)
        if not path.exists():
            empty = pd.DataFrame(columns=[*CROSSWALK_COLUMNS, "line"])
            return empty, []
        from evidence_kb.graph.concepts import table_frame
        from evidence_kb.io.csvfile import read_csv_rows

        table = read_csv_rows(path, required=REQUIRED_CROSSWALK_COLUMNS, known=CROSSWALK_COLUMNS)
        if any(p.severity == "error" for p in table.problems):
            raise InputError(table.problems)
        frame = table_frame(table, CROSSWALK_COLUMNS)
        lines, name = list(table.lines), path.name
    keep, errors, warnings = check_crosswalk(
        frame, lines, name, elements=elements, findings=findings
    )
    if errors:
        raise InputError(errors + warnings)
    frame = frame.assign(line=[pd.NA if x is None else x for x in lines]).loc[keep]
    return frame.reset_index(drop=True), warnings


def check_crosswalk(
    frame: pd.DataFrame,
    lines: list[int | None],
    name: str = CROSSWALK_FILE,
    *,
    elements: Iterable[str] | None = None,
    findings: Iterable[str] | None = None,
    left_out: Iterable[str] = (),
) -> tuple[list[bool], list[Problem], list[Problem]]:
    """Check every row of a crosswalk table.

    Returns
    -------
    (list of bool, list of Problem, list of Problem)
        Per row whether it is usable, the errors (an unknown relation, a link of an element to
        itself, a row with neither a finding nor a source line in its note) and the warnings
        (an element or finding not in ``elements`` / ``findings``: the row is left out).
        ``left_out`` are ids that are in the knowledge base's files but were left out because
        of their own errors; the warning says so.
    """
    known_elements = set(elements) if elements is not None else None
    known_findings = set(findings) if findings is not None else None
    dropped = set(left_out)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    keep = []
    for line, row in zip(lines, frame.itertuples(index=False), strict=True):
        ok = True
        if row.relation not in RELATIONS:
            msg = f"got {row.relation!r}, expected one of: {', '.join(RELATIONS)}"
            errors.append(Problem(name, line, "relation", row.relation, msg))
            ok = False
        if row.source_element == row.target_element:
            msg = "an element cannot be linked to itself"
            errors.append(Problem(name, line, "target_element", row.target_element, msg))
            ok = False
        cited = [f.strip() for f in row.finding_id.split(";") if f.strip()]
        if not cited and not _SOURCE_LINE.search(row.note):
            msg = (
                "no support: give the finding that states the link, or where it is stated in "
                "the note (e.g. '001 Tabel 1, line 97' or 'Smith 2020, p. 14')"
            )
            errors.append(Problem(name, line, "finding_id", row.finding_id, msg))
            ok = False
        if known_elements is not None:
            for column in ("source_element", "target_element"):
                value = getattr(row, column)
                if value not in known_elements:
                    msg = f"{_not_here(value, 'element', dropped)}; the link is left out"
                    warnings.append(Problem(name, line, column, value, msg, "warning"))
                    ok = False
        if ok and known_findings is not None:
            missing = [f for f in cited if f not in known_findings]
            if missing:
                msg = f"{_not_here(missing[0], 'finding', dropped)}; the link is left out"
                warnings.append(Problem(name, line, "finding_id", missing[0], msg, "warning"))
                ok = False
        keep.append(ok)
    return keep, errors, warnings


def _not_here(value: str, what: str, left_out: set[str]) -> str:
    if value in left_out:
        return f"{value!r} was left out of the knowledge base because of its errors"
    article = "an" if what[0] in "aeiou" else "a"
    return f"{value!r} is not {article} {what} of this knowledge base"


def derive_comparison_links(findings: pd.DataFrame) -> pd.DataFrame:
    """Derive the framework-level links that the comparison findings of 000 state.

    The overlap and difference rows of 000 Tabel 2 come in pairs that share a THEMA (``topic``):
    one row for the learning organisation, one for learning networks. Each pair is one link
    between the two frameworks (``SIDE_FRAMEWORKS``). Each relationship row, about both, is a
    link of its own. Advice rows (Tabel 3) comment on these and add none.

    Returns
    -------
    pandas.DataFrame
        Crosswalk rows (``source_element`` the learning-organisation framework), sorted.

    Examples
    --------
    >>> kb = ekb.load()
    >>> links = derive_comparison_links(kb.findings)
    >>> links.query("finding_id == 'lolnw-010;lolnw-011'")[
    ...     ["source_element", "target_element", "relation"]
    ... ].values.tolist()
    [['tno-lo', 'liso-2025', 'overlap']]
    """
    import pandas as pd

    (lo,) = SIDE_FRAMEWORKS["learning_organisation"]
    (lnw,) = SIDE_FRAMEWORKS["learning_network"]
    rows = []
    comparisons = findings[findings["kind"].isin(_COMPARISON_KINDS)]
    comparisons = comparisons[comparisons["element"].fillna("") == ""]
    for (kind, topic), group in comparisons.groupby(["kind", "topic"], sort=False, dropna=False):
        ids = sorted(group["finding_id"])
        sides = set(group["side"].fillna(""))
        if kind == "relationship" or sides == {"both"}:
            rows += [(lo, lnw, "relationship", f, f"{topic}") for f in ids]
        elif {"learning_organisation", "learning_network"} <= sides:
            rows.append((lo, lnw, kind, ";".join(ids), f"{topic}"))
    frame = pd.DataFrame(rows, columns=list(CROSSWALK_COLUMNS))
    return frame.sort_values(["relation", "finding_id"], kind="stable").reset_index(drop=True)


def _default_path(data_dir: str | os.PathLike[str] | None) -> Path:
    """``data_dir/crosswalk.csv`` (which may not exist); without ``data_dir`` the bundled file."""
    if data_dir is not None:
        return Path(data_dir) / CROSSWALK_FILE
    from evidence_kb.kb import bundled_data_dir

    return bundled_data_dir() / CROSSWALK_FILE
