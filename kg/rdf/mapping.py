"""The graph as RDF: the mapping behind every RDF export (README, "RDF (a public contract)").

:func:`ntriples_lines` turns the ``networkx`` graph into N-Triples lines, one pass over sorted
nodes and edges, no blank nodes, the same lines for the same graph in any process. The
exporters only serialise them: N-Triples sorts them, Turtle and JSON-LD go through
pyoxigraph's parser, and :func:`to_rdflib` gives an ``rdflib.Graph`` (for pySHACL and as the
correctness reference). Building the lines as text keeps the export fast: the corpus graph
gives about 220,000 triples.

What each edge kind becomes:

- ``mentions`` / ``proposes`` (paper -> entity): ``schema:mentions`` / ``kg:proposes``, plus a
  ``kg:Statement`` record with its evidence (Web Annotation selectors), extractor, confidence
  and ``prov:wasDerivedFrom`` the paper;
- ``cites`` (paper -> paper): ``cito:cites``;
- ``builds_on`` (paper B -> paper A, inferred): ``cito:usesMethodIn`` when one of its entities
  is a method, ``cito:usesDataFrom`` for a dataset, else ``kg:buildsOn``; each with a
  statement record flagged ``kg:inferred``;
- any other entity -> entity kind (``used_for``, ``evaluated_on``, ...): ``kg:<kindInCamelCase>``
  with a statement record carrying ``kg:support`` (number of papers);
- ``co_occurs`` is left out: it is derived from ``schema:mentions`` (see the
  ``co-occurring`` query).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("method:LoRA", kind="method", label="LoRA")
>>> print("".join(ntriples_lines(g)[-2:]), end="")
<https://w3id.org/kg-papers/id/method/LoRA> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg-papers/ns#Method> .
<https://w3id.org/kg-papers/id/method/LoRA> <http://www.w3.org/2004/02/skos/core#prefLabel> "LoRA" .
"""

from __future__ import annotations

import re
from functools import lru_cache
from json.encoder import encode_basestring as _json_string

from kg import registry
from kg.rdf.vocab import (
    CITO,
    ID,
    KG,
    NS,
    OA,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    TYPE_CLASSES,
    XSD,
    entity_iri,
    extractor_iri,
    paper_iri,
    relation_property,
    statement_id,
    term,
)
from kg.schema import BUILDS_ON, CITES, CO_OCCURS, EDGE_TERMS, MENTIONS, PROPOSES

#: The RDF export formats, by exporter name (the others, html and json, are not RDF).
RDF_FORMATS = ("turtle", "ntriples", "jsonld")
#: Prefixes of the Turtle and JSON-LD exports: vocabularies, then the resource namespaces
#: (``method:Low_Rank_Adaptation``, ``arxiv:2106.09685``, ``statement:1e6f...``).
PREFIXES = {"cito": str(CITO), "kg": NS, "oa": str(OA), "prov": str(PROV), "rdf": str(RDF), "rdfs": str(RDFS),
            "schema": str(SCHEMA), "skos": str(SKOS), "xsd": str(XSD),
            **{kind: f"{ID}{kind}/" for kind in (*TYPE_CLASSES, "statement", "extractor")},
            **{scheme: f"{ID}paper/{scheme}/" for scheme in ("arxiv", "doi", "title")}}


def export_formats(rdf_formats=("turtle",)) -> list[str]:
    """The exporters ``kg build`` writes: every registered one that is not RDF, plus the
    chosen RDF formats, in registration order."""
    return [p.name for p in registry.exporters()
            if p.default and (p.name not in RDF_FORMATS or p.name in rdf_formats)]


_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_ESCAPES = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)}
_ESCAPES.update({ord("\t"): "\\t", ord("\b"): "\\b", ord("\n"): "\\n", ord("\r"): "\\r", ord("\f"): "\\f",
                 ord('"'): '\\"', ord("\\"): "\\\\"})
_LITERAL_ESCAPES = str.maketrans(_ESCAPES)
# JSON's C string encoder escapes exactly as canonical N-Triples does, except for these
# (it writes lower-case hex and leaves DEL as is), so they take the slow path.
_RARE_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _t(term) -> str:
    return f"<{term}>"


class T:
    """The terms the export uses, in N-Triples syntax (made once: the export writes ~10^5 lines)."""

    a, label, comment = _t(RDF.type), _t(RDFS.label), _t(RDFS.comment)
    rdfs_class, rdf_property = _t(RDFS.Class), _t(RDF.Property)
    sub_class_of, sub_property_of = _t(RDFS.subClassOf), _t(RDFS.subPropertyOf)
    concept, pref_label, alt_label = _t(SKOS.Concept), _t(SKOS.prefLabel), _t(SKOS.altLabel)
    article, name, abstract = _t(SCHEMA.ScholarlyArticle), _t(SCHEMA.name), _t(SCHEMA.abstract)
    date_published, url, identifier = _t(SCHEMA.datePublished), _t(SCHEMA.url), _t(SCHEMA.identifier)
    author, code_repository = _t(SCHEMA.author), _t(SCHEMA.codeRepository)
    mentions, proposes, cites = (_t(term(EDGE_TERMS[kind])) for kind in (MENTIONS, PROPOSES, CITES))
    uses_method_in, uses_data_from, builds_on = _t(CITO.usesMethodIn), _t(CITO.usesDataFrom), _t(KG.buildsOn)
    listed_on, author_count = _t(KG.listedOn), _t(KG.authorCount)
    statement, subject, predicate, object = _t(KG.Statement), _t(RDF.subject), _t(RDF.predicate), _t(RDF.object)
    derived_from, attributed_to, software_agent = (_t(PROV.wasDerivedFrom), _t(PROV.wasAttributedTo),
                                                   _t(PROV.SoftwareAgent))
    confidence, mention_count, support = _t(KG.confidence), _t(KG.mentionCount), _t(KG.support)
    inferred, undated, shared_entity = _t(KG.inferred), _t(KG.undated), _t(KG.sharedEntity)
    evidence, field = _t(KG.evidence), _t(KG.field)
    specific_resource, has_source, has_selector = _t(OA.SpecificResource), _t(OA.hasSource), _t(OA.hasSelector)
    quote_selector, exact, prefix, suffix = _t(OA.TextQuoteSelector), _t(OA.exact), _t(OA.prefix), _t(OA.suffix)
    position_selector, start, end = _t(OA.TextPositionSelector), _t(OA.start), _t(OA.end)
    classes = {kind: _t(cls) for kind, cls in TYPE_CLASSES.items()}
    true = f'"true"^^<{XSD.boolean}>'
    false = f'"false"^^<{XSD.boolean}>'


DIRECT = {MENTIONS: T.mentions, PROPOSES: T.proposes, CITES: T.cites}


def literal(value, datatype: str | None = None) -> str:
    r"""An N-Triples literal, escaped as RDF 1.2 canonical N-Triples does (as pyoxigraph writes it).

    >>> print(literal('say "hi"\n'), literal(2021, "gYear"))
    "say \"hi\"\n" "2021"^^<http://www.w3.org/2001/XMLSchema#gYear>
    """
    text = str(value)
    quoted = '"' + text.translate(_LITERAL_ESCAPES) + '"' if _RARE_CONTROLS.search(text) else _json_string(text)
    return f"{quoted}^^<{XSD}{datatype}>" if datatype else quoted


def decimal(value: float) -> str:
    """An ``xsd:decimal`` literal for a float (never in exponent form).

    >>> decimal(0.9), decimal(1), decimal(1e-7)
    ('"0.9"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"1.0"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"0.0"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    text = f"{float(value):.6f}".rstrip("0")
    return literal(text + "0" if text.endswith(".") else text, "decimal")


@lru_cache(maxsize=4096)
def web_iri(url: str) -> str | None:
    """``<url>`` when ``url`` is an http(s) IRI that RDF accepts, else None."""
    from pyoxigraph import NamedNode

    if not url or not _URL.match(url):
        return None
    try:
        return _t(NamedNode(url).value)
    except ValueError:
        return None


def node_iri(node: str) -> str:
    """The IRI of a graph node (paper or entity), in N-Triples syntax."""
    iri = paper_iri(node[len("paper:"):]) if node.startswith("paper:") else entity_iri(node)
    return _t(iri)


def ntriples_lines(graph) -> list[str]:
    """Every triple of the export as an N-Triples line (``"<s> <p> <o> .\\n"``), in a fixed order:
    declarations, sorted nodes, sorted edges, extractors. A node's repeated values (an alias
    given twice) are written once; :func:`ntriples` removes any other duplicate."""
    iris = {node: node_iri(node) for node in graph}
    lines = list(_declarations(graph))
    for node, attrs in sorted(graph.nodes(data=True), key=lambda item: item[0]):
        lines += _paper(iris[node], attrs) if attrs.get("kind") == "paper" else _entity(iris[node], attrs)
    extractors: set[str] = set()
    for source, target, kind, attrs in _sorted_edges(graph):
        found = _edge(graph, iris, source, target, kind, attrs)
        if found and attrs.get("extractor"):
            extractors.add(str(attrs["extractor"]))
        lines += found
    for name in sorted(extractors):
        iri = _t(extractor_iri(name))
        lines += (f"{iri} {T.a} {T.software_agent} .\n", f"{iri} {T.label} {literal(name)} .\n")
    return lines


def _sorted_edges(graph):
    """The exported edges (not ``co_occurs``) sorted by source, target and key."""
    for source, targets in sorted(graph.adjacency(), key=lambda item: item[0]):
        for target in sorted(targets):
            for kind in sorted(targets[target]):
                if kind != CO_OCCURS:
                    yield source, target, kind, targets[target][kind]


def _declarations(graph):
    for kind, cls in T.classes.items():
        yield f"{cls} {T.a} {T.rdfs_class} .\n"
        yield f"{cls} {T.sub_class_of} {T.concept} .\n"
        yield f"{cls} {T.label} {literal(kind)} .\n"
    yield f"{T.proposes} {T.a} {T.rdf_property} .\n"
    yield f"{T.proposes} {T.sub_property_of} {T.mentions} .\n"
    yield f"{T.proposes} {T.label} {literal('proposes')} .\n"
    comment = "The paper introduces this entity (a method, dataset, task or metric of its own)."
    yield f"{T.proposes} {T.comment} {literal(comment)} .\n"
    for kind in sorted({k for u, v, k in graph.edges(keys=True) if _is_relation(graph, u, v, k)}):
        prop = _t(relation_property(kind))
        yield f"{prop} {T.a} {T.rdf_property} .\n"
        yield f"{prop} {T.label} {literal(kind)} .\n"


def _paper(s: str, attrs: dict) -> list[str]:
    out = [f"{s} {T.a} {T.article} .\n"]
    if attrs.get("title"):  # a cited paper outside the input (a stub) may have no title
        out.append(f"{s} {T.name} {literal(attrs['title'])} .\n")
    if attrs.get("abstract"):
        out.append(f"{s} {T.abstract} {literal(attrs['abstract'])} .\n")
    if attrs.get("date") and _FULL_DATE.match(attrs["date"]):
        out.append(f"{s} {T.date_published} {literal(attrs['date'], 'date')} .\n")
    elif attrs.get("year"):
        year = f"{int(attrs['year']):04d}"
        out.append(f"{s} {T.date_published} {literal(year, 'gYear')} .\n")
    if attrs.get("listed"):
        out.append(f"{s} {T.listed_on} {literal(attrs['listed'])} .\n")
    if web_iri(attrs.get("url", "")):
        out.append(f"{s} {T.url} {web_iri(attrs['url'])} .\n")
    for field in ("local_id", "doi", "arxiv_id", "openalex_id", "s2_id", "mag_id", "pmid"):
        if attrs.get(field):
            out.append(f"{s} {T.identifier} {literal(attrs[field])} .\n")
    out += [f"{s} {T.author} {literal(author)} .\n" for author in attrs.get("authors", [])]
    if attrs.get("author_count") and not attrs.get("authors"):
        out.append(f"{s} {T.author_count} {literal(int(attrs['author_count']), 'integer')} .\n")
    out += [f"{s} {T.code_repository} {web_iri(url)} .\n" for url in attrs.get("code_urls", []) if web_iri(url)]
    return list(dict.fromkeys(out))


def _entity(s: str, attrs: dict) -> list[str]:
    out = [f"{s} {T.a} {T.classes[attrs['kind']]} .\n", f"{s} {T.pref_label} {literal(attrs.get('label', ''))} .\n"]
    out += [f"{s} {T.alt_label} {literal(alias)} .\n" for alias in attrs.get("aliases", [])]
    return list(dict.fromkeys(out))


def _is_entity(graph, node) -> bool:
    return graph.nodes[node].get("kind") in TYPE_CLASSES


def _is_relation(graph, source, target, kind) -> bool:
    return kind != CO_OCCURS and _is_entity(graph, source) and _is_entity(graph, target)


def _edge(graph, iris, source, target, kind, attrs) -> list[str]:
    s, o = iris[source], iris[target]
    if kind in (MENTIONS, PROPOSES):
        p = DIRECT[kind]
        return [f"{s} {p} {o} .\n", *_statement(s, p, o, attrs, papers=[s], source=s)]
    if kind == CITES:
        return [f"{s} {T.cites} {o} .\n"]
    if kind == BUILDS_ON:
        return _builds_on(graph, iris, s, o, attrs)
    if _is_relation(graph, source, target, kind):
        p = _t(relation_property(kind))
        papers = [iris[n] for n in _papers_of(attrs) if n in iris]
        return [f"{s} {p} {o} .\n", *_statement(s, p, o, attrs, papers=papers, source=papers[0] if papers else None)]
    return []


def _papers_of(attrs: dict) -> list[str]:
    """The paper node ids an entity-entity edge was read from (attribute ``paper`` or ``papers``)."""
    papers = attrs.get("papers") or ([attrs["paper"]] if attrs.get("paper") else [])
    return sorted(papers)


def _builds_on(graph, iris, s: str, o: str, attrs: dict) -> list[str]:
    entities = [e for e in attrs.get("entities", []) if e in iris]
    kinds = {e: graph.nodes[e].get("kind") for e in entities}
    links = [(T.uses_method_in, [e for e in entities if kinds[e] == "method"]),
             (T.uses_data_from, [e for e in entities if kinds[e] == "dataset"])]
    links = [(p, shared) for p, shared in links if shared] or [(T.builds_on, entities)]
    out = []
    for p, shared in links:
        st = _statement_node(s, p, o)
        out += [f"{s} {p} {o} .\n", *_statement(s, p, o, attrs, papers=[s, o], source=s)]
        out.append(f"{st} {T.inferred} {T.true} .\n")
        if "undated" in attrs:
            out.append(f"{st} {T.undated} {T.true if attrs['undated'] else T.false} .\n")
        out += [f"{st} {T.shared_entity} {iris[e]} .\n" for e in shared]
    return out


def _statement_node(s: str, p: str, o: str) -> str:
    return _t(statement_id(s[1:-1], p[1:-1], o[1:-1]))


def _statement(s: str, p: str, o: str, attrs: dict, papers: list[str], source: str | None) -> list[str]:
    """The ``kg:Statement`` record of the triple ``s p o`` with what ``attrs`` says about it."""
    st = _statement_node(s, p, o)
    out = [f"{st} {T.a} {T.statement} .\n", f"{st} {T.subject} {s} .\n", f"{st} {T.predicate} {p} .\n",
           f"{st} {T.object} {o} .\n"]
    out += [f"{st} {T.derived_from} {paper} .\n" for paper in papers]
    if attrs.get("extractor"):
        out.append(f"{st} {T.attributed_to} {_t(extractor_iri(str(attrs['extractor'])))} .\n")
    if attrs.get("confidence") is not None:
        out.append(f"{st} {T.confidence} {decimal(attrs['confidence'])} .\n")
    if attrs.get("count"):
        out.append(f"{st} {T.mention_count} {literal(int(attrs['count']), 'integer')} .\n")
    if attrs.get("support"):
        out.append(f"{st} {T.support} {literal(int(attrs['support']), 'integer')} .\n")
    if attrs.get("sentence") and source:
        out += _evidence(st, source, attrs)
    return out


def _evidence(st: str, source: str, attrs: dict) -> list[str]:
    """Where the statement was read: a ``oa:SpecificResource`` of the paper with a
    ``oa:TextQuoteSelector`` (the name, and the rest of its sentence as prefix and suffix) and a
    ``oa:TextPositionSelector`` (character offsets of the name in the title or abstract)."""
    evidence, quote, position = (st[:-1] + "-evidence>", st[:-1] + "-quote>", st[:-1] + "-position>")
    sentence, span = attrs["sentence"], _span(attrs)
    out = [f"{st} {T.evidence} {evidence} .\n", f"{evidence} {T.a} {T.specific_resource} .\n",
           f"{evidence} {T.has_source} {source} .\n"]
    if attrs.get("field") in ("title", "abstract"):
        out.append(f"{evidence} {T.field} {literal(attrs['field'])} .\n")
    out.append(f"{evidence} {T.has_selector} {quote} .\n")
    if span is None:
        return [*out, f"{quote} {T.a} {T.quote_selector} .\n", f"{quote} {T.exact} {literal(sentence)} .\n"]
    a, b = span
    out += [f"{evidence} {T.has_selector} {position} .\n", f"{quote} {T.a} {T.quote_selector} .\n",
            f"{quote} {T.exact} {literal(sentence[a:b])} .\n"]
    if a:
        out.append(f"{quote} {T.prefix} {literal(sentence[:a])} .\n")
    if b < len(sentence):
        out.append(f"{quote} {T.suffix} {literal(sentence[b:])} .\n")
    return out + [f"{position} {T.a} {T.position_selector} .\n",
                  f"{position} {T.start} {literal(attrs['start'], 'nonNegativeInteger')} .\n",
                  f"{position} {T.end} {literal(attrs['end'], 'nonNegativeInteger')} .\n"]


def _span(attrs: dict) -> tuple[int, int] | None:
    """The name's offsets inside its sentence, when the edge has consistent offsets."""
    try:
        start, end, sent_start = int(attrs["start"]), int(attrs["end"]), int(attrs["sent_start"])
    except (KeyError, TypeError, ValueError):
        return None
    a, b = start - sent_start, end - sent_start
    return (a, b) if 0 <= a < b <= len(attrs["sentence"]) and start >= 0 else None


def ntriples(graph) -> str:
    """The graph as N-Triples text: the lines sorted, for diffs and bulk loaders."""
    return "".join(sorted(set(ntriples_lines(graph))))


def triples(graph):
    """The triples of the export as pyoxigraph ``Triple`` objects, in the export's order."""
    from pyoxigraph import RdfFormat, parse

    return parse("".join(ntriples_lines(graph)).encode("utf-8"), format=RdfFormat.N_TRIPLES)


def to_rdflib(graph):
    """The export as an ``rdflib.Graph`` (for pySHACL, small graphs and reference checks)."""
    from rdflib import Graph

    rdf = Graph()
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace)
    return rdf.parse(data="".join(ntriples_lines(graph)), format="nt")
