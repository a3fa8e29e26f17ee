"""GraphML export (yEd, Cytoscape, networkx): every attribute kept, read back with :func:`read`.

GraphML holds only strings, numbers and booleans, so list attributes (``aliases``,
``authors``, ``entities``, ...) are written as JSON text and their names kept in the graph
attribute ``json_attributes``; :func:`read` turns them back into lists. Nodes and edges are
written in sorted order: the same graph gives the same file.

Examples
--------
>>> import kg
>>> text = dumps(kg.example_graph().graph)
>>> text.startswith("<graphml") and "builds_on" in text
True
"""

from __future__ import annotations

import json
import os

from kg.fileio import write_atomic


def flat(graph, renames: dict | None = None):
    """A sorted copy of ``graph`` whose list and dict attributes are JSON text (their names in
    the graph attribute ``json_attributes``), attributes renamed by ``renames``."""
    import networkx as nx

    renames = renames or {}
    encoded: set[str] = set()

    def flat_attrs(attrs: dict) -> dict:
        out = {}
        for name, value in sorted(attrs.items()):
            if isinstance(value, (list, tuple, dict)):
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
                encoded.add(name)
            if value is not None:
                out[renames.get(name, name)] = value
        return out

    flat_graph = nx.MultiDiGraph()
    for node in sorted(graph):
        flat_graph.add_node(node, **flat_attrs(graph.nodes[node]))
    for u, v, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        flat_graph.add_edge(u, v, key=key, **flat_attrs(attrs))
    flat_graph.graph.update(flat_attrs(graph.graph))
    flat_graph.graph["json_attributes"] = " ".join(sorted(renames.get(n, n) for n in encoded))
    return flat_graph


def dumps(graph) -> str:
    """The graph as GraphML text (lists as JSON text)."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(flat(graph))) + "\n"


def read(path: str | os.PathLike):
    """The ``MultiDiGraph`` back from GraphML that :func:`dumps` wrote (lists restored)."""
    import networkx as nx

    graph = nx.read_graphml(path, force_multigraph=True)
    for name in ("node_default", "edge_default"):
        if not graph.graph.get(name):
            graph.graph.pop(name, None)
    encoded = set(graph.graph.pop("json_attributes", "").split())
    for attrs in [graph.graph, *(a for _, a in graph.nodes(data=True)), *(a for *_, a in graph.edges(data=True))]:
        for name in encoded & set(attrs):
            attrs[name] = json.loads(attrs[name])
    return graph


def write(graph, path) -> None:
    """Write the GraphML export atomically."""
    write_atomic(path, dumps(graph))
