"""The object ``kg.build`` and ``kg.load`` return: the graph plus what a user asks of it first.

A thin facade over a ``networkx.MultiDiGraph``: no required call order, everything derived
from the graph, so a built graph and one loaded back from JSON behave the same. The query
methods are one line each over the plain functions of :mod:`kg.analytics` and :mod:`kg.graph.interop`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from kg import analytics, registry
from kg.analytics.lookup import entity_info
from kg.analytics.records import EntityInfo, Explanation, Table, Trend
from kg.errors import InputError
from kg.exporters import graphml
from kg.exporters.json import loads
from kg.fileio import replace_folder, write_atomic
from kg.graph import interop
from kg.rdf.mapping import export_formats
from kg.records import Paper, Problem, Source
from kg.schema import ENTITY_TYPES


@dataclass
class KnowledgeGraph:
    """The knowledge graph (``.graph``), the problems met reading it, merges and build stats.

    Examples
    --------
    >>> import kg
    >>> g = kg.build()
    >>> sorted(g.entities)
    ['concept', 'dataset', 'method', 'metric', 'task']
    >>> "paper:arxiv:1706.03762" in g.graph
    True
    """

    graph: object
    problems: list[Problem] = field(default_factory=list)
    merges: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def papers(self) -> list[Paper]:
        """The papers, as records, sorted by node id.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().papers[0].title
        'Efficient Estimation of Word Representations in Vector Space'
        """
        return [_paper(attrs) for _, attrs in sorted(self._nodes("paper"))]

    @property
    def entities(self) -> dict[str, list[EntityInfo]]:
        """Entities by type (every type present as a key), each list sorted by id; see
        :func:`kg.entities` to filter and rank them.

        Examples
        --------
        >>> import kg
        >>> "BERT" in [e.name for e in kg.example_graph().entities["method"]]
        True
        """
        found = {kind: [] for kind in ENTITY_TYPES}
        for node, attrs in sorted(self.graph.nodes(data=True)):
            if attrs.get("kind") in found:
                found[attrs["kind"]].append(entity_info(self.graph, node))
        return found

    def _nodes(self, kind: str):
        return [(n, a) for n, a in self.graph.nodes(data=True) if a.get("kind") == kind]

    # Queries: see kg.analytics for what each one does.

    def find(self, name: str, type=None) -> dict | None:
        """The attributes (plus ``id``) of the node named ``name``: case, plural and one typo
        forgiven, aliases, titles and arXiv ids included; None when nothing matches.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().find("bert")["id"]
        'method:BERT'
        """
        return analytics.find(self, name, type)

    def methods_for(self, task: str, k: int | None = None) -> Table:
        """Methods mentioned with a task, most papers first (:func:`kg.analytics.methods_for`).

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().methods_for("question answering", k=1)[0].name
        'GPT-3'
        """
        return analytics.methods_for(self, task, k)

    def datasets_for(self, task: str, k: int | None = None) -> Table:
        """Datasets mentioned with a task, most papers first.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().datasets_for("question answering", k=1)[0].name
        'SQuAD'
        """
        return analytics.datasets_for(self, task, k)

    def tasks_for(self, method: str, k: int | None = None) -> Table:
        """Tasks mentioned with a method, most papers first.

        Examples
        --------
        >>> import kg
        >>> "question answering" in [t.name for t in kg.example_graph().tasks_for("BERT")]
        True
        """
        return analytics.tasks_for(self, method, k)

    def metrics_for(self, task: str, k: int | None = None) -> Table:
        """Metrics mentioned with a task, most papers first.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().metrics_for("question answering", k=1)[0].name
        'accuracy'
        """
        return analytics.metrics_for(self, task, k)

    def introduced_in(self, entity: str) -> Table:
        """The papers that propose an entity, oldest first, with their sentence.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().introduced_in("LoRA")[0].paper
        'paper:arxiv:2106.09685'
        """
        return analytics.introduced_in(self, entity)

    def proposed_by(self, paper: str) -> Table:
        """The entities a paper proposes, with their sentence.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().proposed_by("paper:arxiv:1810.04805")[0].name
        'BERT'
        """
        return analytics.proposed_by(self, paper)

    def statements(self, kind: str | None = None, min_confidence: float = 0.0, k: int | None = None) -> Table:
        """The relations papers state, most confident first, at least ``min_confidence``
        (:func:`kg.analytics.statements`).

        Examples
        --------
        >>> import kg
        >>> all(s.confidence >= 0.7 for s in kg.example_graph().statements(min_confidence=0.7))
        True
        """
        return analytics.statements(self, kind, min_confidence, k)

    def related_papers(self, paper: str, k: int = 10) -> Table:
        """The papers most related to ``paper``, each with its reason.

        Examples
        --------
        >>> import kg
        >>> len(kg.example_graph().related_papers("Attention Is All You Need", k=5))
        5
        """
        return analytics.related_papers(self, paper, k)

    def path(self, source: str, target: str) -> Explanation:
        """The shortest explanation between two nodes, with evidence per hop.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().path("BERT", "RoBERTa").nodes[-1]
        'method:RoBERTa'
        """
        return analytics.path(self, source, target)

    def top(self, type=None, by: str = "pagerank", k: int = 20) -> Table:
        """The ``k`` highest-ranked nodes by ``pagerank``, ``degree`` or ``papers``.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().top(type="dataset", by="papers", k=1)[0].type
        'dataset'
        """
        return analytics.top(self, type, by, k)

    def communities(self, seed: int = 0, resolution: float = 1.0, min_size: int = 2) -> Table:
        """Louvain communities (deterministic for a seed), largest first, labelled.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().communities()[0].size > 10
        True
        """
        return analytics.communities(self, seed, resolution, min_size)

    def trend(self, entity: str) -> Trend:
        """Papers per year that mention an entity.

        Examples
        --------
        >>> import kg
        >>> sum(y.papers for y in kg.example_graph().trend("Transformer").years) >= 3
        True
        """
        return analytics.trend(self, entity)

    def emerging(self, since: int | None = None, k: int = 20, type=None, min_papers: int = 2) -> Table:
        """The entities whose share of papers grew most from ``since`` on.

        Examples
        --------
        >>> import kg
        >>> all(e.recent >= 2 for e in kg.example_graph().emerging(since=2020))
        True
        """
        return analytics.emerging(self, since, k, type, min_papers)

    def to_networkx(self):
        """A copy of the graph as a ``networkx.MultiDiGraph``.

        Examples
        --------
        >>> import kg
        >>> type(kg.example_graph().to_networkx()).__name__
        'MultiDiGraph'
        """
        return interop.to_networkx(self)

    def write_graphml(self, path: str | os.PathLike = "exports/graph.graphml") -> Path:
        """Write GraphML (lists as JSON text); returns the path.

        Examples
        --------
        >>> import kg, tempfile, os
        >>> kg.example_graph().write_graphml(os.path.join(tempfile.mkdtemp(), "g.graphml")).suffix
        '.graphml'
        """
        return interop.write_graphml(self, path)

    def write_gexf(self, path: str | os.PathLike = "exports/graph.gexf") -> Path:
        """Write GEXF for Gephi; returns the path.

        Examples
        --------
        >>> import kg, tempfile, os
        >>> kg.example_graph().write_gexf(os.path.join(tempfile.mkdtemp(), "g.gexf")).suffix
        '.gexf'
        """
        return interop.write_gexf(self, path)

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per kind and edges per kind.

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().counts()["nodes"]["paper"]
        25
        """
        nodes: dict[str, int] = {}
        for _, attrs in self.graph.nodes(data=True):
            nodes[attrs.get("kind", "?")] = nodes.get(attrs.get("kind", "?"), 0) + 1
        edges: dict[str, int] = {}
        for _, _, kind in self.graph.edges(keys=True):
            edges[kind] = edges.get(kind, 0) + 1
        return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}

    def dumps(self, format: str) -> str:
        """The graph in a registered export format (``turtle``, ``html``, ``json``).

        Examples
        --------
        >>> import kg
        >>> kg.example_graph().dumps("json").startswith("{")
        True
        """
        return registry.exporter(format).load().dumps(self.graph)

    def write(self, format: str, path: str | os.PathLike | None = None) -> Path:
        """Write one export atomically (default file name from the registry) and return its path.

        Examples
        --------
        >>> import kg, tempfile, os
        >>> kg.example_graph().write("json", os.path.join(tempfile.mkdtemp(), "g.json")).name
        'g.json'
        """
        plugin = registry.exporter(format)
        return write_atomic(path or plugin.filename, plugin.load().dumps(self.graph))

    def write_all(self, folder: str | os.PathLike = "exports", formats=None, wait: bool = True,
                  on_wait=None) -> list[Path]:
        """Write the exports ``kg build`` writes (or ``formats``) into ``folder``; returns the paths.

        By default that is Turtle, the HTML page and the JSON records; pass e.g.
        ``formats=["ntriples", "jsonld"]`` for the other RDF serialisations. The folder changes
        at once (:func:`kg.fileio.replace_folder`): a reader, or a build killed mid-way, never
        leaves new exports beside old ones; other files in it are kept. While another process
        writes the same folder this waits (``on_wait()`` is called first) or, with
        ``wait=False``, raises :class:`~kg.errors.ExportError`.

        Examples
        --------
        >>> import kg, tempfile
        >>> [p.name for p in kg.example_graph().write_all(tempfile.mkdtemp(), formats=["json"])]
        ['graph.json']
        """
        names = formats or export_formats()
        contents = ((registry.exporter(name).filename, self.dumps(name)) for name in names)
        return replace_folder(folder, contents, wait=wait, on_wait=on_wait)

    def write_turtle(self, path="exports/graph.ttl") -> Path:
        """Write the Turtle export.

        Examples
        --------
        >>> import kg, tempfile, os
        >>> kg.example_graph().write_turtle(os.path.join(tempfile.mkdtemp(), "g.ttl")).suffix
        '.ttl'
        """
        return self.write("turtle", path)

    def write_html(self, path="exports/graph.html") -> Path:
        """Write the HTML graph page.

        Examples
        --------
        >>> import kg, tempfile, os
        >>> kg.example_graph().write_html(os.path.join(tempfile.mkdtemp(), "g.html")).suffix
        '.html'
        """
        return self.write("html", path)

    def write_json(self, path="exports/graph.json") -> Path:
        """Write the node-link JSON export (read it back with :func:`kg.load`).

        Examples
        --------
        >>> import kg, tempfile, os
        >>> path = kg.example_graph().write_json(os.path.join(tempfile.mkdtemp(), "graph.json"))
        >>> kg.load(path).find("LoRA") == kg.example_graph().find("LoRA")
        True
        """
        return self.write("json", path)


def _paper(attrs: dict) -> Paper:
    """A paper node's attributes back as a :class:`Paper` (every field the node keeps)."""
    values = {}
    for name in (f.name for f in fields(Paper)):
        value = attrs.get(name)
        if name == "sources":
            value = tuple(_source(text) for text in value or ())
        elif isinstance(value, list):
            value = tuple(value)
        if value is not None:
            values[name] = value
    values.setdefault("title", "")
    return Paper(**values)


def _source(text: str) -> Source:
    path, _, line = text.rpartition(":")
    return Source(path, int(line) if line.isdigit() else 0, "")


def load(path: str | os.PathLike) -> KnowledgeGraph:
    """Read a graph back from the node-link JSON that ``kg build`` writes (``graph.json``).

    Examples
    --------
    >>> import kg, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = kg.build().write_json(os.path.join(folder, "graph.json"))
    >>> len(kg.load(path).papers)
    25
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
        return KnowledgeGraph(loads(text))
    except FileNotFoundError as error:
        raise InputError(str(path), None, "no such file") from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(str(path), None, f"not a kg graph.json file: {error}") from error


def read_graphml(path: str | os.PathLike) -> KnowledgeGraph:
    """A :class:`KnowledgeGraph` from GraphML that :func:`kg.write_graphml` wrote (lists restored).

    Examples
    --------
    >>> import kg, tempfile, os
    >>> path = kg.write_graphml(kg.example_graph(), os.path.join(tempfile.mkdtemp(), "g.graphml"))
    >>> aliases = kg.find(read_graphml(path), "LoRA")["aliases"]
    >>> aliases == kg.find(kg.example_graph(), "LoRA")["aliases"] and "LoRA" in aliases
    True
    """
    return KnowledgeGraph(graphml.read(path))


def from_node_link_data(data: dict) -> KnowledgeGraph:
    """A :class:`KnowledgeGraph` from node-link data; the round trip gives an equal graph.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> back = from_node_link_data(kg.node_link_data(kg.example_graph()))
    >>> nx.utils.graphs_equal(back.graph, kg.example_graph().graph)
    True
    """
    import networkx as nx

    return KnowledgeGraph(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
