"""Benchmark the outputs at scale: the evidence map (``write_report``) and ``write_tables``.

For each size N the script uses the synthetic knowledge base of ``graph_benchmark.py`` (N
findings in N / 100 reviews; written once to ``--kbs``), and for each version (this checkout,
and ``--peer`` if given) in a fresh Python process: loads it and builds the graph (not timed),
then times ``write_report`` (wall-clock and CPU seconds, best of ``--repeat``), the size of
``index.html``, the peak resident memory of the process, and ``write_tables`` of every review
(``--table-formats``, best of ``--repeat``). Then it opens each page in headless Chromium
(Debian's ``chromium`` through Playwright, no browser download), best of ``--repeat`` fresh
pages: the time from navigation to the first gap-map cell (first render), the time from a
click on the fullest cell of the first row to its evidence list in the side panel, the number
of elements of the page at that point, and the finding cards built at load.

Usage::

    python benchmarks/report_benchmark.py                        # 1k, 10k, 100k findings
    python benchmarks/report_benchmark.py --sizes 1000 10000 --peer /tmp/base --kbs /tmp/kbs

``--tree TREE`` measures another checkout as the current version (a snapshot, so that editing
this one does not change a run under way). ``--peer TREE`` is another checkout (``git worktree add /tmp/base main``); it runs only up to
``--peer-max`` findings (default 10,000: before this work the report took quadratic time, an
estimated 45 minutes at 100,000 findings).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = {"report_s": 30.0, "size_mb": 40.0, "first_render_s": 3.0, "cell_s": 1.0}


# -- in the child: build the outputs ------------------------------------------------------
def child(kb_dir: Path, out: Path, repeat: int, formats: list[str]) -> dict:
    """Load ``kb_dir`` and time ``write_report`` and ``write_tables`` into ``out``."""
    import evidence_kb as ekb
    from evidence_kb.publish.render import write_tables
    from evidence_kb.publish.report import write_report

    kb = ekb.load(kb_dir)
    _ = kb.graph  # built once, as the command does before the report
    report, tables = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        page = write_report(kb, out)
        report.append((time.perf_counter() - wall, time.process_time() - cpu))
    for _ in range(repeat):
        shutil.rmtree(out / "tables", ignore_errors=True)
        wall = time.perf_counter()
        written = write_tables(kb, out / "tables", formats=formats)
        tables.append(time.perf_counter() - wall)
    best = min(report)
    return {
        "report_s": best[0],
        "report_cpu_s": best[1],
        "size_mb": page.stat().st_size / 1e6,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "tables_s": min(tables),
        "table_files": len(written),
        "page": str(page),
    }


def run_child(tree: Path, kb_dir: Path, out: Path, args: argparse.Namespace) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    command = [sys.executable, __file__, "--child", str(kb_dir), str(out)]
    command += ["--repeat", str(args.repeat), "--table-formats", *args.table_formats]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        msg = f"the benchmark child failed on {kb_dir}:\n{done.stderr[-3000:]}"
        raise RuntimeError(msg)
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- in the parent: open the pages -------------------------------------------------------
def browse(pages: list[Path], repeat: int) -> dict[Path, dict]:
    """Open each page in headless Chromium; time the first render and a cell's evidence list."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        msg = "chromium is not installed (apt-get install chromium); or pass --no-browser"
        raise RuntimeError(msg)
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for page_path in pages:
            runs = [_open(browser, page_path) for _ in range(repeat)]
            results[page_path] = {
                key: min(run[key] for run in runs) for key in ("first_render_s", "cell_s")
            } | {key: runs[0][key] for key in ("elements", "cards", "cells", "cell_findings")}
        browser.close()
    return results


def _open(browser, page_path: Path) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(page_path.resolve().as_uri(), timeout=600_000)
    page.wait_for_selector("#gap-table button.cell", timeout=600_000)
    first_render = time.perf_counter() - start
    counts = page.evaluate(
        """() => ({
            elements: document.getElementsByTagName("*").length,
            cards: document.querySelectorAll("article.finding").length,
            cells: document.querySelectorAll("#gap-table button.cell").length,
        })"""
    )
    # the fullest cell of the first row: the most evidence a reader can open at once
    cell = page.evaluate_handle(
        """() => Array.from(document.querySelectorAll('#gap-table tbody tr:first-child button.cell'))
            .sort((a, b) => b.dataset.count - a.dataset.count)[0]"""
    )
    count = int(cell.get_attribute("data-count") or 0)
    start = time.perf_counter()
    cell.click()
    page.wait_for_selector("#panel-body article.finding", timeout=600_000)
    cell_s = time.perf_counter() - start
    context.close()
    return {"first_render_s": first_render, "cell_s": cell_s, "cell_findings": count} | counts


# -- main ------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one table row per size and version."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--kbs", help="the synthetic knowledge bases (kb<N>/, written if missing)")
    parser.add_argument("--tree", help="the checkout measured as current (default: this one)")
    parser.add_argument("--peer", help="another checkout (its src/) to measure in the same run")
    parser.add_argument("--peer-max", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--table-formats", nargs="+", default=["md", "html", "csv"])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = child(Path(args.child[0]), Path(args.child[1]), args.repeat, args.table_formats)
        print(json.dumps(result))
        return 0

    sys.path.insert(0, str(HERE))
    from graph_benchmark import generate

    root = Path(args.kbs) if args.kbs else Path(tempfile.mkdtemp(prefix="ekb-report-bench-"))
    outputs = Path(tempfile.mkdtemp(prefix="ekb-report-out-"))
    current = Path(args.tree) if args.tree else HERE.parent
    versions = [("current", current)] + ([("peer", Path(args.peer))] if args.peer else [])
    rows = []
    for size in args.sizes:
        kb_dir = root / f"kb{size}"
        if not (kb_dir / "findings.csv").exists():
            generate(kb_dir, size)
        for name, tree in versions:
            if name == "peer" and size > args.peer_max:
                continue
            print(f"{size} findings, {name} ...", file=sys.stderr, flush=True)
            result = run_child(tree, kb_dir, outputs / f"{name}-{size}", args)
            rows.append({"findings": size, "version": name} | result)
    if not args.no_browser:
        seen = browse([Path(r["page"]) for r in rows], args.repeat)
        for r in rows:
            r.update(seen[Path(r["page"])])
    _print(rows)
    return 0


def _print(rows: list[dict]) -> None:
    columns = [
        ("findings", "{:,}"),
        ("version", "{}"),
        ("report_s", "{:.1f}"),
        ("report_cpu_s", "{:.1f}"),
        ("peak_mib", "{:.0f}"),
        ("size_mb", "{:.1f}"),
        ("tables_s", "{:.1f}"),
        ("first_render_s", "{:.2f}"),
        ("cell_s", "{:.2f}"),
        ("cell_findings", "{}"),
        ("elements", "{:,}"),
        ("cards", "{}"),
    ]
    present = [(c, f) for c, f in columns if any(c in r for r in rows)]
    print("| " + " | ".join(c for c, _ in present) + " |")
    print("|" + "|".join("---:" for _ in present) + "|")
    for r in rows:
        print("| " + " | ".join(f.format(r[c]) if c in r else "" for c, f in present) + " |")
    print(f"targets: {TARGETS}")


if __name__ == "__main__":
    sys.exit(main())
