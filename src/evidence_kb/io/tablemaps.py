"""The column maps of the tables search tools export, as data.

Each map takes a column name (compared in lower case) to a field of
:func:`~evidence_kb.read_references`; for each field the first name present in a header wins.
:data:`TABLE_COLUMNS` covers Scopus, IEEE Xplore, SpringerLink, PubMed, Embase, Lens.org,
Cochrane CENTRAL, CINAHL, Covidence, Publish or Perish / Google Scholar, OpenAlex (web CSV and
API JSON, whose nested keys are read as dotted names), RefWorks, Dimensions, Zotero, ProQuest,
Rayyan, ERIC, PLOS and ASReview; :data:`RIS_TABLE_COLUMNS` tables whose columns are RIS tags;
:data:`WOS_TABLE_COLUMNS` Web of Science's tab-delimited export, which names its columns by tag.

:data:`NOT_READ_COLUMNS` lists the columns these tools write that hold no reference field
(affiliations, keywords, counts, funding, ...): they are kept in ``raw`` and not reported.
Any other column no map takes is reported by name, and one whose name or content looks like a
key field (:data:`KEY_COLUMN_NAMES`) that the table lacks makes strict mode refuse the file.
"""

from __future__ import annotations

import re

#: column name (lower case) of each field, in order of preference
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "key",
        "record_id",
        "eid",
        "pmid",
        "ut (unique wos id)",
        "accession number",
        "lens id",
        "covidence #",
        "uid",
        "ref id",
    ),
    "entry_type": (
        "entry_type",
        "entrytype",
        "item type",
        "type",
        "document type",
        "type_of_reference",
        "content type",
        "publication type",
        "document identifier",
        "reference type",
        "article_type",
        "publicationtype",
    ),
    "authors": (
        "authors",
        "author",
        "author names",
        "first_authors",
        "author full names",
        "author/s",
        "author(s)",
        "authors, primary",
        "authorships.author.display_name",
        "author_display",
        "creator",
    ),
    "year": (
        "year",
        "publication year",
        "publication_year",
        "pubyear",
        "date",
        "year published",
        "published year",
        "publicationdateyear",
        "pub year",
        "publication date",
        "publication_date",
        "date published",
    ),
    "title": (
        "title",
        "document title",
        "article title",
        "item title",
        "primary_title",
        "titles",
        "title primary",
        "display_name",
        "title_display",
    ),
    "container": (
        "source title",
        "journal",
        "journal/book",
        "publication title",
        "journal title",
        "secondary_title",
        "journal_name",
        "booktitle",
        "container",
        "primary_location.source.display_name",
        "periodical full",
        "publication",
        "pubtitle",
        "source",
    ),
    "volume": ("volume", "journal volume", "biblio.volume"),
    "issue": ("issue", "number", "journal issue", "issue number", "biblio.issue"),
    "pages": ("pages", "page range", "page", "pagination"),
    "doi": ("doi", "item doi", "dois"),
    "url": ("url", "link", "urls", "article_url", "external url", "links", "documenturl"),
    "publisher": ("publisher",),
    "abstract": ("abstract", "abstract note", "description"),
}
#: first and last page columns, for tables without a pages column
PAGE_PAIRS = (
    ("page start", "page end"),
    ("start page", "end page"),
    ("start_page", "end_page"),
    ("startpage", "endpage"),
    ("first page", "last page"),
    ("biblio.first_page", "biblio.last_page"),
    ("start page", "other pages"),
    ("bp", "ep"),
    ("sp", "ep"),
)
#: Web of Science's tab-delimited export: columns named by tag
WOS_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("ut",),
    "entry_type": ("dt", "pt"),
    "authors": ("af", "au"),
    "year": ("py",),
    "title": ("ti",),
    "container": ("so",),
    "volume": ("vl",),
    "issue": ("is",),
    "doi": ("di",),
    "publisher": ("pu",),
    "abstract": ("ab",),
}
#: a table whose columns are RIS tags (written by R packages such as synthesisr or EviAtlas)
RIS_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "an"),
    "entry_type": ("ty",),
    "authors": ("au", "a1"),
    "year": ("py", "y1", "year", "da"),
    "title": ("ti", "t1"),
    "container": ("t2", "jo", "jf", "ja", "j2"),
    "volume": ("vl",),
    "issue": ("is",),
    "pages": ("pages",),
    "doi": ("do",),
    "url": ("ur",),
    "publisher": ("pb",),
    "abstract": ("ab",),
}
#: columns the tools write that hold no field of a reference (kept in ``raw``, not reported)
NOT_READ_COLUMNS = frozenset(
    [
        *("affiliations", "authors with affiliations", "author(s) id", "author keywords"),
        *("index keywords", "keywords", "mesh terms", "subject", "subjects", "emtree", "tags"),
        *("cited by", "citation count", "cites", "times cited", "references", "reference"),
        *("funding details", "funding texts", "funding text", "correspondence address"),
        *("issn", "isbn", "eissn", "coden", "language", "language of original document"),
        *("abbreviated source title", "publication stage", "open access", "art. no."),
        *("page count", "notes", "note", "pmcid", "nihms id", "create date", "citation"),
        *("first author", "journal/book abbreviation", "label", "record_number", "included"),
        *("label_included", "exported_notes", "rank", "ecc", "use", "cites_url", "related_url"),
        *("fulltext_url", "gsrank", "querydate", "age", "cites_per_year", "cites_per_author"),
        *("authors_per_paper", "editors", "sponsors", "conference name", "conference date"),
        *("conference location", "conference code", "molecular sequence numbers"),
        *("chemicals/cas", "tradenames", "manufacturers", "pubmed id", "source"),
        *("book series title", "articleurl", "citesurl", "citationurl", "fulltexturl"),
        *("relatedurl", "citesperyear", "citesperauthor", "authorcount", "score", "eissn"),
        *("sn", "kw", "n1", "st", "lb", "cy", "ad", "m3", "c1"),
        *("publication id", "pmcid", "anthology title", "date added", "date modified"),
        *("access date", "manual tags", "automatic tags", "extra", "file attachments"),
        *("dimensions url", "num pages", "journal abbreviation", "place", "short title"),
    ]
)
#: columns a tool may write more cells for than its header has (Scopus: a second funding text)
REPEATING_COLUMNS = frozenset({"funding texts", "funding text"})
# a numbered column of a repeated family ("Funding Text 2"): extra cells of a row go there
NUMBERED_COLUMN = re.compile(r"^(.*\D)\s*\d+$")
#: what the name of an unread column says it holds (checked for the fields a table lacks)
KEY_COLUMN_NAMES = {
    "authors": re.compile(r"author|creator|contributor", re.IGNORECASE),
    "year": re.compile(r"\byear\b|date|published", re.IGNORECASE),
    "title": re.compile(r"title", re.IGNORECASE),
    "container": re.compile(r"journal|periodical|venue|serial|\bsource\b", re.IGNORECASE),
    "doi": re.compile(r"\bdoi\b", re.IGNORECASE),
}
# names that hold none of those although the patterns match
_NOT_KEY = re.compile(r"affiliation|keyword|\bids?\b|address|count|abbrev|url|link", re.I)


def key_field_of(name: str) -> str | None:
    """The key field an unread column's name suggests, or ``None``.

    Examples
    --------
    >>> key_field_of("Author/s*"), key_field_of("Author(s) ID"), key_field_of("Pub. Date")
    ('authors', None, 'year')
    """
    if _NOT_KEY.search(name):
        return None
    return next(
        (field for field, pattern in KEY_COLUMN_NAMES.items() if pattern.search(name)), None
    )
