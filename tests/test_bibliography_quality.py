"""The printed-list parser on the lines it used to corrupt, the merge of duplicates, and the
plausibility warnings of ``validate`` (issue #14, part D).

The printed lines below are copied exactly from the seeds (003 LISO Onderbouwing en bronnen, 000
LO vs LNW 2026 Referenties); the line number is given with each. The crafted bibliographies are
in ``data/bibliography_quality/`` (see its README).
"""

from __future__ import annotations

import shutil

import pytest

import evidence_kb as ekb
from evidence_kb.citations.bibliography import build_bibliography, merge_printed
from evidence_kb.io.bibtex import check_references, read_bibtex
from evidence_kb.io.reflist import parse_reference, parse_reference_list, split_authors
from evidence_kb.model.plausibility import author_problem, title_problem
from evidence_kb.publish.apa import apa_reference, in_text_citation

from .conftest import DATA_DIR

REPO_DATA = DATA_DIR.parents[1] / "data"
QUALITY = DATA_DIR / "bibliography_quality"

# -- the parser on the printed lines -------------------------------------------------------------

CALANCIE = (  # 003 line 42: APA 7's ellipsis for 21 or more authors
    "Calancie, L., Frerichs, L., Davis, M. M., Sullivan, E., White, A. M., Cilenti, D., . . . "
    "Lich, K. H. (2021). Consolidated framework for collaboration research derived from a "
    "systematic review of theories, models, frameworks and principles for cross-sector "
    "collaboration. PLoS ONE, 16(1 January) doi:10.1371/journal.pone.0244501"
)
DINGYLOUDI = (  # 003 line 62: a hyphenated initial printed cut after its hyphen
    "Dingyloudi, F., & Strijbos, J. -. (2015). Examining value creation in a community of learning "
    "practice: Methodological reflections on story-telling and story-reading. Seminar.Net, 11(3)"
)
DHONDT = (  # 000 line 181: a comma lost between two authors
    "- Dhondt, S., Totterdill, P. Boermans, S., & Ziauberyte-Jakstiene (2017). Five Steps to "
    "develop workplace innovation. In P.R.A. Oeij, D. Rus & F.D. Pot, F.D. (Eds). *Workplace "
    "Innovation: Theory, Research and Practice* (pp. 301-319). Cham, Switzerland: Springer "
    "International Publishing"
)
PANNEBAKKER = (  # 000 line 200: "et al." in a reference list
    "Pannebakker et al. (2025). Verbeter samen het sociaal domein met leernetwerken volgens de "
    "LISO-werkwijze. <https://publications.tno.nl/publication/34643644/r9T0gCn5/"
    "TNO-2025-handboekliso.pdf>"
)
VAN_DER_TORRE_2019 = (  # 000 line 208: an italic title with a subtitle after a full stop
    "van der Torre, W., Verbiest, E., Preenen, P., van den Tooren, M., van den Bergh, R., & "
    "Koopmans, L. (2019). *Lerende en Innovatieve Organisaties. Een organisatiemodel met "
    "praktijkvoorbeelden* (TNO-rapport). Leiden: Gezond Leven."
)
VAN_DER_TORRE_2020 = (  # 000 line 210: the journal, volume and pages after the italic title
    "van der Torre, W., Verbiest, S., Preenen, P., Koopmans, L., van den Bergh, R., & van den "
    "Tooren, M. (2020). *Lerende en innovatieve organisaties: Een integraal organisatiemodel en "
    "praktijkvoorbeelden uit de IT*. Tijdschrift voor HRM, 23(4), 1-24."
)
VAN_WOERKOM = (  # 000 line 214
    "van Woerkom, M. (2003). *Critical reflection at work. Bridging individual and organisational "
    "learning*. Enschede: Twente University (dissertation)."
)
SENNINGER = (  # 003 line 144: a full stop inside parentheses
    "Senninger, T. (2012). Abenteuer leiten - in abenteuern lernen (6. Aufl. ed.). Münster: "
    "Ökotopia-Verl. Retrieved from http://bvbr.bib-bvb.de:8991/F?func=service"
)
POPP = (  # 003 line 128: a lower-case place after the title
    "Popp, J., MacKean, G. L., Casebeer, A., Milward, H. B., Lindstrom, R. R. (2014). "
    "Inter-organizational networks: A review of the literature to inform practice. washington, "
    "DC: IBM center for the business of government. (). Washington DC: IBM Center for The "
    "Business of Government. Retrieved from https://www.businessofgovernment.org/report/"
    "inter-organizational-networks-review-literature-inform-practice"
)
TEE = (  # 003 line 152: volume, issue and pages printed against the title
    "Tee, P., Cham, T., Low, M., & Lau, T. (2021). The role of organisational career management: "
    "Comparing the academic staff’ perception of internal and external employability in "
    "determining success in academia.9(3), 41-58. Retrieved from https://mojem.um.edu.my/"
    "index.php/MOJEM/article/view/30570"
)
DIBELLA = (  # 000 line 182: pages without a volume
    "- Dibella, A. (1995). Developing learning organizations: A matter of perspective. *Academy "
    "of Management Proceedings*, 287-290."
)

ROGERS = (  # 003 line 134: the pages of a chapter inside the edition's parentheses
    "Rogers, E. M., Singhal, A., & Quinlan, M. M. (2019). Diffusion of innovations 1. An "
    "integrated approach to communication theory and research (3rd ed., pp. 415-434) Routledge. "
    "doi:10.4324/9780203710753-35"
)
WENGER_2010 = (  # 000 line 220: the pages of a chapter at the end
    "Wenger, E. (2010). Communities of Practice and social learning systems: the career of a "
    "concept. In Blackmore, C. (Ed.). *Social Learning Systems and Communities of Practice*. "
    "London: Springer, pp. 179-198."
)
WEHRENS = (  # 003 line 170 (shortened): a reference manager's field label
    "Wehrens, R., Bekker, M., Bal, R., Jansen, M., & Burhenne, K. (2011). Academische "
    "werkplaatsen in ontwikkeling: Ontwikkelstadia, knelpunten en opbrengsten van vijf jaar "
    "samenwerking. TITLE=Hoge hakken. lange tenen. successen en valkuilen voor de academische "
    "werkplaatsen publieke gezondheid in nederland () GGD Zuid Limburg."
)


@pytest.mark.parametrize(
    ("printed", "authors"),
    [
        pytest.param(
            CALANCIE,
            [
                "Calancie, L.",
                "Frerichs, L.",
                "Davis, M. M.",
                "Sullivan, E.",
                "White, A. M.",
                "Cilenti, D.",
                "others",
                "Lich, K. H.",
            ],
            id="ellipsis",
        ),
        pytest.param(DINGYLOUDI, ["Dingyloudi, F.", "Strijbos, J."], id="cut-hyphen-initial"),
        pytest.param(
            DHONDT,
            ["Dhondt, S.", "Totterdill, P.", "Boermans, S.", "Ziauberyte-Jakstiene"],
            id="lost-comma",
        ),
        pytest.param(PANNEBAKKER, ["Pannebakker", "others"], id="et-al"),
    ],
)
def test_printed_author_lists(printed, authors):
    assert parse_reference(printed).authors == authors


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        pytest.param("Strijbos, J. -P., & Fischer, F.", ["Strijbos, J.-P.", "Fischer, F."]),
        pytest.param("Strijbos, J.-P.", ["Strijbos, J.-P."], id="hyphen-without-space"),
        pytest.param(  # "E. A." are initials, not the Dutch "e.a."
            "Nooteboom, L. A., Mulder, E. A., & Kuiper, C. H. Z.",
            ["Nooteboom, L. A.", "Mulder, E. A.", "Kuiper, C. H. Z."],
            id="initials-e-a",
        ),
        pytest.param("Mennens e.a.", ["Mennens", "others"], id="dutch-e.a."),
        pytest.param("Bednarz, Cavicchiolo et al.", ["Bednarz", "Cavicchiolo", "others"]),
        pytest.param("Elwyn, G., … Barry, M.", ["Elwyn, G.", "others", "Barry, M."], id="…"),
        pytest.param(  # "I. Family" order: the initials belong to the name after them
            "K. Kallio, I. Lappalainen", ["K. Kallio", "I. Lappalainen"], id="given-first"
        ),
    ],
)
def test_split_authors(text, authors):
    assert split_authors(text) == authors


def test_a_cut_initial_is_noted():
    ref = parse_reference(DINGYLOUDI, line=62)
    assert ref.note == "an initial is printed cut after its hyphen ('J. -.'); recorded as 'J.'"


@pytest.mark.parametrize(
    ("printed", "fields"),
    [
        pytest.param(
            VAN_DER_TORRE_2019,
            {
                "title": "Lerende en Innovatieve Organisaties. Een organisatiemodel met "
                "praktijkvoorbeelden",
                "container": "(TNO-rapport). Leiden: Gezond Leven",
                "entry_type": "book",
            },
            id="italic-title-with-subtitle",
        ),
        pytest.param(
            VAN_DER_TORRE_2020,
            {
                "title": "Lerende en innovatieve organisaties: Een integraal organisatiemodel en "
                "praktijkvoorbeelden uit de IT",
                "container": "Tijdschrift voor HRM",
                "volume": "23",
                "issue": "4",
                "pages": "1-24",
                "entry_type": "article",
            },
            id="title-glued-to-journal",
        ),
        pytest.param(
            VAN_WOERKOM,
            {
                "title": "Critical reflection at work. Bridging individual and organisational "
                "learning",
                "container": "",
                "publisher": "Enschede: Twente University (dissertation)",  # Place: Publisher
            },
            id="italic-title-cut-at-subtitle",
        ),
        pytest.param(
            SENNINGER,
            {
                "title": "Abenteuer leiten - in abenteuern lernen (6. Aufl. ed.)",
                "container": "",
                "publisher": "Münster: Ökotopia-Verl",
            },
            id="full-stop-in-parentheses",
        ),
        pytest.param(
            POPP,
            {
                "title": "Inter-organizational networks: A review of the literature to inform "
                "practice",
                "container": "",
                "publisher": "washington, DC: IBM center for the business of government. "
                "Washington DC: IBM Center for The Business of Government",
            },
            id="lower-case-place",
        ),
        pytest.param(
            TEE,
            {
                "title": "The role of organisational career management: Comparing the academic "
                "staff’ perception of internal and external employability in determining "
                "success in academia",
                "container": "",
                "volume": "9",
                "issue": "3",
                "pages": "41-58",
            },
            id="volume-against-title",
        ),
        pytest.param(
            DIBELLA,
            {
                "title": "Developing learning organizations: A matter of perspective",
                "container": "Academy of Management Proceedings",
                "volume": "",
                "pages": "287-290",
                "entry_type": "article",
            },
            id="pages-without-volume",
        ),
        pytest.param(
            ROGERS,
            {
                "title": "Diffusion of innovations 1",
                "container": "An integrated approach to communication theory and research "
                "(3rd ed.)",
                "publisher": "Routledge",  # after the pages: never in the book title
                "pages": "415-434",
                "entry_type": "incollection",
            },
            id="chapter-pages-in-edition",
        ),
        pytest.param(
            WENGER_2010,
            {
                "container": "Social Learning Systems and Communities of Practice",
                "editor": "Blackmore, C.",
                "publisher": "London: Springer",
                "pages": "179-198",
                "entry_type": "incollection",
            },
            id="chapter-pages-at-end",
        ),
        pytest.param(
            WEHRENS,
            {
                "container": "Hoge hakken. lange tenen. successen en valkuilen voor de academische "
                "werkplaatsen publieke gezondheid in nederland",
                "publisher": "GGD Zuid Limburg",  # after the reference manager's empty "()"
                "entry_type": "incollection",
            },
            id="field-label",
        ),
    ],
)
def test_printed_titles_and_venues(printed, fields):
    ref = parse_reference(printed)
    assert {name: getattr(ref, name) for name in fields} == fields


# -- the merge of duplicates ---------------------------------------------------------------------

KEARNEY_003 = (  # 003 line 98: the title cut at its subtitle, no DOI, a catalogue link
    "Kearney, J., & Zuber-Skerritt, O. (2012). From learning organization to learning community. "
    "The Learning Organization, 19(5), 400-413. Retrieved from "
    "http://www.econis.eu/PPNSET?PPN=722305451"
)
KEARNEY_000 = (  # 000 line 188: the full title and the DOI
    "- Kearney, J., & Zuber-Skerritt, O. (2012). From learning organization to learning "
    "community: Sustainability through lifelong learning. *The Learning Organization*, 19(5), "
    "400-413. <https://doi.org/10.1108/09696471211239703>"
)


def _write_sources(path, lists):
    path.mkdir()
    rows = ["file,seed,seed_file,first_line,label,style,review"]
    for name, seed, first_line, label, lines in lists:
        (path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        rows.append(f"{name},{seed},{seed}.txt,{first_line},{label},apa,")
    (path / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("order", ["003-first", "000-first"])
def test_a_merge_keeps_the_fuller_record_and_every_field(tmp_path, order):
    lists = [
        ("a.txt", "003", 98, "LISO bronnen", [KEARNEY_003]),
        ("b.txt", "000", 188, "LO vs LNW Referenties", [KEARNEY_000]),
    ]
    _write_sources(tmp_path / "sources", lists if order == "003-first" else lists[::-1])
    (ref,) = build_bibliography(tmp_path / "sources").references
    assert ref.key == "kearney2012"
    assert ref.title == (
        "From learning organization to learning community: Sustainability through lifelong learning"
    )
    assert (ref.doi, ref.url) == (
        "10.1108/09696471211239703",  # only 000 prints it
        "http://www.econis.eu/PPNSET?PPN=722305451",  # only 003 prints it
    )
    assert (ref.container, ref.volume, ref.issue, ref.pages) == (
        "The Learning Organization",
        "19",
        "5",
        "400-413",
    )
    assert ref.source == "000 LO vs LNW Referenties, line 188; 003 LISO bronnen, line 98"


def test_merge_takes_the_longer_author_list_and_keeps_conflicting_values_of_the_base():
    rows = parse_reference_list(
        "Fuller, J., Oster, C., . . . Reed, R. L. (2015). Testing a model. BMJ Open, 5(11), "
        "e008593.\n"
        "Fuller, J., Oster, C., Muir Cochrane, E., . . . Reed, R. L. (2015). Testing a model. "
        "BMJ Open, 5(12), e008593. doi:10.1136/bmjopen-2015-008593"
    )
    merged = merge_printed([row for _, row in rows.iterrows()])
    assert merged["authors"] == [
        "Fuller, J.",
        "Oster, C.",
        "Muir Cochrane, E.",
        "others",
        "Reed, R. L.",
    ]
    assert merged["doi"] == "10.1136/bmjopen-2015-008593"
    assert merged["issue"] == "12"  # the base (the record with the DOI) wins a disagreement


def test_bundled_bibliography_entries_match_their_printed_references():
    refs = {r.key: r for r in read_bibtex(REPO_DATA / "references.bib")[0]}
    assert refs["calancie2021"].authors[-2:] == ("others", "Lich, K. H.")
    assert refs["pannebakker2025"].authors == ("Pannebakker", "others")
    assert refs["dingyloudi2015"].authors == ("Dingyloudi, F.", "Strijbos, J.")
    assert refs["dhondt2017"].authors[1:3] == ("Totterdill, P.", "Boermans, S.")
    assert refs["kearney2012"].doi == "10.1108/09696471211239703"
    assert refs["kearney2012"].title.endswith(": Sustainability through lifelong learning")
    assert refs["vandertorre2020"].container == "Tijdschrift voor HRM"
    assert refs["senninger2012"].title == "Abenteuer leiten - in abenteuern lernen (6. Aufl. ed.)"
    assert (refs["tee2021"].volume, refs["tee2021"].issue, refs["tee2021"].pages) == (
        "9",
        "3",
        "41-58",
    )
    assert len(refs) == 105


def test_truncated_author_lists_in_citations_and_apa():
    calancie = {
        "authors": "Calancie, L.; Frerichs, L.; others; Lich, K. H.",
        "year": 2021,
        "title": "Consolidated framework",
        "entry_type": "article",
        "container": "PLoS ONE",
    }
    pannebakker = {"authors": "Pannebakker; others", "year": 2025, "title": "Verbeter samen"}
    assert in_text_citation(calancie, language="en") == "Calancie et al., 2021"
    assert in_text_citation(pannebakker) == "Pannebakker e.a., 2025"
    assert "".join(t for t, _ in apa_reference(calancie)).startswith(
        "Calancie, L., Frerichs, L., . . . Lich, K. H. (2021). Consolidated framework."
    )
    assert "".join(t for t, _ in apa_reference(pannebakker, language="en")).startswith(
        "Pannebakker et al. (2025). "
    )


def test_pannebakker_et_al_resolves_without_a_note(bundled_kb):
    row = bundled_kb.resolve("Pannebakker et al., 2025").iloc[0]
    assert (row["key"], row["status"], row["notes"]) == ("pannebakker2025", "resolved", "")


@pytest.fixture(scope="module")
def bundled_kb():
    return ekb.load()


# -- plausibility warnings -----------------------------------------------------------------------


def test_plausibility_warnings_on_a_corrupted_bibliography(tmp_path):
    shutil.copytree(DATA_DIR / "mini", tmp_path / "kb")
    shutil.copy(QUALITY / "implausible.bib", tmp_path / "kb" / "references.bib")
    kb = ekb.load(tmp_path / "kb", strict=False)
    got = [(p.file, p.line, p.column, p.value, p.message, p.severity) for p in kb.problem_list]
    assert {g[0] for g in got} == {"references.bib"}
    assert {g[5] for g in got} == {"warning"}
    assert [g[1:5] for g in got] == [
        (
            42,
            "author",
            "J. -",
            "entry 'dingyloudi2015': author 'J. -' is only initials: initials split off from "
            "the name before them",
        ),
        (
            51,
            "author",
            ". . . Lich, K. H.",
            "entry 'calancie2021': author '. . . Lich, K. H.' holds APA's ellipsis '. . .': "
            "record the names left out as 'others' and the name after it as an author of its own",
        ),
        (
            58,
            "author",
            "Pannebakker et al.",
            "entry 'pannebakker2025': author 'Pannebakker et al.' holds 'et al.', which is no "
            "name: record the names left out as 'others'",
        ),
        (
            64,
            "author",
            "P. Boermans, S.",
            "entry 'dhondt2017': author 'P. Boermans, S.' has initials before the family name "
            "and more after the comma: two names run together where print lost a comma",
        ),
        (
            70,
            "author",
            "Van, Eldere J",
            "entry 'eldere2010': author 'Van, Eldere J' has only the particle 'Van' as family "
            "name: a name split at its particle",
        ),
        (
            79,
            "title",
            "Lerende en innovatieve organisaties: Een integraal organisatiemodel en "
            "praktijkvoorbeelden uit de IT. Tijdschrift voor HRM, 23(4), 1-24",
            "entry 'vandertorre2020': title contains a volume and issue ('23(4), 1-24'): the "
            "venue is glued to the title",
        ),
        (
            85,
            "title",
            "Inter-organizational networks: A review of the literature to inform practice. "
            "washington, DC: IBM center for the business of government",
            "entry 'popp2014': title goes on into a publisher's place ('washington, DC'): glued "
            "to the title",
        ),
        (
            91,
            "title",
            "Abenteuer leiten - in abenteuern lernen (6",
            "entry 'senninger2012': title has a '(' that is not closed: the title looks cut",
        ),
        (
            98,
            "title",
            "Communities of practice:",
            "entry 'wenger2011': title ends with ':': the title looks cut",
        ),
        (
            104,
            "title",
            "A title that runs on. Systems Research and Behavioral Science",
            "entry 'glued2020': title goes on into the venue 'Systems Research and Behavioral "
            "Science': the venue is glued to the title",
        ),
    ]
    assert kb.errors == []  # warnings only: the knowledge base still loads


def test_plausibility_compares_entries_with_their_printed_references():
    path = QUALITY / "stale" / "references.bib"
    refs, _ = read_bibtex(path)
    got = [(p.line, p.column, p.message) for p in check_references(refs, path)]
    at_188 = "(000 LO vs LNW 2026 Referenties, line 188)"
    at_189 = "(000 LO vs LNW 2026 Referenties, line 189)"
    at_186 = "(000 LO vs LNW 2026 Referenties, line 186)"
    rebuild = "rebuild the bibliography from its sources"
    assert got == [
        (
            5,
            "doi",
            "entry 'kearney2012': doi is empty, but the printed reference has "
            f"'10.1108/09696471211239703': a merge dropped it {at_188}",
        ),
        (
            8,
            "title",
            "entry 'kearney2012': title is cut: the printed reference has 'From learning "
            f"organization to learning community: Sustainability through lifelong learning' {at_188}",
        ),
        (  # value by value, from the printed line itself (not the parser's fields)
            14,
            "source",
            "entry 'kearney2012': source lacks printed words: 'sustainability through lifelong "
            f"10 1108 09696471211239703' are in no field {at_188}",
        ),
        (
            17,
            "journal",
            "entry 'klein2021': journal is empty, but the printed reference has 'Journal of "
            f"Business and Industrial Marketing': {rebuild} {at_189}",
        ),
        (
            17,
            "volume",
            f"entry 'klein2021': volume is empty, but the printed reference has '36': {rebuild} {at_189}",
        ),
        (
            17,
            "number",
            f"entry 'klein2021': number is empty, but the printed reference has '9': {rebuild} {at_189}",
        ),
        (
            17,
            "pages",
            "entry 'klein2021': pages is empty, but the printed reference has '1556-1569': "
            f"{rebuild} {at_189}",
        ),
        (18, "author", f"entry 'klein2021': author lacks printed author words: 'mina' {at_189}"),
        (
            18,
            "author",
            "entry 'klein2021': author lists fewer authors than the printed reference (3): "
            f"{rebuild} {at_189}",
        ),
        (
            21,
            "source",
            "entry 'klein2021': source lacks printed words: 'journal business industrial "
            f"marketing 36 9 1556 1569' are in no field {at_189}",
        ),
        (
            24,
            "publisher",
            "entry 'habermehl2017': publisher is empty, but the printed reference has 'Den Haag: "
            f"A+O fonds Rijk': {rebuild} {at_186}",
        ),
        (  # the value is there, in the wrong field
            28,
            "howpublished",
            "entry 'habermehl2017': howpublished is a place and publisher: expected it in "
            f"publisher {at_186}",
        ),
    ]


def test_an_unreadable_manifest_is_one_warning_not_a_crash(tmp_path):
    shutil.copytree(QUALITY / "stale", tmp_path / "kb")
    (tmp_path / "kb" / "sources" / "manifest.csv").write_text("file,label\nx.txt,X\n")
    refs, _ = read_bibtex(tmp_path / "kb" / "references.bib")
    problems = check_references(refs, tmp_path / "kb" / "references.bib")
    assert len(problems) == 1
    assert problems[0].message.startswith(
        "entries not compared with the printed lists: sources/manifest.csv has problems, the first:"
    )
    assert "first_line" in problems[0].message


def test_bundled_bibliography_has_no_plausibility_warnings(bundled_kb):
    path = REPO_DATA / "references.bib"
    assert check_references(read_bibtex(path)[0], path) == []
    # validate: only the two web pages printed without a year (data/README.md), and the five
    # findings (one sentence of 004, line 1736) that cite Vansina & Vansina-Cobbaert without a year
    assert [p.message for p in bundled_kb.problem_list[:2]] == [
        "entry 'een-leven-lang' has no year; it is cited as 'z.d.' (n.d.)",
        "entry 'waardigheid-en-trots' has no year; it is cited as 'z.d.' (n.d.)",
    ]
    vansina = [(p.file, p.line, p.message) for p in bundled_kb.problem_list[2:]]
    message = (
        "citation 'Vansina & Vansina-Cobbaert' has no year; expected e.g. 'Vansina, 2021', or "
        "'Vansina, n.d.' for an undated work: it is left unresolved"
    )
    assert vansina == [("findings.csv", line, message) for line in range(283, 288)]


@pytest.mark.parametrize(
    "name",
    [
        "Strijbos, J.-P.",
        "Xu, G. L.",
        "Li, Wei",
        "De, S.",
        "Du, N.",
        "Dorp, M. van",
        "others",
        "Ziauberyte-Jakstiene",
        "Kerngroep Onderzoeksprogramma en Netwerk",
        "O'Brien, K.",
    ],
)
def test_real_names_are_not_fragments(name):
    assert author_problem(name) is None


@pytest.mark.parametrize(
    "title",
    [
        "Group processes: A developmental perspective (2nd ed.)",
        "Do communities of practice enhance faculty development?",
        "Friends of friends. networks, manipulators and coalitions",
        "Stroke in 2019 (GBD): a systematic analysis",
        "Organization",
    ],
)
def test_real_titles_are_not_flagged(title):
    assert title_problem(title, venues=["Organization", "Health Education Research"]) is None
