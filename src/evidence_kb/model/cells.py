"""Table cells as text: one rule for what counts as an empty cell, used by every stage."""

from __future__ import annotations

import math
from typing import Any


def cell_text(value: Any) -> str:
    """Return a table cell as stripped text; ``""`` for None, NaN and ``pandas.NA``.

    Examples
    --------
    >>> cell_text(None), cell_text(float("nan")), cell_text("  Tosun, 2017 ")
    ('', '', 'Tosun, 2017')
    >>> import pandas as pd
    >>> cell_text(pd.NA), cell_text(2017)
    ('', '2017')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if type(value).__name__ == "NAType":  # pandas.NA, without importing pandas
        return ""
    return str(value).strip()
