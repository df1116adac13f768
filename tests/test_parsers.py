"""Every reference format has one reader of one shape: ``parse(text, name) -> ReferenceRows``."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_kb.io.detect import FORMAT_NAMES, detect_format
from evidence_kb.io.parsed import ReferenceRows
from evidence_kb.io.references import COLUMN_PARSERS, PARSERS

DATA = Path(__file__).parent / "data"

# one real or documented file per format, and the number of records it holds
SAMPLES = {
    "bibtex": ("refs/sample.bib", None),
    "ris": ("exports/colrev_ieee_ris.ris", None),
    "medline": ("exports/jabref_MedlinePlainImporterTestCompleteEntry.txt", 1),
    "wos": ("exports/jabref_IsiImporterTestWOS.isi", None),
    "endnote": ("exports/colrev_ais_enl.txt", None),
    "ovid": ("exports/handmade/ovid_tagged.ovd", None),
    "refworks": ("exports/handmade/refworks_tagged.txt", None),
    "csl-json": ("refs/zotero.json", None),
    "csv": ("exports/handmade/refworks.tsv", None),
    "text": ("refs/list.txt", None),
}


def test_every_format_has_a_reader():
    assert set(PARSERS) == set(FORMAT_NAMES) - {"json"}  # "json" is read as "csl-json"
    assert set(COLUMN_PARSERS) <= set(PARSERS)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_reader_takes_text_and_name_and_gives_rows_and_problems(kind):
    relative, count = SAMPLES[kind]
    path = DATA / relative
    text = path.read_text(encoding="utf-8-sig")
    assert detect_format(text, path.suffix) == kind
    parsed = PARSERS[kind](text, path.name)
    assert isinstance(parsed, ReferenceRows)
    assert parsed.rows, f"{relative} gave no rows"
    assert all(row.get("title") or row.get("raw") for row in parsed.rows)
    assert all(p.file == path.name for p in parsed.problems)
    if count is not None:
        assert len(parsed.rows) == count


def test_a_broken_record_is_a_problem_not_an_exception():
    parsed = PARSERS["csl-json"]('[{"title": "A"}', "broken.json")
    assert parsed.rows == []
    assert [p.line for p in parsed.problems] == [1]
    assert "not valid JSON" in parsed.problems[0].message


def test_column_readers_take_the_users_mapping():
    text = 'Author/s,Heading\n"Jansen, A.",Leren in netwerken\n'
    plain = COLUMN_PARSERS["csv"](text, "own.csv")
    assert plain.rows == []  # no title column: an error, not a guess
    assert any("no title column" in p.message for p in plain.problems)
    mapped = COLUMN_PARSERS["csv"](text, "own.csv", {"Author/s": "authors", "Heading": "title"})
    assert [(r["authors"], r["title"]) for r in mapped.rows] == [
        ("Jansen, A.", "Leren in netwerken")
    ]
