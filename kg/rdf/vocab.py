"""RDF vocabulary: namespaces, the project's own terms, and IRI minting.

The project's namespace is ``https://w3id.org/kg-papers/ns#`` (prefix ``kg``); resources
live under ``https://w3id.org/kg-papers/id/``. Other terms come from schema.org, SKOS, CiTO,
PROV-O, DCTERMS and the W3C Web Annotation vocabulary (``oa``). A misspelled project term
fails loudly (``DefinedNamespace`` with ``_fail``). Every term is described in
``kg/data/ontology.ttl``.

>>> entity_iri("method:large language model")
rdflib.term.URIRef('https://w3id.org/kg-papers/id/method/large_language_model')
>>> paper_iri("doi:10.1145/3065386")
rdflib.term.URIRef('https://w3id.org/kg-papers/id/paper/doi/10.1145%2F3065386')
>>> relation_property("used_for")
rdflib.term.URIRef('https://w3id.org/kg-papers/ns#usedFor')
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg.schema import EDGE_TERMS, ENTITY_TYPES, NODE_TERMS

NS = "https://w3id.org/kg-papers/ns#"
ID = "https://w3id.org/kg-papers/id/"
SCHEMA = Namespace("http://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")

__all__ = ["CITO", "DCTERMS", "ID", "KG", "NS", "OA", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SH", "SKOS",
           "TYPE_CLASSES", "XSD", "entity_iri", "term", "extractor_iri", "paper_iri", "relation_property",
           "statement_id", "statement_iri"]


class KG(DefinedNamespace):
    """The project's own classes and properties (only those no shared vocabulary has)."""

    _NS = Namespace(NS)
    _fail = True

    Method: URIRef
    Dataset: URIRef
    Task: URIRef
    Metric: URIRef
    Concept: URIRef
    Statement: URIRef
    proposes: URIRef
    authorCount: URIRef
    listedOn: URIRef
    evidence: URIRef
    field: URIRef
    confidence: URIRef
    mentionCount: URIRef
    support: URIRef
    inferred: URIRef
    undated: URIRef
    sharedEntity: URIRef
    buildsOn: URIRef
    usedFor: URIRef
    evaluatedOn: URIRef
    measures: URIRef
    compares: URIRef
    narrower: URIRef
    broader: URIRef


_PREFIXED = {"kg": KG, "schema": SCHEMA, "cito": CITO}


def term(prefixed: str) -> URIRef:
    """The IRI of a prefixed name of :mod:`kg.schema` (``"cito:cites"``); a project term that
    :class:`KG` does not define fails loudly.

    >>> term("cito:cites")
    rdflib.term.URIRef('http://purl.org/spar/cito/cites')
    """
    prefix, _, name = prefixed.partition(":")
    return getattr(_PREFIXED[prefix], name) if prefix == "kg" else _PREFIXED[prefix][name]


#: The class of each entity type (from :data:`kg.schema.NODE_TERMS`).
TYPE_CLASSES = {kind: term(NODE_TERMS[kind]) for kind in ENTITY_TYPES}


def _segment(text: str) -> str:
    return quote(text.replace(" ", "_"), safe="-._~")


def entity_iri(node_id: str) -> URIRef:
    """The IRI of an entity node ``<type>:<key>``: safe whatever the name contains."""
    kind, _, key = node_id.partition(":")
    return URIRef(f"{ID}{kind}/{_segment(key)}")


def paper_iri(key: str) -> URIRef:
    """The IRI of the paper with key ``arxiv:..``, ``doi:..`` or ``title:..``."""
    scheme, _, value = key.partition(":")
    return URIRef(f"{ID}paper/{scheme}/{_segment(value)}")


def statement_iri(subject: str, predicate: str, obj: str) -> URIRef:
    """The IRI of the statement record of one triple: a hash of the triple, so the same
    statement always gets the same IRI (and an export has no blank nodes).

    >>> statement_iri("http://a", "http://b", "http://c")
    rdflib.term.URIRef('https://w3id.org/kg-papers/id/statement/d1839d43b0a505b43e4d')
    """
    return URIRef(statement_id(subject, predicate, obj))


def statement_id(subject: str, predicate: str, obj: str) -> str:
    """:func:`statement_iri` as a plain string (the exporters' fast path)."""
    digest = hashlib.sha1(f"<{subject}> <{predicate}> <{obj}>".encode("utf-8")).hexdigest()
    return f"{ID}statement/{digest[:20]}"


def extractor_iri(name: str) -> URIRef:
    """The IRI of an extractor (a ``prov:SoftwareAgent``) such as ``gazetteer``."""
    return URIRef(f"{ID}extractor/{_segment(name)}")


def relation_property(kind: str) -> URIRef:
    """The ``kg:`` property of an entity-entity edge kind: ``used_for`` -> ``kg:usedFor``.

    Known kinds are terms of :class:`KG` (and of the ontology); any other kind gets a property
    named the same way, so a new relation kind is exported the day the graph has it.
    """
    if kind in EDGE_TERMS:
        return term(EDGE_TERMS[kind])
    head, *rest = kind.split("_")
    name = head + "".join(part[:1].upper() + part[1:] for part in rest)
    try:
        return getattr(KG, name)
    except AttributeError:
        return URIRef(NS + _segment(name))
