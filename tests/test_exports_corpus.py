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
    # --- added for issue #21: one file per pattern that read wrong before ---
    "asreview_ovid_psycinfo_trimmed.ris": (
        "ris",
        2,
        {
            0: (
                "The influence of self-criticism on depression symptoms among ambulatory patients with inflammatory bowel disease.",
                "Trindade, Ines A and Irons, Chris and Ferreira, Claudia and Portela, Francisco and Pinto-Gouveia, Jose",
                "2019",
                "Clinical Psychology & Psychotherapy",
                "10.1002/cpp.2398",
            ),
            1: (
                "Gender differences in inflammatory bowel disease: Explaining body image dissatisfaction.",
                "Trindade, Ines A and Ferreira, Claudia and Duarte, Cristiana and Pinto-Gouveia, Jose",
                "2019",
                "Journal of Health Psychology",
                "10.1177/1359105317742958",
            ),
        },
    ),
    "colrev_ais_enl.txt": (
        "endnote",
        6,
        {
            0: (
                "How Trust Leads to Commitment on Microsourcing Platforms: Unraveling the Effects of Governance and Third-Party Mechanisms on Triadic Microsourcing Relationships",
                "Guo, Wenbo and Straub, Detmar W. and Zhang, Pengzhu and Cai, Zhao",
                "2021",
                "Management Information Systems Quarterly",
                "",
            ),
            5: (
                "IT INNOVATIONS AND ENTREPRENEURSHIP IN EMERGING ECONOMIES - IS CLOUD COMPUTING A MAGIC INGREDIENT FOR EGYPTIAN ENTREPRENEURS?",
                "El-Gazzar, Rania and Henriksen, Helle and Wahid, Fathul",
                "2017",
                "Research Papers",
                "",
            ),
        },
    ),
    "colrev_google_scholar.json": (
        "json",
        7,
        {
            0: (
                "How Trust Leads to Commitment on Microsourcing Platforms: Unraveling the Effects of Governance and Third-Party Mechanisms on Triadic Microsourcing …",
                "W Guo and D Straub and P Zhang and Z Cai",
                "2021",
                "MIS Quarterly",
                "",
            ),
            6: (
                "Microsourcing--using information technology to create unexpected work relationships and entrepreneurial opportunities: work in progress",
                "L Obal",
                "2006",
                "Proceedings of the 2006 ACM SIGMIS CPR conference …",
                "10.1145/1125170.1125191",
            ),
        },
    ),
    "colrev_ieee_csv.csv": (
        "csv",
        2,
        {
            0: (
                "Rural Outsourcing: Delivering ITO and BPO Services from Remote Domestic Locations",
                "Joseph Rottman and Erran Carmel and Mary Lacity",
                "",
                "Computer",
                "10.1109/mc.2011.377",
            ),
            1: (
                "Within-individual Increases in Solver Participation Level on Crowdsourcing Contests Platform: A Social Cognitive Perspective",
                "Wei Wu and Qiao Qiao and Guodong Li",
                "",
                "2022 8th International Conference on Information Management (ICIM)",
                "10.1109/icim56520.2022.00024",
            ),
        },
    ),
    "colrev_ieee_ris.ris": (
        "ris",
        2,
        {
            0: (
                "Title of a conference paper",
                "A. Author-One and B. Author-Two and C. Author-Three and D. Author-Four and E. Author-Five",
                "2020",
                "Secondary Title (booktitle title, if applicable)",
                "10.1234/random-name55555.2020.00050",
            ),
            1: (
                "Title of a journal paper",
                "A. Author-One and B. Author-Two and C. Author-Three",
                "2017",
                "Secondary Title (journal title, if applicable)",
                "10.1111/mc.2017.66",
            ),
        },
    ),
    "colrev_plos_journal.pone.0022081.json": (
        "json",
        1,
        {
            0: (
                "Broad-Spectrum Inhibition of HIV-1 by a Monoclonal Antibody Directed against a gp120-Induced Epitope of CD4",
                "Samuele E. Burastero and Barbara Frigerio and Lucia Lopalco and Francesca Sironi and Daniela Breda and Renato Longhi and Gabriella Scarlatti and Silvana Canevari and Mariangela Figini and Paolo Lusso",
                "2011",
                "PLoS ONE",
                "10.1371/journal.pone.0022081",
            ),
        },
    ),
    "colrev_psycinfo_ris.ris": (
        "ris",
        1,
        {
            0: (
                "Primary Title",
                "Author-One, Matthias and Author-Two, Martin and Author-Three, Hans E. and Author-Four, Bob and Author-Five, David B.",
                "2020",
                "Journal/Periodical name: full format",
                "10.1011/hea0004444",
            ),
        },
    ),
    "colrev_springer_csv.csv": (
        "csv",
        1,
        {
            0: ("Publication tilte", "Andy Smith and Tom Weber", "2000", "Nature", "10.1007/11111"),
        },
    ),
    "colrev_web_of_science_bib.bib": (
        "bibtex",
        2,
        {
            0: (
                "Inproceedings Title",
                "Writerone, Julia and Writertwo, Paul",
                "2017",
                "A BOOKTITLE",
                "10.1007/999-9-999-99999-9_3",
            ),
            1: (
                "A dummy title apos;s",
                "Articlewriter, Julian and Guestwriter, Paul",
                "2022",
                "Dummy Journal for nice writing",
                "10.1111/artjul.2021.0011",
            ),
        },
    ),
    "handmade/cinahl.csv": (
        "csv",
        2,
        {
            0: (
                "Interprofessional learning networks in home care",
                "Visser, M. and Smit, L.",
                "2020",
                "Journal of Interprofessional Care",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder, E.",
                "2017",
                "Home Healthcare Now",
                "10.1097/nhh.0000000000000333",
            ),
        },
    ),
    "handmade/cochrane_central.csv": (
        "csv",
        2,
        {
            0: (
                "Peer learning for social workers: a randomised trial",
                "Smith J and Doe A and van Dijk K",
                "2018",
                "Journal of Social Service Research",
                "10.1080/01488376.2018.1111111",
            ),
            1: (
                "Effect of team reflection on client outcomes",
                "Jansen P",
                "2020",
                "Clinical Rehabilitation",
                "10.1177/0269215519876543",
            ),
        },
    ),
    "handmade/covidence.csv": (
        "csv",
        2,
        {
            0: (
                "Learning together: regional networks in social care",
                "Bos, K. and Meijer, T.",
                "2022",
                "European Journal of Social Work",
                "10.1080/13691457.2021.3333333",
            ),
            1: (
                "Municipal learning communities",
                "de Groot, H.",
                "2016",
                "Local Government Studies",
                "10.1080/03003930.2016.4444444",
            ),
        },
    ),
    "handmade/ebsco_cinahl_l3_doi.ris": (
        "ris",
        2,
        {
            0: (
                "Interprofessional learning networks in home care",
                "Visser, Marieke and Smit, Lotte",
                "2020",
                "Journal of Interprofessional Care",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder, Eva",
                "2017",
                "Home Healthcare Now",
                "10.1097/nhh.0000000000000333",
            ),
        },
    ),
    "handmade/embase_search_preamble.csv": (
        "csv",
        2,
        {
            0: (
                "Learning networks in community care",
                "Visser M. and Smit L.",
                "2020",
                "Journal of Interprofessional Care",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder E.",
                "2017",
                "Home Healthcare Now",
                "10.1097/nhh.0000000000000333",
            ),
        },
    ),
    "handmade/embase_search_preamble_excel_semicolon.csv": (
        "csv",
        2,
        {
            0: (
                "Learning networks in community care",
                "Visser M. and Smit L.",
                "2020",
                "Journal of Interprofessional Care",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder E.",
                "2017",
                "Home Healthcare Now",
                "10.1097/nhh.0000000000000333",
            ),
        },
    ),
    "handmade/eric_api.json": (
        "json",
        2,
        {
            0: (
                "Professional Learning Networks for Social Workers",
                "Visser, Marieke and Smit, Lotte",
                "2020",
                "Journal of Social Work Education",
                "10.1080/10437797.2020.1234567",
            ),
            1: (
                "Learning Communities in Municipal Youth Care",
                "Mulder, Eva",
                "2017",
                "Netherlands Youth Institute",
                "",
            ),
        },
    ),
    "handmade/lens_scholarly.csv": (
        "csv",
        2,
        {
            0: (
                "Learning networks in the social domain: a scoping review",
                "Anna de Vries and Pieter Jansen",
                "2021",
                "Journal of Social Work Practice",
                "10.1080/02650533.2021.1234567",
            ),
            1: (
                "Communities of practice in youth care",
                "Sara Bakker",
                "2019",
                "Child & Youth Services",
                "10.1080/0145935x.2019.7654321",
            ),
        },
    ),
    "handmade/openalex_api.json": (
        "json",
        1,
        {
            0: (
                "Learning networks in youth care",
                "Anna de Vries and Pieter Jansen",
                "2020",
                "Children and Youth Services Review",
                "10.1016/j.childyouth.2020.105555",
            ),
        },
    ),
    "handmade/openalex_works.csv": (
        "csv",
        2,
        {
            0: (
                "Learning networks in youth care",
                "Anna de Vries and Pieter Jansen and Sara Bakker",
                "2020",
                "Children and Youth Services Review",
                "10.1016/j.childyouth.2020.105555",
            ),
            1: (
                "Knowledge exchange between municipalities",
                "Tom Meijer",
                "2018",
                "Evidence & Policy",
                "10.1332/204080518x15428930047072",
            ),
        },
    ),
    "handmade/ovid_tagged.ovd": (
        "ovid",
        2,
        {
            0: (
                "Learning networks in community care",
                "Visser M. and Smit L.",
                "2020",
                "Journal of Interprofessional Care",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder E.",
                "2017",
                "Home Healthcare Now",
                "10.1097/nhh.0000000000000333",
            ),
        },
    ),
    "handmade/publish_or_perish_google_scholar.csv": (
        "csv",
        2,
        {
            0: (
                "Learning networks and professional development",
                "J Smith and A Doe",
                "2019",
                "Journal of Workplace Learning",
                "",
            ),
            1: (
                "Regional learning in social work",
                "K Visser",
                "2021",
                "Social Work Education",
                "",
            ),
        },
    ),
    "handmade/refworks.tsv": (
        "csv",
        2,
        {
            0: (
                "Learning networks in local government",
                "Smith, John and Doe, Anna",
                "2015",
                "Public Administration Review",
                "10.1111/puar.12345",
            ),
            1: ("Organisational learning in the social domain", "Jansen, Pieter", "2012", "", ""),
        },
    ),
    "handmade/refworks_tagged.txt": (
        "refworks",
        2,
        {
            0: (
                "Learning networks in local government",
                "Smith, John and Doe, Anna",
                "2015",
                "Public Administration Review",
                "10.1111/puar.12345",
            ),
            1: ("Organisational learning in the social domain", "Jansen, Pieter", "2012", "", ""),
        },
    ),
    "handmade/scopus_repeated_funding_details.bib": (
        "bibtex",
        2,
        {
            0: (
                "Learning networks in community care",
                "Visser, M. and Smit, L.",
                "2020",
                "Journal of Interprofessional Care",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder, E.",
                "2017",
                "Home Healthcare Now",
                "10.1097/nhh.0000000000000333",
            ),
        },
    ),
    "handmade/scopus_second_funding_text.csv": (
        "csv",
        2,
        {
            0: (
                "Learning networks in community care",
                "Visser M. and Smit L.",
                "2020",
                "Journal of Interprofessional Care",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder E.",
                "2017",
                "Home Healthcare Now",
                "10.1097/nhh.0000000000000333",
            ),
        },
    ),
    "handmade/wos_au_semicolons.txt": (
        "wos",
        2,
        {
            0: (
                "Learning networks in community care",
                "Visser, Marieke and Smit, Lotte",
                "2020",
                "JOURNAL OF INTERPROFESSIONAL CARE",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder, E",
                "2017",
                "HOME HEALTHCARE NOW",
                "10.1097/nhh.0000000000000333",
            ),
        },
    ),
    "handmade/zoological_record_ps.ris": (
        "ris",
        1,
        {
            0: (
                "Collective learning in herds of red deer",
                "Bakker, S.",
                "2014",
                "Animal Behaviour",
                "10.1016/j.anbehav.2014.03.001",
            ),
        },
    ),
    "litstudy_scopus_trimmed.csv": (
        "csv",
        3,
        {
            0: (
                "Scalable molecular dynamics with NAMD",
                "Phillips J.C. and Braun R. and Wang W. and Gumbart J. and Tajkhorshid E. and Villa E. and Chipot C. and Skeel R.D. and Kalé L. and Schulten K.",
                "2005",
                "Journal of Computational Chemistry",
                "10.1002/jcc.20289",
            ),
            2: (
                "Petri nets and ODEs as complementary methods for comprehensive analysis on an example of the ATM–p53–NF- κ B signaling pathways",
                "Gutowska K. and Kogut D. and Kardynska M. and Formanowicz P. and Smieja J. and Puszynski K.",
                "2022",
                "Scientific Reports",
                "10.1038/s41598-022-04849-0",
            ),
        },
    ),
    "litstudy_springer_trimmed.csv": (
        "csv",
        3,
        {
            0: (
                "Graph-Based Load Balancing Model for Exascale Computing Systems",
                "Araz R. Aliev and Nigar T. Ismayilova",
                "2022",
                "11th International Conference on Theory and Application of Soft Computing, Computing with Words and Perceptions and Artificial Intelligence - ICSCCW-2021",
                "10.1007/978-3-030-92127-9_33",
            ),
            2: (
                "Fuzzy Information Processing 2020",
                "Barnabás Bede and Prof. Martine Ceberio and Dr. Martine De Cock and Prof. Vladik Kreinovich",
                "2022",
                "Advances in Intelligent Systems and Computing",
                "10.1007/978-3-030-81561-5",
            ),
        },
    ),
}
CORPUS["handmade/cochrane_library.bib"] = (
    "bibtex",
    2,
    {
        0: (
            "Precision nutrition",
            "Huey, SL and Mehta, NH and Mehta, S",
            "2025",
            "Cochrane Database of Systematic Reviews",
            "",
        ),
        1: ("T2", "Smith, J and Doe, A", "2020", "", ""),
    },
)
for _name in ("handmade/dimensions.csv", "handmade/zotero.csv"):
    CORPUS[_name] = (
        "csv",
        2,
        {
            0: (
                "Learning networks in community care",
                "Visser, Marieke and Smit, Lotte",
                "2020",
                "Journal of Interprofessional Care",
                "10.1080/13561820.2019.2222222",
            ),
            1: (
                "Knowledge brokers in community nursing",
                "Mulder, Eva",
                "2017",
                "Home Healthcare Now" if "dimensions" in _name else "Community nursing today",
                "10.1097/nhh.0000000000000333" if "dimensions" in _name else "",
            ),
        },
    )
CORPUS["jabref_OvidImporterTest6.txt"] = (
    "ovid",
    1,
    {
        0: (
            "Correct positioning of percutaneous iliosacral screws with computer-navigated versus"
            " fluoroscopically guided surgery in traumatic pelvic ring fractures",
            "Verbeek, Jan and Hermans, Erik and van Vugt, Arie and Frolke, Jan Paul",
            "2015",
            "Journal of Orthopaedic Trauma",
            "10.1097/bot.0000000000000502",
        ),
    },
)
# files refused in strict mode, with the cause the message must name
REFUSED = {
    "colrev_ebsco_bib.bib": "line 15: broken BibTeX entry '@article{13362467620181001,': "
    "'@type:Person' stands where a field name and '=' are expected",
    "handmade/unknown_shape.json": "not a known JSON export",
}
DATABASES = {
    "jabref_IsiImporterTestWOS.isi": "Web of Science",
    "asreview_web_of_science_trimmed.txt": "Web of Science",
    "rispy_example_pubmed_trimmed.txt": "PubMed",
    "colrev_pubmed.csv": "PubMed",
    "asreview_embase_trimmed.csv": "Embase",
    "litstudy_ieee_trimmed.csv": "IEEE Xplore",
    "jabref_OvidImporterTest3.txt": "Ovid",
    "colrev_plos_journal.pone.0022081.json": "PLOS",
    "colrev_springer_csv.csv": "SpringerLink",
    "litstudy_scopus_trimmed.csv": "Scopus",
    "litstudy_springer_trimmed.csv": "SpringerLink",
    "handmade/lens_scholarly.csv": "Lens.org",
    "handmade/covidence.csv": "Covidence",
    "handmade/ebsco_cinahl_l3_doi.ris": "CINAHL Complete",
    "handmade/embase_search_preamble.csv": "Embase",
    "handmade/embase_search_preamble_excel_semicolon.csv": "Embase",
    "handmade/eric_api.json": "ERIC",
    "handmade/openalex_api.json": "OpenAlex",
    "handmade/openalex_works.csv": "OpenAlex",
    "handmade/ovid_tagged.ovd": "Embase",
    "handmade/scopus_second_funding_text.csv": "Scopus",
    "handmade/wos_au_semicolons.txt": "Web of Science",
    "handmade/dimensions.csv": "Dimensions",
}


def test_every_corpus_file_is_listed():
    files = {
        p.relative_to(EXPORTS).as_posix()
        for p in EXPORTS.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert files == set(CORPUS) | set(REFUSED)
    readme = (EXPORTS / "README.md").read_text(encoding="utf-8")
    assert all(Path(name).name in readme for name in files)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_corpus_file_refused_naming_the_cause(name):
    with pytest.raises(ekb.InputError) as err:
        ekb.read_references(EXPORTS / name)
    assert REFUSED[name] in str(err.value)
    refs = ekb.read_references(EXPORTS / name, strict=False)  # the readable records stay
    assert any(p.severity == "error" for p in refs.problems)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file(name):
    kind, count, records = CORPUS[name]
    refs = ekb.read_references(EXPORTS / name)  # strict: no errors
    assert refs.formats == {Path(name).name: kind}
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
    assert list(dict.fromkeys(refs["file"])) == [Path(n).name for n in names]


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
