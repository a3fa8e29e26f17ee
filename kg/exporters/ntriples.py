"""N-Triples export: one triple per line, lines sorted, so two exports diff line by line and
bulk loaders (``oxigraph load``, Fuseki's ``tdb2.tdbloader``, QLever) read it in one pass.

The same triples as the Turtle export (see :mod:`kg.rdf.mapping`), written in RDF 1.2 canonical
N-Triples escaping.
"""

from __future__ import annotations

from kg.fileio import write_atomic
from kg.rdf.mapping import ntriples


def dumps(graph) -> str:
    """The graph as sorted N-Triples text, deterministic."""
    return ntriples(graph)


def write(graph, path) -> None:
    """Write the N-Triples export atomically."""
    write_atomic(path, dumps(graph))
