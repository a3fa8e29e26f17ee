"""JSON-LD export: the same triples as the Turtle export, compacted with the context in
``kg/data/context.jsonld`` (embedded in every file, so it reads offline).

One node object per subject, sorted by IRI, one per line (so two exports diff line by line).
A value is written in its short form (``"mentions": ["method:LoRA"]``) when the context's term
fixes its kind, otherwise in full under the prefixed property name
(``"schema:datePublished": [{"@value": "2021", "@type": "xsd:gYear"}]``).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("method:LoRA", kind="method", label="LoRA", aliases=["Low-Rank Adaptation"])
>>> [line for line in dumps(g).splitlines() if '"method:LoRA"' in line]
['{"@id":"method:LoRA","@type":["kg:Method"],"altLabel":["Low-Rank Adaptation"],"prefLabel":["LoRA"]},']
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import groupby

from kg.fileio import write_atomic
from kg.rdf.mapping import ntriples

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@lru_cache(maxsize=1)
def context() -> dict:
    """The JSON-LD context (prefixes and short names), from ``kg/data/context.jsonld``."""
    from importlib.resources import files

    return json.loads(files("kg").joinpath("data/context.jsonld").read_text(encoding="utf-8"))["@context"]


@lru_cache(maxsize=1)
def _tables():
    """Prefixes longest first, and for each property IRI its short name and what it coerces to."""
    ctx = context()
    prefixes = {name: iri for name, iri in ctx.items() if isinstance(iri, str) and iri.endswith(("/", "#"))}
    terms = {}
    for name, definition in ctx.items():
        if name in prefixes:
            continue
        iri, coerce = (definition, None) if isinstance(definition, str) else (definition["@id"], definition["@type"])
        terms[_expand(iri, prefixes)] = (name, _expand(coerce, prefixes) if coerce and coerce != "@id" else coerce)
    return sorted(prefixes.items(), key=lambda item: -len(item[1])), terms


def _expand(curie: str, prefixes: dict) -> str:
    prefix, _, local = curie.partition(":")
    return prefixes[prefix] + local if prefix in prefixes else curie


def compact(iri: str) -> str:
    """``iri`` as a compact IRI with the longest matching prefix, or as is."""
    for name, namespace in _tables()[0]:
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("//"):
            return f"{name}:{iri[len(namespace):]}"
    return iri


def _value(term, coerce):
    """The JSON form of an RDF term under a property coercing to ``coerce`` (None: no term)."""
    if not hasattr(term, "datatype"):
        return compact(term.value) if coerce == "@id" else {"@id": compact(term.value)}
    datatype = term.datatype.value
    if coerce == datatype or (coerce is None and datatype == XSD_STRING):
        return term.value
    if getattr(term, "language", None):
        return {"@value": term.value, "@language": term.language}
    return {"@value": term.value} if datatype == XSD_STRING else {"@value": term.value, "@type": compact(datatype)}


def _fits(term, coerce) -> bool:
    if coerce == "@id":
        return not hasattr(term, "datatype")
    return hasattr(term, "datatype") and not term.language and term.datatype.value == (coerce or XSD_STRING)


def _node(subject: str, triples) -> dict:
    terms = _tables()[1]
    node: dict = {"@id": compact(subject)}
    values: dict[str, list] = {}
    for triple in triples:
        predicate, obj = triple.predicate.value, triple.object
        if predicate == RDF_TYPE and not hasattr(obj, "datatype"):
            node.setdefault("@type", []).append(compact(obj.value))
            continue
        name, coerce = terms.get(predicate, (None, None))
        if name and _fits(obj, coerce):
            values.setdefault(name, []).append(_value(obj, coerce))
        else:
            values.setdefault(compact(predicate), []).append(_value(obj, None))
    return node | dict(sorted(values.items()))


def to_data(graph) -> dict:
    """The export as a JSON-LD document: ``{"@context": ..., "@graph": [node objects]}``."""
    from pyoxigraph import RdfFormat, parse

    triples = parse(ntriples(graph).encode("utf-8"), format=RdfFormat.N_TRIPLES)
    nodes = [_node(subject, group) for subject, group in groupby(triples, key=lambda t: t.subject.value)]
    return {"@context": context(), "@graph": nodes}


def dumps(graph) -> str:
    """The graph as JSON-LD text: deterministic, one node object per line."""
    data = to_data(graph)
    nodes = ",\n".join(json.dumps(node, ensure_ascii=False, separators=(",", ":")) for node in data["@graph"])
    head = json.dumps(data["@context"], ensure_ascii=False, indent=1)
    return f'{{"@context": {head},\n"@graph": [\n{nodes}\n]}}\n'


def write(graph, path) -> None:
    """Write the JSON-LD export atomically."""
    write_atomic(path, dumps(graph))
