"""Benchmark: parse (and resolve) one very long citation cell.

Run by hand (not part of the test suite):

    python benchmarks/long_citation_benchmark.py [--repeat 3]

A citation cell is normally one or a few citations, but a pasted paragraph or a whole reference
list in one cell must not make loading hang. Each input is parsed with the cache of
``parse_citations`` cleared, best of ``--repeat`` runs. The inputs:

- ``5,000 citations``: "Author0001, 1901; Author0002 et al. (1902); ..." in several forms;
- ``100 kB, no year``: names and words without any year (one citation without a year);
- ``100 kB prose``: a paragraph of text with a year now and then;
- ``100 kB punctuation``: parentheses, commas and semicolons (the worst case of a backtracking
  pattern that looks for "authors, then a year");
- ``5,000 years``: one author with a year list of 5,000 years.

For comparison, the pattern the parser used before (lazy author text, then a year list) is run on
the same kind of input at growing sizes, to show how its time grows (at 100 kB it would take days).
"""

from __future__ import annotations

import argparse
import time

from evidence_kb.citations.parse import _parse, parse_citations
from evidence_kb.citations.resolve import CitationIndex
from evidence_kb.model.records import Reference

_FORMS = ("{a}, {y}", "{a} et al. ({y})", "{a} en Jansen ({y})", "{a} & Smith, {y}a")


def _inputs() -> dict[str, str]:
    citations = "; ".join(
        _FORMS[i % len(_FORMS)].format(a=f"Author{i:04d}", y=1900 + i % 125) for i in range(5000)
    )
    words = " ".join(f"Word{i} en naam" for i in range(10_000))[:100_000]
    prose = " ".join(
        f"het netwerk leert (zie ook Pannebakker e.a., {2000 + i % 25}) omdat het samen werkt"
        if i % 10 == 0
        else "het netwerk leert omdat het samen werkt"
        for i in range(2600)
    )[:100_000]
    punctuation = ("(a, (b; c), " * 10_000)[:100_000]
    years = "Wenger, " + ", ".join(str(1000 + i % 1000) for i in range(5000))
    return {
        "5,000 citations": citations,
        "100 kB, no year": words,
        "100 kB prose": prose,
        "100 kB punctuation": punctuation,
        "5,000 years": years,
    }


def _time(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        _parse.cache_clear()
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def _old_pattern():
    """The pattern of the previous parser: lazy author text before a year list."""
    import re

    year = r"(?:\d{4}[a-z]?|z\.\s?d\.|n\.\s?d\.)"
    return re.compile(
        rf"(?P<authors>[^\d;()]*?[^\W\d_][^\d;()]*?)[\s,]+(?P<years>{year}(?:\s*,\s*{year}"
        r"(?![^\W\d_]))*)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    references = [
        Reference(key=f"author{i:04d}", authors=(f"Author{i:04d}, A.",), year=1900 + i % 125)
        for i in range(5000)
    ]
    index = CitationIndex(references)

    print("| input | characters | citations | parse (s) | parse + resolve (s) |")
    print("|:--|--:|--:|--:|--:|")
    for name, text in _inputs().items():
        found = len(parse_citations(text))
        parse = _time(lambda text=text: parse_citations(text), args.repeat)

        def resolve(text=text):
            index._cache.clear()
            index.resolve(text)

        both = _time(resolve, 1)
        print(f"| {name} | {len(text):,} | {found:,} | {parse:.3f} | {both:.3f} |")

    print()
    print("The previous parser's pattern on names without a year (time grows with the cube):")
    print()
    print("| characters | seconds |")
    print("|--:|--:|")
    old = _old_pattern()
    for size in (250, 500, 1_000):
        text = ("naam en naam, " * size)[:size]
        start = time.perf_counter()
        list(old.finditer(text))
        print(f"| {size:,} | {time.perf_counter() - start:.2f} |")


if __name__ == "__main__":
    main()
