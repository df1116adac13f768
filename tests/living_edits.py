"""Scripted versions of a knowledge base: random edits of every kind, and the changes they make.

Used by ``tests/test_living_diff.py`` (a few versions) and ``benchmarks/living_checks.py``
(200 versions). Each edit touches its own row, so the expected changes are exactly the ones the
script made: ``(table, change, id, column)`` tuples.
"""

from __future__ import annotations

import csv
import random
import re
import shutil
from pathlib import Path

Change = tuple[str, str, str, str]


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


class Bib:
    """A references.bib as a list of entry blocks, edited as text."""

    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        head, *blocks = re.split(r"\n(?=@)", text)
        self.head = head
        self.blocks = [b.rstrip("\n") for b in blocks]

    def entry_keys(self) -> list[str]:
        return [re.match(r"@\w+\{([^,]+),", b).group(1) for b in self.blocks]

    def index(self, key: str) -> int:
        return self.entry_keys().index(key)

    def field(self, key: str, name: str) -> str | None:
        m = re.search(rf"^  {name} = \{{(.*)\}},?$", self.blocks[self.index(key)], re.M)
        return m.group(1) if m else None

    def set_field(self, key: str, name: str, value: str) -> None:
        i = self.index(key)
        block = self.blocks[i]
        if self.field(key, name) is None:
            block = block.replace(",\n", f",\n  {name} = {{{value}}},\n", 1)
        else:
            block = re.sub(
                rf"^  {name} = \{{.*\}}(,?)$",
                lambda m: f"  {name} = {{{value}}}{m.group(1)}",
                block,
                count=1,
                flags=re.M,
            )
        self.blocks[i] = block

    def write(self, path: Path) -> None:
        path.write_text(self.head + "\n" + "\n\n\n".join(self.blocks) + "\n", encoding="utf-8")


class Version:
    """One scripted version of a knowledge-base directory."""

    def __init__(self, folder: Path, rng: random.Random, tag: int) -> None:
        self.folder = folder
        self.rng = rng
        self.tag = tag
        self.fh, self.findings = read_rows(folder / "findings.csv")
        self.eh, self.elements = read_rows(folder / "frameworks.csv")
        self.rh, self.reviews = read_rows(folder / "reviews.csv")
        self.bib = Bib(folder / "references.bib")
        self.expected: set[Change] = set()
        self.touched: set[tuple[str, str]] = set()
        self.counter = 0
        linked = set()
        for name in ("concept_tags.csv", "crosswalk.csv"):
            if (folder / name).exists():
                linked |= {
                    f
                    for r in read_rows(folder / name)[1]
                    for f in r.get("finding_id", "").split(";")
                }
        self.linked_findings = linked
        self.parents = {e["parent"] for e in self.elements}

    def _pick(self, table: str, rows: list[dict[str, str]], id_col: str, ok=lambda r: True):
        free = [r for r in rows if (table, r[id_col]) not in self.touched and ok(r)]
        if not free:
            return None
        row = self.rng.choice(free)
        self.touched.add((table, row[id_col]))
        return row

    def _other_line(self, source: str) -> str:
        """The source with another line number (the format validate expects stays)."""
        self.counter += 1
        return re.sub(
            r"line (\d+)",
            lambda m: f"line {int(m.group(1)) + 1000 + self.counter}",
            source,
            count=1,
        )

    def _new_text(self) -> str:
        self.counter += 1
        words = ["herzien", "aangevuld", "nieuw", "gecodeerd", "bron"]
        return f"{self.rng.choice(words)} {self.tag}-{self.counter}"

    # -- findings ---------------------------------------------------------------------------------
    def edit_finding(self) -> None:
        row = self._pick("findings", self.findings, "finding_id")
        if row is None:
            return
        column = self.rng.choice(
            ["statement", "notes", "topic", "source", "statement-multiline", "direction"]
        )
        if column.startswith("statement") and row.get("printed"):
            column = "notes"  # a statement kept with its printed form changes with it
        if column == "direction" and row["direction"] in ("promoting", "hindering"):
            row["direction"] = {"promoting": "hindering", "hindering": "promoting"}[
                row["direction"]
            ]
        elif column == "statement-multiline":
            column = "statement"
            row["statement"] = f"{row['statement']}\nTweede regel: {self._new_text()}"
        elif column == "source":
            row["source"] = self._other_line(row["source"])
        else:
            column = "notes" if column == "direction" else column
            row[column] = f"{row[column]} ({self._new_text()})".strip()
        self.expected.add(("findings", "edited", row["finding_id"], column))

    def move_finding(self) -> None:
        row = self._pick("findings", self.findings, "finding_id")
        if row is None:
            return
        targets = sorted(
            {
                f["element"]
                for f in self.findings
                if f["review"] == row["review"]
                and f["kind"] == row["kind"]
                and f["theme"] == row["theme"]
                and f["element"] != row["element"]
            }
        )
        if not targets:
            return
        row["element"] = self.rng.choice(targets)
        self.expected.add(("findings", "moved", row["finding_id"], "element"))

    def add_finding(self) -> None:
        source = self._pick("findings", self.findings, "finding_id")
        if source is None:
            return
        new = dict(source)
        new["finding_id"] = f"{source['finding_id']}-s{self.tag}x{self.counter}"
        new["statement"] = f"Nieuwe bevinding: {self._new_text()}"
        if "printed" in new:
            new["printed"] = ""  # no printed form with markup
        new["source"] = self._other_line(source["source"])
        self.findings.insert(self.rng.randrange(len(self.findings) + 1), new)
        self.touched.add(("findings", new["finding_id"]))
        self.expected.add(("findings", "added", new["finding_id"], ""))

    def remove_finding(self) -> None:
        row = self._pick(
            "findings",
            self.findings,
            "finding_id",
            lambda r: r["finding_id"] not in self.linked_findings,
        )
        if row is None:
            return
        self.findings.remove(row)
        self.expected.add(("findings", "removed", row["finding_id"], ""))

    def rename_finding(self) -> None:
        row = self._pick(
            "findings",
            self.findings,
            "finding_id",
            lambda r: r["finding_id"] not in self.linked_findings,
        )
        if row is None:
            return
        old = row["finding_id"]
        row["finding_id"] = f"{old}-r{self.tag}"
        self.touched.add(("findings", row["finding_id"]))
        self.expected.add(("findings", "edited", row["finding_id"], "finding_id"))

    # -- elements and reviews --------------------------------------------------------------------
    def edit_element(self) -> None:
        row = self._pick("elements", self.elements, "element_id")
        if row is None:
            return
        column = self.rng.choice(["label_en", "notes"])
        row[column] = f"{row[column]} ({self._new_text()})".strip()
        self.expected.add(("elements", "edited", row["element_id"], column))

    def add_element(self) -> None:
        parent = self._pick(
            "elements", self.elements, "element_id", lambda r: r["level"] == "core_element"
        )
        if parent is None:
            return
        self._new_text()
        new = dict.fromkeys(self.eh, "")
        new.update(
            element_id=f"{parent['element_id']}/scripted-{self.tag}-{self.counter}",
            framework=parent["framework"],
            parent=parent["element_id"],
            level="theme",
            label_nl=f"Scripted thema {self.tag} {self.counter}",
            order="99",
        )
        self.elements.append(new)
        self.expected.add(("elements", "added", new["element_id"], ""))

    def edit_review(self) -> None:
        row = self._pick("reviews", self.reviews, "review_id")
        if row is None:
            return
        row["notes"] = f"{row['notes']} ({self._new_text()})".strip()
        self.expected.add(("reviews", "edited", row["review_id"], "notes"))

    # -- references ------------------------------------------------------------------------------
    def _free_key(self, plain: bool = True) -> str | None:
        keys = [k for k in self.bib.entry_keys() if ("references", k) not in self.touched]
        if plain:  # not an alias holder: its superscript numbers stay where they are
            keys = [k for k in keys if self.bib.field(k, "ids") is None]
        if not keys:
            return None
        key = self.rng.choice(keys)
        self.touched.add(("references", key))
        return key

    def edit_reference(self) -> None:
        key = self._free_key(plain=False)
        if key is None:
            return
        field = self.rng.choice(["title", "year"])
        if field == "year":
            year = self.bib.field(key, "year")
            if not year or not year.isdigit():
                field = "title"
            else:
                self.bib.set_field(key, "year", str(int(year) + 1))
        if field == "title":
            self.bib.set_field(key, "title", f"{self.bib.field(key, 'title')} ({self._new_text()})")
        self.expected.add(("references", "edited", key, field))

    def add_reference(self) -> None:
        self._new_text()
        key = f"scripted{self.tag}x{self.counter}"
        self.bib.blocks.append(
            f"@article{{{key},\n  author = {{Scripted, A.}},\n  year = {{2026}},\n"
            f"  title = {{Scripted reference {self.tag} {self.counter}}},\n  journal = {{Journal of Tests}}\n}}"
        )
        self.touched.add(("references", key))
        self.expected.add(("references", "added", key, ""))

    def remove_reference(self) -> None:
        key = self._free_key()
        if key is None:
            return
        del self.bib.blocks[self.bib.index(key)]
        self.expected.add(("references", "removed", key, ""))

    def merge_reference(self) -> None:
        gone, keeper = self._free_key(), self._free_key(plain=False)
        if gone is None or keeper is None:
            return
        ids = self.bib.field(keeper, "ids")
        self.bib.set_field(keeper, "ids", f"{ids}, {gone}" if ids else gone)
        del self.bib.blocks[self.bib.index(gone)]
        self.expected.add(("references", "merged", gone, "key"))

    EDITS = (
        "edit_finding",
        "move_finding",
        "add_finding",
        "remove_finding",
        "rename_finding",
        "edit_element",
        "add_element",
        "edit_review",
        "edit_reference",
        "add_reference",
        "remove_reference",
        "merge_reference",
    )

    def apply(self, n_edits: int) -> set[Change]:
        for _ in range(n_edits):
            getattr(self, self.rng.choice(self.EDITS))()
        if self.rng.random() < 0.5:  # the row order of a file is no change
            self.rng.shuffle(self.findings)
        write_rows(self.folder / "findings.csv", self.fh, self.findings)
        write_rows(self.folder / "frameworks.csv", self.eh, self.elements)
        write_rows(self.folder / "reviews.csv", self.rh, self.reviews)
        self.bib.write(self.folder / "references.bib")
        return self.expected


def scripted_version(base: Path, target: Path, seed: int, n_edits: int) -> set[Change]:
    """Copy ``base`` to ``target`` and apply ``n_edits`` random edits; return what changed."""
    shutil.copytree(base, target)
    return Version(target, random.Random(seed), seed).apply(n_edits)


def observed(changes) -> set[Change]:
    """The ``(table, change, id, column)`` tuples of a ``Diff.changes`` frame."""
    return set(changes[["table", "change", "id", "column"]].itertuples(index=False, name=None))
