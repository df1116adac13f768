"""The result of :func:`~evidence_kb.read_references`: a DataFrame that carries its problems.

pandas calls ``DataFrame.attrs`` experimental and many operations drop it, so the problems of a
read are attributes of the result instead: ``refs.problems`` and ``refs.formats``. A frame
derived from it (a selection, a copy) is a plain DataFrame, as the problems belong to the read.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evidence_kb.model.errors import Problem

__all__ = ["ReferenceFrame"]


class ReferenceFrame(pd.DataFrame):
    """One row per record read, with ``problems`` (list of Problem) and ``formats``.

    ``formats`` maps each file name to the format it was read as. Under ``strict=True`` the
    reader raises :class:`~evidence_kb.InputError` instead of returning errors here.
    """

    _metadata = ["problems", "formats"]  # noqa: RUF012 (pandas' own attribute, a list)

    problems: list[Problem]
    formats: dict[str, str]

    @property
    def _constructor(self) -> Any:
        return pd.DataFrame  # derived frames are plain: the problems belong to the read

    @classmethod
    def of(
        cls, frame: pd.DataFrame, problems: list[Problem], formats: dict[str, str]
    ) -> ReferenceFrame:
        """``frame`` as the result of a read with these problems and formats."""
        result = cls(frame)
        result.problems = problems
        result.formats = formats
        # DataFrame.attrs as before, for one release: use .problems and .formats instead
        result.attrs["problems"] = problems
        result.attrs["formats"] = formats
        return result
