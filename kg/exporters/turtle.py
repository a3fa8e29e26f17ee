"""Turtle export: the public RDF contract of ``kg`` (see README, "RDF").

Papers are ``schema:ScholarlyArticle``; entities are instances of ``kg:Method``,
``kg:Dataset``, ``kg:Task``, ``kg:Metric`` or ``kg:Concept`` (each ``rdfs:subClassOf
skos:Concept``) with one ``skos:prefLabel`` and a ``skos:altLabel`` per alias; a paper
``schema:mentions`` and ``kg:proposes`` entities and ``cito:cites`` papers. No blank nodes,
so the same graph always gives the same bytes.
"""

from __future__ import annotations

import re

from kg.fileio import write_atomic

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def to_rdf(graph):
    """An ``rdflib.Graph`` of the knowledge graph."""
    from rdflib import Graph

    from kg.vocab import CITO, KG, SCHEMA

    rdf = Graph()
    for prefix, namespace in (("schema", SCHEMA), ("cito", CITO), ("kg", KG._NS)):
        rdf.bind(prefix, namespace)
    _declare_terms(rdf)
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") == "paper":
            _add_paper(rdf, node, attrs)
        else:
            _add_entity(rdf, node, attrs)
    _add_edges(rdf, graph)
    return rdf


def _declare_terms(rdf) -> None:
    from rdflib import RDF, RDFS, Literal
    from rdflib.namespace import SKOS

    from kg.vocab import KG, SCHEMA, TYPE_CLASSES

    for kind, cls in TYPE_CLASSES.items():
        rdf.add((cls, RDF.type, RDFS.Class))
        rdf.add((cls, RDFS.subClassOf, SKOS.Concept))
        rdf.add((cls, RDFS.label, Literal(kind)))
    rdf.add((KG.proposes, RDF.type, RDF.Property))
    rdf.add((KG.proposes, RDFS.subPropertyOf, SCHEMA.mentions))
    rdf.add((KG.proposes, RDFS.label, Literal("proposes")))
    rdf.add((KG.proposes, RDFS.comment, Literal("The paper introduces this entity (a method, dataset, task or metric of its own).")))


def _add_paper(rdf, node: str, attrs: dict) -> None:
    from rdflib import RDF, Literal, URIRef
    from rdflib.namespace import XSD

    from kg.vocab import KG, SCHEMA, paper_iri

    iri = paper_iri(node.removeprefix("paper:"))
    rdf.add((iri, RDF.type, SCHEMA.ScholarlyArticle))
    rdf.add((iri, SCHEMA.name, Literal(attrs.get("title", ""))))
    if attrs.get("abstract"):
        rdf.add((iri, SCHEMA.abstract, Literal(attrs["abstract"])))
    if attrs.get("date") and _FULL_DATE.match(attrs["date"]):
        rdf.add((iri, SCHEMA.datePublished, Literal(attrs["date"], datatype=XSD.date)))
    elif attrs.get("year"):
        rdf.add((iri, SCHEMA.datePublished, Literal(f"{attrs['year']:04d}", datatype=XSD.gYear)))
    if attrs.get("listed"):
        rdf.add((iri, KG.listedOn, Literal(attrs["listed"])))
    if attrs.get("url") and _URL.match(attrs["url"]):
        rdf.add((iri, SCHEMA.url, URIRef(attrs["url"])))
    for field in ("local_id", "doi", "arxiv_id"):
        if attrs.get(field):
            rdf.add((iri, SCHEMA.identifier, Literal(attrs[field])))
    for author in attrs.get("authors", []):
        rdf.add((iri, SCHEMA.author, Literal(author)))
    if attrs.get("author_count") and not attrs.get("authors"):
        rdf.add((iri, KG.authorCount, Literal(attrs["author_count"])))
    for url in attrs.get("code_urls", []):
        if _URL.match(url):
            rdf.add((iri, SCHEMA.codeRepository, URIRef(url)))


def _add_entity(rdf, node: str, attrs: dict) -> None:
    from rdflib import RDF, Literal
    from rdflib.namespace import SKOS

    from kg.vocab import TYPE_CLASSES, entity_iri

    iri = entity_iri(node)
    rdf.add((iri, RDF.type, TYPE_CLASSES[attrs["kind"]]))
    rdf.add((iri, SKOS.prefLabel, Literal(attrs.get("label", ""))))
    for alias in attrs.get("aliases", []):
        rdf.add((iri, SKOS.altLabel, Literal(alias)))


def _iri(node: str):
    from kg.vocab import entity_iri, paper_iri

    return paper_iri(node.removeprefix("paper:")) if node.startswith("paper:") else entity_iri(node)


def _add_edges(rdf, graph) -> None:
    from kg.vocab import CITO, KG, SCHEMA

    predicates = {"mentions": SCHEMA.mentions, "proposes": KG.proposes, "cites": CITO.cites}
    for source, target, kind in graph.edges(keys=True):
        if kind in predicates:
            rdf.add((_iri(source), predicates[kind], _iri(target)))


def dumps(graph) -> str:
    """The graph as Turtle text (deterministic: sorted subjects, predicates and objects)."""
    return to_rdf(graph).serialize(format="turtle")


def write(graph, path) -> None:
    """Write the Turtle export atomically."""
    write_atomic(path, dumps(graph))
