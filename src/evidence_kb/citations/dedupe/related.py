"""Link every notice (:mod:`.notices`) to the work it concerns, with the duplicate score.

A notice is kept apart from its work by the ``notice`` veto: an erratum is not another copy of
the paper. Instead each notice gets one row in ``Duplicates.related``: the work it concerns and
the evidence. The work is found with the weights of the duplicate score (``weights.json``),
applied to what a notice shares with its work:

- the *subject* (the title after "Correction to", "Comment on", ...) against the work's title
  (for a trial registry record, whose official title is worded its own way, only agreement);
- the authors: an erratum (and a preprint) carries the work's authors, so disagreement counts
  against it; a retraction or expression of concern is often signed by the editors, a comment
  by others, so for those only agreement counts;
- the venue: errata and retractions appear in the work's journal (a mismatch counts against);
  for comments and replies only a match counts;
- the locators: a Web of Science erratum cites the work's volume and first page ("(vol 360,
  pg 542, 2009)"), and a work may say where its erratum is ("[Erratum appears in Chest
  1993;103(5):1640]"); a match weighs as much as an agreeing volume and first page;
- the DOI: the same DOI (a "Retracted: ..." copy of the article itself) weighs as in duplicates;
- a trial registry id (NCT..., ISRCTN..., NL...) named by both records weighs as a shared DOI.

Versions of a study (:data:`~.notices.VERSION_KINDS`: a preprint, a trial registry record)
are linked the same way, with the preprint's authors weighed in full and the venue left out.
Year, pages and issue are not compared otherwise: a notice appears later and elsewhere. A notice
cannot precede its work by more than a year, and a preprint cannot follow it by more than one.
The best-scoring work at or above the duplicate threshold is the one linked. Below it, a notice
whose subject is a long title (six words or more) that is exactly the title of one work of the
input (one duplicate group), with nothing against it (authors, journal, locators), is linked to
that work: a retraction signed by the editors of a work recorded without its journal. A notice
with neither stays in the table with an empty ``work_id``, so that nothing is silently left
unlinked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz

from evidence_kb.citations.dedupe.prepare import _Prepared
from evidence_kb.citations.dedupe.rules import (
    _authors_level,
    _title_prefix,
    _venue_evidence,
    _Weights,
)

#: How ``find_duplicates(..., related=...)`` treats a notice and the work it concerns.
RELATED_POLICIES: dict[str, str] = {
    "link": (
        "Keep the notice as a record of its own and list it in Duplicates.related with the "
        "work it concerns (the default: an evidence base needs to know which work is corrected "
        "or retracted)."
    ),
    "merge": (
        "Also put the notice (or preprint, or registry record) in its work's duplicate group "
        "(pairs rule 'notice'), as curated sets that screen records do; it is still listed "
        "in Duplicates.related."
    ),
}

# written by the work's authors: other authors count against the link (retraction notices and
# expressions of concern are often signed by the editors, comments by others)
_SAME_AUTHORS = frozenset({"erratum", "preprint"})
_SAME_VENUE = frozenset({"erratum", "retraction", "concern"})  # appear in the work's journal
_VERSIONS = frozenset({"preprint", "registration"})  # another version of the study
_MAX_BLOCK = 200  # a key shared by more works than this carries no information
# a subject of this many words that is the exact title of one work only (and nothing against
# it) names that work, even when nothing else is there to reach the threshold
_LONG_TITLE = 6


@dataclass(frozen=True)
class _Link:
    notice: int
    work: int  # position of the best work, or -1
    relation: str
    bits: float
    evidence: str


def _keys(title: str) -> list[str]:
    """The title's blocking keys: its first and its last 25 letters (a typo at one end)."""
    compact = title.replace(" ", "")
    if len(compact) < 12:
        return []
    return ["t:" + compact[:25], "e:" + compact[-25:]]


def _index(prep: _Prepared) -> dict[str, list[int]]:
    """Blocking keys of the works (records that are no notice): title, locator, notice marks."""
    index: dict[str, list[int]] = {}
    for j, kind in enumerate(prep.notice):
        if kind:
            continue
        keys = _keys(prep.title[j])
        if prep.core[j] != prep.title[j]:
            keys += _keys(prep.core[j])
        if prep.volume[j] and prep.pages[j][0]:
            keys.append(f"p:{prep.volume[j]}:{prep.pages[j][0]}")
        keys += [f"m:{volume}:{page}" for volume, page in prep.marks[j]]
        if prep.doi_base[j]:
            keys.append("d:" + prep.doi_base[j])
        keys += [f"r:{trial}" for trial in prep.trials[j]]
        for key in dict.fromkeys(keys):
            index.setdefault(key, []).append(j)
    return index


def _notice_keys(prep: _Prepared, n: int) -> list[str]:
    keys = _keys(prep.subject[n])
    volume, page, _ = prep.cites[n]
    if volume and page:
        keys.append(f"p:{volume}:{page}")
    if prep.volume[n] and prep.pages[n][0]:
        keys.append(f"m:{prep.volume[n]}:{prep.pages[n][0]}")
    if prep.doi_base[n]:
        keys.append("d:" + prep.doi_base[n])
    keys += [f"r:{trial}" for trial in prep.trials[n]]
    return keys


def _title_level(subject: str, title: str, core: str) -> str:
    if not subject or not title:
        return "missing"
    if subject in (title, core):
        return "exact"
    score = max(fuzz.ratio(subject, title), fuzz.ratio(subject, core))
    if score >= 95 or _title_prefix(subject, title):
        return "high"
    if score >= 85:
        return "mid"
    return "low" if score >= 70 else "differ"


def _score(prep: _Prepared, n: int, w: int, table: _Weights) -> tuple[float, list[str]] | None:
    """The evidence that notice ``n`` concerns work ``w``: bits and what agreed."""
    yn, yw, kind = prep.year[n], prep.year[w], prep.notice[n]
    if yn is not None and yw is not None:
        if kind not in _VERSIONS and yn < yw - 1:
            return None  # a notice does not precede its work
        if kind == "preprint" and yn > yw + 1:
            return None  # nor does a preprint follow it
    weight = table.weight
    title = _title_level(prep.subject[n], prep.title[w], prep.core[w])
    bits, said = weight["title"][title], [f"title {title}"]
    if kind == "registration":  # a registry names the trial in its own words
        bits = max(bits, 0.0)
    authors = _authors_level(prep, n, w)
    author_bits = weight["author"][authors]
    bits += author_bits if kind in _SAME_AUTHORS else max(author_bits, 0.0)
    said.append(f"authors {authors}")
    venue = _venue_evidence(*sorted((prep.venue[n], prep.venue[w])))
    venue_bits = weight["venue"][{"agree": "same", "differ": "kind"}.get(venue, "other")]
    if venue and kind not in _VERSIONS and (kind in _SAME_VENUE or venue_bits > 0):
        bits += venue_bits
        said.append("venue " + ("same" if venue == "agree" else "other"))
    locator = weight["volume"]["same"] + weight["pages"]["first"]
    volume, page, _ = prep.cites[n]
    if volume and page:
        if (volume, page) == (prep.volume[w], prep.pages[w][0]):
            bits += locator
            said.append(f"cites vol {volume} p {page}")
        elif prep.volume[w] and volume != prep.volume[w]:
            bits += weight["volume"]["differ"]
            said.append(f"cites vol {volume}, work in vol {prep.volume[w]}")
    if (prep.volume[n], prep.pages[n][0]) in prep.marks[w]:
        bits += locator
        said.append(f"work names its notice at vol {prep.volume[n]} p {prep.pages[n][0]}")
    shared = sorted(prep.trials[n] & prep.trials[w])
    if shared:  # a registry record and the paper that names its trial id
        bits += weight["doi"]["same"]
        said.append(f"trial id {', '.join(shared)} in both")
    if prep.doi_base[n] and prep.doi_base[n] == prep.doi_base[w]:
        bits += weight["doi"]["same"]
        said.append("doi same")
    return bits, said


def link_notices(
    prep: _Prepared, table: _Weights, group: Callable[[int], int] = lambda i: i
) -> list[_Link]:
    """One :class:`_Link` per notice: the best work at or above the threshold, or none.

    ``group`` gives each record's duplicate group, for the rule of the unique long title.
    """
    if not any(prep.notice):
        return []
    index = _index(prep)
    links = []
    for n, kind in enumerate(prep.notice):
        if not kind:
            continue
        candidates: set[int] = set()
        for key in _notice_keys(prep, n):
            block = index.get(key, ())
            if len(block) <= _MAX_BLOCK:
                candidates.update(block)
        best: tuple[float, str, int, list[str]] | None = None
        exact: list[tuple[float, str, int, list[str]]] = []  # works with the subject as title
        for w in candidates:
            scored = _score(prep, n, w, table)
            if scored is None:
                continue
            found = (scored[0], prep.ids[w], w, scored[1])
            if scored[1][0] == "title exact":
                exact.append(found)
            if scored[0] < table.threshold:
                continue
            # highest score first; on a tie, the smallest id (stable across input orders)
            if best is None or (-scored[0], prep.ids[w]) < (-best[0], best[1]):
                best = found
        title_bits = table.weight["title"]["exact"]
        if best is None and _unique_long_title(prep.subject[n], exact, group):
            found = min(exact, key=lambda t: (-t[0], t[1]))
            if found[0] >= title_bits:  # nothing against it
                best = found
                best[3].append(f"the only work with this title ({_LONG_TITLE}+ words)")
        if best is None:
            why = "no record of the input reaches the threshold"
            if not prep.subject[n] and not prep.cites[n][0]:
                why = "the notice names no title; " + why
            links.append(_Link(n, -1, kind, 0.0, why))
        else:
            links.append(_Link(n, best[2], kind, round(best[0], 2), "; ".join(best[3])))
    return links


def _unique_long_title(
    subject: str, exact: list[tuple[float, str, int, list[str]]], group: Callable[[int], int]
) -> bool:
    """True if a long subject (:data:`_LONG_TITLE` words or more) is exactly the title of one
    work of the input (one duplicate group)."""
    return (
        len(subject.split()) >= _LONG_TITLE
        and bool(exact)
        and len({group(t[2]) for t in exact}) == 1
    )


def related_frame(prep: _Prepared, links: list[_Link], group_of: list[str]) -> pd.DataFrame:
    """``Duplicates.related``: one row per notice, sorted by id."""
    rows = [
        {
            "id": prep.ids[link.notice],
            "work_id": group_of[link.work] if link.work >= 0 else "",
            "relation": link.relation,
            "score": link.bits,
            "evidence": link.evidence,
        }
        for link in links
    ]
    columns = ["id", "work_id", "relation", "score", "evidence"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["score"] = frame["score"].astype("float64")
    return frame.sort_values("id", ignore_index=True)
