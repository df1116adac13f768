"""The concept vocabulary, and tagging findings with concepts.

A concept is an idea the sources keep coming back to (trust, reflection, the network lead,
cognitive distance, ...). ``data/concepts.csv`` lists each concept with the Dutch and English word
forms that signal it; ``data/concept_tags.csv`` holds hand corrections. Tagging works in three
steps:

1. **Tokenise**: lower-case, drop accents (``ë`` -> ``e``, ``æ`` -> ``ae``), split on everything
   that is not a letter, digit or inner apostrophe (``risico's`` stays one word; hyphens split).
2. **Match** every pattern of the vocabulary against the tokens (see :func:`parse_pattern` for
   the pattern syntax). Long words also match with a small spelling variation (rapidfuzz ratio
   >= 88; whole words of 8+ letters, compound tails of 7+), e.g. ``netwerkliden`` for
   ``netwerkleden``, ``netwerktrækker`` for ``*trekker``.
3. **Correct**: apply the ``add`` and ``remove`` rows of ``concept_tags.csv``.

Matching is done once per distinct word, so tagging 100,000 findings takes seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import contains, itemgetter, methodcaller
from typing import TYPE_CHECKING, Any

from evidence_kb._deprecated import deprecated, moved_to
from evidence_kb.model.cells import cell_text
from evidence_kb.model.text import fold_accents
from evidence_kb.model.vocab import (
    CONCEPT_COLUMNS,
    CONCEPT_TAG_COLUMNS,
    CONCEPT_TAGS_FILE,
    CONCEPTS_FILE,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONCEPTS_FILE",
    "CONCEPT_COLUMNS",
    "CONCEPT_TAGS_FILE",
    "CONCEPT_TAG_COLUMNS",
    "ConceptTagger",
    "apply_concept_tags",
    "concept_labels",
    "normalize_text",
    "parse_pattern",
    "tag_elements",
    "tag_findings",
    "tokenize",
]

TAG_COLUMNS = ("finding_id", "concept_id", "origin", "matched")

FUZZY_MIN_WORD = 8  # a whole word (pattern and text) must be this long to match a variant
FUZZY_MIN_TAIL = 7  # the tail of a compound (``*trekker``) must be this long
FUZZY_CUTOFF = 88.0  # rapidfuzz ratio (0-100) for a spelling variant

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_WORDS = itemgetter(2)  # the matched words of a span (start, end, words)
_CONCEPT_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


# -- text ------------------------------------------------------------------------------------------
def normalize_text(text: str) -> str:
    """Return ``text`` lower-cased, without accents, with typographic apostrophes made plain.

    The accent fold is the package's one (:func:`evidence_kb.model.text.fold_accents`).

    Examples
    --------
    >>> normalize_text("Hiërarchie, Risico’s en de netwerktrækker")
    "hierarchie, risico's en de netwerktraekker"
    """
    text = text.casefold()
    return text if text.isascii() else fold_accents(text)


def tokenize(text: str) -> list[str]:
    """Split Dutch (or English) text into normalised words.

    Examples
    --------
    >>> tokenize("De voertaal machtig zijn; risico's, informatie-asymmetrie.")
    ['de', 'voertaal', 'machtig', 'zijn', "risico's", 'informatie', 'asymmetrie']
    """
    return _words(normalize_text(text))


# every byte but a-z and 0-9 -> a space: what separates words. A table of bytes:
# bytes.translate is one lookup per byte, several times faster than str.translate (encoding
# and decoding ASCII text is a copy).
_SEPARATORS = bytes(
    c if (ord("a") <= c <= ord("z") or ord("0") <= c <= ord("9")) else ord(" ") for c in range(256)
)


def _words(text: str) -> list[str]:
    """``_TOKEN.findall(text)`` of normalised text; for text without apostrophes, by a split
    (every character but a-z and 0-9 separates words: one not ASCII is encoded as ``?``)."""
    if "'" not in text:
        return text.encode("ascii", "replace").translate(_SEPARATORS).decode("ascii").split()
    return _TOKEN.findall(text)


def _text_words(text: str) -> list[str]:
    """``_words(normalize_text(text))``, with the accents folded word by word.

    :func:`fold_accents` changes a text letter by letter (a letter and its marks), never
    across a space, so the words of the folded text are those of its space-separated parts
    folded one by one. The parts without accents are kept as they are, and the fold of each
    accented part is cached (``hiërarchie`` recurs, where a whole text rarely does).
    """
    text = text.casefold()
    if text.isascii():
        return _words(text)
    return _words(" ".join([p if p.isascii() else fold_accents(p) for p in text.split()]))


# -- patterns --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Term:
    """One word of a pattern: a whole word, or a prefix, suffix or infix of a word."""

    text: str
    mode: str  # "word", "prefix", "suffix", "infix"


@dataclass(frozen=True)
class _Pattern:
    concept_id: str
    raw: str
    term_ids: tuple[int, ...]  # indexes into ConceptTagger._terms, one per word
    exclude: bool


def parse_pattern(pattern: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """Parse one pattern of ``concepts.csv`` into its words and whether it excludes.

    The syntax, one pattern per ``;``-separated item:

    - ``vertrouwen``: the whole word (or a spelling variant, for words of 8+ letters);
    - ``reflect*``: a word that starts with ``reflect`` (reflectie, reflecteren, reflectief);
    - ``*trekker``: a word that ends with ``trekker`` (compounds: leernetwerktrekker);
    - ``*vertrouw*``: a word that contains ``vertrouw``;
    - ``cognitieve afstand``: consecutive words, each by the rules above;
    - ``!vertrouwen in de opbrengsten``: words inside a match of this phrase do not count for
      the concept (a homonym: here confidence in results, not trust between people).

    Returns
    -------
    tuple
        ``((text, mode), ...)`` per word and the exclusion flag.

    Examples
    --------
    >>> parse_pattern("gemeenschappelijk* waarden")
    ((('gemeenschappelijk', 'prefix'), ('waarden', 'word')), False)
    >>> parse_pattern("!vertrouwen in opbrengsten")[1]
    True
    """
    text = pattern.strip()
    exclude = text.startswith("!")
    if exclude:
        text = text[1:].strip()
    words: list[tuple[str, str]] = []
    for raw in text.split():
        starts, ends = raw.startswith("*"), raw.endswith("*")
        core = raw.strip("*")
        token = tokenize(core)
        if len(token) != 1:
            # "informatie-asymmetrie" in a pattern becomes two consecutive words
            words.extend((t, "word") for t in token)
            continue
        mode = "infix" if starts and ends else "suffix" if starts else "prefix" if ends else "word"
        words.append((token[0], mode))
    return tuple(words), exclude


# -- the tagger -----------------------------------------------------------------------------------
@dataclass
class ConceptTagger:
    """Tag texts with the concepts of a vocabulary.

    Parameters
    ----------
    concepts
        The vocabulary (columns ``concept_id`` and ``patterns`` at least), as returned by
        :func:`evidence_kb.io.tables.load_concepts`.

    Examples
    --------
    >>> import pandas as pd
    >>> vocab = pd.DataFrame(
    ...     {
    ...         "concept_id": ["trust", "network-lead"],
    ...         "patterns": ["vertrouw*;wantrouw*", "*trekker"],
    ...     }
    ... )
    >>> tagger = ConceptTagger(vocab)
    >>> sorted(tagger.tag("Wantrouwen tussen de netwerktrækker en de leden"))
    ['network-lead', 'trust']
    """

    concepts: pd.DataFrame
    _patterns: list[_Pattern] = field(init=False, repr=False)
    _terms: list[_Term] = field(init=False, repr=False)
    _uses: dict[int, list[int]] = field(init=False, repr=False)  # first word -> patterns
    _cache: dict[str, frozenset[int]] = field(init=False, repr=False)  # word -> its terms
    # word -> the patterns that start with it: (concept_id, term ids of the other words, exclude)
    _starts: dict[str, tuple[tuple[str, tuple[int, ...], bool], ...]] = field(
        init=False, repr=False
    )
    _starters: set[str] = field(init=False, repr=False)  # the words whose _starts is not empty

    def __post_init__(self) -> None:
        self._patterns, self._terms = [], []
        term_index: dict[_Term, int] = {}
        self._uses = {}
        for concept_id, cell in zip(
            self.concepts["concept_id"], self.concepts["patterns"], strict=True
        ):
            for raw in str(cell).split(";"):
                if not raw.strip():
                    continue
                words, exclude = parse_pattern(raw)
                if not words:
                    continue
                term_ids = []
                for text, mode in words:
                    term = _Term(text, mode)
                    if term not in term_index:
                        term_index[term] = len(self._terms)
                        self._terms.append(term)
                    term_ids.append(term_index[term])
                self._uses.setdefault(term_ids[0], []).append(len(self._patterns))
                self._patterns.append(_Pattern(concept_id, raw.strip(), tuple(term_ids), exclude))
        self._cache, self._starts, self._starters = {}, {}, set()
        self._build_lookup()

    # matching one word against every term, cached per distinct word
    def _build_lookup(self) -> None:
        self._by_mode: dict[str, dict[str, list[int]]] = {
            m: {} for m in ("word", "prefix", "suffix")
        }
        self._infix: list[tuple[str, int]] = []
        for index, term in enumerate(self._terms):
            if term.mode == "infix":
                self._infix.append((term.text, index))
            else:
                self._by_mode[term.mode].setdefault(term.text, []).append(index)
        self._prefix_lengths = sorted({len(t) for t in self._by_mode["prefix"]})
        self._suffix_lengths = sorted({len(t) for t in self._by_mode["suffix"]})
        self._tail_lengths = sorted(
            {n for t in self._suffix_lengths if t >= FUZZY_MIN_TAIL for n in (t - 1, t, t + 1)}
        )
        self._long = {
            "word": [t for t in self._by_mode["word"] if len(t) >= FUZZY_MIN_WORD],
            "suffix": [t for t in self._by_mode["suffix"] if len(t) >= FUZZY_MIN_TAIL],
        }

    def _term_hits(self, token: str) -> frozenset[int]:
        hit = self._cache.get(token)
        if hit is None:
            self._learn([token])
            hit = self._cache[token]
        return hit

    def _learn(self, tokens: Iterable[str]) -> None:
        """Match each new word of ``tokens`` against every term, once (spelling variants too)."""
        new = [token for token in dict.fromkeys(tokens) if token not in self._cache]
        if not new:  # (matches() learns the words of each text)
            return
        variants = self._fuzzy_hits([t for t in new if len(t) >= FUZZY_MIN_TAIL - 1])
        for token in new:
            found = self._exact_hits(token)
            found.update(variants.get(token, ()))
            result = frozenset(found)
            self._cache[token] = result
            # the patterns that start at this word, in the order of its terms and their
            # patterns, as (concept, the ids of its other words, exclude)
            starts = self._starts[token] = tuple(
                (pattern.concept_id, pattern.term_ids[1:], pattern.exclude)
                for term_id in result
                for pattern in map(self._patterns.__getitem__, self._uses.get(term_id, ()))
            )
            if starts:
                self._starters.add(token)

    def _exact_hits(self, token: str) -> set[int]:
        """The terms ``token`` matches as written: as a word, prefix, suffix or infix."""
        found: set[int] = set(self._by_mode["word"].get(token, ()))
        size, prefixes, suffixes = len(token), self._by_mode["prefix"], self._by_mode["suffix"]
        for length in self._prefix_lengths:  # sorted: none longer than the word can match
            if length > size:
                break
            found.update(prefixes.get(token[:length], ()))
        for length in self._suffix_lengths:
            if length > size:
                break
            found.update(suffixes.get(token[-length:], ()))
        for text, index in self._infix:
            if text in token:
                found.add(index)
        return found

    def _fuzzy_hits(self, tokens: list[str]) -> dict[str, set[int]]:
        """Spelling variants: whole words, and the tails of compounds (``*trekker``).

        Prefixes are matched exactly: a stem such as ``communic*`` must not reach ``community``.
        All windows of all ``tokens`` are scored against the terms in one matrix per mode.
        Returns the term ids of each token that has any, whole-word ones first, then those of
        its tails, shortest first.

        The tails are one letter shorter than, as long as, and one letter longer than each
        suffix of FUZZY_MIN_TAIL letters or more.
        """
        words = [token for token in tokens if len(token) >= FUZZY_MIN_WORD]
        word_hits = self._window_hits("word", words, self._long["word"])
        lengths = self._tail_lengths
        tails = {token[-n:] for token in tokens for n in lengths if n <= len(token)}
        tail_hits = self._window_hits("suffix", list(tails), self._long["suffix"])
        found: dict[str, set[int]] = {word: set(ids) for word, ids in word_hits.items()}
        if tail_hits:  # a few tails of all: find the tokens that end with one at once
            hit_tails = sorted(tail_hits, key=len)
            for token in filter(methodcaller("endswith", tuple(hit_tails)), tokens):
                variants = found.setdefault(token, set())
                for tail in hit_tails:
                    if token.endswith(tail):
                        variants.update(tail_hits[tail])
        return found

    def _window_hits(
        self, mode: str, windows: list[str], choices: list[str]
    ) -> dict[str, list[int]]:
        """``{window: term ids}``: the ``choices`` within FUZZY_CUTOFF and one letter of length."""
        import numpy as np
        from rapidfuzz import fuzz, process

        hits: dict[str, list[int]] = {}
        if not windows or not choices:
            return hits
        terms = self._by_mode[mode]
        for first in range(0, len(windows), 10_000):  # bounded memory: 10,000 rows a matrix
            chunk = windows[first : first + 10_000]
            scores = process.cdist(chunk, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            for row, column in zip(*np.nonzero(scores), strict=True):
                window, text = chunk[row], choices[column]
                if abs(len(text) - len(window)) <= 1:
                    hits.setdefault(window, []).extend(terms[text])
        return hits

    def matches(self, text: str) -> dict[str, list[str]]:
        """Return ``{concept_id: [matched words, ...]}`` for one text."""
        tokens = tokenize(text)
        self._learn(tokens)
        return self._match_tokens(tokens)

    def matches_many(self, texts: list[str]) -> list[dict[str, list[str]]]:
        """:meth:`matches` for many texts."""
        tokens = list(map(_text_words, texts))
        # the new words of all texts, in one batch (in any order: each word is matched alone)
        self._learn(sorted(set().union(*tokens).difference(self._cache)))
        return list(map(self._match_tokens, tokens))

    def _match_tokens(self, tokens: list[str]) -> dict[str, list[str]]:
        """The matches in ``tokens``, words already learned (:meth:`_learn`)."""
        # most words start no pattern (they are not a pattern's first word): the few that do,
        # by one set operation, then their places
        starting = self._starters.intersection(tokens)
        if not starting:
            return {}
        hits, starts, size = self._cache, self._starts, len(tokens)
        spans: dict[str, list[tuple[int, int, str]]] = {}
        excluded: dict[str, list[tuple[int, int]]] = {}
        for start in [i for i, token in enumerate(tokens) if token in starting]:
            for concept_id, rest, exclude in starts[tokens[start]]:
                end = start + 1
                if rest:  # the pattern's other words must follow, in order
                    end += len(rest)
                    if end > size or rest[0] not in hits[tokens[start + 1]]:
                        continue  # (most phrases stop at their second word: checked first)
                    if len(rest) > 1 and not all(
                        map(contains, map(hits.__getitem__, tokens[start + 2 : end]), rest[1:])
                    ):
                        continue
                if exclude:
                    excluded.setdefault(concept_id, []).append((start, end))
                else:
                    words = tokens[start] if not rest else " ".join(tokens[start:end])
                    spans.setdefault(concept_id, []).append((start, end, words))
        result: dict[str, list[str]] = {}
        for concept_id, found in spans.items():
            blocked = excluded.get(concept_id)
            if not blocked:  # (found is never empty)
                result[concept_id] = sorted(set(map(_WORDS, found)))
                continue
            kept = [
                words
                for start, end, words in found
                if not any(b_start <= start and end <= b_end for b_start, b_end in blocked)
            ]
            if kept:
                result[concept_id] = sorted(set(kept))
        return result

    def tag(self, text: str) -> set[str]:
        """Return the concept ids that ``text`` mentions."""
        return set(self.matches(text))


# -- tagging tables -------------------------------------------------------------------------------
def tag_findings(
    findings: pd.DataFrame,
    concepts: pd.DataFrame | None = None,
    corrections: pd.DataFrame | None = None,
    *,
    tagger: ConceptTagger | None = None,
) -> pd.DataFrame:
    """Tag every finding's statement with concepts, then apply the hand corrections.

    Parameters
    ----------
    findings
        The findings table (``finding_id`` and ``statement`` at least; ``topic`` is read too,
        because a 000 row heading such as "Systeemaanpak" names what the row is about).
    concepts
        The vocabulary (``kb.concept_table``, or a table read by
        :func:`evidence_kb.io.tables.load_concepts`); or give ``tagger``.
    corrections
        Hand corrections (:func:`load_concept_tags`); ``None`` applies none.
    tagger
        A ready tagger (saves compiling the vocabulary again).

    Returns
    -------
    pandas.DataFrame
        One row per (finding, concept): ``finding_id``, ``concept_id``, ``origin`` (``auto`` or
        ``hand``) and ``matched`` (the words that signalled it), sorted.
    """
    import pandas as pd

    if tagger is None:
        tagger = ConceptTagger(_vocabulary(concepts))
    topics = findings["topic"].tolist() if "topic" in findings else [""] * len(findings)
    text = _cell_text  # cell_text, faster for what most cells are: text
    texts = [
        f"{text(statement)}\n{text(topic)}"
        for statement, topic in zip(findings["statement"].tolist(), topics, strict=True)
    ]
    rows = [
        (finding_id, concept_id, "auto", "; ".join(words))
        for finding_id, found in zip(
            findings["finding_id"].tolist(), tagger.matches_many(texts), strict=True
        )
        for concept_id, words in found.items()
    ]
    tags = pd.DataFrame(rows, columns=list(TAG_COLUMNS))
    if corrections is not None and len(corrections):
        tags = apply_concept_tags(
            tags, corrections, finding_ids=set(findings["finding_id"].tolist())
        )
    return tags.sort_values(["finding_id", "concept_id"], kind="stable").reset_index(drop=True)


def _cell_text(value: object) -> str:
    """:func:`~evidence_kb.model.cells.cell_text`, with a fast path for a ``str``."""
    return value.strip() if type(value) is str else cell_text(value)


def apply_concept_tags(
    tags: pd.DataFrame, corrections: pd.DataFrame, *, finding_ids: set[str] | None = None
) -> pd.DataFrame:
    """Apply ``add``/``remove`` corrections to automatic tags (unknown findings are skipped)."""
    import pandas as pd

    removed = {
        (r.finding_id, r.concept_id)
        for r in corrections.itertuples(index=False)
        if r.action == "remove"
    }
    keep = [
        (f, c) not in removed for f, c in zip(tags["finding_id"], tags["concept_id"], strict=True)
    ]
    tags = tags.loc[keep]
    present = set(zip(tags["finding_id"], tags["concept_id"], strict=True))
    added = [
        (r.finding_id, r.concept_id, "hand", r.reason)
        for r in corrections.itertuples(index=False)
        if r.action == "add"
        and (r.finding_id, r.concept_id) not in present
        and (finding_ids is None or r.finding_id in finding_ids)
    ]
    if added:
        tags = pd.concat([tags, pd.DataFrame(added, columns=list(TAG_COLUMNS))], ignore_index=True)
    return tags.reset_index(drop=True)


def tag_elements(
    elements: pd.DataFrame,
    concepts: pd.DataFrame | None = None,
    *,
    tagger: ConceptTagger | None = None,
) -> pd.DataFrame:
    """Tag framework elements by their labels and aliases (not their notes).

    Returns
    -------
    pandas.DataFrame
        ``element_id``, ``concept_id``, ``matched``, sorted.
    """
    import pandas as pd

    if tagger is None:
        tagger = ConceptTagger(_vocabulary(concepts))
    rows = []
    for row in elements.itertuples(index=False):
        names = [cell_text(row.label_nl), cell_text(getattr(row, "label_en", ""))]
        names += cell_text(getattr(row, "aliases", "")).split(";")
        found: dict[str, set[str]] = {}
        for name in filter(None, (n.strip() for n in names)):
            for concept_id, words in tagger.matches(name).items():
                found.setdefault(concept_id, set()).update(words)
        rows += [(row.element_id, c, "; ".join(sorted(w))) for c, w in found.items()]
    frame = pd.DataFrame(rows, columns=["element_id", "concept_id", "matched"])
    return frame.sort_values(["element_id", "concept_id"], kind="stable").reset_index(drop=True)


def concept_labels(concepts: pd.DataFrame) -> Mapping[str, str]:
    """Return ``{concept_id: 'label_nl / label_en'}`` for display."""
    return {
        r.concept_id: f"{r.label_nl} / {r.label_en}" if r.label_en else r.label_nl
        for r in concepts.itertuples(index=False)
    }


def _vocabulary(concepts: pd.DataFrame | None) -> pd.DataFrame:
    if concepts is None:
        msg = (
            "no concept vocabulary given: pass kb.concept_table, or a table read with "
            "evidence_kb.io.tables.load_concepts(path)"
        )
        raise TypeError(msg)
    return concepts


# names that moved in 0.2: the readers to io.tables, the checks to model.checks
_MOVED = {
    **moved_to("evidence_kb.io.tables", "load_concepts", "load_concept_tags"),
    **moved_to("evidence_kb.model.checks", "check_concepts", "check_concept_tags", "table_frame"),
}


def __getattr__(name: str) -> Any:
    return deprecated(__name__, name, _MOVED)
