"""The data model of the evidence map: plain dicts and lists, embedded in the page as JSON.

:func:`report_data` gathers everything the page's script needs from a knowledge base and its
graph: the findings (with their frameworks, concepts and resolved references), the elements and
reviews with their Dutch and English labels, the gap-map cells (which findings sit in each
element x review cell), the crosswalk links and the computed overlaps between frameworks.

How a finding is placed in the gap map of a framework:

- its *place* is its theme, else its element (``target`` in the graph); a comparison finding of
  000 without an element is placed on the framework(s) of the side it speaks for;
- a row of an element counts the findings placed on the element or anywhere below it, so a
  core element's row adds up its themes; the row of the framework itself ("as a whole") counts
  only the findings placed on the framework;
- the columns are the reviews with at least one finding in that framework;
- a cell whose findings include a "Geen relevante informatie gevonden" row (kind
  ``no_evidence``) is marked as such; it is never counted as evidence.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from evidence_kb._version import __version__
from evidence_kb.graph import overlaps
from evidence_kb.graph.queries import as_graph, concept_table
from evidence_kb.graph.queries.cells import grid_of
from evidence_kb.graph.queries.charting import finding_values
from evidence_kb.model.cells import cell_text, text_records
from evidence_kb.publish.related import notices_by_work, related_segments
from evidence_kb.publish.tables import apa_reference, in_text_citation

if TYPE_CHECKING:
    from evidence_kb.model.data import KBData
    from evidence_kb.publish.layout import Language

__all__ = [
    "FRAMEWORK_ORDER",
    "PACKED_FORMAT",
    "SHORT_LABELS",
    "block_html",
    "pack_data",
    "report_data",
    "review_label",
    "unpack_data",
]

FRAMEWORK_ORDER = ("liso", "liso-2025", "tno-lo", "lc")
"""The frameworks in the order the page shows them; any others follow, sorted."""

SHORT_LABELS = {
    "liso": ("LISO-framework", "LISO framework"),
    "liso-2025": ("LISO-werkwijze 2025", "LISO working method 2025"),
    "tno-lo": ("TNO-model lerende organisatie", "TNO learning-organisation model"),
    "lc": ("Learning communities", "Learning communities"),
}
"""Short Dutch and English names of the known frameworks, for tabs and filters."""

_OVERLAP_LIMIT = 8  # computed overlaps shown per pair of frameworks
_MIN_STRENGTH = 0.2


def _split(value: Any) -> list[str]:
    return [part for part in (p.strip() for p in cell_text(value).split(";")) if part]


def review_label(review: dict[str, Any], *, language: Language = "nl", limit: int = 32) -> str:
    """Return a short column label for a review: ``"Wildeman & Pannebakker, 2023"``.

    A label longer than ``limit`` (a collective author) gives way to the title, shortened.

    Examples
    --------
    >>> review_label({"authors": "Wildeman, I.; Pannebakker, N.", "year": 2023, "title": "T"})
    'Wildeman & Pannebakker, 2023'
    >>> review_label({"authors": "Kerngroep Onderzoeksprogramma en Netwerk", "title": "Samen"})
    'Samen'
    """

    fields = {k: cell_text(review.get(k)) for k in ("authors", "year", "title")}
    label = in_text_citation(fields, language=language) if fields["authors"] else ""
    if label and len(label) <= limit:
        return label
    title = fields["title"] or cell_text(review.get("review_id"))
    return title if len(title) <= limit + 8 else title[: limit + 6].rsplit(" ", 1)[0] + " …"


def _frameworks(elements: list[dict[str, str]]) -> list[str]:
    found = [e["element_id"] for e in elements if e["level"] == "framework"]
    return [f for f in FRAMEWORK_ORDER if f in found] + sorted(
        f for f in found if f not in FRAMEWORK_ORDER
    )


def _order_key(element: dict[str, str]) -> tuple[float, str]:
    try:
        return (float(element["order"] or 0), element["element_id"])
    except ValueError:
        return (0.0, element["element_id"])


def _tree(elements: list[dict[str, str]]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for e in sorted(elements, key=_order_key):
        if e["parent"]:
            children[e["parent"]].append(e["element_id"])
    return children


def _gap_maps(index: Any, frameworks: list[str]) -> dict[str, dict[str, Any]]:
    """Per framework: the rows (element, depth), the finding ids of every cell, and the cells
    ``outside`` a review's reach. The cells are :func:`~evidence_kb.graph.queries.cells.gap_cells`,
    the ones ``gaps()`` lists its ``empty_cell`` gaps from."""
    grid = grid_of(index)
    by_framework = dict(iter(grid.cells.groupby("framework", sort=False)))
    maps = {}
    for fw in frameworks:
        rows = grid.rows.get(fw, [])
        columns = grid.reviews.get(fw, [])
        cells: dict[str, dict[str, list[str]]] = {e: {} for e, _ in rows}
        outside: dict[str, list[str]] = {e: [] for e, _ in rows}
        table = by_framework.get(fw)
        if table is not None:
            for element, review, state, ids in zip(
                *(table[c].tolist() for c in ("element", "review", "state", "finding_ids")),
                strict=True,
            ):
                cells[element][review] = _split(ids)
                if state == "outside":
                    outside[element].append(review)
        maps[fw] = {
            "rows": [{"id": e, "depth": d, "own": e == fw} for e, d in rows],
            "reviews": columns,
            "cells": cells,
            "outside": outside,
        }
    return maps


def _collect(children: dict[str, list[str]], element: str) -> list[str]:
    found, todo = [], [element]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def _references(kb: KBData, keys: set[str]) -> dict[str, dict[str, Any]]:

    refs = {}
    notices = notices_by_work(kb)  # "Correction in ...", "Retracted in ...": related.csv
    for ref in kb.references.to_dict("records"):
        if ref["key"] not in keys:
            continue
        link = (
            f"https://doi.org/{cell_text(ref['doi'])}"
            if cell_text(ref["doi"])
            else cell_text(ref["url"])
        )
        refs[ref["key"]] = {
            "cite_nl": in_text_citation(ref, language="nl"),
            "cite_en": in_text_citation(ref, language="en"),
            "apa_nl": [
                [t, i]
                for t, i in apa_reference(ref, language="nl")
                + related_segments(notices.get(ref["key"], []), language="nl")
            ],
            "apa_en": [
                [t, i]
                for t, i in apa_reference(ref, language="en")
                + related_segments(notices.get(ref["key"], []), language="en")
            ],
            "link": link if link.startswith(("https://", "http://")) else "",
        }
    return refs


def _overlaps(G: Any, crosswalk: list[dict], fw_of: dict[str, str]) -> list[dict[str, Any]]:
    """The strongest computed overlaps of every pair of frameworks that the crosswalk links."""

    pairs = []
    for link in crosswalk:
        a, b = fw_of.get(link["source"]), fw_of.get(link["target"])
        if a and b and a != b and (a, b) not in pairs and (b, a) not in pairs:
            pairs.append((a, b))
    found = []
    for a, b in pairs:
        table = overlaps(G, a, b, min_strength=_MIN_STRENGTH)
        for row in table.head(_OVERLAP_LIMIT).to_dict("records"):
            found.append(
                {
                    "a": row["element_a"],
                    "b": row["element_b"],
                    "fa": a,
                    "fb": b,
                    "strength": float(row["strength"]),
                    "crosswalk": _split(row["crosswalk"]),
                    "concepts": _split(row["shared_concepts"]),
                    "refs": _split(row["shared_references"]),
                    "findings": _split(row["supporting_findings"]),
                }
            )
    return found


def report_data(kb: KBData) -> dict[str, Any]:
    """Return everything the evidence map shows, as JSON-ready dicts and lists.

    Parameters
    ----------
    kb
        The knowledge base.

    Returns
    -------
    dict
        ``frameworks``, ``elements``, ``reviews``, ``concepts``, ``findings``, ``references``
        (APA 7 in Dutch and English), ``maps`` (per framework: rows, review columns, the
        finding ids of every cell and the cells ``outside`` a review's levels), ``crosswalk``,
        ``charting`` (the fields of ``charting.csv`` with their values, for the filters; each
        finding has its values in ``chart``) and ``overlaps`` (the strongest computed ones per
        linked pair of frameworks). Every list is sorted, so the page is the same for the same
        knowledge base.

    Examples
    --------
    >>> data = report_data(ekb.load())
    >>> data["maps"]["liso"]["cells"]["liso/synergie"]["werk-inkomen-2023"]
    ['wi-010']
    """

    G = as_graph(kb)
    index = G.graph["index"]
    elements = [{k: cell_text(v) for k, v in e.items()} for e in index.elements.to_dict("records")]
    element_ids = {e["element_id"] for e in elements}
    frameworks = _frameworks(elements)
    children = _tree(elements)
    findings = _finding_entries(index, element_ids)
    reviews = sorted(
        ({k: cell_text(v) for k, v in r.items()} for r in kb.reviews.to_dict("records")),
        key=lambda r: (r["year"] or "9999", r["source"], r["review_id"]),
    )
    crosswalk = _crosswalk_entries(index, element_ids)
    overlaps = _overlaps(G, crosswalk, {e["element_id"]: e["framework"] for e in elements})
    concepts = concept_table(G)
    charting = _charting_entries(kb, index, findings)
    return {
        "version": __version__,
        "frameworks": _framework_entries(frameworks, elements),
        "elements": _element_entries(elements, _depths(frameworks, children)),
        "reviews": [_review_entry(r) for r in reviews],
        "concepts": _concept_entries(concepts),
        "findings": findings,
        "references": _references(kb, {key for f in findings for key in f["refs"]}),
        "maps": _gap_maps(index, frameworks),
        "crosswalk": crosswalk,
        "overlaps": overlaps,
        "charting": charting,
    }


def _charting_entries(kb: KBData, index: Any, findings: list[dict[str, Any]]) -> list[dict]:
    """The charting fields for the page's filters (name, description, values in the form's
    order), each finding's values in ``chart`` (``{field: [values]}``; "(not charted)" when no
    study of its references is charted). ``[]`` without ``charting.csv``."""
    charting = getattr(kb, "charting", None)
    for f in findings:
        f["chart"] = {}
    if charting is None:
        return []
    by_id = {f["id"]: f for f in findings}
    fields = []
    for field in charting.fields:
        values = finding_values(index, charting, field.name)
        for finding_id, value in zip(values["finding_id"], values["value"], strict=True):
            if finding_id in by_id:
                by_id[finding_id]["chart"].setdefault(field.name, []).append(value)
        found = set(values["value"])
        order = [v for v in charting.value_order(field.name) if v in found]
        order += sorted(v for v in found if v not in order)
        fields.append({"name": field.name, "description": field.description, "values": order})
    return fields


def _review_entry(review: dict[str, str]) -> dict[str, str]:
    """A review with its short Dutch and English column labels."""
    return {
        "id": review["review_id"],
        "label_nl": review_label(review, language="nl"),
        "label_en": review_label(review, language="en"),
        "title": review["title"],
        "year": review["year"],
    }


def _concept_entries(concepts: Any) -> list[dict[str, str]]:
    """The concepts that tag at least one finding, with their Dutch and English labels."""
    return [
        {"id": c["concept_id"], "nl": c["label_nl"], "en": c["label_en"] or c["label_nl"]}
        for c in concepts.to_dict("records")
        if int(c["n_findings"]) > 0
    ]


def _depths(frameworks: list[str], children: dict[str, list[str]]) -> dict[str, int]:
    """The depth of every element below a framework (the framework itself: 0)."""
    depth = dict.fromkeys(frameworks, 0)
    for fw in frameworks:
        for element in _collect(children, fw):
            for child in children.get(element, []):
                depth[child] = depth[element] + 1
    return depth


def _framework_entries(
    frameworks: list[str], elements: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Each framework with its short Dutch and English name (else its label)."""
    label = {
        e["element_id"]: (e["label_nl"] or e["element_id"], e["label_en"] or e["label_nl"])
        for e in elements
    }
    entries = []
    for fw in frameworks:
        short = SHORT_LABELS.get(fw)
        # a short name only for the framework it names (a team's own 'lc' keeps its own label)
        if short is None or short[0].split("-")[0].split()[0] not in " ".join(label[fw]):
            short = label[fw]
        entries.append({"id": fw, "nl": short[0], "en": short[1]})
    return entries


def _element_entries(
    elements: list[dict[str, str]], depth: dict[str, int]
) -> dict[str, dict[str, Any]]:
    """Each element by id: its framework, parent, level, labels and depth."""
    return {
        e["element_id"]: {
            "fw": e["framework"],
            "parent": e["parent"],
            "level": e["level"],
            "nl": e["label_nl"] or e["element_id"],
            "en": e["label_en"],
            "depth": depth.get(e["element_id"], 0),
        }
        for e in sorted(elements, key=lambda e: e["element_id"])
    }


_FINDING_COLUMNS = (
    *("finding_id", "review", "element", "theme", "topic", "kind", "direction", "side"),
    *("statement", "citation", "reference_keys", "citation_status", "source", "framework"),
    "target",
)


def _finding_entries(index: Any, element_ids: set[str]) -> list[dict[str, Any]]:
    """Each finding, sorted by id, with its frameworks, places in the gap map and concepts."""
    concepts_of: dict[str, list[str]] = defaultdict(list)
    for row in index.tags.sort_values(["finding_id", "concept_id"]).itertuples(index=False):
        concepts_of[row.finding_id].append(row.concept_id)
    findings = []
    columns = [c for c in _FINDING_COLUMNS if c in index.findings]
    for row in text_records(index.findings.sort_values("finding_id", kind="stable")[columns]):
        row_frameworks = [f for f in _split(row["framework"]) if f in element_ids]
        places = [row["target"]] if row["target"] else row_frameworks
        findings.append(
            {
                "id": row["finding_id"],
                "review": row["review"],
                "element": row["element"],
                "theme": row["theme"],
                "topic": row["topic"],
                "kind": row["kind"],
                "dir": row["direction"],
                "side": row["side"],
                "statement": row["statement"],
                "citation": row["citation"],
                "refs": list(dict.fromkeys(_split(row["reference_keys"]))),
                "status": row["citation_status"],
                "source": row["source"],
                "fw": row_frameworks,
                "places": places,
                "concepts": concepts_of.get(row["finding_id"], []),
            }
        )
    return findings


def _crosswalk_entries(index: Any, element_ids: set[str]) -> list[dict[str, Any]]:
    """The crosswalk links between known elements."""
    return [
        {
            "source": row["source_element"],
            "target": row["target_element"],
            "relation": row["relation"],
            "findings": _split(row["finding_id"]),
            "note": cell_text(row["note"]),
        }
        for row in index.crosswalk.to_dict("records")
        if row["source_element"] in element_ids and row["target_element"] in element_ids
    ]


# -- the compact form embedded in the page -----------------------------------------------------
PACKED_FORMAT = 1
"""The version of :func:`pack_data`'s layout; ``report.js`` reads this version."""

_FINDING_LISTS = ("refs", "fw", "places", "concepts")  # finding fields that hold lists


class _Strings:
    """A table of distinct strings: each string is stored once and referred to by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        number = self.index.get(text)
        if number is None:
            number = self.index[text] = len(self.index)
        return number

    def many(self, texts: list[str]) -> list[int]:
        return [self(t) for t in texts]

    @property
    def table(self) -> list[str]:
        return list(self.index)


_TAG = re.compile(r"(<[^>]*>)")
_MIN_SHARED = 16  # shorter texts of a block stay in its HTML
# where a text of a block may start a new piece: before " (" (a citation after a statement) and
# after ". " (the parts of an APA reference)
_CUT = re.compile(r" \(|\. ")


def _pieces(text: str, known: dict[str, int]) -> list[str]:
    """``text`` cut into strings the table already holds (a statement, an APA part) and the rest.

    Tried at every cut, longest piece first, so "statement (Author, 2020)" becomes the
    statement (stored once, with the finding) and " (Author, 2020)".
    """
    cuts = [m.start() if m[0] == " (" else m.end() for m in _CUT.finditer(text)]
    pieces, start = [], 0
    while start < len(text):
        piece = next(
            (text[start:p] for p in reversed(cuts) if p > start and text[start:p] in known), None
        )
        pieces.append(text[start:] if piece is None else piece)
        start += len(pieces[-1])
    return pieces


def _block_parts(block: str, known: dict[str, int]) -> list[str | int]:
    """An HTML block as parts: HTML as it is (a string), and texts of the data by their index.

    A text between two tags that is, or begins with, a string of the data (a statement, an APA
    part) refers to it by index; everything else stays HTML, joined into as few parts as can be.
    """
    parts: list[str | int] = []
    buffer: list[str] = []
    for part in _TAG.split(block):
        if part[:1] == "<" or len(part) < _MIN_SHARED:
            buffer.append(part)
            continue
        text = html.unescape(part) if "&" in part else part
        for piece in _pieces(text, known):
            number = known.get(piece) if len(piece) >= _MIN_SHARED else None
            if number is None:
                buffer.append(html.escape(piece))
            else:
                parts += ["".join(buffer), number] if buffer else [number]
                buffer = []
    if buffer:
        parts.append("".join(buffer))
    return parts


def block_html(packed: dict[str, Any], number: int) -> str:
    """Return block ``number`` of a :func:`pack_data` result as HTML (``report.js`` does the same).

    Examples
    --------
    >>> packed = pack_data(report_data(ekb.load()), ["<p>Tee &amp; Ko</p>"])
    >>> block_html(packed, 0)
    '<p>Tee &amp; Ko</p>'
    """
    table = packed["strings"]
    return "".join(
        part if isinstance(part, str) else html.escape(table[part])
        for part in packed["blocks"][number]
    )


def pack_data(data: dict[str, Any], blocks: list[str] | None = None) -> dict[str, Any]:
    """Return :func:`report_data` in the compact form the page embeds (see :func:`unpack_data`).

    Every string of the findings and references (ids, statements, sources, citations, APA
    parts, element and review ids) is stored once in ``strings`` and referred to by its index;
    the findings and references are stored by column (``{"n": count, "fields": {name:
    [value per finding]}}``); gap-map cells, crosswalk links and overlaps refer to findings by
    their position in the findings and to reviews by their column. The frameworks, elements,
    reviews and concepts (a few hundred entries at most) are kept as they are.

    ``blocks`` (HTML built in Python: the factsheet tables) are stored as ``blocks``: lists
    of HTML strings and, for a text that is (or begins with) a statement or APA part of the
    data, the index of that string (see :func:`block_html`).

    Examples
    --------
    >>> data = report_data(ekb.load())
    >>> unpack_data(pack_data(data)) == data
    True
    """
    strings = _Strings()
    findings = data["findings"]
    position = {f["id"]: i for i, f in enumerate(findings)}
    names = [name for name in findings[0] if name != "chart"] if findings else []
    # the charting values (``{field: [values]}``) of the findings that have any, by position
    charts = {str(i): f["chart"] for i, f in enumerate(findings) if f.get("chart")}
    finding_fields = {
        name: [
            strings.many(f[name]) if name in _FINDING_LISTS else strings(f[name]) for f in findings
        ]
        for name in names
    }
    references = data["references"]
    ref_fields: dict[str, list[Any]] = {"key": strings.many(list(references))}
    for name in ("cite_nl", "cite_en", "link"):
        ref_fields[name] = [strings(r[name]) for r in references.values()]
    for name in ("apa_nl", "apa_en"):
        ref_fields[name] = [
            [[strings(text), int(italic)] for text, italic in r[name]] for r in references.values()
        ]
    maps = {fw: _pack_map(m, position) for fw, m in data["maps"].items()}
    packed_blocks = [_block_parts(block, strings.index) for block in blocks or ()]
    return {
        "format": PACKED_FORMAT,
        **{k: data[k] for k in ("version", "frameworks", "elements", "reviews", "concepts")},
        "findings": {"n": len(findings), "fields": finding_fields, "chart": charts},
        "references": {"n": len(references), "fields": ref_fields},
        "charting": data["charting"],
        "maps": maps,
        "crosswalk": [
            {**c, "findings": [position[i] for i in c["findings"]]} for c in data["crosswalk"]
        ],
        "overlaps": [
            {**o, "findings": [position[i] for i in o["findings"]]} for o in data["overlaps"]
        ],
        **({"blocks": packed_blocks} if blocks is not None else {}),
        "strings": strings.table,
    }


def _pack_map(m: dict[str, Any], position: dict[str, int]) -> dict[str, Any]:
    """A framework's gap map: cells as lists (row, column) of finding positions."""
    column = {r: j for j, r in enumerate(m["reviews"])}
    return {
        "rows": m["rows"],
        "reviews": m["reviews"],
        "cells": [
            [[position[i] for i in m["cells"][row["id"]][r]] for r in m["reviews"]]
            for row in m["rows"]
        ],
        "outside": [[column[r] for r in m["outside"][row["id"]]] for row in m["rows"]],
    }


def _unpack_map(m: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """The inverse of :func:`_pack_map`."""
    return {
        "rows": m["rows"],
        "reviews": m["reviews"],
        "cells": {
            row["id"]: {r: [ids[i] for i in cells[j]] for j, r in enumerate(m["reviews"])}
            for row, cells in zip(m["rows"], m["cells"], strict=True)
        },
        "outside": {
            row["id"]: [m["reviews"][j] for j in out]
            for row, out in zip(m["rows"], m["outside"], strict=True)
        },
    }


def unpack_data(packed: dict[str, Any]) -> dict[str, Any]:
    """Return the :func:`report_data` dict that :func:`pack_data` packed (the page's reader does
    the same in JavaScript).

    Raises
    ------
    ValueError
        If ``packed`` is not of the layout this version writes (``format``).
    """
    if packed.get("format") != PACKED_FORMAT:
        msg = f"packed report data of format {packed.get('format')!r}; expected {PACKED_FORMAT}"
        raise ValueError(msg)
    table = packed["strings"]

    def text(value: Any) -> Any:
        return [table[i] for i in value] if isinstance(value, list) else table[value]

    fields = packed["findings"]["fields"]
    findings = [
        {name: text(values[i]) for name, values in fields.items()}
        for i in range(packed["findings"]["n"])
    ]
    charts = packed["findings"].get("chart", {})
    for i, finding in enumerate(findings):
        finding["chart"] = charts.get(str(i), {})
    ids = [f["id"] for f in findings]
    ref = packed["references"]["fields"]
    references = {
        table[key]: {
            **{name: table[ref[name][i]] for name in ("cite_nl", "cite_en", "link")},
            **{
                name: [[table[t], bool(italic)] for t, italic in ref[name][i]]
                for name in ("apa_nl", "apa_en")
            },
        }
        for i, key in enumerate(ref["key"])
    }
    maps = {fw: _unpack_map(m, ids) for fw, m in packed["maps"].items()}
    return {
        **{k: packed[k] for k in ("version", "frameworks", "elements", "reviews", "concepts")},
        "findings": findings,
        "references": references,
        "maps": maps,
        "crosswalk": [
            {**c, "findings": [ids[i] for i in c["findings"]]} for c in packed["crosswalk"]
        ],
        "overlaps": [
            {**o, "findings": [ids[i] for i in o["findings"]]} for o in packed["overlaps"]
        ],
        "charting": packed.get("charting", []),
    }
