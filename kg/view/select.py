"""Choose what a graph page shows: one neighbourhood, some node types, recent papers, the most
important nodes.

:func:`select` is a plain function over a graph; it returns a :class:`Selection` (the chosen
subgraph, every node's importance in the whole graph, and plain-text notes saying what was
left out and how to see it). :mod:`kg.exporters.html` draws a selection; ``kg view`` is the
command line over both. Importance is PageRank over the undirected graph (each linked pair of
nodes counted once), or the nodes' own ``pagerank`` attribute where every node has one.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("paper:a", kind="paper", label="Attention", year=2017)
>>> G.add_node("paper:b", kind="paper", label="Old", year=2001)
>>> G.add_node("method:transformer", kind="method", label="Transformer", aliases=["TF"])
>>> G.add_edge("paper:a", "method:transformer", key="mentions")
'mentions'
>>> chosen = select(G, focus="tf")
>>> sorted(chosen.graph), chosen.left_out
(['method:transformer', 'paper:a'], 1)
>>> sorted(select(G, since=2010).graph)
['method:transformer', 'paper:a']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

from kg.analytics.lookup import resolve
from kg.errors import NotFoundError
from kg.graph.build import paper_year
from kg.schema import CO_OCCURS
from kg.view.topics import salience

NODE_TYPES = ("paper", "method", "dataset", "task", "metric", "concept")
NOT_FOLLOWED = frozenset({CO_OCCURS})  # derived from paper -> entity links: a shortcut, not a step


@dataclass(frozen=True)
class Selection:
    """What a page shows: ``graph`` (the whole graph or a read-only subgraph view of it),
    ``importance`` (PageRank of every node in the whole graph), the whole graph's size, the
    focus node (or None), ``notes``: plain sentences on what was left out and how to see it, and
    ``source``: the graph it was chosen from."""

    graph: object
    importance: dict
    total_nodes: int
    total_edges: int
    focus: str | None = None
    notes: tuple[str, ...] = field(default=())
    source: object = None

    @property
    def left_out(self) -> int:
        """How many nodes of the whole graph are not in the selection."""
        return self.total_nodes - self.graph.number_of_nodes()


def select(
    graph,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Iterable[str] | None = None,
    since: int | None = None,
    max_nodes: int | None = None,
    command: str = "kg view graph.json",
    ranks: dict | None = None,
) -> Selection:
    """The part of ``graph`` to draw, with notes on what was left out.

    Steps, in this order: ``focus`` keeps the nodes within ``depth`` links of the node named
    ``focus`` (id, name, title or alias; co-occurrence links are not followed); ``since``
    keeps papers of that year or later (undated papers are left out) and the entities they
    link to; ``types`` keeps those node kinds (and the focus node); ``max_nodes`` keeps the most
    important nodes (PageRank in the whole graph discounted for generic terms, see
    :func:`kg.view.topics.salience`; the focus node always stays). ``command``
    is how the notes tell a user to draw more; ``ranks``, :func:`importance` if already known.
    """
    if depth < 0 or (max_nodes is not None and max_nodes < 1):
        raise ValueError("depth must be >= 0 and max_nodes >= 1")
    ranks = ranks if ranks is not None else importance(graph)
    keep, notes, center = set(graph), [], None
    if focus is not None:
        center = find(graph, focus)
        keep = neighbourhood(graph, center, depth)
        notes.append(_focus_note(graph, center, depth, len(keep)))
    if since is not None:
        keep, note = _since(graph, keep, since, center)
        notes.append(note)
    if types:
        keep, note = _types(graph, keep, types, center)
        notes.append(note)
    if max_nodes is not None and len(keep) > max_nodes:
        weights = salience(graph, ranks)
        ranked = sorted(keep, key=lambda node: (node != center, -weights[node], str(node)))
        notes.append(_max_note(len(keep), max_nodes, command, center is None))
        keep = set(ranked[:max_nodes])
    if len(keep) < len(graph):
        notes.insert(0, f"Showing {len(keep):,} of {len(graph):,} nodes: {len(graph) - len(keep):,} left out.")
    chosen = graph if len(keep) == len(graph) else graph.subgraph(keep)
    return Selection(chosen, ranks, len(graph), graph.number_of_edges(), center, tuple(notes), source=graph)


def importance(graph, skeleton=None) -> dict:
    """PageRank of every node: the ``pagerank`` attribute when every node has a number there,
    else computed over :func:`undirected` (``skeleton``, when the caller has built it already).

    >>> import networkx as nx
    >>> ranks = importance(nx.MultiDiGraph([("a", "hub"), ("b", "hub"), ("c", "hub")]))
    >>> max(ranks, key=ranks.get), round(sum(ranks.values()), 6)
    ('hub', 1.0)
    """
    import networkx as nx

    given = {node: attrs.get("pagerank") for node, attrs in graph.nodes(data=True)}
    if given and all(_is_number(value) for value in given.values()):
        return {node: float(value) for node, value in given.items()}
    skeleton = skeleton if skeleton is not None else undirected(graph)
    if not len(skeleton):
        return {}
    try:
        return nx.pagerank(skeleton, weight=None)
    except nx.PowerIterationFailedConvergence:
        total = 2 * skeleton.number_of_edges() + len(skeleton)
        return {node: (skeleton.degree(node) + 1) / total for node in skeleton}


def undirected(graph, order: list | None = None):
    """A ``networkx.Graph`` of ``graph``'s nodes (in ``order``, default sorted by id) with one
    edge per linked pair, added in a fixed order so every result built on it is deterministic."""
    import networkx as nx

    order = order if order is not None else sorted(graph, key=str)
    position = {node: i for i, node in enumerate(order)}
    pairs = set()
    for u, v in graph.edges():
        i, j = position[u], position[v]
        if i != j:
            pairs.add((i, j) if i < j else (j, i))
    skeleton = nx.Graph()
    skeleton.add_nodes_from(order)
    skeleton.add_edges_from((order[i], order[j]) for i, j in sorted(pairs))
    return skeleton


def find(graph, name: str) -> str:
    """The node called ``name``, resolved as everywhere in ``kg`` (:func:`kg.analytics.lookup.resolve`:
    an id, a name or title, an alias or spelling, then a close typo; the error lists close names)."""
    return resolve(graph, name)


def neighbourhood(graph, center, depth: int) -> set:
    """The nodes within ``depth`` links of ``center`` (either direction, any kind of link
    but co-occurrence)."""
    seen, frontier = {center}, [center]
    for _ in range(depth):
        step = []
        for node in frontier:
            for _, other, key in graph.out_edges(node, keys=True):
                step.append((other, key))
            for other, _, key in graph.in_edges(node, keys=True):
                step.append((other, key))
        frontier = [other for other, key in step if key not in NOT_FOLLOWED and other not in seen]
        seen.update(frontier)
    return seen


def node_kind(attrs: dict) -> str:
    """The kind of a node (``other`` when it has none)."""
    return str(attrs.get("kind") or "other")


# The steps


def _since(graph, keep: set, since: int, center) -> tuple[set, str]:
    papers = {n for n in keep if node_kind(graph.nodes[n]) == "paper"}
    recent = {n for n in papers if (paper_year(graph.nodes[n]) or -math.inf) >= since}
    undated = sum(1 for n in papers if paper_year(graph.nodes[n]) is None)

    def stays(node) -> bool:
        if node in papers:
            return node in recent or node == center
        linked = [p for p in graph.predecessors(node) if node_kind(graph.nodes[p]) == "paper"]
        return not linked or any(p in recent for p in linked) or node == center

    kept = {node for node in keep if stays(node)}
    note = (f"Papers from {since} on: {len(recent):,} of {len(papers):,} papers "
            f"({undated:,} without a year left out), {len(kept):,} nodes in all.")
    return kept, note


def _types(graph, keep: set, types: Iterable[str], center) -> tuple[set, str]:
    wanted = {str(kind).strip() for kind in types if str(kind).strip()}
    present = {node_kind(attrs) for _, attrs in graph.nodes(data=True)}
    unknown = sorted(wanted - present - set(NODE_TYPES))
    if unknown:
        choices = ", ".join(sorted(present | set(NODE_TYPES)))
        raise NotFoundError(f"No node type {', '.join(map(repr, unknown))}. Available: {choices}")
    kept = {node for node in keep if node_kind(graph.nodes[node]) in wanted or node == center}
    return kept, f"Node types {', '.join(sorted(wanted))}: {len(kept):,} nodes."


def _focus_note(graph, center, depth: int, count: int) -> str:
    attrs = graph.nodes[center]
    name = " ".join(str(attrs.get("label") or center).split())
    return f"Neighbourhood of {name} ({node_kind(attrs)}), {depth} link(s) deep: {count:,} nodes."


def _max_note(count: int, max_nodes: int, command: str, offer_focus: bool) -> str:
    note = (f"Only the {max_nodes:,} most important of {count:,} nodes (by PageRank, generic terms "
            f"discounted) are drawn. "
            f"To see the rest, run {command} --max-nodes {count}")
    return note + (f" (all of them) or {command} --focus NAME (one neighbourhood)." if offer_focus else ".")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
