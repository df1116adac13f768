"""One-off extraction of seed 001 (Werk & Inkomen 2023) Tabel 1 into findings rows.

Kept for provenance: it shows exactly how data/findings.csv rows wi-* were made from the seed.
Run: python tools/extract_001.py ../shared/seeds/001_f27e1b29d8703e30.txt > data/staging/werk-inkomen-2023.findings.csv
"""

from __future__ import annotations

import csv
import html
import re
import sys

ELEMENTS = {
    "Community context": "liso/community-context",
    "Samenstelling LNW": "liso/samenstelling",
    "Organisatie": "liso/organisatie",
    "Synergie": "liso/synergie",
    "Opbrengsten": "liso/opbrengsten",
    "Leerlessen zichtbaar maken": "liso/leerlessen",
    "Kennistransfer van opbrengsten": "liso/kennistransfer",
    "Fasering": "liso/fasering",
}


def cell_text(cell: str) -> str:
    """Main text, then each list item on its own line starting with '- '."""
    main, _, rest = cell.partition("<ul")
    items = re.findall(r"<li>(.*?)</li>", rest, flags=re.S)
    lines = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", main)).split())]
    for item in items:
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())
        lines.append("- " + text.lstrip("•").strip())
    return "\n".join(lines)


def main(path: str) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(
        [
            "finding_id",
            "review",
            "element",
            "kind",
            "direction",
            "statement",
            "citation",
            "source",
            "notes",
        ]
    )
    lines = open(path, encoding="utf-8").read().splitlines()
    element = None
    n = 0
    part = 0
    for number, line in enumerate(lines, start=1):
        if line.startswith("Kernelement\tWerkzaam element"):
            part += 1
            continue
        if "\t" not in line or not part:
            continue
        first, statement, citation = line.split("\t")
        label = re.sub(r"<[^>]+>", "", first).strip()
        if label:
            element = ELEMENTS[label]
        n += 1
        table = "Tabel 1" if part == 1 else "Vervolg tabel 1"
        # Tabel 1 lists "wat werkt" (what works): working elements are promoting; the rows under
        # Opbrengsten describe outcomes, which have no direction.
        kind, direction = (
            ("outcome", "") if element == "liso/opbrengsten" else ("working_element", "promoting")
        )
        out.writerow(
            [
                f"wi-{n:03d}",
                "werk-inkomen-2023",
                element,
                kind,
                direction,
                cell_text(statement),
                citation.strip(),
                f"001 {table}, line {number}",
                "",
            ]
        )


if __name__ == "__main__":
    main(sys.argv[1])
