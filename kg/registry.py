"""The one registry of readers and exporters, loaded lazily (the shape of ``rdflib/plugin.py``).

A reader module has ``read(stream, path) -> Iterator[Paper | Problem]`` and
``sniff(head) -> bool`` (does this text look like my format?). An exporter module has
``dumps(graph) -> str``. Built-ins are registered below, one line each; other packages add
theirs through the entry point groups ``kg.readers`` and ``kg.exporters``
(value ``"module:suffix1,suffix2"`` for readers, ``"module:filename"`` for exporters).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from kg.errors import UnknownFormatError


@dataclass(frozen=True)
class Plugin:
    """A registered reader or exporter: its name, module path and suffixes or default filename."""

    name: str
    module: str
    suffixes: tuple[str, ...] = ()
    filename: str = ""
    #: Readers: how early ``sniff`` is asked when several readers share a suffix (lower first).
    priority: int = 50
    #: Exporters: written by ``kg build`` (RDF ones only when chosen); False: on request only.
    default: bool = True

    def load(self) -> ModuleType:
        """Import and return the plugin's module."""
        return importlib.import_module(self.module)


READERS: dict[str, Plugin] = {}
EXPORTERS: dict[str, Plugin] = {}


def register_reader(name: str, module: str, suffixes: tuple[str, ...], priority: int = 50) -> None:
    """Register a reader module for files with these suffixes. Readers whose ``sniff`` says yes
    are asked in ``priority`` order (lower first): formats that are special cases of another
    (OpenAlex records are JSON Lines) come before the general one, so no reader names another."""
    READERS[name] = Plugin(name, module, suffixes=suffixes, priority=priority)


def register_exporter(name: str, module: str, filename: str, default: bool = True) -> None:
    """Register an exporter module that writes ``filename`` by default; ``default=False``: one that
    ``kg build`` does not write unless asked."""
    EXPORTERS[name] = Plugin(name, module, filename=filename, default=default)


# Built-in readers: one line each.
register_reader("hf-daily", "kg.readers.hf_daily", (".txt",), priority=90)
register_reader("jsonl", "kg.readers.jsonl", (".jsonl", ".ndjson"), priority=90)
register_reader("csv", "kg.readers.csv", (".csv",))
register_reader("bibtex", "kg.readers.bibtex", (".bib", ".bibtex"))
register_reader("csl-json", "kg.readers.csl_json", (".json",), priority=20)
register_reader("arxiv-atom", "kg.readers.arxiv_atom", (".atom", ".xml"))
register_reader("arxiv-snapshot", "kg.readers.arxiv_snapshot", (".json", ".jsonl"), priority=10)
register_reader("openalex", "kg.readers.openalex", (".json", ".jsonl"), priority=10)
register_reader("s2", "kg.readers.s2", (".json", ".jsonl"), priority=10)

# Built-in exporters: one line each.
register_exporter("turtle", "kg.exporters.turtle", "graph.ttl")
register_exporter("html", "kg.exporters.html", "graph.html")
register_exporter("json", "kg.exporters.json", "graph.json")
register_exporter("ntriples", "kg.exporters.ntriples", "graph.nt")
register_exporter("jsonld", "kg.exporters.jsonld", "graph.jsonld")
register_exporter("graphml", "kg.exporters.graphml", "graph.graphml", default=False)
register_exporter("gexf", "kg.exporters.gexf", "graph.gexf", default=False)

_entry_points_loaded = False


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="kg.readers"):
        module, _, suffixes = ep.value.partition(":")
        register_reader(ep.name, module, tuple(s for s in suffixes.split(",") if s))
    for ep in entry_points(group="kg.exporters"):
        module, _, filename = ep.value.partition(":")
        register_exporter(ep.name, module, filename or f"graph.{ep.name}")


def _lookup(table: dict[str, Plugin], kind: str, name: str) -> Plugin:
    _load_entry_points()
    try:
        return table[name]
    except KeyError:
        choices = ", ".join(sorted(table))
        raise UnknownFormatError(f"No {kind} named {name!r}. Available: {choices}") from None


def reader(name: str) -> Plugin:
    """The reader registered under ``name``; the error lists the valid names."""
    return _lookup(READERS, "reader", name)


def exporter(name: str) -> Plugin:
    """The exporter registered under ``name``; the error lists the valid names."""
    return _lookup(EXPORTERS, "exporter", name)


def readers() -> list[Plugin]:
    """All registered readers, in registration order."""
    _load_entry_points()
    return list(READERS.values())


def exporters() -> list[Plugin]:
    """All registered exporters, in registration order."""
    _load_entry_points()
    return list(EXPORTERS.values())
