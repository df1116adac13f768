"""The ``evidence-kb`` command line: the table of subcommands, argument parsing and dispatch.

What each command does is in :mod:`evidence_kb.cli.commands` (printing only, no logic).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from evidence_kb.model.errors import EvidenceKBError
from evidence_kb.model.vocab import EXPORT_FORMATS, OPTIONAL_EXPORT_FORMATS, TABLE_FORMATS


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
    p.add_argument(
        "--encoding",
        default=None,
        help="encoding of its text files if not UTF-8, e.g. cp1252 (saved by Excel on Windows)",
    )


_Argument = tuple[tuple[str, ...], dict[str, Any]]


def _arg(*flags: str, **options: Any) -> _Argument:
    """One argument of a subcommand: what ``add_argument(*flags, **options)`` takes."""
    return flags, options


@dataclass(frozen=True)
class _Command:
    """One subcommand: its name, help, examples, arguments and the function that runs it
    (``handler``: ``run_<handler>`` of :mod:`evidence_kb.cli.commands`).

    ``data_dir`` is ``"positional"`` (``COMMAND [DIR]`` and ``--data-dir DIR``), ``"option"``
    (``--data-dir DIR`` only, for commands whose positional arguments are something else) or
    None (the command reads no knowledge base). The description defaults to the help.
    """

    name: str
    help: str
    examples: tuple[str, ...]
    arguments: tuple[_Argument, ...]
    handler: str
    description: str | None = None
    data_dir: str | None = "positional"


FORMATS = ("table", "csv", "json")
_LANGUAGE = _arg(
    "--language",
    type=str.lower,
    choices=("nl", "en"),
    default=None,
    help="language of the output (default: the review's language in reviews.csv, else nl)",
)
_FORMAT = _arg("--format", choices=FORMATS, default="table")


def _query(name: str, help: str, example: str, *arguments: _Argument) -> _Command:
    """A query command: it prints a table (``--format``) of the knowledge base in ``--data-dir``."""
    return _Command(name, help, (example,), (_FORMAT, *arguments), "query", data_dir="option")


_COMMANDS: tuple[_Command, ...] = (
    _Command(
        "validate",
        "check a knowledge base and print a summary and every problem",
        (
            "evidence-kb validate            # the bundled knowledge base",
            "evidence-kb validate my_kb/     # another directory with the same layout",
            "evidence-kb validate my_kb/ --strict   # exit 1 on warnings too",
        ),
        (_arg("--strict", action="store_true", help="exit 1 on warnings too"),),
        "validate",
        description="Check every file of a knowledge base; exit 1 if there is any error.",
    ),
    _Command(
        "init",
        "start a knowledge base for a new review: write a skeleton that validates",
        (
            "evidence-kb init my_review/",
            "evidence-kb init my_review/ --review-id jeugd-2026 --title 'Leernetwerken jeugdzorg'",
            "evidence-kb init my_review/ --language en --charting",
            "evidence-kb init my_review/ --frameworks liso,tno-lo   # copy bundled frameworks",
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
            _arg(
                "--frameworks",
                metavar="IDS",
                help="copy these bundled frameworks, comma-separated (liso, liso-2025, tno-lo, lc)",
            ),
            _arg(
                "--language",
                type=str.lower,
                choices=("nl", "en"),
                help="the review's language (default: nl)",
            ),
            _arg(
                "--charting",
                action="store_true",
                help="also write charting.csv (a starting charting form) and studies.csv",
            ),
        ),
        "init",
        description="Write DIR/frameworks.csv (the header; with --frameworks the rows of those "
        "bundled frameworks), DIR/reviews.csv "
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
        "build_bib",
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
        "citations",
        description="Resolve the citation of every finding against references.bib and list the "
        "ones that did not resolve cleanly, with the reason.",
    ),
    _Command(
        "dedupe",
        "find duplicate references in a file (BibTeX, RIS, CSL-JSON, CSV, text)",
        (
            "evidence-kb dedupe search_export.ris",
            "cp search_export.review.csv decisions.csv   # fill in the verdict column",
            "evidence-kb dedupe search_export.ris --decisions decisions.csv",
        ),
        (
            _arg("file", help="the reference file"),
            _arg("--decisions", help="CSV of id_a,id_b,verdict (same|different) made by a person"),
            _arg("--out", help="prefix of the output files (default: FILE without extension)"),
            _arg(
                "--lenient", action="store_true", help="skip unreadable records (they are reported)"
            ),
            _arg(
                "--column",
                action="append",
                metavar="NAME=FIELD",
                help="read the table column NAME as FIELD (authors, year, title, container, doi, "
                "...; empty FIELD leaves it out); repeat for several",
            ),
            _arg(
                "--related",
                choices=("link", "merge"),
                default="link",
                help="notices (errata, retractions, replies, comments): keep them apart and link "
                "them to their work (link, the default) or also merge them into its group",
            ),
        ),
        "dedupe",
        description="Find duplicates in a reference file and write FILE.groups.csv (one row per "
        "record with its group), FILE.pairs.csv (the evidence for each matched pair) and "
        "FILE.review.csv (pairs near the threshold: fill in verdict with same or different, save "
        "it as decisions.csv and pass that as --decisions; the next run writes a new "
        "FILE.review.csv, but never over a file it reads or a review file with verdicts filled "
        "in), and FILE.related.csv (each notice: erratum, retraction, reply, comment, with the "
        "work it concerns; copy it to a knowledge base as related.csv). Cells that a spreadsheet "
        "would run as a formula are neutralised with a leading '.",
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
            _LANGUAGE,
        ),
        "tables",
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
            _LANGUAGE,
        ),
        "report",
        description="Write OUT/index.html: the evidence gap map, the crosswalk between the "
        "frameworks, per review the factsheet table, PRISMA-ScR flow and reference list, with "
        "filters and search; Dutch with an English switch. Works offline, opened from disk.",
    ),
    _query(
        "evidence",
        "all findings for an element, theme, condition or concept, with citations",
        'evidence-kb evidence Synergie    # or an id ("liso/synergie"), alias or concept ("trust")',
        _arg("x", help="element, theme, condition or concept: id, label or alias"),
        _arg(
            "--where",
            action="append",
            metavar="FIELD=VALUE",
            help="only findings citing a charted study with this value (charting.csv); repeat",
        ),
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
        _arg("--by", default=None, help="a charting field (charting.csv) as the columns"),
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
        "export_graph",
        description="Write the typed evidence graph; the format follows the file extension "
        "(.graphml, .gexf, .json).",
    ),
    _Command(
        "export",
        "write references (BibTeX, RIS, CSL-JSON), findings (CSV, Excel) and a QDA codebook"
        "; --format eppi: an EPPI-Reviewer JSON export",
        (
            "evidence-kb export --out build/export",
            "evidence-kb export --out build/export --format ris --format xlsx",
        ),
        (
            _arg("--out", required=True, help="output directory"),
            _arg(
                "--format",
                action="append",
                choices=(*EXPORT_FORMATS, *OPTIONAL_EXPORT_FORMATS),
                help="repeat to choose (default: all but eppi, the EPPI-Reviewer JSON export)",
            ),
        ),
        "export",
        description="Export the knowledge base for reference managers (BibTeX with aliases, RIS, "
        "CSL-JSON), spreadsheets (findings as CSV and Excel, safe against formula injection) and "
        "qualitative-analysis programs (REFI-QDA codebook .qdc for NVivo, ATLAS.ti, MAXQDA).",
    ),
    _Command(
        "diff",
        "what changed in the evidence between two versions: cells, findings moved, gaps, tables",
        (
            "evidence-kb diff HEAD~1 data/              # the directory against its last commit",
            "evidence-kb diff old_kb/ new_kb/ --out build/diff",
        ),
        (
            _arg("old", help="a knowledge-base directory, REV:PATH, or a bare git revision"),
            _arg("new", help="a knowledge-base directory, REV:PATH, or a bare git revision"),
            _arg("--out", help="also write diff.md, diff.html and CSV files into this directory"),
            _arg("--lenient", action="store_true", help="compare the valid records of each side"),
        ),
        "diff",
        description="Compare two versions of a knowledge base: every changed cell, finding "
        "moved to another element, reference merged into another, row added or removed (the "
        "same data saved differently is no change); the evidence gaps that opened or closed; "
        "the factsheet cells that changed. A bare revision (HEAD~1) means the other side's "
        "directory as it was then.",
        data_dir=None,
    ),
    _Command(
        "update",
        "add the new records of a search export to a knowledge base (duplicates never added)",
        ("evidence-kb update my_review/ new_search.ris",),
        (
            _arg("kb_dir", help="the knowledge-base directory"),
            _arg("export", help="the search export (RIS, BibTeX, CSL-JSON, MEDLINE, CSV, ...)"),
            _arg("--decisions", help="the EXPORT.review.csv of an earlier run, verdicts filled in"),
            _arg("--dry-run", action="store_true", help="report what would be done, write nothing"),
            _arg("--encoding", help="the export's encoding if not UTF-8 (e.g. cp1252)"),
        ),
        "update",
        description="Deduplicate a search export against the knowledge base's references, "
        "append the new ones to its reference file, write the pairs a person must decide to "
        "KB_DIR/EXPORT.review.csv, and log the run in KB_DIR/update_log.csv.",
        data_dir=None,
    ),
    _Command(
        "merge-driver",
        "git merge driver: merge two coders' findings.csv by row and column",
        ("git config merge.evidence-kb.driver 'evidence-kb merge-driver %O %A %B %P'",),
        (
            _arg("base", help="the common ancestor (git's %%O)"),
            _arg("ours", help="our version, overwritten with the result (git's %%A)"),
            _arg("theirs", help="their version (git's %%B)"),
            _arg("path", help="the file's path in the work tree (git's %%P)"),
            _arg("--id-column", help="the column rows are matched by (default: the first)"),
        ),
        "merge_driver",
        description="Merge by row id and column: different cells merge silently; a cell "
        "changed two ways is written to PATH's .conflicts.csv with both values and the exit "
        "status is 1, as git expects. Register it with the .gitattributes line "
        "'findings.csv merge=evidence-kb'.",
        data_dir=None,
    ),
    _Command(
        "resolve-conflicts",
        "apply the verdicts filled in a .conflicts.csv to the merged file",
        ("evidence-kb resolve-conflicts data/findings.csv",),
        (
            _arg("file", help="the merged table (findings.csv)"),
            _arg("--conflicts", help="the conflicts file (default: FILE's .conflicts.csv)"),
        ),
        "resolve_conflicts",
        description="Each conflict whose verdict is ours, theirs, base or value (with the value "
        "in 'value') is applied; the undecided ones stay in the conflicts file.",
        data_dir=None,
    ),
    _Command(
        "agreement",
        "inter-coder agreement of two codings: Cohen's kappa, Krippendorff's alpha",
        ("evidence-kb agreement coder_a.csv coder_b.csv --column element --column direction",),
        (
            _arg("a", help="findings coded by one coder (CSV or Excel)"),
            _arg("b", help="the same findings coded by the other"),
            _arg("--column", action="append", help="a coded column (default: element, direction)"),
            _arg("--on", default="finding_id", help="the id column (default: finding_id)"),
            _FORMAT,
        ),
        "agreement",
        description="Cohen's kappa (scikit-learn) and Krippendorff's alpha (krippendorff) per "
        "column and per element, then the rows the coders disagree on. Needs "
        "pip install 'evidence_kb[agreement]'.",
        data_dir=None,
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
    # the commands need pandas and the library: loaded only now, so that --help answers at once
    from evidence_kb.cli import commands

    try:
        return int(getattr(commands, f"run_{args.func}")(args))
    except EvidenceKBError as err:  # InputError, UnknownIdError: the message says what to fix
        print(f"error: {_for_the_terminal(str(err))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`evidence-kb gaps | head`): not an error
        from evidence_kb.io.text import discard_stdout

        discard_stdout()  # no second error when Python flushes stdout at exit
        return 0


def _for_the_terminal(message: str) -> str:
    """An error message without the hint for Python users (``err.problems``)."""
    return "\n".join(
        line for line in message.splitlines() if not line.startswith("All problems: err.problems")
    )


if __name__ == "__main__":
    raise SystemExit(main())
