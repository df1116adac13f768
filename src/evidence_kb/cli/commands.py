"""What each ``evidence-kb`` command does: ``run_<name>`` per command, called by ``main``.

The commands need pandas and the rest of the library; :mod:`evidence_kb.cli` imports this module
only when a command runs, so that ``evidence-kb --help`` answers at once.
"""

from __future__ import annotations

import argparse

from evidence_kb.citations.bibliography import write_bibliography
from evidence_kb.citations.dedupe import find_duplicates
from evidence_kb.graph.export import write_graph
from evidence_kb.io.decisions import check_review_output
from evidence_kb.io.export import write_exports
from evidence_kb.io.formula import spreadsheet_csv
from evidence_kb.io.guard import check_outputs
from evidence_kb.io.kbdir import bundled_data_dir
from evidence_kb.io.references import read_references
from evidence_kb.io.reftables import MAPPED_FIELDS
from evidence_kb.io.skeleton import init, skeleton_files
from evidence_kb.io.text import write_text
from evidence_kb.kb import load
from evidence_kb.model.errors import InputError, Problem
from evidence_kb.model.vocab import EXPORT_FORMATS, TABLE_FORMATS
from evidence_kb.publish.prisma import write_prisma
from evidence_kb.publish.render import write_tables
from evidence_kb.publish.report import write_report


def run_validate(args: argparse.Namespace) -> int:
    kb = load(args.data_dir, strict=False)
    print(kb.summary())
    counts = kb.citations["status"].value_counts()
    print(
        "  citations:  "
        + ", ".join(
            f"{counts.get(s, 0)} {s}" for s in ("resolved", "corrected", "ambiguous", "unresolved")
        )
        + " (details: evidence-kb citations)"
    )
    for problem in kb.problem_list:
        print(f"  {problem}")
    if kb.errors:
        print(f"INVALID: {len(kb.errors)} error(s); fix them and run again.")
        return 1
    print("OK: the knowledge base is valid.")
    return 0


def run_init(args: argparse.Namespace) -> int:
    from pathlib import Path

    target = Path(args.dir)
    written = init(
        target,
        review_id=args.review_id,
        title=args.title,
        with_concepts=args.with_concepts,
        excel=args.excel,
    )
    for path in written:
        print(f"wrote {path}")
    for name in skeleton_files(with_concepts=args.with_concepts, excel=args.excel):
        if target / name not in written:
            print(f"kept  {target / name} (it exists; init never overwrites a file)")
    print(
        "Next: fill in the review row of reviews.csv, add one row per finding to the findings "
        "file, put your reference manager's export beside "
        f"them as references.bib, .ris or .json, then run: evidence-kb validate {target}"
    )
    return 0


def run_build_bib(args: argparse.Namespace) -> int:
    from pathlib import Path

    data_dir = Path(args.data_dir) if args.data_dir else bundled_data_dir()
    bib = write_bibliography(data_dir)
    print(
        f"wrote {data_dir / 'references.bib'}: {len(bib.references)} references "
        f"from {len(bib.printed)} printed entries"
    )
    return 0


def _print_frame(frame, fmt: str) -> None:
    if fmt == "csv":  # for a spreadsheet: cells that would run as a formula are neutralised
        print(spreadsheet_csv(frame), end="")
    elif fmt == "json":
        print(frame.to_json(orient="records", force_ascii=False, indent=1))
    else:
        import pandas as pd

        with pd.option_context(
            "display.max_rows", None, "display.max_colwidth", 70, "display.width", 200
        ):
            print(frame.to_string(index=False) if len(frame) else "(none)")


def run_citations(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    table = kb.citations
    counts = table["status"].value_counts()
    print(
        "citations: "
        + ", ".join(
            f"{counts.get(s, 0)} {s}" for s in ("resolved", "corrected", "ambiguous", "unresolved")
        )
    )
    shown = table if args.all else table[table["status"] != "resolved"]
    _print_frame(shown.drop(columns=["authors"]), args.format)
    return 0


def _column_option(text: str) -> tuple[str, str | None]:
    """``--column "Author/s=authors"`` as ``("Author/s", "authors")``; a wrong one is an error."""
    name, sep, field = text.rpartition("=")
    if not sep or not name.strip() or (field.strip() and field.strip() not in MAPPED_FIELDS):
        msg = (
            f"expected NAME=FIELD, such as 'Author/s=authors', with FIELD one of "
            f"{', '.join(MAPPED_FIELDS)} (or empty to leave the column out)"
        )
        raise InputError([Problem("--column", None, None, text, msg)])
    return name.strip(), field.strip() or None


def run_dedupe(args: argparse.Namespace) -> int:
    from pathlib import Path

    out = Path(args.out) if args.out else Path(args.file).with_suffix("")
    groups, pairs, review, related = (
        Path(f"{out}.{part}.csv") for part in ("groups", "pairs", "review", "related")
    )
    read = [args.file] + ([args.decisions] if args.decisions else [])
    way_out = (
        "pass --out PREFIX for the results"
        if not args.decisions
        else "copy the verdicts to their own file (e.g. decisions.csv) and pass that as "
        "--decisions, or pass --out PREFIX for the results"
    )
    # before the long work
    check_outputs((groups, pairs, review, related), read=read, way_out=way_out)
    check_review_output(
        review,
        way_out="save it as decisions.csv and pass --decisions decisions.csv, or pass --out PREFIX",
    )
    columns = dict(_column_option(text) for text in getattr(args, "column", None) or [])
    records = read_references(args.file, strict=not args.lenient, columns=columns or None)
    related_policy = getattr(args, "related", "link")
    dupes = find_duplicates(
        records, id_column="id", decisions=args.decisions, related=related_policy
    )
    outputs = ((groups, dupes.groups), (pairs, dupes.pairs), (review, dupes.review))
    for path, frame in (*outputs, (related, dupes.related)):
        write_text(path, spreadsheet_csv(frame))  # opened in Excel: no formula runs
    print(dupes.summary())
    print(f"wrote {groups}, {pairs} and {review} ({len(dupes.review)} pairs to review)")
    unlinked = int((dupes.related["work_id"] == "").sum())
    print(f"wrote {related} ({len(dupes.related)} notices, {unlinked} without their work)")
    return 0


def run_export(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    for path in write_exports(kb, args.out, formats=args.format or EXPORT_FORMATS):
        print(f"wrote {path}")
    return 0


def _warn_published(kb) -> None:
    """Print the warnings about what gets published: reference keys naming another work."""
    import sys

    for problem in kb.problem_list:
        if problem.severity == "warning" and problem.column == "reference_keys":
            print(f"warning: {problem}", file=sys.stderr)


def run_tables(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    _warn_published(kb)
    paths = write_tables(kb, args.out, review=args.review, formats=args.format or TABLE_FORMATS)
    if not args.no_prisma:
        paths += write_prisma(kb, args.out, review=args.review)
    for path in paths:
        print(f"wrote {path}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    _warn_published(kb)
    path = write_report(kb, args.out, title=args.title)
    print(f"wrote {path} (one self-contained file: open it in a browser, share it as it is)")
    return 0


def run_query(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    if args.command == "evidence":
        frame = kb.evidence(args.x)
    elif args.command == "overlaps":
        frame = kb.overlaps(args.a, args.b)
    elif args.command == "gaps":
        frame = kb.gaps()
        if args.type:
            frame = frame[frame["gap_type"] == args.type]
    elif args.command == "compare":
        frame = kb.compare(args.a, args.b)
    else:  # gap-map
        frame = kb.gap_map(args.rows, args.cols, args.split_direction, framework=args.framework)
        if args.format != "table":
            frame = frame.reset_index()
    _print_frame(frame, args.format)
    return 0


def run_export_graph(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    path = write_graph(kb.graph, args.out)
    print(f"wrote {path}: {kb.graph.number_of_nodes()} nodes, {kb.graph.number_of_edges()} edges")
    return 0
