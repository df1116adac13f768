"""Show a table of findings in Jupyter with the whole text, wrapped, not cut at 50 characters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler


def show(frame: pd.DataFrame, *, max_rows: int = 200, width: str = "40em") -> Styler:
    """Return ``frame`` styled for reading: long text wraps, line breaks stay, nothing is cut.

    Any DataFrame works (``kb.findings``, ``kb.evidence("Synergie")``, ``dupes.pairs``). Text is
    escaped, so a statement can never inject markup into the notebook.

    Parameters
    ----------
    frame
        The table to show.
    max_rows
        Show at most this many rows (the first ones).
    width
        The largest width of a text column.

    Examples
    --------
    >>> html = show(ekb.load().evidence("Synergie")[["finding_id", "statement"]]).to_html()
    >>> "white-space: pre-wrap" in html
    True
    """
    head = frame.head(max_rows)
    styler = head.style.format(na_rep="", escape="html")
    styler = styler.set_properties(
        **{
            "white-space": "pre-wrap",
            "text-align": "left",
            "vertical-align": "top",
            "max-width": width,
        }
    )
    return styler.set_table_styles([{"selector": "th", "props": "text-align: left;"}])
