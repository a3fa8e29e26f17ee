"""kg: a citation-style knowledge graph of methods, datasets, tasks and metrics from papers.

Build a graph (or load one), then ask it questions; every query is a plain function that
takes the graph first, and a method of the same name on the object ``build`` returns.

>>> import kg
>>> g = kg.example_graph()               # kg.build() of the bundled example corpus, cached
>>> g.find("BERT")["kind"]
'method'
>>> kg.introduced_in(g, "Transformer")[0].title
'Attention Is All You Need'
"""

import importlib

from kg.analytics import (
    Association,
    Community,
    Emerging,
    Explanation,
    Hop,
    PaperInfo,
    Proposal,
    Ranked,
    RelatedPaper,
    Statement,
    Table,
    Trend,
    YearCount,
    communities,
    datasets_for,
    emerging,
    entities,
    find,
    introduced_in,
    methods_for,
    metrics_for,
    papers,
    path,
    proposed_by,
    related_papers,
    statements,
    tasks_for,
    top,
    trend,
)
from kg.errors import InputError, KgError, ModelNotInstalledError, NoInputError, NotFoundError, UnknownFormatError
from kg.graph.interop import node_link_data, to_gexf, to_graphml, to_networkx, write_gexf, write_graphml
from kg.knowledge_graph import EntityInfo, KnowledgeGraph, from_node_link_data, load, read_graphml
from kg.records import Paper, Problem

#: Names resolved on first use, so that ``import kg`` loads no extraction (spaCy) module.
_LAZY = {"build": "kg.pipeline", "example_corpus": "kg.pipeline", "example_graph": "kg.pipeline"}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    # build and load
    "build",
    "load",
    "example_corpus",
    "example_graph",
    "KnowledgeGraph",
    # queries (kg.analytics)
    "find",
    "papers",
    "entities",
    "methods_for",
    "datasets_for",
    "tasks_for",
    "metrics_for",
    "introduced_in",
    "proposed_by",
    "statements",
    "related_papers",
    "path",
    "top",
    "communities",
    "trend",
    "emerging",
    # interop
    "to_networkx",
    "to_graphml",
    "write_graphml",
    "read_graphml",
    "to_gexf",
    "write_gexf",
    "node_link_data",
    "from_node_link_data",
    # records
    "Table",
    "EntityInfo",
    "PaperInfo",
    "Association",
    "Proposal",
    "RelatedPaper",
    "Hop",
    "Explanation",
    "Ranked",
    "Community",
    "YearCount",
    "Trend",
    "Emerging",
    "Paper",
    "Problem",
    # errors
    "KgError",
    "InputError",
    "NoInputError",
    "NotFoundError",
    "UnknownFormatError",
    "ModelNotInstalledError",
]
