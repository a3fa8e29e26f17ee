"""Finding nodes by name, and listing papers and entities.

:func:`find` matches, in this order: a node id; a name, alias, title or identifier (arXiv id,
DOI, the input's own id) regardless of case; the same up to plural, hyphens and spaces (the
canonicalisation key); and last a name within one typo (a letter added, dropped or changed,
or two neighbours swapped) of a query of four or more characters. Among equal matches the
entity with most papers wins.
"""

from __future__ import annotations

import difflib
import re

from kg.analytics.base import as_graph, cached, kinds, paper_count, paper_counts, paper_year, papers_of
from kg.analytics.records import EntityInfo, PaperInfo, Table
from kg.errors import NotFoundError
from kg.names import name_key
from kg.schema import ENTITY_TYPES, PROPOSES

TYPO_MIN_LENGTH = 4
TYPO_TIER = 3  # _match's tier for a name one typo away


class NameIndex:
    """Every name of every node, by exact text, and by canonical key (also grouped by length)."""

    def __init__(self, graph):

        self.key = lambda text: name_key(text).casefold()
        self.exact: dict[str, list[tuple[int, str]]] = {}
        self.keyed: dict[str, list[tuple[int, str]]] = {}
        for node, attrs in sorted(graph.nodes(data=True)):
            for rank, text in _names(node, attrs):
                self.exact.setdefault(text.strip().casefold(), []).append((rank, node))
                self.keyed.setdefault(self.key(text), []).append((rank, node))
        self.by_length: dict[int, list[str]] = {}
        for key in self.keyed:
            self.by_length.setdefault(len(key), []).append(key)

    def close(self, key: str) -> list[str]:
        """The known keys within one typo of ``key`` (only keys one letter longer, shorter or
        as long can be)."""
        lengths = (len(key) - 1, len(key), len(key) + 1)
        return sorted(known for n in lengths for known in self.by_length.get(n, ())
                      if known != key and _one_typo(key, known))


def _names(node: str, attrs: dict):
    """(rank, text) for every name of a node: rank 0 for its label, 1 for other names."""
    yield 0, attrs.get("label") or node
    yield 1, node.split(":", 1)[1] if attrs.get("kind") == "paper" else node
    for alias in attrs.get("aliases", ()):
        yield 1, alias
    for field in ("title", "arxiv_id", "doi", "local_id"):
        if attrs.get(field):
            yield 1, str(attrs[field])


def _one_typo(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one added, dropped or changed letter or one swap."""
    if abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    rest_a, rest_b = a[start:], b[start:]
    return (rest_a[1:] == rest_b[1:] or rest_a[1:] == rest_b or rest_a == rest_b[1:]
            or (rest_a[:2] == rest_b[1::-1] and rest_a[2:] == rest_b[2:]))


def name_index(graph) -> NameIndex:
    """The graph's name index, built once per graph."""
    graph = as_graph(graph)
    return cached(graph, "names", lambda: NameIndex(graph))


def find(graph, name: str, type=None) -> dict | None:
    """The attributes (with ``id``) of the node named ``name``, or None.

    ``type`` limits the search to one kind of node or several (``"paper"``, ``"method"``, ...).

    Examples
    --------
    >>> import kg
    >>> g = kg.example_graph()
    >>> kg.find(g, "LoRA")["label"], kg.find(g, "LoRA")["kind"]
    ('Low-Rank Adaptation', 'method')
    >>> kg.find(g, "low-rank adaptations")["label"], kg.find(g, "Tranformer")["label"]
    ('Low-Rank Adaptation', 'Transformer')
    >>> kg.find(g, "1706.03762")["title"]
    'Attention Is All You Need'
    >>> kg.find(g, "no such thing") is None
    True
    """
    graph = as_graph(graph)
    wanted = kinds(type)
    node = _find_node(graph, name, wanted)
    return None if node is None else {"id": node, **graph.nodes[node]}


def _find_node(graph, name: str, wanted) -> str | None:
    found = _match(graph, name, wanted)
    return found[1] if found else None


def _match(graph, name: str, wanted) -> tuple[int, str] | None:
    """(tier, node) of the best match: tier 0 a node id, 1 a name, 2 a key, 3 a typo."""
    allowed = (lambda n: True) if wanted is None else (lambda n: graph.nodes[n].get("kind") in wanted)
    if name in graph and allowed(name):
        return 0, name
    for tier, found in enumerate(_tiers(name_index(graph), name), 1):
        hits = [(rank, node) for rank, node in found if allowed(node)]
        if hits:
            return tier, min(hits, key=lambda hit: (hit[0], -paper_count(graph, hit[1]), hit[1]))[1]
    return None


def _tiers(index: NameIndex, name: str):
    """The (rank, node) hits for ``name``, tier by tier, each computed only when asked for."""
    key = index.key(name)
    yield index.exact.get(name.strip().casefold(), [])
    yield index.keyed.get(key, [])
    if len(key) >= TYPO_MIN_LENGTH:
        yield [hit for near in index.close(key) for hit in index.keyed[near]]


def resolve(graph, name: str, type=None, *, strict: bool = False) -> str:
    """The node id for ``name``: a node of ``type`` if there is one, else any node (only a
    node of ``type`` when ``strict``); raises :class:`~kg.errors.NotFoundError` with the
    closest names when there is none.

    Examples
    --------
    >>> import kg
    >>> resolve(kg.example_graph(), "question answering", "task")
    'task:question answering'
    >>> resolve(kg.example_graph(), "Bertt")
    'method:BERT'
    """
    graph = as_graph(graph)
    node = _find_node(graph, name, kinds(type)) if type else None
    if node is None and not (strict and type):
        node = _find_node(graph, name, None)
    if node is None:
        raise NotFoundError(_not_found(graph, name, kinds(type)))
    return node


def resolve_paper(graph, name: str) -> str:
    """The paper node for ``name``: a paper by title or identifier, else the earliest paper
    that proposes the entity so named (a typo in a paper's name counts less than an exact
    entity name), else the shortest title that contains ``name`` as whole words, unless
    ``name`` is an entity no paper in the graph proposes: then :class:`~kg.errors.NotFoundError`
    says so (a title that merely contains an entity's name, e.g. "WhiteningBERT" for BERT, is
    not its paper).

    Examples
    --------
    >>> import kg
    >>> g = kg.example_graph()
    >>> resolve_paper(g, "LoRA"), resolve_paper(g, "attention is all you")
    ('paper:arxiv:2106.09685', 'paper:arxiv:1706.03762')
    """
    graph = as_graph(graph)
    paper, entity = _match(graph, name, ("paper",)), _match(graph, name, ENTITY_TYPES)
    proposers = papers_of(graph, entity[1], PROPOSES) if entity else []
    if paper and (not proposers or paper[0] <= entity[0]):
        return paper[1]
    if proposers:
        return min(proposers, key=lambda node: (paper_year(graph.nodes[node]) or 10_000, node))
    words = re.compile(rf"(?<!\w){re.escape(name.strip().casefold())}(?!\w)")
    titled = sorted((len(a.get("title", "")), n) for n, a in graph.nodes(data=True)
                    if a.get("kind") == "paper" and words.search(a.get("title", "").casefold()))
    if entity and entity[0] < TYPO_TIER:
        raise NotFoundError(_not_proposed(graph, entity[1], [n for _, n in titled]))
    if titled and name.strip():
        return titled[0][1]
    raise NotFoundError(_not_found(graph, name, ("paper",)))


def _not_proposed(graph, entity: str, titled: list[str]) -> str:
    attrs = graph.nodes[entity]
    label, mentions = attrs.get("label", entity), len(papers_of(graph, entity))
    titles = "; ".join(repr(graph.nodes[n]["title"]) for n in titled[:3])
    hint = f" Titles that contain the name: {titles}." if titles else ""
    return (f"{label!r} is a {attrs.get('kind', 'entity')} that no paper in the graph proposes "
            f"({mentions} mention it: kg trend {label!r}); name a paper by title or id.{hint}")


def _not_found(graph, name: str, wanted) -> str:
    labels = sorted({a.get("label", "") for _, a in graph.nodes(data=True)
                     if wanted is None or a.get("kind") in wanted} - {""})
    close = difflib.get_close_matches(name, labels, n=5, cutoff=0.6)
    what = " or ".join(wanted) if wanted else "node"
    hint = f" Close names: {', '.join(close)}." if close else " No close name either."
    return f"No {what} named {name!r} in the graph.{hint}"


def paper_info(graph, node: str) -> PaperInfo:
    """The :class:`PaperInfo` of a paper node."""
    attrs = as_graph(graph).nodes[node]
    return PaperInfo(node, attrs.get("title") or attrs.get("label", ""), paper_year(attrs), attrs.get("date"),
                     attrs.get("url"))


def papers(graph, *, year=None, since=None, until=None, mentions=None, text=None, stubs: bool = False) -> Table:
    """Papers, oldest first (undated last), optionally only those of one ``year``, from
    ``since`` or up to ``until`` (inclusive), mentioning an entity, or with ``text`` in the title.
    Cited papers outside the corpus (``stub`` nodes) are left out unless ``stubs=True``.

    Examples
    --------
    >>> import kg
    >>> g = kg.example_graph()
    >>> len(kg.papers(g)), [p.year for p in kg.papers(g, since=2022)]
    (25, [2022, 2022, 2023])
    >>> [p.title for p in kg.papers(g, mentions="LoRA")]
    ['LoRA: Low-Rank Adaptation of Large Language Models']
    """
    graph = as_graph(graph)
    if mentions is not None:
        candidates = papers_of(graph, resolve(graph, mentions))
    else:
        candidates = [n for n, a in graph.nodes(data=True) if a.get("kind") == "paper" and (stubs or not a.get("stub"))]
    rows = [paper_info(graph, node) for node in candidates]
    if year is not None:
        since = until = year
    rows = [r for r in rows if (since is None or (r.year is not None and r.year >= since))
            and (until is None or (r.year is not None and r.year <= until))
            and (text is None or text.casefold() in r.title.casefold())]
    rows.sort(key=lambda r: (r.year is None, r.date or str(r.year or ""), r.id))
    return Table(rows, PaperInfo)


def entity_info(graph, node: str) -> EntityInfo:
    """The :class:`EntityInfo` of an entity node."""
    attrs = as_graph(graph).nodes[node]
    return EntityInfo(node, attrs["kind"], attrs.get("label", ""), tuple(attrs.get("aliases", ())),
                      tuple(papers_of(graph, node)))


def entities(graph, type=None, min_papers: int = 1) -> Table:
    """Entities (of one type or several) mentioned by at least ``min_papers`` papers, most
    mentioned first.

    Examples
    --------
    >>> import kg
    >>> top = kg.entities(kg.example_graph(), type="method", min_papers=4)
    >>> "BERT" in [e.name for e in top], all(len(e.papers) >= 4 for e in top)
    (True, True)
    """
    graph = as_graph(graph)
    wanted = kinds(type) or ENTITY_TYPES
    counts = paper_counts(graph)
    rows = [entity_info(graph, node) for node, attrs in graph.nodes(data=True)
            if attrs.get("kind") in wanted and counts[node] >= min_papers]
    rows.sort(key=lambda row: (-len(row.papers), row.id))
    return Table(rows, EntityInfo)
