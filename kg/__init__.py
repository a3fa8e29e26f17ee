"""kg: a citation-style knowledge graph of methods, datasets, tasks and metrics from papers.

>>> import kg
>>> g = kg.build()                       # the bundled example corpus
>>> g.find("BERT")["kind"]
'method'
"""

from kg.errors import InputError, KgError, ModelNotInstalledError, NoInputError, UnknownFormatError
from kg.knowledge_graph import EntityInfo, KnowledgeGraph, load
from kg.pipeline import build, example_corpus
from kg.records import Paper, Problem

__version__ = "0.1.0"

__all__ = [
    "build",
    "load",
    "example_corpus",
    "KnowledgeGraph",
    "EntityInfo",
    "Paper",
    "Problem",
    "KgError",
    "InputError",
    "NoInputError",
    "UnknownFormatError",
    "ModelNotInstalledError",
]
