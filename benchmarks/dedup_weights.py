"""Fit the weights of evidence_kb's duplicate score from labelled search exports.

Run by hand (not part of the test suite)::

    python benchmarks/dedup_weights.py                     # fit on the three labelled sets
    python benchmarks/dedup_weights.py DATA_DIR --sets a b # fit on some sets of another folder
    python benchmarks/dedup_weights.py --write              # update the shipped weights.json

The model is Fellegi and Sunter's (1969): two records are compared field by field, each field
gives an agreement level (``exact``, ``high``, ..., ``differ``, ``missing``; see
``evidence_kb.citations.dedupe.rules.LEVELS``), and each level weighs ``log2(m / u)`` bits, where

- ``m`` is the share of true duplicate pairs with that level, and
- ``u`` the share of non-duplicate pairs with that level, among the pairs that blocking puts
  side by side (the pairs the matcher actually has to judge, not random pairs, which would make
  every agreement look stronger than it is).

Counts are smoothed twice: ``SMOOTHING`` pseudo-pairs are added to every level's count (so no
ratio is infinite), and a level seen ``n`` times among all fitting pairs keeps only
``n / (n + SHRINK)`` of its weight, so a level seen rarely (a generic title such as "Editorial"
in five pairs) says little rather than a lot.
A ``missing`` level (one record lacks the field) weighs 0 bits by definition: an absent field is
no evidence, and which fields an export leaves empty is a property of the export, not of the
pair (fitting it would teach the score the habits of the three sets). The labelled sets carry no DOIs,
so the DOI levels cannot be fitted on them: they get the documented prior weights of ``PRIORS``.

The threshold is the score that maximises pairwise F1 on the fitting pairs, raised until
precision there is at least ``MIN_PRECISION``; pairs within ``REVIEW_BAND`` bits below it are
listed for a person.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from evidence_kb.citations.dedupe.prepare import _candidate_pairs, _prepare
from evidence_kb.citations.dedupe.rules import LEVELS, _compare

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dedup"
DEFAULT_SETS = ("cytology_screening", "respiratory", "stroke")
WEIGHTS_JSON = Path(__file__).resolve().parents[1] / "src/evidence_kb/citations/dedupe/weights.json"
SMOOTHING = 1.0  # pseudo-pairs added to every level's count (Laplace)
SHRINK = 50.0  # a level seen n times keeps n / (n + SHRINK) of its weight
MAX_BITS = 14.0  # no single level says more than this
MIN_PRECISION = 0.995
REVIEW_BAND = 4.0

#: Weights for levels the labelled sets cannot teach (they have no DOIs), with the reason.
PRIORS: dict[str, dict[str, tuple[float, str]]] = {
    "doi": {
        "same": (
            10.0,
            "A DOI names one work: among pairs that share one, nearly all are the same work "
            "(m ~ 0.95), while two different works share one about once in a thousand blocked "
            "pairs (u ~ 0.001): log2(0.95 / 0.001) ~ 10 bits. Copied DOIs are caught by the "
            "doi_title veto.",
        ),
        "version": (
            6.0,
            "The same DOI apart from a version suffix (.pub2, v2): versions of one review or "
            "preprint, one work in a search; weaker than an identical DOI.",
        ),
        "differ": (-10.0, "Two different DOIs: the mirror of 'same' (and a veto anyway)."),
        "missing": (0.0, "One record has no DOI: no evidence either way."),
    }
}


def load_set(data_dir: Path, name: str) -> tuple[pd.DataFrame, list[list[str]]]:
    """Return the records and the true duplicate groups of one labelled set."""
    folder = data_dir / name
    records = pd.read_csv(folder / "records_pre_merged.csv", dtype=str)
    truth = [s.split(";") for s in pd.read_csv(folder / "merged_record_ids.csv")["merged_ids"]]
    return records, truth


def labelled_pairs(records: pd.DataFrame, truth: list[list[str]]) -> pd.DataFrame:
    """Every pair the matcher judges, with its field levels, veto and true label."""
    prep = _prepare(records, "ID")
    group = {rid: k for k, g in enumerate(truth) for rid in g}
    candidates = _candidate_pairs(prep)
    rows = []
    for i, j in candidates.tolist():
        if prep.ids[j] < prep.ids[i]:
            i, j = j, i
        e = _compare(prep, i, j, fuzz.ratio(prep.title[i], prep.title[j]))
        ga, gb = group.get(prep.ids[i]), group.get(prep.ids[j])
        rows.append({**e.levels, "veto": e.veto, "match": ga is not None and ga == gb})
    return pd.DataFrame(rows, columns=[*LEVELS, "veto", "match"])


def fit(pairs: pd.DataFrame, sets: list[str]) -> dict:
    """Return the weight table (the layout of weights.json) fitted on ``pairs``."""
    matches, others = pairs[pairs["match"]], pairs[~pairs["match"]]
    fields = {}
    for field, levels in LEVELS.items():
        m_count, u_count = Counter(matches[field]), Counter(others[field])
        prior = PRIORS.get(field, {})
        entries = {}
        for level in levels:
            m = (m_count[level] + SMOOTHING) / (len(matches) + SMOOTHING * len(levels))
            u = (u_count[level] + SMOOTHING) / (len(others) + SMOOTHING * len(levels))
            seen = m_count[level] + u_count[level]
            entry = {"m": round(m, 5), "u": round(u, 5), "n_match": m_count[level]}
            entry["n_other"] = u_count[level]
            if level in prior and m_count[level] + u_count[level] < 20:
                entry["bits"], entry["prior"] = prior[level]
            elif level == "missing":
                entry["bits"] = 0.0
            else:
                bits = math.log2(m / u) * seen / (seen + SHRINK)
                entry["bits"] = round(max(-MAX_BITS, min(MAX_BITS, bits)), 2)
            entries[level] = entry
        fields[field] = {"levels": entries}
    score = sum(
        pairs[field].map({lv: e["bits"] for lv, e in fields[field]["levels"].items()})
        for field in LEVELS
    )
    threshold = choose_threshold(
        score[pairs["veto"] == ""], pairs["match"][pairs["veto"] == ""], int(pairs["match"].sum())
    )
    return {
        "description": (
            "Weights of evidence_kb's duplicate score (Fellegi-Sunter): for each field and "
            "agreement level, m = P(level | same work), u = P(level | different works among "
            "blocked pairs), bits = log2(m / u) * n / (n + shrink_pairs) for a level seen n times (missing: 0), capped; a pair's score is the sum "
            "of its fields' bits. Written by benchmarks/dedup_weights.py; do not edit by hand."
        ),
        "fitted_on": sets,
        "fitted": str(date.today()),
        "pairs": {"match": len(matches), "other": len(others)},
        "smoothing_pairs": SMOOTHING,
        "shrink_pairs": SHRINK,
        "max_bits": MAX_BITS,
        "threshold_bits": threshold,
        "review_band_bits": REVIEW_BAND,
        "fields": fields,
    }


def choose_threshold(score: pd.Series, match: pd.Series, n_true: int) -> float:
    """The threshold with the best F1 on the fitting pairs, raised to reach MIN_PRECISION."""
    order = np.argsort(-score.to_numpy(), kind="stable")
    s, y = score.to_numpy()[order], match.to_numpy()[order]
    tp, fp = np.cumsum(y), np.cumsum(~y)
    precision = tp / (tp + fp)
    recall = tp / max(n_true, 1)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    last = np.r_[s[1:] != s[:-1], True]  # only cut between distinct scores
    f1 = np.where(last, f1, -1)
    best = int(np.argmax(f1))
    while precision[best] < MIN_PRECISION and best > 0:
        best -= 1
        while best > 0 and not last[best]:
            best -= 1
    # halfway between the last score taken and the next one left out
    below = s[best + 1] if best + 1 < len(s) else s[best] - 1
    return round(float((s[best] + below) / 2), 2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", nargs="+", default=list(DEFAULT_SETS))
    parser.add_argument("--write", action="store_true", help=f"write {WEIGHTS_JSON.name}")
    args = parser.parse_args(argv)
    pairs = pd.concat(
        [labelled_pairs(*load_set(args.data_dir, name)) for name in args.sets], ignore_index=True
    )
    table = fit(pairs, args.sets)
    text = json.dumps(table, indent=1) + "\n"
    if args.write:
        WEIGHTS_JSON.write_text(text, encoding="utf-8")
        print(f"wrote {WEIGHTS_JSON}")
    for field, spec in table["fields"].items():
        print(field, {lv: e["bits"] for lv, e in spec["levels"].items()})
    print("threshold", table["threshold_bits"], "pairs", table["pairs"])


if __name__ == "__main__":
    main()
