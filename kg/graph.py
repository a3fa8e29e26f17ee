"""Build the knowledge graph: one ``networkx.MultiDiGraph`` of papers and entities.

Nodes
    ``paper:<key>`` (kind ``paper``) and ``<type>:<name key>`` (kind ``method``, ``dataset``,
    ``task``, ``metric`` or ``concept``), with the attributes listed in README.
Edges (the edge key is the kind, so a pair has at most one edge of each kind)
    ``mentions`` paper -> entity, ``proposes`` paper -> entity (each with its evidence
    sentence, offsets, extractor and confidence), ``co_occurs`` entity -> entity (``weight`` =
    number of papers mentioning both; stored once, from the smaller id), ``cites`` paper -> paper.
    Later stages add ``builds_on`` paper B -> paper A (inferred: B mentions an entity A
    proposes; attributes ``entities`` (sorted entity ids), ``sentence`` (evidence from B),
    ``undated`` (True when either date is unknown), ``inferred=True``).
"""

from __future__ import annotations

from itertools import combinations
from typing import Iterable

from kg.canonical import Canon, name_key
from kg.records import ExtractedPaper, Mention, Paper

PAPER_PREFIX = "paper:"


def paper_node(key: str) -> str:
    """The node id of the paper with this key."""
    return PAPER_PREFIX + key


def paper_attributes(paper: Paper) -> dict:
    """A paper's node attributes (no None values, lists for sequences)."""
    attrs = {
        "kind": "paper",
        "label": paper.title,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": list(paper.authors),
        "author_count": paper.author_count if paper.author_count is not None else len(paper.authors) or None,
        "organization": paper.organization,
        "date": paper.date,
        "year": paper.year,
        "listed": paper.listed,
        "url": paper.url,
        "doi": paper.doi,
        "arxiv_id": paper.arxiv_id,
        "local_id": paper.local_id,
        "code_urls": list(paper.code_urls),
        "sources": [str(s) for s in paper.sources],
    }
    return {k: v for k, v in attrs.items() if v not in (None, "")}


def build_graph(
    extracted: Iterable[ExtractedPaper], canon: Canon, citations: dict[str, tuple[str, ...]] | None = None
):
    """The graph of papers, their entities and citations.

    ``citations`` maps a paper key to the keys of the papers it cites (all in the corpus).
    """
    import networkx as nx

    graph = nx.MultiDiGraph(name="kg")
    extracted = sorted(extracted, key=lambda p: p.key)
    for item in extracted:
        graph.add_node(paper_node(item.key), **paper_attributes(item.paper))
    for entity in sorted(canon.entities.values(), key=lambda e: e.id):
        graph.add_node(entity.id, kind=entity.type, label=entity.name, aliases=list(entity.aliases),
                       paper_count=len(entity.papers))
    for item in extracted:
        _add_paper_edges(graph, item, canon)
    _add_co_occurrence(graph, extracted, canon)
    for source, targets in sorted((citations or {}).items()):
        for target in sorted(set(targets)):
            graph.add_edge(paper_node(source), paper_node(target), key="cites", kind="cites")
    return graph


def _best_mentions(item: ExtractedPaper, canon: Canon) -> dict[str, list[Mention]]:
    found: dict[str, list[Mention]] = {}
    for m in item.mentions:
        entity = canon.entity_of.get(name_key(m.name))
        if entity:
            found.setdefault(entity, []).append(m)
    return found


def _evidence(mentions: list[Mention]) -> dict:
    best = max(mentions, key=lambda m: (m.confidence, m.field == "abstract", -m.start))
    return {
        "sentence": best.sentence,
        "field": best.field,
        "start": best.start,
        "end": best.end,
        "sent_start": best.sent_start,
        "sent_end": best.sent_end,
        "surface": best.name,
        "extractor": best.extractor,
        "confidence": best.confidence,
        "count": len(mentions),
    }


def _add_paper_edges(graph, item: ExtractedPaper, canon: Canon) -> None:
    source = paper_node(item.key)
    for entity, mentions in sorted(_best_mentions(item, canon).items()):
        graph.add_edge(source, entity, key="mentions", kind="mentions", **_evidence(mentions))
        proposed = [m for m in mentions if m.proposed]
        if proposed:
            graph.add_edge(source, entity, key="proposes", kind="proposes", **_evidence(proposed))


def _add_co_occurrence(graph, extracted: list[ExtractedPaper], canon: Canon) -> None:
    weights: dict[tuple[str, str], int] = {}
    for item in extracted:
        entities = sorted(e for e in _best_mentions(item, canon) if not e.startswith("concept:"))
        for pair in combinations(entities, 2):
            weights[pair] = weights.get(pair, 0) + 1
    for (a, b), weight in sorted(weights.items()):
        graph.add_edge(a, b, key="co_occurs", kind="co_occurs", weight=weight)
