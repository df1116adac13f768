"""Write the evidence map: one self-contained HTML page (inline CSS, JS, SVG and data).

The page is rendered from ``report.html.j2`` with Jinja2. What is the same in every view is
rendered here, in Python: the PRISMA-ScR flows (:func:`evidence_kb.publish.prisma.plot_prisma`
as inline SVG, in Dutch and English), the printed reference lists with their duplicate groups,
and the per-review factsheet tables (:func:`evidence_kb.publish.render.to_html` of the
published layouts), which the page inserts only when a reader opens them. What the filters
change (the gap map, the crosswalk, the findings) is drawn by ``report.js`` from the data of
:func:`~evidence_kb.publish.report.data.report_data`, embedded packed
(:func:`~evidence_kb.publish.report.data.pack_data`: each string once, findings and references
by index) as JSON with ``<``, ``>`` and ``&`` escaped, so no statement can close the script
element. A large map's data (over :data:`COMPRESS_ABOVE` characters) is gzip-compressed and
base64-encoded, and unpacked by the browser; its factsheet tables are compressed on their own,
in a second script element, unpacked only when a reader opens one.

Nothing is fetched: the page works opened from disk (``file://``) and offline. The only links
out are the DOIs and URLs of references, as ordinary links.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.citations.bibliography import build_bibliography
from evidence_kb.io.guard import check_output
from evidence_kb.io.resources import read_package_text
from evidence_kb.io.text import write_text
from evidence_kb.model.cells import cell_text
from evidence_kb.model.i18n import Language, review_language, word
from evidence_kb.publish.prisma import STAGES, _size, plot_prisma, prisma_counts
from evidence_kb.publish.render import to_html
from evidence_kb.publish.report.data import pack_data, report_data
from evidence_kb.publish.tables import TABLE_NAMES, apa_reference, iter_table_layouts

if TYPE_CHECKING:
    import pandas as pd
    from jinja2 import Template

    from evidence_kb.citations.bibliography import Bibliography
    from evidence_kb.model.data import KBData

__all__ = ["COMPRESS_ABOVE", "data_json", "reference_lists", "render_report", "write_report"]

COMPRESS_ABOVE = 4_000_000
"""Characters of embedded data above which :func:`render_report` compresses it by default."""

_PACKAGE = __name__.rpartition(".")[0]  # report.html.j2, report.js and report.css are here
_RULE_NAMES = {  # how find_duplicates matched two printed entries, in words
    "doi_match": ("zelfde DOI", "same DOI"),
    "title_author_year": ("titel, auteur en jaar gelijk", "same title, author and year"),
    "title_author_year_venue": (
        "titel, auteur, jaar en tijdschrift gelijk",
        "same title, author, year and journal",
    ),
    "title_author_pages": ("titel, auteur en pagina's gelijk", "same title, author and pages"),
    "score": (
        "titel, auteurs, jaar en vindplaats komen genoeg overeen",
        "title, authors, year and source agree enough",
    ),
}
_LINE = re.compile(r", line \d+$")


def data_json(data: Any) -> str:
    """Return ``data`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``: JSON.parse
    reads them back unchanged, and no text can end the script element or open a comment.

    Examples
    --------
    >>> data_json({"s": "</script><b>&"})
    '{"s": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- static parts ----------------------------------------------------------------------------
def _factsheet_fragment(layout: Any) -> str:
    """The table and reference list of :func:`~evidence_kb.publish.render.to_html`, no page."""

    page = to_html(layout)
    body = page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    return body.replace("<h2>", '<h4 class="refs-title">').replace("</h2>", "</h4>").strip()


def _factsheets(tables: dict[str, Any], blocks: list[str]) -> list[dict[str, Any]]:
    """The published tables of a review, or its findings in the factsheet layout."""

    published = any(name in TABLE_NAMES for name in tables)
    layouts = [layout for layout in tables.values() if layout.rows]
    return [
        {
            "title": layout.title,
            "published": published,
            **_block(blocks, _factsheet_fragment(layout)),
        }
        for layout in layouts
    ]


def _block(blocks: list[str], html: str) -> dict[str, Any]:
    """Keep ``html`` (escaped here) as a block the page inserts when its section is opened."""
    blocks.append(html)
    return {"block": len(blocks) - 1, "html": html}


def _prisma_svg(kb: KBData, review: str, language: str) -> str:
    """The PRISMA-ScR flow of a review as inline SVG (text kept as text), or ''."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not any(stage in prisma_counts(kb, review) for stage in STAGES):
        return ""
    from matplotlib.figure import Figure

    fig = Figure(figsize=_size(kb, review), dpi=100)  # not pyplot: nothing left open
    FigureCanvasAgg(fig)
    ax = plot_prisma(kb, review, ax=fig.add_subplot(), language=language)  # type: ignore[arg-type]
    ax.set_title("", loc="left")  # the page prints the title above the figure
    fig.tight_layout()
    buffer = io.StringIO()
    salt = f"{review}-{language}"
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = svg.replace("'DejaVu Sans'", "system-ui, 'Segoe UI', Roboto, Arial, sans-serif")
    label = "PRISMA-ScR stroomdiagram" if language == "nl" else "PRISMA-ScR flow diagram"
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="prisma-svg"', 1)


def reference_lists(
    bibliography: Bibliography | None, references: pd.DataFrame
) -> tuple[dict[str, list[dict]], list[dict], list[dict]]:
    """The printed reference lists: per review, those of no review, and the duplicate groups.

    Parameters
    ----------
    bibliography
        :func:`~evidence_kb.citations.bibliography.build_bibliography` of the loaded
        ``sources/`` (``None`` when the knowledge base has none: no lists).
    references
        The references of the knowledge base (``kb.references``), for the APA form of a short
        entry.
    """
    if bibliography is None:
        return {}, [], []
    printed = bibliography.printed.sort_values(["list", "line"], kind="stable")
    refs = {r["key"]: r for r in references.to_dict("records")}
    labels = {row["list"]: _LINE.sub("", row["source"]) for _, row in printed.iterrows()}
    entries = [_printed_entry(row, labels, refs) for _, row in printed.iterrows()]
    groups = _duplicate_groups(entries, bibliography.pairs)
    by_list: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        by_list[entry["list"]].append(entry)
    lists = [
        {"file": name, "label": labels[name], "review": items[0]["review"], "entries": items}
        for name, items in by_list.items()
    ]
    per_review: dict[str, list[dict]] = defaultdict(list)
    for reflist in lists:
        if reflist["review"]:
            per_review[reflist["review"]].append(reflist)
    return dict(per_review), [r for r in lists if not r["review"]], groups


def _printed_entry(row: pd.Series, labels: dict[str, str], refs: dict[str, dict]) -> dict:
    """One printed reference as the page shows it."""

    entry = {
        "anchor": f"ref-{re.sub(r'[^a-z0-9]+', '-', row['list'].lower())}{row['line']}",
        "id": row["entry_id"],
        "list": row["list"],
        "list_label": labels[row["list"]],
        "line": int(row["line"]),
        "number": cell_text(row["number"]),
        "raw": row["raw"],
        "key": cell_text(row["key"]),
        "short": row["style"] == "short",
        "review": cell_text(row["review"]),
    }
    ref = refs.get(entry["key"])
    entry["apa"] = apa_reference(ref) if ref and entry["short"] else []
    return entry


def _duplicate_groups(entries: list[dict], pairs: pd.DataFrame) -> list[dict]:
    """The printed entries that became one reference, numbered; each entry learns its group."""
    members: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        members[entry["key"]].append(entry)
    rules = defaultdict(set)
    for pair in pairs.to_dict("records"):
        rules[pair["id_a"]].add(pair["rule"])
        rules[pair["id_b"]].add(pair["rule"])
    groups: list[dict[str, Any]] = []
    for key, group in sorted(members.items()):
        if len(group) < 2 or not key:
            continue
        number = len(groups) + 1
        for entry in group:
            entry["group"] = number
            entry["others"] = [e for e in group if e is not entry]
        groups.append(
            {
                "number": number,
                "key": key,
                "entries": group,
                "rules": sorted(set().union(*(rules[e["id"]] for e in group))),
                "full": sum(not e["short"] for e in group),
            }
        )
    return groups


def _reviews(
    kb: KBData, data: dict[str, Any], printed: dict[str, list[dict]], blocks: list[str]
) -> list[dict[str, Any]]:
    """Per review: its fields, factsheet tables, PRISMA flows, reference lists and counts.

    The factsheet tables are added to ``blocks``: the page inserts them when a reader opens
    them, not at load; the list of cited references it builds from the data then.
    """

    rows = {
        r["review_id"]: {k: cell_text(v) for k, v in r.items()}
        for r in kb.reviews.to_dict("records")
    }
    findings_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in data["findings"]:
        findings_of[f["review"]].append(f)
    # every review's tables in one pass, each turned into HTML at once (not all layouts held)
    sheets = {rid: _factsheets(layouts, blocks) for rid, layouts in iter_table_layouts(kb)}
    out = []
    for review in data["reviews"]:
        rid = review["id"]
        mine = findings_of[rid]
        cited = [
            data["references"][k]
            for k in sorted({k for f in mine for k in f["refs"]})
            if k in data["references"]
        ]
        counts = prisma_counts(kb, rid)
        flow = any(stage in counts for stage in STAGES)
        out.append(
            {
                **rows[rid],
                "id": rid,
                "label_nl": review["label_nl"],
                "label_en": review["label_en"],
                "n_findings": len(mine),
                "n_promoting": sum(f["dir"] == "promoting" for f in mine),
                "n_hindering": sum(f["dir"] == "hindering" for f in mine),
                "counts": counts,
                "prisma_nl": _prisma_svg(kb, rid, "nl") if flow else "",
                "prisma_en": _prisma_svg(kb, rid, "en") if flow else "",
                "factsheets": sheets.get(rid, []),
                "reflists": printed.get(rid, []),
                "cited": len(cited),
            }
        )
    return out


# -- the page --------------------------------------------------------------------------------
def render_report(
    kb: KBData,
    *,
    title: str | None = None,
    language: Language | None = None,
    compress: bool | None = None,
) -> str:
    """Return the evidence map of ``kb`` as one self-contained HTML page.

    Parameters
    ----------
    kb
        The knowledge base.
    title
        The page title; by default "Evidence map" with the number of reviews and findings below.
    language
        The language the page opens in (``"nl"``, ``"en"``; a switch gives the other); by
        default the one language the reviews name in ``reviews.csv``, else Dutch.
    compress
        Embed the data gzip-compressed (base64 text, unpacked by the browser's own
        ``DecompressionStream``): a page of 100,000 findings shrinks about fivefold. ``None``
        (the default) compresses when the data would take more than
        :data:`COMPRESS_ABOVE` characters, so a small map stays plain, readable text.

    Returns
    -------
    str
        The HTML page (UTF-8 text).
    """
    from markupsafe import Markup

    data = report_data(kb)
    # the printed lists of sources/ as read once at load (never read again here)
    bibliography = build_bibliography(kb.sources) if kb.sources is not None else None
    per_review, other_lists, groups = reference_lists(bibliography, kb.references)
    blocks: list[str] = []
    reviews = _reviews(kb, data, per_review, blocks)
    script, css = _inline_assets()
    packed = pack_data(data, blocks)
    page = _page_fields(data)
    del data  # the packed form holds it all; the unpacked one is not kept while it is written
    text, zipped_blocks, compress = _embedded(packed, blocks, reviews, compress)
    del packed
    return _template().render(
        language=review_language(language, kb.reviews.to_dict("records")),
        title=title or "Evidence map",
        **page,
        n_references=len(kb.references),
        reviews=reviews,
        other_lists=other_lists,
        groups=groups,
        rule_names=_RULE_NAMES,
        css=Markup(css),
        script=Markup(script),
        data=Markup(text),
        blocks=Markup(zipped_blocks),
        encoding="gzip+base64" if compress else "",
    )


def _page_fields(data: dict[str, Any]) -> dict[str, Any]:
    """What the page's template shows of :func:`report_data` besides the embedded data."""
    return {
        "version": data["version"],
        "n_findings": len(data["findings"]),
        "n_reviews": len(data["reviews"]),
        "frameworks": data["frameworks"],
        "charting": data["charting"],
        "crosswalk_intro": _crosswalk_intro(data),
    }


def _crosswalk_intro(data: dict[str, Any]) -> dict[str, str]:
    """The crosswalk's opening words in both languages, naming this knowledge base's frameworks
    (those the crosswalk links, else all): never a framework it does not have."""
    fw_of = {e: v["fw"] for e, v in data["elements"].items()}
    linked = {fw_of.get(link[end]) for link in data["crosswalk"] for end in ("source", "target")}
    names = [f for f in data["frameworks"] if f["id"] in linked] or data["frameworks"]
    intro: dict[str, str] = {}
    conjunctions: tuple[tuple[Language, str], ...] = (("nl", " en "), ("en", " and "))
    for language, conjunction in conjunctions:
        labels = [f[language] or f["nl"] for f in names]
        joined = conjunction.join([", ".join(labels[:-1]), labels[-1]]) if len(labels) > 1 else ""
        intro[language] = word("crosswalk_intro", language).format(
            frameworks=joined or (labels[0] if labels else "-")
        )
    return intro


def _embedded(
    packed: dict[str, Any], blocks: list[str], reviews: list[dict], compress: bool | None
) -> tuple[str, str, bool]:
    """The data and the blocks as the page embeds them, and whether they are compressed.

    Plain, the data is JSON (escaped for the script element) and each block is HTML in the
    page; compressed, both are gzip and base64 and the page holds no block's HTML.
    """
    parts = packed.pop("blocks")
    blocks_size = sum(map(len, blocks))
    if compress is None:  # the strings alone over the limit: the JSON is larger still
        compress = sum(map(len, packed["strings"])) + blocks_size > COMPRESS_ABOVE
        compress = compress or len(data_json(packed)) + blocks_size > COMPRESS_ABOVE
    if not compress:
        return data_json(packed), "", False
    for block in _blocks_of(reviews):  # the blocks are unpacked when one is first opened
        block["html"] = None
    blocks.clear()
    return _compressed_json(packed), _compressed_json(parts), True


def _compressed_json(value: Any) -> str:
    """``value`` as gzip-compressed JSON in base64 (which no HTML can end: nothing to escape)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def _blocks_of(reviews: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for r in reviews for b in r["factsheets"]]


def _inline_assets() -> tuple[str, str]:
    """The page's script and style sheet, checked that they can be inlined."""

    script = read_package_text(_PACKAGE, "report.js")
    css = read_package_text(_PACKAGE, "report.css")
    if "</script" in script.lower() or "</style" in css.lower():
        msg = "report.js or report.css contains a closing tag; it cannot be inlined"
        raise ValueError(msg)
    return script, css


def _template() -> Template:
    """The page template, autoescaping, with a ``markup`` filter for HTML built here."""
    from jinja2 import DictLoader, Environment, StrictUndefined
    from markupsafe import Markup

    template = read_package_text(_PACKAGE, "report.html.j2")
    env = Environment(
        loader=DictLoader({"report.html.j2": template}),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markup"] = Markup  # only for HTML this module built (escaped) or matplotlib SVG
    return env.get_template("report.html.j2")


def write_report(
    kb: KBData,
    out_dir: str | os.PathLike[str],
    *,
    title: str | None = None,
    language: Language | None = None,
    compress: bool | None = None,
) -> Path:
    """Write the evidence map of ``kb`` to ``out_dir/index.html`` and return its path.

    The page is self-contained (styles, script, figures and data inline; nothing is fetched)
    and works opened from disk: share the one file. It shows the evidence gap map (elements x
    reviews, split by promoting and hindering, gaps marked), the crosswalk between the
    frameworks with the evidence behind each link, per review the factsheet table, the
    PRISMA-ScR flow and the reference list with its duplicates, and filters (direction, concept,
    review, framework, text) that apply everywhere; Dutch, with an English switch.

    Parameters
    ----------
    kb
        The knowledge base (:func:`evidence_kb.load`).
    out_dir
        The directory (created if needed). The file is written to a temporary file first and
        then renamed, so a failure never leaves half a page. A knowledge-base directory is
        refused (an ``InputError``; nothing is written).
    title
        The page title (default "Evidence map").
    language
        The language the page opens in (see :func:`render_report`).
    compress
        Embed the data compressed (see :func:`render_report`; by default only a large map).

    Returns
    -------
    pathlib.Path
        ``out_dir/index.html``.

    Examples
    --------
    >>> import tempfile
    >>> path = write_report(ekb.load(), tempfile.mkdtemp())
    >>> path.name, path.stat().st_size > 100_000
    ('index.html', True)
    """

    path = check_output(
        Path(out_dir) / "index.html", kb_dir=kb.data_dir, way_out="pass another --out (out_dir)"
    )
    write_text(path, render_report(kb, title=title, language=language, compress=compress))
    return path
