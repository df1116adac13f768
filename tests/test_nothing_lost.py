"""Nothing a person made is lost: no writer writes over what it read or into a knowledge base,
decisions files are read like every other file and recorded under a lock, and cells meant for
Excel are neutralised (issue 20)."""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.cli import main
from evidence_kb.io.decisions import read_decisions_file

DATA = Path(__file__).parent / "data"


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.fixture
def own_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(DATA / "own_review", target)
    return target


# -- the write guard, once per writer ---------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["tables", "{kb}", "--out", "{kb}"], id="tables"),
        pytest.param(["report", "{kb}", "--out", "{kb}"], id="report"),
        pytest.param(["export", "{kb}", "--out", "{kb}"], id="export"),
        pytest.param(["export-graph", "--data-dir", "{kb}", "--out", "{kb}/g.gexf"], id="graph"),
    ],
)
def test_no_command_writes_into_the_knowledge_base_it_reads(own_kb, capsys, command):
    before = _snapshot(own_kb)
    assert main([part.format(kb=own_kb) for part in command]) == 1
    err = capsys.readouterr().err
    assert "refused to write this file" in err
    assert f"inside the knowledge base {own_kb}" in err
    assert "pass another --out" in err  # the way out
    assert _snapshot(own_kb) == before  # not one byte changed, nothing added


def test_export_into_another_knowledge_base_is_refused(own_kb, tmp_path, capsys):
    other = tmp_path / "other"
    ekb.init(other)
    before = _snapshot(other)
    assert main(["export", str(own_kb), "--out", str(other)]) == 1
    assert "inside the knowledge base" in capsys.readouterr().err
    assert _snapshot(other) == before


def test_a_review_named_like_a_kb_file_gets_no_table_over_it(own_kb, tmp_path, capsys):
    reviews = own_kb / "reviews.csv"
    reviews.write_text(reviews.read_text(encoding="utf-8").replace("jeugd-2026", "findings"))
    findings = own_kb / "findings.csv"
    findings.write_text(findings.read_text(encoding="utf-8").replace("jeugd-2026", "findings"))
    out = tmp_path / "out"
    assert main(["tables", str(own_kb), "--out", str(out), "--format", "csv"]) == 1
    assert "has the name of a knowledge-base file" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())  # refused before anything was written
    assert main(["tables", str(own_kb), "--out", str(out), "--format", "md"]) == 0
    assert (out / "findings.md").is_file()


def test_write_table_and_graph_refuse_a_kb_file_name(own_kb, tmp_path):
    kb = ekb.load(own_kb)
    with pytest.raises(ekb.InputError, match="has the name of a knowledge-base file"):
        ekb.write_table(kb.evidence_table(review="jeugd-2026"), tmp_path / "findings.csv")
    with pytest.raises(ekb.InputError, match="has the name of a knowledge-base file"):
        kb.write_graph(tmp_path / "references.json")
    assert list(tmp_path.iterdir()) == [own_kb]


def test_prisma_refuses_the_knowledge_base(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(DATA / "mini", kb_dir)
    before = _snapshot(kb_dir)
    with pytest.raises(ekb.InputError, match="inside the knowledge base"):
        ekb.write_prisma(ekb.load(kb_dir), kb_dir)
    assert _snapshot(kb_dir) == before


def test_init_keeps_every_file_of_an_existing_knowledge_base(own_kb, capsys):
    before = _snapshot(own_kb)
    assert main(["init", str(own_kb)]) == 1
    assert "already has every file of the skeleton" in capsys.readouterr().err
    assert _snapshot(own_kb) == before


def test_writing_elsewhere_still_works(own_kb, tmp_path):
    assert main(["export", str(own_kb), "--out", str(tmp_path / "export")]) == 0
    assert main(["export", str(own_kb), "--out", str(tmp_path / "export")]) == 0  # again
    assert main(["report", str(own_kb), "--out", str(tmp_path / "report")]) == 0


# -- dedupe: the decisions a person typed -------------------------------------------------------

_RIS = """TY  - JOUR
AU  - Kallio, Hanna
TI  - Trust in learning networks
PY  - 2015
ER  -

TY  - JOUR
AU  - Kallio, H.
TI  - Trust in learning networks.
PY  - 2015
ER  -

TY  - JOUR
AU  - Smith, John
TI  - =HYPERLINK("http://evil.example","click")
PY  - 2019
ER  -
"""


def test_dedupe_never_writes_over_the_decisions_it_reads(tmp_path, capsys):
    refs = tmp_path / "search.ris"
    refs.write_text(_RIS, encoding="utf-8")
    review = tmp_path / "search.review.csv"
    review.write_text("id_a,id_b,verdict\nx,y,same\n", encoding="utf-8")
    before = review.read_bytes()
    assert main(["dedupe", str(refs), "--decisions", str(review)]) == 1
    err = capsys.readouterr().err
    assert f"{review}" in err
    assert "is a file this command reads" in err
    assert "--decisions" in err  # the way out: copy the verdicts to their own file
    assert review.read_bytes() == before
    assert not (tmp_path / "search.groups.csv").exists()
    # the way out works
    out = str(tmp_path / "r")
    with pytest.warns(UserWarning, match="not in the input"):
        assert main(["dedupe", str(refs), "--decisions", str(review), "--out", out]) == 0
    assert review.read_bytes() == before


def test_dedupe_outputs_neutralise_formulas(tmp_path, capsys):
    refs = tmp_path / "search.ris"
    refs.write_text(_RIS, encoding="utf-8")
    assert main(["dedupe", str(refs)]) == 0
    groups = (tmp_path / "search.groups.csv").read_text(encoding="utf-8")
    assert "=HYPERLINK" not in re.sub(r"'=HYPERLINK", "", groups)


def test_query_csv_output_neutralises_formulas(tmp_path, capsys):
    kb_dir = tmp_path / "kb"
    shutil.copytree(DATA / "own_review", kb_dir)
    findings = kb_dir / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace("Onderling vertrouwen helpt", "@SUM(A1) helpt"))
    assert main(["evidence", "--data-dir", str(kb_dir), "jz/samenwerking", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "'@SUM(A1) helpt" in out
    assert not re.search(r"(^|,)@SUM", out, flags=re.MULTILINE)


# -- the decisions file read through io/ --------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            "id_a,id_b,verdict\na,b,diff\u00e9rent\n".encode("cp1252"), "line 2", id="cp1252"
        ),
        pytest.param(b"", "file is empty", id="empty"),
        pytest.param(b"id_a,id_b,verdict\na,b,same,extra\n", "line 2", id="ragged"),
        pytest.param(b"id_a,verdict\na,same\n", "missing column(s) id_b", id="no_id_b"),
        pytest.param(
            b"id_a,id_b,verdict\na,b,same\nb,a,different\n",
            "line 3, column 'verdict': the pair a, b is 'different' here and 'same' on line 2",
            id="both_verdicts",
        ),
        pytest.param(b"id_a,id_b,verdict\na,b,maybe\n", "expected one of: same", id="bad_verdict"),
    ],
)
def test_bad_decisions_files_are_refused_with_file_and_line(tmp_path, content, expected):
    path = tmp_path / "decisions.csv"
    path.write_bytes(content)
    with pytest.raises(ekb.InputError, match=re.escape(expected)) as err:
        ekb.find_duplicates(pd.DataFrame({"id": ["a", "b"], "title": ["x", "x"]}), decisions=path)
    assert "decisions.csv" in str(err.value)
    with pytest.raises(ekb.InputError):  # nor is a bad file changed by recording into it
        ekb.record_decisions(
            pd.DataFrame({"id_a": ["c"], "id_b": ["d"], "verdict": ["same"]}), path
        )
    assert path.read_bytes() == content


def test_a_review_file_saved_by_dutch_excel_is_read(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text("id_a;id_b;rule;verdict\r\na;b;score;same\r\nb;c;score;\r\n", encoding="utf-8")
    assert [(d.id_a, d.id_b, d.verdict) for d in read_decisions_file(path)] == [("a", "b", "same")]


def test_an_upper_case_header_and_a_review_file_are_read(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text("ID_A,Id_B,Rule,VERDICT\n'=a,b,score,Same\nb,c,score,\n", encoding="utf-8")
    decided = read_decisions_file(path)
    assert [(d.id_a, d.id_b, d.verdict, d.line) for d in decided] == [("=a", "b", "same", 2)]


def _record_many(args: tuple[str, int, int]) -> None:
    path, worker, n = args
    for i in range(n):
        frame = pd.DataFrame({"id_a": [f"w{worker}-{i}"], "id_b": ["z"], "verdict": ["same"]})
        ekb.record_decisions(frame, path)


def test_concurrent_writers_lose_no_decision(tmp_path):
    path = tmp_path / "decisions.csv"
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=3, mp_context=context) as pool:
        list(pool.map(_record_many, [(str(path), w, 40) for w in range(3)]))
    decided = read_decisions_file(path)
    assert len(decided) == 120
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decisions.csv"]


# -- a team review that shares a bundled table's id -------------------------------------------


def test_a_team_review_with_a_bundled_id_gets_its_own_table(own_kb):
    for name in ("reviews.csv", "findings.csv"):
        path = own_kb / name
        path.write_text(path.read_text(encoding="utf-8").replace("jeugd-2026", "pps-2023"))
    kb = ekb.load(own_kb)
    table = kb.table("pps-2023")
    assert "Overig" in " ".join(map(str, table.columns))  # the evidence table, not the printed one
    text = table.to_csv()
    for statement in kb.findings["statement"]:
        assert statement.split(".")[0] in text  # every finding of the team is in its table


# -- reading text: encodings and files that are no text ---------------------------------------


def test_utf16_with_a_bom_is_simply_read(tmp_path):
    from evidence_kb.io.text import read_text

    path = tmp_path / "refs.csv"
    path.write_bytes("Title,Year\nÇa va,2020\n".encode("utf-16"))
    assert read_text(path) == "Title,Year\nÇa va,2020\n"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(b"%PDF-1.7\n1 0 obj", "a PDF document", id="pdf"),
        pytest.param(b"\x1f\x8b\x08\x00\x00\x00", "a gzip archive", id="gzip"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00", "an Excel workbook (.xlsx)", id="xlsx"),
    ],
)
def test_a_binary_file_named_csv_is_named_for_what_it_is(own_kb, data, kind):
    (own_kb / "findings.csv").write_bytes(data)
    with pytest.raises(ekb.InputError, match=re.escape(kind)) as err:
        ekb.load(own_kb)
    assert "Windows-1252" not in str(err.value)


def test_only_windows_1252_looking_bytes_are_called_windows_1252(own_kb):
    findings = own_kb / "findings.csv"
    findings.write_bytes(findings.read_text(encoding="utf-8").encode("cp1252"))
    findings.write_bytes(findings.read_bytes() + "caf\u00e9\n".encode("cp1252"))
    with pytest.raises(ekb.InputError, match="Windows-1252"):
        ekb.load(own_kb)
    findings.write_bytes(b"finding_id\n\x81\x8d\x8f\n")  # bytes Windows-1252 does not have
    with pytest.raises(ekb.InputError, match="the encoding is unknown"):
        ekb.load(own_kb)


def test_a_long_findings_cell_is_read_in_a_fresh_process(own_kb):
    import subprocess
    import sys

    findings = own_kb / "findings.csv"
    lines = findings.read_text(encoding="utf-8").splitlines()
    long = "Vertrouwen " * 20_000  # 220,000 characters, beyond the csv module's default limit
    lines[1] = lines[1].replace("Onderling vertrouwen helpt het netwerk.", long.strip())
    findings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = (
        "import sys, evidence_kb as ekb; kb = ekb.load(sys.argv[1]);"
        "print(max(map(len, kb.findings['statement'])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(own_kb)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(long.strip())


# -- a "$" in a review title ------------------------------------------------------------------


def test_a_dollar_in_a_review_title_is_drawn_as_a_dollar(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(DATA / "mini", kb_dir)
    reviews = kb_dir / "reviews.csv"
    title = "Leernetwerken met publieke en private partijen"
    reviews.write_text(
        reviews.read_text(encoding="utf-8").replace(title, "Kosten in $ en $$: $x_1$ netwerken")
    )
    paths = ekb.write_prisma(ekb.load(kb_dir), tmp_path / "out", review="pps-2023")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    svg = (tmp_path / "out" / "prisma-pps-2023.svg").read_text(encoding="utf-8")
    assert "Kosten in $ en $$: $x_1$ netwerken" in svg.replace("&#36;", "$")


# -- references: what the writers and readers keep --------------------------------------------


def _ref(**fields) -> ekb.Reference:
    values = {"key": "smith2023a", "entry_type": "article", "year": 2023, "title": "T"}
    return ekb.Reference(**(values | fields))


def test_ris_and_csl_json_keep_the_year_suffix():
    from evidence_kb.io.export import format_csl_json, format_ris

    ref = _ref(authors=("Smith, J.",), year_suffix="a")
    assert "PY  - 2023a" in format_ris([ref])
    [item] = json.loads(format_csl_json([ref]))
    assert item["issued"] == {"date-parts": [[2023]]}
    assert item["year-suffix"] == "a"


@pytest.mark.parametrize("suffix", ["ris", "json", "bib"])
def test_the_year_suffix_reads_back_from_every_reference_format(tmp_path, suffix):
    """2023a and 2023b, written by the library, read back with their letters and keep them in
    the BibTeX of a knowledge base (two works of one author and year stay apart)."""
    from evidence_kb.io.bibtex import format_bibtex, parse_bibtex
    from evidence_kb.io.export import format_csl_json, format_ris

    refs = [
        _ref(key="smith2023a", authors=("Smith, J.",), year_suffix="a", title="One"),
        _ref(key="smith2023b", authors=("Smith, J.",), year_suffix="b", title="Two"),
    ]
    writer = {"ris": format_ris, "json": format_csl_json, "bib": format_bibtex}[suffix]
    path = tmp_path / f"refs.{suffix}"
    path.write_text(writer(refs), encoding="utf-8")
    frame = ekb.read_references(path)
    assert frame[["year", "year_suffix"]].values.tolist() == [["2023", "a"], ["2023", "b"]]
    ekb.to_bibtex(frame, tmp_path / "kb.bib")
    parsed = parse_bibtex((tmp_path / "kb.bib").read_text(encoding="utf-8")).records
    assert sorted((r.title, r.year, r.year_suffix) for r in parsed) == [
        ("One", 2023, "a"),
        ("Two", 2023, "b"),
    ]


def test_csl_json_names_keep_particles_and_suffixes(tmp_path):
    from evidence_kb.io.export import format_csl_json

    ref = _ref(authors=("van den Berg, Jan", "King, Jr., Martin", "World Health Organization"))
    [item] = json.loads(format_csl_json([ref]))
    assert item["author"] == [
        {"family": "Berg", "given": "Jan", "non-dropping-particle": "van den"},
        {"family": "King", "given": "Martin", "suffix": "Jr."},
        {"literal": "World Health Organization"},
    ]
    path = tmp_path / "refs.json"
    path.write_text(format_csl_json([ref]), encoding="utf-8")
    read = ekb.read_references(path)
    assert (
        read.loc[0, "authors"]
        == "van den Berg, Jan and King, Jr., Martin and World Health Organization"
    )


def test_csl_json_date_parts_null_is_no_year_and_crossref_items_get_their_own_ids(tmp_path):
    path = tmp_path / "crossref.json"
    items = [
        {
            "title": ["A"],
            "DOI": "10.1/a",
            "author": [{"family": "X"}],
            "issued": {"date-parts": [[None]]},
        },
        {
            "title": ["B"],
            "DOI": "10.1/b",
            "author": [{"family": "Y"}],
            "issued": {"date-parts": [[2020]]},
        },
    ]
    path.write_text(json.dumps({"message": {"items": items}}), encoding="utf-8")
    refs = ekb.read_references(path, strict=False)
    assert list(refs["year"]) == ["", "2020"]
    assert list(refs["id"]) == ["crossref.json:1", "crossref.json:2"]
    assert "None" not in " ".join(refs["id"])


def test_bibtex_keeps_url_tildes_abstracts_and_corporate_authors(tmp_path):
    from evidence_kb.io.bibtex import format_bibtex, parse_bibtex

    path = tmp_path / "refs.bib"
    path.write_text(
        "@article{a, author = {{Food and Agriculture Organization} and Smith, J.},"
        " title = {T}, year = {2020}, url = {https://example.org/~jan/p%20q},"
        " abstract = {Trust~matters in 50\\% of networks.}}\n",
        encoding="utf-8",
    )
    refs = ekb.read_references(path)
    assert refs.loc[0, "url"] == "https://example.org/~jan/p%20q"
    assert refs.loc[0, "abstract"] == "Trust matters in 50% of networks."
    [ref], _ = parse_bibtex(path.read_text(encoding="utf-8"))
    assert ref.authors == ("Food and Agriculture Organization", "Smith, J.")
    [again], _ = parse_bibtex(format_bibtex([ref]))
    assert again == ref  # written and read back: nothing lost
    out = tmp_path / "out.bib"
    ekb.to_bibtex(refs, out)
    [written], _ = parse_bibtex(out.read_text(encoding="utf-8"))
    assert written.authors == ("Food and Agriculture Organization", "Smith, J.")
    assert written.url == "https://example.org/~jan/p%20q"
    assert written.abstract == "Trust matters in 50% of networks."


def test_reference_keys_that_name_another_work_are_a_warning(own_kb, capsys):
    findings = own_kb / "findings.csv"
    lines = findings.read_text(encoding="utf-8").splitlines()
    lines[0] += ",reference_keys"
    lines[1] += ",devries2019"  # the citation is "Kallio, 2015"
    lines[2:] = [line + "," for line in lines[2:]]
    findings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kb = ekb.load(own_kb)
    [warning] = [str(p) for p in kb.problem_list if p.column == "reference_keys"]
    assert "line 2" in warning
    assert "citation 'Kallio, 2015' is 'kallio2015'" in warning
    assert "no citation names 'devries2019'" in warning
    assert main(["tables", str(own_kb), "--out", str(own_kb.parent / "out"), "--format", "md"]) == 0
    assert "reference_keys devries2019 do not match the citation" in capsys.readouterr().err


# -- many identical records --------------------------------------------------------------------


def test_thousands_of_identical_records_form_one_group_with_one_pair_per_copy():
    n = 3001
    records = pd.DataFrame(
        {
            "ID": [f"r{i:04d}" for i in range(n)],
            "title": ["Trust in learning networks of public and private partners"] * n,
            "author": ["Smith, J. and Jones, K."] * n,
            "year": [2020] * n,
        }
    )
    records = pd.concat([records, pd.DataFrame([{"ID": "other", "title": "Another work"}])])
    dupes = ekb.find_duplicates(records)
    sizes = dupes.groups.groupby("group_id")["id"].size().to_dict()
    assert sizes == {"r0000": n, "other": 1}  # every record accounted for
    assert len(dupes.pairs) == n - 1  # each copy joined to the first, not every pair
    assert set(dupes.pairs["id_a"]) == {"r0000"}


def test_dedupe_keeps_a_review_file_with_verdicts_not_yet_passed(tmp_path, capsys):
    refs = tmp_path / "search.ris"
    refs.write_text(_RIS, encoding="utf-8")
    assert main(["dedupe", str(refs)]) == 0
    review = tmp_path / "search.review.csv"
    assert main(["dedupe", str(refs)]) == 0  # an unchanged review file is simply rewritten
    assert review.read_text(encoding="utf-8").startswith("id_a,id_b,rule")
    review.write_text("id_a,id_b,verdict\nx,y,same\n", encoding="utf-8")  # a person's verdict
    before = review.read_bytes()
    assert main(["dedupe", str(refs)]) == 1
    err = capsys.readouterr().err
    assert "holds 1 verdict(s) a person filled in" in err
    assert "--decisions decisions.csv" in err
    assert review.read_bytes() == before


def test_findings_written_for_spreadsheets_load_back_as_they_were(tmp_path):
    """write_findings guards cells that a spreadsheet would run ('=..., '-...); a knowledge
    base whose findings.csv it wrote loads every statement as it was, without the guard."""
    from evidence_kb.io.export import write_findings

    kb_dir = tmp_path / "kb"
    shutil.copytree(Path(__file__).parent / "data" / "mini", kb_dir)
    kb = ekb.load(kb_dir)
    findings = kb.findings.copy()
    statements = ["=SUM(A1)", "- a list item", "'quoted' words", "'=literal", "''twice"]
    ids = findings["finding_id"].iloc[: len(statements)].tolist()
    findings.loc[findings.index[: len(statements)], "statement"] = statements
    write_findings(findings, kb_dir / "findings.csv")
    raw = (kb_dir / "findings.csv").read_text(encoding="utf-8")
    assert "'=SUM(A1)" in raw  # guarded on disk
    assert "''quoted' words" in raw
    loaded = ekb.load(kb_dir).findings.set_index("finding_id")
    assert loaded.loc[ids, "statement"].tolist() == statements
