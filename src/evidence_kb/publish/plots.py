"""Pictures where a picture says more than a table. Each function returns the matplotlib Axes.

Computing stays in :mod:`evidence_kb.graph.queries`; these functions only draw what a query
returns, so a researcher can restyle the Axes (titles, colours, sizes) as with any matplotlib
plot. matplotlib is imported when a function is called. Without ``ax=`` a function makes a new
figure through :mod:`matplotlib.pyplot`, so a Jupyter notebook shows it below the cell (and
``plt.show()`` in a script); on a machine without a screen pyplot uses the Agg backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evidence_kb.graph.queries import as_graph, gap_map
from evidence_kb.graph.queries.common import _framework, _index
from evidence_kb.model.errors import UnknownIdError
from evidence_kb.model.i18n import Language, review_language, word
from evidence_kb.model.tree import ElementTree
from evidence_kb.model.vocab import NOT_EVIDENCE_KINDS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from evidence_kb.model.data import KBData

# Colour-blind safe (Okabe-Ito): promoting blue-green, hindering vermillion, other grey
DIRECTION_COLOURS = {"promoting": "#009E73", "hindering": "#D55E00", "none": "#999999"}
FRAMEWORK_COLOURS = {
    "liso": "#0072B2",
    "liso-2025": "#56B4E9",
    "tno-lo": "#E69F00",
    "lc": "#CC79A7",
}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """The given Axes, or a new pyplot figure's, so that Jupyter shows it below the cell."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def literal_text(text: object) -> str:
    r"""``text`` for matplotlib as it is: a ``$`` is a dollar sign, never the start of math.

    Matplotlib reads text between two ``$`` as math and fails on what is not (a title such as
    "Costs in $ and $$"); labels and titles from the data go through here.

    Examples
    --------
    >>> literal_text("Kosten in $ en $$")
    'Kosten in \\$ en \\$\\$'
    """
    return str(text).replace("$", r"\$")


def _labels(kb: KBData, ids: list[str], language: Language = "nl") -> list[str]:
    """The label of each element in ``language`` (the other language's when it has none)."""
    nl = dict(zip(kb.elements["element_id"], kb.elements["label_nl"], strict=True))
    en = dict(zip(kb.elements["element_id"], kb.elements["label_en"], strict=True))
    first, other = (en, nl) if language == "en" else (nl, en)
    return [literal_text(first.get(i) or other.get(i) or i) for i in ids]


def default_framework(kb: KBData) -> str:
    """The framework a plot shows by default: the first (by ``order``, then id) with findings,
    else the first; an error when the knowledge base has no framework."""
    elements = kb.elements
    frameworks = elements[elements["level"] == "framework"].assign(
        _order=lambda f: f["order"].map(_rank)
    )
    ordered = frameworks.sort_values(["_order", "element_id"])["element_id"].tolist()
    if not ordered:
        msg = "this knowledge base has no framework to plot: add one to frameworks.csv"
        raise UnknownIdError(msg)
    framework_of = dict(zip(elements["element_id"], elements["framework"], strict=True))
    used = {framework_of.get(e) for e in kb.findings["element"]}
    return next((f for f in ordered if f in used), ordered[0])


def _language(kb: KBData, language: str | None) -> Language:
    return review_language(language, kb.reviews.to_dict("records"))


def plot_gap_map(
    kb: KBData,
    *,
    framework: str | None = None,
    cols: str = "review",
    ax: Axes | None = None,
    language: Language | None = None,
) -> Axes:
    """Draw the evidence gap map of one framework as a heatmap with the counts in the cells.

    Rows are the framework's elements and themes, columns the reviews; an empty cell is a gap.
    ``framework`` defaults to the first framework with findings (:func:`default_framework`);
    the element labels are in ``language`` (default: the reviews', else Dutch).

    Examples
    --------
    >>> ax = plot_gap_map(ekb.load(), framework="liso")
    >>> ax.get_title()
    'Evidence gap map: liso x review'
    """

    framework = framework or default_framework(kb)
    language = _language(kb, language)
    matrix = gap_map(kb, rows="element", cols=cols, framework=framework)
    matrix = matrix.loc[:, matrix.sum(axis=0) > 0] if cols == "review" else matrix
    ax = _axes(ax, (1.6 + 1.3 * matrix.shape[1], 1.0 + 0.32 * matrix.shape[0]))
    values = matrix.to_numpy()
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    for (i, j), value in _cells(values):
        colour = "white" if value > values.max() * 0.6 else "black"
        ax.text(
            j, i, str(value) if value else "·", ha="center", va="center", color=colour, fontsize=8
        )
    columns = [literal_text(c) for c in matrix.columns]
    ax.set_xticks(range(matrix.shape[1]), columns, rotation=30, ha="right")
    labels = _labels(kb, [str(i) for i in matrix.index], language)
    ax.set_yticks(range(matrix.shape[0]), labels, fontsize=8)
    ax.set_title(literal_text(f"Evidence gap map: {framework} x {cols}"))
    ax.figure.colorbar(image, ax=ax, label=word("findings_axis", language), shrink=0.6)
    return ax


def _cells(values: Any) -> list[tuple[tuple[int, int], int]]:
    return [((i, j), int(v)) for i, row in enumerate(values) for j, v in enumerate(row)]


def plot_evidence_by_direction(
    kb: KBData,
    *,
    framework: str | None = None,
    level: str = "core_element",
    ax: Axes | None = None,
    language: Language | None = None,
) -> Axes:
    """Draw the number of findings per element, split into promoting, hindering and other.

    Findings about a theme count for its core element (``level="core_element"``).
    ``framework`` defaults to the first framework with findings; labels are in ``language``.
    """
    framework = framework or default_framework(kb)
    language = _language(kb, language)
    if framework not in set(kb.elements.loc[kb.elements["level"] == "framework", "element_id"]):
        _framework(_index(as_graph(kb)), framework)  # an error that lists the frameworks
    elements = kb.elements[kb.elements["framework"] == framework]
    parent = dict(zip(elements["element_id"], elements["parent"], strict=True))
    wanted = elements[elements["level"] == level].sort_values("order")["element_id"].tolist()

    def owner(element_id: str) -> str | None:
        while element_id and element_id not in wanted:
            element_id = parent.get(element_id, "")
        return element_id or None

    findings = kb.findings[~kb.findings["kind"].isin(NOT_EVIDENCE_KINDS)]  # a gap, not evidence
    findings = findings.assign(
        _owner=findings["element"].map(owner),
        _direction=findings["direction"].fillna("none"),
    )
    counts = (
        findings.dropna(subset=["_owner"])
        .groupby(["_owner", "_direction"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=wanted, columns=list(DIRECTION_COLOURS), fill_value=0)
    )
    ax = _axes(ax, (8, 0.5 + 0.45 * len(wanted)))
    left = [0] * len(wanted)
    labels = _labels(kb, wanted, language)
    for direction, colour in DIRECTION_COLOURS.items():
        values = counts[direction].tolist()
        ax.barh(labels, values, left=left, color=colour, label=word(direction, language))
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel(word("findings_axis", language))
    ax.set_title(literal_text(f"Evidence per element of {framework}, by direction"))
    ax.legend(frameon=False, loc="lower right")
    return ax


def plot_crosswalk(kb: KBData, *, ax: Axes | None = None, language: Language | None = None) -> Axes:
    """Draw the crosswalk: the links the sources state between elements of different frameworks.

    Each framework is a column of its linked elements (in the framework's order), each element a
    labelled box in the framework's colour; the columns are ordered so that the most linked
    frameworks stand side by side, and a link that skips a column curves around it. Lines are
    solid for overlaps (and "same as"), dashed for differences, dotted for other relations;
    thicker when several links join the same two elements. Labels, title and legend are in
    ``language`` (default: the reviews', else Dutch).
    """

    crosswalk = as_graph(kb).graph["index"].crosswalk  # as the graph loaded and checked it
    framework_of = dict(zip(kb.elements["element_id"], kb.elements["framework"], strict=True))
    order = {e: i for i, e in enumerate(_tree_order(kb))}
    links: dict[tuple[str, str], list[str]] = {}
    for row in crosswalk.itertuples(index=False):
        pair = tuple(
            sorted((row.source_element, row.target_element), key=lambda e: order.get(e, 0))
        )
        links.setdefault(pair, []).append(row.relation)
    nodes = sorted({e for pair in links for e in pair}, key=lambda e: order.get(e, len(order)))
    frameworks = _column_order(
        list(dict.fromkeys(framework_of.get(n, n) for n in nodes)), links, framework_of
    )
    members = {f: [n for n in nodes if framework_of.get(n, n) == f] for f in frameworks}
    height = max((len(m) for m in members.values()), default=1)
    position = {}
    for i, names in enumerate(members.values()):
        top = (height - len(names)) / 2  # centre short columns
        for j, n in enumerate(names):
            position[n] = (i * 3.0, -(top + j) * 1.0)
    ax = _axes(ax, (max(6.0, 3.2 * len(frameworks)), 1.6 + 0.75 * height))
    _draw_links(ax, links, position)
    language = _language(kb, language)
    labels = dict(zip(position, _labels(kb, list(position), language), strict=True))
    for n, (x, y) in position.items():
        _draw_element(ax, x, y, labels[n], framework_of.get(n, ""))
    for i, f in enumerate(frameworks):
        colour = FRAMEWORK_COLOURS.get(f, "#333333")
        ax.text(
            i * 3.0,
            0.9,
            literal_text(f),
            ha="center",
            va="bottom",
            fontsize=10,
            fontweight="bold",
            color=colour,
        )
    ax.set_xlim(-1.6, 3.0 * max(len(frameworks) - 1, 0) + 1.6)
    ax.set_ylim(-height + 0.3, 1.6)
    _crosswalk_legend(ax, language)
    ax.set_title(word("crosswalk_title", language))
    ax.set_axis_off()
    return ax


def _column_order(
    frameworks: list[str], links: dict[tuple[str, str], list[str]], framework_of: dict[str, str]
) -> list[str]:
    """The frameworks in the order that puts the most linked ones side by side (up to 7)."""
    from itertools import permutations

    weight: dict[frozenset, int] = {}
    for a, b in links:
        fa, fb = framework_of.get(a, a), framework_of.get(b, b)
        if fa != fb:
            key = frozenset((fa, fb))
            weight[key] = weight.get(key, 0) + 1

    def spread(columns: tuple[str, ...]) -> int:  # weighted distance between linked columns
        at = {f: i for i, f in enumerate(columns)}
        return sum(
            w * abs(at[a] - at[b]) for (a, b), w in ((tuple(k), w) for k, w in weight.items())
        )

    if 1 < len(frameworks) <= 7:
        return list(min(permutations(frameworks), key=lambda p: spread(tuple(p))))
    return frameworks


def _draw_links(
    ax: Axes,
    links: dict[tuple[str, str], list[str]],
    position: dict[str, tuple[float, float]],
) -> None:
    """One line per linked pair of elements, curved when it skips a column."""
    from matplotlib.patches import FancyArrowPatch

    styles = {"overlap": "-", "same_as": "-", "difference": "--"}
    for (a, b), relations in links.items():
        (xa, ya), (xb, yb) = position[a], position[b]
        skip = abs(xa - xb) > 3.0 or xa == xb
        ax.add_patch(
            FancyArrowPatch(
                (xa, ya),
                (xb, yb),
                arrowstyle="-",
                connectionstyle=f"arc3,rad={0.35 if skip else 0.0}",
                linestyle=styles.get(relations[0], ":"),
                linewidth=0.8 + 0.6 * min(len(relations), 5),
                color="#555555",
                alpha=0.55,
                zorder=1,
            )
        )


def _draw_element(ax: Axes, x: float, y: float, label: str, framework: str) -> None:
    """An element: its label, wrapped, in a box of its framework's colour."""
    import textwrap

    colour = FRAMEWORK_COLOURS.get(framework, "#999999")
    text = "\n".join(textwrap.wrap(label, 24, break_on_hyphens=False)) or label
    bbox = {"boxstyle": "round,pad=0.35", "facecolor": "white", "edgecolor": colour, "lw": 1.6}
    ax.text(x, y, text, ha="center", va="center", fontsize=8, zorder=3, bbox=bbox)


def _crosswalk_legend(ax: Axes, language: Language) -> None:
    """The line styles of the relations, below the plot."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="#555555", linestyle="-", label=word("line_overlap", language)),
        Line2D([], [], color="#555555", linestyle="--", label=word("line_difference", language)),
        Line2D([], [], color="#555555", linestyle=":", label=word("line_other", language)),
    ]
    ax.legend(
        handles=handles,
        frameon=False,
        loc="lower center",
        ncols=3,
        fontsize=8,
        bbox_to_anchor=(0.5, -0.08),
    )


def _tree_order(kb: KBData) -> list[str]:
    """The element ids depth first, the children of each element in their ``order``."""
    elements = kb.elements.fillna("")
    ranks = [_rank(order) for order in elements["order"]]
    ordered = elements.assign(_rank=ranks).sort_values(["_rank", "element_id"], kind="stable")
    return ElementTree.from_frame(ordered).depth_first()


def _rank(order: object) -> float:
    """An element's ``order`` as a number (0 when it has none)."""
    try:
        return float(order)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
