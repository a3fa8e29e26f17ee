"""RDF vocabulary: namespaces, the project's own terms, and IRI minting.

The project's namespace is ``https://w3id.org/kg-papers/ns#`` (prefix ``kg``); resources
live under ``https://w3id.org/kg-papers/id/``. Other terms come from schema.org, SKOS, CiTO
and DCTERMS. A misspelled project term fails loudly (``DefinedNamespace`` with ``_fail``).

>>> entity_iri("method:large language model")
rdflib.term.URIRef('https://w3id.org/kg-papers/id/method/large_language_model')
>>> paper_iri("doi:10.1145/3065386")
rdflib.term.URIRef('https://w3id.org/kg-papers/id/paper/doi/10.1145%2F3065386')
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

NS = "https://w3id.org/kg-papers/ns#"
ID = "https://w3id.org/kg-papers/id/"
SCHEMA = Namespace("http://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")


class KG(DefinedNamespace):
    """The project's own classes and properties."""

    _NS = Namespace(NS)
    _fail = True

    Method: URIRef
    Dataset: URIRef
    Task: URIRef
    Metric: URIRef
    Concept: URIRef
    proposes: URIRef
    authorCount: URIRef
    listedOn: URIRef


TYPE_CLASSES = {
    "method": KG.Method,
    "dataset": KG.Dataset,
    "task": KG.Task,
    "metric": KG.Metric,
    "concept": KG.Concept,
}


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
