"""The graph for other tools: a ``networkx`` copy, GraphML, GEXF (Gephi) and node-link data.

GraphML and GEXF hold only strings, numbers and booleans, so list attributes (``aliases``,
``authors``, ``entities``, ...) are written as JSON text and their names kept in the graph
attribute ``json_attributes``; :func:`read_graphml` turns them back into lists. In GEXF,
``start`` and ``end`` mean time, so the name offsets are written as ``name_start`` and
``name_end``. Nodes and edges are written in sorted order: the same graph gives the same file.

Examples
--------
>>> import kg
>>> text = to_graphml(kg.example_graph())
>>> text.startswith("<graphml") and "builds_on" in text
True
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from kg.analytics.base import as_graph
from kg.fileio import write_atomic

GEXF_RENAMES = {"start": "name_start", "end": "name_end"}


def to_networkx(graph):
    """A copy of the graph as a ``networkx.MultiDiGraph`` (change it freely).

    Examples
    --------
    >>> import kg
    >>> G = to_networkx(kg.example_graph())
    >>> G is kg.example_graph().graph, G.number_of_nodes() == kg.example_graph().graph.number_of_nodes()
    (False, True)
    """
    return as_graph(graph).copy()


def _flat(graph, renames: dict | None = None):
    """A sorted copy whose list and dict attributes are JSON text."""
    import networkx as nx

    graph = as_graph(graph)
    renames = renames or {}
    encoded: set[str] = set()

    def flat(attrs: dict) -> dict:
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
        flat_graph.add_node(node, **flat(graph.nodes[node]))
    for u, v, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        flat_graph.add_edge(u, v, key=key, **flat(attrs))
    flat_graph.graph.update(flat(graph.graph))
    flat_graph.graph["json_attributes"] = " ".join(sorted(renames.get(n, n) for n in encoded))
    return flat_graph


def to_graphml(graph) -> str:
    """The graph as GraphML text (lists as JSON text, see the module docstring).

    Examples
    --------
    >>> import kg
    >>> "<graphml" in to_graphml(kg.example_graph())
    True
    """
    import networkx as nx

    return "\n".join(nx.generate_graphml(_flat(graph))) + "\n"


def write_graphml(graph, path: str | os.PathLike = "exports/graph.graphml") -> Path:
    """Write GraphML atomically; returns the path.

    Examples
    --------
    >>> import kg, tempfile, os
    >>> path = write_graphml(kg.example_graph(), os.path.join(tempfile.mkdtemp(), "g.graphml"))
    >>> read_graphml(path).graph.number_of_edges() == kg.example_graph().graph.number_of_edges()
    True
    """
    return write_atomic(path, to_graphml(graph))


def read_graphml(path: str | os.PathLike):
    """A :class:`~kg.KnowledgeGraph` from GraphML that :func:`write_graphml` wrote (lists restored).

    Examples
    --------
    >>> import kg, tempfile, os
    >>> path = write_graphml(kg.example_graph(), os.path.join(tempfile.mkdtemp(), "g.graphml"))
    >>> aliases = kg.find(read_graphml(path), "LoRA")["aliases"]
    >>> aliases == kg.find(kg.example_graph(), "LoRA")["aliases"] and "LoRA" in aliases
    True
    """
    import networkx as nx

    from kg.knowledge_graph import KnowledgeGraph

    graph = nx.read_graphml(path, force_multigraph=True)
    for name in ("node_default", "edge_default"):
        if not graph.graph.get(name):
            graph.graph.pop(name, None)
    encoded = set(graph.graph.pop("json_attributes", "").split())
    for attrs in [graph.graph, *(a for _, a in graph.nodes(data=True)), *(a for *_, a in graph.edges(data=True))]:
        for name in encoded & set(attrs):
            attrs[name] = json.loads(attrs[name])
    return KnowledgeGraph(graph)


def to_gexf(graph) -> str:
    """The graph as GEXF 1.2 text for Gephi (lists as JSON text, offsets renamed; no
    modification date, so the same graph gives the same text on any day).

    Examples
    --------
    >>> import kg
    >>> text = to_gexf(kg.example_graph())
    >>> 'defaultedgetype="directed"' in text and "name_start" in text
    True
    """
    import networkx as nx

    text = "\n".join(nx.generate_gexf(_flat(graph, GEXF_RENAMES), version="1.2draft")) + "\n"
    return re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)


def write_gexf(graph, path: str | os.PathLike = "exports/graph.gexf") -> Path:
    """Write GEXF atomically; returns the path.

    Examples
    --------
    >>> import kg, tempfile, os, networkx as nx
    >>> path = write_gexf(kg.example_graph(), os.path.join(tempfile.mkdtemp(), "g.gexf"))
    >>> nx.read_gexf(path).number_of_nodes() == kg.example_graph().graph.number_of_nodes()
    True
    """
    return write_atomic(path, to_gexf(graph))


def node_link_data(graph) -> dict:
    """The node-link data of the graph, as ``graph.json`` holds it (nodes and edges sorted).

    Examples
    --------
    >>> import kg
    >>> data = node_link_data(kg.example_graph())
    >>> sorted(data), data["multigraph"]
    (['directed', 'edges', 'graph', 'multigraph', 'nodes'], True)
    """
    from kg.exporters.json import to_data

    return to_data(as_graph(graph))


def from_node_link_data(data: dict):
    """A :class:`~kg.KnowledgeGraph` from node-link data; the round trip gives an equal graph.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> back = from_node_link_data(node_link_data(kg.example_graph()))
    >>> nx.utils.graphs_equal(back.graph, kg.example_graph().graph)
    True
    """
    import networkx as nx

    from kg.knowledge_graph import KnowledgeGraph

    return KnowledgeGraph(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
