"""The graph for other tools: a ``networkx`` copy, GraphML, GEXF (Gephi) and node-link data.

The file formats are registered exporters (:mod:`kg.exporters.graphml`, :mod:`kg.exporters.gexf`,
:mod:`kg.exporters.json`); these functions take a :class:`~kg.KnowledgeGraph` or a
``networkx`` graph. :func:`kg.read_graphml` and :func:`kg.from_node_link_data` read them back.

Examples
--------
>>> import kg
>>> text = to_graphml(kg.example_graph())
>>> text.startswith("<graphml") and "builds_on" in text
True
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.analytics.base import as_graph
from kg.exporters import gexf, graphml
from kg.exporters.json import to_data
from kg.fileio import write_atomic


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


def to_graphml(graph) -> str:
    """The graph as GraphML text (lists as JSON text, see :mod:`kg.exporters.graphml`).

    Examples
    --------
    >>> import kg
    >>> "<graphml" in to_graphml(kg.example_graph())
    True
    """
    return graphml.dumps(as_graph(graph))


def write_graphml(graph, path: str | os.PathLike = "exports/graph.graphml") -> Path:
    """Write GraphML atomically; returns the path.

    Examples
    --------
    >>> import kg, tempfile, os
    >>> path = write_graphml(kg.example_graph(), os.path.join(tempfile.mkdtemp(), "g.graphml"))
    >>> kg.read_graphml(path).graph.number_of_edges() == kg.example_graph().graph.number_of_edges()
    True
    """
    return write_atomic(path, to_graphml(graph))


def to_gexf(graph) -> str:
    """The graph as GEXF 1.2 text for Gephi (see :mod:`kg.exporters.gexf`).

    Examples
    --------
    >>> import kg
    >>> 'defaultedgetype="directed"' in to_gexf(kg.example_graph())
    True
    """
    return gexf.dumps(as_graph(graph))


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
    return to_data(as_graph(graph))
