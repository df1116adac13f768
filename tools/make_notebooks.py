"""Write the notebooks in notebooks/ from the cell lists below (no outputs; CI executes them).

Keeping the source here makes notebook changes reviewable as plain Python diffs:

    python tools/make_notebooks.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[1] / "notebooks"

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01_quick_start.ipynb": [
        (
            "md",
            "# Quick start\n\nLoad the knowledge base that ships with `evidence_kb`, look around, "
            "and find the evidence for one element of the LISO framework.",
        ),
        ("code", "import evidence_kb as ekb\n\nkb = ekb.load()\nkb"),
        (
            "md",
            "Every table is a pandas DataFrame. Each finding keeps its statement verbatim and "
            "points to the document, table and line it comes from.",
        ),
        (
            "code",
            "kb.findings[['finding_id', 'review', 'element', 'kind', 'direction', 'statement', 'source']].head()",
        ),
        ("code", "kb.reviews[['review_id', 'title', 'records_identified', 'records_included']]"),
        (
            "md",
            "Elements can be looked up by id, Dutch or English label, or by the other names the "
            "factsheets use (the PPS factsheet says *Resultaten* for *Opbrengsten*).",
        ),
        ("code", "kb.element('Resultaten')"),
        (
            "md",
            "## Evidence for one element\n\n`kb.evidence` takes an element, theme, condition or "
            "concept and returns its findings with their citations, sorted.",
        ),
        (
            "code",
            "synergy = kb.evidence('Synergie')\nsynergy[['finding_id', 'review', 'direction', 'statement', 'citation']].head(10)",
        ),
        ("code", "synergy.groupby(['review', 'direction'], dropna=False).size()"),
        ("md", "`ekb.show` shows a table for reading: the statements wrap and nothing is cut."),
        (
            "code",
            "ekb.show(synergy[['finding_id', 'direction', 'statement', 'citation']], max_rows=5)",
        ),
        (
            "md",
            "## Citations\n\nEvery citation is resolved to the bibliography, and every "
            "correction is explained.",
        ),
        ("code", "kb.resolve('Kallio & Lappalaine, 2015 Camps & Torres, 2011')"),
        ("code", "kb.citations[kb.citations['status'] != 'resolved'].head()"),
    ],
    "02_overlaps_and_gaps.ipynb": [
        (
            "md",
            "# Where LISO and the learning organisation overlap, and where the evidence is thin\n\n"
            "The central questions of factsheet 000, answered from the graph of frameworks, "
            "concepts and evidence.",
        ),
        (
            "code",
            "import evidence_kb as ekb\n\nkb = ekb.load()\nG = kb.graph\nG.number_of_nodes(), G.number_of_edges()",
        ),
        (
            "md",
            "## Overlaps\n\nPairs of elements of LISO and of the TNO model of the learning "
            "organisation that share concepts, a crosswalk link stated by a source, or cited "
            "references, with a strength score and the findings behind each pair.",
        ),
        ("code", "overlaps = kb.overlaps('liso', 'tno-lo')\noverlaps.head(10)"),
        (
            "md",
            "## Gaps\n\nThe evidence gaps by kind: themes where a review found nothing, element x "
            "review cells without findings, one-sided or single-source evidence, unresolved "
            "citations, concepts without a counterpart.",
        ),
        ("code", "gaps = kb.gaps()\ngaps.groupby('gap_type').size()"),
        ("code", "gaps[gaps['gap_type'] == 'no_evidence']"),
        ("md", "The gap map as a heatmap: LISO elements x reviews, the counts in the cells."),
        ("code", "ax = ekb.plot_gap_map(kb, framework='liso')"),
        ("code", "ax = ekb.plot_evidence_by_direction(kb, framework='liso')"),
        (
            "md",
            "## The crosswalk\n\nThe links between the frameworks that the sources state, each "
            "with the finding that states it.",
        ),
        ("code", "ax = ekb.plot_crosswalk(kb)"),
        ("md", "## What one review found that another did not"),
        (
            "code",
            "diff = kb.compare('werk-inkomen-2023', 'pps-2023')\ndiff[diff['element'].str.startswith('liso/synergie')]",
        ),
    ],
    "03_published_tables.ipynb": [
        (
            "md",
            "# The factsheet tables, regenerated\n\nThe published tables come back from the data, "
            "in their printed layout. The test suite proves they match the source documents cell "
            "by cell.",
        ),
        ("code", "import evidence_kb as ekb\n\nkb = ekb.load()\nekb.table_names(kb)"),
        ("code", "kb.table('werk-inkomen-2023').head()"),
        ("code", "pps = kb.table('pps-2023')\npps[pps['Thema'] == 'Tevredenheid']"),
        (
            "md",
            "A review without a printed table (here the learning communities; for a team, its own "
            "review) gets one by its review id: its findings per element and theme, promoting | "
            "hindering | Overig (findings without a direction).",
        ),
        ("code", "kb.table(review='learning-communities').head()"),
        (
            "md",
            "## A new table for one element across all reviews\n\nThe same layout for any "
            "selection, with an APA 7 reference list (Dutch *e.a.* or English *et al.*).",
        ),
        (
            "code",
            "table = kb.evidence_table(element='Synergie', language='en')\ntable.table.head()",
        ),
        ("code", "print(table.reference_list)"),
        (
            "md",
            "Write every table as Markdown, self-contained HTML, Word, LaTeX and CSV, and each "
            "review's PRISMA-ScR flow diagram.",
        ),
        (
            "code",
            "import tempfile\n\nout = tempfile.mkdtemp()\npaths = ekb.write_tables(kb, out, formats=('html', 'docx'))\n"
            "paths += ekb.write_prisma(kb, out)\nsorted(p.name for p in paths)",
        ),
        (
            "code",
            "from evidence_kb.publish.prisma import plot_prisma\n\nax = plot_prisma(kb, 'pps-2023')",
        ),
    ],
    "04_deduplicate_a_search_export.ipynb": [
        (
            "md",
            "# Deduplicate a real search export\n\n`notebooks/data/stroke` is a search export from a "
            "systematic review (1,292 records) with its true duplicate groups marked by hand "
            "(Rathbone et al. 2015). `find_duplicates` groups the records and explains every match.",
        ),
        (
            "code",
            "from pathlib import Path\n\nimport pandas as pd\n\nimport evidence_kb as ekb\n\n"
            "data = Path('data/stroke')\nrecords = ekb.read_references(data / 'records_pre_merged.csv')\n"
            "records[['id', 'authors', 'year', 'title', 'container', 'pages']].head()",
        ),
        ("code", "dupes = ekb.find_duplicates(records, id_column='id')\ndupes"),
        ("md", "Each pair says which rule decided, which fields agreed and which contradicted."),
        ("code", "dupes.pairs['rule'].value_counts()"),
        (
            "code",
            "pair = dupes.pairs.iloc[0]\nrecords.set_index('id').loc[[pair['id_a'], pair['id_b']], ['authors', 'year', 'title', 'pages']]",
        ),
        (
            "md",
            "## How good is it?\n\nCompare the pairs implied by the groups with the hand-marked ones.",
        ),
        (
            "code",
            "from itertools import combinations\n\n"
            "def pairs_of(groups):\n"
            "    return {frozenset(p) for g in groups for p in combinations(sorted(g), 2)}\n\n"
            "truth = pairs_of(g.split(';') for g in pd.read_csv(data / 'merged_record_ids.csv')['merged_ids'])\n"
            "found = pairs_of(dupes.groups.groupby('group_id')['id'].apply(list))\n"
            "precision = len(found & truth) / len(found)\nrecall = len(found & truth) / len(truth)\n"
            "print(f'precision {precision:.3f}, recall {recall:.3f}')",
        ),
        (
            "md",
            "A person's verdicts are honoured on every later run: say two records are different, "
            "and they stay apart.",
        ),
        (
            "code",
            "decisions = pd.DataFrame([{'id_a': pair['id_a'], 'id_b': pair['id_b'], 'verdict': 'different'}])\n"
            "again = ekb.find_duplicates(records, id_column='id', decisions=decisions)\n"
            "groups = again.groups.set_index('id')['group_id']\n"
            "groups[pair['id_a']] != groups[pair['id_b']]",
        ),
    ],
    "05_start_a_new_review.ipynb": [
        (
            "md",
            "# Start a new review\n\nBring your own findings (CSV or Excel) and references (RIS or "
            "BibTeX from Zotero or EndNote), validate them, resolve the citations, and see where "
            "the new review adds evidence.\n\nHere the Werk & Inkomen review plays the new "
            "review: its findings go into an Excel file and its references into a RIS file, as a "
            "team would bring them, next to the frameworks of the bundled knowledge base.",
        ),
        (
            "code",
            "import shutil\nimport tempfile\nfrom pathlib import Path\n\nimport evidence_kb as ekb\n"
            "from evidence_kb.io.export import format_ris\n\nbundled = ekb.load()\n"
            "new = Path(tempfile.mkdtemp()) / 'my-review'\nnew.mkdir()\n"
            "for name in ('frameworks.csv', 'reviews.csv'):\n    shutil.copy(bundled.data_dir / name, new / name)",
        ),
        (
            "code",
            "findings = bundled.findings[bundled.findings['review'] == 'werk-inkomen-2023'].copy()\n"
            "findings['reference_keys'] = ''  # a new team has not resolved its citations yet\n"
            "ekb.write_findings(findings, new / 'findings.xlsx')\n"
            "cited = {k for cell in bundled.findings['reference_keys'] for k in cell.split(';') if k}\n"
            "refs = [r for r in bundled.reference_records if r.key in cited]\n"
            "(new / 'export.ris').write_text(format_ris(refs), encoding='utf-8')\nsorted(p.name for p in new.iterdir())",
        ),
        (
            "md",
            "The references come from a reference manager as RIS; `read_references` reads them, "
            "and they become the knowledge base's `references.bib`.",
        ),
        (
            "code",
            "ris = ekb.read_references(new / 'export.ris')\nris[['id', 'authors', 'year', 'title']].head()",
        ),
        (
            "code",
            "from evidence_kb.model.records import Reference\n\n"
            "records = [Reference(key=r.id, entry_type='article', authors=tuple(r.authors.split(' and ')),\n"
            "                     year=int(r.year) if r.year else None, title=r.title) for r in ris.itertuples()]\n"
            "(new / 'references.bib').write_text(ekb.format_bibtex(records), encoding='utf-8')",
        ),
        ("md", "Validate: every problem is listed with its file, line and what to fix."),
        ("code", "kb = ekb.load(new, strict=False)\nkb"),
        ("code", "kb.citations[['finding_id', 'citation', 'key', 'status', 'notes']].head(10)"),
        (
            "md",
            "## Where does the new review add evidence?\n\nCompare it with the PPS review of the "
            "bundled knowledge base, element by element.",
        ),
        (
            "code",
            "both = ekb.load()\nadded = both.compare('werk-inkomen-2023', 'pps-2023')\nadded.head(10)",
        ),
        ("code", "both.gap_map(rows='element', cols='review', framework='liso')"),
        (
            "md",
            "## Publish the new review's table\n\n`write_tables(..., review=)` writes the tables "
            "of one review (Markdown and Word here); `kb.table_names()` lists them.",
        ),
        ("code", "kb.table_names(review='werk-inkomen-2023')"),
        (
            "code",
            "paths = ekb.write_tables(kb, new / 'tables', review='werk-inkomen-2023', formats=('md', 'docx'))\n"
            "sorted(p.name for p in paths)",
        ),
    ],
    "06_eppi_reviewer.ipynb": [
        (
            "md",
            "# A review coded in EPPI-Reviewer\n\nMany teams code their sources in EPPI-Reviewer, "
            "whose JSON export is also the file EPPI-Mapper draws evidence and gap maps from. "
            "`ekb.read_eppi` reads that export into a knowledge base: code sets become frameworks, "
            "codes their elements, and each code applied to a reference a finding whose statement "
            "is the coded quote.\n\nThe export here is public: the Human Behaviour Change "
            "Project's coding of outcome values in 30 smoking-cessation trials "
            "(`data/eppi/README.md` says where it comes from).",
        ),
        (
            "code",
            "import evidence_kb as ekb\n\n"
            "kb = ekb.read_eppi('data/eppi/hbcp_MultipleOutcomes_1Dec19.json')\nkb",
        ),
        (
            "md",
            "Nothing in the file is dropped: the review's notes count what the file holds, and "
            "what the knowledge base has no field for (arms, outcomes, EPPI's ids) is kept in the "
            "notes of the finding, element or reference it belongs to.",
        ),
        (
            "code",
            "print(kb.reviews.loc[0, 'notes'])\nkb.elements[['element_id', 'parent', 'level', 'label_nl']]",
        ),
        (
            "code",
            "kb.findings[['finding_id', 'element', 'statement', 'source', 'citation']].head(10)",
        ),
        (
            "md",
            "## Gap map\n\nFindings per code and review; an empty cell is a gap. Each code set is "
            "a framework, so draw the map of one of them.",
        ),
        ("code", "kb.gap_map()"),
        (
            "code",
            "framework = kb.elements.query('level == \"framework\"').element_id.iloc[0]\n"
            "ekb.plot_gap_map(kb, framework=framework);",
        ),
        (
            "md",
            "## Evidence tables\n\nThe evidence for one code, with the APA reference list, as "
            "for any review.",
        ),
        (
            "code",
            "table = kb.evidence_table(element='Outcome value', language='en')\n"
            "ekb.show(table.table)",
        ),
        ("code", "table.reference_list[:3]"),
        (
            "md",
            "## Back to EPPI-Reviewer\n\n`ekb.write_eppi` writes any knowledge base as an "
            "EPPI-Reviewer export (or `evidence-kb export --format eppi`): here the bundled "
            "one, whose 307 findings become coded quotes on their references.",
        ),
        (
            "code",
            "import tempfile\nfrom pathlib import Path\n\n"
            "out = ekb.write_eppi(ekb.load(), Path(tempfile.mkdtemp()) / 'bundled_eppi.json')\n"
            "ekb.read_eppi(out)",
        ),
    ],
}


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        notebook = new_notebook(
            cells=[
                new_markdown_cell(src) if kind == "md" else new_code_cell(src)
                for kind, src in cells
            ],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        )
        nbformat.write(notebook, OUT / name)
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
