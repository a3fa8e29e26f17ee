"""What the page's overview is made of: how much each node stands out, and the topics.

:func:`salience` is importance that discounts generic hubs: an entity's PageRank times the square
of its specificity (``log(papers / papers naming it) / log(papers)``, 1 for a name one paper
uses, 0 for one every paper uses), so "fine-tuning" (132 of 484 papers) weighs less than
"Low-Rank Adaptation" (17) though its PageRank is higher. Papers keep their PageRank. The
page sizes nodes and picks the labels of its first screen by salience.

:func:`topics` are the communities of :func:`kg.analytics.communities` with at least
``MIN_TOPIC`` members, each named by its most distinctive entities (papers in the topic naming
the entity, times its specificity), largest first.

Examples
--------
>>> import kg
>>> from kg.analytics import pagerank
>>> g = kg.example_graph().graph
>>> found = topics(g, salience(g, pagerank(g)))
>>> found[0].index, len(found[0].terms) > 0, found == topics(g, salience(g, pagerank(g)))
(0, True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kg.analytics.base import paper_counts
from kg.analytics.clusters import communities

MIN_TOPIC, TERMS = 5, 3
SEED = 0


@dataclass(frozen=True)
class Topic:
    """A topic of the page: its index (largest first), its top terms (entity names) and its
    members (node ids, sorted)."""

    index: int
    terms: tuple[str, ...]
    members: tuple[str, ...]


def specificity(graph) -> dict:
    """1 for a node that is no entity or is named by one paper, falling to 0 for an entity every
    paper names: ``log(papers / papers naming it) / log(papers)``."""
    kinds = graph.nodes(data="kind")
    total = sum(1 for node in graph if kinds[node] == "paper")
    if total < 2:
        return dict.fromkeys(graph, 1.0)
    counts = paper_counts(graph)
    return {node: 1.0 if kinds[node] == "paper" or counts[node] < 1
            else math.log(total / min(counts[node], total)) / math.log(total) for node in graph}


def salience(graph, ranks: dict) -> dict:
    """PageRank (``ranks``) discounted for generic entities: rank times specificity squared."""
    specific = specificity(graph)
    return {node: ranks.get(node, 0.0) * specific[node] ** 2 for node in graph}


def topics(graph, weights: dict, min_size: int = MIN_TOPIC) -> list[Topic]:
    """The communities of at least ``min_size`` members, each named by its ``TERMS`` most
    distinctive entities (``weights``, node -> salience, breaks ties)."""
    specific = specificity(graph)
    found = []
    for community in communities(graph, seed=SEED, min_size=min_size):
        members = (*community.entities, *community.papers)
        found.append(Topic(len(found), _terms(graph, community, specific, weights), tuple(sorted(members))))
    return found


def _terms(graph, community, specific: dict, weights: dict) -> tuple[str, ...]:
    papers = set(community.papers)
    named = [node for node in community.entities if graph.nodes[node].get("kind") != "concept"]
    candidates = named or list(community.entities)

    def score(node) -> tuple:
        inside = sum(1 for paper in graph.predecessors(node) if paper in papers)
        return -inside * specific[node], -weights.get(node, 0.0), str(node)

    best = sorted(candidates, key=score)[:TERMS]
    if not best:
        best = sorted(community.papers, key=lambda node: (-weights.get(node, 0.0), str(node)))[:1]
    return tuple(" ".join(str(graph.nodes[node].get("label") or node).split()) for node in best)
