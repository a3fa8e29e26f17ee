"""The shortest explanation between two nodes, with the evidence for every hop.

The path runs over ``mentions``, ``proposes``, ``cites`` and ``builds_on`` edges in either
direction, and over the relations extraction states between entities (``used_for``,
``evaluated_on``, ``measures``, ``compares``, ``narrower``) when there are any (``co_occurs``
is left out: two entities always meet through a paper, which gives the sentences).

A hop to or from an entity costs more the more papers mention it, ``1 + log(n) / log(N)``
for n of the N papers; so does a builds-on link, through its least common entity, and a
stated relation, through its more common end. So a path through a specific method beats one
through "deep learning". A citation costs 1.
"""

from __future__ import annotations

import math

from kg.analytics.base import as_graph, cached, name_of, paper_counts, paper_years
from kg.analytics.lookup import resolve
from kg.analytics.records import Explanation, Hop, Table
from kg.errors import NotFoundError
from kg.schema import (
    BUILDS_ON,
    CITES,
    COMPARES,
    EVALUATED_ON,
    MEASURES,
    MENTIONS,
    NARROWER,
    PROPOSES,
    RELATION_KINDS,
    USED_FOR,
)

# Preferred first when a pair has several: what a paper states before what is inferred.
RELATIONS = (PROPOSES, CITES, USED_FOR, EVALUATED_ON, MEASURES, COMPARES, NARROWER, BUILDS_ON, MENTIONS)


def path(graph, source: str, target: str) -> Explanation:
    """The shortest explanation from ``source`` to ``target`` (names or node ids).

    Raises :class:`~kg.errors.NotFoundError` when either name is unknown or nothing connects them.

    Examples
    --------
    >>> import kg
    >>> p = kg.path(kg.example_graph(), "LoRA", "GPT-3")
    >>> [hop.relation for hop in p.hops], p.hops[-1].target_name
    (['proposes', 'mentions'], 'GPT-3')
    >>> print(p)  # doctest: +ELLIPSIS
    LoRA: Low-Rank Adaptation of Large Language Models -[proposes]-> Low-Rank Adaptation
    ...
    """
    import networkx as nx

    graph = as_graph(graph)
    a, b = resolve(graph, source), resolve(graph, target)
    view = cached(graph, "path-view", lambda: _undirected(graph))
    try:
        _, nodes = nx.bidirectional_dijkstra(view, a, b)
    except nx.NetworkXNoPath as error:
        raise NotFoundError(f"nothing in the graph connects {name_of(graph, a)!r} and {name_of(graph, b)!r}") from error
    hops = [_hop(graph, view, u, v) for u, v in zip(nodes, nodes[1:])]
    return Explanation(tuple(nodes), Table(hops, Hop))


def _undirected(graph):
    """A simple undirected weighted graph of the explaining edges, built in sorted order."""
    import networkx as nx

    scale = math.log(max(len(paper_years(graph)), 2))
    counts = paper_counts(graph)
    view = nx.Graph()
    view.add_nodes_from(sorted(graph))
    for u, v, key in sorted(graph.edges(keys=True)):
        if key not in RELATIONS:
            continue
        if key in (MENTIONS, PROPOSES):
            used = counts[v]
        elif key in RELATION_KINDS:
            used = max(counts[u], counts[v])
        elif key == BUILDS_ON:
            used = min((counts[e] for e in graph.edges[u, v, key].get("entities", ()) if e in graph),
                       default=1)
        else:
            used = 1
        weight = 1.0 + math.log(max(used, 1)) / scale
        current = view.get_edge_data(u, v)
        if current is None or RELATIONS.index(key) < RELATIONS.index(current["relation"]):
            view.add_edge(u, v, weight=weight, relation=key, source=u, target=v)
    return view


def _hop(graph, view, u: str, v: str) -> Hop:
    data = view.edges[u, v]
    source, target, relation = data["source"], data["target"], data["relation"]
    attrs = graph.edges[source, target, relation]
    evidence = attrs.get("sentence", "")
    if relation == CITES:
        evidence = "reference list"
    elif relation in RELATION_KINDS:
        paper = next((p for p in (attrs.get("paper"), f"paper:{attrs.get('paper')}") if p in graph), None)
        source_of = f" ({name_of(graph, paper)})" if paper else ""
        evidence = (evidence or attrs.get("reason", "")) + source_of
    elif relation == BUILDS_ON:
        names = ", ".join(name_of(graph, e) for e in attrs.get("entities", []))
        evidence = f"inferred via {names}: {evidence}" if evidence else f"inferred via {names}"
    return Hop(source, name_of(graph, source), relation, target, name_of(graph, target), evidence)
