"""Which methods, datasets and metrics go with a task (and tasks with a method), and who
proposed what.

"Goes with" is first what papers state (a ``used_for``, ``evaluated_on`` or ``measures``
relation between the two, when extraction found one: ``stated`` papers, with the sentence),
then co-occurrence: the number of papers that mention both (the ``co_occurs`` weight), which
are listed too.
"""

from __future__ import annotations

from kg.analytics.base import as_graph, paper_counts, paper_year, papers_of
from kg.analytics.lookup import resolve, resolve_paper
from kg.analytics.records import Association, Proposal, Statement, Table
from kg.schema import CO_OCCURS, ENTITY_TYPES, EVALUATED_ON, MEASURES, MENTIONS, PROPOSES, RELATION_KINDS, USED_FOR

STATED = (USED_FOR, EVALUATED_ON, MEASURES)


def associated(graph, name: str, type: str, of: str | None = None, k: int | None = None) -> Table:
    """Entities of ``type`` linked to the entity ``name`` (looked up as ``of`` first): by the
    papers that state a relation between the two, then by the papers that mention both.

    Examples
    --------
    >>> import kg
    >>> "BERT" in [a.name for a in associated(kg.example_graph(), "GLUE", "method", of="dataset", k=3)]
    True
    """
    graph = as_graph(graph)
    node = resolve(graph, name, of)
    mine = set(papers_of(graph, node))
    linked: dict[str, list[dict]] = {}
    for neighbours in (graph.succ[node], graph.pred[node]):
        for other, keys in neighbours.items():
            if graph.nodes[other].get("kind") == type and other != node:
                stated = [keys[k] for k in STATED if k in keys]
                if stated or CO_OCCURS in keys:
                    linked.setdefault(other, []).extend(stated)
    rows = []
    for other, stated in sorted(linked.items()):
        shared = tuple(sorted(p for p, keys in graph.pred[other].items() if p in mine and MENTIONS in keys))
        best = max(stated, key=lambda e: e.get("confidence", 0), default={})
        rows.append(Association(other, type, graph.nodes[other].get("label", other), len(shared),
                                sum(e.get("support", 1) for e in stated), shared, best.get("sentence", "")))
    counts = paper_counts(graph)
    rows.sort(key=lambda row: (-row.stated, -row.count, -counts[row.id], row.name.casefold(), row.id))
    return Table(rows[:k] if k is not None else rows, Association)


def methods_for(graph, task: str, k: int | None = None) -> Table:
    """Methods used for a task: mentioned in the same papers, most papers first.

    Examples
    --------
    >>> import kg
    >>> best = kg.methods_for(kg.example_graph(), "question answering")[0]
    >>> best.name, best.stated, best.count
    ('GPT-3', 1, 2)
    >>> best.sentence  # doctest: +ELLIPSIS
    'GPT-3 performs well on ... question answering ...'
    """
    return associated(graph, task, "method", of="task", k=k)


def datasets_for(graph, task: str, k: int | None = None) -> Table:
    """Datasets used for a task, most papers first.

    Examples
    --------
    >>> import kg
    >>> found = [d.name for d in kg.datasets_for(kg.example_graph(), "question answering", k=5)]
    >>> found[0], "GLUE" in found
    ('SQuAD', True)
    """
    return associated(graph, task, "dataset", of="task", k=k)


def metrics_for(graph, task: str, k: int | None = None) -> Table:
    """Metrics reported for a task, most papers first.

    Examples
    --------
    >>> import kg
    >>> {"accuracy", "top-1 accuracy"} <= {m.name for m in kg.metrics_for(kg.example_graph(), "image classification")}
    True
    """
    return associated(graph, task, "metric", of="task", k=k)


def tasks_for(graph, method: str, k: int | None = None) -> Table:
    """Tasks a method is used for, most papers first.

    Examples
    --------
    >>> import kg
    >>> "question answering" in [t.name for t in kg.tasks_for(kg.example_graph(), "BERT")]
    True
    """
    return associated(graph, method, "task", of="method", k=k)


def introduced_in(graph, entity: str) -> Table:
    """The papers that propose an entity, oldest first, with the sentence that says so.

    Examples
    --------
    >>> import kg
    >>> [(p.title, p.year) for p in kg.introduced_in(kg.example_graph(), "Transformer")]
    [('Attention Is All You Need', 2017)]
    """
    graph = as_graph(graph)
    node = resolve(graph, entity, ENTITY_TYPES)
    rows = [_proposal(graph, paper, node) for paper in papers_of(graph, node, PROPOSES)]
    rows.sort(key=lambda row: (row.year is None, row.year or 0, row.paper))
    return Table(rows, Proposal)


def proposed_by(graph, paper: str) -> Table:
    """The entities a paper proposes, with the sentence that says so.

    Examples
    --------
    >>> import kg
    >>> [p.name for p in kg.proposed_by(kg.example_graph(), "Attention Is All You Need")]
    ['Transformer']
    """
    graph = as_graph(graph)
    node = resolve_paper(graph, paper)
    rows = [_proposal(graph, node, entity) for entity, keys in sorted(graph.succ[node].items()) if PROPOSES in keys]
    return Table(rows, Proposal)


def _proposal(graph, paper: str, entity: str) -> Proposal:
    paper_attrs, entity_attrs = graph.nodes[paper], graph.nodes[entity]
    sentence = graph.edges[paper, entity, PROPOSES].get("sentence", "")
    return Proposal(paper, paper_attrs.get("title", ""), paper_year(paper_attrs), entity, entity_attrs.get("kind", ""),
                    entity_attrs.get("label", entity), sentence)


def statements(graph, kind: str | None = None, min_confidence: float = 0.0, k: int | None = None) -> Table:
    """The relations papers state between entities (``used_for``, ``evaluated_on``,
    ``measures``, ``compares``, ``narrower``; or only ``kind``) whose confidence is at least
    ``min_confidence``, most confident first, each with its best sentence and paper.

    Examples
    --------
    >>> import kg
    >>> found = kg.statements(kg.example_graph(), "used_for", min_confidence=0.5)
    >>> len(found) > 0 and all(s.confidence >= 0.5 and s.kind == "used_for" for s in found)
    True
    """
    graph = as_graph(graph)
    if kind is not None and kind not in RELATION_KINDS:
        raise ValueError(f"kind must be one of {', '.join(RELATION_KINDS)}, not {kind!r}")
    rows = []
    for head, tail, key, data in graph.edges(keys=True, data=True):
        if key in RELATION_KINDS and (kind is None or key == kind) and data.get("confidence", 0.0) >= min_confidence:
            rows.append(Statement(head, graph.nodes[head].get("label", head), key, tail,
                                  graph.nodes[tail].get("label", tail), float(data.get("confidence", 0.0)),
                                  int(data.get("support", 1)), data.get("paper", ""), data.get("sentence", ""),
                                  data.get("extractor", "")))
    rows.sort(key=lambda s: (-s.confidence, s.kind, s.head, s.tail))
    return Table(rows[:k] if k is not None else rows, Statement)
