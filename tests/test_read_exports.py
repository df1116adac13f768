"""Reading search exports: BibTeX quirks, format detection, field mapping, strict mode."""

from __future__ import annotations

from pathlib import Path

import pytest

import evidence_kb as ekb
from evidence_kb.io.bibtex import clean_year, parse_bibtex
from evidence_kb.io.kbdir import references_from_frame


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- BibTeX ---------------------------------------------------------------------------------


def test_percent_inside_a_value_is_text():
    refs, _ = parse_bibtex(
        "@article{a, author={Doe, J.}, year=2019,\n"
        '  title={50% of {T}his}, note = "x % y"}\n'
        "% a real comment {\n"
    )
    assert (refs[0].title, refs[0].note) == ("50% of This", "x % y")


def test_braced_corporate_author_is_one_author():
    refs, _ = parse_bibtex(
        "@article{a, author={{Food and Agriculture Organization} and Smith, John},"
        " year=2019, title={T}}\n"
        "@article{b, author={{World Health Organization}}, year=2019, title={T}}\n"
    )
    assert refs[0].authors == ("Food and Agriculture Organization", "Smith, John")
    assert refs[1].authors == ("World Health Organization",)


def test_corporate_author_survives_read_references(tmp_path):
    path = _write(
        tmp_path,
        "c.bib",
        "@article{a, author={{Food and Agriculture Organization} and Smith, John},"
        " year=2019, title={T}}\n",
    )
    refs = ekb.read_references(path)
    assert refs.loc[0, "authors"] == "{Food and Agriculture Organization} and Smith, John"
    kb_refs, _ = references_from_frame(refs, file_name="c.bib")
    assert kb_refs[0].authors == ("Food and Agriculture Organization", "Smith, John")


def test_string_concatenation_is_expanded():
    refs, problems = parse_bibtex(
        '@string{j1 = "Journal of "}\n@string{j2 = {Things}}\n@string{j3 = j1 # j2}\n'
        '@article{a, author={Doe, J.}, year=2019, title={T}, journal = j1 # j2 # " Today",'
        " publisher = j3, month = jan # {~1}}\n"
    )
    assert refs[0].container == "Journal of Things Today"
    assert refs[0].publisher == "Journal of Things"
    assert problems == []


def test_biblatex_date_gives_the_year():
    refs, problems = parse_bibtex("@article{a, author={Doe, J.}, date={2020-05-01}, title={T}}")
    assert refs[0].year == 2020
    assert problems == []


@pytest.mark.parametrize(
    ("text", "year", "suffix", "severity"),
    [
        pytest.param("2019", 2019, "", None, id="plain"),
        pytest.param("2019a", 2019, "a", None, id="letter"),
        pytest.param("[2019]", 2019, "", "warning", id="brackets"),
        pytest.param("2019²", 2019, "", "warning", id="superscript"),
        pytest.param("2019*", 2019, "", "warning", id="asterisk"),
        pytest.param("2019-05", 2019, "", None, id="date"),
        pytest.param("²⁰¹⁹", None, "", "error", id="all-superscript"),
        pytest.param("twothousand", None, "", "error", id="words"),
    ],
)
def test_years_with_stray_marks(text, year, suffix, severity):
    refs, problems = parse_bibtex(
        f"@article{{a, author={{Doe, J.}}, year={{{text}}}, title={{T}}}}"
    )
    assert (refs[0].year, refs[0].year_suffix) == (year, suffix)
    year_problems = [p for p in problems if p.value == text]
    assert [p.severity for p in year_problems] == ([severity] if severity else [])
    if severity:
        assert text in year_problems[0].message
        assert year_problems[0].line == 1
    assert clean_year(text)[0] == year


def test_duplicate_keys_are_reported_not_dropped(tmp_path):
    path = _write(
        tmp_path,
        "dup.bib",
        "@article{a, author={Doe, J.}, year=2019, title={First}}\n"
        "@article{a, author={Roe, R.}, year=2020, title={Second}}\n",
    )
    refs = ekb.read_references(path)
    assert list(refs["title"]) == ["First", "Second"]
    assert list(refs["line"]) == [1, 2]
    [problem] = refs.problems
    assert (problem.line, problem.severity) == (2, "warning")
    assert "duplicate key 'a'" in problem.message
    # in a knowledge base a duplicate key stays an error
    _, problems = parse_bibtex(path.read_text())
    assert [p.severity for p in problems] == ["error"]


# --- detection and tagged formats -------------------------------------------------------------


def test_ris_with_one_space_before_the_dash(tmp_path):
    path = _write(
        tmp_path,
        "one_space.ris",
        "TY - JOUR\nAU - Doe, J.\nTI - A title\nJF - Journal of Tests\nJA - J Tests\n"
        "VO - 12\nDA - 2019/05/01\nER - \n",
    )
    refs = ekb.read_references(path)
    row = refs.iloc[0]
    assert (row["title"], row["container"], row["volume"], row["year"]) == (
        "A title",
        "Journal of Tests",
        "12",
        "2019",
    )
    assert (row["entry_type"], row["raw_type"]) == ("article", "JOUR")


def test_endnote_tagged_export(tmp_path):
    path = _write(
        tmp_path,
        "refs.txt",
        "%0 Journal Article\n%A Tosun, Jale\n%T Promoting youth employment\n"
        "%J Public Money & Management\n%V 37\n%N 1\n%P 39-46\n%D 2017\n"
        "%R https://doi.org/10.1080/09540962.2016.1249230\n\n"
        "%0 Book Section\n%A Coopey, J.\n%T Learning to trust\n%B Managing learning\n"
        "%D 1998\n",
    )
    refs = ekb.read_references(path)
    assert refs.formats == {"refs.txt": "endnote"}
    assert list(refs["entry_type"]) == ["article", "chapter"]
    assert refs.loc[0, "doi"] == "10.1080/09540962.2016.1249230"
    assert list(refs["line"]) == [1, 11]
    assert refs.loc[1, "container"] == "Managing learning"


def test_csl_json_object_keyed_by_id_and_crossref_answer(tmp_path):
    keyed = _write(
        tmp_path,
        "keyed.json",
        '{"a1": {"type": "article-journal", "title": "T1", "issued": {"date-parts": [[2020]]}},'
        ' "b2": {"type": "book", "title": "T2"}}',
    )
    refs = ekb.read_references(keyed)
    assert list(refs["id"]) == ["a1", "b2"]
    assert list(refs["entry_type"]) == ["article", "book"]
    crossref = _write(
        tmp_path,
        "crossref.json",
        '{"status": "ok", "message-type": "work-list", "message": {"items": [{"DOI":'
        ' "10.1000/ABC", "title": ["A title"], "container-title": ["A journal"],'
        ' "type": "journal-article", "author": [{"given": "J.", "family": "Doe"}],'
        ' "issued": {"date-parts": [[2021, 3]]}, "member": "1"}]}}',
    )
    row = ekb.read_references(crossref).iloc[0]
    assert (row["title"], row["container"], row["doi"], row["year"], row["authors"]) == (
        "A title",
        "A journal",
        "10.1000/abc",
        "2021",
        "Doe, J.",
    )


def test_scopus_row_with_an_extra_cell_is_kept_with_a_warning(tmp_path):
    path = _write(
        tmp_path,
        "scopus.csv",
        "Authors,Title,Year,Source title,DOI,Funding Text 1,EID\n"
        '"Doe J.; Roe R.",A title,2020,J Tests,10.1000/x,"fund","2-s2.0-1","second funding"\n',
    )
    refs = ekb.read_references(path)
    assert (refs.loc[0, "authors"], refs.loc[0, "id"]) == ("Doe J. and Roe R.", "2-s2.0-1")
    [problem] = refs.problems
    assert (problem.line, problem.severity) == (2, "warning")
    assert "8 cells but the header has 7" in problem.message


def test_springer_and_wos_tab_tables(tmp_path):
    springer = _write(
        tmp_path,
        "springer.csv",
        "Item Title,Publication Title,Book Series Title,Journal Volume,Journal Issue,"
        "Item DOI,Authors,Publication Year,URL,Content Type\n"
        "A chapter,A book,,,,10.1007/978-3-030-1_2,J. DoeR. Roe,2020,http://x,Chapter\n",
    )
    row = ekb.read_references(springer).iloc[0]
    assert (row["title"], row["container"], row["doi"], row["entry_type"], row["database"]) == (
        "A chapter",
        "A book",
        "10.1007/978-3-030-1_2",
        "chapter",
        "SpringerLink",
    )
    wos = _write(
        tmp_path,
        "savedrecs.txt",
        "PT\tAU\tTI\tSO\tPY\tVL\tDI\tID\tUT\nJ\tDoe, J; Roe, R\tA title\tJ TESTS\t2019\t3\t"
        "10.1000/y\tKEYWORDS PLUS\tWOS:1\n",
    )
    row = ekb.read_references(wos).iloc[0]
    assert (row["id"], row["authors"], row["container"], row["database"]) == (
        "WOS:1",
        "Doe, J and Roe, R",
        "J TESTS",
        "Web of Science",
    )


def test_field_over_the_csv_limit_is_read(tmp_path):
    abstract = "x" * 200_000
    path = _write(tmp_path, "big.csv", f'title,abstract\nT,"{abstract}"\n')
    assert len(ekb.read_references(path).loc[0, "abstract"]) == 200_000


@pytest.mark.parametrize(
    ("raw", "doi"),
    [
        ("https://doi.org/10.1002/SRES.1067", "10.1002/sres.1067"),
        ("doi:10.1002/sres.1067.", "10.1002/sres.1067"),
        ("10.1111/j.1365-2648.2010.05394.x/full/html", "10.1111/j.1365-2648.2010.05394.x"),
        ("10.1111/x.1/abstract", "10.1111/x.1"),
        ("http://dx.doi.org/10.1000/182/pdf", "10.1000/182"),
        ("10/BFGK", "10/bfgk"),
    ],
)
def test_dois_are_normalised(tmp_path, raw, doi):
    path = _write(tmp_path, "d.ris", f"TY  - JOUR\nTI  - T\nPY  - 2020\nDO  - {raw}\nER  - \n")
    refs = ekb.read_references(path)
    assert refs.loc[0, "doi"] == doi
    assert refs.problems == []


def test_medline_read_as_text_would_be_refused(tmp_path):
    # a MEDLINE file is read as MEDLINE; forced to the printed-list reader it is refused
    path = _write(
        tmp_path, "pubmed.txt", "PMID- 1\nTI  - A title\nDP  - 2020\n\nPMID- 2\nTI  - B\n"
    )
    assert len(ekb.read_references(path)) == 2
    with pytest.raises(ekb.InputError, match=r"pubmed.txt: no records found .*read as RIS"):
        ekb.read_references(path, format="ris")


def test_strict_mode_names_the_file_and_the_format(tmp_path):
    path = _write(tmp_path, "empty.ris", "Provider: Somebody\nContent: text/plain\n")
    with pytest.raises(ekb.InputError, match=r"empty.ris: no records found .*read as RIS"):
        ekb.read_references(path)
    refs = ekb.read_references(path, strict=False)
    assert len(refs) == 0
    assert any("no records found" in p.message for p in refs.problems)


def test_several_paths_keep_their_problems_and_encoding_works(tmp_path):
    first = _write(tmp_path, "a.ris", "TY  - JOUR\nTI  - Café\nPY  - 2019\nER  - \n", "cp1252")
    second = _write(tmp_path, "b.ris", "TY  - JOUR\nTI  - B\nZZ  - odd\nER  - \n")
    with pytest.raises(ekb.InputError, match="pass encoding='cp1252'"):
        ekb.read_references([first, second])
    refs = ekb.read_references([first, second], encoding="cp1252")
    assert list(refs["title"]) == ["Café", "B"]
    assert list(refs["file"]) == ["a.ris", "b.ris"]
    assert [p.file for p in refs.problems] == ["b.ris"]


# --- from an export to the knowledge base ---------------------------------------------------


def test_to_bibtex_writes_author_year_keys_and_merges_duplicates(tmp_path):
    exports = Path(__file__).parent / "data" / "exports"
    refs = ekb.read_references(
        [exports / "colrev_pubmed.csv", exports / "rispy_example_pubmed_trimmed.txt"]
    )
    out = tmp_path / "references.bib"
    assert ekb.to_bibtex(refs, out) == []
    back, problems = parse_bibtex(out.read_text(encoding="utf-8"))
    assert [p for p in problems if p.severity == "error"] == []
    assert len(back) == 12
    keys = [r.key for r in back]
    assert {"wangc2022", "wangc2022b"} <= set(keys)  # two works by "Wang C" (2022)
    by_key = {r.key: r for r in back}
    assert by_key["sereno2022"].entry_type == "article"
    assert by_key["sereno2022"].source == "rispy_example_pubmed_trimmed.txt, line 114"
    # the same records read twice are duplicates: written once, the other key in ids
    twice = ekb.read_references([exports / "colrev_pubmed.csv", exports / "colrev_pubmed.csv"])
    twice["id"] = [f"r{n}" for n in range(len(twice))]
    dupes = ekb.find_duplicates(twice, id_column="id")
    ekb.to_bibtex(twice, out, duplicates=dupes)
    merged, _ = parse_bibtex(out.read_text(encoding="utf-8"))
    assert len(merged) == 10
    assert all(len(r.ids) == 1 for r in merged)


def test_knowledge_base_with_references_ris(tmp_path):
    import shutil

    from evidence_kb.io.export import format_ris

    kb_dir = tmp_path / "kb"
    shutil.copytree(Path(__file__).parent / "data" / "mini", kb_dir)
    bib = kb_dir / "references.bib"
    refs, _ = parse_bibtex(bib.read_text(encoding="utf-8"))
    (kb_dir / "references.ris").write_text(format_ris(refs), encoding="utf-8")
    bib.unlink()
    kb = ekb.load(kb_dir)
    assert sorted(kb.references["key"]) == sorted(r.key for r in refs)
    assert not [p for p in kb.problem_list if p.severity == "error"]


def test_ovid_with_tagged_lines(tmp_path):
    path = _write(
        tmp_path,
        "ovid.txt",
        "<1>\nAN  - 21553931\nAU  - Abdel-Tawab M\nAU  - Werz O\n"
        "TI  - Boswellia serrata: an overall assessment.\n"
        "SO  - Clinical Pharmacokinetics. 50(6):349-69, 2011 Jun.\nYR  - 2011\n\n"
        "<2>\nAN  - 29459515\nAU  - Abe H\nTI  - Yuzu Peel Attenuates Colitis.\n"
        "SO  - Journal of Oleo Science. 67(3):335-344, 2018.\n",
    )
    refs = ekb.read_references(path)
    assert refs.formats == {"ovid.txt": "ovid"}
    row = refs.iloc[0]
    assert (row["id"], row["authors"], row["title"], row["year"]) == (
        "21553931",
        "Abdel-Tawab M and Werz O",
        "Boswellia serrata: an overall assessment",
        "2011",
    )
    assert (row["container"], row["volume"], row["issue"], row["pages"]) == (
        "Clinical Pharmacokinetics",
        "50",
        "6",
        "349-69",
    )
    assert (refs.loc[1, "year"], list(refs["line"])) == ("2018", [1, 9])


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param(
            "c.json",
            '{"message": {"items": 3}}',
            "'message.items' must be a list",
            id="crossref-items-not-a-list",
        ),
        pytest.param(
            "w.txt", "FN Clarivate\nVR 1.0\nEF\n", "no records found", id="wos-header-only"
        ),
        pytest.param("x.xml", "<xml/>", "XML exports of PubMed", id="xml"),
        pytest.param("h.csv", "title\n", "no records found", id="csv-header-only"),
    ],
)
def test_files_that_give_nothing_are_refused(tmp_path, name, text, message):
    with pytest.raises(ekb.InputError, match=message):
        ekb.read_references(_write(tmp_path, name, text))


def test_empty_record_is_an_error_in_strict_mode(tmp_path):
    # issue #21: a record whose key fields are all empty is an error, never a warning
    path = _write(tmp_path, "e.ris", "TY  - JOUR\nER  - \n")
    with pytest.raises(ekb.InputError, match="line 1: record has no title, authors, year or DOI"):
        ekb.read_references(path)
    refs = ekb.read_references(path, strict=False)
    assert [(p.message, p.severity) for p in refs.problems] == [
        (
            "record has no title, authors, year or DOI: check it in the file (a field the "
            "reader does not know, or a record cut in two?)",
            "error",
        )
    ]


# --- issue #21: no record or field is lost without a word ------------------------------------


def test_unknown_table_is_read_with_a_column_mapping(tmp_path):
    path = _write(
        tmp_path, "x.csv", "Titel,Auteurs,Jaar\nLeren in netwerken,Jansen P; Smit L,2020\n"
    )
    with pytest.raises(ekb.InputError, match="no title column; the header has: Titel, Auteurs"):
        ekb.read_references(path)
    refs = ekb.read_references(
        path, columns={"Titel": "title", "auteurs": "authors", "Jaar": "year"}
    )
    row = refs.iloc[0]
    assert (row["title"], row["authors"], row["year"]) == (
        "Leren in netwerken",
        "Jansen P and Smit L",
        "2020",
    )
    with pytest.raises(ValueError, match="'writer' is not a field; expected one of id, "):
        ekb.read_references(path, columns={"Auteurs": "writer"})


def test_unread_column_that_looks_like_a_key_field_is_refused(tmp_path):
    path = _write(tmp_path, "x.csv", "Title,Lead Writer(s),Identifier\nA,Doe J,10.1000/a1\n")
    with pytest.raises(ekb.InputError) as err:
        ekb.read_references(path)
    text = str(err.value)
    assert "column 'Identifier' looks like doi but no mapping reads it" in text
    assert "pass columns={'Identifier': 'doi'}" in text
    refs = ekb.read_references(path, columns={"Identifier": "doi", "Lead Writer(s)": "authors"})
    assert (refs.loc[0, "doi"], refs.loc[0, "authors"]) == ("10.1000/a1", "Doe J")
    # an unread column whose name says authors, when the table has no authors column
    path = _write(tmp_path, "y.csv", "Title,Year,Author list\nA,2020,Doe J\n")
    with pytest.raises(ekb.InputError, match="column 'Author list' looks like authors"):
        ekb.read_references(path)
    # columns no map takes are named in a warning, the records are read
    path = _write(tmp_path, "z.csv", "Title,Year,Authors,Reviewer notes\nA,2020,Doe J,fine\n")
    [problem] = ekb.read_references(path).problems
    assert problem.message.startswith("column(s) not read (kept in 'raw'): Reviewer notes")


def test_two_title_columns_and_a_second_header_row(tmp_path):
    path = _write(
        tmp_path,
        "two.csv",
        "Title,title,Year\nFirst,,2020\n,Only in the second,2021\nTitle,title,Year\nThird,,2022\n",
    )
    refs = ekb.read_references(path)
    assert list(refs["title"]) == ["First", "Only in the second", "Third"]
    assert [(p.line, p.severity) for p in refs.problems] == [(4, "warning")]
    assert "a second header row is skipped" in refs.problems[0].message


def test_row_with_extra_cells_is_aligned_or_refused(tmp_path):
    # the extra cell sits between two text columns, and which one holds what cannot be told
    path = _write(tmp_path, "x.csv", "Title,Abstract,Notes,Year\nA,part one,part two,n,2020\n")
    with pytest.raises(ekb.InputError, match="line 2: 5 cells but the header has 4, and where"):
        ekb.read_references(path)
    assert len(ekb.read_references(path, strict=False)) == 0
    # the year and DOI columns place the extra cell: between them, not at the end
    path = _write(tmp_path, "y.csv", "Title,Year,Notes,DOI\nA,2020,n,extra,10.1000/x\n")
    refs = ekb.read_references(path)
    assert (refs.loc[0, "doi"], refs.loc[0, "year"]) == ("10.1000/x", "2020")
    assert "the extra cell(s) after column 'notes' are left out ('extra')" in str(refs.problems[0])


def test_records_of_another_format_are_errors(tmp_path):
    ris = "TY  - JOUR\nTI  - One\nPY  - 2020\nER  - \n\n"
    medline = "PMID- 123\nOWN - NLM\nTI  - Two\nDP  - 2021\n"
    path = _write(tmp_path, "mixed.ris", ris + medline)
    with pytest.raises(ekb.InputError, match="line 6: a MEDLINE record starts here, in a file"):
        ekb.read_references(path)
    path = _write(tmp_path, "appended.bib", "@article{a, title={One}, year=2020}\n\n" + ris)
    with pytest.raises(ekb.InputError, match=r"line 3: 1 RIS record.s. from here on, in a BibTeX"):
        ekb.read_references(path)
    # a RIS record that lost its TY line: read, and an error in strict mode
    path = _write(tmp_path, "lost.ris", ris + "TI  - Two\nAU  - Doe, J\nER  - \n")
    with pytest.raises(ekb.InputError, match="line 6, column 'TI': record without its 'TY  - '"):
        ekb.read_references(path)
    assert list(ekb.read_references(path, strict=False)["title"]) == ["One", "Two"]


def test_bibtex_capitalised_and_repeated_fields(tmp_path):
    path = _write(
        tmp_path,
        "wos.bib",
        "@article{a,\nAuthor = {Doe, Jane and Roe, Rick},\nTitle = {T},\nYear = {2020},\n"
        "funding_details = {A},\nfunding_details = {B}}\n",
    )
    refs = ekb.read_references(path)
    assert refs.loc[0, "authors"] == "Doe, Jane and Roe, Rick"
    [problem] = refs.problems
    assert (problem.line, problem.column, problem.severity) == (1, "funding_details", "warning")


def test_json_flavours(tmp_path):
    pop = '[{"uid": "GS:1", "title": "T", "authors": ["J Doe", "A Roe"], "year": 2020,'
    pop += ' "source": "J", "volume": 0, "startpage": 0, "cites": 3}]'
    refs = ekb.read_references(_write(tmp_path, "pop.json", pop))
    row = refs.iloc[0]
    assert (row["authors"], row["year"], row["container"], row["volume"], row["pages"]) == (
        "J Doe and A Roe",
        "2020",
        "J",
        "",
        "",
    )
    assert refs.formats == {"pop.json": "json"}
    with pytest.raises(ekb.InputError, match=r"search API answer .* without a title key"):
        ekb.read_references(_write(tmp_path, "s.json", '{"response": {"docs": [{"x": 1}]}}'))


def test_cli_dedupe_reads_a_column_mapping(tmp_path, capsys):
    from evidence_kb.cli import main

    path = _write(
        tmp_path, "t.csv", "Titel,Auteurs,Jaar\nLeren,Jansen P,2020\nLeren,Jansen P,2020\n"
    )
    args = ["dedupe", str(path), "--column", "Titel=title", "--column", "Auteurs=authors"]
    assert main([*args, "--column", "Jaar=year", "--out", str(tmp_path / "t")]) == 0
    assert capsys.readouterr().out.startswith("2 records")
    assert main(["dedupe", str(path), "--column", "Titel=writer"]) == 1
    assert "expected NAME=FIELD" in capsys.readouterr().err


def test_stand_in_author_names_are_no_authors(tmp_path):
    scopus = _write(
        tmp_path,
        "scopus.csv",
        "Authors,Title,Year,Source title,EID\n[No author name available],Editorial,2020,J,2-s2.0-1\n",
    )
    assert ekb.read_references(scopus).loc[0, "authors"] == ""
    ris = _write(
        tmp_path,
        "s.ris",
        "TY  - JOUR\nAU  - [No author name available]\nAU  - Doe, J.; Roe, R.\nTI  - T\nER  - \n",
    )
    assert ekb.read_references(ris).loc[0, "authors"] == "Doe, J. and Roe, R."


def test_psycinfo_pmid_after_ty_keeps_the_type():
    refs = ekb.read_references(Path(__file__).parent / "data/exports/colrev_psycinfo_ris.ris")
    assert (refs.loc[0, "raw_type"], refs.loc[0, "entry_type"]) == ("JOUR", "article")
    assert not [p for p in refs.problems if "unknown RIS tag" in p.message]


def test_ris_record_in_a_medline_file_is_an_error(tmp_path):
    text = "PMID- 1\nTI  - One\nDP  - 2020\n\nTY  - JOUR\nTI  - Two\nPY  - 2021\nER  - \n"
    path = _write(tmp_path, "pubmed.nbib", text)
    with pytest.raises(ekb.InputError, match="line 5: a RIS record starts here, in a file read"):
        ekb.read_references(path)


def test_unnamed_column_with_values_and_a_mapping_for_no_column_are_reported(tmp_path):
    path = _write(tmp_path, "u.csv", "Title,Year,\nA,2020,note\nB,2021,\n")
    refs = ekb.read_references(path, columns={"Authors list": "authors"})
    assert [(p.line, p.message) for p in refs.problems] == [
        (1, "columns= names 'authors list', which the header does not have"),
        (
            1,
            "column(s) not read (kept in 'raw'): unnamed column 3; pass columns= to read one as a field",
        ),
    ]


def test_endnote_records_without_type_lines_are_told_from_their_tags(tmp_path):
    text = "%T A title\n%A Doe, Jane\n%D 2020\n\n%T Second\n%A Roe, R.\n%D 2021\n"
    refs = ekb.read_references(_write(tmp_path, "ais.txt", text))
    assert refs.formats == {"ais.txt": "endnote"}
    assert list(refs["title"]) == ["A title", "Second"]


def test_wos_record_that_lost_its_pt_line_is_an_error(tmp_path):
    text = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Doe, J\nTI One\nPY 2020\nER\n\n"
        "AU Roe, R\nTI Two\nPY 2021\nER\n\nEF\n"
    )
    path = _write(tmp_path, "savedrecs.txt", text)
    with pytest.raises(ekb.InputError, match="line 9, column 'AU': record without its 'PT ' line"):
        ekb.read_references(path)
    assert list(ekb.read_references(path, strict=False)["title"]) == ["One", "Two"]


def test_ovid_no_pagination_specified_is_no_pages():
    path = Path(__file__).parent / "data/exports/asreview_ovid_psycinfo_trimmed.ris"
    assert list(ekb.read_references(path)["pages"]) == ["", "847-856"]


def test_rows_swallowed_by_an_open_quote_are_an_error(tmp_path):
    text = 'Title,Authors,Year\n"A,Doe J,2020\nB,Roe R,2021\nC,Poe P,2022\n'
    path = _write(tmp_path, "q.csv", text)
    with pytest.raises(ekb.InputError, match="line 2: this row runs to line 4 and holds 2 line"):
        ekb.read_references(path)


def test_multi_line_cells_with_commas_are_no_swallowed_rows(tmp_path):
    text = 'Title,Abstract,Year\nA,"First line.\nWe found a, b, and c.",2020\n'
    assert len(ekb.read_references(_write(tmp_path, "m.csv", text))) == 1
