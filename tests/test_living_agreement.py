"""ekb.agreement: Cohen's kappa and Krippendorff's alpha equal the reference implementations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main

krippendorff = pytest.importorskip("krippendorff")
metrics = pytest.importorskip("sklearn.metrics")

DATA = Path(__file__).parent / "data" / "living"


@pytest.fixture(scope="module")
def result():
    return ekb.agreement(
        DATA / "coder_a.csv", DATA / "coder_b.csv", columns=["element", "direction"]
    )


def _pairs(column):
    a = pd.read_csv(DATA / "coder_a.csv", dtype=str).set_index("finding_id")
    b = pd.read_csv(DATA / "coder_b.csv", dtype=str).set_index("finding_id").loc[a.index]
    return a[column].tolist(), b[column].tolist()


def test_kappa_is_the_textbook_value_and_sklearns(result):
    row = result.summary.set_index("column").loc["direction"]
    assert row["kappa"] == pytest.approx(0.4)  # the 20/5/10/15 example
    assert row["agreement"] == pytest.approx(0.7)
    a, b = _pairs("direction")
    assert row["kappa"] == pytest.approx(metrics.cohen_kappa_score(a, b))


@pytest.mark.parametrize("column", ["element", "direction"])
def test_alpha_and_kappa_equal_the_reference_implementations(result, column):
    row = result.summary.set_index("column").loc[column]
    a, b = _pairs(column)
    labels = sorted(set(a) | set(b))
    expected = krippendorff.alpha(
        reliability_data=[a, b], value_domain=labels, level_of_measurement="nominal"
    )
    assert row["alpha"] == pytest.approx(expected)
    assert row["kappa"] == pytest.approx(metrics.cohen_kappa_score(a, b))
    assert row["n"] == 50


def test_per_element_and_the_disagreeing_rows(result):
    by_element = result.by_element.set_index("element")
    a, b = _pairs("element")
    for element, row in by_element.iterrows():
        xs = [x == element for x in a]
        ys = [y == element for y in b]
        assert row["kappa"] == pytest.approx(metrics.cohen_kappa_score(xs, ys))
        assert row["n_a"] == sum(xs)
        assert row["n_b"] == sum(ys)
    differ = {i for i, (x, y) in enumerate(zip(*_pairs("element"), strict=True)) if x != y}
    differ |= {i for i, (x, y) in enumerate(zip(*_pairs("direction"), strict=True)) if x != y}
    assert len(result.disagreements) == len(differ)
    assert {"element_a", "element_b", "direction_a", "direction_b"} <= set(
        result.disagreements.columns
    )


def test_rows_only_one_coder_has_are_named(tmp_path):
    a = pd.read_csv(DATA / "coder_a.csv", dtype=str)
    with pytest.raises(ekb.InputError, match=r"f-050 \(left"):
        ekb.agreement(a, a.iloc[:-1])


def test_a_missing_column_is_named():
    a = pd.read_csv(DATA / "coder_a.csv", dtype=str)
    with pytest.raises(ekb.InputError, match="coding b has no column 'direction'"):
        ekb.agreement(a, a.drop(columns="direction"))


def test_the_agreement_command(capsys):
    assert (
        main(["agreement", str(DATA / "coder_a.csv"), str(DATA / "coder_b.csv"), "--format", "csv"])
        == 0
    )
    assert "direction,50,0.7,0.4" in capsys.readouterr().out.replace("0.4000000000000001", "0.4")
