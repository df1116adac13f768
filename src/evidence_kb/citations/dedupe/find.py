"""Find duplicate bibliographic records and explain every decision.

The work runs in four steps:

1. ``_prepare``: every field is normalised once (:mod:`evidence_kb.citations.normalize`).
2. ``_candidate_pairs``: blocking. Each record gets a handful of keys (DOI, title prefix,
   first author + year, rare title words, volume + first page); only records that share a key
   are compared, so the work grows with the number of records, not with its square.
3. ``_compare``: every field of a pair gets an agreement level, and each level a weight in
   bits from ``weights.json`` (a Fellegi-Sunter model fitted on labelled search exports). The
   pair's score is their sum. Hard constraints (:data:`VETOES`: different DOIs, an erratum
   against its paper, ...) keep a pair apart whatever the score.
4. ``_group``: pairs at or above the threshold become groups by union-find. A merge that would
   put two different DOIs, or years further apart than the pair itself, into one group is
   refused (no chaining), and a person's decisions (``same`` / ``different``) override the
   score on every run. Pairs in the band below the threshold are listed in ``review``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from evidence_kb.citations.dedupe.groups import _read_decisions, _UnionFind
from evidence_kb.citations.dedupe.prepare import (
    _candidate_pairs,
    _prepare,
    _Prepared,
    _resolve_columns,
)
from evidence_kb.citations.dedupe.related import (
    RELATED_POLICIES,
    _Link,
    link_notices,
    related_frame,
)
from evidence_kb.citations.dedupe.rules import (
    RULES,
    _compare,
    _could_match,
    _decide,
    _Evidence,
    _Weights,
    _weights,
    _weights_from,
)
from evidence_kb.citations.normalize import is_missing
from evidence_kb.model.errors import InputError, Problem

__all__ = ["RULES", "Duplicates", "find_duplicates"]


@dataclass(frozen=True)
class Duplicates:
    """The result of :func:`find_duplicates`.

    Attributes
    ----------
    groups : pandas.DataFrame
        One row per input record: ``id``, ``group_id`` (the smallest id of its group, so it
        is stable across runs) and ``group_size``; sorted by ``group_id`` and ``id``.
    pairs : pandas.DataFrame
        One row per pair that joined two records: ``id_a`` < ``id_b``, ``rule`` (``"score"``
        or ``"manual"``, see :data:`RULES`), ``score`` (bits of evidence, the sum of the field
        weights), ``agreed`` and ``contradicted`` (field names joined by ``;``) and ``source``
        (``"rule"`` or ``"manual"``). Of more than 8 records alike in every compared field,
        each copy has one pair, with the first of them by id (not one with every other copy).
    review : pandas.DataFrame
        The pairs a person should look at: a score in the band just below the threshold
        (``rule`` ``"score"``), or at least that high but kept apart by a veto (``rule`` the
        veto's name, see :data:`VETOES`) or because the merge would join two known-different
        records (``"no_chaining"``). Columns ``id_a``, ``id_b``, ``rule``, ``score``,
        ``agreed``, ``contradicted``, the two records' ``title``, ``author``, ``year`` and
        ``venue`` (``_a``, ``_b``) and an empty ``verdict`` to fill in with ``same`` or
        ``different``; see :func:`record_decisions`. Highest score first.
    related : pandas.DataFrame
        One row per notice (an erratum, retraction, expression of concern, reply or comment,
        see :data:`~evidence_kb.citations.dedupe.notices.NOTICE_KINDS`) and per other version
        of a study (a preprint, a trial registry record, ``VERSION_KINDS``): ``id`` (the notice),
        ``work_id`` (the ``group_id`` of the work it concerns, ``""`` if no record of the
        input is that work), ``relation`` (the kind of notice), ``score`` (bits) and
        ``evidence`` (what agreed, or why no work was found). Sorted by ``id``.
    """

    groups: pd.DataFrame
    pairs: pd.DataFrame
    review: pd.DataFrame
    related: pd.DataFrame

    @property
    def n_records(self) -> int:
        """Number of input records."""
        return len(self.groups)

    @property
    def n_duplicate_groups(self) -> int:
        """Number of groups with more than one record."""
        return int(self.groups.loc[self.groups["group_size"] > 1, "group_id"].nunique())

    def summary(self) -> str:
        """Return a short text: records, groups, records to remove, pairs per rule.

        Examples
        --------
        >>> recs = pd.DataFrame(
        ...     {
        ...         "ID": ["a", "b"],
        ...         "title": ["A study of x in y", "A study of x in y"],
        ...         "doi": ["10.1000/x", "10.1000/X"],
        ...     }
        ... )
        >>> print(find_duplicates(recs).summary())
        2 records, 1 groups of duplicates, 1 records to remove
        pairs by rule: score 1
        """
        removable = self.n_records - self.groups["group_id"].nunique()
        counts = self.pairs["rule"].value_counts().sort_index()
        by_rule = ", ".join(f"{rule} {n}" for rule, n in counts.items()) or "none"
        text = (
            f"{self.n_records} records, {self.n_duplicate_groups} groups of duplicates, "
            f"{removable} records to remove\npairs by rule: {by_rule}"
        )
        if len(self.related):
            linked = int((self.related["work_id"] != "").sum())
            text += (
                f"\nnotices: {len(self.related)} (erratum, retraction, reply, comment, ...), "
                f"{linked} linked to their work, {len(self.related) - linked} without"
            )
        return text

    def __repr__(self) -> str:
        groups = self.n_duplicate_groups
        return f"<Duplicates: {self.n_records} records, {groups} groups of duplicates>"

    def _repr_html_(self) -> str:
        """Show the summary and the first pairs, with their evidence, in Jupyter."""
        from html import escape

        summary = escape(self.summary()).replace("\n", "<br>")
        pairs = self.pairs.head(50).to_html(index=False, escape=True)
        more = len(self.pairs) - 50
        tail = f"<p>... {more} more pairs in <code>.pairs</code></p>" if more > 0 else ""
        return f"<div><p>{summary}</p>{pairs}{tail}</div>"


def _pair_row(
    prep: _Prepared, i: int, j: int, rule: str, e: _Evidence, source: str
) -> dict[str, object]:
    agreed, contradicted = e.fields()
    id_a, id_b = sorted((prep.ids[i], prep.ids[j]))
    return {
        "id_a": id_a,
        "id_b": id_b,
        "rule": rule,
        "score": e.score(),
        "agreed": agreed,
        "contradicted": contradicted,
        "source": source,
    }


def _evidence_for(prep: _Prepared, i: int, j: int, weights: _Weights) -> _Evidence:
    if prep.ids[j] < prep.ids[i]:  # compare in id order so that row order cannot matter
        i, j = j, i
    return _compare(prep, i, j, fuzz.ratio(prep.title[i], prep.title[j]), weights)


def find_duplicates(
    records: pd.DataFrame,
    *,
    id_column: str = "ID",
    decisions: pd.DataFrame | str | os.PathLike[str] | None = None,
    weights: dict | None = None,
    related: str = "link",
) -> Duplicates:
    """Find records that describe the same work and group them.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per record. Known columns, matched case-insensitively: ``title``,
        ``author`` (or ``authors``), ``year``, ``journal`` (or ``container``), ``booktitle``,
        ``volume``, ``number`` (or ``issue``), ``pages``, ``doi`` and ``abstract``; ``note``
        (or ``notes``) and ``url`` are searched for a DOI when ``doi`` is empty. A type column
        (``type``, ``publication_type``, ``document_type``, ``raw_type``, ``ENTRYTYPE``) is
        read only for the types that mark a notice or a preprint ("Published Erratum",
        "Retraction of Publication", "Preprint"): exports set entry types too inconsistently
        to compare them. Other columns are ignored; any known column may be missing.
    id_column : str, default "ID"
        The column with a unique id per record (matched case-insensitively).
    decisions : DataFrame, path to a CSV file, or None
        A person's verdicts with columns ``id_a``, ``id_b``, ``verdict`` (``same`` or
        ``different``; an empty verdict is a pair not decided yet). They override the score:
        ``same`` pairs are always in one group, ``different`` pairs never. Decisions about ids
        not in ``records`` are ignored with a warning, so one file can serve a growing set of
        records. A filled-in ``review`` table works as it is.
    weights : dict, optional
        A weight table in the layout of ``weights.json`` (as written by
        ``benchmarks/dedup_weights.py``) to use instead of the shipped one.
    related : {"link", "merge"}, default "link"
        What to do with a notice (erratum, retraction, reply, comment, ...) and the work it
        concerns: ``"link"`` keeps them apart and lists the pair in ``.related``;
        ``"merge"`` also puts the notice in its work's group (``pairs`` rule ``"notice"``), as
        curated sets that screen records do. See :data:`RELATED_POLICIES`.

    Returns
    -------
    Duplicates
        ``.groups`` (one row per record), ``.pairs`` (why records were joined) and
        ``.review`` (pairs near the threshold, for a person).

    Raises
    ------
    KeyError
        If ``records`` has no ``id_column``.
    InputError
        If ids are missing or repeated, column labels are repeated, or decisions are
        malformed or contradict each other.
    ValueError
        If ``related`` is neither ``"link"`` nor ``"merge"``.

    Warns
    -----
    UserWarning
        If a blocking key is shared by more than 3,000 records: such a block is split by year
        and first author before comparing (the warning names the key).

    Examples
    --------
    >>> recs = pd.DataFrame(
    ...     {
    ...         "ID": ["a", "b", "c"],
    ...         "title": [
    ...             "Trust in sharing platforms",
    ...             "Trust in Sharing Platforms.",
    ...             "Another work",
    ...         ],
    ...         "author": ["Smith, J. and Jones, K.", "J. Smith; K. Jones", "Smith, J."],
    ...         "year": [2020, 2020, 2020],
    ...         "journal": ["J Inf Syst", "Journal of Information Systems", ""],
    ...         "volume": ["12", "12", ""],
    ...         "pages": ["73-76", "73-6", ""],
    ...     }
    ... )
    >>> dupes = find_duplicates(recs)
    >>> dupes
    <Duplicates: 3 records, 1 groups of duplicates>
    >>> dupes.groups.to_dict("list")
    {'id': ['a', 'b', 'c'], 'group_id': ['a', 'a', 'c'], 'group_size': [2, 2, 1]}
    >>> dupes.pairs.loc[0, ["rule", "agreed"]].tolist()
    ['score', 'title;author;year;pages;volume;venue']
    """
    if not isinstance(records, pd.DataFrame):
        msg = f"records must be a pandas DataFrame (got {type(records).__name__})"
        raise TypeError(msg)
    if related not in RELATED_POLICIES:
        msg = f"related must be one of {', '.join(map(repr, RELATED_POLICIES))} (got {related!r})"
        raise ValueError(msg)
    table = _weights() if weights is None else _weights_from(weights)
    prep = _prepare(records, id_column)
    index = {record_id: pos for pos, record_id in enumerate(prep.ids)}
    same, different = _read_decisions(decisions, index)

    decided = {i for pair in [*same, *different] for i in pair}
    compared, copies = _identical_copies(prep, decided, table)
    if copies:  # compare one record of each set of identical records; join the others to it
        sub = _subset(prep, compared)
        where = {pos: k for k, pos in enumerate(compared)}
        apart = {(where[i], where[j]) for i, j in different}
        sub_accepted, sub_review = _score_pairs(sub, apart, table)
        accepted = [(compared[i], compared[j], r, e) for i, j, r, e in sub_accepted] + copies
        review = [(compared[i], compared[j], r, e) for i, j, r, e in sub_review]
    else:
        accepted, review = _score_pairs(prep, different, table)
    groups, rows, refused = _group(prep, accepted, same, different, table)
    links = link_notices(prep, table, groups.find)
    if related == "merge":
        rows += _merge_notices(prep, groups, links, table)
    same_pairs = {(i, j) for i, j in same}
    review = [t for t in review + refused if (t[0], t[1]) not in same_pairs]
    if related == "merge":  # a notice and its work, now in one group, are decided
        review = [t for t in review if t[2] != "notice" or groups.find(t[0]) != groups.find(t[1])]
    group_frame = _groups_frame(prep, groups)
    group_of = dict(zip(group_frame["id"], group_frame["group_id"], strict=True))
    return Duplicates(
        groups=group_frame,
        pairs=_pairs_frame(rows),
        review=_review_frame(prep, records, id_column, review),
        related=related_frame(prep, links, [group_of[i] for i in prep.ids]),
    )


def _identical_copies(
    prep: _Prepared, decided: set[int], table: _Weights
) -> tuple[list[int], list[tuple[int, int, str, _Evidence]]]:
    """The records to compare, and the pairs that join each identical copy to the first.

    More than :data:`_FEW_COPIES` records alike in every field the comparison reads (an export
    that repeats a record thousands of times) would give a number of pairs that grows with the
    square of the copies;
    only the first of them (by id) is compared with the other records, and each copy is joined to it
    by one pair with the evidence of the two (when that evidence makes them duplicates). A
    record a person decided about is always compared on its own.
    """
    alike: dict[tuple[object, ...], list[int]] = {}
    for i in range(len(prep.ids)):
        if i not in decided:
            key = tuple(getattr(prep, name)[i] for name in _COMPARED_FIELDS)
            alike.setdefault(key, []).append(i)
    joined: list[tuple[int, int, str, _Evidence]] = []
    skipped: set[int] = set()
    for members in alike.values():
        if len(members) <= _FEW_COPIES:
            continue  # a few copies give few pairs: compared as usual
        # the first by id, whatever the order of the rows
        i, *others = sorted(members, key=lambda k: prep.ids[k])
        e = _evidence_for(prep, i, others[0], table)
        if _decide(e, table) is None:
            continue  # alike but not duplicates by the rules (e.g. only a generic title)
        joined += [(i, j, "score", e) for j in others]
        skipped.update(others)
    return [i for i in range(len(prep.ids)) if i not in skipped], joined


_FEW_COPIES = 8  # up to this many identical records give at most 28 pairs: not collapsed

# every field of a prepared record that blocking and the comparison read
_COMPARED_FIELDS = tuple(f.name for f in fields(_Prepared) if f.name != "ids")


def _subset(prep: _Prepared, positions: list[int]) -> _Prepared:
    """The prepared records at ``positions``, in that order."""
    return _Prepared(
        **{f.name: [getattr(prep, f.name)[p] for p in positions] for f in fields(_Prepared)}
    )


def _merge_notices(
    prep: _Prepared, groups: _UnionFind, links: list[_Link], table: _Weights
) -> list[dict[str, object]]:
    """Put each linked notice into its work's group (``related="merge"``): the pairs rows.

    A person's ``different`` decision between the notice and a record of the work wins.
    """
    rows = []
    for link in links:
        if link.work < 0:
            continue
        ra, rb = groups.find(link.notice), groups.find(link.work)
        if ra == rb or groups.kept_apart(ra, rb):
            continue
        groups.union(ra, rb)
        e = _evidence_for(prep, link.notice, link.work, table)
        row = _pair_row(prep, link.notice, link.work, "notice", e, "rule")
        row["score"] = link.bits  # the score of the link, not of the pair as duplicates
        rows.append(row)
    return rows


def _score_pairs(
    prep: _Prepared, different: set[tuple[int, int]], table: _Weights
) -> tuple[list[tuple[int, int, str, _Evidence]], list[tuple[int, int, str, _Evidence]]]:
    """Score the candidate pairs of blocking: the pairs accepted, and those for a person.

    A pair a person called different, or one that cannot reach the review band
    (``_could_match``), is not scored.
    """
    candidates = _candidate_pairs(prep)
    if len(candidates):
        scores = process.cpdist(
            [prep.title[i] for i in candidates[:, 0]],
            [prep.title[j] for j in candidates[:, 1]],
            scorer=fuzz.ratio,
            workers=1,
        )
    else:
        scores = np.empty(0)
    accepted: list[tuple[int, int, str, _Evidence]] = []
    review: list[tuple[int, int, str, _Evidence]] = []
    floor = table.threshold - table.band
    for (i, j), title_score in zip(candidates.tolist(), scores.tolist(), strict=True):
        if (i, j) in different or not _could_match(prep, i, j, title_score):
            continue
        e = _evidence_for(prep, i, j, table)
        if _decide(e, table) is not None:
            accepted.append((i, j, "score", e))
        elif e.bits >= floor and (e.veto or e.bits < table.threshold):
            review.append((i, j, e.veto or "score", e))
    return accepted, review


def _group(
    prep: _Prepared,
    accepted: list[tuple[int, int, str, _Evidence]],
    same: list[tuple[int, int]],
    different: set[tuple[int, int]],
    table: _Weights,
) -> tuple[_UnionFind, list[dict[str, object]], list[tuple[int, int, str, _Evidence]]]:
    """Join records into groups: a person's 'same' first, then scored pairs, strongest first.

    Returns the groups, the rows of ``pairs`` and the accepted pairs whose merge was refused.
    """
    groups = _UnionFind(prep, different)
    rows = []
    for i, j in sorted(set(same)):
        ra, rb = groups.find(i), groups.find(j)
        if ra != rb:
            if groups.kept_apart(ra, rb):
                msg = (
                    f"decisions contradict each other: 'same' decisions join {prep.ids[i]!r} "
                    f"and {prep.ids[j]!r} into one group that holds a 'different' pair"
                )
                raise InputError([Problem("decisions", None, None, None, msg)])
            groups.union(ra, rb, span=None)
        e = _evidence_for(prep, i, j, table)
        rows.append(_pair_row(prep, i, j, "manual", e, "manual"))
    manual = {(r["id_a"], r["id_b"]) for r in rows}
    # the order (score, ids) does not depend on the order of the input rows
    accepted = sorted(
        accepted, key=lambda t: (-t[3].bits, *sorted((prep.ids[t[0]], prep.ids[t[1]])))
    )
    refused = []
    for i, j, rule, e in accepted:
        ra, rb = groups.find(i), groups.find(j)
        if ra != rb:
            ya, yb = prep.year[i], prep.year[j]
            span = abs(ya - yb) if ya is not None and yb is not None else None
            if groups.conflict(ra, rb, span):
                refused.append((i, j, "no_chaining", e))
                continue
            groups.union(ra, rb, span)
        row = _pair_row(prep, i, j, rule, e, "rule")
        if (row["id_a"], row["id_b"]) not in manual:
            rows.append(row)
    return groups, rows, refused


def _groups_frame(prep: _Prepared, groups: _UnionFind) -> pd.DataFrame:
    roots = [groups.find(i) for i in range(len(prep.ids))]
    smallest: dict[int, str] = {}
    for root, record_id in zip(roots, prep.ids, strict=True):
        if root not in smallest or record_id < smallest[root]:
            smallest[root] = record_id
    frame = pd.DataFrame({"id": prep.ids, "group_id": [smallest[r] for r in roots]})
    frame["group_size"] = frame.groupby("group_id")["id"].transform("size").astype("int64")
    return frame.sort_values(["group_id", "id"], ignore_index=True)


def _pairs_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    columns = ["id_a", "id_b", "rule", "score", "agreed", "contradicted", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["score"] = frame["score"].astype("float64")
    return frame.sort_values(["id_a", "id_b"], ignore_index=True)


_REVIEW_FIELDS = ("title", "author", "year", "journal")


def _review_frame(
    prep: _Prepared,
    records: pd.DataFrame,
    id_column: str,
    review: list[tuple[int, int, str, _Evidence]],
) -> pd.DataFrame:
    """The pairs near the threshold, with what a person needs to decide them."""
    _, cols = _resolve_columns(records, id_column)
    shown = {}
    for field in _REVIEW_FIELDS:
        values = records[cols[field]].tolist() if field in cols else [None] * len(prep.ids)
        shown[field] = ["" if is_missing(v) else str(v) for v in values]
    rows = []
    for i, j, rule, e in review:
        if prep.ids[j] < prep.ids[i]:
            i, j = j, i
        row = _pair_row(prep, i, j, rule, e, "")
        del row["source"]
        for field in _REVIEW_FIELDS:
            name = "venue" if field == "journal" else field
            row[f"{name}_a"], row[f"{name}_b"] = shown[field][i], shown[field][j]
        row["verdict"] = ""
        rows.append(row)
    columns = ["id_a", "id_b", "rule", "score", "agreed", "contradicted"]
    columns += [f"{f}_{s}" for f in ("title", "author", "year", "venue") for s in "ab"]
    frame = pd.DataFrame(rows, columns=[*columns, "verdict"]).drop_duplicates(["id_a", "id_b"])
    frame["score"] = frame["score"].astype("float64")
    return frame.sort_values(["score", "id_a", "id_b"], ascending=[False, True, True]).reset_index(
        drop=True
    )
