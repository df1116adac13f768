"""The corpus of bad and awkward inputs: every file in tests/data/bad has the outcome a user expects.

Each case is one file (named ``<target>--<case>.<ext>``). Files that replace a file of a knowledge
base (findings, frameworks, reviews, references.bib) are loaded as part of the mini knowledge
base; the other reference files go through ``ekb.read_references``. The outcome is one of:

* ``loaded``: it loads, the data is right, and there is no problem;
* ``warning``: it loads, and a warning says what was odd;
* ``error``: an ``InputError`` names the file, the line and what to fix.

The cases of test_load.py (one per kind of validation problem) are listed there with their
exact messages; this module covers the rest and checks that no file of the corpus goes untested.
"""

from __future__ import annotations

import pytest

import evidence_kb as ekb

from .conftest import DATA_DIR
from .test_load import BAD_CASES

BAD = DATA_DIR / "bad"

KB_CASES = [
    # findings.csv
    (
        "findings--extra_column.csv",
        "warning",
        "findings.csv: line 1, column 'reviewer': warning: unknown column 'reviewer' is ignored",
    ),
    (
        "findings--latin1.csv",
        "error",
        "findings.csv: line 6: byte 0xf6 is not valid UTF-8: it looks like Windows-1252 or Latin-1",
    ),
    (
        "findings--empty_file.csv",
        "error",
        "findings.csv: line 1: file is empty: expected a header row",
    ),
    ("findings--header_only.csv", "loaded", ""),
    ("findings--blank_lines.csv", "loaded", ""),
    (
        "findings--duplicate_column.csv",
        "error",
        "findings.csv: line 1: column(s) 'review' appear more than once in the header",
    ),
    (
        "findings--factor_without_direction.csv",
        "error",
        "findings.csv: line 6, column 'direction': is empty; a factor is either promoting or hindering",
    ),
    (
        "findings--theme_of_other_element.csv",
        "error",
        "findings.csv: line 6, column 'theme': theme 'liso/synergie/samenwerking' belongs to 'liso/synergie', not to element 'liso/organisatie'",
    ),
    (
        "findings--bad_id.csv",
        "error",
        "findings.csv: line 6, column 'finding_id': got 'WI 003', expected lower-case letters",
    ),
    ("findings--unresolvable_citation.csv", "loaded", ""),
    ("findings--utf8_bom_crlf.csv", "loaded", ""),
    (
        "findings--alias_reference_key.csv",
        "warning",
        "'camps2011b' is an alias; use the main key 'camps2011a'",
    ),
    # references.bib
    ("references--latex_accents.bib", "loaded", ""),
    (
        "references--missing_year.bib",
        "warning",
        "references.bib: line 34, column 'year': warning: entry 'butterfoss2007' has no year",
    ),
    (
        "references--bad_year.bib",
        "error",
        "references.bib: line 34, column 'year': year 'twothousandseven' is not a number; expected four digits",
    ),
    (
        "references--empty_key.bib",
        "error",
        "references.bib: line 34, column 'key': the entry has no key: expected @type{key, ...}",
    ),
    ("references--crossref.bib", "loaded", ""),
    ("references--string_macro.bib", "loaded", ""),
    (
        "references--unbalanced_braces.bib",
        "error",
        "references.bib: line 34: broken BibTeX entry '@book{butterfoss2007,': Unexpectedly reached end of file.; check its braces",
    ),
]

FILE_CASES = [
    (
        "references--endnote_bom_stray.ris",
        "warning",
        "line 1: warning: line outside any record is ignored: 'Provider: EndNote export'",
    ),
    (
        "references--truncated.ris",
        "error",
        "line 7: record has no 'ER  -' end tag: the file may be truncated",
    ),
    (
        "references--unknown_tag.ris",
        "warning",
        "line 1, column 'ZZ': warning: unknown RIS tag 'ZZ' is ignored",
    ),
    (
        "references--wrong_types.json",
        "error",
        "item 2 (bad2021): 'author' must be a list of {family, given} objects",
    ),
    (
        "references--not_json.json",
        "error",
        "line 3: not valid JSON: Expecting ',' delimiter",
    ),
    (
        "references--number_not_list.json",
        "error",
        "line 1: expected a list of CSL-JSON items, got int",
    ),
    (
        "references--odd_list.txt",
        "warning",
        "line 5: warning: no author and year found; kept as a title-only entry",
    ),
    (
        "references--scopus_missing_title.csv",
        "error",
        "line 1: no title column; the header has: Authors, Year, Source title, EID",
    ),
    (
        "references--plain_wrong_cells.csv",
        "error",
        "line 3: expected 4 cells (as in the header), found 3",
    ),
]


def _outcome(load):
    try:
        problems = load()
    except ekb.InputError as err:
        return "error", str(err)
    text = "\n".join(str(p) for p in problems)
    return ("warning" if problems else "loaded"), text


@pytest.mark.parametrize(("name", "outcome", "message"), KB_CASES, ids=[c[0] for c in KB_CASES])
def test_knowledge_base_file(broken_kb, name, outcome, message):
    kb_dir = broken_kb(name)
    got, text = _outcome(lambda: ekb.load(kb_dir).problem_list)
    assert got == outcome, text
    assert message in text


@pytest.mark.parametrize(("name", "outcome", "message"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_reference_file(name, outcome, message):
    got, text = _outcome(lambda: ekb.read_references(BAD / name).problems)
    assert got == outcome, text
    assert message in text


def test_latex_accents_are_decoded(broken_kb):
    kb = ekb.load(broken_kb("references--latex_accents.bib"))
    authors = kb.references.set_index("key").loc["camps2011a", "authors"]
    assert authors == "Camps, J.; Rodríguez, H.; Müller, K."


def test_crossref_fields_are_inherited(broken_kb):
    refs = ekb.load(broken_kb("references--crossref.bib")).references.set_index("key")
    assert refs.loc["chapter2019", "year"] == 2019
    assert refs.loc["chapter2019", "container"] == "Human resource development"


def test_string_macro_is_expanded(broken_kb):
    refs = ekb.load(broken_kb("references--string_macro.bib")).references.set_index("key")
    assert refs.loc["tosun2017", "container"] == "Public Money & Management"


def test_unresolvable_citation_is_reported_not_dropped(broken_kb):
    kb = ekb.load(broken_kb("findings--unresolvable_citation.csv"))
    row = kb.citations.set_index("finding_id").loc["wi-003"]
    assert row["status"] == "unresolved"
    assert row["notes"] == "no reference by Nobody (1899) in the bibliography"
    assert len(kb.findings) == 10


def test_odd_reference_list_keeps_every_entry():
    refs = ekb.read_references(BAD / "references--odd_list.txt", strict=False)
    assert list(refs["authors"]) == [
        "Tosun, J.",
        "Kallio, K. and Lappalainen, I.",
        "Coopey, J.",
        "",
    ]
    assert list(refs["year"]) == ["2017", "2015", "", ""]


def test_every_file_of_the_corpus_is_tested():
    tested = (
        {c[0] for c in KB_CASES} | {c[0] for c in FILE_CASES} | {c.values[0] for c in BAD_CASES}
    )
    tested |= {"findings--several_problems.csv", "findings--alias_reference_key.csv"}
    on_disk = {p.name for p in BAD.iterdir()}
    assert on_disk - tested == set()
    assert len(on_disk) >= 40


def test_a_too_large_file_is_refused_with_a_clear_message(tmp_path):
    from evidence_kb.io.text import read_text

    path = tmp_path / "findings.csv"
    path.write_bytes(b"x" * 2_000_000)
    with pytest.raises(
        ekb.InputError, match=r"findings.csv: file is 2.0 MB, more than the limit of 1 MB"
    ):
        read_text(path, max_bytes=1_000_000)


def test_writes_are_atomic_and_keep_the_old_file_on_failure(tmp_path, monkeypatch):
    from evidence_kb.io import text

    path = tmp_path / "references.bib"
    path.write_text("old", encoding="utf-8")

    class Boom(Exception):
        pass

    def fail(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(text.Path, "replace", fail)
    with pytest.raises(Boom):
        text.write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["references.bib"]  # no temporary file left


def test_an_entry_that_is_no_reference_is_a_problem_at_its_line():
    from evidence_kb.io.bibtex import parse_bibtex_located

    text = "@article{a, year = 2020}\n\n@article{, year = 2020}\n\n@article{b, year = 2021}\n"
    entries, problems = parse_bibtex_located(text, file_name="x.bib")
    assert [e.reference.key for e in entries] == ["a", "b"]
    assert [(p.file, p.line, p.column, p.severity) for p in problems] == [
        ("x.bib", 3, "key", "error")
    ]
    assert "has no key" in problems[0].message
