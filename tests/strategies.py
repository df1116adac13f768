"""Hypothesis strategies for the records of a knowledge base (as attrs keeps them: one module)."""

from __future__ import annotations

from hypothesis import strategies as st

from evidence_kb.model.records import Finding, Reference
from evidence_kb.model.vocab import Direction, Kind

# Text as researchers type it: any printable character (Dutch accents, quotes, commas, symbols,
# characters that spreadsheets treat as formulas), words separated by single spaces. Control
# characters are excluded: Excel cannot store them.
_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
    blacklist_characters="\x85",
)
words = st.lists(st.text(_CHARS, min_size=1, max_size=12), min_size=1, max_size=6).map(" ".join)
lines = st.lists(words, min_size=1, max_size=3).map("\n".join)
ids = st.from_regex(r"[a-z][a-z0-9]{0,5}-[0-9]{3}", fullmatch=True)


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    kind = draw(st.sampled_from(list(Kind)))
    return Finding(
        finding_id=draw(ids),
        review=draw(st.sampled_from(["werk-inkomen-2023", "pps-2023"])),
        element=draw(st.sampled_from(["liso/organisatie", "liso/synergie"])),
        kind=kind,
        direction=draw(st.sampled_from(list(Direction))) if kind is Kind.FACTOR else None,
        statement=draw(lines),
        citation=draw(st.one_of(st.just(""), words)),
        notes=draw(st.one_of(st.just(""), words)),
        source=f"00{draw(st.integers(0, 4))} Tabel 1, line {draw(st.integers(1, 999))}",
    )


family = st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=2, max_size=12)
author = st.builds(lambda f, i: f"{f}, {i}.", family, st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


@st.composite
def references(draw: st.DrawFn) -> Reference:
    first = draw(st.integers(1, 999))
    return Reference(
        key=draw(st.from_regex(r"[a-z]{2,8}(19|20)[0-9]{2}[a-z]?", fullmatch=True)),
        entry_type=draw(st.sampled_from(["article", "book", "incollection", "misc"])),
        authors=tuple(draw(st.lists(author, min_size=1, max_size=4))),
        year=draw(st.one_of(st.none(), st.integers(1900, 2030))),
        title=draw(words),
        container=draw(st.one_of(st.just(""), words)),
        volume=draw(st.one_of(st.just(""), st.integers(1, 99).map(str))),
        pages=draw(st.one_of(st.just(""), st.just(f"{first}-{first + 12}"))),
        doi=draw(
            st.one_of(st.just(""), st.from_regex(r"10\.[0-9]{4}/[a-z0-9.]{3,10}", fullmatch=True))
        ),
    )
