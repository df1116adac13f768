"""The words of every output in Dutch and English: one home for the language of tables,
PRISMA diagrams, plots, the report and the APA list.

A knowledge base's outputs are in one ``language``: ``"nl"`` or ``"en"``. A review may name its
own in ``reviews.csv`` (column ``language``); :func:`review_language` picks the language of an
output: the one asked for, else the review's, else Dutch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "WORDS",
    "Language",
    "check_language",
    "review_language",
    "word",
]

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
DEFAULT_LANGUAGE: Language = "nl"


WORDS: dict[str, dict[str, str]] = {  # the words of every output, per language
    "nl": {
        "element": "Kernelement",
        "theme": "Thema",
        "review": "Review",
        "promoting": "Bevorderend werkt",
        "hindering": "Belemmerend werkt",
        "other": "Overig",
        "relationship": "Onderlinge relatie",
        "overlap": "Overeenkomsten",
        "difference": "Verschillen",
        "et_al": "e.a.",
        "no_date": "z.d.",
        "references": "Literatuur",
        "table": "Tabel",
        "evidence": "Bevindingen",
        "across": "Over alle kolommen",
        "all": "alle",
        "findings_axis": "Aantal bevindingen",
        "none": "geen richting",
        "crosswalk_intro": "De verbanden die de bronnen leggen tussen {frameworks}",
        "crosswalk_title": "Verbanden tussen de kaders",
        "line_overlap": "overlap",
        "line_difference": "verschil",
        "line_other": "ander verband",
        "charting": "Kenmerken van de bronnen",
        "n_studies": "Aantal bronnen",
        "n_findings": "Aantal bevindingen",
        "studies": "Bronnen",
    },
    "en": {
        "element": "Core element",
        "theme": "Theme",
        "review": "Review",
        "promoting": "Promoting",
        "hindering": "Hindering",
        "other": "Other",
        "relationship": "Relationship",
        "overlap": "Similarities",
        "difference": "Differences",
        "et_al": "et al.",
        "no_date": "n.d.",
        "references": "References",
        "table": "Table",
        "evidence": "Findings",
        "across": "Across all columns",
        "all": "all",
        "findings_axis": "Number of findings",
        "none": "no direction",
        "crosswalk_intro": "The links the sources make between {frameworks}",
        "crosswalk_title": "Crosswalk between the frameworks",
        "line_overlap": "overlap",
        "line_difference": "difference",
        "line_other": "other relation",
        "charting": "Charting of the sources",
        "n_studies": "Number of sources",
        "n_findings": "Number of findings",
        "studies": "Sources",
    },
}


def check_language(value: object) -> Language:
    """Return ``value`` as a language, or raise a ``ValueError`` that names the ones there are.

    Examples
    --------
    >>> check_language("en")
    'en'
    """
    for language in LANGUAGES:
        if value == language:
            return language
    msg = f"language={value!r} is not supported; use one of: {', '.join(map(repr, LANGUAGES))}"
    raise ValueError(msg)


def word(key: str, language: Language) -> str:
    """The word ``key`` of :data:`WORDS` in ``language``."""
    return WORDS[language][key]


def review_language(
    language: str | None, reviews: Iterable[Mapping[str, object]], review: str | None = None
) -> Language:
    """The language of an output: ``language`` if given, else the review's (``reviews.csv``
    column ``language``), else the one language all reviews name, else Dutch.

    Examples
    --------
    >>> review_language(None, [{"review_id": "a", "language": "en"}], "a")
    'en'
    >>> review_language("nl", [{"review_id": "a", "language": "en"}], "a")
    'nl'
    """
    if language is not None:
        return check_language(language)
    named = {str(r.get("review_id", "")): str(r.get("language") or "").strip() for r in reviews}
    if review is not None and named.get(review) in LANGUAGES:
        return check_language(named[review])
    given = {v for v in named.values() if v}
    if len(given) == 1 and next(iter(given)) in LANGUAGES:
        return check_language(next(iter(given)))
    return DEFAULT_LANGUAGE
