"""The citations step of a load: resolve every finding's citation against the bibliography.

:func:`link_citations` takes the validated :class:`~evidence_kb.model.data.KBData` and returns a
new one whose findings carry the reference keys their citations resolve to (where the file left
``reference_keys`` empty), whose ``citation_table`` explains every decision, and whose problems
include a warning for every citation printed without a year or an author, and for every finding
that cites a retracted work (or one with an expression of concern) by ``related.csv``.
"""

from __future__ import annotations

import dataclasses

from evidence_kb.citations.dedupe.notices import notice_kind
from evidence_kb.citations.resolve import CitationIndex, Resolution, resolutions_frame
from evidence_kb.model.data import KBData
from evidence_kb.model.errors import Problem
from evidence_kb.model.records import Finding
from evidence_kb.model.related import doubtful_citations
from evidence_kb.model.vocab import RELATED_FILE

__all__ = ["citation_problems", "link_citations"]


def link_citations(data: KBData) -> KBData:
    """Return ``data`` with its citations resolved (see the module docstring)."""
    index = CitationIndex(data.reference_records)
    canonical = {alias: ref.key for ref in data.reference_records for alias in ref.ids}
    canonical.update({ref.key: ref.key for ref in data.reference_records})
    # one citation cell is printed many times: resolve it, and word its warnings, once
    # (by the cell alone; by the cell and the review where a superscript number is in it)
    cells: dict[str, _Cell] = {}
    numbered: dict[tuple[str, str], _Cell] = {}
    findings: list[Finding] = []
    finding_ids: list[str] = []  # the finding and review of each resolution
    reviews: list[str] = []
    results: list[Resolution] = []
    warnings: list[Problem] = []
    findings_file = next((n for n in data.files if n.startswith("findings.")), "findings.csv")
    lines: tuple[int | None, ...] = data.finding_lines or (None,) * len(data.finding_records)
    for line, finding in zip(lines, data.finding_records, strict=True):
        cell = cells.get(finding.citation)
        if cell is None:
            cell = numbered.get((finding.citation, finding.review))
            if cell is None:
                cell = _Cell(index.resolve(finding.citation, review=finding.review))
                if cell.numbers:  # only numbers depend on the review
                    numbered[(finding.citation, finding.review)] = cell
                else:
                    cells[finding.citation] = cell
        found = cell.found
        finding_ids += [finding.finding_id] * len(found)
        reviews += [finding.review] * len(found)
        results += found
        for msg in cell.messages:
            warnings.append(
                Problem(findings_file, line, "citation", finding.citation, msg, "warning")
            )
        given = finding.reference_keys
        if not given and found:
            keys = tuple(dict.fromkeys(r.key for r in found if r.key))
            finding = finding.model_copy(update={"reference_keys": keys})
        elif given and cell.resolved_keys and given != cell.resolved_keys:
            # the keys of the resolved citations, in their order, match at once (the common case)
            mismatch = _keys_mismatch(given, found, canonical)
            if mismatch:
                warnings.append(
                    Problem(
                        findings_file, line, "reference_keys", mismatch[0], mismatch[1], "warning"
                    )
                )
        findings.append(finding)
    warnings += doubtful_citations(findings, lines, data.related_table, findings_file)
    warnings += _unlisted_notices(data)
    table = resolutions_frame(results)
    table.insert(0, "finding_id", finding_ids)
    table.insert(1, "review", reviews)
    return dataclasses.replace(
        data,
        finding_records=tuple(findings),
        citation_table=table,
        problem_list=data.problem_list + tuple(warnings),
    )


class _Cell:
    """One citation cell resolved: its resolutions, their warnings, the keys of those resolved."""

    __slots__ = ("found", "messages", "numbers", "resolved_keys")

    def __init__(self, found: list[Resolution]) -> None:
        self.found = found
        self.messages = _citation_warnings(found)
        # the reference_keys that _keys_mismatch finds no fault with, of all, without a look-up:
        # the keys of the citations resolved (or corrected), in printed order
        keys = []
        self.numbers = False
        for r in found:
            if r.key and r.status in ("resolved", "corrected"):
                keys.append(r.key)
            if r.citation.number is not None:
                self.numbers = True
        self.resolved_keys = tuple(keys)


def _keys_mismatch(
    given: tuple[str, ...], found: list[Resolution], canonical: dict[str, str]
) -> tuple[str, str] | None:
    """``(value, message)`` when the keys a finding names are not the works its citation names.

    Only citations resolved (or corrected) count: an ambiguous or unresolved citation is
    warned about on its own. ``canonical`` maps every key and alias to its reference's key.
    """
    resolved = {
        r.citation.text: canonical.get(r.key, r.key)
        for r in found
        if r.key and r.status in ("resolved", "corrected")
    }
    if not resolved:
        return None
    named = {canonical.get(key, key) for key in given}
    missing = [(text, key) for text, key in resolved.items() if key not in named]
    extra = sorted(named - set(resolved.values())) if len(resolved) == len(found) else []
    if not missing and not extra:
        return None
    parts = [f"citation {text!r} is {key!r}" for text, key in missing]
    parts += [f"no citation names {key!r}" for key in extra]
    msg = (
        f"reference_keys {', '.join(given)} do not match the citation: "
        + "; ".join(parts)
        + ". Check which work is meant and correct reference_keys or the citation"
    )
    return ", ".join(given), msg


def _unlisted_notices(data: KBData) -> list[Problem]:
    """A warning for each reference that is a notice (erratum, retraction, ...) by its title,
    note or type, but is not in related.csv: which work it concerns is then unknown."""
    listed = set(data.related_table["id"]) if data.related_table is not None else set()
    name = next((n for n in data.files if n.startswith("references.")), "references.bib")
    problems = []
    for ref in data.reference_records:
        kind, _ = notice_kind(ref.title, note=ref.note, entry_type=ref.entry_type)
        if kind and not ({ref.key, *ref.ids} & listed):
            msg = (
                f"{ref.key!r} looks like a notice ({kind}: {ref.title!r}) but is not in "
                f"{RELATED_FILE}; run `evidence-kb dedupe {name}` and copy its .related.csv "
                f"to {RELATED_FILE}, so that the work it concerns is known"
            )
            problems.append(Problem(name, None, "title", ref.title, msg, "warning"))
    return problems


def _citation_warnings(resolutions: list[Resolution]) -> list[str]:
    """The warning for each citation of a cell printed without a year or without an author.

    Such a citation stays in ``kb.citations`` as unresolved: any year's work could be meant.
    The resolutions are those of the cell's citations, in printed order.
    """
    messages = []
    for resolution in resolutions:
        citation = resolution.citation
        if citation.number is not None:
            continue
        if not citation.authors:
            why = "no author; expected e.g. 'Jansen, 2021'"
        elif citation.year is None and not citation.undated:
            name = citation.authors[0]
            why = f"no year; expected e.g. '{name}, 2021', or '{name}, n.d.' for an undated work"
        else:
            continue
        messages.append(f"citation {citation.text!r} has {why}: it is left unresolved")
    return messages


def citation_problems(data: KBData) -> list[Problem]:
    """A warning for every citation that matches no reference or is ambiguous.

    Citations already warned about at load (printed without a year or an author) are not
    repeated. An ambiguous citation names the ``evidence-kb dedupe`` command that finds the
    duplicate references behind it. ``evidence-kb validate`` counts these warnings.
    """
    table = data.citation_table
    if table is None or table.empty:
        return []
    findings_file = next((n for n in data.files if n.startswith("findings.")), "findings.csv")
    references_file = next((n for n in data.files if n.startswith("references.")), "")
    lines = data.finding_lines or (None,) * len(data.finding_records)
    line_of = {f.finding_id: line for line, f in zip(lines, data.finding_records, strict=True)}
    warned = {(p.line, p.value) for p in data.problem_list if p.column == "citation"}
    citation_of = {f.finding_id: f.citation for f in data.finding_records}
    problems = []
    columns = ("finding_id", "citation", "status", "notes")
    for finding_id, citation, status, notes in zip(
        *(table[c].tolist() for c in columns), strict=True
    ):
        if status not in ("unresolved", "ambiguous"):
            continue
        line, printed = line_of.get(finding_id), citation_of.get(finding_id, "")
        if (line, printed) in warned:
            continue
        where = references_file or "the references (there is no reference file)"
        if status == "ambiguous":
            fix = (
                f"; if they are one work, `evidence-kb dedupe {data.data_dir / references_file}` "
                "finds the duplicates to merge"
                if references_file and data.data_dir is not None
                else ""
            )
            msg = f"citation {citation!r} is ambiguous in {where}: {notes}{fix}"
        else:
            msg = f"citation {citation!r} matches no reference in {where}: {notes}"
        problems.append(Problem(findings_file, line, "citation", printed, msg, "warning"))
    return problems
