"""What every query shares: the graph behind a facade, a per-graph cache, node helpers.

The cache holds what is costly to derive (name index, PageRank, communities, counts) per
graph object. It notices nodes added or removed and node pairs linked or unlinked (a check
that costs a pass over the nodes, not the edges); after changing attributes, or adding a
second kind of edge between linked nodes, call :func:`clear_cache`.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from kg.graph.build import paper_year
from kg.schema import BUILDS_ON, CITES, ENTITY_TYPES, MENTIONS

KINDS = ("paper",) + ENTITY_TYPES
_CACHE: WeakKeyDictionary = WeakKeyDictionary()


def as_graph(graph):
    """The ``networkx`` graph of a :class:`~kg.KnowledgeGraph`, or the graph itself.

    Examples
    --------
    >>> import kg
    >>> as_graph(kg.example_graph()) is kg.example_graph().graph
    True
    """
    import networkx as nx

    return graph if isinstance(graph, nx.Graph) else graph.graph


def cached(graph, key, compute):
    """``compute()`` once per graph and key, again only after the graph changes shape.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> cached(G, "n", G.number_of_nodes), cached(G, "n", lambda: "not called")
    (0, 0)
    """
    size = (len(graph._adj), sum(map(len, graph._adj.values())))
    entry = _CACHE.get(graph)
    if entry is None or entry[0] != size:
        entry = _CACHE[graph] = (size, {})
    store = entry[1]
    if key not in store:
        store[key] = compute()
    return store[key]


def clear_cache(graph) -> None:
    """Forget what was derived from ``graph`` (after changing it in place).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> cached(G, "x", lambda: 1); clear_cache(G); cached(G, "x", lambda: 2)
    1
    2
    """
    _CACHE.pop(as_graph(graph), None)


def kinds(type) -> tuple[str, ...] | None:
    """Node kinds from a type name or names (``"methods"`` is ``"method"``); None for all.

    Examples
    --------
    >>> kinds("Methods"), kinds(["task", "dataset"]), kinds(None)
    (('method',), ('task', 'dataset'), None)
    """
    if type is None:
        return None
    names = [type] if isinstance(type, str) else list(type)
    found = []
    for name in names:
        kind = name.strip().lower()
        kind = kind[:-1] if kind not in KINDS and kind.endswith("s") else kind
        if kind not in KINDS:
            raise ValueError(f"no node type {name!r}; the types are: {', '.join(KINDS)}")
        found.append(kind)
    return tuple(found)


def name_of(graph, node: str) -> str:
    """A node's display name: its label (a paper's title), else its id.

    Examples
    --------
    >>> import kg
    >>> name_of(kg.example_graph(), "paper:arxiv:1706.03762")
    'Attention Is All You Need'
    """
    graph = as_graph(graph)
    return graph.nodes[node].get("label") or str(node)


def papers_of(graph, entity: str, relation: str = MENTIONS) -> list[str]:
    """The papers with a ``relation`` (``mentions`` or ``proposes``) edge to an entity, sorted.

    Examples
    --------
    >>> import kg
    >>> papers_of(kg.example_graph(), "method:transformer", "proposes")
    ['paper:arxiv:1706.03762']
    """
    graph = as_graph(graph)
    return sorted(u for u, keys in graph.pred[entity].items() if relation in keys)


def paper_counts(graph) -> dict[str, int]:
    """:func:`paper_count` of every node, cached.

    Examples
    --------
    >>> import kg
    >>> paper_counts(kg.example_graph())["method:BERT"]
    4
    """
    graph = as_graph(graph)
    return cached(graph, "paper-counts", lambda: _paper_counts(graph))


def _paper_counts(graph) -> dict[str, int]:
    mentioned = dict.fromkeys(graph, 0)
    citing: dict[str, set[str]] = {}
    for u, v, key in graph.edges(keys=True):
        if key == MENTIONS:
            mentioned[v] += 1
        elif key in (CITES, BUILDS_ON):
            citing.setdefault(v, set()).add(u)
    kinds = graph.nodes(data="kind")
    return {node: len(citing.get(node, ())) if kinds[node] == "paper" else mentioned[node] for node in graph}


def entity_years(graph) -> dict[str, tuple[list[int], int]]:
    """For every node mentioned by a paper of the corpus: the sorted years of those papers that
    have one, and how many have none; cached.

    Examples
    --------
    >>> import kg
    >>> entity_years(kg.example_graph())["method:BERT"]
    ([2018, 2019, 2019, 2019], 0)
    """
    graph = as_graph(graph)
    return cached(graph, "entity-years", lambda: _entity_years(graph))


def _entity_years(graph) -> dict[str, tuple[list[int], int]]:
    years = paper_years(graph)
    found: dict[str, tuple[list[int], list[int]]] = {}
    for u, v, key in graph.edges(keys=True):
        if key == MENTIONS and u in years:
            dated, undated = found.setdefault(v, ([], [0]))
            if years[u] is None:
                undated[0] += 1
            else:
                dated.append(years[u])
    return {node: (sorted(dated), undated[0]) for node, (dated, undated) in found.items()}


def paper_years(graph) -> dict[str, int | None]:
    """The year (:func:`paper_year`) of every paper of the corpus (not of the cited papers outside
    it, ``stub=True``), cached.

    Examples
    --------
    >>> import kg
    >>> paper_years(kg.example_graph())["paper:arxiv:1706.03762"]
    2017
    """
    graph = as_graph(graph)
    return cached(graph, "paper-years", lambda: {
        node: paper_year(attrs) for node, attrs in graph.nodes(data=True)
        if attrs.get("kind") == "paper" and not attrs.get("stub")})


def paper_count(graph, node: str) -> int:
    """Papers mentioning an entity, or citing or building on a paper.

    Examples
    --------
    >>> import kg
    >>> paper_count(kg.example_graph(), "paper:arxiv:1706.03762") > 5
    True
    """
    graph = as_graph(graph)
    keys = (CITES, BUILDS_ON) if graph.nodes[node].get("kind") == "paper" else (MENTIONS,)
    return sum(1 for k in graph.pred[node].values() if any(key in k for key in keys))
