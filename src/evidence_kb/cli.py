"""The ``evidence-kb`` command line: argument parsing and printing only, no logic."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from evidence_kb.model.errors import EvidenceKBError, InputError


def _cmd_validate(args: argparse.Namespace) -> int:
    from evidence_kb.kb import load

    kb = load(args.data_dir, strict=False)
    print(kb.summary())
    for problem in kb.problem_list:
        print(f"  {problem}")
    if kb.errors:
        print(f"INVALID: {len(kb.errors)} error(s); fix them and run again.")
        return 1
    print("OK: the knowledge base is valid.")
    return 0


def _cmd_build_bib(args: argparse.Namespace) -> int:
    from pathlib import Path

    from evidence_kb.citations.bibliography import write_bibliography
    from evidence_kb.kb import bundled_data_dir

    data_dir = Path(args.data_dir) if args.data_dir else bundled_data_dir()
    bib = write_bibliography(data_dir)
    print(f"wrote {data_dir / 'references.bib'}: {len(bib.references)} references "
          f"from {len(bib.printed)} printed entries")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``evidence-kb``."""
    parser = argparse.ArgumentParser(
        prog="evidence-kb",
        description="Validate, query and publish a knowledge base of scoping-review evidence.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "validate",
        help="check a knowledge base and print a summary and every problem",
        description="Check every file of a knowledge base; exit 1 if there is any error.",
        epilog="example:\n  evidence-kb validate            # the bundled knowledge base\n"
        "  evidence-kb validate my_kb/     # another directory with the same layout",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("data_dir", nargs="?", default=None, help="knowledge base directory (default: bundled)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "build-bib",
        help="rebuild references.bib from the printed reference lists in sources/",
        description="Parse DIR/sources/*.txt (listed in DIR/sources/manifest.csv), merge duplicates, "
        "apply DIR/sources/corrections.csv and write DIR/references.bib.",
        epilog="example:\n  evidence-kb build-bib data/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("data_dir", nargs="?", default=None, help="knowledge base directory (default: bundled)")
    p.set_defaults(func=_cmd_build_bib)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except EvidenceKBError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
