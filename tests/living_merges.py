"""Simulated two-coder edits of findings.csv, with the merge a careful person would make.

Used by ``tests/test_living_merge.py`` (a few dozen) and ``benchmarks/living_checks.py``
(1,000). Each coder edits random cells (statements across several lines included), adds rows
and deletes rows; sometimes both edit one cell (the same way or two ways), and sometimes one
deletes a row the other edited. The expected result is computed from the edits themselves, not
by the merge under test.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field

from evidence_kb.io.rawtable import RawTable

COLUMNS = ("statement", "notes", "topic", "direction", "citation", "paradigm")


@dataclass
class Simulation:
    ours: RawTable
    theirs: RawTable
    expected: dict[str, dict[str, str]]  # the merged rows by id
    order: list[str]  # the ids in the merged order
    clashes: set[tuple[str, str, str, str]] = field(default_factory=set)  # id, column, ours, theirs


def _value(rng: random.Random, row: dict[str, str], column: str, who: str) -> str:
    if column == "direction":
        return rng.choice([d for d in ("promoting", "hindering", "") if d != row[column]])
    text = f"{who} {rng.randrange(10**6)}"
    if column == "statement" and rng.random() < 0.5:
        return f"{row[column]}\n{text}\nen een derde regel"  # a statement over several lines
    return f"{row[column]} {text}".strip()


def simulate(
    base: RawTable, seed: int, max_edits: int = 5, *, cells_only: bool = False
) -> Simulation:
    """Two coders' versions of ``base``; ``cells_only``: exactly ``max_edits`` random cell edits
    each and nothing else (no forced clash, no added or deleted rows), as in issue #24."""
    rng = random.Random(seed)
    ids = [r["finding_id"] for r in base.rows]
    edits: dict[str, dict[tuple[str, str], str]] = {"ours": {}, "theirs": {}}
    for who in edits:
        for _ in range(max_edits if cells_only else rng.randint(1, max_edits)):
            fid = rng.choice(ids)
            column = rng.choice(COLUMNS)
            row = next(r for r in base.rows if r["finding_id"] == fid)
            if column == "statement" and row.get("printed"):
                column = "notes"  # a statement kept with its printed form changes with it
            edits[who][(fid, column)] = _value(rng, row, column, who)
    if not cells_only and rng.random() < 0.4:  # both coders on one cell: the same value or two
        cell = rng.choice(list(edits["ours"]))
        edits["theirs"][cell] = edits["ours"][cell] if rng.random() < 0.3 else f"theirs {seed}"
    touched = {fid for who in edits for fid, _ in edits[who]}
    untouched = [i for i in ids if i not in touched]
    deleted = {"ours": set(), "theirs": set()}
    for who in deleted:
        if not cells_only and rng.random() < 0.5:
            deleted[who].add(rng.choice(untouched))
    row_clash = None
    if not cells_only and rng.random() < 0.2:  # theirs deletes a row ours edited
        row_clash = rng.choice(sorted({fid for fid, _ in edits["ours"]}))
        deleted["theirs"].add(row_clash)
    added = {who: [] for who in edits}
    for who in added:
        for k in range(0 if cells_only else rng.randint(0, 2)):
            template = copy.deepcopy(rng.choice(base.rows))
            template["finding_id"] = f"{template['finding_id']}-{who}{seed}x{k}"
            template["statement"] = f"Nieuwe bevinding van {who} ({seed}, {k})\nover twee regels"
            if "printed" in template:
                template["printed"] = ""
            added[who].append((rng.choice(ids), template))

    tables = {}
    for who in ("ours", "theirs"):
        rows = []
        for row in base.rows:
            fid = row["finding_id"]
            new = dict(row)
            for (eid, column), value in edits[who].items():
                if eid == fid:
                    new[column] = value
            if fid not in deleted[who]:
                rows.append(new)
            rows += [r for after, r in added[who] if after == fid]
        tables[who] = RawTable("findings.csv", list(base.header), rows, newline=base.newline)

    expected, clashes = {}, set()
    for row in base.rows:
        fid = row["finding_id"]
        if fid == row_clash:  # kept as ours has it, the clash reported
            clashes.add((fid, "(row)", "edited", "(deleted)"))
            expected[fid] = next(r for r in tables["ours"].rows if r["finding_id"] == fid)
            continue
        if fid in deleted["ours"] | deleted["theirs"]:
            continue
        new = dict(row)
        for (eid, column), value in edits["theirs"].items():
            if eid == fid:
                new[column] = value
        for (eid, column), value in edits["ours"].items():
            if eid == fid:
                other = edits["theirs"].get((eid, column))
                if other is not None and other != value:
                    clashes.add((fid, column, value, other))
                new[column] = value
        expected[fid] = new
    for who in added:
        expected.update({r["finding_id"]: r for _, r in added[who]})
    order = [r["finding_id"] for r in tables["ours"].rows if r["finding_id"] in expected]
    for fid in [r["finding_id"] for r in tables["theirs"].rows]:
        if fid in expected and fid not in order:
            order.append(fid)  # placed by the merge after its predecessor; compared as a set
    return Simulation(tables["ours"], tables["theirs"], expected, order, clashes)


def clash_set(conflicts) -> set[tuple[str, str, str, str]]:
    """The (id, column, ours, theirs) of a conflicts frame; a row conflict reads ``edited``."""
    out = set()
    for row in conflicts.to_dict("records"):
        ours = "edited" if row["ours"].startswith("edited") else row["ours"]
        out.add((row["id"], row["column"], ours, row["theirs"]))
    return out
