"""Notices (errata, retractions, concerns, replies, comments) linked to the work they concern."""

from __future__ import annotations

import pandas as pd
import pytest

from evidence_kb.citations.dedupe import find_duplicates
from evidence_kb.citations.dedupe.notices import notice_kind

TITLE = "Social capital and the diffusion of telehealth in rural clinics"
TITEL = "Sociaal kapitaal en de verspreiding van telezorg in plattelandspraktijken"


def _record(rid: str, **fields: str) -> dict[str, str]:
    base = {
        "ID": rid,
        "title": TITLE,
        "author": "Bilbil, Ebru Tekin and Dillon, Sarah",
        "year": "2019",
        "journal": "Journal of Rural Health",
        "volume": "35",
        "number": "2",
        "pages": "201-214",
        "doi": "10.1111/jrh.12345",
    }
    base.update(fields)
    return base


def _notice(rid: str, title: str, **fields: str) -> dict[str, str]:
    """A one-page notice in a later issue, with a DOI of its own."""
    base = {"title": title, "year": "2020", "volume": "36", "number": "1", "pages": "99"}
    base["doi"] = "10.1111/jrh.99999"
    base.update(fields)
    return _record(rid, **base)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        pytest.param(f"Erratum: {TITLE}", "erratum", id="erratum"),
        pytest.param(f"Correction to: {TITLE}", "erratum", id="correction-to"),
        pytest.param(f"Corrigendum to '{TITLE}'", "erratum", id="corrigendum"),
        pytest.param(f"Author Correction: {TITLE}", "erratum", id="author-correction"),
        pytest.param(f'"{TITLE}": Correction', "erratum", id="apa-psycinfo-correction"),
        pytest.param(f"{TITLE} (vol 35, pg 201, 2019)", "erratum", id="wos-cited-locator"),
        pytest.param(f"Retracted: {TITLE}", "retraction", id="retracted"),
        pytest.param(f"Retraction notice to '{TITLE}'", "retraction", id="retraction-notice"),
        pytest.param(f"Notice of retraction: {TITLE}", "retraction", id="notice-of-retraction"),
        pytest.param(f"Expression of concern: {TITLE}", "concern", id="expression-of-concern"),
        pytest.param(f"Authors' reply to comment on '{TITLE}'", "reply", id="authors-reply"),
        pytest.param(f"Reply to: {TITLE}", "reply", id="reply-to"),
        pytest.param(f"Comment on: {TITLE}", "comment", id="comment-on"),
        pytest.param(f"Re: {TITLE}", "comment", id="re"),
        pytest.param(f"Response to commentaries on: {TITLE}", "reply", id="response-to-comments"),
        pytest.param(f"A reply to '{TITLE}'", "reply", id="a-reply-to"),
    ],
)
def test_english_notices_are_recognised_and_linked_not_merged(title, kind):
    records = [_record("paper"), _notice("notice", title)]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.n_duplicate_groups == 0  # a notice is not another copy of the paper
    row = dupes.related.iloc[0]
    assert (row["id"], row["work_id"], row["relation"]) == ("notice", "paper", kind)
    assert row["score"] >= 9.0
    assert "title" in row["evidence"] or "cites vol 35 p 201" in row["evidence"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        pytest.param(f"Rectificatie: {TITEL}", "erratum", id="rectificatie"),
        pytest.param(f"Correctie op '{TITEL}'", "erratum", id="correctie"),
        pytest.param(f"Erratum bij: {TITEL}", "erratum", id="erratum-bij"),
        pytest.param(f"Intrekking van het artikel '{TITEL}'", "retraction", id="intrekking"),
        pytest.param(f"Ingetrokken: {TITEL}", "retraction", id="ingetrokken"),
        pytest.param(f"Uiting van bezorgdheid over: {TITEL}", "concern", id="bezorgdheid"),
        pytest.param(f"Naschrift bij '{TITEL}'", "reply", id="naschrift"),
        pytest.param(f"Reactie van de auteurs: {TITEL}", "reply", id="reactie-auteurs"),
        pytest.param(f"Reactie op '{TITEL}'", "comment", id="reactie-op"),
        pytest.param(f"Commentaar op: {TITEL}", "comment", id="commentaar-op"),
    ],
)
def test_dutch_notices_are_recognised_and_linked(title, kind):
    paper = _record("artikel", title=TITEL, journal="Tijdschrift voor Gezondheidswetenschappen")
    notice = _notice("notitie", title, journal="Tijdschrift voor Gezondheidswetenschappen")
    dupes = find_duplicates(pd.DataFrame([paper, notice]))
    assert dupes.n_duplicate_groups == 0
    assert dupes.related[["id", "work_id", "relation"]].values.tolist() == [
        ["notitie", "artikel", kind]
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Correction of post-stroke cognitive impairments using computer programs",
        "Response to cisplatin in advanced ovarian cancer",
        "Retraction Watch and the sociology of scientific error",
        "Correctiefactoren voor de zorgzwaarte in verpleeghuizen",
        "Antwoord op vragen over zorg in de wijk",
        "Replication of a trial of telehealth in rural clinics",
    ],
)
def test_titles_that_only_look_like_notices_are_ordinary_works(title):
    assert notice_kind(title) == ("", "")


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        pytest.param(
            {"note": "Erratum for: J Rural Health. 2019;35(2):201-14"},
            "erratum",
            id="note-erratum-for",
        ),
        pytest.param(
            {"note": "Retraction of: J Rural Health 2019"}, "retraction", id="note-retraction-of"
        ),
        pytest.param({"type": "Published Erratum"}, "erratum", id="type-erratum"),
        pytest.param({"type": "Retraction of Publication"}, "retraction", id="type-retraction"),
        pytest.param({"type": "Expression of Concern"}, "concern", id="type-concern"),
        pytest.param({"pages": "99; author reply 99-100"}, "comment", id="pages-author-reply"),
    ],
)
def test_notices_are_recognised_from_note_type_and_pages(fields, kind):
    records = [_record("paper"), _notice("notice", TITLE, **fields)]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.n_duplicate_groups == 0
    assert dupes.related[["id", "work_id", "relation"]].values.tolist() == [
        ["notice", "paper", kind]
    ]


def test_a_bare_erratum_is_linked_by_where_the_paper_says_its_erratum_is():
    paper = _record("paper", title=f"{TITLE}.[Erratum appears in J Rural Health. 2020;36(1):99]")
    notice = _notice("notice", "Erratum", doi="")
    dupes = find_duplicates(pd.DataFrame([paper, notice]))
    row = dupes.related.iloc[0]
    assert (row["work_id"], row["relation"]) == ("paper", "erratum")
    assert "work names its notice at vol 36 p 99" in row["evidence"]


def test_a_notice_whose_work_is_not_in_the_input_is_listed_with_the_reason():
    other = _record("other", title="Broadband access and hospital closures in the plains")
    dupes = find_duplicates(pd.DataFrame([other, _notice("notice", f"Erratum: {TITLE}")]))
    assert dupes.related[["id", "work_id", "relation"]].values.tolist() == [
        ["notice", "", "erratum"]
    ]
    assert "no record of the input reaches the threshold" in dupes.related.loc[0, "evidence"]


def test_an_erratum_with_other_authors_and_journal_is_not_linked():
    paper = _record("paper", author="Jansen, P. and de Vries, K.", journal="Health Policy")
    dupes = find_duplicates(pd.DataFrame([paper, _notice("notice", f"Erratum: {TITLE}")]))
    assert dupes.related.loc[0, "work_id"] == ""


def test_a_comment_by_other_authors_is_linked_by_title_and_journal():
    comment = _notice("comment", f"Comment on: {TITLE}", author="Jansen, P.")
    dupes = find_duplicates(pd.DataFrame([_record("paper"), comment]))
    assert dupes.related.loc[0, "work_id"] == "paper"


def test_the_notice_links_to_the_group_of_a_work_with_two_records():
    records = [
        _record("paper_b"),
        _record("paper_a", doi="", pages="201-14"),
        _notice("notice", f"Corrigendum: {TITLE}"),
    ]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.related.loc[0, "work_id"] == "paper_a"  # the group_id of the work's group


def test_merge_policy_puts_the_notice_in_its_works_group():
    records = [_record("paper"), _notice("notice", f"Correction to: {TITLE}")]
    linked = find_duplicates(pd.DataFrame(records))
    merged = find_duplicates(pd.DataFrame(records), related="merge")
    assert linked.n_duplicate_groups == 0
    assert merged.groups["group_id"].tolist() == ["notice", "notice"]
    assert merged.pairs[["id_a", "id_b", "rule"]].values.tolist() == [["notice", "paper", "notice"]]
    pd.testing.assert_frame_equal(linked.related, merged.related.assign(work_id="paper"))


def test_merge_policy_respects_a_persons_different_decision():
    records = [_record("paper"), _notice("notice", f"Correction to: {TITLE}")]
    decisions = pd.DataFrame({"id_a": ["notice"], "id_b": ["paper"], "verdict": ["different"]})
    dupes = find_duplicates(pd.DataFrame(records), related="merge", decisions=decisions)
    assert dupes.n_duplicate_groups == 0


def test_an_unknown_policy_is_refused_naming_both():
    with pytest.raises(ValueError, match="related must be one of 'link', 'merge' \\(got 'drop'\\)"):
        find_duplicates(pd.DataFrame([_record("paper")]), related="drop")


def test_an_erratum_and_a_retraction_of_one_paper_are_not_merged():
    records = [
        _notice("erratum", f"Erratum: {TITLE}", doi=""),
        _notice("retraction", f"Retraction: {TITLE}", doi=""),
        _record("paper"),
    ]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.n_duplicate_groups == 0
    assert dupes.related[["id", "work_id", "relation"]].values.tolist() == [
        ["erratum", "paper", "erratum"],
        ["retraction", "paper", "retraction"],
    ]


def test_two_copies_of_one_erratum_are_duplicates_and_both_linked():
    records = [
        _notice("err1", f"Erratum: {TITLE}"),
        _notice("err2", f"Erratum to: {TITLE}.", author="E. T. Bilbil; S. Dillon"),
        _record("paper"),
    ]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.groups.set_index("id").loc["err2", "group_id"] == "err1"
    assert dupes.related["work_id"].tolist() == ["paper", "paper"]


# --- near-duplicates that are not notices: one decision rule per kind ----------------------


def test_a_conference_abstract_and_the_journal_paper_are_two_works():
    abstract = _record(
        "abstract",
        journal="Proceedings of the International Conference on Rural Health",
        volume="",
        number="",
        pages="12",
        doi="",
    )
    dupes = find_duplicates(pd.DataFrame([_record("paper"), abstract]))
    assert dupes.n_duplicate_groups == 0
    assert dupes.related.empty  # not a notice either: two works, each cited on its own


def test_an_abstract_in_a_supplement_and_the_full_paper_are_two_works():
    supplement = _record(
        "abstract", volume="34", number="Suppl 1", pages="S12", doi="", year="2018"
    )
    dupes = find_duplicates(pd.DataFrame([_record("paper"), supplement]))
    assert dupes.n_duplicate_groups == 0


def test_a_preprint_is_kept_apart_from_its_publication_and_linked_to_it():
    preprint = _record(
        "preprint",
        journal="medRxiv",
        volume="",
        number="",
        pages="",
        year="2018",
        doi="10.1101/2018.05.01.18012345",
    )
    dupes = find_duplicates(pd.DataFrame([_record("paper"), preprint]))
    assert dupes.n_duplicate_groups == 0
    assert dupes.related[["id", "work_id", "relation"]].values.tolist() == [
        ["preprint", "paper", "preprint"]
    ]
    merged = find_duplicates(pd.DataFrame([_record("paper"), preprint]), related="merge")
    assert merged.n_duplicate_groups == 1


def test_a_preprint_published_years_after_the_paper_is_not_its_preprint():
    preprint = _record("preprint", journal="SSRN Electronic Journal", year="2023", doi="")
    dupes = find_duplicates(pd.DataFrame([_record("paper"), preprint]))
    assert dupes.related.loc[0, "work_id"] == ""


def test_a_trial_registry_record_is_linked_to_the_paper_that_names_its_id():
    registry = {
        "ID": "nct",
        "title": "Telehealth Consultations in Rural Primary Care: a Cluster Randomised Trial",
        "author": "Bilbil, Ebru Tekin",
        "year": "2016",
        "journal": "ClinicalTrials.gov",
        "url": "https://clinicaltrials.gov/ct2/show/NCT01234567",
    }
    paper = _record("paper", abstract="Trial registration: ClinicalTrials.gov NCT01234567.")
    dupes = find_duplicates(pd.DataFrame([paper, registry]))
    assert dupes.n_duplicate_groups == 0
    row = dupes.related.iloc[0]
    assert (row["id"], row["work_id"], row["relation"]) == ("nct", "paper", "registration")
    assert "trial id NCT01234567 in both" in row["evidence"]


def test_one_article_recorded_with_its_title_in_two_languages_is_one_work():
    dutch = _record("nl", title=TITEL, doi="")  # same authors, journal, volume, pages
    dupes = find_duplicates(pd.DataFrame([_record("en", doi=""), dutch]))
    assert dupes.n_duplicate_groups == 1


def test_one_article_published_again_in_another_language_and_journal_is_two_works():
    secondary = _record(
        "nl",
        title=TITEL,
        journal="Tijdschrift voor Gezondheidswetenschappen",
        volume="97",
        pages="45-58",
        doi="",
    )
    dupes = find_duplicates(pd.DataFrame([_record("en", doi=""), secondary]))
    assert dupes.n_duplicate_groups == 0


def test_a_real_retraction_notice_signed_by_the_editors_is_linked_to_the_article(data_dir):
    from evidence_kb import read_references

    refs = read_references(data_dir / "notices" / "lancet_retraction.nbib")
    dupes = find_duplicates(refs, id_column="id")
    assert dupes.n_duplicate_groups == 0
    assert dupes.related[["id", "work_id", "relation"]].values.tolist() == [
        ["20137807", "9500320", "retraction"]
    ]


def test_the_retracted_article_itself_is_no_notice():
    # MEDLINE's type of the article that was retracted, one word from the notice's type
    assert notice_kind(TITLE, entry_type="Journal Article; Retracted Publication") == ("", "")
    assert notice_kind(TITLE, entry_type="Retraction of Publication")[0] == "retraction"


def test_the_relation_vocabulary_of_related_csv_is_every_notice_and_version_kind():
    from evidence_kb.citations.dedupe import NOTICE_KINDS, RELATED_POLICIES, VERSION_KINDS
    from evidence_kb.model.vocab import NOTICE_RELATIONS

    assert set(NOTICE_RELATIONS) == set(NOTICE_KINDS) | set(VERSION_KINDS)
    assert set(RELATED_POLICIES) == {"link", "merge"}


def test_a_comment_that_says_where_the_original_article_appears_is_linked_by_it():
    comment = _record(
        "comment",
        title=f"Commentary on {TITLE} [original article by Bilbil E "
        "appears in J RURAL HEALTH 2019;35(2):201-14]",
        author="Smith, E. L.",
        journal="Nursing Scan in Rural Health",
        volume="4",
        pages="12",
        doi="",
        year="2020",
    )
    dupes = find_duplicates(pd.DataFrame([_record("paper"), comment]))
    row = dupes.related.iloc[0]
    assert (row["work_id"], row["relation"]) == ("paper", "comment")
    assert "cites vol 35 p 201" in row["evidence"]


def _bare_work(rid: str, **fields: str) -> dict[str, str]:
    """A work recorded with title, authors and year only, as in many bibliographies."""
    return {"ID": rid, "title": TITLE, "author": "Bilbil, Ebru Tekin", "year": "2019", **fields}


def _editors_notice(title: str) -> dict[str, str]:
    return {"ID": "notice", "title": title, "author": "The Editors", "year": "2021"}


def test_a_notice_naming_the_long_title_of_one_work_only_is_linked_to_it():
    records = [_bare_work("paper"), _editors_notice(f"Retraction notice to '{TITLE}'")]
    row = find_duplicates(pd.DataFrame(records)).related.iloc[0]
    assert row["work_id"] == "paper"
    assert "the only work with this title (6+ words)" in row["evidence"]


def test_a_long_title_shared_by_two_works_links_neither():
    records = [
        _bare_work("paper"),
        _bare_work("other", author="Jansen, Piet", year="2012"),
        _editors_notice(f"Retraction notice to '{TITLE}'"),
    ]
    dupes = find_duplicates(pd.DataFrame(records))
    assert dupes.n_duplicate_groups == 0
    assert dupes.related.loc[0, "work_id"] == ""


def test_a_short_title_alone_does_not_link_a_notice():
    records = [
        _bare_work("paper", title="Telehealth in rural clinics"),
        _editors_notice("Retraction notice to 'Telehealth in rural clinics'"),
    ]
    assert find_duplicates(pd.DataFrame(records)).related.loc[0, "work_id"] == ""


def test_a_record_marked_retracted_is_listed_for_review_unless_merged():
    records = [_record("paper"), _record("marked", title=f"RETRACTED: {TITLE}")]  # same DOI
    linked = find_duplicates(pd.DataFrame(records))
    assert linked.review[["id_a", "id_b", "rule"]].values.tolist() == [
        ["marked", "paper", "notice"]
    ]
    assert linked.related.loc[0, "evidence"].endswith("doi same")
    merged = find_duplicates(pd.DataFrame(records), related="merge")
    assert merged.n_duplicate_groups == 1
    assert merged.review.empty  # decided by the policy


@pytest.mark.parametrize("policy", ["link", "merge"])
def test_related_does_not_depend_on_the_order_of_the_records(policy):
    records = pd.DataFrame(
        [
            _record("paper_b"),
            _record("paper_a", doi="", pages="201-14"),
            _notice("erratum", f"Erratum: {TITLE}"),
            _notice("comment", f"Comment on: {TITLE}", author="Jansen, P.", doi=""),
            _notice("bare", "Erratum", doi=""),
        ]
    )
    first = find_duplicates(records, related=policy)
    again = find_duplicates(records.iloc[::-1].reset_index(drop=True), related=policy)
    pd.testing.assert_frame_equal(first.related, again.related)
    pd.testing.assert_frame_equal(first.groups, again.groups)
