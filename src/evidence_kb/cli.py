"""The ``evidence-kb`` command line: argument parsing and printing only, no logic."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from evidence_kb.citations.bibliography import write_bibliography
from evidence_kb.citations.dedupe import find_duplicates
from evidence_kb.graph.export import write_graph
from evidence_kb.io.export import EXPORT_FORMATS, write_exports
from evidence_kb.io.kbdir import bundled_data_dir
from evidence_kb.io.references import read_references
from evidence_kb.io.skeleton import init, skeleton_files
from evidence_kb.io.text import write_text
from evidence_kb.kb import load
from evidence_kb.model.errors import EvidenceKBError
from evidence_kb.publish.prisma import write_prisma
from evidence_kb.publish.render import FORMATS as TABLE_FORMATS
from evidence_kb.publish.render import write_tables
from evidence_kb.publish.report import write_report


def _cmd_validate(args: argparse.Namespace) -> int:
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


def _cmd_init(args: argparse.Namespace) -> int:
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


def _cmd_build_bib(args: argparse.Namespace) -> int:
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


def _cmd_citations(args: argparse.Namespace) -> int:
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


def _cmd_dedupe(args: argparse.Namespace) -> int:
    from pathlib import Path

    records = read_references(args.file, strict=not args.lenient)
    dupes = find_duplicates(records, id_column="id", decisions=args.decisions)
    out = Path(args.out) if args.out else Path(args.file).with_suffix("")
    groups, pairs = Path(f"{out}.groups.csv"), Path(f"{out}.pairs.csv")
    review = Path(f"{out}.review.csv")
    write_text(groups, dupes.groups.to_csv(index=False))
    write_text(pairs, dupes.pairs.to_csv(index=False))
    write_text(review, dupes.review.to_csv(index=False))
    print(dupes.summary())
    print(f"wrote {groups}, {pairs} and {review} ({len(dupes.review)} pairs to review)")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    for path in write_exports(kb, args.out, formats=args.format or EXPORT_FORMATS):
        print(f"wrote {path}")
    return 0


def _cmd_tables(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    paths = write_tables(kb, args.out, review=args.review, formats=args.format or TABLE_FORMATS)
    if not args.no_prisma:
        paths += write_prisma(kb, args.out, review=args.review)
    for path in paths:
        print(f"wrote {path}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    path = write_report(load(args.data_dir), args.out, title=args.title)
    print(f"wrote {path} (one self-contained file: open it in a browser, share it as it is)")
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
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


def _cmd_export_graph(args: argparse.Namespace) -> int:
    kb = load(args.data_dir)
    path = write_graph(kb.graph, args.out)
    print(f"wrote {path}: {kb.graph.number_of_nodes()} nodes, {kb.graph.number_of_edges()} edges")
    return 0


def _add_data_dir(p: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """Every command reads the knowledge base from ``--data-dir DIR`` (or a leading DIR)."""
    if positional:
        p.add_argument("data_dir", nargs="?", default=None, help="knowledge base directory")
    p.add_argument(
        "--data-dir",
        dest="data_dir_option",
        metavar="DIR",
        default=None,
        help="knowledge base directory (default: the bundled one)",
    )


_Argument = tuple[tuple[str, ...], dict[str, Any]]


def _arg(*flags: str, **options: Any) -> _Argument:
    """One argument of a subcommand: what ``add_argument(*flags, **options)`` takes."""
    return flags, options


@dataclass(frozen=True)
class _Command:
    """One subcommand: its name, help, examples, arguments and the function that runs it.

    ``data_dir`` is ``"positional"`` (``COMMAND [DIR]`` and ``--data-dir DIR``), ``"option"``
    (``--data-dir DIR`` only, for commands whose positional arguments are something else) or
    None (the command reads no knowledge base). The description defaults to the help.
    """

    name: str
    help: str
    examples: tuple[str, ...]
    arguments: tuple[_Argument, ...]
    handler: Callable[[argparse.Namespace], int]
    description: str | None = None
    data_dir: str | None = "positional"


FORMATS = ("table", "csv", "json")
_FORMAT = _arg("--format", choices=FORMATS, default="table")


def _query(name: str, help: str, example: str, *arguments: _Argument) -> _Command:
    """A query command: it prints a table (``--format``) of the knowledge base in ``--data-dir``."""
    return _Command(name, help, (example,), (_FORMAT, *arguments), _cmd_query, data_dir="option")


_COMMANDS: tuple[_Command, ...] = (
    _Command(
        "validate",
        "check a knowledge base and print a summary and every problem",
        (
            "evidence-kb validate            # the bundled knowledge base",
            "evidence-kb validate my_kb/     # another directory with the same layout",
        ),
        (),
        _cmd_validate,
        description="Check every file of a knowledge base; exit 1 if there is any error.",
    ),
    _Command(
        "init",
        "start a knowledge base for a new review: write a skeleton that validates",
        (
            "evidence-kb init my_review/",
            "evidence-kb init my_review/ --review-id jeugd-2026 --title 'Leernetwerken jeugdzorg'",
        ),
        (
            _arg("dir", help="directory of the new knowledge base (created if needed)"),
            _arg("--review-id", help="id of the review row (default: from the directory name)"),
            _arg("--title", help="title of the review (default: a TODO to replace)"),
            _arg(
                "--with-concepts",
                action="store_true",
                help="also copy the bundled concept vocabulary (concepts.csv)",
            ),
            _arg(
                "--excel", action="store_true", help="write findings.xlsx instead of findings.csv"
            ),
        ),
        _cmd_init,
        description="Write DIR/frameworks.csv (a copy of the bundled frameworks), DIR/reviews.csv "
        "(one review row to fill in) and DIR/findings.csv or, with --excel, DIR/findings.xlsx "
        "(the header). Files that exist are "
        "kept, never overwritten. No reference file, concepts or crosswalk are written: add your "
        "own (see 'Start your own review' in the README).",
        data_dir=None,
    ),
    _Command(
        "build-bib",
        "rebuild references.bib from the printed reference lists in sources/",
        ("evidence-kb build-bib data/",),
        (),
        _cmd_build_bib,
        description="Parse DIR/sources/*.txt (listed in DIR/sources/manifest.csv), merge "
        "duplicates, apply DIR/sources/corrections.csv and write DIR/references.bib.",
    ),
    _Command(
        "citations",
        "report every unresolved, ambiguous or corrected citation",
        (
            "evidence-kb citations",
            "evidence-kb citations --all --format csv > citations.csv",
        ),
        (_arg("--all", action="store_true", help="list resolved citations too"), _FORMAT),
        _cmd_citations,
        description="Resolve the citation of every finding against references.bib and list the "
        "ones that did not resolve cleanly, with the reason.",
    ),
    _Command(
        "dedupe",
        "find duplicate references in a file (BibTeX, RIS, CSL-JSON, CSV, text)",
        ("evidence-kb dedupe search_export.ris --decisions decisions.csv",),
        (
            _arg("file", help="the reference file"),
            _arg("--decisions", help="CSV of id_a,id_b,verdict (same|different) made by a person"),
            _arg("--out", help="prefix of the output files (default: FILE without extension)"),
            _arg(
                "--lenient", action="store_true", help="skip unreadable records (they are reported)"
            ),
        ),
        _cmd_dedupe,
        description="Find duplicates in a reference file and write FILE.groups.csv (one row per "
        "record with its group), FILE.pairs.csv (the evidence for each matched pair) and "
        "FILE.review.csv (pairs near the threshold: fill in verdict with same or different and "
        "pass the file as --decisions).",
        data_dir=None,
    ),
    _Command(
        "tables",
        "write the tables of every review (md, html, docx, tex, csv) and PRISMA diagrams",
        ("evidence-kb tables my-review/ --review jeugd-2026 --out build/tables --format docx",),
        (
            _arg("--out", required=True, help="output directory"),
            _arg(
                "--format",
                action="append",
                choices=TABLE_FORMATS,
                help="a format to write; repeat for several (default: all)",
            ),
            _arg("--review", help="only the tables (and PRISMA diagram) of this review"),
            _arg("--no-prisma", action="store_true", help="skip the PRISMA diagrams"),
        ),
        _cmd_tables,
        description="Write the tables of the knowledge base in each format: a bundled review's "
        "factsheet tables as printed, any other review's findings per element and theme "
        "(promoting | hindering | Overig) named after the review, with a PRISMA-ScR flow "
        "diagram (SVG, PNG) per review that reports its counts.",
    ),
    _Command(
        "report",
        "write the evidence map: one self-contained HTML page (gap map, crosswalk, reviews)",
        ("evidence-kb report --out build/report",),
        (
            _arg("--out", required=True, help="output directory (index.html is written there)"),
            _arg("--title", default=None, help='page title (default: "Evidence map")'),
        ),
        _cmd_report,
        description="Write OUT/index.html: the evidence gap map, the crosswalk between the "
        "frameworks, per review the factsheet table, PRISMA-ScR flow and reference list, with "
        "filters and search; Dutch with an English switch. Works offline, opened from disk.",
    ),
    _query(
        "evidence",
        "all findings for an element, theme, condition or concept, with citations",
        'evidence-kb evidence Synergie    # or an id ("liso/synergie"), alias or concept ("trust")',
        _arg("x", help="element, theme, condition or concept: id, label or alias"),
    ),
    _query(
        "overlaps",
        "element pairs of two frameworks that share concepts, references or a stated link",
        "evidence-kb overlaps liso tno-lo --format csv > overlaps.csv",
        _arg("a", help="framework id or label, e.g. liso"),
        _arg("b", help="framework id or label, e.g. tno-lo"),
    ),
    _query(
        "gaps",
        "the evidence gaps: no-evidence themes, empty cells, one-sided or single-source evidence, "
        "unresolved citations, concepts without a counterpart",
        "evidence-kb gaps --type no_evidence",
        _arg("--type", help="show one gap type only (e.g. no_evidence, one_sided)"),
    ),
    _query(
        "gap-map",
        "an evidence gap map: the number of findings per element and review",
        "evidence-kb gap-map --framework liso --split-direction",
        _arg("--rows", default="element", help="row dimension (default: element)"),
        _arg("--cols", default="review", help="column dimension (default: review)"),
        _arg("--framework", default=None, help="only this framework's elements"),
        _arg("--split-direction", action="store_true", help="promoting / hindering apart"),
    ),
    _query(
        "compare",
        "per element, what one review found that the other did not",
        "evidence-kb compare werk-inkomen-2023 pps-2023",
        _arg("a", help="review id"),
        _arg("b", help="review id"),
    ),
    _Command(
        "export-graph",
        "write the evidence graph as GraphML, GEXF (Gephi) or node-link JSON (Cytoscape, D3)",
        ("evidence-kb export-graph --out build/evidence.gexf",),
        (_arg("--out", required=True, help="output file: .graphml, .gexf or .json"),),
        _cmd_export_graph,
        description="Write the typed evidence graph; the format follows the file extension "
        "(.graphml, .gexf, .json).",
    ),
    _Command(
        "export",
        "write references (BibTeX, RIS, CSL-JSON), findings (CSV, Excel) and a QDA codebook",
        (
            "evidence-kb export --out build/export",
            "evidence-kb export --out build/export --format ris --format xlsx",
        ),
        (
            _arg("--out", required=True, help="output directory"),
            _arg(
                "--format",
                action="append",
                choices=EXPORT_FORMATS,
                help="repeat to choose (default: all)",
            ),
        ),
        _cmd_export,
        description="Export the knowledge base for reference managers (BibTeX with aliases, RIS, "
        "CSL-JSON), spreadsheets (findings as CSV and Excel, safe against formula injection) and "
        "qualitative-analysis programs (REFI-QDA codebook .qdc for NVivo, ATLAS.ti, MAXQDA).",
    ),
)


def _add_command(sub: argparse._SubParsersAction, command: _Command) -> None:
    """Add one subcommand: its help, a description, examples, data directory and arguments."""
    p = sub.add_parser(
        command.name,
        help=command.help,
        description=command.description or command.help[0].upper() + command.help[1:] + ".",
        epilog="example:\n" + "\n".join(f"  {example}" for example in command.examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if command.data_dir is not None:
        _add_data_dir(p, positional=command.data_dir == "positional")
    for flags, options in command.arguments:
        p.add_argument(*flags, **options)
    p.set_defaults(func=command.handler)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``evidence-kb``: one subcommand per entry of the table."""
    parser = argparse.ArgumentParser(
        prog="evidence-kb",
        description="Validate, query and publish a knowledge base of scoping-review evidence.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        _add_command(sub, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    args.data_dir = getattr(args, "data_dir", None) or getattr(args, "data_dir_option", None)
    try:
        return int(args.func(args))
    except EvidenceKBError as err:  # InputError, UnknownIdError: the message says what to fix
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
