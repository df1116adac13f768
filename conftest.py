"""Root conftest: doctests in src/ and tests/ get ``ekb`` in their namespace (as networkx does)."""

from __future__ import annotations

import pytest

import evidence_kb as ekb


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["ekb"] = ekb
