"""What one review found that another did not; references shared by reviews; concepts."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from evidence_kb._gc import gc_paused
from evidence_kb.model.errors import UnknownIdError

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.graph.build import GraphIndex
    from evidence_kb.graph.queries.common import KBOrGraph

from evidence_kb.graph.queries.common import _element_order, _index, _sorted, as_graph
from evidence_kb.model.hints import did_you_mean


# -- compare --------------------------------------------------------------------------------------
@gc_paused()
def compare(kb: KBOrGraph, review_a: str, review_b: str) -> pd.DataFrame:
    """Per element and concept: what ``review_a`` found that ``review_b`` did not, and back.

    Parameters
    ----------
    kb
        A loaded knowledge base (``ekb.load()``, or any :class:`~evidence_kb.KBData`) or its graph.
    review_a, review_b
        Review ids.

    Returns
    -------
    pandas.DataFrame
        One row per (element, concept) that either review has findings for: ``found_by`` is
        ``review_a``, ``review_b`` or ``both``; with the findings and citations of each side.
        Findings without any concept are listed with an empty concept (they cannot be matched
        to the other review). Sorted by element, then ``found_by`` (a, b, both), then concept.

    Examples
    --------
    >>> table = compare(ekb.load(), "werk-inkomen-2023", "pps-2023")
    >>> synergy = table[
    ...     (table.element == "liso/synergie") & (table.found_by == "werk-inkomen-2023")
    ... ]
    >>> synergy[["concept", "findings_werk-inkomen-2023"]].values.tolist()
    [['learning-culture', 'wi-010']]
    """
    index = _index(as_graph(kb))
    _check_reviews(index, review_a, review_b)
    findings = index.findings
    findings = findings[
        findings["review"].isin((review_a, review_b))
        & (findings["element"] != "")
        & (findings["kind"] != "no_evidence")  # "nothing found" is not something found
    ]
    tagged = findings[["finding_id", "review", "element", "citation"]].merge(
        index.tags[["finding_id", "concept_id"]], on="finding_id", how="left"
    )
    tagged["concept_id"] = tagged["concept_id"].fillna("")
    rows = []
    for (element, concept), group in tagged.groupby(["element", "concept_id"], sort=False):
        for found_by, part_a, part_b in _sides(group, concept, review_a, review_b):
            rows.append(
                {
                    "element": element,
                    "concept": concept,
                    "found_by": found_by,
                    "n_a": len(part_a),
                    "n_b": len(part_b),
                    "findings_a": ";".join(sorted(part_a["finding_id"])),
                    "findings_b": ";".join(sorted(part_b["finding_id"])),
                    "citations_a": " | ".join(c for c in dict.fromkeys(part_a["citation"]) if c),
                    "citations_b": " | ".join(c for c in dict.fromkeys(part_b["citation"]) if c),
                }
            )
    return _compare_table(index, rows, review_a, review_b)


def _check_reviews(index: GraphIndex, *reviews: str) -> None:
    """Refuse a review the knowledge base does not have (the reviews of its findings, if it
    has no review table)."""
    known = set(index.reviews["review_id"]) if len(index.reviews) else set(index.findings["review"])
    for review in reviews:
        if review not in known:
            msg = f"{review!r} is not a review{did_you_mean(review, sorted(known))}"
            raise UnknownIdError(msg)


def _sides(
    group: pd.DataFrame, concept: str, review_a: str, review_b: str
) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """``(found_by, findings of a, findings of b)`` for the findings of one element and concept.

    Untagged findings (``concept`` empty) are listed per review, never matched.
    """
    a = group[group["review"] == review_a]
    b = group[group["review"] == review_b]
    if concept != "":
        return [("both" if len(a) and len(b) else review_a if len(a) else review_b, a, b)]
    none = group.iloc[0:0]
    sides = [(review_a, a, none)] if len(a) else []
    if len(b):
        sides.append((review_b, none, b))
    return sides


def _compare_table(
    index: GraphIndex, rows: list[dict[str, Any]], review_a: str, review_b: str
) -> pd.DataFrame:
    """The rows of :func:`compare` as a table, sorted, its columns named after the reviews."""
    import pandas as pd

    columns = [
        "element",
        "concept",
        "found_by",
        "n_a",
        "n_b",
        "findings_a",
        "findings_b",
        "citations_a",
        "citations_b",
    ]
    table = pd.DataFrame(rows, columns=columns)
    order = _element_order(index)
    rank = {review_a: 0, review_b: 1, "both": 2}
    table = table.assign(
        _element=table["element"].map(lambda e: order.get(e, ("~", e))),
        _found=table["found_by"].map(rank),
    )
    table = _sorted(table, ["_element", "_found", "concept"]).drop(columns=["_element", "_found"])
    sides = {"a": review_a, "b": review_b}
    return table.rename(
        columns={
            f"{column}_{side}": f"{column}_{review}"
            for column in ("n", "findings", "citations")
            for side, review in sides.items()
        }
    )


# -- shared references ----------------------------------------------------------------------------
@gc_paused()
def shared_references(kb: KBOrGraph) -> pd.DataFrame:
    """Return the references that support findings of more than one review or framework.

    A finding counts for the framework of its element, or for the side it speaks for (000);
    a comparison finding about both sides counts for its review only.

    Returns
    -------
    pandas.DataFrame
        ``key``, ``authors``, ``year``, ``title``, ``n_reviews``, ``reviews``,
        ``n_frameworks``, ``frameworks``, ``n_findings``, ``finding_ids``, ``elements``; sorted
        by the number of reviews, then frameworks, then findings (most first), then key.

    Examples
    --------
    >>> table = shared_references(ekb.load())
    >>> table.set_index("key").loc["kallio2015", "reviews"]
    'pps-2023;werk-inkomen-2023'
    """
    import pandas as pd

    G = as_graph(kb)
    index = _index(G)
    columns = ["finding_id", "review", "framework", "side", "target"]
    cited = index.cites.merge(index.findings[columns], on="finding_id")
    # a comparison finding about both frameworks would make every reference it cites "shared":
    # it counts for its review, not for a framework
    cited = cited.assign(framework=cited["framework"].where(cited["side"] != "both", ""))
    sets: dict[str, dict[str, set[str]]] = {
        c: defaultdict(set) for c in ("review", "framework", "finding_id", "target")
    }
    keys = cited["key"].tolist()
    for column, grouped in sets.items():
        for k, v in zip(keys, cited[column].tolist(), strict=True):
            if v:
                grouped[k].add(v)
    shared = sorted(
        k for k in sets["review"] if len(sets["review"][k]) > 1 or len(sets["framework"][k]) > 1
    )
    table = pd.DataFrame({"key": shared})
    for name, column, count in (
        ("reviews", "review", "n_reviews"),
        ("frameworks", "framework", "n_frameworks"),
        ("finding_ids", "finding_id", "n_findings"),
        ("elements", "target", None),
    ):
        table[name] = [";".join(sorted(sets[column].get(k, ()))) for k in shared]
        if count:
            table[count] = [len(sets[column].get(k, ())) for k in shared]
    refs = index.references
    meta = [c for c in ("key", "authors", "year", "title") if c in refs]
    if "key" in meta:
        table = table.merge(refs[meta], on="key", how="left")
    columns = ["key", "authors", "year", "title", "n_reviews", "reviews", "n_frameworks",
               "frameworks", "n_findings", "finding_ids", "elements"]  # fmt: skip
    table = table.reindex(columns=columns).fillna("")
    return _sorted(
        table, ["n_reviews", "n_frameworks", "n_findings", "key"], [False, False, False, True]
    )


def _join_by(frame: pd.DataFrame, key: str, value: str) -> dict[str, str]:
    """``{key: 'value;value'}``: the distinct non-empty values of each key, sorted."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for k, v in zip(frame[key].tolist(), frame[value].tolist(), strict=True):
        if v:
            grouped[k].add(v)
    return {k: ";".join(sorted(vs)) for k, vs in sorted(grouped.items())}


# -- concepts -------------------------------------------------------------------------------------
@gc_paused()
def concept_table(kb: KBOrGraph) -> pd.DataFrame:
    """Return the concept vocabulary with how many findings and elements name each concept.

    Returns
    -------
    pandas.DataFrame
        The columns of ``concepts.csv`` plus ``n_findings``, ``n_hand`` (added by hand),
        ``frameworks`` (where it is found) and ``elements`` (elements whose label names it),
        sorted by ``concept_id``.
    """
    G = as_graph(kb)
    index = _index(G)
    tags = index.tags
    n_findings = tags.groupby("concept_id")["finding_id"].nunique()
    n_hand = tags[tags["origin"] == "hand"].groupby("concept_id")["finding_id"].nunique()
    located = tags[["finding_id", "concept_id"]].merge(
        index.findings[["finding_id", "framework"]], on="finding_id"
    )
    located = located.assign(framework=located["framework"].str.split(";")).explode("framework")
    where = _join_by(located, "concept_id", "framework")
    labelled = _join_by(index.element_tags, "concept_id", "element_id")
    concepts = index.concepts["concept_id"]
    table = index.concepts.assign(
        n_findings=concepts.map(n_findings).fillna(0).astype(int),
        n_hand=concepts.map(n_hand).fillna(0).astype(int),
        frameworks=[where.get(c, "") for c in concepts],
        elements=[labelled.get(c, "") for c in concepts],
    )
    return _sorted(table, ["concept_id"])
