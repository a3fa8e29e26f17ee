"""Infer paper -> paper ``builds_on`` links: paper B mentions a named method or dataset that
an earlier paper A introduced.

A link rests on specific evidence only. The entity is a method or dataset that exactly one
paper of the corpus proposes, written as a name ("Transformer", "LoRA", "GPT-4") or named in
that paper's title ("Diff pruning for ..."), and no generic class ("large language model",
"framework") or learning paradigm ("transfer learning", "fine-tuning", adapters as a family); a name several papers claim ("transfer learning" in
three titles) has no one introducer. Surveys, reviews and software libraries are no origin.
The link B -> A needs both papers dated and A earlier than B: dates are compared when both
have one (``2021-06`` and ``2021-06-17`` are not ordered: the shorter one is a prefix of the
longer), else years; the same year without dates is not earlier. Undated papers get no link
(``kg enrich`` gives listing papers their dates), so a pair never links both ways. The edge
attributes are ``kind="builds_on"``, ``entities`` (sorted ids of the entities A introduced
and B mentions), ``entity`` and ``sentence`` (the entity and the sentence of B's best mention
of them: the evidence), ``undated=False`` and ``inferred=True``.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("paper:a", kind="paper", year=2021, title="LoRA: Low-Rank Adaptation of Large Language Models")
>>> G.add_node("paper:b", kind="paper", year=2023)
>>> G.add_node("method:LoRA", kind="method", label="LoRA")
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

import re
from collections import defaultdict

from kg.names import GENERIC_CLASSES, PARADIGMS, name_key
from kg.schema import BUILDS_ON, DATASET, MENTIONS, METHOD, PROPOSES

KEY = BUILDS_ON
#: Titles of papers that survey a field or describe software: no origin of what they list.
NOT_AN_ORIGIN = re.compile(r"\b(?:survey|review|overview|tutorial|primer|library|toolkit|toolbox|open-source)\b",
                           re.IGNORECASE)
_WORDS = re.compile(r"[\W_]+")


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
    >>> ("paper:arxiv:1907.11692", "paper:arxiv:1810.04805") in {(b, a) for b, a, _ in edges}  # RoBERTa -> BERT
    True
    """
    proposers: dict[str, list[str]] = defaultdict(list)
    for proposer, entity, key in graph.edges(keys=True):
        if key == PROPOSES:
            proposers[entity].append(proposer)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entity, (proposer, *others) in proposers.items():
        if others or not is_origin(graph, proposer, entity):
            continue
        for user, _, user_key in graph.in_edges(entity, keys=True):
            if user_key == MENTIONS and user != proposer:
                shared[user, proposer].append(entity)
    edges = []
    for (b, a), entities in sorted(shared.items()):
        if not is_earlier(graph.nodes[a], graph.nodes[b]):
            continue
        entity, sentence = _evidence(graph, b, entities)
        attrs = {"kind": KEY, "entities": sorted(set(entities)), "entity": entity, "sentence": sentence,
                 "undated": False, "inferred": True}
        edges.append((b, a, attrs))
    return edges


def is_origin(graph, paper: str, entity: str) -> bool:
    """Is ``paper`` where ``entity`` comes from: a method or dataset (no generic class) written
    as a name (a capital or a digit) or named in the paper's title, in a paper that is no
    survey or library?

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:a", title="LoRA: Low-Rank Adaptation of Large Language Models")
    >>> G.add_node("method:LoRA", kind="method", label="LoRA", aliases=["Low-Rank Adaptation"])
    >>> G.add_node("concept:LLM", kind="concept", label="large language model")
    >>> is_origin(G, "paper:a", "method:LoRA"), is_origin(G, "paper:a", "concept:LLM")
    (True, False)
    """
    node, title = graph.nodes[entity], graph.nodes[paper].get("title") or ""
    if node.get("kind") not in (METHOD, DATASET) or NOT_AN_ORIGIN.search(title):
        return False
    names = [node.get("label") or node.get("name") or "", *(node.get("aliases") or ())]
    if any(name_key(n) in GENERIC_CLASSES | PARADIGMS for n in names):
        return False
    if any(ch.isupper() or ch.isdigit() for ch in names[0]):
        return True  # written as a name: "Transformer", "LoRA", "GPT-4"
    words = f" {' '.join(_WORDS.split(title.casefold()))} "
    return any(f" {' '.join(_WORDS.split(n.casefold()))} " in words for n in names if n.strip())


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


def _evidence(graph, paper: str, entities: list[str]) -> tuple[str, str]:
    """The entity and sentence of the paper's most confident mention of any of the entities
    (ties: the smallest entity id, since ``max`` keeps the first of equals)."""
    mentions = [(e, graph.edges[paper, e, MENTIONS]) for e in sorted(set(entities))]
    entity, best = max(mentions, key=lambda m: (m[1].get("confidence", 0), m[1].get("field") == "abstract"))
    return entity, best.get("sentence", "")
