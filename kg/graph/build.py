"""Build the knowledge graph: one ``networkx.MultiDiGraph`` of papers and entities.

Nodes
    ``paper:<key>`` (kind ``paper``) and ``<type>:<name key>`` (kind ``method``, ``dataset``,
    ``task``, ``metric`` or ``concept``), with the attributes listed in README.
Edges (the edge key is the kind, so a pair has at most one edge of each kind)
    ``mentions`` paper -> entity, ``proposes`` paper -> entity (each with its evidence
    sentence, offsets, extractor and confidence), ``co_occurs`` entity -> entity (``weight`` =
    number of papers mentioning both; stored once, from the smaller id), ``cites`` paper -> paper.
Relations (entity -> entity, see :func:`add_relation_edges`)
    ``used_for``, ``evaluated_on``, ``measures``, ``narrower`` (broader -> narrower) and
    ``compares``, each with the strongest evidence (``paper``, ``sentence``, ``field``,
    ``start``/``end`` of the text from the first name to the second, ``sent_start``/``sent_end``,
    ``extractor``, ``confidence``) and ``support`` (number of papers stating it).
    Later stages add ``builds_on`` paper B -> paper A (inferred: B mentions an entity A
    proposes; attributes ``entities`` (sorted entity ids), ``sentence`` (evidence from B),
    ``undated`` (True when either date is unknown), ``inferred=True``).
Citations
    A cited paper outside the corpus is a *stub* paper node (``stub=True``, its identifiers, and
    ``title`` when the source gives one; ``label`` is the title or else its key, such as
    ``openalex:W2963403868``), so that ``cites`` keeps every reference. Every paper node has
    ``cited_by`` (how many papers of the corpus cite it) and every corpus paper
    ``citation_pagerank`` (PageRank over ``cites`` among corpus papers, 6 significant digits).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Iterable

from kg.graph.canonical import Canon
from kg.names import name_key
from kg.records import ExtractedPaper, Mention, Paper
from kg.schema import CITES, CO_OCCURS, COMPARES, EVALUATED_ON, MEASURES, MENTIONS, NARROWER, PROPOSES, USED_FOR, fits

PAPER_PREFIX = "paper:"
MAX_CO_OCCURRING = 100
"""Entities of one paper that co-occur: at most 4,950 ``co_occurs`` edges come from one paper."""


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
        "venue": paper.venue,
        "doi": paper.doi,
        "arxiv_id": paper.arxiv_id,
        "openalex_id": paper.openalex_id,
        "s2_id": paper.s2_id,
        "mag_id": paper.mag_id,
        "pmid": paper.pmid,
        "local_id": paper.local_id,
        "code_urls": list(paper.code_urls),
        "sources": [str(replace(s, path=source_path(s.path))) for s in paper.sources],
    }
    return {k: v for k, v in attrs.items() if v not in (None, "")}


@lru_cache(maxsize=256)
def source_path(path: str) -> str:
    """A record's file as the graph names it: as given, except a file shipped inside ``kg``
    (the example corpus), named from the package so exports are the same on every install.

    >>> from kg.pipeline import example_corpus
    >>> source_path(example_corpus()), source_path("papers.jsonl")
    ('kg/data/example/papers.jsonl', 'papers.jsonl')
    """
    package = Path(__file__).resolve().parents[1]
    try:
        return "kg/" + Path(path).resolve().relative_to(package).as_posix()
    except (ValueError, OSError):
        return path


def paper_year(attrs: dict) -> int | None:
    """A paper node's year: its ``year``, else the year of its ISO ``date``; None when unknown.

    >>> paper_year({"year": 2021}), paper_year({"date": "2019-05-01"}), paper_year({"listed": "Sep 9"})
    (2021, 2019, None)
    """
    year = attrs.get("year")
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    if isinstance(year, str) and year.isdigit():
        return int(year)
    date = str(attrs.get("date") or "")
    return int(date[:4]) if date[:4].isdigit() else None


def stub_attributes(key: str, paper: Paper) -> dict:
    """The node attributes of a cited paper outside the corpus: ``stub=True`` and what is known."""
    return {**paper_attributes(paper), "label": paper.title or key, "stub": True}


def build_graph(
    extracted: Iterable[ExtractedPaper],
    canon: Canon,
    citations: dict[str, tuple[str, ...]] | None = None,
    stubs: dict[str, Paper] | None = None,
):
    """The graph of papers, their entities and citations.

    ``citations`` maps a paper key to the keys of the papers it cites. A cited key that is no
    paper of ``extracted`` is a stub node made from its record in ``stubs`` (by default the
    ``stubs`` the citations carry, as :class:`kg.corpus.merge.Citations` do); a citation of a key with
    no record is left out.
    """
    import networkx as nx

    graph = nx.MultiDiGraph(name="kg")
    extracted = sorted(extracted, key=lambda p: p.key)
    for item in extracted:
        graph.add_node(paper_node(item.key), **paper_attributes(item.paper))
    stubs = getattr(citations, "stubs", {}) if stubs is None else stubs
    for key, paper in sorted(stubs.items()):
        if paper_node(key) not in graph:
            graph.add_node(paper_node(key), **stub_attributes(key, paper))
    for entity in sorted(canon.entities.values(), key=lambda e: e.id):
        graph.add_node(entity.id, kind=entity.type, label=entity.name, aliases=list(entity.aliases),
                       paper_count=len(entity.papers))
    for item in extracted:
        _add_paper_edges(graph, item, canon)
    _add_co_occurrence(graph, extracted, canon)
    add_relation_edges(graph, extracted, canon)
    for source, targets in sorted((citations or {}).items()):
        for target in sorted(set(targets)):
            if paper_node(source) in graph and paper_node(target) in graph:
                graph.add_edge(paper_node(source), paper_node(target), key=CITES, kind=CITES)
    add_citation_counts(graph)
    return graph


def add_citation_counts(graph) -> None:
    """Set ``cited_by`` on every paper node and ``citation_pagerank`` on every corpus paper.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:a", kind="paper"); g.add_node("paper:b", kind="paper")
    >>> g.add_node("paper:doi:10.1/x", kind="paper", stub=True)
    >>> g.add_edge("paper:a", "paper:b", key="cites"); g.add_edge("paper:a", "paper:doi:10.1/x", key="cites")
    'cites'
    'cites'
    >>> add_citation_counts(g)
    >>> stub = g.nodes["paper:doi:10.1/x"]
    >>> g.nodes["paper:b"]["cited_by"], stub["cited_by"], "citation_pagerank" in stub
    (1, 1, False)
    >>> g.nodes["paper:b"]["citation_pagerank"] > g.nodes["paper:a"]["citation_pagerank"]
    True
    """
    import networkx as nx

    papers = {n for n, kind in graph.nodes(data="kind") if kind == "paper"}
    corpus = sorted(n for n in papers if not graph.nodes[n].get("stub"))
    cited_by = dict.fromkeys(papers, 0)
    links = nx.DiGraph()
    links.add_nodes_from(corpus)
    for source, target, kind in graph.edges(keys=True):
        if kind == CITES and target in papers:
            cited_by[target] += 1
            if not graph.nodes[target].get("stub"):
                links.add_edge(source, target)
    for node, count in cited_by.items():
        graph.nodes[node]["cited_by"] = count
    rank = nx.pagerank(links) if len(links) else {}
    for node in corpus:
        graph.nodes[node]["citation_pagerank"] = float(f"{rank[node]:.6g}")


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
        graph.add_edge(source, entity, key=MENTIONS, kind=MENTIONS, **_evidence(mentions))
        proposed = [m for m in mentions if m.proposed]
        if proposed:
            graph.add_edge(source, entity, key=PROPOSES, kind=PROPOSES, **_evidence(proposed))


def co_occurring(item: ExtractedPaper, canon: Canon) -> tuple[list[str], int]:
    """The typed entities of one paper that get ``co_occurs`` edges (sorted ids), at most
    :data:`MAX_CO_OCCURRING` of them, the most mentioned first; and how many were left out."""
    counts = {e: len(ms) for e, ms in _best_mentions(item, canon).items() if not e.startswith("concept:")}
    chosen = sorted(counts, key=lambda e: (-counts[e], e))[:MAX_CO_OCCURRING]
    return sorted(chosen), len(counts) - len(chosen)


def _add_co_occurrence(graph, extracted: list[ExtractedPaper], canon: Canon) -> None:
    weights: dict[tuple[str, str], int] = {}
    for item in extracted:
        entities, _ = co_occurring(item, canon)
        for pair in combinations(entities, 2):
            weights[pair] = weights.get(pair, 0) + 1
    for (a, b), weight in sorted(weights.items()):
        graph.add_edge(a, b, key=CO_OCCURS, kind=CO_OCCURS, weight=weight)


RELATION_KINDS = (USED_FOR, EVALUATED_ON, MEASURES, NARROWER, COMPARES)


def add_relation_edges(graph, extracted: list[ExtractedPaper], canon: Canon) -> None:
    """Entity -> entity relation edges from the papers' relations and from version links.

    One edge per (head, kind, tail), keyed by its kind, when the entities' types suit the kind
    (:func:`kg.schema.fits`). Its evidence is the relation with the
    highest confidence (ties: the smallest paper key, then the earliest offset); ``support``
    is the number of distinct papers that state it. A version link ("ResNet-50" is a version
    of "ResNet", found by :func:`kg.graph.canonical.versions`) is a ``narrower`` edge with extractor
    ``version`` and a ``reason`` instead of a sentence, supported by the papers that mention the
    narrower entity.
    """
    found: dict[tuple[str, str, str], list] = {}
    for item in extracted:
        for r in item.relations:
            head, tail = canon.entity_of.get(name_key(r.head)), canon.entity_of.get(name_key(r.tail))
            if head and tail and head != tail and head in graph and tail in graph and fits(
                    r.kind, canon.entities[head].type, canon.entities[tail].type):
                found.setdefault((head, r.kind, tail), []).append((item.key, r))
    for (head, kind, tail), stated in sorted(found.items()):
        key, best = min(stated, key=lambda s: (-s[1].confidence, s[0], s[1].head_start))
        graph.add_edge(head, tail, key=kind, kind=kind, paper=paper_node(key), sentence=best.sentence,
                       field=best.field, start=min(best.head_start, best.tail_start),
                       end=max(best.head_end, best.tail_end), sent_start=best.sent_start,
                       sent_end=best.sent_end, extractor=best.extractor, confidence=best.confidence,
                       support=len({paper for paper, _ in stated}))
    for broader, narrower, reason in getattr(canon, NARROWER, ()):
        if (broader, NARROWER, narrower) not in found and broader in graph and narrower in graph:
            papers = canon.entities[narrower].papers
            graph.add_edge(broader, narrower, key=NARROWER, kind=NARROWER,
                           paper=paper_node(papers[0]) if papers else "",
                           sentence="", field="", start=0, end=0, sent_start=0, sent_end=0,
                           extractor="version", confidence=0.9, support=len(papers), reason=reason)


def remove_stubs(graph) -> int:
    """Remove the stub paper nodes (cited papers outside the corpus) and their ``cites`` edges,
    in place; the number removed. ``cited_by`` of the other papers does not change.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:a", kind="paper"); g.add_node("paper:doi:10.1/x", kind="paper", stub=True)
    >>> remove_stubs(g), list(g)
    (1, ['paper:a'])
    """
    stubs = [node for node, stub in graph.nodes(data="stub") if stub]
    graph.remove_nodes_from(stubs)
    return len(stubs)
