"""Write the evidence graph for other tools: GraphML, GEXF (Gephi), node-link JSON (Cytoscape, D3).

The writers work on a copy that holds only what the formats can carry: the graph-level
``index`` (DataFrames) is dropped, missing values become '', lists become ``;``-joined text, and an
attribute that has values of mixed types becomes text everywhere. Each edge gets an ``id``
(``<source>-><target>:<key>``) so that the parallel edges of the multigraph stay apart.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.io.guard import check_output
from evidence_kb.io.text import clean_control_characters, read_text, write_bytes, write_text

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMATS",
    "export_copy",
    "read_node_link_json",
    "write_gexf",
    "write_graph",
    "write_graphml",
    "write_node_link_json",
]

FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json"}


def _scalar(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_control_characters(value)  # XML cannot hold them
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return "" if value != value else value
    if isinstance(value, list | tuple | set | frozenset):
        return clean_control_characters(";".join(str(v) for v in value))
    try:
        import pandas as pd

        if value is pd.NA:
            return ""
    except ImportError:  # pragma: no cover
        pass
    if hasattr(value, "item"):  # numpy scalars
        return _scalar(value.item())
    return clean_control_characters(str(value))


def _uniform(records: list[dict]) -> None:
    """Make every attribute one type across records (text when the types are mixed)."""
    types: dict[str, set[type]] = {}
    for data in records:
        for key, value in data.items():
            types.setdefault(key, set()).add(bool if isinstance(value, bool) else type(value))
    mixed = {k for k, ts in types.items() if len(ts) > 1 and ts != {int, float}}
    floats = {k for k, ts in types.items() if ts == {int, float}}
    for data in records:
        for key in mixed & data.keys():
            data[key] = str(data[key])
        for key in floats & data.keys():
            data[key] = float(data[key])


def export_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of ``G`` whose attributes GraphML, GEXF and JSON can all store."""
    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items() if k != "index"})
    nodes = [(n, {k: _scalar(v) for k, v in d.items()}) for n, d in G.nodes(data=True)]
    edges = [
        (u, v, k, {"id": f"{u}->{v}:{k}", **{a: _scalar(x) for a, x in d.items()}})
        for u, v, k, d in G.edges(keys=True, data=True)
    ]
    _uniform([d for _, d in nodes])
    _uniform([d for *_, d in edges])
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    return H


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``G`` as GraphML (yEd, Gephi, Cytoscape); return the path.

    Read it back with ``networkx.read_graphml(path, force_multigraph=True)``.
    """
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(export_copy(G), buffer, encoding="utf-8", named_key_ids=True)
    write_bytes(path, buffer.getvalue())  # atomic: a crash leaves the old file intact
    return Path(path)


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``G`` as GEXF 1.2 (Gephi); return the path. Read it back with ``nx.read_gexf``."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(export_copy(G), buffer, encoding="utf-8")
    write_bytes(path, buffer.getvalue())
    return Path(path)


def write_node_link_json(G: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``G`` as node-link JSON (D3, Cytoscape.js via a small mapping); return the path.

    The file has ``nodes`` (each with ``id`` and its attributes) and ``edges`` (each with
    ``source``, ``target``, ``key`` and attributes). Read it back with :func:`read_node_link_json`.
    """
    import networkx as nx

    data = nx.node_link_data(export_copy(G), edges="edges")
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1))
    return Path(path)


def read_node_link_json(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_node_link_json`."""
    import networkx as nx

    data = json.loads(read_text(path))
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def write_graph(
    G: nx.MultiDiGraph, path: str | os.PathLike[str], *, format: str | None = None
) -> Path:
    """Write ``G`` in the format named by ``format`` or by the file extension.

    Parameters
    ----------
    G
        The evidence graph.
    path
        The file to write.
    format
        ``graphml``, ``gexf`` or ``json``; by default from the extension of ``path``.

    Raises
    ------
    ValueError
        If the format is neither given nor clear from the extension.
    InputError
        If ``path`` is inside a knowledge-base directory or named like a knowledge base's own
        file (``references.json``); nothing is written.
    """
    path = check_output(path, kb_names=True, way_out="pass another --out")
    fmt = format or {ext: name for name, ext in FORMATS.items()}.get(path.suffix.lower())
    writers = {"graphml": write_graphml, "gexf": write_gexf, "json": write_node_link_json}
    if fmt not in writers:
        msg = f"cannot tell the format of {path.name!r}: use format= one of {', '.join(writers)}"
        raise ValueError(msg)
    return writers[fmt](G, path)
