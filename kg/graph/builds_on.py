"""Infer paper -> paper ``builds_on`` links: paper B mentions an entity that paper A proposes.

The link B -> A is added only when A is earlier than B, and only for an entity that one paper
proposes: a name that several papers claim to propose ("transfer learning" in three titles) has
no one introducer to build on. Dates are compared when both papers
have one (``2021-06`` and ``2021-06-17`` are not ordered: the shorter one is a prefix of the
longer), else years; the same year without dates is not earlier. When either paper's date and
year are unknown the link is still added, marked ``undated=True``. The edge attributes are
``kind="builds_on"``, ``entities`` (sorted ids of the entities A proposes and B mentions),
``sentence`` (the evidence from B's best mention edge), ``undated`` and ``inferred=True``.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("paper:a", kind="paper", year=2021)
>>> G.add_node("paper:b", kind="paper", year=2023)
>>> G.add_edge("paper:a", "method:LoRA", key="proposes", kind="proposes")
'proposes'
>>> G.add_edge("paper:b", "method:LoRA", key="mentions", kind="mentions", sentence="We fine-tune with LoRA.",
...            confidence=0.9)
'mentions'
>>> add_builds_on(G)
1
>>> G.edges["paper:b", "paper:a", "builds_on"]["sentence"]
'We fine-tune with LoRA.'
"""

from __future__ import annotations

from collections import defaultdict

from kg.schema import BUILDS_ON, MENTIONS, PROPOSES

KEY = BUILDS_ON


def is_earlier(a: dict, b: dict) -> bool | None:
    """Whether paper ``a`` (node attributes) is earlier than paper ``b``; None when unknown.

    Examples
    --------
    >>> is_earlier({"year": 2019}, {"year": 2021}), is_earlier({"year": 2021}, {"year": 2021})
    (True, False)
    >>> is_earlier({"date": "2021-03-01", "year": 2021}, {"date": "2021-06-17", "year": 2021})
    True
    >>> is_earlier({"listed": "Sep 9"}, {"year": 2021}) is None
    True
    """
    date_a, date_b = a.get("date"), b.get("date")
    if date_a and date_b:
        common = min(len(date_a), len(date_b))
        return date_a[:common] < date_b[:common]
    year_a, year_b = a.get("year"), b.get("year")
    if year_a is None or year_b is None:
        return None
    return int(year_a) < int(year_b)


def infer_builds_on(graph) -> list[tuple[str, str, dict]]:
    """The ``builds_on`` edges the graph implies, as sorted ``(B, A, attributes)`` triples.

    Examples
    --------
    >>> import kg
    >>> edges = infer_builds_on(kg.example_graph().graph)
    >>> lora = "paper:arxiv:2106.09685"
    >>> sorted(a for b, a, _ in edges if b == lora)[:2]
    ['paper:arxiv:1412.6980', 'paper:arxiv:1706.03762']
    """
    proposers: dict[str, list[str]] = defaultdict(list)
    for proposer, entity, key in graph.edges(keys=True):
        if key == PROPOSES:
            proposers[entity].append(proposer)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entity, (proposer, *others) in proposers.items():
        if others:
            continue
        for user, _, user_key in graph.in_edges(entity, keys=True):
            if user_key == MENTIONS and user != proposer:
                shared[user, proposer].append(entity)
    edges = []
    for (b, a), entities in sorted(shared.items()):
        earlier = is_earlier(graph.nodes[a], graph.nodes[b])
        if earlier is False:
            continue
        attrs = {"kind": KEY, "entities": sorted(set(entities)),
                 "sentence": _evidence(graph, b, entities), "undated": earlier is None, "inferred": True}
        edges.append((b, a, attrs))
    return edges


def add_builds_on(graph) -> int:
    """Add the inferred ``builds_on`` edges to ``graph`` (replacing earlier ones); returns how many.

    Examples
    --------
    >>> import kg
    >>> G = kg.example_graph().to_networkx()
    >>> add_builds_on(G) == len(infer_builds_on(G)) > 0
    True
    """
    stale = [(u, v) for u, v, key in graph.edges(keys=True) if key == KEY]
    for u, v in stale:
        graph.remove_edge(u, v, key=KEY)
    edges = infer_builds_on(graph)
    for b, a, attrs in edges:
        graph.add_edge(b, a, key=KEY, **attrs)
    return len(edges)


def _evidence(graph, paper: str, entities: list[str]) -> str:
    """The sentence of the paper's most confident mention of any of the entities (ties: the
    smallest entity id, since ``max`` keeps the first of equals)."""
    mentions = [graph.edges[paper, e, MENTIONS] for e in sorted(set(entities))]
    best = max(mentions, key=lambda m: (m.get("confidence", 0), m.get("field") == "abstract"))
    return best.get("sentence", "")
