"""Benchmark the evidence graph on synthetic knowledge bases of realistic shape.

For each size the script writes a knowledge base to a temporary directory, then, in a fresh
Python process (so that peak memory is that size's own), loads it with ``ekb.load``, builds the
graph and runs every query, and reports wall-clock times and the peak resident memory.

Shape of a synthetic knowledge base with N findings:

- frameworks: the bundled ones (LISO, LISO-werkwijze 2025, TNO-LO, Learning communities) plus
  a synthetic framework ``syn`` of 12 core elements with 8 themes each;
- reviews: N / 100 (at least 4);
- references: N / 5 (20,000 at 100,000 findings), written as BibTeX;
- findings: the Dutch statements of the bundled findings, each with 2-4 extra words drawn from a
  lexicon of min(N / 3, 40,000) made-up words, so the vocabulary grows with the corpus as real
  text does; 1-3 cited references each (author-year citations that resolve), a direction for
  most, a theme for half, 1 % comparison findings without an element, 0.5 % no-evidence rows.

Usage::

    python benchmarks/graph_benchmark.py                  # 1k, 10k, 100k findings
    python benchmarks/graph_benchmark.py --sizes 1000 5000
    python benchmarks/graph_benchmark.py --keep DIR       # keep the generated knowledge bases
    python benchmarks/graph_benchmark.py --sizes 100000 --peer /tmp/peer --check

``--peer TREE`` times another checkout of the repository (``git worktree add /tmp/peer COMMIT``)
on the same knowledge bases in the same run: peer and current load + build alternate, each in a
fresh process, and the best of ``--repeat`` runs of each is reported. ``--check`` (with
``--peer``) also compares what the two versions produce, on each generated knowledge base, on
the bundled one and on a copy of it with errors: every table, every problem, and every node and
edge of the graph with its attributes must be identical.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import random
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"build_s": 10.0, "query_s": 0.5, "peak_mib": 2048.0}
QUERIES = (
    ("evidence(element)", lambda q, G: q.evidence(G, "liso/synergie")),
    ("evidence(concept)", lambda q, G: q.evidence(G, "trust")),
    ("overlaps(liso, tno-lo)", lambda q, G: q.overlaps(G, "liso", "tno-lo")),
    ("overlaps(liso, syn)", lambda q, G: q.overlaps(G, "liso", "syn")),
    ("gaps", lambda q, G: q.gaps(G)),
    ("gap_map", lambda q, G: q.gap_map(G)),
    ("gap_map(concept, split)", lambda q, G: q.gap_map(G, rows="concept", split_direction=True)),
    ("compare", lambda q, G: q.compare(G, "rev-0001", "rev-0002")),
    ("shared_references", lambda q, G: q.shared_references(G)),
    ("concept_table", lambda q, G: q.concept_table(G)),
)


# -- generating a knowledge base ------------------------------------------------------------------
def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 12)))


def generate(directory: Path, n_findings: int, *, seed: int = 0) -> dict[str, int]:
    """Write a synthetic knowledge base with ``n_findings`` findings; return its counts."""
    import evidence_kb as ekb

    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    bundled = ekb.load()
    n_reviews = max(4, n_findings // 100)
    n_references = max(50, n_findings // 5)

    # frameworks: the bundled ones plus "syn"
    elements = bundled.elements.fillna("").to_dict("records")
    elements.append(
        {
            "element_id": "syn",
            "framework": "syn",
            "parent": "",
            "level": "framework",
            "label_nl": "Synthetisch raamwerk",
            "label_en": "Synthetic framework",
            "aliases": "",
            "order": "9",
            "source": "synthetic",
            "notes": "",
        }
    )
    for i in range(1, 13):
        core = f"syn/e{i:02d}"
        elements.append(
            {
                "element_id": core,
                "framework": "syn",
                "parent": "syn",
                "level": "core_element",
                "label_nl": f"Element {i}",
                "label_en": f"Element {i}",
                "aliases": "",
                "order": str(i),
                "source": "synthetic",
                "notes": "",
            }
        )
        for j in range(1, 9):
            elements.append(
                {
                    "element_id": f"{core}/t{j}",
                    "framework": "syn",
                    "parent": core,
                    "level": "theme",
                    "label_nl": f"Thema {i}.{j}",
                    "label_en": "",
                    "aliases": "",
                    "order": str(j),
                    "source": "synthetic",
                    "notes": "",
                }
            )
    _write_csv(directory / "frameworks.csv", elements)
    # the bundled concept vocabulary and crosswalk: a directory's optional files are its own,
    # so the synthetic knowledge base gets copies (the queries ask for concepts and overlaps)
    for name in ("concepts.csv", "crosswalk.csv"):
        shutil.copy(ekb.bundled_data_dir() / name, directory / name)
    located = [e for e in elements if e["level"] != "framework"]
    parent_of = {e["element_id"]: e["parent"] for e in elements}
    frameworks = {e["element_id"] for e in elements if e["level"] == "framework"}

    # reviews
    reviews = [
        {"review_id": f"rev-{i:04d}", "title": f"Synthetic review {i}", "year": "2024"}
        for i in range(1, n_reviews + 1)
    ]
    _write_csv(directory / "reviews.csv", reviews)

    # references: distinct (family name, year) pairs, so that every citation resolves to one key
    families = [_word(rng).capitalize() for _ in range(n_references)]
    references = []
    bib = []
    for i, family in enumerate(families):
        year = 1990 + i % 35
        key = f"{family.lower()}{year}"
        references.append((key, family, year))
        bib.append(
            f"@article{{{key},\n  author = {{{family}, A. and {_word(rng).capitalize()}, B.}},\n"
            f"  title = {{{' '.join(_word(rng) for _ in range(8)).capitalize()}}},\n"
            f"  journal = {{Journal of {_word(rng).capitalize()}}},\n  year = {{{year}}},\n"
            f"  doi = {{10.5555/syn.{i}}},\n}}\n"
        )
    (directory / "references.bib").write_text("\n".join(bib), encoding="utf-8")

    # findings
    statements = [
        s for s in bundled.findings["statement"] if s != "Geen relevante informatie gevonden"
    ]
    lexicon = [_word(rng) for _ in range(min(40_000, max(100, n_findings // 3)))]
    rows = []
    for i in range(1, n_findings + 1):
        roll = rng.random()
        text = rng.choice(statements) + " " + " ".join(rng.choices(lexicon, k=rng.randint(2, 4)))
        cited = rng.sample(references, rng.randint(1, 3))
        row = {
            "finding_id": f"syn-{i:06d}",
            "review": f"rev-{rng.randint(1, n_reviews):04d}",
            "element": "",
            "theme": "",
            "topic": "",
            "kind": "factor",
            "direction": "",
            "side": "",
            "statement": text,
            "citation": "; ".join(f"{family} et al., {year}" for _, family, year in cited),
            "paradigm": "",
            "reference_keys": ";".join(k for k, _, _ in cited),
            "source": f"999 Tabel 1, line {i}",
            "notes": "",
        }
        if roll < 0.01:
            row.update(
                kind=rng.choice(("overlap", "difference", "relationship")),
                side=rng.choice(("learning_organisation", "learning_network", "both")),
            )
        elif roll < 0.015:
            element = rng.choice(located)
            row.update(
                element=element["element_id"],
                kind="no_evidence",
                citation="",
                reference_keys="",
                statement="Geen relevante informatie gevonden",
            )
        else:
            element = rng.choice(located)
            parent = parent_of[element["element_id"]]
            if parent in frameworks or rng.random() < 0.5:
                row["element"] = element["element_id"]
            else:
                row.update(element=parent, theme=element["element_id"])
            row["kind"] = rng.choice(("factor", "factor", "factor", "working_element", "outcome"))
            if row["kind"] == "factor" or rng.random() < 0.5:
                row["direction"] = rng.choice(("promoting", "hindering"))
        rows.append(row)
    _write_csv(directory / "findings.csv", rows)
    return {
        "findings": n_findings,
        "references": n_references,
        "reviews": n_reviews,
        "elements": len(elements),
    }


def _write_csv(path: Path, rows: list[dict]) -> None:
    columns = list(dict.fromkeys(c for row in rows for c in row))
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# -- measuring (in a child process) ---------------------------------------------------------------
def _cpu_time() -> float:
    """CPU seconds of this process and of its ended children (the library's worker processes,
    see evidence_kb._workers, are joined before load and build return)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(directory: Path, *, queries: bool = True) -> dict:
    """Load, build and query the knowledge base in ``directory``; return the timings."""
    import evidence_kb as ekb
    from evidence_kb.graph import build_graph
    from evidence_kb.graph import queries as q

    result: dict = {}
    start, cpu = time.perf_counter(), _cpu_time()
    kb = ekb.load(directory, strict=False)
    result["load_s"] = time.perf_counter() - start
    result["load_cpu_s"] = _cpu_time() - cpu
    result["load_errors"] = len(kb.errors)
    start, cpu = time.perf_counter(), _cpu_time()
    G = build_graph(kb)
    result["graph_s"] = time.perf_counter() - start
    result["graph_cpu_s"] = _cpu_time() - cpu
    result["build_s"] = result["load_s"] + result["graph_s"]
    result["build_cpu_s"] = result["load_cpu_s"] + result["graph_cpu_s"]
    result["nodes"], result["edges"] = G.number_of_nodes(), G.number_of_edges()
    result["queries"] = {}
    for name, query in QUERIES if queries else ():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            table = query(q, G)
            best = min(best, time.perf_counter() - start)
        result["queries"][name] = {"s": best, "rows": int(table.shape[0])}
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return result


# -- comparing two versions (in child processes) ---------------------------------------------------
def dump(directory: Path | None, out: Path) -> None:
    """Pickle everything a load and a build produce, in a form that compares with ``==``."""
    import evidence_kb as ekb
    from evidence_kb.graph import build_graph

    kb = ekb.load(directory, strict=False)
    tables = {
        name: getattr(kb, name)
        for name in ("findings", "elements", "reviews", "references", "citations", "problems")
    }
    for name in ("concept_table", "concept_tag_table", "crosswalk_table"):
        tables[name] = getattr(kb, name)
    records = {
        name: [(type(r).__name__, r.model_dump()) for r in getattr(kb, name)]
        for name in ("finding_records", "element_records", "review_records", "reference_records")
    }
    G = build_graph(kb)
    index = G.graph["index"]
    for name in (
        "findings",
        "elements",
        "reviews",
        "references",
        "concepts",
        "tags",
        "element_tags",
        "cites",
        "crosswalk",
    ):
        tables[f"index.{name}"] = getattr(index, name)
    graph = {
        "nodes": [(n, _plain(a)) for n, a in G.nodes(data=True)],
        "edges": [(u, v, k, _plain(a)) for u, v, k, a in G.edges(keys=True, data=True)],
        "graph": {k: v for k, v in G.graph.items() if k != "index"},
        "index.problems": list(index.problems),
    }
    with out.open("wb") as fh:
        pickle.dump(
            {
                "tables": tables,
                "records": records,
                "problem_list": list(kb.problem_list),
                "graph": graph,
            },
            fh,
            protocol=pickle.HIGHEST_PROTOCOL,
        )


def _plain(attrs: dict) -> dict:
    """Attributes with their types, so that 1 and 1.0 or '1' differ."""
    return {k: (type(v).__name__, v) for k, v in attrs.items()}


def compare(peer: dict, ours: dict) -> list[str]:
    """The differences between two dumps (empty when identical)."""
    import pandas.testing as pdt

    differences = []
    for name, left in peer["tables"].items():
        right = ours["tables"][name]
        if left is None or right is None:
            if (left is None) != (right is None):
                differences.append(f"table {name}: None on one side only")
            continue
        try:
            pdt.assert_frame_equal(left, right, check_exact=True)
            if left.dtypes.to_dict() != right.dtypes.to_dict():
                differences.append(f"table {name}: dtypes differ")
        except AssertionError as err:
            differences.append(f"table {name}: {str(err).splitlines()[0:4]}")
    for key in ("records", "problem_list"):
        if peer[key] != ours[key]:
            differences.append(f"{key} differ")
    for key, left in peer["graph"].items():
        right = ours["graph"][key]
        if left != right:  # insertion order included: node and edge order are part of the result
            differences.append(f"graph {key} differ")
    return differences


def _broken_copy(root: Path) -> Path:
    """The bundled knowledge base with a few errors of each kind, to compare the messages."""
    import evidence_kb as ekb

    directory = root / "kb-broken"
    if directory.exists():
        shutil.rmtree(directory)
    shutil.copytree(ekb.bundled_data_dir(), directory)
    edits = {
        "findings.csv": [
            (
                "wi-001,werk-inkomen-2023,liso/community-context",
                "wi-001,werk-inkomen-2023,liso/nope",
            ),
            (",working_element,promoting,", ",working_element,sideways,", 1),
            ("Kallio & Lappalainen, 2015", "Kallio & Lappalainen", 1),
            ("wi-002,", "wi-001,", 1),
        ],
        "reviews.csv": [(",2023,TNO,", ",20x3,TNO,", 1)],
        "frameworks.csv": [(",core_element,", ",core_elemnt,", 1)],
    }
    for name, changes in edits.items():
        path = directory / name
        text = path.read_text(encoding="utf-8")
        for old, new, *count in changes:
            text = text.replace(old, new, *count)
        path.write_text(text, encoding="utf-8")
    return directory


def _child(tree: Path | None, *args: str) -> str:
    """Run this script in a fresh process with ``tree``'s sources first on the path."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(tree / "src"), env.get("PYTHONPATH", "")])
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True, env=env
    )
    return out.stdout


def run_peer(directories: list[Path], peer: Path, repeat: int, check: bool, root: Path) -> int:
    """Time (and check) the peer tree against the current code, alternating, best of ``repeat``.

    The timings come first: a child process starts with its parent's peak memory (Linux keeps
    ``ru_maxrss`` across ``exec``), and the check holds two large results in this process.
    """
    rows = []
    for directory in directories:
        best: dict[str, dict[str, float]] = {"peer": {}, "ours": {}}
        for run in range(1, repeat + 1):
            for tree, label in ((peer, "peer"), (None, "ours")):
                result = json.loads(
                    _child(tree, "--child", str(directory), "--no-queries").strip().splitlines()[-1]
                )
                for key in ("load_s", "graph_s", "build_s", "build_cpu_s", "peak_mib"):
                    best[label][key] = min(best[label].get(key, float("inf")), result[key])
                print(
                    f"  {directory.name} run {run} {label}: load + build {result['build_s']:.2f} s",
                    flush=True,
                )
        rows.append((directory.name, best))
    failed = _check(directories, peer, root) if check else 0
    print()
    print(f"best of {repeat}, peer {peer}")
    print("| knowledge base | | peer | current | current / peer |")
    print("|---|---|---:|---:|---:|")
    for name, best in rows:
        for key, label in (
            ("load_s", "load (`ekb.load`)"),
            ("graph_s", "graph build"),
            ("build_s", "load + build"),
            ("build_cpu_s", "load + build, CPU time (with worker processes)"),
            ("peak_mib", "peak memory (RSS)"),
        ):
            unit = "MiB" if key == "peak_mib" else "s"
            fmt = "{:.0f} " if key == "peak_mib" else "{:.2f} "
            p, o = best["peer"][key], best["ours"][key]
            print(
                f"| {name} | {label} | {fmt.format(p)}{unit} | {fmt.format(o)}{unit} | {o / p:.2f} |"
            )
    return 1 if failed else 0


def _check(directories: list[Path], peer: Path, root: Path) -> int:
    """Compare the results of both versions; return the number of knowledge bases that differ."""
    failed = 0
    for directory in [*directories, None, _broken_copy(root)]:
        name = directory.name if directory is not None else "bundled"
        dumps = []
        for tree, label in ((peer, "peer"), (None, "ours")):
            out = root / f"dump-{name}-{label}.pickle"
            _child(tree, "--dump", str(directory or ""), str(out))
            with out.open("rb") as fh:
                dumps.append(pickle.load(fh))
            out.unlink()
        differences = compare(*dumps)
        failed += bool(differences)
        print(f"check {name}: " + ("identical" if not differences else "DIFFERENT"), flush=True)
        for line in differences:
            print("  " + line)
        del dumps
    return failed


def main(argv: list[str] | None = None) -> int:
    """Generate, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--keep", help="write the knowledge bases here and keep them")
    parser.add_argument("--peer", help="another checkout (its src/) to time in the same run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each version (with --peer)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="with --peer: check that both versions produce the same results",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--no-queries", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dump", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(Path(args.child), queries=not args.no_queries)))
        return 0
    if args.dump:
        dump(Path(args.dump[0]) if args.dump[0] else None, Path(args.dump[1]))
        return 0

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="graph-bench-"))
    results = []
    if args.peer:
        directories = []
        for size in args.sizes:
            directory = root / f"kb-{size}"
            if not (directory / "findings.csv").exists():
                generate(directory, size)
            directories.append(directory)
        return run_peer(directories, Path(args.peer), args.repeat, args.check, root)
    for size in args.sizes:
        directory = root / f"kb-{size}"
        start = time.perf_counter()
        counts = generate(directory, size)
        print(
            f"generated {size:,} findings in {time.perf_counter() - start:.1f} s: {counts}",
            flush=True,
        )
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(directory)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append((size, counts, result))
        print(
            f"  load {result['load_s']:.2f} s, graph {result['graph_s']:.2f} s, "
            f"peak {result['peak_mib']:.0f} MiB",
            flush=True,
        )
    _print_table(results)
    return 0


def _print_table(results: list) -> None:
    print()
    header = ["", *(f"{size:,} findings" for size, _, _ in results)]
    lines = [
        header,
        ["references", *(f"{c['references']:,}" for _, c, _ in results)],
        ["graph nodes / edges", *(f"{r['nodes']:,} / {r['edges']:,}" for *_, r in results)],
        ["load (ekb.load)", *(f"{r['load_s']:.2f} s" for *_, r in results)],
        ["graph build", *(f"{r['graph_s']:.2f} s" for *_, r in results)],
        ["load + build", *(f"{r['build_s']:.2f} s" for *_, r in results)],
    ]
    for name, _ in QUERIES:
        lines.append([name, *(f"{r['queries'][name]['s']:.3f} s" for *_, r in results)])
    lines.append(["peak memory (RSS)", *(f"{r['peak_mib']:.0f} MiB" for *_, r in results)])
    print("| " + " | ".join(lines[0]) + " |")
    print("|---" + "|---:" * (len(lines[0]) - 1) + "|")
    for line in lines[1:]:
        print("| " + " | ".join(line) + " |")
    largest = results[-1][2]
    slowest = max(largest["queries"].items(), key=lambda kv: kv[1]["s"])
    print()
    print(
        f"targets at {results[-1][0]:,} findings: load + build {largest['build_s']:.2f} s "
        f"(target < {TARGETS['build_s']:.0f} s), slowest query {slowest[0]} {slowest[1]['s']:.3f} s "
        f"(target < {TARGETS['query_s']} s), peak {largest['peak_mib']:.0f} MiB "
        f"(target < {TARGETS['peak_mib']:.0f} MiB)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
