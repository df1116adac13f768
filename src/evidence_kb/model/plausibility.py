"""Plausibility checks of a bibliography: the marks a wrongly parsed reference list leaves.

A reference list copied from a PDF and split into fields by a program goes wrong in typical
ways: an author list split in the wrong places (``"J. -"`` and ``". . . Lich"`` as authors),
"et al." taken for a name, a title cut at its subtitle or glued to the journal, volume and pages
that follow it, and a merge of two printings of one work that keeps the poorer one. None of this
breaks the BibTeX, so the checks here report it as warnings, each naming the entry's line and
field in ``references.bib``.

Given the printed reference lists (``sources/``, the layout ``evidence-kb build-bib`` works
from), every entry is also compared with the printed references its ``source`` field names: a
field, title or author list that the print has and the entry lacks is reported too, and so is,
value by value, a printed word in no field, a field that the print separates into several
parts, or a value in a field it does not belong in
(:func:`~evidence_kb.model.printed_values.printed_value_problems`, which reads the printed line
itself, not the parser's fields).

The checks are pure: the lines of the fields and the parsed printed lists come in as data
(:func:`evidence_kb.io.bibtex.check_references` reads them and calls :func:`reference_problems`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

from evidence_kb.model.errors import Problem
from evidence_kb.model.printed import PRINTED_FIELDS, ParsedReference
from evidence_kb.model.printed_values import printed_value_problems
from evidence_kb.model.records import BIBTEX_NAMES, Reference
from evidence_kb.model.text import INITIALS_RUN, OTHERS, ascii_fold

__all__ = ["FieldLines", "PrintedEntries", "author_problem", "reference_problems", "title_problem"]

#: entry key -> BibTeX field (lower case) -> line; ``"@"`` is the line of the entry itself
FieldLines = Mapping[str, Mapping[str, int]]
#: the printed lists: label (as in ``manifest.csv``) -> line -> the printed reference there
PrintedEntries = Mapping[str, Mapping[int, ParsedReference]]
_PARTICLES = {"van", "de", "der", "den", "von", "du", "la", "le", "ten", "ter", "da", "het", "d"}
# (a particle is a family name of its own too, "Du, N.", "De, S.": only one that has a name
# after its comma, "Van, Eldere J", is taken for a split)
_ELLIPSIS = re.compile(r"(?:\.\s?){2}\.|…")
_ET_AL = re.compile(r"^(?:et\.?\s*al\.?|e\.\s?a\.?)$|\bet\.?\s+al\b", re.I)
# initials alone: "J.", "K. H.", "J. -", "Th.", a lone capital; not "Xu" or "SMITH"
_ONLY_INITIALS = re.compile(rf"^{INITIALS_RUN}$|^[A-Z]$")
_GLUED_NAMES = re.compile(r"^(?:[A-Z]\.\s*)+[A-Z][a-z]{2,}")  # "P. Boermans, S."
_CUT_INITIAL = re.compile(r"(?:^|\s)-\s*\.?$")  # "J. -", "J. -."
# "12(3), 45-67", "23(4), 1-24", "academia.9(3)": a volume and issue inside a title
_VOLUME_ISSUE = re.compile(
    r"(?:^|[\s.,])\d{1,4}\s*\(\s*\d[^)]{0,15}\)\s*(?:,\s*[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?|$)"
)
# a publisher's place after a sentence end: "washington, DC: IBM center" (US style)
_PUBLISHER_PLACE = re.compile(
    r"[.?!]\s+(?P<place>[A-Za-z][a-z]+(?:\s[A-Za-z][a-z]+){0,2},\s[A-Z]{2}):\s"
)
# the common name, a family name and initials, single-spaced: no dots, hyphen or space in the
# family name, nothing but initials after the comma (so no particle, "et al." or ellipsis)
_PLAIN_NAME = re.compile(r"[A-Z][a-z]{2,}, [A-Z]\.(?: [A-Z]\.)*")
_CUT_END = re.compile(r"[:;,\-–(]$")
_PLACE = re.compile(r"^\d{3} (?P<label>.+), line (?P<line>\d+)$")


@lru_cache(maxsize=65536)
def author_problem(name: str) -> str | None:
    """Say why an author name looks like a fragment of a wrongly split list, or None.

    Examples
    --------
    >>> author_problem("Strijbos, J.-P.") is None, author_problem("others") is None
    (True, True)
    >>> author_problem("J. -")
    'is only initials: initials split off from the name before them'
    >>> print(author_problem(". . . Lich, K. H."))  # doctest: +NORMALIZE_WHITESPACE
    holds APA's ellipsis '. . .': record the names left out as 'others' and the name after
    it as an author of its own
    """
    if _PLAIN_NAME.fullmatch(name):  # "Family, A. B.": none of the marks below can be in it
        return None
    name = " ".join(name.split())
    if name.lower() == OTHERS:
        return None
    if _ELLIPSIS.search(name):
        return (
            "holds APA's ellipsis '. . .': record the names left out as 'others' and the name "
            "after it as an author of its own"
        )
    if _ET_AL.search(name):
        return "holds 'et al.', which is no name: record the names left out as 'others'"
    family, _, given = name.partition(",")
    family, given = family.strip(), given.strip()
    if not re.search(r"\w", family):
        return "has no family name, only punctuation"
    if family.lower() in _PARTICLES and re.search(r"[a-z]{2}", given):  # "Van, Eldere J"
        return f"has only the particle {family!r} as family name: a name split at its particle"
    if family.startswith("-"):
        return "starts with a hyphen: the end of a name split at its hyphen"
    if _ONLY_INITIALS.match(family) or _CUT_INITIAL.search(family):
        return "is only initials: initials split off from the name before them"
    if given and _GLUED_NAMES.match(family):
        return (
            "has initials before the family name and more after the comma: two names run "
            "together where print lost a comma"
        )
    if given and _CUT_INITIAL.search(given):
        return "has an initial that ends in a hyphen: a hyphenated initial cut in two"
    return None


def title_problem(title: str, *, venues: Iterable[str] = ()) -> str | None:
    """Say why a title looks cut or glued to its venue, or None.

    ``venues`` are journal and book names known from the bibliography; a title that goes on
    into one of them after a sentence end (``"Title. Journal, 23(4), 1-24"``) is glued to it.

    Examples
    --------
    >>> title_problem("Trust in governance networks: Its impacts on outcomes") is None
    True
    >>> title_problem("Leren. Tijdschrift voor HRM, 23(4), 1-24")
    "contains a volume and issue ('23(4), 1-24'): the venue is glued to the title"
    >>> title_problem("Abenteuer leiten (6")
    "has a '(' that is not closed: the title looks cut"
    """
    return _title_problem(title, _known_venues(venues), "")


def _known_venues(venues: Iterable[str]) -> frozenset[str]:
    return frozenset(ascii_fold(v) for v in venues if len(v.split()) >= 2)  # not "Organization"


def _title_problem(title: str, known: frozenset[str], own: str) -> str | None:
    title = " ".join(title.split())
    if not title:
        return None
    volume = _VOLUME_ISSUE.search(title)
    if volume:
        found = volume.group(0).strip(" .,")
        return f"contains a volume and issue ({found!r}): the venue is glued to the title"
    place = _PUBLISHER_PLACE.search(title)
    if place:
        return f"goes on into a publisher's place ({place.group('place')!r}): glued to the title"
    for end in re.finditer(r"[.?!]\s+", title):
        tail = re.split(r",\s*\d|\.\s", title[end.end() :])[0].strip(" .,")
        folded = ascii_fold(tail)
        if folded in known and folded != own:
            return f"goes on into the venue {tail!r}: the venue is glued to the title"
    if title.count("(") > title.count(")"):
        return "has a '(' that is not closed: the title looks cut"
    if _CUT_END.search(title):
        return f"ends with {title[-1]!r}: the title looks cut"
    return None


def reference_problems(
    references: Sequence[Reference],
    *,
    file_name: str,
    field_lines: FieldLines | Callable[[], FieldLines] | None = None,
    printed: PrintedEntries | None = None,
    printed_problem: str = "",
) -> list[Problem]:
    """Check references for the marks of a wrongly parsed list.

    Parameters
    ----------
    references
        The references of one file.
    file_name
        The name of that file, for the problems.
    field_lines
        Where each entry and field stands in the file, or a function that returns it (called
        only when there is something to report); without it the problems have no line.
    printed
        The printed lists to compare each entry with (see :data:`PrintedEntries`).
    printed_problem
        Why the printed lists could not all be compared, as one warning.

    Returns
    -------
    list of Problem
        Warnings with the file name, the line of the entry's field, the field, its value and
        what looks wrong, sorted by line.
    """
    lines: dict[str, Mapping[str, int]] = {}  # looked up only when there is something to report
    problems: list[Problem] = []

    def warn(ref: Reference, attr: str, value: str, message: str) -> None:
        if not lines:
            found = field_lines() if callable(field_lines) else field_lines
            lines.update(found or {})
            lines.setdefault("", {})  # never empty, so it is looked up once
        field = BIBTEX_NAMES.get(attr, attr)
        entry = lines.get(ref.key, {})
        line = entry.get(field, entry.get("@"))
        text = f"entry {ref.key!r}: {field} {message}"
        problems.append(Problem(file_name, line, field, value, text, "warning"))

    for ref, attr, value, message in _parsing_marks(references):
        warn(ref, attr, value, message)
    if printed_problem:
        problems.append(Problem(file_name, None, "source", "", printed_problem, "warning"))
    if printed is not None:
        for ref in references:
            for place, message, attr, value in _compare_with_print(ref, printed):
                warn(ref, attr, value, f"{message} ({place})")
    return sorted(problems, key=lambda p: p.line or 0)


def _parsing_marks(references: Sequence[Reference]) -> list[tuple[Reference, str, str, str]]:
    """The author names and titles that look wrongly parsed: (entry, field, value, message)."""
    venues = _known_venues({r.container for r in references if r.container})
    marks = []
    for ref in references:
        for name in ref.authors:
            message = author_problem(name)
            if message:
                marks.append((ref, "authors", name, f"{name!r} {message}"))
        message = _title_problem(ref.title, venues, ascii_fold(ref.container))
        if message:
            marks.append((ref, "title", ref.title, message))
    return marks


def _compare_with_print(ref: Reference, printed: PrintedEntries) -> list[tuple[str, str, str, str]]:
    """What the printed references named in ``ref.source`` have and the entry lacks."""
    places = [p.strip() for p in ref.source.split(";") if p.strip()]
    prints = []
    for place in places:
        match = _PLACE.match(place)
        parsed = (
            printed.get(match.group("label"), {}).get(int(match.group("line"))) if match else None
        )
        if parsed is not None and parsed.style != "short":
            prints.append((place, parsed))
    why = "a merge dropped it" if len(places) > 1 else "rebuild the bibliography from its sources"
    mine = ascii_fold(ref.title)
    longest = max((len(ascii_fold(p.title)) for _, p in prints), default=0)
    authors = "; ".join(ref.authors)
    found = []
    for place, print_ in prints:
        found += _missing_fields(print_, ref, place, why)
        # the printed line itself, independently of the parser that built the entry
        seen = {(attr, message) for _, message, attr, _ in found}
        for attr, value, message in printed_value_problems(ref, print_.raw):
            if (attr, message) not in seen:
                found.append((place, message, attr, value))
        theirs = ascii_fold(print_.title)
        if mine and len(theirs) > len(mine) and theirs.startswith(mine):
            message = f"is cut: the printed reference has {print_.title!r}"
            found.append((place, message, "title", ref.title))
        elif theirs and len(mine) > longest and mine.startswith(theirs):
            message = f"goes on past the printed title {print_.title!r}: glued to what follows"
            found.append((place, message, "title", ref.title))
        named = [a for a in print_.authors if a != OTHERS]
        if len(named) > sum(a != OTHERS for a in ref.authors):
            message = f"lists fewer authors than the printed reference ({len(named)}): {why}"
            found.append((place, message, "authors", authors))
        elif OTHERS in print_.authors and OTHERS not in ref.authors:
            message = (
                "is printed with names left out ('et al.' or '. . .'); the entry does not say so: "
                "record them as 'others'"
            )
            found.append((place, message, "authors", authors))
    return found


def _missing_fields(
    print_: ParsedReference, ref: Reference, place: str, why: str
) -> list[tuple[str, str, str, str]]:
    """The fields the printed reference has and the entry lacks."""
    found = []
    for attr in PRINTED_FIELDS:
        value = getattr(print_, attr)
        if value and not getattr(ref, attr):
            message = f"is empty, but the printed reference has {value!r}: {why}"
            found.append((place, message, attr, ""))
    return found
