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
        (
            "md",
            "## Citations\n\nEvery citation is resolved to the bibliography, and every "
            "correction is explained.",
        ),
        ("code", "kb.resolve('Kallio & Lappalaine, 2015 Camps & Torres, 2011')"),
        ("code", "kb.citations[kb.citations['status'] != 'resolved'].head()"),
    ],
    "03_published_tables.ipynb": [
        (
            "md",
            "# The factsheet tables, regenerated\n\nThe published tables come back from the data, "
            "in their printed layout. The test suite proves they match the source documents cell "
            "by cell.",
        ),
        ("code", "import evidence_kb as ekb\n\nkb = ekb.load()\nekb.TABLE_NAMES"),
        ("code", "kb.table('werk-inkomen-2023').head()"),
        ("code", "pps = kb.table('pps-2023')\npps[pps['Thema'] == 'Tevredenheid']"),
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
