""" "Did you mean" hints for a value that is not one of the known ones."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

__all__ = ["did_you_mean"]


def did_you_mean(value: str, choices: Iterable[str], *, cutoff: float = 75) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""`` if none is close.

    Examples
    --------
    >>> did_you_mean("postive", ["promoting", "positive"])
    " (did you mean 'positive'?)"
    >>> did_you_mean("zzz", ["promoting"])
    ''
    """
    choices = list(choices)
    if not value or not choices:
        return ""
    match = process.extractOne(value, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return f" (did you mean {match[0]!r}?)" if match else ""
