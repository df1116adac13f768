"""A diff for people: Markdown, a self-contained HTML page with the changed cells marked, CSV.

:func:`write_diff` writes ``diff.md``, ``diff.html``, ``changes.csv``, ``gaps.csv`` and
``table_cells.csv``. The HTML shows the summary, every change, the gap transitions and each
regenerated factsheet table whose cells changed, with those cells marked (hover for the old
value) and removed rows listed under it.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.formula import spreadsheet_csv
from evidence_kb.io.text import write_text
from evidence_kb.living.diff import Diff

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["diff_html", "diff_markdown", "diff_summary", "write_diff"]

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 80rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.5rem; vertical-align: top;
         white-space: pre-wrap; text-align: left; }
th { background: #eee; }
td.edited { background: #fff1b3; }
td.added { background: #c9f2c9; }
.removed { background: #f8c9c9; }
"""


def diff_summary(result: Diff) -> str:
    """A few lines: the counts of changes per table and kind, gap transitions, table cells."""
    lines = [f"{len(result.changes)} change(s)"]
    lines += [f"  {what}: {n}" for what, n in result.counts().items()]
    gaps = result.gaps
    lines.append(f"{len(gaps)} gap transition(s)")
    lines += [f"  {row.element} in {row.review}: {row.what}" for row in gaps.itertuples()]
    cells = result.tables
    per_table = cells.groupby("table").size() if len(cells) else {}
    lines.append(f"{len(cells)} factsheet cell(s) changed")
    lines += [f"  {name}: {n}" for name, n in dict(per_table).items()]
    return "\n".join(lines)


def _md_cell(value: object) -> str:
    text = "" if value is None or value != value else str(value)
    return text.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def _md_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "(none)\n"
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in frame.to_numpy()]
    return "\n".join([head, rule, *rows]) + "\n"


def diff_markdown(result: Diff) -> str:
    """The diff as Markdown: summary, changes, gap transitions, changed factsheet cells."""
    parts = [
        "# What changed in the evidence\n",
        "```\n" + diff_summary(result) + "\n```\n",
        "## Changes\n",
        _md_table(result.changes),
        "## Gap transitions\n",
        _md_table(result.gaps.drop(columns=["detail"])),
        "## Factsheet cells\n",
        _md_table(result.tables),
    ]
    return "\n".join(parts)


def _marked_table(name: str, result: Diff) -> str:
    """The new factsheet table ``name`` with its changed cells marked (hover: the old value),
    and its removed rows."""
    import pandas as pd

    frame = result.new_tables.get(name, pd.DataFrame()).astype("string").fillna("")
    cells = result.tables[result.tables["table"] == name]
    marks = {
        (cell.row - 1, cell.column): (cell.change, cell.old)
        for cell in cells[cells["change"] != "removed"].itertuples()
    }
    head = "".join(f"<th>{html.escape(str(col))}</th>" for col in frame.columns)
    body = []
    for i, row in enumerate(frame.itertuples(index=False)):
        tds = []
        for col, value in zip(frame.columns, row, strict=True):
            change, old = marks.get((i, col), ("", ""))
            attrs = f' class="{change}" title="{html.escape("was: " + old)}"' if change else ""
            tds.append(f"<td{attrs}>{html.escape(str(value))}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    out = [
        f"<h3>{html.escape(name)}</h3>",
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
    ]
    removed = cells[cells["change"] == "removed"]
    if len(removed):
        out.append("<p>Removed rows:</p>")
        out.append(
            removed[["row", "column", "old"]].to_html(index=False, classes="removed", escape=True)
        )
    return "\n".join(out)


def diff_html(result: Diff, *, title: str = "What changed in the evidence") -> str:
    """The diff as one self-contained HTML page (no scripts, nothing fetched)."""
    changed = list(dict.fromkeys(result.tables["table"]))
    body = [
        f"<h1>{html.escape(title)}</h1>",
        f"<pre>{html.escape(diff_summary(result))}</pre>",
        "<h2>Changes</h2>",
        result.changes.to_html(index=False, escape=True),
        "<h2>Gap transitions</h2>",
        result.gaps.to_html(index=False, escape=True),
        "<h2>Factsheet tables</h2>",
        *(_marked_table(name, result) for name in changed),
    ]
    if not changed:
        body.append("<p>No factsheet cell changed.</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write_diff(result: Diff, out: str | os.PathLike[str]) -> list[Path]:
    """Write the diff to directory ``out``; return the paths written."""
    out = Path(out)
    files = {
        "diff.md": diff_markdown(result),
        "diff.html": diff_html(result),
        # old and new cell values, opened in a spreadsheet: no value runs as a formula
        "changes.csv": spreadsheet_csv(result.changes),
        "gaps.csv": spreadsheet_csv(result.gaps),
        "table_cells.csv": spreadsheet_csv(result.tables),
    }
    for name, text in files.items():
        write_text(out / name, text)
    return [out / name for name in files]
