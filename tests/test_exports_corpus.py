"""Every real export in tests/data/exports: record count and key fields, as a person reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evidence_kb as ekb

EXPORTS = Path(__file__).parent / "data" / "exports"

# file -> (format, count, {record index: (title, authors, year, container, doi)})
CORPUS = {
    "jabref_IsiImporterTestWOS.isi": (
        "wos",
        2,
        {
            0: (
                "Optical and photoelectric spectroscopy of photorefractive Sn2P2S6 crystals",
                "Gamernyk, RV and Gnatenko, YP and Bukivskij, PM and Skubenko, PA and Slivka, VY",
                "2006",
                "JOURNAL OF PHYSICS-CONDENSED MATTER",
                "",
            ),
            1: (
                "Optical waveguides in Sn2P2S6 by low fluence MeV He+ ion implantation",
                "Guarino, A and Jazbinsek, M and Herzog, C and Degl'Innocenti, R and Poberaj, G"
                " and Gunter, P",
                "2006",
                "OPTICS EXPRESS",
                "",
            ),
        },
    ),
    "jabref_MedlinePlainImporterTestCompleteEntry.txt": (
        "medline",
        1,
        {
            0: (
                "From danger and motherhood to health and beauty: health advice for the factory"
                " girl in early twentieth-century Britain",
                "Long, Vicky and Marland, Hilary",
                "2009",
                "20 century British history",
                "",
            ),
        },
    ),
    "jabref_OvidImporterTest3.txt": (
        "ovid",
        1,
        {
            0: (
                "Effects of computer-aided clinical decision support systems in improving"
                " antibiotic prescribing by primary care providers: a systematic review",
                "Holstiege, Jakob and Mathes, Tim and Pieper, Dawid",
                "2014",
                "Journal of the American Medical Informatics Association",
                "10.1136/amiajnl-2014-002886",
            ),
        },
    ),
    "rispy_example_pubmed_trimmed.txt": (
        "medline",
        2,
        {
            0: (
                "Time lapse: A glimpse into prehistoric genomics",
                "Griffin, Darren K and Larkin, Denis M and O'Connor, Rebecca E",
                "2020",
                "European journal of medical genetics",
                "10.1016/j.ejmg.2019.03.004",
            ),
            1: (
                "Spinosaurus is not an aquatic dinosaur",
                "Sereno, Paul C and Myhrvold, Nathan and Henderson, Donald M and Fish, Frank E"
                " and Vidal, Daniel and Baumgart, Stephanie L and Keillor, Tyler M"
                " and Formoso, Kiersten K and Conroy, Lauren L",
                "2022",
                "eLife",
                "10.7554/elife.80092",
            ),
        },
    ),
    "asreview_web_of_science_trimmed.txt": (
        "ris",
        2,
        {
            0: (
                "Holding Yourself Captive: Perceptions of Custody During Interviews and"
                " Interrogations",
                "Alceste, F and Luke, TJ and Kassin, SM",
                "2018",
                "JOURNAL OF APPLIED RESEARCH IN MEMORY AND COGNITION",
                "10.1016/j.jarmac.2018.03.001",
            ),
            1: (
                "When Self-Report Trumps Science: Effects of Confessions, DNA, and Prosecutorial"
                " Theories on Perceptions of Guilt",
                "Appleby, SC and Kassin, SM",
                "2016",
                "PSYCHOLOGY PUBLIC POLICY AND LAW",
                "10.1037/law0000080",
            ),
        },
    ),
    "asreview_ris_issue_992_trimmed.txt": (
        "ris",
        4,
        {
            0: (
                "Overcoming Medication Reconciliation Challenges",
                "",
                "2011",
                "Joint Commission Perspectives on Patient Safety",
                "",
            ),
            2: (
                "Quarterly change",
                "Park, C. S.",
                "2012",
                "Healthcare Quarterly",
                "10.4168/aair.2012.4.1.1",
            ),
            3: ("Clinical Integration", "", "2016", "H&HN: Hospitals & Health Networks", ""),
        },
    ),
    "asreview_pubmed_endnote_trimmed.txt": (
        "ris",
        1,
        {
            0: (
                "Carpolobia lutea G. Don (Polygalaceae) Inhibits Inflammation and Oxidative Stress"
                " in an Acetic Acid Induced Model of Rat Colitis",
                "Abiodun, O. O. and Oshinloye, A. O.",
                "2017",
                "Drug Res (Stuttg)",
                "10.1055/s-0042-114572",
            ),
        },
    ),
    "asreview_generic_semicolon.csv": (
        "csv",
        2,
        {
            0: ("Title of reference", "Marx, Karl and Lindgren, Astrid", "2014", "", ""),
            1: (
                "The title of the reference",
                "Marxus, Karlus and Lindgren, Astrid",
                "2006",
                "",
                "",
            ),
        },
    ),
    "asreview_generic_tab.tsv": (
        "csv",
        2,
        {
            0: ("Title of reference", "Marx, Karl and Lindgren, Astrid", "2014", "", ""),
            1: (
                "The title of the reference",
                "Marxus, Karlus and Lindgren, Astrid",
                "2006",
                "",
                "",
            ),
        },
    ),
    "asreview_embase_trimmed.csv": (
        "csv",
        2,
        {
            0: (
                "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound",
                "Liu R. and Adler D.G.",
                "2014",
                "Endoscopic Ultrasound",
                "10.4103/2303-9027.138783",
            ),
            1: (
                "Congenital Neck Masses",
                "Quintanilla-Dieck L. and Penn E.B.",
                "2018",
                "Clinics in Perinatology",
                "10.1016/j.clp.2018.07.012",
            ),
        },
    ),
    "colrev_pubmed.csv": (
        "csv",
        10,
        {
            0: (
                "Wrist-worn devices for the measurement of heart rate and energy expenditure:"
                " A validation study for the Apple Watch 6, Polar Vantage V and Fitbit Sense",
                "Hajj-Boutros G and Landry-Duval MA and Comtois AS and Gouspillou G and Karelis AD",
                "2022",
                "Eur J Sport Sci",
                "10.1080/17461391.2021.2023656",
            ),
            9: (
                "Responding to the opioid crisis in North America and beyond: recommendations of"
                " the Stanford-Lancet Commission",
                "Humphreys K and Shover CL and Andrews CM and Bohnert ASB and Brandeau ML and"
                " Caulkins JP and Chen JH and Cuéllar MF and Hurd YL and Juurlink DN and Koh HK"
                " and Krebs EE and Lembke A and Mackey SC and Larrimore Ouellette L and"
                " Suffoletto B and Timko C",
                "2022",
                "Lancet",
                "10.1016/s0140-6736(21)02252-2",
            ),
        },
    ),
    "litstudy_ieee_trimmed.csv": (
        "csv",
        3,
        {
            0: (
                'Exascale Computing Trends: Adjusting to the "New Normal"\' for Computer'
                " Architecture",
                "P. Kogge and J. Shalf",
                "2013",
                "Computing in Science & Engineering",
                "10.1109/mcse.2013.95",
            ),
            2: (
                "Tracking Performance Portability on the Yellow Brick Road to Exascale",
                "T. Deakin and A. Poenaru and T. Lin and S. McIntosh-Smith",
                "2020",
                "2020 IEEE/ACM International Workshop on Performance, Portability and Productivity"
                " in HPC (P3HPC)",
                "10.1109/p3hpc51967.2020.00006",
            ),
        },
    ),
}
DATABASES = {
    "jabref_IsiImporterTestWOS.isi": "Web of Science",
    "asreview_web_of_science_trimmed.txt": "Web of Science",
    "rispy_example_pubmed_trimmed.txt": "PubMed",
    "colrev_pubmed.csv": "PubMed",
    "asreview_embase_trimmed.csv": "Embase",
    "litstudy_ieee_trimmed.csv": "IEEE Xplore",
    "jabref_OvidImporterTest3.txt": "Ovid",
}


def test_every_corpus_file_is_listed():
    files = {p.name for p in EXPORTS.iterdir() if p.name != "README.md"}
    assert files == set(CORPUS)
    readme = (EXPORTS / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in files)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file(name):
    kind, count, records = CORPUS[name]
    refs = ekb.read_references(EXPORTS / name)  # strict: no errors
    assert refs.formats == {name: kind}
    assert len(refs) == count
    for index, expected in records.items():
        row = refs.iloc[index]
        got = (row["title"], row["authors"], row["year"], row["container"], row["doi"])
        assert got == expected
    assert (refs["source_file"] == str(EXPORTS / name)).all()
    if name in DATABASES:
        assert set(refs["database"]) == {DATABASES[name]}


def test_corpus_read_together_keeps_every_file():
    names = sorted(CORPUS)
    refs = ekb.read_references([EXPORTS / n for n in names])
    assert len(refs) == sum(CORPUS[n][1] for n in names)
    assert list(dict.fromkeys(refs["file"])) == names


@settings(max_examples=150, deadline=None)
@given(
    st.text(min_size=1),
    st.sampled_from([".txt", ".ris", ".bib", ".csv", ".json", ".nbib", ".enw", ".tsv"]),
)
def test_strict_mode_never_returns_nothing_from_a_non_empty_file(tmp_path_factory, text, suffix):
    path = tmp_path_factory.mktemp("x") / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        refs = ekb.read_references(path)
    except ekb.InputError:
        return
    if text.strip():
        assert len(refs) > 0
