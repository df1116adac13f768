"""Read and write the decisions file of deduplication (``id_a, id_b, verdict``).

The file holds a person's verdicts on pairs of records; :mod:`evidence_kb.citations.dedupe`
checks and applies them. Writing is atomic: a failure leaves the old file as it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kb.io.text import read_text, write_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DECISION_COLUMNS", "read_decisions_file", "write_decisions_file"]

DECISION_COLUMNS = ("id_a", "id_b", "verdict")


def read_decisions_file(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The decisions CSV as a table of text (no cell is read as a number or as missing)."""
    import io

    import pandas as pd

    text = read_text(path)
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def write_decisions_file(decisions: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the decisions CSV atomically (a temporary file renamed into place)."""
    write_text(path, decisions.to_csv(index=False))
    return Path(path)
