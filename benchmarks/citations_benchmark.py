"""Benchmark: resolve 10,000 in-text citations against 50,000 references.

Run by hand (not part of the test suite):

    python benchmarks/citations_benchmark.py [--references 50000] [--citations 10000]

The bibliography is synthetic but shaped like a real one: family names drawn from a pool with a
long tail (a few names are very common), 1-8 authors, years 1950-2025, and year suffixes where
one author has two works in a year. Citations are drawn from it and printed the ways the
factsheets print them: "A & B, 2015", "A e.a., 2015", "A et al., 2015", a misspelt name, a year
one off, or several citations in one string. The peer, measured in the same run on a sample, is
the obvious approach: score every reference of the bibliography with rapidfuzz for each citation.
"""

from __future__ import annotations

import argparse
import itertools
import random
import string
import time
import tracemalloc

from rapidfuzz import fuzz

from evidence_kb.citations.parse import parse_citations
from evidence_kb.citations.resolve import CitationIndex, family_name
from evidence_kb.model.records import Reference


def _names(rng: random.Random, n: int) -> list[str]:
    syllables = [
        "van",
        "ber",
        "kal",
        "lio",
        "ton",
        "sun",
        "mar",
        "sick",
        "wen",
        "ger",
        "de",
        "ko",
        "op",
        "mans",
        "tee",
        "lau",
        "kear",
        "ney",
        "camp",
        "tor",
        "res",
        "wolff",
        "dorp",
    ]
    names = set()
    while len(names) < n:
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
        names.add(name.capitalize())
    return sorted(names)


def make_bibliography(n: int, seed: int = 1) -> list[Reference]:
    rng = random.Random(seed)
    pool = _names(rng, max(n // 4, 100))
    weights = [1 / (i + 1) ** 0.8 for i in range(len(pool))]  # a long tail, as in real lists
    cumulative = list(itertools.accumulate(weights))
    refs: dict[str, Reference] = {}
    while len(refs) < n:
        authors = tuple(
            f"{rng.choices(pool, cum_weights=cumulative)[0]}, {rng.choice(string.ascii_uppercase)}."
            for _ in range(rng.choice([1, 1, 2, 2, 3, 4, 6, 8]))
        )
        year = rng.randint(1950, 2025)
        key = f"{family_name(authors[0]).lower()}{year}"
        suffix = ""
        while key + suffix in refs:
            suffix = chr(ord(suffix or "`") + 1)
        refs[key + suffix] = Reference(
            key=key + suffix,
            authors=authors,
            year=year,
            year_suffix=suffix,
            title=f"Work {len(refs)}",
        )
    return list(refs.values())


def _misspell(rng: random.Random, name: str) -> str:
    i = rng.randrange(1, len(name))
    return name[:i] + name[i + 1 :] if len(name) > 5 else name


def make_citations(refs: list[Reference], n: int, seed: int = 2) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        ref = rng.choice(refs)
        families = [family_name(a) for a in ref.authors]
        year = ref.year
        noise = rng.random()
        first = families[0]
        if noise < 0.1:
            first = _misspell(rng, first)
        if 0.1 <= noise < 0.15:
            year += rng.choice([-1, 1])
        if len(families) == 1:
            names = first
        elif len(families) == 2:
            names = f"{first} & {families[1]}"
        else:
            names = f"{first} {rng.choice(['e.a.', 'et al.', 'ea'])}"
        out.append((f"{names}, {year}{ref.year_suffix}", ref.key))
    return out


def brute_force(citation_text: str, refs: list[Reference]) -> str | None:
    """The peer: score every reference for the first author's name and the year."""
    [citation] = parse_citations(citation_text)[:1] or [None]
    if citation is None or not citation.authors:
        return None
    best, best_key = 0.0, None
    for ref in refs:
        if not ref.authors or ref.year is None or abs(ref.year - citation.year) > 1:
            continue
        score = fuzz.ratio(citation.authors[0], family_name(ref.authors[0]))
        if score > best:
            best, best_key = score, ref.key
    return best_key if best >= 80 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--references", type=int, default=50_000)
    parser.add_argument("--citations", type=int, default=10_000)
    parser.add_argument("--peer-sample", type=int, default=200)
    args = parser.parse_args()

    refs = make_bibliography(args.references)
    citations = make_citations(refs, args.citations)

    start = time.perf_counter()
    index = CitationIndex(refs)
    built = time.perf_counter() - start
    start = time.perf_counter()
    results = [index.resolve(text) for text, _ in citations]
    resolve_time = time.perf_counter() - start
    tracemalloc.start()  # memory in a second pass: tracing slows Python down several times
    CitationIndex(refs).resolve(citations[0][0])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    right = sum(
        1 for (_, key), res in zip(citations, results, strict=True) if res and res[0].key == key
    )
    wrong = sum(
        1
        for (_, key), res in zip(citations, results, strict=True)
        if res and res[0].key not in (None, key)
    )
    reported = sum(1 for res in results if res and res[0].key is None)

    sample = citations[: args.peer_sample]
    start = time.perf_counter()
    peer_right = sum(1 for text, key in sample if brute_force(text, refs) == key)
    peer_time = (time.perf_counter() - start) / len(sample) * len(citations)
    ours_sample_right = sum(
        1
        for (_, key), res in zip(sample, results[: len(sample)], strict=True)
        if res and res[0].key == key
    )

    print(f"{args.references:,} references, {args.citations:,} citations")
    print(
        f"index build: {built:.2f} s; resolve: {resolve_time:.2f} s; peak memory {peak / 2**20:.0f} MiB"
    )
    print(f"right {right:,}, wrong {wrong:,}, reported as ambiguous or unresolved {reported:,}")
    print(
        f"peer (brute force, extrapolated from {len(sample)}): {peer_time:.1f} s for all; "
        f"right on the sample: peer {peer_right}/{len(sample)}, ours {ours_sample_right}/{len(sample)}"
    )
    print(f"speed ratio (peer / ours): {peer_time / resolve_time:.0f}x")


if __name__ == "__main__":
    main()
