"""Pictures where a picture says more than a table. Each function returns the matplotlib Axes.

Computing stays in :mod:`evidence_kb.graph.queries`; these functions only draw what a query
returns, so a researcher can restyle the Axes (titles, colours, sizes) as with any matplotlib
plot. matplotlib is imported when a function is called. Without ``ax=`` a function makes a new
figure through :mod:`matplotlib.pyplot`, so a Jupyter notebook shows it below the cell (and
``plt.show()`` in a script); on a machine without a screen pyplot uses the Agg backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

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


def _labels(kb: Any, ids: list[str]) -> list[str]:
    labels = dict(zip(kb.elements["element_id"], kb.elements["label_nl"], strict=True))
    return [labels.get(i, i) for i in ids]


def plot_gap_map(
    kb: Any, *, framework: str = "liso", cols: str = "review", ax: Axes | None = None
) -> Axes:
    """Draw the evidence gap map of one framework as a heatmap with the counts in the cells.

    Rows are the framework's elements and themes, columns the reviews; an empty cell is a gap.

    Examples
    --------
    >>> ax = plot_gap_map(ekb.load(), framework="liso")
    >>> ax.get_title()
    'Evidence gap map: liso x review'
    """
    from evidence_kb.graph.queries import gap_map

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
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=30, ha="right")
    ax.set_yticks(range(matrix.shape[0]), _labels(kb, [str(i) for i in matrix.index]), fontsize=8)
    ax.set_title(f"Evidence gap map: {framework} x {cols}")
    ax.figure.colorbar(image, ax=ax, label="findings", shrink=0.6)
    return ax


def _cells(values: Any) -> list[tuple[tuple[int, int], int]]:
    return [((i, j), int(v)) for i, row in enumerate(values) for j, v in enumerate(row)]


def plot_evidence_by_direction(
    kb: Any, *, framework: str = "liso", level: str = "core_element", ax: Axes | None = None
) -> Axes:
    """Draw the number of findings per element, split into promoting, hindering and other.

    Findings about a theme count for its core element (``level="core_element"``).
    """
    elements = kb.elements[kb.elements["framework"] == framework]
    parent = dict(zip(elements["element_id"], elements["parent"], strict=True))
    wanted = elements[elements["level"] == level].sort_values("order")["element_id"].tolist()

    def owner(element_id: str) -> str | None:
        while element_id and element_id not in wanted:
            element_id = parent.get(element_id, "")
        return element_id or None

    from evidence_kb.model.vocab import NOT_EVIDENCE_KINDS

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
    labels = _labels(kb, wanted)
    for direction, colour in DIRECTION_COLOURS.items():
        values = counts[direction].tolist()
        ax.barh(labels, values, left=left, color=colour, label=direction)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("findings")
    ax.set_title(f"Evidence per element of {framework}, by direction")
    ax.legend(frameon=False, loc="lower right")
    return ax


def plot_crosswalk(kb: Any, *, ax: Axes | None = None) -> Axes:
    """Draw the crosswalk: the links the sources state between elements of different frameworks.

    Nodes are coloured by framework; edges are solid for overlaps and dashed for differences.
    """
    import networkx as nx

    from evidence_kb.graph.queries import as_graph

    crosswalk = as_graph(kb).graph["index"].crosswalk  # as the graph loaded and checked it
    G = nx.Graph()
    framework_of = dict(zip(kb.elements["element_id"], kb.elements["framework"], strict=True))
    for row in crosswalk.itertuples(index=False):
        G.add_edge(row.source_element, row.target_element, relation=row.relation)
    ax = _axes(ax, (9, 7))
    positions = nx.spring_layout(G, seed=7, k=1.2)  # seeded: the same picture every time
    colours = [FRAMEWORK_COLOURS.get(framework_of.get(n, ""), "#999999") for n in G]
    nx.draw_networkx_nodes(G, positions, node_color=colours, node_size=420, ax=ax, alpha=0.9)
    for relation, style in (("overlap", "solid"), ("same_as", "solid"), ("difference", "dashed")):
        edges = [(u, v) for u, v, d in G.edges(data=True) if d["relation"] == relation]
        nx.draw_networkx_edges(G, positions, edgelist=edges, style=style, ax=ax, alpha=0.6)
    others = [
        (u, v)
        for u, v, d in G.edges(data=True)
        if d["relation"] not in ("overlap", "same_as", "difference")
    ]
    nx.draw_networkx_edges(G, positions, edgelist=others, style="dotted", ax=ax, alpha=0.6)
    nx.draw_networkx_labels(
        G, positions, dict(zip(G, _labels(kb, list(G)), strict=True)), font_size=7, ax=ax
    )
    for framework, colour in FRAMEWORK_COLOURS.items():
        ax.scatter([], [], color=colour, label=framework)
    ax.legend(frameon=False, loc="lower left", fontsize=8)
    ax.set_title("Crosswalk between the frameworks (solid: overlap, dashed: difference)")
    ax.set_axis_off()
    return ax
