"""What each ``evidence-kb`` command does: ``run_<name>`` per command, called by ``main``.

The commands need pandas and the rest of the library; :mod:`evidence_kb.cli` imports this module
only when a command runs, so that ``evidence-kb --help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys

from evidence_kb.citations.bibliography import write_bibliography
from evidence_kb.citations.dedupe import find_duplicates
from evidence_kb.graph.export import write_graph
from evidence_kb.io.export import write_exports
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
    if fmt == "csv":
        print(frame.to_csv(index=False), end="")
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

    columns = dict(_column_option(text) for text in getattr(args, "column", None) or [])
    records = read_references(args.file, strict=not args.lenient, columns=columns or None)
    related_policy = getattr(args, "related", "link")
    dupes = find_duplicates(
        records, id_column="id", decisions=args.decisions, related=related_policy
    )
    out = Path(args.out) if args.out else Path(args.file).with_suffix("")
    groups, pairs = Path(f"{out}.groups.csv"), Path(f"{out}.pairs.csv")
    review = Path(f"{out}.review.csv")
    write_text(groups, dupes.groups.to_csv(index=False))
    write_text(pairs, dupes.pairs.to_csv(index=False))
    write_text(review, dupes.review.to_csv(index=False))
    related = Path(f"{out}.related.csv")
    write_text(related, dupes.related.to_csv(index=False))
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


def run_tables(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    paths = write_tables(kb, args.out, review=args.review, formats=args.format or TABLE_FORMATS)
    if not args.no_prisma:
        paths += write_prisma(kb, args.out, review=args.review)
    for path in paths:
        print(f"wrote {path}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    path = write_report(load(args.data_dir), args.out, title=args.title)
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


def run_diff(args: argparse.Namespace) -> int:
    from evidence_kb.living.diff import diff
    from evidence_kb.living.report import diff_summary, write_diff

    result = diff(args.old, args.new, strict=not args.lenient)
    print(diff_summary(result))
    if len(result.changes):
        _print_frame(result.changes, "table")
    if args.out:
        for path in write_diff(result, args.out):
            print(f"wrote {path}")
    return 0


def run_update(args: argparse.Namespace) -> int:
    from evidence_kb.living.update import update

    result = update(
        args.kb_dir,
        args.export,
        decisions=args.decisions,
        dry_run=args.dry_run,
        encoding=args.encoding,
    )
    for problem in result.problems:
        print(f"  {problem}")
    counts = result.counts()
    print(
        f"{args.export}: {len(result.records)} records: "
        + ", ".join(f"{n} {status}" for status, n in counts.items())
    )
    if counts["to review"]:
        print(f"pairs to decide: {result.log['review_file']} (fill in verdict, pass --decisions)")
    print("dry run: nothing written" if args.dry_run else "logged in update_log.csv")
    return 0


def run_merge_driver(args: argparse.Namespace) -> int:
    from evidence_kb.living.merge import conflicts_path, merge_files

    result = merge_files(args.base, args.ours, args.theirs, args.path, id_column=args.id_column)
    if result.conflict_rows:
        print(
            f"{args.path}: {len(result.conflict_rows)} cell(s) changed two ways; both values are "
            f"in {conflicts_path(args.path)} (fill in verdict, then: evidence-kb "
            f"resolve-conflicts {args.path})",
            file=sys.stderr,
        )
        return 1
    return 0


def run_resolve_conflicts(args: argparse.Namespace) -> int:
    from evidence_kb.living.merge import resolve_conflicts

    remaining = resolve_conflicts(args.file, args.conflicts)
    print(f"{args.file}: {len(remaining)} conflict(s) left undecided")
    return 1 if len(remaining) else 0


def run_agreement(args: argparse.Namespace) -> int:
    from evidence_kb.living.agreement import agreement

    result = agreement(args.a, args.b, columns=args.column or ["element", "direction"], on=args.on)
    _print_frame(result.summary, args.format)
    if len(result.by_element):
        _print_frame(result.by_element, args.format)
    print(f"{len(result.disagreements)} row(s) differ")
    _print_frame(result.disagreements, args.format)
    return 0
