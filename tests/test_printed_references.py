"""Printed references: each value in its own field, nothing a merge drops, checked value by value.

The printed lines are copied exactly from the seeds (003 LISO Onderbouwing en bronnen and 000 LO vs
LNW 2026, as in ``data/sources/``); the line numbers are those of the seeds' reference lists.
"""

from __future__ import annotations

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.citations.bibliography import merge_printed
from evidence_kb.io.reflist import parse_reference
from evidence_kb.model.printed_values import printed_value_problems
from evidence_kb.model.records import Reference
from evidence_kb.publish.apa import apa_reference

POLANYI = (  # 003
    "Polanyi, M. (1958). Personal knowledge : Towards a post-critical philosophy Routledge & K. Paul."
)
ROGERS = (  # 003
    "Rogers, E. M., Singhal, A., & Quinlan, M. M. (2019). Diffusion of innovations 1. An integrated "
    "approach to communication theory and research (3rd ed., pp. 415-434) Routledge. "
    "doi:10.4324/9780203710753-35 Retrieved from https://www.taylorfrancis.com/books/"
    "9780203710753/chapters/10.4324/9780203710753-35"
)
DHONDT = (  # 000
    "- Dhondt, S., Totterdill, P. Boermans, S., & Ziauberyte-Jakstiene (2017). Five Steps to "
    "develop workplace innovation. In P.R.A. Oeij, D. Rus & F.D. Pot, F.D. (Eds). *Workplace "
    "Innovation: Theory, Research and Practice* (pp. 301-319). Cham, Switzerland: Springer "
    "International Publishing"
)
POELL = (  # 000
    "Poell, R. (2005). Learning organizations and communities of practice: A critical evaluation. "
    "In: J. Wilson (Ed.), *Human resource development: Learning and training for individuals and "
    "organisations* (pp.99-110). Publisher: London: Kogan Page"
)
WENGER = (  # 000
    "Wenger, E. (2010). Communities of Practice and social learning systems: the career of a "
    "concept. In Blackmore, C. (Ed.). *Social Learning Systems and Communities of Practice*. "
    "London: Springer, pp. 179-198."
)
WEHRENS = (  # 003
    "Wehrens, R., Bekker, M., Bal, R., Jansen, M., & Burhenne, K. (2011). Academische "
    "werkplaatsen in ontwikkeling: Ontwikkelstadia, knelpunten en opbrengsten van vijf jaar "
    "samenwerking. TITLE=Hoge hakken. lange tenen. successen en valkuilen voor de academische "
    "werkplaatsen publieke gezondheid in nederland () GGD Zuid Limburg. Retrieved from "
    "https://explore.openaire.eu/search/result?id=narcis______::8abd3adbcb2fc77dc87095fb80a3514f"
)
EDZES = "- Edzes, A. & van Es, E. (2025). *Leercultuur is overal*. Tijdschrift voor HRM."  # 000
ANDRIESSEN_26 = (  # 003 line 26
    "Andriessen, D., Welbie, M., & Ganzevles, M. (2019). Geef een impuls aan je academische "
    "werkplaats. (). Utrecht: Hogeschool Utrecht. Retrieved from https://hbo-kennisbank.nl/record/"
    "oai:surfsharekit.nl:e4b7b59d-a88f-4c97-bafb-d00e8c2eebf7"
)
ANDRIESSEN_56 = (  # 003 line 56
    "Daan Andriessen, Marlies Welbie, & Martine Ganzevles. (2019). Geef een impuls aan je "
    "academische werkplaats. (). Utrecht: Hogeschool Utrecht. Retrieved from "
    "https://surfsharekit.nl/public/e4b7b59d-a88f-4c97-bafb-d00e8c2eebf7"
)

HOGE_HAKKEN = (
    "Hoge hakken. lange tenen. successen en valkuilen voor de academische werkplaatsen publieke "
    "gezondheid in nederland"
)


@pytest.mark.parametrize(
    ("printed", "fields"),
    [
        pytest.param(
            POLANYI,
            {
                "title": "Personal knowledge : Towards a post-critical philosophy",
                "publisher": "Routledge & K. Paul",
                "entry_type": "book",
            },
            id="polanyi1958-publisher-run-into-title",
        ),
        pytest.param(
            ROGERS,
            {
                "container": "An integrated approach to communication theory and research (3rd ed.)",
                "publisher": "Routledge",
                "pages": "415-434",
                "entry_type": "incollection",
            },
            id="rogers2019-publisher-after-pages",
        ),
        pytest.param(
            DHONDT,
            {
                "container": "Workplace Innovation: Theory, Research and Practice",
                "editor": "P.R.A. Oeij, D. Rus & F.D. Pot, F.D.",
                "publisher": "Cham, Switzerland: Springer International Publishing",
                "pages": "301-319",
            },
            id="dhondt2017-editors-and-publisher",
        ),
        pytest.param(
            POELL,
            {
                "container": "Human resource development: Learning and training for individuals "
                "and organisations",
                "editor": "J. Wilson",
                "publisher": "London: Kogan Page",
            },
            id="poell2005-publisher-label",
        ),
        pytest.param(
            WENGER,
            {
                "container": "Social Learning Systems and Communities of Practice",
                "editor": "Blackmore, C.",
                "publisher": "London: Springer",
                "pages": "179-198",
            },
            id="wenger2010-pages-at-end",
        ),
        pytest.param(
            WEHRENS,
            {
                "container": HOGE_HAKKEN,
                "publisher": "GGD Zuid Limburg",
                "entry_type": "incollection",
            },
            id="wehrens2011-empty-parentheses",
        ),
        pytest.param(
            EDZES,
            {"container": "Tijdschrift voor HRM", "publisher": "", "entry_type": "article"},
            id="edzes2025-a-periodical",
        ),
        pytest.param(
            ANDRIESSEN_56,
            {
                "authors": ["Andriessen, Daan", "Welbie, Marlies", "Ganzevles, Martine"],
                "title": "Geef een impuls aan je academische werkplaats",
                "publisher": "Utrecht: Hogeschool Utrecht",
                "entry_type": "book",
            },
            id="andriessen2019-given-names-first",
        ),
    ],
)
def test_the_parser_puts_each_printed_value_in_its_field(printed, fields):
    ref = parse_reference(printed)
    assert {name: getattr(ref, name) for name in fields} == fields


@pytest.fixture(scope="module")
def refs() -> dict[str, dict]:
    return {r["key"]: r for r in ekb.load().references.to_dict("records")}


def test_the_bundled_bibliography_has_them_in_their_fields(refs):
    assert refs["polanyi1958"]["publisher"] == "Routledge & K. Paul"
    assert refs["rogers2019"]["publisher"] == "Routledge"
    for key in ("dhondt2017", "poell2005", "wenger2010"):
        assert "(Ed" not in refs[key]["container"]
        assert "Publisher" not in refs[key]["container"]
        assert refs[key]["editor"]
    assert refs["wehrens2011"]["container"] == HOGE_HAKKEN
    assert refs["wehrens2011"]["publisher"] == "GGD Zuid Limburg"
    assert (refs["edzes2025"]["entry_type"], refs["edzes2025"]["container"]) == (
        "article",
        "Tijdschrift voor HRM",
    )


def test_a_merge_keeps_both_printed_urls_and_the_fuller_names(refs):
    andriessen = refs["andriessen2019"]
    assert andriessen["url"].split() == [
        "https://hbo-kennisbank.nl/record/oai:surfsharekit.nl:e4b7b59d-a88f-4c97-bafb-d00e8c2eebf7",
        "https://surfsharekit.nl/public/e4b7b59d-a88f-4c97-bafb-d00e8c2eebf7",
    ]
    assert andriessen["authors"] == "Andriessen, Daan; Welbie, Marlies; Ganzevles, Martine"
    # the APA list still prints initials
    assert "".join(t for t, _ in apa_reference(andriessen)).startswith(
        "Andriessen, D., Welbie, M., & Ganzevles, M. (2019)."
    )


def test_merge_printed_drops_no_printed_value():
    rows = [pd.Series(vars(parse_reference(text))) for text in (ANDRIESSEN_26, ANDRIESSEN_56)]
    merged = merge_printed(rows)
    assert len(merged["url"].split()) == 2
    assert merged["authors"][0] == "Andriessen, Daan"
    assert merged["publisher"] == "Utrecht: Hogeschool Utrecht"


def test_apa_prints_editors_edition_and_publisher_around_the_book(refs):
    assert "".join(t for t, _ in apa_reference(refs["poell2005"])).endswith(
        "In J. Wilson (Ed.), Human resource development: Learning and training for individuals "
        "and organisations (pp. 99–110). London: Kogan Page."
    )
    rogers = apa_reference(refs["rogers2019"])
    assert ("An integrated approach to communication theory and research", True) in rogers
    assert (" (3rd ed., pp. 415–434).", False) in rogers
    dhondt = "".join(t for t, _ in apa_reference(refs["dhondt2017"]))
    assert "In P.R.A. Oeij, D. Rus & F.D. Pot, F.D. (Eds.), Workplace Innovation" in dhondt


# -- validate compares values, not only presence -----------------------------------------------
def _old(key: str, entry_type: str, **fields: str) -> Reference:
    return Reference(key=key, entry_type=entry_type, authors=("X, Y.",), year=2000, **fields)


@pytest.mark.parametrize(
    ("ref", "printed", "field", "expected"),
    [
        pytest.param(
            _old(
                "polanyi1958",
                "book",
                title="Personal knowledge : Towards a post-critical philosophy Routledge & K. Paul",
            ),
            POLANYI,
            "title",
            "ends with the publisher 'Routledge & K. Paul'",
            id="publisher-in-title",
        ),
        pytest.param(
            _old(
                "poell2005",
                "incollection",
                title="Learning organizations and communities of practice: A critical evaluation",
                container="In: J. Wilson (Ed.), Human resource development: Learning and "
                "training for individuals and organisations. Publisher: London: Kogan Page",
                pages="99-110",
            ),
            POELL,
            "booktitle",
            "holds the editors ('In … (Ed.)')",
            id="editors-in-booktitle",
        ),
        pytest.param(
            _old(
                "rogers2019",
                "incollection",
                title="Diffusion of innovations 1",
                container="An integrated approach to communication theory and research (3rd ed.) "
                "Routledge",
                pages="415-434",
            ),
            ROGERS,
            "booktitle",
            "holds 'Routledge', printed after the pages: the publisher",
            id="publisher-in-booktitle",
        ),
        pytest.param(
            _old(
                "wehrens2011",
                "misc",
                title="Academische werkplaatsen in ontwikkeling: Ontwikkelstadia, knelpunten en "
                "opbrengsten van vijf jaar samenwerking",
                container=f"{HOGE_HAKKEN} GGD Zuid Limburg",
            ),
            WEHRENS,
            "howpublished",
            "is not printed as one part",
            id="series-and-publisher-in-howpublished",
        ),
        pytest.param(
            _old(
                "edzes2025", "misc", title="Leercultuur is overal", container="Tijdschrift voor HRM"
            ),
            EDZES,
            "howpublished",
            "names a periodical",
            id="journal-in-howpublished",
        ),
        pytest.param(
            _old(
                "andriessen2019",
                "book",
                title="Geef een impuls aan je academische werkplaats",
                publisher="Utrecht: Hogeschool Utrecht",
                url="https://hbo-kennisbank.nl/record/oai:surfsharekit.nl:e4b7b59d-a88f-4c97-bafb-"
                "d00e8c2eebf7",
            ),
            ANDRIESSEN_56,
            "source",
            "lacks printed words: 'public'",
            id="second-url-dropped",
        ),
    ],
)
def test_validate_finds_a_value_in_the_wrong_field_or_missing(ref, printed, field, expected):
    found = printed_value_problems(ref, printed)
    assert any(f == field and expected in message for f, _, message in found), found


def test_the_fixed_entries_pass_the_value_check():
    for printed in (POLANYI, ROGERS, DHONDT, POELL, WENGER, WEHRENS, EDZES, ANDRIESSEN_56):
        parsed = parse_reference(printed)
        ref = Reference(
            key="k",
            entry_type=parsed.entry_type,
            authors=tuple(parsed.authors),
            year=parsed.year,
            **{
                name: getattr(parsed, name)
                for name in (
                    "title",
                    "container",
                    "volume",
                    "issue",
                    "pages",
                    "doi",
                    "url",
                    "publisher",
                    "editor",
                )
            },
        )
        assert printed_value_problems(ref, printed) == [], printed


def test_validate_of_the_bundled_bibliography_finds_no_misplaced_value():
    kb = ekb.load()
    assert not [p for p in kb.problem_list if p.file == "references.bib" and p.column != "year"]


def test_one_work_printed_under_two_first_authors_is_linked(refs):
    # 000 lines 183 and 200: the LISO handbook, once by Dorp et al. with the full title, once
    # by Pannebakker et al. with its subtitle as title; both stay, linked (biblatex "related")
    assert refs["dorp2025"]["related"] == "pannebakker2025"
    assert refs["pannebakker2025"]["related"] == "dorp2025"
    linked = [k for k, r in refs.items() if r["related"]]
    assert sorted(linked) == ["dorp2025", "pannebakker2025"]  # no other pair is one work
    kb = ekb.load()
    assert kb.resolve("Dorp et al., 2025").iloc[0]["key"] == "dorp2025"
    assert kb.resolve("Pannebakker et al., 2025").iloc[0]["key"] == "pannebakker2025"
