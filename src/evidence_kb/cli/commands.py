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
    from evidence_kb.citations.link import citation_problems

    kb = load(args.data_dir, strict=False, encoding=args.encoding)
    unmatched = citation_problems(kb)
    print(kb.summary(extra_warnings=len(unmatched)))
    counts = kb.citations["status"].value_counts()
    print(
        "  citations:  "
        + ", ".join(
            f"{counts.get(s, 0)} {s}" for s in ("resolved", "corrected", "ambiguous", "unresolved")
        )
        + " (details: evidence-kb citations)"
    )
    for problem in [*kb.problem_list, *unmatched]:
        print(f"  {problem}")
    if kb.errors:
        print(f"INVALID: {len(kb.errors)} error(s); fix them and run again.")
        return 1
    n_warnings = len(kb.problem_list) - len(kb.errors) + len(unmatched)
    if getattr(args, "strict", False) and n_warnings:
        print(f"INVALID (--strict): {n_warnings} warning(s); fix them and run again.")
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
        frameworks=[f.strip() for f in (args.frameworks or "").split(",") if f.strip()],
        language=args.language,
        charting=args.charting,
    )
    for path in written:
        print(f"wrote {path}")
    for name in skeleton_files(
        with_concepts=args.with_concepts, excel=args.excel, charting=args.charting
    ):
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
    kb = load(args.data_dir, encoding=args.encoding)
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
    kb = load(args.data_dir, encoding=args.encoding)
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
    kb = load(args.data_dir, encoding=args.encoding)
    _warn_published(kb)
    formats = args.format or TABLE_FORMATS
    paths = write_tables(kb, args.out, review=args.review, formats=formats, language=args.language)
    if not args.no_prisma:
        paths += write_prisma(kb, args.out, review=args.review, language=args.language)
    for path in paths:
        print(f"wrote {path}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    kb = load(args.data_dir, encoding=args.encoding)
    _warn_published(kb)
    path = write_report(kb, args.out, title=args.title, language=args.language)
    print(f"wrote {path} (one self-contained file: open it in a browser, share it as it is)")
    return 0


def run_query(args: argparse.Namespace) -> int:
    kb = load(args.data_dir, encoding=args.encoding)
    if args.command == "evidence":
        frame = kb.evidence(args.x, where=_where(args.where))
    elif args.command == "overlaps":
        frame = kb.overlaps(args.a, args.b)
    elif args.command == "gaps":
        frame = kb.gaps()
        if args.type:
            frame = frame[frame["gap_type"] == args.type]
    elif args.command == "compare":
        frame = kb.compare(args.a, args.b)
    else:  # gap-map
        frame = kb.gap_map(
            args.rows, args.cols, args.split_direction, framework=args.framework, by=args.by
        )
        frame = frame.reset_index()  # the element (or other row) names are a column
    _print_frame(frame, args.format)
    return 0


def _where(conditions: list[str] | None) -> dict[str, str]:
    """``--where design=RCT --where country=UK`` as ``{"design": "RCT", "country": "UK"}``."""
    from evidence_kb.model.errors import EvidenceKBError

    where = {}
    for condition in conditions or ():
        field, sep, value = condition.partition("=")
        if not sep or not field.strip():
            msg = f"--where {condition!r}: expected FIELD=VALUE, e.g. --where design=RCT"
            raise EvidenceKBError(msg)
        where[field.strip()] = value.strip()
    return where


def run_export_graph(args: argparse.Namespace) -> int:
    kb = load(args.data_dir, encoding=args.encoding)
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
