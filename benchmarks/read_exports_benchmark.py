"""Time read_references on search exports against a plain parser of the same file.

Run by hand (not part of the test suite):

    python benchmarks/read_exports_benchmark.py [PATH/TO/dedup]

For each labelled set of ``shared/benchmarks/dedup`` (``records_pre_merged.csv``, a table of
search results) it times, in the same run and on the same file:

- the CSV: ``read_references`` against ``pandas.read_csv`` (which only splits the cells);
- the same records written as RIS (``format_ris``): ``read_references`` against
  ``rispy.load`` (which only splits the tags).

``read_references`` does more than either peer (field maps, names, DOIs, years, the checks
that no record or field is lost), so the ratio says what those cost. The record counts of both
are printed as a guard: they must be equal.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd
import rispy

import evidence_kb as ekb
from evidence_kb.io.export import format_ris
from evidence_kb.io.refrows import references_from_frame

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dedup"


def best_of(runs: int, work):
    """The fastest of ``runs`` timings of ``work()`` in seconds, and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    print("set\tformat\trecords\tread_references s\tpeer s\tratio\tpeer records")
    for csv_path in sorted(Path(args.data).glob("*/records_pre_merged.csv")):
        name = csv_path.parent.name
        ours, refs = best_of(args.runs, lambda p=csv_path: ekb.read_references(p, strict=False))
        peer, table = best_of(
            args.runs, lambda p=csv_path: pd.read_csv(p, dtype=str, keep_default_na=False)
        )
        print(f"{name}\tcsv\t{len(refs)}\t{ours:.3f}\t{peer:.3f}\t{ours / peer:.1f}\t{len(table)}")
        references, _ = references_from_frame(refs, file_name=csv_path.name)
        ris_path = tmp / f"{name}.ris"
        ris_path.write_text(format_ris(references), encoding="utf-8")
        ours, refs = best_of(args.runs, lambda p=ris_path: ekb.read_references(p, strict=False))
        peer, entries = best_of(args.runs, lambda p=ris_path: rispy.load(p))
        print(
            f"{name}\tris\t{len(refs)}\t{ours:.3f}\t{peer:.3f}\t{ours / peer:.1f}\t{len(entries)}"
        )


if __name__ == "__main__":
    main()
