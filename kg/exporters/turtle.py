"""Turtle export: the public RDF contract of ``kg`` (see README, "RDF").

Papers are ``schema:ScholarlyArticle``; entities are instances of ``kg:Method``,
``kg:Dataset``, ``kg:Task``, ``kg:Metric`` or ``kg:Concept`` (each ``rdfs:subClassOf
skos:Concept``) with one ``skos:prefLabel`` and a ``skos:altLabel`` per alias; a paper
``schema:mentions`` and ``kg:proposes`` entities and ``cito:cites`` papers.

The triples are made once (:func:`triples`); :func:`dumps` sorts them and writes Turtle with
pyoxigraph's serializer (fast; no blank nodes, so the same graph gives the same bytes), and
:func:`to_rdf` gives the same triples as an ``rdflib.Graph``, the reference for correctness.
"""

from __future__ import annotations

import re
from typing import Iterator

from kg.fileio import write_atomic

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


def prefixes() -> dict[str, str]:
    """The prefixes the Turtle file declares."""
    from kg.vocab import CITO, NS, SCHEMA

    return {"cito": str(CITO), "kg": NS, "rdf": RDF_NS, "rdfs": RDFS_NS, "schema": str(SCHEMA),
            "skos": SKOS_NS, "xsd": XSD_NS}


def triples(graph) -> Iterator[tuple]:
    """Every triple of the export, as pyoxigraph terms (unsorted)."""
    yield from _term_declarations()
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") == "paper":
            yield from _paper(node, attrs)
        else:
            yield from _entity(node, attrs)
    yield from _edges(graph)


def _iri(value: str):
    from pyoxigraph import NamedNode

    return NamedNode(value)


def _literal(value, datatype: str | None = None):
    from pyoxigraph import Literal, NamedNode

    return Literal(str(value), datatype=NamedNode(XSD_NS + datatype)) if datatype else Literal(str(value))


def _term_declarations():
    from kg.vocab import NS, SCHEMA, TYPE_CLASSES

    a, label = _iri(RDF_NS + "type"), _iri(RDFS_NS + "label")
    for kind, cls in TYPE_CLASSES.items():
        yield _iri(str(cls)), a, _iri(RDFS_NS + "Class")
        yield _iri(str(cls)), _iri(RDFS_NS + "subClassOf"), _iri(SKOS_NS + "Concept")
        yield _iri(str(cls)), label, _literal(kind)
    proposes = _iri(NS + "proposes")
    yield proposes, a, _iri(RDF_NS + "Property")
    yield proposes, _iri(RDFS_NS + "subPropertyOf"), _iri(str(SCHEMA) + "mentions")
    yield proposes, label, _literal("proposes")
    yield proposes, _iri(RDFS_NS + "comment"), _literal(
        "The paper introduces this entity (a method, dataset, task or metric of its own).")


def _paper(node: str, attrs: dict):
    from kg.vocab import NS, SCHEMA, paper_iri

    s, schema = _iri(str(paper_iri(node.removeprefix("paper:")))), str(SCHEMA)
    yield s, _iri(RDF_NS + "type"), _iri(schema + "ScholarlyArticle")
    yield s, _iri(schema + "name"), _literal(attrs.get("title", ""))
    if attrs.get("abstract"):
        yield s, _iri(schema + "abstract"), _literal(attrs["abstract"])
    if attrs.get("date") and _FULL_DATE.match(attrs["date"]):
        yield s, _iri(schema + "datePublished"), _literal(attrs["date"], "date")
    elif attrs.get("year"):
        yield s, _iri(schema + "datePublished"), _literal(f"{attrs['year']:04d}", "gYear")
    if attrs.get("listed"):
        yield s, _iri(NS + "listedOn"), _literal(attrs["listed"])
    if attrs.get("url") and _URL.match(attrs["url"]):
        yield s, _iri(schema + "url"), _iri(attrs["url"])
    for field in ("local_id", "doi", "arxiv_id"):
        if attrs.get(field):
            yield s, _iri(schema + "identifier"), _literal(attrs[field])
    for author in attrs.get("authors", []):
        yield s, _iri(schema + "author"), _literal(author)
    if attrs.get("author_count") and not attrs.get("authors"):
        yield s, _iri(NS + "authorCount"), _literal(attrs["author_count"], "integer")
    for url in attrs.get("code_urls", []):
        if _URL.match(url):
            yield s, _iri(schema + "codeRepository"), _iri(url)


def _entity(node: str, attrs: dict):
    from kg.vocab import TYPE_CLASSES, entity_iri

    s = _iri(str(entity_iri(node)))
    yield s, _iri(RDF_NS + "type"), _iri(str(TYPE_CLASSES[attrs["kind"]]))
    yield s, _iri(SKOS_NS + "prefLabel"), _literal(attrs.get("label", ""))
    for alias in attrs.get("aliases", []):
        yield s, _iri(SKOS_NS + "altLabel"), _literal(alias)


def _node_iri(node: str):
    from kg.vocab import entity_iri, paper_iri

    iri = paper_iri(node.removeprefix("paper:")) if node.startswith("paper:") else entity_iri(node)
    return _iri(str(iri))


def _edges(graph):
    from kg.vocab import CITO, NS, SCHEMA

    predicates = {"mentions": str(SCHEMA) + "mentions", "proposes": NS + "proposes", "cites": str(CITO) + "cites"}
    for source, target, kind in graph.edges(keys=True):
        if kind in predicates:
            yield _node_iri(source), _iri(predicates[kind]), _node_iri(target)


def sorted_triples(graph) -> list:
    """The triples in a fixed order (by their N-Triples text), duplicates removed."""
    from pyoxigraph import Triple

    unique = {str(t): t for t in (Triple(*spo) for spo in triples(graph))}
    return [unique[key] for key in sorted(unique)]


def dumps(graph) -> str:
    """The graph as Turtle text, deterministic."""
    from pyoxigraph import RdfFormat, serialize

    return serialize(sorted_triples(graph), format=RdfFormat.TURTLE, prefixes=prefixes()).decode("utf-8")


def to_rdf(graph):
    """The same triples as an ``rdflib.Graph`` (for pySHACL, small graphs and reference checks)."""
    from rdflib import Graph, Literal, URIRef

    rdf = Graph()
    for prefix, namespace in prefixes().items():
        rdf.bind(prefix, namespace)
    for triple in sorted_triples(graph):
        s, p, o = (URIRef(t.value) for t in (triple.subject, triple.predicate)), None, triple.object
        subject, predicate = s
        if hasattr(o, "datatype"):
            datatype = o.datatype.value
            obj = Literal(o.value) if datatype.endswith("#string") else Literal(o.value, datatype=URIRef(datatype))
        else:
            obj = URIRef(o.value)
        rdf.add((subject, predicate, obj))
    return rdf


def write(graph, path) -> None:
    """Write the Turtle export atomically."""
    write_atomic(path, dumps(graph))
