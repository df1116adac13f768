"""Benchmark: read and write EPPI-Reviewer JSON exports of growing size.

Run by hand (not part of the test suite):

    python benchmarks/eppi_benchmark.py [--scale 1 10 40] [--repeat 3]

The input is a real export, ``tests/data/eppi/hbcp_MultipleOutcomes_1Dec19.json`` (30
references, 226 code assignments, 291 coded quotes), its references repeated ``--scale`` times
with new item ids: 40 times is 1,200 references, 9,040 code assignments and 11,640 quotes,
about 10 MB. For each size, best of ``--repeat`` runs:

- ``json.loads`` of the file: the peer, the least any reader does;
- ``read_eppi_json``: decoding, parsing and checking the whole file against the JSON Schema;
- ``ekb.read_eppi``: all of that, plus the records, their validation and the citations;
- ``ekb.write_eppi``: the knowledge base back to a file, validated against the schema.

Times are reported as seconds and as a ratio to ``json.loads`` measured in the same run.
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from pathlib import Path

import evidence_kb as ekb
from evidence_kb.io.eppi import read_eppi_json

SOURCE = Path(__file__).resolve().parents[1] / "tests" / "data" / "eppi"
SOURCE = SOURCE / "hbcp_MultipleOutcomes_1Dec19.json"


def _scaled(doc: dict, scale: int) -> dict:
    out = {"CodeSets": doc["CodeSets"], "References": []}
    for n in range(scale):
        for item in doc["References"]:
            item = copy.deepcopy(item)
            item["ItemId"] += n * 100_000_000
            out["References"].append(item)
    return out


def _best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10, 40])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    doc = json.loads(SOURCE.read_text(encoding="utf-8-sig"))
    out_dir = Path(tempfile.mkdtemp())
    print(
        "| references | assignments | MB | json.loads s | read_eppi_json s (x) | read_eppi s (x) | write_eppi s (x) |"
    )
    print("|---|---|---|---|---|---|---|")
    for scale in args.scale:
        path = out_dir / f"x{scale}.json"
        path.write_text(json.dumps(_scaled(doc, scale), ensure_ascii=False), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        peer = _best(args.repeat, lambda text=text: json.loads(text))
        parse = _best(args.repeat, lambda path=path: read_eppi_json(path))
        read = _best(args.repeat, lambda path=path: ekb.read_eppi(path))
        kb = ekb.read_eppi(path)
        write = _best(args.repeat, lambda kb=kb: ekb.write_eppi(kb, out_dir / "back.json"))
        counts = (len(kb.reference_records), len(kb.finding_records), path.stat().st_size / 1e6)
        print(
            f"| {counts[0]:,} | {counts[1]:,} | {counts[2]:.1f} | {peer:.3f} | "
            f"{parse:.2f} ({parse / peer:.0f}x) | {read:.2f} ({read / peer:.0f}x) | "
            f"{write:.2f} ({write / peer:.0f}x) |"
        )


if __name__ == "__main__":
    main()
