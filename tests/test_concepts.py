"""The concept vocabulary and the tagging of findings, checked against a hand-labelled sample."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.graph.concepts import (
    _TOKEN,
    CONCEPT_COLUMNS,
    FUZZY_MIN_WORD,
    ConceptTagger,
    _text_words,
    _words,
    parse_pattern,
    tag_elements,
    tag_findings,
    tokenize,
)
from evidence_kb.io.tables import load_concept_tags, load_concepts

# concepts the issue names; the vocabulary may hold more
REQUIRED_CONCEPTS = {
    "trust",
    "reflection",
    "leadership",
    "network-lead",
    "heterogeneity",
    "group-size",
    "cognitive-distance",
    "communication-language",
    "shared-values",
    "funding-resources",
    "hr-support",
    "time-for-participation",
    "risk-taking",
    "hierarchy-power",
    "end-users",
    "knowledge-transfer",
    "action-learning",
    "learning-culture",
}


@pytest.fixture(scope="module")
def kb():
    return ekb.load()


@pytest.fixture(scope="module")
def vocab():
    return load_concepts()


@pytest.fixture(scope="module")
def labels(data_dir):
    return pd.read_csv(data_dir / "concept_labels.csv", dtype=str, keep_default_na=False)


# -- the vocabulary -------------------------------------------------------------------------------
def test_vocabulary_has_the_concepts_of_the_issue(vocab):
    assert list(vocab.columns) == list(CONCEPT_COLUMNS)
    assert set(vocab["concept_id"]) >= REQUIRED_CONCEPTS
    assert vocab["concept_id"].is_unique


@pytest.mark.parametrize("column", ["label_nl", "label_en", "patterns", "description", "source"])
def test_every_concept_is_documented(vocab, column):
    assert (vocab[column].str.strip() != "").all(), vocab.loc[
        vocab[column] == "", "concept_id"
    ].tolist()


def test_every_concept_points_to_the_seeds(vocab):
    for row in vocab.itertuples():
        assert re.search(r"\b00[0-4]\b.*\blines? \d+", row.source), row.concept_id


def test_every_concept_is_found_in_the_seeds(vocab):
    """The vocabulary is built from the sources' own words: each concept occurs in them."""
    seeds = Path(__file__).parent / "data" / "seeds"  # copies of the source documents
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("00[0124]_*.txt")))
    for row in vocab.itertuples():
        tagger = ConceptTagger(
            pd.DataFrame({"concept_id": [row.concept_id], "patterns": [row.patterns]})
        )
        assert row.concept_id in tagger.tag(text), row.concept_id


# -- tokenising and matching ----------------------------------------------------------------------
def test_tokenize_folds_accents_and_keeps_apostrophes():
    assert tokenize("Hiërarchie; risico’s, informatie-asymmetrie") == [
        "hierarchie",
        "risico's",
        "informatie",
        "asymmetrie",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "".join(map(chr, range(128))),  # every ASCII character, the separators among them
        "a\tb\x0bc\x00d\x7fe~f`g[h]i{j}k|l\\m^n_o",
        "  leading and trailing  ",
        "cijfers 2024, 3.5 en v2x",
        "",
        "---",
        "risico's en 'quoted' x''y",  # apostrophes: the pattern's way
        "hierarchie ë ß 中文 naïef",  # not ASCII
        "ab\u201ccd\u201d ef\u00a0gh\u2013ij ٣4 ｆｕｌｌ x\udcffy",
        "e\u0301 \u0301a 1\u00bd \ufb01ne",
    ],
)
def test_words_fast_path_splits_as_the_pattern(text):
    # text without apostrophes is split after a translation table (bytes.translate)
    assert _words(text) == _TOKEN.findall(text)
    upper = "".join(map(chr, range(128))).upper()
    assert _words(upper) == _TOKEN.findall(upper)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("vertrouwen", ((("vertrouwen", "word"),), False), id="word"),
        pytest.param("reflect*", ((("reflect", "prefix"),), False), id="prefix"),
        pytest.param("*trekker", ((("trekker", "suffix"),), False), id="suffix"),
        pytest.param("*vertrouw*", ((("vertrouw", "infix"),), False), id="infix"),
        pytest.param(
            "informatie-asymmetrie",
            ((("informatie", "word"), ("asymmetrie", "word")), False),
            id="hyphen",
        ),
        pytest.param(
            "!vertrouwen in opbrengsten",
            ((("vertrouwen", "word"), ("in", "word"), ("opbrengsten", "word")), True),
            id="exclude",
        ),
    ],
)
def test_parse_pattern(pattern, expected):
    assert parse_pattern(pattern) == expected


@pytest.mark.parametrize(
    ("text", "concept", "found"),
    [
        pytest.param(
            "Wantrouwen, want dit leidt tot instabiliteit", "trust", True, id="wantrouwen"
        ),
        pytest.param(
            "er is vertrouwen in de opbrengsten van het leernetwerk", "trust", False, id="homonym"
        ),
        pytest.param(
            "vertrouwen in opbrengsten én onderling vertrouwen", "trust", True, id="homonym+trust"
        ),
        pytest.param("naast de netwerktrækker", "network-lead", True, id="typo-in-compound"),
        pytest.param("De coördinator of leernetwerktrekker", "network-lead", True, id="compound"),
        pytest.param("Hiërarchie tussen de netwerkliden", "hierarchy-power", True, id="accent"),
        pytest.param(
            "de cognitieve afstand tussen deelnemers", "cognitive-distance", True, id="phrase"
        ),
        pytest.param("de afstand is cognitief", "cognitive-distance", False, id="not-a-phrase"),
        pytest.param(
            "transparantie (i.v.m. informatie-asymmetrie)", "cognitive-distance", True, id="hyphen"
        ),
        pytest.param(
            "Let erop dat leden de voertaal machtig zijn", "hierarchy-power", False, id="machtig"
        ),
        pytest.param(
            "het risico dat leden niet meer actief deelnemen", "risk-taking", False, id="risico-dat"
        ),
        pytest.param("ruimte voor het nemen van risico's", "risk-taking", True, id="risicos"),
        pytest.param(
            "een community van leerlingen", "communication-language", False, id="community"
        ),
        pytest.param(
            "zij hebben een belangrijke rol bij het organiseren", "roles", False, id="idiom"
        ),
        pytest.param(
            "Zorg voor heldere rollen en verantwoordelijkheden", "roles", True, id="roles"
        ),
    ],
)
def test_tagger_on_word_forms(vocab, text, concept, found):
    assert (concept in ConceptTagger(vocab).tag(text)) is found


def test_matches_report_the_words(vocab):
    matches = ConceptTagger(vocab).matches("Reflectieve gesprekken en reflectie op het doel")
    assert matches["reflection"] == ["reflectie", "reflectieve"]


def _fuzzy_hits_word_by_word(tagger, tokens):
    """The spelling variants of each token as the tagger once found them: every window of every
    token looked up in turn (the whole word, then its tails, shortest first)."""
    lengths = tagger._tail_lengths
    windows = {
        t: {
            "word": [t] if len(t) >= FUZZY_MIN_WORD else [],
            "suffix": [t[-n:] for n in lengths if n <= len(t)],
        }
        for t in tokens
    }
    hits = {
        mode: tagger._window_hits(
            mode, list(dict.fromkeys(w for t in tokens for w in windows[t][mode])), choices
        )
        for mode, choices in tagger._long.items()
    }
    found = {}
    for t in tokens:
        variants = set()
        for mode, candidates in windows[t].items():
            for window in candidates:
                variants.update(hits[mode].get(window, ()))
        found[t] = variants
    return found


@pytest.mark.parametrize(
    "text",
    [
        "Hiërarchie; risico’s, informatie-asymmetrie",
        "naïef  ‘quoted’ “dubbel” — streep, Ørsted æ œ ß ı þ",
        "e\u0301e \u0301a  a\u0301\u0327b ﬁne ½ ＦＵＬＬ α-β γ",  # marks, compatibility forms
        "tab\tnbsp\u00a0ideographic\u3000nel\x85line\u2028end",  # spaces str.split knows
        "x\u0489y z\u20ddw",  # enclosing marks (combining, not in the common range)
        "ΑΣ Σ ς İstanbul ǅ",  # case folding
        "",
        "   ",
        "plain ascii text",
    ],
)
def test_text_words_fold_word_by_word_as_the_whole_text(text):
    # the tagger folds accents word by word; the words must be those of the folded text
    assert _text_words(text) == tokenize(text)


def test_fuzzy_hits_are_those_of_each_window(vocab):
    tagger = ConceptTagger(vocab)
    tokens = [
        "netwerktrekker",
        "netwerktrækker",
        "trekker",
        "rekker",
        "leernetwerktrekkker",
        "netwerkliden",
        "netwerkleden",
        "vertrouwen",
        "wantrouwenn",
        "innovatiesinnovaties",
        "reflectie",
        "xreflectiex",
        "communicatie",
        "kommunicatie",
        "leiderschapp",
        "a",
        "abcdef",
        "",
    ]
    tokens += [t + "s" for t in tokens] + ["netwerktrekker"]  # a repeated token too
    expected = _fuzzy_hits_word_by_word(tagger, tokens)
    found = tagger._fuzzy_hits(tokens)
    assert any(expected.values())
    for token in tokens:  # the same ids, found in the same order (the order of the tags)
        assert list(found.get(token, ())) == list(expected[token]), token


# -- hand corrections -----------------------------------------------------------------------------
def test_hand_corrections_are_valid_and_applied(kb, vocab):
    corrections = load_concept_tags(concepts=vocab["concept_id"])
    assert set(corrections["action"]) <= {"add", "remove"}
    assert set(corrections["finding_id"]) <= set(kb.findings["finding_id"])
    tags = tag_findings(kb.findings, vocab, corrections)
    pairs = set(zip(tags["finding_id"], tags["concept_id"], strict=True))
    for row in corrections.itertuples():
        assert ((row.finding_id, row.concept_id) in pairs) is (row.action == "add"), row
    added = tags[(tags["finding_id"] == "wi-006") & (tags["concept_id"] == "roles")]
    assert added["origin"].tolist() == ["hand"]


def test_bad_corrections_are_reported_with_line_and_hint(tmp_path, vocab):
    path = tmp_path / "concept_tags.csv"
    path.write_text(
        "finding_id,concept_id,action,reason\n"
        "wi-001,trustt,add,because\n"
        "wi-002,trust,delete,because\n"
        "wi-003,trust,add,\n",
        encoding="utf-8",
    )
    with pytest.raises(ekb.InputError) as err:
        load_concept_tags(path, concepts=vocab["concept_id"])
    text = str(err.value)
    assert (
        "line 2, column 'concept_id': 'trustt' is not a concept of concepts.csv "
        "(did you mean 'trust'?)" in text
    )
    assert "line 3, column 'action': got 'delete', expected one of: add, remove" in text
    assert "line 4, column 'reason'" in text


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param(
            "Trust,vertrouwen,trust,vertrouw*,,", "'Trust' is not a concept id", id="bad_id"
        ),
        pytest.param(
            "trust,vertrouwen,trust,!vertrouwen in,,", "needs at least one pattern", id="no_pattern"
        ),
        pytest.param("reflection,reflectie,reflection,reflect*,,", "defined twice", id="duplicate"),
    ],
)
def test_bad_vocabulary_is_refused(tmp_path, row, message):
    path = tmp_path / "concepts.csv"
    path.write_text(
        "concept_id,label_nl,label_en,patterns,description,source\n"
        "reflection,reflectie,reflection,reflect*,,\n" + row + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ekb.InputError, match=re.escape(message)) as err:
        load_concepts(path)
    assert "line 3" in str(err.value)


# -- elements -------------------------------------------------------------------------------------
def test_elements_are_tagged_by_their_labels(kb, vocab):
    tags = tag_elements(kb.elements, vocab)
    pairs = set(zip(tags["element_id"], tags["concept_id"], strict=True))
    assert ("liso/organisatie/leiderschap", "leadership") in pairs
    assert ("tno-lo/reflectie", "reflection") in pairs
    assert ("tno-lo/ruimte-voor-variatie", "heterogeneity") in pairs
    assert ("tno-lo/transparantie", "cognitive-distance") in pairs
    assert ("liso/kennistransfer/kennistransfer-moederorganisatie", "knowledge-transfer") in pairs
    # the homonym: confidence in the results is not trust between people
    assert ("liso-2025/vertrouwen-in-de-opbrengsten", "trust") not in pairs


# -- precision and recall on the labelled sample --------------------------------------------------
def _scores(tags: pd.DataFrame, labels: pd.DataFrame) -> tuple[float, float]:
    predicted = {f: set(g["concept_id"]) for f, g in tags.groupby("finding_id")}
    tp = fp = fn = 0
    for row in labels.itertuples():
        gold = {c for c in row.concepts.split(";") if c}
        found = predicted.get(row.finding_id, set())
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
    return tp / (tp + fp), tp / (tp + fn)


def test_labelled_sample_is_big_and_valid(labels, kb, vocab):
    assert len(labels) >= 40
    assert labels["finding_id"].is_unique
    assert set(labels["finding_id"]) <= set(kb.findings["finding_id"])
    used = {c for cell in labels["concepts"] for c in cell.split(";") if c}
    assert used <= set(vocab["concept_id"])
    assert len(set(labels["finding_id"].str.split("-").str[0])) == 3  # wi, pps, lolnw


def test_automatic_tagging_precision_and_recall(labels, kb, vocab):
    """Without any hand correction: the tagger itself must reach 0.9."""
    sample = kb.findings[kb.findings["finding_id"].isin(labels["finding_id"])]
    precision, recall = _scores(tag_findings(sample, vocab), labels)
    assert precision >= 0.9, precision
    assert recall >= 0.9, recall


def test_corrected_tagging_is_at_least_as_good(labels, kb, vocab):
    sample = kb.findings[kb.findings["finding_id"].isin(labels["finding_id"])]
    raw = _scores(tag_findings(sample, vocab), labels)
    corrected = _scores(
        tag_findings(sample, vocab, load_concept_tags(concepts=vocab["concept_id"])), labels
    )
    assert corrected[0] >= raw[0]
    assert corrected[1] >= raw[1]
