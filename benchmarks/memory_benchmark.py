"""Peak memory (and time) of reading a large .bib and deduplicating many identical records.

Each case runs in a fresh Python process, so that the peak resident memory (``ru_maxrss``) is
that of the case alone. With ``--peer DIR`` the same cases run, in the same run, with the
package of another checkout (``DIR/src``, e.g. a ``git worktree`` of main): a before/after.

    python benchmarks/memory_benchmark.py                      # 50 MB .bib, 3,001 copies
    python benchmarks/memory_benchmark.py --mb 5 --copies 1001 # quicker
    python benchmarks/memory_benchmark.py --peer /tmp/main-worktree

The .bib is made up (deterministic): entries with authors, a title, journal, year, volume,
pages, DOI and a 60-word abstract, about 750 bytes each, a third of them with LaTeX accents.
Memory is also given above that of a process that only imported the package and its
libraries (the same for every case). The cases: ``read_references`` of the file; ``ekb.load`` of a knowledge base whose
``references.bib`` it is; ``find_duplicates`` of ``--copies`` identical records.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "trust",
    "learning",
    "network",
    "public",
    "private",
    "innovation",
    "social",
    "domain",
    "work",
    "income",
    "policy",
    "care",
    "youth",
    "municipality",
    "professional",
    "collaboration",
    "knowledge",
    "sharing",
    "evaluation",
    "outcome",
]

CASES = {
    "baseline": """
        import pandas, bibtexparser, rapidfuzz
        result = 0
    """,
    "read_references": """
        refs = ekb.read_references(ARG)
        result = len(refs)
    """,
    "load": """
        kb = ekb.load(ARG, strict=False)
        result = len(kb.references)
    """,
    "find_duplicates": """
        import pandas as pd
        n = int(ARG)
        recs = pd.DataFrame({
            "ID": [f"r{i}" for i in range(n)],
            "title": ["Trust in learning networks of public and private partners"] * n,
            "author": ["Smith, J. and Jones, K."] * n,
            "year": [2020] * n,
            "journal": ["Journal of Information Systems"] * n,
        })
        dupes = ekb.find_duplicates(recs)
        result = (len(dupes.groups), int(dupes.groups["group_size"].max()))
    """,
}

RUNNER = """
import resource, sys, time, warnings
warnings.simplefilter("ignore")
import evidence_kb as ekb
ARG = sys.argv[1]
start = time.perf_counter()
{body}
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{peak:.0f}} {{seconds:.1f}} {{result}}")
"""


def make_bib(path: Path, megabytes: float) -> int:
    """Write a made-up .bib of about ``megabytes`` MB; return the number of entries."""
    rng = random.Random(1)
    target = int(megabytes * 1e6)
    size = n = 0
    with path.open("w", encoding="utf-8") as out:
        while size < target:
            n += 1
            author = (
                r"J{\"o}nsson, A. and de Vri{\`e}s, B."
                if n % 3 == 0
                else "Jansen, A. and de Vries, B."
            )
            title = " ".join(rng.choices(WORDS, k=10)).capitalize()
            abstract = " ".join(rng.choices(WORDS, k=60))
            entry = (
                f"@article{{key{n},\n  author = {{{author} and Smith, C.}},\n"
                f"  title = {{{title} {n}}},\n  journal = {{Journal of {rng.choice(WORDS)}}},\n"
                f"  year = {{{1990 + n % 35}}},\n  volume = {{{n % 60}}},\n"
                f"  pages = {{{n % 300}--{n % 300 + 12}}},\n  doi = {{10.1000/j.{n}}},\n"
                f"  abstract = {{{abstract}}}\n}}\n\n"
            )
            out.write(entry)
            size += len(entry.encode("utf-8"))
    return n


def run(case: str, arg: str, src: Path) -> tuple[float, float, str]:
    """Peak MB, seconds and result of one case in a fresh process with ``src`` on the path."""
    code = RUNNER.format(body=textwrap.dedent(CASES[case]))
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", code, arg], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        return float("nan"), float("nan"), done.stderr.strip().splitlines()[-1]
    peak, seconds, result = done.stdout.split(" ", 2)
    return float(peak), float(seconds), result.strip()


def main() -> None:
    """Make the inputs, run every case for this checkout (and the peer), print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the .bib (MB)")
    parser.add_argument("--copies", type=int, default=3001, help="identical records")
    parser.add_argument("--peer", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ekb-memory-"))
    try:
        bib = work / "big.bib"
        entries = make_bib(bib, args.mb)
        kb = work / "kb"
        shutil.copytree(ROOT / "tests" / "data" / "own_review", kb)
        shutil.copy(bib, kb / "references.bib")
        size = bib.stat().st_size / 1e6
        print(f"{bib.name}: {size:.1f} MB, {entries:,} entries; {args.copies:,} identical records")
        inputs = {"read_references": str(bib), "load": str(kb), "find_duplicates": str(args.copies)}
        versions = {"this checkout": ROOT / "src"}
        if args.peer:
            versions["peer " + str(args.peer)] = args.peer / "src"
        baseline = {name: run("baseline", "", src)[0] for name, src in versions.items()}
        print("| case | version | peak memory | above imports, x file | time | result |")
        print("|---|---|---|---|---|---|")
        for case, arg in inputs.items():
            for name, src in versions.items():
                peak, seconds, result = run(case, arg, src)
                above = peak - baseline[name]
                ratio = f"{above:,.0f} MB" + (
                    f", {above / size:.0f}x" if case != "find_duplicates" else ""
                )
                print(
                    f"| {case} | {name} | {peak:,.0f} MB | {ratio} | {seconds:.1f} s | {result} |"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
