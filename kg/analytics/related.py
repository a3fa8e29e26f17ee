"""Papers related to a paper: shared entities, citations and builds-on links, with reasons.

The score adds, for every entity both papers mention, its inverse document frequency
``log(N / n)`` (N papers in the graph, n of them mentioning the entity), so a rare shared
dataset counts more than a shared "large language model"; plus ``CITATION_WEIGHT`` when either paper
cites the other and ``BUILDS_ON_WEIGHT`` when either builds on the other.
"""

from __future__ import annotations

import math

from kg.analytics.base import as_graph, name_of, paper_counts, paper_year, paper_years, papers_of
from kg.analytics.lookup import resolve_paper
from kg.analytics.records import RelatedPaper, Table
from kg.schema import BUILDS_ON, CITES, MENTIONS

CITATION_WEIGHT, BUILDS_ON_WEIGHT = 3.0, 2.0
NAMES_IN_REASON = 4


def related_papers(graph, paper: str, k: int = 10) -> Table:
    """The ``k`` papers most related to ``paper``, best first, each with its reason.

    Examples
    --------
    >>> import kg
    >>> best = kg.related_papers(kg.example_graph(), "BERT", k=3)
    >>> "RoBERTa: A Robustly Optimized BERT Pretraining Approach" in [p.title for p in best]
    True
    >>> print(best[0].reason)  # doctest: +ELLIPSIS
    it cites this paper; it builds on this paper (BERT); shares ...
    """
    graph = as_graph(graph)
    node = resolve_paper(graph, paper)
    total = len(paper_years(graph))
    scores: dict[str, float] = {}
    shared: dict[str, list[str]] = {}
    for entity, keys in graph.succ[node].items():
        if MENTIONS not in keys:
            continue
        others = [p for p in papers_of(graph, entity) if p != node]
        weight = math.log(total / (len(others) + 1))
        for other in others:
            scores[other] = scores.get(other, 0.0) + weight
            shared.setdefault(other, []).append(entity)
    links = _links(graph, node)
    for other, found in links.items():
        scores[other] = scores.get(other, 0.0) + _link_score(found)
    ranked = sorted(scores, key=lambda other: (-scores[other], other))[:k]
    rows = [_row(graph, other, scores[other], shared.get(other, []), links.get(other, {})) for other in ranked]
    return Table(rows, RelatedPaper)


def _links(graph, node: str) -> dict[str, dict[str, list[str]]]:
    """Other paper -> {link: entity ids} for citations and builds-on links either way."""
    found: dict[str, dict[str, list[str]]] = {}
    for other, keys in graph.succ[node].items():
        if CITES in keys:
            found.setdefault(other, {})["cited by this paper"] = []
        if BUILDS_ON in keys:
            found.setdefault(other, {})["this paper builds on it"] = keys[BUILDS_ON].get("entities", [])
    for other, keys in graph.pred[node].items():
        if CITES in keys:
            found.setdefault(other, {})["it cites this paper"] = []
        if BUILDS_ON in keys:
            found.setdefault(other, {})["it builds on this paper"] = keys[BUILDS_ON].get("entities", [])
    return found


def _link_score(found: dict) -> float:
    cites = any("cite" in link for link in found)
    builds = any("builds on" in link for link in found)
    return CITATION_WEIGHT * cites + BUILDS_ON_WEIGHT * builds


LINK_NAMES = {"it cites this paper": CITES, "cited by this paper": "cited by",
              "it builds on this paper": "builds on", "this paper builds on it": "built on by"}
LINK_ORDER = list(LINK_NAMES)


def _row(graph, other: str, score: float, shared: list[str], links: dict) -> RelatedPaper:
    counts = paper_counts(graph)
    shared = sorted(shared, key=lambda e: (counts[e], e))
    reasons = []
    for link in sorted(links, key=LINK_ORDER.index):
        via = ", ".join(name_of(graph, e) for e in links[link])
        reasons.append(f"{link} ({via})" if via else link)
    if shared:
        names = [name_of(graph, e) for e in shared[:NAMES_IN_REASON]]
        more = len(shared) - len(names)
        reasons.append("shares " + ", ".join(names) + (f" and {more} more" if more > 0 else ""))
    attrs = graph.nodes[other]
    return RelatedPaper(other, attrs.get("title", ""), paper_year(attrs), round(score, 3), tuple(shared),
                        tuple(LINK_NAMES[link] for link in sorted(links, key=LINK_ORDER.index)), "; ".join(reasons))
