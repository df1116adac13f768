"""Each fast path of the load gives what the general form it replaces gives, on tricky inputs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_kb.io import csvfile

_GUARD_CASES = [
    "",
    "'",
    "'=",
    "'=SUM(A1)",
    "\"'=SUM(A1)\"",
    "a,'-1\n",
    "a,b'-1\n",
    "a,\"'+1\"",
    "a,x\"'+1\"",
    "a;'@x",
    "a\t'\t",
    "a\n''=",
    "a\nx''=",
    "''=",
    "\"\"'=",
    "a,\"\"'=",
    "'\r",
    "a'\r",
    "x'x,'y\n'z",
]


@pytest.mark.parametrize("text", _GUARD_CASES)
def test_guarded_cell_fast_path_matches_the_pattern(text):
    assert csvfile._has_guarded_cell(text) == (csvfile._GUARDED_CELL.search(text) is not None)


@given(st.text(alphabet="'\"=-+@,;\t\n\rab", max_size=12))
def test_guarded_cell_fast_path_matches_the_pattern_on_any_text(text):
    assert csvfile._has_guarded_cell(text) == (csvfile._GUARDED_CELL.search(text) is not None)
