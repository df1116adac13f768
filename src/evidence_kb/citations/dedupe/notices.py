"""Recognise notices: errata, retractions, expressions of concern, replies and comments.

A notice is a record of its own that concerns another work: "Erratum: <title>", "Correction
to <title>", "<title> (vol 360, pg 542, 2009)", "Retraction notice to <title>", "Authors'
reply", "Comment on <title>", and the Dutch forms ("Rectificatie", "Intrekking van",
"Reactie op", "Naschrift"). It is recognised from the record itself, in this order:

1. the title: a notice word at its start ("Corrigendum to", repeated: "Reply to comment on")
   or at its end ('"<title>": Correction', Web of Science's "(vol 360, pg 542, 2009)");
2. the note field: MEDLINE's "Erratum for:", "Retraction of:", "Comment on:";
3. a type field (``type``, ``publication_type``, ...): "Published Erratum", "Retraction of
   Publication", "Expression of Concern", "Comment";
4. the pages: MEDLINE's "author reply" in the page field marks a letter with its reply.

What is left of the title once the notice words are gone is the *subject*: the title of the
work the notice concerns, used to find that work (:mod:`.related`). A work can also say where
its notices appear ("[Erratum appears in Chest 1993;103(5):1640]", a note "Erratum in: ..."):
those locators are evidence for the link too.

Every pattern is general bibliographic practice (publishers', MEDLINE's and Web of Science's
forms), English and Dutch; none is taken from one data set.
"""

from __future__ import annotations

import re
from functools import lru_cache

from evidence_kb.citations.normalize import fold_accents, is_missing, normalize_title

__all__ = ["NOTICE_KINDS", "VERSION_KINDS", "notice_kind", "trial_ids", "version_kind"]

#: The kinds of notice, each with what it is; also the values of ``Duplicates.related["relation"]``.
NOTICE_KINDS: dict[str, str] = {
    "erratum": (
        "A correction of the work: erratum, corrigendum, correction, author or publisher "
        "correction, addendum (Dutch: correctie, rectificatie)."
    ),
    "retraction": (
        "The work is retracted: retraction notice, notice of retraction, 'Retracted:' "
        "(Dutch: intrekking, ingetrokken, teruggetrokken)."
    ),
    "concern": ("An expression of concern about the work (Dutch: uiting van bezorgdheid/zorg)."),
    "reply": (
        "The authors' reply to a comment on the work: reply, in reply, authors' response "
        "(Dutch: antwoord, naschrift, weerwoord, repliek, reactie van de auteurs)."
    ),
    "comment": (
        "A comment or letter on the work: comment on, commentary on, 'Re:', letter "
        "regarding (Dutch: commentaar op, reactie op, opmerkingen bij)."
    ),
}

# notice words at the start of a title (after lower-casing and folding accents), per kind;
# each ends where the subject (the concerned work's title) begins
_LEADING: tuple[tuple[str, str], ...] = (
    (
        "concern",
        r"(editorial )?expression of concern( (for|about|regarding|on|to))?|"
        r"uiting van (bezorgdheid|zorg)( over| bij)?",
    ),
    (
        "retraction",
        r"(notice of retraction|retraction( notice| note| statement)?|retracted( article)?)"
        r"(( (of|to|for|on))(?=\W)|(?=\s*([:\-–—\"'“‘«]|$)))|"
        r"(intrekking|terugtrekking)( van( het artikel)?)?|(ingetrokken|teruggetrokken)( artikel)?",
    ),
    (
        "erratum",
        r"(errat(um|a)|corrigend(um|a)|addendum)( (to|for|on|in|bij|op))?|"
        r"((author|publisher)s?'? )?corrections?( notice)?(?=\s*(:|\bto\b|\bfor\b|$))( (to|for))?|"
        r"(correctie|rectificatie)(?=\s*(:|\bop\b|\bbij\b|$))( (op|bij))?",
    ),
    (
        "reply",
        r"(the )?authors?'? (reply|response|antwoord)( to)?|author reply|in reply( to)?|"
        r"(a )?reply( to)?(?=\W|$)|rejoinder|(a )?response( to)?(?=\s*:|\s*[\"'“‘«]|"
        r" (the )?(comments?|commentar(y|ies)|letters?|critiques?|editorials?|discussants?)\b)|"
        r"naschrift|weerwoord|repliek|reactie van de auteurs?|"
        r"antwoord (van de auteurs?|op (het|de) (commentaar|reactie|brief|kritiek))|"
        r"antwoord(?=\s*(:|$))",
    ),
    (
        "comment",
        r"(a )?comments? (on|to|about|regarding)|commentar(y|ies) (on|to)|comment(?=\s*:)|"
        r"re(?=\s*:)|letters?( to the editor)? (re|regarding|concerning|about|on)(?=\W)|"
        r"(commentaar|reactie|opmerkingen) (op|bij|over)",
    ),
)
_LEADING_RE = tuple(
    (kind, re.compile(r"^\W*(" + pattern + r")[\s:.,;\-–—]*", re.IGNORECASE))
    for kind, pattern in _LEADING
)
# a notice word at the end: '"<title>": Correction', "<title> - Erratum"
_TRAILING = re.compile(
    r"[\s:.,;\-–—(\[]+(?P<word>errat(um|a)|corrigend(um|a)|corrections?|retraction( notice)?|"
    r"retracted|expression of concern|reply|authors?'? reply|comment|correctie|rectificatie|"
    r"naschrift)\W*$",
    re.IGNORECASE,
)
_TRAILING_KIND = {
    "errat": "erratum", "corrigend": "erratum", "correct": "erratum", "rectif": "erratum",
    "retract": "retraction", "expression": "concern", "reply": "reply", "author": "reply",
    "naschrift": "reply", "comment": "comment",
}  # fmt: skip
# Web of Science's erratum title: "<title> (vol 360, pg 542, 2009)"
_CITED = re.compile(
    r"\(\s*vol(?:ume)?\.?\s*(?P<volume>\d+)[^()]*?\b(?:pg?|pages?)\.?\s*(?P<page>[a-z]?\d+)"
    r"(?:[^()]*?(?P<year>(?:1[89]|20)\d\d))?[^()]*\)\s*\.?\s*$",
    re.IGNORECASE,
)
# MEDLINE notes on a notice: "Erratum for: ...", "Retraction of: ...", "Comment on: ..."
_NOTE_NOTICE = re.compile(
    r"\b(?P<kind>erratum for|retraction of|expression of concern for|comment on|reply to|"
    r"update of)\b\s*:?",
    re.IGNORECASE,
)
_NOTE_KIND = {
    "erratum for": "erratum",
    "retraction of": "retraction",
    "expression of concern for": "concern",
    "comment on": "comment",
    "reply to": "reply",
}
# the value of a type field that names a notice
_TYPE_KIND = (
    ("erratum", re.compile(r"\b(published )?errat(um|a)\b|\bcorrigend|\bcorrection\b", re.I)),
    ("retraction", re.compile(r"\bretraction( of publication| notice)?\b", re.I)),
    ("concern", re.compile(r"\bexpression of concern\b", re.I)),
    ("reply", re.compile(r"\breply\b", re.I)),
    ("comment", re.compile(r"^\s*comment(ary)?\s*$", re.I)),
)
# where a work says its notices are: "[Erratum appears in Chest 1993 May;103(5):1640]",
# "Erratum in: J Card Surg. 2011 Mar;26(2):244", "[Retraction in ...]"
_MARK = re.compile(
    r"(errat(um|a)|corrigend(um|a)|correction|retraction|expression of concern|comment|reply)"
    r"( appears)? in\b[\s:]*(?P<where>[^\[\]]*)",
    re.IGNORECASE,
)
# a comment's note on the work it concerns (CINAHL): "[original article ... appears in ...]"
_ORIGINAL = re.compile(
    r"\boriginal (article|paper|work)\b[^\[\]]*?\bappears in\b(?P<where>[^\[\]]*)", re.I
)
_LOCATOR = re.compile(
    r"(?P<year>(?:1[89]|20)\d\d)[^;]{0,20};\s*(?P<volume>\d+)\s*(?:\([^)]*\))?\s*:\s*(?P<page>[a-z]?\d+)",
    re.IGNORECASE,
)


# a piece of every word a notice is recognised by: a record without any is no notice (fast path)
_CLUES = (
    "errat", "corrig", "correct", "retract", "concern", "repl", "respon", "rejoinder",
    "comment", "re:", "re :", "letter", "naschrift", "weerwoord", "repliek", "reactie",
    "antwoord", "rectific", "intrek", "ingetrok", "teruggetrok", "terugtrek", "zorg",
    "opmerking", "addendum", "(vol", "( vol",
)  # fmt: skip


def _has_clue(*values: object) -> bool:
    low = " ".join(v for v in values if isinstance(v, str)).lower()
    return any(clue in low for clue in _CLUES)


def _text(value: object) -> str:
    return "" if is_missing(value) else " ".join(str(value).split())


def _strip_notes(title: str) -> str:
    """The title without database notes in square brackets ("[Erratum appears in ...]")."""
    return re.sub(r"\[[^\]]*(\]|$)", " ", title).strip()


def notice_kind(
    title: object, *, note: object = None, entry_type: object = None, pages: object = None
) -> tuple[str, str]:
    """Return ``(kind, subject)``: the kind of notice a record is and the title it concerns.

    ``kind`` is one of :data:`NOTICE_KINDS`, or ``""`` for a record that is no notice;
    ``subject`` is the normalised title of the work the notice concerns (``""`` when the
    notice does not name it, as in a bare "Erratum").

    Examples
    --------
    >>> notice_kind("Corrigendum to 'Trust in sharing platforms'")
    ('erratum', 'trust in sharing platforms')
    >>> notice_kind('"Trust in sharing platforms": Correction')
    ('erratum', 'trust in sharing platforms')
    >>> notice_kind("Trust in sharing platforms (vol 12, pg 73, 2020)")
    ('erratum', 'trust in sharing platforms')
    >>> notice_kind("Reactie op: Vertrouwen in deelplatforms")
    ('comment', 'vertrouwen in deelplatforms')
    >>> notice_kind("Correction of cognitive impairment after stroke")
    ('', '')
    """
    if not _has_clue(title, note, entry_type, pages):
        return "", ""
    raw = fold_accents(_strip_notes(_text(title)))
    kind, subject = _title_kind(raw)
    if kind:
        return kind, subject
    kind = _field_kind(note, entry_type, pages)
    return (kind, normalize_title(raw) if raw else "") if kind else ("", "")


def _field_kind(note: object, entry_type: object, pages: object) -> str:
    """The kind of notice that the note, type or pages field names, or ""."""
    note_match = _NOTE_NOTICE.search(_text(note))
    if note_match and note_match.group("kind").lower() in _NOTE_KIND:
        return _NOTE_KIND[note_match.group("kind").lower()]
    kind_text = _text(entry_type)
    for kind, pattern in _TYPE_KIND:
        if kind_text and pattern.search(kind_text):
            return kind
    if re.search(r"\bauthor reply\b", _text(pages), re.IGNORECASE):
        return "comment"
    return ""


def _title_kind(raw: str) -> tuple[str, str]:
    """The kind and subject from the title alone; notice words may repeat ("Reply to comment")."""
    kind, rest = "", raw
    while True:
        for name, pattern in _LEADING_RE:
            match = pattern.match(rest)
            if match and match.end() > 0:
                kind = kind or name
                rest = rest[match.end() :]
                break
        else:
            break
    cited = _CITED.search(rest)
    if cited:
        kind = kind or "erratum"
        rest = rest[: cited.start()]
    trailing = _TRAILING.search(rest)
    if trailing and (kind or _quoted_before(rest, trailing.start())):
        word = trailing.group("word").lower()
        kind = kind or next(v for k, v in _TRAILING_KIND.items() if word.startswith(k))
        rest = rest[: trailing.start()]
    if not kind:
        return "", ""
    return kind, normalize_title(rest.strip(" \"'“”‘’«»:.-–—"))


def _quoted_before(text: str, end: int) -> bool:
    """True if the text before ``end`` is a quoted title or ends in a colon or dash: a
    trailing notice word then names the notice ('"Title": Correction', "Title - Erratum")."""
    head = text[:end].rstrip()
    tail = text[end:]
    return head[-1:] in "\"”’'»" or bool(re.match(r"\s*[:\-–—(\[]", tail))


def cited_locator(title: object) -> tuple[str, str, int | None]:
    """``(volume, first page, year)`` of the work a notice's title cites, or empty.

    Web of Science's erratum form "(vol 360, pg 542, 2009)", and CINAHL's note on a comment
    "[original article by ... appears in <journal> <year>;<volume>(<issue>):<pages>]".

    Examples
    --------
    >>> cited_locator("Trust in sharing platforms (vol 360, pg 542, 2009)")
    ('360', '542', 2009)
    >>> cited_locator(
    ...     "Comment on X [original article by Bunn P appears in Lung Cancer 1993;9(2):S91-107]"
    ... )
    ('9', 's91', 1993)
    """
    text = _text(title)
    match = _CITED.search(text)
    if match is None:  # "[original article by Bunn P appears in Lung Cancer 1993;9(2):S91-107]"
        original = _ORIGINAL.search(text)
        match = _LOCATOR.search(original.group("where")) if original else None
    if match is None:
        return "", "", None
    year = match.group("year")
    return match.group("volume"), match.group("page").lower(), int(year) if year else None


def notice_locators(*texts: object) -> tuple[tuple[str, str], ...]:
    """``(volume, first page)`` of every place a work says its notices appear.

    Examples
    --------
    >>> notice_locators("Title.[Erratum appears in Chest 1993 May;103(5):1640]")
    (('103', '1640'),)
    """
    found = []
    for text in texts:
        if not _has_clue(text):
            continue
        for mark in _MARK.finditer(_text(text)):
            for loc in _LOCATOR.finditer(mark.group("where")):
                found.append((loc.group("volume"), loc.group("page").lower()))
    return tuple(dict.fromkeys(found))


# --- versions: a preprint, a trial registry record -------------------------------------------

#: Records that are not the publication but another version of the same study: kept apart
#: from the publication and linked to it, like notices.
VERSION_KINDS: dict[str, str] = {
    "preprint": (
        "A preprint of the work (arXiv, bioRxiv, medRxiv, SSRN, Research Square, OSF and "
        "PsyArXiv, Preprints.org, ...): results can change before publication."
    ),
    "registration": (
        "A trial registry record of the study (ClinicalTrials.gov, ISRCTN, EU CTR / EudraCT, "
        "the Dutch trial register, ANZCTR, ChiCTR, DRKS, CTRI, WHO ICTRP)."
    ),
}

# DOI prefixes of preprint servers, and their names as a venue or URL
_PREPRINT_DOI = re.compile(
    r"^10\.(1101|48550|2139|21203|20944|31234|31219|31235|22541|36227|1590/scielopreprints)/"
    r"|^10\.2196/preprints\.",
)
_PREPRINT_VENUE = re.compile(
    r"\b(arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|socarxiv|edarxiv|osf preprints|ssrn|"
    r"ssrn electronic journal|research square|preprints\.org|authorea|scielo preprints|"
    r"jmir preprints|preprint)\b",
    re.IGNORECASE,
)
# trial registry ids and registries
TRIAL_ID = re.compile(
    r"\b(NCT\d{8}|ISRCTN\d{8}|ACTRN\d{14}|ChiCTR[-\w]{6,20}|DRKS\d{8}|NTR\d{3,5}|NL\d{4,5}|"
    r"EUCTR\d{4}-\d{6}-\d{2}|\d{4}-\d{6}-\d{2}|CTRI/\d{4}/\d+/\d+|JPRN-\w+|IRCT\d+\w*|"
    r"PACTR\d{15})\b",
    re.IGNORECASE,
)
_REGISTRY = re.compile(
    r"clinicaltrials\.gov|\bisrctn\b|clinicaltrialsregister\.eu|\beudract\b|trialregister\.nl|"
    r"onderzoekmetmensen\.nl|netherlands trial regist|nederlands trial register|\banzctr\b|"
    r"\bchictr\b|\bdrks\b|ctri\.nic\.in|\bictrp\b|trial regist(er|ry)|trialsearch\.who\.int",
    re.IGNORECASE,
)


def version_kind(
    *, venue: object = None, doi: str = "", url: object = None, entry_type: object = None
) -> str:
    """Return ``"preprint"``, ``"registration"`` or ``""``: what the record's source says.

    Only where the record was published counts (venue, DOI, URL, type), never its title: a
    paper *about* preprints or trial registration is an ordinary work.

    Examples
    --------
    >>> version_kind(venue="medRxiv", doi="10.1101/2020.04.01.20050005")
    'preprint'
    >>> version_kind(
    ...     venue="ClinicalTrials.gov", url="https://clinicaltrials.gov/ct2/show/NCT01234567"
    ... )
    'registration'
    >>> version_kind(venue="The Lancet", doi="10.1016/s0140-6736(20)30183-5")
    ''
    """
    where = _where_kind(" ".join(v for v in (venue, url, entry_type) if isinstance(v, str)))
    if where:
        return where
    return "preprint" if doi and _PREPRINT_DOI.match(doi) else ""


@lru_cache(maxsize=50_000)
def _where_kind(where: str) -> str:
    """What a record's venue, URL and type say it is (journals repeat: cached)."""
    if _REGISTRY.search(where):
        return "registration"
    return "preprint" if _PREPRINT_VENUE.search(where) else ""


def trial_ids(*texts: object) -> frozenset[str]:
    """The trial registry ids in ``texts``, upper-cased ("NCT01234567", "ISRCTN12345678").

    Examples
    --------
    >>> sorted(trial_ids("Registered at ClinicalTrials.gov (nct01234567) and NTR1234."))
    ['NCT01234567', 'NTR1234']
    """
    return frozenset(m.upper() for text in texts for m in TRIAL_ID.findall(_text(text)))
