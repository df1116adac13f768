"""The charting fields as a way to slice the evidence: a finding carries the values of the
studies (``studies.csv``) behind the references it cites.

A finding citing two studies from two countries counts for both countries; a finding none of
whose references is charted has the value :data:`~evidence_kb.model.charting.NOT_CHARTED`, so
it is never left out silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from evidence_kb.model.charting import NOT_CHARTED, Charting
from evidence_kb.model.errors import EvidenceKBError

if TYPE_CHECKING:
    import pandas as pd

    from evidence_kb.graph.build import GraphIndex

__all__ = ["charting_of", "finding_values", "findings_where"]


def charting_of(kb: Any, charting: Charting | None = None) -> Charting:
    """The charting of ``kb`` (``charting`` if given), or an error that says how to add one."""
    found = charting if charting is not None else getattr(kb, "charting", None)
    if found is None:
        where = getattr(kb, "data_dir", None)
        msg = (
            "this knowledge base has no charting: add charting.csv (the charting form: field, "
            "type, values, description) and studies.csv (one row per source: reference, then "
            f"the fields) to {where or 'its directory'}, or pass the knowledge base itself "
            "(ekb.load(...)), not its graph"
        )
        raise EvidenceKBError(msg)
    return found


def finding_values(index: GraphIndex, charting: Charting, field: str) -> pd.DataFrame:
    """``finding_id`` and ``value``: one row per finding and value of ``field`` among the
    studies of its references (:data:`NOT_CHARTED` for a finding with none)."""
    import pandas as pd

    values = charting.reference_values(field)
    rows = [
        (finding_id, value)
        for finding_id, key in zip(
            index.cites["finding_id"].tolist(), index.cites["key"].tolist(), strict=True
        )
        for value in values.get(key, [])
    ]
    table = pd.DataFrame(rows, columns=["finding_id", "value"]).drop_duplicates()
    missing = sorted(set(index.findings["finding_id"]) - set(table["finding_id"]))
    extra = pd.DataFrame({"finding_id": missing, "value": NOT_CHARTED})
    return pd.concat([table, extra], ignore_index=True)


def findings_where(index: GraphIndex, charting: Charting, where: Mapping[str, object]) -> set[str]:
    """The findings that cite a study with every value ``where`` asks for
    (see :meth:`~evidence_kb.model.charting.Charting.matching`)."""
    keys = charting.matching(where)
    cites = index.cites
    return set(cites.loc[cites["key"].isin(keys), "finding_id"])
