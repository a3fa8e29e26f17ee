"""The object ``kg.build`` and ``kg.load`` return: the graph plus what a user asks of it first.

A thin facade over a ``networkx.MultiDiGraph``: no required call order, everything derived
from the graph, so a built graph and one loaded back from JSON behave the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.records import ENTITY_TYPES, Paper, Problem, Source


@dataclass(frozen=True)
class EntityInfo:
    """An entity as the API reports it: node id, type, name, aliases and mentioning papers."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    papers: tuple[str, ...]


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
        """The papers, as records, sorted by node id."""
        return [_paper(attrs) for _, attrs in sorted(self._nodes("paper"))]

    @property
    def entities(self) -> dict[str, list[EntityInfo]]:
        """Entities by type (every type present as a key), each list sorted by id."""
        found = {kind: [] for kind in ENTITY_TYPES}
        for node, attrs in sorted(self.graph.nodes(data=True)):
            if attrs.get("kind") in found:
                found[attrs["kind"]].append(self._entity(node, attrs))
        return found

    def find(self, name: str) -> dict | None:
        """The attributes (plus ``id``) of the entity or paper named ``name`` (case-insensitive,
        aliases included), or None."""
        wanted = name.strip().lower()
        for node, attrs in sorted(self.graph.nodes(data=True)):
            names = [attrs.get("label", "")] + list(attrs.get("aliases", []))
            if any(n.lower() == wanted for n in names):
                return {"id": node, **attrs}
        return None

    def _nodes(self, kind: str):
        return [(n, a) for n, a in self.graph.nodes(data=True) if a.get("kind") == kind]

    def _entity(self, node: str, attrs: dict) -> EntityInfo:
        papers = sorted(u for u, _, k in self.graph.in_edges(node, keys=True) if k == "mentions")
        return EntityInfo(node, attrs["kind"], attrs.get("label", ""), tuple(attrs.get("aliases", ())), tuple(papers))

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per kind and edges per kind."""
        nodes: dict[str, int] = {}
        for _, attrs in self.graph.nodes(data=True):
            nodes[attrs.get("kind", "?")] = nodes.get(attrs.get("kind", "?"), 0) + 1
        edges: dict[str, int] = {}
        for _, _, kind in self.graph.edges(keys=True):
            edges[kind] = edges.get(kind, 0) + 1
        return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}

    def dumps(self, format: str) -> str:
        """The graph in a registered export format (``turtle``, ``html``, ``json``)."""
        from kg import registry

        return registry.exporter(format).load().dumps(self.graph)

    def write(self, format: str, path: str | os.PathLike | None = None) -> Path:
        """Write one export atomically (default file name from the registry) and return its path."""
        from kg import registry
        from kg.fileio import write_atomic

        plugin = registry.exporter(format)
        return write_atomic(path or plugin.filename, plugin.load().dumps(self.graph))

    def write_all(self, folder: str | os.PathLike = "exports", formats=None) -> list[Path]:
        """Write every export (or ``formats``) into ``folder``; returns the paths written."""
        from kg import registry

        names = formats or [p.name for p in registry.exporters()]
        return [self.write(name, Path(folder) / registry.exporter(name).filename) for name in names]

    def write_turtle(self, path="exports/graph.ttl") -> Path:
        """Write the Turtle export."""
        return self.write("turtle", path)

    def write_html(self, path="exports/graph.html") -> Path:
        """Write the HTML graph page."""
        return self.write("html", path)

    def write_json(self, path="exports/graph.json") -> Path:
        """Write the node-link JSON export (read it back with :func:`kg.load`)."""
        return self.write("json", path)


def _paper(attrs: dict) -> Paper:
    sources = []
    for text in attrs.get("sources", []):
        path, _, line = text.rpartition(":")
        sources.append(Source(path, int(line) if line.isdigit() else 0, ""))
    return Paper(
        title=attrs.get("title", ""), abstract=attrs.get("abstract", ""),
        authors=tuple(attrs.get("authors", ())), author_count=attrs.get("author_count"),
        organization=attrs.get("organization"), date=attrs.get("date"), year=attrs.get("year"),
        listed=attrs.get("listed"), url=attrs.get("url"), doi=attrs.get("doi"),
        arxiv_id=attrs.get("arxiv_id"), local_id=attrs.get("local_id"),
        code_urls=tuple(attrs.get("code_urls", ())), sources=tuple(sources),
    )


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
    from kg.errors import InputError
    from kg.exporters.json import loads

    try:
        text = Path(path).read_text(encoding="utf-8")
        return KnowledgeGraph(loads(text))
    except FileNotFoundError as error:
        raise InputError(str(path), None, "no such file") from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(str(path), None, f"not a kg graph.json file: {error}") from error
