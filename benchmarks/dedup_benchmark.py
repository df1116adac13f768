"""Benchmark evidence_kb's reference deduplication against labelled data and against bib-dedupe.

Run by hand (not part of the test suite)::

    python benchmarks/dedup_benchmark.py                      # datasets + scale test
    python benchmarks/dedup_benchmark.py DATA_DIR --no-scale  # another copy of the datasets
    python benchmarks/dedup_benchmark.py --scale 10000        # only one scale size

DATA_DIR holds one folder per dataset with ``records_pre_merged.csv`` and
``merged_record_ids.csv`` (one true duplicate group per row, ids joined by ";"). The default
is ``shared/benchmarks/dedup`` next to the repository. bib-dedupe (the peer) runs on the same
data in the same process if it can be imported; ``--no-peer`` skips it. Ours runs under both
notice policies, ``related="link"`` (notices kept apart, linked to their work) and ``"merge"``
(notices put in their work's group), with the number of notices found and linked.

The scale test builds synthetic record sets of the given sizes from the benchmark records:
new works whose titles, authors and venues are drawn from the real ones, each published once
or exported two or three times with realistic noise (author format changes, typos, dropped
DOIs, "73-76" vs "73-6" pages, abbreviated journal names). Each size runs in a fresh
subprocess so that its peak memory (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from evidence_kb.citations.dedupe import find_duplicates

Result = tuple[list[list[str]], float]  # duplicate groups, seconds
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dedup"


# --- metrics -------------------------------------------------------------------------------


def _pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(true_groups: list[list[str]], found_groups: list[list[str]], ids: list[str]) -> dict:
    """Pairwise and per-record precision, recall and F1.

    Pairwise: every pair of records in one group is a duplicate pair. Per record: a record
    counts as a duplicate if it is in a group of two or more; ``exact`` is the share of
    records whose found group is exactly their true group.
    """
    true_pairs, found_pairs = _pairs(true_groups), _pairs(found_groups)
    tp = len(true_pairs & found_pairs)
    p, r, f = _prf(tp, len(found_pairs - true_pairs), len(true_pairs - found_pairs))
    true_dup = {i for g in true_groups if len(g) > 1 for i in g}
    found_dup = {i for g in found_groups if len(g) > 1 for i in g}
    rp, rr, rf = _prf(
        len(true_dup & found_dup), len(found_dup - true_dup), len(true_dup - found_dup)
    )
    true_of = {i: frozenset(g) for g in true_groups for i in g}
    found_of = {i: frozenset(g) for g in found_groups for i in g}
    exact = sum(true_of.get(i, frozenset({i})) == found_of.get(i, frozenset({i})) for i in ids)
    return {
        "pair_p": p,
        "pair_r": r,
        "pair_f1": f,
        "fp_pairs": len(found_pairs - true_pairs),
        "fn_pairs": len(true_pairs - found_pairs),
        "rec_p": rp,
        "rec_r": rr,
        "rec_f1": rf,
        "exact": exact / len(ids),
    }


# --- the two systems -----------------------------------------------------------------------


def _clear_caches() -> None:
    """Forget memoised names and venues, so that every timed run starts cold."""
    from evidence_kb.citations import normalize
    from evidence_kb.citations.dedupe import rules

    normalize._ascii_fold.cache_clear()
    normalize._parse_authors_cached.cache_clear()
    rules._family_match.cache_clear()
    rules._venue_evidence.cache_clear()


#: the notices of the last run_ours call per dataset: (notices, linked to a work)
NOTICES: dict[str, tuple[int, int]] = {}


def run_ours(records: pd.DataFrame, related: str = "link") -> tuple[list[list[str]], float]:
    _clear_caches()
    start = time.perf_counter()
    dupes = find_duplicates(records, related=related)
    elapsed = time.perf_counter() - start
    groups = dupes.groups[dupes.groups["group_size"] > 1].groupby("group_id")["id"].apply(list)
    NOTICES["last"] = (len(dupes.related), int((dupes.related["work_id"] != "").sum()))
    return groups.tolist(), elapsed


def run_merge(records: pd.DataFrame) -> tuple[list[list[str]], float]:
    return run_ours(records, related="merge")


def run_peer(records: pd.DataFrame) -> tuple[list[list[str]], float] | None:
    try:
        from bib_dedupe.bib_dedupe import block, cluster, match, prep
    except ImportError:
        return None
    start = time.perf_counter()
    prepared = prep(records, verbosity_level=0)
    matched = match(block(prepared, verbosity_level=0), verbosity_level=0)
    groups = cluster(matched, verbosity_level=0)
    return [list(g) for g in groups], time.perf_counter() - start


def _best_of(
    runner: Callable[[pd.DataFrame], Result | None], records: pd.DataFrame, repeat: int
) -> Result | None:
    """Run ``repeat`` times; keep the groups of the first run and the fastest time."""
    results = [runner(records.copy()) for _ in range(repeat)]
    done = [r for r in results if r is not None]
    return (done[0][0], min(seconds for _, seconds in done)) if done else None


def benchmark_datasets(data_dir: Path, *, peer: bool, repeat: int = 1) -> pd.DataFrame:
    rows = []
    for folder in sorted(p for p in data_dir.iterdir() if (p / "records_pre_merged.csv").exists()):
        records = pd.read_csv(folder / "records_pre_merged.csv", dtype=str)
        truth = [s.split(";") for s in pd.read_csv(folder / "merged_record_ids.csv")["merged_ids"]]
        ids = records["ID"].astype(str).tolist()
        systems: dict[str, Result] = {}
        for policy, runner in (("link", run_ours), ("merge", run_merge)):
            ours = _best_of(runner, records, repeat)
            if ours is not None:
                systems[f"evidence_kb ({policy})"] = ours
        NOTICES[folder.name] = NOTICES["last"]
        if peer:
            result = _best_of(run_peer, records, repeat)
            if result is not None:
                systems["bib-dedupe 0.11.0"] = result
        for name, (groups, seconds) in systems.items():
            row = {
                "dataset": folder.name,
                "system": name,
                "records": len(records),
                "seconds": seconds,
            }
            if name.startswith("evidence_kb"):  # notices found and linked to their work
                row["notices"], row["linked"] = NOTICES[folder.name]
            row.update(evaluate(truth, groups, ids))
            rows.append(row)
            print(
                f"{folder.name:20} {name:18} P={row['pair_p']:.4f} R={row['pair_r']:.4f} "
                f"F1={row['pair_f1']:.4f}  {seconds:.2f} s",
                flush=True,
            )
    return pd.DataFrame(rows)


def benchmark_leave_one_out(data_dir: Path, sets: list[str]) -> pd.DataFrame:
    """Fit the weights on all sets but one and measure on the one left out, for every split."""
    sys.path.insert(0, str(Path(__file__).parent))
    from dedup_weights import fit, labelled_pairs, load_set

    data = {name: load_set(data_dir, name) for name in sets}
    pairs = {name: labelled_pairs(*data[name]) for name in sets}
    rows = []
    for held_out in sets:
        train = [name for name in sets if name != held_out]
        table = fit(pd.concat([pairs[name] for name in train], ignore_index=True), train)
        records, truth = data[held_out]
        for policy in ("link", "merge"):
            dupes = find_duplicates(records, weights=table, related=policy)
            multi = dupes.groups[dupes.groups["group_size"] > 1]
            groups = multi.groupby("group_id")["id"].apply(list).tolist()
            row = {"held out": held_out, "fitted on": " + ".join(train), "related": policy}
            row["threshold"] = table["threshold_bits"]
            row.update(evaluate(truth, groups, records["ID"].tolist()))
            rows.append(row)
            print(
                f"leave-one-out {held_out:20} {policy:5} P={row['pair_p']:.4f} "
                f"R={row['pair_r']:.4f} F1={row['pair_f1']:.4f} "
                f"(threshold {row['threshold']} bits)",
                flush=True,
            )
    return pd.DataFrame(rows)


def benchmark_hard_cases(data_dir: Path, *, peer: bool) -> dict[str, int]:
    """Count the labelled record pairs of hard_cases.json that each system gets right."""
    path = data_dir / "hard_cases.json"
    if not path.exists():
        return {}
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    runners: dict[str, Callable[[pd.DataFrame], Result | None]] = {"evidence_kb": run_ours}
    if peer and run_peer(pd.DataFrame([cases[0]["record_a"], cases[0]["record_b"]])) is not None:
        runners["bib-dedupe 0.11.0"] = run_peer
    right = {}
    for name, runner in runners.items():
        correct = 0
        for case in cases:
            result = runner(pd.DataFrame([case["record_a"], case["record_b"]]))
            found = result is not None and any(len(g) > 1 for g in result[0])
            correct += found == case["expected_duplicate"]
        right[name] = correct
        print(f"hard cases: {name} {correct} of {len(cases)} right", flush=True)
    return right


# --- scale test ----------------------------------------------------------------------------

_TYPO_CHARS = "abcdefghijklmnopqrstuvwxyz"
_GENERIC_TITLES = ["Editorial", "Letter to the editor", "Erratum", "Reply", "Introduction"]


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 6:
        return text
    k = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:k] + text[k + 1 :]  # deletion
    if kind == 1:
        return text[:k] + text[k + 1] + text[k] + text[k + 2 :]  # transposition
    return text[:k] + rng.choice(_TYPO_CHARS) + text[k + 1 :]  # substitution


def _abbreviated_range(first: int, last: int) -> str:
    """Write a page range the short way: 73-76 -> "73-6", 1217-1224 -> "1217-24"."""
    a, b = str(first), str(last)
    if len(a) != len(b):
        return f"{a}-{b}"
    k = 0
    while k < len(a) - 1 and a[k] == b[k]:
        k += 1
    return f"{a}-{b[k:]}"


def _format_authors(people: list[tuple[str, str]], style: int) -> str:
    """people: (family, given initials like "Q. J."), formatted in one of four export styles."""
    if style == 0:
        return " and ".join(f"{f}, {g}" for f, g in people)  # BibTeX
    if style == 1:
        return ", ".join(
            f"{f} {g.replace('.', '').replace(' ', '')}" for f, g in people
        )  # Vancouver
    if style == 2:
        return "; ".join(f"{g} {f}" for f, g in people)  # given first, semicolons
    if style == 3:
        return "".join(f"{f} {g}" for f, g in people)  # MEDLINE run without separators
    if style == 4:  # lower case, no separators at all: "taylor h dillon s"
        return " ".join(f"{f} {g.replace('.', '').replace(' ', '')}" for f, g in people).lower()
    return " and ".join(f for f, _ in people)  # family names only


def synthesize(
    n_records: int, data_dir: Path, *, seed: int = 7
) -> tuple[pd.DataFrame, list[list[str]]]:
    """Build ``n_records`` records with known duplicate groups from the benchmark's vocabulary."""
    rng = random.Random(seed)
    frames = [pd.read_csv(p, dtype=str) for p in sorted(data_dir.glob("*/records_pre_merged.csv"))]
    real = pd.concat(frames, ignore_index=True)
    words = [w for t in real["title"].dropna() for w in str(t).split() if w.isalpha()]
    families = sorted(
        {
            a.split(",")[0].strip()
            for s in real["author"].dropna()
            for a in str(s).split(" and ")
            if "," in a and a.split(",")[0].strip().isalpha()
        }
    )
    journals = sorted(set(real["journal"].dropna()))
    records: list[dict[str, str]] = []
    truth: list[list[str]] = []
    work = 0
    while len(records) < n_records:
        work += 1
        title = " ".join(rng.choice(words) for _ in range(rng.randint(6, 16))).capitalize()
        if rng.random() < 0.02:  # items without a distinctive title: big blocks, no matches
            title = rng.choice(_GENERIC_TITLES)
        people = [
            (
                rng.choice(families),
                ". ".join(rng.sample("ABCDEFGHJKLMNPRST", rng.randint(1, 2))) + ".",
            )
            for _ in range(rng.randint(1, 8))
        ]
        year = rng.randint(1980, 2024)
        journal = rng.choice(journals)
        volume = str(rng.randint(1, 400))
        first = rng.randint(1, 3000)
        last = first + rng.randint(2, 20)
        issue = str(rng.randint(1, 12))
        doi = f"10.{rng.randint(1000, 9999)}/syn.{work}" if rng.random() < 0.5 else ""
        copies = rng.choices([1, 2, 3], weights=[70, 22, 8])[0]
        kind = rng.random()
        if kind < 0.01:  # a recurring column: one title, a new item in every issue
            title, copies = rng.choice(["Editor's comments", "Remarks from the editor"]), 1
            for extra in range(2):
                records.append(
                    {
                        "ID": f"syn{len(records):07d}",
                        "title": title,
                        "author": _format_authors(people, 0),
                        "year": str(year),
                        "journal": journal,
                        "volume": volume,
                        "number": str(int(issue) % 12 + 1 + extra),
                        "pages": "",
                        "doi": "",
                        "ENTRYTYPE": "article",
                    }
                )
        elif kind < 0.02 and doi:  # an erratum notice of this work, a work of its own
            records.append(
                {
                    "ID": f"syn{len(records):07d}",
                    "title": f"Corrigendum: {title}",
                    "author": _format_authors(people, 0),
                    "year": str(year + 1),
                    "journal": journal,
                    "volume": str(int(volume) + 1),
                    "number": "1",
                    "pages": str(first),
                    "doi": doi + ".err",
                    "ENTRYTYPE": "article",
                }
            )
        group = []
        for copy in range(copies):
            noisy = copy > 0
            pages = f"{first}-{last}"
            if noisy and rng.random() < 0.5:
                pages = _abbreviated_range(first, last)  # "73-6"
            elif noisy and rng.random() < 0.3:
                pages = f"{first}--{last}"
            shown = title
            if noisy and rng.random() < 0.03:
                shown = f"Competition paper: {title}"  # a series label before the title
            rec = {
                "ID": f"syn{len(records):07d}",
                "title": _typo(shown, rng)
                if noisy and rng.random() < 0.3
                else (shown.upper() if noisy and rng.random() < 0.2 else shown),
                "author": _format_authors(
                    [(_typo(f, rng), g) for f, g in people]
                    if noisy and rng.random() < 0.1
                    else people,
                    rng.randrange(6) if noisy else 0,
                ),
                # a wrong year where the DOI, volume and issue agree
                "year": str(year + 2) if noisy and doi and rng.random() < 0.05 else str(year),
                "journal": journal if not noisy or rng.random() < 0.7 else journal.upper(),
                "volume": volume,
                "number": "Special issue" if noisy and rng.random() < 0.03 else issue,
                "pages": pages if not noisy or rng.random() < 0.9 else "",
                "doi": doi if not noisy or rng.random() < 0.6 else "",
                "ENTRYTYPE": "article",
            }
            records.append(rec)
            group.append(rec["ID"])
            if len(records) == n_records:
                break
        if len(group) > 1:
            truth.append(group)
    return pd.DataFrame(records), truth


def _scale_worker(n_records: int, data_dir: Path) -> None:
    records, truth = synthesize(n_records, data_dir)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    groups, seconds = run_ours(records)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    metrics = evaluate(truth, groups, records["ID"].tolist())
    print(
        json.dumps(
            {
                "records": n_records,
                "seconds": seconds,
                "peak_rss_mib": peak / 1024,
                "rss_before_mib": before / 1024,
                "notices": NOTICES["last"][0],
                "linked": NOTICES["last"][1],
                **metrics,
            }
        )
    )


def benchmark_scale(sizes: list[int], data_dir: Path) -> pd.DataFrame:
    rows = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, str(data_dir), "--_scale-worker", str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"scale {n:>7} records: {row['seconds']:.1f} s, peak RSS {row['peak_rss_mib']:.0f} MiB "
            f"(before the call {row['rss_before_mib']:.0f} MiB), P={row['pair_p']:.4f} "
            f"R={row['pair_r']:.4f}, notices {row.get('notices')} "
            f"(linked {row.get('linked')})",
            flush=True,
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-peer", action="store_true", help="do not run bib-dedupe")
    parser.add_argument("--no-scale", action="store_true", help="skip the synthetic scale test")
    parser.add_argument("--scale", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per dataset; best time")
    parser.add_argument("--_scale-worker", type=int, help=argparse.SUPPRESS, dest="worker")
    args = parser.parse_args(argv)
    if args.worker:
        _scale_worker(args.worker, args.data_dir)
        return
    benchmark_hard_cases(args.data_dir, peer=not args.no_peer)
    sets = ["cytology_screening", "respiratory", "stroke"]
    if all((args.data_dir / name).is_dir() for name in sets):
        loo = benchmark_leave_one_out(args.data_dir, sets)
        print(loo.to_markdown(index=False, floatfmt=".4f") if _has_tabulate() else loo)
    table = benchmark_datasets(args.data_dir, peer=not args.no_peer, repeat=args.repeat)
    cols = [
        "dataset",
        "system",
        "records",
        "pair_p",
        "pair_r",
        "pair_f1",
        "fp_pairs",
        "fn_pairs",
        "rec_p",
        "rec_r",
        "rec_f1",
        "exact",
        "seconds",
        "notices",
        "linked",
    ]
    print()
    print(table[cols].to_markdown(index=False, floatfmt=".4f") if _has_tabulate() else table[cols])
    totals = table.groupby("system")["seconds"].sum()
    if "bib-dedupe 0.11.0" in totals:
        print(
            f"\ntotal time: {totals.to_dict()}; bib-dedupe / evidence_kb (link) = "
            f"{totals['bib-dedupe 0.11.0'] / totals['evidence_kb (link)']:.1f}x"
        )
    if not args.no_scale:
        print()
        benchmark_scale(args.scale, args.data_dir)


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
