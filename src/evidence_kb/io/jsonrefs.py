"""Read JSON reference files: CSL-JSON, Crossref, OpenAlex, Publish or Perish, Solr answers.

The flavour is told from the keys (:func:`json_flavour`): CSL-JSON items (``issued``,
``container-title``, authors as ``{family, given}``) and Crossref API answers
(``message.items``) are read by :data:`~evidence_kb.io.fields.CSL_FIELDS`; the flat records of
OpenAlex (``results``, nested keys read as dotted names such as
``authorships.author.display_name``, the abstract rebuilt from its inverted index), Publish
or Perish / Google Scholar and Solr-style search APIs (``response.docs``: PLOS, ERIC) go
through the table column maps of
:mod:`evidence_kb.io.tablemaps`, with the same report of keys no map takes. JSON of any other
shape is refused with the keys it has.
"""

from __future__ import annotations

import json
import re
from typing import Any

from evidence_kb.io.fields import CSL_FIELDS, first_year
from evidence_kb.io.parsed import ReferenceRows
from evidence_kb.io.reftables import TableLayout, check_columns
from evidence_kb.model.errors import Problem

#: flavour -> the name messages and ``refs.formats`` use
JSON_FLAVOURS = {
    "csl-json": "CSL-JSON",
    "crossref": "Crossref API answer",
    "openalex": "OpenAlex API answer",
    "publish-or-perish": "Publish or Perish / Google Scholar JSON",
    "solr": "search API answer (response.docs: PLOS, ERIC)",
    "records": "JSON records",
}
# keys only CSL-JSON (and Crossref) items have
_CSL_KEYS = {"issued", "container-title", "DOI", "URL", "page", "collection-title", "ISSN"}
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def read_json(
    text: str, file_name: str, columns: dict[str, str | None] | None = None
) -> ReferenceRows:
    """The rows of a JSON reference file and its problems; ``flavour`` is a key of
    :data:`JSON_FLAVOURS`. ``columns`` maps the keys of flat records to fields."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as err:
        msg = f"not valid JSON: {err.msg} (column {err.colno})"
        return ReferenceRows(
            [], [Problem(file_name, err.lineno, None, None, msg)], flavour="csl-json"
        )
    items, flavour, shape_problem = _items(data)
    if shape_problem:
        return ReferenceRows(
            [], [Problem(file_name, 1, None, None, shape_problem)], flavour=flavour
        )
    if flavour in ("csl-json", "crossref"):
        rows, problems = _csl_rows(items, file_name)
    else:
        rows, problems = _flat_rows(items, file_name, flavour, columns)
    return ReferenceRows(rows, problems, flavour=flavour)


def json_flavour(item: dict[str, Any]) -> str:
    """The flavour of one JSON record, told from its keys.

    Examples
    --------
    >>> json_flavour({"type": "article-journal", "issued": {"date-parts": [[2020]]}})
    'csl-json'
    >>> json_flavour({"uid": "GS:1", "title": "T", "authors": ["A Doe"], "cites": 3})
    'publish-or-perish'
    >>> json_flavour({"id": "https://openalex.org/W1", "authorships": []})
    'openalex'
    """
    keys = set(item)
    if "authorships" in keys or str(item.get("id", "")).startswith("https://openalex.org/"):
        return "openalex"
    author = item.get("author")
    if keys & _CSL_KEYS or (
        isinstance(author, list) and author and all(isinstance(a, dict) for a in author)
    ):
        return "csl-json"
    if {"uid", "cites", "article_url", "gsrank"} & keys and isinstance(item.get("authors"), list):
        return "publish-or-perish"
    return "records"


def _items(data: Any) -> tuple[list[Any], str, str]:
    """The records of a JSON document, their flavour, or a message saying the shape is unknown."""
    if isinstance(data, dict):
        message = data.get("message")
        if isinstance(message, dict):  # Crossref: one work, or a list of them
            if "items" not in message:
                return [message], "crossref", ""
            if isinstance(message["items"], list):
                return message["items"], "crossref", ""
            kind = type(message["items"]).__name__
            return [], "crossref", f"'message.items' must be a list of works, got {kind}"
        response = data.get("response")
        if isinstance(response, dict) and isinstance(response.get("docs"), list):
            return response["docs"], "solr", ""
        for key in ("results", "items", "records", "data"):
            if isinstance(data.get(key), list):
                return data[key], _flavour_of(data[key]), ""
        if any(key in data for key in ("title", "type", "author", "DOI", "display_name")):
            return [data], _flavour_of([data]), ""
        values = list(data.values())
        if values and all(isinstance(v, dict) for v in values):  # an object keyed by id
            items = [{"id": key, **value} for key, value in data.items()]
            return items, _flavour_of(items), ""
        msg = (
            "not a known JSON export: expected CSL-JSON (a list of items, or an object keyed "
            "by id), a Crossref or OpenAlex API answer, Publish or Perish JSON or a search "
            f"API answer (response.docs); got an object with keys {', '.join(list(data)[:8])}"
            ". Export the records as RIS or CSL-JSON instead"
        )
        return [], "records", msg
    if isinstance(data, list):
        return data, _flavour_of(data), ""
    return [], "csl-json", f"expected a list of CSL-JSON items, got {type(data).__name__}"


def _flavour_of(items: list[Any]) -> str:
    """The flavour of most of ``items`` (CSL-JSON for an empty list)."""
    kinds = [json_flavour(i) for i in items[:50] if isinstance(i, dict)]
    return max(dict.fromkeys(kinds), key=kinds.count) if kinds else "csl-json"


def _flat_rows(
    items: list[Any], file_name: str, flavour: str, columns: dict[str, str | None] | None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Rows of flat (or nested, read as dotted names) records, through the table column maps."""
    records: list[dict[str, str]] = []
    problems: list[Problem] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            msg = f"record {number}: expected an object, got {type(item).__name__}"
            problems.append(Problem(file_name, None, None, None, msg))
            continue
        records.append(_flatten(item))
    keys = list(dict.fromkeys(key for record in records for key in record))
    user = check_columns(columns)
    layout = TableLayout.of(keys, user)
    table = [[record.get(key, "") for key in keys] for record in records]
    problems += layout.column_problems(file_name, table, noun="key", line=None, user=user)
    if records and "title" not in layout.where:
        msg = (
            f"{JSON_FLAVOURS[flavour]} without a title key: its records have the keys "
            f"{', '.join(keys[:12])}; pass columns= to say which key holds the title, or "
            "export the records as RIS or CSL-JSON"
        )
        return [], [*problems, Problem(file_name, 1, None, None, msg)]
    rows = []
    for item, cells in zip((i for i in items if isinstance(i, dict)), table, strict=True):
        row = layout.row(cells, line=None, raw=json.dumps(item, ensure_ascii=False))  # type: ignore[arg-type]
        if not row.get("doi") and _DOI.fullmatch(str(row.get("id", ""))):
            row["doi"] = row["id"]  # PLOS's id is the DOI
        row["database"] = row["database"] or _database(flavour, item)
        rows.append(row)
    return rows, problems


def _database(flavour: str, item: dict[str, Any]) -> str:
    if flavour == "publish-or-perish":
        return "Google Scholar" if str(item.get("uid", "")).startswith("GS:") else ""
    if flavour == "solr":
        if re.fullmatch(r"E[DJ]\d+", str(item.get("id", ""))):
            return "ERIC"
        if str(item.get("journal", "")).lower().startswith("plos"):
            return "PLOS"
    return {"openalex": "OpenAlex"}.get(flavour, "")


def _flatten(item: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """A record as ``{dotted key: text}``: lists joined by ``"; "``, a number 0 as empty.

    Publish or Perish writes 0 for an unknown volume or page; objects in lists (OpenAlex's
    authorships) give one list per key.
    """
    out: dict[str, list[str]] = {}

    def add(key: str, value: Any) -> None:
        if key.endswith("abstract_inverted_index") and isinstance(value, dict):
            out.setdefault("abstract", []).append(_inverted_text(value))
        elif isinstance(value, dict):
            for name, inner in value.items():
                add(f"{key}.{name}" if key else name, inner)
        elif isinstance(value, list):
            for inner in value:
                add(key, inner)
        elif (
            value is not None
            and value != ""
            and not (isinstance(value, int | float) and not isinstance(value, bool) and value == 0)
        ):
            out.setdefault(key, []).append(" ".join(str(value).split()))

    add(prefix, item)
    return {key: "; ".join(values) for key, values in out.items()}


def _inverted_text(index: dict[str, Any]) -> str:
    """OpenAlex's abstract (``{word: [positions]}``) as text.

    Examples
    --------
    >>> _inverted_text({"networks": [1], "Learning": [0], "help.": [2]})
    'Learning networks help.'
    """
    places = {
        place: word
        for word, positions in index.items()
        if isinstance(positions, list)
        for place in positions
        if isinstance(place, int)
    }
    return " ".join(places[place] for place in sorted(places))


def _csl_rows(items: list[Any], file_name: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows, problems = [], []
    for number, item in enumerate(items, start=1):
        row, problem = _csl_row(item, f"item {number}", file_name)
        if problem is None:
            rows.append(row)
        else:
            problems.append(problem)
    return rows, problems


def _csl_row(item: Any, where: str, file_name: str) -> tuple[dict[str, Any], Problem | None]:
    """The row of one CSL-JSON item, or the problem that keeps it out."""
    if not isinstance(item, dict):
        msg = f"{where}: expected an object, got {type(item).__name__}"
        return {}, Problem(file_name, None, None, None, msg)
    label = f"{where} ({item.get('id', '?')})"
    authors = _csl_authors(item.get("author", []))
    if authors is None:
        msg = f"{label}: 'author' must be a list of {{family, given}} objects"
        return {}, Problem(file_name, None, "author", None, msg)
    issued = item.get("issued") or item.get("published-print") or item.get("published") or {}
    if not isinstance(issued, dict):
        msg = f"{label}: 'issued' must be an object with 'date-parts'"
        return {}, Problem(file_name, None, "issued", str(issued), msg)
    row = {
        "id": str(item.get("id", "")),
        "entry_type": str(item.get("type", "")),
        "authors": authors,
        "year": _csl_year(issued),
        "year_suffix": str(item.get("year-suffix") or "").strip(),
        **{name: _first(item.get(variable)) for name, variable in CSL_FIELDS.items()},
        "abstract": re.sub(r"<[^>]+>", "", _first(item.get("abstract"))),
        "database": "Crossref" if "indexed" in item or "member" in item else "",
        "line": None,
        "raw": json.dumps(item, ensure_ascii=False),
    }
    return row, None


def _csl_authors(value: Any) -> list[str] | None:
    """The names of a CSL ``author`` list, or None when it is not a list of objects."""
    if not isinstance(value, list) or not all(isinstance(person, dict) for person in value):
        return None
    return [_csl_name(person) for person in value]


def _csl_name(person: dict[str, Any]) -> str:
    """One CSL name as ``"van den Berg, Jan"``, ``"King, Jr., Martin"`` or a literal name."""
    literal = person.get("literal") or person.get("name")
    if literal:
        return str(literal)
    family = " ".join(
        str(person[part]).strip()
        for part in ("dropping-particle", "non-dropping-particle", "family")
        if person.get(part)
    )
    parts = [family, str(person.get("suffix") or "").strip(), str(person.get("given") or "")]
    return ", ".join(p.strip() for p in parts if p.strip())


def _csl_year(issued: dict[str, Any]) -> str:
    """The year of a CSL date: its first date part, or the first year of its raw text."""
    parts = issued.get("date-parts") or [[]]
    first = parts[0] if isinstance(parts, list) and parts else None
    if isinstance(first, list) and first and str(first[0] or "").strip():  # [[null]]: no year
        return str(first[0])
    literal = issued.get("raw") or issued.get("literal")
    return first_year(str(literal)) if literal else ""


def _first(value: Any) -> str:
    """A CSL or Crossref value as text (Crossref writes titles as lists)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value)
