"""The citations step of a load: resolve every finding's citation against the bibliography.

:func:`link_citations` takes the validated :class:`~evidence_kb.model.data.KBData` and returns a
new one whose findings carry the reference keys their citations resolve to (where the file left
``reference_keys`` empty), whose ``citation_table`` explains every decision, and whose problems
include a warning for every citation printed without a year or an author.
"""

from __future__ import annotations

import dataclasses

from evidence_kb.citations.parse import parse_citations
from evidence_kb.citations.resolve import CitationIndex, Resolution, resolutions_frame
from evidence_kb.model.data import KBData
from evidence_kb.model.errors import Problem
from evidence_kb.model.records import Finding

__all__ = ["link_citations"]


def link_citations(data: KBData) -> KBData:
    """Return ``data`` with its citations resolved (see the module docstring)."""
    index = CitationIndex(data.reference_records)
    cache: dict[tuple[str, str], list[Resolution]] = {}  # one citation is printed many times
    findings: list[Finding] = []
    owners: list[tuple[str, str]] = []
    results: list[Resolution] = []
    for finding in data.finding_records:
        key = (finding.citation, finding.review)
        if key not in cache:
            cache[key] = index.resolve(finding.citation, review=finding.review)
        found = cache[key]
        owners += [(finding.finding_id, finding.review)] * len(found)
        results += found
        if not finding.reference_keys and found:
            keys = tuple(dict.fromkeys(r.key for r in found if r.key))
            finding = finding.model_copy(update={"reference_keys": keys})
        findings.append(finding)
    table = resolutions_frame(results)
    table.insert(0, "finding_id", [o[0] for o in owners])
    table.insert(1, "review", [o[1] for o in owners])
    findings_file = next((n for n in data.files if n.startswith("findings.")), "findings.csv")
    warnings = _citation_problems(data, findings_file)
    return dataclasses.replace(
        data,
        finding_records=tuple(findings),
        citation_table=table,
        problem_list=data.problem_list + tuple(warnings),
    )


def _citation_problems(data: KBData, file_name: str) -> list[Problem]:
    """A warning for each citation printed without a year or without an author.

    Such a citation stays in ``kb.citations`` as unresolved: any year's work could be meant.
    """
    problems = []
    lines: tuple[int | None, ...] = data.finding_lines or (None,) * len(data.finding_records)
    for line, finding in zip(lines, data.finding_records, strict=True):
        for citation in parse_citations(finding.citation):
            if citation.number is not None:
                continue
            if not citation.authors:
                why = "no author; expected e.g. 'Jansen, 2021'"
            elif citation.year is None and not citation.undated:
                name = citation.authors[0]
                why = (
                    f"no year; expected e.g. '{name}, 2021', or '{name}, n.d.' for an undated work"
                )
            else:
                continue
            msg = f"citation {citation.text!r} has {why}: it is left unresolved"
            problems.append(Problem(file_name, line, "citation", finding.citation, msg, "warning"))
    return problems
