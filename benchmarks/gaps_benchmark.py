"""Time the gap queries (the one gap-cell function behind them) against a peer tree, same run.

``gaps()``, ``gap_map()`` and the evidence map's ``report_data()`` all take their cells from
``evidence_kb.graph.queries.cells.gap_cells``. This script loads one knowledge base once per
tree, each in a fresh Python process, and reports the best of ``--repeat`` runs of each query,
with the ratio current / peer.

Usage::

    python benchmarks/graph_benchmark.py --sizes 100000 --keep /tmp/gb    # make a knowledge base
    git worktree add /tmp/peer main                                       # or: git archive main
    python benchmarks/gaps_benchmark.py /tmp/gb/kb-100000 --peer /tmp/peer
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

_CHILD = """
import json, sys, time
import evidence_kb as ekb
from evidence_kb.graph.queries import gap_map, gaps
from evidence_kb.publish.report import report_data

kb = ekb.load(sys.argv[1], strict=False)
G = kb.graph
queries = {
    "gaps": lambda: gaps(G),
    "gap_map": lambda: gap_map(G),
    "gap_map(theme, split)": lambda: gap_map(G, rows="theme", split_direction=True),
    "report_data": lambda: report_data(kb),
}
best = {}
for name, query in queries.items():
    times = []
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        query()
        times.append(time.perf_counter() - start)
    best[name] = min(times)
print(json.dumps(best))
"""


def run(tree: Path | None, kb: Path, repeat: int) -> dict[str, float]:
    """The best time of each query, in a fresh process importing ``tree/src`` (or ours)."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(kb), str(repeat)],
        env=env,
        cwd="/",
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    """Print the table: query | peer | current | current / peer."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kb", help="a knowledge base directory (e.g. from graph_benchmark --keep)")
    parser.add_argument("--peer", required=True, help="another checkout (its src/) to compare")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    peer = run(Path(args.peer), Path(args.kb), args.repeat)
    ours = run(None, Path(args.kb), args.repeat)
    print(f"best of {args.repeat}, {args.kb}, peer {args.peer}")
    print("| query | peer | current | current / peer |")
    print("|---|---:|---:|---:|")
    for name in ours:
        p, o = peer[name], ours[name]
        print(f"| `{name}` | {p:.3f} s | {o:.3f} s | {o / p:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
