"""Turtle export: the public RDF contract of ``kg`` (see README, "RDF").

Papers are ``schema:ScholarlyArticle``; entities are instances of ``kg:Method``,
``kg:Dataset``, ``kg:Task``, ``kg:Metric`` or ``kg:Concept`` (each ``rdfs:subClassOf
skos:Concept``) with one ``skos:prefLabel`` and a ``skos:altLabel`` per alias; a paper
``schema:mentions`` and ``kg:proposes`` entities and ``cito:cites`` papers; every extracted
statement also has a ``kg:Statement`` record with its evidence (see :mod:`kg.rdf.mapping`).

The triples are made once, as N-Triples lines (:func:`kg.rdf.mapping.ntriples_lines`); :func:`dumps`
writes them as Turtle with pyoxigraph's serializer (fast; no blank nodes and a fixed order,
so the same graph gives the same bytes), and :func:`to_rdf` gives the same triples as an
``rdflib.Graph``, the reference for correctness.
"""

from __future__ import annotations

import re

from kg.fileio import write_atomic
from kg.rdf.mapping import PREFIXES, ntriples, ntriples_lines, to_rdflib

# rdflib (7.x) cannot read a prefixed name that ends in an escaped dot (``concept:MoE\\.``),
# which pyoxigraph writes for an IRI ending in "."; such a namespace is written in full.
_DOT_END = re.compile(r"\.>")


def prefixes(text: str = "") -> dict[str, str]:
    """The prefixes the Turtle file declares, less those of namespaces where ``text`` (the
    N-Triples of the export) has an IRI ending in a dot."""
    unsafe = set()
    for match in _DOT_END.finditer(text):
        iri = text[text.rfind("<", 0, match.start()) + 1:match.start() + 1]
        unsafe.add(iri[:iri.rfind("/") + 1])
    return {name: iri for name, iri in PREFIXES.items() if iri not in unsafe}


def sorted_triples(graph) -> list:
    """The triples in a fixed order (by their N-Triples text), duplicates removed."""
    from pyoxigraph import RdfFormat, parse

    return list(parse(ntriples(graph).encode("utf-8"), format=RdfFormat.N_TRIPLES))


def dumps(graph) -> str:
    """The graph as Turtle text, deterministic."""
    from pyoxigraph import RdfFormat, parse, serialize

    text = "".join(ntriples_lines(graph))
    triples = parse(text.encode("utf-8"), format=RdfFormat.N_TRIPLES)
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes(text)).decode("utf-8")


def to_rdf(graph):
    """The same triples as an ``rdflib.Graph`` (for pySHACL, small graphs and reference checks)."""
    return to_rdflib(graph)


def write(graph, path) -> None:
    """Write the Turtle export atomically."""
    write_atomic(path, dumps(graph))
