"""Ranking nodes: PageRank (computed once per graph), degree, or number of papers.

PageRank runs on a directed graph in which a paper points to the entities it mentions (but
not to those it proposes) and to the papers it cites and builds on, and an entity points to
the papers that propose it. An entity ranks high when many well-ranked papers use it; a paper
when it is cited or built on, or proposes entities that other papers use.
"""

from __future__ import annotations

from kg.analytics.base import as_graph, cached, kinds, paper_counts
from kg.analytics.records import Ranked, Table
from kg.schema import BUILDS_ON, CITES, MENTIONS, PROPOSES

MEASURES = ("pagerank", "degree", "papers")


def pagerank(graph) -> dict[str, float]:
    """PageRank of every node (see the module docstring for the graph it runs on), cached.

    Examples
    --------
    >>> import kg
    >>> ranks = pagerank(kg.example_graph())
    >>> round(sum(ranks.values()), 6)
    1.0
    """
    graph = as_graph(graph)
    return cached(graph, "pagerank", lambda: _pagerank(graph))


def _pagerank(graph) -> dict[str, float]:
    import networkx as nx

    flow = nx.DiGraph()
    flow.add_nodes_from(sorted(graph))
    for u, v, key in sorted(graph.edges(keys=True)):
        if key in (CITES, BUILDS_ON) or key == MENTIONS and PROPOSES not in graph.succ[u][v]:
            flow.add_edge(u, v)
        elif key == PROPOSES:
            flow.add_edge(v, u)
    return nx.pagerank(flow) if len(flow) else {}


def degree(graph, node: str) -> int:
    """The number of distinct neighbours of a node, over every edge kind, either direction.

    Examples
    --------
    >>> import kg
    >>> degree(kg.example_graph(), "method:BERT") > 10
    True
    """
    graph = as_graph(graph)
    return len(set(graph.succ[node]) | set(graph.pred[node]))


def top(graph, type=None, by: str = "pagerank", k: int = 20) -> Table:
    """The ``k`` highest-ranked nodes (of one type or several), ranked ``by`` ``"pagerank"``,
    ``"degree"`` or ``"papers"`` (papers mentioning an entity; citing or building on a paper).

    Examples
    --------
    >>> import kg
    >>> g = kg.example_graph()
    >>> "Attention Is All You Need" in [r.name for r in kg.top(g, type="paper", k=3)]
    True
    >>> "BERT" in [r.name for r in kg.top(g, type="method", k=10)], kg.top(g, type="metric", k=1)[0].name
    (True, 'accuracy')
    """
    graph = as_graph(graph)
    if by not in MEASURES:
        raise ValueError(f"cannot rank by {by!r}; choose one of: {', '.join(MEASURES)}")
    wanted = kinds(type)
    nodes = [n for n, a in graph.nodes(data=True) if wanted is None or a.get("kind") in wanted]
    scores = _scores(graph, nodes, by)
    best = sorted(nodes, key=lambda n: (-scores[n], n))[:k]
    counts = paper_counts(graph)
    return Table([_ranked(graph, n, scores[n], counts[n]) for n in best], Ranked)


def _scores(graph, nodes: list[str], by: str) -> dict:
    if by == "pagerank":
        ranks = pagerank(graph)
        return {n: round(ranks.get(n, 0.0), 6) for n in nodes}
    if by == "degree":
        degrees = cached(graph, "degrees", lambda: {n: degree(graph, n) for n in graph})
        return {n: degrees[n] for n in nodes}
    counts = paper_counts(graph)
    return {n: counts[n] for n in nodes}


def _ranked(graph, node: str, score, papers: int) -> Ranked:
    attrs = graph.nodes[node]
    return Ranked(node, attrs.get("kind", ""), attrs.get("label", node), score, papers)
