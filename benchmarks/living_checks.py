"""The checks of a living knowledge base, at full size: diff, merge, and diff speed.

    python benchmarks/living_checks.py versions   # 200 scripted versions: precision, recall
    python benchmarks/living_checks.py merges     # 1,000 two-coder merges (and git's line merge)
    python benchmarks/living_checks.py cells -n 1000  # five random cells each, nothing else
    python benchmarks/living_checks.py git        # N of those merges through real `git merge`
    python benchmarks/living_checks.py speed --kb DIR   # diff of two 100,000-finding KBs

``versions`` edits copies of the bundled knowledge base with 1-20 random edits of every kind
(tests/living_edits.py) and compares ``ekb.diff`` with the script, and every gap transition with
the gaps computed on both sides by ``ekb.load(...).gaps()``. ``merges`` simulates two coders
(tests/living_merges.py): ours against the expected merge, and ``git merge-file`` (a line
merge) on the same three files for comparison. ``git`` runs the merges through ``git merge``
with the driver registered in a temporary repository. ``speed`` needs a large knowledge base,
made by ``python benchmarks/graph_benchmark.py --sizes 100000 --keep DIR`` (use DIR/kb-100000).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from living_edits import observed, read_rows, scripted_version, write_rows  # noqa: E402
from living_merges import clash_set, simulate  # noqa: E402

import evidence_kb as ekb  # noqa: E402
from evidence_kb.io.rawtable import read_raw_table, write_raw_table  # noqa: E402
from evidence_kb.living.diff import changes_between, stored_data  # noqa: E402

BASE = ekb.bundled_data_dir()


def check_versions(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ekb-versions-"))
    base_gaps = ekb.load(BASE).gaps()
    base_keys = set(zip(base_gaps.gap_type, base_gaps.element, base_gaps.review, strict=True))
    tp = fp = fn = edits = transitions = confirmed = 0
    start = time.perf_counter()
    for seed in range(n):
        rng = random.Random(seed)
        expected = scripted_version(BASE, tmp / str(seed), seed, rng.randint(1, 20))
        result = ekb.diff(BASE, tmp / str(seed))
        got = observed(result.changes)
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
        edits += len(expected)
        new = ekb.load(tmp / str(seed)).gaps()
        new_keys = set(zip(new.gap_type, new.element, new.review, strict=True))
        for gap in result.gaps.itertuples():
            key = (gap.gap_type, gap.element, gap.review)
            transitions += 1
            if gap.transition == "opened":
                confirmed += key in new_keys and key not in base_keys
            else:
                confirmed += key in base_keys and key not in new_keys
        shutil.rmtree(tmp / str(seed))
    seconds = time.perf_counter() - start
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"| scripted versions | {n} |\n| scripted changes | {edits} |")
    print(f"| precision | {precision:.4f} |\n| recall | {recall:.4f} |")
    print(
        f"| gap transitions reported | {transitions} |\n| confirmed on both sides | {confirmed} |"
    )
    print(f"| time | {seconds:.0f} s |")


def check_merges(n: int, *, cells_only: bool = False) -> None:
    base = read_raw_table(BASE / "findings.csv")
    tmp = Path(tempfile.mkdtemp(prefix="ekb-merges-"))
    exact = ours_conflicts = clashes = reported = git_conflicts = git_real = 0
    for seed in range(n):
        sim = simulate(base, seed, cells_only=cells_only)
        result = ekb.merge(base, sim.ours, sim.theirs)
        merged = {row["finding_id"]: row for row in result.table.rows}
        found = clash_set(result.conflicts)
        exact += merged == sim.expected and found == sim.clashes
        ours_conflicts += bool(found)
        clashes += len(sim.clashes)
        reported += len(found & sim.clashes)
        for name, table in (("base", base), ("ours", sim.ours), ("theirs", sim.theirs)):
            write_raw_table(tmp / f"{name}.csv", table)
        line_merge = subprocess.run(
            [
                "git",
                "merge-file",
                "-p",
                str(tmp / "ours.csv"),
                str(tmp / "base.csv"),
                str(tmp / "theirs.csv"),
            ],
            capture_output=True,
            check=False,
        )
        if line_merge.returncode != 0:
            git_conflicts += 1
            git_real += bool(sim.clashes)
    real = sum(1 for seed in range(n) if simulate(base, seed, cells_only=cells_only).clashes)
    false = ours_conflicts - real
    print(f"| simulated merges | {n} |")
    print(f"| merges exactly as expected (cells, rows, conflicts) | {exact} |")
    print(f"| same-cell clashes made / reported with both values | {clashes} / {reported} |")
    print(f"| merges with a conflict: ekb.merge | {ours_conflicts} (false: {false}) |")
    print(
        f"| merges with a conflict: git merge-file (lines) | {git_conflicts} "
        f"(with a real clash: {git_real}; false: {git_conflicts - git_real}) |"
    )


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    command = ["git", "-c", "user.name=b", "-c", "user.email=b@example.org", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def check_git(n: int) -> None:
    base = read_raw_table(BASE / "findings.csv")
    repo = Path(tempfile.mkdtemp(prefix="ekb-git-")) / "repo"
    shutil.copytree(BASE, repo / "data")
    _git(repo, "init", "-q", "-b", "main")
    (repo / ".gitattributes").write_text("findings.csv merge=evidence-kb\n", encoding="utf-8")
    _git(
        repo,
        "config",
        "merge.evidence-kb.driver",
        f"{sys.executable} -m evidence_kb merge-driver %O %A %B %P",
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    equal = stopped_right = 0
    for seed in range(n):
        sim = simulate(base, seed)
        _git(repo, "checkout", "-q", "-f", "main")
        _git(repo, "branch", "-q", "-D", "ours", "theirs")
        (repo / "data" / "findings.conflicts.csv").unlink(missing_ok=True)
        for branch, table in (("theirs", sim.theirs), ("ours", sim.ours)):
            _git(repo, "checkout", "-q", "-b", branch, "main")
            write_raw_table(repo / "data" / "findings.csv", table)
            _git(repo, "commit", "-qam", branch)
        done = _git(repo, "merge", "--no-edit", "theirs")
        expected = ekb.merge(base, sim.ours, sim.theirs, kb_dir=BASE)  # as the driver does
        equal += (repo / "data" / "findings.csv").read_text(encoding="utf-8") == expected.text
        stopped_right += (done.returncode != 0) == bool(sim.clashes)
        _git(repo, "merge", "--abort")
        _git(repo, "reset", "-q", "--hard")
    print(f"| merges through git merge with the driver | {n} |")
    print(f"| merged file equal to ekb.merge | {equal} |")
    print(f"| git stopped exactly when there was a clash | {stopped_right} |")


def _edited_copy(kb: Path, target: Path, n_edits: int) -> int:
    """A copy of ``kb`` with ``n_edits`` findings cells edited, rows shuffled; the edit count."""
    shutil.copytree(kb, target)
    header, rows = read_rows(target / "findings.csv")
    rng = random.Random(0)
    for row in rng.sample(rows, n_edits):
        row["notes"] = f"{row['notes']} (recoded)".strip()
    rng.shuffle(rows)
    write_rows(target / "findings.csv", header, rows)
    return n_edits


def check_speed(kb: Path, repeat: int) -> None:
    import pandas as pd

    target = Path(tempfile.mkdtemp(prefix="ekb-speed-")) / "edited"
    n_edits = _edited_copy(kb, target, 1000)
    start = time.perf_counter()
    old, new = stored_data(kb), stored_data(target)
    load = time.perf_counter() - start
    ours, peer = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        changes = changes_between(old, new)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        a = old.findings.set_index("finding_id").sort_index()
        b = new.findings.set_index("finding_id").sort_index()
        compared = a.compare(b)
        peer.append(time.perf_counter() - start)
    assert len(changes) == n_edits, len(changes)
    assert len(compared) == n_edits, len(compared)
    print(f"| findings per side | {len(old.findings):,} |")
    print(f"| references per side | {len(old.references):,} |")
    print(f"| changes found | {len(changes):,} (of {n_edits:,} made) |")
    print(f"| load both sides (stored_data) | {load:.1f} s |")
    print(f"| diff of every table (changes_between), best of {repeat} | {min(ours):.2f} s |")
    print(
        f"| peer: pandas DataFrame.compare of the findings only, best of {repeat} | {min(peer):.2f} s |"
    )
    print(f"| ratio ours / peer | {min(ours) / min(peer):.2f} |")
    print(f"pandas {pd.__version__}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=["versions", "merges", "cells", "git", "speed"])
    parser.add_argument("-n", type=int, default=None, help="versions or merges (200 / 1000 / 100)")
    parser.add_argument("--kb", type=Path, help="the large knowledge base (speed)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.check == "versions":
        check_versions(args.n or 200)
    elif args.check == "merges":
        check_merges(args.n or 1000)
    elif args.check == "cells":  # the measure: two coders, five random cells each
        check_merges(args.n or 60, cells_only=True)
    elif args.check == "git":
        check_git(args.n or 100)
    else:
        if args.kb is None:
            parser.error("speed needs --kb DIR (see the module docstring)")
        check_speed(args.kb, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
