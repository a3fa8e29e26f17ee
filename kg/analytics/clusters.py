"""Communities of papers and entities: Louvain over the paper-entity graph, once per seed.

Louvain runs on an undirected weighted graph of papers and entities: a mention weighs 1, a
proposal 1 more, a citation or builds-on link 1 (``co_occurs`` is left out, being implied by the
mentions). Nodes and edges go in sorted, so a seed gives the same communities for a built
graph and for one loaded from JSON. Each community is labelled by its most central entities
(PageRank), concepts only when it has nothing else.
"""

from __future__ import annotations

from kg.analytics.base import as_graph, cached
from kg.analytics.ranking import pagerank
from kg.analytics.records import Community, Table
from kg.schema import BUILDS_ON, CITES, MENTIONS, PROPOSES

LABEL_NAMES = 3
WEIGHTS = {MENTIONS: 1, PROPOSES: 1, CITES: 1, BUILDS_ON: 1}


def communities(graph, seed: int = 0, resolution: float = 1.0, min_size: int = 2) -> Table:
    """The communities with at least ``min_size`` members, largest first.

    Examples
    --------
    >>> import kg
    >>> found = kg.communities(kg.example_graph(), seed=0)
    >>> found == kg.communities(kg.example_graph(), seed=0), found[0].index, len(found[0].label) > 0
    (True, 0, True)
    >>> [c for c in found if "method:BERT" in c.entities][0].papers[:1]  # doctest: +ELLIPSIS
    ('paper:arxiv:...',)
    """
    graph = as_graph(graph)
    found = cached(graph, ("communities", seed, resolution), lambda: _communities(graph, seed, resolution))
    return Table([c for c in found if c.size >= min_size], Community)


def _communities(graph, seed: int, resolution: float) -> list[Community]:
    import networkx as nx

    weighted = nx.Graph()
    weighted.add_nodes_from(sorted(graph))
    for u, v, key in sorted(graph.edges(keys=True)):
        if key in WEIGHTS:
            previous = weighted.get_edge_data(u, v, {}).get("weight", 0)
            weighted.add_edge(u, v, weight=previous + WEIGHTS[key])
    groups = nx.community.louvain_communities(weighted, weight="weight", resolution=resolution, seed=seed)
    ranks = pagerank(graph)
    groups = sorted((sorted(group) for group in groups), key=lambda group: (-len(group), group[0]))
    return [_community(graph, index, group, ranks) for index, group in enumerate(groups)]


def _community(graph, index: int, members: list[str], ranks: dict) -> Community:
    papers = tuple(n for n in members if graph.nodes[n].get("kind") == "paper")
    entities = tuple(sorted((n for n in members if graph.nodes[n].get("kind") != "paper"),
                            key=lambda n: (-ranks.get(n, 0.0), n)))
    named = [n for n in entities if graph.nodes[n].get("kind") != "concept"] or list(entities)
    label = ", ".join(graph.nodes[n].get("label", n) for n in (named or list(papers))[:LABEL_NAMES])
    return Community(index, label, len(members), entities, papers)
